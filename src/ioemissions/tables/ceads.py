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
  2020 editions); unit 10^4 CNY. The reader handles the 2012, 2015 and 2017 editions (no CO2
  row) and the 2018 and 2020 editions (with it) alike.

The workbook is streamed (openpyxl ``read_only``) and only the range the layout can use is read:
at most :data:`MAX_NODES` (31 × 42 plus a margin) rows and the matching columns, stopping after
the footer. A file whose declared size is a whole sheet (a stray cell at XFD1048576) costs no
more than a real table. Excel error cells (``#N/A``, ``#DIV/0!``), text, and formulas saved
without a cached value in any numeric block (including the CO2 row) raise
:class:`~ioemissions.errors.DataFileError` naming sheet and cell; a truncated or corrupt file
raises it naming the file.

The model: Z and Y from the blocks, exports to ``("Abroad", "exports")``, ERR kept in the
producing province's final demand as "statistical discrepancy", x = GO (checked against the row
sums). The IM row (imports by using sector, no product detail) is read but not used: emissions
embodied in imports from abroad are not part of this model (a stated simplification). The CO2
footer, where present, becomes stressor ``CO2`` in Mt.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

import numpy as np
import pandas as pd

from ..core.mrio import ABROAD, MRIO
from ..errors import DataFileError, OptionError, UnbalancedTableError

__all__ = ["FD_CODES", "MAX_NODES", "read_ceads_mrio"]

#: Upper bound on the number of province-sector rows the reader looks at, 31 × 42 = 1302 plus a margin.
MAX_NODES = 1400
#: Column bound, 3 label columns + nodes + 5 final-demand columns per province (≤ 40) + 4 tail + margin.
MAX_COLS = 3 + MAX_NODES + 5 * 40 + 4 + 16
#: Row bound, 4 header rows + nodes + the footer (9 rows + CO2) + margin.
MAX_ROWS = 4 + MAX_NODES + 30
#: Consecutive empty rows after the data that end the table.
_EMPTY_RUN = 5
_BAD_FILE = (OSError, ValueError, KeyError, IndexError, TypeError, EOFError, zipfile.BadZipFile, ParseError)

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


def _numeric(block: pd.DataFrame, row0: int, col0: int, path: Path, sheet: str, empty: list) -> np.ndarray:
    """Block as floats; the first non-numeric cell (text, ``#N/A`` …) is named by its Excel address.

    Empty cells read as 0, and their (row, col) positions are appended to ``empty`` so that the
    caller can check they are not formulas saved without a cached value.
    """
    arr = block.to_numpy(dtype=object)
    is_num = np.vectorize(lambda v: isinstance(v, int | float) and not isinstance(v, bool), otypes=[bool])(arr)
    is_none = np.vectorize(lambda v: v is None, otypes=[bool])(arr)
    bad = ~(is_num | is_none)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise DataFileError(f"{path} [{sheet}] cell {_cell(row0 + r, col0 + c)}: non-numeric value {arr[r, c]!r}")
    out = np.where(is_none, 0.0, arr).astype(float)
    if not np.isfinite(out).all():
        r, c = np.argwhere(~np.isfinite(out))[0]
        raise DataFileError(f"{path} [{sheet}] cell {_cell(row0 + r, col0 + c)}: non-finite value {arr[r, c]!r}")
    if is_none.any():
        empty.extend((row0 + r, col0 + c) for r, c in np.argwhere(is_none))
    return out


