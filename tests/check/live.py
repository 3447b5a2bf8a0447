"""Real components for the check/probe tests: a Harbor stand-in, backends and HAProxy on loopback
(nginx, dnsmasq and ports come from tests/support).

Everything binds 127.0.0.x on ports picked at runtime, lives in its own mkdtemp prefix and is stopped
by the fixture that started it (by its own Popen handle, never by name).
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from opskit.core.spec.harbor import HarborVersion
from tests.support.ports import wait_for_port

TOKEN_PATH = "/service/token"


@dataclass
class HarborStandIn:
    """Answers like Harbor core for one release: the realm rule, token service, ping, health, systeminfo.

    ``>= 2.14``: realm = external_url's scheme + the Host header received; older: external_url verbatim.
    """

    version: HarborVersion
    external_url: str
    user: str = "admin"
    password: str = "Harbor12345"
    seen_hosts: list[str] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    def realm(self, host_header: str) -> str:
        if self.version >= HarborVersion(2, 14, 0) and host_header:
            scheme = self.external_url.split("://", 1)[0]
            return f"{scheme}://{host_header}{TOKEN_PATH}"
        return f"{self.external_url}{TOKEN_PATH}"

    def start(self) -> int:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                host = self.headers.get("Host", "")
                standin.seen_hosts.append(host)
                authorization = self.headers.get("Authorization", "")
                path = self.path.split("?", 1)[0]
                if path == "/v2/" or path.startswith("/v2/"):
                    if authorization == "Bearer standin-token":
                        self._send(200, b"{}", {"Docker-Distribution-Api-Version": "registry/2.0"})
                    elif authorization:
                        self._send(401, b"{}", {"Www-Authenticate": 'Basic realm="harbor"'})
                    else:
                        challenge = f'Bearer realm="{standin.realm(host)}",service="harbor-registry"'
                        self._send(
                            401,
                            b'{"errors":[{"code":"UNAUTHORIZED"}]}',
                            {"Www-Authenticate": challenge, "Docker-Distribution-Api-Version": "registry/2.0"},
                        )
                elif path == TOKEN_PATH:
                    expected = base64.b64encode(f"{standin.user}:{standin.password}".encode()).decode()
                    if authorization == f"Basic {expected}":
                        self._send(200, json.dumps({"token": "standin-token", "expires_in": 1800}).encode())
                    else:
                        self._send(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"unauthorized"}]}')
                elif path == "/api/v2.0/ping":
                    self._send(200, b"Pong", {"Content-Type": "text/plain"})
                elif path == "/api/v2.0/health":
                    names = ("core", "database", "jobservice", "portal", "redis", "registry", "registryctl")
                    document = {"status": "healthy", "components": [{"name": n, "status": "healthy"} for n in names]}
                    self._send(200, json.dumps(document).encode(), {"Content-Type": "application/json"})
                elif path == "/api/v2.0/systeminfo":
                    document = {"auth_mode": "db_auth", "harbor_version": f"v{standin.version}-standin"}
                    self._send(200, json.dumps(document).encode(), {"Content-Type": "application/json"})
                else:
                    self._send(200, b"<html>portal</html>", {"Content-Type": "text/html"})

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return int(self.server.server_address[1])

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


class BackendServer:
    """A tiny HTTP server that answers every GET with its own name (a "Pod" on 127.0.0.x)."""

    def __init__(self, address: str, port: int, name: str) -> None:
        body = name.encode()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer((address, port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Haproxy:
    binary: str
    prefix: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self, cfg_text: str, wait_port: int) -> None:
        cfg = self.prefix / "haproxy.cfg"
        cfg.write_text(cfg_text)
        self.process = subprocess.Popen(
            [self.binary, "-db", "-f", str(cfg)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for_port("127.0.0.1", wait_port, self.process, None)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


Stopper = Callable[[], None]
