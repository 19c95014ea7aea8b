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

Years with all three: 2012–2017. For 2018 and 2019 (flows and CO2 exist, generation does not) each
province's generation can be interpolated linearly between the 2017 and 2021 yearbooks, a flagged
estimate. Hong Kong and "Export" are sinks (no generation).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import LabelError, OptionError, check_option
from .tracing import TraceResult, trace

__all__ = ["ImportedElectricity", "available_years", "imported_emissions", "provincial_network"]

POWER_SECTOR = "Production and Supply of Electric Power, Steam and Hot Water"
SINKS = ("Hong Kong", "Export")


def _load(name):
    from ..tables import load

    return load(name)


def _power_co2() -> pd.DataFrame:
    """CEADs power-sector CO2 of the provinces (from the cached inventory), all years."""
    from ..inventory.ceads import ceads_co2

    co2 = ceads_co2()
    return co2[(co2.province != "China") & (co2.sector == POWER_SECTOR)]


def available_years() -> list[int]:
    """Years for which flows, generation and CEADs power-sector CO2 all exist (2018-2019 need interpolation)."""
    flows = set(_load("gcam-electricity-flows").year)
    gen = set(_load("gcam-electricity-generation").year)
    return sorted(flows & gen & set(_power_co2().year))


def _generation_by_year() -> pd.DataFrame:
    """Generation (GWh), years × provinces, from the yearbook table."""
    return _load("gcam-electricity-generation").groupby(["year", "province"]).value.sum().unstack() * 100.0


def _generation(year: int, interpolate: bool, totals: pd.DataFrame) -> pd.Series:
    """Generation by province (GWh); linear interpolation between the nearest yearbook years if asked."""
    if year in totals.index:
        return totals.loc[year].dropna()
    if not interpolate:
        raise LabelError(
            f"no provincial generation data for {year} are shipped; pass generation='interpolate' "
            f"to interpolate between yearbook years {sorted(totals.index)[-2:]}"
        )
    lower = max((y for y in totals.index if y < year), default=None)
    upper = min((y for y in totals.index if y > year), default=None)
    if lower is None or upper is None:
        raise LabelError(f"cannot interpolate generation for {year}: no data on both sides")
    w = (year - lower) / (upper - lower)
    return ((1 - w) * totals.loc[lower] + w * totals.loc[upper]).dropna()


def provincial_network(year: int, *, generation: str = "data") -> dict:
    """``{"generation": GWh, "emissions": Mt CO2, "flows": GWh (from × to)}`` for ``year``.

    ``generation="interpolate"`` allows years without generation data (2018, 2019): each province's
    generation is interpolated linearly between the nearest yearbook years (2017 and 2021) — an
    estimate, flagged in the result (``"generation_estimated": True``). Flows and CO2 stay data.
    """
    if isinstance(year, bool) or not isinstance(year, int | np.integer):
        raise OptionError(f"year must be an integer such as 2017, not {type(year).__name__} {year!r}")
    check_option(generation, ("data", "interpolate"), what="generation")
    flows_all = _load("gcam-electricity-flows")
    flows_years = set(flows_all.year)
    power = _power_co2()
    ceads_years = set(power.year)
    if year in (2020, 2021):
        raise LabelError(
            f"no interprovincial electricity flows for {year} (the source's 2020-2021 flows are copies "
            "of 2019, not data, and are not shipped)"
        )
    if year not in flows_years or year not in ceads_years:
        raise LabelError(
            f"no interprovincial electricity data for {year}; flows and CEADs CO2 both exist for "
            f"{sorted(flows_years & ceads_years)}"
        )
    totals = _generation_by_year()
    estimated = year not in set(totals.index)
    if estimated and generation != "interpolate":
        raise LabelError(
            f"no provincial generation data for {year} are shipped (yearbook years end in 2017, then "
            "2021); pass generation='interpolate' for a linear estimate between them"
        )
    gen = _generation(year, generation == "interpolate", totals)
    flows = flows_all.query("year == @year")
    flows = flows[~flows.origin.isin(SINKS)]  # sinks do not generate
    nodes = sorted(set(gen.index) | set(flows.origin) | set(flows.destination))
    F = flows.pivot_table(index="origin", columns="destination", values="value", aggfunc="sum", fill_value=0.0)
    F = F.reindex(index=nodes, columns=nodes, fill_value=0.0)
    em = power[power.year == year].groupby("province").value.sum().reindex(nodes, fill_value=0.0)
    return {
        "generation": gen.reindex(nodes, fill_value=0.0),
        "emissions": em,
        "flows": F,
        "generation_estimated": estimated,
    }


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


def imported_emissions(
    province: str = "Shanghai", year: int = 2017, *, method: str = "network", generation: str = "auto"
) -> ImportedElectricity:
    """Electricity consumed in ``province`` and its CO2, by province of generation (after tracing).

    ``table``: TWh and Mt CO2 by origin (the province itself included) and their intensity;
    ``factors``: the province's consumption-based factor (traced), its production-based factor
    (power-sector CO2 / generation), the direct-imports-only factor, and the MEE/NBS provincial and
    East China grid factors of 2021–2023 where they exist (kg CO2/kWh).

    ``generation="auto"`` uses yearbook generation where it exists and otherwise (2018, 2019) the
    linear interpolation of :func:`provincial_network`, flagged in ``factors.attrs`` and the table.
    """
    from ..errors import MissingDataWarning
    from ..tables.place_names import province_name

    province = province_name(province)
    if generation == "auto":
        generation = "data" if year in set(_generation_by_year().index) else "interpolate"
    net = provincial_network(year, generation=generation)
    if province not in net["generation"].index:
        raise LabelError(f"no electricity data for province {province!r}")
    gen, em = net["generation"], net["emissions"]
    no_data = [p for p in gen.index if gen[p] > 0 and em[p] == 0]
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
    factors = pd.Series(factors, name="kg CO2/kWh")
    factors.attrs["generation_estimated"] = net["generation_estimated"]
    used = [p for p in no_data if p in table.index]
    factors.attrs["no_emissions_data"] = used
    if used:
        warnings.warn(
            f"{', '.join(used)}: no CEADs CO2 inventory for {year}; electricity generated there is counted at "
            f"0 kg CO2/kWh in the {province} result",
            MissingDataWarning,
            stacklevel=2,
        )
    table.attrs["generation_estimated"] = net["generation_estimated"]
    return ImportedElectricity(province, year, table, factors, res)


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
