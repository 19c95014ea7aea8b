r"""Intensity trends calibrated on the CEADs provincial inventories.

For each model region r and sector group g (power, industry, construction, transport, other
sectors; households), the annual log-rate of change of CO2 per unit of real GDP (households: per
person) is the least-squares slope over the fitted years:

.. math::

    \ln\frac{E_{rg}(t)}{GDP_r(t)} = a_{rg} + g_{rg}\, t + \varepsilon

and every node (r, i) with i in group g gets :math:`g_{rg}` (:func:`fit_rates`). Emissions per unit
of *GDP* stand in for emissions per unit of each sector's *output*: sector output by province and
year at constant prices is not available, so the trend mixes efficiency and the sector's change in
share of GDP — a simplification stated in the methods page. RestOfChina is the national CEADs
inventory minus the four YRD provinces (as in :func:`ioemissions.regional.yrd.regional_satellite`).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import ScenarioError

__all__ = ["GROUP_OF_IO_CODE", "fit_rates", "group_of_sector", "node_rates", "region_group_emissions"]

HOUSEHOLDS = ("Urban", "Rural")


def _group_of_code(code: str) -> str:
    k = int(code)
    if k == 24:
        return "power"
    if 2 <= k <= 26:
        return "industry"
    if k == 27:
        return "construction"
    if k == 29:
        return "transport"
    return "other"


#: IO-42 sector code (2017 list) -> sector group
GROUP_OF_IO_CODE = {f"{k:02d}": _group_of_code(f"{k:02d}") for k in range(1, 43)}


def group_of_sector(sectors) -> list[str]:
    """Sector group of each 42-sector name (2017 NBS list, or the 2012 list mapped to 2017 codes)."""
    return list(_group_of_sector(tuple(sectors)))


@lru_cache(maxsize=8)
def _group_of_sector(sectors: tuple) -> tuple:
    from ..regional.yrd import _CODES_2012_TO_2017
    from ..tables.nbs import sectors as nbs_sectors

    s17 = nbs_sectors("china-io-2017")
    code = dict(zip(s17["sector"], s17["code"], strict=True))
    s12 = nbs_sectors("china-io-2012-42")
    for name, c in zip(s12["sector"], s12["code"], strict=True):
        code.setdefault(name, _CODES_2012_TO_2017[c].split("+")[0])
    out = []
    for s in sectors:
        if s not in code:
            raise ScenarioError(f"intensity-trend: sector {s!r} is not in the NBS 42-sector lists (2012, 2017)")
        out.append(GROUP_OF_IO_CODE[code[s]])
    return tuple(out)


def region_group_emissions(regions, years) -> pd.DataFrame:
    """CEADs CO2 (Mt) by (region, group) and year; RestOfChina = China minus the four YRD provinces."""
    return _region_group_emissions(tuple(regions), tuple(years)).copy()


@lru_cache(maxsize=16)
def _region_group_emissions(regions: tuple, years: tuple) -> pd.DataFrame:
    from ..regional.yrd import YRD
    from ..tables import load

    prov = load("ceads-co2-provinces")
    nat = load("ceads-co2-national")
    conc = load("ceads-io42-concordance")
    conc = conc[conc["io_list"] == 2017]
    sec_group = {
        s: GROUP_OF_IO_CODE[str(c).zfill(2)] for s, c in zip(conc["ceads_sector"], conc["io_code"], strict=False)
    }
    sec_group.update({h: "households" for h in HOUSEHOLDS})

    def grouped(df):
        df = df[df["year"].isin(years)]
        g = df["sector"].map(sec_group)
        if g.isna().any():
            raise ScenarioError(f"CEADs sectors without a group: {sorted(df.loc[g.isna(), 'sector'].unique())}")
        return df.assign(group=g).groupby(["province", "group", "year"])["value"].sum()

    p = grouped(prov).unstack("year")
    n = grouped(nat).unstack("year")
    rows = {}
    for r in regions:
        if r == "RestOfChina":
            sub = n.loc["China"] - sum(p.loc[y] for y in YRD)
        else:
            if r not in p.index.get_level_values(0):
                raise ScenarioError(f"intensity-trend: no CEADs inventory for region {r!r}")
            sub = p.loc[r]
        for g, row in sub.iterrows():
            rows[(r, g)] = row
    out = pd.DataFrame(rows).T
    missing = sorted(set(years) - set(out.columns))
    if missing:
        raise ScenarioError(f"intensity-trend.fit: CEADs has no inventory for the years {missing}")
    return out[sorted(years)]


def fit_rates(emissions: pd.DataFrame, drivers: pd.DataFrame) -> pd.Series:
    """OLS slope of ln(E/GDP) (households: ln(E/population)) on the year, by (region, group)."""
    years = np.array(emissions.columns, dtype=float)
    missing = [y for y in emissions.columns if y not in drivers.index]
    if missing:
        raise ScenarioError(f"intensity-trend.fit: no GDP/population for the years {missing}")
    out = {}
    for (r, g), e in emissions.iterrows():
        denom = drivers.loc[list(emissions.columns), ("population" if g == "households" else "gdp", r)].to_numpy()
        e = e.to_numpy(dtype=float)
        ok = e > 0
        if ok.sum() < 3:
            out[(r, g)] = 0.0  # too few positive years (e.g. a sector with no emissions): no trend
            continue
        out[(r, g)] = float(np.polyfit(years[ok], np.log(e[ok] / denom[ok]), 1)[0])
    s = pd.Series(out)
    s.index = pd.MultiIndex.from_tuples(s.index, names=["region", "group"])
    return s


def node_rates(state, y0: int, y1: int) -> tuple[np.ndarray, np.ndarray]:
    """Rates by node (n) and by final-demand column (m, households' direct emissions) for ``state``."""
    drivers = state.info.get("drivers")
    if drivers is None:
        raise ScenarioError("intensity-trend: the engine did not pass the driver table (state.info['drivers'])")
    years = list(range(y0, y1 + 1))
    rates = fit_rates(region_group_emissions(state.regions, years), drivers)
    groups = group_of_sector(state.sectors)
    g_node = np.array([rates.get((r, g), 0.0) for r in state.regions for g in groups])
    g_col = np.array([rates.get((r, "households"), 0.0) if r in state.regions else 0.0 for r, _ in state.ycols])
    state.info.setdefault("calibrated_rates", {}).update({f"{r}/{g}": v for (r, g), v in rates.items()})
    return g_node, g_col
