"""The model keeps Z (a copy-on-write reference) instead of A, and nothing the caller does to Z reaches it.

Holding Z instead of a copy of A saves one n × n float64 array (733 MiB at n = 9,800); the solver
applies A as Z (v ⊘ x) and builds its LU input −A from Z in row blocks. These tests pin that the answers
equal the A-based path, that A is formed only when asked for, and that writes into the caller's frame
(every way pandas allows) leave the model unchanged.
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

import ioemissions as ie
from ioemissions.core.mrio import _copy_on_write
from ioemissions.core.solver import CoefficientOperator, LeontiefSolver

pytestmark = pytest.mark.skipif(not _copy_on_write(), reason="needs pandas copy-on-write")


def small_system(seed=3, regions=3, sectors=4):
    rng = np.random.default_rng(seed)
    n = regions * sectors
    idx = pd.MultiIndex.from_product([[f"R{r}" for r in range(regions)], [f"s{i}" for i in range(sectors)]])
    A = rng.random((n, n)) * (rng.random((n, n)) < 0.6)
    A *= rng.uniform(0.3, 0.7, n) / A.sum(axis=0)
    A[:, 5] = 0.0  # a dead sector: no inputs ...
    A[5, :] = 0.0  # ... and no sales
    cols = pd.MultiIndex.from_product([[f"R{r}" for r in range(regions)], ["hh", "gov"]])
    Y = rng.random((n, 2 * regions))
    Y[5] = 0.0
    x = np.linalg.solve(np.eye(n) - A, Y.sum(axis=1))
    x[5] = 0.0
    Z = pd.DataFrame(A * x, index=idx, columns=idx)
    F = pd.DataFrame(rng.random((2, n)) * x, index=["CO2", "CH4"], columns=idx)
    return Z, pd.DataFrame(Y, index=idx, columns=cols), F


UNITS = {"monetary": "CNY", "CO2": "t", "CH4": "t"}


def test_accounts_need_no_A_and_equal_the_A_based_model():
    Z, Y, F = small_system()
    kept = ie.MRIO(Z, Y, F, units=UNITS)
    acc = kept.accounts("CO2")
    fp, m = kept.footprint("CO2", "R1"), kept.multipliers("CO2")
    assert "_A" not in kept.__dict__ and isinstance(kept.solver._A, CoefficientOperator)
    # the same model from its coefficients holds A itself
    formed = ie.MRIO.from_coefficients(kept.A, Y, S=pd.DataFrame(kept._S, index=F.index, columns=Z.index), units=UNITS)
    assert isinstance(formed.solver._A, np.ndarray)
    np.testing.assert_allclose(acc.to_numpy(), formed.accounts("CO2").to_numpy(), rtol=1e-12, atol=0)
    np.testing.assert_allclose(fp.to_numpy(), formed.footprint("CO2", "R1").to_numpy(), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(m.to_numpy(), formed.multipliers("CO2").to_numpy(), rtol=1e-12, atol=0)
    # asking for A forms it (as calc_A: the dead column is 0) and it is read-only
    A = kept.A.to_numpy()
    assert "_A" in kept.__dict__ and not kept._A.flags.writeable
    assert (A[:, 5] == 0).all()
    np.testing.assert_array_equal(kept.Z.to_numpy(), Z.to_numpy())


@pytest.mark.parametrize(
    "write",
    [
        lambda Z: Z.iloc.__setitem__((0, 1), 1e6),
        lambda Z: Z.loc.__setitem__((("R0", "s0"), ("R1", "s2")), 7.0),
        lambda Z: Z.__setitem__(Z.columns[2], 0.0),
        lambda Z: Z.__imul__(2.0),
    ],
    ids=["iloc", "loc", "column", "in-place multiply"],
)
def test_writes_into_the_callers_Z_never_reach_the_model(write):
    Z, Y, F = small_system()
    Z_before = Z.to_numpy().copy()
    reference = ie.MRIO(Z.copy(deep=True), Y, F, units=UNITS).accounts("CO2").to_numpy()
    model = ie.MRIO(Z, Y, F, units=UNITS)
    write(Z)
    assert not np.array_equal(Z.to_numpy(), Z_before)  # the caller's frame did change ...
    np.testing.assert_array_equal(model.Z.to_numpy(), Z_before)  # ... the model's Z did not
    np.testing.assert_array_equal(model.accounts("CO2").to_numpy(), reference)
    np.testing.assert_array_equal(model.A.to_numpy(), ie.core.iomath.calc_A(Z_before, model._x))


def test_pickle_round_trip_keeps_one_copy_of_Z_and_the_same_answers():
    Z, Y, F = small_system()
    model = ie.MRIO(Z, Y, F, units=UNITS)
    before = model.accounts("CO2").to_numpy()
    back = pickle.loads(pickle.dumps(model))
    assert not back._Z_kept.flags.writeable
    np.testing.assert_array_equal(back.accounts("CO2").to_numpy(), before)
    np.testing.assert_array_equal(back.multipliers("CH4").to_numpy(), model.multipliers("CH4").to_numpy())


def test_operator_lu_input_and_products_equal_the_formed_A():
    """−A built from Z in row blocks (float64 and float32) and A V, Aᵀ V equal the formed A's, to rounding."""
    rng = np.random.default_rng(5)
    n = 50
    Z = rng.random((n, n))
    x = Z.sum(axis=1) + rng.random(n)
    x[7] = 0.0
    Z[:, 7] = 0.0
    op = CoefficientOperator(Z, x)
    A = ie.core.iomath.calc_A(Z, x)
    np.testing.assert_array_equal(op.negated(block=64), -A)  # 64 numbers per block: several row blocks
    np.testing.assert_array_equal(op.negated(np.float32, block=64), (-A).astype(np.float32))
    V = rng.random((n, 3))
    np.testing.assert_allclose(op @ V, A @ V, rtol=1e-13)
    np.testing.assert_allclose(op.T @ V, A.T @ V, rtol=1e-13)
    np.testing.assert_allclose(op.sum(axis=0), A.sum(axis=0), rtol=1e-13)
    A *= 0.5 / max(A.sum(axis=0).max(), 1e-300)
    op = CoefficientOperator(Z * (0.5 / (Z * op._inv).sum(axis=0).max()), x)
    B = rng.random((n, 2))
    for method in ("lu", "iterative"):
        np.testing.assert_allclose(
            LeontiefSolver(op, method=method).solve(B), LeontiefSolver(op.toarray(), method="lu").solve(B), rtol=1e-10
        )
