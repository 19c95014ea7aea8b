"""ioemissions against pymrio ``calc_all()``: paired, alternating, fresh processes, medians and ranges.

Systems
    * ``real:yrd`` — the shipped ``yrd-mrio-2017`` (5 regions × 42 sectors, its CEADs CO2), without
      its import block (pymrio has none);
    * ``real:china`` — the shipped ``china-io-2017`` (42 sectors) with the CEADs national CO2 satellite;
    * ``RxS`` — a synthetic MRIO of R regions × S sectors built to look like a real one: about 40 %
      of A non-zero, column sums of A uniform in [0.5, 0.7], ``N_DEAD`` dead sectors (no inputs, no
      sales, no output), ``N_CATEGORIES`` final-demand categories per region and ``N_STRESSORS``
      stressors. x = L y is solved once and the system cached under ``benchmarks/.cache``, so both
      libraries read identical inputs.

Tasks (each timed from the pandas inputs: model construction included)
    * ``accounts`` — all regional accounts of one stressor (ioemissions ``MRIO(...).accounts``);
    * ``footprint`` — one region's footprint by origin (``MRIO(...).footprint``);
    * ``multipliers`` — the multipliers of one stressor (``MRIO(...).multipliers``).
    pymrio answers all three with one ``IOSystem(...)`` + ``calc_all()``, which is what it is timed on.

Method
    Every measurement is a fresh Python process (so peak memory is that run's own); repetitions
    alternate the libraries (which one goes first alternates too); the table shows medians with
    [min–max]. Peak = resident high-water mark including the inputs; working = peak minus the
    resident memory just before the timed work (after inputs and imports). The same run records
    the BLAS library and kernel (threadpoolctl) and the machine's float64 and float32 LU time of
    I − A (the "floor": what one factorisation costs here). Every ioemissions result is compared
    with pymrio's element by element (max relative difference).

Usage::

    python benchmarks/bench_accounts.py                       # real tables, 10x42 … 49x200 (n = 9,800)
    python benchmarks/bench_accounts.py --sizes 49x200 --repeat 1 --append   # redo only the big case, once
    python benchmarks/bench_accounts.py --plot-only           # redraw the figure from the CSV

Writes ``benchmarks/results/accounts.csv`` (every run), ``accounts.md`` (the table, included in the
docs' performance page) and ``docs/_static/perf-scaling.png`` (time against n, log-log). Not a
test: timings never gate CI. Machine noise matters: on a shared machine run it when it is quiet.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
RESULTS = HERE / "results"
FIGURE = ROOT / "docs" / "_static" / "perf-scaling.png"
N_CATEGORIES = 5
N_STRESSORS = 4
N_DEAD = 3
TASKS = ("accounts", "footprint", "multipliers")
DEFAULT_SIZES = ["real:china", "real:yrd", "10x42", "31x42", "20x150", "49x200"]
FIELDS = ["system", "n", "lib", "task", "rep", "seconds", "cpu_seconds", "peak_mib", "work_mib", "max_rel_diff"]
FIELDS.append("kernel")


# ---------------------------------------------------------------------------------------------- systems
def make_system(n_regions: int, n_sectors: int, seed: int = 1):
    """Synthetic (Z, Y, F) as numpy arrays; see the module docstring."""
    import numpy as np
    import scipy.linalg as sla

    rng = np.random.default_rng(seed)
    n = n_regions * n_sectors
    A = rng.random((n, n))
    A *= rng.random((n, n)) < 0.4
    A *= rng.uniform(0.5, 0.7, n) / A.sum(axis=0)
    dead = rng.choice(n, N_DEAD, replace=False)
    A[:, dead] = 0.0
    A[dead, :] = 0.0
    m = n_regions * N_CATEGORIES
    # final demand: lognormal sizes, a home bias of the sector's own region
    Y = rng.lognormal(0.0, 1.0, (n, m))
    home = (np.arange(n) // n_sectors)[:, None] == (np.arange(m) // N_CATEGORIES)[None, :]
    Y *= np.where(home, 8.0, 1.0)
    Y[dead, :] = 0.0
    x = sla.solve(np.eye(n) - A, Y.sum(axis=1))
    x[dead] = 0.0
    Z = A * x[None, :]
    F = rng.lognormal(0.0, 1.0, (N_STRESSORS, n)) * x[None, :] * rng.uniform(0.01, 1.0, (N_STRESSORS, 1))
    F[:, dead] = 0.0
    return Z, Y, F


def _labels(n_regions, n_sectors):
    import pandas as pd

    regions = [f"r{i:02d}" for i in range(n_regions)]
    idx = pd.MultiIndex.from_product([regions, [f"s{j:03d}" for j in range(n_sectors)]], names=["region", "sector"])
    cols = pd.MultiIndex.from_product([regions, [f"fd{k}" for k in range(N_CATEGORIES)]], names=["region", "category"])
    stressors = pd.Index([f"st{k}" for k in range(N_STRESSORS)], name="stressor")
    return idx, cols, stressors


def _real_inputs(which: str):
    """(Z, Y, F) DataFrames and units of a shipped table, as both libraries will get them."""
    import ioemissions as ie

    if which == "yrd":
        model = ie.tables.load("yrd-mrio-2017")
    else:
        from ioemissions.inventory.ceads import ceads_satellite

        national = ie.tables.load("china-io-2017")
        sat = ceads_satellite("China", 2017, national)
        model = national.with_stressors(sat["F"], units=sat["units"])
    return model.Z, model.Y, model.F, {"monetary": model.monetary_unit, **model._stressor_units}


def prepare(system: str) -> Path:
    """Create the cached inputs of ``system`` (once) and return the cache file."""
    import pickle

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{system.replace(':', '-')}.pkl"
    if path.exists():
        return path
    if system.startswith("real:"):
        data = _real_inputs(system.split(":")[1])
    else:
        r, s = (int(v) for v in system.lower().split("x"))
        Z, Y, F = make_system(r, s)
        data = (Z, Y, F, None)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return path


def _load(system: str):
    """The inputs of ``system`` as pandas objects, plus (units, stressor, region)."""
    import pickle

    import pandas as pd

    with prepare(system).open("rb") as fh:
        Z, Y, F, units = pickle.load(fh)
    if units is None:
        r, s = (int(v) for v in system.lower().split("x"))
        idx, cols, stressors = _labels(r, s)
        Z = pd.DataFrame(Z, index=idx, columns=idx, copy=False)
        Y = pd.DataFrame(Y, index=idx, columns=cols, copy=False)
        F = pd.DataFrame(F, index=stressors, columns=idx, copy=False)
        units = {"monetary": "10^4 CNY", **dict.fromkeys(stressors, "t")}
    stressor = F.index[0]
    region = Z.index.get_level_values(0)[0]
    return Z, Y, F, units, stressor, region


# ---------------------------------------------------------------------------------------------- workers
def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _kernel() -> str:
    from threadpoolctl import threadpool_info

    seen = []
    for info in threadpool_info():
        if info.get("user_api") == "blas":
            api, arch = info.get("internal_api"), info.get("architecture")
            tag = f"{api} {info.get('version')} {arch} ×{info.get('num_threads')}"
            if tag not in seen:
                seen.append(tag)
    return "; ".join(seen) or "unknown"


def worker(lib: str, task: str, system: str, out: str) -> dict:
    import warnings

    warnings.simplefilter("ignore")
    import numpy as np
    import pymrio
    import scipy.linalg
    import scipy.sparse.linalg  # noqa: F401

    import ioemissions as ie
    import ioemissions.core.accounts

    Z, Y, F, units, stressor, region = _load(system)
    before = _rss_kib("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    t0, c0 = time.perf_counter(), time.process_time()
    if lib == "ioemissions":
        model = ie.MRIO(Z, Y, F, units=units)
        if task == "accounts":
            result = {"accounts": model.accounts(stressor)["consumption"].to_numpy()}
        elif task == "footprint":
            result = {"footprint": model.footprint(stressor, region).to_numpy()}
        else:
            result = {"multipliers": model.multipliers(stressor).to_numpy()}
    else:
        io = pymrio.IOSystem(Z=Z, Y=Y, unit=None)
        io.emissions = pymrio.Extension(name="emissions", F=F)
        io.calc_all()
        e = io.emissions
        result = {
            # by label: pymrio may order regions differently and lists external demand (exports) as a region
            "accounts": e.D_cba_reg.loc[stressor].reindex(Z.index.get_level_values(0).unique()).to_numpy(),
            # footprint by origin of one region = s ∘ (L y_region), from pymrio's own L
            "footprint": (e.S.loc[stressor].to_numpy() * (io.L.to_numpy() @ io.Y[region].sum(axis=1).to_numpy())),
            "multipliers": e.M.loc[stressor].to_numpy(),
        }
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = _rss_kib("VmHWM")
    np.savez(out, **result)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_mib": peak / 1024,
        "work_mib": (peak - before) / 1024,
        "kernel": _kernel(),
        "n": len(Z),
        "stats": getattr(model.solver, "stats", None) if lib == "ioemissions" else None,
    }


def floor_worker(system: str) -> dict:
    """Median time of one dense LU of I − A in float64 and in float32 (LAPACK getrf), 3 runs each."""
    import numpy as np
    import scipy.linalg as sla

    Z, Y, _F, _units, _s, _r = _load(system)
    x = Z.to_numpy().sum(axis=1) + Y.to_numpy().sum(axis=1)
    inv = np.divide(1.0, x, out=np.zeros_like(x), where=x != 0)
    IA = np.eye(len(x)) - Z.to_numpy() * inv[None, :]
    out = {"kernel": _kernel(), "n": len(x)}
    for dtype in (np.float64, np.float32):
        M = IA.astype(dtype)
        times = []
        for _ in range(3):
            C = M.copy(order="F")
            t0 = time.perf_counter()
            sla.lu_factor(C, overwrite_a=True, check_finite=False)
            times.append(time.perf_counter() - t0)
        out[np.dtype(dtype).name] = statistics.median(times)
    return out


def _spawn(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------- driver
def run_system(system: str, repeat: int, tmpdir: Path) -> tuple[list[dict], dict]:
    import numpy as np

    prepare(system)
    rows = []
    for rep in range(repeat):
        order = ("ioemissions", "pymrio") if rep % 2 == 0 else ("pymrio", "ioemissions")
        ref_file = tmpdir / f"pymrio-{rep}.npz"
        runs = {}
        for lib in order:
            if lib == "pymrio":
                runs["pymrio"] = _spawn(["--worker", "pymrio", "all", system, str(ref_file)])
            else:
                for task in TASKS:
                    runs[task] = _spawn(["--worker", "ioemissions", task, system, str(tmpdir / f"{task}-{rep}.npz")])
        ref = np.load(ref_file)
        p = runs["pymrio"]
        rows.append({"lib": "pymrio", "task": "calc_all", "rep": rep, "max_rel_diff": "", **p})
        for task in TASKS:
            ours = np.load(tmpdir / f"{task}-{rep}.npz")[task]
            theirs = ref[task]
            diff = float(np.abs(ours - theirs).max() / np.abs(theirs).max())
            rows.append({"lib": "ioemissions", "task": task, "rep": rep, "max_rel_diff": diff, **runs[task]})
        for r in rows[-4:]:
            print(
                f"{system:>11} n={r['n']:>6} rep {rep} {r['lib']:<12} {r['task']:<12} {r['seconds']:8.3f} s  "
                f"peak {r['peak_mib']:7.0f} MiB  work {r['work_mib']:7.0f} MiB  diff {r['max_rel_diff']}  "
                f"{r.get('stats') or ''}",
                flush=True,
            )
    floor = _spawn(["--floor", system])
    print(f"{system:>11} floor: LU float64 {floor['float64']:.3f} s, float32 {floor['float32']:.3f} s", flush=True)
    for r in rows:
        r["system"] = system
    return rows, floor


def _fmt_s(values) -> str:
    med = statistics.median(values)
    digits = 3 if med < 1 else 2 if med < 10 else 1
    if len(values) == 1:
        return f"{med:.{digits}f}"
    return f"{med:.{digits}f} [{min(values):.{digits}f}–{max(values):.{digits}f}]"


def write_table(rows: list[dict], floors: dict, env: str, repeat_note: str) -> str:
    systems = list(dict.fromkeys(r["system"] for r in rows))
    lines = [
        "| system | n | task | ioemissions s | pymrio `calc_all` s | speed-up | peak MiB, ours / pymrio | "
        "working MiB, ours / pymrio | max rel. diff. | LU floor f64 / f32 s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for system in systems:
        sel = [r for r in rows if r["system"] == system]
        n = int(sel[0]["n"])
        p = [r for r in sel if r["lib"] == "pymrio"]
        pt = [float(r["seconds"]) for r in p]
        ppeak = statistics.median(float(r["peak_mib"]) for r in p)
        pwork = statistics.median(float(r["work_mib"]) for r in p)
        fl = floors.get(system)
        floor = f"{float(fl['float64']):.3f} / {float(fl['float32']):.3f}" if fl else ""
        for task in TASKS:
            o = [r for r in sel if r["lib"] == "ioemissions" and r["task"] == task]
            if not o:
                continue
            ot = [float(r["seconds"]) for r in o]
            opeak = statistics.median(float(r["peak_mib"]) for r in o)
            owork = statistics.median(float(r["work_mib"]) for r in o)
            diff = max(float(r["max_rel_diff"]) for r in o)
            label = {"real:yrd": "YRD 2017 (5 × 42)", "real:china": "China 2017 (1 × 42)"}.get(system, system)
            lines.append(
                f"| {label} | {n:,} | {task} | {_fmt_s(ot)} | {_fmt_s(pt)} "
                f"| **{statistics.median(pt) / statistics.median(ot):.1f}×** "
                f"| {opeak:,.0f} / {ppeak:,.0f} (**{opeak / ppeak:.0%}**) "
                f"| {owork:,.0f} / {pwork:,.0f} ({owork / pwork:.0%}) | {diff:.1e} | {floor} |"
            )
    kernels = sorted({k.strip() for r in rows for k in r["kernel"].split(";")})
    lines += [
        "",
        f"Measured with `python benchmarks/bench_accounts.py` on {env}. BLAS: {'; '.join(kernels)}. "
        f"{repeat_note} Times are medians [min–max] over fresh processes with the two libraries alternating; "
        "speed-ups are ratios of medians. Peak = resident high-water mark including the inputs; working = "
        "peak minus the memory in use just before the timed work. pymrio's numbers are one `calc_all()`, "
        "which answers all three tasks. LU floor: one LAPACK factorisation of I − A on the same machine in "
        "the same run (median of 3).",
        "",
    ]
    return "\n".join(lines)


def plot(rows: list[dict], floors: dict | None = None, path: Path = FIGURE) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def series(lib, task):
        pts = {}
        for r in rows:
            if r["lib"] == lib and r["task"] == task:
                pts.setdefault(int(r["n"]), []).append(float(r["seconds"]))
        ns = sorted(pts)
        return ns, [statistics.median(pts[n]) for n in ns]

    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(*series("pymrio", "calc_all"), "o-", color="tab:red", label="pymrio calc_all()")
    styles = {"accounts": "s-", "footprint": "^--", "multipliers": "v:"}
    for task in TASKS:
        ax.plot(*series("ioemissions", task), styles[task], color="tab:blue", label=f"ioemissions {task}")
    if floors:
        fl = sorted((int(f["n"]), float(f["float64"])) for f in floors.values() if float(f["float64"]) > 0)
        ax.plot(*zip(*fl, strict=True), "x:", color="grey", label="floor: one float64 LU of I − A")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("nodes n (regions × sectors)")
    ax.set_ylabel("wall time, s (median, fresh process)")
    day = time.strftime("%Y-%m-%d")
    ax.set_title(f"ioemissions vs pymrio, one stressor: time against table size\n(2-core machine, run {day})")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="*", default=DEFAULT_SIZES, help="real:china, real:yrd or REGIONSxSECTORS")
    parser.add_argument("--repeat", type=int, default=3, help="paired repetitions per system (medians shown)")
    parser.add_argument("--append", action="store_true", help="add to the existing CSV instead of replacing it")
    parser.add_argument("--plot-only", action="store_true", help="redraw table and figure from the CSV")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--floor", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return 0
    if args.floor:
        print(json.dumps(floor_worker(args.floor)))
        return 0

    import numpy
    import pymrio
    import scipy

    import ioemissions

    RESULTS.mkdir(exist_ok=True)
    csv_path = RESULTS / "accounts.csv"
    floors_path = RESULTS / "accounts-floor.json"
    rows, floors = [], {}
    if (args.append or args.plot_only) and csv_path.exists():
        with csv_path.open() as fh:
            rows = list(csv.DictReader(fh))
        floors = json.loads(floors_path.read_text()) if floors_path.exists() else {}
    if not args.plot_only:
        with tempfile.TemporaryDirectory() as tmp:
            for system in args.sizes:
                rows = [r for r in rows if r["system"] != system]
                new, floor = run_system(system, args.repeat, Path(tmp))
                rows += new
                floors[system] = floor
        with csv_path.open("w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=FIELDS, extrasaction="ignore")
            w.writeheader()
            w.writerows(rows)
        floors_path.write_text(json.dumps(floors, indent=1))
    blas_env = ", ".join(f"{k}={os.environ[k]}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ)
    env = (
        f"{platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}, numpy "
        f"{numpy.__version__}, scipy {scipy.__version__}, pymrio {pymrio.__version__}, ioemissions "
        f"{ioemissions.__version__}; {time.strftime('%Y-%m-%d')}"
        + (f"; {blas_env}" if blas_env else "; OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset")
    )
    reps = {}
    for r in rows:
        if r["lib"] == "pymrio":
            reps[r["system"]] = reps.get(r["system"], 0) + 1
    note = "Paired repetitions per system: " + ", ".join(f"{s} {k}" for s, k in reps.items()) + "."
    table = write_table(rows, floors, env, note)
    (RESULTS / "accounts.md").write_text(table)
    plot(rows, floors)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
