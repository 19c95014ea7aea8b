r"""Production-based, consumption-based and trade accounts of an EE-MRIO.

With n nodes (region r, sector i), destinations d (modelled regions and external demand such as
exports abroad), and s_k the intensities of stressor k:

.. math::

    X = L\,Y^{dest} \quad (n\times D), \qquad E_{i d} = s_{k i} X_{i d}

E is the emission at node i caused by final demand of destination d. Grouping rows by the
node's region gives the bilateral matrix :math:`T_{o d}` (Peters 2008; Miller & Blair §10.7).
Emissions abroad (imports from outside the model, a non-competitive block A_m, Y_m with import
multipliers m) are one more origin row:

.. math::

    T_{\text{Abroad}, d} = m^\top (A_m X_{\cdot d} + Y_{m, \cdot d})

For a modelled region r, with F_Y the direct emissions of its final demand:

* production  = Σ_{i∈r} f_ki + F_Y,r
* consumption = Σ_o T_{o r} + F_Y,r
* exports     = Σ_{d≠r} T_{r d},    imports = Σ_{o≠r} T_{o r},    balance = exports − imports

so consumption = production − exports + imports holds exactly when x = L Y e.

Only D right-hand sides are solved (one per destination), never the full L.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import LabelError, NonFiniteError, NonProductiveError, OptionError, UnbalancedTableError
from ..errors import _fmt_labels as fmt
from .iomath import group_sum
from .mrio import ABROAD

if TYPE_CHECKING:  # pragma: no cover
    from .mrio import MRIO

__all__ = [
    "dta_import_multipliers",
    "embodied_trade",
    "footprint",
    "multipliers",
    "region_accounts",
    "sector_accounts",
]

ACCOUNT_COLUMNS = ["production", "consumption", "exports", "imports", "balance"]


def _memo(model: MRIO, key, compute):
    """Per-model cache: the model is immutable, so a result never goes stale."""
    cache = model.__dict__.setdefault("_memo", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _codes(labels: pd.Index, categories: pd.Index) -> np.ndarray:
    return pd.Index(categories).get_indexer(labels)


def _node_region_codes(model: MRIO) -> np.ndarray:
    return _memo(model, "node_region", lambda: _codes(model.nodes.get_level_values(0), model.regions))


def _col_dest_codes(model: MRIO) -> np.ndarray:
    return _memo(model, "col_dest", lambda: _codes(model._ycols.get_level_values(0), model.destinations))


def _demand(model: MRIO, mode: str) -> tuple[np.ndarray, pd.Index, np.ndarray | None]:
    """Final demand as (matrix n × C, column labels, imported final use p × C) for ``mode``.

    ``"dest"`` sums the categories of each destination region; ``"col"`` keeps every Y column.
    """
    if mode == "col":
        return model._Y, model._ycols, model._Yimp
    D = len(model.destinations)
    codes = _col_dest_codes(model)
    Yd = group_sum(model._Y, codes, D, axis=1)
    Ym = None if model._Yimp is None else group_sum(model._Yimp, codes, D, axis=1)
    return Yd, model.destinations, Ym


def _X(model: MRIO, mode: str) -> np.ndarray:
    """Output induced by each demand column: X = L Y (solved, one RHS per column)."""

    def compute():
        X = model.solver.solve(_demand(model, mode)[0])
        X.flags.writeable = False
        return X

    return _memo(model, ("X", mode), compute)


def dta_import_multipliers(model: MRIO) -> np.ndarray:
    r"""Import multipliers under the domestic technology assumption, k × products × regions.

    For importing region r, :math:`\bar A_r` sums r's input coefficients by input product over
    every origin, including imports: :math:`\bar a_{ij} = \sum_o a_{(o,i),(r,j)} + a^m_{i,(r,j)}`.
    The multiplier of imported product p is then :math:`s_r (I - \bar A_r)^{-1}` at p — the
    competitive-import (single-region) multiplier of r. With one region this is Su & Ang's
    (2013) DTA, validation case 4.
    """
    R = len(model.regions)
    products = model._products
    k = len(model.stressors)
    out = np.zeros((k, len(products), R))
    node_sector = model.nodes.get_level_values(1)
    node_region = _node_region_codes(model)
    for r, region in enumerate(model.regions):
        cols = np.flatnonzero(node_region == r)
        sectors_r = pd.Index(node_sector[cols])
        row_codes = sectors_r.get_indexer(node_sector)
        if (row_codes < 0).any():
            missing = pd.Index(node_sector[row_codes < 0]).unique()
            raise LabelError(f"DTA for {region!r}: input sectors {fmt(missing)} are not sectors of {region!r}")
        prod_codes = sectors_r.get_indexer(products)
        if (prod_codes < 0).any():
            bad = products[prod_codes < 0]
            raise LabelError(f"DTA for {region!r}: imported products {fmt(bad)} are not its sectors")
        s = len(sectors_r)
        Abar = group_sum(model._A[:, cols], row_codes, s, axis=0)
        Abar += group_sum(model._Aimp[:, cols], prod_codes, s, axis=0)
        _check_dta_productive(Abar, region, sectors_r)
        Sr = model._S[:, cols]  # k × s
        Mr = np.linalg.solve((np.eye(s) - Abar).T, Sr.T).T  # s_r (I - Abar)^-1
        out[:, :, r] = Mr[:, prod_codes]
    return out


def _check_dta_productive(Abar: np.ndarray, region, sectors) -> None:
    r"""Raise :class:`NonProductiveError` unless the DTA system :math:`\bar A_r` is productive.

    Domestic plus imported coefficients of a column can exceed 1 although A alone is productive;
    :math:`(I - \bar A_r)^{-1}` then has negative entries and the imports would carry negative
    emissions. The test is the same as for A (column sums below 1, else the spectral radius).
    """
    from .solver import check_productive

    try:
        check_productive(Abar, [(region, s) for s in sectors])
    except NonProductiveError as exc:
        raise NonProductiveError(
            f"the domestic technology assumption for {region!r} is not productive: domestic + imported input "
            f"coefficients A + A_imp are too large ({exc}); check Z_imp against gross output, or supply M_imp"
        ) from None


def _import_intensity(model: MRIO, kpos: int, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Multiplier of each imported product for each using node (p × n) and demand column (p × C)."""
    if isinstance(model._Mimp, str):  # DTA: depends on the using region
        m = model._Mimp_dta[kpos]  # p × R
        node_r = _node_region_codes(model)
        by_node = m[:, node_r]
        if mode == "dest":
            dest_r = np.arange(len(model.destinations))
        else:
            dest_r = _col_dest_codes(model)
        R = len(model.regions)
        ext = dest_r >= R
        if ext.any():
            if R != 1:
                Yimp = _demand(model, mode)[2]
                if np.abs(Yimp[:, ext]).sum() > 0:
                    raise LabelError(
                        "DTA cannot choose a technology for imports re-exported to non-modelled regions "
                        "in a multi-region model; supply M_imp explicitly"
                    )
            dest_r = np.where(ext, 0, dest_r)
        by_col = m[:, dest_r]
        return by_node, by_col
    m = model._Mimp[kpos]
    C = len(_demand(model, mode)[1])
    return np.repeat(m[:, None], len(model.nodes), axis=1), np.repeat(m[:, None], C, axis=1)


