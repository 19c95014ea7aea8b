"""China's interprovincial electricity network from shipped data, and Shanghai's imported electricity.

Data (all from ``tables/``):

* flows between provinces: ``gcam-electricity-flows`` (GWh, Annual Book of Statistics for the Power
  Industry via GCAM-China, 2005–2019; the source's 2020–2021 rows copy 2019 and are not shipped);
* generation by province: ``gcam-electricity-generation`` (10^8 kWh, China Electric Power Yearbook,
  1994–2017 and 2021);
* power-sector CO2 by province: CEADs sector "Production and Supply of Electric Power, Steam and Hot
  Water" (Mt, 2012–2019). **Why CEADs and not generation × fuel factors:** CEADs is the inventory the
  IO satellite uses, so the traced electricity emissions add up with the rest of the accounts; the
  shipped generation data lump all thermal generation together, so a fuel-factor estimate would need
  an assumed coal/gas split and heat rates. The cost: CEADs' power sector includes heat supply, so
  the intensities (t CO2 per MWh of electricity) are somewhat higher than electricity-only factors.
  Tibet has no CEADs inventory and is given zero (its generation is mostly hydro).

Years with all three: 2012–2017. Hong Kong and "Export" are sinks (no generation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import LabelError
from .tracing import TraceResult, trace

__all__ = ["ImportedElectricity", "available_years", "imported_emissions", "provincial_network"]

POWER_SECTOR = "Production and Supply of Electric Power, Steam and Hot Water"
SINKS = ("Hong Kong", "Export")


def _load(name):
    from ..tables import load

    return load(name)


def available_years() -> list[int]:
    """Years for which flows, generation and CEADs power-sector CO2 all exist."""
    flows = set(_load("gcam-electricity-flows").year)
    gen = set(_load("gcam-electricity-generation").year)
    ceads = set(_load("ceads-co2-provinces").year)
    return sorted(flows & gen & ceads)


def provincial_network(year: int) -> dict:
    """``{"generation": GWh, "emissions": Mt CO2, "flows": GWh (from × to)}`` for ``year``."""
    years = available_years()
    if year not in years:
        extra = ""
        if year in (2020, 2021):
            extra = " (the source's 2020-2021 flows are copies of 2019, not data)"
        elif year in (2018, 2019):
            extra = " (no provincial generation data for that year are shipped)"
        raise LabelError(f"no interprovincial electricity data for {year}{extra}; available: {years}")
    gen = _load("gcam-electricity-generation").query("year == @year").groupby("province").value.sum() * 100.0
    flows = _load("gcam-electricity-flows").query("year == @year")
    flows = flows[~flows.origin.isin(SINKS)]  # sinks do not generate
    nodes = sorted(set(gen.index) | set(flows.origin) | set(flows.destination))
    F = flows.pivot_table(index="origin", columns="destination", values="value", aggfunc="sum", fill_value=0.0)
    F = F.reindex(index=nodes, columns=nodes, fill_value=0.0)
    co2 = _load("ceads-co2-provinces").query("year == @year and sector == @POWER_SECTOR")
    em = co2.groupby("province").value.sum().reindex(nodes, fill_value=0.0)
    return {"generation": gen.reindex(nodes, fill_value=0.0), "emissions": em, "flows": F}


@dataclass(frozen=True)
class ImportedElectricity:
    """Electricity consumed in a province by province of generation, with its emissions and factors."""

    province: str
    year: int
    table: pd.DataFrame
    factors: pd.Series
    result: TraceResult

    def plot(self, ax=None, top: int = 10):
        """Bar chart of the emissions embodied in the province's electricity, by province of generation."""
        import matplotlib.pyplot as plt

        t = self.table.drop(index="total", errors="ignore").sort_values("Mt CO2", ascending=False).head(top)
        ax = ax or plt.subplots(figsize=(8, 4))[1]
        colors = ["#C44E52" if i == self.province else "#4C72B0" for i in t.index]
        ax.bar(t.index, t["Mt CO2"], color=colors)
        ax.set_ylabel("Mt CO2")
        ax.set_title(f"CO2 of the electricity consumed in {self.province} ({self.year}), by province of generation")
        ax.tick_params(axis="x", rotation=45)
        return ax


def imported_emissions(province: str = "Shanghai", year: int = 2017, *, method: str = "network") -> ImportedElectricity:
    """Electricity consumed in ``province`` and its CO2, by province of generation (after tracing).

    ``table``: TWh and Mt CO2 by origin (the province itself included) and their intensity;
    ``factors``: the province's consumption-based factor (traced), its production-based factor
    (power-sector CO2 / generation), the direct-imports-only factor, and the MEE/NBS provincial and
    East China grid factors of 2021–2023 where they exist (kg CO2/kWh).
    """
    net = provincial_network(year)
    if province not in net["generation"].index:
        raise LabelError(f"unknown province {province!r}")
    res = trace(
        net["generation"], net["emissions"], net["flows"], method=method, units={"energy": "GWh", "emissions": "Mt CO2"}
    )
    direct = trace(net["generation"], net["emissions"], net["flows"], method="direct")
    imp = res.imported(province)
    table = pd.DataFrame({"TWh": imp["energy"] / 1e3, "Mt CO2": imp["emissions"]})
    table = table[table["TWh"] > 1e-9].sort_values("Mt CO2", ascending=False)
    table["kg CO2/kWh"] = table["Mt CO2"] / table["TWh"]
    table.loc["total"] = [table["TWh"].sum(), table["Mt CO2"].sum(), table["Mt CO2"].sum() / table["TWh"].sum()]
    to_kg = 1e9 / 1e6  # Mt/GWh -> kg/kWh
    factors = {
        "consumption-based (traced)": res.intensity[province] * to_kg,
        "production-based (CEADs power sector / generation)": res.production_intensity[province] * to_kg,
        "direct imports only": direct.intensity[province] * to_kg,
    }
    grid = _load("grid-factors-mee").query("basis == 'average'")
    for y in sorted(set(grid.year)):
        for region, label in ((province, "MEE provincial"), ("East China Grid", "MEE East China grid")):
            v = grid[(grid.region == region) & (grid.year == y)].value
            if len(v):
                factors[f"{label} {y}"] = float(v.iloc[0])
    return ImportedElectricity(province, year, table, pd.Series(factors, name="kg CO2/kWh"), res)


def region_shares(result: TraceResult, groups: dict[str, list[str]]) -> pd.DataFrame:
    """Share of each group's power-sector emissions consumed in each group (rows sum to one).

    Emissions consumed outside every group (exports, Hong Kong) stay with the generating group.
    """
    to_group = {p: r for r, ps in groups.items() for p in ps}
    A = result.attribution
    g_rows = A.index.map(lambda p: to_group.get(p))
    g_cols = A.columns.map(lambda p: to_group.get(p))
    names = list(groups)
    M = pd.DataFrame(0.0, index=names, columns=names)
    for i, r in enumerate(g_rows):
        if r is None:
            continue
        row = A.iloc[i].to_numpy()
        for j, d in enumerate(g_cols):
            M.loc[r, d if d is not None else r] += row[j]
    totals = M.sum(axis=1)
    return M.div(totals.where(totals > 0, np.nan), axis=0).fillna(0.0)
