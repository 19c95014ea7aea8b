"""Where the shipped datasets live, and how their metadata is read.

In an installed wheel the datasets are inside the package (``ioemissions/_tables``); in a source
checkout (editable install, or running from ``src/``) they are the repository's ``tables/``.
``IOEMISSIONS_TABLES`` overrides both (for testing a rebuilt set). Nothing here reads
``../shared``.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from ..errors import DataFileError, DatasetNotFoundError
from ..errors import _fmt_labels as fmt

__all__ = ["dataset_dir", "metadata", "names", "tables_root"]

REQUIRED_KEYS = ("name", "title", "kind", "files", "year", "units", "source", "licence", "caveats", "script")


@cache
def tables_root() -> Path:
    """The folder holding one sub-folder per dataset."""
    env = os.environ.get("IOEMISSIONS_TABLES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent  # .../ioemissions
    packaged = here / "_tables"
    if packaged.is_dir():
        return packaged
    source = here.parent.parent / "tables"  # repository root in a source checkout
    if source.is_dir():
        return source
    raise DataFileError(f"no shipped tables found (looked in {packaged} and {source})")


def names() -> list[str]:
    """Names of all shipped datasets, sorted."""
    root = tables_root()
    return sorted(p.name for p in root.iterdir() if (p / "metadata.json").is_file())


def dataset_dir(name: str) -> Path:
    """The folder of dataset ``name``; :class:`DatasetNotFoundError` lists the known names."""
    d = tables_root() / name
    if not (d / "metadata.json").is_file():
        raise DatasetNotFoundError(f"no dataset named {name!r}; shipped datasets: {fmt(names(), limit=50)}")
    return d


@cache
def metadata(name: str) -> dict:
    """The metadata of dataset ``name`` (source, year, units, licence, caveats, script, …)."""
    path = dataset_dir(name) / "metadata.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{path}: invalid JSON ({exc})") from exc
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise DataFileError(f"{path}: metadata lacks {fmt(missing)}")
    return meta
