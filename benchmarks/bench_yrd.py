"""Time to build the Shanghai-in-YRD MRIO for one year (target: under 10 s on the 2-core machine).

Usage: ``python benchmarks/bench_yrd.py [--years 2012 2017] [--repeat 3]``. Each build runs in the same
process after a warm-up import; the best of ``--repeat`` runs is reported. Writes
``benchmarks/results/yrd.md``.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import ioemissions as ie

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", nargs="*", type=int, default=[2012, 2017])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rows = []
    for year in args.years:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            model = ie.regional.build_yrd_mrio(year)
            model.accounts("CO2")
            times.append(time.perf_counter() - t0)
        rows.append(f"| {year} | {min(times):.2f} | {max(times):.2f} | {model!r} |")
        print(rows[-1], flush=True)
    table = "\n".join(
        [
            "| year | best s | worst s | model |",
            "|---|---|---|---|",
            *rows,
            "",
            f"Build from the shipped tables plus the CO2 accounts, best of {args.repeat} runs, measured with "
            f"`python benchmarks/bench_yrd.py` on {platform.machine()}, Python {platform.python_version()}, "
            f"ioemissions {ie.__version__}; {time.strftime('%Y-%m-%d')}.",
            "",
        ]
    )
    out = HERE / "results" / "yrd.md"
    out.write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
