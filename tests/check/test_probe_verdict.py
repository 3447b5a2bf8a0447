"""The slowloris verdict from measured lifetimes, and the plan's exact bytes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opskit.core.probe.slowloris import ConnectionResult, Ending, ProbePlan, SlowlorisProtection, judge, percentiles


def plan(**changes: object) -> ProbePlan:
    values: dict[str, object] = {
        "scheme": "http",
        "host": "127.0.0.1",
        "port": 8080,
        "path": "/",
        "connections": 4,
        "interval": 1.0,
        "max_seconds": 10.0,
        "rate": 100.0,
    }
    values.update(changes)
    return ProbePlan(**values)  # type: ignore[arg-type]


def results(*items: tuple[Ending, float]) -> list[ConnectionResult]:
    return [ConnectionResult(i, ending, lifetime) for i, (ending, lifetime) in enumerate(items)]


def test_all_cut_with_408_is_protected_with_percentiles() -> None:
    report = judge(
        plan(), results((Ending.HTTP_408, 3.0), (Ending.HTTP_408, 3.1), (Ending.EOF, 3.2), (Ending.RST, 9.0)), 9.5
    )
    assert report.verdict is SlowlorisProtection.PROTECTED and not report.failed
    assert report.lifetimes is not None
    assert (report.lifetimes.p50, report.lifetimes.p95, report.lifetimes.max) == (3.1, 9.0, 9.0)
    assert "2 408 Request Time-out, 1 closed without a response, 1 reset" in report.summary


def test_one_held_connection_makes_it_vulnerable() -> None:
    report = judge(plan(), results((Ending.HTTP_408, 3.0), (Ending.HELD, 10.0)), 10.0)
    assert report.verdict is SlowlorisProtection.VULNERABLE and report.failed
    assert report.summary.startswith("1 of 2 connections still open after 10 s")
    assert "timeout http-request" in report.explanation and "client_header_timeout" in report.explanation


def test_cut_later_than_expected_is_too_slow() -> None:
    report = judge(plan(expect_cut_within=5.0), results((Ending.EOF, 4.0), (Ending.EOF, 6.0)), 6.0)
    assert report.verdict is SlowlorisProtection.TOO_SLOW
    assert report.explanation.startswith("1 connection(s) lived longer than --expect-cut-within 5 s")


def test_refused_everywhere_is_inconclusive_and_refusals_are_noted() -> None:
    assert judge(plan(), results((Ending.REFUSED, 0.0)), 0.1).verdict is SlowlorisProtection.INCONCLUSIVE
    mixed = judge(plan(), results((Ending.HTTP_408, 3.0), (Ending.REFUSED, 0.0)), 3.0)
    assert mixed.verdict is SlowlorisProtection.PROTECTED and "1 connection(s) never connected" in mixed.explanation


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=200))
def test_percentiles_are_ordered_members(values: list[float]) -> None:
    stats = percentiles(values)
    assert stats is not None
    assert stats.p50 <= stats.p95 <= stats.max == max(values)
    assert stats.p50 in values and stats.p95 in values


def test_plan_bytes_never_finish_the_headers() -> None:
    probe = plan(port=80, path="/x?y=1")
    assert probe.request_head() == (
        b"GET /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: opskit-probe-slowloris\r\nAccept: */*\r\n"
    )
    assert b"\r\n\r\n" not in probe.request_head() + probe.trickle_line(1) + probe.trickle_line(2)
    assert plan(host="::1", port=8443, scheme="https").host_header == "[::1]:8443"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"connections": 0}, "--connections"),
        ({"interval": 0}, "--interval"),
        ({"max_seconds": 601}, "--max-seconds"),
        ({"expect_cut_within": 10.0}, "--expect-cut-within"),
        ({"rate": 0.5}, "--rate"),
    ],
)
def test_plan_bounds(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plan(**changes)


def test_connections_closed_at_once_are_explained_as_a_connection_limit() -> None:
    items = [ConnectionResult(0, Ending.HTTP_408, 3.0, 3), ConnectionResult(1, Ending.EOF, 0.01, 0)]
    report = judge(plan(), items, 3.0)
    assert report.verdict is SlowlorisProtection.PROTECTED
    assert "1 connection(s) were closed at once, before any header line" in report.explanation
