"""The solver's two methods (Krylov and LU) give the same answer; the automatic choice and the fallback.

Equality is pinned to 1e-10 relative on the shipped tables and on random systems with dead sectors
and A near non-productive; the fallback case (a cyclic A whose eigenvalues all lie on a circle of
radius 0.9999, where restarted GMRES cannot converge in the budget) must still return the LU answer.
"""

from __future__ import annotations

import numpy as np
import pytest

import ioemissions as ie
from ioemissions.core.solver import LeontiefSolver, block_gmres


def rel(a, b):
    return np.abs(a - b).max() / np.abs(b).max()


def random_system(n, colsum_max, seed, density=0.4, dead=3):
    """A: ~40 % non-zero, column sums uniform in [0.5, colsum_max], ``dead`` sectors with no inputs or sales."""
    rng = np.random.default_rng(seed)
    A = rng.random((n, n)) * (rng.random((n, n)) < density)
    A *= rng.uniform(0.5, colsum_max, n) / A.sum(axis=0)
    d = rng.choice(n, dead, replace=False)
    A[:, d] = 0.0
    A[d, :] = 0.0
    return A, rng.random((n, 4))


@pytest.mark.parametrize("name", ["yrd-mrio-2017", "china-io-2017"])
def test_iterative_equals_lu_on_shipped_tables(name):
    model = ie.tables.load(name)
    A, Y = model._A, model._Y
    it = LeontiefSolver(A)
    lu = LeontiefSolver(A, method="lu")
    assert rel(it.solve(Y, method="iterative"), lu.solve(Y)) < 1e-10
    B = np.vstack([np.ones(len(A)), Y.sum(axis=1)]).T  # two multiplier-like right-hand sides
    assert rel(it.solve_transposed(B, method="iterative"), lu.solve_transposed(B)) < 1e-10
    assert it.stats["iterative"] == 2 and it.stats["lu"] == 0 and not it.factorised


@pytest.mark.parametrize("colsum_max", [0.7, 0.99, 0.9999])
@pytest.mark.parametrize("seed", [1, 2])
def test_iterative_equals_lu_on_random_systems(colsum_max, seed):
    A, B = random_system(240, colsum_max, seed)
    it = LeontiefSolver(A, method="iterative")
    lu = LeontiefSolver(A, method="lu")
    assert rel(it.solve(B), lu.solve(B)) < 1e-10
    assert rel(it.solve_transposed(B[:, :1]), lu.solve_transposed(B[:, :1])) < 1e-10
    # the residual the Krylov path promises: ‖b − (I − A) x‖ ≤ 1e-12 ‖b‖ per column
    X = it.solve(B)
    r = np.linalg.norm(B - X + A @ X, axis=0) / np.linalg.norm(B, axis=0)
    assert r.max() <= 1e-12


def test_no_unconverged_answer_falls_back_to_lu():
    """A = 0.9999 × cyclic shift: eigenvalues 0.9999·e^{2πij/n}, GMRES(40) stagnates; LU answers instead."""
    n = 200
    A = 0.9999 * np.roll(np.eye(n), 1, axis=0)
    b = np.random.default_rng(0).random(n)
    _, ok, its = block_gmres(lambda V: V - A @ V, b, restart=40, max_iter=120)
    assert not ok.all() and its <= 120  # reported, not hidden
    solver = LeontiefSolver(A, method="iterative")
    x = solver.solve(b)
    assert solver.stats["fallbacks"] == 1 and solver.factorised
    np.testing.assert_allclose(x - A @ x, b, rtol=0, atol=1e-10 * np.abs(b).max())
    assert rel(x, LeontiefSolver(A, method="lu").solve(b)) < 1e-12


