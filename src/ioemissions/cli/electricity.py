"""``ioemissions electricity``: CO2 of a province's electricity, traced through the grid."""

from __future__ import annotations


def _electricity(args) -> int:
    import pandas as pd

    from ..electricity import imported_emissions, scope12

    res = imported_emissions(args.province, args.year, method=args.method)
    with pd.option_context("display.width", 120, "display.float_format", "{:,.3f}".format):
        print(
            f"Electricity consumed in {args.province}, {args.year}, by province of generation ({args.method} tracing):"
        )
        print(res.table.head(12).to_string())
        print("\nFactors (kg CO2/kWh):")
        print(res.factors.to_string())
    if args.out:
        from .._output import atomic_dir
        from ..electricity import available_years
        from ..report import save_figure

        with atomic_dir(args.out) as tmp:
            res.table.to_csv(tmp / "imported_electricity.csv")
            res.factors.to_csv(tmp / "factors.csv")
            if args.year in available_years():
                scope12(args.province, args.year).to_csv(tmp / "scope12.csv")
            save_figure(tmp / "imported_electricity.png", lambda ax: res.plot(ax=ax), figsize=(9, 4.5))
        print(f"wrote {args.out}/imported_electricity.csv, factors.csv, scope12.csv, imported_electricity.png")
    return 0


def register(sub) -> None:
    """Add the ``electricity`` sub-command to the parser's sub-parsers ``sub``."""
    p = sub.add_parser("electricity", help="CO2 embodied in a province's electricity, traced through the grid")
    p.add_argument("--province", default="Shanghai")
    p.add_argument("--year", type=int, default=2017)
    p.add_argument("--method", choices=["network", "direct"], default="network")
    p.add_argument("--out", help="folder for the table, factors and figure (written atomically)")
    p.set_defaults(func=_electricity)
