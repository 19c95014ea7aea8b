"""Shipped datasets: listed, sourced, loadable offline, balanced, and equal to their published totals."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

import ioemissions as ie
from ioemissions import tables
from ioemissions.errors import DataFileError, DatasetNotFoundError, UnbalancedTableError

REQUIRED = [
    "china-io-2017",
    "china-io-2018",
    "china-io-2020",
    "china-io-2012-139",
    "china-io-2015-42",
    "china-io-2017-149",
    "china-io-2018-153",
    "china-io-2020-153",
    "ceads-co2-provinces",
    "ceads-co2-national",
    "ceads-io42-concordance",
    "grid-factors-mee",
    "gbt51366-factors",
    "ipcc2006-fuels",
    "ipcc-ar6-gwp100",
    "provinces",
]


def test_list_shows_every_dataset_with_metadata():
    listing = tables.list()
    assert set(REQUIRED) <= set(listing["name"])
    assert list(listing.columns[:4]) == ["name", "title", "year", "units"]
    for name in listing["name"]:
        meta = tables.metadata(name)
        for key in ("title", "source", "year", "units", "licence", "caveats", "script"):
            assert meta.get(key) not in (None, "", []) or key == "year", (name, key)
        for f in meta["files"]:
            assert (tables.dataset_dir(name) / f).is_file()


def test_tables_come_from_the_package_not_shared():
    assert "shared" not in str(tables.tables_root())


@pytest.mark.parametrize("name", [n for n in REQUIRED if n.startswith("china-io")])
def test_every_io_table_loads_and_balances(name):
    model = tables.load(name)
    assert model.monetary_unit == "10^4 CNY"
    meta = tables.metadata(name)
    # the build checked GO = TI and TII + TVA = TI to 1e-12; the loader checks them again
    for check in meta["checks"].values():
        assert float(check.split()[-1]) <= 1e-10
    # x = Z e + Y e (domestic rows of the model) holds for the model itself
    np.testing.assert_allclose(model.x, model.Z.sum(axis=1) + model.Y.sum(axis=1), rtol=1e-10)
    # and gross output is the published GO
    raw = pd.read_csv(tables.dataset_dir(name) / "table.csv", dtype={"Code": str, "Origin": str})
    body = raw[raw.Code.str.isdigit()]
    if "Origin" in raw:
        body = body[body.Origin == "Domestic"]
    np.testing.assert_allclose(model.x.to_numpy(), body.GO.to_numpy(float), rtol=1e-10)


def test_noncompetitive_2017_layout():
    m = tables.load("china-io-2017")
    assert len(m.sectors) == 42 and list(m.regions) == ["China"]
    assert (ie.ABROAD, "exports") in m.Y.columns
    assert m.Z_imp.shape == (42, 42)
    s = tables.nbs.sectors("china-io-2017")
    assert s.loc[23, "sector"] == "Production and supply of electric power and heat power"
    assert s.loc[23, "code"] == "24" and s.loc[23, "sector_zh"] == "电力、热力的生产和供应"


def test_unbalanced_table_fails_loudly(tmp_path, monkeypatch):
    root = tmp_path / "tables"
    shutil.copytree(tables.tables_root() / "china-io-2017", root / "china-io-2017")
    path = root / "china-io-2017" / "table.csv"
    df = pd.read_csv(path, dtype={"Code": str, "Origin": str})
    i = df.index[(df.Code == "13") & (df.Origin == "Domestic")][0]
    df.loc[i, "GO"] *= 1.001
    df.to_csv(path, index=False)
    monkeypatch.setenv("IOEMISSIONS_TABLES", str(root))
    tables._store.tables_root.cache_clear()
    tables._store.metadata.cache_clear()
    try:
        with pytest.raises(UnbalancedTableError, match="non-metallic mineral"):
            tables.load("china-io-2017")
    finally:
        tables._store.tables_root.cache_clear()
        tables._store.metadata.cache_clear()


def test_bad_metadata_and_unknown_names(tmp_path, monkeypatch):
    root = tmp_path / "tables"
    (root / "broken").mkdir(parents=True)
    (root / "broken" / "metadata.json").write_text("{not json")
    (root / "thin").mkdir()
    (root / "thin" / "metadata.json").write_text(json.dumps({"name": "thin"}))
    monkeypatch.setenv("IOEMISSIONS_TABLES", str(root))
    tables._store.tables_root.cache_clear()
    tables._store.metadata.cache_clear()
    try:
        with pytest.raises(DataFileError, match=r"broken.*invalid JSON"):
            tables.load("broken")
        with pytest.raises(DataFileError, match=r"thin.*lacks.*title"):
            tables.load("thin")
        with pytest.raises(DatasetNotFoundError, match="nope"):
            tables.load("nope")
    finally:
        tables._store.tables_root.cache_clear()
        tables._store.metadata.cache_clear()


# ----------------------------------------------------------------------------- CEADs
@pytest.mark.parametrize(
    ("province", "year", "total"),
    [
        ("Shanghai", 2017, 196.15),
        ("Shanghai", 2019, 192.91),
        ("China", 2017, 9408.17),
        ("Jiangsu", 2019, 804.59),
        ("Zhejiang", 2019, 381.41),
        ("Anhui", 2019, 408.06),
    ],
)
def test_ceads_totals_reproduce_the_published_numbers(province, year, total):
    """CEADs territorial CO2 (../shared/validation/README.md, published figures)."""
    co2 = ie.inventory.ceads_co2(province, year)
    assert round(co2["value"].sum(), 2) == total
    assert set(co2["unit"]) == {"Mt CO2"}


def test_ceads_tidy_equals_every_source_total():
    co2 = pd.concat([tables.load("ceads-co2-provinces"), tables.load("ceads-co2-national")])
    sums = co2.groupby(["province", "year"])["value"].sum()
    src = ie.inventory.ceads_totals().set_index(["province", "year"])["scope1_total_mt"]
    assert len(src) == 30 * 8 + 23
    np.testing.assert_allclose(sums.reindex(src.index).to_numpy(), src.to_numpy(), rtol=1e-12, atol=1e-9)


def test_concordance_covers_both_sides():
    conc = ie.inventory.concordance()
    assert conc.ceads_sector.nunique() == 45
    assert conc.io_code.nunique() == 42
    splits = conc[conc.rule == "output_share"].ceads_sector.unique()
    assert set(splits) == {"Other Manufacturing Industry", "Wholesale, Retail Trade and Catering Services", "Others"}


@pytest.mark.parametrize(("province", "year"), [("China", 2017), ("Shanghai", 2017), ("Anhui", 2012)])
def test_satellite_conserves_the_total_exactly(province, year):
    model = tables.load("china-io-2017")
    sat = ie.inventory.ceads_satellite(province, year, model, region="China")
    total = ie.inventory.ceads_co2(province, year)["value"].sum()
    np.testing.assert_allclose(sat["F"].to_numpy().sum() + sat["F_Y"].to_numpy().sum(), total, rtol=1e-12)
    # households are final demand, not industry
    hh = ie.inventory.ceads_co2(province, year).query("sector in ['Urban', 'Rural']")["value"].sum()
    np.testing.assert_allclose(sat["F_Y"].to_numpy().sum(), hh, rtol=1e-12)
    # a split follows gross output: wholesale (28) and catering (30) get the same intensity from that sector
    by_fuel = ie.inventory.ceads_satellite(province, year, model, region="China", by_fuel=True)
    np.testing.assert_allclose(by_fuel["F"].to_numpy().sum(axis=0), sat["F"].loc["CO2"].to_numpy(), rtol=1e-12)


def test_satellite_split_by_output_shares():
    model = tables.load("china-io-2017")
    sat = ie.inventory.ceads_satellite("China", 2017, model)
    wholesale = (
        ie.inventory.ceads_co2("China", 2017)
        .query("sector == 'Wholesale, Retail Trade and Catering Services'")["value"]
        .sum()
    )
    trade, catering = ("China", "Wholesale and retail trades"), ("China", "Accommodation and catering")
    x = model.x
    np.testing.assert_allclose(sat["F"].loc["CO2", trade], wholesale * x[trade] / (x[trade] + x[catering]), rtol=1e-12)


def test_national_accounts_2017_identity():
    m = tables.load("china-io-2017", satellite="ceads")
    acc = m.accounts("CO2")
    np.testing.assert_allclose(acc.loc["China", "production"], 9408.17, atol=0.005)
    np.testing.assert_allclose(acc["consumption"], acc["production"] - acc["exports"] + acc["imports"], rtol=1e-12)
    # emissions abroad embodied in China's imports appear as origin Abroad
    assert m.embodied_trade("CO2").loc[ie.ABROAD, "China"] == pytest.approx(acc.loc["China", "imports"])


# ----------------------------------------------------------------------------- factors
def test_grid_factors_published_values():
    """MEE 2022 East China grid average 0.5617 (validation README); YRD values in SOURCE.md."""
    f = tables.load("grid-factors-mee").query("basis == 'average'").set_index(["region", "year"])["value"]
    assert f[("East China Grid", 2022)] == 0.5617
    assert f[("Shanghai", 2021)] == 0.5834 and f[("Shanghai", 2023)] == 0.5737
    assert f[("China", 2022)] == 0.5366
    counts = tables.load("grid-factors-mee").query("basis == 'average'").groupby("year").size()
    assert counts.to_dict() == {2021: 38, 2022: 38, 2023: 38}  # national + 7 grids + 30 provinces


def test_gbt51366_validation_case_6_arithmetic():
    """A1-A3 and A4 of validation case 6 from the shipped GB/T 51366 factors (derived)."""
    f = tables.load("gbt51366-factors").set_index("name_zh")["value"]
    a13 = 1000 * f["C30 混凝土"] + 120 * f["热轧碳钢钢筋"] + 50 * f["普通硅酸盐水泥（市场平均）"] + 20 * f["平板玻璃"]
    assert a13 == pytest.approx(635_150)
    truck = f["重型柴油货车（载重 30t）"]
    assert truck == 0.078
    assert 2400 * 40 * truck + (120 + 50 + 20) * 500 * truck == pytest.approx(14_898)


def test_gbt51366_disputed_values_are_marked():
    f = tables.load("gbt51366-factors")
    disputed = f[f.status == "disputed"]
    assert len(disputed) == 2
    assert (disputed.value == disputed.value_file_A).all() and (disputed.note.str.len() > 50).all()


def test_gwp100_factors():
    g = ie.characterization.gwp100_ar6()
    assert g["CO2"] == 1 and g["N2O"] == 273 and g["CH4_fossil"] == 29.8
