r"""CEADs CO2 inventories and their mapping onto the 42 IO sectors (the satellite account).

CEADs (Shan et al. 2016, 2018, 2020; Guan et al. 2021) report scope-1 CO2 by 45 production sectors,
plus direct emissions of urban and rural households, for 30 provinces and China. The IO tables
use the NBS 42-sector list. :func:`ceads_satellite` maps one province-year onto an IO model:

* a CEADs sector mapped to one IO sector moves there whole;
* a CEADs sector mapped to several IO sectors (rule ``output_share``) is split in proportion to
  the target sectors' gross output in the model, :math:`F_{j} = E_c\,x_j / \sum_{j' \in c} x_{j'}`;
* Urban and Rural emissions are final demand: they go to F_Y, to the urban/rural household
  columns where the model has them, else to the region's consumption column.

The total is conserved exactly: Σ F + Σ F_Y equals the CEADs total (tested).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from ..errors import LabelError
from ..errors import _fmt_labels as fmt

__all__ = ["ceads_co2", "ceads_satellite", "ceads_totals", "concordance", "satellite_from_inventory"]

HOUSEHOLDS = ("Urban", "Rural")


@cache
def _co2_all() -> pd.DataFrame:
    from ..tables import load

    prov = load("ceads-co2-provinces")
    nat = load("ceads-co2-national")
    return pd.concat([prov, nat], ignore_index=True)


def ceads_co2(province: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Tidy CEADs scope-1 CO2 (province, year, sector, fuel, value, unit='Mt CO2').

    ``province="China"`` is the national inventory (1997–2019); provinces cover 2012–2019.

    >>> round(ceads_co2("Shanghai", 2017)["value"].sum(), 2)
    196.15
    """
    df = _co2_all()
    if province is not None:
        if province not in set(df.province):
            raise LabelError(f"no CEADs inventory for {province!r}; known: {fmt(sorted(set(df.province)), 40)}")
        df = df[df.province == province]
    if year is not None:
        if year not in set(df.year):
            raise LabelError(
                f"no CEADs inventory for {province or 'any province'} in {year}; years {min(df.year)}-{max(df.year)}"
            )
        df = df[df.year == year]
    out = df.reset_index(drop=True)
    out.attrs = {"unit": "Mt CO2"}
    return out


def ceads_totals() -> pd.DataFrame:
    """Each CEADs sheet's own published Scope 1 total (province, year, scope1_total_mt)."""
    from ..tables import _read_csv

    return pd.concat(
        [_read_csv("ceads-co2-provinces", "source_totals.csv"), _read_csv("ceads-co2-national", "source_totals.csv")],
        ignore_index=True,
    )


def concordance(io_list: int | None = 2017) -> pd.DataFrame:
    """The CEADs 45 → IO 42 concordance (io_list, ceads_sector, io_code, io_sector, rule, note).

    ``io_list`` picks the NBS 42-sector list: 2017 (tables of 2017, 2018, 2020) or 2012 (2012, 2015);
    ``None`` returns both.
    """
    from ..tables import load

    df = load("ceads-io42-concordance")
    if io_list is None:
        return df
    if io_list not in set(df.io_list):
        raise LabelError(f"no concordance for the {io_list} sector list; lists: {sorted(set(df.io_list))}")
    return df[df.io_list == io_list].reset_index(drop=True)


def _household_columns(model, region) -> dict[str, tuple]:
    cols = [c for c in model.Y.columns if c[0] == region]
    cats = {c[1]: c for c in cols}
    if "urban households" in cats and "rural households" in cats:
        return {"Urban": cats["urban households"], "Rural": cats["rural households"]}
    for fallback in ("consumption", "households", "total"):
        if fallback in cats:
            return {"Urban": cats[fallback], "Rural": cats[fallback]}
    raise LabelError(f"region {region!r} has no household or consumption final-demand column (has {fmt(cols)})")


