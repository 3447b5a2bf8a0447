"""Sockets for `opskit probe slowloris`: many slow connections on one asyncio loop, bounded in time.

One event loop and one small protocol object per connection: no thread or task per connection, and
the only timers are the per-connection trickle timers, so 1,000 connections cost little CPU.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import resource
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
        raise InputError.at(None, None, "URL", f"cannot resolve {host!r}: {error.strerror}") from None
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


class _SlowConnection(asyncio.Protocol):
    def __init__(self, probe: _Probe, index: int) -> None:
        self.probe = probe
        self.index = index
        self.transport: asyncio.Transport | None = None
        self.connected_at = 0.0
        self.lines_sent = 0
        self.first_bytes = b""
        self.timer: asyncio.TimerHandle | None = None
        self.result: ConnectionResult | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.connected_at = time.monotonic()
        self.probe.progress.open += 1
        transport.write(self.probe.plan.request_head())
        self._schedule()

    def _schedule(self) -> None:
        self.timer = self.probe.loop.call_later(self.probe.plan.interval, self._trickle)

    def _trickle(self) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        self.lines_sent += 1
        self.transport.write(self.probe.plan.trickle_line(self.lines_sent))
        self._schedule()

    def data_received(self, data: bytes) -> None:
        if len(self.first_bytes) < 64:
            self.first_bytes += data[: 64 - len(self.first_bytes)]

    def eof_received(self) -> bool:
        return False  # close our side too

    def connection_lost(self, exc: Exception | None) -> None:
        if self.timer is not None:
            self.timer.cancel()
        if self.result is not None:  # already recorded as HELD by the stop
            return
        lifetime = time.monotonic() - self.connected_at
        status = _status_of(self.first_bytes)
        if status == 408:
            ending = Ending.HTTP_408
        elif status is not None:
            ending = Ending.OTHER_RESPONSE
        elif isinstance(exc, ConnectionResetError | BrokenPipeError):
            ending = Ending.RST
        else:
            ending = Ending.EOF
        self.result = ConnectionResult(
            self.index, ending, lifetime, self.lines_sent, status, "" if exc is None else str(exc)
        )
        self.probe.progress.open -= 1
        self.probe.progress.cut += 1
        self.probe.finished(self)

    def hold(self, now: float) -> None:
        """The probe's time is up while the server still holds this connection."""
        if self.result is None and self.transport is not None:
            self.result = ConnectionResult(self.index, Ending.HELD, now - self.connected_at, self.lines_sent)
            if self.timer is not None:
                self.timer.cancel()
            self.transport.abort()


def _status_of(first_bytes: bytes) -> int | None:
    parts = first_bytes.split(b" ", 2)
    if len(parts) >= 2 and parts[0].startswith(b"HTTP/") and parts[1].isdigit():
        return int(parts[1])
    return None


class _Probe:
    def __init__(self, plan: ProbePlan, address: str, on_progress: Callable[[Progress], None] | None) -> None:
        self.plan = plan
        self.address = address
        self.on_progress = on_progress
        self.progress = Progress()
        self.loop = asyncio.get_running_loop()
        self.connections: list[_SlowConnection] = []
        self.results: list[ConnectionResult] = []
        self.all_done = asyncio.Event()
        self.ssl_context: ssl.SSLContext | None = None
        if plan.scheme == "https":
            # The probe judges the server's header deadline, not its certificate.
            self.ssl_context = ssl.create_default_context()
            self.ssl_context.check_hostname = False
            self.ssl_context.verify_mode = ssl.CERT_NONE

    def finished(self, connection: _SlowConnection) -> None:
        assert connection.result is not None
        self.results.append(connection.result)
        if len(self.results) == self.plan.connections:
            self.all_done.set()

    async def _open(self, index: int) -> None:
        connection = _SlowConnection(self, index)
        started = time.monotonic()
        try:
            await asyncio.wait_for(
                self.loop.create_connection(
                    lambda: connection,
                    self.address,
                    self.plan.port,
                    ssl=self.ssl_context,
                    server_hostname=self.plan.host if self.ssl_context else None,
                ),
                CONNECT_TIMEOUT,
            )
            self.connections.append(connection)
        except (TimeoutError, OSError, ssl.SSLError) as error:
            self.progress.refused += 1
            connection.result = ConnectionResult(
                index, Ending.REFUSED, time.monotonic() - started, 0, None, str(error) or type(error).__name__
            )
            self.finished(connection)

    async def run(self) -> float:
        started = time.monotonic()
        deadline = started + self.plan.max_seconds
        openers: list[asyncio.Task[None]] = []
        ticker = self.loop.create_task(self._tick(started))
        for index in range(self.plan.connections):
            if time.monotonic() >= deadline:
                break
            openers.append(self.loop.create_task(self._open(index)))
            self.progress.started += 1
            # Ramp at `rate` per second, sleeping in batches so the loop is not woken per connection.
            if (index + 1) % max(1, int(self.plan.rate / 20)) == 0:
                await asyncio.sleep(max(0.0, started + (index + 1) / self.plan.rate - time.monotonic()))
        await asyncio.gather(*openers)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.all_done.wait(), max(0.0, deadline - time.monotonic()))
        stop = time.monotonic()
        for connection in self.connections:
            connection.hold(stop)
            if connection.result is not None and connection.result.ending is Ending.HELD:
                self.results.append(connection.result)
        ticker.cancel()
        await asyncio.sleep(0)  # let aborted transports release their sockets
        return stop - started

    async def _tick(self, started: float) -> None:
        while True:
            self.progress.elapsed = time.monotonic() - started
            if self.on_progress is not None:
                self.on_progress(self.progress)
            await asyncio.sleep(0.25)


def run_probe(
    plan: ProbePlan, address: str, on_progress: Callable[[Progress], None] | None = None
) -> tuple[list[ConnectionResult], float]:
    """Hold ``plan.connections`` slow connections to ``address``; returns per-connection results, seconds."""
    ensure_file_limit(plan.connections)

    async def main() -> tuple[list[ConnectionResult], float]:
        probe = _Probe(plan, address, on_progress)
        elapsed = await probe.run()
        results = sorted(probe.results, key=lambda r: r.index)
        return results, elapsed

    return asyncio.run(main())
