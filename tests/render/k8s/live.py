"""Echo backends standing for Pods, and the nginx.conf around a rendered gateway, for the k8s runs.

nginx, dnsmasq (the cluster DNS) and ports come from tests/support; everything binds loopback only.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support.nginx import nginx_main_conf


class _EchoHandler(BaseHTTPRequestHandler):
    backend_name = "?"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.dumps({"backend": self.backend_name, "uri": self.path, "host": self.headers.get("Host")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


@contextmanager
def echo_backend(name: str, host: str, port: int) -> Iterator[ThreadingHTTPServer]:
    """A tiny HTTP server standing for one Pod: answers with its name and the request URI it received."""
    handler = type(f"Echo_{name}", (_EchoHandler,), {"backend_name": name})
    server = ThreadingHTTPServer((host, port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def gateway_main_conf(prefix: Path, gateway_conf: str) -> str:
    """Write the rendered http{}-level file into ``prefix`` and return an nginx.conf that includes it,
    the way an image includes conf.d."""
    conf = prefix / "nginx-k8s-gateway.conf"
    conf.write_text(gateway_conf)
    return nginx_main_conf(prefix, f"    include {conf};")


def get_json(host: str, port: int, path: str) -> tuple[int, dict[str, str] | str]:
    import http.client

    connection = http.client.HTTPConnection(host, port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode()
        if response.getheader("Content-Type") == "application/json":
            return response.status, json.loads(body)
        return response.status, body
    finally:
        connection.close()
