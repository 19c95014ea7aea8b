"""The ioemissions command line: help, the main job, and errors as one line."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from ioemissions._output import atomic_dir
from ioemissions.cli.main import main


def test_help_lists_subcommands(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for cmd in ("accounts", "tables", "report"):
        assert cmd in out


def test_console_script_runs():
    out = subprocess.run([sys.executable, "-m", "ioemissions.cli.main", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "ioemissions" in out.stdout


def test_report_china_writes_tables_and_figures(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["report", "china", "--year", "2017", "--out", str(out)]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"accounts.csv", "embodied_trade.csv", "sectors.csv", "accounts.png", "sectors.png"} <= names
    acc = pd.read_csv(out / "accounts.csv", index_col=0)
    assert acc.loc["China", "production [Mt CO2]"] == pytest.approx(9408.17, abs=0.005)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left
    sectors = pd.read_csv(out / "sectors.csv", index_col=0)
    assert sectors["production [Mt CO2]"].sum() == pytest.approx(
        acc.loc["China", "production [Mt CO2]"] - _households_2017(), rel=1e-5
    )


def _households_2017():
    import ioemissions as ie

    co2 = ie.inventory.ceads_co2("China", 2017)
    return co2[co2.sector.isin(["Urban", "Rural"])]["value"].sum()


def test_accounts_example(tmp_path, capsys):
    assert main(["accounts", "--example", "pymrio-test", "--out", str(tmp_path / "acc")]) == 0
    assert (tmp_path / "acc" / "accounts.csv").is_file()


def test_tables_list_and_show(capsys):
    assert main(["tables", "list"]) == 0
    assert "china-io-2017" in capsys.readouterr().out
    assert main(["tables", "show", "ceads-co2-provinces"]) == 0
    assert "Shan" in capsys.readouterr().out


def test_errors_are_one_line_with_status_2(capsys):
    assert main(["report", "china", "--year", "1999", "--out", "/tmp/never"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ioemissions: error: DatasetNotFoundError") and err.count("\n") == 1


def test_atomic_dir_leaves_nothing_half_written(tmp_path):
    target = tmp_path / "out"
    with pytest.raises(RuntimeError), atomic_dir(target) as tmp:
        (tmp / "a.csv").write_text("partial")
        raise RuntimeError("crash half-way")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_report_shanghai_writes_tables_and_figures(tmp_path):
    out = tmp_path / "sh"
    assert main(["report", "shanghai", "--year", "2017", "--out", str(out), "--precise"]) == 0
    names = {p.name for p in out.iterdir()}
    assert {
        "summary.csv",
        "accounts.csv",
        "footprint_by_origin.csv",
        "imports_by_origin_product.csv",
        "exports_by_destination.csv",
        "origins.png",
        "imported_products.png",
    } <= names
    summary = pd.read_csv(out / "summary.csv", index_col=0)["value"]
    assert summary["production"] == pytest.approx(196.15, abs=0.005)
    assert summary["consumption"] == pytest.approx(
        summary["production"] - summary["embodied in exports"] + summary["embodied in imports"]
    )
    origin = pd.read_csv(out / "footprint_by_origin.csv", index_col=0)
    assert origin["footprint [Mt CO2]"].sum() == pytest.approx(summary["consumption"])
    imports = pd.read_csv(out / "imports_by_origin_product.csv", index_col=[0, 1])
    assert imports["imports [Mt CO2]"].sum() == pytest.approx(summary["embodied in imports"], rel=1e-5)
    assert summary["population"] == 2418.0  # Shanghai 2017, 10^4 persons (NBS yearbook via GCAM-China)
