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
:class:`~ioemissions.errors.MissingDataWarning`) as one ``ioemissions: warning:`` line. A file-system
mistake (an output path that is a file, an unwritable folder) also gets one line and status 1;
Ctrl-C exits with 130 and a closed pipe (``| head``) quietly with 141. ``--debug`` shows the
traceback instead. ``--force`` lets an output folder that holds files ioemissions did not write be
replaced (see :mod:`ioemissions._output`).
"""

from __future__ import annotations

import argparse
import os
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
    _common_flags(parser, default=False)
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    for p in sub.choices.values():  # the same flags after the sub-command; they never reset the ones before it
        _common_flags(p, default=argparse.SUPPRESS)
    return parser


def _common_flags(p, default) -> None:
    p.add_argument("--debug", action="store_true", default=default, help="show the traceback of an error")
    p.add_argument(
        "--force",
        action="store_true",
        default=default,
        help="replace an output folder even if it holds files ioemissions did not write",
    )


def _fail(message: str, status: int) -> int:
    print(f"ioemissions: error: {message}", file=sys.stderr)
    return status


def _one_line_warning(message, category, filename, lineno, line=None) -> str:
    return f"ioemissions: warning: {message}\n"


def main(argv: list[str] | None = None) -> int:
    import warnings

    from .._output import FORCE

    args = build_parser().parse_args(argv)
    warnings.formatwarning = _one_line_warning
    token = FORCE.set(bool(getattr(args, "force", False)))
    try:
        return args.func(args)
    except BrokenPipeError:
        # the reader went away (``| head``): stop quietly; point stdout at devnull so the flush at exit is silent
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor (tests)
            pass
        return 141
    except Exception as exc:
        if args.debug:
            raise
        if isinstance(exc, IOEmissionsError):
            return _fail(f"{type(exc).__name__}: {exc}", 2)
        if isinstance(exc, OSError):
            where = f"{exc.filename}: " if exc.filename else ""
            return _fail(f"{type(exc).__name__}: {where}{exc.strerror or exc}", 1)
        raise
    except KeyboardInterrupt:
        if args.debug:
            raise
        return _fail("interrupted", 130)
    finally:
        FORCE.reset(token)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
