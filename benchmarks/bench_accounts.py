"""Accounts with ioemissions vs pymrio ``calc_all()`` on synthetic MRIOs.

Each measurement runs in a fresh Python process, so that peak memory is that run's alone:

* time: wall-clock of building the model from (Z, Y, F) and computing the regional accounts of
  one stressor (ioemissions: ``MRIO(...).accounts``; pymrio: ``IOSystem(...)`` + ``calc_all()``);
* peak memory: the process's resident high-water mark (VmHWM) during that work, reset after the
  inputs were generated (``/proc/self/clear_refs``), minus the resident memory before it — the
  memory the computation itself needs — and the absolute peak including the inputs.

Usage::

    python benchmarks/bench_accounts.py              # n = 1,302 (31 × 42) and n = 9,800 (49 × 200)
    python benchmarks/bench_accounts.py --quick      # n = 1,302 only
    python benchmarks/bench_accounts.py --sizes 10x20

Writes ``benchmarks/results/accounts.md`` (included in the docs' performance page) and prints
the same table. Not a test: timings never gate CI.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
N_CATEGORIES = 3


def make_system(n_regions: int, n_sectors: int, seed: int = 1):
    """A dense, productive synthetic MRIO as pandas objects (Z, Y, F)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    regions = [f"r{i:02d}" for i in range(n_regions)]
    sectors = [f"s{j:03d}" for j in range(n_sectors)]
    idx = pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])
    n = len(idx)
    ycols = pd.MultiIndex.from_product([regions, [f"fd{k}" for k in range(N_CATEGORIES)]], names=["region", "category"])
    Z = rng.random((n, n))
    Z *= 0.6 / Z.sum(axis=0).max()  # column sums of A below 0.6 once x > Z e
    Y = rng.random((n, len(ycols)))
    Y *= (Z.sum(axis=0) / 0.6 - Z.sum(axis=1)).clip(min=1.0)[:, None] / Y.sum(axis=1, keepdims=True)
    Z = pd.DataFrame(Z, index=idx, columns=idx, copy=False)
    Y = pd.DataFrame(Y, index=idx, columns=ycols, copy=False)
    F = pd.DataFrame(rng.random((1, n)), index=["CO2"], columns=idx)
    return Z, Y, F


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def worker(lib: str, n_regions: int, n_sectors: int) -> dict:
    import warnings

    warnings.simplefilter("ignore")
    Z, Y, F = make_system(n_regions, n_sectors)
    import numpy as np  # noqa: F401  (imported before the baseline)
    import pymrio

    import ioemissions as ie

    before = _rss_kib("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    t0 = time.perf_counter()
    if lib == "ioemissions":
        model = ie.MRIO(Z, Y, F, units={"monetary": "10^4 CNY", "CO2": "t"})
        result = model.accounts("CO2")["consumption"].to_numpy()
    else:
        io = pymrio.IOSystem(Z=Z, Y=Y, unit=None)
        io.emissions = pymrio.Extension(name="emissions", F=F)
        io.calc_all()
        result = io.emissions.D_cba_reg.loc["CO2"].to_numpy()
    seconds = time.perf_counter() - t0
    peak = _rss_kib("VmHWM")
    return {
        "lib": lib,
        "seconds": seconds,
        "peak_mib": peak / 1024,
        "work_mib": (peak - before) / 1024,
        "checksum": float(result.sum()),
    }


def run_one(lib: str, n_regions: int, n_sectors: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", lib, str(n_regions), str(n_sectors)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="*", default=["31x42", "49x200"], help="REGIONSxSECTORS")
    parser.add_argument("--quick", action="store_true", help="only the 31 × 42 system")
    parser.add_argument("--repeat", type=int, default=1, help="runs per library and size (best time kept)")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--out", default=str(HERE / "results" / "accounts.md"))
    args = parser.parse_args(argv)
    if args.worker:
        lib, r, s = args.worker
        print(json.dumps(worker(lib, int(r), int(s))))
        return 0
    sizes = ["31x42"] if args.quick else args.sizes
    import numpy
    import pymrio
    import scipy

    import ioemissions

    rows = []
    for size in sizes:
        r, s = (int(v) for v in size.lower().split("x"))
        res = {}
        for lib in ("ioemissions", "pymrio"):
            runs = [run_one(lib, r, s) for _ in range(args.repeat)]
            res[lib] = min(runs, key=lambda d: d["seconds"])
            print(
                f"n={r * s:>6} {lib:<12} {res[lib]['seconds']:8.2f} s  peak {res[lib]['peak_mib']:8.0f} MiB  "
                f"(work {res[lib]['work_mib']:8.0f} MiB)",
                flush=True,
            )
        a, b = res["ioemissions"], res["pymrio"]
        rel = abs(a["checksum"] - b["checksum"]) / abs(b["checksum"])
        rows.append(
            f"| {r} × {s} = {r * s:,} | {a['seconds']:.2f} | {b['seconds']:.2f} "
            f"| **{b['seconds'] / a['seconds']:.1f}×** "
            f"| {a['peak_mib']:,.0f} / {b['peak_mib']:,.0f} (**{a['peak_mib'] / b['peak_mib']:.0%}**) "
            f"| {a['work_mib']:,.0f} / {b['work_mib']:,.0f} (**{a['work_mib'] / b['work_mib']:.0%}**) | {rel:.1e} |"
        )
    env = (
        f"{platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}, numpy "
        f"{numpy.__version__}, scipy {scipy.__version__}, pymrio {pymrio.__version__}, ioemissions "
        f"{ioemissions.__version__}; {time.strftime('%Y-%m-%d')}"
    )
    table = "\n".join(
        [
            "| system (regions × sectors = n) | ioemissions s | pymrio s | speed-up | peak MiB, ours / pymrio | "
            "working MiB, ours / pymrio | Σ consumption rel. diff. |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
            f"Measured with `python benchmarks/bench_accounts.py` on {env}. Peak = resident high-water mark "
            "of the process including the generated inputs (Z, Y, F); working = peak minus resident memory "
            "before the computation. Each run is a fresh process; the best of "
            f"{args.repeat} run(s) per library and size is shown.",
            "",
        ]
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(args.out).with_suffix(".tmp")
    tmp.write_text(table)
    tmp.replace(args.out)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
