"""Writing report tables people can use: units in headers, no float noise, rounding, Excel, Chinese labels.

Conventions (the same for every report and for ``ioemissions accounts``):

* **Units in headers**: a column of values in one unit is named ``name [unit]``, e.g.
  ``production [Mt CO2]`` (:func:`with_units`).
* **Float noise**: a value whose magnitude is below :data:`NOISE_RTOL` times the largest magnitude
  in its table is written as 0 (:func:`clean`). Sums of differences such as the balance of a
  region that neither exports nor imports are 0 in exact arithmetic and ~1e-16 relative in floats.
* **Rounding**: for display, values are rounded to :data:`DISPLAY_DIGITS` significant digits
  (:func:`round_sig`); ``precise=True`` (``--precise`` on the command line) keeps full float
  precision. The xlsx workbooks always hold full precision.
* **Encoding**: CSV files holding non-ASCII text (Chinese labels) are written as UTF-8 with a BOM
  (``utf-8-sig``) so that Excel on Windows reads them; ASCII-only files are plain UTF-8.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "DISPLAY_DIGITS",
    "NOISE_RTOL",
    "clean",
    "round_sig",
    "with_units",
    "write_csv",
    "write_xlsx",
]

#: Relative tolerance below which a value is float noise and is written as 0.
NOISE_RTOL = 1e-12
#: Significant digits kept in the CSV files unless ``precise=True``.
DISPLAY_DIGITS = 6


def with_units(df: pd.DataFrame, unit: str | dict | None = None, columns=None) -> pd.DataFrame:
    """``df`` with the given (or all) columns renamed ``name [unit]``; ``unit`` may map column -> unit.

    ``unit`` defaults to ``df.attrs["unit"]`` (the accounts carry it), e.g.
    ``with_units(mrio.accounts("CO2"), "Mt CO2")`` has the column ``production [Mt CO2]``.
    """
    if unit is None:
        unit = df.attrs.get("unit")
        if not unit:
            from ..errors import UnitError

            raise UnitError("the table carries no unit in attrs['unit']; pass unit=...")
    cols = list(df.columns) if columns is None else list(columns)
    units = unit if isinstance(unit, dict) else dict.fromkeys(cols, unit)
    return df.rename(columns={c: f"{c} [{units[c]}]" for c in cols if units.get(c)})


def _numeric(df: pd.DataFrame) -> list:
    return [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]


def clean(df: pd.DataFrame, rtol: float = NOISE_RTOL) -> pd.DataFrame:
    """Float columns with every absolute value below ``rtol`` × the largest absolute value of the table set to 0."""
    cols = _numeric(df)
    if not cols:
        return df
    values = df[cols].to_numpy(dtype=float)
    finite = np.abs(values[np.isfinite(values)])
    scale = finite.max() if finite.size else 0.0
    if scale == 0:
        return df
    out = df.copy()
    values = np.where(np.abs(values) < rtol * scale, 0.0, values)
    out[cols] = values + 0.0  # + 0.0 turns -0.0 into 0.0
    return out


def round_sig(df: pd.DataFrame, digits: int = DISPLAY_DIGITS) -> pd.DataFrame:
    """Float columns rounded to ``digits`` significant digits (each value on its own magnitude)."""
    cols = _numeric(df)
    if not cols:
        return df
    out = df.copy()
    v = df[cols].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mag = np.where((v != 0) & np.isfinite(v), np.floor(np.log10(np.abs(v))), 0.0)
    factor = 10.0 ** (digits - 1 - mag)
    out[cols] = np.where(np.isfinite(v), np.round(v * factor) / factor, v) + 0.0
    return out


def _has_non_ascii(df: pd.DataFrame) -> bool:
    def text(values):
        return any(isinstance(s, str) and not s.isascii() for s in values)

    labels = [*df.columns.to_flat_index(), *df.index.to_flat_index(), *df.index.names, *df.columns.names]
    flat = [p for lab in labels for p in (lab if isinstance(lab, tuple) else (lab,))]
    return text(flat) or any(text(df[c]) for c in df.columns if df[c].dtype == object)


def write_csv(df: pd.DataFrame, path, *, precise: bool = False) -> Path:
    """Write ``df`` cleaned of float noise, rounded unless ``precise``, with a BOM if it holds Chinese."""
    path = Path(path)
    out = clean(df)
    if not precise:
        out = round_sig(out)
    encoding = "utf-8-sig" if _has_non_ascii(out) else "utf-8"
    out.to_csv(path, encoding=encoding, lineterminator="\n")
    return path


def write_xlsx(tables: dict[str, pd.DataFrame], path, readme: list[tuple[str, str]]) -> Path:
    """One workbook: a ``README`` sheet (key, value rows) then one sheet per table, full precision.

    Float noise is cleaned (:func:`clean`) but nothing is rounded.
    """
    path = Path(path)
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        pd.DataFrame(readme, columns=["item", "value"]).to_excel(xl, sheet_name="README", index=False)
        for name, df in tables.items():
            clean(df).to_excel(xl, sheet_name=name[:31], merge_cells=False)
        for ws in xl.book.worksheets:
            for col in ws.columns:
                width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
                ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 80)
    return path


def versions() -> str:
    """The versions that made a report: ioemissions, numpy, pandas, pymrio."""
    import importlib.metadata as md

    from .. import __version__

    parts = [f"ioemissions {__version__}"]
    for pkg in ("numpy", "pandas", "pymrio"):
        try:
            parts.append(f"{pkg} {md.version(pkg)}")
        except md.PackageNotFoundError:  # pragma: no cover
            pass
    return ", ".join(parts)


def fmt_number(v: float, digits: int = DISPLAY_DIGITS) -> str:
    """A number for a README line: ``digits`` significant digits."""
    return f"{v:.{digits}g}" if math.isfinite(v) else str(v)
