"""The reference list of China's 31 provinces.

Built by ``python scripts/build_tables.py NAME``; shared helpers in ``_build.py``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from _build import (
    SHEET_NAMES,
    BuildError,
    builder,
    write_dataset,
)


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
