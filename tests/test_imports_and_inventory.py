"""Competitive vs non-competitive imports (validation case 4) and the energy-balance tool."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ioemissions as ie
from ioemissions.core.imports import competitive_accounts, split_competitive, uniform_import_shares
from ioemissions.errors import LabelError, UnbalancedTableError

IDX = pd.Index(["a", "b"])


@pytest.fixture
def case4():
    """Validation case 4 (derived; method of Su & Ang 2013, Energy Policy 56:83-87)."""
    Z = pd.DataFrame([[20.0, 30.0], [10.0, 40.0]], index=IDX, columns=IDX)
    return (
        Z,
        pd.Series([50.0, 60.0], index=IDX),
        pd.Series([30.0, 10.0], index=IDX),
        pd.Series([10.0, 20.0], index=IDX),
        pd.Series([0.5, 0.2], index=IDX),
    )


def test_case4_competitive_dta(case4):
    Z, y, e, m, f = case4
    acc = competitive_accounts(Z, y, e, m, f)
    assert acc["production"] == pytest.approx(80, rel=1e-6)
    assert acc["exports"] == pytest.approx(26.6667, rel=1e-5)
    assert acc["imports"] == pytest.approx(20.0, rel=1e-6)
    assert acc["consumption"] == pytest.approx(73.3333, rel=1e-5)


def test_case4_uniform_shares_and_noncompetitive(case4):
    Z, y, e, m, f = case4
    mu = uniform_import_shares(Z, y.to_frame("fd"), m)
    np.testing.assert_allclose(mu, [0.1, 0.181818], rtol=1e-5)
    F = pd.DataFrame([f.to_numpy() * [120.0, 100.0]], index=["CO2"], columns=IDX)
    model = split_competitive(Z, y.to_frame("fd"), e, m, F, units={"monetary": "CNY", "CO2": "t"})
    np.testing.assert_allclose(model.x, [120, 100])
    acc = model.accounts("CO2")
    assert acc.loc["R", "production"] == pytest.approx(80)
    assert acc.loc["R", "exports"] == pytest.approx(24.4846, rel=1e-5)  # smaller than 26.67, as Su & Ang state
    # A_d = (I - diag mu) A
    A = Z.to_numpy() / np.array([120.0, 100.0])
    np.testing.assert_allclose(model.A.to_numpy(), (1 - mu.to_numpy())[:, None] * A)
    # with DTA, import multipliers are the competitive ones, so the footprint equals f L y (competitive)
    assert acc.loc["R", "consumption"] == pytest.approx(73.3333, rel=1e-5)
    assert acc.loc["R", "consumption"] == pytest.approx(
        acc.loc["R", "production"] - acc.loc["R", "exports"] + acc.loc["R", "imports"]
    )


def test_supplied_import_multipliers(case4):
    Z, y, e, m, f = case4
    F = pd.DataFrame([f.to_numpy() * [120.0, 100.0]], index=["CO2"], columns=IDX)
    M_imp = pd.DataFrame([[0.0, 0.0]], index=["CO2"], columns=IDX)
    model = split_competitive(Z, y.to_frame("fd"), e, m, F, units={"monetary": "CNY", "CO2": "t"}, M_imp=M_imp)
    acc = model.accounts("CO2")
    assert acc.loc["R", "imports"] == pytest.approx(0.0)  # zero-emission imports embody nothing


def test_imports_exceeding_use_are_named(case4):
    Z, y, _e, _m, _f = case4
    with pytest.raises(UnbalancedTableError, match="'b'"):
        uniform_import_shares(Z, y.to_frame("fd"), pd.Series([10.0, 500.0], index=IDX))


def test_dta_needs_product_labels_like_sectors(two_region):
    Z, Y, F, F_Y = two_region
    Z_imp = pd.DataFrame(np.ones((1, 6)), index=["steel"], columns=Z.columns)
    Y_imp = pd.DataFrame(np.zeros((1, 2)), index=["steel"], columns=Y.columns)
    with pytest.raises(LabelError, match="steel"):
        ie.MRIO(Z, Y, F, F_Y, units={"monetary": "CNY", "st1": "kg", "st2": "kg"}, Z_imp=Z_imp, Y_imp=Y_imp)


def test_shanghai_2019_energy_balance_identity():
    """The paper's 2019 Shanghai energy balance (10^4 tce), ../shared/validation/README.md."""
    ac = ie.inventory.apparent_consumption(
        385.44, 14746.40, 5673.14, 9292.15, 451.12, bunkers_abroad=918.63, foreign_bunkers=275.68
    )
    assert ac == pytest.approx(11704.66, abs=1e-9)


def test_worked_co2_example():
    """1,000 t of other bituminous coal: 1000 × 25.8 GJ/t × 25.8 kg C/GJ × 44/12 = 2,440.68 t CO2 (IPCC 2006)."""
    assert ie.inventory.fuel_co2("other_bituminous_coal", 1000.0) == pytest.approx(1000 * 25.8 * 25.8 * 44 / 12 / 1000)
    co2 = ie.inventory.territorial_co2({"other_bituminous_coal": 1000.0, "natural_gas": 100.0})
    assert co2.sum() == pytest.approx(2440.68 + 100 * 48.0 * 15.3 * 44 / 12 / 1000)
    with pytest.raises(LabelError, match="unobtainium"):
        ie.inventory.fuel_co2("unobtainium", 1.0)