def _emissions(model: MRIO, stressor, mode: str) -> tuple[np.ndarray, np.ndarray | None, pd.Index]:
    """Emissions by node (n × C) and abroad by imported product (p × C) caused by each demand column."""
    k = model._stressor_pos(stressor)

    def compute():
        X = _X(model, mode)
        with np.errstate(over="ignore", invalid="ignore"):
            E = model._S[k][:, None] * X
        Eabroad = None
        if model._has_imports:
            Ym = _demand(model, mode)[2]
            by_node, by_col = _import_intensity(model, k, mode)
            with np.errstate(over="ignore", invalid="ignore"):
                Eabroad = (by_node * model._Aimp) @ X + by_col * Ym
        for what, arr in (("emissions", E), ("emissions abroad", Eabroad)):
            if arr is not None and not np.isfinite(arr).all():
                raise NonFiniteError(
                    f"{what} of {model._stressor_label(stressor)!r} overflow float64: the inputs are too large; "
                    "rescale the units"
                )
        return E, Eabroad

    E, Eabroad = _memo(model, ("E", k, mode), compute)
    return E, Eabroad, _demand(model, mode)[1]


def _trade_matrix(model: MRIO, stressor, mode: str = "dest") -> pd.DataFrame:
    E, Eabroad, cols = _emissions(model, stressor, mode)
    T = group_sum(E, _node_region_codes(model), len(model.regions), axis=0)
    index = list(model.regions)
    if Eabroad is not None:
        T = np.vstack([T, Eabroad.sum(axis=0, keepdims=True)])
        index.append(ABROAD)
    return pd.DataFrame(T, index=pd.Index(index, name="origin"), columns=cols)


