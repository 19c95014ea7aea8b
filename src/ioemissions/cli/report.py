"""``ioemissions report``: the Shanghai and China reports."""

from __future__ import annotations

from ._common import output_args


def _report(args) -> int:
    from ..report import china_report, shanghai

    report = {"china": china_report, "shanghai": shanghai}[args.scope]
    formats = ("png", "svg") if args.svg else ("png",)
    paths = report(year=args.year, out=args.out, precise=args.precise, xlsx=args.xlsx, lang=args.lang, formats=formats)
    for p in paths:
        print(f"wrote {p}")
    return 0


def register(sub) -> None:
    """Add the ``report`` sub-command to the parser's sub-parsers ``sub``."""
    p = sub.add_parser(
        "report",
        help="write an accounts report (CSV tables with units, figures, optional xlsx)",
        description="Write a report folder: CSV tables (units in every header), PNG figures, optionally "
        "SVG figures and an xlsx workbook with a README sheet. China: NBS tables 2012, 2015, 2017, 2018 "
        "(2020 once CEADs covers it); Shanghai: the estimated Yangtze-Delta MRIO of 2012 and 2017.",
    )
    p.add_argument("scope", choices=["shanghai", "china"], help="what to report on")
    p.add_argument("--year", type=int, default=2017, help="year of the table (default: %(default)s)")
    p.add_argument(
        "--out", default="ioemissions-report", help="output folder, written atomically (default: %(default)s)"
    )
    output_args(p)
    p.set_defaults(func=_report)
