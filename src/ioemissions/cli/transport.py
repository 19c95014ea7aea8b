"""``ioemissions transport``: life-cycle CO2e of vehicles by powertrain."""

from __future__ import annotations

import argparse
import math

from ._common import monte_carlo_args, province_or_grid, run_monte_carlo


def _factor(text: str) -> float:
    """A finite, non-negative number (``nan``, ``inf`` and negatives are user mistakes)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a finite, non-negative number (kg CO2/kWh), not {text!r}")
    return value


def _monte_carlo(results, table, args, log_file):
    import pandas as pd

    from ..lca import transport

    runs = {pt: run_monte_carlo(transport.monte_carlo, r, args, log_file) for pt, r in results.items()}
    mc = pd.DataFrame({pt: m.summary() for pt, m in runs.items()}).T.rename_axis("powertrain")
    print(f"Monte Carlo, {args.monte_carlo} iterations ({table.attrs['unit']}):")
    print(mc.to_string())
    for pt, m in runs.items():
        print(f"Monte Carlo {pt}: {m.statement()}")
    return mc


def _transport(args) -> int:
    import pandas as pd

    from .._output import atomic_dir
    from ..lca import transport
    from ..report import save_figure

    kwargs = {
        "province": province_or_grid(args.province),
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
    if args.monte_carlo and not args.out:  # printed without --out too (it used to be ignored silently)
        _monte_carlo(results, table, args, None)
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
                _monte_carlo(results, table, args, tmp / "monte_carlo.log").to_csv(tmp / "monte_carlo.csv")
        print(
            f"wrote {args.out}/powertrains.csv, lines.csv, powertrains.png"
            + (", monte_carlo.csv, monte_carlo.log" if args.monte_carlo else "")
        )
    return 0


def register(sub) -> None:
    """Add the ``transport`` sub-command to the parser's sub-parsers ``sub``."""
    p = sub.add_parser("transport", help="life-cycle CO2e of cars, buses and trucks per vkm, pkm or tkm")
    p.add_argument("--vehicle", choices=["car", "bus", "truck"], default="car", help="vehicle (default: %(default)s)")
    p.add_argument(
        "--powertrain", action="append", help="ICEV-p, ICEV-d, HEV-p/HEV-d, BEV, FCEV (repeatable; default: all)"
    )
    p.add_argument(
        "--province",
        default="Shanghai",
        help="province (any case, pinyin or Chinese), grid or China of the MEE grid factor (default: %(default)s)",
    )
    p.add_argument(
        "--grid-year", type=int, default=2023, help="year of the MEE factor, 2021-2023 (default: %(default)s)"
    )
    p.add_argument(
        "--grid",
        choices=["mee", "carculator"],
        default="mee",
        help="grid factor source for BEVs (default: %(default)s)",
    )
    p.add_argument("--grid-factor", type=_factor, help="kg CO2/kWh, overriding --grid (default: none)")
    h2 = ["grey", "grey-coal", "blue", "green"]
    p.add_argument("--hydrogen", choices=h2, default="grey", help="hydrogen pathway of FCEVs (default: %(default)s)")
    p.add_argument("--per", choices=["vkm", "pkm", "tkm"], default="vkm", help="functional unit (default: %(default)s)")
    p.add_argument("--out", help="output folder for powertrains.csv, lines.csv, powertrains.png (default: print only)")
    monte_carlo_args(p)
    p.set_defaults(func=_transport)
