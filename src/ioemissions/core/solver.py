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

from ..errors import NonProductiveError, OptionError
from ..errors import _fmt_labels as fmt

__all__ = ["RHO_MARGIN", "LeontiefSolver", "check_productive", "spectral_radius"]

#: Use the sparse solver when A has fewer non-zeros than this share of n² (and n is large).
SPARSE_DENSITY = 0.02
SPARSE_MIN_N = 1500


def spectral_radius(A: np.ndarray) -> float:
    """Spectral radius ρ(A), the largest absolute eigenvalue (ARPACK for large A, LAPACK for small)."""
    n = A.shape[0]
    if n <= 200:
        return float(np.max(np.abs(np.linalg.eigvals(np.asarray(A, dtype=float)))))
    try:
        vals = spla.eigs(A.astype(float, copy=False), k=1, which="LM", return_eigenvectors=False, tol=1e-8)
        return float(np.abs(vals).max())
    except spla.ArpackNoConvergence:  # pragma: no cover - fall back to dense eigenvalues
        return float(np.max(np.abs(np.linalg.eigvals(np.asarray(A, dtype=float)))))


#: ρ(A) closer to 1 than this counts as not productive, because (I − A)⁻¹ would amplify rounding errors by more
#: than 1/RHO_MARGIN, so x = L y no longer reproduces the table (e.g. a sector that only buys from itself).
RHO_MARGIN = 1e-12


def check_productive(A: np.ndarray, labels: Sequence | None = None) -> None:
    """Raise :class:`NonProductiveError` unless ρ(A) < 1 − :data:`RHO_MARGIN`.

    For a non-negative A whose column sums are all below that, ρ(A) ≤ ‖A‖₁ < 1 and no eigenvalue
    is needed (the Hawkins–Simon condition holds; Miller & Blair §2.9). Otherwise the spectral
    radius is computed; the message names the columns whose sums reach one.
    """
    limit = 1.0 - RHO_MARGIN
    colsum = A.sum(axis=0) if not sp.issparse(A) else np.asarray(A.sum(axis=0)).ravel()
    nonneg = (A.min() if not sp.issparse(A) else min(A.data.min(initial=0.0), 0.0)) >= 0
    if nonneg and colsum.max(initial=0.0) < limit:
        return
    rho = spectral_radius(A)
    if rho >= limit:
        labels = list(labels) if labels is not None else list(range(A.shape[0]))
        bad = [labels[j] for j in np.flatnonzero(colsum >= limit)]
        hint = f"columns of A summing to >= 1: {fmt(bad)}" if bad else "no single column sums to >= 1"
        what = ">= 1" if rho >= 1.0 else f"within {RHO_MARGIN:g} of 1 (numerically singular)"
        raise NonProductiveError(
            f"A is not productive: spectral radius {rho:.17g} {what}, so (I - A)^-1 is not a usable non-negative "
            f"inverse; {hint}"
        )


