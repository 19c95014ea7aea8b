"""Building LCA on a large bill of quantities: 100,000 rows (issue 13 item 5: 163 s before vectorising).

Usage: ``python benchmarks/bench_building.py [--rows 100000]``. The BoQ repeats the shipped office
example's rows (GB/T items in m3, t, kg and m2, transport, replacements and a cost item) and is
written to a CSV, so the time covers reading, checking every cell and assessing. Writes
``benchmarks/results/building.md``. Not a test: timings never gate CI.
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd

from ioemissions.lca.building import assess, example, read_boq

OUT = Path(__file__).parent / "results" / "building.md"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=100_000)
    args = p.parse_args(argv)
    boq, building = example("office")
    reps = -(-args.rows // len(boq))
    big = pd.concat([boq] * reps, ignore_index=True).iloc[: args.rows]
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assess(boq, building)  # load the tables and IO multipliers once (cached), as a real session would
        path = Path(tmp) / "boq.csv"
        big.to_csv(path, index=False)
        t0 = time.perf_counter()
        frame = read_boq(path)
        t1 = time.perf_counter()
        res = assess(frame, building)
        t2 = time.perf_counter()
    text = (
        f"| step ({args.rows:,} BoQ rows) | seconds |\n|---|---|\n| read CSV | {t1 - t0:.2f} |\n"
        f"| check + assess | {t2 - t1:.2f} |\n"
        f"| total | {t2 - t0:.2f} |\n\n"
        f"Total {res.total:,.0f} kg CO2e. Machine: {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}. Before vectorising (issue 13): 163 s for 100,000 rows.\n"
    )
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
