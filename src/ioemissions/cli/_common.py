"""Helpers shared by several sub-commands."""

from __future__ import annotations


def run_monte_carlo(func, result, args, log_file=None):
    """Monte Carlo in the Brightway folder given, or in a temporary one (never the user's home by surprise);
    Brightway's console output goes to ``log_file`` (e.g. ``monte_carlo.log`` in the output folder)."""
    import sys
    import tempfile

    kw = {"iterations": args.monte_carlo, "log_file": log_file, "progress": sys.stderr.isatty()}
    if args.bw_dir:
        return func(result, folder=args.bw_dir, **kw)
    with tempfile.TemporaryDirectory(prefix="ioemissions-bw-") as folder:
        return func(result, folder=folder, **kw)


def monte_carlo_args(p) -> None:
    p.add_argument("--monte-carlo", type=int, metavar="N", help="also run N Monte Carlo iterations via Brightway")
    p.add_argument("--bw-dir", help="Brightway folder for --monte-carlo (default: a temporary folder)")
