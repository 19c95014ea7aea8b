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
        "--monte-carlo",
        type=positive_int,
        metavar="N",
        help="also run N Monte Carlo iterations via Brightway (default: none)",
    )
    p.add_argument("--bw-dir", help="Brightway folder for --monte-carlo (default: a temporary folder)")


def output_args(p, *, xlsx: bool = True, lang: bool = True, figures: bool = True) -> None:
    """The options of every command that writes tables: --precise, and where the command supports them
    --xlsx, --lang, --svg."""
    p.add_argument(
        "--precise",
        action="store_true",
        help="write full float precision in the CSV files (default: 6 significant digits; the xlsx is always full)",
    )
    if xlsx:
        p.add_argument("--xlsx", action="store_true", help="also write one xlsx workbook with a README sheet")
    if lang:
        p.add_argument(
            "--lang", choices=["en", "zh"], default="en", help="language of sector and region labels (default: en)"
        )
    if figures:
        p.add_argument("--svg", action="store_true", help="also write each figure as SVG (default: PNG only)")


def province_or_grid(name: str | None) -> str | None:
    """A province in any case, pinyin or Chinese -> its dataset spelling; grid names and "China" pass through."""
    if name is None:
        return None
    from ..errors import LabelError
    from ..tables.place_names import province_name

    try:
        return province_name(name, extra=("China",))
    except LabelError:
        return name  # a grid name (e.g. "East China Grid"); the grid-factor lookup rejects unknown names
