r"""Carbon emission flow tracing on an electricity network (proportional sharing).

Nodes (provinces, grid regions or buses) generate electricity :math:`g_i` with direct emissions
:math:`e_i` and exchange flows :math:`F_{ij} \ge 0` (from i to j). With proportional sharing — every
kWh leaving a node carries the node's mix — the consumption-based intensity c of each node's
through-flow :math:`q_i = g_i + \sum_k F_{ki}` solves

.. math::

    \left(\mathrm{diag}(q) - F^\top\right) c = e

(Zhou, Kang et al. 2012; Qu et al. 2017; de Chalendar, Taggart & Benson 2019). Higher-order
transfers (electricity passing through a province on its way) are included. The energy of generator
g as a share of node j's through-flow is :math:`Y = (\mathrm{diag}(q) - F^\top)^{-1} \mathrm{diag}(g)`
(so that :math:`c = Y\,(e/g)`), node j's consumption (load) :math:`L_j = q_j - \sum_k F_{jk}` contains
:math:`L_j Y_{jg}` from g, and the attribution "emissions generated in g and consumed in j" is
:math:`A_{gj} = (e_g / g_g)\, L_j Y_{jg}`. Conservation: :math:`\sum_j A_{gj} = e_g` (tested).

``method="direct"`` is the common shortcut that uses each exporter's *production-based* intensity:
:math:`c_j = (e_j + \sum_k F_{kj} e_k/g_k) / q_j`, ignoring what the exporter itself imported.

* Zhou, T., Kang, C. et al. (2012). Analysis on distribution characteristics and mechanisms of carbon
  emission flow in electric power network. *Automation of Electric Power Systems* 36(11):44–49.
* Qu, S. et al. (2017). Virtual CO2 emission flows in the global electricity trade network. *Applied
  Energy* 208 (and the interprovincial version for China in the same group's work).
* de Chalendar, J. A., Taggart, J. & Benson, S. M. (2019). Tracking emissions in the US electricity
  system. *PNAS* 116(51):25497–25502.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..core.validate import check_not_subnormal
from ..errors import LabelError, NegativeOutputError, NonFiniteError, UnbalancedTableError, check_option
from ..errors import _fmt_labels as fmt

__all__ = ["TraceResult", "sharing_intensity", "trace"]


@dataclass(frozen=True)
class TraceResult:
    """Result of :func:`trace`.

    Attributes
    ----------
    intensity:
        Consumption-based intensity per node (emission unit per energy unit of ``generation``).
    attribution:
        Emissions generated in node g (rows) and consumed in node j (columns).
    energy:
        Energy generated in g (rows) and consumed in j (columns).
    consumption:
        Energy consumed (load) per node: generation + inflow − outflow.
    production_intensity:
        Direct emissions per unit generated (NaN where a node generates nothing).
    method:
        ``"network"`` or ``"direct"``.
    """

    intensity: pd.Series
    attribution: pd.DataFrame
    energy: pd.DataFrame
    consumption: pd.Series
    production_intensity: pd.Series
    method: str
    units: dict = field(default_factory=dict)

    def imported(self, node) -> pd.DataFrame:
        """Energy and emissions consumed in ``node`` by node of generation (its own included)."""
        if node not in self.attribution.columns:
            raise LabelError(f"unknown node {node!r}")
        out = pd.DataFrame({"energy": self.energy[node], "emissions": self.attribution[node]})
        out.index.name = "generated in"
        return out


def _check_vector(s: pd.Series, what: str, nodes: pd.Index) -> np.ndarray:
    if not isinstance(s, pd.Series):
        raise LabelError(f"{what} must be a pandas Series labelled by node, not {type(s).__name__}")
    if s.index.has_duplicates:
        raise LabelError(f"{what} has duplicated nodes {fmt(s.index[s.index.duplicated()].unique())}")
    try:
        s = pd.Series(s, dtype=float).reindex(nodes)
    except (TypeError, ValueError) as exc:
        raise NonFiniteError(f"{what} holds non-numeric values ({exc})") from None
    if s.isna().any():
        raise NonFiniteError(f"{what} missing or NaN for nodes {fmt(s.index[s.isna()])}")
    if np.isinf(s.to_numpy()).any():
        raise NonFiniteError(f"{what} infinite for nodes {fmt(s.index[np.isinf(s.to_numpy())])}")
    check_not_subnormal(s.to_numpy(), s.index, None, what=what)
    if (s < 0).any():
        raise NegativeOutputError(f"{what} negative for nodes {fmt(s.index[s < 0])}")
    return s.to_numpy()


def _check_sourced(F: np.ndarray, g: np.ndarray, q: np.ndarray, nodes: pd.Index) -> None:
    """Raise when electricity passes through nodes that no generating node feeds.

    Such nodes (e.g. B→C = 10 and C→B = 10 with no generation in B or C) make
    diag(q) − Fᵀ singular: their mix is undetermined, and solving anyway gives NaN for every node.
    A node is *sourced* if it generates or a flow path leads to it from a generating node.
    """
    from scipy.sparse.csgraph import breadth_first_order

    n = len(nodes)
    gen = np.flatnonzero(g > 0)
    rows, cols = np.nonzero(F > 0)
    # a virtual node n feeds every generator; reachability from it = sourced
    graph = sp.csr_matrix(
        (np.ones(len(rows) + len(gen)), (np.r_[rows, np.full(len(gen), n)], np.r_[cols, gen])), shape=(n + 1, n + 1)
    )
    reached = np.zeros(n + 1, dtype=bool)
    reached[breadth_first_order(graph, n, directed=True, return_predecessors=False)] = True
    bad = np.flatnonzero((q > 0) & ~reached[:n])
    if bad.size:
        raise UnbalancedTableError(
            f"electricity flows through nodes {fmt(nodes[bad])} without any generation upstream (a loop of flows "
            "with no source): their mix is undetermined; check the flows or add their generation"
        )


def trace(
    generation: pd.Series,
    emissions: pd.Series,
    flows: pd.DataFrame,
    *,
    kind: str = "total",
    method: str = "network",
    on_excess: str = "error",
    units: dict | None = None,
) -> TraceResult:
    """Trace emissions through an electricity network (see the module docstring).

    Parameters
    ----------
    generation:
        Energy generated per node (Series). Nodes may have zero generation (pure consumers or sinks).
    emissions:
        Direct emissions per node (``kind="total"``) or emissions per unit generated
        (``kind="intensity"``).
    flows:
        Square DataFrame, rows = from, columns = to, non-negative; net or gross. Every label must be a
        node of ``generation``.
    method:
        ``"network"`` (proportional sharing, default) or ``"direct"`` (direct imports only).
    on_excess:
        What to do when a node sends out more than it generates plus receives: ``"error"`` (default)
        or ``"scale"`` — scale that node's outflows down to its supply (a documented adjustment).

    Examples
    --------
    Validation case 5 (three nodes, g/kWh and MW):

    >>> gen = pd.Series({"A": 100.0, "B": 50.0, "C": 0.0})
    >>> f = pd.DataFrame(0.0, index=gen.index, columns=gen.index)
    >>> f.loc["A", "B"], f.loc["B", "C"] = 80.0, 70.0
    >>> r = trace(gen, pd.Series({"A": 800.0, "B": 0.0, "C": 0.0}), f, kind="intensity")
    >>> r.intensity.round(4).tolist()
    [800.0, 492.3077, 492.3077]
    """
    check_option(method, ("network", "direct"), what="method")
    check_option(kind, ("total", "intensity"), what="kind")
    check_option(on_excess, ("error", "scale"), what="on_excess")
    if not isinstance(generation, pd.Series):
        raise LabelError(f"generation must be a pandas Series labelled by node, not {type(generation).__name__}")
    if not isinstance(flows, pd.DataFrame):
        raise LabelError(f"flows must be a square pandas DataFrame (from × to), not {type(flows).__name__}")
    nodes = pd.Index(generation.index)
    if nodes.has_duplicates:
        raise LabelError(f"duplicated nodes {fmt(nodes[nodes.duplicated()].unique())}")
    for what, labels in (("flows rows", flows.index), ("flows columns", flows.columns)):
        if labels.has_duplicates:
            raise LabelError(f"{what} have duplicated nodes {fmt(labels[labels.duplicated()].unique())}")
    unknown = sorted((set(flows.index) | set(flows.columns)) - set(nodes), key=str)
    if unknown:
        raise LabelError(f"flows involve nodes that are not in generation: {fmt(unknown)}")
    g = _check_vector(generation, "generation", nodes)
    e_in = _check_vector(emissions, "emissions", nodes)
    e = e_in * g if kind == "intensity" else e_in
    try:
        F = flows.reindex(index=nodes, columns=nodes, fill_value=0.0).astype(float).to_numpy().copy()
    except (TypeError, ValueError) as exc:
        raise NonFiniteError(f"flows hold non-numeric values ({exc})") from None
    if not np.isfinite(F).all():
        r, c = np.argwhere(~np.isfinite(F))[0]
        raise NonFiniteError(f"flows hold NaN or infinite values, e.g. from {nodes[r]!r} to {nodes[c]!r}")
    if not np.isfinite(e).all():
        raise NonFiniteError(f"emissions overflow at {fmt(nodes[~np.isfinite(e)])}")
    check_not_subnormal(F, nodes, nodes, what="flows")
    if (F < 0).any():
        r, c = np.argwhere(F < 0)[0]
        raise NegativeOutputError(f"negative flow from {nodes[r]!r} to {nodes[c]!r}: {F[r, c]}")
    np.fill_diagonal(F, 0.0)
    if ((g == 0) & (e > 0)).any():
        raise UnbalancedTableError(f"emissions without generation at {fmt(nodes[(g == 0) & (e > 0)])}")
    inflow = F.sum(axis=0)
    q = g + inflow
    excess = F.sum(axis=1) - q
    bad = np.flatnonzero(excess > 1e-9 * np.maximum(q, 1.0))
    if bad.size:
        if on_excess == "scale":
            for i in bad:  # scale down the node's outflows to what it has (documented adjustment)
                F[i] *= q[i] / F[i].sum()
            inflow = F.sum(axis=0)
            q = g + inflow
        else:
            raise UnbalancedTableError(
                "nodes send out more than they generate plus receive: "
                + fmt([(nodes[i], float(F[i].sum()), float(q[i])) for i in bad])
                + "; fix the data or pass on_excess='scale'"
            )
    if not np.isfinite(q).all():
        raise NonFiniteError(f"through-flow overflows float64 at {fmt(nodes[~np.isfinite(q)])}; rescale the units")
    _check_sourced(F, g, q, nodes)
    load = q - F.sum(axis=1)
    load = np.where(np.abs(load) < 1e-12 * q.max(initial=0.0), 0.0, load)  # rounding of the sums, relative to q
    with warnings.catch_warnings():
        warnings.simplefilter("error", spla.MatrixRankWarning)
        try:
            with np.errstate(all="ignore"):  # checked below: every result finite, emissions conserved
                c, _share, energy, attribution, prod_int = _solve(g, e, F, q, load, method)
        except spla.MatrixRankWarning:
            raise UnbalancedTableError(
                "the tracing system diag(q) - F^T is singular: the flows leave the mix of some nodes undetermined"
            ) from None
    _check_outputs(nodes, e, c, attribution, method)
    units = dict(units or {})
    res = TraceResult(
        intensity=pd.Series(c, index=nodes, name="consumption-based intensity"),
        attribution=pd.DataFrame(attribution, index=nodes.rename("generated in"), columns=nodes.rename("consumed in")),
        energy=pd.DataFrame(energy, index=nodes.rename("generated in"), columns=nodes.rename("consumed in")),
        consumption=pd.Series(load, index=nodes, name="consumption"),
        production_intensity=pd.Series(prod_int, index=nodes, name="production-based intensity"),
        method=method,
        units=units,
    )
    return res


def sharing_intensity(g: np.ndarray, e: np.ndarray, F: np.ndarray) -> np.ndarray:
    r"""Consumption-based intensity of every node by proportional sharing: plain numpy arrays, no checks.

    Solves the system of :func:`trace` (module docstring; Zhou, Kang et al. 2012; de Chalendar, Taggart
    & Benson 2019)

    .. math::

        \left(\mathrm{diag}(q) - F^\top\right) c = e, \qquad q = g + F^\top \mathbf{1}

    on the nodes with through-flow :math:`q_i > 0` (:math:`c_i = 0` elsewhere; self-flows
    :math:`F_{ii}` ignored), with a dense LU (``numpy.linalg.solve``): ``g`` generation, ``e`` direct
    emissions, ``F[i, j]`` the flow from i to j, all in the units the caller chose (c is e per g).

    It is :func:`trace` without labels, validation, shares or attribution, for callers that solve many
    small variants of a network (the power-mix lever, once per year). The inputs must be what
    :func:`trace` accepts (finite, non-negative, no node sending more than it has, every node fed by a
    generator); the caller checks that, or calls :func:`trace`, which names what is wrong.

    >>> g, e = np.array([100.0, 50.0, 0.0]), np.array([80000.0, 0.0, 0.0])
    >>> F = np.array([[0.0, 80.0, 0.0], [0.0, 0.0, 70.0], [0.0, 0.0, 0.0]])
    >>> sharing_intensity(g, e, F).round(4).tolist()
    [800.0, 492.3077, 492.3077]
    """
    g = np.asarray(g, dtype=float)
    F = np.array(F, dtype=float)
    np.fill_diagonal(F, 0.0)
    q = g + F.sum(axis=0)
    c = np.zeros(len(g))
    idx = np.flatnonzero(q > 0)
    if idx.size and (g > 0).any():  # a network with no generation carries nothing
        c[idx] = np.linalg.solve(np.diag(q[idx]) - F[np.ix_(idx, idx)].T, np.asarray(e, dtype=float)[idx])
    return c


def _check_outputs(nodes, e, c, attribution, method) -> None:
    """Finite inputs must give finite intensities, and (network method) conserve every generator's emissions."""
    for what, arr in (("intensities", c), ("attribution", attribution)):
        if not np.isfinite(arr).all():
            bad = np.flatnonzero(~np.isfinite(arr).reshape(len(nodes), -1).all(axis=1))
            raise NonFiniteError(
                f"tracing gives non-finite {what} at {fmt(nodes[bad])}: the inputs span too many orders of "
                "magnitude for float64; rescale the units"
            )
    if method == "network":
        got = attribution.sum(axis=1)
        bad = np.flatnonzero(np.abs(got - e) > 1e-6 * np.abs(e) + 1e-12 * np.abs(e).max(initial=0.0))
        if bad.size:
            raise NonFiniteError(
                f"tracing lost emissions to rounding at {fmt(nodes[bad])} (conserved "
                f"{float(got[bad[0]]):.6g} of {float(e[bad[0]]):.6g}): the inputs span too many orders of magnitude"
            )


