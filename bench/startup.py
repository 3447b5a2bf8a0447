"""Benchmark: the start-up of `opskit diagnose` (the CPU of importing what the command imports).

What it guards: every reader and catalog `opskit diagnose` loads is imported before the first line is read, and
Python compiles regular expressions in Python, so a catalog that compiles its patterns at import makes every run
slower, even on a paste that never reaches it (one session's new catalogs added 67 ms). Catalogs declare their
patterns with ``opskit.core.diagnose.lazyre.lazy_compile`` (compiled on first use; docs/architecture.md), and this
figure shows when start-up grows again.

Each contender runs as a fresh interpreter, interleaved round by round, and is measured in CPU time (user + sys of
the child: other processes on a shared machine add wall time, not this), with a warm bytecode cache (as an
installed package has: the children write theirs to a temporary directory, never beside the sources):
- baseline: ``python -c pass`` (the interpreter's own start-up, measured in the same run);
- imports: the modules `opskit diagnose` imports (the typer app, the command, the engine with every reader,
  the renderer); its ratio to the baseline is the figure;
- command: ``opskit diagnose <one netcheck sample> --format json`` end to end, for information.

Run: .venv/bin/python bench/startup.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "diagnose" / "samples" / "netcheck" / "hard-nat-natpmp-nairobi-bradfitz.txt"
DIAGNOSE_IMPORTS = "import opskit.cli.app, opskit.cli.diagnose, opskit.app.diagnose, opskit.output.diagnose"
# The imports' CPU as a multiple of the bare interpreter's (2 shared cores, Python 3.11): 12.6x before the catalogs
# compiled on first use, 9.7x after.
TARGET_RATIO = 12.0


def child_cpu(command: list[str], env: dict[str, str]) -> float:
    """User + system CPU seconds of one child process running ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9, help="interleaved rounds; the median of each is kept")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="opskit-bench-pyc-") as pycache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPYCACHEPREFIX=pycache, PYTHONPATH=str(ROOT))
        contenders = {
            "baseline": [sys.executable, "-c", "pass"],
            "imports": [sys.executable, "-c", DIAGNOSE_IMPORTS],
            "command": [sys.executable, "-m", "opskit", "diagnose", str(SAMPLE), "--format", "json"],
        }
        for command in contenders.values():  # warm-up: writes the bytecode cache
            subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times: dict[str, list[float]] = {name: [] for name in contenders}
        for _ in range(args.rounds):
            for name, command in contenders.items():
                times[name].append(child_cpu(command, env))
    median = {name: statistics.median(values) for name, values in times.items()}
    base, imports, command = median["baseline"], median["imports"], median["command"]
    ratio = imports / base

    print(f"baseline (python -c pass):  {base * 1000:8.1f} ms CPU")
    print(
        f"diagnose imports:           {imports * 1000:8.1f} ms CPU   {ratio:5.1f}x baseline   "
        f"{(imports - base) * 1000:6.1f} ms over it   (target < {TARGET_RATIO:.0f}x)"
    )
    print(f"opskit diagnose one sample: {command * 1000:8.1f} ms CPU   (for information: start-up, read, render)")
    verdict = "OK" if ratio < TARGET_RATIO else "SLOWER THAN TARGET"
    print(f"verdict: {verdict} (imports {ratio:.1f}x the bare interpreter, target < {TARGET_RATIO:.0f}x)")
    return 0 if ratio < TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
