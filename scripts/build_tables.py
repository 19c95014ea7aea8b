"""Build ``tables/`` from the raw inputs in ``../shared/data/raw``, deterministically.

Usage::

    python scripts/build_tables.py [--raw ../shared/data/raw] [--out tables] [--only NAME ...]

Each dataset gets a folder with its data (CSV) and a ``metadata.json`` (title, source with the
repository/path/commit or publication, year, units, licence, caveats, this script, and the SHA-256 of
every raw input file). Running it twice gives byte-identical output. Checks that fail (an
unbalanced IO table, CEADs sectors that do not add up to the source total, …) stop the build with
an error naming the table and row: nothing half-written is left behind (each folder is written to
a temporary sibling and renamed).

The package never runs this script; it only reads ``tables/``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ioemissions._output import replace_dir
from ioemissions.errors import UnbalancedTableError
from ioemissions.regional.yrd import PROVINCES_31 as PROV_ORDER
from ioemissions.tables.nbs import check_balance

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "scripts/build_tables.py"
BUILDERS: dict[str, Callable] = {}
SHEET_NAMES = {"InnerMongolia": "Inner Mongolia"}  # the canonical English spelling used by ioemissions


class BuildError(RuntimeError):
    """A raw input failed a check."""


def builder(*names):
    def deco(func):
        for n in names:
            BUILDERS[n] = func
        return func

    return deco


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_dataset(out: Path, name: str, frames: dict[str, pd.DataFrame], meta: dict, raw_files: list[Path]) -> None:
    """Write the CSV files and metadata.json of one dataset atomically."""
    extra = meta.get("extra_files", {})
    meta = {"name": name, **meta, "files": [f for f in frames if f not in extra], "script": SCRIPT}
    meta["raw_inputs"] = [{"path": str(p.relative_to(p.parents[2])), "sha256": sha256(p)} for p in sorted(raw_files)]
    meta.setdefault("estimated", False)
    with replace_dir(out / name) as tmp:
        for fname, df in frames.items():
            df.to_csv(tmp / fname, index=False, lineterminator="\n")
        (tmp / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"built {name}: " + ", ".join(f"{f} ({len(df)} rows)" for f, df in frames.items()))


# --------------------------------------------------------------------------- NBS national IO tables
IONET_SOURCE = {
    "repository": "https://github.com/Carol-seven/ionet (R package ionet; Xiao, Yan & Zhang)",
    "commit": "51145dcab476e75783af41a688488db1a4abeb56",
    "original_path": "data/china_<year>_<n>.rda (read with pyreadr, written unchanged to CSV)",
    "publisher": "National Bureau of Statistics of China (NBS), input-output tables of China",
}
IONET_LICENCE = (
    "ionet package: GPL (>= 3); the numbers are NBS official statistics (public). Redistribution of the NBS "
    "numbers is assumed to be permitted as public government statistics; this was not confirmed."
)
NONCOMP = {2017: "china_2017_42.csv", 2018: "china_2018_42.csv", 2020: "china_2020_42.csv"}
COMP = {
    "china-io-2012-139": (2012, "china_2012_139.csv"),
    "china-io-2015-42": (2015, "china_2015_42.csv"),
    "china-io-2017-149": (2017, "china_2017_149.csv"),
    "china-io-2018-153": (2018, "china_2018_153.csv"),
    "china-io-2020-153": (2020, "china_2020_153.csv"),
}
RTOL = 1e-12  # GO = TI and TII + TVA = TI, as the issue requires
ROW_RTOL = 1e-10  # row balances: the published 2018 153-sector row 119 is off by 1.4e-12 (source rounding)


def _check_close(a, b, labels, what: str, table: str, scale=None, rtol=RTOL) -> float:
    """The package's balance check (ioemissions.tables.nbs.check_balance), failing the build on a miss."""
    try:
        return check_balance(a, b, labels, what, table, rtol=rtol, scale=scale)
    except UnbalancedTableError as exc:
        raise BuildError(str(exc)) from exc


def _read_ionet(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"Code": str, "Origin": str})


@builder("china-io-2017", "china-io-2018", "china-io-2020")
def build_noncompetitive(raw: Path, out: Path, name: str):
    year = int(name[-4:])
    path = raw / "ionet-china-nbs-io" / NONCOMP[year]
    df = _read_ionet(path)
    sectors = [c for c in df.columns if c.isdigit()]
    dom, imp = df[df.Origin == "Domestic"], df[df.Origin == "Imports"]
    tot = df[df.Origin == "TOT"].set_index("Code")
    fd = ["TC", "FU201", "FU202", "EX"]
    checks = {
        "GO = TI (domestic rows vs column totals)": _check_close(
            dom.GO, tot.loc["TI", sectors], sectors, "GO = TI", name
        ),
        "TII + TVA = TI": _check_close(
            tot.loc["TII", sectors] + tot.loc["TVA", sectors], tot.loc["TI", sectors], sectors, "TII + TVA = TI", name
        ),
        "domestic rows: Z e + Y e = GO": _check_close(
            dom[sectors].sum(axis=1) + dom[fd].sum(axis=1),
            dom.GO,
            sectors,
            "row balance (domestic)",
            name,
            rtol=ROW_RTOL,
        ),
        "import rows: Z e + Y e = total imports": _check_close(
            imp[sectors].sum(axis=1) + imp[fd].sum(axis=1),
            imp.GO,
            sectors,
            "row balance (imports)",
            name,
            rtol=ROW_RTOL,
        ),
        "columns: domestic + imported inputs = TII": _check_close(
            dom[sectors].sum(axis=0) + imp[sectors].sum(axis=0),
            tot.loc["TII", sectors],
            sectors,
            "column balance",
            name,
        ),
    }
    meta = {
        "title": f"China input-output table {year}, 42 sectors, domestic and imported inputs separated (NBS)",
        "kind": "nbs-io-noncompetitive",
        "year": year,
        "units": {"monetary": "10^4 CNY", "prices": "producers' prices"},
        "source": {**IONET_SOURCE, "file": f"ionet-china-nbs-io/{NONCOMP[year]}"},
        "licence": IONET_LICENCE,
        "caveats": [
            "The ionet package does not document how the 42-sector table was split into Domestic and Imports rows "
            "(NBS publishes competitive-import tables); treat the split as the package authors' product."
            + (" 2020 is an NBS extension table (延长表)." if year == 2020 else ""),
            "Final demand has no household/government split: TC is total final consumption.",
            "Imports rows carry re-exports in the EX column.",
            "Some inventory changes (FU202) and net production taxes (VA002) are negative, as published.",
        ],
        "layout": "Columns Code, Description, DescriptionInChinese, Origin (Domestic | Imports | TOT), sectors 01-42, "
        "TIU, TC, FU201, FU202, EX, TFU, GO; rows TII, VA001-VA004, TVA, TI with Origin TOT.",
        "checks": {k: f"max relative difference {v:.2g}" for k, v in checks.items()},
        "check_tolerances": {"GO = TI, TII + TVA = TI": RTOL, "row balances": ROW_RTOL},
    }
    write_dataset(out, name, {"table.csv": df}, meta, [path])


