"""Technology levers (power-mix, road-fleet) and the deployment footprint: identities and named errors."""

import copy

import numpy as np
import pandas as pd
import pytest
from conftest import P, V, embodied_by_rerun, power_mix, sc, state_of

import ioemissions as ie
from ioemissions.errors import ScenarioError, UnitMismatchError
from ioemissions.pathways import Lever
from ioemissions.pathways.engine import _year_state
from ioemissions.pathways.technology import electricity as tel
from ioemissions.pathways.technology import investment as inv
from ioemissions.pathways.technology import transport as ttr


def power(**over):
    """The plan's power mix with the Inner Mongolia line."""
    line = {
        "line": P({2017: 0.0, 2025: 0.0, 2030: 400.0}, "10^8 kWh"),
        "line_green_share": V(0.5),
        "line_origin": "Inner Mongolia",
    }
    return power_mix(**{**line, **over})


def fleet(**over):
    lv = {
        "type": "road-fleet",
        "name": "cars",
        "stock": P({2017: 274.38, 2023: 421.85}, "10^4 vehicles"),
        "bev_sales_share": P({2017: 0.0, 2025: 0.5, 2035: 0.8}),
        "fcev_sales_share": P({2017: 0.0, 2035: 0.01}),
        "survival_shape": V(3.0),
        "fuel_share_of_direct": V(0.7132),
        "fuel_share_of_spending": V(0.9444),
    }
    lv.update(over)
    return lv


# ---------------------------------------------------------------- electricity
def test_base_year_grid_factor_is_the_electricity_modules_2017_factor(base, drivers):
    lv = Lever.from_dict(power())
    s = state_of(base, drivers, 2017, lv)
    S0 = s.S.copy()
    lv.apply(s)
    want = ie.electricity.imported_emissions("Shanghai", 2017).factors["consumption-based (traced)"]
    assert s.info["grid_factor"]["Shanghai"] == pytest.approx(want, rel=1e-12)
    np.testing.assert_array_equal(s.S, S0)


def test_power_mix_switched_off_is_the_top_down_pathway(drivers):
    flat = power(
        solar=P({2017: 1.0}, "GW"), wind=P({2017: 0.7}, "GW"), line=P({2017: 0.0}, "10^8 kWh")
    )  # no new capacity, no line: only the load grows
    a = ie.pathways.run(sc([]), drivers=drivers, end=2022)
    b = ie.pathways.run(sc([flat]), drivers=drivers, end=2022)
    pd.testing.assert_frame_equal(a.emissions, b.emissions, rtol=1e-12, atol=0)
    assert b.info[2022]["power_mix"]["pm"]["intensity_ratio"] == pytest.approx(1.0, abs=1e-12)


def test_power_mix_ratio_is_the_change_of_co2_per_kwh_supplied(base, drivers):
    lv = Lever.from_dict(power())
    s = state_of(base, drivers, 2030, lv)
    nw = lv.network(s)
    net0 = tel.base_network(2017)
    g0, e0 = net0["generation"]["Shanghai"], net0["emissions"]["Shanghai"]
    th = tel.thermal_share("Shanghai", 2017)
    k = s.drivers["Shanghai"]["gdp_index"] ** 0.35
    d_solar = (7.0 - 1.0) * 0.1682 * 8760
    d_wind = (5.0 - 0.7) * 2122.0
    line = 400.0 * 100  # 10^8 kWh -> GWh
    thermal = k * g0 * th - d_solar - d_wind - line
    assert nw["thermal"] == pytest.approx(thermal, rel=1e-12)
    brown_co2 = line * 0.5 * net0["emissions"]["Inner Mongolia"] / net0["generation"]["Inner Mongolia"]
    ratio = ((thermal * e0 / (g0 * th) + brown_co2) / (k * g0)) / (e0 / g0)
    assert nw["ratio"] == pytest.approx(ratio, rel=1e-12)


