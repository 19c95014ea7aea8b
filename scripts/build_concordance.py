"""The CEADs 45-sector to NBS 42-sector concordance.

Built by ``python scripts/build_tables.py NAME``; shared helpers in ``_build.py``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from _build import (
    BuildError,
    builder,
    write_dataset,
)
from build_ceads import read_ceads_sheet
from build_nbs_io import _read_ionet

# --------------------------------------------------------------------------- CEADs -> IO-42 concordance
# The mapping from the 45 CEADs production sectors to the NBS 2017 42-sector list (codes). A CEADs
# sector mapped to several IO sectors is split by the target sectors' gross output in the model at
# hand (rule "output_share"). Rationale for the non-obvious rows is in the 'note' column.
CONCORDANCE = [
    ("Farming, Forestry, Animal Husbandry, Fishery and Water Conservancy", ["01"], ""),
    ("Coal Mining and Dressing", ["02"], ""),
    ("Petroleum and Natural Gas Extraction", ["03"], ""),
    ("Ferrous Metals Mining and Dressing", ["04"], ""),
    ("Nonferrous Metals Mining and Dressing", ["04"], ""),
    ("Nonmetal Minerals Mining and Dressing", ["05"], ""),
    ("Other Minerals Mining and Dressing", ["05"], ""),
    (
        "Logging and Transport of Wood and Bamboo",
        ["01"],
        "Logging is forestry output (NBS 01 includes forestry products); wood processing is 09.",
    ),
    ("Food Processing", ["06"], ""),
    ("Food Production", ["06"], ""),
    ("Beverage Production", ["06"], ""),
    ("Tobacco Processing", ["06"], ""),
    ("Textile Industry", ["07"], ""),
    ("Garments and Other Fiber Products", ["08"], ""),
    ("Leather, Furs, Down and Related Products", ["08"], ""),
    ("Timber Processing, Bamboo, Cane, Palm Fiber & Straw Products", ["09"], ""),
    ("Furniture Manufacturing", ["09"], ""),
    ("Papermaking and Paper Products", ["10"], ""),
    ("Printing and Record Medium Reproduction", ["10"], ""),
    ("Cultural, Educational and Sports Articles", ["10"], ""),
    ("Petroleum Processing and Coking", ["11"], ""),
    ("Raw Chemical Materials and Chemical Products", ["12"], ""),
    ("Medical and Pharmaceutical Products", ["12"], ""),
    ("Chemical Fiber", ["12"], ""),
    ("Rubber Products", ["12"], "NBS 12 (chemical products) includes rubber and plastic products."),
    ("Plastic Products", ["12"], "NBS 12 (chemical products) includes rubber and plastic products."),
    ("Nonmetal Mineral Products", ["13"], ""),
    ("Smelting and Pressing of Ferrous Metals", ["14"], ""),
    ("Smelting and Pressing of Nonferrous Metals", ["14"], ""),
    ("Metal Products", ["15"], ""),
    ("Ordinary Machinery", ["16"], ""),
    ("Equipment for Special Purposes", ["17"], ""),
    ("Transportation Equipment", ["18"], ""),
    ("Electric Equipment and Machinery", ["19"], ""),
    ("Electronic and Telecommunications Equipment", ["20"], ""),
    ("Instruments, Meters, Cultural and Office Machinery", ["21"], ""),
    (
        "Other Manufacturing Industry",
        ["22", "23"],
        "IO 23 (repair of metal products and machinery) has no CEADs sector; it is a manufacturing activity "
        "(GB/T 4754-2011 division 43), so it shares 'Other Manufacturing' with 22 by gross output.",
    ),
    ("Scrap and waste", ["22"], "NBS 2017 sector 22 is 'other manufacturing and waste resources'."),
    ("Production and Supply of Electric Power, Steam and Hot Water", ["24"], ""),
    ("Production and Supply of Gas", ["25"], ""),
    ("Production and Supply of Tap Water", ["26"], ""),
    ("Construction", ["27"], ""),
    (
        "Transportation, Storage, Post and Telecommunication Services",
        ["29"],
        "All to 29. The telecom part (in IO 31) burns almost no fuel itself: its energy is electricity, whose CO2 "
        "is counted at the power sector (scope 1). Splitting by output would move transport fuel CO2 into "
        "software and IT services. IO 31 gets its direct CO2 from 'Others'.",
    ),
    ("Wholesale, Retail Trade and Catering Services", ["28", "30"], "Split between trade and catering by output."),
    (
        "Others",
        ["31", "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42"],
        "All remaining services, split by output.",
    ),
]


# 2017-list code -> 2012-list codes (the lists differ from sector 22 on: waste and repair, and research and
# technical services)
CODES_2017_TO_2012 = {
    **{f"{k:02d}": [f"{k:02d}"] for k in range(1, 22)},
    "22": ["22", "23"],
    "23": ["24"],
    "24": ["25"],
    "25": ["26"],
    "26": ["27"],
    "27": ["28"],
    "28": ["29"],
    "29": ["30"],
    "30": ["31"],
    "31": ["32"],
    "32": ["33"],
    "33": ["34"],
    "34": ["35"],
    "35": ["36"],
    "36": ["36"],
    **{f"{k:02d}": [f"{k:02d}"] for k in range(37, 43)},
}


@builder("ceads-io42-concordance")
def build_concordance(raw: Path, out: Path, name: str):
    io_path = raw / "ionet-china-nbs-io" / "china_2017_42.csv"
    io12_path = raw / "ionet-china-nbs-io" / "china_2015_42.csv"
    io = _read_ionet(io_path)
    io = io[io.Origin == "Domestic"]
    io_names = dict(zip(io.Code, io.Description, strict=True))
    io12 = _read_ionet(io12_path)
    io12 = io12[io12.Code.str.isdigit()]
    io12_names = dict(zip(io12.Code, io12.Description.str.strip(), strict=True))
    ceads_path = raw / "ceads-provincial-co2-inventory" / "Emission_Inventories_for_30_Provinces_2017.xlsx"
    values, _ = read_ceads_sheet(ceads_path, "Shanghai2017")
    ceads_sectors = list(values.index[:-2])
    mapped = [c for c, _, _ in CONCORDANCE]
    if mapped != ceads_sectors:
        raise BuildError(f"{name}: concordance rows differ from the CEADs sectors: {set(mapped) ^ set(ceads_sectors)}")
    rows = []
    for ceads, codes, note in CONCORDANCE:
        rule = "one-to-one" if len(codes) == 1 else "output_share"
        for code in codes:
            rows.append(
                {
                    "io_list": 2017,
                    "ceads_sector": ceads,
                    "io_code": code,
                    "io_sector": io_names[code],
                    "rule": rule,
                    "note": note,
                }
            )
        codes12 = list(dict.fromkeys(c12 for c in codes for c12 in CODES_2017_TO_2012[c]))
        rule12 = "one-to-one" if len(codes12) == 1 else "output_share"
        for code in codes12:
            rows.append(
                {
                    "io_list": 2012,
                    "ceads_sector": ceads,
                    "io_code": code,
                    "io_sector": io12_names[code],
                    "rule": rule12,
                    "note": note,
                }
            )
    # 2017 list first, each list in CEADs order
    df = pd.DataFrame(rows).sort_values("io_list", kind="stable", ascending=False).reset_index(drop=True)
    for lst, names_ in ((2017, io_names), (2012, io12_names)):
        covered = set(df[df.io_list == lst].io_code)
        if covered != set(names_):
            raise BuildError(f"{name}: {lst} IO sectors without a CEADs source: {sorted(set(names_) - covered)}")
    meta = {
        "title": "Concordance: CEADs 45 production sectors to the NBS 42-sector IO lists of 2017 and 2012",
        "kind": "table",
        "year": "2017 and 2012 lists",
        "units": {},
        "source": {
            "built_by": "ioemissions (mapping in scripts/build_concordance.py, CONCORDANCE and CODES_2017_TO_2012)",
            "sector_lists": "CEADs 2017 Shanghai sheet (45 sectors); NBS 2017 42-sector table and the "
            "2012-list 42-sector table of 2015 (ionet)",
        },
        "licence": "BSD-3-Clause (ioemissions)",
        "caveats": [
            "Rule 'output_share': the CEADs sector's CO2 is split over the listed IO sectors in proportion to their "
            "gross output in the model it is applied to.",
            "Urban and Rural household emissions are not IO sectors: the satellite builder puts them in F_Y.",
            "Column io_list: 2017 for the 2017, 2018 and 2020 tables; 2012 for the 2012-list tables (2012, 2015).",
        ],
    }
    write_dataset(out, name, {"concordance.csv": df}, meta, [io_path, io12_path, ceads_path])
