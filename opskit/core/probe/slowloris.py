"""The slow-headers (slowloris) probe: what it sends, and what the measured lifetimes mean.

A client that sends a request line and then one header line every few seconds never finishes its
headers. Only a *total* header deadline stops it: HAProxy ``timeout http-request`` (answers
``408 Request Time-out`` and closes) or nginx ``client_header_timeout`` (closes without a response).
HAProxy's ``timeout client`` is an inactivity timer that every header line resets, so it never fires.
The first component that parses HTTP is the one that must have the deadline: behind an HAProxy
``mode http`` frontend nginx never sees the slow client.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

MAX_CONNECTIONS = 5000
MAX_SECONDS = 600.0
USER_AGENT = "opskit-probe-slowloris"


@dataclass(frozen=True)
class ProbePlan:
    """Exactly what the probe sends, fixed before any socket opens (shown before --yes is asked for)."""

    scheme: str
    host: str
    port: int
    path: str
    connections: int
    interval: float
    max_seconds: float
    rate: float  # new connections per second while ramping up
    expect_cut_within: float | None = None

    def __post_init__(self) -> None:
        problems = []
        if not 1 <= self.connections <= MAX_CONNECTIONS:
            problems.append(f"--connections must be 1..{MAX_CONNECTIONS}, got {self.connections}")
        if not 0.1 <= self.interval <= 60:
            problems.append(f"--interval must be 0.1..60 seconds, got {self.interval}")
        if not 1 <= self.max_seconds <= MAX_SECONDS:
            problems.append(f"--max-seconds must be 1..{MAX_SECONDS:.0f}, got {self.max_seconds}")
        if self.expect_cut_within is not None and not 0 < self.expect_cut_within < self.max_seconds:
            problems.append("--expect-cut-within must be above 0 and below --max-seconds")
        if not 1 <= self.rate <= 10_000:
            problems.append(f"--rate must be 1..10000 connections per second, got {self.rate}")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"

    def request_head(self) -> bytes:
        """Sent once per connection on connect; the blank line that would end the headers never comes."""
        return (
            f"GET {self.path} HTTP/1.1\r\nHost: {self.host_header}\r\nUser-Agent: {USER_AGENT}\r\nAccept: */*\r\n"
        ).encode("ascii")

    def trickle_line(self, number: int) -> bytes:
        """The header line sent every ``interval`` seconds on each connection."""
        return f"X-Opskit-Slow-{number}: {number}\r\n".encode("ascii")

    def describe(self) -> list[str]:
        """What will be sent, in words and bytes, for the confirmation screen."""
        return [
            f"target: {self.scheme}://{self.host_header} (TCP port {self.port}"
            + (", TLS)" if self.scheme == "https" else ")"),
            f"connections: {self.connections}, opened at up to {self.rate:g} per second",
            f"on each connection, once: {self.request_head()!r}",
            f"then every {self.interval:g} s: {self.trickle_line(1)!r}, {self.trickle_line(2)!r}, … "
            "(the request is never completed)",
            f"stops after {self.max_seconds:g} s and closes every connection it still holds",
        ]


class Ending(StrEnum):
    """How a connection ended."""

    HTTP_408 = "408"  # the server answered 408 Request Time-out (HAProxy timeout http-request)
    OTHER_RESPONSE = "response"  # any other status line (400, 429, 503 …)
    EOF = "eof"  # closed without a response (nginx client_header_timeout, or a reject)
    RST = "rst"  # connection reset
    HELD = "held"  # still open when the probe stopped: the server waited for the slow client
    REFUSED = "refused"  # never connected (refused, unreachable, connect timeout)


@dataclass(frozen=True)
class ConnectionResult:
    index: int
    ending: Ending
    lifetime: float  # seconds from connect to the end (or to the probe's stop for HELD)
    lines_sent: int = 0
    status: int | None = None
    error: str = ""
    opened_at: float = 0.0  # seconds from the probe's start to this connection's connect()
    connected_at: float | None = None  # seconds from the probe's start to the established connection


class SlowlorisProtection(StrEnum):
    """How well the target held up against slow-header connections (the probe's overall judgement)."""

    PROTECTED = "protected"
    TOO_SLOW = "too slow"
    VULNERABLE = "vulnerable"
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True)
class Percentiles:
    p50: float
    p95: float
    max: float

    def to_json(self) -> dict[str, float]:
        return {"p50": round(self.p50, 3), "p95": round(self.p95, 3), "max": round(self.max, 3)}


def percentiles(values: Sequence[float]) -> Percentiles | None:
    """Nearest-rank p50/p95 and the maximum; None for no values."""
    if not values:
        return None
    ordered = sorted(values)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return Percentiles(rank(50), rank(95), ordered[-1])


