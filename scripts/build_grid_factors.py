"""MEE grid emission factors.

Built by ``python scripts/build_tables.py NAME``; shared helpers in ``_build.py``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from _build import (
    SHEET_NAMES,
    BuildError,
    builder,
    write_dataset,
)

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
