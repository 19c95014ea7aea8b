"""Shipped datasets: list them, read their provenance, load them.

>>> from ioemissions import tables
>>> "ipcc-ar6-gwp100" in set(tables.list()["name"])
True
>>> tables.metadata("ipcc-ar6-gwp100")["year"]
2021

Every dataset is a folder in the repository's ``tables/`` (shipped inside the wheel) with the data
files and a ``metadata.json`` holding title, source, year, units, licence, caveats and the script
that built it from its raw input.
"""

from __future__ import annotations

import builtins

import pandas as pd

from ..errors import DataFileError, OptionError
from ._store import dataset_dir, dataset_file, metadata, names, tables_root

__all__ = ["dataset_dir", "list", "load", "metadata", "read_ceads_mrio", "tables_root"]


def list() -> pd.DataFrame:
    """All shipped datasets: a DataFrame with columns name, title, year, units, kind, estimated."""
    rows = []
    for name in names():
        meta = metadata(name)
        units = meta["units"]
        units_text = units if isinstance(units, str) else "; ".join(f"{k}: {v}" for k, v in units.items())
        rows.append(
            {
                "name": name,
                "title": meta["title"],
                "year": meta["year"],
                "units": units_text,
                "kind": meta["kind"],
                "estimated": bool(meta.get("estimated", False)),
            }
        )
    return pd.DataFrame(rows, columns=["name", "title", "year", "units", "kind", "estimated"])


def _read_csv(name: str, file: str, **kwargs) -> pd.DataFrame:
    path = dataset_file(name, file)
    try:
        return pd.read_csv(path, **kwargs)
    except (OSError, pd.errors.ParserError, ValueError) as exc:
        raise DataFileError(f"{path}: cannot read ({exc})") from exc


def load(name, **options):
    """Load dataset ``name`` (a registered name; or a :class:`pathlib.Path` to your own dataset folder).

    Tidy tables come back as DataFrames whose ``attrs`` carry the metadata; IO tables come back as
    models the IO core computes on (see each dataset's page in the docs).
    """
    meta = metadata(name)
    kind = meta["kind"]
    loader = _LOADERS.get(kind) if isinstance(kind, str) else None
    if loader is None:
        raise DataFileError(f"dataset {name!r} has unknown kind {kind!r} in its metadata")
    return loader(name, meta, **options)


def _load_table(name: str, meta: dict, **options):
    if options:
        raise OptionError(f"dataset {name!r} takes no options, got {sorted(options)}")
    files = meta["files"]
    frames = [_read_csv(name, f) for f in files]
    df = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    df.attrs = {"name": name, "units": meta["units"], "metadata": meta}
    return df


def _load_tables(name: str, meta: dict, **options):
    """A dataset of several related tables: a dict of DataFrames keyed by file name without ``.csv``."""
    if options:
        raise OptionError(f"dataset {name!r} takes no options, got {sorted(options)}")
    out = {}
    for f in meta["files"]:
        df = _read_csv(name, f)
        df.attrs = {"name": name, "units": meta["units"], "metadata": meta}
        out[f.removesuffix(".csv")] = df
    return out


def read_ceads_mrio(path, **kwargs):
    """Read a CEADs China MRIO workbook into an MRIO; see :func:`ioemissions.tables.ceads.read_ceads_mrio`."""
    from .ceads import read_ceads_mrio as _read

    return _read(path, **kwargs)


_LOADERS: dict = {"table": _load_table, "tables": _load_tables}


def register_loader(kind: str, func) -> None:
    """Register the loader for a dataset ``kind`` (used by the IO-table and inventory modules)."""
    _LOADERS[kind] = func


del builtins

from . import mrio_store as mrio_store  # noqa: E402  (registers the stored-MRIO loader)
from . import nbs as nbs  # noqa: E402  (registers the NBS IO-table loaders)
