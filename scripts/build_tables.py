"""Build ``tables/`` from the raw inputs in ``../shared/data/raw``, deterministically.

Usage::

    python scripts/build_tables.py [NAME ...] [--raw ../shared/data/raw] [--out tables]

Without names, every registered dataset is built. The builders live in one module per dataset family
(``scripts/build_<family>.py``, shared helpers in ``scripts/_build.py``); this driver imports them all.
Each dataset gets a folder with its data (CSV) and a ``metadata.json`` (title, source with the
repository/path/commit or publication, year, units, licence, caveats, the module that built it, and the
SHA-256 of every raw input file). Running it twice gives byte-identical output. Checks that fail (an
unbalanced IO table, CEADs sectors that do not add up to the source total, …) stop the build with
an error naming the table and row: nothing half-written is left behind (each folder is written to
a temporary sibling and renamed).

The package never runs these scripts; it only reads ``tables/``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _build import BUILDERS, RAW, ROOT, BuildError

# the order in which datasets are built when no names are given (later families may read earlier ones)
MODULES = [
    "build_nbs_io",
    "build_provinces",
    "build_ceads",
    "build_concordance",
    "build_grid_factors",
    "build_gbt51366",
    "build_gbt51366_names",
    "build_ipcc",
    "build_ipio",
    "build_population",
    "build_distances",
    "build_gcam_electricity",
    "build_ssp_provinces",
    "build_employment",
    "build_policy_targets",
    "build_energy_power",
    "build_technology_costs",
]


def load_builders() -> dict:
    for module in MODULES:
        importlib.import_module(module)
    return BUILDERS


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="dataset names to build (default: all)")
    parser.add_argument("--raw", default=str(RAW))
    parser.add_argument("--out", default=str(ROOT / "tables"))
    parser.add_argument("--only", nargs="*", default=[], help="dataset names to build (same as NAME ...)")
    args = parser.parse_args(argv)
    builders = load_builders()
    raw, out = Path(args.raw), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    names = [*args.names, *args.only] or list(builders)
    unknown = set(names) - set(builders)
    if unknown:
        parser.error(f"unknown datasets {sorted(unknown)}; known: {sorted(builders)}")
    try:
        for name in names:
            builders[name](raw, out, name)
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
