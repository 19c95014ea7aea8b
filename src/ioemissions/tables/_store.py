"""Where the shipped datasets live, and how their metadata is read.

In an installed wheel the datasets are inside the package (``ioemissions/_tables``); in a source
checkout (editable install, or running from ``src/``) they are the repository's ``tables/``.
``IOEMISSIONS_TABLES`` overrides both (for testing a rebuilt set). Nothing here reads
``../shared``.

A dataset is named by its registered name (a folder of the tables root, e.g. ``"provinces"``); a
string that is a path (``"../tables/provinces"``, ``"/etc"``) is refused. A user's own folder in
the same layout is passed as a :class:`pathlib.Path`. Every file a dataset's metadata lists must
lie inside the dataset's folder (:func:`dataset_file`).
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from ..errors import DataFileError, DatasetNotFoundError
from ..errors import _fmt_labels as fmt

__all__ = ["dataset_dir", "dataset_file", "metadata", "names", "tables_root"]

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


def dataset_dir(name: str | Path) -> Path:
    """The folder of dataset ``name``; :class:`DatasetNotFoundError` lists the known names.

    ``name`` is a registered dataset name, or a :class:`~pathlib.Path` to a user's folder holding a
    ``metadata.json``. Strings that are paths are refused, so a name can never reach outside the
    tables root.
    """
    if isinstance(name, Path):
        if not (name / "metadata.json").is_file():
            raise DatasetNotFoundError(f"{name}: not a dataset folder (no metadata.json)")
        return name
    if not isinstance(name, str):
        raise DatasetNotFoundError(
            f"a dataset name must be a string such as 'provinces' (or a pathlib.Path to your own folder), "
            f"not {type(name).__name__} {name!r}"
        )
    known = names()
    if name not in known:
        hint = " (a path? pass a pathlib.Path for your own folder)" if ("/" in name or "\\" in name) else ""
        raise DatasetNotFoundError(f"no dataset named {name!r}{hint}; shipped datasets: {fmt(known, limit=50)}")
    return tables_root() / name


def dataset_file(name: str | Path, file) -> Path:
    """The path of ``file`` listed by dataset ``name``, refused unless it lies inside the dataset's folder."""
    folder = dataset_dir(name)
    if not isinstance(file, str) or not file or Path(file).is_absolute():
        raise DataFileError(f"{folder / 'metadata.json'}: file entry {file!r} must be a relative file name")
    path = (folder / file).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise DataFileError(
            f"{folder / 'metadata.json'}: file {file!r} lies outside the dataset folder; refusing to read it"
        )
    return path


def metadata(name: str | Path) -> dict:
    """The metadata of dataset ``name`` (source, year, units, licence, caveats, script, …)."""
    return _metadata(dataset_dir(name))


@cache
def _metadata(folder: Path) -> dict:
    name = folder
    path = folder / "metadata.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, OSError) as exc:
        raise DataFileError(f"{path}: invalid JSON ({exc})") from exc
    if not isinstance(meta, dict):
        raise DataFileError(f"{path}: the metadata must be a JSON object, not {type(meta).__name__}")
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise DataFileError(f"{path}: metadata lacks {fmt(missing)}")
    files = meta["files"]
    if isinstance(files, str) or not isinstance(files, list):
        raise DataFileError(f"{path}: 'files' must be a list of file names, not {files!r}")
    for f in files:
        dataset_file(name, f)
    return meta


metadata.cache_clear = _metadata.cache_clear  # type: ignore[attr-defined]  (tests swap the tables root)
