"""``ioemissions electricity``: CO2 of a province's electricity, traced through the grid."""

from __future__ import annotations

from ._common import output_args


def _shown(table, top: int):
    """The ``top`` largest origins, one row for the others (named in a note) and the total."""
    import pandas as pd

    body = table.drop(index="total")
    if len(body) <= top:
        return table
    rest = body.iloc[top:]
    other = pd.DataFrame(
        [[rest["TWh"].sum(), rest["Mt CO2"].sum(), rest["Mt CO2"].sum() / rest["TWh"].sum()]],
        index=[f"other {len(rest)} provinces"],
        columns=table.columns,
    )
    out = pd.concat([body.iloc[:top], other, table.loc[["total"]]])
    out.index.name = table.index.name
    out.attrs["note"] = f"other {len(rest)} provinces: {', '.join(map(str, rest.index))} (all in --out CSV)"
    return out


def _electricity(args) -> int:
    import pandas as pd

    from ..electricity import imported_emissions, scope12

    res = imported_emissions(args.province, args.year, method=args.method)
    shown = _shown(res.table, args.top)
    with pd.option_context("display.width", 120, "display.float_format", "{:,.3f}".format):
        print(
            f"Electricity consumed in {res.province}, {args.year}, by province of generation ({args.method} tracing):"
        )
        print(shown.to_string())
        if shown.attrs.get("note"):
            print(shown.attrs["note"])
        print("\nFactors (kg CO2/kWh):")
        print(res.factors.to_string())
    if args.out:
        from .._output import atomic_dir
        from ..electricity import available_years
        from ..report import save_figure
        from ..report._tables import write_csv

        headers = {"TWh": "electricity [TWh]", "Mt CO2": "CO2 [Mt CO2]", "kg CO2/kWh": "intensity [kg CO2/kWh]"}
        with atomic_dir(args.out) as tmp:
            write_csv(res.table.rename(columns=headers), tmp / "imported_electricity.csv", precise=args.precise)
            factors = res.factors.rename("factor [kg CO2/kWh]").rename_axis("factor").to_frame()
            write_csv(factors, tmp / "factors.csv", precise=args.precise)
            if args.year in available_years():
                s12 = scope12(res.province, args.year)
                write_csv(
                    s12.rename("CO2 [Mt CO2]").rename_axis("item").to_frame(), tmp / "scope12.csv", precise=args.precise
                )
            save_figure(tmp / "imported_electricity.png", lambda ax: res.plot(ax=ax), figsize=(9, 4.5))
        print(f"wrote {args.out}/imported_electricity.csv, factors.csv, scope12.csv, imported_electricity.png")
    return 0


def register(sub) -> None:
    """Add the ``electricity`` sub-command to the parser's sub-parsers ``sub``."""
    p = sub.add_parser("electricity", help="CO2 embodied in a province's electricity, traced through the grid")
    p.add_argument(
        "--province",
        default="Shanghai",
        help="consuming province, any case, pinyin or Chinese, e.g. shanghai or 上海 (default: %(default)s)",
    )
    p.add_argument("--year", type=int, default=2017, help="year, 2012-2019 (default: %(default)s)")
    p.add_argument(
        "--method",
        choices=["network", "direct"],
        default="network",
        help="network: trace through every province; direct: only direct imports (default: %(default)s)",
    )
    output_args(p, xlsx=False, lang=False, figures=False)
    p.add_argument("--top", type=int, default=12, help="origins listed before 'other' (default: %(default)s)")
    p.add_argument("--out", help="folder for the table, factors and figure, written atomically (default: print only)")
    p.set_defaults(func=_electricity)
