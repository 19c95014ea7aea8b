"""Provincial power generation, capacity and electricity use 1997-2024, private cars, floor space per person.

Built by ``python scripts/build_tables.py provincial-energy-power``; shared helpers in ``_build.py``.

Sources: ``crea-china-tracker-provincial`` (Wind exports of NBS/CEC series), ``pypsa-china-pik-provincial-ssp``
(NBS private car stock), ``gcam-china-demand-sectors`` (floor space per person).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from _build import PROV_ORDER, BuildError, builder, province, read_wide_commented, write_dataset

CREA = "crea-china-tracker-provincial"
SOURCES = ["thermal", "hydro", "nuclear", "wind", "solar"]
# series names in the Wind exports -> (quantity, source, province)
GEN_PATTERNS = [
    (re.compile(r"^Output: Thermal Power Generating Capacity: (.+): YTD$"), "generation", "thermal"),
    (re.compile(r"^Output: Hydro Power Generating Capacity: (.+): YTD$"), "generation", "hydro"),
    (re.compile(r"^Output: Nuclear Power: (.+): YTD$"), "generation", "nuclear"),
    (re.compile(r"^Power Generation: Wind Power: (.+): YTD$"), "generation", "wind"),
    (re.compile(r"^Output: Solar: (.+): YTD$"), "generation", "solar"),
    (re.compile(r"^Power Consumption: (.+): YTD$"), "consumption", "total"),
]
_PLANTS = (
    r"(?:Power Generating Capacity of 6000 kilowatts and Above Power Plants"
    r"|Power Generation Equipment Capacity of 6000 kW and Above Power Plant"
    r"|Capacity of Power Generation Equipment Above 6,000 Kilowatts)"
)
# "(DC) " prefixes one Shanghai hydro series (Wind's mark of a discontinued series)
CAP_PATTERNS = [
    (re.compile(rf"^(?:\(DC\) )?China: (.+?): {_PLANTS}: Thermal Power$"), "capacity", "thermal"),
    (re.compile(rf"^(?:\(DC\) )?China: (.+?): {_PLANTS}: Hydropower$"), "capacity", "hydro"),
    (re.compile(rf"^(?:\(DC\) )?China: (.+?): {_PLANTS}: Nuclear Power$"), "capacity", "nuclear"),
    (re.compile(rf"^(?:\(DC\) )?China: (.+?): {_PLANTS}: Wind Power$"), "capacity", "wind"),
    (re.compile(r"^China: (.+?): Installed Capacity: Solar Power Generation: YTD$"), "capacity", "solar"),
]


def read_wind_export(path: Path, patterns, skip=()) -> pd.DataFrame:
    """December values of a Wind export: columns quantity, source, province, year, value (as published, unit of the
    file). Every series name must match one pattern (or be in ``skip``); values lose their thousands separators."""
    raw = pd.read_csv(path, header=None, dtype=str, encoding="utf-8-sig")
    labels = raw[0].astype(str)
    names = raw[labels == "Name"].iloc[0, 1:]
    body = raw[labels.str.fullmatch(r"\d{4}-\d{2}")]
    dec = body[body[0].str.endswith("-12")]
    rows = []
    for col, series in names.items():
        if series in skip:
            continue
        hits = [(pat.match(series), q, s) for pat, q, s in patterns if pat.match(series)]
        if len(hits) != 1:
            raise BuildError(f"{path.name}: series {series!r} matches {len(hits)} known patterns, expected 1")
        m, quantity, source = hits[0]
        prov = province(m.group(1), f"{path.name} series {series!r}")
        values = pd.to_numeric(dec[col].str.replace(",", "").str.strip(), errors="raise")
        rows.append(
            pd.DataFrame(
                {
                    "quantity": quantity,
                    "source": source,
                    "province": prov,
                    "year": dec[0].str[:4].astype(int).to_numpy(),
                    "value": values.to_numpy(),
                }
            )
        )
    df = pd.concat(rows, ignore_index=True)
    if df.duplicated(["quantity", "source", "province", "year"]).any():
        raise BuildError(f"{path.name}: two series for the same province and source")
    return df


def zeros_to_missing(df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Every 0 (and empty cell) becomes NaN: in the Wind exports a 0 stands for a missing value (CREA SOURCE.md)."""
    n = int((df.value == 0).sum())
    return df.assign(value=df.value.where(df.value != 0)), n


