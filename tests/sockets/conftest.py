"""Real loopback servers and clients for the sockets tests.

The server runs in a subprocess so that "which process owned what was cut" has a distinct answer:
server sockets belong to it, client sockets to the test process. Every port comes from bind(0).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

# Echo server: binds each LABEL=ADDRESS on port 0, prints {"label": port}, echoes every byte.
SERVER_SCRIPT = r"""
import json, socket, sys, threading
def serve(listener):
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=echo, args=(conn,), daemon=True).start()
def echo(conn):
    keep.append(conn)
    try:
        while True:
            data = conn.recv(4096)
            if not data:
                return
            conn.sendall(data)
    except OSError:
        return
keep = []
ports = {}
for label_address in sys.argv[1:]:
    label, address = label_address.split("=", 1)
    if ":" in address:
        family = socket.AF_INET6
        listener = socket.socket(family, socket.SOCK_STREAM)
        # ::ffff:127.0.0.1 makes a dual-stack socket whose IPv4 peers appear v4-mapped
        listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0 if "ffff" in address else 1)
    else:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((address, 0))
    listener.listen(512)
    ports[label] = listener.getsockname()[1]
    threading.Thread(target=serve, args=(listener,), daemon=True).start()
print(json.dumps(ports), flush=True)
sys.stdin.read()
"""


@dataclass
class EchoServer:
    process: subprocess.Popen[str]
    ports: dict[str, int]
    addresses: dict[str, str]
    clients: list[socket.socket] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def connect(self, label: str, client_address: str) -> socket.socket:
        """A client bound to ``client_address`` (a loopback alias) connected to listener ``label``."""
        server_address = self.addresses[label]
        family = socket.AF_INET6 if ":" in client_address else socket.AF_INET
        client = socket.socket(family, socket.SOCK_STREAM)
        client.settimeout(3)
        client.bind((client_address, 0))
        target = "127.0.0.1" if server_address.startswith("::ffff:") else server_address
        client.connect((target, self.ports[label]))
        assert_alive(client)  # also proves the server accepted it
        self.clients.append(client)
        return client


def assert_alive(client: socket.socket) -> None:
    """The connection still carries data both ways."""
    client.sendall(b"ping")
    assert client.recv(4) == b"ping"


def was_reset(client: socket.socket) -> bool:
    """True when the peer reset the connection (RST → ECONNRESET, or EOF)."""
    try:
        client.sendall(b"ping")
        return client.recv(4) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True


LISTENERS = {"v4": "127.0.0.1", "v4other": "127.0.0.1", "v6": "::1", "dual": "::ffff:127.0.0.1"}


@pytest.fixture
def echo_server() -> Iterator[EchoServer]:
    """A fresh echo server with the LISTENERS: 127.0.0.1 twice (two ports), ::1, dual-stack."""
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT, *(f"{k}={v}" for k, v in LISTENERS.items())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    server = EchoServer(process, json.loads(process.stdout.readline()), dict(LISTENERS))
    try:
        yield server
    finally:
        for client in server.clients:
            client.close()
        process.kill()
        process.wait(timeout=5)


def as_nobody(setpriv: str) -> list[str]:
    """Run as user nobody, able to read and traverse this checkout and its venv (which may sit under a 0700
    directory such as /root or a mkdtemp CI folder) but holding no other capability: CAP_DAC_READ_SEARCH
    grants file reads only, so the test still proves what an unprivileged user (no CAP_NET_ADMIN) sees."""
    return [
        setpriv,
        "--reuid=nobody",
        "--regid=nogroup",
        "--clear-groups",
        "--inh-caps=+dac_read_search",
        "--ambient-caps=+dac_read_search",
        "--",
    ]
