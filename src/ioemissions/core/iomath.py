"""Input–output formulas, one small pure function each, on plain numpy arrays.

Symbols follow Miller & Blair (2009), *Input-Output Analysis: Foundations and Extensions*, 2nd ed.:

========  ==========================================================  =======================
symbol    meaning                                                     shape
========  ==========================================================  =======================
Z         inter-industry transactions (row: supplying node)            n × n
Y         final demand (columns: region × final-demand category)       n × m
x         gross output                                                 n
A         technical coefficients, A = Z diag(x)⁻¹                     n × n
L         Leontief inverse, L = (I − A)⁻¹                              n × n
F         stressors (emissions) of industries                          k × n
F_Y       stressors of final demand (household direct emissions)       k × m
S         stressor intensities, S = F diag(x)⁻¹                        k × n
M         multipliers, M = S L (emissions per unit of final demand)    k × n
========  ==========================================================  =======================

A "node" is one (region, sector) pair. These functions never form L unless their name says so;
the solver in :mod:`ioemissions.core.solver` applies L to right-hand sides.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "calc_A",
    "calc_F",
    "calc_S",
    "calc_Z",
    "calc_x",
    "calc_x_from_L",
    "group_sum",
    "safe_divide_columns",
]


def calc_x(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Gross output from the row balance: x = Z e + Y e  (Miller & Blair eq. 2.1).

    >>> calc_x(np.array([[150., 500.], [200., 100.]]), np.array([[350.], [1700.]]))
    array([1000., 2000.])
    """
    return Z.sum(axis=1) + Y.sum(axis=1)


def safe_divide_columns(X: np.ndarray, x: np.ndarray) -> np.ndarray:
    """X diag(x)⁻¹ with columns of zero output left at zero (pymrio's convention).

    The caller checks that a column with x_j = 0 is itself all zero.
    """
    inv = np.zeros_like(x, dtype=np.result_type(X, x, np.float32))
    nz = x != 0
    inv[nz] = 1.0 / x[nz]
    return X * inv[np.newaxis, :]


def calc_A(Z: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Technical coefficients A = Z diag(x)⁻¹, a_ij = z_ij / x_j  (Miller & Blair eq. 2.4).

    >>> calc_A(np.array([[150., 500.], [200., 100.]]), np.array([1000., 2000.]))
    array([[0.15, 0.25],
           [0.2 , 0.05]])
    """
    return safe_divide_columns(Z, x)


def calc_Z(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Transactions from coefficients: Z = A diag(x)."""
    return A * x[np.newaxis, :]


def calc_S(F: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Stressor intensities S = F diag(x)⁻¹, s_kj = f_kj / x_j  (Miller & Blair eq. 10.3)."""
    return safe_divide_columns(F, x)


def calc_F(S: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Stressors from intensities: F = S diag(x)."""
    return S * x[np.newaxis, :]


def calc_x_from_L(L: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Output from an explicit Leontief inverse: x = L y  (Miller & Blair eq. 2.11)."""
    return L @ y


def group_sum(values: np.ndarray, groups: np.ndarray, n_groups: int, axis: int = 0) -> np.ndarray:
    """Sum ``values`` along ``axis`` by integer group codes (0 … n_groups−1).

    Used to aggregate node-level results to regions. Nodes are normally stored region by region,
    so the codes are sorted and each group is a contiguous run: then one ``np.add.reduceat`` sums
    the runs in place (no indicator matrix, no BLAS call). Unsorted codes go through an
    indicator-matrix product. An overflow gives inf silently here; the accounts check their
    results and raise :class:`~ioemissions.errors.NonFiniteError`.
    """
    groups = np.asarray(groups)
    m = values.shape[axis]
    if m and m == len(groups) and (groups[1:] >= groups[:-1]).all() and groups[0] >= 0 and groups[-1] < n_groups:
        starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
        shape = list(values.shape)
        shape[axis] = n_groups
        out = np.zeros(shape, dtype=np.result_type(values.dtype, np.float64))
        with np.errstate(over="ignore", invalid="ignore"):  # callers check that results are finite
            sums = np.add.reduceat(values, starts, axis=axis)
        index = [slice(None)] * values.ndim
        index[axis] = groups[starts]
        out[tuple(index)] = sums
        return out
    indicator = np.zeros((n_groups, len(groups)), dtype=values.dtype)
    indicator[groups, np.arange(len(groups))] = 1.0
    with np.errstate(over="ignore", invalid="ignore"):  # callers check that results are finite
        if axis == 0:
            return indicator @ values
        return values @ indicator.T