def _with_unit(df, model: MRIO, stressor):
    df.attrs["unit"] = model.stressor_unit(stressor)
    df.attrs["stressor"] = model._stressor_label(stressor)
    return df


def region_accounts(model: MRIO, stressor) -> pd.DataFrame:
    """Accounts by modelled region; see the module docstring for the definitions."""
    k = model._stressor_pos(stressor)
    R = len(model.regions)
    T = _trade_matrix(model, stressor).to_numpy()
    own = np.diag(T[:R, :R])
    fy = group_sum(model._FY[k][None, :], _col_dest_codes(model), len(model.destinations), axis=1)[0, :R]
    with np.errstate(over="ignore", invalid="ignore"):  # checked below by _check_result_finite
        production = group_sum(model._F[k][None, :], _node_region_codes(model), R, axis=1)[0] + fy
        exports = T[:R, :].sum(axis=1) - own
        imports = T[:, :R].sum(axis=0) - own
        consumption = own + imports + fy
        balance = exports - imports
    out = pd.DataFrame(
        {
            "production": production,
            "consumption": consumption,
            "exports": exports,
            "imports": imports,
            "balance": balance,
        },
        index=pd.Index(model.regions, name="region"),
    )
    _check_result_finite(out, what=f"accounts of {model._stressor_label(stressor)!r}")
    _check_allocation(model, stressor, production - fy, T[:R, :].sum(axis=1))
    return _with_unit(out, model, stressor)


def _check_allocation(model: MRIO, stressor, direct: np.ndarray, allocated: np.ndarray) -> None:
    """Emissions of a region's industries must all be allocated to some final demand (x = L Y e).

    Mathematically exact; a gap means the arithmetic broke down (I − A nearly singular, values
    spanning more than float64 can hold), and the accounts would violate
    consumption = production − exports + imports.
    """
    F_abs = np.abs(model._F[model._stressor_pos(stressor)])
    scale = group_sum(F_abs[None, :], _node_region_codes(model), len(model.regions), axis=1)[0]
    gap = np.abs(direct - allocated)
    # 1e-9 when the model computed x itself; 10 × rtol when a published x was given (MRIO(..., x=, rtol=))
    bad = np.flatnonzero(gap > model._alloc_rtol * scale + 1e-12 * scale.sum())
    if bad.size:
        r = bad[0]
        raise UnbalancedTableError(
            f"emissions of {model._stressor_label(stressor)!r} in {fmt([model.regions[i] for i in bad])} are not all "
            f"allocated to final demand ({allocated[r]:.12g} of {direct[r]:.12g}): x differs from L Y e, the table is "
            "numerically ill-conditioned or spans more orders of magnitude than float64 holds"
        )


def _check_result_finite(df: pd.DataFrame, *, what: str) -> None:
    """A finite input must give a finite result; overflow in the arithmetic is an error, not an inf."""
    arr = df.to_numpy(dtype=float)
    if not np.isfinite(arr).all():
        r, c = np.nonzero(~np.isfinite(arr))
        cells = [(df.index[i], df.columns[j]) for i, j in zip(r[:5], c[:5], strict=True)]
        raise NonFiniteError(f"{what} overflow float64 at {fmt(cells)}: the inputs are too large; rescale the units")


