"""Generated tests for the tailscaled-log classes blind batch 12 missed: a DERP connect failure whose region the
paste redacted, an app's own logger tag between the stamp and tailscale's message (tsnet embedded in a program),
the Hostinfo record tailscaled logs as structured JSON, the Linux-only start-up lines, and a TUN that fails where
tailscaled falls back to the next --tun name (Synology's default "tailscale0,userspace-networking").

Each class is proven over the prefixes people paste (test_daemon_log.PREFIXES where the class allows) and the
variants Tailscale's source prints, not on the one sample that exposed it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.daemonlog import is_daemon_log_line, message_of
from tests.diagnose.test_daemon_log import PREFIXES, _kinds, _log, _mangle

# ------------------------------------------------------------------ DERP connect failure, region redacted

# derphttp names a region "region %d (%v)" (derphttp_client.go targetString); pastes redact the ID, the code or
# both ("derp.Recv(xxx): derphttp.Client.Recv connect to region xxx: tls: handshake message …").
DERP_REGION_NAMES = [
    ("9", "region 9 (dfw)"), ("900", "region 900 (home)"), ("xxx", "region xxx"), ("900", "region 900"),
    ("<id>", "region <id> (***)"), ("***", "region ***"), ("XXX", "region XXX (XXX)"),
]  # fmt: skip
DERP_CONNECT_ERRORS = [
    "tls: handshake message of length 3647366 bytes exceeds maximum of 65536 bytes",
    "tls: first record does not look like a TLS handshake",
    "dial tcp 203.0.113.7:443: i/o timeout",
    "EOF",
]


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(DERP_REGION_NAMES),
    st.sampled_from(DERP_CONNECT_ERRORS),
    st.sampled_from(["Recv", "Send"]),
    st.booleans(),
    st.sampled_from(["", 'when i exec "systemctl status tailscaled -l " the output is:\n']),
)
@settings(max_examples=80, deadline=None)
def test_a_derp_connect_failure_is_read_with_its_region_redacted(
    prefix: str, region: tuple[str, str], error: str, verb: str, redacted_caller: bool, lead_in: str
) -> None:
    region_id, named = region
    caller = f"derp.{verb}(xxx)" if redacted_caller else f"derp.{verb}(derp-{region_id})"
    message = f"magicsock: [0xc0041183c0] {caller}: derphttp.Client.{verb} connect to {named}: {error}"
    log = _log(lead_in + prefix.format(msg=message) + "\n")
    assert "derp-unreachable" in _kinds(log)
    assert log["exit"] == 1
    # a TLS handshake that fails on size or record type is no certificate problem (no interception, no clock)
    assert not _kinds(log) & {"tls-intercepted", "clock-skew", "crash", "control-unreachable"}


# ------------------------------------------------- an app's logger tag; the Hostinfo JSON record

# A program embedding tsnet passes its own Logf, which often tags every line ("TsInternal ", "[tsnet] ",
# "tailscale"); its stamp is Go's log stamp or the app's own.
APP_TAGS = ["TsInternal", "[tsnet]", "tailscale", "ts", "[my-app]", "TSNET", "tsnet.internal"]
APP_STAMPS = ["2026/04/02 13:19:32.756410 ", "2026/04/02 13:19:32 ", "2026-04-02T13:19:32.756410Z "]
# (Hostinfo.OS is runtime.GOOS, "macOS"/"iOS" for the Apple apps)
HOSTINFO_OS = [("windows", "windows"), ("linux", "linux"), ("macOS", "macos"), ("android", "android")]
# logger.Logf.JSON writes "[v\x00JSON]1{…}": a copy drops the NUL (or keeps it: text cleaning drops it), a log
# upload escapes it as \u0000.
JSON_MARKS = ["[vJSON]", "[v\x00JSON]", "[v\\u0000JSON]"]


def _hostinfo(version: str, os_name: str, userspace: bool, mark: str, cut: bool) -> str:
    record = (
        f'{mark}1{{"Hostinfo":{{"IPNVersion":"{version}-dev20260401-t7c5fd03a1-dirty","BackendLogID":"070a049b",'
        f'"OS":"{os_name}","OSVersion":"10.0.19045.6466","Package":"tsnet","Hostname":"skypc","GoArch":"amd64",'
        f'"Userspace":{str(userspace).lower()},"UserspaceRouter":true,"AppConnector":false}}}}'
    )
    return record[: record.index(',"UserspaceRouter"')] if cut else record  # a paste cut inside the record


@given(
    st.sampled_from(APP_TAGS),
    st.sampled_from(APP_STAMPS),
    st.sampled_from(HOSTINFO_OS),
    st.sampled_from(["1.96.4", "1.80.0", "1.58.2"]),
    st.booleans(),
    st.sampled_from(JSON_MARKS),
    st.booleans(),
    st.sampled_from(["plain", "crlf", "fence", "indent"]),
    st.booleans(),
    st.booleans(),
)
@settings(max_examples=100, deadline=None)
def test_an_app_tagged_tsnet_start_is_read_with_its_hostinfo(
    tag: str,
    stamp: str,
    os_pair: tuple[str, str],
    version: str,
    userspace: bool,
    mark: str,
    cut: bool,
    how: str,
    before: bool,
    colon: bool,
) -> None:
    hostinfo_os, expected_os = os_pair
    bodies = [
        'pm: using backend prefs for "profile-daab": Prefs{ra=true dns=true want=true url="http://124.x.x.x:40000"}',
        "linkChange: in state NoState; PAC or proxyConfig changed; updating routes",
        "[v1] netmap packet filter: (not ready yet)",
        "Start",
        "ipnext: active extensions:",
        _hostinfo(version, hostinfo_os, userspace, mark, cut),
    ]
    # Go's log.Lmsgprefix puts the tag after the stamp; without it log.New writes it first ("tsnet: 2026/…")
    lines = [
        f"{tag}{':' if before and colon else ''} {stamp}{body}" if before else f"{stamp}{tag} {body}" for body in bodies
    ]
    lines.insert(3, f'{stamp.split(".")[0].rstrip()} tsnet starting with hostname "tsnet-win-pc", varRoot "tsnet-tx"')
    for line, body in zip([*lines[:3], *lines[4:]], bodies, strict=True):
        if body != "Start":  # (Start alone is no message only tailscaled prints: the tag stays on it)
            # (text cleaning drops control characters such as the JSON mark's NUL before the grammar reads a line)
            assert message_of(line.replace("\x00", "")).text == body.removeprefix("[v1] ").replace("\x00", "")
    log = _log(_mangle(lines, how))
    # lead (session 15): the record's development build keeps its -devYYYYMMDD (batch 34's one version model)
    assert (log["version"], log["os"], log["userspace"]) == (f"{version}-dev20260401", expected_os, userspace)
    assert not _kinds(log) & {"crash", "login-required", "control-unreachable", "tun-unavailable", "hand-started"}
    assert log["exit"] == 0


@pytest.mark.parametrize("tag", APP_TAGS)
@pytest.mark.parametrize(
    "body",
    [
        "magicsock: derp-4 connected",
        "control: controlhttp: forcing port 443 dial due to recent noise dial",
        "Switching ipn state NoState -> NeedsLogin (WantRunning=true, nm=false)",
        "health(warnable=login-state): error: You are logged out.",
    ],
)
def test_an_app_tag_comes_off_only_before_tailscaleds_own_message(tag: str, body: str) -> None:
    line = f"2026/04/02 13:19:32.756410 {tag} {body}"
    assert message_of(line).text == body
    assert is_daemon_log_line(line)
    # the same word before something tailscaled does not print is the line's own text, not a tag
    other = f"2026/04/02 13:19:32.756410 {tag} listening on :8080"
    assert message_of(other).text == f"{tag} listening on :8080"
    assert not is_daemon_log_line(other)


@pytest.mark.parametrize(
    ("line", "message", "daemon"),
    [
        # a unit named by systemd is what the line is about (its exit is that unit's, not tailscaled's)
        (
            "2025-03-21T10:47:17.100309+00:00 host systemd[1]: slurmrestd.service: Main process exited, code=dumped",
            "slurmrestd.service: Main process exited, code=dumped",
            False,
        ),
        # tailscale's own loggers nest "word: " prefixes: the CLI's netcheck portmapper is no tag before "monitor: "
        (
            "2026/09/01 15:02:12 portmap: monitor: gateway and self IP changed: gw=10.203.128.1 self=10.203.208.115",
            "portmap: monitor: gateway and self IP changed: gw=10.203.128.1 self=10.203.208.115",
            False,
        ),
        # tailscaled's own words with a subsystem's in them stay whole
        (
            "2024/01/12 10:41:06 Received error: PollNetMap: unexpected EOF",
            "Received error: PollNetMap: unexpected EOF",
            True,
        ),
        (
            "2024/01/12 10:41:06 LinkChange: major, rebinding. New state: interfaces.State{defaultRoute=eth0}",
            "LinkChange: major, rebinding. New state: interfaces.State{defaultRoute=eth0}",
            True,
        ),
    ],
)
def test_no_tag_is_peeled_off_a_line_that_names_its_own_program_or_message(
    line: str, message: str, daemon: bool
) -> None:
    assert message_of(line).text == message
    assert is_daemon_log_line(line) is daemon


@pytest.mark.parametrize("word", ["tsnet:", "tsnet", "[tsnet]:"])  # ("[tsnet] <stamp>" reads as a container name)
@pytest.mark.parametrize("stamp", ["2026/04/02 13:19:32", "2026/04/02 13:19:32.756410", "2026-04-02T13:19:32Z"])
def test_a_go_log_prefix_before_the_stamp_names_the_program(word: str, stamp: str) -> None:
    """log.New(w, "tsnet: ", log.LstdFlags): the prefix is the program; an embedded tsnet node runs on netstack."""
    lines = [
        f"{word} {stamp} {body}" for body in ("magicsock: home is now derp-4 (fra)", "magicsock: derp-4 connected")
    ]
    assert message_of(lines[0]).process == "tsnet"
    log = _log("\n".join(lines) + "\n")
    assert log["userspace"] is True
    assert log["home_derp"]["id"] == "4"


# ------------------------------------------------ Linux-only start-up lines; the TUN fallback

SYNOLOGY_ARGV = [
    '" /volume1/@appstore/Tailscale/bin/tailscaled", "--state=/volume1/@appdata/Tailscale/tailscaled.state", '
    '"--socket=/volume1/@appdata/Tailscale/tailscaled.sock", "-port=41641"',
    '"/var/packages/Tailscale/target/bin/tailscaled", "--state=/var/packages/Tailscale/etc/tailscaled.state", '
    '"--socket=/var/packages/Tailscale/var/tailscaled.sock", "--port=41641"',
    '"/volume2/@appstore/Tailscale/bin/tailscaled", "--statedir=/volume2/@appdata/Tailscale"',
]
# What opening the TUN device fails with (tstun.New / CreateTUN as tailscaled wraps them, over the versions).
TUN_ERRORS = [
    "permission denied",
    'tstun.New("tailscale0"): operation not permitted',
    'tstun.New("tailscale0"): CreateTUN("tailscale0") failed; /dev/net/tun does not exist',
    'running "ip link set dev tailscale0 up" failed: fork/exec /sbin/ip: invalid argument',
]
LINUX_START = [
    "Linux kernel version: 4.4.180+",
    "'modprobe tun' successful",
    "/dev/net/tun: Dcrw-------",
    "is CONFIG_TUN enabled in your kernel? `modprobe tun` failed with: modprobe: not found",
]


@given(
    st.sampled_from(SYNOLOGY_ARGV),
    st.sampled_from(TUN_ERRORS),
    st.sampled_from(["1.10.0", "1.16.0", "1.58.2", "1.92.1", "date.20210801"]),
    st.sampled_from(["", "2021/07/23 10:01:02 ", "2021-07-23T10:01:02.123Z "]),
    st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_a_synology_tun_failure_cut_at_the_error_falls_back_and_is_no_crash(
    argv: str, error: str, version: str, stamp: str, linux_lines: bool
) -> None:
    lines = [
        f"Program starting: v{version}-t766ae6c10-g3e6822772, Go 1.16.4: []string{{{argv}}}",
        "LogID: d812eacc441e2d019144d582bcb87c5c528333014c372cbf28cf5a093222015b",
        'wgengine.NewUserspaceEngine(tun "tailscale0") ...',
        *(LINUX_START[:3] if linux_lines else []),
        f'wgengine.NewUserspaceEngine(tun "tailscale0") error: {error}',
    ]
    log = _log("\n".join(stamp + line for line in lines) + "\n")
    assert "tun-unavailable" in _kinds(log)
    assert "crash" not in _kinds(log)  # defaultTunName on Synology: "tailscale0,userspace-networking"
    assert log["os"] == "linux"
    assert log["userspace"] is True


@given(
    st.sampled_from(
        [
            ('"tailscaled", "--tun=tailscale0"', True),
            ('"tailscaled", "--tun", "tailscale0"', True),
            ('"/usr/sbin/tailscaled", "--state=/var/lib/tailscale/tailscaled.state"', True),  # default: no fallback
            ('"tailscaled", "--tun=tailscale0,userspace-networking"', False),
            ('"/var/packages/Tailscale/target/bin/tailscaled", "--tun=tailscale0"', True),  # the flag wins
        ]
    ),
    st.sampled_from(TUN_ERRORS),
)
@settings(max_examples=40, deadline=None)
def test_a_tun_failure_is_a_crash_only_when_no_tun_name_is_left(case: tuple[str, bool], error: str) -> None:
    argv, fatal = case
    lines = [
        f"Program starting: v1.58.2-t1, Go 1.21.5: []string{{{argv}}}",
        'wgengine.NewUserspaceEngine(tun "tailscale0") ...',
        f'wgengine.NewUserspaceEngine(tun "tailscale0") error: {error}',
    ]
    log = _log("\n".join(lines) + "\n")
    assert "tun-unavailable" in _kinds(log)
    assert ("crash" in _kinds(log)) is fatal


# prefixes that say nothing of the OS themselves (journald's, the Windows service log's, logcat's and macOS's do)
NEUTRAL_PREFIXES = [
    p for p in PREFIXES if not any(w in p for w in ("tailscaled", "-07:00: ", "com.tailscale", "IPNExtension", "io."))
]


@given(st.sampled_from(NEUTRAL_PREFIXES), st.sampled_from(LINUX_START), st.sampled_from(["plain", "quote", "fence"]))
@settings(max_examples=60, deadline=None)
def test_linux_only_start_lines_say_linux(prefix: str, line: str, how: str) -> None:
    log = _log(_mangle([prefix.format(msg=body) for body in ["logtail started", line]], how))
    assert log["os"] == "linux"


@pytest.mark.parametrize("version", ["1.4.6", "1.2.10"])
@pytest.mark.parametrize("argv", SYNOLOGY_ARGV)
def test_a_synology_build_before_the_fallback_crashes_on_a_tun_error(version: str, argv: str) -> None:
    """defaultTunName gained Synology's "tailscale0,userspace-networking" in v1.6: before it, tailscale0 alone."""
    lines = [
        f"Program starting: v{version}-t1, Go 1.15.5: []string{{{argv}}}",
        'wgengine.NewUserspaceEngine(tun "tailscale0") error: permission denied',
    ]
    log = _log("\n".join(lines) + "\n")
    assert {"tun-unavailable", "crash"} <= _kinds(log)
