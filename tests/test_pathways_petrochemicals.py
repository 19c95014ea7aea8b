"""The ``petrochemicals`` lever: lever off = the top-down pathway, the exact switch and capture formulas
(F_t = F (1 - c), energy rows x (1 + p c)), share validation and named errors."""

import numpy as np
import pandas as pd
import pytest
from conftest import P, V, sc, state_of

import ioemissions as ie
from ioemissions.errors import ScenarioError, UnitMismatchError
from ioemissions.pathways import Lever
from ioemissions.pathways._builtin_levers import FOSSIL_FUELS
from ioemissions.pathways.technology import industry as tin

PETRO = "Processing of petroleum, coking, and nuclear fuel"
CHEM = "Manufacture of chemical products"
ELEC = "Production and supply of electric power and heat power"
FUELS = list(FOSSIL_FUELS)  # the rows the levers treat as fuel purchases


def petro(**over):
    lv = {"type": "petrochemicals", "name": "pc"}
    lv.update(over)
    return lv


def test_switched_off_is_the_top_down_pathway(drivers):
    flat = petro(
        switch_share=P({2015: 0.1}),
        electricity_per_fuel=V(0.8),
        ccus_capture=P({2015: 0.0}),
        ccus_energy_penalty=V(0.2),
    )
    a = ie.pathways.run(sc([]), drivers=drivers, end=2021)
    b = ie.pathways.run(sc([flat]), drivers=drivers, end=2021)
    pd.testing.assert_frame_equal(a.emissions, b.emissions, rtol=1e-12, atol=0)
    assert b.info[2021]["petrochemicals"]["pc"] == {"switch_factor": 1.0, "ccus_capture": 0.0}


def test_switch_factor():
    assert tin.switch_factor(0.4, 0.1) == pytest.approx(0.6 / 0.9, rel=1e-15)
    assert tin.switch_factor(0.0, 0.0) == 1.0


def test_switch_formula_is_exact(base, drivers):
    lv = Lever.from_dict(petro(switch_share=P({2017: 0.0, 2030: 0.3}), electricity_per_fuel=V(0.8)))
    s = state_of(base, drivers, 2030, lv)
    j = s.nodes_of(["Shanghai"], [PETRO, CHEM])
    fuels, el = s.nodes_of(None, FUELS), s.nodes_of(None, [ELEC])
    S0, A0 = s.S.copy(), s.A.copy()
    lv.apply(s)
    f = 0.7
    np.testing.assert_allclose(s.S[j], S0[j] * f, rtol=1e-14)
    np.testing.assert_allclose(s.A[np.ix_(fuels, j)], A0[np.ix_(fuels, j)] * f, rtol=1e-14)
    moved = 0.3 * A0[np.ix_(fuels, j)].sum(axis=0)
    # the moved fuel money buys 0.8 times as much electricity, split by the existing origins
    np.testing.assert_allclose(s.A[np.ix_(el, j)].sum(axis=0), A0[np.ix_(el, j)].sum(axis=0) + 0.8 * moved, rtol=1e-13)
    w0 = A0[np.ix_(el, j)] / A0[np.ix_(el, j)].sum(axis=0)
    w1 = s.A[np.ix_(el, j)] / s.A[np.ix_(el, j)].sum(axis=0)
    np.testing.assert_allclose(w1, w0, rtol=1e-12)
    other = np.ones(len(s.S), bool)
    other[j] = False
    np.testing.assert_array_equal(s.S[other], S0[other])
    # only the chemicals column when ``sectors`` says so
    lv2 = Lever.from_dict(petro(sectors=[CHEM], switch_share=P({2017: 0.0, 2030: 0.3}), electricity_per_fuel=V(0.8)))
    s2 = state_of(base, drivers, 2030, lv2)
    lv2.apply(s2)
    jc, jp = s2.nodes_of(["Shanghai"], [CHEM]), s2.nodes_of(["Shanghai"], [PETRO])
    np.testing.assert_allclose(s2.S[jc], S0[jc] * f, rtol=1e-14)
    np.testing.assert_array_equal(s2.S[jp], S0[jp])


