"""The rendered edge, run for real: HAProxy (`haproxy -db`) in front of tiny Python backends on loopback.

Shows what reading the config cannot: a slow-headers client is cut with 408, the backend sees exactly
one X-Forwarded-For (the real client, even when the client forges one), an IPv6 client is rate-limited
(stick table type ipv6), silent TLS clients never reach the backend, SNI clients arrive with a PROXY v2
header, and the stats password comes from the environment.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.render.edge.conftest import write_spec
from tests.support.ports import free_port, wait_for_port
from tests.support.tools import require_binary

pytestmark = pytest.mark.integration

HTTP_REQUEST_TIMEOUT_S = 2
PROXY_V2_SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"


@dataclass
class Recorder:
    """What a backend saw: the X-Forwarded-For lines of each request, or the raw bytes of each connection."""

    xff: list[list[str]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def start_http_backend(name: str, recorder: Recorder) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            with recorder.lock:
                recorder.xff.append(self.headers.get_all("X-Forwarded-For") or [])
            body = name.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def start_raw_backend(recorder: Recorder) -> socket.socket:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.settimeout(2)
            try:
                data = conn.recv(4096)
            except OSError:
                data = b""
            with recorder.lock:
                recorder.raw.append(data)
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener


@dataclass
class Edge:
    http_port: int
    tls_port: int
    stats_port: int
    password: str
    web: Recorder
    app: Recorder
    tls: Recorder
    log: Path


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Edge]:
    haproxy = require_binary("haproxy", "apt-get install haproxy")
    from typer.testing import CliRunner

    from opskit.cli.app import build_app

    web, app, tls = Recorder(), Recorder(), Recorder()
    web_server, app_server = start_http_backend("web", web), start_http_backend("app", app)
    raw_backend = start_raw_backend(tls)
    http_port, tls_port, stats_port = free_port(), free_port(), free_port()
    edge_spec = {
        "log": {"target": "stderr"},
        "timeouts": {"http_request": f"{HTTP_REQUEST_TIMEOUT_S}s", "client": "10s"},
        "http": {
            "binds": [{"address": "127.0.0.1", "port": http_port}, {"address": "::1", "port": http_port}],
            "limits": {"max_request_rate": 5, "max_connection_rate": 1000, "max_concurrent_connections": 50},
            "redirect_to_https": ["secure.example.com"],
            "user_agent_routes": [{"contains": ["iPhone", "Android"], "backend": "app"}],
            "default_backend": "web",
        },
        "tls": {
            "binds": [{"address": "127.0.0.1", "port": tls_port}],
            "inspect_delay": "1s",
            "routes": [
                {
                    "hosts": ["www.example.com"],
                    "backend": "nginx_tls",
                    "certificate": "/etc/ssl/www.crt",
                    "certificate_key": "/etc/ssl/www.key",
                }
            ],
        },
        "stats": {
            "bind": {"address": "127.0.0.1", "port": stats_port},
            "password_env": "OPSKIT_TEST_STATS_PW",
        },
        "http_backends": [
            {
                "name": "web",
                "servers": [{"name": "w1", "address": "127.0.0.1", "port": web_server.server_port}],
            },
            {
                "name": "app",
                "servers": [{"name": "a1", "address": "127.0.0.1", "port": app_server.server_port}],
            },
        ],
        "tls_backends": [
            {
                "name": "nginx_tls",
                "servers": [{"name": "n1", "address": "127.0.0.1", "port": raw_backend.getsockname()[1]}],
            }
        ],
        "nginx": {"haproxy_addresses": ["127.0.0.1"]},
    }
    directory = tmp_path_factory.mktemp("edge-live")
    spec = write_spec(directory, edge_spec)
    result = CliRunner().invoke(build_app(), ["render", str(spec), "-o", str(directory / "out")])
    assert result.exit_code == 0, result.stdout
    password = secrets.token_urlsafe(12)
    log = directory / "haproxy.log"
    env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin"), "OPSKIT_TEST_STATS_PW": password}
    with log.open("wb") as log_file:
        proc = subprocess.Popen(
            [haproxy, "-db", "-f", str(directory / "out" / "haproxy.cfg")],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        for port in (http_port, tls_port, stats_port):
            wait_for_port("127.0.0.1", port, proc, log)
        yield Edge(http_port, tls_port, stats_port, password, web, app, tls, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        web_server.shutdown()
        app_server.shutdown()
        raw_backend.close()


def connect_from(source: str, port: int, family: int = socket.AF_INET) -> socket.socket:
    """A client socket bound to ``source`` (127.0.0.x stands for distinct clients without any setup)."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(10)
    sock.bind((source, 0))
    sock.connect(("::1" if family == socket.AF_INET6 else "127.0.0.1", port))
    return sock


def read_response(sock: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not chunk:
            break
        chunks.append(chunk)
        if b"\r\n\r\n" in b"".join(chunks) and b"Content-Length: 0" not in chunks[0]:
            head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                None,
            )
            if length is not None and len(body) >= length:
                break
    return b"".join(chunks)


def request(source: str, port: int, raw: bytes, family: int = socket.AF_INET) -> bytes:
    with connect_from(source, port, family) as sock:
        sock.sendall(raw)
        return read_response(sock)


