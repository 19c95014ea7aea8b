"""Provincial GDP and population: SSP1-SSP5 projections 2020-2100, NBS history 2005-2024, GCAM-China SSP2.

Built by ``python scripts/build_tables.py ssp-provinces``; shared helpers in ``_build.py``.

Sources: ``pypsa-china-pik-provincial-ssp`` (the SSP workbooks in long form and the NBS history) and
``gcam-china-socioeconomics`` (GCAM-China's SSP2 provincial series and the World Bank GDP deflator).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from _build import PROV_ORDER, BuildError, builder, province, read_wide_commented, write_dataset

PIK = "pypsa-china-pik-provincial-ssp"
GCAM = "gcam-china-socioeconomics"
SSPS = ["SSP1", "SSP2", "SSP3", "SSP4", "SSP5"]
HISTORY_YEARS = range(2005, 2025)
PRICE_BASE = 2017  # gdp_real is at constant 2017 prices (the base year of the YRD MRIO)
DEFLATOR_LAST_GOOD = 2020  # the file's 2021 row repeats 2019 to every digit: a placeholder, not data

PIK_SOURCE = {
    "repository": "https://github.com/pik-piam/PyPSA-China-PIK",
    "commit": "25c83bfb37bc7d81f3058d3f8271fa34383d63ee",
    "original_path": "resources/data/population/SSPs_GDP_Prov_v2.xlsx, SSPs_POP_Prov_v2.xlsx (read via the "
    "long-form CSVs derived unchanged from all five sheets), historical_gdp.csv, historical_population.csv",
    "publisher": "SSP workbooks: authors not documented (file properties: 杨聿铭, 郭帅帅); history: NBS data portal "
    "https://data.stats.gov.cn/easyquery.htm?cn=E0103",
}
GCAM_SOURCE = {
    "repository": "https://github.com/Daifei-Huang/gcam-hk-v8test (GCAM-China input data)",
    "commit": "2cc6bf0f8858a05a5c31139c7cacad5fafa2d0aa",
    "original_path": "input/gcamdata/inst/extdata/gcam-china/gdp_mil10usd_province.csv, "
    "population_thous_province.csv, GDP_deflator.csv",
    "deflator": "World Bank NY.GDP.DEFL.ZS (China), https://data.worldbank.org/indicator/NY.GDP.DEFL.ZS?locations=CN",
}


def interpolate_years(values: pd.Series, years) -> tuple[np.ndarray, np.ndarray]:
    """Linear interpolation of a series indexed by year onto ``years``; returns (values, interpolated flag).

    p(t) = p(t0) + (t - t0) / (t1 - t0) * (p(t1) - p(t0)) for t0 <= t <= t1, the known years around t.
    """
    known = values.sort_index()
    years = np.asarray(list(years))
    if years.min() < known.index.min() or years.max() > known.index.max():
        raise BuildError(f"cannot interpolate {years.min()}-{years.max()} from {known.index.min()}-{known.index.max()}")
    out = np.interp(years, known.index.to_numpy(dtype=float), known.to_numpy(dtype=float))
    return out, ~np.isin(years, known.index)


def projection(raw: Path) -> tuple[pd.DataFrame, list[Path]]:
    gdp_path = raw / PIK / "ssp_gdp_province_2020_2100_long.csv"
    pop_path = raw / PIK / "ssp_population_province_2020_2100_long.csv"
    gdp = pd.read_csv(gdp_path)
    pop = pd.read_csv(pop_path)
    for df, path in ((gdp, gdp_path), (pop, pop_path)):
        df["province"] = [province(p, path.name) for p in df.province_as_in_file]
        if df.value.isna().any() or (df.value <= 0).any():
            raise BuildError(
                f"{path.name}: empty or non-positive values at rows {df.index[~(df.value > 0)][:5].tolist()}"
            )
        if sorted(df.scenario.unique()) != SSPS or df.province.nunique() != 31:
            raise BuildError(f"{path.name}: expected 5 SSPs x 31 provinces")
    years = range(2020, 2101)
    rows = []
    for (ssp, prov), g in pop.groupby(["scenario", "province"], sort=False):
        p, flag = interpolate_years(g.set_index("year").value, years)
        rows.append(pd.DataFrame({"ssp": ssp, "province": prov, "year": years, "population": p / 1e4, "flag": flag}))
    popa = pd.concat(rows, ignore_index=True)
    gdp = gdp.rename(columns={"scenario": "ssp", "value": "gdp"})[["ssp", "province", "year", "gdp"]]
    if len(gdp) != 5 * 31 * len(years):
        raise BuildError(
            f"{gdp_path.name}: expected annual GDP 2020-2100 for 5 SSPs x 31 provinces, got {len(gdp)} rows"
        )
    df = gdp.merge(popa, on=["ssp", "province", "year"], how="inner", validate="one_to_one")
    df = df.rename(columns={"flag": "population_interpolated"})
    order = {p: i for i, p in enumerate(PROV_ORDER)}
    df = df.assign(_p=df.province.map(order)).sort_values(["ssp", "_p", "year"]).drop(columns="_p")
    return df.reset_index(drop=True), [gdp_path, pop_path]


def deflator(raw: Path) -> tuple[pd.Series, Path]:
    """World Bank GDP deflator for China rebased to PRICE_BASE = 100, years up to DEFLATOR_LAST_GOOD."""
    path = raw / GCAM / "GDP_deflator.csv"
    d = pd.read_csv(path, comment="#").set_index("Year")["GDP deflator"]
    if d.loc[2021] != d.loc[2019]:
        raise BuildError(f"{path.name}: 2021 no longer repeats 2019; revisit DEFLATOR_LAST_GOOD")
    d = d.loc[:DEFLATOR_LAST_GOOD]
    return d / d.loc[PRICE_BASE] * 100.0, path


def history(raw: Path) -> tuple[pd.DataFrame, list[Path], pd.Series]:
    gdp_path = raw / PIK / "historical_gdp.csv"
    pop_path = raw / PIK / "historical_population.csv"
    gdp = read_wide_commented(gdp_path, "region").rename(columns={"value": "gdp_nominal"})
    pop = read_wide_commented(pop_path, "region").rename(columns={"value": "population"})
    for df, path in ((gdp, gdp_path), (pop, pop_path)):
        df["province"] = [province(p, path.name) for p in df.province]
        if df.iloc[:, -1].isna().any():
            raise BuildError(f"{path.name}: empty cells")
    df = gdp.merge(pop, on=["province", "year"], how="outer", validate="one_to_one")
    if len(df) != 31 * len(HISTORY_YEARS) or sorted(df.year.unique()) != list(HISTORY_YEARS):
        raise BuildError("historical GDP and population do not cover 31 provinces x 2005-2024 in both files")
    defl, defl_path = deflator(raw)
    df["gdp_real"] = df.gdp_nominal / df.year.map(defl) * 100.0  # NaN after DEFLATOR_LAST_GOOD
    order = {p: i for i, p in enumerate(PROV_ORDER)}
    df = df.assign(_p=df.province.map(order)).sort_values(["_p", "year"]).drop(columns="_p")
    return (
        df[["province", "year", "gdp_nominal", "gdp_real", "population"]].reset_index(drop=True),
        [
            gdp_path,
            pop_path,
            defl_path,
        ],
        defl,
    )


def gcam_ssp2(raw: Path) -> tuple[pd.DataFrame, list[Path]]:
    gdp_path = raw / GCAM / "gdp_mil10usd_province.csv"
    pop_path = raw / GCAM / "population_thous_province.csv"
    gdp = read_wide_commented(gdp_path, "province.name").rename(columns={"value": "gdp"})
    pop = read_wide_commented(pop_path, "province.name").rename(columns={"value": "population"})
    gdp, pop = gdp[gdp.province != "Hong Kong"], pop[pop.province != "Hong Kong"]  # added by this fork
    df = gdp.merge(pop, on=["province", "year"], validate="one_to_one")
    df["province"] = [province(p, gdp_path.name) for p in df.province]
    df = df[df.year >= 2005].copy()
    if df[["gdp", "population"]].isna().any().any():
        raise BuildError(f"{gdp_path.name}: empty cells from 2005 on")
    df["population"] = df.population / 10.0  # 1000 persons -> 10^4 persons
    order = {p: i for i, p in enumerate(PROV_ORDER)}
    df = df.assign(_p=df.province.map(order)).sort_values(["_p", "year"]).drop(columns="_p")
    return df[["province", "year", "gdp", "population"]].reset_index(drop=True), [gdp_path, pop_path]


def growth(series: pd.Series, y0: int, y1: int) -> float:
    """Average annual growth (x1 / x0)^(1 / (y1 - y0)) - 1."""
    return (series.loc[y1] / series.loc[y0]) ** (1.0 / (y1 - y0)) - 1.0


def compare_ssp2(proj: pd.DataFrame, gcam: pd.DataFrame, region: str = "Shanghai") -> dict:
    """Where the GCAM-China SSP2 path and the PIK SSP2 path differ: numbers for the caveats."""
    pik = proj[(proj.ssp == "SSP2") & (proj.province == region)].set_index("year")
    gc = gcam[gcam.province == region].set_index("year")
    pik_all = proj[proj.ssp == "SSP2"].groupby("year").population.sum()
    gc_all = gcam.groupby("year").population.sum()
    return {
        "pop_2060_pik": pik.population.loc[2060],
        "pop_2060_gcam": gc.population.loc[2060],
        "pop_2030_pik": pik.population.loc[2030],
        "pop_2030_gcam": gc.population.loc[2030],
        "gdp_growth_2020_2030_pik": growth(pik.gdp, 2020, 2030),
        "gdp_growth_2020_2030_gcam": growth(gc.gdp, 2020, 2030),
        "gdp_growth_2030_2060_pik": growth(pik.gdp, 2030, 2060),
        "gdp_growth_2030_2060_gcam": growth(gc.gdp, 2030, 2060),
        "china_pop_2060_pik": pik_all.loc[2060],
        "china_pop_2060_gcam": gc_all.loc[2060],
    }


@builder("ssp-provinces")
def build_ssp_provinces(raw: Path, out: Path, name: str):
    proj, f1 = projection(raw)
    hist, f2, defl = history(raw)
    gcam, f3 = gcam_ssp2(raw)
    c = compare_ssp2(proj, gcam)
    d = {y: round(v, 2) for y, v in defl.loc[[2005, 2010, 2015, 2019, 2020]].items()}
    meta = {
        "title": "Provincial GDP and population: SSP1-SSP5 projections 2020-2100, NBS history 2005-2024, "
        "GCAM-China SSP2 cross-check",
        "kind": "tables",
        "year": "2005-2100",
        "units": {
            "projection.gdp": "10^8 CNY, constant prices (presumably 2020 CNY; the workbook does not state its price "
            "base)",
            "projection.population": "10^4 persons",
            "history.gdp_nominal": "10^8 CNY, current prices",
            "history.gdp_real": f"10^8 CNY, constant {PRICE_BASE} prices (national GDP deflator)",
            "history.population": "10^4 persons (year-end resident population)",
            "gcam_ssp2.gdp": "million 2010 USD",
            "gcam_ssp2.population": "10^4 persons",
        },
        "source": {"projection and history": PIK_SOURCE, "gcam_ssp2 and deflator": GCAM_SOURCE},
        "licence": "PyPSA-China-PIK: code MIT, 'some of the data used is more restrictive'; no licence is given for "
        "the SSP workbooks, whose authors are not documented. NBS series are official statistics. GCAM-China: "
        "ECL-2.0; its numbers come from NBS, the World Bank, the IMF and the IIASA/OECD SSP database.",
        "caveats": [
            "projection.csv: who made the provincial SSP workbooks is not documented (file properties name 杨聿铭 "
            "and 郭帅帅); they look like a Chinese provincial SSP set updated to the 2020 census, but this is "
            "unverified. Check before citing.",
            "projection.csv gdp: the price base is not stated. The 2020 values are close to NBS 2020 nominal GDP "
            "(within 1.3 %), so constant 2020 CNY is presumed. Use growth rates, not levels, when combining with "
            "other price bases.",
            "projection.csv population: the workbooks give 2020, 2025, ..., 2100; the years between are linear "
            "interpolations (population_interpolated = true). Population in 2020 is the 7th census count "
            "(Shanghai 24,870,895 persons).",
            f"history.csv gdp_real = gdp_nominal / deflator x 100, with the World Bank GDP deflator for China "
            f"(NY.GDP.DEFL.ZS, GCAM-China's GDP_deflator.csv) rebased to {PRICE_BASE} = 100 "
            f"(values {d}). It is a NATIONAL deflator applied to every province (no provincial real-growth "
            "indices are in the raw data). The file's 2021 row repeats 2019 to every digit (a placeholder), so "
            "gdp_real is empty for 2021-2024: no deflator for those years is in the raw data. The 2020 value "
            "is a round 111.5 (2015 = 100) in the file, kept but possibly an early estimate.",
            "history.csv: NBS data-portal series; population is the census-revised year-end series (Shanghai "
            "2019: 2,481 here vs 2,428 in the original yearbook series of population-provinces).",
            "gcam_ssp2.csv: GCAM-China's construction (national SSP2 per-capita growth, IMF April 2020 for "
            "2020-2021, shared out by GCAM's provincial rules), not an official projection. Its GDP history "
            "2009-2017 is not smooth (the fourth economic census adjustment, e.g. Shanghai real GDP +23 % in "
            "2009-2010): do not calibrate historical growth on it. Hong Kong rows dropped.",
            "Where GCAM SSP2 and the PIK SSP2 differ (computed by this script): Shanghai population 2030 "
            f"{c['pop_2030_pik']:,.0f} (PIK) vs {c['pop_2030_gcam']:,.0f} (GCAM) x 10^4, 2060 "
            f"{c['pop_2060_pik']:,.0f} vs {c['pop_2060_gcam']:,.0f} x 10^4; Shanghai real GDP growth 2020-2030 "
            f"{100 * c['gdp_growth_2020_2030_pik']:.2f} %/yr (PIK) vs {100 * c['gdp_growth_2020_2030_gcam']:.2f} "
            f"%/yr (GCAM), 2030-2060 {100 * c['gdp_growth_2030_2060_pik']:.2f} vs "
            f"{100 * c['gdp_growth_2030_2060_gcam']:.2f} %/yr; 31-province population 2060 "
            f"{c['china_pop_2060_pik']:,.0f} vs {c['china_pop_2060_gcam']:,.0f} x 10^4. GCAM's 2020 is the IMF "
            "April 2020 (COVID) forecast, not the census.",
        ],
        "layout": "projection.csv: ssp, province, year (2020-2100), gdp, population, population_interpolated. "
        "history.csv: province, year (2005-2024), gdp_nominal, gdp_real, population. gcam_ssp2.csv: province, "
        "year (2005-2100), gdp, population.",
        "price_base": {"projection": "presumed constant 2020 CNY", "history.gdp_real": f"constant {PRICE_BASE} CNY"},
    }
    frames = {"projection.csv": proj, "history.csv": hist, "gcam_ssp2.csv": gcam}
    write_dataset(out, name, frames, meta, [*f1, *f2, *f3])
