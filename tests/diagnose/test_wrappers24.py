"""Pastes wrapped by something other than tailscaled's own log (blind batch 24): a crash-log viewer's time column,
a goroutine trace whose frames name functions that sound like events, the Android app's build paths."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.daemonlog import is_daemon_log_line, message_of
from opskit.core.diagnose.daemonlog.events import is_call_frame
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_text


def _log(text: str) -> dict[str, Any]:
    diagnosis = run_text(text)
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    (log,) = document["daemon_logs"]
    return {**log, "exit": document["summary"]["exit_code"]}


def _kinds(log: dict[str, Any]) -> set[str]:
    return {issue["kind"] for issue in log["issues"]}


# Frames whose function names hold words tailscaled's recognisers read in messages (a login, a control poll, a
# DERP connect, a TUN): in a trace they name code that was running, nothing that happened.
_EVENTFUL_FRAMES = [
    "tailscale.com/ipn/ipnlocal.(*LocalBackend).StartLoginInteractive({arg})",
    "tailscale.com/control/controlclient.(*Auto).authRoutine({arg})",
    "tailscale.com/control/controlclient.(*Direct).TryLogin({arg}, {{0x1, 0x2}}, 0x0?)",
    "tailscale.com/control/controlclient.(*Direct).PollNetMap({arg})",
    "tailscale.com/derp/derphttp.(*Client).connect({arg}, ...)",
    "tailscale.com/net/tstun.(*Wrapper).Read({arg}) +0x1b8",
]
_PANICS = [
    "panic: LocalBackend.assertClient: b.cc == nil",
    "panic: runtime error: invalid memory address or nil pointer dereference",
    "panic: assignment to entry in nil map",
]


def _trace(panic: str, frame: str, version: str, arg: str) -> list[str]:
    return [
        panic,
        "",
        "goroutine 158 [running]:",
        "tailscale.com/ipn/ipnlocal.(*LocalBackend).assertClientLocked(...)",
        f"/build/go/pkg/mod/tailscale.com@v{version}/ipn/ipnlocal/local.go:3927",
        frame.format(arg=arg),
        f"/build/go/pkg/mod/tailscale.com@v{version}/ipn/ipnlocal/local.go:2389 +0x1b8",
        "created by main.(*App).runBackend in goroutine 23",
        "/build/tailscale-android/cmd/tailscale/main.go:441 +0x644",
    ]


_VERSIONS = st.builds(lambda minor, patch: f"1.{minor}.{patch}", st.integers(20, 99), st.integers(0, 9))


@given(
    st.sampled_from(_PANICS),
    st.sampled_from(_EVENTFUL_FRAMES),
    _VERSIONS,
    st.sampled_from(["0x40008b5180", "0xc000123456", "..."]),
    st.times().map(lambda t: t.strftime("%H:%M:%S")),
    st.sampled_from(["viewer", "viewer-fenced", "bare"]),
)
@settings(max_examples=60, deadline=None)
def test_an_android_crash_log_with_its_time_column_is_a_crash_with_version_and_os(
    panic: str, frame: str, version: str, arg: str, stamp: str, how: str
) -> None:
    lines = _trace(panic, frame, version, arg)
    if how != "bare":
        # the app's crash-log viewer: "13:38:39 | " before every line, "13:38:39 |  " on a blank one
        lines = [f"{stamp} | {line}" if line else f"{stamp} |  " for line in lines]
    if how == "viewer-fenced":
        lines = ["One of the top Android crashes from crash logs:", "", "```", *lines, "```"]
    log = _log("\n".join(lines) + "\n")
    assert _kinds(log) == {"crash"}
    assert log["version"] == version
    assert log["os"] == "android"
    assert log["exit"] == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("13:38:39 | panic: LocalBackend.assertClient: b.cc == nil", "panic: LocalBackend.assertClient: b.cc == nil"),
        ("13:38:39 |  ", ""),
        ("09:01:02.123 | goroutine 1 [running]:", "goroutine 1 [running]:"),
    ],
)
def test_a_time_column_and_its_bar_are_peeled(line: str, message: str) -> None:
    assert message_of(line).text == message


@pytest.mark.parametrize(
    "message",
    [
        # tailscaled's own messages that hold a dotted name and parentheses are not frames
        'wgengine.NewUserspaceEngine(tun "utun") ...',
        "magicsock: ReSTUN(endpoint-change) ignored",
        "created by main.(*App).runBackend in goroutine 23",
        "health(warnable=login-state): error: You are logged out.",
        "control: LoginInteractive -> regen=true",
    ],
)
def test_a_message_is_not_a_call_frame(message: str) -> None:
    assert not is_call_frame(message)


# debuggerd's tombstone of the app's process (a tombstone file, logcat's DEBUG lines, a bug report), the header as
# posted (a selection may cut its closing "<<<"), the signal that killed it and Android's cause line.
_SIGNALS = [
    ("31 (SIGSYS)", "1 (SYS_SECCOMP)", "Cause: seccomp prevented call to disallowed arm64 system call 434"),
    ("6 (SIGABRT)", "-6 (SI_TKILL)", "Abort message: 'runtime: unexpected return pc'"),
    ("11 (SIGSEGV)", "1 (SEGV_MAPERR)", "Cause: null pointer dereference"),
    ("7 (SIGBUS)", "2 (BUS_ADRERR)", "Cause: bus error"),
]


@given(
    st.sampled_from(_SIGNALS),
    st.sampled_from(["<<<", "<<", "<", ""]),
    st.sampled_from(["DefaultDispatch", "com.tailscale.ipn", "Thread-4"]),
    st.sampled_from(["", ":tun"]),
    st.sampled_from(["plain", "fence", "logcat"]),
)
@settings(max_examples=50, deadline=None)
def test_a_tombstone_of_the_app_is_an_android_crash(
    signal: tuple[str, str, str], closer: str, thread: str, sub: str, how: str
) -> None:
    number, code, cause = signal
    lines = [
        f"pid: 7719, tid: 7764, name: {thread} >>> com.tailscale.ipn{sub} {closer}".rstrip(),
        "uid: 10145",
        f"signal {number}, code {code}, fault addr --------",
        cause,
    ]
    if how == "logcat":
        lines = [f"09-12 10:00:0{i}.123  8000  8000 F DEBUG   : {line}" for i, line in enumerate(lines)]
    if how == "fence":
        lines = ["For posterity:", "```", *lines, "```"]
    log = _log("\n".join(lines) + "\n")
    assert _kinds(log) == {"crash"}
    assert log["os"] == "android"


@pytest.mark.parametrize("app", ["com.example.other", "com.tailscale.ipnx", "org.tailscale.ipn"])
def test_another_apps_tombstone_is_no_tailscale_crash(app: str) -> None:
    assert not is_daemon_log_line(f"pid: 7719, tid: 7764, name: DefaultDispatch >>> {app} <<<")
    assert not is_daemon_log_line(f"pid: 7719, tid: 7764, name: DefaultDispatch >>> {app} <<")


# The kernel's lines about the app's process, tagged with its 15-character process name ("m.tailscale.ipn"): the
# sandbox's routine SELinux denials of /proc/net files the app may not read. Android's log, nothing failing.
_DENIALS = [
    ('name="tcp"', "proc_net_tcp_udp"),
    ('name="route"', "proc_net"),
    ('name="udp6"', "proc_net_tcp_udp"),
    ('path="/proc/net/dev"', "proc_net"),
]


@given(
    st.lists(st.sampled_from(_DENIALS), min_size=1, max_size=4),
    st.sampled_from(["W", "I", "E"]),
    st.sampled_from(["threadtime", "time", "brief"]),
    st.booleans(),
)
@settings(max_examples=50, deadline=None)
def test_the_apps_selinux_denials_in_logcat_are_android_and_routine(
    denials: list[tuple[str, str]], level: str, layout: str, fenced: bool
) -> None:
    lines = []
    for serial, (name, target) in enumerate(denials, start=359800):
        message = (
            f'type=1400 audit(0.0:{serial}): avc: denied {{ read }} for {name} dev="proc" ino=4026532263 '
            f"scontext=u:r:untrusted_app:s0:c98,c257,c523,c768 tcontext=u:object_r:{target}:s0 tclass=file permissive=0"
        )
        prefix = {
            "threadtime": f"06-04 00:42:40.917 21577 21577 {level} m.tailscale.ipn: ",
            "time": f"06-04 00:42:40.917 {level}/m.tailscale.ipn(21577): ",
            "brief": f"{level}/m.tailscale.ipn(21577): ",
        }[layout]
        lines.append(prefix + message)
    if fenced:
        lines = ["Logcat spits out some selinux avc denied:", "```", *lines, "```"]
    log = _log("\n".join(lines) + "\n")
    assert log["os"] == "android"
    assert log["issues"] == []
    assert log["exit"] == 0
