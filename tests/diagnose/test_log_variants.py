"""Generated tests for tailscaled-log classes found by blind batch 10: a map poll's stream ending once vs.
control staying lost, every protocol name the packet filter prints, crashes of other units in a mixed journal,
and the prefixes and state lines of embedded (tsnet) nodes and stacked container stamps.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.text import split_lines
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_text
from tests.diagnose.test_daemon_log import BAD, NOISE, PREFIXES, _kinds, _log, _mangle

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


# systemd reporting the end of a unit by name, as a mixed journal (`journalctl -b | grep fail`) shows it.
UNIT_ENDS = [
    "{unit}: Main process exited, code=dumped, status=6/ABRT",
    "{unit}: Main process exited, code=exited, status=1/FAILURE",
    "{unit}: Failed with result 'core-dump'.",
    "{unit}: Failed with result 'exit-code'.",
]


@given(
    st.sampled_from(
        ["slurmrestd.service", "postfix@-.service", "pvestatd.service", "smartd.service", "user@1000.service"]
    ),
    st.sampled_from(UNIT_ENDS),
    st.sampled_from(["2025-03-21T10:47:17.100309+00:00 host systemd[1]: ", "Jan 01 14:29:25 pve systemd[1]: "]),
)
@settings(max_examples=40, deadline=None)
def test_another_units_crash_in_a_mixed_journal_is_not_tailscaleds(unit: str, end: str, prefix: str) -> None:
    lines = [
        prefix + end.format(unit=unit),
        "Jan 01 14:31:21 pve tailscaled[1086]: magicsock: derp-10 connected; connGen=1",
    ]
    log = _log(_mangle(lines, "indent"))
    assert "crash" not in _kinds(log), lines
    assert log["exit"] == 0


@pytest.mark.parametrize("end", UNIT_ENDS)
def test_tailscaleds_own_unit_ending_is_still_a_crash(end: str) -> None:
    lines = [
        "Jan 01 14:31:21 pve tailscaled[1086]: magicsock: derp-10 connected; connGen=1",
        "Jan 01 14:31:22 pve systemd[1]: " + end.format(unit="tailscaled.service"),
    ]
    assert "crash" in _kinds(_log("\n".join(lines) + "\n"))


# How an embedded tsnet node's lines reach a paste: Go's log stamp, sing-box's endpoint logger (with or without
# its level and elapsed column), a compose prefix, logfmt with the [Tailscale] tag, or nothing at all.
TSNET_PREFIXES = [
    "{msg}",
    "2025/12/03 18:36:18 {msg}",
    "endpoint/tailscale[tailnet]: {msg}",
    "INFO endpoint/tailscale[ts-ep]: {msg}",
    "TRACE[0000] endpoint/tailscale[ts-ep]: {msg}",
    "tsidp-1  | 2025/12/03 18:36:18 {msg}",
    'time="2026-05-18T22:40:32.186327765+08:00" level=info msg="[Tailscale](ts) {msg}"',
]
TSNET_START = [
    "tsnet running state path /data/tailscaled.state",
    'tsnet starting with hostname "node", varRoot "/data"',
]
# what tsnet prints while it waits for a login (the sing-box fork adds "force_login enabled; ")
TSNET_WAITING = [
    "LocalBackend state is NeedsLogin; running StartLoginInteractive...",
    "LocalBackend state is NeedsLogin; force_login enabled; running StartLoginInteractive...",
    "To start this tsnet server, restart with TS_AUTHKEY set, or go to: https://login.tailscale.com/a/abcd1234",
]


@given(
    st.sampled_from(TSNET_PREFIXES),
    st.lists(st.sampled_from(TSNET_WAITING), min_size=1, max_size=3),
    st.sampled_from([None, "Running", "Starting", "Stopped"]),
    st.sampled_from(["plain", "fence", "crlf"]),
)
@settings(max_examples=80, deadline=None)
def test_a_tsnet_node_needs_login_until_its_auth_loop_is_done(
    prefix: str, waiting: list[str], done: str | None, how: str
) -> None:
    bodies = [*TSNET_START, *waiting] + ([f"AuthLoop: state is {done}; done"] if done else [])
    log = _log(_mangle([prefix.format(msg=body) for body in bodies], how))
    if done is None:
        assert "login-required" in _kinds(log), bodies
        assert log["exit"] == 1
    else:
        assert "login-required" not in _kinds(log), bodies
        assert log["state"] == done
    if done is None and waiting[-1].startswith("LocalBackend"):
        assert log["state"] == "NeedsLogin"


@given(st.sampled_from(TSNET_PREFIXES), st.sampled_from(["NoState", "Starting", "Running"]))
@settings(max_examples=30, deadline=None)
def test_an_ignored_auth_key_is_no_login_problem(prefix: str, state: str) -> None:
    bodies = [
        *TSNET_START,
        f"Authkey is set; but state is {state}. Ignoring authkey. "
        "Re-run with TSNET_FORCE_LOGIN=1 to force use of authkey.",
        "AuthLoop: state is Running; done",
    ]
    log = _log(_mangle([prefix.format(msg=body) for body in bodies], "plain"))
    assert "login-required" not in _kinds(log)
    assert log["state"] == "Running"
    assert log["exit"] == 0


# Docker Desktop's log view puts the host's local time in front of compose's prefix and tailscaled's UTC stamp.
STACKED = [
    "2024-10-04 11:10:42 tailscale-1  | 2024/10/04 02:10:42 {msg}",
    "2024-10-04T11:10:42.123Z ts-sidecar  | 2024/10/04 02:10:42 {msg}",
    "2024-10-04 11:10:42 [ts] | 2024/10/04 02:10:42 {msg}",
]
# What the HTTPS certificate fetch logs (feature/acme/cert.go, prefixed "cert(%q): ").
CERT_STEPS = [
    "registered ACME account.",
    "already had ACME account.",
    "acme: using dns-01: Funnel is not enabled for {name}:443",
    "acme: using tls-alpn-01",
    "starting SetDNS call for _acme-challenge.{name}...",
    "did SetDNS for _acme-challenge.{name}",
    "requesting cert...",
    "got cert",
]


@given(
    st.sampled_from([*PREFIXES, *STACKED]),
    st.lists(st.sampled_from(CERT_STEPS), min_size=1, max_size=5),
    st.sampled_from(["my-service.my-tailscale-network.ts.net", "pihole-1.tail6f487d.ts.net"]),
    st.sampled_from(["plain", "fence"]),
)
@settings(max_examples=80, deadline=None)
def test_a_certificate_fetch_is_read_as_a_healthy_log(prefix: str, steps: list[str], name: str, how: str) -> None:
    lines = [prefix.format(msg=f'cert("{name}"): ' + step.format(name=name)) for step in steps]
    log = _log(_mangle(lines, how))
    assert log["issues"] == [], lines
    assert log["exit"] == 0


@given(st.sampled_from(STACKED), st.sampled_from(["derp-unreachable", "control-unreachable"]))
@settings(max_examples=20, deadline=None)
def test_stacked_desktop_and_compose_prefixes_still_show_problems(prefix: str, kind: str) -> None:
    lines = [prefix.format(msg=BAD[kind][0])] * 2
    assert kind in _kinds(_log(_mangle(lines, "plain")))


# (a tsnet node's prefix says netstack whatever the host's interfaces are)
SYSTEM_PREFIXES = [prefix for prefix in PREFIXES if "[Tailscale]" not in prefix and "endpoint/" not in prefix]


@given(
    st.sampled_from(SYSTEM_PREFIXES),
    st.sampled_from(["tailscale0", "tailscale1"]),
    st.sampled_from(["100.114.50.9/32", "100.64.0.1/32", "fd7a:115c:a1e0::e531:320a/128", "100.127.255.1/32"]),
    st.sampled_from(["LinkChange: major, rebinding: old: ", "monitor: old: ", "LinkChange: minor: new: "]),
)
@settings(max_examples=60, deadline=None)
def test_a_tailscale_device_with_a_tailnet_address_is_kernel_networking(
    prefix: str, device: str, address: str, lead: str
) -> None:
    state = f"interfaces.State{{defaultRoute=eth0 ifs={{eth0:[10.89.1.4/24 llu6] {device}:[{address} llu6]}} v4=true}}"
    log = _log(_mangle([prefix.format(msg=HEALTHY_START), prefix.format(msg=lead + state)], "plain"))
    assert log["userspace"] is False


@pytest.mark.parametrize(
    "ifs",
    [
        "eth0:[10.89.1.4/24 llu6]",  # netstack: no tailscale device
        "eth0:[10.89.1.4/24] tailscale0:[192.168.5.1/24]",  # a device of that name without a tailnet address
        "eth0:[10.89.1.4/24] mytailscale0:[100.64.0.1/32]",
    ],
)
def test_no_tailnet_tailscale_device_says_nothing_about_networking(ifs: str) -> None:
    lines = [
        f"2024/01/12 10:41:06 {HEALTHY_START}",
        f"2024/01/12 10:41:07 LinkChange: major: new: interfaces.State{{ifs={{{ifs}}}}}",
    ]
    assert _log("\n".join(lines) + "\n")["userspace"] is None


@pytest.mark.parametrize(
    "statement",
    ["using fake (no-op) tun device", 'wgengine.NewUserspaceEngine(tun "userspace-networking") ...'],
)
def test_a_hosts_tailscale_device_does_not_override_the_nodes_own_userspace_statement(statement: str) -> None:
    state = "link state: interfaces.State{ifs={tailscale0:[100.64.0.3/32 llu6] wlan0:[192.168.3.17/24]} v4=true}"
    for prefix in ("TRACE[0000] endpoint/tailscale[ts-ep]: ", "2024/01/12 10:41:06 "):
        log = _log("\n".join(prefix + body for body in (statement, state, HEALTHY_START)) + "\n")
        assert log["userspace"] is True


def _findings(text: str) -> dict[str, int]:
    return {finding.rule_id: int(finding.severity) for finding in run_text(text).findings}


NETINFO = (
    "control: NetInfo: NetInfo{{varies=true hairpin= ipv6=false ipv6os=true udp=true icmpv4=false derp=#10 "
    'portmap={portmap} link="" firewallmode="ipt-default"}}'
)


@given(
    st.sampled_from(SYSTEM_PREFIXES),
    st.lists(
        st.tuples(
            st.sampled_from(["jMEaP", "gMIp5", "+XbWr"]), st.sampled_from(["10.1.2.121:58635", "203.0.113.9:41641"])
        ),
        max_size=3,
    ),
    st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_hard_nat_warns_only_while_no_peer_is_seen_direct(
    prefix: str, peers: list[tuple[str, str]], after: bool
) -> None:
    netinfo = prefix.format(msg=NETINFO.format(portmap=""))
    using = [
        prefix.format(msg=f"magicsock: disco: node [{key}] d:4d603761fc7e1dd0 now using {ep} mtu=1360 tx=3d3704ebd3a5")
        for key, ep in peers
    ]
    lines = [*using, netinfo] if after else [netinfo, *using]
    severities = _findings("\n".join(lines) + "\n")
    assert "TS-NETCHECK-HARD-NAT" in severities, lines
    assert (severities["TS-NETCHECK-HARD-NAT"] >= 2) == (not peers), lines


@pytest.mark.parametrize(
    ("cell", "warns"),
    [
        ("active; direct 192.168.1.20:41641, tx 1200 rx 3400", False),
        ('active; relay "fra", tx 1200 rx 3400', True),
        ("-", True),
    ],
)
def test_hard_nat_beside_a_status_reads_its_direct_rows(cell: str, warns: bool) -> None:
    text = (
        "$ tailscale netcheck\n\nReport:\n\t* UDP: true\n\t* IPv4: yes, 198.51.100.20:40001\n"
        "\t* IPv6: no, but OS has support\n\t* MappingVariesByDestIP: true\n\t* PortMapping:\n"
        "\t* Nearest DERP: Frankfurt\n\t* DERP latency:\n\t\t- fra: 12.5ms  (Frankfurt)\n\n"
        "$ tailscale status\n100.64.0.1   me           user@  linux  -\n"
        f"100.64.0.2   nas          user@  linux  {cell}\n"
    )
    assert (_findings(text)["TS-NETCHECK-HARD-NAT"] >= 2) == warns


# `docker compose logs` of a container whose entrypoint runs the CLI: its output carries the service prefix too.
HEALTH_BULLETS = [
    "# Health check:",
    "#     - not connected to home DERP region {region}",
    "#     - Some peers are advertising routes but --accept-routes is false",
]
SERVE_LINES = [
    "2023/12/30 17:44:48 serve: creating a new proxy handler for http://127.0.0.1:8000",
    "2023/12/30 17:44:48 Hostinfo.WireIngress changed to true",
    "2023/12/30 17:44:48 Hostinfo.IngressEnabled changed to false",
]
FUNNEL_OUTPUT = [
    "Available on the internet:",
    "",
    "https://cyber.tailnet-name.ts.net/",
    "|-- proxy http://127.0.0.1:8000",
    "",
    "Funnel started and running in the background.",
]


@given(
    st.sampled_from(["cyberchef-tailscale", "tailscale-1", "ts_1", "app.tailscale"]),
    st.sampled_from(["  | ", " | ", "   |  "]),
    st.sampled_from([1, 12, 900]),
    st.lists(st.sampled_from(SERVE_LINES), min_size=1, max_size=3),
    st.booleans(),
    st.sampled_from(["plain", "fence", "crlf"]),
)
@settings(max_examples=60, deadline=None)
def test_compose_logs_of_a_container_running_the_cli_read_both(
    service: str, bar: str, region: int, serve: list[str], funnel: bool, how: str
) -> None:
    body = [line.format(region=region) for line in HEALTH_BULLETS] + serve + (FUNNEL_OUTPUT if funnel else [])
    lines = [(service + bar + line) if line else service + bar.rstrip() for line in body]
    document = to_json(run_text(_mangle(["docker compose logs tailscale", *lines], how)), 1)
    assert [s["health"] for s in document["statuses"]][0][0] == f"not connected to home DERP region {region}"
    (log,) = document["daemon_logs"]
    assert log["home_derp"]["id"] == str(region)
    assert not {issue["kind"] for issue in log["issues"]} & {"serve-backend-unreachable", "crash", "login-required"}


@pytest.mark.parametrize(
    "text",
    [
        "name | value\nfoo | 1\nbar | 2\nbaz | 3\n",  # a table: every first cell differs
        "see below\nprose line one\nprose two\nmore prose\nts-1 | 2024/01/12 10:41:06 x\nts-1 | y\n",  # a minority
    ],
)
def test_bars_that_are_no_compose_prefix_stay(text: str) -> None:
    assert [line.text for line in split_lines(text) if line.text] == [t for t in text.split("\n") if t]
