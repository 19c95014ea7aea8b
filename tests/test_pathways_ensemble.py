"""ioemissions.pathways.ensemble on a stand-in engine whose peaks are known in closed form (issue 15)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import ioemissions as ie
from ioemissions.errors import DistributionError, LabelError
from ioemissions.pathways import Scenario

REGIONS = ["Shanghai", "Jiangsu"]
BASE = {"Shanghai": 200.0, "Jiangsu": 750.0}  # Mt CO2 in the base year (illustrative)


class Result:
    def __init__(self, emissions):
        self.emissions = emissions


def standin_run(sc, end=2060):
    """E_r(t) = E_r(2017) · 1.04^(t−2017) · f(t): growth of 4 % a year times the grid lever's factor path f
    (linear from 1 in 2017 to f30 in 2030, flat after); consumption = 1.3 × production. Its peak year for a
    given f30 is :func:`_peak_year`."""
    years = np.arange(2017, end + 1)
    lever = sc.lever("grid")
    f = np.array([lever.at("factor", int(y)) for y in years])
    data = {}
    for r in REGIONS:
        e = BASE[r] * 1.04 ** (years - 2017) * f
        data[(r, "production")] = e
        data[(r, "consumption")] = 1.3 * e
    return Result(pd.DataFrame(data, index=pd.Index(years, name="year")))


def _scenario(dist=None):
    dist = dist or {"triangular": [0.2, 0.5, 0.9]}
    return Scenario.from_dict(
        {
            "scenario": {"name": "test", "ssp": "SSP2", "end": 2060},
            "levers": [
                {
                    "type": "grid-factor",
                    "name": "grid",
                    "regions": ["Shanghai"],
                    "factor": {"2017": 1.0, "2030": dist, "source": "assumption: test"},
                }
            ],
        }
    )


def _peak_year(f30: float, end: int = 2060) -> int:
    years = np.arange(2017, end + 1)
    f = np.interp(years, [2017, 2030], [1.0, f30])
    return int(years[np.argmax(1.04 ** (years - 2017) * f)])


def test_ensemble_data_percentiles_and_peak_years_against_closed_form(tmp_path):
    ens = ie.pathways.ensemble(_scenario(), draws=200, seed=3, end=2060, run=standin_run)
    ds = ens.data
    assert ds["emissions"].dims == ("draw", "year", "region", "basis")
    assert ds.sizes == {"draw": 200, "year": 44, "region": 2, "basis": 2, "parameter": 1}
    f30 = ds["parameters"].sel(parameter="levers/grid/factor/2030").values
    assert f30.min() >= 0.2 and f30.max() <= 0.9
    # every draw is the closed form with its own f30
    years = ds.year.values
    f = np.array([np.interp(years, [2017, 2030], [1.0, v]) for v in f30])
    expected = 200.0 * 1.04 ** (years - 2017)[None, :] * f
    np.testing.assert_allclose(ds["emissions"].sel(region="Shanghai", basis="production").values, expected, rtol=1e-12)
    # peak years and P(peak before) from the same closed form
    peaks = ens.peak_years("Shanghai", "production")
    assert peaks.tolist() == [_peak_year(v) for v in f30]
    for y in (2025, 2030, 2031, 2061):
        assert ens.p_peak_before(y) == pytest.approx(np.mean([_peak_year(v) < y for v in f30]), abs=0)
    # percentiles = numpy's over the draws
    p = ens.percentiles([2.5, 50, 97.5])
    np.testing.assert_allclose(
        p.sel(region="Shanghai", basis="production").values,
        np.percentile(expected, [2.5, 50, 97.5], axis=0),
        rtol=1e-12,
    )
    # the static run uses the mode (0.5) and is kept beside the draws; netCDF round trip
    assert ens.static_peak("Shanghai", "production")[0] == _peak_year(0.5)
    assert "static 0.5 at the mode" in ds.attrs["static_at"]
    path = tmp_path / "ens.nc"
    ens.to_netcdf(path)
    import xarray as xr

    with xr.open_dataset(path) as back:
        np.testing.assert_array_equal(back["emissions"].values, ds["emissions"].values)


def test_ensemble_same_on_two_local_processes():
    sc = _scenario()
    ref = ie.pathways.ensemble(sc, draws=24, seed=9, end=2040, run=standin_run)
    got = ie.pathways.ensemble(sc, draws=24, seed=9, end=2040, run=standin_run, executor="processes", workers=2)
    np.testing.assert_array_equal(got.data["emissions"].values, ref.data["emissions"].values)


def test_ensemble_bad_input_is_named():
    with pytest.raises(DistributionError, match="declares no distributions"):
        ie.pathways.ensemble(_no_dist(), draws=5, run=standin_run)
    with pytest.raises(DistributionError, match="draws must be an integer >= 1"):
        ie.pathways.ensemble(_scenario(), draws=0, run=standin_run)
    ens = ie.pathways.ensemble(_scenario(), draws=3, run=standin_run, end=2030)
    with pytest.raises(LabelError, match="Pudong"):
        ens.peak_years("Pudong")
    with pytest.raises(DistributionError, match="percentiles must lie in"):
        ens.percentiles([50, 101])


def _no_dist():
    return Scenario.from_dict(
        {
            "scenario": {"name": "fixed"},
            "levers": [
                {"type": "grid-factor", "name": "grid", "factor": {"2017": 1.0, "2030": 0.5, "source": "s"}},
            ],
        }
    )


def test_p_peak_before_counts_a_draw_still_rising_as_not_peaked():
    ens = ie.pathways.ensemble(_scenario({"uniform": [1.0, 1.2]}), draws=10, run=standin_run, end=2040)
    assert ens.peak_years().eq(2040).all() and ens.p_peak_before(2040) == 0.0 and ens.p_peak_before(2041) == 1.0
    assert math.isclose(
        ens.peak_levels().min(), ens.data["emissions"].sel(year=2040, region="Shanghai", basis="production").min()
    )


def test_shipped_scenarios_carry_the_computed_ranges_with_static_at_the_mode():
    from ioemissions.pathways.ranges import scenario_ranges

    ranges = scenario_ranges()
    for name in ("baseline", "peak-plan", "deep"):
        sc = ie.pathways.scenario(name)
        d = sc.distributions()
        for year, (lo, hi) in ranges["gdp_factor"].items():
            assert d[("drivers", "gdp_factor", year)].params == (lo, 1.0, hi)
        for year, (lo, hi) in ranges["intensity"].items():
            dist = d[("levers", "trend uncertainty", "factor", year)]
            assert dist.params == (lo, 1.0, hi) and dist.static == 1.0
    # the ranges hold the static value 1 strictly inside
    for v in ranges.values():
        assert all(lo < 1.0 < hi for lo, hi in v.values())


def test_cli_draws_writes_fan_chart_and_peak_years(tmp_path, capsys):
    from ioemissions.cli.main import main

    out = tmp_path / "run"
    argv = ["pathways", "--scenario", "baseline", "--to", "2030", "--draws", "6", "--seed", "4", "--quiet"]
    assert main([*argv, "--out", str(out)]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"fan-baseline-Shanghai-production.png", "peak-year-baseline-Shanghai-consumption.png"} <= names
    peaks = pd.read_csv(out / "peaks-baseline.csv").set_index(["region", "basis"])
    ens = ie.pathways.ensemble("baseline", draws=6, seed=4, end=2030)
    for basis in ("production", "consumption"):
        p = ens.p_peak_before(2030, "Shanghai", basis)
        assert peaks.loc[("Shanghai", basis), "P(peak before 2030)"] == pytest.approx(p, rel=1e-6)  # 6 digits
    import xarray as xr

    with xr.open_dataset(out / "draws-baseline.nc") as ds:
        np.testing.assert_array_equal(ds["emissions"].values, ens.data["emissions"].values)
    capsys.readouterr()
    bad = ["pathways", "--scenario", "baseline", "--draws", "0", "--quiet", "--out", str(tmp_path / "bad")]
    assert main(bad) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--draws must be >= 1" in err[0] and not (tmp_path / "bad").exists()
