"""Sockets for `opskit probe slowloris`: many slow connections on one selector loop, bounded in time.

Plain non-blocking sockets on one epoll selector, one small state object per connection and one
shared tick that sends the next header line on every open connection at once (as slowhttptest
does): no task, future or timer per connection, so holding 1,000 connections costs little CPU.
An asyncio version of the same probe spent most of its time in per-connection event-loop machinery.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import resource
import selectors
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass

from opskit.core.probe.slowloris import ConnectionResult, Ending, ProbePlan
from opskit.errors import EnvironmentProblem, InputError

CONNECT_TIMEOUT = 10.0


def resolve_target(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the probe uses the first; all decide whether --yes is needed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise InputError.option("URL", f"cannot resolve {host!r}: {error.strerror}") from None
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def all_loopback(addresses: list[str]) -> bool:
    return bool(addresses) and all(ipaddress.ip_address(a.split("%", 1)[0]).is_loopback for a in addresses)


def ensure_file_limit(connections: int) -> None:
    """Raise the soft RLIMIT_NOFILE so every connection gets a descriptor (never above the hard limit)."""
    needed = connections + 64
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed or soft == resource.RLIM_INFINITY:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise EnvironmentProblem(
            f"{connections} connections need {needed} file descriptors but the hard limit is {hard}.",
            hint="Lower --connections or raise the limit (ulimit -Hn / LimitNOFILE).",
        )
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


@dataclass
class Progress:
    """Counts the CLI shows while the probe runs."""

    started: int = 0
    open: int = 0
    cut: int = 0
    refused: int = 0
    elapsed: float = 0.0


class _State:
    CONNECTING = 0
    HANDSHAKE = 1
    OPEN = 2


class _Connection:
    __slots__ = ("index", "sock", "state", "started", "connected_at", "lines_sent", "first_bytes", "reset", "ended")

    def __init__(self, index: int, sock: socket.socket, started: float) -> None:  # started: monotonic
        self.index = index
        self.sock: socket.socket = sock
        self.state = _State.CONNECTING
        self.started = started
        self.connected_at = started
        self.lines_sent = 0
        self.first_bytes = b""
        self.reset = False
        self.ended = False


def _status_of(first_bytes: bytes) -> int | None:
    parts = first_bytes.split(b" ", 2)
    if len(parts) >= 2 and parts[0].startswith(b"HTTP/") and parts[1].isdigit():
        return int(parts[1])
    return None


class _Probe:
    def __init__(self, plan: ProbePlan, address: str, on_progress: Callable[[Progress], None] | None) -> None:
        self.plan = plan
        self.address = address
        self.family = socket.AF_INET6 if ":" in address else socket.AF_INET
        self.on_progress = on_progress
        self.progress = Progress()
        self.selector = selectors.DefaultSelector()
        self.live: dict[int, _Connection] = {}  # by file descriptor, until the connection ends
        self.results: list[ConnectionResult] = []
        self.head = plan.request_head()
        self.ticks = 0
        self.origin = time.monotonic()  # reset when run() starts; result times are relative to it
        self.interrupted = False
        self.ssl_context: ssl.SSLContext | None = None
        if plan.scheme == "https":
            # The probe judges the server's header deadline, not its certificate.
            self.ssl_context = ssl.create_default_context()
            self.ssl_context.check_hostname = False
            self.ssl_context.verify_mode = ssl.CERT_NONE

    def open(self, index: int, now: float) -> None:
        self.progress.started += 1
        sock = socket.socket(self.family, socket.SOCK_STREAM)
        sock.setblocking(False)
        code = sock.connect_ex((self.address, self.plan.port))
        if code not in (0, errno.EINPROGRESS):
            sock.close()
            self.progress.refused += 1
            self.results.append(
                ConnectionResult(index, Ending.REFUSED, 0.0, 0, None, os.strerror(code), now - self.origin)
            )
            return
        connection = _Connection(index, sock, now)
        self.live[sock.fileno()] = connection
        self.selector.register(sock, selectors.EVENT_WRITE, connection)

    def end(self, connection: _Connection, now: float, ending: Ending | None = None, error: str = "") -> None:
        connection.ended = True
        self.selector.unregister(connection.sock)
        del self.live[connection.sock.fileno()]
        connection.sock.close()
        if ending is Ending.REFUSED:
            self.progress.refused += 1
            self.results.append(
                ConnectionResult(
                    connection.index, ending, now - connection.started, 0, None, error, connection.started - self.origin
                )
            )
            return
        status = _status_of(connection.first_bytes)
        if ending is None:
            if status == 408:
                ending = Ending.HTTP_408
            elif status is not None:
                ending = Ending.OTHER_RESPONSE
            else:
                ending = Ending.RST if connection.reset else Ending.EOF
        if ending is not Ending.HELD:
            self.progress.open -= 1
            self.progress.cut += 1
        lifetime = now - connection.connected_at
        self.results.append(
            ConnectionResult(
                connection.index,
                ending,
                lifetime,
                connection.lines_sent,
                status,
                error,
                connection.started - self.origin,
                connection.connected_at - self.origin,
            )
        )

    def established(self, connection: _Connection, now: float) -> None:
        connection.state = _State.OPEN
        self.progress.open += 1
        self.send(connection, self.head, now)
        if not connection.ended:
            self.selector.modify(connection.sock, selectors.EVENT_READ, connection)

    def send(self, connection: _Connection, data: bytes, now: float) -> None:
        try:
            connection.sock.send(data)
        except (BlockingIOError, ssl.SSLWantWriteError, ssl.SSLWantReadError):
            return  # the server stopped reading: skip this line, the next tick tries again
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError, OSError) as error:
            connection.reset = isinstance(error, ConnectionResetError | BrokenPipeError)
            self.end(connection, now, error=str(error))

    def handle(self, connection: _Connection, now: float) -> None:
        if connection.state == _State.CONNECTING:
            code = connection.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code:
                self.end(connection, now, Ending.REFUSED, os.strerror(code))
                return
            connection.connected_at = now
            if self.ssl_context is None:
                self.established(connection, now)
                return
            fd = connection.sock.fileno()
            self.selector.unregister(connection.sock)
            connection.sock = self.ssl_context.wrap_socket(
                connection.sock, server_hostname=self.plan.host, do_handshake_on_connect=False
            )
            self.live[fd] = connection
            self.selector.register(connection.sock, selectors.EVENT_WRITE, connection)
            connection.state = _State.HANDSHAKE
        if connection.state == _State.HANDSHAKE:
            assert isinstance(connection.sock, ssl.SSLSocket)
            try:
                connection.sock.do_handshake()
            except ssl.SSLWantReadError:
                self.selector.modify(connection.sock, selectors.EVENT_READ, connection)
                return
            except ssl.SSLWantWriteError:
                self.selector.modify(connection.sock, selectors.EVENT_WRITE, connection)
                return
            except (ssl.SSLError, OSError) as error:
                self.end(connection, now, Ending.REFUSED, f"TLS handshake failed: {error}")
                return
            self.established(connection, now)
            return
        try:
            data = connection.sock.recv(4096)
        except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return
        except (ConnectionResetError, OSError) as error:
            connection.reset = True
            self.end(connection, now, error=str(error))
            return
        if not data:
            self.end(connection, now)
        elif len(connection.first_bytes) < 64:
            connection.first_bytes += data[: 64 - len(connection.first_bytes)]

    def trickle_all(self, now: float) -> None:
        self.ticks += 1
        line = self.plan.trickle_line(self.ticks)  # one line per tick, the same bytes on every connection
        for connection in list(self.live.values()):
            if connection.state == _State.OPEN and not connection.ended:
                connection.lines_sent += 1
                self.send(connection, line, now)

    def expire_connects(self, now: float) -> None:
        for connection in list(self.live.values()):
            if connection.state != _State.OPEN and now - connection.started > CONNECT_TIMEOUT:
                self.end(connection, now, Ending.REFUSED, f"not connected within {CONNECT_TIMEOUT:g} s")

    def run(self) -> float:
        started = self.origin = time.monotonic()
        try:
            self._loop(started)
        except KeyboardInterrupt:
            # Ctrl-C: keep what was measured; the connections still open are reported as held so far.
            self.interrupted = True
        stop = time.monotonic()
        for connection in list(self.live.values()):
            if connection.state == _State.OPEN:
                self.end(connection, stop, Ending.HELD)
            else:
                self.end(connection, stop, Ending.REFUSED, "not connected when the probe stopped")
        self.selector.close()
        return stop - started

    def _loop(self, started: float) -> None:
        plan = self.plan
        deadline = started + plan.max_seconds
        next_tick = started + plan.interval
        next_housekeeping = started + 0.5
        opened = 0
        while True:
            now = time.monotonic()
            if now >= deadline:
                break
            due = min(plan.connections, int((now - started) * plan.rate) + 1)
            while opened < due:
                self.open(opened, now)
                opened += 1
            if now >= next_tick:
                self.trickle_all(now)
                next_tick += plan.interval * max(1, int((now - next_tick) / plan.interval) + 1)
            if now >= next_housekeeping:
                self.expire_connects(now)
                self.progress.elapsed = now - started
                if self.on_progress is not None:
                    self.on_progress(self.progress)
                next_housekeeping = now + 0.5
            if opened == plan.connections and not self.live:
                break
            wake = min(deadline, next_tick, next_housekeeping)
            if opened < plan.connections:
                wake = min(wake, started + (opened + max(1, plan.rate / 20)) / plan.rate)
            for key, _ in self.selector.select(max(0.0, wake - time.monotonic())):
                connection = key.data
                if not connection.ended:
                    self.handle(connection, time.monotonic())


@dataclass(frozen=True)
class ProbeRun:
    """What one run measured: per-connection results (by index), seconds, and whether Ctrl-C ended it."""

    results: list[ConnectionResult]
    elapsed: float
    interrupted: bool = False


def run_probe(plan: ProbePlan, address: str, on_progress: Callable[[Progress], None] | None = None) -> ProbeRun:
    """Hold ``plan.connections`` slow connections to ``address``.

    Ctrl-C (KeyboardInterrupt) does not lose the measurement: the run stops, closes its connections and
    returns what it has with ``interrupted`` set.
    """
    ensure_file_limit(plan.connections)
    probe = _Probe(plan, address, on_progress)
    elapsed = probe.run()
    return ProbeRun(sorted(probe.results, key=lambda r: r.index), elapsed, probe.interrupted)
