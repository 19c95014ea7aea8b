"""Electricity: carbon emission flow tracing and the CO2 embodied in Shanghai's imported electricity."""

from .link import footprint_split, scope12
from .provinces import ImportedElectricity, available_years, imported_emissions, provincial_network
from .tracing import TraceResult, sharing_intensity, trace

__all__ = [
    "ImportedElectricity",
    "TraceResult",
    "available_years",
    "footprint_split",
    "imported_emissions",
    "provincial_network",
    "scope12",
    "sharing_intensity",
    "trace",
]