def test_power_mix_load_follows_the_scenarios_gdp_factor(drivers):
    # an ensemble's GDP draw scales the final demand by gdp_factor; the load of the power mix must move with it
    from ioemissions.pathways import Scenario

    def run(f):
        d = {"scenario": {"name": "t", "end": 2030}, "levers": [power()]}
        d["drivers"] = {"gdp_factor": P({2017: 1.0, 2030: f})}
        return ie.pathways.run(Scenario.from_dict(d), drivers=drivers)

    one, high = run(1.0), run(1.2)
    gdp = drivers[("gdp", "Shanghai")]
    k1 = one.info[2030]["power_mix"]["pm"]["load_index"]
    assert k1 == pytest.approx((gdp[2030] / gdp[2017]) ** 0.35, rel=1e-12)
    assert high.info[2030]["power_mix"]["pm"]["load_index"] == pytest.approx(k1 * 1.2**0.35, rel=1e-12)
    assert high.info[2030]["power_mix"]["pm"]["thermal_GWh"] > one.info[2030]["power_mix"]["pm"]["thermal_GWh"]


def test_gw_and_mw_give_the_same_result_gw_and_m2_raise(base, drivers):
    a = Lever.from_dict(power())
    b = Lever.from_dict(power(solar=P({2017: 1000.0, 2025: 4000.0, 2030: 7000.0}, "MW")))
    s = state_of(base, drivers, 2030, a)
    b.check(_year_state(base, 2017, drivers, sc([])))
    assert a.network(s)["ratio"] == pytest.approx(b.network(s)["ratio"], rel=1e-12)
    c = Lever.from_dict(power(solar=P({2017: 1.0, 2030: 7.0}, "m2")))
    with pytest.raises(UnitMismatchError, match=r"solar.*'m2' \(area\) cannot be converted to 'GW'"):
        c.network(s)


def test_negative_capacity_and_too_much_capacity_name_lever_year_field(base, drivers):
    lv = Lever.from_dict(power(solar=P({2017: 1.0, 2030: -2.0}, "GW")))
    s = state_of(base, drivers, 2030, lv)
    with pytest.raises(ScenarioError, match=r"'pm'\), year 2030, solar: -2.0 GW is negative"):
        lv.apply(s)
    big = Lever.from_dict(power(wind=P({2017: 0.7, 2030: 500.0}, "GW")))
    with pytest.raises(ScenarioError, match=r"year 2030, solar/wind/line: new generation .* exceeds Shanghai"):
        big.apply(s)


# ---------------------------------------------------------------- transport
def test_stock_model_keeps_the_stock_and_splits_sales_by_share():
    T = 30
    stock = np.linspace(100.0, 160.0, T)
    shares = np.tile([0.5, 0.4, 0.1], (T, 1))
    f, s = ttr.stock_model(stock, shares, 15.0, 3.0, [1.0, 0.0, 0.0])
    np.testing.assert_allclose(f.sum(axis=1), stock, rtol=1e-12)  # growing stock: always sales
    np.testing.assert_allclose(s[1:] / s[1:].sum(axis=1, keepdims=True), shares[1:], rtol=1e-12)
    assert f[0, 1] == 0 and f[-1, 1] > 0


def test_vehicle_km_and_energy_are_conserved_when_the_mix_changes(base, drivers):
    a = Lever.from_dict(fleet())
    b = Lever.from_dict(fleet(bev_sales_share=P({2017: 0.0, 2020: 0.9})))
    for lv in (a, b):
        lv.check(_year_state(base, 2017, drivers, sc([])))
    fa, fb = a.fleet(2017, 2030), b.fleet(2017, 2030)
    stock = np.array([a.qty("stock", y, "vehicles") for y in fa["years"]])
    for f in (fa, fb):
        np.testing.assert_allclose(f["vkm"].sum(axis=1), stock * f["km"], rtol=1e-12)
        per_km = [
            ie.lca.transport.vehicle("car", p)["electricity_kwh_per_km" if p == "BEV" else "fuel_kg_per_km"]
            for p in ("ICEV-p", "BEV", "FCEV")
        ]
        np.testing.assert_allclose(f["energy"], f["vkm"] * np.array(per_km, dtype=float), rtol=1e-12)
    assert not np.allclose(fa["vkm"], fb["vkm"])  # the mix differs, the total does not


