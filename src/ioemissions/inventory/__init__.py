"""Emission inventories: CEADs CO2 mapped to IO sectors, and CO2 from an energy balance."""

from .ceads import ceads_co2, ceads_satellite, ceads_totals, concordance
from .energy_balance import apparent_consumption, fuel_co2, territorial_co2

__all__ = [
    "apparent_consumption",
    "ceads_co2",
    "ceads_satellite",
    "ceads_totals",
    "concordance",
    "fuel_co2",
    "territorial_co2",
]
