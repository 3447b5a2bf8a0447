"""Loopback ports for tests that start real servers: pick a free one, wait until one accepts."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _port_free(host: str, port: int, kind: socket.SocketKind) -> bool:
    with socket.socket(_family(host), kind) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(*hosts: str, udp: bool = False) -> int:
    """A port free for TCP (and for UDP too with ``udp``) on every address given (default 127.0.0.1).

    The kernel picks a candidate on the first address; it is kept only when every other address (and
    protocol) can bind it as well, so one port number can serve "the same service on two Pods".
    """
    hosts = hosts or ("127.0.0.1",)
    kinds = [socket.SOCK_STREAM, socket.SOCK_DGRAM] if udp else [socket.SOCK_STREAM]
    for _ in range(200):
        with socket.socket(_family(hosts[0]), socket.SOCK_STREAM) as first:
            first.bind((hosts[0], 0))
            port = int(first.getsockname()[1])
        if all(_port_free(host, port, kind) for host in hosts for kind in kinds):
            return port
    raise RuntimeError(f"no port free on all of {hosts}")


def wait_for_port(
    host: str,
    port: int,
    process: subprocess.Popen[bytes] | None = None,
    log: Path | None = None,
    timeout: float = 10.0,
) -> None:
    """Return once ``host:port`` accepts a TCP connection; RuntimeError (quoting ``log``) when ``process``
    exits first or the time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection((host, port), timeout=0.2).close()
            return
        except OSError:
            if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
                text = log.read_text() if log is not None and log.exists() else ""
                raise RuntimeError(f"{host}:{port} never accepted connections: {text}") from None
            time.sleep(0.05)
