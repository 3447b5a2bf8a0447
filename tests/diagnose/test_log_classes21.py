"""Generated tests for tailscaled-log classes found by blind batch 21: sing-box's full-timestamp lines and the
home region magicsock names in a peer's DERP route, open-conn-track's 2021 "target node" wording, a daemon started
by hand that dies at start-up (the network monitor or the TUN device), and a Home Assistant add-on's start-up giving
up after tailscaled came up.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.daemonlog.grammar import message_of
from tests.diagnose.conftest import run_json
from tests.diagnose.test_daemon_log import _kinds, _log, _mangle

# sing-box's log formatter (log/format.go): "<zone> <date> <time> LEVEL [id duration] tag: message" with its
# default full TimestampFormat "-0700 2006-01-02 15:04:05"; the id column only inside a connection's context.
SINGBOX_FULL = [
    "+0000 2025-10-06 17:57:54 TRACE endpoint/tailscale[ts-ep]: {msg}",
    "+0800 2025-10-06 17:57:54 DEBUG endpoint/tailscale[tailnet]: {msg}",
    "-0700 2024-12-31 23:59:59 INFO endpoint/tailscale[ts]: {msg}",
    "+0530 2025-01-02 03:04:05 WARN [3564458473 12ms] endpoint/tailscale[ts-ep]: {msg}",
    "+0000 2025-10-06 17:57:54 ERROR [12 1.5s] endpoint/tailscale[ts-ep]: {msg}",
]
MESSAGES = [
    "magicsock: derp-7 connected; connGen=1",
    "wgengine: Reconfig: configuring userspace WireGuard config (with 1/8 peers)",
    "[v1] magicsock: derp route for [lvsTt] set to derp-7 (our home)",
]


@given(st.sampled_from(SINGBOX_FULL), st.sampled_from(MESSAGES))
@settings(max_examples=40, deadline=None)
def test_singbox_full_timestamp_lines_are_the_endpoints_tsnet_lines(prefix: str, message: str) -> None:
    peeled = message_of(prefix.format(msg=message))
    assert peeled.text == message.removeprefix("[v1] ")
    assert peeled.process == "tsnet"


# magicsock's setPeerLastDerpLocked (wgengine/magicsock/derp.go): "our home" and "shared home" are this node's home
# region; "their home" and "alt" are not.
OUR_HOME = [
    "[v1] magicsock: derp route for [lvsTt] set to derp-{id} (our home)",
    "[v1] magicsock: derp route for [lvsTt] set to derp-{id} (shared home)",
    "[v1] magicsock: derp route for [ab+Cd] changed from derp-{other} => derp-{id} (our home)",
    "[v1] magicsock: derp route for [ab+Cd] changed from derp-{other} => derp-{id} (shared home)",
]
NOT_OURS = [
    "[v1] magicsock: derp route for [lvsTt] set to derp-{other} (their home)",
    "[v1] magicsock: derp route for [lvsTt] changed from derp-{id} => derp-{other} (alt)",
]
PREFIXES = [
    "{msg}",
    "2025/10/06 17:57:59 {msg}",
    "Oct 06 17:57:59 host tailscaled[123]: {msg}",
    *SINGBOX_FULL,
]


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(OUR_HOME),
    st.sampled_from(NOT_OURS),
    st.sampled_from([(7, 4), (1, 9), (12, 2)]),
    st.sampled_from(["plain", "fence", "crlf"]),
)
@settings(max_examples=60, deadline=None)
def test_the_derp_route_of_a_peer_names_our_home_region(
    prefix: str, ours: str, theirs: str, ids: tuple[int, int], how: str
) -> None:
    home, other = ids
    lines = [
        prefix.format(msg="wgengine: idle peer [lvsTt] now active, reconfiguring WireGuard"),
        prefix.format(msg=ours.format(id=home, other=other)),
        prefix.format(msg=theirs.format(id=home, other=other)),
    ]
    log = _log(_mangle(lines, how))
    assert log["home_derp"] is not None and log["home_derp"]["id"] == str(home), lines
    assert "derp-unreachable" not in _kinds(log)


@given(st.sampled_from(PREFIXES), st.sampled_from(NOT_OURS))
@settings(max_examples=20, deadline=None)
def test_a_peers_own_home_is_not_ours(prefix: str, theirs: str) -> None:
    lines = [prefix.format(msg="magicsock: endpoints changed: 192.0.2.1:41641 (stun)"), prefix.format(msg=theirs)]
    assert _log(_mangle([line.format(id=3, other=5) for line in lines], "plain"))["home_derp"] is None


# wgengine/pendopen.go's diagnoses of a TCP open that timed out, as worded since 85e54af0d (2021; "wireguard" lower
# case until f9e86e64b), with the flow as Go printed it (with or without the protocol) and the stamps of the time.
PENDOPEN_DIAGNOSES = [
    "target node [{key}] in netmap but unknown to wireguard",
    "target node [{key}] in netmap but unknown to WireGuard",
    "peer node [{key}] running pre-0.100",
    "peer node [{key}] not connected to any DERP relay",
]
FLOWS = [
    "([fd7a:115c:a1e0:ab12:4843:cd96:6279:6a74]:51448 => [2620:149:a41:203::a]:443)",
    "(TCP 100.64.0.2:40730 => 100.64.0.9:443)",
    "(100.101.102.103:51448 => 93.184.216.34:443)",
]
STAMPS = [
    "{msg}",
    "2021-04-20 15:14:36.185541 +0000 UTC: {msg}",
    "2021/04/20 15:14:36 {msg}",
    "Apr 20 15:14:36 host tailscaled[871]: {msg}",
]


@given(
    st.sampled_from(STAMPS),
    st.sampled_from(PENDOPEN_DIAGNOSES),
    st.lists(st.sampled_from(FLOWS), min_size=1, max_size=6),
    st.sampled_from(["plain", "fence", "quote"]),
)
@settings(max_examples=60, deadline=None)
def test_every_pendopen_diagnosis_of_a_timed_out_open_is_an_unreachable_peer(
    stamp: str, diagnosis: str, flows: list[str], how: str
) -> None:
    lines = [
        stamp.format(msg=f"open-conn-track: timeout opening {flow}; {diagnosis.format(key='ofyoE')}") for flow in flows
    ]
    log = _log(_mangle(lines, how))
    issues = [issue for issue in log["issues"] if issue["kind"] == "peer-unreachable"]
    assert [issue["about"] for issue in issues] == ["ofyoE"], lines
    assert "no-peer-for-address" not in _kinds(log)
    assert log["exit"] == 1


# tailscaled started from a shell and dying at once on a start-up error run() returns (main log.Fatal()s it): the
# network monitor (v1.40- "netmon.New: %w", v1.2-v1.38 "creating link monitor: %v") on a kernel without the netlink
# route family (VMware ESXi, WSL 1, gVisor), or the LocalAPI socket. The typed command line comes first.
TYPED = [
    "./tailscaled --state=tailscaled.state -verbose 5",
    "sudo ./tailscaled --state=/tmp/ts.state",
    "tailscaled -verbose 5",
    "$ sudo tailscaled --tun=userspace-networking",
    "[root@esxi:~] ./tailscaled --state=tailscaled.state",
    "[root@host ~]# ./tailscaled --state=/var/lib/tailscale/tailscaled.state",
]
STARTUP_FATAL = [
    "netmon.New: route ip+net: netlinkrib: address family not supported by protocol",
    "netmon.New: route ip+net: netlinkrib: permission denied",
    "creating link monitor: route ip+net: netlinkrib: address family not supported by protocol",
]
GO_STAMPS = ["{msg}", "2023/09/16 19:44:20 {msg}", "2023/09/16 19:44:20.123456 {msg}"]


@given(
    st.sampled_from(TYPED),
    st.sampled_from(GO_STAMPS),
    st.sampled_from(STARTUP_FATAL),
    st.sampled_from(["plain", "fence", "crlf", "indent"]),
)
@settings(max_examples=60, deadline=None)
def test_a_daemon_typed_in_a_shell_that_dies_at_start_up(typed: str, stamp: str, fatal: str, how: str) -> None:
    log = _log(_mangle([typed, stamp.format(msg=fatal)], how))
    assert {"crash", "hand-started"} <= _kinds(log), (typed, fatal)
    assert log["hand_started"] is True
    assert not {"tun-unavailable", "state-unwritable", "control-unreachable"} & _kinds(log)
    assert log["exit"] == 1


@given(st.sampled_from(GO_STAMPS), st.sampled_from(STARTUP_FATAL))
@settings(max_examples=20, deadline=None)
def test_the_network_monitors_start_up_error_alone_is_a_crash(stamp: str, fatal: str) -> None:
    log = _log(stamp.format(msg=fatal) + "\n")
    assert "crash" in _kinds(log)
    assert log["hand_started"] is None


# A re-wrapped 1.2x start on a kernel without TUN (WSL 1, a container without /dev/net/tun): the user's (or the
# terminal's) wraps split "Program starting" inside its Go version or before its argv, and the engine error right
# after "error:" (cmd/tailscaled tryEngine: "wgengine.NewUserspaceEngine(tun %q) error: %v"); the cause follows on
# lines of its own, then the daemon exits ("flushing log.").
def _start_pieces(argv: str) -> list[list[str]]:
    head = "Program starting: v1.26.0-te635c1a0b-g63b494195, Go"
    return [
        [head, f"1.18.3-ts04d67b90d8: []string{{{argv}}}"],
        [f"{head} 1.18.3-ts04d67b90d8:", f"[]string{{{argv}}}"],
        [f"{head} 1.18.3-ts04d67b90d8: []string{{{argv}}}"],
    ]


TUN_FAILURE = [
    "LogID: 898ca950bcc7e4664773f5955f728624c8cceb897e94defba3be08281795ecf7",
    'wgengine.NewUserspaceEngine(tun "tailscale0") ...',
    "Linux kernel version: 4.4.0-17763-Microsoft",
    "is CONFIG_TUN enabled in your kernel? `modprobe tun` failed with:",
    "modprobe: FATAL: Module tun not found in directory",
    "/lib/modules/4.4.0-17763-Microsoft",
    "tun module not loaded nor found on disk",
]
ENGINE_ERRORS = [
    ['wgengine.NewUserspaceEngine(tun "tailscale0") error:', 'tstun.New("tailscale0"): CreateTUN("tailscale0") failed; '
     "/dev/net/tun", "does not exist"],
    ['wgengine.NewUserspaceEngine(tun "tailscale0") error: tstun.New("tailscale0"): CreateTUN("tailscale0") failed;',
     "/dev/net/tun does not exist"],
]  # fmt: skip
HAND_ARGV = ['"tailscaled"', '"./tailscaled", "--state=ts.state"', '"bin/tailscaled", "-verbose", "1"']
SERVICE_ARGV = [
    '"/usr/sbin/tailscaled", "--state=/var/lib/tailscale/tailscaled.state", "--socket=/run/tailscale/ts.sock"'
]


@given(
    st.sampled_from([*HAND_ARGV, *SERVICE_ARGV]),
    st.sampled_from(range(3)),
    st.sampled_from(ENGINE_ERRORS),
    st.sampled_from(["plain", "fence", "crlf"]),
)
@settings(max_examples=60, deadline=None)
def test_a_rewrapped_start_without_tun_is_a_crash_and_says_who_started_it(
    argv: str, wrap: int, engine_error: list[str], how: str
) -> None:
    lines = [*_start_pieces(argv)[wrap], *TUN_FAILURE, *engine_error, "flushing log."]
    log = _log(_mangle(lines, how))
    assert {"tun-unavailable", "crash"} <= _kinds(log), lines
    assert log["version"] == "1.26.0"
    # (an absolute path alone does not prove a service: unknown, not False)
    assert (log["hand_started"] is True) is (argv in HAND_ARGV), lines
    assert ("hand-started" in _kinds(log)) is (argv in HAND_ARGV)


@given(st.sampled_from(range(3)), st.sampled_from(ENGINE_ERRORS))
@settings(max_examples=10, deadline=None)
def test_a_wrapped_engine_error_with_a_fallback_tun_is_no_crash(wrap: int, engine_error: list[str]) -> None:
    argv = '"/usr/sbin/tailscaled", "--tun=tailscale0,userspace-networking"'
    lines = [*_start_pieces(argv)[wrap], *TUN_FAILURE, *engine_error]
    log = _log(_mangle(lines, "plain"))
    assert "crash" not in _kinds(log), lines
    assert log["userspace"] is True


# The Home Assistant add-on (hassio-addons/addon-tailscale and its forks) giving up after `tailscale up`/`set` with its
# options failed: the CLI's refusal, then bashio::exit.nok "Unable to start up Tailscale" under any stamp; the add-on
# stops, tailscaled with it, even when tailscaled itself had come up (Running, a home relay).
ADDON_TAILSCALED = [
    "2025/11/04 15:59:23 Switching ipn state Starting -> Running (WantRunning=true, nm=true)",
    "2025/11/04 15:59:23 magicsock: derp-11 connected; connGen=1",
    "2025/11/04 15:59:23 health(warnable=no-derp-connection): ok",
]
CLI_REFUSALS = [
    ('"" is not a valid IP address or CIDR prefix', "cli-usage"),
    ('"10.10.11.1" is not a valid IP address or CIDR prefix', "cli-usage"),
    ("backend error: invalid key: unable to validate API key", "auth-key-rejected"),
]
VERDICTS = [
    "[15:59:25] FATAL: Unable to start up Tailscale",
    "2025/11/04 15:59:25 FATAL: Unable to start up Tailscale",
    "FATAL: Unable to start up Tailscale",
    "\x1b[31m[15:59:25] FATAL: Unable to start up Tailscale\x1b[0m",
]


@given(
    st.booleans(),
    st.sampled_from(CLI_REFUSALS),
    st.sampled_from(VERDICTS),
    st.sampled_from(["plain", "fence", "crlf"]),
)
@settings(max_examples=40, deadline=None)
def test_the_add_on_giving_up_on_its_start_up_is_a_crash_after_the_clis_refusal(
    with_daemon: bool, refusal: tuple[str, str], verdict: str, how: str
) -> None:
    lines = [*(ADDON_TAILSCALED if with_daemon else ["[15:59:20] INFO: Starting Tailscale..."]), refusal[0], verdict]
    document = run_json(_mangle(lines, how))
    issues = {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}
    assert "crash" in issues, lines
    assert refusal[1] in {error["kind"] for error in document["windows"]} | issues, lines
    assert document["summary"]["exit_code"] == 1
    if with_daemon:
        assert {log["state"] for log in document["daemon_logs"]} >= {"Running"}


@given(st.sampled_from(CLI_REFUSALS))
@settings(max_examples=5, deadline=None)
def test_without_the_add_ons_verdict_tailscaled_running_is_no_crash(refusal: tuple[str, str]) -> None:
    document = run_json(_mangle([*ADDON_TAILSCALED, refusal[0]], "plain"))
    assert "crash" not in {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}
