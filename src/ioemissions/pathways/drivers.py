r"""Drivers of final demand: each model region's real GDP and population by year.

Observed values (NBS, real GDP at 2017 prices) up to the last historical year of ``ssp-provinces``
(``history.csv``), then the chosen SSP's growth chained onto the last observed year:

.. math::

    GDP_r(t) = GDP_r(t_h) \cdot \frac{GDP^{SSP}_r(t)}{GDP^{SSP}_r(t_h)}, \qquad t > t_h

so only the SSP's growth rates are used and the price basis of the projection (its own constant
prices) does not matter. A model region that groups provinces (RestOfChina) is their sum
(:data:`ioemissions.regional.YRD_GROUPS`); ``"China"`` (the sum of all provinces) drives exports
abroad. The table returned has index ``year`` and columns ``(variable, region)`` with variables
``gdp`` (10^8 CNY, 2017 prices) and ``population`` (10^4 persons).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ..errors import LabelError, ScenarioError
from ..errors import _fmt_labels as fmt

__all__ = ["CHINA", "driver_table", "drivers_from_frames"]

CHINA = "China"


def _groups(regions) -> dict[str, list[str]]:
    from ..regional.yrd import PROVINCES_31, YRD_GROUPS

    out = {}
    for r in regions:
        if r in YRD_GROUPS:
            out[r] = YRD_GROUPS[r]
        elif r in PROVINCES_31:
            out[r] = [r]
        else:
            raise LabelError(f"no driver data for region {r!r}: not a province or a YRD model region")
    out[CHINA] = list(PROVINCES_31)
    return out


def drivers_from_frames(
    history: pd.DataFrame, projection: pd.DataFrame | None, regions, ssp: str, end: int
) -> pd.DataFrame:
    """Build the driver table from ``history.csv`` and ``projection.csv`` frames (see the module docstring)."""
    groups = _groups(regions)
    cols = {}
    for var_out, var_h, var_p in (("gdp", "gdp_real", "gdp"), ("population", "population", "population")):
        h = history.pivot(index="year", columns="province", values=var_h)
        p = None
        if projection is not None:
            proj = projection[projection["ssp"] == ssp]
            if proj.empty:
                raise ScenarioError(f"ssp: no projection for {ssp!r} in ssp-provinces")
            p = proj.pivot(index="year", columns="province", values=var_p)
        for region, provs in groups.items():
            missing = [x for x in provs if x not in h.columns]
            if missing:
                raise LabelError(f"ssp-provinces history has no {var_h} for {fmt(missing)} (region {region!r})")
            # observed years: every province of the group has a value (history gdp_real ends in 2020)
            series = h[provs].sum(axis=1, min_count=len(provs)).dropna()
            last = int(series.index.max())
            if p is not None and end > last:
                miss_p = [x for x in provs if x not in p.columns]
                if miss_p:
                    raise LabelError(f"ssp-provinces projection ({ssp}) has no {var_p} for {fmt(miss_p)}")
                ps = p[provs].sum(axis=1)
                if last not in ps.index or end > ps.index.max():
                    raise ScenarioError(
                        f"end: the {ssp} projection covers {ps.index.min()}–{ps.index.max()}, "
                        f"not the years {last}–{end} needed"
                    )
                future = series.loc[last] * ps.loc[last + 1 : end] / ps.loc[last]
                series = pd.concat([series, future])
            cols[(var_out, region)] = series.loc[:end] if end >= series.index.min() else series
    out = pd.DataFrame(cols).sort_index()
    out.index.name = "year"
    out.columns = pd.MultiIndex.from_tuples(out.columns, names=["variable", "region"])
    return out


def driver_table(regions, ssp: str, end: int) -> pd.DataFrame:
    """The driver table for ``regions`` from the shipped ``ssp-provinces`` dataset (cached; treat as read-only).

    The same object is returned for the same arguments, so that what is derived from it (the fitted
    intensity trends) is computed once per process.
    """
    return _driver_table(tuple(regions), ssp, int(end))


@lru_cache(maxsize=32)
def _driver_table(regions: tuple, ssp: str, end: int) -> pd.DataFrame:
    from ..tables import load

    data = load("ssp-provinces")
    return drivers_from_frames(data["history"], data["projection"], list(regions), ssp, end)
