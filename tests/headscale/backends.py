"""Tiny HTTP backends standing in for two headscale instances: plain GETs answer with the backend's
name; ``POST /ts2021`` with ``Upgrade: tailscale-control-protocol`` answers 101 and then keeps a
long-lived tunnel that prefixes every line it echoes with the backend's name."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Backend:
    name: str
    host: str
    port: int = 0
    upgraded: int = 0
    _server: socket.socket | None = None
    _threads: list[threading.Thread] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> Backend:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((self.host, 0))
        server.listen(64)
        self.port = server.getsockname()[1]
        self._server = server
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.close()

    def _accept(self) -> None:
        assert self._server is not None
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            reader = conn.makefile("rb")
            try:
                while True:
                    request_line = reader.readline()
                    if not request_line:
                        return
                    headers = {}
                    while (line := reader.readline()) not in (b"\r\n", b"\n", b""):
                        key, _, value = line.decode().partition(":")
                        headers[key.strip().lower()] = value.strip()
                    if request_line.startswith(b"POST /ts2021") and "upgrade" in headers:
                        self.upgraded += 1
                        conn.sendall(
                            b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                            b"Upgrade: tailscale-control-protocol\r\n\r\n" + f"hello from {self.name}\n".encode()
                        )
                        while data := reader.readline():
                            conn.sendall(f"{self.name}: ".encode() + data)
                        return
                    body = f"{self.name}\n".encode()
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                        + str(len(body)).encode()
                        + b"\r\n\r\n"
                        + body
                    )
            except OSError:
                return


UPGRADE_REQUEST = (
    "POST /ts2021 HTTP/1.1\r\nHost: {host}\r\nConnection: Upgrade\r\nUpgrade: tailscale-control-protocol\r\n"
    "Content-Length: 0\r\n\r\n"
)


@dataclass
class Tunnel:
    sock: socket.socket
    reader: Any

    def echo(self, text: str) -> str:
        self.sock.sendall(text.encode() + b"\n")
        return str(self.reader.readline().decode().strip())

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


def open_tunnel(source_ip: str, port: int, host: str, timeout: float = 5.0) -> tuple[Tunnel, str]:
    """A Tailscale-like long-lived upgraded connection from ``source_ip``; returns it and the greeting."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source_ip, 0))
    sock.sendall(UPGRADE_REQUEST.format(host=host).encode())
    reader = sock.makefile("rb")
    status = reader.readline()
    if b" 101 " not in status:
        raise AssertionError(f"no upgrade: {status!r}")
    while reader.readline() not in (b"\r\n", b""):
        pass
    greeting = reader.readline().decode().strip()
    return Tunnel(sock, reader), greeting


@dataclass
class ReconnectingClient:
    """Keeps one upgraded tunnel open like tailscaled does, reconnecting when it is cut; records the
    greeting (= which backend) of every connection it made."""

    source_ip: str
    port: int
    host: str
    greetings: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> ReconnectingClient:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                tunnel, greeting = open_tunnel(self.source_ip, self.port, self.host)
            except (OSError, AssertionError):
                self._stop.wait(0.05)
                continue
            self.greetings.append(greeting)
            tunnel.sock.settimeout(0.2)
            while not self._stop.is_set():
                try:
                    if not tunnel.sock.recv(4096):
                        break  # closed by the other side: reconnect, like a Tailscale client
                except TimeoutError:
                    continue
                except OSError:
                    break
            tunnel.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
