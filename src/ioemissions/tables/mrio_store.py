"""Store an :class:`~ioemissions.MRIO` as plain CSV files, and read it back exactly.

Files (labels in the header rows and first columns, so every file reads on its own):

``Z.csv`` (nodes × nodes), ``Y.csv`` (nodes × final-demand columns), ``x.csv``, and where present
``F.csv``, ``F_Y.csv``, ``Z_imp.csv``, ``Y_imp.csv``, ``M_imp.csv``. Units are in the dataset's
metadata (``units.monetary`` and ``units.stressors``). Floats are written with ``repr`` precision, so
a round trip is exact.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.mrio import MRIO
from ..errors import DataFileError, OptionError
from . import register_loader
from ._store import dataset_dir

__all__ = ["read_mrio", "write_mrio"]

FILES = ("Z", "Y", "x", "F", "F_Y", "Z_imp", "Y_imp", "M_imp")


def write_mrio(model: MRIO, folder: str | Path) -> list[str]:
    """Write ``model``'s inputs as CSV files into ``folder``; returns the file names."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    parts = {"Z": model.Z, "Y": model.Y, "x": model.x.to_frame("x")}
    if len(model.stressors):
        parts.update(F=model.F, F_Y=model.F_Y)
    if model.Z_imp is not None:
        parts.update(Z_imp=model.Z_imp, Y_imp=model.Y_imp)
        if isinstance(model.M_imp, pd.DataFrame):
            parts["M_imp"] = model.M_imp
    names = []
    for name, df in parts.items():
        df.to_csv(folder / f"{name}.csv", lineterminator="\n")
        names.append(f"{name}.csv")
    return names


def _read(path: Path, header, index_col) -> pd.DataFrame:
    try:
        return pd.read_csv(path, header=header, index_col=index_col)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DataFileError(f"{path}: cannot read ({exc})") from exc


def read_mrio(folder: str | Path, units: dict, name: str = "MRIO", stressor_levels: int = 1) -> MRIO:
    """Read a model written by :func:`write_mrio`; ``units`` = ``{"monetary": ..., <stressor>: ...}``.

    ``stressor_levels`` is the number of label columns of F (2 for pymrio's (stressor, compartment)).
    """
    s_cols = 0 if stressor_levels == 1 else list(range(stressor_levels))
    folder = Path(folder)
    Z = _read(folder / "Z.csv", [0, 1], [0, 1])
    Y = _read(folder / "Y.csv", [0, 1], [0, 1])
    x = _read(folder / "x.csv", 0, [0, 1])["x"]
    kw = {}
    if (folder / "F.csv").is_file():
        kw["F"] = _read(folder / "F.csv", [0, 1], s_cols)
        kw["F_Y"] = _read(folder / "F_Y.csv", [0, 1], s_cols)
    if (folder / "Z_imp.csv").is_file():
        kw["Z_imp"] = _read(folder / "Z_imp.csv", [0, 1], 0)
        kw["Y_imp"] = _read(folder / "Y_imp.csv", [0, 1], 0)
        if (folder / "M_imp.csv").is_file():
            kw["M_imp"] = _read(folder / "M_imp.csv", 0, s_cols)
    for df in [Z, Y, *(v for v in kw.values() if isinstance(v, pd.DataFrame))]:
        if isinstance(df.columns, pd.MultiIndex):
            df.columns = df.columns.set_names(["region", None])
    return MRIO(Z, Y, kw.pop("F", None), kw.pop("F_Y", None), x=x, units=units, name=name, rtol=1e-9, **kw)


def _load_mrio(name: str, meta: dict, **options):
    if options:
        raise OptionError(f"dataset {name!r} takes no options, got {sorted(options)}")
    units = {"monetary": meta["units"]["monetary"], **meta["units"].get("stressors", {})}
    return read_mrio(dataset_dir(name), units, name=name)


register_loader("mrio", _load_mrio)
