"""Electricity in the Shanghai-in-YRD MRIO: traced (scope-2 style) accounts and the footprint split.

Two views of the same question — how much of a province's CO2 is embodied in electricity from
elsewhere:

* **traced, physical** (:func:`scope12`): the province's territorial CO2 without its power sector,
  plus the CO2 of the electricity it consumes, traced to the provinces that generated it
  (:func:`~ioemissions.electricity.trace`) — a "scope 1 + 2" account; the difference to the
  territorial account is the net CO2 embodied in electricity imports;
* **input–output** (:func:`footprint_split`): the province's consumption-based CO2 from the MRIO,
  split by where it was emitted (own region, other Chinese regions, abroad) and whether the emitting
  sector is electricity — "embodied in imported electricity" (electricity emitted elsewhere, whether
  bought directly or upstream of bought goods) beside "embodied in imported goods" (everything else).
"""

from __future__ import annotations

import pandas as pd

from ..core.mrio import ABROAD, MRIO
from ..errors import LabelError
from .provinces import POWER_SECTOR, imported_emissions

__all__ = ["ELECTRICITY_SECTOR", "footprint_split", "scope12"]

ELECTRICITY_SECTOR = "Production and supply of electric power and heat power"


def footprint_split(model: MRIO, region: str, stressor: str = "CO2", sector: str = ELECTRICITY_SECTOR) -> pd.Series:
    """``region``'s consumption-based emissions by origin (own / other regions / abroad) × electricity or not."""
    if sector not in set(model.sectors):
        raise LabelError(f"the model has no sector {sector!r}")
    by = model.embodied_trade(stressor, by="sector")[region]
    origin = by.index.get_level_values(0)
    is_elec = by.index.get_level_values(1) == sector
    own = origin == region
    abroad = origin == ABROAD
    other = ~own & ~abroad
    fy = model.F_Y.loc[stressor].T.groupby(level=0).sum().get(region, 0.0)
    out = pd.Series(
        {
            "own electricity": by[own & is_elec].sum(),
            "own other sectors": by[own & ~is_elec].sum(),
            "households (direct)": fy,
            "embodied in imported electricity (other Chinese regions)": by[other & is_elec].sum(),
            "embodied in imported goods (other Chinese regions)": by[other & ~is_elec].sum(),
            "embodied in imports from abroad": by[abroad].sum(),
        },
        name=model.stressor_unit(stressor),
    )
    return out


def scope12(province: str = "Shanghai", year: int = 2017) -> pd.Series:
    """Territorial CO2 vs territorial-without-power + traced CO2 of the electricity consumed (Mt)."""
    from ..inventory.ceads import ceads_co2

    co2 = ceads_co2(province, year)
    territorial = co2.value.sum()
    power = co2[co2.sector == POWER_SECTOR].value.sum()
    imp = imported_emissions(province, year)
    consumed = imp.table.loc["total", "Mt CO2"]
    own = imp.table.loc[province, "Mt CO2"] if province in imp.table.index else 0.0
    return pd.Series(
        {
            "territorial (CEADs)": territorial,
            "of which power sector": power,
            "CO2 of electricity consumed (traced)": consumed,
            "of which generated in other provinces": consumed - own,
            "territorial without power + electricity consumed (scope 1+2)": territorial - power + consumed,
        },
        name="Mt CO2",
    )
