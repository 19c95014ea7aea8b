"""The scenario format and the lever interface of ioemissions.pathways."""

import numpy as np
import pytest

from ioemissions.errors import DistributionError, ScenarioError
from ioemissions.pathways import Lever, Scenario, register_lever
from ioemissions.pathways.levers import LEVERS, YearState
from ioemissions.pathways.values import Distribution, Path, parse_param


def test_path_interpolates_linearly_and_holds_flat_outside():
    p = parse_param({"2017": 1.0, "2030": 0.74, "source": "assumption: test"}, "x")
    assert isinstance(p, Path)
    assert p(2010) == 1.0 and p(2017) == 1.0 and p(2060) == 0.74
    assert p(2020) == pytest.approx(1.0 + 3 / 13 * (0.74 - 1.0), abs=1e-15)


def test_geometric_and_step_shapes():
    g = parse_param({"2020": 1.0, "2030": 4.0, "shape": "geometric", "source": "s"}, "x")
    assert g(2025) == pytest.approx(2.0, rel=1e-14)
    s = parse_param({"2020": 1.0, "2030": 4.0, "shape": "step", "source": "s"}, "x")
    assert s(2029) == 1.0 and s(2030) == 4.0


def test_number_without_source_is_refused_with_its_key():
    with pytest.raises(ScenarioError, match=r"levers\[0\]\.factor.*source"):
        parse_param({"2017": 1.0, "2030": 0.8}, "levers[0].factor")
    with pytest.raises(ScenarioError, match="no source"):
        parse_param(0.5, "levers[1].share")


def test_distribution_static_is_mode_or_median_and_must_lie_in_support():
    v = parse_param({"triangular": [0.7, 0.8, 0.95], "source": "s"}, "k")
    assert v.static == 0.8
    assert parse_param({"uniform": [1.0, 3.0], "source": "s"}, "k").static == 2.0
    assert parse_param({"lognormal": [2.0, 0.3], "source": "s"}, "k").static == 2.0
    with pytest.raises(DistributionError, match="outside the support"):
        parse_param({"uniform": [1.0, 3.0], "static": 4.0, "source": "s"}, "k")
    with pytest.raises(DistributionError, match="lo <= mode <= hi"):
        Distribution.from_dict({"triangular": [0.9, 0.8, 1.0]}, "k")
    with pytest.raises(DistributionError, match="sd > 0"):
        Distribution.from_dict({"normal": [0.0, -1.0]}, "k")


def _scenario_dict():
    return {
        "scenario": {"name": "t", "ssp": "SSP2", "end": 2030},
        "levers": [
            {
                "type": "grid-factor",
                "name": "grid",
                "regions": ["Shanghai"],
                "factor": {"2017": 1.0, "2030": {"triangular": [0.5, 0.6, 0.8]}, "source": "assumption: test"},
            }
        ],
    }


def test_scenario_round_trips_and_substitutes_sampled_values():
    sc = Scenario.from_dict(_scenario_dict())
    again = Scenario.from_dict(sc.to_dict())
    assert again.to_dict() == sc.to_dict()
    dists = sc.distributions()
    assert list(dists) == [("levers", "grid", "factor", 2030)]
    draw = dists[("levers", "grid", "factor", 2030)].sample(np.random.default_rng(1))
    sampled = sc.with_values({("levers", "grid", "factor", 2030): float(draw)})
    assert sampled.lever("grid").at("factor", 2030) == pytest.approx(float(draw))
    assert sc.lever("grid").at("factor", 2030) == 0.6  # the original is untouched
    assert sampled.lever("grid").at("factor", 2017) == 1.0


def test_unknown_lever_type_ssp_and_keys_are_named():
    d = _scenario_dict()
    d["levers"][0]["type"] = "no-such-lever"
    with pytest.raises(ScenarioError, match=r"levers\[0\]\.type.*no-such-lever"):
        Scenario.from_dict(d)
    d = _scenario_dict()
    d["scenario"]["ssp"] = "SSP9"
    with pytest.raises(ScenarioError, match="SSP9"):
        Scenario.from_dict(d)
    d = _scenario_dict()
    d["levers"][0]["facter"] = d["levers"][0]["factor"]
    with pytest.raises(ScenarioError, match="facter"):
        Scenario.from_dict(d)


def test_a_new_lever_type_registers_and_is_found_by_the_scenario():
    @register_lever("test-double-s")
    class DoubleS(Lever):
        group = "industry"
        optional = ("regions", "sectors")

        def apply(self, state):
            state.S[state.nodes_of(self.regions, self.sectors)] *= 2

    try:
        sc = Scenario.from_dict({"scenario": {"name": "x"}, "levers": [{"type": "test-double-s", "regions": ["B"]}]})
        st = YearState(
            year=2020,
            base_year=2017,
            regions=["A", "B"],
            sectors=["s1", "s2"],
            categories=["c"],
            products=["s1"],
            ycols=[("A", "c"), ("B", "c")],
            drivers={},
            A=np.zeros((4, 4)),
            A_imp=np.zeros((1, 4)),
            Y=np.ones((4, 2)),
            Y_imp=np.zeros((1, 2)),
            S=np.ones(4),
            F_Y=np.zeros(2),
            M_imp=np.zeros((1, 2)),
        )
        sc.levers[0].apply(st)
        assert st.S.tolist() == [1, 1, 2, 2]
    finally:
        LEVERS.pop("test-double-s")


