"""One LU factorisation of (I − A), reused for every right-hand side.

The Leontief inverse L = (I − A)⁻¹ is dense even when A is sparse, costs n³ flops to form and n²
floats to hold. Accounts need only L applied to a few vectors (x = L y, one per consuming region)
and multipliers need only M = S L, i.e. the transposed system (I − A)ᵀ Mᵀ = Sᵀ with one right-hand
side per stressor. Both come from one LU factorisation (Golub & Van Loan 2013, §3.2), computed once
per model and cached.

Dense matrices go through LAPACK ``getrf``/``getrs`` (:func:`scipy.linalg.lu_factor`); matrices
sparse enough to pay go through SuperLU (:func:`scipy.sparse.linalg.splu`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..errors import NonProductiveError
from ..errors import _fmt_labels as fmt

__all__ = ["LeontiefSolver", "check_productive", "spectral_radius"]

#: Use the sparse solver when A has fewer non-zeros than this share of n² (and n is large).
SPARSE_DENSITY = 0.02
SPARSE_MIN_N = 1500


def spectral_radius(A: np.ndarray) -> float:
    """Spectral radius ρ(A), the largest |eigenvalue| (ARPACK for large A, LAPACK for small)."""
    n = A.shape[0]
    if n <= 200:
        return float(np.max(np.abs(np.linalg.eigvals(np.asarray(A, dtype=float)))))
    try:
        vals = spla.eigs(A.astype(float, copy=False), k=1, which="LM", return_eigenvectors=False, tol=1e-8)
        return float(np.abs(vals).max())
    except spla.ArpackNoConvergence:  # pragma: no cover - fall back to dense eigenvalues
        return float(np.max(np.abs(np.linalg.eigvals(np.asarray(A, dtype=float)))))


def check_productive(A: np.ndarray, labels: Sequence | None = None) -> None:
    """Raise :class:`NonProductiveError` unless ρ(A) < 1.

    For a non-negative A whose column sums are all below one, ρ(A) ≤ ‖A‖₁ < 1 and no eigenvalue
    is needed (the Hawkins–Simon condition holds; Miller & Blair §2.9). Otherwise the spectral
    radius is computed; the message names the columns whose sums reach one.
    """
    colsum = A.sum(axis=0) if not sp.issparse(A) else np.asarray(A.sum(axis=0)).ravel()
    nonneg = (A.min() if not sp.issparse(A) else min(A.data.min(initial=0.0), 0.0)) >= 0
    if nonneg and colsum.max(initial=0.0) < 1.0:
        return
    rho = spectral_radius(A)
    if rho >= 1.0:
        labels = list(labels) if labels is not None else list(range(A.shape[0]))
        bad = [labels[j] for j in np.flatnonzero(colsum >= 1.0)]
        hint = f"columns of A summing to >= 1: {fmt(bad)}" if bad else "no single column sums to >= 1"
        raise NonProductiveError(
            f"A is not productive: spectral radius {rho:.6g} >= 1, so (I - A)^-1 is not a non-negative inverse; {hint}"
        )


class LeontiefSolver:
    """Solve (I − A) X = B and (I − A)ᵀ X = B from one cached factorisation.

    Parameters
    ----------
    A:
        Technical-coefficient matrix (dense ndarray or scipy sparse).
    dtype:
        ``np.float64`` (default) or ``np.float32`` for half the memory at ~1e-6 relative accuracy.
    method:
        ``"auto"`` (sparse when A is large and sparse), ``"dense"`` or ``"sparse"``.
    labels:
        Node labels, used only in error messages.

    Examples
    --------
    >>> A = np.array([[0.15, 0.25], [0.20, 0.05]])
    >>> LeontiefSolver(A).solve(np.array([350.0, 1700.0]))
    array([1000., 2000.])
    """

    def __init__(self, A, *, dtype=np.float64, method: str = "auto", labels: Sequence | None = None):
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.dtype(np.float64), np.dtype(np.float32)):
            raise TypeError(f"dtype must be float64 or float32, not {self.dtype}")
        n = A.shape[0]
        self.n = n
        if method == "auto":
            nnz = A.nnz if sp.issparse(A) else np.count_nonzero(A)
            method = "sparse" if (n >= SPARSE_MIN_N and nnz < SPARSE_DENSITY * n * n) else "dense"
        if method not in ("dense", "sparse"):
            raise ValueError(f"method must be 'auto', 'dense' or 'sparse', not {method!r}")
        self.method = method
        self._labels = labels
        if method == "dense":
            IminusA = -np.asarray(A.toarray() if sp.issparse(A) else A, dtype=self.dtype)
            IminusA[np.diag_indices(n)] += 1.0
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", sla.LinAlgWarning)
                lu, piv = sla.lu_factor(IminusA, overwrite_a=True, check_finite=False)
            zero = np.flatnonzero(np.diag(lu) == 0)
            if zero.size:
                self._singular(zero)
            self._lu = (lu, piv)
        else:
            IminusA = (sp.identity(n, format="csc", dtype=self.dtype) - sp.csc_matrix(A, dtype=self.dtype)).tocsc()
            try:
                self._lu = spla.splu(IminusA)
            except RuntimeError as exc:  # "Factor is exactly singular"
                raise NonProductiveError(f"I - A is singular ({exc}); A is not productive") from exc

    def _singular(self, idx):
        labels = list(self._labels) if self._labels is not None else list(range(self.n))
        raise NonProductiveError(
            f"I - A is singular (zero pivot at {fmt([labels[i] for i in idx])}); A is not productive"
        )

    def solve(self, B: np.ndarray) -> np.ndarray:
        """X = (I − A)⁻¹ B = L B, e.g. gross output x = L y for each column of B."""
        B = np.asarray(B, dtype=self.dtype)
        if self.method == "dense":
            return sla.lu_solve(self._lu, B, trans=0, check_finite=False)
        return self._lu.solve(B)

    def solve_transposed(self, B: np.ndarray) -> np.ndarray:
        """X = (I − A)⁻ᵀ B, so that Xᵀ = Bᵀ L; with B = Sᵀ this gives the multipliers Mᵀ."""
        B = np.asarray(B, dtype=self.dtype)
        if self.method == "dense":
            return sla.lu_solve(self._lu, B, trans=1, check_finite=False)
        return self._lu.solve(B, trans="T")

    def inverse(self) -> np.ndarray:
        """The full Leontief inverse L. Costs n³ flops and n² memory: only when asked for."""
        return self.solve(np.eye(self.n, dtype=self.dtype))
