"""`opskit probe slowloris` against the HAProxy edge `opskit render` produces (scenario §2).

A loopback test spec shaped like examples/haproxy-edge.yaml goes through `opskit render`; HAProxy runs
the rendered haproxy.cfg, whose :80 frontend cuts slow headers at `timeout http-request` with 408.
The unprotected variant is that rendered file with the one line removed by hand (the incident's :80).
The real slowhttptest runs against the same HAProxy at the same time, and its verdict (the
`Exit status:` line) must agree with the probe's: "No open connections left" = protected,
"Hit test time limit" = unprotected.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.check.live import BackendServer, Haproxy
from tests.support.nginx import public_prefix
from tests.support.ports import free_port
from tests.support.tools import require_binary

pytestmark = pytest.mark.integration

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def render_edge(cli: Any, prefix: Path, port: int, backend_port: int, per_source_limit: int = 500) -> str:
    """haproxy.cfg from `opskit render` for a loopback test spec shaped like examples/haproxy-edge.yaml."""
    spec = {
        "spec_version": 1,
        "site": "edge-probe",
        "edge": {
            "timeouts": {
                "connect": "5s",
                "client": "30s",
                "server": "30s",
                "http_request": "3s",
                "http_keep_alive": "3s",
            },
            "http": {
                "binds": [{"address": "127.0.0.1", "port": port}],
                # Room for the probe and slowhttptest from the same source at once.
                "limits": {
                    "max_concurrent_connections": per_source_limit,
                    "max_connection_rate": 1000,
                    "max_request_rate": 1000,
                },
                "default_backend": "be_nginx_http",
            },
            "http_backends": [
                {"name": "be_nginx_http", "servers": [{"name": "nginx1", "address": "127.0.0.1", "port": backend_port}]}
            ],
            "nginx": {"haproxy_addresses": ["127.0.0.1"]},
        },
    }
    spec_file = prefix / "edge-probe.yaml"
    spec_file.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = cli(["render", str(spec_file), "-o", str(prefix / "out")])
    assert result.exit_code == 0, result.stdout + result.stderr
    return (prefix / "out" / "haproxy.cfg").read_text()


# The incident's :80 (scenario §2): only `timeout client`, an inactivity timer each header line resets.
UNPROTECTED = ("    timeout http-request 3s\n", "")


@pytest.fixture
def edge(cli: Any) -> Iterator[Any]:
    binary = require_binary("haproxy", "apt-get install haproxy")
    started: list[Any] = []

    def start(protected: bool, per_source_limit: int = 500) -> int:
        backend_port = free_port()
        backend = BackendServer("127.0.0.1", backend_port, "nginx-stand-in")
        started.append(backend)
        port = free_port()
        prefix = public_prefix()
        cfg = render_edge(cli, prefix, port, backend_port, per_source_limit)
        if not protected:
            # The unprotected variant is the rendered file with its header deadline removed by hand.
            assert cfg.count(UNPROTECTED[0]) == 1, cfg
            cfg = cfg.replace(*UNPROTECTED)
        haproxy = Haproxy(binary, prefix)
        haproxy.start(cfg, port)
        started.append(haproxy)
        return port

    yield start
    for component in reversed(started):
        component.stop()


def start_slowhttptest(port: int, seconds: int) -> subprocess.Popen[str]:
    binary = require_binary("slowhttptest", "apt-get install slowhttptest")
    return subprocess.Popen(
        [
            binary,
            "-H",
            "-c",
            "30",
            "-r",
            "30",
            "-i",
            "1",
            "-l",
            str(seconds),
            "-p",
            "3",
            "-u",
            f"http://127.0.0.1:{port}/",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def slowhttptest_exit_status(process: subprocess.Popen[str]) -> str:
    output, _ = process.communicate(timeout=60)
    lines = [ANSI.sub("", line) for line in output.splitlines() if "Exit status:" in line]
    assert lines, output[-2000:]
    return lines[-1].split("Exit status:", 1)[1].strip()


def test_protected_edge_cuts_every_connection_with_408(cli: Any, edge: Any) -> None:
    port = edge(protected=True)
    slow = start_slowhttptest(port, 8)
    result = cli(
        [
            "probe",
            "slowloris",
            f"http://127.0.0.1:{port}/",
            "-c",
            "40",
            "-i",
            "1",
            "-t",
            "8",
            "--expect-cut-within",
            "5",
            "--format",
            "json",
        ]
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 0, report["summary"]
    assert report["verdict"] == "protected"
    assert report["endings"]["408"] == 40
    assert 2.5 <= report["cut_lifetimes"]["p50"] <= 4.0  # HAProxy cuts at the 3 s deadline
    assert report["cut_lifetimes"]["max"] <= 5.0
    assert all(c["status"] == 408 for c in report["per_connection"])
    assert slowhttptest_exit_status(slow).startswith("No open connections left")


def test_unprotected_edge_holds_every_connection(cli: Any, edge: Any) -> None:
    port = edge(protected=False)
    slow = start_slowhttptest(port, 8)
    result = cli(
        ["probe", "slowloris", f"http://127.0.0.1:{port}/", "-c", "40", "-i", "1", "-t", "7", "--format", "json"]
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert report["verdict"] == "vulnerable"
    assert report["endings"]["held"] == 40
    assert report["lifetimes"]["p50"] >= 6.0
    assert all(c["lines_sent"] >= 5 for c in report["per_connection"])  # the trickle really went out
    assert "timeout http-request" in report["explanation"]
    assert slowhttptest_exit_status(slow).startswith("Hit test time limit")


def test_too_slow_deadline_fails_the_expectation(cli: Any, edge: Any) -> None:
    port = edge(protected=True)
    result = cli(
        ["probe", "slowloris", f"http://127.0.0.1:{port}/", "-c", "5", "-i", "1", "-t", "6", "--expect-cut-within", "2"]
    )
    assert result.exit_code == 1
    assert "TOO SLOW" in result.stdout
    assert "--expect-cut-within 2 s" in result.stdout


def test_closed_port_is_inconclusive(cli: Any) -> None:
    port = free_port()
    result = cli(["probe", "slowloris", f"http://127.0.0.1:{port}/", "-c", "3", "-t", "2", "--format", "json"])
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert report["verdict"] == "inconclusive"
    assert report["endings"]["refused"] == 3


def test_target_outside_loopback_needs_yes_and_sends_nothing(cli: Any) -> None:
    # 192.0.2.10 (TEST-NET-1) is an inert documentation address: without --yes nothing is contacted.
    result = cli(["probe", "slowloris", "http://192.0.2.10:8080/x", "-c", "2"])
    assert result.exit_code == 2
    assert "nothing was sent" in result.stderr
    assert "b'GET /x HTTP/1.1\\r\\nHost: 192.0.2.10:8080\\r\\nUser-Agent: opskit-probe-slowloris" in result.stderr
    assert "X-Opskit-Slow-1: 1" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ftp://127.0.0.1/"], "must be an http:// or https:// URL"),
        (["http://127.0.0.1/", "-c", "0"], "--connections must be 1..5000"),
        (["http://127.0.0.1/", "-c", "6000"], "--connections must be 1..5000"),
        (["http://127.0.0.1/", "-t", "5", "--expect-cut-within", "9"], "--expect-cut-within must be"),
        (["http://127.0.0.1:99999/"], "invalid port"),
    ],
)
def test_bad_input_is_one_paragraph_and_exit_2(cli: Any, args: list[str], message: str) -> None:
    result = cli(["probe", "slowloris", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_nginx_over_tls_closes_without_response_at_client_header_timeout(cli: Any) -> None:
    """nginx as the first HTTP parser: client_header_timeout cuts silently (EOF, no 408 on the wire)."""
    from tests.support.certs import make_certificate
    from tests.support.nginx import Nginx, nginx_main_conf

    nginx_binary = require_binary("nginx", "apt-get install nginx")
    openssl = require_binary("openssl", "apt-get install openssl")
    prefix = public_prefix()
    cert, key = make_certificate(openssl, prefix, "edge.example.test")
    port = free_port()
    nginx = Nginx(nginx_binary, prefix)
    body = (
        f"    server {{\n        listen 127.0.0.1:{port} ssl;\n        ssl_certificate {cert};\n"
        f"        ssl_certificate_key {key};\n        client_header_timeout 2s;\n"
        "        location / { return 200 ok; }\n    }\n"
    )
    nginx.start(nginx_main_conf(prefix, body), "127.0.0.1", port)
    try:
        result = cli(
            [
                "probe",
                "slowloris",
                f"https://127.0.0.1:{port}/",
                "-c",
                "10",
                "-i",
                "0.5",
                "-t",
                "6",
                "--expect-cut-within",
                "4",
                "--format",
                "json",
            ]
        )
    finally:
        nginx.stop()
    report = json.loads(result.stdout)
    assert result.exit_code == 0, report["summary"]
    assert report["endings"]["eof"] == 10
    assert 1.5 <= report["cut_lifetimes"]["p50"] <= 3.5
    assert all(c["status"] is None and c["lines_sent"] >= 2 for c in report["per_connection"])


def test_rendered_per_source_limit_rejects_the_surplus_at_once(cli: Any, edge: Any) -> None:
    """max_concurrent_connections 20: the probe's connections beyond it are reset at once."""
    port = edge(protected=True, per_source_limit=20)
    result = cli(
        [
            "probe",
            "slowloris",
            f"http://127.0.0.1:{port}/",
            "-c",
            "30",
            "-i",
            "1",
            "-t",
            "6",
            "--rate",
            "1000",
            "--format",
            "json",
        ]
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 0
    # `reject if { sc0_conn_cur gt 20 }` counts the new connection: 20 stay (and get their 408), the
    # other 10 are reset by HAProxy at once, silently and unlogged: depending on timing the reset
    # arrives during the handshake (refused) or right after it (before any header line).
    assert report["endings"]["408"] == 20
    at_once = [c for c in report["per_connection"] if c["lines_sent"] == 0 and c["lifetime"] < 0.5]
    assert len(at_once) == 10 and all(c["ending"] in ("refused", "rst", "eof") for c in at_once)
    assert "per-source connection limit" in report["explanation"]
