"""pymrio's own results on its test system are the oracle (rtol 1e-8)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

pymrio = pytest.importorskip("pymrio")

from ioemissions import MRIO  # noqa: E402

STRESSOR = ("emission_type1", "air")


@pytest.fixture(scope="module")
def systems():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        io = pymrio.load_test()
        model = MRIO.from_pymrio(io, extension="emissions")
        io.calc_all()
    return io, model


@pytest.mark.parametrize(
    ("column", "attr"),
    [("consumption", "D_cba_reg"), ("production", "D_pba_reg"), ("imports", "D_imp_reg"), ("exports", "D_exp_reg")],
)
def test_region_accounts_equal_pymrio(systems, column, attr):
    io, model = systems
    ours = model.accounts(STRESSOR)[column]
    ref = getattr(io.emissions, attr).loc[STRESSOR][ours.index]
    np.testing.assert_allclose(ours.to_numpy(), ref.to_numpy(), rtol=1e-8)


@pytest.mark.parametrize(
    ("column", "attr"), [("consumption", "D_cba"), ("production", "D_pba"), ("imports", "D_imp"), ("exports", "D_exp")]
)
def test_sector_accounts_equal_pymrio(systems, column, attr):
    io, model = systems
    ref = getattr(io.emissions, attr).loc[STRESSOR]
    ours = model.sector_accounts(STRESSOR)[column].reindex(ref.index)
    np.testing.assert_allclose(ours.to_numpy(), ref.to_numpy(), rtol=1e-8, atol=1e-8 * np.abs(ref).max())


def test_multipliers_equal_pymrio(systems):
    io, model = systems
    np.testing.assert_allclose(model.M.to_numpy(), io.emissions.M.to_numpy(), rtol=1e-8)


def test_published_integration_multipliers(systems):
    """factor_inputs.M as printed in pymrio's tests/test_integration.py (rtol 1e-5 upstream)."""
    path = Path(__file__).parent / "data" / "pymrio_expected_factor_inputs_M.json"
    expected = np.array(json.loads(path.read_text())["factor_inputs.M"][0])
    io, _ = systems
    model = MRIO.from_pymrio(io, extension="factor_inputs")
    np.testing.assert_allclose(model.M.to_numpy()[0], expected, rtol=1e-5)


def test_bilateral_flows_sum_to_accounts(systems):
    _, model = systems
    T = model.embodied_trade(STRESSOR)
    acc = model.accounts(STRESSOR)
    np.testing.assert_allclose(
        T.sum(axis=0) + model.F_Y.loc[STRESSOR].T.groupby(level=0).sum()[T.columns],
        acc["consumption"][T.columns],
        rtol=1e-12,
    )
    by_cat = model.embodied_trade(STRESSOR, by="category")
    np.testing.assert_allclose(by_cat.T.groupby(level=0).sum().T[T.columns], T, rtol=1e-10)


def test_round_trip_to_pymrio(systems):
    _, model = systems
    io2 = model.to_pymrio()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        io2.calc_all()
    np.testing.assert_allclose(
        io2.stressors.D_cba_reg.loc[STRESSOR], model.accounts(STRESSOR)["consumption"], rtol=1e-10
    )