@dataclass(frozen=True)
class ProbeReport:
    plan: ProbePlan
    results: tuple[ConnectionResult, ...]
    elapsed: float
    verdict: SlowlorisProtection
    summary: str
    explanation: str
    endings: dict[str, int]
    lifetimes: Percentiles | None  # of connections the server cut
    all_lifetimes: Percentiles | None  # of every connection that connected (held ones up to the stop)
    interrupted: bool = False  # stopped by Ctrl-C before --max-seconds: a partial result

    @property
    def failed(self) -> bool:
        return self.verdict is not SlowlorisProtection.PROTECTED

    def to_json(self) -> dict[str, Any]:
        return {
            "target": f"{self.plan.scheme}://{self.plan.host_header}{self.plan.path}",
            "connections": self.plan.connections,
            "interval": self.plan.interval,
            "max_seconds": self.plan.max_seconds,
            "expect_cut_within": self.plan.expect_cut_within,
            "elapsed": round(self.elapsed, 3),
            "interrupted": self.interrupted,
            "verdict": str(self.verdict),
            "summary": self.summary,
            "explanation": self.explanation,
            "endings": self.endings,
            "cut_lifetimes": self.lifetimes.to_json() if self.lifetimes else None,
            "lifetimes": self.all_lifetimes.to_json() if self.all_lifetimes else None,
            "per_connection": [
                {
                    "index": r.index,
                    "ending": str(r.ending),
                    "lifetime": round(r.lifetime, 3),
                    "lines_sent": r.lines_sent,
                    "status": r.status,
                    "opened_at": round(r.opened_at, 3),
                    "connected_at": None if r.connected_at is None else round(r.connected_at, 3),
                    **({"error": r.error} if r.error else {}),
                }
                for r in self.results
            ],
        }


_CUT = (Ending.HTTP_408, Ending.OTHER_RESPONSE, Ending.EOF, Ending.RST)

DEADLINE_ADVICE = (
    "Give the first component that parses HTTP on this port a total header deadline: HAProxy "
    "`timeout http-request 10s` in the frontend (or defaults) of a `mode http` frontend, nginx "
    "`client_header_timeout 10s` when nginx is the first HTTP parser. HAProxy's `timeout client` does not "
    "help: each header line resets it."
)


def judge(
    plan: ProbePlan, results: Sequence[ConnectionResult], elapsed: float, interrupted: bool = False
) -> ProbeReport:
    """The verdict for one probe run (``interrupted``: Ctrl-C stopped it early; held means "not cut yet")."""
    endings = {str(ending): sum(1 for r in results if r.ending is ending) for ending in Ending}
    connected = [r for r in results if r.ending is not Ending.REFUSED]
    cut = [r for r in connected if r.ending in _CUT]
    held = [r for r in connected if r.ending is Ending.HELD]
    cut_stats = percentiles([r.lifetime for r in cut])
    all_stats = percentiles([r.lifetime for r in connected])
    refused = endings[str(Ending.REFUSED)]
    refused_note = (
        f" {refused} connection(s) never connected (refused: a per-source connection limit, a full backlog "
        "or a closed port)."
        if refused
        else ""
    )
    how = _how_cut(endings)
    # Closed at once, before a single header line: a per-source connection limit (HAProxy
    # `tcp-request connection reject`, silent and unlogged), not the header deadline.
    rejected = sum(1 for r in cut if r.lines_sent == 0 and r.lifetime < min(0.5, plan.interval))
    if rejected:
        refused_note += (
            f" {rejected} connection(s) were closed at once, before any header line: a per-source "
            "connection limit rejected them (HAProxy does not log these)."
        )
    if not connected:
        verdict, summary = SlowlorisProtection.INCONCLUSIVE, f"none of {len(results)} connections connected"
        explanation = (
            "Nothing was measured: the target refused every connection. Check that it listens "
            "there; a source-address connection limit also looks like this." + refused_note
        )
    elif held and interrupted:
        verdict = SlowlorisProtection.INCONCLUSIVE
        summary = (
            f"interrupted after {elapsed:.1f} s of {plan.max_seconds:g} s: {len(cut)} of {len(connected)} "
            f"connections cut so far ({how}), {len(held)} still open"
        )
        explanation = (
            "Ctrl-C stopped the probe before --max-seconds, so a connection still open may yet have been cut: "
            "this is the partial result. Re-run to the end for a verdict." + refused_note
        )
    elif held:
        verdict = SlowlorisProtection.VULNERABLE
        summary = (
            f"{len(held)} of {len(connected)} connections still open after {plan.max_seconds:g} s "
            f"of one header line every {plan.interval:g} s"
        )
        explanation = (
            "The server keeps waiting for headers that never end, so a few hundred such clients exhaust its "
            "connection slots. " + DEADLINE_ADVICE + (f" Cut connections: {how}." if cut else "") + refused_note
        )
    else:
        assert cut_stats is not None
        summary = (
            f"all {len(connected)} connections cut ({how}); lifetime p50 {cut_stats.p50:.1f} s, "
            f"p95 {cut_stats.p95:.1f} s, max {cut_stats.max:.1f} s"
        )
        if plan.expect_cut_within is not None and cut_stats.max > plan.expect_cut_within:
            verdict = SlowlorisProtection.TOO_SLOW
            late = sum(1 for r in cut if r.lifetime > plan.expect_cut_within)
            explanation = (
                f"{late} connection(s) lived longer than --expect-cut-within {plan.expect_cut_within:g} s. "
                "A header deadline exists but is longer than expected (nginx's default client_header_timeout "
                "is 60 s)." + refused_note
            )
        else:
            verdict = SlowlorisProtection.PROTECTED
            explanation = "The server enforces a total deadline for request headers." + refused_note
    if interrupted and verdict is not SlowlorisProtection.INCONCLUSIVE:
        summary = f"interrupted after {elapsed:.1f} s, every connection already ended: {summary}"
    return ProbeReport(
        plan, tuple(results), elapsed, verdict, summary, explanation, endings, cut_stats, all_stats, interrupted
    )


def _how_cut(endings: dict[str, int]) -> str:
    words = {
        Ending.HTTP_408: "408 Request Time-out",
        Ending.OTHER_RESPONSE: "another HTTP response",
        Ending.EOF: "closed without a response",
        Ending.RST: "reset",
    }
    parts = [f"{endings[str(e)]} {words[e]}" for e in _CUT if endings[str(e)]]
    return ", ".join(parts) or "none"
