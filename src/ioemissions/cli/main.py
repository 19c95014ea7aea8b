"""``ioemissions``: the command line.

Sub-commands::

    ioemissions accounts --example pymrio-test      accounts of pymrio's test MRIO
    ioemissions electricity --province Shanghai --year 2017   CO2 of imported electricity (traced)
    ioemissions building BOQ.xlsx --gfa 5000 --out DIR   a building's life-cycle CO2 (GB/T 51366)
    ioemissions building --example office --out DIR     the shipped illustrative office building
    ioemissions transport --vehicle car --province Shanghai   cars' life-cycle CO2e per vkm by powertrain
    ioemissions tables list                          the shipped datasets
    ioemissions tables show NAME                     one dataset's provenance
    ioemissions report shanghai --year 2017 --out DIR   Shanghai in the Yangtze River Delta (tables + figures)
    ioemissions report china --year 2017 --out DIR      China's national CO2 accounts (tables + figures)

Errors from ``ioemissions.errors`` are printed as one line and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys

from .. import __version__
from ..errors import IOEmissionsError

__all__ = ["build_parser", "main"]


def _accounts(args) -> int:
    import pandas as pd

    from ..core.mrio import MRIO

    if args.example == "pymrio-test":
        import pymrio

        model = MRIO.from_pymrio(pymrio.load_test(), extension="emissions")
        stressor = args.stressor or "emission_type1"
    else:  # pragma: no cover - argparse restricts choices
        raise SystemExit(f"unknown example {args.example}")
    acc = model.accounts(stressor)
    with pd.option_context("display.width", 120, "display.float_format", "{:,.4g}".format):
        print(f"{model!r}\nAccounts of {stressor!r} ({acc.attrs['unit']}):")
        print(acc)
    if args.out:
        from .._output import atomic_dir

        with atomic_dir(args.out) as tmp:
            acc.to_csv(tmp / "accounts.csv")
            model.embodied_trade(stressor).to_csv(tmp / "embodied_trade.csv")
        print(f"wrote {args.out}/accounts.csv and embodied_trade.csv")
    return 0


def _tables(args) -> int:
    import pandas as pd

    from .. import tables

    if args.action == "list":
        with pd.option_context("display.width", 200, "display.max_colwidth", 70, "display.max_rows", 200):
            print(tables.list().to_string(index=False))
    else:
        print(json.dumps(tables.metadata(args.name), indent=2, ensure_ascii=False))
    return 0


def _report(args) -> int:
    from ..report import china_report, shanghai

    report = {"china": china_report, "shanghai": shanghai}[args.scope]
    paths = report(year=args.year, out=args.out)
    for p in paths:
        print(f"wrote {p}")
    return 0


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


def _building(args) -> int:
    import dataclasses

    import pandas as pd

    from .._output import atomic_dir
    from ..lca.building import Building, assess, example, read_boq
    from ..report import save_figure

    if args.example:
        boq, building = example(args.example)
    elif args.boq:
        boq = read_boq(args.boq)
        if args.gfa is None:
            raise SystemExit("ioemissions building: give --gfa (gross floor area, m2) with a BoQ")
        building = Building(gross_floor_area_m2=args.gfa)
    else:
        raise SystemExit("ioemissions building: give a BoQ file or --example office")
    overrides = {
        k: v
        for k, v in {
            "province": args.province,
            "design_life_years": args.design_life,
            "electricity_kwh": args.electricity,
            "natural_gas_m3": args.gas,
            "pv_kwh": args.pv,
            "grid_factor": args.grid_factor,
            "grid_year": args.grid_year,
            "gross_floor_area_m2": args.gfa if args.example else None,
        }.items()
        if v is not None
    }
    building = dataclasses.replace(building, **overrides)
    res = assess(boq, building)
    with pd.option_context("display.width", 120, "display.float_format", "{:,.1f}".format):
        print(res.modules.to_string())
        print(res.stages.to_string())
    out = args.out or "building-lca"
    with atomic_dir(out) as tmp:
        res.modules.to_csv(tmp / "modules.csv")
        res.stages.to_csv(tmp / "stages.csv")
        res.items.to_csv(tmp / "items.csv")
        save_figure(tmp / "modules.png", lambda ax: res.plot(ax=ax), figsize=(7, 4))
        if args.monte_carlo:
            from ..lca.building import monte_carlo

            mc = _run_monte_carlo(monte_carlo, res, args)
            mc.summary().to_csv(tmp / "monte_carlo.csv", header=["kgco2e"])
            print(mc.summary().to_string())
    extra = ", monte_carlo.csv" if args.monte_carlo else ""
    print(f"wrote {out}/modules.csv, stages.csv, items.csv, modules.png{extra}")
    return 0


def _run_monte_carlo(func, result, args):
    """Monte Carlo in the Brightway folder given, or in a temporary one (never the user's home by surprise)."""
    import tempfile

    if args.bw_dir:
        return func(result, iterations=args.monte_carlo, folder=args.bw_dir)
    with tempfile.TemporaryDirectory(prefix="ioemissions-bw-") as folder:
        return func(result, iterations=args.monte_carlo, folder=folder)


def _transport(args) -> int:
    import pandas as pd

    from .._output import atomic_dir
    from ..lca import transport
    from ..report import save_figure

    kwargs = {
        "province": args.province,
        "grid_year": args.grid_year,
        "grid": args.grid,
        "grid_factor_kg_per_kwh": args.grid_factor,
        "hydrogen": args.hydrogen,
        "per": args.per,
    }
    pts = args.powertrain or list(transport.POWERTRAINS[args.vehicle])
    results = {pt: transport.assess(args.vehicle, pt, **kwargs) for pt in pts}
    table = transport.by_group(results)
    grid = f"grid factor {args.grid_factor} kg/kWh" if args.grid_factor is not None else (
        f"MEE {args.province} {args.grid_year}" if args.grid == "mee" else "carculator CN life-cycle mix"
    )  # fmt: skip
    print(f"Life-cycle CO2e of a {args.vehicle}, {table.attrs['unit']} ({grid}; hydrogen {args.hydrogen}):")
    with pd.option_context("display.width", 120, "display.float_format", "{:,.4f}".format):
        print(table.to_string())
    if args.out:
        with atomic_dir(args.out) as tmp:
            table.to_csv(tmp / "powertrains.csv")
            lines = pd.concat({pt: r.lines for pt, r in results.items()}, names=["powertrain", None]).droplevel(1)
            lines.to_csv(tmp / "lines.csv")
            title = f"{args.vehicle}, {grid}"
            save_figure(
                tmp / "powertrains.png", lambda ax: transport.plot_compare(table, ax=ax, title=title), figsize=(7, 4)
            )
            if args.monte_carlo:
                rows = {pt: _run_monte_carlo(transport.monte_carlo, r, args).summary() for pt, r in results.items()}
                mc = pd.DataFrame(rows).T.rename_axis("powertrain")
                mc.to_csv(tmp / "monte_carlo.csv")
                print(mc.to_string())
        print(
            f"wrote {args.out}/powertrains.csv, lines.csv, powertrains.png"
            + (", monte_carlo.csv" if args.monte_carlo else "")
        )
    return 0


def _monte_carlo_args(p) -> None:
    p.add_argument("--monte-carlo", type=int, metavar="N", help="also run N Monte Carlo iterations via Brightway")
    p.add_argument("--bw-dir", help="Brightway folder for --monte-carlo (default: a temporary folder)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ioemissions",
        description="Carbon accounting for Shanghai, the Yangtze River Delta and China (EE-MRIO + LCA).",
    )
    parser.add_argument("--version", action="version", version=f"ioemissions {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("accounts", help="production/consumption accounts of an example MRIO")
    p.add_argument("--example", choices=["pymrio-test"], default="pymrio-test")
    p.add_argument("--stressor", help="stressor label (default: the example's first)")
    p.add_argument("--out", help="folder for accounts.csv and embodied_trade.csv")
    p.set_defaults(func=_accounts)

    p = sub.add_parser("tables", help="list the shipped datasets or show one's provenance")
    tsub = p.add_subparsers(dest="action", required=True)
    tsub.add_parser("list", help="all shipped datasets")
    show = tsub.add_parser("show", help="metadata of one dataset")
    show.add_argument("name")
    p.set_defaults(func=_tables)

    p = sub.add_parser("electricity", help="CO2 embodied in a province's electricity, traced through the grid")
    p.add_argument("--province", default="Shanghai")
    p.add_argument("--year", type=int, default=2017)
    p.add_argument("--method", choices=["network", "direct"], default="network")
    p.add_argument("--out", help="folder for the table, factors and figure (written atomically)")
    p.set_defaults(func=_electricity)

    p = sub.add_parser("building", help="life-cycle CO2 of a building from its bill of quantities (GB/T 51366)")
    p.add_argument("boq", nargs="?", help="bill of quantities, CSV or XLSX")
    p.add_argument("--example", choices=["office"], help="run the shipped illustrative example instead")
    p.add_argument("--province", help="province for the grid factor (default Shanghai)")
    p.add_argument("--gfa", type=float, help="gross floor area, m2")
    p.add_argument("--design-life", type=int, help="years (default 50)")
    p.add_argument("--electricity", type=float, help="operational electricity, kWh per year")
    p.add_argument("--gas", type=float, help="natural gas, m3 per year")
    p.add_argument("--pv", type=float, help="on-site PV generation used in the building, kWh per year")
    p.add_argument("--grid-factor", type=float, help="kg CO2/kWh, overriding the MEE provincial factor")
    p.add_argument("--grid-year", type=int, help="year of the MEE provincial factor (2021-2023)")
    p.add_argument("--out", help="output folder (modules.csv, stages.csv, items.csv, modules.png)")
    _monte_carlo_args(p)
    p.set_defaults(func=_building)

    p = sub.add_parser("transport", help="life-cycle CO2e of cars, buses and trucks per vkm, pkm or tkm")
    p.add_argument("--vehicle", choices=["car", "bus", "truck"], default="car")
    p.add_argument("--powertrain", action="append", help="ICEV-p, ICEV-d, HEV-p/HEV-d, BEV, FCEV (repeat; default all)")
    p.add_argument("--province", default="Shanghai", help="province (or grid, or China) of the MEE grid factor")
    p.add_argument("--grid-year", type=int, default=2023, help="year of the MEE factor (2021-2023)")
    p.add_argument("--grid", choices=["mee", "carculator"], default="mee", help="grid factor source for BEVs")
    p.add_argument("--grid-factor", type=float, help="kg CO2/kWh, overriding --grid")
    h2 = ["grey", "grey-coal", "blue", "green"]
    p.add_argument("--hydrogen", choices=h2, default="grey", help="hydrogen pathway (FCEV)")
    p.add_argument("--per", choices=["vkm", "pkm", "tkm"], default="vkm", help="functional unit")
    p.add_argument("--out", help="output folder (powertrains.csv, lines.csv, powertrains.png)")
    _monte_carlo_args(p)
    p.set_defaults(func=_transport)

    p = sub.add_parser("report", help="write an accounts report (CSV tables and figures)")
    p.add_argument("scope", choices=["shanghai", "china"], help="what to report on")
    p.add_argument("--year", type=int, default=2017)
    p.add_argument("--out", default="ioemissions-report", help="output folder (written atomically)")
    p.set_defaults(func=_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except IOEmissionsError as exc:
        print(f"ioemissions: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