def ceads_satellite(province: str, year: int, model, *, region=None, by_fuel: bool = False) -> dict:
    """Map the CEADs inventory of ``province`` in ``year`` onto ``model``'s sectors of ``region``.

    Returns ``{"F": ..., "F_Y": ..., "units": ...}`` for :meth:`MRIO.with_stressors`: F has one row
    ``"CO2"`` (or one row per fuel with ``by_fuel=True``) over all nodes (zero outside ``region``),
    F_Y the household emissions, in Mt CO2. ``region`` defaults to ``province`` if the model has it,
    else to the model's only region.

    Raises :class:`LabelError` if the model's sectors are not the NBS 2017 42-sector list, or if a
    split has no output to split by.
    """
    if region is None:
        region = province if province in set(model.regions) else (model.regions[0] if len(model.regions) == 1 else None)
        if region is None:
            raise LabelError(f"give region=: {province!r} is not a region of the model ({fmt(model.regions)})")
    return satellite_from_inventory(ceads_co2(province, year), model, region=region, by_fuel=by_fuel)


def satellite_from_inventory(co2: pd.DataFrame, model, *, region, by_fuel: bool = False) -> dict:
    """Map a tidy CEADs-sector inventory (columns sector, fuel, value in Mt) onto ``region`` of ``model``.

    The worker behind :func:`ceads_satellite`; also used for derived inventories (RestOfChina =
    national minus provinces).
    """
    if region not in set(model.regions):
        raise LabelError(f"unknown region {region!r}; the model has {fmt(model.regions)}")
    node_sectors = {s for r, s in model.nodes if r == region}
    conc = None
    all_lists = concordance(None)
    for lst in sorted(set(all_lists.io_list), reverse=True):
        candidate = all_lists[all_lists.io_list == lst]
        if set(candidate.io_sector) <= node_sectors:
            conc = candidate
            break
    if conc is None:
        missing = sorted(set(all_lists[all_lists.io_list == 2017].io_sector) - node_sectors)
        raise LabelError(
            f"the model's sectors of {region!r} are not an NBS 42-sector list (2017 or 2012) the concordance maps "
            f"to; e.g. missing {fmt(missing)}"
        )
    x = model.x
    rows = ["CO2"] if not by_fuel else list(dict.fromkeys(co2.fuel))
    F = pd.DataFrame(0.0, index=pd.Index(rows, name="stressor"), columns=model.nodes)
    F_Y = pd.DataFrame(0.0, index=F.index, columns=model.Y.columns)
    if by_fuel:
        by = co2.groupby(["sector", "fuel"], sort=False)["value"].sum()
    else:
        by = co2.assign(stressor="CO2").groupby(["sector", "stressor"], sort=False)["value"].sum()
    known = set(conc.ceads_sector) | set(HOUSEHOLDS)
    unknown = sorted(set(co2.sector) - known)
    if unknown:
        raise LabelError(f"CEADs sectors without a concordance row: {fmt(unknown)}")
    hh = _household_columns(model, region)
    for (sector, row), value in by.items():
        if sector in HOUSEHOLDS:
            F_Y.loc[row, hh[sector]] += value
            continue
        targets = conc[conc.ceads_sector == sector]
        cols = [(region, s) for s in targets.io_sector]
        if len(cols) == 1:
            F.loc[row, cols[0]] += value
            continue
        w = x[cols].to_numpy()
        if w.sum() <= 0:
            raise LabelError(f"cannot split CEADs sector {sector!r}: its IO sectors {fmt(cols)} have no output")
        for c, share in zip(cols, w / w.sum(), strict=True):
            F.loc[row, c] += value * share
    total = float(co2.value.sum())
    got = float(F.to_numpy().sum() + F_Y.to_numpy().sum())
    if not np.isclose(got, total, rtol=1e-12, atol=0):  # pragma: no cover - a bug guard
        raise AssertionError(f"satellite lost CO2: {got} vs {total}")
    return {"F": F, "F_Y": F_Y, "units": dict.fromkeys(rows, "Mt")}
