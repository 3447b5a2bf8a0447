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


def _windows(text: str) -> tuple[list[str], list[dict[str, Any]], int]:
    diagnosis = run_text(text)
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    kinds = [error["kind"] for error in document["windows"]]
    return kinds, document["daemon_logs"], document["summary"]["exit_code"]


# Android's package manager refusing the app's APK, as adb (new: "adb: failed to install X: Failure [...]", old:
# "Failure [...]" alone) and pm print it; the code's own fix is named.
_PM_CODES = [
    ("INSTALL_FAILED_UPDATE_INCOMPATIBLE: Package com.tailscale.ipn signatures do not match previously installed "
     "version; ignoring!", "adb uninstall com.tailscale.ipn"),
    ("INSTALL_FAILED_UPDATE_INCOMPATIBLE: Package com.tailscale.ipn signatures do not match the previously "
     "installed version; ignoring!", "adb uninstall com.tailscale.ipn"),
    ("INSTALL_FAILED_VERSION_DOWNGRADE: Downgrade detected: Update version code 99 is older than current 120",
     "adb install -r -d"),
    ("INSTALL_FAILED_VERSION_DOWNGRADE", "adb install -r -d"),
    ("INSTALL_FAILED_NO_MATCHING_ABIS: Failed to extract native libraries, res=-113", "ro.product.cpu.abi"),
    ("INSTALL_FAILED_ALREADY_EXISTS: Attempt to re-install com.tailscale.ipn without first uninstalling.",
     "adb install -r"),
    ("INSTALL_FAILED_TEST_ONLY: installPackageLI", "adb install -t"),
    ("INSTALL_FAILED_USER_RESTRICTED: Install canceled by user", "Install via USB"),
    ("INSTALL_FAILED_INSUFFICIENT_STORAGE", "Free storage"),
    ("INSTALL_PARSE_FAILED_NO_CERTIFICATES: No signature found in package of version 2 or newer for package "
     "com.tailscale.ipn", "INSTALL_PARSE_FAILED_NO_CERTIFICATES"),
]  # fmt: skip


@given(
    st.sampled_from(_PM_CODES),
    st.sampled_from(["tailscale-debug.apk", "tailscale-fdroid.apk", "android/build/outputs/apk/tailscale.apk"]),
    st.sampled_from(["adb", "adb-old", "fence-line", "quote"]),
)
@settings(max_examples=60, deadline=None)
def test_an_adb_install_failure_of_the_app_is_install_failed_with_its_codes_fix(
    code: tuple[str, str], apk: str, how: str
) -> None:
    failure, fix_words = code
    line = f"adb: failed to install {apk}: Failure [{failure}]"
    if how == "adb-old" and "com.tailscale.ipn" not in failure:
        how = "adb"  # the old form names no APK: only a reason naming the package says it is Tailscale's
    if how == "adb-old":
        line = f"Failure [{failure}]"
    text = {
        "adb": f"$ adb install {apk}\nPerforming Streamed Install\n{line}\n",
        "adb-old": f"\tpkg: /data/local/tmp/{apk.rsplit('/', 1)[-1]}\n{line}\n",
        "fence-line": f"I got the below when installing:\n```{line}\n```\n",
        "quote": f"> {line}\n",
    }[how]
    kinds, logs, exit_code = _windows(text)
    assert kinds == ["install-failed"]
    assert logs == []
    assert exit_code == 1
    said = " ".join(f"{f.cause} {f.fix}" for f in run_text(text).findings)
    assert fix_words in said


@pytest.mark.parametrize(
    "line",
    [
        "adb: failed to install other-app.apk: Failure [INSTALL_FAILED_UPDATE_INCOMPATIBLE: Package com.example.app "
        "signatures do not match previously installed version; ignoring!]",
        "Failure [INSTALL_FAILED_INSUFFICIENT_STORAGE]",
    ],
)
def test_another_apps_install_failure_is_not_tailscales(line: str) -> None:
    from opskit.core.diagnose.cli_catalog import find_refusal

    assert find_refusal(line) is None


# Downloading Tailscale failing in the download tool (the install script, the GitHub Action's curl step, a
# Dockerfile, a PowerShell step): curl's, wget's and Invoke-WebRequest's wordings naming Tailscale's servers.
_HOSTS = ["pkgs.tailscale.com", "tailscale.com"]
_DOWNLOAD_ERRORS = [
    ("curl: (6) Could not resolve host: {host}", "nslookup"),
    ("curl: (7) Failed to connect to {host} port 443: Connection timed out", "outbound HTTPS"),
    ("curl: (7) Failed to connect to {host} port 443 after 129 ms: Connection refused", "outbound HTTPS"),
    ("curl: (28) Failed to connect to {host} port 443 after 130923 ms: Timeout was reached", "outbound HTTPS"),
    ("curl: (7) Failed connect to {host}:443; Connection refused", "outbound HTTPS"),
    ("curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to {host}:443 ", "ca-certificates"),
    ("Resolving {host} ({host})... failed: Name or service not known.", "nslookup"),
    ("Connecting to {host} ({host})|199.38.181.239|:443... failed: Connection timed out.", "outbound HTTPS"),
    ("wget: unable to resolve host address \u2018{host}\u2019", "nslookup"),
    ("wget: bad address '{host}'", "nslookup"),
    ("Invoke-WebRequest : The remote name could not be resolved: '{host}'", "nslookup"),
    ("Invoke-WebRequest: No such host is known. ({host}:443)", "nslookup"),
]
_PROGRESS = "  0     0    0     0    0     0      0      0 --:--:--  0:02:09 --:--:--     0"


