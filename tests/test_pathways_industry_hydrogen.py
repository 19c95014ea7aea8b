"""Industry (steel-routes) and hydrogen technology levers: lever-off identities, the exact intensity-ratio
formula, the hydrogen mass balance, the capex hook and named errors."""

import numpy as np
import pandas as pd
import pytest
from conftest import P, V, sc, state_of

import ioemissions as ie
from ioemissions.errors import LabelError, ScenarioError, UnitMismatchError
from ioemissions.pathways import Lever
from ioemissions.pathways._builtin_levers import FOSSIL_FUELS
from ioemissions.pathways.engine import _year_state
from ioemissions.pathways.technology import hydrogen as th
from ioemissions.pathways.technology import industry as tin
from ioemissions.pathways.technology import investment as inv

STEEL = "Smelting and processing of metals"
CHEM = "Manufacture of chemical products"
ELEC = "Production and supply of electric power and heat power"
FUELS = list(FOSSIL_FUELS)  # the rows the levers treat as fuel purchases


def steel(**over):
    lv = {
        "type": "steel-routes",
        "name": "steel",
        "bf_bof": P({2017: 0.85, 2030: 0.6, 2040: 0.4}),
        "eaf": P({2017: 0.15, 2030: 0.3, 2040: 0.4}),
        "h2_dri": P({2017: 0.0, 2030: 0.1, 2040: 0.2}),
        "intensity_bf_bof": V(1.8),
        "intensity_eaf": V(0.1),
        "intensity_h2_dri": V(0.05),
    }
    lv.update(over)
    return lv


def hydrogen(**over):
    lv = {
        "type": "hydrogen",
        "name": "h2",
        "coal": V(0.6),
        "smr": V(0.3),
        "electrolysis": V(0.1),
        "electrolysis_efficiency": V(0.6217),
        "demand": P({2017: 0.0, 2030: 50000.0}, "t/yr"),
        "renewable_share": V(0.25),
    }
    lv.update(over)
    return lv


# ---------------------------------------------------------------- steel routes
def test_steel_routes_switched_off_is_the_top_down_pathway(drivers):
    flat = steel(bf_bof=P({2015: 0.85}), eaf=P({2015: 0.15}), h2_dri=P({2015: 0.0}))
    a = ie.pathways.run(sc([]), drivers=drivers, end=2021)
    b = ie.pathways.run(sc([flat]), drivers=drivers, end=2021)
    pd.testing.assert_frame_equal(a.emissions, b.emissions, rtol=1e-12, atol=0)
    assert b.info[2021]["steel_routes"]["steel"]["factor"] == 1.0


def test_ferrous_share_is_the_ceads_ratio():
    d = ie.tables.load("ceads-co2-provinces")
    d = d[(d.province == "Shanghai") & (d.year == 2017)]
    fe = d[d.sector == "Smelting and Pressing of Ferrous Metals"].value.sum()
    nf = d[d.sector == "Smelting and Pressing of Nonferrous Metals"].value.sum()
    assert tin.ferrous_share("Shanghai", 2017) == (pytest.approx(fe / (fe + nf), rel=1e-15), 2017)
    with pytest.raises(LabelError, match="no year <= 2005"):
        tin.ferrous_share("Shanghai", 2005)


def test_intensity_ratio_formula_is_exact(base, drivers):
    lv = Lever.from_dict(steel())
    s = state_of(base, drivers, 2030, lv)
    node = s.nodes_of(["Shanghai"], [STEEL])
    fuels = s.nodes_of(None, FUELS)
    S0, A0 = s.S.copy(), s.A.copy()
    lv.apply(s)
    r = (0.6 * 1.8 + 0.3 * 0.1 + 0.1 * 0.05) / (0.85 * 1.8 + 0.15 * 0.1 + 0.0 * 0.05)
    phi = tin.ferrous_share("Shanghai", 2017)[0]
    f = 1 - phi + phi * r
    np.testing.assert_allclose(s.S[node], S0[node] * f, rtol=1e-14)
    np.testing.assert_allclose(s.A[np.ix_(fuels, node)], A0[np.ix_(fuels, node)] * f, rtol=1e-14)
    other = np.ones(len(s.S), bool)
    other[node] = False
    np.testing.assert_array_equal(s.S[other], S0[other])
    # electricity inputs untouched (no BF-BOF electricity in the source)
    el = s.nodes_of(None, [ELEC])
    np.testing.assert_array_equal(s.A[np.ix_(el, node)], A0[np.ix_(el, node)])
    # a given steel share replaces the CEADs one
    lv2 = Lever.from_dict(steel(steel_share_of_sector=V(0.5)))
    s2 = state_of(base, drivers, 2030, lv2)
    lv2.apply(s2)
    np.testing.assert_allclose(s2.S[node], S0[node] * (0.5 + 0.5 * r), rtol=1e-14)


