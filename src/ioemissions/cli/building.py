"""``ioemissions building``: a building's life-cycle CO2 (GB/T 51366, EN 15978)."""

from __future__ import annotations

from ._common import monte_carlo_args, province_or_grid, run_monte_carlo


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
            "province": province_or_grid(args.province),
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

            mc = run_monte_carlo(monte_carlo, res, args)
            mc.summary().to_csv(tmp / "monte_carlo.csv", header=["kgco2e"])
            print(mc.summary().to_string())
    extra = ", monte_carlo.csv" if args.monte_carlo else ""
    print(f"wrote {out}/modules.csv, stages.csv, items.csv, modules.png{extra}")
    return 0


def register(sub) -> None:
    """Add the ``building`` sub-command to the parser's sub-parsers ``sub``."""
    p = sub.add_parser("building", help="life-cycle CO2 of a building from its bill of quantities (GB/T 51366)")
    p.add_argument("boq", nargs="?", help="bill of quantities, CSV or XLSX (or use --example)")
    p.add_argument(
        "--example", choices=["office"], help="run the shipped illustrative example instead of a BoQ (default: none)"
    )
    p.add_argument(
        "--province",
        help="province of the grid factor, any case, pinyin or Chinese (default: Shanghai, or the example's)",
    )
    p.add_argument("--gfa", type=float, help="gross floor area, m2 (required with a BoQ; default: the example's)")
    p.add_argument("--design-life", type=int, help="design life in years (default: 50, or the example's)")
    p.add_argument(
        "--electricity", type=float, help="operational electricity, kWh per year (default: 0 or the example's)"
    )
    p.add_argument("--gas", type=float, help="natural gas, m3 per year (default: 0 or the example's)")
    p.add_argument(
        "--pv", type=float, help="on-site PV used in the building, kWh per year (default: 0 or the example's)"
    )
    p.add_argument("--grid-factor", type=float, help="kg CO2/kWh, overriding the MEE provincial factor (default: none)")
    p.add_argument("--grid-year", type=int, help="year of the MEE provincial factor, 2021-2023 (default: 2023)")
    p.add_argument(
        "--out", help="output folder: modules.csv, stages.csv, items.csv, modules.png (default: building-lca)"
    )
    monte_carlo_args(p)
    p.set_defaults(func=_building)