def _state(**kw):
    base = dict(
        year=2030,
        base_year=2017,
        regions=["A", "B"],
        sectors=["coal", "power", "steel"],
        categories=["consumption"],
        products=["coal", "power", "steel"],
        ycols=[("A", "consumption"), ("B", "consumption")],
        drivers={},
        A=np.full((6, 6), 0.05),
        A_imp=np.full((3, 6), 0.02),
        Y=np.ones((6, 2)),
        Y_imp=np.zeros((3, 2)),
        S=np.ones(6),
        F_Y=np.zeros(2),
        M_imp=np.ones((3, 2)),
    )
    base.update(kw)
    return YearState(**base)


def test_electrification_moves_fuel_to_electricity_at_the_stated_efficiency():
    from ioemissions.pathways import _builtin_levers as bl

    st = _state(
        sectors=[bl.FOSSIL_FUELS[0], bl.ELECTRICITY, "steel"], products=[bl.FOSSIL_FUELS[0], bl.ELECTRICITY, "steel"]
    )
    before_A, before_Aimp = st.A.copy(), st.A_imp.copy()
    lv = Scenario.from_dict(
        {
            "scenario": {"name": "e"},
            "levers": [
                {
                    "type": "electrification",
                    "regions": ["A"],
                    "sectors": ["steel"],
                    "share": {"2017": 0.0, "2030": 0.5, "source": "s"},
                    "efficiency": {"value": 0.4, "source": "s"},
                }
            ],
        }
    ).levers[0]
    lv.apply(st)
    j = 2  # (A, steel)
    fuel = before_A[[0, 3], j].sum() + before_Aimp[0, j]
    elec_gain = st.A[[1, 4], j].sum() + st.A_imp[1, j] - (before_A[[1, 4], j].sum() + before_Aimp[1, j])
    fuel_loss = fuel - (st.A[[0, 3], j].sum() + st.A_imp[0, j])
    assert fuel_loss == pytest.approx(0.5 * fuel, rel=1e-14)
    assert elec_gain == pytest.approx(0.4 * 0.5 * fuel, rel=1e-14)
    assert st.S[j] == 0.5 and st.S[5] == 1.0  # direct CO2 of the column falls with its fuel; region B untouched
    np.testing.assert_array_equal(st.A[:, 5], before_A[:, 5])


def test_calibrated_rate_recovers_an_exact_log_linear_trend():
    import pandas as pd

    from ioemissions.pathways.calibration import fit_rates

    years = list(range(2012, 2020))
    gdp = pd.Series([100 * 1.07 ** (y - 2012) for y in years], index=years)
    pop = pd.Series([10 * 1.01 ** (y - 2012) for y in years], index=years)
    drivers = pd.DataFrame({("gdp", "A"): gdp, ("population", "A"): pop})
    e = pd.DataFrame(
        [gdp * np.exp(-0.05 * (gdp.index - 2012)), pop * np.exp(0.02 * (pop.index - 2012))],
        index=pd.MultiIndex.from_tuples([("A", "industry"), ("A", "households")]),
    )
    rates = fit_rates(e, drivers)
    assert rates[("A", "industry")] == pytest.approx(-0.05, abs=1e-12)
    assert rates[("A", "households")] == pytest.approx(0.02, abs=1e-12)


def test_intensity_trend_half_life_integrates_a_fading_rate():
    sc = Scenario.from_dict(
        {
            "scenario": {"name": "h"},
            "levers": [
                {
                    "type": "intensity-trend",
                    "rate": {"value": -0.1, "source": "s"},
                    "half_life": {"value": 10, "source": "s"},
                }
            ],
        }
    )
    lv = sc.levers[0]
    # after one half-life the rate has run for h / ln 2 × (1 - 1/2) full-rate years
    assert lv.years_equivalent(10) == pytest.approx(10 / np.log(2) / 2, rel=1e-14)
    st = _state(year=2027)
    lv.apply(st)
    np.testing.assert_allclose(st.S, np.exp(-0.1 * 10 / np.log(2) / 2), rtol=1e-14)


def test_a_unit_that_does_not_match_the_lever_is_refused_with_its_key():
    from ioemissions.errors import UnitMismatchError

    d = _scenario_dict()
    d["levers"][0]["factor"]["unit"] = "GW"
    with pytest.raises(UnitMismatchError, match=r"levers\[0\]\.factor: unit 'GW'"):
        Scenario.from_dict(d)
    d["levers"][0]["factor"]["unit"] = "fraction"  # an alias of the lever's unit is accepted
    assert Scenario.from_dict(d).levers[0].params["factor"].unit == "fraction"
