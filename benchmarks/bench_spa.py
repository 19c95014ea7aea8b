"""Top-1,000 structural paths of one region's footprint in a synthetic n = 9,800 MRIO (target: < 30 s).

Usage: ``python benchmarks/bench_spa.py [--regions 49 --sectors 200 --top 1000]``. The system is
dense-random but productive, like ``bench_accounts.py``'s; the time covers the multipliers (one
transposed solve on the cached LU) and the search, not building the model. Writes
``benchmarks/results/spa.md``.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main(argv=None) -> int:
    from bench_accounts import _load

    import ioemissions as ie

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regions", type=int, default=49)
    parser.add_argument("--sectors", type=int, default=200)
    parser.add_argument("--top", type=int, default=1000)
    args = parser.parse_args(argv)
    Z, Y, F, units, stressor, _ = _load(f"{args.regions}x{args.sectors}")
    model = ie.MRIO(Z, Y, F, units=units)
    t0 = time.perf_counter()
    model.solver.factorise()  # the LU is timed on its own; SPA's solves then use it
    t_lu = time.perf_counter() - t0
    region = model.regions[0]
    t0 = time.perf_counter()
    paths = ie.analysis.structural_paths(model, stressor, region, top=args.top, threshold=1e-7, max_depth=8)
    t_spa = time.perf_counter() - t0
    n = args.regions * args.sectors
    table = "\n".join(
        [
            "| n | paths | share of footprint | expansions | LU s | SPA s (multipliers + search) |",
            "|---|---|---|---|---|---|",
            f"| {n:,} | {len(paths)} | {paths['share'].sum():.1%} | {paths.attrs['expansions']:,} | {t_lu:.1f} "
            f"| **{t_spa:.1f}** |",
            "",
            f"Measured with `python benchmarks/bench_spa.py` on {platform.machine()}, Python "
            f"{platform.python_version()}, ioemissions {ie.__version__}; {time.strftime('%Y-%m-%d')}. The synthetic "
            "system is dense and spreads its footprint thinly over many paths, a hard case for SPA.",
            "",
        ]
    )
    (HERE / "results" / "spa.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
