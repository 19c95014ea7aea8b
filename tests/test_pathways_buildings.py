"""building-stock lever: floor-space identity, lever-off identity, exact electrification, named errors."""

import numpy as np
import pandas as pd
import pytest
from conftest import P, V, sc, state_of

import ioemissions as ie
from ioemissions.errors import ScenarioError, UnitMismatchError
from ioemissions.pathways import Lever
from ioemissions.pathways.engine import _year_state
from ioemissions.pathways.technology import buildings as tb


def bld(**over):
    lv = {
        "type": "building-stock",
        "name": "b",
        "floor_per_capita": P({2016: 35.5, 2040: 40.0}, "m2"),
        "population": P({2016: 2467, 2017: 2466, 2040: 2433}, "10^4 persons"),
        "demolition_rate": V(0.01, "1/yr"),
        "retrofit_rate": V(0.02, "1/yr"),
        "eui_new": P({2017: 1.0, 2025: 0.7}),
        "eui_retrofit": V(0.85),
        "direct_share": V(0.2868),
        "electricity_share": V(1.0),
        "gas_share": V(1.0),
    }
    lv.update(over)
    return lv


# ---------------------------------------------------------------- stock model
def test_floor_space_identity_and_vintages():
    area = [100.0, 100.0, 110.0, 120.0, 115.0, 90.0]  # the year before the base, then base..base+4
    T = len(area) - 1
    s = tb.stock_model(area, [0.02] * T, [0.1] * T, [1.0, 0.5, 0.5, 0.5, 0.5], [0.8] * T)
    np.testing.assert_allclose(s["stock"], area[1:], rtol=0, atol=1e-12)
    prev = np.array(area[:-1])
    np.testing.assert_allclose(s["stock"], prev + s["new"] - s["demolished"], rtol=0, atol=1e-12)
    # year 1: demolition 2 % of 100 -> new = 10 + 2; base stock 98, 10 % retrofitted
    assert s["new"][1] == pytest.approx(12.0) and s["demolished"][1] == pytest.approx(2.0)
    assert s["retrofits"][1] == pytest.approx(9.8) and s["unretrofitted"][1] == pytest.approx(88.2)
    assert s["energy"][1] == pytest.approx((88.2 + 0.8 * 9.8 + 0.5 * 12.0) / 100.0)
    # the stock shrinks by more than demolition: no new build, demolition = the fall
    assert s["new"][4] == 0.0 and s["demolished"][4] == pytest.approx(25.0)
    assert s["energy"][0] == 1.0  # the base year's stock is the reference


def test_demolition_beyond_the_base_stock_is_named():
    with pytest.raises(ScenarioError, match="exceeds the base-year floor space"):
        tb.stock_model([100.0, 100.0, 200.0, 200.0], [0.0, 0.0, 1.0], [0.0] * 3, [1.0] * 3, [1.0] * 3)


# ---------------------------------------------------------------- in the EE-MRIO
def test_lever_switched_off_is_the_top_down_pathway(drivers):
    off = bld(direct_share=V(0.0), electricity_share=V(0.0), gas_share=V(0.0))
    a = ie.pathways.run(sc([]), drivers=drivers, end=2022)
    b = ie.pathways.run(sc([off]), drivers=drivers, end=2022)
    pd.testing.assert_frame_equal(a.emissions, b.emissions, rtol=1e-12, atol=0)
    assert b.info[2022]["building_stock"]["b"]["stock_m2"] > 0


def test_base_year_is_the_base_table(drivers):
    a = ie.pathways.run(sc([]), drivers=drivers, end=2018)
    b = ie.pathways.run(sc([bld(construction_share=V(0.3))]), drivers=drivers, end=2018)
    pd.testing.assert_series_equal(a.emissions.loc[2017], b.emissions.loc[2017], rtol=1e-12)


def test_electrification_moves_exactly_the_share_at_the_efficiency(base, drivers):
    sigma, eta, beta = 0.3, 0.5, 0.2868
    lv = Lever.from_dict(bld(electrification=V(sigma), efficiency=V(eta)))
    ref = Lever.from_dict(bld())  # same stock, no electrification
    s, r = state_of(base, drivers, 2030, lv), state_of(base, drivers, 2030, ref)
    ref.check(_year_state(base, 2017, drivers, sc([])))
    lv.apply(s)
    ref.apply(r)
    H = lv.stock(2017, 2030)["energy"][-1]
    c = lv._cols
    gas = np.ix_(lv._gas, c)
    el = np.ix_(lv._el, c)
    gas_moved = r.Y[gas].sum(axis=0) - s.Y[gas].sum(axis=0)
    np.testing.assert_allclose(gas_moved, sigma * lv._Ygas0.sum(axis=0) * H, rtol=1e-12)
    np.testing.assert_allclose(s.Y[el].sum(axis=0) - r.Y[el].sum(axis=0), eta * gas_moved, rtol=1e-12)
    np.testing.assert_allclose(r.F_Y[c] - s.F_Y[c], sigma * beta * lv._FY0 * H, rtol=1e-12)
    info = s.info["building_stock"]["b"]
    assert info["electrified_share"] == sigma and info["energy_index"] == pytest.approx(H, rel=1e-15)


