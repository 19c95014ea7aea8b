r"""Bi-proportional balancing: RAS and GRAS.

Given a prior matrix :math:`X_0` and target row and column totals u and v, find the matrix closest
to :math:`X_0` (in the information-theoretic sense) whose rows sum to u and columns to v.

**RAS** (Stone 1961; Bacharach 1970; Miller & Blair 2009, §7.4): for a non-negative prior,
:math:`X = \hat r X_0 \hat s`, alternating :math:`r_i = u_i / \sum_j x_{ij} s_j` and
:math:`s_j = v_j / \sum_i r_i x_{ij}`.

**GRAS** (Junius & Oosterhaven 2003; corrected by Lenzen, Wood & Gallego 2007 and Temurshoev,
Miller & Bouwmeester 2013) handles priors with negative entries (inventory changes, subsidies).
With :math:`X_0 = P - N` (P, N ≥ 0 the positive and negative parts),
:math:`X = \hat r P \hat s - \hat r^{-1} N \hat s^{-1}` and the closed-form updates of Temurshoev
et al. (2013, eq. 13–14):

.. math::

    s_j = \frac{v_j + \sqrt{v_j^2 + 4 p_j(r)\, n_j(r)}}{2\,p_j(r)},\quad
    p_j(r) = \sum_i r_i p_{ij},\; n_j(r) = \sum_i n_{ij}/r_i

(and :math:`s_j = -n_j(r)/v_j` where :math:`p_j(r) = 0`), and symmetrically for r.

Both functions return the balanced matrix in the type they were given (ndarray or DataFrame).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import ConvergenceError, NonFiniteError, UnbalancedTableError
from .errors import _fmt_labels as fmt

__all__ = ["gras", "ras"]


def _prepare(X0, row_totals, col_totals, tol):
    is_df = isinstance(X0, pd.DataFrame)
    rows = list(X0.index) if is_df else list(range(np.shape(X0)[0]))
    cols = list(X0.columns) if is_df else list(range(np.shape(X0)[1]))
    X = np.asarray(X0, dtype=float)
    u = np.asarray(
        row_totals.reindex(X0.index) if is_df and isinstance(row_totals, pd.Series) else row_totals, dtype=float
    )
    v = np.asarray(
        col_totals.reindex(X0.columns) if is_df and isinstance(col_totals, pd.Series) else col_totals, dtype=float
    )
    if X.ndim != 2 or u.shape != (X.shape[0],) or v.shape != (X.shape[1],):
        raise UnbalancedTableError(f"shapes do not fit: X0 {X.shape}, row totals {u.shape}, column totals {v.shape}")
    for arr, what in ((X, "X0"), (u, "row totals"), (v, "column totals")):
        if not np.isfinite(arr).all():
            raise NonFiniteError(f"{what} hold NaN or infinite values")
    scale = max(np.abs(u).sum(), np.abs(v).sum(), 1e-300)
    if abs(u.sum() - v.sum()) > tol * scale:
        raise UnbalancedTableError(
            f"inconsistent totals: rows sum to {u.sum():.10g}, columns to {v.sum():.10g}; they must be equal"
        )
    zero_rows = np.flatnonzero((np.abs(X).sum(axis=1) == 0) & (u != 0))
    if zero_rows.size:
        raise UnbalancedTableError(
            f"rows with an all-zero prior but a non-zero target: {fmt([rows[i] for i in zero_rows])}"
        )
    zero_cols = np.flatnonzero((np.abs(X).sum(axis=0) == 0) & (v != 0))
    if zero_cols.size:
        raise UnbalancedTableError(
            f"columns with an all-zero prior but a non-zero target: {fmt([cols[j] for j in zero_cols])}"
        )
    return X, u, v, is_df, rows, cols


def _wrap(X, X0, is_df):
    return pd.DataFrame(X, index=X0.index, columns=X0.columns) if is_df else X


def _floor(u, v):
    return 1e-12 * (max(np.abs(u).max(initial=0), np.abs(v).max(initial=0)) or 1.0)


def _gap(X, u, v, floor=None):
    """Largest relative miss of a row or column total (relative to that total, floored at 1e-12 of the largest).

    ``floor`` (from :func:`_floor`) may be passed in by a loop that calls this at every iteration.
    """
    floor = _floor(u, v) if floor is None else floor
    row = np.abs(X.sum(axis=1) - u) / np.maximum(np.abs(u), floor)
    col = np.abs(X.sum(axis=0) - v) / np.maximum(np.abs(v), floor)
    return max(row.max(initial=0), col.max(initial=0))


def ras(X0, row_totals, col_totals, *, tol: float = 1e-10, max_iter: int = 10_000):
    """Balance a non-negative prior with RAS so that rows sum to ``row_totals``, columns to ``col_totals``.

    Raises :class:`UnbalancedTableError` for inconsistent totals, negative entries (use :func:`gras`)
    or a zero row/column with a non-zero target, and :class:`ConvergenceError` if the relative gap is
    still above ``tol`` after ``max_iter`` iterations.

    >>> X = ras(np.array([[1.0, 1.0], [1.0, 3.0]]), [3.0, 5.0], [4.0, 4.0])
    >>> X.sum(axis=1).round(9).tolist(), X.sum(axis=0).round(9).tolist()
    ([3.0, 5.0], [4.0, 4.0])
    """
    X, u, v, is_df, _rows, _ = _prepare(X0, row_totals, col_totals, tol)
    if (X < 0).any() or (u < 0).any() or (v < 0).any():
        raise UnbalancedTableError("RAS needs non-negative prior and totals; use gras() for negative entries")
    r = np.ones(X.shape[0])
    s = np.ones(X.shape[1])
    floor = _floor(u, v)
    for _ in range(max_iter):
        Xs = X @ s
        r = np.divide(u, Xs, out=np.zeros_like(u), where=Xs > 0)
        rX = r @ X
        s = np.divide(v, rX, out=np.zeros_like(v), where=rX > 0)
        out = r[:, None] * X * s[None, :]
        if _gap(out, u, v, floor) <= tol:
            return _wrap(out, X0, is_df)
    raise ConvergenceError(f"RAS did not converge in {max_iter} iterations (relative gap {_gap(out, u, v):.3g})")


def _gras_factor(t, p, n):
    """Solve t = p·z − n/z for z > 0 (closed form of Temurshoev et al. 2013)."""
    z = np.ones_like(t)
    pos = p > 0
    z[pos] = (t[pos] + np.sqrt(t[pos] ** 2 + 4 * p[pos] * n[pos])) / (2 * p[pos])
    neg = ~pos & (n > 0)
    z[neg] = -n[neg] / np.where(t[neg] != 0, t[neg], -1.0)
    # p = n = 0 (all-zero line with zero target): leave the factor at 1
    return z


def gras(X0, row_totals, col_totals, *, tol: float = 1e-10, max_iter: int = 10_000):
    """Balance a prior that may hold negative entries with GRAS (see the module docstring).

    Same errors as :func:`ras`.

    >>> X = gras(np.array([[2.0, -1.0], [1.0, 3.0]]), [1.5, 4.0], [3.5, 2.0])
    >>> X.sum(axis=1).round(9).tolist(), X.sum(axis=0).round(9).tolist()
    ([1.5, 4.0], [3.5, 2.0])
    """
    X, u, v, is_df, _rows, _cols = _prepare(X0, row_totals, col_totals, tol)
    P = np.where(X > 0, X, 0.0)
    N = np.where(X < 0, -X, 0.0)
    r = np.ones(X.shape[0])
    s = np.ones(X.shape[1])
    floor = _floor(u, v)
    for _ in range(max_iter):
        s = _gras_factor(v, r @ P, (1.0 / r) @ N)
        r = _gras_factor(u, P @ s, N @ (1.0 / s))
        out = r[:, None] * P * s[None, :] - (1.0 / r)[:, None] * N * (1.0 / s)[None, :]
        if not np.isfinite(out).all():
            raise ConvergenceError("GRAS diverged (non-finite factors): are the targets reachable with these signs?")
        if _gap(out, u, v, floor) <= tol:
            return _wrap(out, X0, is_df)
    raise ConvergenceError(f"GRAS did not converge in {max_iter} iterations (relative gap {_gap(out, u, v):.3g})")
