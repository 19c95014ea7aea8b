"""Start-up time of ``import ioemissions`` and ``ioemissions --help`` (goal: --help under 0.3 s).

Usage: ``python benchmarks/bench_startup.py [--repeat 5]``. Each run is a fresh interpreter; the
best of ``--repeat`` runs is reported, next to a bare ``python -c pass`` for reference, with the
heavy modules (pandas, scipy, matplotlib) each command loaded. Writes ``benchmarks/results/startup.md``.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

CASES = {
    "python -c pass": "pass",
    "import ioemissions": "import ioemissions",
    "ioemissions --help": (
        "import ioemissions.cli.main as m, contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        m.main(['--help'])\n    except SystemExit:\n        pass"
    ),
}
HEAVY = ("pandas", "scipy", "matplotlib")


def _best(code: str, repeat: int) -> tuple[float, list[str]]:
    probe = code + "\nimport sys\nprint(' '.join(m for m in " + repr(HEAVY) + " if m in sys.modules))"
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - t0)
    return min(times), out.stdout.split()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    lines = [
        "# Start-up time",
        "",
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}; best of {args.repeat}",
        "",
        "| command | seconds | heavy modules loaded |",
        "|---|---|---|",
    ]
    for name, code in CASES.items():
        best, heavy = _best(code, args.repeat)
        lines.append(f"| `{name}` | {best:.3f} | {', '.join(heavy) or 'none'} |")
        print(lines[-1])
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "startup.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
