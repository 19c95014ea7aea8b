"""Outputs people can use: a light import, units in headers, no float noise, xlsx, Chinese labels, figures."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import ioemissions as ie
from ioemissions.cli.main import main
from ioemissions.errors import DatasetNotFoundError, LabelError, MissingDataWarning
from ioemissions.report import _common, _tables

HEAVY = ("pandas", "scipy", "matplotlib")


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


@pytest.mark.parametrize(
    "code",
    [
        "import ioemissions",
        "import ioemissions.cli.main as m\ntry:\n    m.main(['--help'])\nexcept SystemExit:\n    pass",
        "import ioemissions.cli.main as m\ntry:\n    m.main(['accounts', '--help'])\nexcept SystemExit:\n    pass",
    ],
)
def test_import_and_help_load_no_pandas_scipy_matplotlib(code):
    loaded = _modules_after(code)
    assert not [m for m in HEAVY if m in loaded]


def test_core_does_not_import_the_data_layer():
    """tables → core → accounts: the core (and characterisation in it) never loads ioemissions.tables."""
    code = (
        "import pandas as pd\nfrom ioemissions import MRIO\n"
        "idx = pd.MultiIndex.from_tuples([('R', 'a'), ('R', 'b')])\n"
        "m = MRIO(pd.DataFrame([[1.0, 2], [3, 4]], idx, idx), pd.DataFrame({'R': [5.0, 6]}, idx),\n"
        "         pd.DataFrame([[1.0, 2]], ['CO2'], idx), units={'monetary': 'CNY', 'CO2': 't'})\n"
        "m.characterize({'CO2': 1.0}).accounts('CO2e')"
    )
    assert "ioemissions.tables" not in _modules_after(code)


def test_clean_writes_float_noise_as_zero_and_rounding_keeps_six_digits():
    df = pd.DataFrame({"a": [9408.170796176375, -3.5e-18, 1e-3], "b": [-0.0, 2.0, 123456789.0]})
    cleaned = _tables.clean(df)
    assert cleaned.loc[1, "a"] == 0.0 and not np.signbit(cleaned.loc[0, "b"])
    assert cleaned.loc[2, "a"] == 1e-3  # 1e-3 / 1.2e8 is above the 1e-12 tolerance
    rounded = _tables.round_sig(cleaned)
    assert rounded["a"].tolist() == [9408.17, 0.0, 0.001] and rounded.loc[2, "b"] == 123457000.0


@pytest.mark.parametrize("year", [2012, 2015, 2017, 2018])
def test_report_china_every_year_with_a_ceads_inventory(tmp_path, year, capsys):
    """Production = the CEADs national total of the year (households included), to the rounding."""
    out = tmp_path / str(year)
    assert main(["report", "china", "--year", str(year), "--out", str(out)]) == 0
    acc = pd.read_csv(out / "accounts.csv", index_col=0)
    assert list(acc.columns) == [
        f"{c} [Mt CO2]" for c in ["production", "consumption", "exports", "imports", "balance"]
    ]
    ceads = ie.inventory.ceads_co2("China", year)["value"].sum()
    assert acc.loc["China", "production [Mt CO2]"] == pytest.approx(ceads, rel=1e-6)
    assert (out / "accounts.csv").read_bytes()[:3] != b"\xef\xbb\xbf"  # ASCII only: no BOM


def test_report_years_outside_the_data_name_the_available_years(capsys):
    assert main(["report", "china", "--year", "2020", "--out", "/tmp/never"]) == 2
    assert "2019" in capsys.readouterr().err  # CEADs ends in 2019
    with pytest.raises(DatasetNotFoundError, match="available years: 2012, 2017"):
        ie.report.shanghai(year=2015, out="/tmp/never")


def test_report_china_xlsx_and_chinese_labels(tmp_path, capsys):
    out = tmp_path / "zh"
    assert main(["report", "china", "--out", str(out), "--xlsx", "--lang", "zh", "--svg", "--precise"]) == 0
    raw = (out / "sectors.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel on Windows reads the Chinese
    sectors = pd.read_csv(out / "sectors.csv", index_col=0, encoding="utf-8-sig")
    assert sectors.index[0] == "农林牧渔产品和服务"  # NBS sector_zh of sector 01
    trade = pd.read_csv(out / "embodied_trade.csv", index_col=0, encoding="utf-8-sig")
    assert list(trade.index) == ["中国", "国外"] and list(trade.columns) == ["中国 [Mt CO2]", "国外 [Mt CO2]"]
    book = pd.read_excel(out / "china-2017.xlsx", sheet_name=None)
    assert list(book) == ["README", "accounts", "embodied_trade", "sectors"]
    readme = dict(zip(book["README"]["item"], book["README"]["value"], strict=False))
    assert readme["estimated table"].startswith("no") and "ioemissions" in readme["versions"]
    assert "Abroad -> Abroad" in readme["embodied_trade"]
    acc = ie.tables.load("china-io-2017", satellite="ceads").accounts("CO2")
    assert book["accounts"].set_index("region").loc["中国", "production [Mt CO2]"] == acc.loc["China", "production"]
    assert {"accounts.svg", "sectors.svg", "accounts.png"} <= {p.name for p in out.iterdir()}


def test_report_shanghai_units_population_and_estimate_flags(tmp_path, monkeypatch, capsys):
    titles = []
    real = ie.report.shanghai.__globals__["save_figure"]

    def recording(path, draw, **kw):
        def spy(ax):
            draw(ax)
            titles.append(ax.get_title())

        return real(path, spy, **kw)

    monkeypatch.setitem(ie.report.shanghai.__globals__, "save_figure", recording)
    out = tmp_path / "sh"
    assert main(["report", "shanghai", "--out", str(out), "--xlsx"]) == 0
    acc = pd.read_csv(out / "accounts.csv", index_col=0)
    summary = pd.read_csv(out / "summary.csv", index_col=0)
    # one unit for population in every file: 10^4 persons (NBS yearbook, Shanghai 2017: 2418)
    assert acc.loc["Shanghai", "population [10^4 persons]"] == summary.loc["population", "value"] == 2418.0
    assert summary.loc["population", "unit"] == "10^4 persons"
    per_capita = acc.loc["Shanghai", "consumption [Mt CO2]"] / 2418 * 100  # Mt / 10^4 persons -> t/person
    assert acc.loc["Shanghai", "consumption_per_capita [t CO2/person]"] == pytest.approx(per_capita, rel=1e-5)
    assert pd.read_csv(out / "footprint_by_origin.csv").columns.tolist() == [
        "origin",
        "footprint [Mt CO2]",
        "share [fraction of consumption]",
    ]
    assert len(titles) == 2 and all("2017" in t and "(estimated table)" in t for t in titles)
    readme = pd.read_excel(out / "shanghai-2017.xlsx", sheet_name="README").set_index("item")["value"]
    assert readme["estimated table"].startswith("YES")


def test_long_sector_names_are_wrapped_inside_the_figure():
    plt = _common._plt()
    names = ie.tables.nbs.sectors("china-io-2017-149")["sector"]
    longest = sorted(names, key=len)[-12:]  # up to 88 characters
    values = pd.Series(np.arange(1.0, 13.0), index=longest)
    fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
    try:
        _common.plot_top_sectors(values, "China 2017: territorial CO2 by sector, the longest names", "Mt CO2", ax=ax)
        fig.canvas.draw()
        box = fig.bbox
        texts = [t for t in [*ax.get_yticklabels(), ax.title, ax.xaxis.label] if t.get_text()]
        for t in texts:
            ext = t.get_window_extent()
            assert ext.x0 >= box.x0 - 0.5 and ext.x1 <= box.x1 + 0.5, t.get_text()
            assert ext.y0 >= box.y0 - 0.5 and ext.y1 <= box.y1 + 0.5, t.get_text()
        for t in ax.get_yticklabels():
            assert all(len(line) <= _common.LABEL_WIDTH for line in t.get_text().split("\n"))
    finally:
        plt.close(fig)


def test_each_region_has_one_colour_in_every_figure():
    plt = _common._plt()
    m = ie.tables.load("yrd-mrio-2017")
    trade, fy = m.embodied_trade("CO2"), m.F_Y.loc["CO2"].T.groupby(level=0).sum()
    regions = list(m.regions)[:-1]
    fig, ax = plt.subplots()
    try:
        ie.report.plot_origins(trade, fy, regions, ax=ax)
        handles, labels = ax.get_legend_handles_labels()
        from matplotlib.colors import to_hex

        colours = {lab: to_hex(h.patches[0].get_facecolor()) for h, lab in zip(handles, labels, strict=True)}
    finally:
        plt.close(fig)
    assert colours["Shanghai"] == _common.REGION_COLORS["Shanghai"].lower()
    assert colours["Abroad"] == _common.REGION_COLORS["Abroad"].lower()
    assert _common.region_color("Ningbo") == _common.region_color("Ningbo")  # stable for unknown names


def test_province_names_in_any_case_pinyin_or_chinese():
    from ioemissions.tables.place_names import province_name

    assert {province_name(n) for n in ["Shanghai", "shanghai", "上海", "上海市", "SH"]} == {"Shanghai"}
    assert province_name("inner mongolia") == "Inner Mongolia" and province_name("西藏") == "Tibet"
    with pytest.raises(LabelError, match="unknown province 'Atlantis'; provinces"):
        province_name("Atlantis")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        zh = ie.electricity.imported_emissions("上海", 2017)
    assert zh.province == "Shanghai"
    pd.testing.assert_frame_equal(zh.table, ie.electricity.imported_emissions("Shanghai", 2017).table)


def test_tibet_has_no_inventory_and_says_so(capsys):
    with pytest.warns(MissingDataWarning, match="Tibet: no CEADs CO2 inventory"):
        res = ie.electricity.imported_emissions("Tibet", 2017)
    assert res.factors.attrs["no_emissions_data"] == ["Tibet"]
    with pytest.warns(MissingDataWarning):
        assert main(["electricity", "--province", "西藏"]) == 0
    assert "Tibet" in capsys.readouterr().out


def test_electricity_table_names_the_provinces_it_folds(capsys):
    assert main(["electricity", "--province", "shanghai", "--top", "5"]) == 0
    out = capsys.readouterr().out
    assert "other " in out and "total" in out
    folded = next(line for line in out.splitlines() if line.startswith("other ") and ":" in line)
    n = int(folded.split()[1])
    assert len(folded.split(":", 1)[1].split(",")) == n


def test_tables_list_fits_a_terminal(capsys):
    assert main(["tables", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert any(line.startswith("yrd-mrio-2017") and " yes " in line for line in lines)


def test_every_option_has_help_and_a_default_said():
    from ioemissions.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    missing = []
    for name, p in sub.choices.items():
        for a in p._actions:
            if a.option_strings and a.dest not in ("help",) and not a.help:
                missing.append(f"{name} {a.option_strings[0]}")
            takes_value = a.option_strings and a.nargs != 0 and a.dest != "help"
            if takes_value and a.help and "default" not in a.help and a.dest != "name":
                missing.append(f"{name} {a.option_strings[0]} (no default said)")
    assert not missing, missing
