"""``ioemissions pathways``: run scenarios to 2060 and write tables and figures.

ioemissions pathways --scenario baseline --scenario peak-plan --to 2060 --out DIR
"""

from __future__ import annotations


def _pathways(args) -> int:
    import pandas as pd

    from ..pathways import run, scenario
    from ..report.pathways import pathways_report

    names = args.scenario or ["baseline"]
    scenarios = [scenario(n) for n in names]  # every file is read (and checked) before any run
    pathways = [run(sc, end=args.to, progress=not args.quiet) for sc in scenarios]
    if args.out:
        files = pathways_report(pathways, args.out, region=args.region, precise=args.precise)
        print(f"wrote {len(files)} files to {args.out}: " + ", ".join(f.name for f in files))
    from ..pathways import compare

    summary = compare(pathways, args.region)
    cols = [c for c in summary.columns if "peak" in c]
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.float_format", "{:,.1f}".format):
        print(f"{args.region}: peak year and level by scenario")
        print(summary[cols].to_string())
    return 0


def register(sub) -> None:
    """Add the ``pathways`` sub-command."""
    p = sub.add_parser("pathways", help="forecast emissions to 2060 under scenarios (names or TOML files)")
    p.add_argument(
        "--scenario",
        action="append",
        help="a shipped scenario (baseline, peak-plan, deep) or a path to a TOML file; repeat for several "
        "(default: baseline)",
    )
    p.add_argument("--to", type=int, default=None, help="last year (default: the scenario's end, 2060)")
    p.add_argument("--region", default="Shanghai", help="region of the summary and figures (default Shanghai)")
    p.add_argument("--out", help="folder for the CSVs and figures (default: none, print the summary only)")
    p.add_argument("--precise", action="store_true", help="full float precision in the CSVs (default 6 digits)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_pathways)
