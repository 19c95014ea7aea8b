"""Regionalisation controls from the interprovincial IO database (IPIO) and China Customs.

Built by ``python scripts/build_tables.py NAME``; shared helpers in ``_build.py``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from _build import (
    PROV_ORDER,
    BuildError,
    _prov,
    builder,
    write_dataset,
)

# --------------------------------------------------------------------------- regionalisation inputs (IPIO, GCAM, NBS)
IPIO_SOURCE = {
    "repository": "https://github.com/abumazan/Interprovincial-IO-database (An interprovincial input-output database "
    "distinguishing firm ownership in China from 1997 to 2017)",
    "commit": "55d7db05b6a8820530aded5f7880efbc23c43d1a",
}
IPIO_LICENCE = "No licence file in the repository; numbers derive from NBS statistics and China Customs"


@builder("ipio-provincial-output")
def build_ipio_output(raw: Path, out: Path, name: str):
    frames, files = [], []
    for year in (2012, 2017):
        path = raw / "ipio-benchmark-provincial-totals" / f"provincial_total_output_{year}.csv"
        files.append(path)
        df = pd.read_csv(path)
        cols = [c for c in df.columns if c.startswith("p")]
        if [_prov(c.split("_", 1)[1]) for c in cols] != PROV_ORDER:
            raise BuildError(f"{name}: {path.name} columns are not the 31 provinces in NBS order")
        long = df.melt(id_vars="sector_index", value_vars=cols, var_name="province", value_name="value")
        long["province"] = long.province.str.split("_", n=1).str[1].map(_prov)
        long.insert(0, "year", year)
        frames.append(long)
    df = pd.concat(frames, ignore_index=True)[["year", "province", "sector_index", "value"]]
    df["unit"] = "10^8 CNY"
    meta = {
        "title": "Gross output by sector for 31 provinces, 2012 and 2017 (IPIO benchmark totals)",
        "kind": "table",
        "year": "2012, 2017",
        "units": {"value": "10^8 CNY (inferred, see caveats)"},
        "source": {
            **IPIO_SOURCE,
            "original_path": "calibrated benchmark IPIO table/5. Convert MRIO to IRIO/"
            "ProIOT_Totals.mat (variables total2012, total2017), exported to CSV",
        },
        "licence": IPIO_LICENCE,
        "caveats": [
            "Province order, unit and sector order are inferred, not stated: NBS province order; 10^8 CNY (2017 sum "
            "2,377,192 vs national GO 2,257,734); sectors = the NBS 42-sector list of that year (2012 and 2017 "
            "lists differ). ioemissions uses these only as regional shares, scaled to the national table.",
        ],
    }
    write_dataset(out, name, {"output.csv": df}, meta, files)


@builder("ipio-provincial-expenditure")
def build_ipio_expenditure(raw: Path, out: Path, name: str):
    path = raw / "ipio-provincial-macro-1997-2017" / "reslt_expd_long.csv"
    df = pd.read_csv(path)
    df["region"] = df.region.map(_prov)
    df = df.rename(columns={"region": "province", "variable": "item"})
    df = df[["year", "province", "item", "value"]].sort_values(["year", "province", "item"], kind="stable")
    df["unit"] = "10^8 CNY"
    sums = df[df.item == "net_provflow"].groupby("year").value.sum()
    if (sums.abs() > 1e-3).any():
        raise BuildError(f"{name}: net_provflow does not sum to zero over provinces: {sums.to_dict()}")
    meta = {
        "title": "Balanced provincial GDP by expenditure (consumption, capital formation, net interprovincial outflow, "
        "exports, imports), 31 provinces, 1997-2017",
        "kind": "table",
        "year": "1997, 2002, 2007, 2012, 2017",
        "units": {"value": "10^8 CNY, current prices (inferred)"},
        "source": {
            **IPIO_SOURCE,
            "original_path": "calibrated benchmark IPIO table/1. Calibrate the National Account "
            "Data/results_MacroCtrl_97_17.gdx, symbol reslt_expd (cross-entropy balanced), exported to CSV",
        },
        "licence": IPIO_LICENCE,
        "caveats": [
            "Items: hsh_rural, hsh_urban, gov, fixed_capital, inventory, net_provflow (net interprovincial outflow), "
            "export_s (exports), import_d (imports, negative). Each province's items sum to its GDP scaled so that "
            "provinces add up to national GDP; net_provflow sums to zero.",
            "The unit is not written in the GDX; 10^8 CNY is inferred from the repository's MRIO script.",
        ],
    }
    write_dataset(out, name, {"expenditure.csv": df.reset_index(drop=True)}, meta, [path])


@builder("customs-trade-provinces")
def build_customs(raw: Path, out: Path, name: str):
    frames, files = [], []
    for year in (2012, 2017):
        path = raw / "ipio-customs-trade-and-census-ownership" / f"trade_{year}_with_header.csv"
        files.append(path)
        df = pd.read_csv(path)
        df["province"] = df.province.map(_prov)
        keep = df[["province", "sector", "imp_total", "exp_total", "M_INT_total", "M_CONS_total", "M_CAP_total"]]
        keep = keep.rename(
            columns={
                "sector": "sector_index",
                "imp_total": "imports",
                "exp_total": "exports",
                "M_INT_total": "imports_intermediate",
                "M_CONS_total": "imports_consumption",
                "M_CAP_total": "imports_capital",
            }
        )
        keep.insert(0, "year", year)
        frames.append(keep)
    df = pd.concat(frames, ignore_index=True)
    meta = {
        "title": "International imports and exports by province and IO sector (China Customs, via IPIO), 2012 and 2017",
        "kind": "table",
        "year": "2012, 2017",
        "units": {"imports, exports, imports_*": "most likely USD (inferred; not stated) - use as shares only"},
        "source": {
            **IPIO_SOURCE,
            "original_path": "IPIO tables with three firm ownerships/Data and Codes/<year>/trade.csv",
        },
        "licence": IPIO_LICENCE,
        "caveats": [
            "Currency inferred; ioemissions uses the data only as provincial shares per sector.",
            "Non-zero only for goods sectors (and a few service sectors); sector lists follow the year's "
            "NBS 42-sector classification.",
        ],
    }
    write_dataset(out, name, {"trade.csv": df}, meta, files)
