"""Generated tests for tailscaled-log classes found by blind batch 10: a map poll's stream ending once vs.
control staying lost, every protocol name the packet filter prints, crashes of other units in a mixed journal,
and the prefixes and state lines of embedded (tsnet) nodes and stacked container stamps.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.test_daemon_log import NOISE, PREFIXES, _kinds, _log, _mangle

HEALTHY_START = "magicsock: derp-10 connected; connGen=1"

# A long-poll response stream ending after control answered: Go's body read gives a bare io/http2 error
# (controlclient/direct.go reads the frames with io.ReadFull; auto.go's mapRoutine reports it and polls again).
STREAM_ENDED = [
    "Received error: PollNetMap: unexpected EOF",
    "Received error: PollNetMap: EOF",
    "Received error: PollNetMap: http2: server sent GOAWAY and closed the connection; LastStreamID=29, "
    'ErrCode=NO_ERROR, debug=""',
    "Received error: PollNetMap: stream error: stream ID 3; INTERNAL_ERROR; received from peer",
    "Received error: PollNetMap: read tcp 10.0.0.2:51234->192.0.2.10:443: read: connection reset by peer",
]
# The map request itself getting no answer (Go wraps it as *url.Error: 'Post "…": …'): control not reached.
REQUEST_FAILED = [
    'Received error: PollNetMap: Post "https://head.example.com/machine/map": unexpected EOF',
    'Received error: PollNetMap: Post "https://controlplane.tailscale.com/machine/map": dial tcp 192.0.2.10:443: '
    "connect: connection refused",
]


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(STREAM_ENDED),
    st.lists(NOISE, max_size=2),
    st.sampled_from(["plain", "fence", "indent"]),
)
@settings(max_examples=60, deadline=None)
def test_one_map_stream_reset_is_routine(prefix: str, error: str, noise: list[str], how: str) -> None:
    lines = [prefix.format(msg=HEALTHY_START), *noise, prefix.format(msg=error)]
    log = _log(_mangle(lines, how))
    assert "control-unreachable" not in _kinds(log), lines
    assert log["exit"] == 0


@given(st.sampled_from(PREFIXES), st.lists(st.sampled_from(STREAM_ENDED), min_size=2, max_size=3))
@settings(max_examples=40, deadline=None)
def test_repeated_map_stream_resets_say_control_is_lost(prefix: str, errors: list[str]) -> None:
    lines = [prefix.format(msg=HEALTHY_START), *(prefix.format(msg=error) for error in errors)]
    assert "control-unreachable" in _kinds(_log(_mangle(lines, "plain"))), lines


@given(st.sampled_from(PREFIXES), st.sampled_from(REQUEST_FAILED))
@settings(max_examples=40, deadline=None)
def test_one_map_request_without_an_answer_is_control_unreachable(prefix: str, error: str) -> None:
    lines = [prefix.format(msg=HEALTHY_START), prefix.format(msg=error)]
    log = _log(_mangle(lines, "plain"))
    assert "control-unreachable" in _kinds(log), lines
    assert log["exit"] == 1


# ipproto.Proto's names (types/ipproto): a known protocol, or "IPProto-N" for one without a name.
PROTOCOLS = ["TCP", "UDP", "ICMPv4", "ICMPv6", "IGMP", "SCTP", "TSMP", "GRE", "DCCP", "Frag", "Unknown"]


@given(
    st.sampled_from(PREFIXES),
    st.one_of(st.sampled_from(PROTOCOLS), st.integers(0, 254).map(lambda n: f"IPProto-{n}")),
    st.sampled_from(["[fd7a:...]", "100.101.102.103:443", "[fd7a:115c:a1e0::1]:22", "[fd7a:...]:0"]),
    st.booleans(),
)
@settings(max_examples=80, deadline=None)
def test_a_drop_of_any_protocol_is_dropped_traffic(prefix: str, proto: str, address: str, ratelimit: bool) -> None:
    lines = [prefix.format(msg=f"Drop: {proto}{{{address} > {address}}} 80 no rules matched")]
    if ratelimit:
        lines.append(prefix.format(msg='[RATELIMIT] format("%s: %s %d %s\\n%s") (8 dropped)'))
    log = _log(_mangle(lines, "fence"))
    assert "packet-dropped" in _kinds(log), lines
    assert log["exit"] == 1


@pytest.mark.parametrize("proto", ["-1", "44", "{"])
def test_a_drop_word_that_is_no_protocol_name_raises_nothing(proto: str) -> None:
    lines = ["2024/01/12 10:41:06 " + HEALTHY_START, f"2024/01/12 10:41:07 Drop: {proto}{{a > b}} 80 x"]
    assert "packet-dropped" not in _kinds(_log("\n".join(lines) + "\n"))
