"""Generated tests for blind batch 40's log misses, read as classes (what a user sees in the JSON document).

1. A stamped log line an author hard-wrapped by hand, left open (":", ",", "=") with its rest indented under it,
   continues into that rest even where the rest alone reads as a bare health message (2201:
   "health(warnable=no-derp-home): error:" / "  Tailscale could not connect to any relay server."): every warnable
   text such a line carries that `tailscale status` would also print bare, indented 1-4 spaces or a tab. An
   unindented health message, one under a closed line, util/multierr's indented errors stay lines of their own.
2. util/linuxfw running IPv4-only (1.62's "ipv6 unavailable due to missing filter table: …" on a host without the
   table, "disabling tunneled IPv6 due to system IPv6 config / missing ip6tables: …" v1.0-HEAD) is an info
   (ipv6-tunnel-off), never firewall-failed (2181); ip6tables refused its rights in that probe (the xtables lock,
   1548) and an ip6tables error while adding rules stay firewall-failed.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.log_catalog import LOG_PREFIXES, document_of, exit_code, log_issues, log_kinds

_STAMPED = tuple(prefix for prefix in LOG_PREFIXES if prefix != "{msg}")
_ROUTINE = "wgengine: Reconfig: configuring DNS"
_INDENTS = st.sampled_from(("  ", " ", "   ", "    ", "\t", "\t  "))
_FENCED = st.booleans()


def _fence(text: str, fenced: bool) -> str:
    return f"```\n{text}```\n" if fenced else text


def _block_kinds(document: dict[str, Any]) -> list[str]:
    return [block["kind"] for block in document["blocks"]]


def _rules(document: dict[str, Any]) -> dict[str, str]:
    return {finding["rule"]: finding["severity"] for finding in document["findings"]}


# ----------------------------------------------------------------- 1. a hand-wrapped health line's indented rest

# (warnable as the line names it, its text (health/warnings.go, net/dns/resolver/forwarder.go, healthmsg), the kind)
_HEALTH_TEXTS = (
    ("warnable=no-derp-home", "Tailscale could not connect to any relay server. Check your Internet connection.",
     "derp-unreachable"),
    ("warnable=no-derp-home", "Tailscale could not connect to any relay server.", "derp-unreachable"),
    ("warnable=no-derp-connection", "Tailscale could not connect to the 'Frankfurt' relay server. Your Internet "
     "connection might be down, or the server might be temporarily unavailable.", "derp-unreachable"),
    ("warnable=no-derp-connection", "Tailscale could not connect to the 'tsi-stub' relay server.", "derp-unreachable"),
    ("warnable=not-in-map-poll", "Unable to connect to the Tailscale coordination server to synchronize the state "
     "of your tailnet. Peer reachability might degrade over time.", "control-unreachable"),
    ("warnable=mapresponse-timeout", "Tailscale hasn't received a network map from the coordination server in "
     "2m30s.", "control-unreachable"),
    ("warnable=login-state", "You are logged out. The last login error was: register request: http 401: invalid "
     "key", "login-required"),
    ("warnable=dns-forward-failing", "Tailscale can't reach the configured DNS servers. Internet connectivity may "
     "be affected.", "dns-forward-failing"),
    # the v1.14-v1.66 overall error's own checks (health("overall"))
    ('"overall"', "not connected to home DERP region 4", "derp-unreachable"),
    ('"overall"', "not logged in, last login error=register request: http 401: invalid key", "login-required"),
)  # fmt: skip


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(_STAMPED), st.sampled_from(_HEALTH_TEXTS), _INDENTS, _FENCED, st.sampled_from(("error",)))
def test_an_indented_health_text_under_its_open_warnable_line_is_that_warnable(
    prefix: str, case: tuple[str, str, str], indent: str, fenced: bool, state: str
) -> None:
    name, text, kind = case
    head = prefix.format(msg=f"health({name}): {state}:")
    one_line = document_of(_fence(f"{prefix.format(msg=_ROUTINE)}\n{head} {text}\n", fenced))
    wrapped = document_of(_fence(f"{prefix.format(msg=_ROUTINE)}\n{head}\n{indent}{text}\n", fenced))
    assert kind in log_kinds(one_line)  # (the reference: the line as tailscaled wrote it)
    assert log_kinds(wrapped) == log_kinds(one_line)
    assert _block_kinds(wrapped) == ["tailscaled-log"]  # no "messages only" status block beside it
    assert exit_code(wrapped) == 1


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_STAMPED), st.sampled_from(_HEALTH_TEXTS), _FENCED)
def test_an_unindented_health_text_under_the_line_still_reads_as_today(
    prefix: str, case: tuple[str, str, str], fenced: bool
) -> None:
    # an unindented line is no author's hand-wrap under a stamped log: it stays a line of its own (a health
    # message pasted bare: a status block), read as it was before
    name, text, kind = case
    head = prefix.format(msg=f"health({name}): error:")
    document = document_of(_fence(f"{prefix.format(msg=_ROUTINE)}\n{head}\n{text}\n", fenced))
    assert "status" in _block_kinds(document)
    assert kind not in log_kinds(document)
    assert exit_code(document) == 1  # a problem either way


_CLOSED_HEADS = ("magicsock: home is now derp-4 (fra)", "control: NetMap: got map with 0 peers", _ROUTINE + ".")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_STAMPED), st.sampled_from(_HEALTH_TEXTS), st.sampled_from(_CLOSED_HEADS), _INDENTS)
def test_an_indented_health_text_under_a_closed_line_is_a_line_of_its_own(
    prefix: str, case: tuple[str, str, str], head: str, indent: str
) -> None:
    _, text, kind = case
    document = document_of(f"{prefix.format(msg=_ROUTINE)}\n{prefix.format(msg=head)}\n{indent}{text}\n")
    assert "status" in _block_kinds(document)
    assert kind not in log_kinds(document)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_STAMPED), st.sampled_from(_HEALTH_TEXTS), _INDENTS)
def test_a_head_indented_as_deep_as_the_text_does_not_take_it(
    prefix: str, case: tuple[str, str, str], indent: str
) -> None:
    name, text, kind = case
    head = prefix.format(msg=f"health({name}): error:")
    document = document_of(f"{indent}{prefix.format(msg=_ROUTINE)}\n{indent}{head}\n{indent}{text}\n")
    assert kind not in log_kinds(document)


_MULTIERR_DENIED = (
    "deleting [-j ts-input] in filter/INPUT: running [/usr/bin/iptables -t filter -D INPUT -j ts-input --wait]: "
    "exit status 4: iptables v1.8.11 (nf_tables): Could not fetch rule set generation id: Permission denied (you "
    "must be root)"
)


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(_STAMPED), _INDENTS)
def test_util_multierr_errors_indented_under_their_head_stay_errors_of_their_own(prefix: str, indent: str) -> None:
    # (corpus 198: the clean-up's head is harmless, the error under it is the daemon running without root)
    head = prefix.format(msg="linuxfw: clear iptables: multiple errors:")
    document = document_of(f"{prefix.format(msg=_ROUTINE)}\n{head}\n{indent}{_MULTIERR_DENIED}\n")
    assert "firewall-failed" in log_kinds(document)


# ------------------------------------------------------------------ 2. util/linuxfw running IPv4-only

_TOOLS = st.sampled_from(("/sbin/ip6tables", "/usr/sbin/ip6tables", "/usr/bin/ip6tables"))
_TABLE_MISSING = (
    "ip6tables v{v} ({mode}): can't initialize ip6tables table `filter': Table does not exist (do you need to "
    "insmod?)\nPerhaps ip6tables or your kernel needs to be upgraded.",
    "ip6tables v{v} ({mode}): can't initialize ip6tables table `filter': Table does not exist (do you need to insmod?)",
    "modprobe: FATAL: Module ip6_tables not found in directory /lib/modules/5.15.0-1057-azure\nip6tables v{v} "
    "({mode}): can't initialize ip6tables table `filter': Table does not exist (do you need to insmod?)",
    "ip6tables v{v} ({mode}): can't initialize ip6tables table `filter': Address family not supported by protocol",
)
_V6_PROBE = "router: ipv6 unavailable due to missing filter table: running [{tool} -t filter -S --wait]: exit status "
_V6_OFF = (
    "router: disabling tunneled IPv6 due to system IPv6 config: disable_ipv6 is set",
    "router: disabling tunneled IPv6 due to system IPv6 config: stat /proc/sys/net/ipv6: no such file or directory",
    "router: disabling tunneled IPv6 due to system IPv6 config: kernel doesn't support IPv6 policy routing: "
    "operation not supported",
    'router: disabling tunneled IPv6 due to missing ip6tables: exec: "ip6tables": executable file not found in $PATH',
)


def _assert_ipv6_off_info(document: dict[str, Any]) -> None:
    issues = [issue for issue in log_issues(document) if issue["kind"] == "ipv6-tunnel-off"]
    assert [issue["severity"] for issue in issues] == ["info"]
    assert "firewall-failed" not in log_kinds(document)
    rules = _rules(document)
    assert rules.get("TS-LOG-IPV6-TUNNEL-OFF") == "info" and "TS-LOG-FIREWALL-FAILED" not in rules
    finding = next(f for f in document["findings"] if f["rule"] == "TS-LOG-IPV6-TUNNEL-OFF")
    assert "IPv6 inside the tailnet is off" in finding["cause"] and "IPv4 works" in finding["cause"]
    assert exit_code(document) == 0  # nothing failed


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(LOG_PREFIXES),
    _TOOLS,
    st.integers(1, 4),
    st.sampled_from(_TABLE_MISSING),
    st.sampled_from(("1.8.4", "1.8.7", "1.8.9", "1.8.10")),
    st.sampled_from(("legacy", "nf_tables")),
)
def test_162s_probe_finding_no_filter_table_is_an_ipv6_off_info(
    prefix: str, tool: str, code: int, err: str, version: str, mode: str
) -> None:
    probe = _V6_PROBE.format(tool=tool) + f"{code}: " + err.format(v=version, mode=mode)
    first, *rest = probe.split("\n")
    after = prefix.format(msg="router: v6filter = false, v6nat = false")
    lines = [prefix.format(msg=_ROUTINE), prefix.format(msg=first), *rest, after]
    _assert_ipv6_off_info(document_of("\n".join(lines) + "\n"))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(LOG_PREFIXES), st.sampled_from(_V6_OFF), st.booleans())
def test_disabling_tunneled_ipv6_is_an_ipv6_off_info(prefix: str, line: str, nftables: bool) -> None:
    after = "router: netfilter running in nftables mode, v6 = false" if nftables else "router: v6filter = false"
    lines = [prefix.format(msg=m) for m in (_ROUTINE, line, after)]
    _assert_ipv6_off_info(document_of("\n".join(lines) + "\n"))


_DENIED = (
    "Fatal: can't open lock file /run/xtables.lock: Permission denied",
    "Fatal: can't open lock file /var/run/xtables.lock: Permission denied",
    "ip6tables v1.8.7 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)",
)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(LOG_PREFIXES), _TOOLS, st.integers(1, 4), st.sampled_from(_DENIED))
def test_the_probe_refused_its_rights_stays_firewall_failed(prefix: str, tool: str, code: int, err: str) -> None:
    # (corpus 1548: Synology DSM 7's unprivileged tailscaled; the host has the table, 1.62 turns IPv6 off anyway)
    line = _V6_PROBE.format(tool=tool) + f"{code}: {err}"
    document = document_of("\n".join(prefix.format(msg=m) for m in (_ROUTINE, line)) + "\n")
    assert "firewall-failed" in log_kinds(document) and "ipv6-tunnel-off" not in log_kinds(document)
    assert exit_code(document) == 1


_ADD_FAILURES = (
    "router: adding [-j ts-forward] in v6/filter/FORWARD: running [{tool} -t filter -I FORWARD 1 -j ts-forward "
    "--wait]: exit status {code}: ip6tables: No chain/target/match by that name.",
    "router: adding [-i tailscale0 -j MARK --set-mark 0x40000/0xff0000] in v6/filter/ts-forward: running [{tool} -t "
    "filter -A ts-forward -i tailscale0 -j MARK --set-mark 0x40000/0xff0000 --wait]: exit status {code}: ip6tables "
    'v1.8.7 (legacy): unknown option "--set-mark"',
)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(LOG_PREFIXES), st.sampled_from(_ADD_FAILURES), _TOOLS, st.integers(1, 4), st.booleans())
def test_an_ip6tables_error_adding_rules_stays_firewall_failed(
    prefix: str, failure: str, tool: str, code: int, v6_off_before: bool
) -> None:
    messages = (_ROUTINE, *(_V6_OFF[:1] if v6_off_before else ()), failure.format(tool=tool, code=code))
    document = document_of("\n".join(prefix.format(msg=m) for m in messages) + "\n")
    assert "firewall-failed" in log_kinds(document)
    assert exit_code(document) == 1


_V6_NEAR_MISSES = (
    "router: v6filter = false, v6nat = false",
    "router: v6 = true, v6filter = false, v6nat = false",
    "router: ip6tables filtering is not supported on this host: running [/usr/sbin/ip6tables -S --wait]: exit status 3",
    "router: netfilter running in iptables mode v6 = false, v6filter = false, v6nat = false",
)


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(_STAMPED), st.sampled_from(_V6_NEAR_MISSES))
def test_routine_ipv6_lines_raise_nothing(prefix: str, line: str) -> None:
    document = document_of("\n".join(prefix.format(msg=m) for m in (_ROUTINE, line)) + "\n")
    assert not log_kinds(document) & {"ipv6-tunnel-off", "firewall-failed"}
    assert exit_code(document) == 0
