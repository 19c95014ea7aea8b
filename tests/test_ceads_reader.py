"""read_ceads_mrio on small workbooks of the CEADs layout, written by the tests (and broken on purpose)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import ceads_system, write_ceads_table
from openpyxl import Workbook

import ioemissions as ie
from ioemissions.errors import DataFileError, UnbalancedTableError

PROVINCES = ["Beijing", "Shanghai"]
SECTORS = [("Agriculture", "01"), ("Industry", "02"), ("Services", "03")]
FD = ["FU101", "FU102", "FU103", "FU201", "FU202"]


def make_workbook(path, *, year=2017, co2=True, shift_header=False, bad_cell=None, drop_sheet=False, bad_go=False):
    Z, Y, ex, err, go = ceads_system(7, PROVINCES, SECTORS, FD)
    written = go.copy()
    if bad_go:
        written[2] *= 1.01
    wb = Workbook()
    wb.active.title = "Note"
    wb.create_sheet("Sector ")
    wb.create_sheet("Province")
    if not drop_sheet:
        ws = wb.create_sheet(f"Table_{year}")
        ws_en = wb.create_sheet(f"Table_{year}_English Version")
    else:
        ws = ws_en = wb.create_sheet("Something_else")
    for sheet in {ws, ws_en}:
        off = 1 if shift_header else 0
        write_ceads_table(sheet, year, PROVINCES, SECTORS, FD, Z, Y, ex, err, written, co2=co2, header_offset=off)
        if bad_cell:
            sheet[bad_cell] = "n/a"
    wb.save(path)
    return Z, Y, ex, err, go


def test_reads_the_layout(tmp_path):
    path = tmp_path / "ceads.xlsx"
    Z, _Y, ex, _err, go = make_workbook(path)
    m = ie.tables.read_ceads_mrio(path)
    assert list(m.regions) == PROVINCES and list(m.sectors) == ["Agriculture", "Industry", "Services"]
    np.testing.assert_allclose(m.Z.to_numpy(), Z)
    np.testing.assert_allclose(m.x.to_numpy(), go)
    assert (ie.ABROAD, "exports") in m.Y.columns
    np.testing.assert_allclose(m.Y[(ie.ABROAD, "exports")].to_numpy(), ex)
    np.testing.assert_allclose(m.F.loc["CO2"].to_numpy(), np.arange(1, 7))
    acc = m.accounts("CO2")
    np.testing.assert_allclose(acc["production"].sum(), 21.0)
    np.testing.assert_allclose(acc["consumption"], acc["production"] - acc["exports"] + acc["imports"], rtol=1e-12)
    assert m.monetary_unit == "10^4 CNY" and m.stressor_unit("CO2") == "Mt"


def test_without_co2_row(tmp_path):
    path = tmp_path / "ceads.xlsx"
    make_workbook(path, co2=False)
    assert len(ie.tables.read_ceads_mrio(path, year=2017).stressors) == 0


def test_missing_sheet_is_named(tmp_path):
    path = tmp_path / "ceads.xlsx"
    make_workbook(path, drop_sheet=True)
    with pytest.raises(DataFileError, match=r"ceads.xlsx.*Table_<year>"):
        ie.tables.read_ceads_mrio(path)
    with pytest.raises(DataFileError, match="Table_2015"):
        ie.tables.read_ceads_mrio(path, year=2015)


def test_shifted_header_is_named(tmp_path):
    path = tmp_path / "ceads.xlsx"
    make_workbook(path, shift_header=True)
    with pytest.raises(DataFileError, match=r"cell D2.*shifted"):
        ie.tables.read_ceads_mrio(path)


def test_non_numeric_cell_is_named(tmp_path):
    path = tmp_path / "ceads.xlsx"
    make_workbook(path, bad_cell="F6")
    with pytest.raises(DataFileError, match=r"Table_2017_English Version\] cell F6: non-numeric value 'n/a'"):
        ie.tables.read_ceads_mrio(path)


def test_unbalanced_row_is_named(tmp_path):
    path = tmp_path / "ceads.xlsx"
    make_workbook(path, bad_go=True)
    with pytest.raises(UnbalancedTableError, match=r"row 7 \(Beijing, Services\)"):
        ie.tables.read_ceads_mrio(path)


def test_not_a_workbook(tmp_path):
    path = tmp_path / "ceads.xlsx"
    path.write_text("hello")
    with pytest.raises(DataFileError, match=r"ceads\.xlsx"):
        ie.tables.read_ceads_mrio(path)


# ---------------------------------------------------------------- issue 13 item 3 and issue 12 item 7


@pytest.mark.parametrize("year", [2012, 2015, 2017, 2018, 2020])
def test_every_edition_reads(tmp_path, year):
    """2012/2015/2017 have no CO2 footer; 2018 and 2020 add a `CO2 (Mt)` row (shared/data/README.md)."""
    path = tmp_path / f"ceads{year}.xlsx"
    Z, _Y, _ex, _err, go = make_workbook(path, year=year, co2=year >= 2018)
    m = ie.tables.read_ceads_mrio(path)
    np.testing.assert_allclose(m.Z.to_numpy(), Z)
    np.testing.assert_allclose(m.x.to_numpy(), go)
    assert m.name == f"CEADs MRIO (Table_{year}_English Version)"
    if year >= 2018:
        np.testing.assert_allclose(m.accounts("CO2")["production"].to_numpy(), [6.0, 15.0])  # 1+2+3, 4+5+6
    else:
        assert len(m.stressors) == 0


@pytest.mark.parametrize("value", ["#N/A", "#DIV/0!", "#REF!"])
@pytest.mark.parametrize("cell", ["F6", "M5", "D19"])  # Z block, final demand, CO2 row
def test_excel_error_cells_are_named(tmp_path, value, cell):
    """Before: read as 0 (pandas gives NaN for error cells, then filled with zero)."""
    path = tmp_path / "ceads.xlsx"
    make_workbook(path, year=2018)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for name in ("Table_2018", "Table_2018_English Version"):
        wb[name][cell] = value
    wb.save(path)
    msg = rf"\[Table_2018_English Version\] cell {cell}: non-numeric value '{value}'"
    with pytest.raises(DataFileError, match=msg):
        ie.tables.read_ceads_mrio(path)


@pytest.mark.parametrize("cell", ["F6", "D19"])
def test_formula_without_cached_value_is_named(tmp_path, cell):
    """openpyxl saves formulas without a value, as a script would: reading them as 0 is wrong."""
    path = tmp_path / "ceads.xlsx"
    make_workbook(path, year=2018)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for name in ("Table_2018", "Table_2018_English Version"):
        wb[name][cell] = "=1+1"
    wb.save(path)
    with pytest.raises(DataFileError, match=rf"cell {cell}: formula '=1\+1' has no saved value"):
        ie.tables.read_ceads_mrio(path)


def test_far_cell_costs_nothing(tmp_path):
    """Before: one cell at XFD1048576 made the reader allocate ~20 GB and get OOM-killed."""
    path = tmp_path / "ceads.xlsx"
    make_workbook(path)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["Table_2017_English Version"]["XFD1048576"] = 1.0
    wb.save(path)
    m = ie.tables.read_ceads_mrio(path)  # the stray cell is outside the layout and never read
    assert m.Z.shape == (6, 6)
    tiny = tmp_path / "tiny.xlsx"
    wb = Workbook()
    wb.active.title = "Table_2017"
    wb.active["XFD1048576"] = 1.0
    wb.save(tiny)
    with pytest.raises(DataFileError, match=r"tiny\.xlsx"):
        ie.tables.read_ceads_mrio(tiny)


@pytest.mark.parametrize("damage", ["truncate", "drop_sheet_xml", "bad_xml"])
def test_corrupt_files_are_named(tmp_path, damage):
    import zipfile

    path = tmp_path / "ceads.xlsx"
    make_workbook(path)
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    else:
        src = zipfile.ZipFile(path)
        items = {i.filename: src.read(i.filename) for i in src.infolist()}
        src.close()
        sheet_parts = sorted(k for k in items if k.startswith("xl/worksheets/sheet"))
        if damage == "drop_sheet_xml":
            for k in sheet_parts:
                del items[k]
        else:
            for k in sheet_parts:
                items[k] = items[k][: len(items[k]) // 2]
        with zipfile.ZipFile(path, "w") as out:
            for k, v in items.items():
                out.writestr(k, v)
    with pytest.raises(DataFileError, match=r"ceads\.xlsx"):
        ie.tables.read_ceads_mrio(path)