def test_steel_ccus_is_the_generic_ccus_formula(base, drivers):
    lv = Lever.from_dict(
        steel(
            bf_bof=P({2015: 0.85}),
            eaf=P({2015: 0.15}),
            h2_dri=P({2015: 0.0}),
            ccus_capture=P({2017: 0.0, 2030: 0.5}),
            ccus_sectors=["Manufacture of non-metallic mineral products"],
            ccus_energy_penalty=V(0.2),
        )
    )
    s = state_of(base, drivers, 2030, lv)
    j = s.nodes_of(["Shanghai"], ["Manufacture of non-metallic mineral products"])
    rows = s.nodes_of(None, [*FUELS, ELEC])
    S0, A0 = s.S.copy(), s.A.copy()
    lv.apply(s)
    np.testing.assert_allclose(s.S[j], S0[j] * 0.5, rtol=1e-15)
    np.testing.assert_allclose(s.A[np.ix_(rows, j)], A0[np.ix_(rows, j)] * 1.1, rtol=1e-15)


@pytest.mark.parametrize(
    ("over", "match"),
    [
        ({"eaf": P({2017: 0.25, 2030: 0.3})}, r"year 2017, bf_bof \+ eaf \+ h2_dri: 1.1 != 1"),
        ({"eaf": P({2015: 1.2})}, "year 2017, eaf: 1.2 is not a share"),
        ({"intensity_eaf": V(-0.1)}, "intensity_eaf: -0.1 t CO2/t is negative"),
        ({"bf_bof": P({2020: 0.85})}, "bf_bof: the path starts in 2020, after the base year 2017"),
        ({"region": "Atlantis"}, "region: unknown region 'Atlantis'"),
    ],
)
def test_steel_named_errors(base, drivers, over, match):
    with pytest.raises(ScenarioError, match=match):
        lv = Lever.from_dict(steel(**over))
        s = state_of(base, drivers, 2030, lv)
        lv.apply(s)


def test_steel_output_units_records_and_dri_hydrogen(base, drivers):
    lv = Lever.from_dict(steel(steel_output=P({2017: 17.0, 2040: 15.0}, "Mt/yr"), h2_dri_kg_per_t=V(63.0)))
    s = state_of(base, drivers, 2030, lv)
    lv.apply(s)
    q = 17.0e6 + (15.0e6 - 17.0e6) * 13 / 23
    assert s.info["hydrogen_demand_industry"]["Shanghai"] == pytest.approx(q * 0.1 * 63.0, rel=1e-12)
    rec = {r["technology"]: r for r in s.info["deployment"]}
    assert rec["steel-eaf"]["stock"] == pytest.approx(q * (0.3 + 0.1), rel=1e-12)
    assert rec["steel-h2-dri"]["stock"] == pytest.approx(q * 0.1, rel=1e-12)
    assert rec["steel-h2-dri"]["avoided_co2"] == pytest.approx(q * 0.1 * (1.8 - 0.05) / 1e6, rel=1e-12)
    bad = Lever.from_dict(steel(steel_output=P({2017: 17.0}, "m2")))
    s = state_of(base, drivers, 2030, bad)
    with pytest.raises(UnitMismatchError, match="steel_output"):
        bad.apply(s)


# ---------------------------------------------------------------- hydrogen
def test_hydrogen_without_demand_is_the_top_down_pathway(drivers):
    a = ie.pathways.run(sc([]), drivers=drivers, end=2021)
    b = ie.pathways.run(sc([hydrogen(demand=P({2017: 0.0}, "t/yr"))]), drivers=drivers, end=2021)
    pd.testing.assert_frame_equal(a.emissions, b.emissions, rtol=1e-12, atol=0)


def test_lhv_is_carculators_and_electrolysis_kwh_per_kg():
    v = ie.lca.transport.vehicle("car", "FCEV")
    assert th.lhv_kwh_per_kg() == pytest.approx(v["ttw_energy_kj_per_km"] / v["fuel_kg_per_km"] / 3600, rel=1e-15)
    assert th.lhv_kwh_per_kg() == pytest.approx(33.333, rel=1e-4)  # 120 MJ/kg, the usual LHV