@builder(*COMP)
def build_competitive(raw: Path, out: Path, name: str):
    year, file = COMP[name]
    path = raw / "ionet-china-nbs-io" / file
    df = _read_ionet(path)
    sectors = [c for c in df.columns if c.isdigit()]
    body = df[df.Code.isin(sectors)]
    tot = df.set_index("Code")
    err = body["ERR"] if "ERR" in body else 0.0
    checks = {
        "GO = TI": _check_close(body.GO, tot.loc["TI", sectors], sectors, "GO = TI", name),
        "TII + TVA = TI": _check_close(
            tot.loc["TII", sectors] + tot.loc["TVA", sectors], tot.loc["TI", sectors], sectors, "TII + TVA = TI", name
        ),
        "rows: TIU + TFU - IM + ERR = GO (relative to |TIU| + |TFU| + |IM| + |ERR|)": _check_close(
            body.TIU + body.TFU - body.IM + err,
            body.GO,
            sectors,
            "row balance",
            name,
            scale=body.TIU.abs() + body.TFU.abs() + body.IM.abs() + np.abs(err),
            rtol=ROW_RTOL,
        ),
        "TIU = Z e": _check_close(body[sectors].sum(axis=1), body.TIU, sectors, "TIU", name),
    }
    n = len(sectors)
    meta = {
        "title": f"China input-output table {year}, {n} sectors, competitive imports (NBS)",
        "kind": "nbs-io-competitive",
        "year": year,
        "units": {"monetary": "10^4 CNY", "prices": "producers' prices"},
        "source": {**IONET_SOURCE, "file": f"ionet-china-nbs-io/{file}"},
        "licence": IONET_LICENCE,
        "caveats": [
            "Competitive-import layout: Z and final demand mix domestic and imported products; IM is a negative "
            "final-demand column. ioemissions.tables.load splits imports out with the uniform import-share "
            "assumption unless imports='competitive' is asked for.",
        ]
        + (["2015 is an NBS extension table (延长表) on the 2012-style 42-sector list."] if year == 2015 else [])
        + (
            ["The ERR column is the statistical discrepancy of the row balance (TIU + TFU - IM + ERR = GO)."]
            if "ERR" in body
            else []
        ),
        "layout": "Columns Code, Description, DescriptionInChinese, sectors, TIU, final-use columns (FU101 rural, "
        "FU102 urban households, THC, FU103 government, TC, FU201 GFCF, FU202 inventories, GCF, EX), TFU, IM, "
        "[ERR], GO; rows TII, VA001-VA004, TVA, TI.",
        "checks": {k: f"max relative difference {v:.2g}" for k, v in checks.items()},
        "check_tolerances": {"GO = TI, TII + TVA = TI": RTOL, "row balances": ROW_RTOL},
    }
    write_dataset(out, name, {"table.csv": df}, meta, [path])


