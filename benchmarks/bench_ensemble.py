"""Monte Carlo at scale: 1,000 pathway draws on 1, 2 and 4 local Dask workers, and 1,000 YRD tables.

Usage: ``python benchmarks/bench_ensemble.py [--draws 1000] [--io-draws 1000] [--workers 1 2 4]
[--scenario baseline] [--out ensemble.md]``. Writes ``benchmarks/results/<out>`` (default ``ensemble.md``).

For each worker count a fresh ``LocalCluster`` of that many processes (one thread each) runs the same
seeded ensemble; the table gives the wall time (cluster start excluded, reported apart), the speed-up
over one worker, and the peak resident memory of the client plus its workers (sampled every 0.2 s with
psutil). The per-draw cost in-process and the scheduling overhead (wall time − draws × per-draw cost /
workers) say how it scales on a cluster. The machine has 2 cores shared with other jobs: 4 workers are
simulated on 2 cores, and every number is noisy.

The pathway scenario is ``--scenario`` if it declares distributions, else a benchmark scenario built
here (intensity trend and Shanghai's grid factor as triangular distributions; assumptions for timing
only, not a published pathway).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import threading
import time
from pathlib import Path

import numpy as np
import psutil

import ioemissions as ie

HERE = Path(__file__).resolve().parent

BENCH_SCENARIO = {
    "scenario": {"name": "bench", "ssp": "SSP2", "end": 2060},
    "levers": [
        {
            "type": "intensity-trend",
            "name": "trend",
            "regions": "all",
            "rate": {"value": {"triangular": [-0.05, -0.03, -0.01]}, "source": "assumption: benchmark only"},
        },
        {
            "type": "grid-factor",
            "name": "grid",
            "regions": ["Shanghai"],
            "factor": {"2017": 1.0, "2030": {"triangular": [0.5, 0.6, 0.8]}, "source": "assumption: benchmark only"},
        },
    ],
}


class PeakRSS:
    """Peak resident memory (MiB) of this process and its children, sampled in a thread."""

    def __init__(self, every: float = 0.2):
        self.every, self.peak, self._stop = every, 0.0, threading.Event()

    def _rss(self) -> float:
        me = psutil.Process()
        total = me.memory_info().rss
        for c in me.children(recursive=True):
            try:
                total += c.memory_info().rss
            except psutil.Error:
                pass
        return total / 2**20

    def _loop(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            time.sleep(self.every)

    def __enter__(self):
        self._t = threading.Thread(target=self._loop, daemon=True)
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, self._rss())


def on_workers(fn, n: int):
    """Run ``fn(client)`` on a fresh LocalCluster of n processes: (start s, run s, peak MiB, result)."""
    from dask.distributed import Client, LocalCluster

    with PeakRSS() as mem:
        t0 = time.perf_counter()
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0")
        client = Client(cluster)
        client.wait_for_workers(n)
        t1 = time.perf_counter()
        try:
            result = fn(client)
        finally:
            t2 = time.perf_counter()
            client.close()
            cluster.close()
    return t1 - t0, t2 - t1, mem.peak, result


def scenario(name: str | None):
    if name:
        sc = ie.pathways.scenario(name)
        if sc.distributions():
            return sc
        print(f"scenario {name!r} declares no distributions; using the benchmark scenario", flush=True)
    return ie.pathways.Scenario.from_dict(BENCH_SCENARIO)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--io-draws", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2, 4])
    parser.add_argument("--io-workers", type=int, nargs="*", default=[2])
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--out", default="ensemble.md", help="file name in benchmarks/results/")
    args = parser.parse_args(argv)
    try:
        sc = scenario(args.scenario)
    except ie.errors.IOEmissionsError as exc:
        print(f"{exc}; using the benchmark scenario", flush=True)
        sc = scenario(None)
    lines = [f"Scenario `{sc.name}`: {len(sc.distributions())} distributions; seed {args.seed}.", ""]

    # per-draw cost in-process (after one warm-up ensemble that loads the tables)
    ie.pathways.ensemble(sc, draws=2, seed=args.seed)
    n_probe = 20
    t0 = time.perf_counter()
    ie.pathways.ensemble(sc, draws=n_probe, seed=args.seed)
    per_draw = (time.perf_counter() - t0) / (n_probe + 1)  # + the static run
    rows, ref, base_time = [], None, None
    for n in args.workers:
        start, wall, peak, ens = on_workers(
            lambda c: ie.pathways.ensemble(sc, draws=args.draws, seed=args.seed, executor=c), n
        )
        arr = ens.data["emissions"].values
        same = (
            "—" if ref is None else ("yes" if np.array_equal(arr, ref) else f"max diff {np.abs(arr - ref).max():.2e}")
        )
        ref = arr if ref is None else ref
        base_time = wall if base_time is None else base_time
        overhead = wall - (args.draws + 1) * per_draw / n
        rows.append(
            f"| pathways | {args.draws} | {n} | {start:.1f} | {wall:.1f} | {base_time / wall:.2f}× | {peak:.0f} | "
            f"{overhead:+.1f} | {same} |"
        )
        print(rows[-1], flush=True)
    p_line = f"Pathways: per-draw cost in-process {per_draw * 1e3:.0f} ms."

    io_rows = []
    if args.io_draws:
        model = ie.uncertainty.io.YRDModel(2017)
        t0 = time.perf_counter()
        model({})
        setup = time.perf_counter() - t0
        t0 = time.perf_counter()
        for i in range(5):
            model({"beta": 1.0 + 0.01 * (i + 1)})
        io_per_draw = (time.perf_counter() - t0) / 5
        io_base = None
        for n in args.io_workers:
            start, wall, peak, acc = on_workers(
                lambda c: ie.uncertainty.accounts(draws=args.io_draws, seed=args.seed, executor=c), n
            )
            io_base = wall if io_base is None else io_base
            overhead = wall - args.io_draws * io_per_draw / n
            io_rows.append(
                f"| YRD accounts | {args.io_draws} | {n} | {start:.1f} | {wall:.1f} | {io_base / wall:.2f}× | "
                f"{peak:.0f} | {overhead:+.1f} | — |"
            )
            print(io_rows[-1], flush=True)
        s = acc.summary()
        c = s.loc[("consumption", "Shanghai")]
        sh = s.loc[("imported_share", "Shanghai")]
        io_line = (
            f"YRD accounts: per-table cost in-process {io_per_draw:.2f} s (setup once per worker {setup:.1f} s). "
            f"Shanghai 2017 consumption-based CO2: {c['p50']:.1f} Mt (95 % range {c['p2.5']:.1f}–{c['p97.5']:.1f}); "
            f"share emitted outside Shanghai {sh['p50']:.3f} ({sh['p2.5']:.3f}–{sh['p97.5']:.3f})."
        )
    else:
        io_line = ""
    table = "\n".join(
        [
            *lines,
            "| ensemble | draws | workers | start s | wall s | speed-up | peak MiB | overhead s | same as 1st |",
            "|---|---|---|---|---|---|---|---|---|",
            *rows,
            *io_rows,
            "",
            p_line,
            "",
            io_line,
            "",
            f"Measured with `python benchmarks/bench_ensemble.py --scenario {args.scenario} --draws {args.draws} "
            f"--io-draws {args.io_draws} --workers {' '.join(map(str, args.workers))}` on "
            f"{platform.machine()} ({os.cpu_count()} cores, shared with other jobs: noisy), Python "
            f"{platform.python_version()}, ioemissions {ie.__version__}; {time.strftime('%Y-%m-%d')}. Speed-up is "
            "against the first row of the same ensemble; overhead = wall − draws × per-draw cost / workers.",
            "",
        ]
    )
    out = HERE / "results" / Path(args.out).name
    out.write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
