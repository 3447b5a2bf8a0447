"""Connection states over time for ``probe slowloris --report`` (the view slowhttptest's ``-g`` gives).

Pure: built from the per-connection results (when each connect started, when it connected, how long
it lived and how it ended). At every sample time a connection is in exactly one state, so the counts
of a sample always add up to the connections opened so far.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from opskit.core.probe.slowloris import ConnectionResult, Ending

# Series in drawing order: live states first, then how the server closed connections, then refusals.
SERIES: tuple[tuple[str, str], ...] = (
    ("pending", "connecting (not yet established)"),
    ("open", "established; the server still waits for the headers"),
    ("closed_408", "closed by the server with 408 Request Time-out"),
    ("closed_eof", "closed by the server without a response (EOF)"),
    ("closed_rst", "reset by the server (RST)"),
    ("closed_response", "closed by the server with another response"),
    ("refused", "never connected (refused, unreachable)"),
)
SERIES_NAMES = tuple(name for name, _ in SERIES)
MAX_SAMPLES = 240

_CLOSED = {
    Ending.HTTP_408: "closed_408",
    Ending.EOF: "closed_eof",
    Ending.RST: "closed_rst",
    Ending.OTHER_RESPONSE: "closed_response",
}


@dataclass(frozen=True)
class Timeline:
    """Sample times (seconds from the probe's start) and, per series, the count at each time."""

    times: tuple[float, ...]
    series: dict[str, tuple[int, ...]]

    def rows(self) -> list[tuple[float, ...]]:
        """One row per sample: time, then each series in :data:`SERIES` order (the CSV body)."""
        return [(t, *(self.series[name][i] for name in SERIES_NAMES)) for i, t in enumerate(self.times)]


def state_at(result: ConnectionResult, t: float) -> str | None:
    """The state of one connection at time ``t`` (None before it was opened): the definition.

    :func:`build_timeline` computes the same counts in one sweep; a test holds the two equal.
    """
    if t < result.opened_at:
        return None  # not opened yet
    if result.ending is Ending.REFUSED or result.connected_at is None:
        return "pending" if t < result.opened_at + result.lifetime else "refused"
    if t < result.connected_at:
        return "pending"
    if result.ending is Ending.HELD or t < result.connected_at + result.lifetime:
        return "open"
    return _CLOSED[result.ending]


def build_timeline(results: Sequence[ConnectionResult], elapsed: float, samples: int = MAX_SAMPLES) -> Timeline:
    """Counts per state at ``samples`` evenly spaced times from 0 to ``elapsed`` (both included).

    Each connection is a run of sample indexes per state (found by bisection) added to difference
    arrays: 5,000 connections cost milliseconds, not one state check per connection and sample.
    """
    count = max(2, samples)
    span = max(elapsed, 0.0)
    # exact, not rounded: the last sample is the stop itself, after every ending (the CSV rounds)
    times = tuple(span * i / (count - 1) for i in range(count))
    steps: dict[str, list[int]] = {name: [0] * (count + 1) for name in SERIES_NAMES}

    def add(name: str, start: int, stop: int) -> None:
        if start < stop:
            steps[name][start] += 1
            steps[name][stop] -= 1

    for result in results:
        opened = bisect_left(times, result.opened_at)
        if result.ending is Ending.REFUSED or result.connected_at is None:
            gave_up = max(opened, bisect_left(times, result.opened_at + result.lifetime))
            add("pending", opened, gave_up)
            add("refused", gave_up, count)
            continue
        connected = max(opened, bisect_left(times, result.connected_at))
        add("pending", opened, connected)
        if result.ending is Ending.HELD:
            add("open", connected, count)
            continue
        ended = max(connected, bisect_left(times, result.connected_at + result.lifetime))
        add("open", connected, ended)
        add(_CLOSED[result.ending], ended, count)
    series = {name: tuple(accumulate(deltas[:count])) for name, deltas in steps.items()}
    return Timeline(times, series)
