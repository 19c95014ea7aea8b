"""Checks that turn bad tables into named errors before any arithmetic is done."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import LabelError, NonFiniteError, ShapeError
from ..errors import _fmt_labels as fmt

__all__ = ["as_node_index", "check_finite", "check_not_subnormal", "check_same_labels", "check_unique", "frame_values"]


def as_node_index(index: pd.Index, *, what: str, second: str = "sector") -> pd.MultiIndex:
    """Return ``index`` as a two-level (region, ``second``) MultiIndex, or raise :class:`LabelError`.

    A single-level index is accepted for final-demand columns only by the caller, which wraps it.
    """
    if not isinstance(index, pd.MultiIndex) or index.nlevels != 2:
        raise LabelError(
            f"{what} must be labelled by a two-level (region, {second}) MultiIndex; got "
            f"{type(index).__name__} with {getattr(index, 'nlevels', 1)} level(s): {fmt(index[:3])}"
        )
    return index.set_names(["region", second])


def check_unique(index: pd.Index, *, what: str) -> None:
    """Raise :class:`LabelError` naming duplicated labels."""
    dup = index[index.duplicated()]
    if len(dup):
        raise LabelError(f"{what} has duplicated labels: {fmt(dup.unique())}")


def check_same_labels(actual: pd.Index, expected: pd.Index, *, what: str, against: str) -> None:
    """Raise unless ``actual`` holds exactly the labels of ``expected`` in the same order.

    The message says which labels are missing, which are unexpected, or that only the order differs.
    """
    if actual.equals(expected):
        return
    if len(actual) != len(expected):
        kind = ShapeError
    else:
        kind = LabelError
    missing = expected.difference(actual, sort=False) if len(expected) else expected
    extra = actual.difference(expected, sort=False) if len(actual) else actual
    parts = []
    if len(missing):
        parts.append(f"missing {fmt(missing)}")
    if len(extra):
        parts.append(f"unexpected {fmt(extra)}")
    if not parts:
        first = next(i for i, (a, b) in enumerate(zip(actual, expected, strict=True)) if a != b)
        parts.append(f"same labels in another order (position {first}: {actual[first]!r} vs {expected[first]!r})")
    raise kind(f"{what} does not match {against} ({len(actual)} vs {len(expected)} labels): " + "; ".join(parts))


def frame_values(df: pd.DataFrame, *, what: str, dtype=np.float64, copy: bool = True) -> np.ndarray:
    """Numeric values of ``df`` as a read-only array, with NaN/inf named by row and column.

    With ``copy=False`` the array may share memory with ``df`` (for inputs used only transiently,
    like Z, from which A is computed); it is then not marked read-only.
    """
    try:
        arr = df.to_numpy(dtype=dtype)
    except (TypeError, ValueError) as exc:
        bad_cols = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
        raise NonFiniteError(f"{what} holds non-numeric values in columns {fmt(bad_cols)}") from exc
    check_finite(arr, df.index, df.columns, what=what)
    check_not_subnormal(arr, df.index, df.columns, what=what)
    if not copy:
        return arr
    arr = np.array(arr, dtype=dtype, copy=True)
    arr.flags.writeable = False
    return arr


def check_not_subnormal(arr: np.ndarray, rows, cols, *, what: str) -> None:
    """Raise :class:`NonFiniteError` for non-zero values below the smallest normal float64 (~2.2e-308).

    Such subnormal numbers carry only a few significant digits and overflow when inverted, so any
    coefficient computed from them is noise; the remedy is a smaller unit.
    """
    if arr.size == 0 or arr.dtype.kind != "f":
        return
    tiny = np.finfo(np.float64).tiny
    if not _any_subnormal(arr, tiny):
        return
    absarr = np.abs(arr)
    bad = (absarr < tiny) & (absarr > 0)
    if bad.any():
        r, c = np.nonzero(bad.reshape(arr.shape[0], -1))
        cells = [(rows[i], cols[j]) if cols is not None else rows[i] for i, j in zip(r[:5], c[:5], strict=True)]
        raise NonFiniteError(
            f"{what} holds {int(bad.sum())} value(s) below {tiny:.3g} (subnormal, imprecise), e.g. at {fmt(cells)}; "
            "rescale the unit"
        )


#: Elements per block of the subnormal scan: small enough that its scratch buffers stay in cache.
_SCAN_BLOCK = 1 << 15


def _any_subnormal(arr: np.ndarray, tiny: float) -> bool:
    """Whether any 0 < |a| < ``tiny``, scanned in blocks through two reused scratch buffers.

    An n × n table would otherwise need an n² float and two n² boolean temporaries (for n = 1,302,
    17 MB of freshly mapped memory, which costs more than the comparisons themselves).
    """
    flat = arr.ravel(order="K")  # a view for C- or Fortran-ordered arrays
    size = min(flat.size, _SCAN_BLOCK)
    buf = np.empty(size, dtype=arr.dtype)
    below, nonzero = np.empty(size, dtype=bool), np.empty(size, dtype=bool)
    for start in range(0, flat.size, _SCAN_BLOCK):
        block = flat[start : start + _SCAN_BLOCK]
        k = block.size
        np.abs(block, out=buf[:k])
        np.less(buf[:k], tiny, out=below[:k])
        np.greater(buf[:k], 0.0, out=nonzero[:k])
        if np.logical_and(below[:k], nonzero[:k], out=below[:k]).any():
            return True
    return False


def check_finite(arr: np.ndarray, rows, cols, *, what: str) -> None:
    """Raise :class:`NonFiniteError` naming the first non-finite cells."""
    with np.errstate(over="ignore", invalid="ignore"):
        if arr.size == 0 or np.isfinite(arr.sum(dtype=np.float64)):  # fast path: one pass, no n² mask
            return
    bad = ~np.isfinite(arr)
    if bad.any():
        r, c = np.nonzero(bad.reshape(arr.shape[0], -1))
        cells = [(rows[i], cols[j]) if cols is not None else rows[i] for i, j in zip(r[:5], c[:5], strict=True)]
        raise NonFiniteError(f"{what} holds {int(bad.sum())} NaN/infinite value(s), e.g. at (row, column) {fmt(cells)}")
