"""``ioemissions building``: a building's life-cycle CO2 (GB/T 51366, EN 15978).

::

    ioemissions building BOQ.xlsx --data building.toml [--xlsx] [--out DIR]   assess a BoQ
    ioemissions building --example office --out DIR                            the shipped example
    ioemissions building materials [--search WORD] [--lang zh]                 GB/T 51366 factors
    ioemissions building template [--out boq.xlsx]                             an Excel BoQ template
    ioemissions building compare A.xlsx B.xlsx [--data A.toml B.toml] [--per-m2] [--out DIR]

A workbook made from the template holds the BoQ (sheet ``BoQ``) and the building data (sheet
``Building``); ``--data`` gives the building data as TOML/JSON instead. Flags (``--gfa``,
``--electricity``, …) override the file. A module without input is printed "not assessed" with a
warning line; ``--strict`` makes that an error.
"""

from __future__ import annotations

import sys

from ._common import monte_carlo_args, province_or_grid

ACTIONS = ("materials", "template", "compare")


def _fail(msg: str) -> SystemExit:
    print(f"ioemissions building: error: {msg}", file=sys.stderr)
    return SystemExit(2)


def _print(df, lang: str) -> None:
    import pandas as pd

    def fmt(v):
        return f"{v:,.1f}" if isinstance(v, float) else str(v)

    with pd.option_context(
        "display.width", 140, "display.unicode.east_asian_width", lang == "zh", "display.max_colwidth", 60
    ):
        print(df.map(fmt).to_string())


def _warn(lines) -> None:
    for w in lines:
        print(f"ioemissions building: warning: {w}", file=sys.stderr)


def _overrides(args) -> dict:
    return {
        k: v
        for k, v in {
            "province": province_or_grid(args.province),
            "design_life_years": args.design_life,
            "electricity_kwh": args.electricity,
            "natural_gas_m3": args.gas,
            "pv_kwh": args.pv,
            "grid_factor": args.grid_factor,
            "grid_year": args.grid_year,
            "gross_floor_area_m2": args.gfa,
            "construction_electricity_kwh": args.construction_electricity,
            "construction_diesel_kg": args.construction_diesel,
            "demolition_electricity_kwh": args.demolition_electricity,
            "demolition_diesel_kg": args.demolition_diesel,
            "waste_transport_km": args.waste_km,
            "io_imports": "domestic" if args.domestic_only else None,
        }.items()
        if v is not None
    }


def _load(boq_path, data_path, args):
    """(boq, Building) from a BoQ file and building data (file, the workbook's sheet, or flags)."""
    import math
    from pathlib import Path

    from ..lca.building import Building, read_boq, read_building

    for name in (
        "gfa",
        "electricity",
        "gas",
        "pv",
        "grid_factor",
        "construction_electricity",
        "construction_diesel",
        "demolition_electricity",
        "demolition_diesel",
        "waste_km",
    ):
        v = getattr(args, name, None)
        if v is not None and not math.isfinite(v):
            raise _fail(f"--{name.replace('_', '-')} {v} is not a finite number")
    boq = read_boq(boq_path)
    over = _overrides(args)
    if data_path:
        return boq, read_building(data_path, **over)
    if Path(boq_path).suffix.lower() in (".xlsx", ".xlsm") and _has_building_sheet(boq_path):
        return boq, read_building(boq_path, **over)
    if "gross_floor_area_m2" not in over:
        raise _fail("give --gfa (gross floor area, m2) or --data building.toml with a BoQ")
    return boq, Building(**over)


def _has_building_sheet(path) -> bool:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
    except Exception:
        return False
    try:
        if "Building" not in wb.sheetnames:
            return False
        ws = wb["Building"]
        return any(r[1] not in (None, "") for r in ws.iter_rows(min_row=2, max_col=2, values_only=True))
    finally:
        wb.close()


def _materials(args) -> int:
    from ..lca.building import materials

    words = args.boq[1:]
    search = args.search or (" ".join(words) if words else None)
    table = materials(search, lang=args.lang)
    if table.empty:
        raise _fail(f"no GB/T 51366 factor matches {search!r}")
    show = table.drop(columns=["aliases"]).copy()
    show["kgco2e_per_unit"] = show["kgco2e_per_unit"].map("{:g}".format)
    show = show.rename(columns={"unit": "unit", "kgco2e_per_unit": "kg CO2e/unit"})
    import pandas as pd

    with pd.option_context(
        "display.width",
        200,
        "display.max_colwidth",
        70,
        "display.max_rows",
        200,
        "display.unicode.east_asian_width",
        args.lang == "zh",
    ):
        print(show.to_string())
    return 0


