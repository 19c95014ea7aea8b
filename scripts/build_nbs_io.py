"""NBS national input-output tables (ionet): non-competitive 42-sector, competitive, and 2012 on the 42 list.

Built by ``python scripts/build_tables.py NAME``; shared helpers in ``_build.py``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from _build import (
    ROW_RTOL,
    RTOL,
    BuildError,
    _check_close,
    builder,
    write_dataset,
)

# --------------------------------------------------------------------------- NBS national IO tables
IONET_SOURCE = {
    "repository": "https://github.com/Carol-seven/ionet (R package ionet; Xiao, Yan & Zhang)",
    "commit": "51145dcab476e75783af41a688488db1a4abeb56",
    "original_path": "data/china_<year>_<n>.rda (read with pyreadr, written unchanged to CSV)",
    "publisher": "National Bureau of Statistics of China (NBS), input-output tables of China",
}
IONET_LICENCE = (
    "ionet package: GPL (>= 3); the numbers are NBS official statistics (public). Redistribution of the NBS "
    "numbers is assumed to be permitted as public government statistics; this was not confirmed."
)
NONCOMP = {2017: "china_2017_42.csv", 2018: "china_2018_42.csv", 2020: "china_2020_42.csv"}
COMP = {
    "china-io-2012-139": (2012, "china_2012_139.csv"),
    "china-io-2015-42": (2015, "china_2015_42.csv"),
    "china-io-2017-149": (2017, "china_2017_149.csv"),
    "china-io-2018-153": (2018, "china_2018_153.csv"),
    "china-io-2020-153": (2020, "china_2020_153.csv"),
}


def _read_ionet(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"Code": str, "Origin": str})


@builder("china-io-2017", "china-io-2018", "china-io-2020")
def build_noncompetitive(raw: Path, out: Path, name: str):
    year = int(name[-4:])
    path = raw / "ionet-china-nbs-io" / NONCOMP[year]
    df = _read_ionet(path)
    sectors = [c for c in df.columns if c.isdigit()]
    dom, imp = df[df.Origin == "Domestic"], df[df.Origin == "Imports"]
    tot = df[df.Origin == "TOT"].set_index("Code")
    fd = ["TC", "FU201", "FU202", "EX"]
    checks = {
        "GO = TI (domestic rows vs column totals)": _check_close(
            dom.GO, tot.loc["TI", sectors], sectors, "GO = TI", name
        ),
        "TII + TVA = TI": _check_close(
            tot.loc["TII", sectors] + tot.loc["TVA", sectors], tot.loc["TI", sectors], sectors, "TII + TVA = TI", name
        ),
        "domestic rows: Z e + Y e = GO": _check_close(
            dom[sectors].sum(axis=1) + dom[fd].sum(axis=1),
            dom.GO,
            sectors,
            "row balance (domestic)",
            name,
            rtol=ROW_RTOL,
        ),
        "import rows: Z e + Y e = total imports": _check_close(
            imp[sectors].sum(axis=1) + imp[fd].sum(axis=1),
            imp.GO,
            sectors,
            "row balance (imports)",
            name,
            rtol=ROW_RTOL,
        ),
        "columns: domestic + imported inputs = TII": _check_close(
            dom[sectors].sum(axis=0) + imp[sectors].sum(axis=0),
            tot.loc["TII", sectors],
            sectors,
            "column balance",
            name,
        ),
    }
    meta = {
        "title": f"China input-output table {year}, 42 sectors, domestic and imported inputs separated (NBS)",
        "kind": "nbs-io-noncompetitive",
        "year": year,
        "units": {"monetary": "10^4 CNY", "prices": "producers' prices"},
        "source": {**IONET_SOURCE, "file": f"ionet-china-nbs-io/{NONCOMP[year]}"},
        "licence": IONET_LICENCE,
        "caveats": [
            "The ionet package does not document how the 42-sector table was split into Domestic and Imports rows "
            "(NBS publishes competitive-import tables); treat the split as the package authors' product."
            + (" 2020 is an NBS extension table (延长表)." if year == 2020 else ""),
            "Final demand has no household/government split: TC is total final consumption.",
            "Imports rows carry re-exports in the EX column.",
            "Some inventory changes (FU202) and net production taxes (VA002) are negative, as published.",
        ],
        "layout": "Columns Code, Description, DescriptionInChinese, Origin (Domestic | Imports | TOT), sectors 01-42, "
        "TIU, TC, FU201, FU202, EX, TFU, GO; rows TII, VA001-VA004, TVA, TI with Origin TOT.",
        "checks": {k: f"max relative difference {v:.2g}" for k, v in checks.items()},
        "check_tolerances": {"GO = TI, TII + TVA = TI": RTOL, "row balances": ROW_RTOL},
    }
    write_dataset(out, name, {"table.csv": df}, meta, [path])


@builder(*COMP)
def build_competitive(raw: Path, out: Path, name: str):
    year, file = COMP[name]
    path = raw / "ionet-china-nbs-io" / file
    df = _read_ionet(path)
    sectors = [c for c in df.columns if c.isdigit()]
    body = df[df.Code.isin(sectors)]
    tot = df.set_index("Code")
    err = body["ERR"] if "ERR" in body else 0.0
    checks = {
        "GO = TI": _check_close(body.GO, tot.loc["TI", sectors], sectors, "GO = TI", name),
        "TII + TVA = TI": _check_close(
            tot.loc["TII", sectors] + tot.loc["TVA", sectors], tot.loc["TI", sectors], sectors, "TII + TVA = TI", name
        ),
        "rows: TIU + TFU - IM + ERR = GO (relative to |TIU| + |TFU| + |IM| + |ERR|)": _check_close(
            body.TIU + body.TFU - body.IM + err,
            body.GO,
            sectors,
            "row balance",
            name,
            scale=body.TIU.abs() + body.TFU.abs() + body.IM.abs() + np.abs(err),
            rtol=ROW_RTOL,
        ),
        "TIU = Z e": _check_close(body[sectors].sum(axis=1), body.TIU, sectors, "TIU", name),
    }
    n = len(sectors)
    meta = {
        "title": f"China input-output table {year}, {n} sectors, competitive imports (NBS)",
        "kind": "nbs-io-competitive",
        "year": year,
        "units": {"monetary": "10^4 CNY", "prices": "producers' prices"},
        "source": {**IONET_SOURCE, "file": f"ionet-china-nbs-io/{file}"},
        "licence": IONET_LICENCE,
        "caveats": [
            "Competitive-import layout: Z and final demand mix domestic and imported products; IM is a negative "
            "final-demand column. ioemissions.tables.load splits imports out with the uniform import-share "
            "assumption unless imports='competitive' is asked for.",
        ]
        + (["2015 is an NBS extension table (延长表) on the 2012-style 42-sector list."] if year == 2015 else [])
        + (
            ["The ERR column is the statistical discrepancy of the row balance (TIU + TFU - IM + ERR = GO)."]
            if "ERR" in body
            else []
        ),
        "layout": "Columns Code, Description, DescriptionInChinese, sectors, TIU, final-use columns (FU101 rural, "
        "FU102 urban households, THC, FU103 government, TC, FU201 GFCF, FU202 inventories, GCF, EX), TFU, IM, "
        "[ERR], GO; rows TII, VA001-VA004, TVA, TI.",
        "checks": {k: f"max relative difference {v:.2g}" for k, v in checks.items()},
        "check_tolerances": {"GO = TI, TII + TVA = TI": RTOL, "row balances": ROW_RTOL},
    }
    write_dataset(out, name, {"table.csv": df}, meta, [path])


# --------------------------------------------------------------------------- 2012 table on the 42-sector list
# NBS 139 -> 42 (2012 list): contiguous code ranges, checked against the Chinese names of both lists
AGG_2012 = {
    "01": (1, 5),
    "02": (6, 6),
    "03": (7, 7),
    "04": (8, 9),
    "05": (10, 11),
    "06": (12, 25),
    "07": (26, 30),
    "08": (31, 33),
    "09": (34, 35),
    "10": (36, 38),
    "11": (39, 40),
    "12": (41, 51),
    "13": (52, 58),
    "14": (59, 63),
    "15": (64, 64),
    "16": (65, 70),
    "17": (71, 74),
    "18": (75, 79),
    "19": (80, 85),
    "20": (86, 91),
    "21": (92, 92),
    "22": (93, 93),
    "23": (94, 94),
    "24": (95, 95),
    "25": (96, 96),
    "26": (97, 97),
    "27": (98, 98),
    "28": (99, 102),
    "29": (103, 103),
    "30": (104, 111),
    "31": (112, 113),
    "32": (114, 115),
    "33": (116, 118),
    "34": (119, 119),
    "35": (120, 121),
    "36": (122, 124),
    "37": (125, 127),
    "38": (128, 129),
    "39": (130, 130),
    "40": (131, 132),
    "41": (133, 137),
    "42": (138, 139),
}


@builder("china-io-2012-42")
def build_2012_42(raw: Path, out: Path, name: str):
    path = raw / "ionet-china-nbs-io" / "china_2012_139.csv"
    names_path = raw / "ionet-china-nbs-io" / "china_2015_42.csv"
    df = _read_ionet(path)
    names = _read_ionet(names_path)
    names = names[names.Code.str.isdigit()].set_index("Code")
    codes139 = [c for c in df.columns if c.isdigit()]
    to42 = {f"{k:03d}": code for code, (a, b) in AGG_2012.items() for k in range(a, b + 1)}
    if sorted(to42) != codes139:
        raise BuildError(f"{name}: the 139 -> 42 ranges do not cover the 139 sectors exactly")
    body = df[df.Code.isin(codes139)].copy()
    rest = df[~df.Code.isin(codes139)].copy()
    value_cols = [c for c in df.columns if c not in ("Code", "Description", "DescriptionInChinese")]
    body["Code"] = body.Code.map(to42)
    rows = body.groupby("Code", sort=True)[value_cols].sum()
    rest = rest.set_index("Code")[value_cols]
    table = pd.concat([rows, rest])
    other = [c for c in value_cols if c not in codes139]
    agg = pd.DataFrame(
        {code: table[[c for c in codes139 if to42[c] == code]].sum(axis=1) for code in AGG_2012}, index=table.index
    )
    agg = pd.concat([agg, table[other]], axis=1)
    agg.insert(
        0,
        "DescriptionInChinese",
        [names.DescriptionInChinese.get(c, df.set_index("Code").DescriptionInChinese.get(c)) for c in agg.index],
    )
    agg.insert(0, "Description", [names.Description.get(c, df.set_index("Code").Description.get(c)) for c in agg.index])
    agg = agg.reset_index().rename(columns={"index": "Code"})
    sectors = list(AGG_2012)
    b = agg[agg.Code.isin(sectors)]
    tot = agg.set_index("Code")
    err = b["ERR"]
    checks = {
        "GO = TI": _check_close(b.GO, tot.loc["TI", sectors], sectors, "GO = TI", name),
        "TII + TVA = TI": _check_close(
            tot.loc["TII", sectors] + tot.loc["TVA", sectors], tot.loc["TI", sectors], sectors, "TII + TVA = TI", name
        ),
        "rows: TIU + TFU - IM + ERR = GO (relative to |TIU| + |TFU| + |IM| + |ERR|)": _check_close(
            b.TIU + b.TFU - b.IM + err,
            b.GO,
            sectors,
            "row balance",
            name,
            scale=b.TIU.abs() + b.TFU.abs() + b.IM.abs() + err.abs(),
            rtol=ROW_RTOL,
        ),
        "TIU = Z e": _check_close(b[sectors].sum(axis=1), b.TIU, sectors, "TIU", name, rtol=ROW_RTOL),
    }
    meta = {
        "title": "China input-output table 2012 aggregated to the 42-sector list of 2012, competitive imports (NBS)",
        "kind": "nbs-io-competitive",
        "year": 2012,
        "units": {"monetary": "10^4 CNY", "prices": "producers' prices"},
        "source": {
            **IONET_SOURCE,
            "file": "ionet-china-nbs-io/china_2012_139.csv",
            "derived": "139 sectors summed to NBS's 42-sector list of 2012 by contiguous code ranges "
            "(AGG_2012 in scripts/build_nbs_io.py); sector names from china_2015_42.csv (same list)",
        },
        "licence": IONET_LICENCE,
        "caveats": [
            "Derived by ioemissions: rows and columns of the 139-sector table summed; nothing else changed.",
            "The 2012 42-sector list differs from the 2017 list (waste and repair are separate, research and "
            "technical services are merged); use the 2012 CEADs concordance with it.",
            "Competitive-import layout; the loader splits imports with uniform import shares.",
        ],
        "layout": "as china-io-2012-139 with 42 sectors",
        "checks": {k: f"max relative difference {v:.2g}" for k, v in checks.items()},
        "check_tolerances": {"GO = TI, TII + TVA = TI": RTOL, "row balances": ROW_RTOL},
    }
    write_dataset(out, name, {"table.csv": agg}, meta, [path, names_path])
