"""Pure core: validation, ss expressions and batching, ss output parsing, kill verdicts, explain."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opskit.core.sockets import Session, SessionFilter
from opskit.core.sockets import ss as ss_core
from opskit.core.sockets.explain import explain_filter, parse_filter, render, swap_sides
from opskit.core.sockets.matching import select
from opskit.core.sockets.validate import parse_peer, parse_peers_file, validate_filter
from opskit.errors import InputError


def _session(peer: str, port: int = 7890, local: str = "10.0.0.1", state: str = "established") -> Session:
    return Session(local, port, peer, 40000, state, 42, "headscale")


# --- validation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("203.0.113.5", "203.0.113.5/32"),
        ("203.0.113.0/24", "203.0.113.0/24"),
        ("2001:db8::1", "2001:db8::1/128"),
        ("[2001:db8::]/64", "2001:db8::/64"),
        ("::ffff:203.0.113.5", "203.0.113.5/32"),
        ("::ffff:203.0.113.0/120", "203.0.113.0/24"),
    ],
)
def test_peers_are_normalised(text: str, expected: str) -> None:
    assert str(parse_peer(text)) == expected


@pytest.mark.parametrize(
    "bad",
    ["", "203.0.113", "1.2.3.4/33", "host.example", "1.2.3.4; rm -rf /", "dst 1.2.3.4 or sport = :22", "::g"],
)
def test_injection_and_garbage_peers_are_refused(bad: str) -> None:
    with pytest.raises(InputError):
        parse_peer(bad)


def test_a_kill_needs_a_port_or_a_peer_unless_all_matching() -> None:
    with pytest.raises(InputError, match="--all-matching"):
        validate_filter(SessionFilter(), for_kill=True)
    assert validate_filter(SessionFilter(all_matching=True), for_kill=True).states == ("established",)
    assert validate_filter(SessionFilter(), for_kill=False).peers == ()


@pytest.mark.parametrize("state", ["listening", "LISTEN", "all", "connected", "bogus"])
def test_listening_and_unknown_states_are_refused(state: str) -> None:
    with pytest.raises(InputError):
        validate_filter(SessionFilter(local_port=1, states=(state,)), for_kill=False)


def test_peers_file_reports_every_bad_line() -> None:
    text = "# edge proxies\n203.0.113.5\n\nbad\n2001:db8::/64  # v6 edge\n300.1.1.1\n"
    with pytest.raises(InputError) as caught:
        parse_peers_file(text, "peers.txt")
    assert [p.line for p in caught.value.problems] == [4, 6]
    assert parse_peers_file("203.0.113.5\n2001:db8::/64 # x\n", "p") == ("203.0.113.5", "2001:db8::/64")


# --- ss expressions ---------------------------------------------------------------------------------


def test_server_side_expression_uses_sport_and_dst() -> None:
    flt = validate_filter(SessionFilter(local_port=7890, peers=("203.0.113.5", "2001:db8::/64")), for_kill=True)
    [expression] = ss_core.server_side_expressions(flt)
    assert expression == "( sport = :7890 and ( dst 203.0.113.5/32 or dst 2001:db8::/64 ) )"
    argv = ss_core.kill_argv(flt, expression)
    assert argv[:5] == ("ss", "-K", "-tnH", "state", "established") and "listening" not in argv


def test_many_peers_are_batched_within_limits() -> None:
    peers = tuple(str(ipaddress.IPv6Address(0x20010DB8 << 96) + i) for i in range(3000))
    flt = validate_filter(SessionFilter(local_port=443, peers=peers), for_kill=True)
    expressions = ss_core.server_side_expressions(flt)
    assert 1 < len(expressions) <= 3000 // ss_core.MAX_TERMS_PER_CALL + 1
    assert all(len(e) <= ss_core.MAX_EXPRESSION_CHARS for e in expressions)
    named = [t for e in expressions for t in e.split() if t.endswith("/128")]
    assert len(named) == 3000 and len(set(named)) == 3000
    assert all(e.startswith("( sport = :443 and ( dst ") for e in expressions)


def test_exact_expressions_name_both_endpoints() -> None:
    sessions = [_session("2001:db8::5", local="2001:db8::1"), _session("203.0.113.5")]
    [expression] = ss_core.exact_session_expressions(sessions)
    assert "( src [2001:db8::1]:7890 and dst [2001:db8::5]:40000 )" in expression
    assert "( src 10.0.0.1:7890 and dst 203.0.113.5:40000 )" in expression


@given(st.lists(st.ip_addresses(), min_size=1, max_size=400))
def test_every_peer_lands_in_exactly_one_batch(
    addresses: list[ipaddress.IPv4Address | ipaddress.IPv6Address],
) -> None:
    flt = validate_filter(SessionFilter(local_port=1, peers=tuple(map(str, addresses))), for_kill=True)
    expressions = ss_core.server_side_expressions(flt)
    terms = [t for e in expressions for t in e.split() if "/" in t]
    assert sorted(terms) == sorted({f"{n.network_address.compressed}/{n.prefixlen}" for n in flt.peers})


# --- parsing ss output (formats as printed by iproute2 6.1) -----------------------------------------

SS_LIST = (
    '0      0      [::ffff:127.0.0.1]:33943 [::ffff:127.0.0.2]:52303 users:(("python3",pid=21551,fd=5))\n'
    '0      0                   [::1]:33943              [::1]:48658 users:(("python3",pid=21551,fd=7))\n'
    '0      0      127.0.0.1:39215 127.0.0.2:36475 users:(("nginx",pid=7,fd=5),("nginx",pid=8,fd=5))\n'
)
SS_KILLED = "ESTAB 0      0      127.0.0.1:39215 127.0.0.2:36475\n"


def test_ss_lines_without_state_column_take_the_requested_state() -> None:
    sessions = ss_core.parse_ss_sessions(SS_LIST, "established")
    assert [(s.local_ip, s.peer_ip, s.pid, s.process) for s in sessions] == [
        ("::ffff:127.0.0.1", "::ffff:127.0.0.2", 21551, "python3"),
        ("::1", "::1", 21551, "python3"),
        ("127.0.0.1", "127.0.0.2", 7, "nginx"),
    ]
    [killed] = ss_core.parse_ss_sessions(SS_KILLED, None)
    assert killed.key == ("127.0.0.1", 39215, "127.0.0.2", 36475) and killed.state == "established"


def test_destroy_failure_is_read_from_stderr() -> None:
    assert ss_core.destroy_failure("") is None
    reason = ss_core.destroy_failure("SOCK_DESTROY answers: Operation not permitted\n")
    assert reason is not None and "CAP_NET_ADMIN" in reason


# --- verdicts ---------------------------------------------------------------------------------------


def test_verdict_separates_cut_still_present_and_closed_on_own() -> None:
    a, b, c = _session("203.0.113.1"), _session("203.0.113.2"), _session("203.0.113.3")
    verdict = ss_core.judge_kill([a, b, c], destroyed=[a, b], after=[b])
    assert verdict.cut == (a,) and verdict.still_present == (b,) and verdict.closed_on_own == (c,)
    assert not verdict.kernel_without_destroy


def test_matched_not_printed_still_present_means_no_inet_diag_destroy() -> None:
    a = _session("203.0.113.1")
    verdict = ss_core.judge_kill([a], destroyed=[], after=[a])
    assert verdict.kernel_without_destroy and verdict.still_present == (a,)
    assert "CONFIG_INET_DIAG_DESTROY" in ss_core.KERNEL_WITHOUT_DESTROY


def test_capabilities_from_proc_status() -> None:
    root = "Name:\tx\nCapEff:\t000001fffeffffff\n"
    nobody = "Name:\tx\nCapEff:\t0000000000000000\n"
    assert ss_core.has_capability(root, ss_core.CAP_NET_ADMIN)
    assert not ss_core.has_capability(nobody, ss_core.CAP_NET_ADMIN)
    assert not ss_core.has_capability(f"CapEff:\t{(1 << 41) - 1 - (1 << 12):016x}\n", ss_core.CAP_NET_ADMIN)


# --- matching ---------------------------------------------------------------------------------------


def test_python_matching_treats_v4_mapped_as_v4_and_skips_listening() -> None:
    flt = validate_filter(SessionFilter(local_port=7890, peers=("203.0.113.0/24",)), for_kill=True)
    sessions = [
        _session("::ffff:203.0.113.9", local="::ffff:10.0.0.1"),
        _session("203.0.114.1"),
        _session("203.0.113.1", port=7891),
        _session("203.0.113.1", state="listening"),
    ]
    assert [s.peer_ip for s in select(sessions, flt)] == ["::ffff:203.0.113.9"]


# --- explain ----------------------------------------------------------------------------------------


def test_seed_filter_is_the_clients_view() -> None:
    explanation = explain_filter("dport = 7890 and src 203.0.113.5")
    assert explanation.describes == "client"
    assert explanation.equivalent_here == "sport = :7890 and dst 203.0.113.5"


def test_server_view_is_left_alone_and_unknown_is_said() -> None:
    assert explain_filter("sport = :7890 and dst 203.0.113.5").describes == "server"
    assert explain_filter("dst 203.0.113.5").describes == "unknown"
    assert explain_filter("dport = 7890", service_port=7890).describes == "client"


@pytest.mark.parametrize(
    "text",
    [
        "( dport == :443 || dport eq 80 ) && ! src [2001:db8::1]:443",
        "not ( sport >= :1024 ) and dst 10.0.0.0/8",
    ],
)
def test_swapping_sides_twice_is_the_identity(text: str) -> None:
    tree = parse_filter(text)
    assert render(swap_sides(swap_sides(tree))) == render(tree)
    assert render(parse_filter(render(tree))) == render(tree)


@pytest.mark.parametrize(
    "bad", ["", "dport = ", "dport = :99999", "src not-an-ip", "proto tcp", "( dport = :1", "dport = :1 )"]
)
def test_bad_filters_are_input_errors(bad: str) -> None:
    with pytest.raises(InputError):
        explain_filter(bad)