def multi_accounts(model: MRIO, stressors) -> pd.DataFrame:
    """Accounts of several stressors from one factorisation: rows (stressor, region), the five columns.

    ``stressors`` is a list of labels, or ``None``/``all`` for every stressor of the model. Each
    stressor's block equals :func:`region_accounts` of that stressor; ``attrs["units"]`` maps
    stressor to unit. The factorisation of (I − A) is cached on the model, so the cost beyond the
    first stressor is one set of triangular solves.
    """
    if stressors is None or stressors is all:
        labels = list(model.stressors)
    else:
        labels = [model._stressor_label(s) for s in stressors]
    if not labels:
        raise LabelError("no stressors to account for: the model has none, or an empty list was given")
    if len(set(labels)) != len(labels):
        raise LabelError(f"stressors given twice: {fmt(pd.Index(labels)[pd.Index(labels).duplicated()])}")
    blocks = [region_accounts(model, s) for s in labels]
    out = pd.concat(blocks, keys=labels, names=["stressor", "region"])
    out.attrs["units"] = {s: model.stressor_unit(s) for s in labels}
    return out


def _parse_by(by) -> set[str]:
    if by is None:
        return set()
    parts = {by} if isinstance(by, str) else set(by)
    unknown = parts - {"sector", "category", "product"}
    if unknown:
        raise OptionError(
            f"by must be drawn from 'sector', 'category', 'product'; got {', '.join(sorted(map(repr, unknown)))}"
        )
    if {"category", "product"} <= parts:
        raise OptionError("by='category' and by='product' cannot be combined (choose one column detail)")
    if {"sector", "product"} <= parts:
        raise OptionError(
            "by=('sector', 'product') needs the full Leontief inverse; use footprint() per region or "
            "structural path analysis instead"
        )
    return parts


def embodied_trade(model: MRIO, stressor, by=None) -> pd.DataFrame:
    """Bilateral flows, origin × destination, with optional sector/category/product detail."""
    parts = _parse_by(by)
    if "product" in parts:
        return _with_unit(_trade_by_product(model, stressor), model, stressor)
    mode = "col" if "category" in parts else "dest"
    if "sector" not in parts:
        return _with_unit(_trade_matrix(model, stressor, mode), model, stressor)
    E, Eabroad, cols = _emissions(model, stressor, mode)
    rows = model.nodes
    data = E
    if Eabroad is not None:
        rows = rows.append(pd.MultiIndex.from_product([[ABROAD], model._products]))
        data = np.vstack([E, Eabroad])
    out = pd.DataFrame(data, index=rows.set_names(["origin", "sector"]), columns=cols)
    return _with_unit(out, model, stressor)


def footprint(model: MRIO, stressor, region) -> pd.Series:
    """Emissions caused by ``region``'s final demand, by origin (region, sector); F_Y excluded.

    One right-hand side: x_d = L y_d (a Krylov solve when no factorisation exists), then
    E_d = s_k ∘ x_d, plus emissions abroad m ∘ (A_m x_d) + m ∘ y_{m,d}. If all destinations were
    already solved (accounts computed), their result is reused.
    """
    if region not in set(model.destinations):
        raise LabelError(f"unknown region {region!r}; final demand exists for {fmt(model.destinations)}")
    k = model._stressor_pos(stressor)
    d = model.destinations.get_loc(region)
    cache = model.__dict__.get("_memo", {})
    if ("E", k, "dest") in cache or ("X", "dest") in cache:
        E, Eabroad, _ = _emissions(model, stressor, "dest")
        e, e_abroad = E[:, d], None if Eabroad is None else Eabroad[:, d]
    else:
        Yd, _, Ym = _demand(model, "dest")
        x_d = model.solver.solve(Yd[:, d])
        e = model._S[k] * x_d
        e_abroad = None
        if model._has_imports:
            by_node, by_col = _import_intensity(model, k, "dest")
            e_abroad = (by_node * model._Aimp) @ x_d + by_col[:, d] * Ym[:, d]
    rows = model.nodes
    if e_abroad is not None:
        rows = rows.append(pd.MultiIndex.from_product([[ABROAD], model._products]))
        e = np.concatenate([e, e_abroad])
    s = pd.Series(e, index=rows.set_names(["origin", "sector"]), name="footprint")
    s.attrs = {"unit": model.stressor_unit(stressor), "stressor": model._stressor_label(stressor), "region": region}
    return s


