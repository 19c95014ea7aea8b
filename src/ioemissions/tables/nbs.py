"""China's national input–output tables (NBS) as :class:`~ioemissions.MRIO` models.

Two layouts ship:

* ``china-io-2017``, ``china-io-2018``, ``china-io-2020`` — 42 sectors with domestic and imported
  inputs in separate rows (non-competitive): the domestic rows are the model, the import rows its
  import block, exports abroad a final-demand column of :data:`~ioemissions.ABROAD`.
* ``china-io-2012-139``, ``china-io-2015-42``, ``china-io-2017-149``, ``china-io-2018-153``,
  ``china-io-2020-153`` — competitive-import tables; the loader splits imports out with the uniform
  import-share assumption (:func:`ioemissions.core.imports.split_competitive`). The raw parts are
  available from :func:`competitive_parts` for the competitive (DTA) computation.

Every table is checked on load: GO = TI and TII + TVA = TI to 1e-12 relative, and the row balance;
an unbalanced table raises :class:`~ioemissions.errors.UnbalancedTableError` naming the sector.

Sector labels are the English descriptions; :func:`sectors` gives codes and Chinese names.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.imports import split_competitive
from ..core.mrio import ABROAD, MRIO
from ..errors import DataFileError, OptionError, UnbalancedTableError
from ..errors import _fmt_labels as fmt
from . import _read_csv, register_loader
from ._store import metadata

__all__ = ["CATEGORIES", "REGION", "competitive_parts", "load_nbs", "sectors"]

REGION = "China"
RTOL = 1e-12
ROW_RTOL = 1e-10

#: NBS final-use codes and the category names ioemissions uses.
CATEGORIES = {
    "FU101": "rural households",
    "FU102": "urban households",
    "FU103": "government",
    "TC": "consumption",
    "FU201": "gross fixed capital formation",
    "FU202": "changes in inventories",
    "ERR": "statistical discrepancy",
}


def _raw(name: str) -> pd.DataFrame:
    meta = metadata(name)
    df = _read_csv(name, meta["files"][0], dtype={"Code": str, "Origin": str})
    if "Code" not in df.columns or "Description" not in df.columns:
        raise DataFileError(f"dataset {name!r}: table.csv lacks the Code/Description columns")
    return df


def _sector_codes(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c.isdigit()]


def sectors(name: str) -> pd.DataFrame:
    """Codes, English and Chinese names of the sectors of NBS table ``name``."""
    df = _raw(name)
    codes = _sector_codes(df)
    body = df[df.Code.isin(codes)].drop_duplicates("Code")
    return pd.DataFrame(
        {
            "code": body.Code.to_numpy(),
            "sector": body.Description.str.strip().to_numpy(),
            "sector_zh": body.DescriptionInChinese.to_numpy(),
        }
    )


def check_balance(a, b, labels, what, name, rtol=RTOL, scale=None) -> float:
    """Max relative difference abs(a − b) / scale (default abs(b)); :class:`UnbalancedTableError` naming the
    worst sector if it exceeds ``rtol``. For sums with cancellation (GO = TIU + TFU − IM) pass the sum of
    the terms' magnitudes as ``scale``. Used on load and by ``scripts/build_nbs_io.py``."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    scale = np.abs(b) if scale is None else np.asarray(scale, float)
    rel = np.abs(a - b) / np.maximum(scale, 1e-300)
    bad = np.flatnonzero(rel > rtol)
    if bad.size:
        worst = bad[np.argmax(rel[bad])]
        raise UnbalancedTableError(
            f"dataset {name!r}: {what} does not hold for sector {labels[worst]!r} "
            f"(relative difference {rel[worst]:.3g} > {rtol})"
        )
    return float(rel.max(initial=0.0))


def _totals(df: pd.DataFrame, codes, name):
    tot = df.set_index("Code")
    missing = [r for r in ("TII", "TVA", "TI") if r not in tot.index]
    if missing:
        raise DataFileError(f"dataset {name!r}: table.csv lacks the rows {fmt(missing)}")
    return tot.loc[["TII", "TVA", "TI"], codes].astype(float)


