"""CEADs CO2 inventories: provincial (2012-2019) and national (1997-2019).

Built by ``python scripts/build_tables.py NAME``; shared helpers in ``_build.py``."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from _build import (
    SHEET_NAMES,
    BuildError,
    builder,
    write_dataset,
)

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
