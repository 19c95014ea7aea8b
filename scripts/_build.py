"""Shared pieces of the dataset build scripts (``scripts/build_*.py``).

Each ``build_<family>.py`` module registers its builders with :func:`builder`; the driver
``scripts/build_tables.py`` imports them all and runs some or all. :func:`write_dataset` writes a
dataset's CSV files and ``metadata.json`` atomically, with the SHA-256 of every raw input and, as
``script``, the module that holds the dataset's builder.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ioemissions._output import replace_dir
from ioemissions.errors import UnbalancedTableError
from ioemissions.regional.yrd import PROVINCES_31 as PROV_ORDER
from ioemissions.tables.nbs import check_balance

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT.parent / "shared" / "data" / "raw"  # the default location of the raw inputs
BUILDERS: dict[str, Callable] = {}
SHEET_NAMES = {"InnerMongolia": "Inner Mongolia"}  # the canonical English spelling used by ioemissions
RTOL = 1e-12  # GO = TI and TII + TVA = TI, as the issue requires
ROW_RTOL = 1e-10  # row balances: the published 2018 153-sector row 119 is off by 1.4e-12 (source rounding)

__all__ = [
    "BUILDERS",
    "PROV_ORDER",
    "RAW",
    "ROOT",
    "ROW_RTOL",
    "RTOL",
    "SHEET_NAMES",
    "BuildError",
    "_check_close",
    "_prov",
    "builder",
    "province",
    "read_wide_commented",
    "sha256",
    "write_dataset",
]


class BuildError(RuntimeError):
    """A raw input failed a check."""


def builder(*names):
    """Register ``func(raw, out, name)`` as the builder of the datasets ``names``."""

    def deco(func):
        for n in names:
            if n in BUILDERS:
                raise ValueError(f"dataset {n!r} has two builders")
            BUILDERS[n] = func
        return func

    return deco


def script_of(name: str) -> str:
    """The build script of dataset ``name``: the module that registered its builder."""
    return f"scripts/{Path(inspect.getfile(BUILDERS[name])).name}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_dataset(out: Path, name: str, frames: dict[str, pd.DataFrame], meta: dict, raw_files: list[Path]) -> None:
    """Write the CSV files and metadata.json of one dataset atomically."""
    extra = meta.get("extra_files", {})
    meta = {"name": name, **meta, "files": [f for f in frames if f not in extra], "script": script_of(name)}
    meta["raw_inputs"] = [{"path": str(p.relative_to(p.parents[2])), "sha256": sha256(p)} for p in sorted(raw_files)]
    meta.setdefault("estimated", False)
    with replace_dir(out / name) as tmp:
        for fname, df in frames.items():
            df.to_csv(tmp / fname, index=False, lineterminator="\n")
        (tmp / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"built {name}: " + ", ".join(f"{f} ({len(df)} rows)" for f, df in frames.items()))


def _check_close(a, b, labels, what: str, table: str, scale=None, rtol=RTOL) -> float:
    """The package's balance check (ioemissions.tables.nbs.check_balance), failing the build on a miss."""
    try:
        return check_balance(a, b, labels, what, table, rtol=rtol, scale=scale)
    except UnbalancedTableError as exc:
        raise BuildError(str(exc)) from exc


# spellings of province names met in the raw files (PyPSA-China-PIK uses all three)
PROVINCE_ALIASES = {**SHEET_NAMES, "Innermongolia": "Inner Mongolia", "Innermonglia": "Inner Mongolia"}


def province(name: str, where: str = "") -> str:
    """The canonical English name of a province, from any spelling in ``PROVINCE_ALIASES``; unknown names fail."""
    canon = PROVINCE_ALIASES.get(str(name).strip(), str(name).strip())
    if canon not in PROV_ORDER:
        raise BuildError(f"{where}: unknown province name {name!r}" if where else f"unknown province name {name!r}")
    return canon


def read_wide_commented(path: Path, id_col: str) -> pd.DataFrame:
    """A wide file (one row per province, one column per year, leading ``#`` comment lines) in long form:
    columns province, year, value; province names canonical, years int."""
    df = pd.read_csv(path, comment="#")
    long = df.melt(id_vars=id_col, var_name="year", value_name="value").rename(columns={id_col: "province"})
    long["year"] = long.year.astype(int)
    return long


def _prov(name: str) -> str:
    """The canonical English name of a province ("InnerMongolia" -> "Inner Mongolia"); unknown names fail."""
    name = SHEET_NAMES.get(name, name)
    if name not in PROV_ORDER:
        raise BuildError(f"unknown province name {name!r}")
    return name