def _solve(g, e, F, q, load, method):
    """Intensities c, shares, energy and attribution (see the module docstring)."""
    prod_int = np.where(g > 0, e / np.where(g > 0, g, 1.0), np.nan)
    n = len(g)
    if method == "direct":
        c = np.divide(e + F.T @ np.nan_to_num(prod_int), q, out=np.zeros(n), where=q > 0)
        # j's through-flow by origin as the method sees it: own generation and direct imports only
        X = np.where(np.eye(n, dtype=bool), np.diag(g), F.T)
    else:
        B = (sp.diags(q) - sp.csr_matrix(F).T).tocsc()
        passes = q > 0
        idx = np.flatnonzero(passes)
        Bs = B[idx][:, idx]
        c = np.zeros(n)
        share = np.zeros((n, n))
        gen_nodes = np.flatnonzero(g > 0)
        if idx.size and gen_nodes.size:  # a network with no generation carries nothing
            c[idx] = spla.spsolve(Bs, e[idx])
            # Y = (diag(q) - F^T)^-1 diag(g): the share of j's through-flow that was generated in g
            rhs = sp.csc_matrix(
                (g[gen_nodes], (np.searchsorted(idx, gen_nodes), np.arange(len(gen_nodes)))),
                shape=(len(idx), len(gen_nodes)),
            )
            sol = spla.spsolve(Bs, rhs)
            sol = sol.toarray() if sp.issparse(sol) else np.asarray(sol).reshape(len(idx), len(gen_nodes))
            share[np.ix_(idx, gen_nodes)] = sol
    if method == "direct":
        share = np.divide(X, q[:, None], out=np.zeros_like(X), where=q[:, None] > 0)
    energy = (share * load[:, None]).T  # g × j
    # emissions follow the energy at the generator's own intensity (not conserved by "direct": it ignores
    # re-exports, which is what the comparison is meant to show)
    attribution = energy * np.nan_to_num(prod_int)[:, None]
    return c, share, energy, attribution, prod_int
