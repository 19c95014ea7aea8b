"""Excel in and out: a BoQ template with data validation, and a report workbook with units in every header.

:func:`template` writes sheets ``BoQ`` (the columns, a drop-down list of GB/T 51366 materials by
English name and of units), ``Building`` (every building-data key with its unit: fill in the
values) and ``Materials`` (id, names, unit, kg CO2e per unit). The filled workbook is read by
:func:`~ioemissions.lca.building.read_boq` (sheet ``BoQ``) and
:func:`~ioemissions.lca.building.read_building` (sheet ``Building``).

:func:`write_report` writes one workbook: ``Modules`` (EN 15978, total, per m², per m²·a),
``Stages`` (GB/T 51366), ``Items``, ``Assumptions`` (grid factor and its source, design life,
versions, cost-item multipliers), ``Warnings`` and, with a Monte Carlo, ``Monte Carlo`` (percentiles)
and ``MC components`` (what varies and where the static value sits).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...errors import DataFileError
from .boq import OPTIONAL, REQUIRED
from .data import FIELDS
from .names import label, materials

__all__ = ["read_building_sheet", "template", "write_report"]

BOQ_UNITS = ["m3", "t", "kg", "m2", "CNY", "10^4 CNY", "万元"]
COLUMN_HELP = {
    "item": ("", "a name for the item (shown in the results)"),
    "material": (
        "",
        "GB/T 51366 material (pick from the list; id, Chinese name or alias also work) or, for a "
        "cost item, an IO sector",
    ),
    "quantity": ("in 'unit'", "amount, not negative"),
    "unit": ("", "m3, t, kg, m2, or money (CNY, 10^4 CNY) for a cost item"),
    "density": ("t/m3", "needed to convert m3 <-> t and for transport of items given in m3"),
    "transport_km": ("km", "distance from the plant to the site (A4)"),
    "transport_mode": ("", "GB/T 51366 Appendix E mode (default: heavy diesel truck 30 t, E008)"),
    "service_life": ("a", "years; items that last less than the design life are replaced (B4)"),
}


def template(path, lang: str = "en") -> Path:
    """Write the BoQ template workbook to ``path`` (``.xlsx``); returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    mats = materials(lang=lang)
    wb = Workbook()
    ws = wb.active
    ws.title = "BoQ"
    cols = REQUIRED + OPTIONAL
    ws.append(cols)
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.append(["structural concrete", "C30 concrete", 100, "m3", 2.4, 40, "diesel truck 30t", None])
    for i, c in enumerate(cols, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = 24 if c != "material" else 48
    ms = wb.create_sheet("Materials")
    name_col = "name_en" if lang == "en" else "name_zh"
    ms.append(["id", "kind", "name (English)", "name (Chinese)", "unit", "kg CO2e per unit", "aliases"])
    for code, r in materials(lang="en").iterrows():
        ms.append([code, r.kind, r.name_en, r.name_zh, r.unit, float(r.kgco2e_per_unit), r.aliases or ""])
    n_mat = int((mats.kind == "material").sum())
    col = "C" if name_col == "name_en" else "D"
    dv = DataValidation(type="list", formula1=f"=Materials!${col}$2:${col}${n_mat + 1}", allow_blank=True)
    dv.error = "Pick a GB/T 51366 material (or type an id, alias or IO sector and ignore this warning)"
    dv.errorStyle = "warning"
    ws.add_data_validation(dv)
    dv.add("B2:B5000")
    du = DataValidation(type="list", formula1='"' + ",".join(BOQ_UNITS) + '"', allow_blank=False)
    ws.add_data_validation(du)
    du.add("D2:D5000")
    mode_col = "C" if lang == "en" else "D"
    dm = DataValidation(
        type="list", formula1=f"=Materials!${mode_col}${n_mat + 2}:${mode_col}${len(mats) + 1}", allow_blank=True
    )
    dm.errorStyle = "warning"
    ws.add_data_validation(dm)
    dm.add("G2:G5000")
    hs = wb.create_sheet("Columns")
    hs.append(["column", "unit", "meaning"])
    for c in cols:
        hs.append([c, *COLUMN_HELP[c]])
    bs = wb.create_sheet("Building")
    bs.append(["key", "value", "unit", "meaning"])
    for key, (unit, text) in FIELDS.items():
        value = {
            "gross_floor_area_m2": None,
            "design_life_years": 50,
            "province": "Shanghai",
            "grid_year": 2023,
            "io_table": "china-io-2017",
            "io_region": "China",
            "io_imports": "total",
        }.get(key)
        bs.append([key, value, unit, text])
    for s in (ms, hs, bs):
        for c in s[1]:
            c.font = Font(bold=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def read_building_sheet(path) -> dict:
    """The ``Building`` sheet of a workbook as a dict of the keys with a value (empty cells: not given)."""
    import json

    path = Path(path)
    try:
        df = pd.read_excel(path, sheet_name="Building", dtype=object)
    except ValueError as exc:
        raise DataFileError(f"{path}: no sheet 'Building' with the building data ({exc})") from None
    except Exception as exc:
        raise DataFileError(f"{path}: cannot read the workbook ({type(exc).__name__}: {exc})") from None
    if not {"key", "value"} <= set(df.columns):
        raise DataFileError(f"{path}: sheet 'Building' needs columns 'key' and 'value'")
    out = {}
    for _, r in df.iterrows():
        if pd.isna(r["key"]) or pd.isna(r["value"]) or str(r["value"]).strip() == "":
            continue
        key, value = str(r["key"]).strip(), r["value"]
        unit = "" if "unit" not in df or pd.isna(r.get("unit")) else str(r["unit"]).strip()
        if key.startswith("grid_trajectory") and isinstance(value, str):
            value = json.loads(value)
        elif unit and key in FIELDS and unit != FIELDS[key][0] and not isinstance(value, str):
            value = f"{value} {unit}"  # converted (or rejected) by the unit check
        elif isinstance(value, float) and value.is_integer() and key in ("design_life_years", "grid_year"):
            value = int(value)
        out[key] = value
    return out


def _num_table(df: pd.DataFrame, first: str, lang: str) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            first: df.index,
            "name": [label(i, lang) for i in df.index],
            "status": [label(s, lang) for s in df.status],
            "kg CO2e": df.kgco2e.to_numpy(),
            "kg CO2e/m2 GFA": df.kgco2e_per_m2.to_numpy(),
            "kg CO2e/(m2 GFA·a)": df.kgco2e_per_m2_year.to_numpy(),
        }
    )
    return out


