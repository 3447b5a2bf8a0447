"""Generated tests for the tailscaled log model: classes of logs, not single samples.

Every issue class of the vocabulary is proven under every prefix people paste (journald in several
locales, syslog, OpenWrt logread, container and Windows service stamps, Go stamps, logcat, macOS unified
log, tsnet logfmt, stdout noise), with the mangling pastes go through (CRLF, markdown quotes and fences,
redacted addresses, unrelated lines in between), and with its resolution: a later success clears it,
and lines opskit does not know never turn a problem into "no problems".
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.daemonlog import is_daemon_log_line, is_daemon_log_line_slow, message_of
from opskit.core.diagnose.daemonlog.grammar import is_newest_first, when_of
from opskit.core.diagnose.regions import PUBLIC_REGIONS
from opskit.errors import InputError
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_text

# Each prefix is a template: {msg} is where tailscaled's message goes.
PREFIXES = [
    "{msg}",
    "Nov 13 02:07:34 host tailscaled[11844]: {msg}",
    "Apr  8 22:15:05 flash tailscaled[1680825]: {msg}",
    # the host redacted in place (dev10): "<hostname>", "*", "[redacted]"
    "Jul 30 00:23:51 <hostname> tailscaled[663]: {msg}",
    "Oct 18 07:56:48 * tailscaled[1160]: {msg}",
    "Jul 30 00:23:51 [redacted] tailscaled[663]: {msg}",
    "\u044f\u043d\u0432 30 20:54:59 pi tailscaled[884]: {msg}",
    "11\u6708 21 15:12:00 archlinux tailscaled[65690]: {msg}",
    "Jun 29 23:11:32 tailscaled[73232]: {msg}",
    "tailscaled[1863]: {msg}",
    "Thu Oct 17 18:02:08 2024 daemon.err tailscaled[5930]: 2024/10/17 10:02:08 {msg}",
    "2021-07-17T15:03:36.462Z headscale tailscaled[14930]: 2021/07/17 17:03:36 {msg}",
    "2024-04-30T03:52:44.875476938-04:00 2024/04/30 07:52:44 {msg}",
    "2021-06-15T16:01:48.840-07:00: {msg}",
    "2022-11-06 18:09:07.789407752 +0000 UTC: {msg}",
    "2021-08-15 08:09:13.580261 +0100 +0100: {msg}",
    "2024/01/12 10:41:06 {msg}",
    "stdout\t2024/01/12 10:41:06 {msg}",
    "08-12 01:28:19.408 31087 31144 I com.tailscale.ipn: 19.8M/125.1M {msg}",
    "2023-05-27 01:02:04.758978-0400 0xba326    Default     0x0                  19332  0    IPNExtension: {msg}",
    'time="2026-05-18T22:40:32.186327765+08:00" level=debug msg="[Tailscale](ts) {msg}"',
    "> 2022-01-25 15:15:24.532245135 +0000 UTC: {msg}",
    "Feb 18 14:59:57 Tower tailscaled: {msg}",
    "Nov 13 02:07:34.123456 host tailscaled[11844]: {msg}",
    '<30>1 2024-02-01T10:00:00.123+00:00 fw tailscaled 4242 - [meta sequenceId="7"] {msg}',
    "2023-05-27 01:02:04.758978-0400  localhost tailscaled[19332]: {msg}",
    "tailscale-1  | 2024/01/12 10:41:06 {msg}",
    "[pod/ts-0/tailscale] 2024/01/12 10:41:06 {msg}",
    "[2024-01-12 10:41:06] {msg}",
    "2025-01-20 06:42:26.108813+00:002025/01/20 06:42:26 {msg}",  # the runtime's stamp glued to the line
    "tailscaled {msg}",  # the program name alone (grep -h, some syslog viewers)
    # blind batch 7: Catalan and Korean journald months, the Windows service log before "tailscaled: ", a runtime
    # stamp cut at the start, macOS Console's copy, a bracketed container name, Go's testing log, rsyslog's
    # repeat folding, iOS memory markers
    "de des. 16 19:00:14 b450 tailscaled[17058]: {msg}",
    "d'abr. 3 09:00:14 b450 tailscaled[17058]: {msg}",
    "12\uc6d4 16 19:00:14 host tailscaled[17058]: {msg}",
    "2022-09-02T09:44:12.476-04:00: tailscaled: {msg}",
    "23-10-10T22:37:43.517919674Z 2023/10/10 22:37:43 {msg}",
    "default\t18:30:39.895744-0800\tio.tailscale.ipn.macsys.network-extension\t{msg}",
    "[tailscale-beszel] 2026-05-30T07:06:28.748917000Z 2026/05/30 07:06:28 {msg}",
    "magicsock.go:2546: {msg}",
    "2024-10-04T10:26:30.452872-07:00 host tailscaled[1124]: message repeated 3 times: [ {msg}]",
    "2021-03-22 02:44:04.434978 +0000 UTC: ^3.2M {msg}",
    # blind batch 8: pfSense's log page copied as columns, a viewer's month/day stamp
    "Mar 14 00:37:03 | tailscaled | 10767 | 2025/03/14 00:37:03 {msg}",
    "05/05 07:04:23 {msg}",
    # blind batch 11: a PaaS log export's columns (Choreo: log type, component version, environment, level)
    "2025-10-09T06:31:46.631Z Application Logs 1.0.0 Development INFO 2025/10/09 06:31:46 {msg}",
    # blind batch 15: a retyped/OCR'd journal with a space before the pid
    "Oct 31 17:10:32 jellyfish tailscaled [761]: {msg}",
    "2021-07-17T15:03:36.462Z host tailscaled [14930]: {msg}",
    # the v0.100-v1.2 Windows GUI relaying its service subprocess, with memory counters
    "srv: 0.8M/0.0M {msg}",
]

# issue kind → messages that raise it (as tailscaled prints them)
BAD: dict[str, list[str]] = {
    "derp-unreachable": [
        "magicsock: derp.Send(127.3.3.40:900): derphttp.Client.Send connect to region 900 (home): EOF",
        "magicsock: [0xc000a2c000] derp.Recv(derp-900): derp.Recv: EOF",  # one drop is routine: repeated
        "magicsock: [0xc0011e0180] derp.Recv(derp-9): derphttp.Client.Recv connect to region 9 (dfw): dial tcp4 "
        "192.0.2.1:443: connect: network is unreachable",
        "health(warnable=no-derp-connection): error: Tailscale could not connect to the 'Frankfurt' relay server.",
    ],
    "control-unreachable": [
        'Received error: PollNetMap: Post "https://head.example.com/machine/map": unexpected EOF',
        'control: [v1] PollNetMap: Post "https://controlplane.tailscale.com/machine/map": context deadline exceeded',
        'health("overall"): error: not in map poll',
    ],
    "login-required": [
        "Switching ipn state NoState -> NeedsLogin (WantRunning=true, nm=false)",
        "Received error: register request: http 401: invalid key: API key does not exist",
        "control: RegisterReq: got response; nodeKeyExpired=true, machineAuthorized=true; authURL=true",
    ],
    "needs-machine-auth": ["Switching ipn state Starting -> NeedsMachineAuth (WantRunning=true, nm=true)"],
    "tun-unavailable": [
        'wgengine.NewUserspaceEngine(tun "tailscale0") error: tstun.New("tailscale0"): CreateTUN("tailscale0") '
        "failed; /dev/net/tun does not exist",
        "wgengine.New: CreateTUN: open /dev/net/tun: no such file or directory",
        "failed to create TUN device as non-root user; use 'sudo tailscaled'",
        # Android (corpus 543): the app's VPN interface is its TUN
        "VpnService.Builder.establish: java.lang.SecurityException: getPackageUid: Neither user 10258 nor current "
        "process has android.permission.INTERACT_ACROSS_USERS.",
        "VpnService.Builder.establish() returned null",
    ],
    "firewall-failed": [
        "router: updateMagicsockPort(port=41641, network=udp6) failed: could not setup netfilter: could not create "
        "new netfilter: iptables disabled in build",
        'wgengine.NewUserspaceEngine(tun "tailscale0") error: creating router: exec: "iptables": executable file not '
        "found in $PATH",
        '[RATELIMIT] format("router: %s add failed: %v")',
    ],
    "state-unwritable": [
        "getLocalBackend error: store.New: creating state directory: chmod /var/lib/tailscale: operation not permitted"
    ],
    "tls-intercepted": [
        'Received error: fetch control key: Get "https://controlplane.tailscale.com/key?v=74": x509: certificate '
        "signed by unknown authority"
    ],
    "clock-skew": [
        'logtail: upload: log upload of 9842 bytes compressed failed: Post "https://log.tailscale.com/c/x": x509: '
        "certificate has expired or is not yet valid: current time 1970-01-01T00:08:58Z is before 2025-08-13T15:09:16Z"
    ],
    "peer-unreachable": [
        "magicsock: disco: timeout waiting for pong abfc74930e20 from 203.0.113.7:13078 ([MmCPq], d:d912106f928f13b5)",
        "open-conn-track: timeout opening (TCP 100.102.69.110:46312 => 100.127.227.19:38798) to node [Vdhdo]; "
        "online=yes, lastRecv=1m",
        "open-conn-track: timeout opening (TCP 100.64.0.2:40730 => 100.64.0.9:443); peer node [Vdhdo] not connected "
        "to any DERP relay",
    ],
    "packet-dropped": [
        "Drop: TCP{100.88.1.2:51237 > 100.64.0.1:8123} 80 no rules matched",
        "Drop: UDP{100.64.0.1:57657 > 100.100.100.100:5351} 30 destination not allowed",
        "open-conn-track: flow TCP 100.64.0.61:39478 > 10.200.1.38:53 rejected due to acl",
        '[RATELIMIT] format("open-conn-track: flow %v %v > %v rejected due to %v")',
        "open-conn-track: timeout opening (TCP 100.64.0.2:40730 => 100.64.0.9:443); peer reported problem: acl",
        # wireguard-go could not write an inbound packet: the packet filter refused it (tstun ErrFiltered)
        "Failed to write packet to TUN device: packet dropped by filter",
        "wg: Failed to write packets to TUN device: packet dropped by filter",
    ],
    # serve's reverse proxy (Go's httputil) failing to dial (netstack's loopback line is inbound-port-unhandled:
    # lead, session 15, see there)
    "serve-backend-unreachable": [
        "http: proxy error: dial tcp 127.0.0.1:8123: connect: connection refused",
    ],
    "crash": [
        "panic: runtime error: invalid memory address or nil pointer dereference",
        "tailscaled.service: Main process exited, code=killed, status=9/KILL",
        "failed to run localhost IPC server: listen tcp4 127.0.0.1:0: bind: can't assign requested address",
        "1 @ 0x43d6ae 0x44f785 0xb525c5 0x4756e1",
    ],
    "port-in-use": [
        "magicsock: unable to bind udp4 port 41641: listen udp4 :41641: bind: address already in use",
        "magicsock: unable to bind udp4 port 41641: listen udp4 :41641: bind: Only one usage of each socket address "
        "(protocol/network address/port) is normally permitted.",
        "magicsock: unable to bind udp4 port 49983: listen udp4 :49983: bind: An attempt was made to access a socket "
        "in a way forbidden by its access permissions.",
    ],
    "dns-config-failed": ['health("dns-os"): error: exit status 1'],
    "destination-refused": [
        "socks5: client connection failed: connect tcp 172.16.4.207:1433: connection was refused",
        "socks5: client connection failed: dial tcp [fd00::5]:22: connect: connection refused",
        # netstack forwarding to a subnet route's host (blind batch 16: not a local backend)
        "netstack: could not connect to local backend  server at 192.168.5.201:1168: dial tcp 192.168.5.201:1168: "
        "connect:  connection refused",
    ],
    # blind batch 12: a subnet router's relayed ping, tailnet lock dropping an unsigned peer, a carrier's CGNAT address
    "subnet-ping-failed": [
        "exec ping of 192.168.101.104 failed in 17.8291ms: unsuccessful ICMP reply received",
        "exec ping of 10.20.0.15 failed in 11.87ms: exit status 2",
    ],
    # blind batch 13: a connection over the tailnet for a port nothing on this (netstack/tsnet) node serves
    "inbound-port-unhandled": [
        "[unexpected] localbackend: got TCP conn without TCP config for port 3000; from 100.93.131.69:64405",
        # lead (session 15): netstack hands loopback only a port no serve handler takes (acceptTCP), so this was
        # serve-backend-unreachable before; as pasted from a web UI with doubled spaces too
        "netstack: could not connect to local backend server at 127.0.0.1:443: dial tcp 127.0.0.1:443: connect: "
        "connection refused",
        "netstack: could not connect to local backend  server at 127.0.0.1:1168: dial tcp 127.0.0.1:1168: "
        "connect:  connection refused",
        "[unexpected] localbackend: got TCP conn w/o serveConfig; from 100.93.131.69:50416 to port 8080",
        "[unexpected] local-serve: no handler for 127.0.0.1:53412 to port 443",
        "handleIngress: [unexpected] no matching ingress serve handler for 203.0.113.9:41000 to port 8443",
    ],
    "tailnet-lock-dropped-peer": [
        "Network lock is dropping peer nodeid:1693bf722320b3(nthPJrS9dr11CNTRL) due to missing signature",
        "Tailnet lock is dropping peer 7718803021(nX3kPq2CNTRL) due to failed signature check: signature does not "
        "verify",
    ],
    "cgnat-overlap": [
        "LinkChange: major, rebinding. New state: interfaces.State{defaultRoute= ifs={rmnet_data2:[100.95.x.y/29] "
        "tun0:[100.87.143.114/32 fd7a:115c:a1e0:ab12:4843:cd96:6257:8f72/128] wlan0:[192.168.178.37/24]} v4=true "
        "v6=true}"
    ],
}
# kind → a later line that clears it (None: nothing in a log clears it but a restart or nothing at all)
CLEARS: dict[str, str] = {
    "derp-unreachable": "magicsock: derp-900 connected; connGen=1",
    "control-unreachable": "control: RegisterReq: got response; nodeKeyExpired=false, machineAuthorized=true",
    "login-required": "Switching ipn state NeedsLogin -> Running (WantRunning=true, nm=true)",
    "needs-machine-auth": "Switching ipn state NeedsMachineAuth -> Running (WantRunning=true, nm=true)",
    "peer-unreachable": "magicsock: disco: node [MmCPq] d:d912106f928f13b5 now using 10.0.87.118:42826",
    "crash": 'Program starting: v1.80.0-t4f4686503, Go 1.23.5: []string{"/usr/sbin/tailscaled", "--port=41641"}'
    "\nSwitching ipn state Starting -> Running (WantRunning=true, nm=true)",
    "tun-unavailable": 'Program starting: v1.80.0-t4f4686503, Go 1.23.5: []string{"/usr/sbin/tailscaled"}'
    "\nmagicsock: derp-4 connected; connGen=1",
    "dns-config-failed": 'health("dns-os"): ok',
    "subnet-ping-failed": "exec pinged 192.168.101.104 in 2.1ms",
    "cgnat-overlap": "LinkChange: major, rebinding. New state: interfaces.State{defaultRoute=wlan0 ifs={tun0:"
    "[100.87.143.114/32 fd7a:115c:a1e0:ab12:4843:cd96:6257:8f72/128] wlan0:[192.168.178.37/24]} v4=true v6=true}",
}
# Lines of a healthy daemon: none of them raises an issue.
HEALTHY = [
    "logtail started",
    'Program starting: v1.86.2-tc47caa10d, Go 1.24.4: []string{"/usr/sbin/tailscaled", "--port=41641"}',
    "LogID: 6a4ea635e2e94f4330bb3ad1633aad4f8ef69f79d00dc9b81896fa4805f8983b",
    'logpolicy: using $STATE_DIRECTORY, "/var/lib/tailscale"',
    'dns: using "systemd-resolved" mode',
    'linuxfw: clear iptables: exec: "iptables": executable file not found in $PATH',
    "router: failed to delete legacy rule, continuing anyway: checking for [-j ts-forward]: exit status 2",
    "dns: resolvedIsActuallyResolver error: resolv.conf doesn't point to systemd-resolved; points to [10.0.0.1]",
    "peerapi: failed to do peerAPI listen, harmless (netstack available) but error was: bind: cannot assign",
    "magicsock: home is now derp-4 (fra)",
    "magicsock: derp-4 connected; connGen=1",
    "Switching ipn state Starting -> Running (WantRunning=true, nm=true)",
    "Accept: ICMPv4{100.88.156.140:0 > 100.111.165.68:0} 84 icmp ok",
    'logtail: upload: log upload of 522 bytes compressed failed: Post "https://log.tailscale.io/c/x": context canceled',
    "wgengine: Reconfig: configuring userspace WireGuard config (with 1/11 peers)",
    "health(warnable=warming-up): ok",
    "http: proxy error: context canceled",  # serve's client went away: not the backend
    # an OS connectivity probe sent on every interface (NetworkManager, iOS): Tailscale's source calls it log spam
    "open-conn-track: timeout opening (TCP 100.96.229.119:42798 => 185.125.190.49:80); no associated peer node",
    "open-conn-track: flow TCP 100.64.0.1:40000 > 100.64.0.2:22 got RST by peer",  # the peer's port is closed
    "magicsock: closing connection to derp-9 (zero-private-key), age 0s",
    # an old node key a newer signed one replaced; Tailscale's own interface with its 100.64.0.0/10 host address
    "Tailnet lock is dropping peer 7718803021(nX3kPq2CNTRL) due to key rotation",
    "LinkChange: major, rebinding. New state: interfaces.State{defaultRoute=eth0 ifs={eth0:[192.168.1.20/24] "
    "tailscale0:[100.101.7.9/32 fd7a:115c:a1e0::1f01:709/128 llu6]} v4=true v6=false}",
]
# Lines opskit does not know (prose, other programs): they may sit anywhere in a paste.
NOISE = st.sampled_from(
    [
        "this is what I see after the reboot:",
        "Creating adapter... please wait",
        "s6-rc: info: service legacy-services successfully started",
        "[services.d] done.",
        "...",
        "2024/05/09 13:53:09 something else entirely happened here",
        "headscale[61967]: 2021/07/17 17:03:36 [headscale] Sending initial map",
    ]
)


def _log(text: str) -> dict[str, Any]:
    diagnosis = run_text(text)
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    (log,) = document["daemon_logs"]
    return {**log, "exit": document["summary"]["exit_code"], "peers": document["peers"]}


def _kinds(log: dict[str, Any]) -> set[str]:
    return {issue["kind"] for issue in log["issues"]}


BAD_CASES = st.sampled_from([(kind, message) for kind, messages in BAD.items() for message in messages])
MANGLE = st.sampled_from(["plain", "crlf", "quote", "fence", "indent"])


def _mangle(lines: list[str], how: str) -> str:
    if how == "quote":
        lines = [f"> {line}" for line in lines]
    elif how == "fence":
        lines = ["```", *lines, "```"]
    elif how == "indent":
        lines = [f"    {line}" for line in lines]
    return ("\r\n" if how == "crlf" else "\n").join(lines) + "\n"


@given(st.sampled_from(PREFIXES), BAD_CASES, MANGLE, st.lists(NOISE, max_size=3))
@example("{msg}", ("crash", BAD["crash"][0]), "plain", [])
# a quoted compose line starts "> tailscale-1  |": once read as a "> tailscale …" prompt
@example("tailscale-1  | 2024/01/12 10:41:06 {msg}", ("derp-unreachable", BAD["derp-unreachable"][0]), "quote", [])
@settings(max_examples=150, deadline=None)
def test_every_issue_class_is_read_under_every_prefix(
    prefix: str, case: tuple[str, str], how: str, noise: list[str]
) -> None:
    kind, message = case
    repeat = 2 if "timeout waiting for pong" in message or "derp.Recv: " in message else 1  # one alone is routine
    lines = [prefix.format(msg=HEALTHY[0]), *noise, *[prefix.format(msg=message)] * repeat]
    log = _log(_mangle(lines, how))
    assert kind in _kinds(log), lines
    assert log["exit"] == 1  # every class in BAD is a problem


@given(st.sampled_from(PREFIXES), st.sampled_from(sorted(CLEARS)), st.lists(NOISE, max_size=2))
@settings(max_examples=80, deadline=None)
def test_a_later_success_clears_the_issue(prefix: str, kind: str, noise: list[str]) -> None:
    cleared = [prefix.format(msg=message) for message in CLEARS[kind].split("\n")]
    lines = [prefix.format(msg=BAD[kind][0]), prefix.format(msg=BAD[kind][0]), *noise, *cleared]
    log = _log(_mangle(lines, "plain"))
    assert kind not in _kinds(log), lines


@given(st.sampled_from(PREFIXES), BAD_CASES, st.lists(NOISE, min_size=1, max_size=6), st.integers(0, 6))
@settings(max_examples=80, deadline=None)
def test_unknown_lines_never_turn_a_problem_into_no_problems(
    prefix: str, case: tuple[str, str], noise: list[str], where: int
) -> None:
    kind, message = case
    lines = [prefix.format(msg=message), prefix.format(msg=message), *noise]
    # A causeless trace (the engine watchdog's dump frame) that daemon lines follow is the watchdog recovering, no
    # crash (docs/diagnose.md): the healthy line goes before it; unknown lines may still come anywhere.
    where = 0 if message.startswith("1 @ ") else where
    lines.insert(min(where, len(lines)), prefix.format(msg=HEALTHY[4]))  # not a restart: that clears
    log = _log(_mangle(lines, "plain"))
    assert kind in _kinds(log)
    assert log["exit"] == 1


@given(st.sampled_from(PREFIXES), st.lists(st.sampled_from(HEALTHY), min_size=1, max_size=8), MANGLE)
@settings(max_examples=80, deadline=None)
@example("{msg}", ["http: proxy error: context canceled"], "plain")  # alone, that line is no log at all
def test_a_healthy_log_raises_nothing(prefix: str, bodies: list[str], how: str) -> None:
    # led by a line only tailscaled prints, so that the paste is a log whatever the sample
    log = _log(_mangle([prefix.format(msg=body) for body in ["logtail started", *bodies]], how))
    assert _kinds(log) <= {"hand-started"}
    assert log["exit"] == 0


@given(st.sampled_from(PREFIXES), st.sampled_from(["203.0.113.7", "x.x.x.x", "[REDACTED]", "1.2.xxx.xxx"]))
@settings(max_examples=40, deadline=None)
def test_redacted_addresses_do_not_hide_a_derp_failure(prefix: str, address: str) -> None:
    message = (
        f"magicsock: derp.Send(127.3.3.40:900): derphttp.Client.Send connect to region 900 (home): dial tcp "
        f"{address}:443: i/o timeout"
    )
    assert "derp-unreachable" in _kinds(_log(prefix.format(msg=message) + "\n"))


@given(st.sampled_from(PREFIXES), st.integers(1, 28), st.sampled_from(["home is now", "reconnecting to home"]))
@settings(max_examples=60, deadline=None)
def test_home_derp_is_named_by_id_code_and_city(prefix: str, region_id: int, form: str) -> None:
    code = PUBLIC_REGIONS[region_id - 1].code
    message = f"magicsock: {form} derp-{region_id}" + (f" ({code})" if form == "home is now" else "")
    home = _log(prefix.format(msg=message) + "\n")["home_derp"]
    assert home["id"] == str(region_id)
    assert (home["code"], home["name"]) == (code, PUBLIC_REGIONS[region_id - 1].name)


@given(
    st.sampled_from(PREFIXES),
    st.lists(st.sampled_from(["NoState", "NeedsLogin", "Starting", "Running", "Stopped"]), min_size=1, max_size=5),
)
@settings(max_examples=60, deadline=None)
def test_the_state_is_the_last_switch(prefix: str, states: list[str]) -> None:
    lines = []
    previous = "NoState"
    for state in states:
        lines.append(prefix.format(msg=f"Switching ipn state {previous} -> {state} (WantRunning=true, nm=false)"))
        previous = state
    log = _log("\n".join(lines) + "\n")
    assert log["state"] == states[-1]
    needs_login = False  # NeedsLogin raises it; only Starting/Running clear it (NoState/Stopped do not)
    for state in states:
        needs_login = True if state == "NeedsLogin" else False if state in ("Starting", "Running") else needs_login
    assert ("login-required" in _kinds(log)) == needs_login


@given(st.sampled_from(PREFIXES), st.sampled_from(["Nm4ml", "+XbWr", "MmCPq"]), st.sampled_from(
    ["143.198.112.134:41641", "[2001:db8::1]:41641", "192.168.1.4:41641"]))  # fmt: skip
@settings(max_examples=60, deadline=None)
def test_a_peer_now_using_an_endpoint_is_direct(prefix: str, key: str, endpoint: str) -> None:
    message = f"magicsock: disco: node [{key}] d:9406174c05654fb0 now using {endpoint} mtu=1360 tx=4feca2623cf5"
    peers = _log(prefix.format(msg=message) + "\n")["peers"]
    assert [(p["name"], p["path"], p["endpoint"], p["from"]) for p in peers] == [
        (key, "direct", endpoint, "tailscaled-log")
    ]


@given(st.sampled_from(['"--tun=userspace-networking"', '"--tun", "userspace-networking"', '"--port=41641"']))
@settings(max_examples=10, deadline=None)
def test_userspace_networking_is_read_from_argv(flag: str) -> None:
    line = f'2022/04/05 03:46:15 Program starting: v1.21.120-tbb94561c9, Go 1.17.7: []string{{"tailscaled", {flag}}}\n'
    # a whole argv with no --tun runs on the OS's TUN device (defaultTunName "tailscale0"): userspace False since
    # fix47-b (blind batch 47's 2768, the lead's decision), no longer unset
    assert _log(line)["userspace"] is ("userspace" in flag)


FRAGMENTS = [
    "tailscaled[1]: ", "Nov 13 02:07:34 host ", "2024/01/12 10:41:06 ", "IPNExtension: ", "com.tailscale.ipn: ",
    "[Tailscale](ts) ", "stdout ", "Drop: TCP{", "}", " no rules matched", "panic: ", "goroutine 1 [running]:",
    "Switching ipn state ", "NoState -> NeedsLogin", "health(warnable=dns): ", "error: ", "ok", "derp-4", " connected",
    "connect to region 9 (dfw): ", "EOF", "Received error: ", "PollNetMap: ", "x509: certificate signed by unknown "
    "authority", "logtail: ", "dns: ", "no upstream resolvers set", "CreateTUN(\"t\") failed", "router: ", " failed",
    "store.New: ", "permission denied", "listen udp4 :41641: bind: address already in use", "open-conn-track: ",
    "# tailscaled", " x", "failed to connect to local tailscaled", "Unauthorized", "{\"logtail\": {}, \"text\": \"",
    "\\n\"}", "time=\"x\" level=debug msg=\"", "\"", "magicsock: ", "disco: node [Ab] d:1 now using 1.2.3.4:5",
    '"}', '", "', "boot: 2023/10/10 ", "rejected due to acl", "open-conn-track: flow TCP a > b ", "derp.Recv(derp2): ",
    "#\t0xb525c4\tx+0x1 ", "1 @ 0x43d6ae", '[RATELIMIT] format("', "-socket=/x/tailscaled.sock", " --port=1",
    "goSetupLogs initializing; version 1.2.3", "Entering exit handler.", "default 18:30:39.8-0800 io.tailscale.ipn.x ",
    "TRACE endpoint/tailscale[0]: ", "message repeated 3 times: [ ", "#011", "^3.2M ", "x.go:12: ", "de des. 16 ",
    "sendOutboundUserPing: ", "exec ping of ", "ifs={", "ock is dropping",
]  # fmt: skip


@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map("".join))
@settings(max_examples=800, deadline=None)
def test_the_word_prefilter_never_hides_a_log_line(text: str) -> None:
    assert is_daemon_log_line(text) == is_daemon_log_line_slow(text)


@given(st.sampled_from(PREFIXES), st.sampled_from(HEALTHY + [m for ms in BAD.values() for m in ms]))
@settings(max_examples=100, deadline=None)
def test_the_grammar_gives_back_the_message(prefix: str, message: str) -> None:
    line = prefix.format(msg=message).replace("\t", " ")
    if line.startswith("> "):
        line = line[2:]  # text.py removes quote markers before the grammar sees the line
    assert message_of(line).text == message.strip()


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["203.0.113.1:443: i/o timeout", "[2001:db8::1]:443: connect: network is unreachable"]),
)
@settings(max_examples=40, deadline=None)
def test_a_wrapped_failure_line_is_still_read(prefix: str, tail: str) -> None:
    head = "magicsock: derp.Send(127.3.3.40:900): derphttp.Client.Send connect to region 900 (home): dial tcp"
    log = _log(prefix.format(msg=head) + "\n" + tail + "\n")  # the chat client broke the line
    assert "derp-unreachable" in _kinds(log)


@given(
    st.sampled_from(
        [
            "dns-os: setLinkDNS: Failed to activate service 'org.freedesktop.resolve1': timed out",
            "not connected to home DERP region 12",
            "Unable to connect to the Tailscale coordination server to synchronize the state of your tailnet.",
            'You are logged out. The last login error was: fetch control key: Get "https://x/key": x509: '
            "certificate signed by unknown authority",
        ]
    ),
    st.sampled_from(["#     - {}", "# - {}", "#     - {}  "]),
)
@settings(max_examples=40, deadline=None)
def test_status_health_bullets_stay_in_the_status_block(health: str, bullet: str) -> None:
    text = "100.64.0.1  box  me@  linux  -\n# Health check:\n" + bullet.format(health) + "\n"
    document = to_json(run_text(text), 1)
    assert [b["kind"] for b in document["blocks"]] == ["status"]
    assert document["daemon_logs"] == []


@given(st.sampled_from(PREFIXES), st.sampled_from(sorted(CLEARS)), st.integers(1, 3), st.integers(1, 28))
@settings(max_examples=60, deadline=None)
def test_netinfo_lines_do_not_cut_a_log_in_two(prefix: str, kind: str, netinfos: int, region_id: int) -> None:
    netinfo = (
        f'control: NetInfo: NetInfo{{varies=false hairpin= ipv6=false udp=true derp=#{region_id} portmap= link=""}}'
    )
    lines = [
        prefix.format(msg=BAD[kind][0]),
        prefix.format(msg=BAD[kind][0]),
        *[prefix.format(msg=netinfo)] * netinfos,
        *[prefix.format(msg=message) for message in CLEARS[kind].split("\n")],
    ]
    document = to_json(run_text("\n".join(lines) + "\n"), 1)
    (log,) = document["daemon_logs"]  # one log, NetInfo lines included
    assert kind not in _kinds(log)
    assert log["home_derp"]["id"] == str(region_id)


@given(st.sampled_from(["-07:00", "+08:00", "Z"]), st.sampled_from(HEALTHY[2:8]))
@settings(max_examples=30, deadline=None)
def test_the_windows_service_log_stamp_says_windows_and_service(offset: str, body: str) -> None:
    log = _log(f"2024-01-07T23:58:51.587{offset}: {body}\n")
    assert (log["os"], log["hand_started"]) == ("windows", False)


@given(
    st.sampled_from(
        ["Oct 31 17:10:32 jellyfish", "Nov  3 09:01:02 pi", "2025-10-31T17:10:32.1+01:00 nas", "Oct 31 17:10:32"]
    ),
    st.sampled_from(["tailscaled [761]", "systemd [1]", "systemd[1]"]),
    st.sampled_from(["\n", "\n\n", "\n\n\n"]),
    st.lists(st.sampled_from(HEALTHY[2:8]), min_size=2, max_size=5),
)
@settings(max_examples=40, deadline=None)
def test_a_journal_with_a_space_before_the_pid_is_linux_and_the_service(
    stamp: str, process: str, gap: str, bodies: list[str]
) -> None:
    # a retyped or OCR'd journal ("tailscaled [761]:"), its records separated by blank lines
    lines = [f"{stamp} tailscaled [761]: {body}" for body in bodies]
    lines.insert(1, f"{stamp} {process}: Stopping tailscaled.service - Tailscale node agent")
    document = to_json(run_text(gap.join(lines) + "\n"), 1)
    (log,) = document["daemon_logs"]
    assert (log["os"], log["hand_started"]) == ("linux", False)
    assert [b["kind"] for b in document["blocks"]] == ["tailscaled-log"]


@pytest.mark.parametrize(
    "line",
    [
        "magicsock [12]: x",  # no date: a message of its own, not a journal prefix
        "peer [abc]: x",
    ],
)
def test_a_bracketed_word_without_a_date_is_not_a_journal_prefix(line: str) -> None:
    assert message_of(line).text == line


@given(
    st.sampled_from(["{msg}", "srv: 0.8M/0.0M {msg}", "2020/10/22 10:00:01 {msg}", "srv: {msg}"]),
    st.sampled_from([
        ('no TUN failure diagnostics for OS "windows"', "windows"),
        ('no TUN failure diagnostics for OS "linux"', "linux"),
        ('no TUN failure diagnostics for OS "darwin"', "macos"),
        ("local disk logdir: C:\\Users\\IEUser\\AppData\\Local\\Tailscale\\Logs", "windows"),
        ("CreateTUN: Error creating interface: Unable to set name of Wintun interface: Device-level registry key "
         "open failed: Access is denied.", "windows"),
    ]),
)  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_the_os_is_read_from_what_only_its_code_prints(prefix: str, case: tuple[str, str]) -> None:
    said, os_name = case
    lines = ['Starting userspace wireguard engine with tun device "Tailscale"', said, "Engine created."]
    log = _log("\n".join(prefix.format(msg=line) for line in lines) + "\n")
    assert log["os"] == os_name


@given(
    st.sampled_from(["2025-05-18T16:29:32.055Z", "2025/05/18 16:29:32", "[2025-05-18 16:29:32]"]),
    st.sampled_from(["[agent] INFO:", "[agent] info:", "[tsnet] WARN:", "[ts] DEBUG:", "TsInternal", "[agent]"]),
    st.lists(
        st.sampled_from([
            "tsnet running state path /var/lib/headplane/agent/tailscaled.state",
            'tsnet starting with hostname "agent", varRoot "/var/lib/headplane/agent"',
            "Authkey is set; but state is NoState. Ignoring authkey. Re-run with TSNET_FORCE_LOGIN=1 to force use of "
            "authkey.",
            "AuthLoop: state is Running; done",
            "magicsock: home is now derp-4 (fra)",
        ]),
        min_size=2,
        max_size=5,
    ),
)  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_an_apps_component_tag_and_level_before_tsnet_lines_are_taken_off(
    stamp: str, tag: str, bodies: list[str]
) -> None:
    # an app embedding tsnet logs its node's lines under a component tag and a level (Headplane's "[agent] INFO:")
    own = [f"{stamp} [server] INFO: Running Node.js 22.15.1", f"{stamp} [config] INFO: Found a valid file at /x"]
    text = "\n".join([*own, *(f"{stamp} {tag} {body}" for body in bodies)]) + "\n"
    document = to_json(run_text(text), 1)
    (log,) = document["daemon_logs"]
    assert [b["kind"] for b in document["blocks"]] == ["tailscaled-log"]
    assert "login-required" not in _kinds(log)
    assert not any("[agent]" in warning or tag in warning for warning in document["warnings"])
    # the app's own lines alone are no Tailscale output
    with pytest.raises(InputError, match="nothing to diagnose"):
        run_text("\n".join(own) + "\n")


def test_a_panic_trace_gives_the_module_version() -> None:
    trace = "goroutine 49 [running]:\ntailscale.com/net/dns.(*resolvedManager).run(0xc000865110)\n"
    log = _log(trace + "\ttailscale.com@v1.38.1/net/dns/resolved.go:219 +0x87b\n")
    assert (log["version"], _kinds(log)) == ("1.38.1", {"crash"})


RESTART = 'Program starting: v1.88.3-t9961c097b, Go 1.25.1: []string{"/usr/sbin/tailscaled", "--port=41641"}'
START_UP = [
    "logtail started",
    "LogID: 3701f286d3db63c53fcccc32a70d7eb951c940990eaa31d7c42f73882516f210",
    'logpolicy: using system state directory "/var/lib/tailscale"',
    'dns: using "systemd-resolved" mode',
]


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["crash", "tun-unavailable", "firewall-failed", "port-in-use"]),
    st.lists(st.sampled_from(START_UP), max_size=4),
)
@settings(max_examples=60, deadline=None)
def test_a_restart_loop_cut_before_the_new_run_gets_further_still_shows_the_failure(
    prefix: str, kind: str, start_up: list[str]
) -> None:
    lines = [prefix.format(msg=m) for m in [BAD[kind][0], BAD[kind][0], RESTART, *start_up]]
    assert kind in _kinds(_log(_mangle(lines, "plain"))), lines


@given(st.sampled_from(PREFIXES), st.lists(st.sampled_from(START_UP), max_size=4), st.booleans())
@settings(max_examples=60, deadline=None)
def test_an_exit_nobody_asked_for_is_a_crash(prefix: str, start_up: list[str], signalled: bool) -> None:
    stop = ["tailscaled got signal terminated; shutting down"] if signalled else []
    lines = [prefix.format(msg=m) for m in [RESTART, *start_up, *stop, "flushing log.", "logger closing down"]]
    assert ("crash" in _kinds(_log(_mangle(lines, "plain")))) is not signalled, lines


@given(st.sampled_from(PREFIXES), st.lists(st.sampled_from(START_UP), max_size=3))
@settings(max_examples=30, deadline=None)
def test_an_exit_whose_run_is_not_in_the_paste_is_not_judged(prefix: str, start_up: list[str]) -> None:
    # journalctl -r, or a paste that starts at the shutdown: the stop request may be just above it
    lines = [prefix.format(msg=m) for m in ["logger closing down", "flushing log.", *start_up]]
    assert "crash" not in _kinds(_log(_mangle(lines, "plain"))), lines


LOGIN_PENDING = [
    "Received auth URL: https://login.tailscale.com/a/1f2e3d4c5b6a",
    "control: Generating a new nodekey.",
    "tailscaleUp(reauth=true) ...",
    "control: LoginInteractive -> regen=true",
    "control: authRoutine: backoff: 1837 msec",
    'popBrowserAuthNow(""): url=true, key-expired=false, seamless-key-renewal=false',
]


@given(st.sampled_from(PREFIXES), st.lists(st.sampled_from(LOGIN_PENDING), min_size=1, max_size=4), st.booleans())
@settings(max_examples=60, deadline=None)
def test_a_login_that_never_completes_needs_login(prefix: str, pending: list[str], completes: bool) -> None:
    done = ["control: authRoutine: state:authenticated", "Switching ipn state Starting -> Running (WantRunning=true)"]
    lines = [prefix.format(msg=m) for m in [*pending, *(done[: 1 + len(pending) % 2] if completes else [])]]
    assert ("login-required" in _kinds(_log(_mangle(lines, "plain")))) is not completes, lines


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(
        [
            'running "ip link set dev tailscale0 up" failed: fork/exec /sbin/ip: invalid argument',
            "creating TUN: operation not permitted",
        ]
    ),
)
@settings(max_examples=40, deadline=None)
def test_a_tun_engine_failure_with_a_userspace_fallback_is_not_a_crash(prefix: str, error: str) -> None:
    lines = [prefix.format(msg=m) for m in [f'wgengine.NewUserspaceEngine(tun "tailscale0") error: {error}',
                                            'wgengine.NewUserspaceEngine(tun "userspace-networking") ...']]  # fmt: skip
    log = _log(_mangle(lines, "plain"))
    assert "tun-unavailable" in _kinds(log) and "crash" not in _kinds(log), lines
    assert log["userspace"] is True
    assert "crash" in _kinds(_log(_mangle(lines[:1], "plain")))  # no fallback: the daemon dies


@given(st.sampled_from(PREFIXES), st.sampled_from(["MmCPq", "+XbWr", "0UbXg"]), st.booleans())
@settings(max_examples=40, deadline=None)
def test_a_peer_that_never_answers_is_listed_without_a_path(prefix: str, key: str, conn_track: bool) -> None:
    message = (
        f"open-conn-track: timeout opening (TCP 100.64.0.2:40730 => 100.64.0.9:443) to node [{key}]; online=yes"
        if conn_track
        else f"magicsock: disco: timeout waiting for pong abfc74930e20 from 203.0.113.7:13078 ([{key}], d:d912106f)"
    )
    document = to_json(run_text("\n".join([prefix.format(msg=message)] * 2) + "\n"), 1)
    (peer,) = [p for p in document["peers"] if p["name"] == key]
    assert (peer["path"], peer["endpoint"]) == ("unknown", None)


@given(st.sampled_from(PREFIXES), st.integers(0, 28))
@settings(max_examples=30, deadline=None)
def test_derp_zero_is_no_home(prefix: str, region: int) -> None:
    report = f"netcheck: report: udp=false v4=false v6=false mapvarydest= hair= portmap= derp={region}"
    lines = [prefix.format(msg=m) for m in ["magicsock: derp-900 connected; connGen=1", report]]
    home = _log(_mangle(lines, "plain"))["home_derp"]
    # derp=0 is never region "0"; since blind batch 31 (fix31-a) the one region connected that no peer opened is
    # the home when the log names none (magicsock keeps or picks a home when netcheck finds no region, derp.go)
    assert home["id"] == ("900" if region == 0 else str(region))


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(
        [
            "safesocket.Listen: listen unix /var/run/tailscale/tailscaled.sock: bind: permission denied",
            "safesocket.Listen: listen unix /run/tailscale/tailscaled.sock: bind: operation not permitted",
        ]
    ),
    st.booleans(),
)
@settings(max_examples=40, deadline=None)
def test_a_daemon_without_root_is_told_to_run_as_root_or_unprivileged(prefix: str, bind: str, root: bool) -> None:
    crash = "panic: runtime error: invalid memory address or nil pointer dereference" if root else bind
    lines = [prefix.format(msg=m) for m in [RESTART, crash]]
    (finding,) = [f for f in run_text(_mangle(lines, "plain")).findings if f.rule_id == "TS-LOG-CRASH"]
    assert ("without root privileges" in finding.cause) is not root
    assert ("userspace-networking" in finding.fix) is not root


# ---------------------------------------------------------------- classes blind batch 7 missed

RATE_LIMITED = {  # the rate limiter's format line → the issue the message it stands for raises (None: none)
    'format("router: %s add failed: %v")': "firewall-failed",
    'format("open-conn-track: flow %v %v > %v rejected due to %v")': "packet-dropped",
    'format("open-conn-track: timeout opening %v to node %v; online=%v, lastRecv=%v")': "peer-unreachable",
    'format("magicsock: derp-%d does not know about peer %s, removing route")': None,
    'format("%s: connecting to derp-%d (%v)")': None,
    'format("health(warnable=%s): error: %s")': None,
    'format("monitor: %s: src=%v, dst=%v, gw=%v, outif=%v, table=%v")': None,
}


@given(st.sampled_from(PREFIXES), st.sampled_from(sorted(RATE_LIMITED)), st.sampled_from(["", " (5 dropped)"]))
@settings(max_examples=60, deadline=None)
def test_a_rate_limited_format_stands_for_its_message(prefix: str, form: str, dropped: str) -> None:
    log = _log(prefix.format(msg=f"[RATELIMIT] {form}{dropped}") + "\n")
    kind = RATE_LIMITED[form]
    assert _kinds(log) - {"hand-started"} == ({kind} if kind else set())
    assert all("%" not in issue["about"] for issue in log["issues"])  # the verbs named nothing
    assert all("%" not in peer["name"] for peer in log["peers"])


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["acl", "shields", "host-ip-forwarding-unavailable"]),
    st.sampled_from(["TCP 100.64.0.61:39478 > 10.200.1.38:53", "TCP 100.111.148.98:53676 > 142.250.189.163:443"]),
)
@settings(max_examples=40, deadline=None)
def test_a_flow_the_peer_refuses_is_dropped_traffic(prefix: str, reason: str, flow: str) -> None:
    log = _log(prefix.format(msg=f"open-conn-track: flow {flow} rejected due to {reason}") + "\n")
    assert _kinds(log) - {"hand-started"} == {"packet-dropped"}  # not the local firewall, not a silent peer
    assert log["exit"] == 1


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["derp-9", "derp2"]),
    st.sampled_from(["derp.Recv: EOF", "derphttp.Client.Recv: unexpected EOF", "read: connection reset by peer"]),
    st.integers(1, 3),
    st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_a_derp_connection_that_keeps_dropping_is_unreachable(
    prefix: str, region: str, error: str, drops: int, reconnects: bool
) -> None:
    number = region.removeprefix("derp").removeprefix("-")
    lines = [prefix.format(msg=f"magicsock: [0xc000a2c000] derp.Recv({region}): {error}")] * drops
    if reconnects:
        lines.append(prefix.format(msg=f"magicsock: derp-{number} connected; connGen=2"))
    log = _log(_mangle(lines, "plain"))
    assert ("derp-unreachable" in _kinds(log)) is (drops >= 2 and not reconnects), lines
    closed = _log(prefix.format(msg=f"magicsock: derp.Recv({region}): derphttp.Client closed") + "\n" * 2)
    assert "derp-unreachable" not in _kinds(closed)


FATAL = [
    'tailscaled does not take non-flag arguments: ["/var/lib/tailscale"]',
    "tailscaled requires root; use sudo tailscaled (or use --tun=userspace-networking)",
    "1 @ 0x43d6ae 0x44f785 0xb03c92 0x4756e1",
    "#\t0xb525c4\ttailscale.com/net/dns.(*resolvedManager).run+0x324\ttailscale.com@v1.60.1/net/dns/resolved.go:176",
    "##0110xb525c4#011tailscale.com/net/dns.(*resolvedManager).run+0x324#011tailscale.com@v1.60.1/net/dns/x.go:176",
    "wgengine: watchdog timeout on Reconfig",
    "wgengine watchdog stacks:",
    "wgengine has been closed; shutting down",  # the engine died under it: no signal asked for this
    "ipnserver.Run: listen unix /var/run/tailscale/tailscaled.sock: bind: address in use",
    "SOCKS5 server exited: accept tcp 127.0.0.1:1055: use of closed network connection",
    "LocalBackend.Start: no state",
    # the Go runtime dying on a signal, before or without a "panic:" line (blind batch 8)
    "SIGSEGV: segmentation violation",
    "[signal SIGBUS: bus error code=0x2 addr=0x7f00 pc=0x4a1b2c]",
    "goroutine 0 gp=0x1a848e0 m=0 mp=0x1a853c0 [idle]:",
    "unexpected fault address 0x7f3c2a000000",
]


@given(
    st.sampled_from(PREFIXES[1:8]),
    st.sampled_from(["--socket is required", "--statedir (or at least --state) is required"]),
)
@settings(max_examples=20, deadline=None)
def test_a_missing_required_flag_is_a_crash(prefix: str, message: str) -> None:
    # printed without a stamp, starting with "--": only a prefix naming tailscaled shows whose line it is
    assert _kinds(_log(prefix.format(msg=message) + "\n")) == {"crash"}


@given(st.sampled_from(PREFIXES), st.sampled_from(FATAL), st.lists(NOISE, max_size=2))
@settings(max_examples=60, deadline=None)
def test_fatal_exits_and_the_watchdog_dump_are_crashes(prefix: str, message: str, noise: list[str]) -> None:
    log = _log(_mangle([prefix.format(msg=message), *noise], "plain"))
    # a goroutine dump's frames in DNS or TUN code are goroutines listed, not those subsystems failing
    assert _kinds(log) - {"hand-started"} == {"crash"}, message
    assert log["exit"] == 1


CONSOLE = "default\t18:30:39.{n:06d}-0800\tio.tailscale.ipn.{variant}.network-extension\t{msg}"


@given(st.sampled_from(["macsys", "macos", "ios"]), st.booleans(), st.booleans())
@settings(max_examples=24, deadline=None)
def test_the_apps_network_extension_start_and_exit(variant: str, stopped: bool, ipc_fails: bool) -> None:
    bodies = [
        "goSetupLogs initializing; version 1.78.1-t8903926f7-gc4163954e, go1.23.3",
        "logtail started",
        *(["failed to run localhost IPC server: listen tcp4 127.0.0.1:0: bind: can't assign requested address"]
          if ipc_fails else []),
        *(["stopTunnel: reason=1"] if stopped else []),
        "Entering exit handler.",
    ]  # fmt: skip
    log = _log("\n".join(CONSOLE.format(n=n, variant=variant, msg=b) for n, b in enumerate(bodies)) + "\n")
    assert (log["version"], log["os"], log["hand_started"]) == ("1.78.1", "macos", False)
    assert ("crash" in _kinds(log)) is (ipc_fails or not stopped)


@given(
    st.sampled_from(["2023-10-10T22:37:43.517919674Z ", "23-10-10T22:37:43.517919674Z ", "ts-1  | ", ""]),
    st.sampled_from(['"--socket=/tmp/tailscaled.sock", "--state=mem:"', '"--tun=userspace-networking"']),
)
@settings(max_examples=20, deadline=None)
def test_containerboot_started_tailscaled_is_not_hand_started(stamp: str, flags: str) -> None:
    lines = [
        f"{stamp}boot: 2023/10/10 22:37:43 Starting tailscaled",
        f"{stamp}2023/10/10 22:37:43 logtail started",
        f'{stamp}2023/10/10 22:37:43 Program starting: v1.50.1-t874938806: []string{{"tailscaled", {flags}}}',
    ]
    log = _log("\n".join(lines) + "\n")
    assert (log["hand_started"], "hand-started" in _kinds(log)) == (False, False)


ARGV = ["/volume2/@appstore/Tailscale/bin/tailscaled", "--state=/var/packages/Tailscale/etc/tailscaled.state",
        "--socket=/var/packages/Tailscale/etc/tailscaled.sock", "--verbose=1", "--port=41641"]  # fmt: skip


@given(st.integers(1, 2), st.integers(0, 1), st.integers(1, 4), st.booleans())
@settings(max_examples=40, deadline=None)
def test_a_command_typed_above_its_log_is_hand_started(tail_from: int, cut: int, wrap_at: int, same: bool) -> None:
    # the terminal wrapped the typed command (only its end is pasted, maybe within a flag's dashes, still naming
    # tailscaled's socket or state: bare "--verbose=1" could be any command's) and the argv of the start line
    typed = " ".join(ARGV[tail_from:])[cut:] if same else "--verbose=2 --port=1"
    quoted = [f'"{a}"' for a in ARGV]
    head, tail = ", ".join(quoted[:wrap_at]) + ', "', ", ".join(quoted[wrap_at:])[1:] + "}"
    lines = [
        typed,
        "2021/09/17 02:24:52 logtail started",
        f"2021/09/17 02:24:52 Program starting: v1.14.3-t3a762776e, Go 1.17: []string{{{head}",
        tail,
        '2021/09/17 02:24:52 logpolicy: using $STATE_DIRECTORY, "/var/packages/Tailscale/etc"',
    ]
    log = _log("```\n" + "\n".join(lines) + "\n```\n")
    # flags that are not this run's are some other command: $STATE_DIRECTORY then says a service manager started it
    assert log["hand_started"] is same, lines


@given(
    st.sampled_from(
        [
            "TRACE endpoint/tailscale[0]: {msg}",
            "DEBUG[0012] endpoint/tailscale[ts-ep]: {msg}",
            'time="2026-05-18T22:40:32+08:00" level=debug msg="[Tailscale](ts) {msg}"',
            "2023/12/13 12:59:50 [v1] using fake (no-op) tun device\n2023/12/13 12:59:50 {msg}",
        ]
    ),
    st.sampled_from(["control: [v1] mapRoutine: state:authenticated", "health(warnable=not-in-map-poll): ok"]),
)
@settings(max_examples=20, deadline=None)
def test_an_embedded_tsnet_node_is_userspace(prefix: str, body: str) -> None:
    assert _log(prefix.format(msg=body) + "\n")["userspace"] is True


@given(st.sampled_from(PREFIXES), st.sampled_from(["Stopped", "Running", "Starting"]), st.booleans())
@settings(max_examples=40, deadline=None)
def test_the_old_overall_warnable_for_a_node_turned_off_is_not_a_problem(prefix: str, state: str, off: bool) -> None:
    message = f'health("overall"): error: state={state}, wantRunning={str(not off).lower()}'
    log = _log(prefix.format(msg=message) + "\n")
    assert (log["exit"] == 0) is off, message


@given(
    st.sampled_from(["2020/08/06 11:04:02 6.4M/21.6M ", "Aug  6 11:04:02 host tailscaled[99]: ", ""]),
    st.sampled_from(["UMC", "", "U"]),
    st.integers(1, 12),
)
@settings(max_examples=30, deadline=None)
def test_a_2020_netcheck_line_in_a_log_is_a_netcheck(prefix: str, portmap: str, region: int) -> None:
    line = (
        f"netcheck: udp=true v6=false mapvarydest=false hair=false portmap={portmap} v4a=81.67.224.126:45891 "
        f"derp={region} derpdist={region}v4:27ms"
    )
    document = to_json(run_text(f"{prefix}magicsock: starting endpoint update (periodic)\n{prefix}{line}\n"), 1)
    assert "netcheck" in [b["kind"] for b in document["blocks"]]
    (node,) = document["nodes"]
    assert (node["udp"], node["mapping"], node["derp_home"]) == (True, "easy", f"#{region}")
    assert node["port_mapping"]["protocols"] == [{"U": "UPnP", "M": "NAT-PMP", "C": "PCP"}[c] for c in portmap]


@given(
    st.sampled_from(["de des.", "d'abr.", "de març", "12\uc6d4", "12\u6708", "\u044f\u043d\u0432", "d\u00e9c.", "Dez",
                     "gru", "Ara", "joulu", "\u0394\u03b5\u03ba", "M\u00e4r", "Nov"]),
    st.sampled_from(["b450 ", ""]),
    st.sampled_from(["", ".123456"]),
)  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_journald_months_of_any_locale_are_peeled(month: str, host: str, fraction: str) -> None:
    message = message_of(f"{month} 16 19:00:14{fraction} {host}tailscaled[17058]: magicsock: derp-4 connected")
    assert (message.text, message.process, message.form) == ("magicsock: derp-4 connected", "tailscaled", "journald")


@given(
    st.sampled_from(["      - TS_EXTRA_ARGS=--tun=userspace-networking",
                     "TS_TAILSCALED_EXTRA_ARGS: -tun userspace-networking",
                     'args: ["--tun=userspace-networking", "--socks5-server=localhost:1055"]']),
)  # fmt: skip
@settings(max_examples=10, deadline=None)
def test_a_userspace_flag_in_a_config_file_is_not_a_log(line: str) -> None:
    assert not is_daemon_log_line(line)


# ------------------------------------------------------------------------------------------ blind batch 8

CONTROL_DOWN = [
    'Received error: TryLogin: fetch control key: Get "https://controlplane.tailscale.com/key": read tcp '
    "192.0.2.4:56488->18.193.255.254:443: read: connection reset by peer",
    'Received error: PollNetMap: Post "https://controlplane.tailscale.com/machine/map": context deadline exceeded',
]
LOGIN_ATTEMPTS = [
    "control: authRoutine: backoff: 203 msec",
    "control: LoginInteractive -> regen=true",
    "Generating a new nodekey.",
    "control: tailscaleUp(reauth=true)",
]


@given(
    st.sampled_from(PREFIXES),
    st.lists(st.sampled_from(LOGIN_ATTEMPTS), min_size=1, max_size=3),
    st.sampled_from(CONTROL_DOWN),
    st.sampled_from(["none", "answers", "url"]),
)
@settings(max_examples=60, deadline=None)
def test_login_attempts_that_cannot_reach_control_are_control_unreachable(
    prefix: str, attempts: list[str], failure: str, then: str
) -> None:
    lines = [failure, *attempts, failure]
    if then == "answers":  # control answers at last: the attempt now waits for a person
        lines.append("control: control server key from https://controlplane.tailscale.com: ts2021=[fSeS+], v=95")
    elif then == "url":  # a URL handed out is a login waiting for a person whatever else holds
        lines.append("control: AuthURL is https://login.tailscale.com/a/0123456789ab")
    kinds = _kinds(_log("\n".join(prefix.format(msg=line) for line in lines) + "\n"))
    assert ("login-required" in kinds) == (then != "none"), kinds
    assert ("control-unreachable" in kinds) == (then != "answers"), kinds


@given(st.sampled_from(PREFIXES), st.booleans())
@settings(max_examples=40, deadline=None)
def test_machine_authorization_waits_only_for_a_logged_in_node(prefix: str, url: bool) -> None:
    response = (
        f"control: RegisterReq: got response; nodeKeyExpired=false, machineAuthorized=false; authURL={str(url).lower()}"
    )
    kinds = _kinds(_log(prefix.format(msg=response) + "\n"))
    assert kinds == ({"login-required"} if url else {"needs-machine-auth"})


@given(st.sampled_from(PREFIXES), st.lists(NOISE, max_size=2))
@settings(max_examples=30, deadline=None)
def test_warming_up_is_the_start_not_an_issue(prefix: str, noise: list[str]) -> None:
    lines = ["health(warnable=warming-up): error: Tailscale is starting. Please wait.", *noise,
             "control: doLogin(regen=false, hasUrl=false)"]  # fmt: skip
    log = _log("\n".join(prefix.format(msg=line) for line in lines) + "\n")
    assert _kinds(log) == set() and log["exit"] == 0


NO_UPSTREAM = "dns: resolver: forward: no upstream resolvers set, returning SERVFAIL"
FORWARD_WARNABLE = (
    "health(warnable=dns-forward-failing): error: Tailscale can't reach the configured DNS servers. Internet "
    "connectivity may be affected."
)


@given(st.sampled_from(PREFIXES), st.integers(0, 3), st.sampled_from(["none", "before", "after"]), MANGLE)
@settings(max_examples=60, deadline=None)
def test_the_no_upstream_warnable_is_the_same_event_as_its_line(
    prefix: str, lines_seen: int, warnable: str, how: str
) -> None:
    # the forwarder sets the warnable as it logs "no upstream resolvers set" (one query answered SERVFAIL):
    # one such event is a stray query, repeated ones (or the warnable alone, cause unknown) are a failure
    lines = [NO_UPSTREAM] * lines_seen
    if warnable == "before":
        lines.insert(0, FORWARD_WARNABLE)
    elif warnable == "after":
        lines.append(FORWARD_WARNABLE)
    if not lines:
        return
    log = _log(_mangle([prefix.format(msg=line) for line in lines], how))
    failing = lines_seen >= 2 or (lines_seen == 0 and warnable != "none")
    assert ("dns-forward-failing" in _kinds(log)) == failing
    assert log["exit"] == (1 if failing else 0)


@given(st.sampled_from(PREFIXES), st.sampled_from(CONTROL_DOWN))
@settings(max_examples=30, deadline=None)
def test_control_not_knowing_the_node_is_a_login(prefix: str, earlier: str) -> None:
    lines = [earlier, "Received error: PollNetMap: initial fetch failed 404: node not found",
             "control: lite map update error after 637ms: initial fetch failed 404: node not found"]  # fmt: skip
    assert _kinds(_log("\n".join(prefix.format(msg=line) for line in lines) + "\n")) == {"login-required"}


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["wg: [/u08b]", "peer(/u08b…Yb3c)"]),
    st.lists(st.integers(2, 21), min_size=1, max_size=3),
    st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_unanswered_wireguard_handshakes_are_an_unreachable_peer(
    prefix: str, peer: str, tries: list[int], answered: bool
) -> None:
    lines = [
        f"{peer} - Handshake did not complete after 20 attempts, giving up"
        if attempt == 21
        else f"{peer} - Handshake did not complete after 5 seconds, retrying (try {attempt})"
        for attempt in tries
    ]
    lines.insert(1, f"{peer} - Sending handshake initiation")
    if answered:
        lines.append(f"{peer} - Received handshake response")
    log = _log("\n".join(prefix.format(msg=line) for line in lines) + "\n")
    # the first retry alone is routine; a later try, a second retry or giving up is a peer that does not answer
    unreachable = not answered and (len(tries) >= 2 or tries[0] > 2)
    assert ("peer-unreachable" in _kinds(log)) == unreachable
    assert log["exit"] == (1 if unreachable else 0)


STORY = [  # oldest first: each failure, then (maybe) what clears it
    ('logtail: dial "log.tailscale.io:443" failed: dial tcp: lookup log.tailscale.io on 10.89.0.1:53: i/o timeout',
     "logtail: upload succeeded after 1 failures and 1m2s"),
    ('Received error: PollNetMap: Post "https://controlplane.tailscale.com/machine/map": context deadline exceeded',
     "control: control server key from https://controlplane.tailscale.com: ts2021=[fSeS+], v=95"),
    ("magicsock: derp.Send(127.3.3.40:1): derphttp.Client.Send connect to region 1 (nyc): EOF",
     "magicsock: derp-1 connected; connGen=2"),
]  # fmt: skip


@given(
    st.sampled_from(["05/05 07:{m:02d}:{s:02d} ", "2024/05/05 07:{m:02d}:{s:02d} ", "May  5 07:{m:02d}:{s:02d} host "
                     "tailscaled[7]: ", "2024-05-05T07:{m:02d}:{s:02d}.123Z 2024/05/05 07:{m:02d}:{s:02d} "]),
    st.lists(st.tuples(st.integers(0, len(STORY) - 1), st.booleans()), min_size=1, max_size=3,
             unique_by=lambda t: t[0]),
    st.lists(st.sampled_from(["658ad6db-d353-4d92-b9ab-ae65f7b50372", ""]), max_size=2),
)  # fmt: skip
@settings(max_examples=60, deadline=None)
def test_a_newest_first_log_page_is_read_bottom_up(stamp: str, story: list[tuple[int, bool]], noise: list[str]) -> None:
    messages = [STORY[index][0] for index, _ in story] + [STORY[index][1] for index, cleared in story if cleared]
    # distinct seconds: a viewer shows the newest line on top
    lines = [stamp.format(m=n // 60, s=n % 60) + message for n, message in enumerate(messages)]
    oldest_first = _kinds(_log("\n".join(lines) + "\n"))
    newest_first = _kinds(_log("\n".join([*reversed(lines), *noise]) + "\n"))
    assert newest_first == oldest_first
    assert len(oldest_first) == sum(1 for _, cleared in story if not cleared)


@given(
    st.sampled_from(['>"C:\\Program Files\\Tailscale\\tailscaled.exe"',
                     '>"C:\\Program Files (x86)\\Tailscale IPN\\tailscale-ipn.exe" /runservice',
                     "PS C:\\> tailscaled.exe", ""]),
    st.booleans(),
    st.sampled_from(["", "2021-06-15T16:01:48.840-07:00: "]),
)  # fmt: skip
@settings(max_examples=30, deadline=None)
def test_a_windows_service_binary_run_from_a_prompt_is_hand_started(prompt: str, refused: bool, stamp: str) -> None:
    lines = [prompt] if prompt else []
    lines += [
        'Program starting: v1.0.4-ge256174d6, Go 1.14.4-ts56db765: []string{"C:\\\\Program Files (x86)\\\\Tailscale '
        'IPN\\\\tailscale-ipn.exe", "/runservice"}',
        'logpolicy: using UserCacheDir, "C:\\\\Users\\\\user\\\\AppData\\\\Local\\\\Tailscale"',
    ]
    if refused:  # Windows' answer to a service dispatcher the service manager did not start (error 1063)
        lines.append("runservice: The service process could not connect to the service controller.")
    log = _log("\n".join(lines[:1] + [stamp + line for line in lines[1:]]) + "\n")
    hand = bool(prompt) or refused
    assert log["hand_started"] is (True if hand else log["hand_started"])
    assert ("hand-started" in _kinds(log)) == hand


@given(
    st.lists(st.integers(0, 3599), min_size=2, max_size=8, unique=True), st.lists(st.booleans(), min_size=8, max_size=8)
)
@settings(max_examples=60, deadline=None)
def test_only_stamps_of_one_shape_decide_the_order(seconds: list[int], dated: list[bool]) -> None:
    # an oldest-first paste mixing dated stamps and a bare time column is never read bottom-up
    lines = [
        f"{'2024/05/05 ' if with_date else ''}07:{n // 60:02d}:{n % 60:02d} magicsock: derp-1 connected"
        for n, with_date in zip(sorted(seconds), dated, strict=False)
    ]
    assert not is_newest_first([when_of(line) for line in lines])
    # read newest-first, the shape of the newest line decides: two or more of that shape going back in time
    shapes = dated[: len(lines)]
    assert is_newest_first([when_of(line) for line in reversed(lines)]) == (shapes.count(shapes[-1]) >= 2)


# ------------------------------------------------------------------ classes blind batch 9 missed


@given(
    st.sampled_from(["./tailscaled", "tailscaled", "bin/tailscaled", "../tailscale_1.24.2_amd64/tailscaled"]),
    st.sampled_from(["/usr/sbin/tailscaled", "/volume1/@appstore/Tailscale/bin/tailscaled", "/opt/tailscaled"]),
)
@settings(max_examples=30, deadline=None)
def test_a_relative_argv0_is_a_hand_start_an_absolute_one_is_not_judged(relative: str, absolute: str) -> None:
    def start(argv0: str) -> str:
        return f'Program starting: v1.24.2-t9d6867fb0, Go 1.18.1: []string{{"{argv0}"}}\nlogtail started\n'

    assert _log(start(relative))["hand_started"] is True
    assert _log(start(absolute))["hand_started"] is None


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["no route to host", "network is unreachable"]),
    st.sampled_from(["tsdns: forward: fwdConn 23: send: unrecognized error: write udp [::]:49722->[2001:db8::53]:53: "
                     "sendto: {e}", "dns: resolver: forward: error: dial udp 192.0.2.53:53: connect: {e}"]),
)  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_one_line_with_no_route_to_the_resolver_is_dns_forward_failing(prefix: str, error: str, line: str) -> None:
    assert "dns-forward-failing" in _kinds(_log(prefix.format(msg=line.format(e=error)) + "\n"))


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["100.88.7.9", "100.64.0.1", "100.127.255.254", "[fd7a:115c:a1e0::e236:257d]"]),
    st.sampled_from(["185.125.190.49", "91.189.91.48", "100.63.0.1", "100.128.0.1", "[2620:2d:4000:1::2a]"]),
)
@settings(max_examples=60, deadline=None)
def test_no_peer_for_a_tailnet_address_is_an_issue_for_a_public_one_not(prefix: str, tailnet: str, public: str) -> None:
    def line(dst: str) -> str:
        orphan = f"open-conn-track: timeout opening (TCP 100.96.2.3:41526 => {dst}:443); no associated peer node"
        return prefix.format(msg=orphan) + "\n" + prefix.format(msg="magicsock: derp-4 connected") + "\n"

    assert "no-peer-for-address" in _kinds(_log(line(tailnet)))
    assert "no-peer-for-address" not in _kinds(_log(line(public)))


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["[PHX7", "[PHX7u]", "[PHX7u];", "[Vdhdo]; online=yes, lastRecv=27s"]),
    st.sampled_from(["TCP 100.82.11.53:36384 => 100.87.12.109:8200", "UDP 10.0.0.2:5353 => 100.64.0.9:53"]),
)
@settings(max_examples=40, deadline=None)
def test_a_conn_track_timeout_cut_after_its_node_key_still_names_the_peer(prefix: str, tail: str, flow: str) -> None:
    # a pager, a terminal or a quoted excerpt cut the line inside or right after the node key
    log = _log(prefix.format(msg=f"open-conn-track: timeout opening ({flow}) to node {tail}") + "\n")
    assert "peer-unreachable" in _kinds(log)
    assert log["exit"] == 1


# Goroutine dumps someone asked for: LocalAPI's serveGoroutines (`tailscale debug goroutines`, bugreport), a
# pprof page, a SIGQUIT sent to a hung daemon. None says why it would die: no crash.
REQUESTED_DUMPS = [
    ["goroutine 152467 [running]:",
     "tailscale.com/ipn/localapi.(*Handler).serveGoroutines(0xc000612980, 0xc481c0, 0xc0005b08c0, 0xc000560600)",
     "\ttailscale.com@v1.10.2/ipn/localapi/localapi.go:171 +0x7c",
     "net/http.(*conn).serve(0xc0000a0dc0, 0xc48ba0, 0xc000612a00)", "",
     "goroutine 1 [IO wait]:", "internal/poll.runtime_pollWait(0x7f4d780da2f8, 0x72, 0x0)"],
    ["goroutine 925 [running]:", "runtime/pprof.writeGoroutineStacks({0xfbdfb0, 0xc000650620})",
     "        runtime/pprof/pprof.go:703 +0x70", "", "goroutine 1 [select, 12 minutes]:",
     "tailscale.com/ipn/ipnserver.(*Server).Run(0xc000214000, {0xfbf020, 0xc00031d830})"],
    ["goroutine profile: total 3", "1 @ 0x43d6ae 0x44f785 0xb525c5 0x4756e1",
     "#\t0xb525c4\ttailscale.com/net/dns.(*resolvedManager).run+0x324\ttailscale.com@v1.60.1/net/dns/resolved.go:176"],
    ["goroutine 17 [semacquire, 228 minutes, locked to thread]:",
     "sync.runtime_SemacquireMutex(0xc00039d958, 0x50, 0x1041bfde6)", "        runtime/sema.go:71 +0x25",
     "tailscale.com/wgengine/magicsock.(*Conn).DERPs(0xc0008bf258)"],
    ["SIGQUIT: quit", "PC=0x469021 m=0 sigcode=0", "", "goroutine 0 gp=0x1a848e0 m=0 mp=0x1a853c0 [idle]:",
     "runtime.futex(0xe40628, 0x80, 0x0, 0x0, 0x0)", "goroutine 1 [running]:", "main.main()"],
]  # fmt: skip
# Crashes: why it died, or its trace's running goroutine somewhere else than a dump writer (the panic line cut
# off above it), or the engine watchdog's dump (it exits right after).
CRASH_DUMPS = [
    ["panic: runtime error: invalid memory address or nil pointer dereference", "",
     "goroutine 49 [running]:", "tailscale.com/net/dns.(*resolvedManager).run(0xc000865110, {0xff0a50, 0xc0008426e0})"],
    ["goroutine 71 [running]:", "tailscale.com/net/tstun.(*Wrapper).pollVector(0xc000002480)",
     "\ttailscale.com@v1.72.0/net/tstun/wrap.go:453 +0x35a"],
    ["wgengine watchdog stacks:", "1 @ 0x43d6ae 0x44f785 0xb525c5 0x4756e1",
     "#\t0xb525c4\ttailscale.com/net/dns.(*resolvedManager).run+0x324\ttailscale.com@v1.60.1/net/dns/resolved.go:176"],
    ["SIGSEGV: segmentation violation", "PC=0x469021 m=0 sigcode=1",
     "goroutine 0 gp=0x1a848e0 m=0 mp=0x1a853c0 [idle]:"],
]  # fmt: skip


@given(
    st.sampled_from(["{msg}", "Nov 13 02:07:34 host tailscaled[11844]: {msg}", "2024-09-14T05:07:29Z \t{msg}",
                     "> {msg}", "    {msg}"]),
    st.sampled_from(range(len(REQUESTED_DUMPS))),
    st.sampled_from(range(len(CRASH_DUMPS))),
    st.booleans(),
)  # fmt: skip
@settings(max_examples=60, deadline=None)
def test_a_goroutine_dump_someone_asked_for_is_no_crash(prefix: str, asked: int, crashed: int, fenced: bool) -> None:
    def paste(lines: list[str]) -> str:
        body = "\n".join(prefix.format(msg=line) if line else "" for line in lines) + "\n"
        return f"```\n{body}```\n" if fenced else body

    requested = _log(paste(REQUESTED_DUMPS[asked]))
    assert "crash" not in _kinds(requested), REQUESTED_DUMPS[asked]
    assert "crash" in _kinds(_log(paste(CRASH_DUMPS[crashed]))), CRASH_DUMPS[crashed]


@given(
    st.sampled_from(PREFIXES[:8]),
    st.sampled_from(['invalid value "" for flag -port: can\'t be the empty string',
                     "flag provided but not defined: -login_server", "flag needs an argument: -statedir",
                     'invalid boolean value "maybe" for -verbose: parse error']),
    st.sampled_from(["/usr/sbin/tailscaled", "tailscaled", "./tailscaled",
                     "C:\\Program Files\\Tailscale\\tailscaled.exe"]),
)  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_tailscaled_refusing_its_command_line_is_a_crash(prefix: str, error: str, program: str) -> None:
    lines = [error, f"Usage of {program}:", "  -bird-socket string", "        path of the bird unix socket"]
    log = _log("\n".join(prefix.format(msg=line) for line in lines) + "\n")
    assert "crash" in _kinds(log)
    assert log["exit"] == 1


# A daemon started from a shell whose typed command names neither --socket nor --state: the command line, with or
# without its prompt, or only its wrapped-off end, right above the log it started.
TYPED_STARTS = [
    ("sudo tailscaled", ["tailscaled"]),
    ("sudo /usr/local/bin/tailscaled --tun=userspace-networking",
     ["/usr/local/bin/tailscaled", "--tun=userspace-networking"]),
    ("./tailscaled --tun=userspace-networking --port 41641",
     ["./tailscaled", "--tun=userspace-networking", "--port", "41641"]),
    ("/usr/sbin/tailscaled --port 41641", ["/usr/sbin/tailscaled", "--port", "41641"]),
    ("--tun=userspace-networking --port 41641",
     ["/opt/bin/tailscaled", "--tun=userspace-networking", "--port", "41641"]),
    ("tailscaled -verbose 2", ["tailscaled", "-verbose", "2"]),
    ("tailscaled --tun=userspace-networking --socks5-server=localhost:1055 &",
     ["tailscaled", "--tun=userspace-networking", "--socks5-server=localhost:1055"]),
    ("sudo /usr/sbin/tailscaled 2>&1 | tee ts.log", ["/usr/sbin/tailscaled"]),
]  # fmt: skip
# Lines that name tailscaled's command line but were not typed: a unit file, another command about the service.
NOT_TYPED = [
    "ExecStart=/usr/sbin/tailscaled --port 41641",
    "sudo systemctl restart tailscaled",
    "journalctl -u tailscaled --port 41641",
    "tailscaled control: RegisterReq: got response; nodeKeyExpired=false",
]


@given(
    st.sampled_from(TYPED_STARTS),
    st.sampled_from(["", "$ ", "pi@raspberrypi:~ $ ", "root@OpenWrt:~# ", "`"]),
    st.sampled_from(["", "2024/01/11 21:45:32 ", "stdout\t2024/01/11 21:45:32 "]),
    st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_a_typed_command_without_socket_or_state_is_a_hand_start(
    typed_argv: tuple[str, list[str]], prompt: str, stamp: str, with_start: bool
) -> None:
    typed, argv = typed_argv
    if prompt and typed.startswith("-"):
        prompt = ""  # a wrapped-off end has no prompt in front of it
    quoted = ", ".join(f'"{arg}"' for arg in argv)
    start = [f"{stamp}logtail started", f"{stamp}Program starting: v1.56.1-t906f85d10, Go 1.21.5: []string{{{quoted}}}"]
    body = [*(start if with_start else []), f'{stamp}logpolicy: using system state directory "/var/lib/tailscale"',
            f'{stamp}wgengine.NewUserspaceEngine(tun "tailscale0") ...']  # fmt: skip
    if not with_start and prompt in ("", "`") and typed.startswith(("-", "/")):
        return  # without a prompt only the argv proves a flags tail or an absolute path was this run's command
    line = f"{prompt}{typed}`" if prompt == "`" else f"{prompt}{typed}"
    log = _log("\n".join([line, *body]) + "\n")
    assert (log["hand_started"], "hand-started" in _kinds(log)) == (True, True), line


@given(st.sampled_from(NOT_TYPED), st.booleans())
@settings(max_examples=20, deadline=None)
def test_a_unit_file_or_service_command_above_a_service_log_is_no_hand_start(line: str, journal: bool) -> None:
    prefix = "Jan 09 13:25:41 host tailscaled[1873]: " if journal else "2024/01/11 21:45:32 "
    argv = '"/usr/sbin/tailscaled", "--port", "41641"'
    body = [f"{prefix}logtail started", f"{prefix}Program starting: v1.56.1-t906f85d10, Go 1.21.5: []string{{{argv}}}",
            f'{prefix}logpolicy: using system state directory "/var/lib/tailscale"']  # fmt: skip
    log = _log("\n".join([line, *body]) + "\n")
    assert log["hand_started"] is not True, line


@given(
    st.sampled_from(["<hostname>", "<host>", "*", "***", "[redacted]", "[REDACTED]", "{host}", "xxxx"]),
    st.sampled_from(["tailscaled[663]", "tailscaled"]),
)
@settings(max_examples=30, deadline=None)
def test_a_journal_line_whose_host_was_redacted_is_still_the_services_journal(host: str, process: str) -> None:
    message = "Received error: TryLogin: register request: http 400: invalid key: API key tskey-012345 not valid"
    log = _log(f"Jul 30 00:23:51 {host} {process}: {message}\n")
    assert (log["hand_started"], "login-required" in _kinds(log)) == (False, True)
    assert message_of(f"Jul 30 00:23:51 {host} {process}: {message}").text == message


WATCHDOG_DUMP = [
    "wgengine watchdog stacks:",
    "goroutine profile: total 2",
    "1 @ 0x43d6ae 0x44f785 0xb525c5 0x4756e1",
    "#\t0xb525c4\ttailscale.com/net/dns.(*resolvedManager).run+0x324\ttailscale.com@v1.60.1/net/dns/resolved.go:176",
    "",
    "wgengine watchdog in-flight:",
    "in-flight[7]: name=Reconfig duration=45.001s start=2025-03-25T17:07:48.1Z",
]
PANIC_TRACE = [
    "goroutine 49 [running]:",
    "tailscale.com/net/dns.(*resolvedManager).run(0xc000865110, {0xff0a50, 0xc0008426e0})",
    "\ttailscale.com@v1.38.1/net/dns/resolved.go:219 +0x87b",
    "created by tailscale.com/net/dns.newResolvedManager",
]


@given(
    st.sampled_from(["{msg}", "Mar 25 17:08:33 ams01 tailscaled[2790020]: {msg}", "2025/03/25 17:08:33 {msg}"]),
    st.sampled_from([WATCHDOG_DUMP[:1] + WATCHDOG_DUMP[2:], PANIC_TRACE]),
    st.sampled_from(["", "magicsock: derp-4 connected", "control: map response long-poll timed out!",
                     "wgengine: Reconfig: configuring router", "logger closing down",
                     "wgengine: watchdog timeout on Reconfig"]),
)  # fmt: skip
@settings(max_examples=60, deadline=None)
def test_a_causeless_trace_the_daemon_logged_on_after_is_no_crash(prefix: str, trace: list[str], after: str) -> None:
    # the engine watchdog recovering (newer tailscaled) or a logged stack: the daemon went on; a trace the paste
    # ends in, or that an exit or the watchdog's fatal line follows, is the crash whose exit was cut or shown
    lines = [*trace, after] if after else trace
    kinds = _kinds(_log("\n".join(prefix.format(msg=line) if line else "" for line in lines) + "\n"))
    went_on = after not in ("", "logger closing down", "wgengine: watchdog timeout on Reconfig")
    assert ("crash" in kinds) is not went_on, lines


@given(
    st.sampled_from(["sudo tailscaled --port 41641", "./tailscaled --tun=userspace-networking &",
                     "$ sudo /usr/sbin/tailscaled", "--tun=userspace-networking --socks5-server=localhost:1055",
                     "root@OpenWrt:~# tailscaled -verbose 2"]),
    st.booleans(),
)  # fmt: skip
@settings(max_examples=20, deadline=None)
def test_a_paste_of_only_the_command_that_starts_tailscaled_holds_no_log(command: str, fenced: bool) -> None:
    text = f"```\n{command}\n```\n" if fenced else command + "\n"
    with pytest.raises(InputError, match="nothing to diagnose"):
        run_text(text)
    # a log line under the program's name is the log, not a command
    assert "packet-dropped" in _kinds(
        _log("tailscaled Drop: UDP{100.64.0.1:57657 > 100.100.100.100:5351} 30 no rules matched\n")
    )


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(['lookpath: exec: "ip": executable file not found in $PATH',
                     "exit status 1", "fork/exec /sbin/ip: permission denied"]),
)  # fmt: skip
@settings(max_examples=30, deadline=None)
def test_the_router_probing_ip_for_fwmask_support_is_no_firewall_failure(prefix: str, why: str) -> None:
    lines = [
        f"router: failed to determine ip command fwmask support: {why}",
        "router: ip command does NOT support fwmark masks",
        "router: policy routing available; found 3 rules",
    ]
    log = _log("\n".join(prefix.format(msg=line) for line in lines) + "\n")
    assert "firewall-failed" not in _kinds(log)
    failed = prefix.format(msg="router: firewall: error adding Tailscale-In rule: exit status 1")
    assert "firewall-failed" in _kinds(_log("\n".join([*(prefix.format(msg=line) for line in lines), failed]) + "\n"))


# The rate limiter of v1.0-v1.6 (types/logger before 2021-04): "[RATE LIMITED] format string "%s" (example: "%s")",
# and before 2020-06 "[RATE LIMITED] %s" (the format bare) → the issue its message raises (None: none).
OLD_RATE_LIMITED = {
    'format string "Failed to write packet to TUN device: %v" (example: "Failed to write packet to TUN device: '
    'packet dropped by filter")': "packet-dropped",
    'format string "router: %s add failed: %v" (example: "router: route add failed: exit status 2")': "firewall-failed",
    'format string "open-conn-track: timeout opening %v to node %v; online=%v, lastRecv=%v" (example: '
    '"open-conn-track: timeout opening (TCP 100.64.0.1:4 => 100.64.0.2:22) to node [Vdhdo]; online=yes, '
    'lastRecv=1m")': "peer-unreachable",
    'format string "Accept: %v" (example: "Accept: TCP{100.64.0.1:1 > 100.64.0.2:22} 52 tcp ok")': None,
    'format string "dns: %s" (example: "dns: resolving "x.ts.net" failed")': None,
    "router: %s add failed: %v": "firewall-failed",
    "open-conn-track: flow %v %v > %v rejected due to %v": "packet-dropped",
    "magicsock: derp-%d does not know about peer %s, removing route": None,
}


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(sorted(OLD_RATE_LIMITED)),
    st.sampled_from(["Accept: TCP{100.122.98.51:41694 > 100.113.21.116:5900} 334 ok out", "Engine created."]),
)
@settings(max_examples=60, deadline=None)
def test_the_old_rate_limiter_stands_for_its_example_or_format(prefix: str, form: str, before: str) -> None:
    log = _log(prefix.format(msg=before) + "\n" + prefix.format(msg=f"[RATE LIMITED] {form}") + "\n")
    kind = OLD_RATE_LIMITED[form]
    assert _kinds(log) - {"hand-started"} == ({kind} if kind else set())
    assert all("%" not in issue["about"] for issue in log["issues"])


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["router: ", ""]),
    st.sampled_from([
        "ip6tables filtering is not supported on this host: running [/usr/sbin/ip6tables -t filter -S --wait]: exit "
        "status 3: ip6tables v1.8.4 (legacy): can't initialize ip6tables table `filter': Table does not exist (do you "
        "need to insmod?)",
        "ip6tables filtering is not supported on this host: running [/sbin/ip6tables -t filter -S --wait]: exit status "
        "1: ip6tables v1.8.7 (nf_tables): can't initialize ip6tables table `filter': Table does not exist",
        "ip6tables filtering is not supported on this host: running [ip6tables -t filter -S --wait]: exit status 4: "
        "ip6tables: Permission denied (you must be root)",
        "detect iptables rule: running [iptables -S --wait]: exit status 1: iptables: Operation not permitted",
        'iptables not found: exec: "iptables": executable file not found in $PATH; falling back to nftables',
    ]),
    st.sampled_from(["v6 = true, v6filter = false, v6nat = false", "v6 = true, v6filter = false, v6nat = true"]),
)  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_linuxfw_probing_what_the_host_supports_is_no_firewall_failure(
    prefix: str, router: str, probe: str, modes: str
) -> None:
    # util/linuxfw lists ip6tables' filter table (checkSupportsV6Filter) and counts rules to choose a mode: an error
    # there is a detection, after which it runs without that table (Codespaces and other containers)
    lines = [router + probe, f"{router}netfilter running in iptables mode {modes}", "Engine created."]
    log = _log("\n".join(prefix.format(msg=line) for line in lines) + "\n")
    assert "firewall-failed" not in _kinds(log)
    failed = prefix.format(msg="router: firewall: error adding Tailscale-In rule: exit status 1")
    assert "firewall-failed" in _kinds(_log("\n".join([*(prefix.format(msg=line) for line in lines), failed]) + "\n"))


@given(
    st.sampled_from(["May 09 02:27:56 vega tailscaled[21494]: {msg}", "{msg}"]),
    st.sampled_from([["SIGQUIT: quit", "PC=0x469021 m=0 sigcode=0", "", "goroutine 0 [idle]:",
                      "runtime.futex(0xe40628, 0x80, 0x0, 0x0, 0x0)"],
                     ["tailscaled got signal terminated; shutting down"]]),
    st.sampled_from(["tailscaled.service: Main process exited, code=exited, status=2/INVALIDARGUMENT",
                     "tailscaled.service: Failed with result 'exit-code'.",
                     "tailscaled.service: Main process exited, code=killed, status=9/KILL"]),
    st.booleans(),
)  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_the_exit_a_signal_asked_for_is_no_crash(prefix: str, asked: list[str], exited: str, asked_first: bool) -> None:
    # systemd reports the exit a SIGQUIT dump or a stop requested; the same exit with no request first is a crash
    systemd = "May 09 02:27:56 vega systemd[1]: " + exited
    body = [prefix.format(msg=line) if line else "" for line in asked]
    lines = [*body, systemd] if asked_first else [systemd, *body]
    kinds = _kinds(_log("\n".join(lines) + "\n"))
    assert ("crash" in kinds) is not asked_first, lines


@given(
    st.sampled_from(["{msg}", "`{msg}`", "E/Tailscale(12345): {msg}", "2021/06/20 10:00:00 {msg}", "> {msg}"]),
    st.sampled_from(BAD["tun-unavailable"][-2:]),
)
@settings(max_examples=10, deadline=None)
def test_an_android_vpn_interface_refused_is_tun_unavailable_with_android_advice(prefix: str, message: str) -> None:
    diagnosis = run_text(prefix.format(msg=message))
    (finding,) = [f for f in diagnosis.findings if f.rule_id == "TS-LOG-TUN-UNAVAILABLE"]
    assert "Android" in finding.fix and "modprobe" not in finding.fix


# net/tstun/tun_linux.go diagnoseLinuxTUNFailure runs only when a kernel TUN device failed to open (netstack opens
# none), so each of its lines says kernel-TUN mode: userspace is False, even when the paste stops before CreateTUN's
# error (blind 14: 670, 765). A later fallback to netstack still wins (the last engine line decides).
_KERNEL_TUN_DIAGNOSES = [
    "is CONFIG_TUN enabled in your kernel? `modprobe tun` failed with: modprobe: FATAL: Module tun not found",
    "is CONFIG_TUN enabled in your kernel? `modprobe tun` failed with: modprobe: FATAL: Module tun n>",
    "is CONFIG_TUN enabled in your kernel? `modprobe tun` failed with: modprobe: can't change directory to "
    "'/lib/modules': No such file or directory",
    "tun module not loaded nor found on disk",
    "'modprobe tun' successful",
    "tun module loaded in kernel, but /dev/net/tun does not exist",
    "kernel/drivers/net/tun.ko found on disk, but not for current kernel; are you in middle of a system update "
    "and haven't rebooted? found: linux-image-6.1.0-9-amd64: /lib/modules/6.1.0-9-amd64/kernel/drivers/net/tun.ko",
    'Starting userspace wireguard engine with tun device "tailscale0"',
]


@given(st.sampled_from(PREFIXES), st.sampled_from(_KERNEL_TUN_DIAGNOSES), st.booleans())
@settings(max_examples=60, deadline=None)
def test_a_kernel_tun_diagnosis_says_not_userspace(prefix: str, diagnosis: str, fallback: bool) -> None:
    lines = [prefix.format(msg=m) for m in ["Linux kernel version: 6.8.12-4-pve", diagnosis]]
    if fallback:
        lines.append(prefix.format(msg='wgengine.NewUserspaceEngine(tun "userspace-networking") ...'))
    log = _log(_mangle(lines, "plain"))
    assert log["userspace"] is fallback, lines


@given(st.sampled_from(PREFIXES))
@settings(max_examples=20, deadline=None)
def test_the_old_fake_tun_engine_is_userspace(prefix: str) -> None:
    for wording in ["Starting userspace wireguard engine (with fake TUN device)",
                    "Starting userspace WireGuard engine (with fake TUN device)"]:  # fmt: skip
        assert _log(_mangle([prefix.format(msg=wording)], "plain"))["userspace"] is True


# Android logcat, whole or with its pid/tid/level/tag columns elided by the poster ("09-03 07:09:40.802 ... "), and
# the app's own socket binding line (tailscale-android App.kt) say Android (blind 14: 492).
_LOGCAT_PREFIXES = [
    "09-03 07:09:40.802 ... {msg}",
    "09-03 07:09:40.802  ...  {msg}",
    "09-03 07:09:40.802 \u2026 {msg}",
    "08-12 01:28:19.408 31087 31144 D App     : {msg}",
    "08-12 01:28:19.408 31087 31144 I com.tailscale.ipn: {msg}",
]
_ANDROID_BINDINGS = [
    "bindSocketToActiveNetwork: binding fd=148 to net=274 iface=rmnet_data0",
    "bindSocketToActiveNetwork: binding fd=31 to net=101 iface=wlan0",
    "bindSocketToActiveNetwork: bind failed fd=31 net=101 iface=wlan0: java.net.SocketException: EPERM",
]


@given(st.sampled_from(_LOGCAT_PREFIXES), st.sampled_from(_ANDROID_BINDINGS), st.booleans())
@settings(max_examples=40, deadline=None)
def test_an_android_log_with_its_columns_elided_says_android(prefix: str, binding: str, dns_first: bool) -> None:
    dns = "dns udp query: waiting for response or error from [100.100.100.100]: context deadline exceeded"
    bodies = [dns] * 3 + [binding] if dns_first else [binding] + [dns] * 3
    log = _log("\n".join(prefix.format(msg=m) for m in bodies) + "\n")
    assert log["os"] == "android"
    assert "dns-forward-failing" in _kinds(log)


# fix18 (corpus 421): a logcat line quoted without its stamp, pid and level columns, only the app's tag before the
# message ("com.tailscale.ipn: fatal error: …"), or with its level letter kept; the macOS extension's Console line
# without its columns likewise. The app's process names the line Tailscale's, whatever the message.
_BARE_APP_TAGS = [
    ("com.tailscale.ipn: {msg}", "android"),
    ("E com.tailscale.ipn: {msg}", "android"),
    ("`com.tailscale.ipn: {msg}`", "android"),
    ("IPNExtension: {msg}", "macos"),
    ("io.tailscale.ipn.macsys.network-extension: {msg}", "macos"),
]
_APP_FATALS = [
    "fatal error: glGetError: 0x501",
    "fatal error: concurrent map writes",
    "panic: runtime error: invalid memory address or nil pointer dereference",
]


@given(st.sampled_from(_BARE_APP_TAGS), st.sampled_from(_APP_FATALS), MANGLE)
@settings(max_examples=40, deadline=None)
def test_the_apps_tag_alone_before_a_fatal_error_is_its_crash(tag: tuple[str, str], fatal: str, how: str) -> None:
    form, os_name = tag
    log = _log(_mangle([form.format(msg=fatal)], how))
    assert log["os"] == os_name
    assert _kinds(log) == {"crash"}


@pytest.mark.parametrize(
    "prose",
    ["com.tailscale.ipn crashed on start", "IPNExtension keeps restarting", "the com.tailscale.ipn: package"],
)
def test_the_apps_name_in_prose_is_no_log_line(prose: str) -> None:
    assert not is_daemon_log_line(prose)


# safesocket.Listen refuses with "address already in use" only when a live tailscaled answers on the LocalAPI socket
# (safesocket/unixsocket.go dials it first): this second daemon exits, the running one is fine — socket-in-use, not
# a crash, whether the logger's close-down comes before or after the error (blind 14: 775).
_SOCKET_ERRORS = [
    "safesocket.Listen: /var/run/tailscale/tailscaled.sock: address already in use",
    "safesocket.Listen: /run/tailscale/tailscaled.sock: address already in use",
    "safesocket.Listen: /tmp/tailscaled.sock: address already in use",
    "safesocket.Listen: /var/run/tailscaled.socket: address already in use; tailscaled already running under "
    "launchd (to stop, run: $ sudo launchctl stop com.tailscale.tailscaled)",
]


@given(st.sampled_from(PREFIXES), st.sampled_from(_SOCKET_ERRORS), st.booleans())
@settings(max_examples=60, deadline=None)
def test_a_second_tailscaled_finding_the_socket_served_is_not_a_crash(
    prefix: str, error: str, close_first: bool
) -> None:
    start = 'Program starting: v1.68.1-tf02ad8397-g8f9cb4763, Go 1.22.4: []string{"./tailscaled"}'
    closing = ["flushing log.", "logger closing down"]
    bodies = [start, *(closing + [error] if close_first else [error] + closing)]
    log = _log(_mangle([prefix.format(msg=m) for m in bodies], "plain"))
    assert "socket-in-use" in _kinds(log) and "crash" not in _kinds(log), bodies
    assert log["exit"] == 1  # a warning: the extra start failed


def test_a_socket_in_use_finding_says_the_running_daemon_is_fine() -> None:
    diagnosis = run_text(f"2024/10/09 02:07:26 {_SOCKET_ERRORS[0]}\n")
    (finding,) = [f for f in diagnosis.findings if f.rule_id == "TS-LOG-SOCKET-IN-USE"]
    assert "already runs" in finding.cause and "stop the extra start" in finding.fix


# A rate-limited control error whose format is only a verb ('[RATELIMIT] format("Received error: %v")') names no
# error: a login loop against a server that answers (Headscale refusing the register POST) logs the same line, so
# what still holds is the pending login, not control-unreachable; a named error still says unreachable (blind 14: 667).
@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["Received error: %v", "TryLogin: %v"]),
    st.sampled_from(["(10 dropped)", "(1 dropped)", "(9 dropped)"]),
)
@settings(max_examples=40, deadline=None)
def test_a_rate_limited_bare_control_error_does_not_hide_a_pending_login(prefix: str, form: str, dropped: str) -> None:
    bodies = [
        "control: LoginInteractive -> regen=true",
        "control: doLogin(regen=true, hasUrl=false)",
        "control: Generating a new nodekey.",
        "control: RegisterReq: onode= node=[sGHUS] fup=false nks=false",
        f'[RATELIMIT] format("{form}") {dropped}',
    ]
    log = _log(_mangle([prefix.format(msg=m) for m in bodies], "plain"))
    assert "login-required" in _kinds(log) and "control-unreachable" not in _kinds(log), bodies
    named = [*bodies[:-1], "Received error: fetch control key: Get \"https://hs.example.com/key?v=88\": dial tcp "
             "203.0.113.9:443: connect: connection refused"] * 2  # fmt: skip
    assert "control-unreachable" in _kinds(_log(_mangle([prefix.format(msg=m) for m in named], "plain")))


# fix14-cli (blind 669): `log show` names the sender image in parentheses when a system library or framework
# logs inside Tailscale's extension process ("IPNExtension: (libsystem_secinit.dylib) AppSandbox …"): the OS's
# line, not tailscaled's. Tailscale's own messages in the same process (no sender) stay log lines.
MACOS_STAMPS = [
    "2023-06-07 13:26:30.346562+1000 0x16cdd5 Activity 0x7fe1d0 98039 0 IPNExtension: ",
    "2023-05-27 01:02:04.761562-0400 0xba325    Activity    0x3bf747             19332  0    IPNExtension: ",
    "2024-01-02 03:04:05.000001+0000 0x1 Default 0x0 512 0 io.tailscale.ipn.macsys.network-extension: ",
]
MACOS_SENDERS = ["libsystem_secinit.dylib", "Security", "CFNetwork", "libnetwork.dylib", "Network", "libxpc.dylib"]
MACOS_SENDER_MESSAGES = ["AppSandbox request successful", "SecTrustEvaluateIfNecessary", "nw_path_evaluator_start"]


@given(st.sampled_from(MACOS_STAMPS), st.sampled_from(MACOS_SENDERS), st.sampled_from(MACOS_SENDER_MESSAGES))
@settings(max_examples=30, deadline=None)
def test_a_system_library_line_in_the_macos_extension_is_not_a_tailscaled_line(
    stamp: str, sender: str, message: str
) -> None:
    line = f"{stamp}({sender}) {message}"
    assert not is_daemon_log_line(line)
    assert is_daemon_log_line(line) == is_daemon_log_line_slow(line)
    with pytest.raises(InputError):
        run_text(line + "\n" + line + "\n")
    assert is_daemon_log_line(f"{stamp}magicsock: derp-1 connected; connGen=1")


# The pre-1.0 release tags were major.minor ("v0.95", "v0.98"): tailscaled printed git describe's form, "v0.98-0",
# "v0.98-35-gabcdef", "v0.99-gabcdef" (version/mkversion.sh). Its version is that major.minor, and the argv beside it
# still says who started it (a shell's "./tailscaled", the Windows service's "/subproc"). Prefixes that name no
# service manager (a journal line says systemd ran it), as a terminal or a log file shows them.
@given(
    st.sampled_from(["{msg}", "2024/01/12 10:41:06 {msg}", "> {msg}", "    {msg}", "2020/07/22 18:01:02 {msg}\r"]),
    st.sampled_from(["0.95", "0.96", "0.97", "0.98", "0.99"]),
    st.sampled_from(["-0", "-35-gabcdef12", "-gabcdef12", "-0, Go 1.14.2-tsad6f208"]),
    st.sampled_from(
        [
            ('"./tailscaled", "--state=tailscaled.state"', True),
            ('"tailscaled"', True),
            ('"C:\\\\Program Files (x86)\\\\Tailscale IPN\\\\tailscale-ipn.exe", "/subproc", "d97d"', False),
        ]
    ),
)
@settings(max_examples=60, deadline=None)
def test_a_pre_1_0_major_minor_version_is_read(
    prefix: str, release: str, describe: str, argv: tuple[str, bool | None]
) -> None:
    words, by_hand = argv
    start = f"Program starting: v{release}{describe}: []string{{{words}}}"
    text = "\n".join(prefix.format(msg=m) for m in ["logtail started", start, "magicsock: starting endpoint update"])
    log = _log(text + "\n")
    assert (log["version"], log["hand_started"]) == (release, by_hand)


@pytest.mark.parametrize("line", ["Program starting: v1.2-0: []string{}", "Program starting: v0.98: []string{}"])
def test_a_two_part_version_without_describe_suffix_or_after_1_0_is_not_read(line: str) -> None:
    assert _log(f"logtail started\n{line}\nmagicsock: starting endpoint update\n")["version"] is None


# ------------------------------------------------------------------ classes blind batch 24 missed


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["context deadline exceeded", "read udp 100.101.102.103:53->10.0.0.53:53: i/o timeout",
                     "write udp 127.0.0.1:41641->192.0.2.1:53: write: connection refused"]),
    st.sampled_from(["", "```{line} ```", "`{line}`"]),
)  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_one_dns_error_timeout_or_refusal_is_dns_forward_failing(prefix: str, error: str, wrap: str) -> None:
    # v1.0-v1.30 engine (wgengine/userspace.go pollResolver): "dns: error: %v" after the forwarder gave up
    line = prefix.format(msg=f"dns: error: {error}")
    assert "dns-forward-failing" in _kinds(_log((wrap.format(line=line) if wrap else line) + "\n"))


@given(
    st.sampled_from(PREFIXES),
    # the exit node's DoH request (one HTTP request to one peer) stays a possible one-off (test_paste_classes)
    st.sampled_from(["dns: bad rdata", 'Post "http://100.127.227.19:38798/dns-query": context deadline exceeded']),
)
@settings(max_examples=20, deadline=None)
def test_one_dns_error_of_another_kind_is_still_a_one_off(prefix: str, error: str) -> None:
    line = prefix.format(msg=f"dns: error: {error}")
    later = prefix.format(msg="magicsock: derp-4 connected")
    assert "dns-forward-failing" not in _kinds(_log(line + "\n" + later + "\n"))


@given(
    st.sampled_from(PREFIXES + ["2022-08-09 23:58:50.127418483 -0400 -0400: {msg}"]),
    st.sampled_from(["conn-20220810T035846-46b6e88e3e", "ssh-conn-20230412T104106-8f3a91c2d4"]),
    st.sampled_from(["failed to lookup REDACTED: user: unknown user REDACTED",
                     "failed to lookup dlin: user: unknown user dlin",
                     'failed to look up local user "bob" : user: unknown user bob']),
)  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_tailssh_user_lookup_failure_is_ssh_failed_v128_conn_prefix_too(prefix: str, conn: str, failed: str) -> None:
    handling = prefix.format(msg=f"{conn}: handling conn: 100.117.1.2:49488->dlin@100.111.3.4:22")
    log = _log(handling + "\n" + prefix.format(msg=f"{conn}: {failed}") + "\n")
    assert "ssh-failed" in _kinds(log)
    assert "crash" not in _kinds(log)


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["fork/exec /usr/sbin/tailscaled: permission denied",
                     "fork/exec /usr/bin/tailscaled: operation not permitted",
                     "chdir /home/ldapuser: permission denied", "context canceled"]),
    st.booleans(),
)  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_a_granted_ssh_session_that_cannot_start_is_ssh_failed(prefix: str, error: str, cut: bool) -> None:
    sess = "ssh-session(sess-20230511T033604-7bc50db3b2)"
    pty = f"{sess}: starting pty command: [/usr/sbin/tailscaled be-child ssh --uid=4007 --gid=2564"
    lines = [
        f'{sess}: access granted to user@example.com as ssh-user "ldaptestuser"',
        pty + (">" if cut else " --local-user=ldaptestuser]"),  # the pager cuts long journald lines with ">"
        f"{sess}: start failed: {error}",
    ]
    diagnosis = run_text("".join(prefix.format(msg=line) + "\n" for line in lines))
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    assert document["summary"]["exit_code"] == 1
    issues = [i for log in document["daemon_logs"] for i in log["issues"] if i["kind"] == "ssh-failed"]
    assert [i["about"] for i in issues] == ["session"]
    assert any(f["rule"] == "TS-LOG-SSH-FAILED" and "be-child" in f["cause"] for f in document["findings"])
    # a later session the policy grants and that starts clears it
    again = _log("".join(prefix.format(msg=line) + "\n" for line in [*lines, lines[0]]))
    assert "ssh-failed" not in _kinds(again)


_TUN_WRITE_ERRORS = {
    "write /dev/tun: no space left on device": "queue-full",
    "write /dev/tun: no buffer space available": "queue-full",
    "write /dev/net/tun: input/output error": "io-error",
    "write /dev/net/tun: operation not permitted": "tun",
}


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(["wg: Failed to write packets to TUN device: {e}", "Failed to write packet to TUN device: {e}"]),
    st.sampled_from(sorted(_TUN_WRITE_ERRORS)),
)
@settings(max_examples=60, deadline=None)
def test_one_failed_tun_write_is_tun_write_failed_keyed_by_its_cause(prefix: str, wording: str, error: str) -> None:
    log = _log(prefix.format(msg=wording.format(e=error)) + "\n")
    issues = [issue for issue in log["issues"] if issue["kind"] == "tun-write-failed"]
    assert [issue["about"] for issue in issues] == [_TUN_WRITE_ERRORS[error]]
    assert log["exit"] == 1
    assert not {"tun-unavailable", "state-unwritable", "crash"} & _kinds(log)


@given(st.sampled_from(PREFIXES))
@settings(max_examples=20, deadline=None)
def test_a_closed_tun_write_alone_is_routine_repeated_it_is_not(prefix: str) -> None:
    closed = prefix.format(msg="wg: Failed to write packets to TUN device: write /dev/net/tun: file already closed")
    assert "tun-write-failed" not in _kinds(_log(closed + "\n"))
    assert "tun-write-failed" in _kinds(_log(closed + "\n" + closed + "\n"))


def test_a_restart_that_gets_further_clears_a_failed_tun_write() -> None:
    failed = "2024/01/12 10:41:06 wg: Failed to write packets to TUN device: write /dev/tun: no space left on device\n"
    start = '2024/01/12 10:42:00 Program starting: v1.68.1-t1, Go 1.22.4: []string{"/usr/sbin/tailscaled"}\n'
    running = "2024/01/12 10:42:02 Switching ipn state Starting -> Running (WantRunning=true, nm=true)\n"
    assert "tun-write-failed" in _kinds(_log(failed + start))
    assert "tun-write-failed" not in _kinds(_log(failed + start + running))


@given(
    st.sampled_from(["Unified log, from `io.tailscale.ipn.macsys.network-extension`, thousands/min:",
                     "Console (io.tailscale.ipn.macos.network-extension):", "From IPNExtension:"]),
    st.sampled_from(["```\n", "\n", ""]),
)  # fmt: skip
@settings(max_examples=20, deadline=None)
def test_the_prose_naming_the_mac_app_process_gives_the_log_its_os(lead_in: str, between: str) -> None:
    # (ENOBUFS, not ENOSPC: since fix44-logs, lead decision for 2562, "write /dev/tun: no space left on device" alone
    # reads macOS, inferred, as only the Apple apps' utun refuses a write so; FreeBSD's /dev/tun can answer ENOBUFS)
    line = "wg: Failed to write packets to TUN device: write /dev/tun: no buffer space available"
    assert _log(f"## Signature\n{lead_in}\n{between}{line}\n")["os"] == "macos"
    # prose that names no process says nothing about the OS
    assert _log(f"## Signature\nSeen thousands of times per minute:\n{between}{line}\n")["os"] is None


_WIN_SUBPROC = (
    'exec: "C:\\\\Program Files (x86)\\\\Tailscale IPN\\\\tailscale-ipn.exe" [/subproc ...]\n'
    'Program starting: v{v}: []string{{"C:\\\\Program Files (x86)\\\\Tailscale IPN\\\\tailscale-ipn.exe", "/subproc", '
    '"..."}}\nsubproc mode: logid=....\n'
    'srv: 0.9M/0.0M Starting userspace wireguard engine with tun device "Tailscale"\n'
)


@given(
    st.sampled_from(["1.0.4-ge256174d6", "1.0.5-t1a2b3c4d5", "1.2.10-t7f3c2a1b0"]),
    st.sampled_from(['"tailscale-ipn.exe"', '"C:\\\\Program Files (x86)\\\\Tailscale IPN\\\\tailscale-ipn.exe"']),
)
@settings(max_examples=20, deadline=None)
def test_the_old_windows_server_run_from_a_console_is_hand_started(version: str, argv0: str) -> None:
    head = "logtail started\n"
    head += f'Program starting: v{version}, Go 1.14.4: []string{{{argv0}, "/server"}}\n'
    head += "Running server directly...\n"
    log = _log(head + _WIN_SUBPROC.format(v=version))
    assert log["hand_started"] is True
    assert "hand-started" in _kinds(log)
    assert log["os"] == "windows"


@given(st.sampled_from(["1.0.4-ge256174d6", "1.2.10-t7f3c2a1b0"]))
@settings(max_examples=5, deadline=None)
def test_the_old_windows_service_and_its_subproc_are_not_hand_started(version: str) -> None:
    exe = "C:\\\\Program Files (x86)\\\\Tailscale IPN\\\\tailscale-ipn.exe"
    service = f'Program starting: v{version}: []string{{"{exe}", "/runservice"}}\n'
    log = _log("logtail started\n" + service + _WIN_SUBPROC.format(v=version))
    assert log["hand_started"] is False