def total_generation(gen: pd.DataFrame) -> pd.DataFrame:
    """total = thermal + hydro + nuclear + wind + solar, where no series is missing inside its active span.

    A series is active from its first non-missing year on; before that it counts as 0 (the technology was not yet
    reported). A missing value inside the active span (e.g. Shanghai wind from 2018) makes the total empty: a sum
    without it would understate generation silently.
    """
    wide = gen.pivot_table(index=["province", "year"], columns="source", values="value", dropna=False, aggfunc="first")
    wide = wide.reindex(columns=SOURCES)
    active = wide.notna().groupby(level="province").cummax()
    gap = (active & wide.isna()).any(axis=1)
    total = wide.fillna(0.0).sum(axis=1).round(6).where(~gap & wide.thermal.notna())
    return total.rename("value").reset_index().assign(source="total")


def _order(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    pos = {p: i for i, p in enumerate(PROV_ORDER)}
    src = {s: i for i, s in enumerate([*SOURCES, "total"])}
    df = df.assign(_p=df.province.map(pos))
    if "source" in df:
        df = df.assign(_s=df.source.map(src))
    sort = [k if k not in ("province", "source") else {"province": "_p", "source": "_s"}[k] for k in keys]
    return df.sort_values(sort).drop(columns=[c for c in ("_p", "_s") if c in df]).reset_index(drop=True)


def floorspace(raw: Path) -> tuple[pd.DataFrame, Path]:
    path = raw / "gcam-china-demand-sectors" / "floorspace_m2_province_Yh.csv"
    df = pd.read_csv(path, comment="#")
    df = df[df["province.name"] != "Hong Kong"]
    df = pd.DataFrame(
        {
            "province": [province(p, path.name) for p in df["province.name"]],
            "year": df.Year.astype(int),
            "urban_m2_per_capita": df.Urban,
            "rural_m2_per_capita": df.Rural,
        }
    )
    df = _order(df, ["province", "year"])
    prev = df.groupby("province")[["year", "urban_m2_per_capita", "rural_m2_per_capita"]].shift()
    repeat = (df.urban_m2_per_capita == prev.urban_m2_per_capita) & (df.rural_m2_per_capita == prev.rural_m2_per_capita)
    flag = np.where(repeat, "repeats " + prev.year.astype("Int64").astype(str), "")
    flag = np.where(df.year == 2020, "new source from 2020 (break in definition)", flag)
    df["flag"] = pd.Series(flag, index=df.index).replace("", None)
    return df, path


@builder("provincial-energy-power")
def build_energy_power(raw: Path, out: Path, name: str):
    gen_path = raw / CREA / "power_generation_by_province_and_source.csv"
    cap_path = raw / CREA / "power_capacity_by_province_and_type.csv"
    car_path = raw / "pypsa-china-pik-provincial-ssp" / "History_private_car.csv"
    g = read_wind_export(gen_path, GEN_PATTERNS)
    g["value"] = (g.value / 1e4).round(6)  # 10^4 kWh (see CREA SOURCE.md: the unit row is empty) -> 10^8 kWh
    g, n_gen0 = zeros_to_missing(g)
    gen = g[g.quantity == "generation"].drop(columns="quantity")
    gen = pd.concat([gen, total_generation(gen)], ignore_index=True)
    gen = _order(gen[["province", "year", "source", "value"]], ["province", "year", "source"])
    cons = g[g.quantity == "consumption"][["province", "year", "value"]]
    cons = _order(cons, ["province", "year"])
    c = read_wind_export(
        cap_path, CAP_PATTERNS, skip={"China: Installed Capacity: Solar Power Generation: National: YTD"}
    )
    c, n_cap0 = zeros_to_missing(c)
    cap = _order(c[["province", "year", "source", "value"]], ["province", "year", "source"])
    cars = read_wide_commented(car_path, "region").rename(columns={"value": "private_cars"})
    cars["province"] = [province(p, car_path.name) for p in cars.province]
    cars = _order(cars[["province", "year", "private_cars"]], ["province", "year"])
    flsp, flsp_path = floorspace(raw)
    n_total_gap = int(gen[(gen.source == "total")].value.isna().sum())
    sh = gen[(gen.province == "Shanghai") & (gen.source == "total")].set_index("year").value
    meta = {
        "title": "Provincial power generation by source, capacity and electricity use 1997-2024; private cars "
        "2005-2023; residential floor space per person 1970-2021",
        "kind": "tables",
        "year": "1997-2024",
        "units": {
            "generation.value": "10^8 kWh (annual; December year-to-date value / 10^4)",
            "capacity.value": "10^4 kW (year-end)",
            "consumption.value": "10^8 kWh (annual electricity consumption)",
            "cars.private_cars": "10^4 vehicles (year-end private car stock, 私人汽车拥有量)",
            "floorspace.urban_m2_per_capita": "m2 per person",
            "floorspace.rural_m2_per_capita": "m2 per person",
        },
        "source": {
            "generation, capacity, consumption": {
                "repository": "https://github.com/energyandcleanair/china_co2 (CREA chinatracker)",
                "commit": "4043449a84be761a10e05b95a1b81d38a6be0a4a",
                "original_path": "inst/csv/power_generation_by_province_and_source.csv, "
                "inst/csv/power_capacity_by_province&type.csv",
                "publisher": "exports from the Wind (万得) database of NBS / CEC / provincial statistics series",
            },
            "cars": {
                "repository": "https://github.com/pik-piam/PyPSA-China-PIK",
                "commit": "25c83bfb37bc7d81f3058d3f8271fa34383d63ee",
                "original_path": "resources/data/transport/History_private_car.csv",
                "publisher": "NBS data portal https://data.stats.gov.cn/easyquery.htm?cn=E0103",
            },
            "floorspace": {
                "repository": "https://github.com/Daifei-Huang/gcam-hk-v8test (GCAM-China input data)",
                "commit": "2cc6bf0f8858a05a5c31139c7cacad5fafa2d0aa",
                "original_path": "input/gcamdata/inst/extdata/gcam-china/floorspace_m2_province_Yh.csv",
                "publisher": "provincial statistical yearbooks (file header: "
                "'provincial statistical yearbooks 202508')",
            },
        },
        "licence": "LICENCE CAVEAT: the generation, capacity and consumption series are exports from the Wind (万得) "
        "economic database, a commercial terminal; the CREA package is GPL-3.0, but redistribution of the Wind "
        "exports may be restricted by Wind's terms - check before shipping or republishing them. The underlying "
        "series are NBS, CEC and provincial statistics. Cars: NBS statistics (PyPSA-China-PIK, MIT code). "
        "Floor space: GCAM-China (ECL-2.0), from provincial statistical yearbooks.",
        "caveats": [
            f"In the Wind exports a 0 stands for a missing value: every 0 became an empty cell ({n_gen0} in the "
            f"generation/consumption file, {n_cap0} in the capacity file). Examples: wind generation of every YRD "
            "province from 2018/2019 on, wind capacity in 2024, solar capacity before 2018, consumption in 2005. A "
            "true 0 (e.g. no nuclear plant) is therefore also empty; nuclear series exist only for 7 provinces.",
            "generation 'total' = thermal + hydro + nuclear + wind + solar. A series counts as 0 before its first "
            "reported year, but a missing value after it (a gap) makes the total empty rather than understated: "
            f"{n_total_gap} province-years have no total (Shanghai: totals up to "
            f"{int(sh.dropna().index.max()) if sh.notna().any() else 'none'}, because its wind series stops).",
            "Generation and capacity are NBS series for plants above a designated size (capacity: plants >= 6 MW, "
            "except solar: installed capacity); China Power Statistical Yearbook totals are 3-8 % higher (CREA "
            "SOURCE.md: Shanghai thermal 2015 810 vs 785.2 x 10^8 kWh). 'Thermal' is coal + gas + oil, not split.",
            "The generation file's unit row is empty; 10^4 kWh is identified from the same thermal series labelled "
            "'10000 kwh' in provincial_outputs_and_thermal_capacity.csv (CREA SOURCE.md).",
            "Annual values are December year-to-date totals (generation, consumption) or December stocks "
            "(capacity); a missing December leaves the year empty (no fallback to another month).",
            "floorspace: 2016-2019 repeat 2015 for many provinces (a flat fill, flag 'repeats <year>'), 2014 is "
            "missing, and 2020-2021 come from a different source with a break in definition (Shanghai urban 35.5 -> "
            "29.1, rural 60.4 -> 39.5 m2 per person; flag 'new source from 2020'); 2021 repeats 2020. The flag "
            "column marks every row equal to the previous year's. Do not read 2015-2021 as a trend.",
            "cars: private cars only (not all civil vehicles); NBS year-end stock 2005-2023.",
        ],
        "layout": "generation.csv: province, year, source (thermal, hydro, nuclear, wind, solar, total), value. "
        "capacity.csv: province, year, source (thermal, hydro, nuclear, wind, solar), value. consumption.csv: "
        "province, year, value. cars.csv: province, year, private_cars. floorspace.csv: province, year, "
        "urban_m2_per_capita, rural_m2_per_capita, flag.",
    }
    frames = {
        "generation.csv": gen,
        "capacity.csv": cap,
        "consumption.csv": cons,
        "cars.csv": cars,
        "floorspace.csv": flsp,
    }
    write_dataset(out, name, frames, meta, [gen_path, cap_path, car_path, flsp_path])