def test_road_fleet_replaces_the_car_part_of_households_direct_co2(base, drivers):
    lv = Lever.from_dict(fleet())
    s0 = _year_state(base, 2017, drivers, sc([]))
    lv.check(s0)
    s = _year_state(base, 2030, drivers, sc([]))
    before = s.F_Y.copy()
    lv.apply(s)
    c = s.columns_of(["Shanghai"], ["consumption"])
    f = lv.fleet(2017, 2030)
    ratio = f["vkm"][-1, 0] / f["vkm"][0, 0]  # tailpipe CO2 of ICEVs scales with their vkm
    np.testing.assert_allclose(s.F_Y[c], (1 - 0.7132) * before[c] + 0.7132 * s0.F_Y[c] * ratio, rtol=1e-12)
    other = np.setdiff1d(np.arange(len(s.F_Y)), c)
    np.testing.assert_array_equal(s.F_Y[other], before[other])


def test_sales_shares_above_one_name_the_field_and_year(base, drivers):
    lv = Lever.from_dict(fleet(bev_sales_share=P({2017: 0.0, 2030: 0.995}), fcev_sales_share=P({2017: 0.0, 2030: 0.1})))
    lv.check(_year_state(base, 2017, drivers, sc([])))
    with pytest.raises(ScenarioError, match=r"'cars'\), year 20\d\d, bev_sales_share \+ fcev_sales_share: .* > 1"):
        lv.fleet(2017, 2030)


def test_road_fleet_refuses_buses_and_trucks_rather_than_put_their_fuel_on_households():
    for vehicle in ("bus", "truck"):
        with pytest.raises(ScenarioError, match=rf"vehicle: road-fleet models households' cars only, not '{vehicle}'"):
            Lever.from_dict(fleet(vehicle=vehicle))


# ---------------------------------------------------------------- investment
def test_allocation_adds_up_to_the_capex_for_every_technology(base, drivers):
    s = _year_state(base, 2025, drivers, sc([]))
    techs = sorted(set(inv._costs()["splits"].technology) | set(inv.NO_SPLIT))
    for t in techs:
        assert sum(inv.allocation(t).values()) == pytest.approx(1.0, abs=1e-12), t
        y, ym = inv.final_demand(s, "Shanghai", t, 1234.5)
        assert y.sum() + ym.sum() == pytest.approx(1234.5, rel=1e-12), t


def test_capex_errors_name_technology_and_year():
    with pytest.raises(ScenarioError, match="technology 'fusion': no cost data"):
        inv.unit_capex("fusion", 2030)
    with pytest.raises(ScenarioError, match=r"technology 'bev-car', year 2060: capex data cover 2020-2050"):
        inv.unit_capex("bev-car", 2060)
    assert inv.unit_capex("bev-car", 2060, costs="hold")[0] == inv.unit_capex("bev-car", 2050)[0]
    c, unit, py = inv.unit_capex("solar-pv", 2035)
    assert (c, unit, py) == (pytest.approx((2200.0 + 1900.0) / 2), "CNY/kW", inv.ASSUMED_PRICE_YEAR)
    rec = {"technology": "solar-pv", "year": 2030, "added": 1.0, "unit": "m2", "lever": "x"}
    with pytest.raises(UnitMismatchError, match=r"'solar-pv' by lever 'x', year 2030, field 'added'"):
        inv.investment_of(rec)
    gw = inv.investment_of({**rec, "unit": "GW"})
    mw = inv.investment_of({**rec, "unit": "MW", "added": 1000.0})
    assert gw == pytest.approx(mw, rel=1e-12) == pytest.approx(2200.0 * 1e6 / inv.deflator(2020), rel=1e-12)


