"""``ioemissions``: the command line.

Sub-commands::

    ioemissions accounts PATH --out DIR             accounts of any MRIO (ie.save, pymrio, EXIOBASE 3, OECD, Eora)
    ioemissions accounts                            accounts of pymrio's test MRIO
    ioemissions electricity --province Shanghai --year 2017   CO2 of imported electricity (traced)
    ioemissions building BOQ.xlsx --gfa 5000 --out DIR   a building's life-cycle CO2 (GB/T 51366)
    ioemissions building --example office --out DIR     the shipped illustrative office building
    ioemissions building template --out boq.xlsx         an Excel BoQ template
    ioemissions building compare A.xlsx B.xlsx --per-m2  design options side by side
    ioemissions building materials --search rebar        GB/T 51366 factors and their names
    ioemissions transport --vehicle car --province Shanghai   cars' life-cycle CO2e per vkm by powertrain
    ioemissions tables list                          the shipped datasets
    ioemissions tables show NAME                     one dataset's provenance
    ioemissions pathways --scenario baseline --scenario peak-plan --out DIR   emissions to 2060 by scenario
    ioemissions report shanghai --year 2017 --out DIR   Shanghai in the Yangtze River Delta (tables + figures)
    ioemissions report china --year 2017 --out DIR      China's national CO2 accounts (tables + figures)

Errors from ``ioemissions.errors`` are printed as one line and exit with status 2; warnings (e.g.
:class:`~ioemissions.errors.MissingDataWarning`) as one ``ioemissions: warning:`` line.
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..errors import IOEmissionsError
from . import accounts, building, electricity, pathways, report, tables, transport

__all__ = ["COMMANDS", "build_parser", "main"]

#: One module per sub-command, each with ``register(sub)``; the order is the order of ``--help``.
COMMANDS = (accounts, tables, electricity, building, transport, pathways, report)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ioemissions",
        description="Carbon accounting for Shanghai, the Yangtze River Delta and China (EE-MRIO + LCA).",
    )
    parser.add_argument("--version", action="version", version=f"ioemissions {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def _one_line_warning(message, category, filename, lineno, line=None) -> str:
    return f"ioemissions: warning: {message}\n"


def main(argv: list[str] | None = None) -> int:
    import warnings

    args = build_parser().parse_args(argv)
    warnings.formatwarning = _one_line_warning
    try:
        return args.func(args)
    except IOEmissionsError as exc:
        print(f"ioemissions: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