def multipliers(model: MRIO, stressor) -> pd.Series:
    """Multipliers of one stressor, m_k = s_k L, by node: one transposed solve (I − A)ᵀ m_kᵀ = s_kᵀ.

    Reuses the multipliers of all stressors (``model.M``) if they were computed.
    """
    k = model._stressor_pos(stressor)
    if "_M" in model.__dict__:
        m = model._M[k]
    else:
        m = _memo(model, ("m", k), lambda: model.solver.solve_transposed(model._S[k]))
    s = pd.Series(m, index=model.nodes, name=model._stressor_label(stressor))
    s.attrs = {"unit": f"{model.stressor_unit(stressor)} / {model.monetary_unit}", "stressor": s.name}
    return s


def _regional_multipliers(model: MRIO, stressor) -> np.ndarray:
    """Multipliers split by the region where the emission happens: n × (R [+1 abroad]).

    Column q is (s_k masked to region q) L; the abroad column is m_node L, with m_node the
    emissions abroad per unit of each node's output.
    """
    k = model._stressor_pos(stressor)

    def compute():
        R = len(model.regions)
        codes = _node_region_codes(model)
        B = np.zeros((len(model.nodes), R + model._has_imports))
        B[np.arange(len(codes)), codes] = model._S[k]
        if model._has_imports:
            by_node, _ = _import_intensity(model, k, "dest")
            B[:, R] = (by_node * model._Aimp).sum(axis=0)
        return model.solver.solve_transposed(B)

    return _memo(model, ("Mreg", k), compute)


def _trade_by_product(model: MRIO, stressor) -> pd.DataFrame:
    """Origin × (destination, final product): Σ_nodes of product j  M_reg[node, o] · Y[node, d]."""
    k = model._stressor_pos(stressor)
    Mreg = _regional_multipliers(model, stressor)  # n × O
    Yd, dests, Ym = _demand(model, "dest")
    sectors = model.sectors
    sec_codes = _codes(model.nodes.get_level_values(1), sectors)
    O, D, s = Mreg.shape[1], len(dests), len(sectors)
    out = np.zeros((O, D, s))
    for d in range(D):
        out[:, d, :] = group_sum(Mreg * Yd[:, d][:, None], sec_codes, s, axis=0).T
    cols = pd.MultiIndex.from_product([dests, sectors], names=["destination", "product"])
    index = list(model.regions) + ([ABROAD] if model._has_imports else [])
    df = pd.DataFrame(out.reshape(O, D * s), index=pd.Index(index, name="origin"), columns=cols)
    if model._has_imports:  # final-use imports: product p bought directly from abroad by d
        _, by_col = _import_intensity(model, k, "dest")
        direct = pd.DataFrame((by_col * Ym).T, index=dests, columns=model._products).stack()
        direct = direct[direct != 0]
        extra = direct.index.difference(df.columns)
        if len(extra):
            df = df.reindex(columns=df.columns.append(extra), fill_value=0.0)
        df.loc[ABROAD, list(direct.index)] += direct.to_numpy()
    return df


def sector_accounts(model: MRIO, stressor) -> pd.DataFrame:
    """Node-level accounts in pymrio's convention (D_pba, D_cba, D_imp, D_exp), F_Y excluded."""
    E, _, _ = _emissions(model, stressor, "dest")
    codes = _node_region_codes(model)
    production = E.sum(axis=1)
    exports = production - E[np.arange(len(codes)), codes]
    byprod = _trade_by_product(model, stressor)
    cons = byprod.sum(axis=0)  # (destination, product)
    own = pd.Series({(d, p): byprod.at[d, (d, p)] for d, p in byprod.columns if d in set(model.regions)}, dtype=float)
    cons = cons[[c[0] in set(model.regions) for c in cons.index]]
    imports = cons - own.reindex(cons.index).fillna(0.0)
    names = ["region", "sector"]
    node_part = pd.DataFrame({"production": production, "exports": exports}, index=model.nodes.set_names(names))
    prod_part = pd.DataFrame(
        {"consumption": cons.to_numpy(), "imports": imports.to_numpy()},
        index=pd.MultiIndex.from_tuples(list(cons.index), names=names),
    )
    out = pd.concat([node_part, prod_part], axis=1, sort=False)
    return _with_unit(out[["production", "consumption", "exports", "imports"]].fillna(0.0), model, stressor)
