"""Provincial year-end population (China Statistical Yearbook via GCAM-China).

Built by ``python scripts/build_tables.py NAME``; shared helpers in ``_build.py``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from _build import (
    PROV_ORDER,
    SHEET_NAMES,
    builder,
    write_dataset,
)


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