def write_report(path, result, mc=None, lang: str = "en", extra: dict | None = None) -> Path:
    """Write the report workbook of a :class:`~ioemissions.lca.building.BuildingResult` (and optional
    :class:`~ioemissions.lca.uncertainty.MonteCarloResult`) to ``path``; returns the path."""
    from ... import __version__
    from .core import grid_factor

    path = Path(path)
    b = result.building
    gfa, L = float(b.gross_floor_area_m2), int(b.design_life_years)
    modules = _num_table(result.modules, "module (EN 15978)", lang)
    total = pd.DataFrame(
        [
            {
                "module (EN 15978)": "total A-C",
                "name": "total (assessed modules)",
                "status": "",
                "kg CO2e": result.total,
                "kg CO2e/m2 GFA": result.total / gfa,
                "kg CO2e/(m2 GFA·a)": result.total / gfa / L,
            },
            {
                "module (EN 15978)": "D",
                "name": "module D (beyond the system boundary, not added)",
                "status": "",
                "kg CO2e": result.module_d,
                "kg CO2e/m2 GFA": result.module_d / gfa,
                "kg CO2e/(m2 GFA·a)": result.module_d / gfa / L,
            },
        ]
    )
    modules = pd.concat([modules, total], ignore_index=True)
    stages = _num_table(result.stages, "stage (GB/T 51366)", lang)
    it = result.items.reset_index()
    items = pd.DataFrame(
        {
            "BoQ row": it.row,
            "item": it["item"],
            "material": it.material_en if lang == "en" else it.material,
            "factor id": it.factor_id,
            "mass (t)": it.mass_t,
            "A1-A3 (kg CO2e)": it["A1-A3"],
            "A4 (kg CO2e)": it["A4"],
            "B4 (kg CO2e)": it["B4"],
            "replacements (count)": it.replacements,
        }
    )
    gf = grid_factor(b)
    rows = [
        ("gross floor area", gfa, "m2", "building data"),
        ("design life", L, "a", "building data"),
        ("province", b.province, "", "building data"),
        (
            "grid factor",
            gf,
            "kg CO2/kWh",
            result.notes[[n.startswith("grid factor") for n in result.notes].index(True)]
            if any(n.startswith("grid factor") for n in result.notes)
            else "",
        ),
        ("cost items", b.io_imports, "", "; ".join(n for n in result.notes if n.startswith("cost items")) or "none"),
        ("ioemissions version", __version__, "", ""),
    ]
    for key, (unit, _text) in FIELDS.items():
        v = getattr(b, key)
        if key in ("gross_floor_area_m2", "design_life_years", "province") or v is None:
            continue
        rows.append((key, v if not isinstance(v, list | tuple) else str(list(v)), unit, "building data"))
    for n in result.notes:
        rows.append(("note", n, "", ""))
    for k, v in (extra or {}).items():
        rows.append((k, v, "", ""))
    assumptions = pd.DataFrame(rows, columns=["assumption", "value", "unit", "source"])
    sheets = {
        "Modules": modules,
        "Stages": stages,
        "Items": items,
        "Assumptions": assumptions,
        "Warnings": pd.DataFrame({"warning": result.warnings or ["none: every module has input"]}),
    }
    if mc is not None:
        q = (2.5, 5, 25, 50, 75, 95, 97.5)
        p = mc.percentiles(q)
        sheets["Monte Carlo"] = pd.DataFrame(
            {
                "statistic": ["static"] + [f"p{x:g}" for x in q] + ["mean", "static percentile"],
                "kg CO2e": [mc.static, *p.to_numpy(), float(mc.samples.mean()), None],
                "kg CO2e/m2 GFA": [mc.static / gfa, *(p.to_numpy() / gfa), float(mc.samples.mean()) / gfa, None],
                "percent (%)": [None] * (len(q) + 2) + [mc.summary()["static_percentile"]],
            }
        )
        pos = mc.positions().reset_index()
        pos.columns = ["component", "static (kg CO2e)", "static value at", "source"]
        sheets["MC components"] = pos
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, df in sheets.items():
            df.to_excel(xw, sheet_name=name, index=False)
            ws = xw.sheets[name]
            for col in ws.columns:
                width = max(len(str(c.value)) if c.value is not None else 0 for c in col[:50])
                ws.column_dimensions[col[0].column_letter].width = min(max(12, width + 2), 70)
    return path
