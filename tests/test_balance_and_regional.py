"""RAS/GRAS, location quotients, distances and gravity (the regionalisation building blocks)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ioemissions as ie
from ioemissions.balance import gras, ras
from ioemissions.errors import ConvergenceError, LabelError, UnbalancedTableError
from ioemissions.regional import gravity_flows, haversine_km, location_quotients, regional_coefficients
from ioemissions.regional.yrd import capped_allocation


def _random_problem(seed, m, n, negative=False):
    rng = np.random.default_rng(seed)
    X0 = rng.uniform(0.1, 10, (m, n))
    if negative:
        X0[rng.random((m, n)) < 0.2] *= -0.3
    truth = X0 * rng.uniform(0.5, 2, m)[:, None] * rng.uniform(0.5, 2, n)[None, :]
    return X0, truth.sum(axis=1), truth.sum(axis=0)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 8), st.integers(2, 8))
def test_ras_keeps_totals_and_is_biproportional(seed, m, n):
    X0, u, v = _random_problem(seed, m, n)
    X = ras(X0, u, v)
    np.testing.assert_allclose(X.sum(axis=1), u, rtol=1e-9)
    np.testing.assert_allclose(X.sum(axis=0), v, rtol=1e-9)
    # X = diag(r) X0 diag(s): log(X / X0) is additive in rows and columns
    L = np.log(X / X0)
    np.testing.assert_allclose(L - L[:, :1] - L[:1, :] + L[0, 0], 0, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 7), st.integers(2, 7))
def test_gras_keeps_totals_signs_and_form(seed, m, n):
    X0, u, v = _random_problem(seed, m, n, negative=True)
    X = gras(X0, u, v)
    np.testing.assert_allclose(X.sum(axis=1), u, rtol=1e-9)
    np.testing.assert_allclose(X.sum(axis=0), v, rtol=1e-9)
    assert (np.sign(X) == np.sign(X0)).all()
    # X = r̂ P ŝ − r̂⁻¹ N ŝ⁻¹: positive cells scale by r_i s_j, negative ones by 1/(r_i s_j)
    ratio = np.where(X0 > 0, X / X0, X0 / X)
    L = np.log(ratio)
    np.testing.assert_allclose(L - L[:, :1] - L[:1, :] + L[0, 0], 0, atol=1e-7)


def test_gras_equals_ras_on_positive_priors():
    X0, u, v = _random_problem(3, 4, 5)
    np.testing.assert_allclose(gras(X0, u, v), ras(X0, u, v), rtol=1e-8)


def test_balanced_prior_is_returned_unchanged():
    X0 = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(ras(X0, X0.sum(axis=1), X0.sum(axis=0)), X0)


def test_dataframes_in_dataframes_out():
    X0 = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], index=["a", "b"], columns=["c", "d"])
    out = ras(X0, pd.Series({"b": 8.0, "a": 2.0}), pd.Series({"c": 4.0, "d": 6.0}))
    assert isinstance(out, pd.DataFrame) and list(out.index) == ["a", "b"]
    np.testing.assert_allclose(out.sum(axis=1), [2.0, 8.0])


def test_balancing_errors_name_the_problem():
    X0 = pd.DataFrame([[1.0, 2.0], [0.0, 0.0]], index=["a", "b"], columns=["c", "d"])
    with pytest.raises(UnbalancedTableError, match="inconsistent totals"):
        ras(X0, [3.0, 0.0], [1.0, 1.0])
    with pytest.raises(UnbalancedTableError, match=r"all-zero prior.*'b'"):
        ras(X0, [2.0, 1.0], [1.5, 1.5])
    with pytest.raises(UnbalancedTableError, match="gras"):
        ras(np.array([[1.0, -1.0], [1.0, 1.0]]), [1.0, 2.0], [2.0, 1.0])
    with pytest.raises(ConvergenceError):
        ras(np.array([[1.0, 0.0], [1.0, 1.0]]), [1.0, 1.0], [0.1, 1.9], max_iter=3)


def test_location_quotients_formulas():
    """SLQ, CILQ and FLQ as defined in the issue (Flegg & Tohmo 2013), re-derived by hand here."""
    nat = pd.Series([100.0, 300.0, 600.0], index=["a", "b", "c"])
    reg = pd.Series([30.0, 10.0, 60.0], index=["a", "b", "c"])
    slq = (reg / reg.sum()) / (nat / nat.sum())  # [3.0, 1/3, 1.0]
    np.testing.assert_allclose(slq, [3.0, 1 / 3, 1.0])
    S = location_quotients(nat, reg, "slq")
    np.testing.assert_allclose(S.to_numpy(), np.repeat(slq.to_numpy()[:, None], 3, axis=1))
    C = location_quotients(nat, reg, "cilq")
    assert C.loc["b", "a"] == pytest.approx((1 / 3) / 3.0)
    F = location_quotients(nat, reg, "flq", delta=0.3)
    lam = np.log2(1 + 100 / 1000) ** 0.3
    assert F.loc["b", "a"] == pytest.approx(lam * (1 / 3) / 3.0)
    assert F.loc["a", "a"] == pytest.approx(lam * 3.0)
    A = pd.DataFrame(np.full((3, 3), 0.1), index=nat.index, columns=nat.index)
    R = regional_coefficients(A, F)
    assert R.loc["a", "b"] == pytest.approx(0.1 * min(lam * 3.0 / (1 / 3), 1.0))
    assert R.loc["b", "a"] == pytest.approx(0.1 * lam / 9)
    with pytest.raises(LabelError, match="zero national output"):
        location_quotients(pd.Series([0.0, 1.0]), pd.Series([0.0, 1.0]))


def test_haversine_reproduces_the_shipped_distances():
    prov = ie.tables.load("provinces").set_index("province")
    d = ie.tables.load("province-distances").set_index(["origin", "destination"])["km"]
    for a, b in [("Shanghai", "Jiangsu"), ("Shanghai", "Anhui"), ("Beijing", "Xinjiang"), ("Zhejiang", "Anhui")]:
        km = haversine_km(prov.at[a, "lon"], prov.at[a, "lat"], prov.at[b, "lon"], prov.at[b, "lat"])
        assert km == pytest.approx(d[(a, b)], abs=1.0)


def test_internal_distances_are_half_the_nearest_capital():
    D = ie.regional.province_distances(0.5)
    raw = ie.tables.load("province-distances").pivot(index="origin", columns="destination", values="km")
    nearest = raw.loc["Shanghai"].drop("Shanghai").min()
    assert D.loc["Shanghai", "Shanghai"] == pytest.approx(nearest / 2)


def test_gravity_flows_keep_totals_and_decay_with_distance():
    d = pd.DataFrame(
        [[50.0, 300.0, 900.0], [300.0, 50.0, 600.0], [900.0, 600.0, 50.0]], index=list("ABC"), columns=list("ABC")
    )
    s = pd.Series([60.0, 40.0, 100.0], index=list("ABC"))
    D = pd.Series([70.0, 50.0, 80.0], index=list("ABC"))
    T = gravity_flows(s, D, d, beta=1.0)
    np.testing.assert_allclose(T.sum(axis=1), s, rtol=1e-9)
    np.testing.assert_allclose(T.sum(axis=0), D, rtol=1e-9)
    assert T.loc["A", "B"] > T.loc["A", "C"]  # nearer destination gets more, other things equal
    steeper = gravity_flows(s, D, d, beta=2.0)
    assert np.trace(steeper.to_numpy()) > np.trace(T.to_numpy())


def test_capped_allocation():
    out = capped_allocation(10.0, np.array([5.0, 1.0, 1.0]), np.array([2.0, 100.0, 100.0]))
    np.testing.assert_allclose(out, [2.0, 4.0, 4.0])
    with pytest.raises(LabelError):
        capped_allocation(10.0, np.ones(2), np.array([1.0, 1.0]))
