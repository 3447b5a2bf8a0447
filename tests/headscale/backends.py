"""Tiny HTTP backends standing in for two headscale instances: plain GETs answer with the backend's
name; ``POST /ts2021`` with ``Upgrade: tailscale-control-protocol`` answers 101 and then keeps a
long-lived tunnel that prefixes every line it echoes with the backend's name."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field


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
                            b"Upgrade: tailscale-control-protocol\r\n\r\n"
                            + f"hello from {self.name}\n".encode()
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
