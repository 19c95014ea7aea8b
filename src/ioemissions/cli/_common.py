"""Helpers shared by several sub-commands."""

from __future__ import annotations


def run_monte_carlo(func, result, args):
    """Monte Carlo in the Brightway folder given, or in a temporary one (never the user's home by surprise)."""
    import tempfile

    if args.bw_dir:
        return func(result, iterations=args.monte_carlo, folder=args.bw_dir)
    with tempfile.TemporaryDirectory(prefix="ioemissions-bw-") as folder:
        return func(result, iterations=args.monte_carlo, folder=folder)


def positive_int(text: str) -> int:
    """argparse type: a positive integer (0 or -5 iterations used to pass silently)."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text!r}")
    return value


def monte_carlo_args(p) -> None:
    p.add_argument(
        "--monte-carlo", type=positive_int, metavar="N", help="also run N Monte Carlo iterations via Brightway"
    )
    p.add_argument("--bw-dir", help="Brightway folder for --monte-carlo (default: a temporary folder)")
