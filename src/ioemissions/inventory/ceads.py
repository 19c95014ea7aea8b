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


@cache
def _co2_keys() -> tuple[np.ndarray, np.ndarray, frozenset, frozenset]:
    """Province and year columns as plain numpy arrays, and their distinct values (computed once).

    Comparing pyarrow-backed strings element by element (``set(df.province)``, ``df.province == p``)
    dominated the YRD build; one conversion to numpy object/int arrays makes every later filter a
    vectorised comparison.
    """
    df = _co2_all()
    prov = df["province"].to_numpy(dtype=object)
    years = df["year"].to_numpy(dtype=np.int64)
    return prov, years, frozenset(pd.unique(prov)), frozenset(pd.unique(years).tolist())


def ceads_co2(province: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Tidy CEADs scope-1 CO2 (province, year, sector, fuel, value, unit='Mt CO2').

    ``province="China"`` is the national inventory (1997–2019); provinces cover 2012–2019.

    >>> round(float(ceads_co2("Shanghai", 2017)["value"].sum()), 2)
    196.15
    """
    df = _co2_all()
    prov, years, known_prov, known_years = _co2_keys()
    mask = np.ones(len(df), dtype=bool)
    if province is not None:
        if province not in known_prov:
            raise LabelError(f"no CEADs inventory for {province!r}; known: {fmt(sorted(known_prov), 40)}")
        mask &= prov == province
    if year is not None:
        if year not in known_years or not (mask & (years == year)).any():
            sel = years[mask]
            raise LabelError(
                f"no CEADs inventory for {province or 'any province'} in {year}; years {sel.min()}-{sel.max()}"
            )
        mask &= years == year
    out = df.iloc[np.flatnonzero(mask)].reset_index(drop=True) if not mask.all() else df.reset_index(drop=True)
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


@cache
def _concordance_maps() -> tuple[tuple[int, frozenset, dict[str, tuple[str, ...]]], ...]:
    """Per sector list (newest first): its IO sectors and ``{ceads_sector: (io_sector, ...)}``, built once."""
    df = concordance(None)
    lists = df["io_list"].to_numpy()
    ceads_s = df["ceads_sector"].to_numpy(dtype=object)
    io_s = df["io_sector"].to_numpy(dtype=object)
    out = []
    for lst in sorted(pd.unique(lists).tolist(), reverse=True):
        sel = np.flatnonzero(lists == lst)
        mapping: dict[str, list[str]] = {}
        for i in sel:
            mapping.setdefault(ceads_s[i], []).append(io_s[i])
        out.append((lst, frozenset(io_s[sel]), {k: tuple(v) for k, v in mapping.items()}))
    return tuple(out)


def satellite_from_inventory(co2: pd.DataFrame, model, *, region, by_fuel: bool = False) -> dict:
    """Map a tidy CEADs-sector inventory (columns sector, fuel, value in Mt) onto ``region`` of ``model``.

    The worker behind :func:`ceads_satellite`; also used for derived inventories (RestOfChina =
    national minus provinces). The mapping is done on numpy arrays by node position, with the
    labelled F and F_Y formed once at the end.
    """
    if region not in set(model.regions):
        raise LabelError(f"unknown region {region!r}; the model has {fmt(model.regions)}")
    nodes = model.nodes
    node_regions = nodes.get_level_values(0).to_numpy(dtype=object)
    node_sectors_arr = nodes.get_level_values(1).to_numpy(dtype=object)
    in_region = np.flatnonzero(node_regions == region)
    pos = {node_sectors_arr[i]: i for i in in_region}  # sector -> node position within region
    conc = None
    maps = _concordance_maps()
    for _lst, io_sectors, mapping in maps:
        if io_sectors <= pos.keys():
            conc = mapping
            break
    if conc is None:
        missing = sorted(next(s for lst, s, _ in maps if lst == 2017) - pos.keys())
        raise LabelError(
            f"the model's sectors of {region!r} are not an NBS 42-sector list (2017 or 2012) the concordance maps "
            f"to; e.g. missing {fmt(missing)}"
        )
    sectors = co2["sector"].to_numpy(dtype=object)
    values = co2["value"].to_numpy(dtype=np.float64)
    unknown = sorted(set(pd.unique(sectors)) - conc.keys() - set(HOUSEHOLDS))
    if unknown:
        raise LabelError(f"CEADs sectors without a concordance row: {fmt(unknown)}")
    if by_fuel:
        fuels = co2["fuel"].to_numpy(dtype=object)
        rows = list(pd.unique(fuels))
        row_codes = pd.Index(rows).get_indexer(fuels)
    else:
        rows = ["CO2"]
        row_codes = np.zeros(len(sectors), dtype=np.intp)
    ycols = model._ycols
    hh = _household_columns(model, region)
    hh_pos = {k: ycols.get_loc(c) for k, c in hh.items()}
    x = model._x
    F = np.zeros((len(rows), len(nodes)))
    F_Y = np.zeros((len(rows), len(ycols)))
    # one weight vector per CEADs sector: the node shares of its emissions (output shares for splits)
    for sector in pd.unique(sectors):
        sel = np.flatnonzero(sectors == sector)
        by_row = np.bincount(row_codes[sel], weights=values[sel], minlength=len(rows))
        if sector in HOUSEHOLDS:
            F_Y[:, hh_pos[sector]] += by_row
            continue
        cols = np.array([pos[s] for s in conc[sector]], dtype=np.intp)
        if len(cols) == 1:
            F[:, cols[0]] += by_row
            continue
        w = x[cols]
        if w.sum() <= 0:
            labels = [(region, s) for s in conc[sector]]
            raise LabelError(f"cannot split CEADs sector {sector!r}: its IO sectors {fmt(labels)} have no output")
        F[:, cols] += by_row[:, None] * (w / w.sum())[None, :]
    total = float(values.sum())
    got = float(F.sum() + F_Y.sum())
    if not np.isclose(got, total, rtol=1e-12, atol=0):  # pragma: no cover - a bug guard
        raise AssertionError(f"satellite lost CO2: {got} vs {total}")
    index = pd.Index(rows, name="stressor")
    return {
        "F": pd.DataFrame(F, index=index, columns=nodes),
        "F_Y": pd.DataFrame(F_Y, index=index.copy(), columns=ycols),
        "units": dict.fromkeys(rows, "Mt"),
    }
