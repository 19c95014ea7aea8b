"""Any MRIO: save/load in the open format, and ``ioemissions accounts PATH`` on what pymrio reads.

Oracles: pymrio's own ``calc_all`` (D_pba_reg, D_cba_reg) for its test system, and the closed form
x = (I − A)⁻¹ y, F_cba = S L Y (Miller & Blair 2009, eq. 2.11 and ch. 10) in numpy for a small
synthetic EXIOBASE-layout archive written here.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pymrio
import pytest

import ioemissions as ie
from ioemissions.cli.main import main
from ioemissions.errors import DataFileError


def test_save_load_keeps_units_labels_and_import_block(tmp_path):
    m = ie.tables.load("china-io-2017", satellite="ceads")
    folder = ie.save(m, tmp_path / "china")
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert meta["format"] == "ioemissions-mrio"
    assert meta["units"] == {"monetary": "10^4 CNY", "stressors": [{"label": "CO2", "unit": "Mt"}]}
    assert meta["M_imp"] == "dta"
    assert {"Z.csv", "Y.csv", "x.csv", "F.csv", "F_Y.csv", "Z_imp.csv", "Y_imp.csv"} <= set(meta["files"])
    back = ie.load_model(folder)
    assert back.monetary_unit == "10^4 CNY" and back.stressor_unit("CO2") == "Mt"
    assert back.M_imp == "dta"
    pd.testing.assert_index_equal(back.nodes, m.nodes)
    pd.testing.assert_frame_equal(back.Z_imp, m.Z_imp)
    pd.testing.assert_frame_equal(back.F, m.F)
    pd.testing.assert_frame_equal(back.accounts("CO2"), m.accounts("CO2"), rtol=1e-12)


def test_save_load_two_level_stressors(tmp_path):
    m = ie.MRIO.from_pymrio(pymrio.load_test(), extension="emissions")
    back = ie.load_model(ie.save(m, tmp_path / "test"))
    assert list(back.stressors) == list(m.stressors) and back.stressors.names == ["stressor", "compartment"]
    assert back.stressor_unit(("emission_type2", "water")) == "kg" and back.monetary_unit == "Mill USD"
    pd.testing.assert_frame_equal(back.F_Y, m.F_Y)
    s = ("emission_type1", "air")
    pd.testing.assert_frame_equal(back.accounts(s), m.accounts(s), rtol=1e-12)


def test_accounts_cli_on_pymrio_save_all_folder_matches_calc_all(tmp_path):
    io = pymrio.load_test()
    io.save_all(tmp_path / "saved")
    out = tmp_path / "out"
    argv = ["accounts", str(tmp_path / "saved"), "--extension", "emissions", "--out", str(out), "--precise"]
    assert main(argv) == 0
    acc = pd.read_csv(out / "accounts.csv", index_col=[0, 1])
    assert list(acc.columns) == [f"{c} [kg]" for c in ["production", "consumption", "exports", "imports", "balance"]]
    io.calc_all()
    ext = io.emissions  # pymrio's regional accounts include the direct emissions of final demand (F_Y)
    for s in ext.F.index:
        key = f"{s[0]} / {s[1]}"
        for ours, theirs in [("consumption", "D_cba_reg"), ("production", "D_pba_reg"), ("imports", "D_imp_reg")]:
            np.testing.assert_allclose(
                acc.loc[key, f"{ours} [kg]"], getattr(ext, theirs).loc[s].to_numpy(), rtol=1e-10, err_msg=ours
            )
    trade = pd.read_csv(out / "embodied_trade.csv", index_col=[0, 1])
    assert trade.shape == (2 * 6, 6) and trade.columns[0] == "reg1 [kg]"


def _exiobase_layout(folder):
    """A 2-region × 2-sector system written as in the EXIOBASE 3 archives (tab-separated, file_parameters)."""
    regs, secs = ["AUS", "CHN"], ["Agriculture", "Manufacture of computers and office machinery"]
    idx = pd.MultiIndex.from_product([regs, secs], names=["region", "sector"])
    cats = ["Final consumption expenditure by households", "Exports: Total"]
    ycols = pd.MultiIndex.from_product([regs, cats], names=["region", "category"])
    Z = pd.DataFrame([[10, 20, 5, 0], [5, 30, 10, 15], [2, 8, 40, 10], [4, 6, 10, 50]], idx, idx, float)
    Y = pd.DataFrame([[50, 5, 10, 0], [40, 0, 20, 0], [5, 0, 60, 10], [10, 0, 30, 20]], idx, ycols, float)
    stressor = pd.Index(["CO2 - combustion - air"], name="stressor")
    F = pd.DataFrame([[100, 200, 300, 400]], stressor, idx, float)
    F_hh = pd.DataFrame([[7, 0, 9, 0]], stressor, ycols, float)
    sat = folder / "satellite"
    sat.mkdir(parents=True)
    Z.to_csv(folder / "Z.txt", sep="\t")
    Y.to_csv(folder / "Y.txt", sep="\t")
    (Z.sum(axis=1) + Y.sum(axis=1)).to_frame("indout").to_csv(folder / "x.txt", sep="\t")
    pd.DataFrame({"unit": "M.EUR"}, index=idx).to_csv(folder / "unit.txt", sep="\t")
    F.to_csv(sat / "F.txt", sep="\t")
    F_hh.to_csv(sat / "F_hh.txt", sep="\t")  # older EXIOBASE releases name F_Y "F_hh"
    pd.DataFrame({"unit": ["kg"]}, index=stressor).to_csv(sat / "unit.txt", sep="\t")

    def params(files, kind, **extra):
        spec = {k: {"name": f"{k}.txt", "nr_index_col": str(i), "nr_header": str(h)} for k, (i, h) in files.items()}
        return json.dumps({"files": spec, "systemtype": kind, **extra})

    (folder / "file_parameters.json").write_text(
        params({"Z": (2, 2), "Y": (2, 2), "x": (2, 1), "unit": (2, 1)}, "IOSystem")
    )
    (sat / "file_parameters.json").write_text(
        params({"F": (1, 2), "F_hh": (1, 2), "unit": (1, 1)}, "Extension", name="Satellite")
    )
    meta = {"description": "synthetic EXIOBASE 3 layout", "name": "synthetic", "system": "ixi", "version": "test"}
    (folder / "metadata.json").write_text(json.dumps({**meta, "history": []}))
    return Z, Y, F, F_hh


def test_accounts_cli_on_synthetic_exiobase_zip(tmp_path):
    Z, Y, F, F_hh = _exiobase_layout(tmp_path / "IOT_2022_ixi")
    archive = shutil.make_archive(str(tmp_path / "IOT_2022_ixi"), "zip", tmp_path, "IOT_2022_ixi")
    out = tmp_path / "out"
    argv = ["accounts", archive, "--extension", "satellite", "--stressor", "CO2 - combustion - air"]
    assert main([*argv, "--out", str(out), "--precise"]) == 0
    acc = pd.read_csv(out / "accounts.csv", index_col=[0, 1]).loc["CO2 - combustion - air"]
    assert list(acc.index) == ["AU", "CN"]  # pymrio's EXIOBASE parser renames the 3-letter codes
    # the closed form, independent of ioemissions
    x = Z.sum(axis=1).to_numpy() + Y.sum(axis=1).to_numpy()
    A = Z.to_numpy() / x
    L = np.linalg.inv(np.eye(4) - A)
    s = F.to_numpy()[0] / x
    fy = F_hh.to_numpy()[0].reshape(2, 2).sum(axis=1)
    by_dest = np.stack([s @ L @ Y.to_numpy()[:, 2 * r : 2 * r + 2].sum(axis=1) for r in range(2)])
    np.testing.assert_allclose(acc["consumption [kg]"], by_dest + fy, rtol=1e-12)
    np.testing.assert_allclose(acc["production [kg]"], F.to_numpy()[0].reshape(2, 2).sum(axis=1) + fy, rtol=1e-12)


def test_accounts_cli_all_extensions_in_one_model(tmp_path, capsys):
    """Default --extension all: every stressor of every extension, a unit column as the units differ."""
    out = tmp_path / "all"
    argv = ["accounts", "--out", str(out), "--stressor", "Value Added", "--stressor", "emission_type1", "--xlsx"]
    assert main(argv) == 0
    acc = pd.read_csv(out / "accounts.csv", index_col=[0, 1])
    book = pd.read_excel(out / "accounts.xlsx", sheet_name=None)
    assert list(book) == ["README", "accounts", "embodied_trade"]
    assert "Value Added: Mill USD" in book["README"].set_index("item").loc["units", "value"]
    assert list(acc.index.levels[0]) == ["Emissions / emission_type1 / air", "Factor Inputs / Value Added"]
    assert set(acc["unit"]) == {"Mill USD", "kg"}
    io = pymrio.load_test()
    io.calc_all()
    np.testing.assert_allclose(
        acc.loc["Emissions / emission_type1 / air", "consumption"],
        io.emissions.D_cba_reg.loc[("emission_type1", "air")].to_numpy(),
        rtol=1e-5,  # the CSV holds 6 significant digits without --precise
    )


def test_accounts_cli_rejects_what_it_cannot_read(tmp_path, capsys):
    assert main(["accounts", str(tmp_path / "missing")]) == 2
    assert "no such file" in capsys.readouterr().err
    with pytest.raises(DataFileError, match="cannot read it as exiobase3"):
        ie.load_model(tmp_path, format="exiobase3")