# --------------------------------------------------------------------------- provinces (reference)
@builder("provinces")
def build_provinces(raw: Path, out: Path, name: str):
    cap_path = raw / "provincial-capitals-coordinates" / "provincial_capitals_lonlat.csv"
    map_path = raw / "gcam-china-electricity" / "province_names_mappings.csv"
    caps = pd.read_csv(cap_path)
    caps["province"] = caps.province.replace(SHEET_NAMES)  # one spelling everywhere: "Inner Mongolia"
    grid = pd.read_csv(map_path, comment="#")
    grid = grid.rename(columns={"province.name": "province", "province": "abbr", "grid.region": "grid_region"})
    df = caps[["province_code", "province", "province_zh", "capital_zh", "lon", "lat"]].merge(
        grid[["province", "abbr", "grid_region"]], on="province", how="left", validate="one_to_one"
    )
    if df.grid_region.isna().any():
        raise BuildError(f"{name}: no grid region for {df.province[df.grid_region.isna()].tolist()}")
    df["short_zh"] = df.province_zh.str.replace(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", regex=True)
    df = df[["province_code", "abbr", "province", "province_zh", "short_zh", "grid_region", "capital_zh", "lon", "lat"]]
    meta = {
        "title": "China's 31 provinces: codes, English and Chinese names, grid region, capital coordinates",
        "kind": "table",
        "year": None,
        "units": {"lon": "degrees east", "lat": "degrees north"},
        "source": {
            "coordinates": "provincial-capitals-coordinates (cpca, MIT; pyecharts, MIT): capital coordinates",
            "grid_region": "gcam-china-electricity province_names_mappings.csv (GCAM-China, ECL-2.0)",
        },
        "licence": "MIT (cpca, pyecharts) and ECL-2.0 (GCAM-China mapping)",
        "caveats": [
            "Grid regions follow GCAM-China's mapping (e.g. Shandong in the North China grid, Sichuan and "
            "Chongqing in the Central China grid), which may differ from MEE's grouping in some years."
        ],
    }
    write_dataset(out, name, {"provinces.csv": df}, meta, [cap_path, map_path])


# --------------------------------------------------------------------------- CEADs inventories
CEADS_SOURCE = {
    "repository": "https://github.com/Open-Earth-Foundation/OpenClimate",
    "commit": "822037b737999c397f58b442a5a31e4098dd42e1",
    "original_path": "harmonize/data/raw/CEADS_china_provinces/Emission_Inventories_for_30_Provinces_<year>.xlsx and "
    "harmonize/data/raw/CEADS_china/China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx",
    "publisher": "CEADs (Carbon Emission Accounts & Datasets), https://www.ceads.net",
    "citations": [
        "Shan, Y. et al. (2016) Applied Energy 184:742-750",
        "Shan, Y. et al. (2018) Scientific Data 5:170201",
        "Shan, Y. et al. (2020) Scientific Data 7:54",
        "Guan, D. et al. (2021) Earth's Future 9:e2021EF002241",
    ],
}
CEADS_LICENCE = (
    "CEADs data are 'made freely available to the public and the scientific community' (workbook NOTE "
    "sheet); cite the four publications. Redistribution terms are not spelled out."
)
FUEL_FIX = {"CleanedCoal": "Cleaned Coal"}


def _norm(s) -> str:
    s = FUEL_FIX.get(str(s).strip(), str(s).strip())
    return re.sub(r"\s+", " ", s.replace("_", " ")).strip()


def read_ceads_sheet(path: Path, sheet: str):
    """Return (long frame of sectors × columns, total row, sector order) from one CEADs sheet."""
    raw = pd.read_excel(path, sheet_name=sheet, header=None)
    header = [_norm(c) for c in raw.iloc[0]]
    header[0] = "sector"
    if header[-1] != "Scope 1 Total":
        raise BuildError(f"{path.name}[{sheet}]: last column is {header[-1]!r}, expected 'Scope 1 Total'")
    units = set(raw.iloc[1, 1:].dropna().astype(str))
    if units != {"Mt CO2"} and raw.iloc[1, 0] != "unit":
        raise BuildError(f"{path.name}[{sheet}]: unit row says {units}, expected Mt CO2")
    body = raw.iloc[3:].copy()
    body.columns = header
    body["sector"] = body["sector"].astype(str).map(_norm)
    body = body[body.sector.ne("nan")]
    total_label = body.sector.iloc[0]
    if total_label not in ("Total Consumption", "TotalEmissions", "Total Emissions"):
        raise BuildError(f"{path.name}[{sheet}]: first data row is {total_label!r}, expected a total row")
    total = body.iloc[0]
    sectors = body.iloc[1:]
    if len(sectors) != 47 or list(sectors.sector[-2:]) != ["Urban", "Rural"]:
        raise BuildError(f"{path.name}[{sheet}]: expected 45 sectors + Urban + Rural, got {len(sectors)} rows")
    values = sectors.drop(columns="sector").apply(pd.to_numeric, errors="raise").fillna(0.0)
    values.index = sectors.sector.to_numpy()
    tot = pd.to_numeric(total.drop("sector"), errors="raise").fillna(0.0)
    return values, tot


SCOPE1 = [
    "Raw Coal",
    "Cleaned Coal",
    "Other Washed Coal",
    "Briquettes",
    "Coke",
    "Coke Oven Gas",
    "Other Gas",
    "Other Coking Products",
    "Crude Oil",
    "Gasoline",
    "Kerosene",
    "Diesel Oil",
    "Fuel Oil",
    "LPG",
    "Refinery Gas",
    "Other Petroleum Products",
    "Natural Gas",
    "Process",
]


def ceads_long(values: pd.DataFrame, total: pd.Series, where: str) -> pd.DataFrame:
    """Tidy rows (sector, fuel, value) of scope-1 CO2, after checking rows and the total add up."""
    missing = [c for c in SCOPE1 if c not in values.columns]
    if missing:
        raise BuildError(f"{where}: missing columns {missing}")
    s1 = values[SCOPE1].sum(axis=1)
    gap = (s1 - values["Scope 1 Total"]).abs()
    if gap.max() > 1e-6:
        raise BuildError(f"{where}: fuels + process differ from Scope 1 Total at {gap.idxmax()!r} by {gap.max():.3g}")
    if abs(values["Scope 1 Total"].sum() - total["Scope 1 Total"]) > 1e-6:
        raise BuildError(
            f"{where}: sectors sum to {values['Scope 1 Total'].sum()} but the total row says {total['Scope 1 Total']}"
        )
    long = (
        values[SCOPE1].rename_axis("sector").reset_index().melt(id_vars="sector", var_name="fuel", value_name="value")
    )
    long = long[long.value != 0]
    order = {s: i for i, s in enumerate(values.index)}
    fuel_order = {f: i for i, f in enumerate(SCOPE1)}
    long = long.assign(_s=long.sector.map(order), _f=long.fuel.map(fuel_order)).sort_values(["_s", "_f"])
    return long.drop(columns=["_s", "_f"])


PROVINCE_SHEET = re.compile(r"^([A-Za-z]+?)(\d{4})$")


@builder("ceads-co2-provinces")
def build_ceads_provinces(raw: Path, out: Path, name: str):
    folder = raw / "ceads-provincial-co2-inventory"
    rows, totals, files = [], [], []
    for year in range(2012, 2020):
        path = folder / f"Emission_Inventories_for_30_Provinces_{year}.xlsx"
        files.append(path)
        sheets = pd.ExcelFile(path).sheet_names
        for sheet in sheets:
            m = PROVINCE_SHEET.match(sheet)
            if not m:
                continue
            if int(m.group(2)) != year:
                raise BuildError(f"{path.name}: sheet {sheet!r} is not for {year}")
            province = SHEET_NAMES.get(m.group(1), m.group(1))
            values, total = read_ceads_sheet(path, sheet)
            long = ceads_long(values, total, f"{path.name}[{sheet}]")
            long.insert(0, "year", year)
            long.insert(0, "province", province)
            rows.append(long)
            totals.append({"province": province, "year": year, "scope1_total_mt": float(total["Scope 1 Total"])})
    df = pd.concat(rows, ignore_index=True)
    df = df.sort_values(["province", "year"], kind="stable").reset_index(drop=True)
    df["unit"] = "Mt CO2"
    tot = pd.DataFrame(totals).sort_values(["province", "year"]).reset_index(drop=True)
    meta = {
        "title": "CEADs provincial CO2 inventories 2012-2019 (IPCC sectoral approach), 30 provinces, scope 1",
        "kind": "table",
        "year": "2012-2019",
        "units": {"value": "Mt CO2"},
        "source": CEADS_SOURCE,
        "licence": CEADS_LICENCE,
        "caveats": [
            "Scope 1 only: 17 fuels plus cement process emissions; the workbooks' Scope 2 columns are not shipped.",
            "Only non-zero cells are stored; a missing (province, year, sector, fuel) is zero.",
            "No Tibet. Provinces add up to more than the national inventory (2017: 10,171 vs 9,408 Mt), as CEADs "
            "documents for apparent-consumption accounting.",
            "Shanghai 2017: Raw Coal has the same value (0.029259) for Wholesale, Others, Urban and Rural in the "
            "source (a likely artefact, kept as published).",
            "Sectors 'Urban' and 'Rural' are direct household emissions (final demand, F_Y).",
        ],
        "extra_files": {"source_totals.csv": "each sheet's own Scope 1 total row, for checking the sums"},
    }
    write_dataset(out, name, {"co2.csv": df, "source_totals.csv": tot}, meta, files)


@builder("ceads-co2-national")
def build_ceads_national(raw: Path, out: Path, name: str):
    path = raw / "ceads-provincial-co2-inventory" / "China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx"
    rows, totals = [], []
    for sheet in pd.ExcelFile(path).sheet_names:
        if not sheet.isdigit():
            continue
        values, total = read_ceads_sheet(path, sheet)
        long = ceads_long(values, total, f"{path.name}[{sheet}]")
        long.insert(0, "year", int(sheet))
        long.insert(0, "province", "China")
        rows.append(long)
        totals.append({"province": "China", "year": int(sheet), "scope1_total_mt": float(total["Scope 1 Total"])})
    df = pd.concat(rows, ignore_index=True)
    df["unit"] = "Mt CO2"
    meta = {
        "title": "CEADs national CO2 inventory of China 1997-2019 (IPCC sectoral approach), scope 1",
        "kind": "table",
        "year": "1997-2019",
        "units": {"value": "Mt CO2"},
        "source": CEADS_SOURCE,
        "licence": CEADS_LICENCE,
        "caveats": [
            "Scope 1 only (17 fuels + process). Only non-zero cells are stored.",
            "The national inventory is smaller than the sum of the provinces (apparent-consumption accounting).",
        ],
        "extra_files": {"source_totals.csv": "each sheet's own Scope 1 total row"},
    }
    write_dataset(out, name, {"co2.csv": df, "source_totals.csv": pd.DataFrame(totals)}, meta, [path])


# --------------------------------------------------------------------------- CEADs -> IO-42 concordance
# The mapping from the 45 CEADs production sectors to the NBS 2017 42-sector list (codes). A CEADs
# sector mapped to several IO sectors is split by the target sectors' gross output in the model at
# hand (rule "output_share"). Rationale for the non-obvious rows is in the 'note' column.
CONCORDANCE = [
    ("Farming, Forestry, Animal Husbandry, Fishery and Water Conservancy", ["01"], ""),
    ("Coal Mining and Dressing", ["02"], ""),
    ("Petroleum and Natural Gas Extraction", ["03"], ""),
    ("Ferrous Metals Mining and Dressing", ["04"], ""),
    ("Nonferrous Metals Mining and Dressing", ["04"], ""),
    ("Nonmetal Minerals Mining and Dressing", ["05"], ""),
    ("Other Minerals Mining and Dressing", ["05"], ""),
    (
        "Logging and Transport of Wood and Bamboo",
        ["01"],
        "Logging is forestry output (NBS 01 includes forestry products); wood processing is 09.",
    ),
    ("Food Processing", ["06"], ""),
    ("Food Production", ["06"], ""),
    ("Beverage Production", ["06"], ""),
    ("Tobacco Processing", ["06"], ""),
    ("Textile Industry", ["07"], ""),
    ("Garments and Other Fiber Products", ["08"], ""),
    ("Leather, Furs, Down and Related Products", ["08"], ""),
    ("Timber Processing, Bamboo, Cane, Palm Fiber & Straw Products", ["09"], ""),
    ("Furniture Manufacturing", ["09"], ""),
    ("Papermaking and Paper Products", ["10"], ""),
    ("Printing and Record Medium Reproduction", ["10"], ""),
    ("Cultural, Educational and Sports Articles", ["10"], ""),
    ("Petroleum Processing and Coking", ["11"], ""),
    ("Raw Chemical Materials and Chemical Products", ["12"], ""),
    ("Medical and Pharmaceutical Products", ["12"], ""),
    ("Chemical Fiber", ["12"], ""),
    ("Rubber Products", ["12"], "NBS 12 (chemical products) includes rubber and plastic products."),
    ("Plastic Products", ["12"], "NBS 12 (chemical products) includes rubber and plastic products."),
    ("Nonmetal Mineral Products", ["13"], ""),
    ("Smelting and Pressing of Ferrous Metals", ["14"], ""),
    ("Smelting and Pressing of Nonferrous Metals", ["14"], ""),
    ("Metal Products", ["15"], ""),
    ("Ordinary Machinery", ["16"], ""),
    ("Equipment for Special Purposes", ["17"], ""),
    ("Transportation Equipment", ["18"], ""),
    ("Electric Equipment and Machinery", ["19"], ""),
    ("Electronic and Telecommunications Equipment", ["20"], ""),
    ("Instruments, Meters, Cultural and Office Machinery", ["21"], ""),
    (
        "Other Manufacturing Industry",
        ["22", "23"],
        "IO 23 (repair of metal products and machinery) has no CEADs sector; it is a manufacturing activity "
        "(GB/T 4754-2011 division 43), so it shares 'Other Manufacturing' with 22 by gross output.",
    ),
    ("Scrap and waste", ["22"], "NBS 2017 sector 22 is 'other manufacturing and waste resources'."),
    ("Production and Supply of Electric Power, Steam and Hot Water", ["24"], ""),
    ("Production and Supply of Gas", ["25"], ""),
    ("Production and Supply of Tap Water", ["26"], ""),
    ("Construction", ["27"], ""),
    (
        "Transportation, Storage, Post and Telecommunication Services",
        ["29"],
        "All to 29. The telecom part (in IO 31) burns almost no fuel itself: its energy is electricity, whose CO2 "
        "is counted at the power sector (scope 1). Splitting by output would move transport fuel CO2 into "
        "software and IT services. IO 31 gets its direct CO2 from 'Others'.",
    ),
    ("Wholesale, Retail Trade and Catering Services", ["28", "30"], "Split between trade and catering by output."),
    (
        "Others",
        ["31", "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42"],
        "All remaining services, split by output.",
    ),
]


# 2017-list code -> 2012-list codes (the lists differ from sector 22 on: waste and repair, and research and
# technical services)
CODES_2017_TO_2012 = {
    **{f"{k:02d}": [f"{k:02d}"] for k in range(1, 22)},
    "22": ["22", "23"],
    "23": ["24"],
    "24": ["25"],
    "25": ["26"],
    "26": ["27"],
    "27": ["28"],
    "28": ["29"],
    "29": ["30"],
    "30": ["31"],
    "31": ["32"],
    "32": ["33"],
    "33": ["34"],
    "34": ["35"],
    "35": ["36"],
    "36": ["36"],
    **{f"{k:02d}": [f"{k:02d}"] for k in range(37, 43)},
}


@builder("ceads-io42-concordance")
def build_concordance(raw: Path, out: Path, name: str):
    io_path = raw / "ionet-china-nbs-io" / "china_2017_42.csv"
    io12_path = raw / "ionet-china-nbs-io" / "china_2015_42.csv"
    io = _read_ionet(io_path)
    io = io[io.Origin == "Domestic"]
    io_names = dict(zip(io.Code, io.Description, strict=True))
    io12 = _read_ionet(io12_path)
    io12 = io12[io12.Code.str.isdigit()]
    io12_names = dict(zip(io12.Code, io12.Description.str.strip(), strict=True))
    ceads_path = raw / "ceads-provincial-co2-inventory" / "Emission_Inventories_for_30_Provinces_2017.xlsx"
    values, _ = read_ceads_sheet(ceads_path, "Shanghai2017")
    ceads_sectors = list(values.index[:-2])
    mapped = [c for c, _, _ in CONCORDANCE]
    if mapped != ceads_sectors:
        raise BuildError(f"{name}: concordance rows differ from the CEADs sectors: {set(mapped) ^ set(ceads_sectors)}")
    rows = []
    for ceads, codes, note in CONCORDANCE:
        rule = "one-to-one" if len(codes) == 1 else "output_share"
        for code in codes:
            rows.append(
                {
                    "io_list": 2017,
                    "ceads_sector": ceads,
                    "io_code": code,
                    "io_sector": io_names[code],
                    "rule": rule,
                    "note": note,
                }
            )
        codes12 = list(dict.fromkeys(c12 for c in codes for c12 in CODES_2017_TO_2012[c]))
        rule12 = "one-to-one" if len(codes12) == 1 else "output_share"
        for code in codes12:
            rows.append(
                {
                    "io_list": 2012,
                    "ceads_sector": ceads,
                    "io_code": code,
                    "io_sector": io12_names[code],
                    "rule": rule12,
                    "note": note,
                }
            )
    # 2017 list first, each list in CEADs order
    df = pd.DataFrame(rows).sort_values("io_list", kind="stable", ascending=False).reset_index(drop=True)
    for lst, names_ in ((2017, io_names), (2012, io12_names)):
        covered = set(df[df.io_list == lst].io_code)
        if covered != set(names_):
            raise BuildError(f"{name}: {lst} IO sectors without a CEADs source: {sorted(set(names_) - covered)}")
    meta = {
        "title": "Concordance: CEADs 45 production sectors to the NBS 42-sector IO lists of 2017 and 2012",
        "kind": "table",
        "year": "2017 and 2012 lists",
        "units": {},
        "source": {
            "built_by": "ioemissions (mapping in scripts/build_tables.py, CONCORDANCE and CODES_2017_TO_2012)",
            "sector_lists": "CEADs 2017 Shanghai sheet (45 sectors); NBS 2017 42-sector table and the "
            "2012-list 42-sector table of 2015 (ionet)",
        },
        "licence": "BSD-3-Clause (ioemissions)",
        "caveats": [
            "Rule 'output_share': the CEADs sector's CO2 is split over the listed IO sectors in proportion to their "
            "gross output in the model it is applied to.",
            "Urban and Rural household emissions are not IO sectors: the satellite builder puts them in F_Y.",
            "Column io_list: 2017 for the 2017, 2018 and 2020 tables; 2012 for the 2012-list tables (2012, 2015).",
        ],
    }
    write_dataset(out, name, {"concordance.csv": df}, meta, [io_path, io12_path, ceads_path])


# --------------------------------------------------------------------------- emission factors
GRID_EN = {
    "全国": ("China", "national"),
    "华北": ("North China Grid", "grid"),
    "东北": ("Northeast China Grid", "grid"),
    "华东": ("East China Grid", "grid"),
    "华中": ("Central China Grid", "grid"),
    "西北": ("Northwest China Grid", "grid"),
    "南方": ("China Southern Power Grid", "grid"),
    "西南": ("Southwest China Grid", "grid"),
}


@builder("grid-factors-mee")
def build_grid_factors(raw: Path, out: Path, name: str):
    folder = raw / "mee-grid-emission-factors"
    tidy = pd.read_csv(folder / "grid_average_co2_factors_2021_2023_tidy.csv")
    provs = pd.read_csv(raw / "provincial-capitals-coordinates" / "provincial_capitals_lonlat.csv")
    short = provs.province_zh.str.replace(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", regex=True)
    prov_en = dict(zip(short, provs.province.replace(SHEET_NAMES), strict=True))
    # 2023 grid-region values: only national and southern are in the tidy merge; the other six come from
    # file A (GB/T 51366 JS library). Where both have a value they must agree.
    regional = pd.read_csv(folder / "regional_2023_from_gbt51366_fileA.csv")
    avg = tidy.basis == "电力平均"
    add = []
    for _, row in regional.iterrows():
        got = tidy[avg & (tidy.region == row.region) & (tidy.year == 2023)].value_kgco2_per_kwh
        if len(got) == 1:
            if abs(float(got.iloc[0]) - row.value_kgco2_per_kwh) > 1e-12:
                raise BuildError(f"{name}: 2023 {row.region} differs between transcriptions")
        else:
            add.append(
                {
                    "region": row.region,
                    "year": 2023,
                    "value_kgco2_per_kwh": row.value_kgco2_per_kwh,
                    "basis": "电力平均",
                    "source": "GB/T 51366 JS factor library (file A), citing " + row.source_as_stated_in_file,
                }
            )
    tidy = pd.concat([tidy, pd.DataFrame(add)], ignore_index=True)
    en, level = [], []
    for r in tidy.region:
        if r in GRID_EN:
            en.append(GRID_EN[r][0])
            level.append(GRID_EN[r][1])
        elif r in prov_en:
            en.append(prov_en[r])
            level.append("province")
        else:
            raise BuildError(f"{name}: unknown region {r!r}")
    basis_en = {
        "电力平均": "average",
        "不含市场化非化石能源": "average excluding market-traded non-fossil electricity",
        "化石能源电力": "fossil-fuel electricity",
    }
    df = pd.DataFrame(
        {
            "region": en,
            "region_zh": tidy.region,
            "level": level,
            "year": tidy.year,
            "value": tidy.value_kgco2_per_kwh,
            "unit": "kg CO2/kWh",
            "basis": tidy.basis.map(basis_en),
            "source": tidy.source,
        }
    )
    order = {"national": 0, "grid": 1, "province": 2}
    df = df.iloc[
        np.lexsort((df.basis.to_numpy(), df.region.to_numpy(), df.level.map(order).to_numpy(), df.year.to_numpy()))
    ]
    df = df.reset_index(drop=True)
    meta = {
        "title": "MEE/NBS average CO2 emission factors of electricity: national, 7 grids, 30 provinces, 2021-2023",
        "kind": "table",
        "year": "2021-2023",
        "units": {"value": "kg CO2/kWh (= t CO2/MWh)"},
        "source": {
            "official": "Ministry of Ecology and Environment & National Bureau of Statistics announcements (2021 "
            "factors; 2024 No.33 for 2022; 2025 No.47 for 2023)",
            "transcriptions": "vquill/registration-anchored-adjudication p2u/ref_result.json (commit c5c65b30) for "
            "2021-2022; tingfengy2000-creator/nengzhihe operation_planning/data/carbon/emission_factors.json (commit "
            "e14c9f11) for 2023; cross-checked with a GB/T 51366 JS factor library (2023 regional values)",
        },
        "licence": "Official government figures (public); transcriptions' licence not stated",
        "caveats": [
            "Not checked against the official announcements; independent transcriptions agree where compared.",
            "Two conflicting Shanghai 'local' factors (0.485 and 0.42 t/MWh) exist; neither is verified and "
            "neither is shipped.",
            "No Tibet. No factors before 2021 in this dataset.",
        ],
    }
    files = [
        folder / "grid_average_co2_factors_2021_2023_tidy.csv",
        folder / "regional_2023_from_gbt51366_fileA.csv",
        raw / "provincial-capitals-coordinates" / "provincial_capitals_lonlat.csv",
    ]
    write_dataset(out, name, {"factors.csv": df}, meta, files)


UNIT_NORMAL = {"t": "t", "m³": "m3", "m²": "m2", "kg": "kg", "t·km": "t km"}


@builder("gbt51366-factors")
def build_gbt51366(raw: Path, out: Path, name: str):
    path = raw / "gbt51366-factors-transcriptions" / "gbt51366_appendixD_E_factors_two_transcriptions.csv"
    src = pd.read_csv(path)
    rows = []
    counters = {"D": 0, "E": 0}
    for _, r in src.iterrows():
        counters[r.appendix] += 1
        a, b = float(r.kgCO2e_per_unit_file_A), float(r.kgCO2e_per_unit_file_B)
        agree = a == b
        if not agree and not np.isclose(b, 10 * a):
            raise BuildError(
                f"{name}: {r.name_in_file_A!r}: transcriptions disagree ({a} vs {b}) without a documented rule"
            )
        rows.append(
            {
                "id": f"{r.appendix}{counters[r.appendix]:03d}",
                "appendix": r.appendix,
                "name_zh": r.name_in_file_A,
                "name_zh_file_B": r.name_in_file_B,
                "unit": UNIT_NORMAL[r.unit],
                "value": a,
                "value_file_A": a,
                "value_file_B": b,
                "status": "agreed" if agree else "disputed",
                "note": ""
                if agree
                else (
                    "Transcriptions differ by a factor of 10; file A's value is shipped because neighbouring window "
                    "types are 121-254 kgCO2e/m2 (file B most likely lost a decimal point). Not verified against the "
                    "printed standard."
                ),
            }
        )
    df = pd.DataFrame(rows)
    df["value_unit"] = "kg CO2e/" + df.unit
    meta = {
        "title": "GB/T 51366-2019 building-material (Appendix D) and transport (Appendix E) carbon emission factors",
        "kind": "table",
        "year": 2019,
        "units": {"value": "kg CO2e per unit in column 'unit' (t, m3, m2, kg, or t km for transport)"},
        "source": {
            "standard": "GB/T 51366-2019 建筑碳排放计算标准 (Standard for building carbon emission calculation), "
            "Appendix D Table D.0.1 and Appendix E Table E.0.1",
            "transcriptions": "two independent public code files (file A: a JS FACTOR_LIBRARY citing 附录D 表D.0.1 "
            "and 附录E 表E.0.1; file B: a Python tkinter tool), see ../shared/data/raw/gbt51366-factors-transcriptions",
        },
        "licence": "Unknown for the transcriptions; the standard's factors are published by MOHURD",
        "caveats": [
            "Not checked against an official copy of the standard.",
            "82 of 84 values agree between the transcriptions; the 2 disputed ones (window types) are marked "
            "status='disputed' with the reason for the shipped value.",
        ],
    }
    write_dataset(out, name, {"factors.csv": df}, meta, [path])


@builder("ipcc2006-fuels")
def build_ipcc_fuels(raw: Path, out: Path, name: str):
    path = raw / "ipcc2006-defaults-bonsai" / "ipcc2006_v2c1_ncv_carbon_co2_by_fuel_derived.csv"
    df = pd.read_csv(path)
    recomputed = df.carbon_kgC_per_GJ_default * 44 / 12 * 1000
    if not np.allclose(recomputed, df.co2_kgCO2_per_TJ_derived, rtol=1e-5):
        raise BuildError(f"{name}: CO2 factor is not carbon x 44/12 x 1000")
    meta = {
        "title": "IPCC 2006 default net calorific values, carbon contents and derived CO2 factors by fuel",
        "kind": "table",
        "year": 2006,
        "units": {"ncv_GJ_per_t_*": "GJ/t", "carbon_kgC_per_GJ_*": "kg C/GJ", "co2_kgCO2_per_TJ_derived": "kg CO2/TJ"},
        "source": {
            "publication": "IPCC (2006) Guidelines for National Greenhouse Gas Inventories, Vol. 2 Ch. 1, Tables 1.2 "
            "(NCV) and 1.3 (carbon content)",
            "package": "bonsai-ipcc 0.5.3 (PyPI, MIT; gitlab.com/bonsamurais/bonsai/util/ipcc), "
            "data/generic/par_energy_content_per_mass.csv and par_carbon_content_per_energy.csv",
        },
        "licence": "MIT (bonsai-ipcc); IPCC defaults are public",
        "caveats": [
            "CO2 factor derived as carbon x 44/12 (full oxidation); may differ in the last digits from the rounded "
            "IPCC Table 1.4.",
            "Not checked against the IPCC PDF.",
        ],
    }
    write_dataset(out, name, {"fuels.csv": df}, meta, [path])


# --------------------------------------------------------------------------- regionalisation inputs (IPIO, GCAM, NBS)
IPIO_SOURCE = {
    "repository": "https://github.com/abumazan/Interprovincial-IO-database (An interprovincial input-output database "
    "distinguishing firm ownership in China from 1997 to 2017)",
    "commit": "55d7db05b6a8820530aded5f7880efbc23c43d1a",
}
IPIO_LICENCE = "No licence file in the repository; numbers derive from NBS statistics and China Customs"


def _prov(name: str) -> str:
    name = SHEET_NAMES.get(name, name)
    if name not in PROV_ORDER:
        raise BuildError(f"unknown province name {name!r}")
    return name


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


@builder("population-provinces")
def build_population(raw: Path, out: Path, name: str):
    path = raw / "provincial-population" / "China_Statistics_Yearbook_population_10k.csv"
    df = pd.read_csv(path, comment="#")
    df = df[df.Region.isin([*PROV_ORDER, "InnerMongolia", "Inner Mongolia", "National Total"])].copy()
    df["Region"] = df.Region.replace({"National Total": "China", **SHEET_NAMES})
    long = df.melt(id_vars="Region", var_name="year", value_name="value").rename(columns={"Region": "province"})
    long["year"] = long.year.astype(int)
    long = long.dropna(subset=["value"])
    long["unit"] = "10^4 persons"
    meta = {
        "title": "Year-end resident population by province and national total, 2000-2019",
        "kind": "table",
        "year": "2000-2019",
        "units": {"value": "10^4 persons"},
        "source": {
            "repository": "GCAM-China input data (Daifei-Huang/gcam-hk-v8test, commit 2cc6bf0f)",
            "publisher": "China Statistical Yearbook (NBS)",
        },
        "licence": "ECL-2.0 (GCAM); NBS statistics",
        "caveats": [
            "Provinces do not add up to the national total (the yearbook's national figure includes "
            "active-duty military and is estimated separately).",
            "Heilongjiang 2013 (3,535) looks like a typo in the source; kept as published.",
        ],
    }
    write_dataset(out, name, {"population.csv": long.reset_index(drop=True)}, meta, [path])


@builder("province-distances")
def build_distances(raw: Path, out: Path, name: str):
    path = raw / "provincial-capitals-coordinates" / "capital_greatcircle_distance_km.csv"
    d = pd.read_csv(path, index_col=0)
    d.index = [_prov(i) for i in d.index]
    d.columns = [_prov(c) for c in d.columns]
    if list(d.index) != list(d.columns) or not np.allclose(d.to_numpy(), d.to_numpy().T):
        raise BuildError(f"{name}: distance matrix is not square and symmetric")
    long = d.rename_axis("origin").reset_index().melt(id_vars="origin", var_name="destination", value_name="km")
    meta = {
        "title": "Great-circle distances between the 31 provincial capitals",
        "kind": "table",
        "year": None,
        "units": {"km": "km"},
        "source": {
            "derived_from": "provincial-capitals-coordinates (cpca and pyecharts, MIT): capital coordinates, "
            "haversine great-circle distance"
        },
        "licence": "MIT (cpca, pyecharts)",
        "caveats": ["The diagonal is 0: internal distances are set by ioemissions.regional (documented there)."],
    }
    write_dataset(out, name, {"distances.csv": long}, meta, [path])


GCAM_SOURCE = {
    "repository": "https://github.com/Daifei-Huang/gcam-hk-v8test (GCAM-China input data)",
    "commit": "2cc6bf0f8858a05a5c31139c7cacad5fafa2d0aa",
    "original_path": "input/gcamdata/inst/extdata/gcam-china/",
}


@builder("gcam-electricity-flows")
def build_gcam_flows(raw: Path, out: Path, name: str):
    path = raw / "gcam-china-electricity" / "ABSPI_intra_province_electricity_trade.csv"
    codes = pd.read_csv(raw / "gcam-china-electricity" / "province_names_mappings.csv", comment="#")
    code_name = dict(zip(codes.province, codes["province.name"], strict=True))
    code_name["Export"] = "Export"
    df = pd.read_csv(path, comment="#")
    df = df[df.year <= 2019]  # 2020 and 2021 are copies of 2019, not data
    unknown = sorted(set(df["from.region"]) | set(df["to.region"]) - set(code_name))
    unknown = [u for u in unknown if u not in code_name]
    if unknown:
        raise BuildError(f"{name}: unknown region codes {unknown}")
    df = pd.DataFrame(
        {
            "year": df.year,
            "origin": df["from.region"].map(code_name),
            "destination": df["to.region"].map(code_name),
            "value": df.value,
            "unit": "GWh",
        }
    )
    df = df[df.value != 0].reset_index(drop=True)
    meta = {
        "title": "Interprovincial electricity flows in China, 2005-2019 (GCAM-China, from the Annual Book of "
        "Statistics for the Power Industry)",
        "kind": "table",
        "year": "2005-2019",
        "units": {"value": "GWh"},
        "source": {**GCAM_SOURCE, "file": "ABSPI_intra_province_electricity_trade.csv"},
        "licence": "ECL-2.0 (GCAM); numbers from Chinese statistical yearbooks",
        "caveats": [
            "The source's 2020 and 2021 rows copy 2019 and are NOT shipped.",
            "2005 rows show equal-split artefacts (one exporter with identical flows to several provinces).",
            "No Anhui -> Shanghai flow appears in any year.",
            "Destination 'Export' is electricity sent abroad; origins/destinations include Hong Kong.",
            "Only non-zero flows are stored.",
        ],
    }
    write_dataset(out, name, {"flows.csv": df}, meta, [path])


@builder("gcam-electricity-generation")
def build_gcam_generation(raw: Path, out: Path, name: str):
    path = raw / "gcam-china-electricity" / "CPSY_GWh_province_F_elec_out.csv"
    df = pd.read_csv(path, comment="#")
    fuels = ["coal", "hydro", "nuclear", "wind", "solar", "other"]
    df = df[df[fuels].sum(axis=1) > 0]  # 2003 and 2006 rows are all zeros (missing)
    long = df.melt(id_vars=["province.name", "year"], value_vars=fuels, var_name="fuel", value_name="value")
    long = long.rename(columns={"province.name": "province"})
    long["fuel"] = long.fuel.replace({"coal": "thermal"})
    long["unit"] = "10^8 kWh"
    meta = {
        "title": "Electricity generation by fuel and province, 1994-2017 and 2021 (China Electric Power Yearbook, "
        "via GCAM-China)",
        "kind": "table",
        "year": "1994-2017, 2021",
        "units": {"value": "10^8 kWh"},
        "source": {**GCAM_SOURCE, "file": "CPSY_GWh_province_F_elec_out.csv"},
        "licence": "ECL-2.0 (GCAM); numbers from the China Electric Power Yearbook",
        "caveats": [
            "'thermal' is the source's 'coal' column and covers all thermal generation (coal, gas, oil).",
            "2003 and 2006 are missing (all zeros in the source) and are not shipped.",
            "The source's adjustment columns (*.adj) are not shipped.",
        ],
    }
    write_dataset(
        out,
        name,
        {"generation.csv": long.sort_values(["province", "year"], kind="stable").reset_index(drop=True)},
        meta,
        [path],
    )


# --------------------------------------------------------------------------- 2012 table on the 42-sector list
# NBS 139 -> 42 (2012 list): contiguous code ranges, checked against the Chinese names of both lists
AGG_2012 = {
    "01": (1, 5),
    "02": (6, 6),
    "03": (7, 7),
    "04": (8, 9),
    "05": (10, 11),
    "06": (12, 25),
    "07": (26, 30),
    "08": (31, 33),
    "09": (34, 35),
    "10": (36, 38),
    "11": (39, 40),
    "12": (41, 51),
    "13": (52, 58),
    "14": (59, 63),
    "15": (64, 64),
    "16": (65, 70),
    "17": (71, 74),
    "18": (75, 79),
    "19": (80, 85),
    "20": (86, 91),
    "21": (92, 92),
    "22": (93, 93),
    "23": (94, 94),
    "24": (95, 95),
    "25": (96, 96),
    "26": (97, 97),
    "27": (98, 98),
    "28": (99, 102),
    "29": (103, 103),
    "30": (104, 111),
    "31": (112, 113),
    "32": (114, 115),
    "33": (116, 118),
    "34": (119, 119),
    "35": (120, 121),
    "36": (122, 124),
    "37": (125, 127),
    "38": (128, 129),
    "39": (130, 130),
    "40": (131, 132),
    "41": (133, 137),
    "42": (138, 139),
}


@builder("china-io-2012-42")
def build_2012_42(raw: Path, out: Path, name: str):
    path = raw / "ionet-china-nbs-io" / "china_2012_139.csv"
    names_path = raw / "ionet-china-nbs-io" / "china_2015_42.csv"
    df = _read_ionet(path)
    names = _read_ionet(names_path)
    names = names[names.Code.str.isdigit()].set_index("Code")
    codes139 = [c for c in df.columns if c.isdigit()]
    to42 = {f"{k:03d}": code for code, (a, b) in AGG_2012.items() for k in range(a, b + 1)}
    if sorted(to42) != codes139:
        raise BuildError(f"{name}: the 139 -> 42 ranges do not cover the 139 sectors exactly")
    body = df[df.Code.isin(codes139)].copy()
    rest = df[~df.Code.isin(codes139)].copy()
    value_cols = [c for c in df.columns if c not in ("Code", "Description", "DescriptionInChinese")]
    body["Code"] = body.Code.map(to42)
    rows = body.groupby("Code", sort=True)[value_cols].sum()
    rest = rest.set_index("Code")[value_cols]
    table = pd.concat([rows, rest])
    other = [c for c in value_cols if c not in codes139]
    agg = pd.DataFrame(
        {code: table[[c for c in codes139 if to42[c] == code]].sum(axis=1) for code in AGG_2012}, index=table.index
    )
    agg = pd.concat([agg, table[other]], axis=1)
    agg.insert(
        0,
        "DescriptionInChinese",
        [names.DescriptionInChinese.get(c, df.set_index("Code").DescriptionInChinese.get(c)) for c in agg.index],
    )
    agg.insert(0, "Description", [names.Description.get(c, df.set_index("Code").Description.get(c)) for c in agg.index])
    agg = agg.reset_index().rename(columns={"index": "Code"})
    sectors = list(AGG_2012)
    b = agg[agg.Code.isin(sectors)]
    tot = agg.set_index("Code")
    err = b["ERR"]
    checks = {
        "GO = TI": _check_close(b.GO, tot.loc["TI", sectors], sectors, "GO = TI", name),
        "TII + TVA = TI": _check_close(
            tot.loc["TII", sectors] + tot.loc["TVA", sectors], tot.loc["TI", sectors], sectors, "TII + TVA = TI", name
        ),
        "rows: TIU + TFU - IM + ERR = GO (relative to |TIU| + |TFU| + |IM| + |ERR|)": _check_close(
            b.TIU + b.TFU - b.IM + err,
            b.GO,
            sectors,
            "row balance",
            name,
            scale=b.TIU.abs() + b.TFU.abs() + b.IM.abs() + err.abs(),
            rtol=ROW_RTOL,
        ),
        "TIU = Z e": _check_close(b[sectors].sum(axis=1), b.TIU, sectors, "TIU", name, rtol=ROW_RTOL),
    }
    meta = {
        "title": "China input-output table 2012 aggregated to the 42-sector list of 2012, competitive imports (NBS)",
        "kind": "nbs-io-competitive",
        "year": 2012,
        "units": {"monetary": "10^4 CNY", "prices": "producers' prices"},
        "source": {
            **IONET_SOURCE,
            "file": "ionet-china-nbs-io/china_2012_139.csv",
            "derived": "139 sectors summed to NBS's 42-sector list of 2012 by contiguous code ranges "
            "(AGG_2012 in scripts/build_tables.py); sector names from china_2015_42.csv (same list)",
        },
        "licence": IONET_LICENCE,
        "caveats": [
            "Derived by ioemissions: rows and columns of the 139-sector table summed; nothing else changed.",
            "The 2012 42-sector list differs from the 2017 list (waste and repair are separate, research and "
            "technical services are merged); use the 2012 CEADs concordance with it.",
            "Competitive-import layout; the loader splits imports with uniform import shares.",
        ],
        "layout": "as china-io-2012-139 with 42 sectors",
        "checks": {k: f"max relative difference {v:.2g}" for k, v in checks.items()},
        "check_tolerances": {"GO = TI, TII + TVA = TI": RTOL, "row balances": ROW_RTOL},
    }
    write_dataset(out, name, {"table.csv": agg}, meta, [path, names_path])


@builder("gbt51366-fuel-factors")
def build_gbt51366_fuels(raw: Path, out: Path, name: str):
    path = raw / "gbt51366-factors-transcriptions" / "appendixA_fuel_co2_per_TJ_fileA_only.csv"
    src = pd.read_csv(path)
    fuel_en = {
        "天然气": "natural gas",
        "液化石油气": "LPG",
        "柴油": "diesel",
        "汽油": "gasoline",
        "燃料油": "fuel oil",
        "烟煤": "bituminous coal",
    }
    unknown = sorted(set(src.fuel) - set(fuel_en))
    if unknown:
        raise BuildError(f"{name}: unknown fuels {unknown}")
    ncv = src.ncv_used_in_fileA.str.extract(r"([0-9.]+)\s*MJ/(m3|kg)")
    df = pd.DataFrame(
        {
            "fuel": src.fuel.map(fuel_en),
            "fuel_zh": src.fuel,
            "tCO2_per_TJ": src.tCO2_per_TJ,
            "ncv_MJ": ncv[0].astype(float),
            "per": ncv[1],
        }
    )
    df["kgCO2_per_unit"] = df.tCO2_per_TJ * df.ncv_MJ / 1000.0  # t/TJ x MJ/unit = kg/unit / 1000 x 1000
    df["unit"] = "kg CO2/" + df["per"]
    meta = {
        "title": "GB/T 51366-2019 Appendix A fuel CO2 factors (per TJ) with the calorific values used by file A",
        "kind": "table",
        "year": 2019,
        "units": {"tCO2_per_TJ": "t CO2/TJ", "ncv_MJ": "MJ per m3 or kg", "kgCO2_per_unit": "kg CO2 per m3 or kg"},
        "source": {
            "standard": "GB/T 51366-2019 Appendix A Table A.0.1 (CO2 factors); calorific values from GB/T 2589 as "
            "quoted in file A",
            "transcription": "file A only (see gbt51366-factors)",
        },
        "licence": "Unknown for the transcription; the standard is published by MOHURD",
        "caveats": [
            "SINGLE SOURCE: one transcription, not checked against the printed standard; use with care.",
            "kgCO2_per_unit = tCO2_per_TJ x ncv (MJ/unit) / 1000, e.g. natural gas 55.54 x 38.93 / 1000 = "
            "2.162 kg CO2/m3.",
        ],
    }
    write_dataset(out, name, {"fuels.csv": df}, meta, [path])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--raw", default=str(ROOT.parent / "shared" / "data" / "raw"))
    parser.add_argument("--out", default=str(ROOT / "tables"))
    parser.add_argument("--only", nargs="*", help="dataset names to build (default: all)")
    args = parser.parse_args(argv)
    raw, out = Path(args.raw), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    names = args.only or list(BUILDERS)
    unknown = set(names) - set(BUILDERS)
    if unknown:
        parser.error(f"unknown datasets {sorted(unknown)}; known: {sorted(BUILDERS)}")
    try:
        for name in names:
            BUILDERS[name](raw, out, name)
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
