"""Benchmark for `opskit render` (issue 2): start-up cost and a 1,000-route k8s gateway, measured now.

Prints, from one run on this machine:
  1. `opskit --version` (subprocess, median of N) against `python -c "import typer"` (target <= 1.5x);
  2. `opskit render` of a generated 1,000-route k8s_gateway spec, rendered and written to a fresh
     directory each time through the CLI (target < 1 s).
Run:  .venv/bin/python bench/render.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VERSION_TARGET_RATIO = 1.5
RENDER_TARGET_SECONDS = 1.0


def opskit_command() -> list[str]:
    script = Path(sys.executable).with_name("opskit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "opskit"]


def timed(argv: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return elapsed


def interleaved_medians(runs: int, *commands: list[str]) -> list[float]:
    """Median wall time of each command, runs interleaved so machine load drifts hit all of them alike."""
    for argv in commands:
        timed(argv)  # warm the page cache and .pyc files; not counted
    samples: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, argv in enumerate(commands):
            samples[index].append(timed(argv))
    return [statistics.median(s) for s in samples]


def thousand_route_spec(flavor: str = "nginx") -> str:
    lines = [
        "spec_version: 1",
        "site: bench",
        "k8s_gateway:",
        f"  flavor: {flavor}",
        "  resolver: {address: 10.96.0.10, valid: 10s}",
        "  static: {root: /usr/share/nginx/html, spa_fallback: true}",
        "  routes:",
    ]
    for i in range(1000):
        strip = ", backend_prefix: /" if i % 3 == 0 else ""
        lines.append(
            f"    - {{name: r{i}, prefix: /api/r{i}/, service: svc-{i}, namespace: ns-{i % 20}, "
            f"port: {1024 + i}{strip}}}"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs per measurement (median is reported)")
    args = parser.parse_args()

    opskit = opskit_command()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (other jobs inflate every number below)")
    baseline, version = interleaved_medians(args.runs, [sys.executable, "-c", "import typer"], [*opskit, "--version"])
    ratio = version / baseline
    print(f"python -c 'import typer'   median {baseline * 1000:7.1f} ms  ({args.runs} runs)")
    print(f"opskit --version           median {version * 1000:7.1f} ms  ({args.runs} runs)")
    verdict = "OK" if ratio <= VERSION_TARGET_RATIO else "OVER TARGET"
    print(f"  ratio {ratio:.2f}x (target <= {VERSION_TARGET_RATIO}x): {verdict}")

    workdir = Path(tempfile.mkdtemp(prefix="opskit-bench-"))
    try:
        for flavor in ("nginx", "tengine", "nginx-1.28"):
            spec = workdir / f"bench-{flavor}.yaml"
            spec.write_text(thousand_route_spec(flavor))
            times = []
            for run in range(max(3, args.runs // 3)):
                out = workdir / f"out-{flavor}-{run}"  # a fresh directory: every file is really written
                times.append(timed([*opskit, "render", str(spec), "-o", str(out), "--format", "json"]))
            size = sum(p.stat().st_size for p in (workdir / f"out-{flavor}-0").iterdir())
            best, middle = min(times), statistics.median(times)
            verdict = "OK" if middle < RENDER_TARGET_SECONDS else "OVER TARGET"
            print(
                f"render+write 1,000 routes, flavor {flavor:<10} median {middle * 1000:7.1f} ms "
                f"(min {best * 1000:.1f} ms, {size // 1024} KiB written; target < "
                f"{RENDER_TARGET_SECONDS:.0f} s, "
                f"whole CLI process): {verdict}"
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
