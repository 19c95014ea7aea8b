"""Time of a 2017→2060 pathway on the YRD table (target: under 2 s on the 2-core machine), and its scaling.

Usage: ``python benchmarks/bench_pathways.py [--repeat 3] [--quick]``. Each run is timed in the same process
after a warm-up run (data loading and imports excluded; the CEADs calibration of the intensity trends is
included, since it runs once per scenario object). Writes ``benchmarks/results/pathways.md``.

Scaling: a synthetic system of R regions × 42 sectors with a lever that changes A every year (the worst
case: one LU per year) shows the cost per year against the number of nodes n = 42 R.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import ioemissions as ie

HERE = Path(__file__).resolve().parent


def _best(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), max(times), out


def synthetic(n_regions: int, n_sectors: int = 42, seed: int = 1):
    """A productive synthetic MRIO with regions R1..Rk, its driver table (GDP +4 %/yr) and jobs per output."""
    from ioemissions.pathways.drivers import CHINA

    rng = np.random.default_rng(seed)
    regions = [f"R{i}" for i in range(n_regions)]
    sectors = [f"s{j}" for j in range(n_sectors)]
    nodes = pd.MultiIndex.from_product([regions, sectors])
    n = len(nodes)
    A = rng.random((n, n)) * (0.6 / n)
    x = rng.uniform(50, 150, n)
    Z = A * x[None, :]
    ycols = pd.MultiIndex.from_product([regions, ["consumption"]])
    y = x - Z.sum(axis=1)
    Y = np.zeros((n, n_regions))
    for r in range(n_regions):
        Y[:, r] = y / n_regions
    F = pd.DataFrame([rng.uniform(0.01, 1, n) * x], index=["CO2"], columns=nodes)
    model = ie.MRIO(
        pd.DataFrame(Z, index=nodes, columns=nodes),
        pd.DataFrame(Y, index=nodes, columns=ycols),
        F,
        units={"monetary": "10^4 CNY", "CO2": "Mt"},
    )
    years = list(range(2005, 2061))
    cols = {}
    for r in [*regions, CHINA]:
        cols[("gdp", r)] = pd.Series([100 * 1.04 ** (t - 2005) for t in years], index=years)
        cols[("population", r)] = pd.Series([10.0] * len(years), index=years)
    return model, pd.DataFrame(cols), regions


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the scaling runs")
    args = parser.parse_args(argv)
    rows = []
    for name in ie.pathways.shipped():
        sc = ie.pathways.scenario(name)
        ie.pathways.run(sc, end=2020)  # warm-up: tables loaded, trends calibrated
        best, worst, p = _best(lambda sc=sc: ie.pathways.run(sc, end=2060), args.repeat)
        pk = p.peak("Shanghai", "production")
        rows.append(
            f"| {name} | {len(p.years)} | 210 | {p.factorisations} | {best:.2f} | {worst:.2f} | "
            f"{pk.year} / {pk.level:.1f} |"
        )
        print(rows[-1], flush=True)
    scale_rows = []
    if not args.quick:
        for k in (5, 10, 20, 40):
            model, drivers, _ = synthetic(k)
            sc = ie.pathways.Scenario.from_dict(
                {
                    "scenario": {"name": "scaling", "end": 2060},
                    "levers": [
                        {
                            "type": "energy-efficiency",
                            "sectors": ["s1"],
                            "inputs": ["s0", "s2"],
                            "factor": {"2017": 1.0, "2060": 0.6, "source": "benchmark"},
                        }
                    ],
                }
            )
            kw = {"base": model, "base_year": 2017, "drivers": drivers, "jobs_per_output": False}
            ie.pathways.run(sc.replace(end=2018), **kw)
            best, _, p = _best(lambda sc=sc, kw=kw: ie.pathways.run(sc, **kw), max(1, args.repeat - 1))
            n = len(model.nodes)
            scale_rows.append(
                f"| {k} | {n} | {len(p.years)} | {p.factorisations} | {best:.2f} | {1e3 * best / len(p.years):.1f} |"
            )
            print(scale_rows[-1], flush=True)
    lines = [
        "| scenario | years | nodes | LU factorisations | best s | worst s | Shanghai production peak (year / Mt) |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"2017→2060 on `yrd-mrio-2017`, best of {args.repeat} runs after a warm-up, measured with "
        f"`python benchmarks/bench_pathways.py` on {platform.machine()}, Python {platform.python_version()}, "
        f"ioemissions {ie.__version__}; {time.strftime('%Y-%m-%d')}. The machine's 2 cores were shared with "
        "other jobs.",
        "",
    ]
    if scale_rows:
        lines += [
            "Scaling (synthetic R regions × 42 sectors, A changes every year, so one LU per year):",
            "",
            "| regions | nodes n | years | LU factorisations | best s | ms per year |",
            "|---|---|---|---|---|---|",
            *scale_rows,
            "",
        ]
    out = HERE / "results" / "pathways.md"
    out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
