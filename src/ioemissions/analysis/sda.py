r"""Structural decomposition analysis (SDA) of E = f L y between two MRIOs.

For the consumption-based emissions of region r, :math:`E_r = f\,L\,y_r` (f: intensities S of one
stressor, L: Leontief inverse, :math:`y_r`: region r's final demand, all categories), the change
between ``before`` (0) and ``after`` (1) is split into one effect per factor. With factors
:math:`x_1 \dots x_n`, an ordering switches them from 0 to 1 one at a time; the effect of factor k in
that ordering is the change of E when k switches. Then

* ``method="polar"``: the average of the two polar orderings (1, 2, …, n) and (n, …, 2, 1)
  (Dietzenbacher & Los 1998);
* ``method="all"``: the average over all n! orderings (the exact D&L average; for E a product of
  factors it equals the Shapley value).

Both are exact: the effects sum to :math:`E_r^1 - E_r^0` (tested to 1e-9). L is never inverted:
each evaluation solves with the cached factorisation of :math:`I - A^0` or :math:`I - A^1`.

Factors:

* ``"intensity"`` — f;
* ``"leontief"`` — L; with ``"technology"`` instead, the same effect is reported by the *column of
  ΔA* it comes from, via :math:`L^1 - L^0 = L^1 \Delta A L^0` (sector detail of the technology effect);
* ``"final_demand"`` — :math:`y_r`; or split into ``"level"`` (total final demand of r, a scalar),
  ``"category_mix"`` (shares of r's categories in its total) and ``"structure"`` (each category's
  product mix), :math:`y_r = \text{level}_r \sum_c \text{mix}_{rc}\, \text{structure}_{rc}`.

F_Y (direct household emissions) and emissions abroad are not decomposed; their changes are returned
in separate columns ``"households_direct"`` and ``"abroad"`` so that the cells of a row add up to the
change of the region's consumption-based account.

* Dietzenbacher, E. & Los, B. (1998). Structural decomposition techniques: sense and sensitivity.
  *Economic Systems Research* 10(4):307–324.
* Miller, R. E. & Blair, P. D. (2009), chapter 13.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from ..core.mrio import MRIO
from ..errors import LabelError, check_option
from ..errors import _fmt_labels as fmt
from ..units import require_same

__all__ = ["sda"]

FD_SPLIT = ("level", "category_mix", "structure")
KNOWN = ("intensity", "leontief", "technology", "final_demand", *FD_SPLIT)


def _check_pair(before: MRIO, after: MRIO, stressor) -> None:
    if not before.nodes.equals(after.nodes):
        raise LabelError(
            "before and after must have the same (region, sector) labels in the same order; "
            "aggregate them to a common classification first (MRIO.aggregate)"
        )
    if not before.Y.columns.equals(after.Y.columns):
        raise LabelError("before and after must have the same final-demand columns")
    require_same(before.monetary_unit, after.monetary_unit, what="monetary units of before and after")
    require_same(before.stressor_unit(stressor), after.stressor_unit(stressor), what=f"units of {stressor!r}")


def _demand_parts(model: MRIO, region) -> dict:
    cols = [c for c in model.Y.columns if c[0] == region]
    Yr = model.Y[cols].to_numpy()  # n × categories
    totals = Yr.sum(axis=0)
    level = totals.sum()
    mix = totals / level if level != 0 else np.zeros_like(totals)
    structure = np.divide(Yr, totals[None, :], out=np.zeros_like(Yr), where=totals[None, :] != 0)
    return {"level": level, "category_mix": mix, "structure": structure, "final_demand": Yr.sum(axis=1)}


def _y(state: dict, split: bool) -> np.ndarray:
    if not split:
        return state["final_demand"]
    return state["level"] * (state["structure"] @ state["category_mix"])


def sda(
    before: MRIO, after: MRIO, stressor, factors=("intensity", "leontief", "final_demand"), method="polar", regions=None
) -> pd.DataFrame:
    """Decompose the change of each region's consumption-based emissions (see the module docstring).

    Returns a DataFrame indexed by consuming region with one column per factor, plus
    ``households_direct`` and ``abroad``; all cells sum to the total change of the regions'
    consumption-based accounts. With ``"technology"`` the technology effect also comes by column of
    ΔA in ``result.attrs["technology_by_sector"]`` (consuming region × (region, sector)).
    """
    factors = tuple(factors)
    unknown = [f for f in factors if f not in KNOWN]
    if unknown:
        raise LabelError(f"unknown SDA factors {unknown}; known: {list(KNOWN)}")
    split = any(f in FD_SPLIT for f in factors)
    if split and not set(FD_SPLIT) <= set(factors):
        raise LabelError(f"split final demand into all of {FD_SPLIT}, or use 'final_demand'")
    if split and "final_demand" in factors:
        raise LabelError("use either 'final_demand' or its split, not both")
    if sum(f in factors for f in ("leontief", "technology")) != 1:
        raise LabelError("give exactly one of 'leontief' or 'technology'")
    if "intensity" not in factors or not ("final_demand" in factors or split):
        raise LabelError("factors must include 'intensity' and final demand")
    check_option(method, ("polar", "all"), what="method")
    _check_pair(before, after, stressor)
    k0, k1 = before._stressor_pos(stressor), after._stressor_pos(stressor)
    f = {0: before._S[k0], 1: after._S[k1]}
    solvers = {0: before.solver, 1: after.solver}
    if isinstance(regions, str):
        regions = [regions]
    regions = list(before.regions) if regions is None else list(regions)
    unknown_r = [r for r in regions if r not in set(before.regions)]
    if unknown_r:
        raise LabelError(f"unknown regions {fmt(unknown_r)}; the models have {fmt(before.regions)}")
    n_fac = len(factors)
    orders = (
        [tuple(range(n_fac)), tuple(reversed(range(n_fac)))]
        if method == "polar"
        else list(itertools.permutations(range(n_fac)))
    )
    lfac = "leontief" if "leontief" in factors else "technology"

    acc0, acc1 = before.accounts(stressor), after.accounts(stressor)
    fy0 = before.F_Y.loc[before.stressors[k0]].T.groupby(level=0).sum()
    fy1 = after.F_Y.loc[after.stressors[k1]].T.groupby(level=0).sum()
    rows = {}
    tech_detail = {}
    for r in regions:
        parts = {0: _demand_parts(before, r), 1: _demand_parts(after, r)}
        cache: dict = {}

        def E(state: tuple, r=r, parts=parts, cache=cache) -> float:
            if state in cache:
                return cache[state]
            s = dict(zip(factors, state, strict=True))
            if split:
                ystate = {p: parts[s[p]][p] for p in FD_SPLIT}
                y = _y(ystate, True)
            else:
                y = parts[s["final_demand"]]["final_demand"]
            x = solvers[s[lfac]].solve(y)
            val = float(f[s["intensity"]] @ x)
            cache[state] = val
            return val

        effects = np.zeros(n_fac)
        for order in orders:
            state = [0] * n_fac
            prev = E(tuple(state))
            for k in order:
                state[k] = 1
                cur = E(tuple(state))
                effects[k] += cur - prev
                prev = cur
        effects /= len(orders)
        row = dict(zip(factors, effects, strict=True))
        row["households_direct"] = float(fy1.get(r, 0.0) - fy0.get(r, 0.0))
        dom0 = E((0,) * n_fac)
        dom1 = E((1,) * n_fac)
        row["abroad"] = float(
            (acc1.loc[r, "consumption"] - fy1.get(r, 0.0) - dom1)
            - (acc0.loc[r, "consumption"] - fy0.get(r, 0.0) - dom0)
        )
        rows[r] = row
        if lfac == "technology":
            tech_detail[r] = _technology_detail(before, after, f, parts, factors, orders, split, row[lfac])
    out = pd.DataFrame(rows).T[[*factors, "households_direct", "abroad"]]
    out.index.name = "region"
    out.attrs["total_change"] = float(acc1.loc[regions, "consumption"].sum() - acc0.loc[regions, "consumption"].sum())
    out.attrs["unit"] = before.stressor_unit(stressor)
    out.attrs["method"] = method
    if tech_detail:
        out.attrs["technology_by_sector"] = pd.DataFrame(tech_detail).T
    return out


def _technology_detail(before, after, f, parts, factors, orders, split, total) -> pd.Series:
    """Technology effect by column j of ΔA: f L1 ΔA[:, j] (L0 y)_j, averaged over the orderings' states."""
    dA = after._A - before._A
    n_fac = len(factors)
    kt = factors.index("technology")
    contrib = np.zeros(len(before.nodes))
    count = 0
    for order in orders:
        state = [0] * n_fac
        for k in order:
            if k == kt:
                s = dict(zip(factors, state, strict=True))
                if split:
                    y = _y({p: parts[s[p]][p] for p in FD_SPLIT}, True)
                else:
                    y = parts[s["final_demand"]]["final_demand"]
                fL1 = after.solver.solve_transposed(f[s["intensity"]])  # f L1 (row vector, as a column)
                x0 = before.solver.solve(y)  # L0 y
                contrib += (fL1 @ dA) * x0
                count += 1
            state[k] = 1
    contrib /= count
    s = pd.Series(contrib, index=before.nodes)
    # the column contributions add up to the technology effect (L1 - L0 = L1 ΔA L0)
    if not np.isclose(s.sum(), total, rtol=1e-8, atol=1e-10 * max(abs(total), 1.0)):  # pragma: no cover
        raise AssertionError("technology detail does not add up")
    return s
