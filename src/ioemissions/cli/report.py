"""``ioemissions report``: the Shanghai and China reports."""

from __future__ import annotations


def _report(args) -> int:
    from ..report import china_report, shanghai

    report = {"china": china_report, "shanghai": shanghai}[args.scope]
    paths = report(year=args.year, out=args.out)
    for p in paths:
        print(f"wrote {p}")
    return 0


def register(sub) -> None:
    """Add the ``report`` sub-command to the parser's sub-parsers ``sub``."""
    p = sub.add_parser("report", help="write an accounts report (CSV tables and figures)")
    p.add_argument("scope", choices=["shanghai", "china"], help="what to report on")
    p.add_argument("--year", type=int, default=2017)
    p.add_argument("--out", default="ioemissions-report", help="output folder (written atomically)")
    p.set_defaults(func=_report)
