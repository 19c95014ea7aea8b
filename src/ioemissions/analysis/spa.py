r"""Structural path analysis (SPA): the largest supply-chain paths, by best-first search.

The footprint of a final demand y expands as the power series
:math:`f L y = f y + f A y + f A^2 y + \dots`; a *path* :math:`i_0 \leftarrow i_1 \leftarrow \dots
\leftarrow i_d` (emitting node :math:`i_0`, final-demand node :math:`i_d`) has the value

.. math::

    v = f_{i_0}\, a_{i_0 i_1}\, a_{i_1 i_2} \cdots a_{i_{d-1} i_d}\, y_{i_d}

(Defourny & Thorbecke 1984; Lenzen 2003; Peters & Hertwich 2006). The search walks the tree upstream
from the final-demand nodes. A node reached with output requirement :math:`w` (the product of the
coefficients times :math:`y_{i_d}`) contributes the path value :math:`f_i w`, and *everything* below it
is bounded by :math:`m_i w`, with :math:`m = f L` the total multipliers (solved once, not by forming L).
Nodes are expanded in order of that bound (a priority queue); the search stops when no unexpanded
bound can beat the ``top``-th path found or the ``threshold``. The per-layer totals
:math:`f A^k y` are computed exactly (one matrix–vector product per layer), and their sum over all
layers equals the footprint (tested).

* Defourny, J. & Thorbecke, E. (1984). Structural path analysis and multiplier decomposition within a
  social accounting matrix framework. *Economic Journal* 94:111–136.
* Lenzen, M. (2003). Environmentally important paths, linkages and key sectors in the Australian
  economy. *Structural Change and Economic Dynamics* 14(1):1–34.
* Peters, G. P. & Hertwich, E. G. (2006). Structural analysis of international trade: environmental
  impacts of Norway. *Economic Systems Research* 18(2):155–181.
"""

from __future__ import annotations

import heapq

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ..core.mrio import MRIO
from ..errors import LabelError, NonFiniteError, OptionError
from ..errors import _fmt_labels as fmt

__all__ = ["layer_totals", "structural_paths"]


def _finite_demand(y: np.ndarray, model: MRIO) -> np.ndarray:
    bad = ~np.isfinite(y)
    if bad.any():
        raise NonFiniteError(f"demand holds NaN or infinite values at {fmt(model.nodes[bad])}")
    return y


def _demand_vector(model: MRIO, demand) -> np.ndarray:
    if isinstance(demand, np.ndarray):
        if demand.shape != (len(model.nodes),):
            raise LabelError(f"demand array has shape {demand.shape}, the model has {len(model.nodes)} nodes")
        return _finite_demand(demand.astype(float), model)
    if isinstance(demand, pd.Series):
        if not demand.index.equals(model.nodes):
            d = demand.reindex(model.nodes)
            missing = demand.index.difference(model.nodes)
            if len(missing):
                raise LabelError(f"demand has labels that are not nodes of the model: {fmt(missing)}")
            demand = d.fillna(0.0)
        try:
            return _finite_demand(demand.to_numpy(dtype=float), model)
        except (TypeError, ValueError) as exc:
            if isinstance(exc, NonFiniteError):
                raise
            raise NonFiniteError(f"demand holds non-numeric values ({exc})") from None
    if isinstance(demand, str) or (isinstance(demand, tuple) and len(demand) == 1):
        region = demand if isinstance(demand, str) else demand[0]
        cols = [c for c in model.Y.columns if c[0] == region]
        if not cols:
            raise LabelError(f"no final demand of {region!r}")
        return model.Y[cols].to_numpy().sum(axis=1)
    raise LabelError("demand must be a Series over (region, sector) or a region name")


def _check_depth(max_depth) -> None:
    if isinstance(max_depth, bool) or not isinstance(max_depth, int | np.integer) or max_depth < 0:
        raise OptionError(f"max_depth must be a non-negative integer, not {max_depth!r}")


def layer_totals(model: MRIO, stressor, demand, max_depth: int = 10) -> pd.Series:
    """Emissions of production layers 0…max_depth, :math:`f A^k y`, and the ``remainder`` beyond them."""
    _check_depth(max_depth)
    k = model._stressor_pos(stressor)
    f = model._S[k]
    y = _demand_vector(model, demand)
    out = {}
    v = y.copy()
    for layer in range(max_depth + 1):
        out[layer] = float(f @ v)
        v = model._A @ v
    total = float(f @ model.solver.solve(y))
    s = pd.Series(out, name="emissions")
    s.index.name = "layer"
    s["remainder"] = total - s.sum()
    s.attrs["total"] = total
    return s


