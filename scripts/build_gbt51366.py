"""GB/T 51366 building-carbon factors (materials and fuels).

Built by ``python scripts/build_tables.py NAME``; shared helpers in ``_build.py``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from _build import (
    BuildError,
    builder,
    write_dataset,
)

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
