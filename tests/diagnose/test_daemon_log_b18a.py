"""Generated tests for tailscaled-log classes blind batch 18 missed: zerolog's console prefix of programs
embedding tsnet, a journal prefix cut down to ": ", the Linux network monitor's netlink lines naming the OS,
a control server too old for the client's protocol (control-too-old), containerboot's fatal exits (crash),
net/dns's unprefixed resolv.conf manager lines, and the node's HTTPS certificate not (re)issued (cert-failed).

Each class is proven over the prefixes people paste (test_daemon_log.PREFIXES), the wrappings it comes in, and
the wordings Tailscale's source prints (controlclient/direct.go, cmd/containerboot, net/dns/direct.go,
net/netmon/netmon_linux.go, feature/acme/cert.go and ipn/ipnlocal/cert.go before it), not on the one sample
that exposed it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import by_rule, run_text
from tests.diagnose.test_daemon_log import PREFIXES, _kinds, _log, _mangle

MANGLES = st.sampled_from(["plain", "crlf", "quote", "fence", "indent"])
HEALTHY = "magicsock: derp-4 connected; connGen=1"

# ------------------------------------------------------------------ zerolog's console writer (tsnet embedders)

ZEROLOG_STAMPS = st.sampled_from(["7:40AM", "12:05PM", "1:02AM", "11:59PM"])
ZEROLOG_LEVELS = st.sampled_from(["TRC", "DBG", "INF", "WRN", "ERR", "FTL", "PNC", "???"])
ZEROLOG_FIELDS = st.sampled_from(
    ["", " Hostname=radarr module=proxymanager tailscale=default", " module=proxymanager tailscale=headscale"]
)
# a stamp of another TimeFormat before zerolog's level
OTHER_STAMPS = st.sampled_from(["2026-06-01T07:40:12Z", "2026-06-01T07:40:12+02:00", "2026/06/01 07:40:12"])
STATE_LINES = st.sampled_from(
    [
        ("LocalBackend state is NeedsLogin; running StartLoginInteractive...", "NeedsLogin", True),
        ("Switching ipn state NoState -> NeedsLogin (WantRunning=true, nm=false)", "NeedsLogin", True),
        ("Switching ipn state Starting -> Running (WantRunning=true, nm=true)", "Running", False),
        ("AuthLoop: state is Running; done", "Running", False),
    ]
)


@given(ZEROLOG_STAMPS, ZEROLOG_LEVELS, ZEROLOG_FIELDS, STATE_LINES, MANGLES, st.booleans())
@settings(max_examples=60, deadline=None)
def test_zerolog_kitchen_stamp_and_level_are_peeled(
    stamp: str, level: str, fields: str, state: tuple[str, str, bool], how: str, spaced: bool
) -> None:
    message, expected, needs_login = state
    lines = [f"{stamp} {level} {HEALTHY}{fields}", f"{stamp} {level} {message}{fields}"]
    if spaced:  # tsdproxy's pastes come blank-line spaced
        lines = [lines[0], "", lines[1]]
    log = _log(_mangle(lines, how))
    assert log["state"] == expected
    assert ("login-required" in _kinds(log)) is needs_login


@given(OTHER_STAMPS, ZEROLOG_LEVELS.filter(lambda level: level != "???"), STATE_LINES)
@settings(max_examples=30, deadline=None)
def test_zerolog_level_after_another_stamp_is_peeled(stamp: str, level: str, state: tuple[str, str, bool]) -> None:
    message, expected, _ = state
    log = _log(f"{stamp} {level} {HEALTHY}\n{stamp} {level} {message} module=proxymanager\n")
    assert log["state"] == expected


# ------------------------------------------------------------------ a journal prefix cut down to ": "

CUT_MESSAGES = st.sampled_from(
    [
        ("monitor: RTM_DELROUTE: src=, dst=fe80::/64, gw=, outif=197, table=254", set()),
        ("Received error: control server is too old; no noise key", {"control-too-old"}),
        ("magicsock: derp-4 connected; connGen=1", set()),
    ]
)


@given(CUT_MESSAGES, MANGLES)
@settings(max_examples=30, deadline=None)
def test_a_journal_prefix_cut_to_a_colon_reads_like_the_whole_one(message: tuple[str, set[str]], how: str) -> None:
    text, kinds = message
    cut = _log(_mangle([f": {HEALTHY}", f": {text}"], how))
    whole = _log(_mangle([f"May 09 10:12:03 pi tailscaled[812]: {line}" for line in (HEALTHY, text)], how))
    assert _kinds(cut) == _kinds(whole) == kinds
    if "RTM_" in text:
        assert cut["os"] == whole["os"] == "linux"


# ------------------------------------------------------------------ netlink lines name Linux

NETLINK = [
    "monitor: RTM_DELROUTE: src=, dst=ff00::/8, gw=, outif=197, table=255",
    "monitor: RTM_NEWROUTE: src=, dst=100.100.100.100/32, gw=, outif=12, table=52",
    "monitor: RTM_NEWADDR: eth0(2) 192.168.1.20/24 / 192.168.1.20",
    "monitor: RTM_DELADDR: wlan0(3) fe80::1/64 / fe80::1",
    "monitor: [v1] RTM_NEWROUTE: src=, dst=10.0.0.0/8, gw=192.168.1.1, outif=2, table=254",
]


@pytest.mark.parametrize("line", NETLINK)
@pytest.mark.parametrize("prefix", ["{msg}", "2024/01/12 10:41:06 {msg}", ": {msg}"])
def test_the_linux_network_monitor_names_linux(line: str, prefix: str) -> None:
    log = _log(f"{prefix.format(msg=HEALTHY)}\n{prefix.format(msg=line)}\n")
    assert log["os"] == "linux"


# ------------------------------------------------------------------ control-too-old

LOGIN_LOOP = [
    "control: LoginInteractive -> regen=true",
    '[RATELIMIT] format("control: doLogin(regen=%v, hasUrl=%v)") (2 dropped)',
    "control: doLogin(regen=true, hasUrl=false)",
]
TOO_OLD = "Received error: control server is too old; no noise key"


@given(st.sampled_from(PREFIXES), st.integers(min_value=1, max_value=3), MANGLES, st.booleans())
@settings(max_examples=60, deadline=None)
def test_a_control_server_too_old_is_control_too_old_not_unreachable(
    prefix: str, repeats: int, how: str, key_line_after: bool
) -> None:
    lines = []
    for _ in range(repeats):
        lines += [*LOGIN_LOOP, TOO_OLD]
    if key_line_after:
        # the next try fetches /key again (answered, without a Noise key): no success
        lines.append("control: control server key from http://hs.example.com:8080: [AbCdE], noise: []")
    log = _log(_mangle([prefix.format(msg=line) for line in lines], how))
    kinds = _kinds(log)
    assert "control-too-old" in kinds
    assert not kinds & {"control-unreachable", "login-required"}
    assert log["exit"] == 1


@pytest.mark.parametrize(
    "success",
    [
        "control: RegisterReq: got response; nodeKeyExpired=false, machineAuthorized=true; authURL=false",
        "Switching ipn state Starting -> Running (WantRunning=true, nm=true)",
        "control: netmap: got new dial plan from control",
    ],
)
def test_a_later_registration_clears_control_too_old(success: str) -> None:
    log = _log(f"{TOO_OLD}\n{success}\n")
    assert "control-too-old" not in _kinds(log)


def test_control_too_old_names_the_upgrade() -> None:
    diagnosis = run_text(f"2024/05/09 10:12:03 {TOO_OLD}\n")
    (finding,) = by_rule(diagnosis, "TS-LOG-CONTROL-TOO-OLD")
    assert "Upgrade the control server" in finding.fix


# ------------------------------------------------------------------ containerboot exiting on a fatal error

CONTAINERBOOT_FATAL = [
    "Timed out waiting for tailscaled socket",
    "Waiting for tailscaled socket: stat /tmp/tailscaled.sock: permission denied",
    "failed to bring up tailscale: timed out waiting for tailscaled socket",
    "failed to bring up tailscale: error waiting for tailscaled socket: context canceled",
    'tailscaled left running state (now in state "NeedsLogin"), exiting',
    "Waiting for tailscaled to exit: signal: killed",
    "error shutting tailscaled down: os: process already finished",
    'no tailscaled config file found in "/etc/tsconfig/proxies-0" for current capability version 138',
    'error reading tailscaled config directory "/etc/tsconfig/proxies-0": open /etc/tsconfig: no such file',
]
CONTAINERBOOT_FINE = ["Starting tailscaled", "Waiting for tailscaled socket", "Startup complete, waiting for shutdown"]
BOOT_PREFIXES = [
    "boot: 2024/03/29 12:43:02 {msg}",
    "[pod/ts-proxy-0/tailscale] boot: 2024/03/29 12:43:02 {msg}",  # kubectl logs --prefix
    "tailscale-1  | boot: 2024/03/29 12:43:02 {msg}",  # docker compose
]


@pytest.mark.parametrize("fatal", CONTAINERBOOT_FATAL)
@pytest.mark.parametrize("prefix", BOOT_PREFIXES)
def test_containerboot_exiting_on_a_fatal_error_is_a_crash(fatal: str, prefix: str) -> None:
    lines = [prefix.format(msg=m) for m in ("Starting tailscaled", "Waiting for tailscaled socket", fatal)]
    log = _log("\n".join(lines) + "\n")
    assert "crash" in _kinds(log), fatal


@pytest.mark.parametrize("prefix", BOOT_PREFIXES)
def test_containerboot_starting_tailscaled_is_no_crash(prefix: str) -> None:
    log = _log("\n".join(prefix.format(msg=m) for m in CONTAINERBOOT_FINE) + "\n")
    assert "crash" not in _kinds(log)


# ------------------------------------------------------------------ net/dns's unprefixed resolv.conf manager

DIRECT_MANAGER = [
    'rename of "/etc/resolv.conf" to "/etc/resolv.pre-tailscale-backup.conf" failed (rename /etc/resolv.conf '
    "/etc/resolv.pre-tailscale-backup.conf: device or resource busy), falling back to copy+delete",
    'rename of "/tmp/resolv.conf.tmp" to "/etc/resolv.conf" failed (invalid cross-device link), falling back to '
    "copy+delete",
    "trample: resolv.conf again matches expected content",
    "trample: read error: open /etc/resolv.conf: no such file or directory",
    "restarting systemd-resolved...",
    "restarted systemd-resolved",
    "restarted resolved after 1.2s",
    "ignoring SetDNS permission error on Synology (Issue 4017); was: open /etc/resolv.conf: permission denied",
]


@pytest.mark.parametrize("line", DIRECT_MANAGER)
@pytest.mark.parametrize(
    "prefix", ["{msg}", "2024/05/20 21:10:53 {msg}", "Nov 13 02:07:34 host tailscaled[11844]: {msg}"]
)
def test_a_resolv_conf_manager_line_alone_is_a_harmless_tailscaled_log(line: str, prefix: str) -> None:
    log = _log(_mangle([prefix.format(msg=line)], "fence"))
    assert not _kinds(log)
    assert log["exit"] == 0


# ------------------------------------------------------------------ cert-failed

DOMAINS = st.sampled_from(["homeassistant.tail95810e.ts.net", "nas.tailnet-1234.ts.net", "*.web.tail0.ts.net"])
CERT_FAILURES = st.sampled_from(
    [
        ["async renewal failed: getCertPem: 409 urn:ietf:params:acme:error:alreadyReplaced: Could not validate ARI "
         "'replaces' field :: cannot indicate an order replaces certificate with serial \"05da\", which already has "
         "a replacement order"],
        # the user's own re-wrap: the ACME error on lines of their own
        ["async renewal failed:", "getCertPem: 409 urn:ietf:params:acme:error:alreadyReplaced:",
         "Could not validate ARI 'replaces' field ::"],
        ["getCertPEM: acme: authorization error for nas.ts.net: 429 urn:ietf:params:acme:error:rateLimited"],
        ['acme: WaitOrder: OrderError status "invalid"'],
        ["acme: WaitOrder error: 400 urn:ietf:params:acme:error:malformed"],
    ]
)  # fmt: skip


@given(st.sampled_from(PREFIXES[:20]), DOMAINS, CERT_FAILURES, MANGLES)
@settings(max_examples=60, deadline=None)
def test_a_certificate_not_reissued_is_cert_failed(prefix: str, domain: str, failure: list[str], how: str) -> None:
    first, *wrapped = failure
    lines = [
        prefix.format(msg=f'cert("{domain}"): starting async renewal'),
        prefix.format(msg=f'cert("{domain}"): already had ACME account.'),
        prefix.format(msg=f'cert("{domain}"): {first}'),
        *wrapped,
    ]
    log = _log(_mangle(lines, how))
    assert "cert-failed" in _kinds(log)
    assert log["exit"] == 1


@given(DOMAINS, CERT_FAILURES)
@settings(max_examples=20, deadline=None)
def test_got_cert_for_the_same_name_clears_cert_failed(domain: str, failure: list[str]) -> None:
    failed = f'2025/08/08 10:00:00 cert("{domain}"): {failure[0]}'
    got = f'2025/08/08 10:05:00 cert("{domain}"): got cert'
    other = '2025/08/08 10:05:00 cert("other.tail0.ts.net"): got cert'
    assert "cert-failed" not in _kinds(_log(f"{failed}\n{got}\n"))
    assert "cert-failed" in _kinds(_log(f"{failed}\n{other}\n"))


def test_routine_certificate_lines_raise_nothing() -> None:
    lines = [
        'cert("nas.tail0.ts.net"): starting async renewal',
        'cert("nas.tail0.ts.net"): already had ACME account.',
        'cert("nas.tail0.ts.net"): requesting cert...',
        'cert("nas.tail0.ts.net"): got cert',
    ]
    log = _log("\n".join(f"2025/08/08 10:00:00 {line}" for line in lines) + "\n")
    assert not _kinds(log)


def test_a_fetch_for_a_wrong_name_is_ended_by_the_cert_of_the_nodes_own_name() -> None:
    wrong = (
        '2025/05/23 08:15:48 cert("web.tail0.ts.net"): getCertPEM: invalid domain "web.tail0.ts.net"; must be '
        'one of ["web-1.tail0.ts.net"]'
    )
    got = '2025/05/23 08:17:05 cert("web-1.tail0.ts.net"): got cert'
    assert "cert-failed" in _kinds(_log(f"{wrong}\n"))
    assert "cert-failed" not in _kinds(_log(f"{wrong}\n{got}\n"))


# ------------------------------------------------------------------ containerboot sending from a CGNAT address

POD_ERRORS = [
    'kubeclient: error checking Events permissions: Post "https://kubernetes.default.svc/apis/authorization.k8s.io/'
    'v1/selfsubjectaccessreviews": dial tcp: lookup kubernetes.default.svc on 100.65.0.10:53: read udp '
    "{local}:53491->100.65.0.10:53: i/o timeout",
    'error checking get permission on secret ts-0: Post "https://10.96.0.1:443/apis": dial tcp {local}:40112->'
    "10.96.0.1:443: connect: connection refused",
    "getting Tailscale state Secret: write tcp {local}:50000->172.20.0.1:443: write: broken pipe",
]
BOOT_STAMP = "boot: 2026/06/24 09:29:31 {msg}"


@given(
    st.sampled_from(POD_ERRORS),
    st.sampled_from(["100.64.1.129", "100.127.255.3", "100.100.7.9"]),
    st.sampled_from([BOOT_STAMP, "[pod/ingress-proxies-0/tailscale] " + BOOT_STAMP]),
    MANGLES,
)
@settings(max_examples=40, deadline=None)
def test_containerboot_sending_from_a_cgnat_address_is_cgnat_overlap(
    error: str, local: str, prefix: str, how: str
) -> None:
    lines = [prefix.format(msg="Starting tailscaled"), prefix.format(msg=error.format(local=local))]
    log = _log(_mangle(lines, how))
    assert "cgnat-overlap" in _kinds(log)
    (issue,) = [i for i in log["issues"] if i["kind"] == "cgnat-overlap"]
    assert local in issue["about"]


@pytest.mark.parametrize("error", POD_ERRORS)
@pytest.mark.parametrize("local", ["10.244.1.7", "172.17.0.3", "100.63.255.1", "100.128.0.1", "100.115.92.4"])
def test_containerboot_sending_from_outside_the_range_is_no_overlap(error: str, local: str) -> None:
    log = _log(f"{BOOT_STAMP.format(msg='Starting tailscaled')}\n{BOOT_STAMP.format(msg=error.format(local=local))}\n")
    assert "cgnat-overlap" not in _kinds(log)


@pytest.mark.parametrize("error", POD_ERRORS)
def test_tailscaled_sending_from_its_tailnet_address_is_no_overlap(error: str) -> None:
    # tailscaled's own connections (netstack, serve, a peer dial) leave from its tailnet address: no overlap
    line = f"2026/06/24 09:29:31 {error.format(local='100.101.102.103')}"
    log = _log(f"2026/06/24 09:29:30 {HEALTHY}\n{line}\n")
    assert "cgnat-overlap" not in _kinds(log)
