"""Benchmark: CPU cost of `opskit probe slowloris` vs slowhttptest holding the same slow connections.

Both hold N (default 1,000) slow-header connections for the same time against one local HAProxy
(no `timeout http-request`, so the connections stay open) and are measured in the same run: CPU
seconds (user + system, from wait4) of each process. Targets: the probe uses less CPU than
slowhttptest and less than 50 % of one core.

    .venv/bin/python bench/probe.py [--connections 1000] [--seconds 65] [--interval 5]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.ports import free_port  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def run_measured(argv: list[str]) -> tuple[float, float, str, str]:
    """Run to completion; return (cpu seconds, wall seconds, stdout, "user+sys" text)."""
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        out.seek(0)
        split = f"user {usage.ru_utime:.2f} + sys {usage.ru_stime:.2f}"
        return usage.ru_utime + usage.ru_stime, wall, out.read(), split


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=1000)
    # 65 s by default: a probe must outlast nginx's default client_header_timeout (60 s) to tell it apart
    # from "no deadline", so that is the realistic length of a run.
    parser.add_argument("--seconds", type=int, default=65)
    parser.add_argument("--interval", type=float, default=5.0)
    args = parser.parse_args()
    haproxy, slowhttptest = shutil.which("haproxy", path="/usr/sbin:/usr/bin"), shutil.which("slowhttptest")
    if not haproxy or not slowhttptest:
        print("needs haproxy and slowhttptest (scripts/install-system-deps.sh)", file=sys.stderr)
        return 2
    needed = 2 * args.connections + 256
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))  # children inherit it

    prefix = Path(tempfile.mkdtemp(prefix="opskit-bench-probe-"))
    port, closed = free_port(), free_port()
    cfg = prefix / "haproxy.cfg"
    # No `timeout http-request`: HAProxy holds every slow connection (timeout client is reset by each line).
    cfg.write_text(
        f"global\n    maxconn {args.connections * 3}\n"
        "defaults\n    mode http\n    timeout connect 5s\n    timeout client 60s\n    timeout server 60s\n"
        f"frontend fe\n    bind 127.0.0.1:{port}\n    maxconn {args.connections * 3}\n    default_backend be\n"
        f"backend be\n    server s 127.0.0.1:{closed}\n"
    )
    proxy = subprocess.Popen([haproxy, "-db", "-f", str(cfg)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/"
        rate = str(max(50, args.connections // 5))
        probe_cpu, probe_wall, probe_out, probe_split = run_measured(
            [
                sys.executable,
                "-m",
                "opskit",
                "probe",
                "slowloris",
                url,
                "--connections",
                str(args.connections),
                "--interval",
                str(args.interval),
                "--max-seconds",
                str(args.seconds),
                "--rate",
                rate,
                "--format",
                "json",
            ]
        )
        report = json.loads(probe_out[probe_out.index("{") :])
        held = report["endings"]["held"]
        engine_code = (
            "import sys; from opskit.adapters.net import run_probe; from opskit.core.probe.slowloris import ProbePlan;"
            f"r = run_probe(ProbePlan('http', '127.0.0.1', {port}, '/', {args.connections}, {args.interval},"
            f" {args.seconds}, {rate}), '127.0.0.1').results; print(sum(1 for x in r if x.ending == 'held'))"
        )
        engine_cpu, engine_wall, engine_out, engine_split = run_measured([sys.executable, "-c", engine_code])
        idle_cpu, _, _, _ = run_measured(
            [
                sys.executable,
                "-m",
                "opskit",
                "probe",
                "slowloris",
                f"http://127.0.0.1:{closed}/",
                "-c",
                "1",
                "-t",
                "1",
                "--format",
                "json",
            ]
        )
        slow_cpu, slow_wall, slow_out, slow_split = run_measured(
            [
                slowhttptest,
                "-H",
                "-c",
                str(args.connections),
                "-r",
                rate,
                "-i",
                str(int(args.interval)),
                "-l",
                str(args.seconds),
                "-p",
                "3",
                "-u",
                url,
            ]
        )
        text = ANSI.sub("", slow_out)
        connected = [int(m) for m in re.findall(r"connected:\s+(\d+)", text)]
        status = next(
            (line.split("Exit status:", 1)[1].strip() for line in text.splitlines() if "Exit status:" in line), "?"
        )
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        shutil.rmtree(prefix, ignore_errors=True)

    print(f"slow connections: {args.connections}, {args.seconds} s, one header line every {args.interval:g} s")
    print(
        f"opskit probe (CLI process) : {probe_cpu:5.2f} CPU s ({probe_split}) over {probe_wall:5.1f} s wall "
        f"= {100 * probe_cpu / probe_wall:4.1f} % of one core; held {held}/{args.connections}; "
        f"verdict {report['verdict']}"
    )
    print(f"  of which CLI start-up    : {idle_cpu:5.2f} CPU s (same command, 1 connection to a closed port)")
    print(
        f"probe engine (run_probe)   : {engine_cpu:5.2f} CPU s ({engine_split}) over {engine_wall:5.1f} s wall; "
        f"held {engine_out.strip()}"
    )
    print(
        f"slowhttptest               : {slow_cpu:5.2f} CPU s ({slow_split}) over {slow_wall:5.1f} s wall "
        f"= {100 * slow_cpu / slow_wall:4.1f} % of one core; peak connected {max(connected, default=0)}; "
        f"exit status: {status}"
    )
    cli_ratio, engine_ratio = probe_cpu / slow_cpu, engine_cpu / slow_cpu
    print(f"ratio CLI process / slowhttptest CPU : {cli_ratio:.2f}  (target < 1.00)")
    print(f"ratio probe engine / slowhttptest CPU: {engine_ratio:.2f}  (target < 1.00)")
    print(f"probe core share: {100 * probe_cpu / probe_wall:.1f} % of one core  (target < 50 %)")
    ok = cli_ratio < 1 and probe_cpu / probe_wall < 0.5 and held == args.connections
    print("PASS" if ok else "MISS (see ratios)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
