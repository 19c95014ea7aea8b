"""Building LCA for consultants (issue 17): names and aliases, complete inputs ("not assessed"), named errors
for bad BoQs and building data (issue 13 item 5), cost items at total multipliers (issue 12 item 6), Excel in
and out, design options, Monte Carlo centred on the static value (issue 15 item 4), Brightway backgrounds."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import CASE6_BOQ

import ioemissions as ie
from ioemissions.cli.main import main
from ioemissions.errors import (
    DataFileError,
    DistributionError,
    IncompleteInputError,
    LabelError,
    NegativeOutputError,
    NonFiniteError,
    UnitError,
)
from ioemissions.lca.building import Building, assess, example, example_paths, materials, read_boq, read_building

BOQ = CASE6_BOQ
FULL = dict(
    gross_floor_area_m2=5000,
    electricity_kwh=250000,
    grid_factor=0.5703,
    construction_electricity_kwh=1000,
    demolition_diesel_kg=100,
)


def quiet_assess(boq, building, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return assess(boq, building, **kw)


# ----------------------------------------------------------------------------- names
def test_english_names_and_aliases_give_the_same_result_as_ids():
    english = BOQ.assign(
        material=["C30 concrete", "HRB400", "cement", "flat glass"], transport_mode=["diesel truck 30t"] * 4
    )
    ids = BOQ.assign(material=["D001", "D032", "D003", "D046"])
    a, b = quiet_assess(english, Building(**FULL)), quiet_assess(ids, Building(**FULL))
    pd.testing.assert_frame_equal(a.modules, b.modules)
    assert a.modules.loc["A1-A3", "kgco2e"] == pytest.approx(635_150)  # validation case 6
    assert quiet_assess(BOQ.assign(material=["混凝土C30", "rebar", "Portland cement", "D046"]), Building(**FULL))


def test_every_factor_has_an_english_name_translating_the_shipped_chinese_one():
    names = ie.tables.load("gbt51366-names")
    factors = ie.tables.load("gbt51366-factors")
    assert list(names.id) == list(factors.id) and list(names.name_zh) == list(factors.name_zh)
    assert names.name_en.str.len().min() > 2 and names.name_en.is_unique
    meta = ie.tables.metadata("gbt51366-names")
    assert meta["script"] == "scripts/build_gbt51366_names.py" and "title_zh" in meta
    assert list(materials("rebar").index) == ["D032"]


def test_near_miss_gets_a_did_you_mean():
    with pytest.raises(LabelError, match=r"row 3 \('rebar'\), column 'material'.*'rebars'.*did you mean.*D032"):
        quiet_assess(BOQ.assign(material=["D001", "rebars", "D003", "D046"]), Building(**FULL))
    with pytest.raises(LabelError, match=r"row 2.*transport_mode.*did you mean"):
        quiet_assess(BOQ.assign(transport_mode=["diesel truk 30t", None, None, None]), Building(**FULL))


# ----------------------------------------------------------------------------- complete inputs
def test_modules_without_input_are_not_assessed_with_a_warning_or_an_error():
    b = Building(gross_floor_area_m2=5000, electricity_kwh=250000, grid_factor=0.5703)
    with pytest.warns(UserWarning, match="A5 not assessed") as rec:
        res = assess(BOQ, b)
    assert res.not_assessed == ["A5", "C1-C4"] and len(res.warnings) == 2 == len(rec)
    assert res.stages.loc["建造", "status"] == "not assessed" and res.stages.loc["运行", "status"] == "assessed"
    assert "not assessed" in res.table("modules").loc["A5 construction"].tolist()
    assert "未评估" in res.table("modules", "zh").loc["A5 建造"].tolist()
    with pytest.raises(IncompleteInputError, match=r"A5 not assessed.*C1-C4 not assessed"):
        assess(BOQ, b, strict=True)
    # an explicit 0 is an input: assessed
    res = assess(BOQ, Building(**FULL | {"construction_electricity_kwh": 0.0}), strict=True)
    assert res.not_assessed == [] and res.modules.loc["A5", "kgco2e"] == 0.0
    with pytest.raises(IncompleteInputError, match="A4 not assessed"):
        assess(BOQ.drop(columns=["transport_km"]), Building(**FULL), strict=True)


def test_building_data_file_units_unknown_keys(tmp_path):
    toml = tmp_path / "b.toml"
    toml.write_text('gross_floor_area_m2 = 5000\nelectricity_kwh = "0.25 GWh"\nconstruction_diesel_kg = "2 t"\n')
    b = read_building(toml)
    assert b.electricity_kwh == pytest.approx(250_000) and b.construction_diesel_kg == pytest.approx(2000)
    toml.write_text("gross_floor_area_m2 = 5000\nelectricity_kw = 1\n")
    with pytest.raises(LabelError, match=r"unknown key.*'electricity_kw'.*did you mean 'electricity_kwh'"):
        read_building(toml)
    toml.write_text('gross_floor_area_m2 = 5000\nelectricity_kwh = "3 t"\n')
    with pytest.raises(UnitError, match=r"'electricity_kwh': unit 't' does not convert to 'kWh'"):
        read_building(toml)
    toml.write_text('gross_floor_area_m2 = "big"\n')
    with pytest.raises(DataFileError, match="gross_floor_area_m2"):
        read_building(toml)
    js = tmp_path / "b.json"
    js.write_text('{"gross_floor_area_m2": 100, "pv_kwh": 5, "electricity_kwh": 10}')
    assert read_building(js).pv_kwh == 5
    _, data = example_paths("office")
    assert read_building(data).gross_floor_area_m2 == 20000


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"gross_floor_area_m2": float("nan")}, NonFiniteError, "gross_floor_area_m2"),
        ({"gross_floor_area_m2": float("inf")}, NonFiniteError, "gross_floor_area_m2"),
        ({"gross_floor_area_m2": 0}, NegativeOutputError, "gross floor area"),
        ({"gross_floor_area_m2": -5}, NegativeOutputError, "gross floor area"),
        ({"gross_floor_area_m2": 1, "electricity_kwh": float("nan")}, NonFiniteError, "electricity_kwh"),
        ({"gross_floor_area_m2": 1, "grid_trajectory": [0.5, float("nan")]}, NonFiniteError, "trajectory year 2"),
        ({"gross_floor_area_m2": 1, "electricity_kwh": 1, "pv_kwh": 2}, NegativeOutputError, "pv_kwh"),
        ({"gross_floor_area_m2": 1, "design_life_years": 0}, NegativeOutputError, "design life"),
    ],
)
def test_bad_building_data_is_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        Building(**kwargs)


# ----------------------------------------------------------------------------- bad BoQs (issue 13 item 5)
@pytest.mark.parametrize(
    ("column", "row", "value", "error", "match"),
    [
        ("density", 0, 0.0, NegativeOutputError, r"row 2 \('concrete'\), column 'density'"),
        ("density", 0, -2.4, NegativeOutputError, r"row 2 \('concrete'\), column 'density'"),
        ("density", 0, "heavy", DataFileError, r"row 2 \('concrete'\), column 'density': 'heavy' is not a number"),
        ("transport_km", 2, "far", DataFileError, r"row 4 \('cement'\), column 'transport_km'"),
        ("transport_km", 1, -10, NegativeOutputError, r"row 3 \('rebar'\), column 'transport_km': negative"),
        ("quantity", 3, float("inf"), NonFiniteError, r"row 5 \('glass'\), column 'quantity'"),
        ("quantity", 3, float("nan"), DataFileError, r"row 5 \('glass'\), column 'quantity': missing"),
        ("quantity", 1, 1e308, NonFiniteError, r"row 3 \('rebar'\).*overflow"),
    ],
)
def test_bad_cells_name_row_and_column(column, row, value, error, match):
    bad = BOQ.astype({column: object}).copy()
    bad.loc[row, column] = value
    with pytest.raises(error, match=match):
        quiet_assess(bad.assign(service_life=[None, None, "", None]), Building(**FULL))


def test_bad_files_name_the_file(tmp_path):
    (tmp_path / "h.csv").write_text("item,material,quantity,unit\n")
    with pytest.raises(DataFileError, match="header and no rows"):
        assess(read_boq(tmp_path / "h.csv"), Building(**FULL))
    (tmp_path / "d.csv").write_text("item,material,quantity,unit,quantity\na,D001,1,m3,2\n")
    with pytest.raises(DataFileError, match=r"d\.csv: duplicate column.*'quantity'"):
        read_boq(tmp_path / "d.csv")
    with pytest.raises(DataFileError, match=r"missing column.*'unit'"):
        assess(BOQ.drop(columns="unit"), Building(**FULL))
    BOQ.to_excel(tmp_path / "ok.xlsx", index=False)
    data = (tmp_path / "ok.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    with pytest.raises(DataFileError, match=r"cut\.xlsx: cannot read"):
        read_boq(tmp_path / "cut.xlsx")
    (tmp_path / "e.csv").write_text("")
    with pytest.raises(DataFileError, match="empty"):
        read_boq(tmp_path / "e.csv")


def test_many_rows_equal_the_sum_of_their_parts():
    """The vectorised path: 10,000 copies of the BoQ give 10,000 times its process modules."""
    one = quiet_assess(BOQ, Building(**FULL))
    many = quiet_assess(pd.concat([BOQ] * 10_000, ignore_index=True), Building(**FULL))
    for m in ("A1-A3", "A4"):
        assert many.modules.loc[m, "kgco2e"] == pytest.approx(10_000 * one.modules.loc[m, "kgco2e"], rel=1e-12)
    assert len(many.items) == 40_000


# ----------------------------------------------------------------------------- cost items (issue 12 item 6)
def test_cost_items_use_total_multipliers_including_imports_by_default():
    from ioemissions.lca.building import io_multipliers

    sector = "Manufacture of general purpose machinery"
    total, dom = io_multipliers(imports="total"), io_multipliers(imports="domestic")
    assert dom[sector] == pytest.approx(0.13345, abs=5e-5)  # s L_d, issue 12's 0.1335
    assert total[sector] == pytest.approx(0.16592, abs=5e-5)  # with imported inputs, issue 12's 0.1659
    # single region under DTA: (s + M_imp A_imp) L_d equals the DTA (competitive-import) multipliers
    model = ie.tables.load("china-io-2017", satellite="ceads")
    dta = model.dta_multipliers("China").loc["CO2"] * 1e9 / 1e4  # Mt per 10^4 CNY -> kg per CNY
    np.testing.assert_allclose(total.to_numpy(), dta.reindex(total.index).to_numpy(), rtol=1e-10)
    boq = pd.DataFrame([{"item": "lifts", "material": sector, "quantity": 1e6, "unit": "CNY"}])
    res = quiet_assess(boq, Building(gross_floor_area_m2=100))
    assert res.items.loc["lifts", "A1-A3"] == pytest.approx(1e6 * total[sector])
    assert any("including the emissions in imported inputs" in n for n in res.notes)
    res = quiet_assess(boq, Building(gross_floor_area_m2=100, io_imports="domestic"))
    assert res.items.loc["lifts", "A1-A3"] == pytest.approx(1e6 * dom[sector])
    assert any("domestic-only" in n for n in res.notes)


# ----------------------------------------------------------------------------- Excel, compare, CLI
def test_template_roundtrip_and_report_has_units_in_every_header(tmp_path):
    from openpyxl import load_workbook

    from ioemissions.lca.building.excel import template

    path = template(tmp_path / "boq.xlsx")
    wb = load_workbook(path)
    assert {"BoQ", "Materials", "Columns", "Building"} <= set(wb.sheetnames)
    assert wb["BoQ"].data_validations.dataValidation  # the material drop-down
    ws = wb["Building"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "gross_floor_area_m2":
            row[1].value = 5000
        if row[0].value == "electricity_kwh":
            row[1].value = 250
            row[2].value = "MWh"  # converted on reading
        if row[0].value == "grid_factor":
            row[1].value = 0.5703
    wb.save(path)
    boq, b = read_boq(path), read_building(path)
    assert b.electricity_kwh == pytest.approx(250_000) and len(boq) == 1
    out = tmp_path / "o"
    assert main(["building", str(path), "--xlsx", "--out", str(out)]) == 0
    book = pd.read_excel(out / "report.xlsx", sheet_name=None)
    assert {"Modules", "Stages", "Items", "Assumptions", "Warnings"} <= set(book)
    mod = book["Modules"].set_index("module (EN 15978)")
    assert mod.loc["B6", "kg CO2e"] == pytest.approx(250_000 * 0.5703 * 50)
    assert mod.loc["A1-A3", "kg CO2e"] == pytest.approx(100 * 295)  # the template's example row
    for name in ("Modules", "Stages", "Items"):
        numeric = [c for c in book[name].columns if book[name][c].dtype.kind == "f"]
        assert all("(" in c or "kg CO2e" in c for c in numeric), (name, numeric)


def test_compare_design_options(tmp_path):
    from ioemissions.lca.building import compare

    a, b = example("office"), example("office-steel")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = compare({"concrete": a, "steel": b})
        assert table.loc["total", "concrete"] == pytest.approx(assess(*a).total)
        assert table.loc["B6", "steel"] == pytest.approx(assess(*b).modules.loc["B6", "kgco2e"])
        smaller = (a[0], Building(gross_floor_area_m2=10_000, electricity_kwh=1))
        with pytest.raises(LabelError, match=r"different gross floor areas.*per_m2"):
            compare({"a": a, "b": smaller})
        assert compare({"a": a, "b": smaller}, per_m2=True).attrs["warnings"]  # A5, C1-C4 only in one
    out = tmp_path / "c"
    assert main(["building", "compare", "--example", "office", "--example", "office-steel", "--out", str(out)]) == 0
    assert (out / "compare.png").is_file() and pd.read_csv(out / "compare.csv", index_col=0).shape == (7, 2)


def test_cli_one_line_errors_and_materials(tmp_path, capsys):
    boq, _ = example_paths("office")
    with pytest.raises(SystemExit) as e:
        main(["building", str(boq), "--example", "office"])
    assert e.value.code == 2 and "not both" in capsys.readouterr().err
    assert main(["building", str(boq), "--gfa", "100", "--strict", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "IncompleteInputError" in err and "Traceback" not in err
    assert main(["building", "materials", "--search", "HRB400"]) == 0
    assert "D032" in capsys.readouterr().out
    assert main(["building", "materials", "钢筋", "--lang", "zh"]) == 0
    assert "热轧碳钢钢筋" in capsys.readouterr().out


# ----------------------------------------------------------------------------- Monte Carlo centring
def test_distributions_must_have_the_static_value_at_their_centre():
    from ioemissions.lca.uncertainty import Component, around, lognormal, triangular, uniform

    assert around(0.5737, 0.5737, 0.5849) == triangular(0.5737, 0.5737, 0.5849)
    assert around(0.6, 0.5, 0.55)["maximum"] == 0.6  # widened to contain the static value
    with pytest.raises(DistributionError, match="not the triangular's mode"):
        Component("x", 1, 0.5, factor_dist=triangular(0.4, 0.45, 0.6))
    with pytest.raises(DistributionError, match="uniform distribution has no mode"):
        Component("x", 1, 0.5, factor_dist=uniform(0.4, 0.6))
    assert Component("x", 1, 0.5, factor_dist=uniform(0.4, 0.6), centred=False).position() == "inside"
    with pytest.raises(DistributionError, match="outside its range"):
        Component("x", 1, 0.7, factor_dist=uniform(0.4, 0.6), centred=False)
    with pytest.raises(DistributionError, match="median"):
        Component("x", 1, 2.0, factor_dist=lognormal(2.1, 0.1))
    with pytest.raises(DistributionError, match="sigma"):
        lognormal(2.0, -0.1)
    assert Component("x", 1, 2.0, factor_dist=lognormal(2.0, 0.1)).position() == "median"


def test_material_sigma_is_the_pedigree_sum():
    from ioemissions.lca.building.mc import MATERIAL_SIGMA, PEDIGREE

    assert MATERIAL_SIGMA == pytest.approx(np.sqrt(0.002 + 0.0006 + 0.002 + 0 + 0.0006))
    assert [s for _, s, _ in PEDIGREE] == [3, 3, 3, 1, 2]


# ----------------------------------------------------------------------------- Brightway backgrounds
def test_brightway_background_equals_the_table_path(tmp_path, monkeypatch):
    """A small synthetic background holding the GB/T factors of concrete and rebar, written here, gives the
    same A1-A3 as the table path; the factors database works as a background too."""
    pytest.importorskip("bw2calc")
    from ioemissions.lca import brightway

    bd = brightway.setup(folder=tmp_path / "bw", name="bg-test")
    bd.Database("my-background").write(
        {
            ("my-background", "concrete-c30"): {
                "name": "concrete, C30, ready-mixed",
                "unit": "cubic meter",
                "exchanges": [
                    {"input": ("my-background", "concrete-c30"), "amount": 1.0, "type": "production"},
                    {"input": ("my-background", "cement-clinker"), "amount": 0.5, "type": "technosphere"},
                    {"input": (brightway.BIOSPHERE, "co2e"), "amount": 295.0 - 0.5 * 100.0, "type": "biosphere"},
                ],
            },
            ("my-background", "cement-clinker"): {
                "name": "clinker",
                "unit": "ton",
                "exchanges": [
                    {"input": ("my-background", "cement-clinker"), "amount": 1.0, "type": "production"},
                    {"input": (brightway.BIOSPHERE, "co2e"), "amount": 100.0, "type": "biosphere"},
                ],
            },
        }
    )
    table = BOQ.iloc[:2]
    through_bw = table.assign(material=["my-background::concrete-c30", f"{brightway.FACTORS_DB}::D032"])
    a = quiet_assess(table, Building(**FULL))
    b = quiet_assess(through_bw, Building(**FULL))
    # Brightway stores amounts as float32: equal to 1e-6
    for m in ("A1-A3", "A4", "B4"):
        assert b.modules.loc[m, "kgco2e"] == pytest.approx(a.modules.loc[m, "kgco2e"], rel=1e-6, abs=1e-9)
    assert b.items.iloc[0]["material"] == "my-background::concrete-c30"
    by_name = table.assign(material=["my-background::concrete, C30, ready-mixed", "D032"])
    assert quiet_assess(by_name, Building(**FULL)).total == pytest.approx(a.total, rel=1e-6)
    # design options on the background are scored in one MultiLCA and give the same numbers
    import bw2calc

    from ioemissions.lca.building import compare

    calls = []
    real = bw2calc.MultiLCA

    def counting(*args, **kwargs):
        calls.append(kwargs.get("demands"))
        return real(*args, **kwargs)

    monkeypatch.setattr(bw2calc, "MultiLCA", counting)
    table2 = compare(
        {"bw": (through_bw, Building(**FULL)), "bw2": (through_bw, Building(**FULL)), "gbt": (table, Building(**FULL))}
    )
    assert len(calls) == 1 and len(calls[0]) == 2  # one MultiLCA, one functional unit per activity
    assert table2.loc["total", "bw"] == pytest.approx(table2.loc["total", "gbt"], rel=1e-6)
    with pytest.raises(LabelError, match=r"row 2 \('concrete'\), column 'material'.*no activity.*'nope'"):
        quiet_assess(table.assign(material=["my-background::nope", "D032"]), Building(**FULL))
    with pytest.raises(LabelError, match=r"row 2.*no Brightway database 'ecoinvent'"):
        quiet_assess(table.assign(material=["ecoinvent::x", "D032"]), Building(**FULL))
    with pytest.raises(UnitError, match=r"row 2.*density"):
        quiet_assess(
            table.assign(material=["my-background::cement-clinker", "D032"], density=[None, None]), Building(**FULL)
        )


# ----------------------------------------------------------------------------- fuzz: a result or a named error
hyp = pytest.importorskip("hypothesis")
st = hyp.strategies

CELL = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.integers(-(10**6), 10**6),
    st.sampled_from(["", "abc", "1e400", "-0", " 12 ", "D001", "rebar", "m3", "t", "kg", "CNY", "E008"]),
)


@hyp.settings(max_examples=150, deadline=None, suppress_health_check=[hyp.HealthCheck.too_slow])
@hyp.given(
    st.lists(
        st.fixed_dictionaries(
            {
                "item": st.one_of(st.none(), st.text(max_size=5)),
                "material": st.one_of(CELL, st.sampled_from(["C30 concrete", "HRB400", "D046", "Construction"])),
                "quantity": CELL,
                "unit": st.one_of(CELL, st.sampled_from(["m3", "t", "kg", "m2", "万元"])),
                "density": CELL,
                "transport_km": CELL,
                "transport_mode": CELL,
                "service_life": CELL,
            }
        ),
        min_size=0,
        max_size=6,
    )
)
def test_fuzzed_boqs_give_a_finite_result_or_a_named_error(rows):
    from ioemissions.errors import IOEmissionsError

    boq = pd.DataFrame(
        rows,
        columns=["item", "material", "quantity", "unit", "density", "transport_km", "transport_mode", "service_life"],
    )
    try:
        res = quiet_assess(boq, Building(**FULL))
    except IOEmissionsError:
        return
    values = res.items[["A1-A3", "A4", "B4"]].to_numpy()
    assert np.isfinite(values).all() and (values >= 0).all()
    assert np.isfinite(res.modules[["kgco2e", "kgco2e_per_m2"]].to_numpy()).all()
    assert res.modules.loc["A1-A3", "kgco2e"] == pytest.approx(res.items["A1-A3"].sum())


def test_duplicate_columns_in_a_dataframe_are_an_error():
    dup = pd.concat([BOQ, BOQ[["quantity"]]], axis=1)
    with pytest.raises(DataFileError, match=r"duplicate column.*'quantity'"):
        assess(dup, Building(**FULL))


def test_grid_trajectory_range_is_a_distribution_around_the_trajectory():
    from ioemissions.lca.building import components

    traj = np.linspace(0.57, 0.2, 50)
    b = Building(
        **FULL
        | {
            "grid_factor": None,
            "grid_trajectory": traj,
            "grid_trajectory_low": traj * 0.8,
            "grid_trajectory_high": traj * 1.1,
        }
    )
    res = quiet_assess(BOQ, b)
    comp = {c.name: c for c in components(res)}["B6 grid electricity (trajectory)"]
    assert comp.quantity * comp.factor == pytest.approx(250_000 * traj.sum())
    assert comp.factor_dist["minimum"] == pytest.approx(0.8 * traj.sum()) and comp.position() == "mode"
    assert sum(c.quantity * c.factor for c in components(res)) == pytest.approx(res.total, rel=1e-12)
    with pytest.raises(DistributionError, match="year 1"):
        Building(
            gross_floor_area_m2=1, grid_trajectory=traj, grid_trajectory_low=traj * 1.1, grid_trajectory_high=traj * 1.2
        )
