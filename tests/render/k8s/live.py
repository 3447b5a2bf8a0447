"""Real processes for the k8s gateway run: dnsmasq as the cluster DNS, echo backends as Pods, nginx.

Everything binds loopback only, on ports picked at run time, in 0755 directories made by mkdtemp
(dnsmasq and nginx workers drop to `nobody` and cannot enter pytest's 0700 tmp_path).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def make_world_readable_dir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    path.chmod(0o755)
    return path


def _port_free(host: str, port: int, kind: int) -> bool:
    with socket.socket(socket.AF_INET, kind) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(*hosts: str, udp: bool = False) -> int:
    """A port free for TCP (and UDP if asked) on every host given; the kernel picks the first candidate."""
    for _ in range(200):
        with socket.socket() as first:
            first.bind((hosts[0], 0))
            port = int(first.getsockname()[1])
        kinds = [socket.SOCK_STREAM] + ([socket.SOCK_DGRAM] if udp else [])
        if all(_port_free(h, port, k) for h in hosts for k in kinds):
            return port
    raise RuntimeError(f"no common free port on {hosts}")


def wait_for_tcp(host: str, port: int, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class _EchoHandler(BaseHTTPRequestHandler):
    backend_name = "?"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.dumps(
            {"backend": self.backend_name, "uri": self.path, "host": self.headers.get("Host")}
        ).encode()
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


@dataclass
class Dnsmasq:
    process: subprocess.Popen[bytes]
    hosts_file: Path
    port: int

    def answer(self, records: dict[str, str]) -> None:
        """Replace every A record and make dnsmasq reload them (SIGHUP re-reads --addn-hosts)."""
        tmp = self.hosts_file.with_suffix(".new")
        tmp.write_text("".join(f"{address} {name}\n" for name, address in sorted(records.items())))
        tmp.chmod(0o644)
        os.replace(tmp, self.hosts_file)
        self.process.send_signal(signal.SIGHUP)

    def wait_until_answers(self, name: str, address: str, timeout: float = 5.0) -> None:
        import dns.resolver

        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = ["127.0.0.1"]
        resolver.port = self.port
        resolver.lifetime = 0.5
        deadline = time.monotonic() + timeout
        while True:
            try:
                if [r.to_text() for r in resolver.resolve(name, "A")] == [address]:
                    return
            except Exception:  # noqa: BLE001 (not ready yet: refused, timeout, NXDOMAIN)
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"dnsmasq did not answer {name} -> {address}")
            time.sleep(0.05)


@contextmanager
def dnsmasq(binary: str, directory: Path, records: dict[str, str]) -> Iterator[Dnsmasq]:
    hosts_file = directory / "hosts"
    hosts_file.write_text("".join(f"{address} {name}\n" for name, address in sorted(records.items())))
    hosts_file.chmod(0o644)
    port = free_port("127.0.0.1", udp=True)
    process = subprocess.Popen(
        [
            binary,
            "-k",
            "-C",
            "/dev/null",
            "--no-resolv",
            "--no-hosts",
            "--bind-interfaces",
            "--listen-address=127.0.0.1",
            f"--port={port}",
            f"--addn-hosts={hosts_file}",
            f"--pid-file={directory / 'dnsmasq.pid'}",
            "--log-facility=-",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield Dnsmasq(process, hosts_file, port)
    finally:
        process.terminate()
        process.wait(timeout=5)


NGINX_WRAPPER = """\
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {conf};
}}
"""


# Private mount namespace whose /etc/hosts is ours: nginx resolves literal upstream names at start-up.
_WITH_HOSTS = 'mount --bind "$1" /etc/hosts && shift && exec "$@"'


@contextmanager
def nginx_running(
    binary: str, directory: Path, gateway_conf: str, host: str, port: int, hosts_file: Path | None = None
) -> Iterator[Path]:
    """Run the rendered http{}-level file inside a minimal nginx.conf, the way an image includes conf.d.

    With ``hosts_file``, nginx runs in a private mount namespace where that file is /etc/hosts (the
    host's own file is untouched; the network namespace is shared, so loopback backends answer).
    """
    conf = directory / "nginx-k8s-gateway.conf"
    conf.write_text(gateway_conf)
    wrapper = directory / "nginx.conf"
    wrapper.write_text(NGINX_WRAPPER.format(prefix=directory, conf=conf))
    argv = [binary, "-p", f"{directory}/", "-c", str(wrapper), "-e", str(directory / "error.log")]
    argv += ["-g", "daemon off;"]
    if hosts_file is not None:
        isolation = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", _WITH_HOSTS, "sh"]
        argv = [*isolation, str(hosts_file), *argv]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        try:
            wait_for_tcp(host, port)
        except OSError:
            process.kill()
            log = (directory / "error.log").read_text() if (directory / "error.log").exists() else ""
            raise RuntimeError(f"nginx did not start: {log}") from None
        yield directory / "error.log"
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