def _template(args) -> int:
    from ..lca.building.excel import template

    if len(args.boq) > 1:
        raise _fail("building template takes no file argument; use --out boq.xlsx")
    out = args.out or "boq-template.xlsx"
    if not out.lower().endswith(".xlsx"):
        raise _fail(f"--out {out!r}: the template is an .xlsx workbook")
    path = template(out, lang=args.lang)
    print(f"wrote {path} (sheets BoQ, Materials, Columns, Building)")
    return 0


def _compare(args) -> int:
    import warnings
    from pathlib import Path

    from .._output import atomic_dir
    from ..lca.building import compare, example, plot_compare
    from ..report import save_figure

    files = args.boq[1:]
    options = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in args.example or []:
            options[name] = example(name)
        data = args.data or []
        if data and len(data) not in (1, len(files)):
            raise _fail(f"give one --data for all options or one per BoQ ({len(files)}), got {len(data)}")
        for i, f in enumerate(files):
            d = data[i] if len(data) > 1 else (data[0] if data else None)
            name = Path(f).stem
            if name in options:
                name = f"{name} ({i + 1})"
            options[name] = _load(f, d, args)
        if len(options) < 2:
            raise _fail("compare needs at least two design options (BoQ files or --example NAME)")
        table = compare(options, per_m2=args.per_m2, strict=args.strict)
    for name, res in table.attrs["results"].items():
        _warn(f"{name}: {w}" for w in res.warnings)
    _warn(table.attrs["warnings"])
    unit = table.attrs["unit"]
    print(f"design options, {unit}")
    _print(table, args.lang)
    out = args.out or "building-compare"
    with atomic_dir(out) as tmp:
        table.to_csv(tmp / "compare.csv")
        save_figure(tmp / "compare.png", lambda ax: plot_compare(table, ax=ax, lang=args.lang), figsize=(8, 4.5))
        if args.xlsx:
            import pandas as pd

            with pd.ExcelWriter(tmp / "compare.xlsx", engine="openpyxl") as xw:
                table.rename(columns=lambda c: f"{c} ({unit})").to_excel(xw, sheet_name="Compare")
    print(f"wrote {out}/compare.csv, compare.png" + (", compare.xlsx" if args.xlsx else ""))
    return 0


