"""Time of ``ie.pathways.deployment_impacts`` on a 2017→2060 technology pathway (peak-plan by default).

Usage: ``python benchmarks/bench_deployment.py [--scenario peak-plan] [--repeat 3]``. Two paths are timed
after a warm-up call (tables loaded, caches filled): with the year states the run kept (the usual case) and
with them dropped (a pathway that was pickled, e.g. returned from a worker), which rebuilds every year's
state. Writes ``benchmarks/results/deployment.md``.
"""

from __future__ import annotations

import argparse
import pickle
import platform
import time
from pathlib import Path

import ioemissions as ie

HERE = Path(__file__).resolve().parent


def _best(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), max(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", default="peak-plan")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    p = ie.pathways.run(args.scenario, end=2060)
    d = ie.pathways.deployment_impacts(p, costs="hold")  # warm-up
    kept = _best(lambda: ie.pathways.deployment_impacts(p, costs="hold"), args.repeat)
    q = pickle.loads(pickle.dumps(p))  # the kept states are not pickled
    rebuilt = _best(lambda: ie.pathways.deployment_impacts(q, costs="hold"), args.repeat)
    text = f"""# deployment_impacts, {args.scenario} 2017–2060

Python {platform.python_version()}, {platform.machine()}; {len(d)} (year, region, technology) rows,
{len(p._io)} years with deployments. Best / worst of {args.repeat} calls after a warm-up.

| path | best [s] | worst [s] |
|---|---|---|
| states kept by the run (one multi-column solve per year on the run's LU) | {kept[0]:.3f} | {kept[1]:.3f} |
| states rebuilt (pickled pathway: levers re-applied, one LU per year) | {rebuilt[0]:.3f} | {rebuilt[1]:.3f} |
"""
    out = HERE / "results" / "deployment.md"
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
