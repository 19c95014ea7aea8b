"""GCAM-China electricity: interprovincial flows and provincial generation.

Built by ``python scripts/build_tables.py NAME``; shared helpers in ``_build.py``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from _build import (
    BuildError,
    builder,
    write_dataset,
)

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
