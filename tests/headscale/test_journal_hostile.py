"""A journal is input: whatever a record's fields hold, reading it gives typed records or bad input
naming the line (exit 2), never a traceback. Generated records: every field of every record kind
written by opskit, replaced by arbitrary JSON."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.headscale.journal import (
    Committed,
    CutRan,
    HookRan,
    HostCutRan,
    MoveStep,
    Restored,
    RolledBack,
    RouteChecked,
    RouteIntent,
    RouteOutcome,
    record_text,
)
from opskit.core.headscale.journal_parse import parse_journal
from opskit.errors import InputError
from tests.headscale.test_core import _header_line

HEADER = _header_line(3, {"users": {"1": "abc"}})
RECORDS = [
    json.loads(record_text(r))
    for r in (
        HookRan("pre-hook", "t", ("true",), 0, False, "", "", True),
        MoveStep("updated", "t", {"users": 1}),
        RouteIntent("route-switch", "t", "/t.yml", "hsa", "a", "b"),
        RouteOutcome("route-switch", "switched", "t", "/t.yml", "hsa", "a", "b"),
        RouteChecked("route-switch", "verified", "t", "ok", 0.1),
        CutRan("done", "t", matched=1, cut=1, clients_cut=("127.0.0.7",), commands=(("ss", "-K"),)),
        HostCutRan("edge-1", "failed", "t", 2, 1, 1, 0, ("10.0.0.2",), ("10.0.0.3",), "still present"),
        Restored("restored", "t", {"users": 1}, ("users.id=1 changed",)),
        Committed("t"),
        RolledBack("t", True),
    )
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(RECORDS), st.data())
def test_any_field_value_is_read_or_refused_as_bad_input(record: dict[str, object], data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(record)))
    hostile = {**record, name: data.draw(json_values)}
    try:
        journal = parse_journal(HEADER + json.dumps(hostile) + "\n", "j")
    except InputError as error:
        assert error.problems and error.problems[0].line in (2, None)
        return
    journal.route_to_reverse()  # whatever was accepted is usable
    journal.fleet_cuts()


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(json.loads(HEADER))), json_values)
def test_any_header_field_value_is_read_or_refused_as_bad_input(name: str, value: object) -> None:
    header = {**json.loads(HEADER), name: value}
    try:
        journal = parse_journal(json.dumps(header) + "\n", "j")
    except InputError:
        return
    assert journal.header.format in (1, 2, 3)
