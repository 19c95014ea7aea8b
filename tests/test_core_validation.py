"""The core against published and exactly derivable numbers (../shared/validation/README.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ioemissions import MRIO
from ioemissions.core import iomath


def test_miller_blair_table_2_3(miller_blair):
    """Miller & Blair (2009), Input-Output Analysis, 2nd ed., Table 2.3 and §2.3 (validation case 1)."""
    Z, Y = miller_blair
    m = MRIO(Z, Y, units="CNY")
    np.testing.assert_allclose(m.x, [1000, 2000])
    np.testing.assert_allclose(m.A, [[0.15, 0.25], [0.20, 0.05]])
    np.testing.assert_allclose(m.leontief(), [[1.25412541, 0.330033], [0.2640264, 1.12211221]], rtol=1e-5)
    # labour coefficients [0.3, 0.25] applied to the new output of the book's example
    np.testing.assert_allclose(np.array([0.3, 0.25]) * np.array([1247.5, 1841.6]), [374.25, 460.4])
    # the new output itself: x_new = L f_new with f_new = [600, 1500] (Miller & Blair eq. 2.13 example)
    x_new = m.solver.solve(np.array([600.0, 1500.0]))
    np.testing.assert_allclose(x_new, [1247.5, 1841.6], rtol=1e-4)


def test_two_region_case(two_region_mrio):
    """pymrio tests/test_math.py td_small_MRIO, published x and M; regional accounts (validation case 2)."""
    m = two_region_mrio
    np.testing.assert_allclose(m.x, [51, 15, 58, 50, 52, 39])
    np.testing.assert_allclose(
        m.M.loc["st1"],
        [
            0.896638324101429,
            1.7965474933011258,
            1.1666796580507097,
            0.3013124703668342,
            1.4371886818255364,
            0.7177624711634629,
        ],
        rtol=1e-12,
    )
    acc = m.accounts("st1")
    np.testing.assert_allclose(acc["consumption"], [100.2428774089, 51.7571225911], rtol=1e-10)
    np.testing.assert_allclose(acc["production"], [113, 39], rtol=1e-12)
    np.testing.assert_allclose(acc["imports"], [13.0535536606, 25.8106762517], rtol=1e-10)
    np.testing.assert_allclose(acc["exports"], [25.8106762517, 13.0535536606], rtol=1e-10)
    # without F_Y (the published table's first rows)
    no_fy = m.replace(F_Y=m.F_Y * 0).accounts("st1")
    np.testing.assert_allclose(no_fy["consumption"], [50.2428774089, 41.7571225911], rtol=1e-10)
    np.testing.assert_allclose(no_fy["production"], [63, 29], rtol=1e-12)
    np.testing.assert_allclose(acc["consumption"], acc["production"] - acc["exports"] + acc["imports"], rtol=1e-12)
    assert acc.attrs["unit"] == "kg"


def test_kitzes_2013_production_and_consumption():
    """Kitzes (2013), Resources 2:489-503, worked example (validation case 3): [8, 4] and [4.8, 7.2]."""
    idx = pd.MultiIndex.from_product([["R"], ["a", "b"]])
    Z = pd.DataFrame([[8.0, 5.0], [4.0, 2.0]], index=idx, columns=idx)
    x = pd.Series([16.0, 12.0], index=idx)
    Y = pd.DataFrame({"R": x.to_numpy() - Z.sum(axis=1).to_numpy()}, index=idx)
    np.testing.assert_allclose(Y["R"], [3, 6])
    F = pd.DataFrame([[8.0, 4.0]], index=["q"], columns=idx)
    m = MRIO(Z, Y, F, units={"monetary": "CNY", "q": "t"}, x=x)
    np.testing.assert_allclose(m.F.loc["q"], [8, 4])
    by_product = m.M.loc["q"] * m.Y["R"]["total"]
    np.testing.assert_allclose(by_product, [4.8, 7.2], rtol=1e-12)
    # truncated power series after A^10 (11 layers) reproduces the published partial sums
    A = m.A.to_numpy()
    S = m.S.to_numpy()[0]
    y = Y["R"].to_numpy()
    layers, term = [], y.copy()
    for _ in range(11):
        layers.append(S * term)
        term = A @ term
    prod = np.sum(layers, axis=0)
    np.testing.assert_allclose(prod, [7.826207, 3.945339], atol=1e-6)


def test_from_coefficients_matches_from_transactions(two_region):
    Z, Y, F, F_Y = two_region
    units = {"monetary": "CNY", "st1": "kg", "st2": "kg"}
    m1 = MRIO(Z, Y, F, F_Y, units=units)
    m2 = MRIO.from_coefficients(m1.A, Y, S=m1.S, F_Y=F_Y, units=units)
    np.testing.assert_allclose(m2.x, m1.x, rtol=1e-12)
    pd.testing.assert_frame_equal(m2.accounts("st1"), m1.accounts("st1"), rtol=1e-12)


def test_float32_on_request(two_region):
    Z, Y, F, F_Y = two_region
    m = MRIO(Z, Y, F, F_Y, units={"monetary": "CNY", "st1": "kg", "st2": "kg"}, dtype="float32")
    assert m.solver.dtype == np.float32
    np.testing.assert_allclose(m.accounts("st1")["consumption"], [100.2428774089, 51.7571225911], rtol=1e-5)


@pytest.mark.parametrize("method", ["dense", "sparse"])
def test_dense_and_sparse_solvers_agree(two_region, method):
    Z, Y, F, F_Y = two_region
    m = MRIO(Z, Y, F, F_Y, units={"monetary": "CNY", "st1": "kg", "st2": "kg"}, solver=method)
    assert m.solver.method == method
    np.testing.assert_allclose(m.accounts("st1")["imports"], [13.0535536606, 25.8106762517], rtol=1e-10)


def test_group_sum():
    v = np.arange(6.0).reshape(3, 2)
    np.testing.assert_allclose(iomath.group_sum(v, np.array([0, 1, 0]), 2), [[4, 6], [2, 3]])


def test_characterize_with_ar6_gwp100(two_region):
    """CO2e = Σ GWP100 × gas (IPCC AR6 WG1 Table 7.15 values, shipped in tables/ipcc-ar6-gwp100)."""
    Z, Y, F, F_Y = two_region
    F = F.rename(index={"st1": "CO2", "st2": "N2O"})
    F_Y = F_Y.rename(index={"st1": "CO2", "st2": "N2O"})
    from ioemissions.characterization import characterize

    m = characterize(MRIO(Z, Y, F, F_Y, units={"monetary": "CNY", "CO2": "t", "N2O": "t"}))
    assert m.stressor_unit("CO2e") == "t CO2e"
    np.testing.assert_allclose(m.F.loc["CO2e"], F.loc["CO2"] + 273 * F.loc["N2O"])
    acc, co2, n2o = m.accounts("CO2e"), m.accounts("CO2"), m.accounts("N2O")
    np.testing.assert_allclose(acc["consumption"], co2["consumption"] + 273 * n2o["consumption"], rtol=1e-12)
