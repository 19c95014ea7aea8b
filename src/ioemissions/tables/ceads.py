"""Reader for the CEADs China multi-regional IO workbook (31 provinces × 42 sectors).

Users download the workbook from CEADs themselves; it is not shipped. The layout (0-based rows and
columns), as used by the MARIO package's CEADs parser and its test data:

* sheets ``Note``, ``Sector `` (trailing space), ``Province``, ``Table_<year>`` and
  ``Table_<year>_English Version``;
* rows 0–3: title, province, sector name, code; data from row 4;
* columns 0–2: province, sector name, code; then the intermediate block (provinces × sectors);
  then, for each province, FU101 rural households, FU102 urban households, FU103 government,
  FU201 fixed capital, FU202 inventory change; then EX, TFU, ERR, GO;
* footer rows after the data: IM, TII, VA001–VA004, TVA, TI (and ``CO2 (Mt)`` in the 2018 and
  2020 editions); unit 10^4 CNY.

The model: Z and Y from the blocks, exports to ``("Abroad", "exports")``, ERR kept in the
producing province's final demand as "statistical discrepancy", x = GO (checked against the row
sums). The IM row (imports by using sector, no product detail) is read but not used: emissions
embodied in imports from abroad are not part of this model (a stated simplification). The CO2
footer, where present, becomes stressor ``CO2`` in Mt.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.mrio import ABROAD, MRIO
from ..errors import DataFileError, UnbalancedTableError

__all__ = ["FD_CODES", "read_ceads_mrio"]

FD_CODES = {
    "FU101": "rural households",
    "FU102": "urban households",
    "FU103": "government",
    "FU201": "gross fixed capital formation",
    "FU202": "changes in inventories",
}
TAIL = ["EX", "TFU", "ERR", "GO"]


def _cell(row: int, col: int) -> str:
    """Excel address of a 0-based (row, col)."""
    letters, c = "", col + 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def _pick_sheet(sheets: list[str], year: int | None, path: Path) -> str:
    tables = [s for s in sheets if re.fullmatch(r"Table_\d{4}", s)]
    if year is not None:
        want = f"Table_{year}"
        if want not in sheets:
            raise DataFileError(f"{path}: no sheet {want!r} (sheets: {sheets})")
        return want
    if len(tables) != 1:
        raise DataFileError(f"{path}: expected one sheet named Table_<year>, found {tables or 'none'}; pass year=")
    return tables[0]


def _numeric(block: pd.DataFrame, row0: int, col0: int, path: Path, sheet: str) -> np.ndarray:
    """Block as floats; the first non-numeric cell is named by its Excel address."""
    values = block.apply(pd.to_numeric, errors="coerce")
    bad = values.isna() & block.notna()
    if bad.to_numpy().any():
        r, c = np.argwhere(bad.to_numpy())[0]
        raise DataFileError(f"{path} [{sheet}] cell {_cell(row0 + r, col0 + c)}: non-numeric value {block.iat[r, c]!r}")
    return values.fillna(0.0).to_numpy(float)


def read_ceads_mrio(path, *, year: int | None = None, english: bool = True) -> MRIO:
    """Read a CEADs China MRIO workbook into an :class:`~ioemissions.MRIO` (see the module docstring).

    Raises :class:`~ioemissions.errors.DataFileError` naming the file, sheet and cell for a missing
    sheet, a shifted header or a non-numeric cell, and
    :class:`~ioemissions.errors.UnbalancedTableError` if GO differs from the row sums.
    """
    path = Path(path)
    try:
        book = pd.ExcelFile(path)
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{path}: cannot open as an Excel workbook ({exc})") from exc
    sheet = _pick_sheet(book.sheet_names, year, path)
    if english and f"{sheet}_English Version" in book.sheet_names:
        sheet = f"{sheet}_English Version"
    # keep_default_na=False: a cell saying "n/a" is a malformed cell to report, not a silent NaN
    raw = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object, keep_default_na=False, na_values=[""])
    if raw.shape[0] < 6 or raw.shape[1] < 8:
        raise DataFileError(f"{path} [{sheet}]: too small to be a CEADs MRIO table ({raw.shape})")
    codes = raw.iloc[3].tolist()
    # locate the final-demand and tail columns from the code row
    try:
        first_fd = next(j for j, c in enumerate(codes) if str(c).strip() == "FU101")
    except StopIteration:
        raise DataFileError(f"{path} [{sheet}] row 4: no 'FU101' code; is the header shifted?") from None
    data_rows = [
        i
        for i in range(4, raw.shape[0])
        if str(raw.iat[i, 2]).strip() not in ("", "nan", "None")
        and not str(raw.iat[i, 0]).strip().startswith(("IM", "TII", "VA", "TVA", "TI", "CO2"))
        and str(raw.iat[i, 2]).strip() not in ("IM", "TII", "TVA", "TI")
    ]
    n = first_fd - 3
    if n <= 0 or len(data_rows) < n:
        raise DataFileError(f"{path} [{sheet}]: header and data rows disagree ({n} columns, {len(data_rows)} rows)")
    data_rows = data_rows[:n]
    if data_rows[0] != 4:
        raise DataFileError(f"{path} [{sheet}] cell A5: data must start at row 5 (found row {data_rows[0] + 1})")
    provinces = raw.iloc[4 : 4 + n, 0].ffill().astype(str).str.strip().tolist()
    sector_names = raw.iloc[4 : 4 + n, 1].astype(str).str.strip().tolist()
    header_prov = raw.iloc[1, 3 : 3 + n].ffill().astype(str).str.strip().tolist()
    if header_prov != provinces:
        j = next(k for k, (a, b) in enumerate(zip(header_prov, provinces, strict=True)) if a != b)
        raise DataFileError(
            f"{path} [{sheet}] cell {_cell(1, 3 + j)}: column province {header_prov[j]!r} does not match row "
            f"province {provinces[j]!r}; is the header shifted?"
        )
    regions = list(dict.fromkeys(provinces))
    n_fd = len(FD_CODES) * len(regions)
    fd_codes = [str(c).strip() for c in codes[first_fd : first_fd + n_fd]]
    expected = list(FD_CODES) * len(regions)
    if fd_codes != expected:
        j = next((k for k, (a, b) in enumerate(zip(fd_codes, expected, strict=False)) if a != b), len(fd_codes))
        raise DataFileError(
            f"{path} [{sheet}] cell {_cell(3, first_fd + j)}: expected final-demand code "
            f"{expected[j] if j < len(expected) else '?'!r}"
        )
    tail_codes = [str(c).strip() for c in codes[first_fd + n_fd : first_fd + n_fd + 4]]
    if tail_codes != TAIL:
        raise DataFileError(f"{path} [{sheet}] cell {_cell(3, first_fd + n_fd)}: expected {TAIL}, got {tail_codes}")
    body = raw.iloc[4 : 4 + n]
    Zv = _numeric(body.iloc[:, 3 : 3 + n], 4, 3, path, sheet)
    Yv = _numeric(body.iloc[:, first_fd : first_fd + n_fd], 4, first_fd, path, sheet)
    tail = _numeric(body.iloc[:, first_fd + n_fd : first_fd + n_fd + 4], 4, first_fd + n_fd, path, sheet)
    ex, err, go = tail[:, 0], tail[:, 2], tail[:, 3]
    nodes = pd.MultiIndex.from_arrays([provinces, sector_names], names=["region", "sector"])
    ycols = [(r, FD_CODES[c]) for r in regions for c in FD_CODES]
    region_pos = {r: i for i, r in enumerate(regions)}
    disc = np.zeros((n, len(regions)))
    disc[np.arange(n), [region_pos[p] for p in provinces]] = err
    ycols += [(r, "statistical discrepancy") for r in regions] + [(ABROAD, "exports")]
    Y = pd.DataFrame(
        np.hstack([Yv, disc, ex[:, None]]),
        index=nodes,
        columns=pd.MultiIndex.from_tuples(ycols, names=["region", "category"]),
    )
    Z = pd.DataFrame(Zv, index=nodes, columns=nodes)
    rows = Zv.sum(axis=1) + Y.to_numpy().sum(axis=1)
    gap = np.abs(rows - go) > 1e-6 * np.maximum(np.abs(go), 1.0)
    if gap.any():
        i = int(np.flatnonzero(gap)[0])
        raise UnbalancedTableError(
            f"{path} [{sheet}] row {4 + i + 1} ({provinces[i]}, {sector_names[i]}): GO {go[i]:.6g} differs from "
            f"the row sum {rows[i]:.6g}"
        )
    F = None
    units = {"monetary": "10^4 CNY"}
    labels = raw.iloc[4 + n :, 0].astype(str).str.strip().tolist()
    co2_rows = [4 + n + k for k, lab in enumerate(labels) if lab.upper().startswith("CO2")]
    if co2_rows:
        r = co2_rows[0]
        co2 = _numeric(raw.iloc[[r], 3 : 3 + n], r, 3, path, sheet)
        F = pd.DataFrame(co2, index=["CO2"], columns=nodes)
        units["CO2"] = "Mt"
    return MRIO(Z, Y, F, units=units, x=pd.Series(go, index=nodes), name=f"CEADs MRIO ({sheet})")