def structural_paths(
    model: MRIO,
    stressor,
    demand,
    *,
    max_depth: int = 8,
    threshold: float = 1e-4,
    top: int | None = 1000,
    max_expansions: int = 2_000_000,
    progress: bool = False,
) -> pd.DataFrame:
    """The largest supply-chain paths of the footprint of ``demand`` (see the module docstring).

    Parameters
    ----------
    demand:
        Final demand as a Series over (region, sector), or a region name (its whole final demand).
    max_depth:
        Longest path (number of upstream steps).
    threshold:
        Keep paths worth at least this share of the footprint.
    top:
        Keep at most this many paths (``None``: all above the threshold).
    max_expansions:
        Safety limit on the number of tree nodes expanded.

    Returns
    -------
    DataFrame sorted by value with columns ``path`` (tuple of (region, sector) nodes from the
    emitting node to the final-demand node), ``value``, ``share`` of the footprint and ``depth``;
    ``attrs["layers"]`` holds the per-layer totals and ``attrs["total"]`` the footprint.
    """
    _check_depth(max_depth)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 <= threshold < 1:
        raise OptionError(f"threshold is a share of the footprint in [0, 1), not {threshold!r}")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int | np.integer) or top <= 0):
        raise OptionError(f"top must be a positive integer or None, not {top!r}")
    if isinstance(max_expansions, bool) or not isinstance(max_expansions, int) or max_expansions <= 0:
        raise OptionError(f"max_expansions must be a positive integer, not {max_expansions!r}")
    k = model._stressor_pos(stressor)
    f = np.asarray(model._S[k], dtype=float)
    A = model._A
    y = _demand_vector(model, demand)
    m = np.asarray(model.solver.solve_transposed(f), dtype=float)  # total multipliers f L
    total = float(m @ y)
    if total <= 0:
        raise LabelError("the footprint of this demand is not positive; nothing to trace")
    cutoff_abs = threshold * total
    found: list[tuple[float, tuple]] = []  # min-heap of (value, path) holding the best `top`
    counter = 0
    heap: list[tuple[float, int, float, tuple]] = []  # (-bound, tie, w, path as node indices)
    for j in np.flatnonzero(y):
        bound = m[j] * y[j]
        if bound >= cutoff_abs:
            heapq.heappush(heap, (-bound, counter, y[j], (int(j),)))
            counter += 1

    def kth_best() -> float:
        return found[0][0] if top is not None and len(found) >= top else 0.0

    expansions = 0
    bar = tqdm(total=max_expansions, disable=not progress, desc="SPA", unit="node")
    while heap:
        neg_bound, _, w, path = heapq.heappop(heap)
        bound = -neg_bound
        cut = max(cutoff_abs, kth_best())
        if bound < cut:
            break  # no remaining subtree can beat what is kept
        i = path[0]
        value = f[i] * w
        if value >= cut:
            item = (value, path)
            if top is None or len(found) < top:
                heapq.heappush(found, item)
            else:
                heapq.heappushpop(found, item)
        if len(path) > max_depth:
            continue
        expansions += 1
        bar.update(1)
        if expansions > max_expansions:
            break
        col = A[:, i] * w  # output of each supplier needed by this node
        child_bounds = m * col
        cut = max(cutoff_abs, kth_best())
        for c in np.flatnonzero(child_bounds >= cut):
            heapq.heappush(heap, (-child_bounds[c], counter, col[c], (int(c), *path)))
            counter += 1
    bar.close()
    nodes = model.nodes
    found.sort(key=lambda t: -t[0])
    out = pd.DataFrame(
        {
            "path": [tuple(nodes[i] for i in p) for _, p in found],
            "value": [v for v, _ in found],
            "depth": [len(p) - 1 for _, p in found],
        }
    )
    out["share"] = out["value"] / total
    out.attrs["total"] = total
    out.attrs["layers"] = layer_totals(model, stressor, y, max_depth=max_depth)
    out.attrs["expansions"] = expansions
    out.attrs["unit"] = model.stressor_unit(stressor)
    return out