def test_slow_headers_client_is_cut_with_408_at_timeout_http_request(edge: Edge) -> None:
    with connect_from("127.0.0.3", edge.http_port) as sock:
        sock.settimeout(0.5)
        started = time.monotonic()
        sock.sendall(b"GET / HTTP/1.1\r\nHost: www.example.com\r\n")
        answer = b""
        # one header line every 0.5 s keeps `timeout client` (inactivity) from ever firing
        while time.monotonic() - started < HTTP_REQUEST_TIMEOUT_S + 5:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
            try:
                chunk = sock.recv(4096)
            except TimeoutError:
                continue
            except ConnectionResetError:
                break
            if not chunk:
                break
            answer += chunk
        elapsed = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert HTTP_REQUEST_TIMEOUT_S - 0.2 <= elapsed <= HTTP_REQUEST_TIMEOUT_S + 1.5, elapsed


def test_backend_sees_exactly_one_x_forwarded_for_even_when_forged(edge: Edge) -> None:
    before = len(edge.web.xff)
    answer = request(
        "127.0.0.2",
        edge.http_port,
        (
            b"GET / HTTP/1.1\r\nHost: www.example.com\r\n"
            b"X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-For: 198.51.100.1, 192.0.2.7\r\n"
            b"Connection: close\r\n\r\n"
        ),
    )
    assert answer.split(b" ", 2)[1] == b"200", answer
    assert edge.web.xff[before:] == [["127.0.0.2"]]


def test_routing_redirects_and_user_agents(edge: Edge) -> None:
    redirect = request(
        "127.0.0.4",
        edge.http_port,
        b"GET /login?next=%2F HTTP/1.1\r\nHost: Secure.Example.com:80\r\nConnection: close\r\n\r\n",
    )
    assert redirect.startswith(b"HTTP/1.1 301"), redirect
    assert b"\r\nlocation: https://secure.example.com/login?next=%2F\r\n" in redirect
    phone = request(
        "127.0.0.4",
        edge.http_port,
        b"GET / HTTP/1.1\r\nHost: www.example.com\r\n"
        b"User-Agent: Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)\r\nConnection: close\r\n\r\n",
    )
    assert phone.endswith(b"app"), phone
    desktop = request(
        "127.0.0.4",
        edge.http_port,
        b"GET / HTTP/1.1\r\nHost: www.example.com\r\n"
        b"User-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nConnection: close\r\n\r\n",
    )
    assert desktop.endswith(b"web"), desktop


def test_ipv6_client_is_tracked_and_rate_limited(edge: Edge) -> None:
    statuses = []
    for _ in range(8):
        answer = request(
            "::1",
            edge.http_port,
            b"GET / HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n",
            socket.AF_INET6,
        )
        statuses.append(int(answer.split(b" ", 2)[1]))
    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429] * 3


def client_hello(server_name: str) -> bytes:
    context = ssl.create_default_context()
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname=server_name)
    with pytest.raises(ssl.SSLWantReadError):
        tls.do_handshake()
    return outgoing.read()


def test_silent_tls_client_is_rejected_and_sni_client_gets_proxy_v2(edge: Edge) -> None:
    before = len(edge.tls.raw)
    with connect_from("127.0.0.5", edge.tls_port) as silent:
        silent.settimeout(5)
        started = time.monotonic()
        try:
            closed = silent.recv(1) == b""
        except ConnectionResetError:
            closed = True
        waited = time.monotonic() - started
    assert closed and waited < 3, waited
    with connect_from("127.0.0.5", edge.tls_port) as sni:
        sni.sendall(client_hello("www.example.com"))
        deadline = time.monotonic() + 5
        while len(edge.tls.raw) == before and time.monotonic() < deadline:
            time.sleep(0.05)
    received = edge.tls.raw[before:]
    assert len(received) == 1, "only the SNI client may reach the backend"
    assert received[0].startswith(PROXY_V2_SIGNATURE)


def test_stats_password_comes_from_the_environment(edge: Edge) -> None:
    anonymous = request("127.0.0.6", edge.stats_port, b"GET / HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n")
    assert anonymous.startswith(b"HTTP/1.1 401"), anonymous
    token = base64.b64encode(f"admin:{edge.password}".encode())
    allowed = request(
        "127.0.0.6",
        edge.stats_port,
        b"GET / HTTP/1.1\r\nHost: s\r\nAuthorization: Basic " + token + b"\r\nConnection: close\r\n\r\n",
    )
    assert allowed.startswith(b"HTTP/1.1 200"), allowed[:200]


def test_slowhttptest_slow_headers_finds_no_open_connections(edge: Edge) -> None:
    """The tool from the incident: every slow-headers connection is closed well before the test ends."""
    tool = require_binary("slowhttptest", "apt-get install slowhttptest")
    done = subprocess.run(
        [
            tool,
            "-H",
            "-c",
            "20",
            "-r",
            "20",
            "-i",
            "1",
            "-l",
            "15",
            "-p",
            "2",
            "-u",
            f"http://127.0.0.1:{edge.http_port}/",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", done.stdout + done.stderr)
    verdict = re.search(r"Exit status:\s*(.+)", output)
    assert verdict is not None, output
    assert verdict.group(1).strip() == "No open connections left", output