def test_automatic_rule():
    A, B = random_system(300, 0.7, 3)
    s = LeontiefSolver(A)
    # k · ITER_ESTIMATE < n / 3 → Krylov; more right-hand sides → LU; once factorised, LU for everything
    assert s.choose(1) == "iterative"
    assert s.choose(300 // (3 * s.ITER_ESTIMATE) + 1) == "lu"
    s.solve(B[:, :1])
    assert s.stats["iterative"] == 1 and not s.factorised
    s.solve(np.repeat(B, 10, axis=1))
    assert s.factorised and s.stats["lu"] == 1
    assert s.choose(1) == "lu"
    assert s.choose(1, "iterative") == "iterative"
    assert LeontiefSolver(A, method="lu").choose(1) == "lu"
    assert LeontiefSolver(A, dtype=np.float32).choose(1) == "lu"


def test_bad_method_names():
    A = np.array([[0.1, 0.2], [0.3, 0.1]])
    with pytest.raises(ValueError, match="method"):
        LeontiefSolver(A, method="krylov")
    with pytest.raises(ValueError, match="method"):
        LeontiefSolver(A).solve(np.ones(2), method="gmres")
    with pytest.raises(ValueError, match="float64"):
        LeontiefSolver(A, dtype=np.float32, method="iterative")


def test_zero_right_hand_side_is_zero():
    A, _ = random_system(100, 0.7, 4)
    B = np.zeros((100, 2))
    B[5, 1] = 1.0
    X = LeontiefSolver(A).solve(B, method="iterative")
    assert np.all(X[:, 0] == 0.0)
    assert rel(X[:, 1], LeontiefSolver(A).solve(B[:, 1], method="lu")) < 1e-12


def test_one_region_footprint_and_one_stressor_multipliers_match_the_full_solve():
    """The one-right-hand-side answers equal the all-destinations / all-stressors answers (to 1e-10)."""
    fresh = ie.tables.load("yrd-mrio-2017")  # has an import block: the Abroad rows are checked too
    full = ie.tables.load("yrd-mrio-2017")
    for region in ["Shanghai", "RestOfChina"]:
        one = fresh.footprint("CO2", region)
        assert fresh.solver.stats["lu"] == 0  # answered by Krylov, no factorisation
        ref = full.embodied_trade("CO2", by="sector")[region]
        assert rel(one.to_numpy(), ref.to_numpy()) < 1e-10
        assert list(one.index) == list(ref.index) and one.attrs["region"] == region
    m = fresh.multipliers("CO2")
    assert rel(m.to_numpy(), full.M.loc["CO2"].to_numpy()) < 1e-10


@pytest.mark.parametrize("colsum_max", [0.7, 0.9999])
def test_mixed_precision_lu_is_as_accurate_as_float64(colsum_max):
    """Float32 factor + float64 refinement (no float64 factor kept) equals the float64 LU to 1e-12."""
    A, B = random_system(300, colsum_max, 5)
    mixed = LeontiefSolver(A, method="lu", precision="mixed")
    double = LeontiefSolver(A, method="lu", precision="double")
    assert rel(mixed.solve(B), double.solve(B)) < 1e-12
    assert rel(mixed.solve_transposed(B), double.solve_transposed(B)) < 1e-12
    assert mixed.mixed and mixed._lu[0].dtype == np.float32  # the only factor held is float32


def test_breakdown_of_one_column_does_not_stop_the_others():
    """b = a dead sector's unit vector: (I − A) e_d = e_d, so its Krylov space is exhausted after one step."""
    A, B = random_system(150, 0.7, 6)
    dead = int(np.flatnonzero(A.sum(axis=0) + A.sum(axis=1) == 0)[0])
    B[:, 0] = 0.0
    B[dead, 0] = 2.0
    X = LeontiefSolver(A).solve(B, method="iterative")
    assert X[dead, 0] == pytest.approx(2.0, rel=1e-14) and np.count_nonzero(X[:, 0]) == 1
    assert rel(X, LeontiefSolver(A, method="lu").solve(B)) < 1e-10


def test_model_level_override(two_region):
    """MRIO(solver="iterative"|"lu") reaches the solver; the accounts agree (pymrio fixture, validation case 2)."""
    Z, Y, F, F_Y = two_region
    units = {"monetary": "CNY", "st1": "kg", "st2": "kg"}
    m_it = ie.MRIO(Z, Y, F, F_Y, units=units, solver="iterative")
    m_lu = ie.MRIO(Z, Y, F, F_Y, units=units, solver="lu")
    a_it, a_lu = m_it.accounts("st1"), m_lu.accounts("st1")
    np.testing.assert_allclose(a_it.to_numpy(), a_lu.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(a_it["imports"], [13.0535536606, 25.8106762517], rtol=1e-10)
    assert m_it.solver.stats["lu"] == 0 and m_it.solver.stats["iterative"] >= 1
    assert m_lu.solver.stats["iterative"] == 0


def test_small_lu_runs_with_one_blas_thread_and_large_with_the_default():
    """An LU of SINGLE_THREAD_MIN_N <= n <= SINGLE_THREAD_MAX_N runs inside a one-thread BLAS limit; others do not."""
    from threadpoolctl import threadpool_info

    from ioemissions.core import solver as solver_module

    seen = []

    class Recording(LeontiefSolver):
        def _factor(self, A_dense, dtype):
            seen.append(max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"))
            return super()._factor(A_dense, dtype)

    default = max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")
    n_small = solver_module.SINGLE_THREAD_MIN_N + 10
    small, _ = random_system(n_small, 0.7, 7)
    A_big, _ = random_system(solver_module.SINGLE_THREAD_MAX_N + 1, 0.7, 8)
    tiny, _ = random_system(solver_module.SINGLE_THREAD_MIN_N - 1, 0.7, 9)
    x_small = Recording(small, method="lu").solve(np.ones(n_small))
    Recording(A_big, method="lu").solve(np.ones(len(A_big)))
    Recording(tiny, method="lu").solve(np.ones(len(tiny)))  # OpenBLAS keeps these on one thread by itself
    assert seen == [1, default, default]
    assert rel(x_small, np.linalg.solve(np.eye(n_small) - small, np.ones(n_small))) < 1e-13
    # the limit is lifted afterwards
    assert max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas") == default
