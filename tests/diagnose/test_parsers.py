"""Parser details: every layout and cell form, noise handling, JSON and log forms."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.blocks import split_input
from opskit.core.diagnose.models import (
    BlockKind,
    CliErrorKind,
    DerpHomeState,
    Ipv6State,
    PathKind,
    PingOutcome,
    PortMapState,
)
from opskit.core.diagnose.netcheck import parse_go_duration, parse_netcheck_log, parse_netcheck_text
from opskit.core.diagnose.ping import parse_ping
from opskit.core.diagnose.profile import AddressScope, Mapping
from opskit.core.diagnose.status import parse_status, parse_status_row
from opskit.core.diagnose.text import SourceLine, split_lines, undo_go_quoting
from opskit.core.diagnose.windows import parse_windows_error
from tests.diagnose.conftest import by_rule, run_text


def line(text: str, number: int = 1) -> SourceLine:
    return SourceLine(number, text, text)


# ------------------------------------------------------------------------------------------ netcheck


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("5.9ms", 5.9),
        ("24ms", 24.0),
        ("1.0234s", 1023.4),
        ("850µs", 0.85),
        ("1m2s", 62000.0),
        ("", None),
        ("5.", None),
    ],
)
def test_go_durations(text: str, ms: float | None) -> None:
    assert parse_go_duration(text) == (pytest.approx(ms) if ms is not None else None)


def test_v1_78_utc_time_layout_and_verbose_region_names() -> None:
    text = (
        "Report:\n\t* Time: 2025-03-08T10:02:09.839815353Z\n\t* UDP: true\n\t* IPv4: yes, 203.0.113.9:40000\n"
        "\t* IPv6: no, unavailable in OS\n\t* MappingVariesByDestIP: \n\t* PortMapping: not checked\n"
        "\t* Nearest DERP: New York City\n\t* DERP latency:\n\t\t- nyc: 5.1ms   (derp1, New York City)\n"
        "\t\t- sfo:         (derp2, San Francisco)\n"
    )
    report = parse_netcheck_text(split_lines(text))
    assert report.layout == "text v1.78-v1.99"
    assert report.mapping_varies is None
    assert report.portmap_state is PortMapState.NOT_CHECKED
    assert report.ipv6_state is Ipv6State.NONE
    assert [(d.code, d.region_id, d.name, d.latency_ms) for d in report.latencies] == [
        ("nyc", 1, "New York City", pytest.approx(5.1)),
        ("sfo", 2, "San Francisco", None),
    ]


def test_portmapping_forms() -> None:
    for value, state, protocols in [
        ("UPnP, NAT-PMP, PCP", PortMapState.FOUND, ("UPnP", "NAT-PMP", "PCP")),
        ("", PortMapState.NONE_FOUND, ()),
        ("binary built without portmapper support", PortMapState.UNSUPPORTED, ()),
    ]:
        report = parse_netcheck_text(split_lines(f"Report:\n* UDP: true\n* PortMapping: {value}\n"))
        assert (report.portmap_state, report.portmap_protocols) == (state, protocols)
    # Line absent (pre-v1.6): unknown, not "none".
    assert parse_netcheck_text(split_lines("Report:\n* UDP: true\n")).portmap_state is PortMapState.UNKNOWN


def test_json_format_with_warning_banner() -> None:
    document = {
        "UDP": True,
        "IPv4": True,
        "IPv6": False,
        "OSHasIPv6": True,
        "MappingVariesByDestIP": True,
        "UPnP": False,
        "PMP": True,
        "PCP": False,
        "PreferredDERP": 7,
        "RegionLatency": {"7": 35_000_000, "1": 120_500_000},
        "GlobalV4": "198.51.100.7:52000",
        "GlobalV6": "",
        "CaptivePortal": "",
        "Now": "2026-09-01T07:00:00Z",
    }
    text = "# Warning: this JSON format is not yet considered a stable interface\n" + json.dumps(document, indent=2)
    diagnosis = run_text(text)
    (profile,) = diagnosis.profiles
    assert profile.report.layout == "json"
    assert profile.mapping is Mapping.HARD and profile.portmap_usable
    assert profile.report.portmap_protocols == ("NAT-PMP",)
    assert profile.report.ipv6_state is Ipv6State.OS_ONLY
    assert profile.report.captive_portal is None
    assert [d.latency_ms for d in profile.report.latencies] == [35.0, 120.5]
    assert profile.home_derp == "#7"
    assert not diagnosis.warnings


def test_json_that_is_not_netcheck_is_not_recognised() -> None:
    from opskit.errors import InputError

    with pytest.raises(InputError) as raised:
        run_text('{"Version": "1.2.3", "Peer": {}}')
    assert "no Tailscale output recognised" in raised.value.describe()


def test_tailscaled_log_report_line() -> None:
    log = (
        "2026/09/01 12:00:00 netcheck: [v1] report: udp=true v6=false v6os=true mapvarydest=true "
        "portmap=active-U v4a=198.51.100.20:41641 derp=21 derpdist=21v4:36ms,21v6:30ms,1v4:80ms"
    )
    report = parse_netcheck_log(line(log))
    assert report is not None
    assert report.udp is True and report.mapping_varies is True
    assert report.ipv6_state is Ipv6State.OS_ONLY
    assert report.portmap_protocols == ("UPnP",)
    assert report.ipv4_endpoint == "198.51.100.20:41641"
    assert [(d.region_id, d.latency_ms) for d in report.latencies] == [(21, 30.0), (1, 80.0)]
    assert report.derp_home == "#21"


def test_tailscaled_log_report_unknown_fields_stay_unknown() -> None:
    report = parse_netcheck_log(
        line("netcheck: report: udp=false v4=false icmpv4=false v6=false mapvarydest= portmap=? derp=0")
    )
    assert report is not None
    assert report.udp is False and report.mapping_varies is None
    assert report.portmap_state is PortMapState.NOT_CHECKED
    assert report.derp_home_state is DerpHomeState.NO_RESPONSE


def test_netinfo_log_line() -> None:
    text = (
        "control: NetInfo: NetInfo{varies=true hairpin= ipv6=false ipv6os=true udp=true icmpv4=false "
        "derp=#20 "
        'portmap= link="" firewallmode="ipt-default"}'
    )
    report = parse_netcheck_log(line(text))
    assert report is not None
    assert report.layout == "tailscaled log (NetInfo)"
    assert report.mapping_varies is True and report.hairpinning is None
    assert report.portmap_state is PortMapState.NONE_FOUND
    assert report.derp_home == "#20"


def test_several_log_reports_use_the_last_and_say_so() -> None:
    text = "\n".join(
        f"netcheck: report: udp=true v6=false mapvarydest={v} portmap= v4a=198.51.100.5:41641 derp=9"
        for v in ("false", "true")
    )
    diagnosis = run_text(text, "gw")
    assert diagnosis.profiles[0].mapping is Mapping.HARD
    assert any("2 netcheck reports; using the last one (line 2)" in w for w in diagnosis.warnings)


def test_v1_30_4in6_bug_and_lan_stun_artefacts() -> None:
    bug = "Report:\n* UDP: true\n* IPv4: (no addr found)\n* IPv6: yes, [::ffff:198.51.100.3]:41000\n"
    diagnosis = run_text(bug)
    assert not diagnosis.profiles[0].ipv6_global
    assert by_rule(diagnosis, "TS-NETCHECK-V4MAPPED-BUG")
    lan = "Report:\n* UDP: true\n* IPv4: yes, 192.168.100.1:5000\n* MappingVariesByDestIP: true\n* PortMapping:\n"
    diagnosis = run_text(lan)
    (profile,) = diagnosis.profiles
    assert profile.ipv4_scope is AddressScope.PRIVATE and profile.mapping is Mapping.UNKNOWN
    (finding,) = by_rule(diagnosis, "TS-NETCHECK-LAN-STUN")
    assert "192.168.100.1" in finding.cause and "artefact" in finding.cause
    assert "TS-NETCHECK-HARD-NAT" not in {f.rule_id for f in diagnosis.findings}


def test_noise_curly_quotes_markdown_and_truncated_last_line() -> None:
    text = (
        "> Here is my output:\n"
        "```text\n"
        "$ tailscale netcheck\n"
        "2026/01/01 10:00:00 portmap: UPnP reply from 192.168.1.1\n"
        "Report:   \n"
        "    * UDP: true   \n"
        "    * IPv4: yes, 198.51.100.10:1234\n"
        "    * MappingVariesByDestIP: false\n"
        "    * Nearest DERP: Frankfurt\n"
        "    * DERP latency:\n"
        "        - fra: 12ms    (Frankfurt)\n"
        "        - ams: 1"
    )
    split = split_input(text)
    assert [b.kind for b in split.blocks] == [BlockKind.NETCHECK]
    report = parse_netcheck_text(split.blocks[0].lines)
    assert report.udp is True and report.mapping_varies is False
    # The cut-off "- ams: 1" keeps the region but no made-up latency, and marks the report truncated.
    assert report.truncated is True
    assert [(d.code, d.latency_ms, d.cut_off) for d in report.latencies] == [
        ("fra", 12.0, False),
        ("ams", None, True),
    ]
    assert "TS-NETCHECK-DERP-SILENT" not in {f.rule_id for f in run_text(text).findings}
    # The intro line is reported; prompt, fence and portmap log line are silent noise.
    assert [r.lines[0].number for r in split.skipped] == [1]


def test_two_outputs_in_one_paste_are_split_by_content() -> None:
    text = (
        "Report:\n* UDP: true\n* IPv4: yes, 198.51.100.1:1\n* MappingVariesByDestIP: false\n"
        "Report:\n* UDP: false\n"
        "100.64.0.1  me  u@  linux  -\n"
        "pong from peer (100.64.0.2) via DERP(fra) in 30ms\n"
        "direct connection not established\n"
    )
    kinds = [b.kind for b in split_input(text).blocks]
    assert kinds == [BlockKind.NETCHECK, BlockKind.NETCHECK, BlockKind.STATUS, BlockKind.PING]


# -------------------------------------------------------------------------------------------- status


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("-", dict(active=False, path=PathKind.NONE)),
        ("idle", dict(idle=True)),
        ("idle; exit node", dict(idle=True, exit_node="exit node")),
        (
            "idle; offers exit node; offline, last seen 2h ago",
            dict(exit_node="offers exit node", offline=True, last_seen="2h ago"),
        ),
        ("offline", dict(offline=True)),
        ("offline, last seen 3d ago", dict(offline=True, last_seen="3d ago")),
        (
            'active; relay "fra", tx 100 rx 200',
            dict(active=True, path=PathKind.DERP, relay_region="fra", tx=100, rx=200),
        ),
        (
            "active; direct 198.51.100.1:41641, tx 1 rx 2",
            dict(path=PathKind.DIRECT, direct_addr="198.51.100.1:41641"),
        ),
        ("active; direct [2001:db8::1]:41641", dict(path=PathKind.DIRECT, direct_addr="[2001:db8::1]:41641")),
        (
            "active; peer-relay 198.51.100.9:7777:vni:1, tx 5 rx 6",
            dict(path=PathKind.PEER_RELAY, peer_relay="198.51.100.9:7777:vni:1"),
        ),
        (
            'active; exit node; relay "tor"; offline, last seen 5m ago, tx 9 rx 0',
            dict(exit_node="exit node", offline=True, rx=0),
        ),
        ('active; offers exit node; relay "sfo"', dict(exit_node="offers exit node", path=PathKind.DERP)),
    ],
)
def test_status_cell_forms(cell: str, expected: dict[str, object]) -> None:
    peer = parse_status_row(line(f"100.64.0.7      peer-host            someone@     linux   {cell}"))
    assert peer is not None, cell
    for key, value in expected.items():
        assert getattr(peer, key) == value, (cell, key)


def test_status_rows_without_ip_ipv6_only_punycode_and_quoted_hostname() -> None:
    assert parse_status_row(line("fd7a:115c:a1e0::1  v6host  u@  linux  idle")) is not None
    assert parse_status_row(line('100.64.0.9  ("my host")  u@  windows  -')) is not None
    assert parse_status_row(line("100.64.0.9  xn--bcher-kva (bücher)  u@  macOS  idle")) is not None
    # Not status rows: prose and netcheck lines.
    assert parse_status_row(line("The quick brown fox jumps")) is None
    assert parse_status_row(line("* UDP: true")) is None


def test_status_health_and_state_messages() -> None:
    text = (
        "# Health check:\n#     - not connected to home DERP region 999\n#     - not in map poll\n"
        "100.64.0.1  me  u@  linux  -\n"
    )
    report = parse_status(split_lines(text))
    assert [h.text for h in report.health] == ["not connected to home DERP region 999", "not in map poll"]
    diagnosis = run_text(text)
    (finding,) = by_rule(diagnosis, "TS-STATUS-HEALTH")
    assert [e.line for e in finding.evidence] == [2, 3]
    diagnosis = run_text("$ tailscale status\nTailscale is stopped.\n")
    (stopped,) = by_rule(diagnosis, "TS-STATUS-NOT-RUNNING")
    assert "--unattended" in stopped.fix


# ---------------------------------------------------------------------------------------------- ping


def test_ping_timeouts_and_errors() -> None:
    timeouts = parse_ping(split_lines('ping "100.64.0.5" timed out\nping "100.64.0.5" timed out\nno reply\n'))
    assert timeouts.outcome is PingOutcome.TIMEOUT and len(timeouts.timeouts) == 2
    old = parse_ping(split_lines("timeout waiting for ping reply\n"))
    assert old.outcome is PingOutcome.TIMEOUT
    err = parse_ping(split_lines('error looking up IP of "nas": no such host\n'))
    assert err.outcome is PingOutcome.ERROR
    me = parse_ping(split_lines("100.64.0.1 is local Tailscale IP\n"))
    assert me.outcome is PingOutcome.SELF
    with_port = parse_ping(split_lines("pong from nas (100.64.0.5, 41234) via 198.51.100.2:41641 in 12ms\n"))
    assert with_port.outcome is PingOutcome.DIRECT and with_port.pongs[0].latency_ms == 12.0


def test_tailscale_ping_ok_but_os_ping_fails_means_host_firewall() -> None:
    text = (
        "PS C:\\> tailscale ping nas\n"
        "pong from nas (100.64.0.5) via 198.51.100.2:41641 in 12ms\n"
        "PS C:\\> ping 100.64.0.5\n"
        "Pinging 100.64.0.5 with 32 bytes of data:\n"
        "Request timed out.\nRequest timed out.\n"
        "Ping statistics for 100.64.0.5:\n"
        "    Packets: Sent = 2, Received = 0, Lost = 2 (100% loss),\n"
    )
    diagnosis = run_text(text)
    (finding,) = by_rule(diagnosis, "TS-PING-HOST-FIREWALL")
    assert "host firewall" in finding.cause
    assert finding.evidence[0].line == 2 and finding.evidence[1].text == "Request timed out."


# ------------------------------------------------------------------------------------------- windows


def test_go_quoting_is_undone() -> None:
    assert undo_go_quoting(r"DOMAIN\\user") == "DOMAIN\\user"
    assert undo_go_quoting(r"a\"b") == 'a"b'


@pytest.mark.parametrize(
    ("message", "owner", "caller", "mode"),
    [
        (
            '401 Unauthorized: Tailscale running in server mode ("ADMIN01\\\\Administrator"); '
            'connection from "DOMAIN\\\\BBuchanan" not allowed',
            "ADMIN01\\Administrator",
            "DOMAIN\\BBuchanan",
            "running in server mode",
        ),
        (
            '401 Unauthorized: Tailscale already in use ("PC\\\\alice"); connection from "PC\\\\bob" not allowed',
            "PC\\alice",
            "PC\\bob",
            "already in use",
        ),
        (
            "401 Unauthorized: Tailscale already in use by PC\\alice, pid 4242",
            "PC\\alice",
            None,
            "already in use",
        ),
        (
            "401 Unauthorized: Tailscale already in use by NT AUTHORITY\\SYSTEM",
            "NT AUTHORITY\\SYSTEM",
            None,
            "already in use",
        ),
        (
            "Tailscale running in server mode as PC\\alice. Access denied.",
            "PC\\alice",
            None,
            "running in server mode",
        ),
        (
            '401 Unauthorized: Tailscale running in server mode ("S-1-5-21-1-2-3-1001"); '
            'connection from "PC\\\\bob" not allowed',
            "S-1-5-21-1-2-3-1001",
            "PC\\bob",
            "running in server mode",
        ),
    ],
)
def test_owner_and_caller_across_versions(message: str, owner: str, caller: str | None, mode: str) -> None:
    error = parse_windows_error(line(message))
    assert error is not None and error.kind is CliErrorKind.NOT_OWNER
    assert (error.owner, error.caller, error.mode) == (owner, caller, mode)


def test_stale_sid_owner_puts_the_stale_owner_cause_first() -> None:
    diagnosis = run_text(
        '401 Unauthorized: Tailscale running in server mode ("S-1-5-21-1-2-3-1001"); connection from '
        '"PC\\\\bob" not allowed'
    )
    (finding,) = by_rule(diagnosis, "TS-WIN-NOT-OWNER")
    assert finding.cause.index("deleted or renamed") < finding.cause.index("on Windows the LocalAPI admits")
    assert "psexec -s" in finding.fix


def test_truncated_caller_is_flagged() -> None:
    error = parse_windows_error(line('Tailscale running in server mode ("PC\\\\alice"); connection from "DOM'))
    assert error is not None and error.truncated and error.caller == "DOM"


@pytest.mark.parametrize(
    ("message", "kind", "rule_id"),
    [
        (
            'Get "http://local-tailscaled.sock/localapi/v0/status": context deadline exceeded',
            CliErrorKind.DEADLINE,
            "TS-WIN-DEADLINE",
        ),
        (
            "Tailscale backend error: failed to look up user from userid: The trust relationship between "
            "this "
            "workstation and the primary domain failed.",
            CliErrorKind.DOMAIN_TRUST,
            "TS-WIN-DOMAIN-TRUST",
        ),
        (
            "failed to connect to local tailscaled process; is the Tailscale service running?",
            CliErrorKind.SERVICE_NOT_RUNNING,
            "TS-WIN-SERVICE-NOT-RUNNING",
        ),
        (
            "Failed to connect to Tailscale service.",
            CliErrorKind.GUI_CANNOT_CONNECT,
            "TS-WIN-SERVICE-NOT-RUNNING",
        ),
        (
            'Warning: client version "1.80.0-t1" != tailscaled server version "1.78.1-t2"',
            CliErrorKind.VERSION_MISMATCH,
            "TS-WIN-VERSION-MISMATCH",
        ),
        (
            "Access denied: checkprefs access denied",
            CliErrorKind.UNIX_ACCESS_DENIED,
            "TS-LOCALAPI-ACCESS-DENIED",
        ),
    ],
)
def test_other_windows_errors(message: str, kind: CliErrorKind, rule_id: str) -> None:
    error = parse_windows_error(line(message))
    assert error is not None and error.kind is kind
    assert by_rule(run_text(message), rule_id)


BOUNDARY_ADDRESSES = [
    "0.0.0.1",
    "10.1.2.3",
    "100.63.255.255",
    "100.64.0.0",
    "100.127.255.255",
    "100.128.0.0",
    "127.0.0.1",
    "169.254.1.1",
    "172.15.255.255",
    "172.16.0.0",
    "172.31.255.255",
    "172.32.0.0",
    "192.0.0.8",
    "192.0.2.1",
    "192.88.99.1",
    "192.168.1.1",
    "198.17.255.255",
    "198.18.0.1",
    "198.19.255.255",
    "198.20.0.0",
    "198.51.100.5",
    "203.0.113.9",
    "224.0.0.1",
    "239.255.255.255",
    "240.0.0.1",
    "255.255.255.255",
    "8.8.8.8",
]


@pytest.mark.parametrize("text", BOUNDARY_ADDRESSES)
def test_fast_ipv4_scope_boundaries(text: str) -> None:
    import ipaddress

    test_fast_ipv4_scope_agrees_with_ipaddress.hypothesis.inner_test(int(ipaddress.IPv4Address(text)))


@settings(max_examples=2000, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_fast_ipv4_scope_agrees_with_ipaddress(value: int) -> None:
    import ipaddress

    from opskit.core.diagnose.profile import _DOCUMENTATION, _SHARED, _ipv4_fast_scope

    address = ipaddress.IPv4Address(value)
    fast = _ipv4_fast_scope(str(address))
    if fast is None:
        return
    if address in _SHARED:
        expected = AddressScope.SHARED
    elif any(address in n for n in _DOCUMENTATION):
        expected = AddressScope.PUBLIC
    elif address.is_private or address.is_loopback or address.is_link_local:
        expected = AddressScope.PRIVATE
    else:
        expected = AddressScope.PUBLIC
    assert fast is expected, str(address)


STATUS_JSON = """$ tailscale status --json
{
  "Version": "1.82.5-t1234",
  "BackendState": "Running",
  "Self": {
    "HostName": "a-pc",
    "DNSName": "a-pc.tailnet.example.",
    "OS": "windows",
    "TailscaleIPs": ["100.64.0.1", "fd7a:115c:a1e0::1"],
    "Relay": "hws",
    "CurAddr": "",
    "Active": false,
    "Online": true,
    "RxBytes": 0,
    "TxBytes": 0
  },
  "Health": ["not connected to home DERP region 901"],
  "Peer": {
    "nodekey:aaaa": {
      "HostName": "c",
      "OS": "linux",
      "TailscaleIPs": ["100.64.0.3"],
      "Relay": "hws",
      "CurAddr": "",
      "Active": true,
      "Online": true,
      "RxBytes": 0,
      "TxBytes": 5000
    },
    "nodekey:bbbb": {
      "HostName": "b-pc",
      "OS": "windows",
      "TailscaleIPs": ["100.64.0.2"],
      "Relay": "hws",
      "CurAddr": "192.168.1.23:41641",
      "Active": true,
      "Online": false,
      "RxBytes": 1100,
      "TxBytes": 1200
    }
  }
}
"""


def test_status_json_is_parsed_like_the_text_form() -> None:
    diagnosis = run_text(STATUS_JSON, "a")
    assert [b.kind for b in diagnosis.blocks] == ["status"]
    assert diagnosis.blocks[0].layout == "json"
    (tx,) = by_rule(diagnosis, "TS-STATUS-TX-NO-RX")
    assert tx.extra["peer"] == "c" and tx.evidence[0].line == 20  # the peer's "HostName" line
    (offline,) = by_rule(diagnosis, "TS-STATUS-ACTIVE-OFFLINE")
    assert offline.extra["peer"] == "b-pc"
    (health,) = by_rule(diagnosis, "TS-STATUS-HEALTH")
    assert "home DERP region 901" in health.cause and health.evidence[0].line == 17


def test_output_glued_to_a_fence_is_still_read() -> None:
    text = "```Report:\n* UDP: true\n* IPv4: yes, 198.51.100.7:1\n* MappingVariesByDestIP: true```\n"
    diagnosis = run_text(text)
    assert diagnosis.profiles[0].mapping is Mapping.HARD
    assert not diagnosis.warnings


def test_netcheck_flattened_onto_one_line_by_a_chat_client() -> None:
    text = (
        "my netcheck: Report: * UDP: true * IPv4: yes, 198.51.100.8:1234 * IPv6: no, but OS has support "
        "* MappingVariesByDestIP: true * PortMapping: UPnP * Nearest DERP: Frankfurt * DERP latency: "
        "- fra: 12.5ms (Frankfurt) - ams: 18ms (Amsterdam)\n"
    )
    diagnosis = run_text(text)
    (profile,) = diagnosis.profiles
    assert profile.mapping is Mapping.HARD and profile.report.portmap_protocols == ("UPnP",)
    assert [d.code for d in profile.report.latencies] == ["fra", "ams"]
    assert profile.home_derp == "Frankfurt"
    # Evidence still points at line 1, quoting the field.
    (hard,) = by_rule(diagnosis, "TS-NETCHECK-HARD-NAT")
    assert (hard.evidence[0].line, hard.evidence[0].text) == (1, "* MappingVariesByDestIP: true")
    assert diagnosis.warnings == ("node.txt: skipped line 1 (not recognised): 'my netcheck:'",)


def test_in_use_by_another_session_suggests_signing_it_out() -> None:
    diagnosis = run_text(
        '401 Unauthorized: Tailscale already in use ("PC\\\\alice"); connection from "PC\\\\bob" not allowed'
    )
    (finding,) = by_rule(diagnosis, "TS-WIN-NOT-OWNER")
    assert "another Windows session" in finding.cause
    assert finding.fix.index('run the CLI as "PC\\alice"') < finding.fix.index("quit its Tailscale tray app")
    system = run_text("401 Unauthorized: Tailscale already in use by NT AUTHORITY\\SYSTEM")
    (by_system,) = by_rule(system, "TS-WIN-NOT-OWNER")
    assert "psexec -s" in by_system.fix and "#17875" in by_system.fix


def test_line_numbers_follow_newlines_like_an_editor() -> None:
    text = "Report:\r\n* UDP: true\x0c\r\n* IPv4: yes, 198.51.100.4:1\u2028\n* MappingVariesByDestIP: true\r"
    lines = split_lines(text)
    assert [(x.number, x.text) for x in lines if x.text] == [
        (1, "Report:"),
        (2, "* UDP: true"),
        (3, "* IPv4: yes, 198.51.100.4:1"),
        (4, "* MappingVariesByDestIP: true"),
    ]