def test_hydrogen_mass_balance_co2_and_electricity_are_exact(base, drivers):
    steel_lv = Lever.from_dict(steel(steel_output=P({2017: 17.0}, "Mt/yr"), h2_dri_kg_per_t=V(63.0)))
    lv = Lever.from_dict(hydrogen())
    s = state_of(base, drivers, 2030, lv)
    steel_lv.check(_year_state(base, 2017, drivers, sc([])))
    steel_lv.apply(s)
    s.info["hydrogen_demand"] = {"Shanghai": 1.0e6}  # FCEV kg, as a road-fleet lever leaves it
    j = int(s.nodes_of(["Shanghai"], [CHEM])[0])
    el = int(s.nodes_of(["Shanghai"], [ELEC])[0])
    x = np.linalg.solve(np.eye(len(s.S)) - s.A, s.Y.sum(axis=1))
    S0, A0 = s.S.copy(), s.A.copy()
    lv.apply(s)
    out = s.info["hydrogen"]["h2"]
    H = 1.0e6 + 17.0e6 * 0.1 * 63.0 + 50000.0e3
    assert sum(out["demand_kg"].values()) == pytest.approx(H, rel=1e-15)
    assert sum(out["production_kg"].values()) == pytest.approx(H, rel=1e-14)  # mass balance
    hf = ie.lca.transport.hydrogen_factor
    co2 = H * (0.6 * hf("grey-coal") + 0.3 * hf("grey") + 0.1 * 0.25 * hf("green"))
    assert out["co2_Mt"] == pytest.approx(co2 / 1e9, rel=1e-14)
    assert s.S[j] == pytest.approx(S0[j] + co2 / 1e9 / x[j], rel=1e-12)
    kwh = H * 0.1 * 0.75 * th.lhv_kwh_per_kg() / 0.6217
    assert out["grid_electricity_GWh"] == pytest.approx(kwh / 1e6, rel=1e-14)
    assert s.A[el, j] - A0[el, j] == pytest.approx(lv._price * kwh / 1e6 / x[j], rel=1e-9)
    rec = next(r for r in s.info["deployment"] if r["technology"] == "electrolysis")
    assert rec["stock"] == pytest.approx(H * 0.1 * th.lhv_kwh_per_kg() / 0.6217 / 8760, rel=1e-14)


def test_hydrogen_units_convert_and_mismatch_raises(base, drivers):
    a = Lever.from_dict(hydrogen())
    b = Lever.from_dict(hydrogen(demand=P({2017: 0.0, 2030: 0.05}, "Mt/yr")))
    sa, sb = state_of(base, drivers, 2030, a), state_of(base, drivers, 2030, b)
    a.apply(sa)
    b.apply(sb)
    np.testing.assert_allclose(sa.S, sb.S, rtol=1e-14)
    c = Lever.from_dict(hydrogen(demand=P({2017: 0.0}, "GW")))
    with pytest.raises(UnitMismatchError, match="demand"):
        c.apply(state_of(base, drivers, 2030, c))


@pytest.mark.parametrize(
    ("over", "match"),
    [
        ({"smr": V(0.4)}, r"coal \+ smr \+ electrolysis: 1.1 != 1"),
        ({"coal": V(-0.1), "smr": V(1.0)}, "coal: -0.1 is not a share"),
        ({"demand": P({2017: -5.0}, "t/yr")}, "demand: -5.0 t/yr is negative"),
        ({"electrolysis_efficiency": V(1.5)}, "electrolysis_efficiency: 1.5 is not in"),
        ({"producer": "Atlantis"}, "producer: unknown region 'Atlantis'"),
    ],
)
def test_hydrogen_named_errors(base, drivers, over, match):
    with pytest.raises(ScenarioError, match=match):
        lv = Lever.from_dict(hydrogen(**over))
        lv.apply(state_of(base, drivers, 2030, lv))


# ---------------------------------------------------------------- capex hook
def test_steel_and_electrolysis_capex_through_the_investment_machinery():
    rec = {"technology": "steel-eaf", "year": 2030, "added": 8760.0, "unit": "t/yr", "lever": "steel"}
    c, unit, py = inv.unit_capex("steel-eaf", 2030)
    assert unit == "CNY/(t steel/h)"
    assert inv.investment_of(rec) == pytest.approx(1.0 * c * inv.deflator(2017) / inv.deflator(py), rel=1e-14)
    rec = {"technology": "electrolysis", "year": 2030, "added": 1000.0, "unit": "kW", "lever": "h2"}
    c, unit, py = inv.unit_capex("electrolysis", 2030)
    assert inv.investment_of(rec) == pytest.approx(1000.0 * c * inv.deflator(2017) / inv.deflator(py), rel=1e-14)
    assert inv.allocation("steel-h2-dri") == {"Manufacture of special purpose machinery": 1.0}
    with pytest.raises(ScenarioError, match="'steel-h2-dri', year 2055: capex data cover 2020-2050"):
        inv.investment_of({"technology": "steel-h2-dri", "year": 2055, "added": 1.0, "unit": "t/yr"})
