"""Shanghai's quoted low-carbon policy targets 2021-2035, one row per number; scenario files cite the ``id``.

Built by ``python scripts/build_tables.py shanghai-policy-targets``; shared helpers in ``_build.py``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from _build import BuildError, builder, write_dataset

COLUMNS = [
    "id",
    "document",
    "doc_number",
    "issued",
    "target",
    "value",
    "unit",
    "comparator",
    "base_year",
    "target_year",
    "source_url",
    "source_kind",
    "note",
]


@builder("shanghai-policy-targets")
def build_policy_targets(raw: Path, out: Path, name: str):
    path = raw / "shanghai-policy-targets" / "targets.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(df.columns) != COLUMNS:
        raise BuildError(f"{name}: {path.name} columns are {list(df.columns)}, expected {COLUMNS}")
    if not df.id.is_unique:
        raise BuildError(f"{name}: duplicate ids {df.id[df.id.duplicated()].tolist()}")
    if (df.source_url == "").any():
        raise BuildError(f"{name}: rows without a source_url: {df.id[df.source_url == ''].tolist()}")
    written = df.value
    df["value"] = pd.to_numeric(df.value, errors="coerce")
    not_numeric = df.id[df.value.isna()].tolist()
    for col in ("base_year", "target_year"):
        df[col] = pd.to_numeric(df[col].replace("", None)).astype("Int64")
    df = df.replace({"": None})
    df["value_as_written"] = written  # the text of the value column, e.g. a range "3-5"
    meta = {
        "title": "Shanghai low-carbon policy targets 2021-2035 (quoted, one row per number)",
        "kind": "table",
        "year": "issued 2020-2024, targets 2022-2035",
        "units": {
            "value": "as in column unit, as written in the text (e.g. '10^4 kW (万千瓦)', '%', '10^8 CNY (亿元)')"
        },
        "source": {
            "compiled_from": "stored copies of public web pages (the plan texts, mostly third-party copies, news "
            "reports and English news), quoted in ../shared/data/raw/shanghai-policy-targets/targets.md with the "
            "URL of every quote (column source_url) and its kind (column source_kind)",
            "documents": "上海市碳达峰实施方案 (沪府发〔2022〕7号) and related Shanghai plans "
            "2020-2024 (column document)",
        },
        "licence": "The plan texts are documents of a legislative or administrative nature of state organs, excluded "
        "from copyright (Copyright Law of the PRC, Art. 5); news and third-party pages are copyrighted and only the "
        "short sentences carrying the targets are quoted, with their URLs.",
        "caveats": [
            "NOT CHECKED AGAINST THE ORIGINAL gov.cn PAGES: most quotes come from third-party copies or news reports "
            "(see source_kind). The main Carbon Peak Plan numbers (CP-01..CP-04) agree across four copies, "
            "including the official English summary. Check key numbers against the originals before publication.",
            "Targets that changed or overlap: CO2 peak 'before 2025' (2021 government work report, GW-01) vs "
            "'before 2030' (2022 Carbon Peak Plan, CP-05; the later document); 2025 PV/wind 400/260 x 10^4 kW "
            "(2022) vs 407/262 (Clean Air Action Plan 2023); fuel-cell vehicles 2025 '应用总量' vs '保有量' vs "
            "'力争突破1万辆'; deep-sea offshore wind 2,930 x 10^4 kW (Chinese news) vs 'about 29 GW' (English news).",
            "Values and units are as written (no conversion: 400 万千瓦 stays 400 with unit '10^4 kW (万千瓦)'). "
            "base_year is given only where the text names it; target_year is the last year of a five-year-plan "
            "period for period targets (see note).",
            "Types only were changed: value is numeric (empty where the text is not one number: "
            f"{', '.join(not_numeric)} has a range, kept in value_as_written), base_year and target_year are "
            "integers (empty where the text names none); issued is kept as text because its precision varies "
            "(day, month or year).",
            "The 14th FYP energy plan and the deep-sea offshore wind plan are known only from news. '开工建设"
            "430万千瓦' offshore wind is a construction start, not installed capacity. No numeric targets were found "
            "for storage, heat pumps, nuclear, electrolysers or CCUS.",
        ],
        "layout": "targets.csv: " + ", ".join(COLUMNS) + ", value_as_written.",
    }
    write_dataset(out, name, {"targets.csv": df}, meta, [path])