def _load_noncompetitive(name: str, meta: dict, satellite=None):
    df = _raw(name)
    codes = _sector_codes(df)
    dom, imp = df[df.Origin == "Domestic"], df[df.Origin == "Imports"]
    if list(dom.Code) != codes or list(imp.Code) != codes:
        raise DataFileError(f"dataset {name!r}: Domestic/Imports rows do not list sectors {codes[0]}..{codes[-1]}")
    labels = list(dom.Description.str.strip())
    tot = _totals(df, codes, name)
    check_balance(dom.GO, tot.loc["TI"], labels, "GO = TI", name)
    check_balance(tot.loc["TII"] + tot.loc["TVA"], tot.loc["TI"], labels, "TII + TVA = TI", name)
    fd = [c for c in ("TC", "FU201", "FU202") if c in df.columns]
    nodes = pd.MultiIndex.from_product([[REGION], labels], names=["region", "sector"])
    ycols = pd.MultiIndex.from_tuples(
        [(REGION, CATEGORIES[c]) for c in fd] + [(ABROAD, "exports")], names=["region", "category"]
    )
    Z = pd.DataFrame(dom[codes].to_numpy(float), index=nodes, columns=nodes)
    Y = pd.DataFrame(dom[[*fd, "EX"]].to_numpy(float), index=nodes, columns=ycols)
    Z_imp = pd.DataFrame(imp[codes].to_numpy(float), index=pd.Index(labels, name="product"), columns=nodes)
    Y_imp = pd.DataFrame(imp[[*fd, "EX"]].to_numpy(float), index=Z_imp.index, columns=ycols)
    x = pd.Series(dom.GO.to_numpy(float), index=nodes)
    model = MRIO(
        Z, Y, units={"monetary": meta["units"]["monetary"]}, x=x, Z_imp=Z_imp, Y_imp=Y_imp, name=name, rtol=ROW_RTOL
    )
    return _attach(model, satellite, meta)


def competitive_parts(name: str) -> dict[str, pd.DataFrame | pd.Series]:
    """The parts of competitive table ``name``, labelled by sector: Z, Y_domestic (by category),
    exports, imports, other (the statistical discrepancy, where the table has one) and x."""
    meta = metadata(name)
    if meta["kind"] != "nbs-io-competitive":
        raise DataFileError(f"dataset {name!r} is not a competitive-import table (kind {meta['kind']!r})")
    df = _raw(name)
    codes = _sector_codes(df)
    body = df[df.Code.isin(codes)]
    labels = pd.Index(body.Description.str.strip(), name="sector")
    tot = _totals(df, codes, name)
    check_balance(body.GO, tot.loc["TI"], list(labels), "GO = TI", name)
    check_balance(tot.loc["TII"] + tot.loc["TVA"], tot.loc["TI"], list(labels), "TII + TVA = TI", name)
    cats = [c for c in ("FU101", "FU102", "FU103", "FU201", "FU202") if c in df.columns]
    err = body["ERR"] if "ERR" in body else pd.Series(0.0, index=body.index)
    check_balance(
        body.TIU + body.TFU - body.IM + err,
        body.GO,
        list(labels),
        "TIU + TFU - IM + ERR = GO",
        name,
        rtol=ROW_RTOL,
        scale=body.TIU.abs() + body.TFU.abs() + body.IM.abs() + err.abs(),
    )
    parts = {
        "Z": pd.DataFrame(body[codes].to_numpy(float), index=labels, columns=labels),
        "Y_domestic": pd.DataFrame(body[cats].to_numpy(float), index=labels, columns=[CATEGORIES[c] for c in cats]),
        "exports": pd.Series(body.EX.to_numpy(float), index=labels, name="exports"),
        "imports": pd.Series(body.IM.to_numpy(float), index=labels, name="imports"),
        "x": pd.Series(body.GO.to_numpy(float), index=labels, name="x"),
    }
    if "ERR" in body:
        parts["other"] = pd.DataFrame({CATEGORIES["ERR"]: body.ERR.to_numpy(float)}, index=labels)
    return parts


def _load_competitive(name: str, meta: dict, satellite=None):
    p = competitive_parts(name)
    model = split_competitive(
        p["Z"],
        p["Y_domestic"],
        p["exports"],
        p["imports"],
        region=REGION,
        other=p.get("other"),
        units={"monetary": meta["units"]["monetary"]},
        name=name,
    )
    x_pub = p["x"].to_numpy()
    check_balance(
        model.x.to_numpy(),
        x_pub,
        list(p["x"].index),
        "gross output after the import split",
        name,
        rtol=ROW_RTOL,
        scale=np.abs(x_pub),
    )
    return _attach(model, satellite, meta)


def _attach(model: MRIO, satellite, meta):
    if satellite is None:
        return model
    if satellite != "ceads":
        raise OptionError(f"satellite must be None or 'ceads', not {satellite!r}")
    from ..inventory.ceads import ceads_satellite

    return model.with_stressors(**ceads_satellite(REGION, int(meta["year"]), model))


def load_nbs(name: str, meta: dict, **options):
    """Loader for both NBS kinds; ``satellite="ceads"`` attaches CEADs CO2 of the table's year."""
    if meta["kind"] == "nbs-io-noncompetitive":
        return _load_noncompetitive(name, meta, **options)
    return _load_competitive(name, meta, **options)


register_loader("nbs-io-noncompetitive", load_nbs)
register_loader("nbs-io-competitive", load_nbs)