def test_capture_formula_is_exact(base, drivers):
    """F_t = F (1 - c) on the sectors' direct CO2; the energy penalty p raises energy purchases by (1 + p c)."""
    lv = Lever.from_dict(petro(ccus_capture=P({2017: 0.0, 2030: 0.9}), ccus_energy_penalty=V(0.25)))
    s = state_of(base, drivers, 2030, lv)
    j = s.nodes_of(["Shanghai"], [PETRO, CHEM])
    rows = s.nodes_of(None, [*FUELS, ELEC])
    S0, A0 = s.S.copy(), s.A.copy()
    lv.apply(s)
    np.testing.assert_allclose(s.S[j], S0[j] * (1 - 0.9), rtol=1e-14)
    np.testing.assert_allclose(s.A[np.ix_(rows, j)], A0[np.ix_(rows, j)] * (1 + 0.25 * 0.9), rtol=1e-15)
    # switch then capture: S = S0 f (1 - c)
    both = Lever.from_dict(
        petro(
            switch_share=P({2017: 0.0, 2030: 0.3}),
            electricity_per_fuel=V(0.8),
            ccus_capture=P({2017: 0.0, 2030: 0.9}),
        )
    )
    s2 = state_of(base, drivers, 2030, both)
    both.apply(s2)
    np.testing.assert_allclose(s2.S[j], S0[j] * 0.7 * 0.1, rtol=1e-14)


def test_capture_through_the_engine_is_exact(drivers):
    """Without a penalty A (and so x) is unchanged: the two sectors' production-based CO2 is exactly
    (1 - c) times the top-down one (c = 0.5 in 2020, 0.5/3 in 2018) and every other sector's is unchanged;
    the penalty's extra energy purchases raise the power sector's CO2."""
    cap = P({2017: 0.0, 2020: 0.5})
    a = ie.pathways.run(sc([]), drivers=drivers, end=2020).emissions_by_sector("Shanghai")
    c = ie.pathways.run(sc([petro(ccus_capture=cap)]), drivers=drivers, end=2020).emissions_by_sector("Shanghai")
    np.testing.assert_allclose(c.loc[2020, [PETRO, CHEM]], a.loc[2020, [PETRO, CHEM]] * 0.5, rtol=1e-10)
    rest = [k for k in a.columns if k not in (PETRO, CHEM)]
    np.testing.assert_allclose(c.loc[2020, rest], a.loc[2020, rest], rtol=1e-10)
    np.testing.assert_allclose(c.loc[2018], a.loc[2018] * np.where(a.columns.isin([PETRO, CHEM]), 1 - 0.5 / 3, 1.0))
    pen = petro(ccus_capture=cap, ccus_energy_penalty=V(0.3))
    p = ie.pathways.run(sc([pen]), drivers=drivers, end=2020).emissions_by_sector("Shanghai")
    assert float(p.loc[2020, ELEC]) > float(c.loc[2020, ELEC])


@pytest.mark.parametrize(
    ("over", "err", "match"),
    [
        ({"ccus_capture": P({2015: 1.2})}, ScenarioError, "year 2017, ccus_capture: 1.2 is not a share"),
        ({"ccus_capture": P({2015: -0.1})}, ScenarioError, r"year 2017, ccus_capture: -0.1 is not a share"),
        (
            {"ccus_capture": P({2017: 0.0, 2030: 0.5}), "ccus_energy_penalty": V(-0.2)},
            ScenarioError,
            "year 2030, ccus_energy_penalty: -0.2 is negative",
        ),
        (
            {"switch_share": P({2015: 0.1}), "electricity_per_fuel": V(-1.0)},
            ScenarioError,
            "electricity_per_fuel: -1.0",
        ),
        ({"switch_share": P({2015: 1.5}), "electricity_per_fuel": V(1.0)}, ScenarioError, "switch_share: 1.5 is not"),
        (
            {"switch_share": P({2020: 0.1, 2030: 0.3}), "electricity_per_fuel": V(1.0)},
            ScenarioError,
            "switch_share: the path starts in 2020, after the base year 2017",
        ),
        (
            {"ccus_capture": P({2025: 0.5})},
            ScenarioError,
            "ccus_capture: the path starts in 2025, after the base year 2017",
        ),
        ({"ccus_capture": P({2015: 0.5}, "GW")}, UnitMismatchError, "ccus_capture: unit 'GW'"),
        ({"ccus_capture": P({2015: 90.0}, "%")}, UnitMismatchError, "ccus_capture: unit '%'"),
        ({"region": "Atlantis"}, ScenarioError, "region: unknown region 'Atlantis'"),
        ({"sectors": ["Smelting and processing of metals"]}, ScenarioError, "not petrochemical sectors"),
        ({"switch_share": P({2015: 0.1})}, ScenarioError, "electricity_per_fuel: needed with switch_share"),
        ({"ccus_energy_penalty": V(0.2)}, ScenarioError, "ccus_capture: needed with ccus_energy_penalty"),
    ],
)
def test_named_errors(base, drivers, over, err, match):
    with pytest.raises(err, match=match):
        lv = Lever.from_dict(petro(**over))
        s = state_of(base, drivers, 2030, lv)
        lv.apply(s)
