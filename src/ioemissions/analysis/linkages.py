r"""Linkages and hypothetical extraction, from the cached factorisation.

**Backward and forward linkages** (Rasmussen 1956; Miller & Blair 2009, §12.1), normalised so that
1 is average:

.. math::

    BL_j = \frac{\sum_i l_{ij}}{\frac{1}{n}\sum_{ij} l_{ij}}, \qquad
    FL_i = \frac{\sum_j g_{ij}}{\frac{1}{n}\sum_{ij} g_{ij}}

with L the Leontief inverse (column sums :math:`e^\top L`, one transposed solve) and G the Ghosh
inverse :math:`G = \hat x^{-1} L \hat x` (row sums :math:`\hat x^{-1} L x`, one solve). The emission
versions weight by the intensities: :math:`f L` (the multipliers) and :math:`\hat x^{-1} L \hat x f^\top`.

**Hypothetical extraction** (Dietzenbacher & Lahr 2013; Miller & Blair §12.2): remove a set of nodes
J from the economy — their rows and columns of A and their final demand — and compare the emissions
of the remaining system with the original: :math:`E - E^{(-J)}` is the total effect of J (its own
emissions plus those it causes elsewhere and those others cause through it).

* Rasmussen, P. N. (1956). *Studies in Inter-Sectoral Relations*. North-Holland.
* Dietzenbacher, E. & Lahr, M. L. (2013). Expanding extractions. *Economic Systems Research* 25(3):341–360.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.mrio import MRIO
from ..core.solver import LeontiefSolver
from ..errors import LabelError
from ..errors import _fmt_labels as fmt

__all__ = ["hypothetical_extraction", "linkages"]


def linkages(model: MRIO, stressor=None) -> pd.DataFrame:
    """Normalised backward and forward linkages per node (and their emission-weighted versions)."""
    n = len(model.nodes)
    ones = np.ones(n)
    col = model.solver.solve_transposed(ones)  # e' L (column sums)
    x = model._x
    row_g = np.divide(model.solver.solve(x), x, out=np.zeros(n), where=x != 0)  # G e = x^-1 L x
    out = pd.DataFrame({"backward": col / col.mean(), "forward": row_g / row_g.mean()}, index=model.nodes)
    if stressor is not None:
        k = model._stressor_pos(stressor)
        f = model._S[k]
        mult = model.solver.solve_transposed(f)
        fwd = np.divide(model.solver.solve(x * f), x, out=np.zeros(n), where=x != 0)
        out["backward_emissions"] = mult / mult.mean()
        out["forward_emissions"] = fwd / fwd.mean() if fwd.mean() != 0 else 0.0
    return out


def _selection(model: MRIO, extract) -> np.ndarray:
    nodes = model.nodes
    if isinstance(extract, str):
        mask = nodes.get_level_values(0) == extract
        if not mask.any():
            mask = nodes.get_level_values(1) == extract
    elif isinstance(extract, tuple):
        mask = np.asarray(nodes == extract) if extract in set(nodes) else np.zeros(len(nodes), bool)
    else:
        wanted = set(extract)
        mask = np.array([nd in wanted or nd[0] in wanted or nd[1] in wanted for nd in nodes])
    if not mask.any():
        raise LabelError(
            f"nothing to extract: {extract!r} is not a region, sector or node; nodes e.g. {fmt(nodes[:3])}"
        )
    return mask


def hypothetical_extraction(model: MRIO, stressor, extract) -> pd.Series:
    """Total effect on emissions of removing ``extract`` (a region, a sector, a node or a list of them).

    Returns a Series with the emissions of the whole system (``before``), of the system without the
    extracted nodes (``after``) and the effect ``before - after``; F_Y is not included.
    """
    k = model._stressor_pos(stressor)
    mask = _selection(model, extract)
    keep = ~mask
    f = model._S[k]
    y = model._Y.sum(axis=1)
    before = float(f @ model.solver.solve(y))
    A_keep = model._A[np.ix_(keep, keep)]
    after = float(f[keep] @ LeontiefSolver(A_keep).solve(y[keep])) if keep.any() else 0.0
    out = pd.Series({"before": before, "after": after, "effect": before - after}, name=model.stressor_unit(stressor))
    out.attrs["extracted"] = list(model.nodes[mask])
    return out
