"""``ioemissions pathways``: run scenarios to 2060 and write tables and figures.

ioemissions pathways --scenario baseline --scenario peak-plan --to 2060 --out DIR
ioemissions pathways --scenario baseline --draws 200 --out DIR    # + fan chart and peak-year distribution
"""

from __future__ import annotations

from ._common import output_args


def _pathways(args) -> int:
    import pandas as pd

    from ..pathways import run, scenario
    from ..report.pathways import pathways_report

    if args.draws is not None and args.draws < 1:  # before any work
        from ..errors import DistributionError

        raise DistributionError(f"--draws must be >= 1, got {args.draws}")
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
    if args.draws is not None:
        _ensembles(args, scenarios)
    return 0


def _ensembles(args, scenarios) -> None:
    """``--draws N``: a Monte Carlo ensemble of each scenario (issue 15): fan chart, peak-year distribution."""
    from .._output import atomic_dir
    from ..pathways import ensemble
    from ..report.uncertainty import write_ensemble

    executor = args.scheduler or ("processes" if args.workers else None)
    for sc in scenarios:
        end = args.to if args.to is not None else sc.end
        ens = ensemble(
            sc,
            draws=args.draws,
            seed=args.seed,
            end=end,
            executor=executor,
            workers=args.workers,
            progress=not args.quiet,
        )
        p = {b: ens.p_peak_before(2030, args.region, b) for b in ("production", "consumption")}
        print(
            f"{sc.name}: {args.draws} draws, P({args.region} peaks before 2030) = "
            f"{p['production']:.3f} (production), {p['consumption']:.3f} (consumption)"
        )
        if args.out:
            with atomic_dir(args.out) as tmp:
                files = write_ensemble(ens, tmp, regions=(args.region,), precise=args.precise)
            print(f"wrote {len(files)} ensemble files to {args.out}: " + ", ".join(f.name for f in files))


def register(sub) -> None:
    """Add the ``pathways`` sub-command."""
    p = sub.add_parser("pathways", help="forecast emissions to 2060 under scenarios (names or TOML files)")
    p.add_argument(
        "--scenario",
        action="append",
        help="a shipped scenario (baseline, peak-plan, deep; their top-down versions peak-plan-topdown, "
        "deep-topdown) or a path to a TOML file; repeat for several (default: baseline)",
    )
    p.add_argument("--to", type=int, default=None, help="last year (default: the scenario's end, 2060)")
    p.add_argument("--region", default="Shanghai", help="region of the summary and figures (default Shanghai)")
    p.add_argument("--out", help="folder for the CSVs and figures (default: none, print the summary only)")
    output_args(p, xlsx=False, lang=False, figures=False)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--draws",
        type=int,
        help="Monte Carlo draws of each scenario's distributions: fan chart, peak years (default: none)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the draws (default 0)")
    p.add_argument(
        "--workers", type=int, help="run the draws on a local Dask cluster of this many processes (default: in-process)"
    )
    p.add_argument(
        "--scheduler", help="run the draws on the Dask cluster at this address, tcp://host:port (default: none)"
    )
    p.set_defaults(func=_pathways)