def test_embodied_co2_is_the_io_footprint_of_the_investment(drivers):
    # cost data start in 2020 (embodied_by_rerun prices with costs="hold"); adding that final demand through the
    # engine raises Shanghai's consumption-based CO2 by embodied_co2
    row, diff = embodied_by_rerun([power(), fleet()], drivers, 2019, "offshore-wind")
    assert row["investment"] > 0 and row["embodied_co2"] > 0
    assert diff == pytest.approx(row["embodied_co2"], rel=1e-9)
    net0 = tel.base_network(2017)
    i_th = net0["emissions"]["Shanghai"] / (net0["generation"]["Shanghai"] * tel.thermal_share("Shanghai", 2017))
    wind_gwh = (0.7 + (5.0 - 0.7) * 2 / 13 - 0.7) * 2122.0
    assert row["avoided_co2"] == pytest.approx(wind_gwh * i_th, rel=1e-12)
    assert row["added"] == pytest.approx((5.0 - 0.7) / 13, rel=1e-12)  # GW added in 2019


def test_payback_is_the_first_year_cumulative_avoided_reaches_embodied():
    idx = pd.MultiIndex.from_product([[2020, 2021, 2022], ["Shanghai"], ["x"]], names=["year", "region", "technology"])
    d = pd.DataFrame({"embodied_co2": [3.0, 0.0, 0.0], "avoided_co2": [1.0, 1.0, 1.0]}, index=idx)
    assert inv.payback(d).loc[("Shanghai", "x")] == 2022
    d["avoided_co2"] = 0.5
    assert pd.isna(inv.payback(d).loc[("Shanghai", "x")])


# ---------------------------------------------------------------- report
def test_technology_view_writes_effects_that_are_with_minus_without(tmp_path, drivers):
    from ioemissions.report.technology import has_technology, technology_view

    levers = [power(), fleet()]
    p = ie.pathways.run(sc(copy.deepcopy(levers), end=2021), drivers=drivers)
    assert has_technology(p)
    files = technology_view(p, tmp_path, precise=False)
    assert all((tmp_path / f).exists() for f in files)
    eff = pd.read_csv(tmp_path / "technology_t_effects.csv")
    without = ie.pathways.run(sc([copy.deepcopy(levers[1])], end=2021), drivers=drivers)
    got = eff.query("group == 'electricity' and basis == 'production'").set_index("year")["co2 [Mt]"]
    want = p.emissions[("Shanghai", "production")] - without.emissions[("Shanghai", "production")]
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-5, atol=1e-9)
    imp = pd.read_csv(tmp_path / "technology_t_impacts.csv")
    assert imp["investment [10^4 CNY, 2017 prices]"].sum() == pytest.approx(
        inv.deployment_impacts(p, costs="hold")["investment"].sum(), rel=1e-5
    )  # 6 significant digits in the CSV
    peaks = pd.read_csv(tmp_path / "technology_t_peaks.csv").set_index(["case", "basis"])
    assert peaks.loc[("with all", "production"), "peak_level [Mt]"] == pytest.approx(p.peak("Shanghai").level, rel=1e-5)


def test_operating_factor_is_assess_with_the_years_grid_and_hydrogen_factors():
    # the road-fleet bookkeeping reads the per-vkm lines once and scales the grid and hydrogen lines
    # (assess is linear in both); it must equal assess's own lines for any factor
    from ioemissions.lca import transport as lt
    from ioemissions.pathways.technology.transport import OPERATING_LINES, operating_factor

    for vehicle, pts in (("car", ("ICEV-p", "BEV", "FCEV")), ("truck", ("ICEV-d", "BEV", "FCEV"))):
        for p in pts:
            for grid, h2 in ((0.605, 24.1), (0.0, 0.0), (1.3, 2.5)):
                lines = lt.assess(vehicle, p, grid_factor_kg_per_kwh=grid, hydrogen_factor_kg_per_kg=h2).lines
                want = sum(lines.set_index("line")["kgco2e"].get(k, 0.0) for k in OPERATING_LINES)
                assert operating_factor(vehicle, p, grid, h2) == pytest.approx(want, rel=1e-15, abs=0.0)