def _stream(path: Path, sheet: str, *, data_only: bool, max_row: int = MAX_ROWS) -> list[tuple]:
    """Rows of ``sheet`` as tuples of values, bounded by the layout, stopping after the footer."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=data_only)
    try:
        ws = wb[sheet]
        rows, empty_run = [], 0
        for row in ws.iter_rows(min_row=1, max_row=max_row, max_col=MAX_COLS, values_only=True):
            row = tuple(None if (isinstance(v, str) and not v.strip()) else v for v in row)
            if any(v is not None for v in row):
                empty_run = 0
            elif len(rows) >= 4:
                empty_run += 1
                if empty_run >= _EMPTY_RUN:
                    break
            rows.append(row)
        return rows
    finally:
        wb.close()


def _sheet_names(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _check_uncached_formulas(path: Path, sheet: str, empty: list) -> None:
    """Cells read as empty must not be formulas whose value Excel never saved (they would read as 0)."""
    if not empty:
        return
    wanted = {}
    for r, c in empty:
        wanted.setdefault(r, set()).add(c)
    rows = _stream(path, sheet, data_only=False, max_row=max(wanted) + 1)
    for r in sorted(wanted):
        if r >= len(rows):
            continue
        for c in sorted(wanted[r]):
            v = rows[r][c] if c < len(rows[r]) else None
            if v is not None:
                raise DataFileError(
                    f"{path} [{sheet}] cell {_cell(r, c)}: formula {str(v)[:40]!r} has no saved value; "
                    "open the workbook in Excel or LibreOffice and save it so the values are stored"
                )


def _check_formulas(path: Path, sheet: str, empty: list) -> None:
    try:
        _check_uncached_formulas(path, sheet, empty)
    except _BAD_FILE as exc:
        raise DataFileError(f"{path} [{sheet}]: truncated or corrupt workbook ({type(exc).__name__}: {exc})") from exc


def read_ceads_mrio(path, *, year: int | None = None, english: bool = True) -> MRIO:
    """Read a CEADs China MRIO workbook into an :class:`~ioemissions.MRIO` (see the module docstring).

    Raises :class:`~ioemissions.errors.DataFileError` naming the file, sheet and cell for a missing
    sheet, a shifted header or a non-numeric cell, and
    :class:`~ioemissions.errors.UnbalancedTableError` if GO differs from the row sums.
    """
    path = Path(path)
    if year is not None and (isinstance(year, bool) or not isinstance(year, int | np.integer)):
        raise OptionError(f"{path}: year must be an integer such as 2017, not {year!r}")
    try:
        sheets = _sheet_names(path)
    except _BAD_FILE as exc:
        raise DataFileError(f"{path}: cannot open as an Excel workbook ({type(exc).__name__}: {exc})") from exc
    sheet = _pick_sheet(sheets, year, path)
    if english and f"{sheet}_English Version" in sheets:
        sheet = f"{sheet}_English Version"
    try:
        rows = _stream(path, sheet, data_only=True)
    except _BAD_FILE as exc:
        raise DataFileError(f"{path} [{sheet}]: truncated or corrupt workbook ({type(exc).__name__}: {exc})") from exc
    width = max((max((j for j, v in enumerate(r) if v is not None), default=-1) for r in rows), default=-1) + 1
    raw = pd.DataFrame([list(r[:width]) + [None] * (width - len(r[:width])) for r in rows], dtype=object)
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
    if n > MAX_NODES:
        raise DataFileError(
            f"{path} [{sheet}] cell {_cell(3, first_fd)}: {n} intermediate columns, more than the layout's "
            f"{MAX_NODES} (31 provinces x 42 sectors plus a margin); is this a CEADs MRIO table?"
        )
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
    empty: list = []
    Zv = _numeric(body.iloc[:, 3 : 3 + n], 4, 3, path, sheet, empty)
    Yv = _numeric(body.iloc[:, first_fd : first_fd + n_fd], 4, first_fd, path, sheet, empty)
    tail = _numeric(body.iloc[:, first_fd + n_fd : first_fd + n_fd + 4], 4, first_fd + n_fd, path, sheet, empty)
    _check_formulas(path, sheet, empty)  # before the balance check: an unsaved formula reads as 0
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
    co2_rows = [
        r
        for r in range(4 + n, raw.shape[0])
        if any(str(raw.iat[r, c]).strip().upper().startswith("CO2") for c in range(3) if raw.iat[r, c] is not None)
    ]
    if len(co2_rows) > 1:
        raise DataFileError(
            f"{path} [{sheet}]: two CO2 rows in the footer (rows {co2_rows[0] + 1} and {co2_rows[1] + 1})"
        )
    if co2_rows:
        r = co2_rows[0]
        empty = []
        co2 = _numeric(raw.iloc[[r], 3 : 3 + n], r, 3, path, sheet, empty)
        _check_formulas(path, sheet, empty)
        F = pd.DataFrame(co2, index=["CO2"], columns=nodes)
        units["CO2"] = "Mt"
    return MRIO(Z, Y, F, units=units, x=pd.Series(go, index=nodes), name=f"CEADs MRIO ({sheet})")
