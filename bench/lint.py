#!/usr/bin/env python3
"""Benchmark: `opskit lint` vs gixy-ng on one generated nginx config with 5,000 server blocks.

Both run as their command-line tools, on the same file, in the same run (best of N wall-clock
times). The config mixes what real gateways contain: literal and variable proxy_pass targets,
resolvers, registry locations, headers. Target: opskit < 2 s and faster than gixy-ng.

    .venv/bin/python bench/lint.py [--servers 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def generate(servers: int) -> str:
    """An nginx.conf with ``servers`` server blocks (every 10th a registry, every 4th dynamic DNS)."""
    out = [
        "worker_processes auto;",
        "events { worker_connections 1024; }",
        "http {",
        "    client_max_body_size 10m;",
        "    resolver 10.96.0.10 valid=10s ipv6=off;",
        "    resolver_timeout 5s;",
    ]
    for i in range(servers):
        out += [
            "    server {",
            f"        listen {10000 + i % 50000};",
            f"        server_name app{i}.example.com;",
        ]
        if i % 10 == 0:
            out += [
                "        client_max_body_size 0;",
                "        location /v2/ {",
                f"            proxy_pass http://10.1.{i // 250 % 250}.{i % 250}:5000;",
                "            proxy_set_header Host $http_host;",
                "            proxy_request_buffering off;",
                "        }",
            ]
        if i % 4 == 0:
            out += [
                "        location /api/ {",
                f"            set $svc{i} api{i}.team{i % 7}.svc.cluster.local;",
                f"            proxy_pass http://$svc{i}:8080;",
                "        }",
            ]
        else:
            out += [
                "        location / {",
                f"            proxy_pass http://backend{i}.internal.example.com:8080;",
                "            proxy_set_header Host $host;",
                "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                "            proxy_set_header X-Forwarded-Proto $scheme;",
                "        }",
            ]
        out += ["        location /static/ { root /srv/www; expires 7d; }", "    }"]
    out.append("}")
    return "\n".join(out) + "\n"


def best_time(argv: list[str], repeat: int) -> tuple[float, float, int]:
    """Best wall-clock time and best CPU time (user+sys of the child) over ``repeat`` runs.

    CPU time is reported too because the machine may be shared: wall time then includes waiting
    for a core, CPU time does not.
    """
    walls: list[float] = []
    cpus: list[float] = []
    code = 0
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        completed = subprocess.run(argv, capture_output=True, text=True, timeout=1800)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        code = completed.returncode
        if code not in (0, 1):
            sys.stderr.write(completed.stderr[-2000:])
            raise SystemExit(f"{argv[0]} failed with exit code {code}")
    return min(walls), min(cpus), code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    opskit = shutil.which("opskit", path=str(bin_dir)) or shutil.which("opskit")
    gixy = shutil.which("gixy", path=str(bin_dir)) or shutil.which("gixy")
    if not opskit or not gixy:
        raise SystemExit("needs `opskit` and `gixy` (pip install -e '.[bench]') next to this Python")
    with tempfile.TemporaryDirectory(prefix="opskit-bench-") as workdir:
        config = Path(workdir) / "nginx.conf"
        config.write_text(generate(args.servers))
        size_kib = config.stat().st_size / 1024
        opskit_s, opskit_cpu, opskit_code = best_time([opskit, "lint", str(config), "--format", "json"], args.repeat)
        gixy_s, gixy_cpu, gixy_code = best_time([gixy, "--format", "json", str(config)], args.repeat)
    print(
        f"config: {args.servers} server blocks, {size_kib:.0f} KiB; best of {args.repeat} runs each; "
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    )
    print(f"opskit lint : {opskit_s:7.2f} s wall, {opskit_cpu:6.2f} s CPU (exit {opskit_code})")
    print(f"gixy-ng     : {gixy_s:7.2f} s wall, {gixy_cpu:6.2f} s CPU (exit {gixy_code})")
    print(f"ratio       : opskit takes {opskit_s / gixy_s:.2f}x gixy-ng's time ({gixy_s / opskit_s:.1f}x faster)")
    print(
        f"target      : < 2 s {'met' if opskit_s < 2 else 'MISSED'}; faster than gixy-ng "
        f"{'met' if opskit_s < gixy_s else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