@given(
    st.sampled_from(_DOWNLOAD_ERRORS),
    st.sampled_from(_HOSTS),
    st.sampled_from(["bare", "progress", "fence", "quote", "error-prefix"]),
)
@settings(max_examples=60, deadline=None)
def test_a_failed_download_of_tailscale_is_install_failed_with_the_network_cause(
    error: tuple[str, str], host: str, how: str
) -> None:
    form, fix_words = error
    line = form.format(host=host)
    text = {
        "bare": f"{line}\n",
        "progress": f"```\n{_PROGRESS}\n{_PROGRESS}\n{line}\n```\n",
        "fence": f"the action fails:\n```\n{line}\n```\n",
        "quote": f"> {line}\n",
        "error-prefix": f"Error: {line}\n",
    }[how]
    kinds, logs, exit_code = _windows(text)
    assert kinds == ["install-failed"]
    assert logs == []
    assert exit_code == 1
    said = " ".join(f"{f.cause} {f.fix}" for f in run_text(text).findings)
    assert fix_words in said and host in said


@pytest.mark.parametrize(
    "line",
    [
        # the same tools failing on another host are not an install of Tailscale
        "curl: (7) Failed to connect to example.com port 443: Connection timed out",
        "curl: (6) Could not resolve host: login.tailscale.com.example.org",
        "wget: bad address 'mytailscale.company.com'",
    ],
)
def test_a_download_error_on_another_host_is_no_install_failure(line: str) -> None:
    from opskit.core.diagnose.cli_catalog import find_refusal

    assert find_refusal(line) is None


def test_a_download_error_in_tailscaleds_log_stays_its_update_failure() -> None:
    # tailscaled's own updater (a device package's auto-update) logs the same curl error under its log prefix
    log = _log(
        "Jan 10 03:00:01 nas tailscaled[812]: curl: (7) Failed to connect to pkgs.tailscale.com port 443: "
        "Connection timed out\n"
    )
    assert "update-failed" in _kinds(log)


# An embedded tsnet node returning its start or listen failure to the program, which prints it and exits
# (tsnet/tsnet.go: doInit's "tsnet: %w" of s.start(), resolveListenAddr's "tsnet: %w" of net.SplitHostPort).
_TSNET_FAILURES = [
    "tsnet: address invalid AddrPort: missing port in address",
    "tsnet: address 100.64.0.1: missing port in address",
    "tsnet: address [fd7a:115c:a1e0::1:443: missing ']' in address",
    "tsnet: address fd7a:115c:a1e0::1:443: too many colons in address",
    "tsnet: in-memory store is only supported for Ephemeral nodes",
    "tsnet: /var/lib/caddy/tailscale/app is not a directory",
    "tsnet: NewLocalBackend: failed to read state: permission denied",
    "tsnet: failed to start netstack: bind: address already in use",
    "tsnet: starting backend: invalid auth key",
    "tsnet: logpolicy.Config.Save for /data/tailscaled.log.conf: open /data/tailscaled.log.conf: read-only file system",
    "tsnet: error creating filch: open /tsnet/tailscaled.log1.txt: permission denied",
]


@given(
    st.sampled_from(_TSNET_FAILURES),
    st.sampled_from(["{msg}", "2025/07/15 10:00:00 {msg}", "Error: loading initial config: loading new config: {msg}"]),
    st.sampled_from(["plain", "prose", "fence"]),
)
@settings(max_examples=50, deadline=None)
def test_a_tsnet_start_or_listen_failure_ends_the_program(failure: str, wrapping: str, how: str) -> None:
    line = wrapping.format(msg=failure)
    text = {
        "plain": f"{line}\n",
        "prose": f"caddy-tailscale does not work. caddy logs:\n\n{line}\n\nand then caddy exits.\n",
        "fence": f"```\n{line}\n```\n",
    }[how]
    log = _log(text)
    assert "crash" in _kinds(log)
    assert not _kinds(log) & {"control-unreachable", "derp-unreachable", "login-required", "port-in-use"}
    assert log["userspace"] in (None, True)


@pytest.mark.parametrize(
    "message",
    [
        "tsnet: use of closed network connection",  # the program closed its own server: no failure
        "tsnet running state path /var/lib/tsnet/tailscaled.state",
        "tsnet: address 100.64.0.1:443: connection refused",
    ],
)
def test_other_tsnet_lines_are_no_start_failure(message: str) -> None:
    from opskit.core.diagnose.daemonlog.events import events_of

    assert not any(getattr(event, "kind", None) == "crash" for event in events_of(message))
