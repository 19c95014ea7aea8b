"""Issue 12: the Yangtze-Delta table keeps the data it is built from, imported emissions have options,
and the pymrio export keeps the import block."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ioemissions as ie
from ioemissions.core.imports import (
    WORLD_TO_CHINA_INTENSITY,
    foreign_multipliers_from_pymrio,
    scaled_multipliers,
)
from ioemissions.errors import LabelError
from ioemissions.regional.yrd import (
    ELECTRICITY,
    NATIONAL_TABLES,
    YRD_GROUPS,
    electricity_check,
    regional_gdp_shares,
    rest_co2_totals,
)

YEARS = [2012, 2017]


@pytest.fixture(scope="module", params=YEARS)
def year(request):
    return request.param


@pytest.fixture(scope="module")
def yrd(year):
    return ie.tables.load(f"yrd-mrio-{year}")


@pytest.fixture(scope="module")
def china17():
    m = ie.tables.load("china-io-2017")
    return m.with_stressors(**ie.inventory.ceads_satellite("China", 2017, m))


# ---------------------------------------------------------------- item 1: electricity follows the wires
def test_electricity_use_by_origin_within_two_points_of_the_physical_flows(yrd, year):
    check = electricity_check(yrd, year)
    assert len(check) == 25
    assert check["difference_pp"].abs().max() <= 2.0, check.round(4)
    # the physical shares themselves, from GCAM-China: Shanghai takes about a third of its electricity from the
    # rest of China (UHV hydro) and about a tenth from Zhejiang in 2017 (issue 12)
    if year == 2017:
        sh = check.loc["Shanghai", "physical"]
        assert 0.30 < sh["RestOfChina"] < 0.40 and 0.05 < sh["Zhejiang"] < 0.15


def test_electricity_output_follows_sales_and_national_total_is_kept(yrd, year):
    national = ie.tables.load(NATIONAL_TABLES[year])
    x_e = yrd.x.xs(ELECTRICITY, level=1)
    assert x_e.sum() == pytest.approx(national.x.xs(ELECTRICITY, level=1).sum(), rel=1e-9)
    assert (x_e > 0).all()


# ---------------------------------------------------------------- item 2: value added vs provincial GDP
def test_value_added_matches_provincial_gdp_shares(yrd, year):
    va = yrd.x - yrd.Z.sum(axis=0) - yrd.Z_imp.sum(axis=0)
    assert (va >= 0).all()  # sector detail non-negative
    by_region = va.groupby(level=0, sort=False).sum()
    share = by_region / by_region.sum()
    gdp = regional_gdp_shares(year)
    # each region's value added is its GDP share (IPIO, production approach) of the national table's value added
    assert (share / gdp.reindex(share.index) - 1).abs().max() <= 0.01
    np.testing.assert_allclose(share.to_numpy(), gdp.reindex(share.index).to_numpy(), rtol=1e-9)


def test_gdp_shares_are_the_ipio_production_approach(year):
    exp = ie.tables.load("ipio-provincial-expenditure").query("year == @year")
    gdp = exp.groupby("province").value.sum()
    # 2017: Shanghai 32,922.6 of 832,035.9 (10^8 CNY, balanced IPIO accounts; SOURCE.md of the raw data)
    if year == 2017:
        assert gdp["Shanghai"] == pytest.approx(32922.6, abs=0.1)
        assert gdp.sum() == pytest.approx(832035.9, abs=0.1)
    shares = regional_gdp_shares(year)
    assert shares["Shanghai"] == pytest.approx(gdp["Shanghai"] / gdp.sum(), rel=1e-12)
    assert shares.sum() == pytest.approx(1.0, rel=1e-12)


def test_intermediate_inputs_add_up_to_the_national_table_cell_by_cell(yrd, year):
    national = ie.tables.load(NATIONAL_TABLES[year])
    s = list(yrd.sectors)
    # total (domestic + imported) input of product i into sector j, summed over origins and using regions
    Z = yrd.Z.to_numpy().reshape(5, len(s), 5, len(s)).sum(axis=(0, 2)) + yrd.Z_imp.to_numpy().reshape(
        len(s), 5, len(s)
    ).sum(axis=1)
    Zn = national.Z.to_numpy() + national.Z_imp.to_numpy()
    np.testing.assert_allclose(Z, Zn, rtol=1e-9, atol=1e-9 * Zn.max())


# ---------------------------------------------------------------- item 3: rest-of-China CO2
def test_rest_of_china_co2_methods(yrd, year):
    totals = rest_co2_totals(yrd, year)
    nat = ie.inventory.ceads_co2("China", year)["value"].sum()
    np.testing.assert_allclose(totals.sum(axis=0).to_numpy(), [nat, nat], rtol=1e-12)
    # residual: every province keeps its own CEADs inventory (the shipped table)
    for p in ("Shanghai", "Jiangsu", "Zhejiang", "Anhui"):
        assert totals.at[p, "residual"] == pytest.approx(ie.inventory.ceads_co2(p, year)["value"].sum(), rel=1e-12)
    # proportional, by hand: E^r = sum_c P^r_c N_c / sum_q P^q_c over (sector, fuel) cells c
    key = ["sector", "fuel"]
    prov = ie.inventory.ceads_co2(None, year)
    to_group = {p: r for r, ps in YRD_GROUPS.items() for p in ps}
    P = prov[prov.province.isin(to_group)].assign(r=lambda d: d.province.map(to_group))
    P = P.groupby(["r", *key]).value.sum().unstack("r", fill_value=0.0)
    N = ie.inventory.ceads_co2("China", year).groupby(key).value.sum().reindex(P.index, fill_value=0.0)
    ratio = N / P.sum(axis=1)
    assert totals.at["Shanghai", "proportional"] == pytest.approx((P["Shanghai"] * ratio).sum(), rel=1e-9)
    # the provinces' inventories exceed the national one, so the proportional rest of China is above the residual
    assert totals.at["RestOfChina", "proportional"] > totals.at["RestOfChina", "residual"]


def test_unknown_rest_of_china_method_is_named(yrd, year):
    from ioemissions.regional.yrd import regional_satellite

    with pytest.raises(LabelError, match="average"):
        regional_satellite(yrd, year, method="average")


# ---------------------------------------------------------------- item 4: foreign intensities
def test_scaled_foreign_multipliers_scale_the_emissions_abroad_exactly(china17):
    dta = china17.dta_multipliers()
    rho = WORLD_TO_CHINA_INTENSITY
    assert rho == pytest.approx(0.29 / 0.42, rel=1e-15)
    scaled = china17.replace(M_imp=scaled_multipliers(dta, rho))
    T0, T1 = china17.embodied_trade("CO2"), scaled.embodied_trade("CO2")
    assert T1.at[ie.ABROAD, "China"] == pytest.approx(rho * T0.at[ie.ABROAD, "China"], rel=1e-12)
    a0, a1 = china17.accounts("CO2").loc["China"], scaled.accounts("CO2").loc["China"]
    assert a1["production"] == a0["production"]
    # China 2017 consumption vs territorial: -1.8 % under DTA (issue 12), -6.8 % with the world/China ratio
    assert a0["consumption"] / a0["production"] - 1 == pytest.approx(-0.0177, abs=5e-4)
    assert a1["consumption"] / a1["production"] - 1 == pytest.approx(-0.0683, abs=5e-4)
    per_product = pd.Series(rho, index=dta.columns)
    np.testing.assert_allclose(scaled_multipliers(dta, per_product).to_numpy(), scaled.M_imp.to_numpy(), rtol=0)


def test_bad_foreign_ratios_raise(china17):
    dta = china17.dta_multipliers()
    with pytest.raises(LabelError, match="no foreign/domestic ratio"):
        scaled_multipliers(dta, pd.Series({dta.columns[0]: 0.5}))
    with pytest.raises(ValueError, match="positive"):
        scaled_multipliers(dta, 0.0)


def test_the_shipped_yrd_table_uses_the_documented_ratio(yrd, year):
    national = ie.tables.load(NATIONAL_TABLES[year])
    dta = national.with_stressors(**ie.inventory.ceads_satellite("China", year, national)).dta_multipliers()
    np.testing.assert_allclose(yrd.M_imp.to_numpy(), WORLD_TO_CHINA_INTENSITY * dta.to_numpy(), rtol=1e-12)


def test_foreign_multipliers_from_a_pymrio_system():
    pymrio = pytest.importorskip("pymrio")
    io = pymrio.load_test()
    io.calc_all()
    stressor = ("emission_type1", "air")
    out = foreign_multipliers_from_pymrio(
        io, "emissions", stressor, {"a": "electricity", "b": "food"}, factor=2.0, exclude_regions=["reg1"]
    )
    x = io.x.iloc[:, 0]
    M = io.emissions.M.loc[stressor]
    sel = [(r, "electricity") for r in io.get_regions() if r != "reg1"]
    expected = 2.0 * (M[sel] * x[sel]).sum() / x[sel].sum()
    assert out.at[stressor, "a"] == pytest.approx(expected, rel=1e-12)
    with pytest.raises(LabelError, match="not in the pymrio system"):
        foreign_multipliers_from_pymrio(io, "emissions", stressor, {"a": "steel"}, factor=1.0)


# ---------------------------------------------------------------- item 5: round trips keep imports
@pytest.mark.parametrize("name", ["yrd-mrio-2017", "china-io-2017"])
def test_pymrio_export_keeps_the_import_block(name, china17):
    model = china17 if name == "china-io-2017" else ie.tables.load(name)
    io = model.to_pymrio()
    io.calc_all()
    acc = model.accounts("CO2")
    fy = model.F_Y.loc["CO2"].groupby(level=0).sum().reindex(acc.index)
    pba = io.stressors.D_pba.loc["CO2"].groupby(level=0).sum()
    cba = io.stressors.D_cba.loc["CO2"].groupby(level=0).sum()
    np.testing.assert_allclose((pba.reindex(acc.index) + fy).to_numpy(), acc["production"].to_numpy(), rtol=1e-9)
    np.testing.assert_allclose((cba.reindex(acc.index) + fy).to_numpy(), acc["consumption"].to_numpy(), rtol=1e-9)
    T = model.embodied_trade("CO2")
    assert pba[ie.ABROAD] == pytest.approx(T.loc[ie.ABROAD].sum(), rel=1e-9)
    back = ie.MRIO.from_pymrio(io, "stressors")
    np.testing.assert_allclose(back.accounts("CO2").to_numpy(), acc.to_numpy(), rtol=1e-9)
    if name == "yrd-mrio-2017":  # the example: the round trip used to drop Shanghai's imports
        assert back.accounts("CO2").at["Shanghai", "consumption"] == pytest.approx(
            acc.at["Shanghai", "consumption"], rel=1e-9
        )


def test_pymrio_export_refuses_region_specific_dta_multipliers():
    yrd = ie.tables.load("yrd-mrio-2017").replace(M_imp="dta")
    with pytest.raises(LabelError, match="domestic technology assumption"):
        yrd.to_pymrio()
    # with explicit multipliers it works
    io = yrd.replace(M_imp=yrd.dta_multipliers("Shanghai")).to_pymrio()
    assert ie.ABROAD in io.get_regions()


def test_shanghai_report_states_both_rest_of_china_totals():
    from ioemissions.report import shanghai_summary

    t = shanghai_summary(2017)
    methods = t["co2_methods"]
    assert methods.at["Shanghai", "residual (Mt CO2)"] == pytest.approx(t["summary"].at["production", "value"])
    nat = ie.inventory.ceads_co2("China", 2017)["value"].sum()
    np.testing.assert_allclose(methods.sum(axis=0).to_numpy(), [nat, nat], rtol=1e-12)


def test_foreign_options_of_the_builder():
    from ioemissions.regional.yrd import foreign_multipliers

    national = ie.tables.load("china-io-2017")
    dta = foreign_multipliers(national, 2017, "dta")
    np.testing.assert_allclose(foreign_multipliers(national, 2017, 0.5).to_numpy(), 0.5 * dta.to_numpy(), rtol=0)
    np.testing.assert_allclose(
        foreign_multipliers(national, 2017).to_numpy(), WORLD_TO_CHINA_INTENSITY * dta.to_numpy(), rtol=0
    )
    assert foreign_multipliers(national, 2017, dta) is dta
    with pytest.raises(LabelError, match="unknown foreign-intensity option 'world'"):
        foreign_multipliers(national, 2017, "world")


def test_previous_build_is_reproduced_with_the_old_switches():
    """The pre-issue-12 table (Shanghai 2017 consumption 270.3 Mt, issue 12) is the builder with all fixes off."""
    old = ie.regional.build_yrd_mrio(2017, electricity_flows=False, value_added=False, foreign="dta")
    acc = old.accounts("CO2")
    assert acc.at["Shanghai", "consumption"] == pytest.approx(270.27, abs=0.005)
    assert electricity_check(old, 2017)["difference_pp"].abs().max() > 20  # the prior was lost in balancing
    new = ie.tables.load("yrd-mrio-2017").accounts("CO2")
    assert new.at["Shanghai", "consumption"] == pytest.approx(264.72, abs=0.005)
