"""Connection states over time for ``probe slowloris --report`` (the view slowhttptest's ``-g`` gives).

Pure: built from the per-connection results (when each connect started, when it connected, how long
it lived and how it ended). At every sample time a connection is in exactly one state, so the counts
of a sample always add up to the connections opened so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


def _state_at(result: ConnectionResult, t: float) -> str | None:
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
    """Counts per state at ``samples`` evenly spaced times from 0 to ``elapsed`` (both included)."""
    count = max(2, samples)
    span = max(elapsed, 0.0)
    times = tuple(round(span * i / (count - 1), 3) for i in range(count))
    series: dict[str, list[int]] = {name: [0] * count for name in SERIES_NAMES}
    for result in results:
        for index, t in enumerate(times):
            state = _state_at(result, t)
            if state is not None:
                series[state][index] += 1
    return Timeline(times, {name: tuple(values) for name, values in series.items()})
