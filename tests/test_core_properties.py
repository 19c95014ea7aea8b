"""Property tests on random productive systems (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from conftest import random_productive_system
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ioemissions import MRIO

UNITS = {"monetary": "10^4 CNY", "co2": "t", "ch4": "t"}
systems = st.tuples(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(1, 6))
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(systems)
def test_accounting_identity(params):
    seed, R, s = params
    Z, Y, F, F_Y = random_productive_system(np.random.default_rng(seed), R, s)
    acc = MRIO(Z, Y, F, F_Y, units=UNITS).accounts("co2")
    np.testing.assert_allclose(
        acc["consumption"],
        acc["production"] - acc["exports"] + acc["imports"],
        rtol=1e-9,
        atol=1e-9 * acc["production"].abs().max(),
    )
    # global totals: production and consumption add up to the same world total
    np.testing.assert_allclose(acc["production"].sum(), acc["consumption"].sum(), rtol=1e-9)
    np.testing.assert_allclose(acc["balance"].sum(), 0, atol=1e-9 * acc["production"].sum())


@SETTINGS
@given(systems)
def test_solver_equals_explicit_inverse(params):
    seed, R, s = params
    Z, Y, F, F_Y = random_productive_system(np.random.default_rng(seed), R, s)
    m = MRIO(Z, Y, F, F_Y, units=UNITS)
    L = np.linalg.inv(np.eye(len(m.nodes)) - m.A.to_numpy())
    np.testing.assert_allclose(m.M.to_numpy(), m.S.to_numpy() @ L, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(m.leontief().to_numpy(), L, rtol=1e-9, atol=1e-12)
    fp = m.footprint("co2", "r0")
    y0 = m.Y.T.groupby(level=0).sum().T["r0"].to_numpy()
    np.testing.assert_allclose(fp.to_numpy(), m.S.loc["co2"].to_numpy() * (L @ y0), rtol=1e-9, atol=1e-12)


@SETTINGS
@given(systems, st.integers(0, 2**32 - 1))
def test_label_permutation_invariance(params, perm_seed):
    seed, R, s = params
    Z, Y, F, F_Y = random_productive_system(np.random.default_rng(seed), R, s)
    perm = np.random.default_rng(perm_seed).permutation(len(Z))
    ref = MRIO(Z, Y, F, F_Y, units=UNITS).accounts("co2")
    Zp, Yp, Fp = Z.iloc[perm, perm], Y.iloc[perm], F.iloc[:, perm]
    out = MRIO(Zp, Yp, Fp, F_Y, units=UNITS).accounts("co2")
    pd.testing.assert_frame_equal(out.loc[ref.index], ref, rtol=1e-9, atol=1e-9 * ref["production"].abs().max())


def test_replace_gives_new_results_and_leaves_old_untouched(two_region_mrio):
    m = two_region_mrio
    before = m.accounts("st1").copy()
    m2 = m.replace(Y=m.Y * 2)
    pd.testing.assert_frame_equal(m.accounts("st1"), before)
    # the new model recomputes x = Z e + Y e from its own inputs: nothing stale
    np.testing.assert_allclose(m2.x, m.Z.sum(axis=1) + 2 * m.Y.sum(axis=1))
    assert m2.accounts("st1").loc["reg1", "consumption"] != before.loc["reg1", "consumption"]


def test_inputs_are_read_only(two_region_mrio):
    import pytest

    with pytest.raises(ValueError):
        two_region_mrio.A.to_numpy()[0, 0] = 1.0
