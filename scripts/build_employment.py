"""Employment by sector in China 1990-2018 (NBS, via ionet), and jobs per unit of output on the 42 IO sectors of 2017.

Built by ``python scripts/build_tables.py employment-china``; shared helpers in ``_build.py``.

Mapping rule (``RULES``): each of the 42 sectors of the NBS 2017 IO table takes the employment of the
GB/T 4754-2017 sections and divisions listed against it. Sections (one letter) are the control totals:
when an IO sector takes only some divisions of a section (B, C, D, M), the section total is shared out in
proportion to those divisions' published values, so every section keeps its published total and the 42
sectors add up to the sum of the 20 sections.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from _build import BuildError, builder, write_dataset
from build_nbs_io import IONET_LICENCE, IONET_SOURCE, _read_ionet

YEAR = 2017
# IO sector code (NBS 2017 42-sector list) -> employment codes (sections A-T, divisions e.g. C14)
RULES: dict[str, list[str]] = {
    "01": ["A"],
    "02": ["B01"],
    "03": ["B02"],
    "04": ["B03", "B04"],
    "05": ["B05", "B06", "B07"],  # the 149-sector table's 011 "ancillary mining activities and other ores" is in 05
    "06": ["C01", "C02", "C03", "C04"],
    "07": ["C05"],
    "08": ["C06", "C07"],
    "09": ["C08", "C09"],
    "10": ["C10", "C11", "C12"],
    "11": ["C13"],
    "12": ["C14", "C15", "C16", "C17"],
    "13": ["C18"],
    "14": ["C19", "C20"],
    "15": ["C21"],
    "16": ["C22"],
    "17": ["C23"],
    "18": ["C24", "C25"],
    "19": ["C26"],
    "20": ["C27"],
    "21": ["C28"],
    "22": ["C29", "C30"],
    "23": ["C31"],
    "24": ["D01"],
    "25": ["D02"],
    "26": ["D03"],
    "27": ["E"],
    "28": ["F"],
    "29": ["G"],
    "30": ["H"],
    "31": ["I"],
    "32": ["J"],
    "33": ["K"],  # the source labels section K only "K"; in GB/T 4754-2017 K is real estate
    "34": ["L"],
    "35": ["M01"],
    "36": ["M02", "M03"],
    "37": ["N"],
    "38": ["O"],
    "39": ["P"],
    "40": ["Q"],
    "41": ["R"],
    "42": ["S", "T"],  # T (international organisations, 0.68 x 10^4 persons) joins public administration
}


def allocate(emp: pd.Series, rules: dict[str, list[str]]) -> tuple[pd.Series, pd.DataFrame]:
    """Jobs per IO sector from section totals split by division shares.

    For an IO sector s taking divisions d of section k: jobs_s = E_k * sum_{d in s} E_d / sum_{d in k} E_d,
    where E_k is the published section total and the denominator runs over all divisions of k; a sector taking
    a whole section gets E_k. Every section is used exactly once, so sum_s jobs_s = sum_k E_k.
    Returns the jobs and the rule table (io_code, employment_code, section, share of the section).
    """
    sections = [c for c in emp.index if len(c) == 1 and c.isalpha()]
    used: dict[str, float] = {}
    rows = []
    for io, codes in rules.items():
        for code in codes:
            if code not in emp.index:
                raise BuildError(f"employment-china: rule for IO sector {io} names unknown employment code {code!r}")
            sec = code[0]
            if len(code) == 1:
                share = 1.0
            else:
                divisions = [c for c in emp.index if len(c) == 3 and c[0] == sec]
                share = emp[code] / emp[divisions].sum()
            used[sec] = used.get(sec, 0.0) + share
            rows.append({"io_code": io, "employment_code": code, "section": sec, "share_of_section": share})
    bad = {s: v for s, v in used.items() if abs(v - 1.0) > 1e-12}
    missing = sorted(set(sections) - set(used))
    if bad or missing:
        raise BuildError(f"employment-china: sections not used exactly once: shares {bad}, unused {missing}")
    rule = pd.DataFrame(rows)
    rule["jobs"] = rule.section.map(emp) * rule.share_of_section
    return rule.groupby("io_code", sort=False).jobs.sum(), rule


@builder("employment-china")
def build_employment(raw: Path, out: Path, name: str):
    emp_path = raw / "ionet-china-nbs-io" / "china_employment.csv"
    io_path = raw / "ionet-china-nbs-io" / "china_2017_42.csv"
    emp = pd.read_csv(emp_path, dtype={"Code": str})
    years = [c for c in emp.columns if c.isdigit()]
    long = emp.melt(id_vars=["Code", "Description", "DescriptionInChinese"], value_vars=years, var_name="year")
    long = long.rename(
        columns={"Code": "code", "Description": "name", "DescriptionInChinese": "name_zh", "value": "persons"}
    )
    long["year"] = long.year.astype(int)
    long = long[["code", "name", "name_zh", "year", "persons"]]
    e = emp.set_index("Code")[str(YEAR)]
    jobs, rule = allocate(e, RULES)
    io = _read_ionet(io_path)
    dom = io[io.Origin == "Domestic"].set_index("Code")
    if list(dom.index) != list(RULES):
        raise BuildError(f"{name}: {io_path.name} sector codes are not 01-42 in order")
    table = pd.DataFrame(
        {
            "sector": dom.Description.to_numpy(),
            "jobs": jobs.reindex(dom.index).to_numpy(),
            "output": dom.GO.to_numpy(float),
        }
    )
    table["jobs_per_output"] = table.jobs * 1e4 / table.output  # persons per 10^4 CNY
    sections_total = e[[c for c in e.index if len(c) == 1 and c.isalpha()]].sum()
    if abs(table.jobs.sum() - sections_total) > 1e-6 * sections_total:
        raise BuildError(f"{name}: jobs add up to {table.jobs.sum()}, sections to {sections_total}")
    rule.insert(1, "io_sector", rule.io_code.map(dom.Description))
    rule_text = "; ".join(f"{io} <- {'+'.join(c)}" for io, c in RULES.items())
    meta = {
        "title": "Employment by sector in China 1990-2018, and jobs per unit of output on the 42 IO sectors of 2017",
        "kind": "tables",
        "year": "1990-2018 (io42: 2017)",
        "units": {
            "employment.persons": "10^4 persons",
            "io42.jobs": "10^4 persons",
            "io42.output": "10^4 CNY, 2017 producers' prices (gross output of the NBS 2017 42-sector table)",
            "io42.jobs_per_output": "persons per 10^4 CNY",
            "mapping.jobs": "10^4 persons (2017)",
        },
        "source": {
            **IONET_SOURCE,
            "file": "ionet-china-nbs-io/china_employment.csv (employment, 1990-2018) and china_2017_42.csv (GO)",
        },
        "licence": IONET_LICENCE,
        "caveats": [
            "National coefficients: io42.jobs_per_output is China's 2017 average and is applied to every region "
            "(Shanghai's labour productivity is higher than the national average in most sectors); no provincial "
            "employment by IO sector is in the raw data.",
            "Mapping rule (employment code -> IO sector, GB/T 4754-2017 sections and divisions): " + rule_text + ". "
            "Section totals are the control: where an IO sector takes some divisions of a section (B, C, D, M), "
            "the section total is split in proportion to those divisions' values. No employment code covers "
            "several IO sectors at division level, so no split by output shares was needed.",
            f"io42.jobs add up to the sum of the 20 sections ({sections_total:,.2f} x 10^4 persons in {YEAR}), "
            f"which differs from the published total TOT ({e['TOT']:,.0f}) by {e['TOT'] - sections_total:,.2f} "
            "(rounding in the source); divisions differ from their sections by up to 1 x 10^4 persons for the "
            "same reason.",
            "Section K is labelled only 'K' in the source; it is real estate (GB/T 4754-2017) and is mapped to IO "
            "sector 33. Section T (international organisations) is mapped to 42 with public administration.",
            "The employment series is total employment including agriculture (21,583 x 10^4 in 2017); the ionet "
            "package does not document its compilation from NBS yearbooks (urban units vs. all employed).",
        ],
        "layout": "employment.csv: code (TOT, sections A-T, divisions e.g. C14), name, name_zh, year, persons. "
        "io42.csv: sector (the labels of ie.tables.load('china-io-2017').sectors), jobs, output, jobs_per_output. "
        f"mapping.csv: the rule table (io_code, io_sector, employment_code, section, share_of_section, jobs {YEAR}).",
    }
    write_dataset(
        out, name, {"employment.csv": long, "io42.csv": table, "mapping.csv": rule}, meta, [emp_path, io_path]
    )
