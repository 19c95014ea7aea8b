"""Solve (I − A) X = B and its transpose: LU for many right-hand sides, Krylov for a few.

The Leontief inverse L = (I − A)⁻¹ is dense even when A is sparse, costs n³ flops to form and n²
floats to hold. Accounts need only L applied to a few vectors (x = L y, one per consuming region)
and multipliers need only M = S L, i.e. the transposed system (I − A)ᵀ Mᵀ = Sᵀ with one right-hand
side per stressor. Two ways to get them:

* **LU**: one factorisation of I − A (Golub & Van Loan 2013, §3.2), about 2n³/3 flops, computed once
  per model and cached; every later solve costs 2n² flops per right-hand side. Dense matrices go
  through LAPACK ``getrf``/``getrs`` (:func:`scipy.linalg.lu_factor`), matrices sparse enough to pay
  through SuperLU (:func:`scipy.sparse.linalg.splu`).
* **Krylov** (:func:`block_gmres`): GMRES (Saad & Schultz 1986; Saad 2003, §6.5) on all k
  right-hand sides at once, each iteration one product A V of A with an n × k block, about
  2n²k flops. On input–output tables (non-negative A, column sums well below one) it converges
  in a few tens of iterations, so one question (a footprint, one stressor's multipliers) costs a
  small fraction of a factorisation and needs no n² working memory.

**The automatic rule** (``method="auto"``): if a factorisation already exists, use it; otherwise
use Krylov when its estimated cost k × ``ITER_ESTIMATE`` × 2n² is below the factorisation's
2n³/3, i.e. when k × ``ITER_ESTIMATE`` < n / 3, else factorise. ``method="lu"`` or
``"iterative"`` overrides the rule (per solver or per call).

**Never an unconverged answer**: Krylov stops when the true float64 residual
‖B − (I − A) X‖₂ of every column is at most ``tol`` (default 1e-12) times ‖B‖₂; if that is not
reached within a budget of matrix products costing as much as two factorisations (or
``MAX_ITER``), the solver factorises and solves by LU instead. For a non-negative A the error of
X is at most ‖L‖ times the residual, so the answer equals the LU path to about ‖L‖ × 1e-12.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from contextlib import nullcontext

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..errors import NonProductiveError, OptionError
from ..errors import _fmt_labels as fmt

__all__ = ["RHO_MARGIN", "CoefficientOperator", "LeontiefSolver", "block_gmres", "check_productive", "spectral_radius"]

#: Use the sparse solver when A has fewer non-zeros than this share of n² (and n is large).
SPARSE_DENSITY = 0.02
SPARSE_MIN_N = 1500

STRATEGIES = ("auto", "lu", "iterative")

#: LU factorisations of systems from SINGLE_THREAD_MIN_N to SINGLE_THREAD_MAX_N nodes run with one BLAS thread:
#: their arithmetic takes about a millisecond, so a second OpenBLAS thread saves little, and on a loaded machine
#: waiting for it costs a scheduler time slice. Measured with both cores busy with other work (2026-12-03): an LU
#: of n = 150 took 25.7 ms with OpenBLAS's threads against 0.7 ms on one thread, n = 210 52.2 against 1.9 ms.
#: Below n = 100 OpenBLAS used one thread by itself (n = 60 and 99: the same time both ways), so no limit is set
#: there (setting it costs about 10 ms once per process, to find the BLAS libraries).
SINGLE_THREAD_MIN_N = 100
SINGLE_THREAD_MAX_N = 512

_CONTROLLER = None


def one_blas_thread():
    """A context limiting BLAS to one thread (threadpoolctl; the controller is built once per process).

    Used for small LUs here, around each pathway run's small solves, and inside every Monte Carlo chunk.
    """
    global _CONTROLLER
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")


def spectral_radius(A: np.ndarray) -> float:
    """Spectral radius ρ(A), the largest absolute eigenvalue (ARPACK for large A, LAPACK for small)."""
    n = A.shape[0]
    if isinstance(A, CoefficientOperator):
        if n <= 200:
            return spectral_radius(A.toarray())
        op = spla.LinearOperator(A.shape, matvec=lambda v: A @ v, dtype=np.float64)
        try:
            vals = spla.eigs(op, k=1, which="LM", return_eigenvectors=False, tol=1e-8)
            return float(np.abs(vals).max())
        except spla.ArpackNoConvergence:  # pragma: no cover - fall back to dense eigenvalues
            return spectral_radius(A.toarray())
    if n <= 200:
        dense = A.toarray() if sp.issparse(A) else np.asarray(A, dtype=float)
        return float(np.max(np.abs(np.linalg.eigvals(dense))))
    try:
        vals = spla.eigs(A.astype(float, copy=False), k=1, which="LM", return_eigenvectors=False, tol=1e-8)
        return float(np.abs(vals).max())
    except spla.ArpackNoConvergence:  # pragma: no cover - fall back to dense eigenvalues
        return float(np.max(np.abs(np.linalg.eigvals(np.asarray(A, dtype=float)))))


#: ρ(A) closer to 1 than this counts as not productive, because (I − A)⁻¹ would amplify rounding errors by more
#: than 1/RHO_MARGIN, so x = L y no longer reproduces the table (e.g. a sector that only buys from itself).
RHO_MARGIN = 1e-12


class CoefficientOperator:
    r"""Technical coefficients :math:`A = Z\,\mathrm{diag}(x)^{-1}` (Miller & Blair eq. 2.4), applied without A.

    .. math::

        A V = Z\,(V \oslash x), \qquad A^\top V = (Z^\top V) \oslash x

    (⊘: each row i of V or of ZᵀV divided by x_i). A column with x_j = 0 has no inputs (the model checks
    that its column of Z is zero), so its coefficients are 0. Z is only read. Holding Z instead of a copy
    of A saves one n × n float64 array: 733 MiB at n = 9,800. ``negated(dtype)`` builds −A (the LU's input)
    in row blocks, so a float32 factorisation never needs a float64 copy of A.
    """

    __array_priority__ = 20  # V @ op is not defined; numpy must not try to broadcast over the object

    def __init__(self, Z: np.ndarray, x: np.ndarray, *, transposed: bool = False, _inv=None):
        self.Z, self.x = Z, x
        if _inv is None:  # 1/x, and 0 where x = 0 (that column of Z is 0), as iomath.calc_A
            _inv = np.zeros_like(x, dtype=np.float64)
            np.divide(1.0, x, out=_inv, where=x != 0)
        self._inv = _inv
        self.transposed = transposed
        self.shape = Z.shape
        self.dtype = np.dtype(np.float64)

    @property
    def T(self) -> CoefficientOperator:
        return CoefficientOperator(self.Z, self.x, transposed=not self.transposed, _inv=self._inv)

    def _scale(self, V: np.ndarray) -> np.ndarray:
        return V * (self._inv[:, None] if V.ndim == 2 else self._inv)

    def __matmul__(self, V: np.ndarray) -> np.ndarray:
        if self.transposed:
            return self._scale(self.Z.T @ V)
        return self.Z @ self._scale(V)

    def sum(self, axis: int = 0) -> np.ndarray:
        if axis != 0 or self.transposed:
            raise NotImplementedError("only the column sums of A")
        return self.Z.sum(axis=0) * self._inv

    def min(self) -> float:
        """The smallest coefficient, or 0 when every one is non-negative (only its sign is used)."""
        return float(min(self.Z.min(initial=0.0), 0.0))

    def count_nonzero(self) -> int:
        return int(np.count_nonzero(self.Z))

    def negated(self, dtype=np.float64, block: int = 1 << 22) -> np.ndarray:
        """−A as a new C-ordered array of ``dtype``, computed from Z in row blocks of about ``block`` numbers."""
        if self.transposed:
            raise NotImplementedError("negated() builds -A, not -A^T")
        n, m = self.shape
        out = np.empty((n, m), dtype=dtype)
        neg_inv = -self._inv  # −z_ij / x_j as iomath.calc_A computes a_ij, so −A is exactly the negated A
        step = max(1, block // max(m, 1))
        for i in range(0, n, step):
            np.multiply(self.Z[i : i + step], neg_inv, out=out[i : i + step], casting="same_kind")
        return out

    def toarray(self) -> np.ndarray:
        """A itself (n² float64): only for the few paths that need it whole."""
        A = self.Z * self._inv[np.newaxis, :]
        return A.T if self.transposed else A

    def tosparse(self) -> sp.csr_matrix:
        A = sp.csr_matrix(self.Z) @ sp.diags(self._inv)
        return (A.T if self.transposed else A).tocsr()


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


def block_gmres(
    apply: Callable[[np.ndarray], np.ndarray],
    B: np.ndarray,
    *,
    tol: float = 1e-12,
    restart: int = 40,
    max_iter: int = 300,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Solve C X = B for every column of B by restarted GMRES, all columns advanced together.

    ``apply(V)`` returns C V for an n × k block V (one matrix–block product per iteration, so A is
    read once per iteration whatever k is). Each column b gets its own Krylov space
    K_m(C, r₀) = span{r₀, C r₀, …, C^{m−1} r₀}, orthonormalised by classical Gram–Schmidt applied
    twice (Giraud et al. 2005), and the iterate minimising ‖b − C x‖₂ over x₀ + K_m (Saad &
    Schultz 1986; Saad 2003, Algorithm 6.9). After each cycle of at most ``restart`` iterations
    the true residual r = b − C x is recomputed; a column is converged when ‖r‖₂ ≤ tol ‖b‖₂.

    Returns ``(X, converged, iterations)``: ``converged`` says per column whether the *true*
    residual met the tolerance; the caller must not use unconverged columns.

    >>> C = np.array([[0.85, -0.25], [-0.20, 0.95]])
    >>> X, ok, _ = block_gmres(lambda V: C @ V, np.array([[350.0], [1700.0]]))
    >>> X.round(9).ravel().tolist(), bool(ok.all())
    ([1000.0, 2000.0], True)
    """
    B = np.asarray(B, dtype=np.float64)
    vector = B.ndim == 1
    if vector:
        B = B[:, None]
    n, k = B.shape
    X = np.zeros((n, k))
    R = B.copy()
    target = tol * np.linalg.norm(B, axis=0)
    rnorm = np.linalg.norm(R, axis=0)
    iterations = 0
    while True:
        todo = np.flatnonzero(rnorm > target)
        if todo.size == 0 or iterations >= max_iter:
            break
        m = min(restart, max_iter - iterations, n)
        dX, steps = _gmres_cycle(apply, R[:, todo], rnorm[todo], m, 0.1 * target[todo])
        iterations += steps
        X[:, todo] += dX
        R[:, todo] = B[:, todo] - apply(X[:, todo])
        before = rnorm[todo].copy()
        rnorm[todo] = np.linalg.norm(R[:, todo], axis=0)
        if np.all(rnorm[todo] > 0.9 * before):  # stagnation: restarting will not help
            break
    converged = rnorm <= target
    return (X[:, 0] if vector else X), converged, iterations


def _gmres_cycle(apply, R0: np.ndarray, beta: np.ndarray, m: int, stop: np.ndarray) -> tuple[np.ndarray, int]:
    """One GMRES(m) cycle from residuals R0 (n × k): the correction ΔX and the iterations taken."""
    n, k = R0.shape
    V = np.empty((k, m + 1, n))  # column c's basis vectors are the rows of V[c]
    V[:, 0, :] = (R0 / beta).T
    H = np.zeros((k, m + 1, m))
    rhs = np.zeros((k, m + 1))
    rhs[:, 0] = beta
    y = np.zeros((k, 0))
    steps = 0
    broken = np.zeros(k, dtype=bool)  # happy breakdown: the column's Krylov space is invariant, its answer exact
    for j in range(m):
        w = np.ascontiguousarray(apply(V[:, j, :].T).T)  # k × n
        basis = V[:, : j + 1, :]
        for _ in range(2):  # classical Gram–Schmidt, twice ("twice is enough")
            h = np.matmul(basis, w[:, :, None])[:, :, 0]  # k × (j+1)
            w -= np.matmul(h[:, None, :], basis)[:, 0, :]
            H[:, : j + 1, j] += h
        hn = np.linalg.norm(w, axis=1)
        H[broken, j, j] = 1.0  # pad columns that broke down earlier: y_j = 0 there, the least squares stays regular
        hn[broken] = 0.0
        broken |= hn == 0
        H[:, j + 1, j] = hn
        V[:, j + 1, :] = w / np.where(hn > 0, hn, 1.0)[:, None]
        steps = j + 1
        Hj = H[:, : j + 2, : j + 1]
        Q, Rm = np.linalg.qr(Hj)  # batched least squares min ‖β e₁ − H y‖
        y = np.linalg.solve(Rm, np.matmul(Q.transpose(0, 2, 1), rhs[:, : j + 2, None]))[:, :, 0]
        res = np.linalg.norm(rhs[:, : j + 2] - np.matmul(Hj, y[:, :, None])[:, :, 0], axis=1)
        if np.all((res <= stop) | (hn == 0)):
            break
    dX = np.matmul(y[:, None, :], V[:, :steps, :])[:, 0, :].T  # n × k
    return dX, steps


class LeontiefSolver:
    """Solve (I − A) X = B and (I − A)ᵀ X = B, by Krylov iteration or a cached LU factorisation.

    Parameters
    ----------
    A:
        Technical-coefficient matrix: a dense ndarray, a scipy sparse matrix, or a :class:`CoefficientOperator`
        (Z and x, A never formed; what :class:`~ioemissions.core.mrio.MRIO` passes). Kept by reference (not copied).
    dtype:
        ``np.float64`` (default) or ``np.float32`` for a float32 factorisation and float32 results
        (~1e-6 relative accuracy, half the memory; always LU).
    method:
        ``"auto"`` (default): the rule in the module docstring (Krylov for few right-hand sides while
        no factorisation exists, else LU); ``"lu"`` or ``"iterative"`` to force one (``"iterative"``
        still falls back to LU rather than return an unconverged answer). ``"dense"`` or ``"sparse"``
        force an LU of that kind (by default sparse when A is large and sparse, else dense).
        Each :meth:`solve` call may override it with its own ``method``.
    precision:
        For the dense float64 LU only. ``"auto"`` (default) is ``"mixed"`` for n >= ``MIXED_MIN_N``, where
        the n³ factorisation dominates, else ``"double"``. ``"mixed"`` factorises in float32 and refines each
        solution with float64 residuals r = B − (I − A) X until r is at rounding level (mixed-precision
        iterative refinement, as LAPACK's ``dsgesv``; Buttari et al. 2007, Higham 2002 §12.1): float64
        accuracy at about half the time and memory of a float64 LU. If refinement does not converge
        within ``MAX_REFINE`` steps (an ill-conditioned I − A) the solver falls back to a float64 LU.
        ``"double"`` always uses the float64 LU.
    tol:
        Relative residual ‖B − (I − A) X‖₂ / ‖B‖₂ every Krylov column must reach (default 1e-12).
    labels:
        Node labels, used only in error messages.

    The factorisation is computed on first need and then reused; ``stats`` counts the solves of each
    kind, the Krylov iterations and the fallbacks to LU (diagnostics).

    Examples
    --------
    >>> A = np.array([[0.15, 0.25], [0.20, 0.05]])
    >>> LeontiefSolver(A).solve(np.array([350.0, 1700.0])).round(9)
    array([1000., 2000.])
    >>> LeontiefSolver(A).solve(np.array([350.0, 1700.0]), method="iterative").round(9)
    array([1000., 2000.])
    """

    MAX_REFINE = 8
    MIXED_MIN_N = 4000
    #: Krylov iterations assumed by the automatic rule (GMRES needs 17–19 on the shipped tables to 1e-12).
    ITER_ESTIMATE = 20
    #: GMRES restart length and the hard cap on iterations before falling back to LU.
    RESTART = 40
    MAX_ITER = 300

    def __init__(
        self,
        A,
        *,
        dtype=np.float64,
        method: str = "auto",
        precision: str = "auto",
        tol: float = 1e-12,
        labels: Sequence | None = None,
    ):
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.dtype(np.float64), np.dtype(np.float32)):
            raise OptionError(f"dtype must be float64 or float32, not {self.dtype}")
        if precision not in ("auto", "mixed", "double"):
            raise OptionError(f"precision must be 'auto', 'mixed' or 'double', not {precision!r}")
        if method not in (*STRATEGIES, "dense", "sparse"):
            raise OptionError(f"method must be 'auto', 'lu', 'iterative', 'dense' or 'sparse', not {method!r}")
        if not 0 < tol < 1:
            raise OptionError(f"tol must be between 0 and 1, not {tol!r}")
        n = A.shape[0]
        self.n = n
        self.tol = tol
        if precision == "auto":
            precision = "mixed" if n >= self.MIXED_MIN_N else "double"
        self._precision = precision
        if method in ("dense", "sparse"):
            self._lu_kind, self.strategy = method, "lu"
        else:
            self._lu_kind, self.strategy = None, method  # decided when (if) a factorisation is needed
        if self.dtype == np.float32:
            if self.strategy == "iterative":
                raise OptionError("method='iterative' computes in float64; use dtype=float64 or method='lu'")
            self.strategy = "lu"
        if sp.issparse(A):
            self._A = A.tocsr().astype(np.float64, copy=False)
        elif isinstance(A, CoefficientOperator):
            self._A = A
        else:
            self._A = np.asarray(A, dtype=np.float64)
        self._labels = labels
        self._lu = None
        self.mixed = False
        self.refinements = 0  # refinement steps taken so far (diagnostics)
        self.stats = {"lu": 0, "iterative": 0, "iterations": 0, "fallbacks": 0}

    # ------------------------------------------------------------------ LU
    @property
    def method(self) -> str:
        """The kind of LU: ``"sparse"`` when A is large and sparse enough to pay, else ``"dense"``."""
        if self._lu_kind is None:
            A, n = self._A, self.n
            if sp.issparse(A):
                nnz = A.nnz
            elif isinstance(A, CoefficientOperator):
                nnz = A.count_nonzero() if n >= SPARSE_MIN_N else n * n
            else:
                nnz = np.count_nonzero(A) if n >= SPARSE_MIN_N else n * n
            sparse = n >= SPARSE_MIN_N and nnz < SPARSE_DENSITY * n * n
            self._lu_kind = "sparse" if sparse else "dense"
        return self._lu_kind

    @property
    def factorised(self) -> bool:
        """Whether an LU factorisation exists (then every solve uses it)."""
        return self._lu is not None

    def _threads(self):
        """One BLAS thread for the LU of a small system (:data:`SINGLE_THREAD_MIN_N` to :data:`SINGLE_THREAD_MAX_N`).

        Only the LU path: the Krylov path's products of a small system stay below OpenBLAS's own
        threading threshold, and building the thread controller costs about 10 ms once per process.
        """
        small = SINGLE_THREAD_MIN_N <= self.n <= SINGLE_THREAD_MAX_N
        return one_blas_thread() if small else nullcontext()

    def factorise(self) -> LeontiefSolver:
        """Compute the LU factorisation now (normally done on first need)."""
        if self._lu is not None:
            return self
        with self._threads():
            return self._factorise()

    def _factorise(self) -> LeontiefSolver:
        if self.method == "dense":
            A_dense = self._A.toarray() if sp.issparse(self._A) else self._A
            self.mixed = self.dtype == np.float64 and self._precision == "mixed"
            self._lu = self._factor(A_dense, np.float32 if self.mixed else self.dtype)
        else:
            n = self.n
            A_sparse = self._A.tosparse() if isinstance(self._A, CoefficientOperator) else self._A
            IminusA = (
                sp.identity(n, format="csc", dtype=self.dtype) - sp.csc_matrix(A_sparse, dtype=self.dtype)
            ).tocsc()
            try:
                self._lu = spla.splu(IminusA)
            except RuntimeError as exc:  # "Factor is exactly singular"
                raise NonProductiveError(f"I - A is singular ({exc}); A is not productive") from exc
        return self

    def _factor(self, A_dense, dtype):
        """LU of (I − A)ᵀ: C-ordered (I − A)ᵀ *is* (I − A) in Fortran order, so LAPACK factorises it in place
        without a transposing copy; solves swap ``trans`` accordingly."""
        if isinstance(A_dense, CoefficientOperator):
            IminusA_T = A_dense.negated(dtype).T  # −A from Z in row blocks, viewed transposed
        else:
            IminusA_T = np.negative(A_dense, dtype=dtype, order="C").T  # one pass: a new C-ordered −A, transposed
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

    def _solve_lu(self, B, transposed: bool) -> np.ndarray:
        with self._threads():
            return self._solve_lu_in(B, transposed)

    def _solve_lu_in(self, B, transposed: bool) -> np.ndarray:
        self.factorise()
        self.stats["lu"] += 1
        if self.method == "sparse":
            return self._lu.solve(B, trans="T") if transposed else self._lu.solve(B)
        if self.mixed:
            return self._refine(B, transposed)
        return self._lu_solve(B, transposed)

    # ------------------------------------------------------------------ Krylov
    def choose(self, k: int, method: str | None = None) -> str:
        """``"lu"`` or ``"iterative"`` for k right-hand sides, by the rule in the module docstring."""
        how = self.strategy if method is None else method
        if how not in STRATEGIES:
            raise OptionError(f"method must be 'auto', 'lu' or 'iterative', not {how!r}")
        if self.dtype == np.float32:
            return "lu"
        if how == "auto":
            cheap = k * self.ITER_ESTIMATE < self.n / 3
            how = "iterative" if (self._lu is None and cheap) else "lu"
        return how

    def _krylov(self, B: np.ndarray, transposed: bool, budget: int) -> np.ndarray | None:
        A = self._A.T if transposed else self._A

        def apply(V):
            return V - A @ V  # (I − A) V, or (I − A)ᵀ V

        X, ok, its = block_gmres(apply, B, tol=self.tol, restart=self.RESTART, max_iter=budget)
        self.stats["iterations"] += its
        if not ok.all():
            return None
        self.stats["iterative"] += 1
        return X

    def _solve(self, B, transposed: bool, method: str | None) -> np.ndarray:
        B = np.asarray(B, dtype=self.dtype)
        k = 1 if B.ndim == 1 else B.shape[1]
        how = self.choose(k, method)
        if how == "iterative" and k > 0:
            # never spend more than about two factorisations on iterating: k · it · 2n² ≤ 2 · 2n³/3
            budget = self.MAX_ITER if method == "iterative" or self.strategy == "iterative" else None
            if budget is None:
                budget = int(min(self.MAX_ITER, max(self.RESTART, 2 * self.n / (3 * k))))
            X = self._krylov(B, transposed, budget)
            if X is not None:
                return X
            self.stats["fallbacks"] += 1
        return self._solve_lu(B, transposed)

    def solve(self, B: np.ndarray, method: str | None = None) -> np.ndarray:
        """X = (I − A)⁻¹ B = L B, e.g. gross output x = L y for each column of B."""
        return self._solve(B, False, method)

    def solve_transposed(self, B: np.ndarray, method: str | None = None) -> np.ndarray:
        """X = (I − A)⁻ᵀ B, so that Xᵀ = Bᵀ L; with B = Sᵀ this gives the multipliers Mᵀ."""
        return self._solve(B, True, method)

    def inverse(self) -> np.ndarray:
        """The full Leontief inverse L. Costs n³ flops and n² memory: only when asked for."""
        return self.solve(np.eye(self.n, dtype=self.dtype), method="lu")
