"""Time to build the Shanghai-in-YRD MRIO for one year, each build in a fresh process (cold: tables read from disk).

Usage: ``python benchmarks/bench_yrd.py [--years 2012 2017] [--repeat 5]``. Reports the median and
range of ``--repeat`` fresh-process builds (plus the CO2 accounts) and, for reference, the median of
warm rebuilds in one process. Writes ``benchmarks/results/yrd.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def worker(year: int) -> dict:
    import ioemissions as ie
    import ioemissions.regional

    t0 = time.perf_counter()
    model = ie.regional.build_yrd_mrio(year)
    model.accounts("CO2")
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(3):
        t0 = time.perf_counter()
        ie.regional.build_yrd_mrio(year).accounts("CO2")
        warm.append(time.perf_counter() - t0)
    return {"cold": cold, "warm": statistics.median(warm), "model": repr(model).splitlines()[0]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", nargs="*", type=int, default=[2012, 2017])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return 0
    import ioemissions as ie

    load_before = os.getloadavg()[0]
    rows = []
    for year in args.years:
        runs = []
        for _ in range(args.repeat):
            out = subprocess.run(
                [sys.executable, __file__, "--worker", str(year)], check=True, capture_output=True, text=True
            )
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        cold = [r["cold"] for r in runs]
        warm = [r["warm"] for r in runs]
        rows.append(
            f"| {year} | {statistics.median(cold):.2f} [{min(cold):.2f}–{max(cold):.2f}] "
            f"| {statistics.median(warm):.2f} | {runs[0]['model']} |"
        )
        print(rows[-1], flush=True)
    table = "\n".join(
        [
            "| year | fresh process s, median [min–max] | warm rebuild s, median | model |",
            "|---|---|---|---|",
            *rows,
            "",
            f"Build from the shipped tables plus the CO2 accounts, {args.repeat} fresh processes per year "
            f"(imports excluded, table reading included), measured with `python benchmarks/bench_yrd.py` on "
            f"{platform.machine()}, Python {platform.python_version()}, ioemissions {ie.__version__}; "
            f"{time.strftime('%Y-%m-%d')}; 1-minute load average {load_before:.1f} before and "
            f"{os.getloadavg()[0]:.1f} after the run on {os.cpu_count()} cores (other jobs share the machine, "
            "so the ranges matter).",
            "",
        ]
    )
    (HERE / "results" / "yrd.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