def test_construction_demand_scales_with_new_build(base, drivers):
    kap = 0.4
    lv = Lever.from_dict(bld(construction_share=V(kap)))
    s = state_of(base, drivers, 2025, lv)
    y0 = s.Y.copy()
    lv.apply(s)
    st = lv.stock(2017, 2025)
    cc = np.ix_(lv._con, lv._ccols)
    want = (1 - kap) * y0[cc] + kap * lv._Ycon0 * st["new"][-1] / st["new"][0]
    np.testing.assert_allclose(s.Y[cc], want, rtol=1e-12)


# ---------------------------------------------------------------- named errors
@pytest.mark.parametrize(
    ("over", "match"),
    [
        ({"demolition_rate": V(-0.01, "1/yr")}, "demolition_rate"),
        ({"retrofit_rate": V(1.5, "1/yr")}, "retrofit_rate"),
        ({"direct_share": V(1.2)}, "direct_share"),
        ({"electrification": V(1.1), "efficiency": V(0.5)}, "electrification"),
        ({"eui_new": V(-0.5)}, "eui_new"),
        ({"population": P({2017: 2466}, "10^4 persons")}, "population"),
        ({"floor_per_capita": P({2018: 35.5}, "m2")}, "floor_per_capita"),
    ],
)
def test_bad_values_raise_naming_the_key(drivers, over, match):
    with pytest.raises(ScenarioError, match=match):
        ie.pathways.run(sc([bld(**over)]), drivers=drivers, end=2019)


def test_unit_mismatch_is_named(drivers):
    with pytest.raises(UnitMismatchError, match="floor_per_capita"):
        ie.pathways.run(sc([bld(floor_per_capita=P({2016: 35.5}, "GW"))]), drivers=drivers, end=2018)
    with pytest.raises(UnitMismatchError, match="demolition_rate"):
        Lever.from_dict(bld(demolition_rate=V(1.0, "%")))


def test_electrification_without_efficiency_is_named():
    with pytest.raises(ScenarioError, match="electrification/efficiency"):
        Lever.from_dict(bld(electrification=V(0.2)))


def test_composes_with_road_fleet_on_households_direct_co2(base, drivers):
    """road-fleet then building-stock: F_Y = (1-φ-β) X + φ F0 T/T0 + β F0 H, X the top-down F_Y."""
    from ioemissions.pathways.technology import transport as ttr  # noqa: F401 (registers road-fleet)

    car = {
        "type": "road-fleet",
        "name": "cars",
        "stock": P({2017: 274.38, 2023: 421.85}, "10^4 vehicles"),
        "bev_sales_share": P({2017: 0.0, 2025: 0.5}),
        "survival_shape": V(3.0),
        "fuel_share_of_direct": V(0.7132),
        "fuel_share_of_spending": V(0.9444),
    }
    rf, bs = Lever.from_dict(car), Lever.from_dict(bld())
    s = state_of(base, drivers, 2025, rf)
    bs.check(_year_state(base, 2017, drivers, sc([])))
    X = s.F_Y[bs._cols].copy()
    rf.apply(s)
    after_car = s.F_Y[bs._cols].copy()
    bs.apply(s)
    H = bs.stock(2017, 2025)["energy"][-1]
    car_part = after_car - (1 - 0.7132) * X
    np.testing.assert_allclose(s.F_Y[bs._cols], (1 - 0.7132 - 0.2868) * X + car_part + 0.2868 * bs._FY0 * H, rtol=1e-12)


def test_shipped_buildings_scenario_runs_and_keeps_the_base_year():
    p = ie.pathways.run("peak-plan", end=2020)
    info = p.info[2017]["building_stock"]
    (rec,) = info.values()
    assert rec["stock_m2"] == pytest.approx(35.5 * 2466e4) and rec["energy_index"] == 1.0
    top = ie.pathways.run(
        ie.pathways.scenario("peak-plan").replace(
            levers=[lv for lv in ie.pathways.scenario("peak-plan").levers if lv.type_name != "building-stock"]
        ),
        end=2020,
    )
    pd.testing.assert_series_equal(p.emissions.loc[2017], top.emissions.loc[2017], rtol=1e-12)