def _building(args) -> int:
    import warnings

    from .._output import atomic_dir
    from ..lca.building import assess, example
    from ..report import save_figure

    if args.boq and args.boq[0] in ACTIONS:
        return {"materials": _materials, "template": _template, "compare": _compare}[args.boq[0]](args)
    if len(args.boq) > 1:
        raise _fail(f"one BoQ file at a time (got {len(args.boq)}); to compare options: building compare A B")
    if args.example and args.boq:
        raise _fail("give a BoQ file or --example, not both")
    if args.example:
        if len(args.example) > 1:
            raise _fail("one --example at a time (to compare: building compare --example A --example B)")
        import dataclasses

        boq, building = example(args.example[0])
        building = dataclasses.replace(building, **_overrides(args))
    elif args.boq:
        boq, building = _load(args.boq[0], (args.data or [None])[0], args)
    else:
        raise _fail("give a BoQ file, or --example office (or: materials, template, compare)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = assess(boq, building, strict=args.strict)
    _warn(res.warnings)
    _print(res.table("modules", args.lang), args.lang)
    _print(res.table("stages", args.lang), args.lang)
    for n in res.notes:
        print(f"note: {n}")
    out = args.out or "building-lca"
    written = ["modules.csv", "stages.csv", "items.csv", "modules.png"]
    with atomic_dir(out) as tmp:
        res.modules.to_csv(tmp / "modules.csv")
        res.stages.to_csv(tmp / "stages.csv")
        res.items.to_csv(tmp / "items.csv")
        save_figure(tmp / "modules.png", lambda ax: res.plot(ax=ax, lang=args.lang), figsize=(8, 4.5))
        mc = None
        if args.monte_carlo is not None:
            mc = _run_mc(res, args, tmp)
            mc.summary().to_csv(tmp / "monte_carlo.csv", header=["kgco2e"])
            s = mc.summary()
            print(
                f"Monte Carlo ({int(s.iterations)} draws): static {s.static:,.0f} kg CO2e, 95 % interval "
                f"{s['p2.5']:,.0f} - {s['p97.5']:,.0f}; the static value is at the {s.static_percentile:.0f}th "
                "percentile"
            )
            print(f"Monte Carlo: {mc.statement()}")
            written += ["monte_carlo.csv", "monte_carlo.log"]
        if args.xlsx:
            from ..lca.building.excel import write_report

            write_report(tmp / "report.xlsx", res, mc, lang=args.lang)
            written.append("report.xlsx")
    print(f"wrote {out}/" + ", ".join(written))
    return 0


def _run_mc(res, args, tmp):
    from ..lca.building import monte_carlo
    from ._common import run_monte_carlo

    if args.monte_carlo < 1:
        raise _fail(f"--monte-carlo {args.monte_carlo}: give at least 1 iteration")
    return run_monte_carlo(monte_carlo, res, args, tmp / "monte_carlo.log")


def register(sub) -> None:
    """Add the ``building`` sub-command to the parser's sub-parsers ``sub``."""
    p = sub.add_parser(
        "building",
        help="life-cycle CO2 of a building from its bill of quantities (GB/T 51366); also: materials, template, "
        "compare",
        description=__doc__,
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "boq", nargs="*", help="BoQ file (CSV/XLSX), or: materials [WORD] | template | compare FILES (default: none)"
    )
    p.add_argument("--example", action="append", help="a shipped example: office, office-steel (default: none)")
    p.add_argument(
        "--data",
        action="append",
        help="building data, TOML/JSON (default: the BoQ workbook's Building sheet, or flags)",
    )
    p.add_argument("--strict", action="store_true", help="a module without input is an error (default: a warning)")
    p.add_argument(
        "--lang",
        choices=["en", "zh"],
        default="en",
        help="language of names in the console and report.xlsx (default: en)",
    )
    p.add_argument(
        "--xlsx", action="store_true", help="also write an Excel report, report.xlsx (default: CSV and PNG only)"
    )
    p.add_argument("--search", help="materials: only factors whose name or alias contains WORD (default: all)")
    p.add_argument(
        "--per-m2", action="store_true", help="compare: per m2 GFA, needed when GFAs differ (default: totals)"
    )
    p.add_argument(
        "--province",
        help="province of the grid factor, any case, pinyin or Chinese (default: Shanghai, or the data file's)",
    )
    p.add_argument(
        "--gfa", type=float, help="gross floor area, m2 (required without a data file; default: the data file's)"
    )
    p.add_argument("--design-life", type=int, help="design life in years (default: 50, or the data file's)")
    p.add_argument(
        "--electricity",
        type=float,
        help="B6: operational electricity, kWh per year (default: not given, or the data file's)",
    )
    p.add_argument("--gas", type=float, help="B6: natural gas, m3 per year (default: not given, or the data file's)")
    p.add_argument("--pv", type=float, help="B6: on-site PV used in the building, kWh per year (default: not given)")
    p.add_argument("--grid-factor", type=float, help="kg CO2/kWh, overriding the MEE provincial factor (default: none)")
    p.add_argument("--grid-year", type=int, help="year of the MEE provincial factor, 2021-2023 (default: 2023)")
    p.add_argument(
        "--construction-electricity", type=float, help="A5: electricity on site, kWh in total (default: not given)"
    )
    p.add_argument(
        "--construction-diesel",
        type=float,
        help="A5: diesel of construction machinery, kg in total (default: not given)",
    )
    p.add_argument(
        "--demolition-electricity", type=float, help="C1: electricity of demolition, kWh in total (default: not given)"
    )
    p.add_argument("--demolition-diesel", type=float, help="C1: diesel of demolition, kg in total (default: not given)")
    p.add_argument(
        "--waste-km", type=float, help="C2: distance from the site to waste treatment, km (default: not given)"
    )
    p.add_argument(
        "--domestic-only",
        action="store_true",
        help="cost items: domestic-only IO multipliers (default: total, including imported inputs)",
    )
    p.add_argument("--out", help="output folder (default: building-lca, building-compare; template: boq-template.xlsx)")
    monte_carlo_args(p)
    p.set_defaults(func=_building)
