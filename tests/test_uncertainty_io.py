"""Monte Carlo of the YRD accounts: identities that each varied input must keep (issue 15)."""

from __future__ import annotations

import numpy as np
import pytest

import ioemissions as ie
from ioemissions.core.imports import WORLD_TO_CHINA_INTENSITY as RHO
from ioemissions.uncertainty.io import CEADS_RANGE, IMPORT_LOWER, YRDModel, default_distributions


@pytest.fixture(scope="module")
def model():
    return YRDModel(2017)


@pytest.fixture(scope="module")
def static(model):
    return model({})


def test_static_draw_reproduces_the_shipped_table(model, static):
    yrd = ie.tables.load("yrd-mrio-2017")
    acc = yrd.accounts("CO2")
    np.testing.assert_allclose(static["production"], acc["production"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(static["consumption"], acc["consumption"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(
        static["footprint"], yrd.embodied_trade("CO2")["Shanghai"].reindex(model.origins).to_numpy(), rtol=1e-12
    )


def test_import_ratio_scales_only_the_emissions_abroad(model, static):
    got = model({"import_ratio": 0.6})
    np.testing.assert_allclose(got["footprint"][-1], 0.6 / RHO * static["footprint"][-1], rtol=1e-12)
    np.testing.assert_allclose(got["footprint"][:-1], static["footprint"][:-1], rtol=1e-12)
    np.testing.assert_allclose(got["production"], static["production"], rtol=1e-12)


def test_ceads_factor_scales_the_regions_own_emissions(model, static):
    got = model({"ceads_Shanghai": 1.1})
    np.testing.assert_allclose(got["production"][0], 1.1 * static["production"][0], rtol=1e-12)
    np.testing.assert_allclose(got["production"][1:], static["production"][1:], rtol=1e-12)
    np.testing.assert_allclose(got["footprint"][0], 1.1 * static["footprint"][0], rtol=1e-12)


def test_trade_parameters_move_footprints_but_not_production(model, static):
    got = model({"beta": 1.5, "delta": 0.2, "internal_factor": 0.3})
    np.testing.assert_allclose(got["production"], static["production"], rtol=1e-9)
    assert not np.allclose(got["footprint"], static["footprint"], rtol=1e-3)


def test_default_distributions_hold_the_static_values_at_their_modes():
    d = default_distributions()
    imp = d["import_ratio"]
    assert (imp.minimum, imp.loc, imp.maximum) == (IMPORT_LOWER, RHO, 1.0)  # lower bound < shipped ratio < DTA
    assert (d["ceads_Anhui"].minimum, d["ceads_Anhui"].maximum) == CEADS_RANGE
    for k, v in d.items():
        assert v.static_position() == "mode", k
    assert d["delta"].static == 0.3 and d["beta"].static == 1.0 and d["internal_factor"].static == 0.5


def test_accounts_ensemble_dataset(model, static, tmp_path):
    ens = ie.uncertainty.accounts(
        model, draws=3, seed=2, distributions={"import_ratio": {"triangular": [IMPORT_LOWER, RHO, 1.0]}}
    )
    ds = ens.data
    assert dict(ds.sizes) == {"draw": 3, "region": 5, "origin": 6, "parameter": 1}
    f = ds["parameters"].sel(parameter="import_ratio").values
    np.testing.assert_allclose(
        ds["footprint"].sel(origin="Abroad").values, f / RHO * static["footprint"][-1], rtol=1e-12
    )
    share = ds["imported_share"].values
    fp = ds["footprint"].values
    np.testing.assert_allclose(share, 1 - fp[:, 0] / fp.sum(axis=1), rtol=1e-12)
    ens.to_netcdf(tmp_path / "acc.nc")
    import xarray as xr

    with xr.open_dataset(tmp_path / "acc.nc") as back:
        np.testing.assert_array_equal(back["footprint"].values, fp)
    table = ens.summary()
    assert table.loc[("footprint", "Abroad"), "p50"] == pytest.approx(np.percentile(fp[:, -1], 50), rel=1e-12)