class LeontiefSolver:
    """Solve (I − A) X = B and (I − A)ᵀ X = B from one cached factorisation.

    Parameters
    ----------
    A:
        Technical-coefficient matrix (dense ndarray or scipy sparse).
    dtype:
        ``np.float64`` (default) or ``np.float32`` for a float32 factorisation and float32 results
        (~1e-6 relative accuracy, half the memory).
    method:
        ``"auto"`` (sparse when A is large and sparse, else dense), ``"dense"`` or ``"sparse"``.
    precision:
        For dense float64 only. ``"auto"`` (default) is ``"mixed"`` for n >= ``MIXED_MIN_N``, where the
        n³ factorisation dominates, else ``"double"``. ``"mixed"`` factorises in float32 and refines each solution
        with float64 residuals r = B − (I − A) X until r is at rounding level (mixed-precision
        iterative refinement, as LAPACK's ``dsgesv``; Buttari et al. 2007, Higham 2002 §12.1): float64
        accuracy at about half the time and memory of a float64 LU. If refinement does not converge
        within ``MAX_REFINE`` steps (an ill-conditioned I − A) the solver falls back to a float64 LU.
        ``"double"`` always uses the float64 LU.
    labels:
        Node labels, used only in error messages.

    Examples
    --------
    >>> A = np.array([[0.15, 0.25], [0.20, 0.05]])
    >>> LeontiefSolver(A).solve(np.array([350.0, 1700.0])).round(9)
    array([1000., 2000.])
    """

    MAX_REFINE = 8
    MIXED_MIN_N = 4000

    def __init__(
        self, A, *, dtype=np.float64, method: str = "auto", precision: str = "auto", labels: Sequence | None = None
    ):
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.dtype(np.float64), np.dtype(np.float32)):
            raise OptionError(f"dtype must be float64 or float32, not {self.dtype}")
        if precision not in ("auto", "mixed", "double"):
            raise OptionError(f"precision must be 'auto', 'mixed' or 'double', not {precision!r}")
        n = A.shape[0]
        if precision == "auto":
            precision = "mixed" if n >= self.MIXED_MIN_N else "double"
        self.n = n
        if method == "auto":
            nnz = A.nnz if sp.issparse(A) else np.count_nonzero(A)
            method = "sparse" if (n >= SPARSE_MIN_N and nnz < SPARSE_DENSITY * n * n) else "dense"
        if method not in ("dense", "sparse"):
            raise OptionError(f"method must be 'auto', 'dense' or 'sparse', not {method!r}")
        self.method = method
        self._labels = labels
        self._A = None  # kept (float64) only when refining
        self.refinements = 0  # refinement steps taken so far (diagnostics)
        if method == "dense":
            A_dense = A.toarray() if sp.issparse(A) else np.asarray(A)
            self.mixed = self.dtype == np.float64 and precision == "mixed"
            self._lu = self._factor(A_dense, np.float32 if self.mixed else self.dtype)
            if self.mixed:
                self._A = A_dense
        else:
            self.mixed = False
            IminusA = (sp.identity(n, format="csc", dtype=self.dtype) - sp.csc_matrix(A, dtype=self.dtype)).tocsc()
            try:
                self._lu = spla.splu(IminusA)
            except RuntimeError as exc:  # "Factor is exactly singular"
                raise NonProductiveError(f"I - A is singular ({exc}); A is not productive") from exc

    def _factor(self, A_dense, dtype):
        """LU of (I − A)ᵀ: C-ordered (I − A)ᵀ *is* (I − A) in Fortran order, so LAPACK factorises it in place
        without a transposing copy; solves swap ``trans`` accordingly."""
        IminusA_T = np.array(A_dense, dtype=dtype, order="C", copy=True).T
        np.negative(IminusA_T, out=IminusA_T)
        IminusA_T[np.diag_indices(self.n)] += 1.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", sla.LinAlgWarning)
            lu, piv = sla.lu_factor(IminusA_T, overwrite_a=True, check_finite=False)
        zero = np.flatnonzero(np.diag(lu) == 0)
        if zero.size:
            self._singular(zero)
        return lu, piv

    def _singular(self, idx):
        labels = list(self._labels) if self._labels is not None else list(range(self.n))
        raise NonProductiveError(
            f"I - A is singular (zero pivot at {fmt([labels[i] for i in idx])}); A is not productive"
        )

    def _lu_solve(self, B, transposed: bool):
        lu = self._lu
        if B.dtype != lu[0].dtype:
            B = B.astype(lu[0].dtype)
        return sla.lu_solve(lu, B, trans=0 if transposed else 1, check_finite=False)

    def _refine(self, B: np.ndarray, transposed: bool) -> np.ndarray:
        """Float64 solution from the float32 LU by iterative refinement; float64 LU if it stalls."""
        A = self._A.T if transposed else self._A
        X = self._lu_solve(B, transposed).astype(np.float64)
        eps = np.finfo(np.float64).eps
        for _ in range(self.MAX_REFINE):
            R = B - X + A @ X  # r = B - (I - A) X in float64
            scale = np.abs(X) + np.abs(B)
            if np.all(np.abs(R) <= 32 * eps * scale + eps * eps * scale.max(initial=0.0)):
                return X
            X += self._lu_solve(R, transposed)
            self.refinements += 1
        # ill-conditioned: give up on float32 and factorise in float64 once
        self._lu = self._factor(self._A, np.float64)
        self.mixed = False
        return self._lu_solve(B, transposed)

    def _solve(self, B, transposed: bool) -> np.ndarray:
        B = np.asarray(B, dtype=self.dtype)
        if self.method == "sparse":
            return self._lu.solve(B, trans="T") if transposed else self._lu.solve(B)
        if self.mixed:
            return self._refine(B, transposed)
        return self._lu_solve(B, transposed)

    def solve(self, B: np.ndarray) -> np.ndarray:
        """X = (I − A)⁻¹ B = L B, e.g. gross output x = L y for each column of B."""
        return self._solve(B, transposed=False)

    def solve_transposed(self, B: np.ndarray) -> np.ndarray:
        """X = (I − A)⁻ᵀ B, so that Xᵀ = Bᵀ L; with B = Sᵀ this gives the multipliers Mᵀ."""
        return self._solve(B, transposed=True)

    def inverse(self) -> np.ndarray:
        """The full Leontief inverse L. Costs n³ flops and n² memory: only when asked for."""
        return self.solve(np.eye(self.n, dtype=self.dtype))
