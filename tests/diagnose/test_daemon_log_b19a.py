"""Generated tests for tailscaled-log classes blind batch 19 missed (logs, helper a): the one-shot ``--cleanup``
run that service scripts and package installers start (not a hand start); macOS refusing a Tailscale binary
for its code signature (taskgated-helper's "Unsatisfied entitlements" and "Disallowing"): tunnel-start-failed;
Android's native crash report of the app's process (debuggerd's tombstone, GrapheneOS's crash report): crash;
Go's log/slog key=value layout (logfmt with attributes after the message, an error attribute read as its cause);
an app embedding tsnet giving up on its node in its own words, in such a line's error attribute (tsnet/tsnet.go
Server.Up's deadline): the app error kind tsnet-up-timeout.

Each class is proven over the prefixes, argv spellings and wrappings it comes in, and the wordings Tailscale's
source prints (cmd/tailscaled/tailscaled.go's -cleanup flag, cmd/tailscaled/tailscaled.service's
``ExecStopPost=/usr/sbin/tailscaled --cleanup``), not on the one sample that exposed it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json
from tests.diagnose.test_daemon_log import _kinds, _log

# ------------------------------------------------------------------ the --cleanup run is a script's, not a person's

# what a cleanup run prints, as tailscaled's log (net/dns, linuxfw, logpolicy) shows it, and how it ends
CLEANUP_BODY = [
    'logpolicy: using system state directory "/var/lib/tailscale"',
    "dns: [rc=unknown ret=direct]",
    'dns: using "direct" mode',
    'linuxfw: clear iptables: exec: "iptables": executable file not found in $PATH',
    'linuxfw: clear ip6tables: exec: "ip6tables": executable file not found in $PATH',
    "flushing log.",
    "logger closing down",
]
# what a package manager, an init system or an add-on script prints around it (not tailscaled's)
AROUND = [
    "root@OpenWrt:~# opkg install tailscale",
    "Configuring tailscale.",
    "[services.d] starting services",
    "[cont-init.d] done.",
    "Setting up tailscale (1.88.4) ...",
    "tailscaled not started yet, sleeping 5s",
]
ARGV0 = ["tailscaled", "/usr/bin/tailscaled", "/usr/sbin/tailscaled", "./tailscaled", "bin/tailscaled"]
CLEANUP = ["--cleanup", "-cleanup", "--cleanup=true", "-cleanup=1"]
EXTRA = ["", '"-state", "/data/tailscaled.state", ', '"--statedir=/var/lib/tailscale", ']
STAMPS = ["{msg}", "2021/08/25 06:09:51 {msg}", "2025-10-17T10:02:08Z {msg}"]


def _cleanup_run(stamp: str, argv0: str, flag: str, extra: str, before: list[str], after: list[str]) -> str:
    start = f'Program starting: v1.88.4-t85f4267ee, Go 1.25.3: []string{{"{argv0}", {extra}"{flag}"}}'
    body = ["logtail started", start, "LogID: 6598baf6a767ae9291fdf3f0897e8fc577dd7554d74d11f62c00e6acf98e4a2f"]
    logged = [stamp.format(msg=m) for m in [*body, *CLEANUP_BODY]]
    return "\n".join([*before, *logged, *after]) + "\n"


@given(
    st.sampled_from(STAMPS),
    st.sampled_from(ARGV0),
    st.sampled_from(CLEANUP),
    st.sampled_from(EXTRA),
    st.lists(st.sampled_from(AROUND), max_size=3),
    st.lists(st.sampled_from(AROUND), max_size=2),
)
@settings(max_examples=80, deadline=None)
def test_a_cleanup_run_nobody_typed_is_started_by_a_script(
    stamp: str, argv0: str, flag: str, extra: str, before: list[str], after: list[str]
) -> None:
    log = _log(_cleanup_run(stamp, argv0, flag, extra, before, after))
    assert (log["version"], log["hand_started"]) == ("1.88.4", False)
    assert not {"hand-started", "crash", "firewall-failed"} & _kinds(log)
    assert log["exit"] == 0


@given(st.sampled_from(STAMPS), st.sampled_from(["tailscaled", "./tailscaled"]), st.sampled_from(CLEANUP))
@settings(max_examples=30, deadline=None)
def test_a_cleanup_run_typed_at_a_prompt_stays_a_hand_start(stamp: str, argv0: str, flag: str) -> None:
    # the prompt says a person ran it: the cleanup flag does not overrule that
    typed = f"root@host:~# {argv0} {flag}"
    assert _log(_cleanup_run(stamp, argv0, flag, "", [typed], []))["hand_started"] is True


@given(st.sampled_from(STAMPS), st.sampled_from(["-cleanup=false", "--cleanup=0", "--cleanupx"]))
@settings(max_examples=20, deadline=None)
def test_a_cleanup_flag_turned_off_is_no_cleanup_run(stamp: str, flag: str) -> None:
    # a bare argv0 is still a shell's (only a real cleanup run is a script's)
    assert _log(_cleanup_run(stamp, "tailscaled", flag, "", [], []))["hand_started"] is True


# ------------------------------------------------------------------ macOS refusing a Tailscale binary's signature

# the unified log's layouts: the plain "process: message" of a copied excerpt, Console's copy, `log show`, syslog
APPLE_ROWS = [
    "{process}: {msg}",
    "default\t10:41:06.456599+0200\t{process}\t{msg}",
    "error\t10:41:06.456599+0200\t{process}\t{msg}",
    "2024-10-22 10:41:06.758978-0400 0xba326    Default     0x0                  291  0    {process}: {msg}",
    "2024-10-22 10:41:06.758978-0400  localhost {process}[291]: {msg}",
]
BUNDLES = [
    "io.tailscale.ipn.macsys.network-extension",
    "io.tailscale.ipn.macsys",
    "io.tailscale.ipn.macos.network-extension",
    "io.tailscale.ipn.macos",
]
ENTITLEMENTS = [
    "com.apple.security.application-groups",
    "com.apple.developer.networking.networkextension, com.apple.developer.system-extension.install",
    "com.apple.developer.team-identifier",
]
# the lines of other processes around the refusal in the excerpt (tccd, the kernel's System Policy)
APPLE_AROUND = [
    "tccd: Failed to create LSApplicationRecord for file:///Library/SystemExtensions/68D292AE/"
    "io.tailscale.ipn.macsys.network-extension.systemextension/: 'The operation couldn’t be completed. "
    "(OSStatus error -10811.)'",
    "kernel: System Policy: syspolicyd(290) deny(1) file-write-xattr /Library/SystemExtensions/68D292AE/"
    "io.tailscale.ipn.macsys.network-extension.systemextension",
]
EXTENSION_NOISE = "io.tailscale.ipn.macsys.network-extension: [0x7fd1d7e04080] Channel could not return listener port."


@given(
    st.sampled_from(APPLE_ROWS),
    st.sampled_from(BUNDLES),
    st.sampled_from(ENTITLEMENTS),
    st.sampled_from([(True, True), (True, False), (False, True)]),
    st.lists(st.sampled_from(APPLE_AROUND), max_size=2),
    st.booleans(),
)
@settings(max_examples=80, deadline=None)
def test_macos_refusing_a_tailscale_signature_is_tunnel_start_failed(
    row: str, bundle: str, entitlements: str, which: tuple[bool, bool], around: list[str], noise: bool
) -> None:
    unsatisfied, disallowing = which
    lines = []
    if unsatisfied:
        lines.append(row.format(process="taskgated-helper", msg=f"{bundle}: Unsatisfied entitlements: {entitlements}"))
    if disallowing:
        lines.append(row.format(process="taskgated-helper", msg=f"Disallowing: {bundle}"))
    lines += [*around, *([EXTENSION_NOISE] if noise else [])]
    log = _log("\n".join(lines) + "\n")
    assert "tunnel-start-failed" in _kinds(log)
    assert not {"login-required", "control-unreachable", "crash"} & _kinds(log)
    assert (log["os"], log["exit"]) == ("macos", 1)
    document = run_json("\n".join(lines) + "\n")
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-LOG-TUNNEL-START-FAILED"]
    assert "pkgs.tailscale.com" in finding["fix"] and bundle in finding["cause"]


@given(
    st.sampled_from(APPLE_ROWS),
    st.sampled_from(["com.example.vpn.network-extension", "com.wireguard.macos.network-extension"]),
)
@settings(max_examples=20, deadline=None)
def test_another_apps_refused_signature_is_no_tailscale_issue(row: str, bundle: str) -> None:
    lines = [
        row.format(process="taskgated-helper", msg=f"{bundle}: Unsatisfied entitlements: {ENTITLEMENTS[0]}"),
        row.format(process="taskgated-helper", msg=f"Disallowing: {bundle}"),
        EXTENSION_NOISE,
    ]
    log = _log("\n".join(lines) + "\n")
    assert "tunnel-start-failed" not in _kinds(log)


# ------------------------------------------------------------------ Android's native crash report of the app

# debuggerd's tombstone as a file, as logcat's DEBUG lines (threadtime and brief), and GrapheneOS's crash report
TOMBSTONE_ROWS = ["{msg}", "10-20 12:00:01.123  1234  1250 F DEBUG   : {msg}", "F/DEBUG   ( 1250): {msg}"]
PROCESSES_ANDROID = ["com.tailscale.ipn", "com.tailscale.ipn:ipn"]
FRAMES = [
    "#00 pc 00000000004b1bf8  /data/app/~~wu8uNaQZqF_lKSa3dHLZpQ==/com.tailscale.ipn-llnzznbyf2ZvGmvpbYS-qg==/base.apk"
    " (offset 0x2ac000)",
    "#03 pc 0000000000a1c2d4  /data/app/com.tailscale.ipn-1/lib/arm64/libgojni.so (runtime.raise.abi0+20)",
    "#01 pc 0000000000123456  /data/app/~~AbC==/com.tailscale.ipn-XyZ==/lib/arm/libgojni.so",
]
SIGNALS = ["signal 6 (SIGABRT), code -6 (SI_TKILL), fault addr --------", "signal 11 (SIGSEGV), code 1 (SEGV_MAPERR)"]


def _graphene_report(version: int, frame: str | None, signal: str) -> list[str]:
    head = ["type: crash", "osVersion: google/panther/panther:14/AP2A.240905.003/2024101200:user/release-keys"]
    head += [f"package: com.tailscale.ipn:{version}", "process: com.tailscale.ipn", "", signal, ""]
    return head + (["backtrace:", f"      {frame}"] if frame else [])


@given(st.integers(100, 999), st.sampled_from([None, *FRAMES]), st.sampled_from(SIGNALS), st.booleans())
@settings(max_examples=40, deadline=None)
def test_a_grapheneos_crash_report_of_the_app_is_a_crash(
    version: int, frame: str | None, signal: str, prose: bool
) -> None:
    lines = (
        ["i get error log such as below when i try to use Tailscale app.", ""] if prose else []
    ) + _graphene_report(version, frame, signal)
    log = _log("\n".join(lines) + "\n")
    assert (log["os"], "crash" in _kinds(log), log["exit"]) == ("android", True, 1)
    assert not {"login-required", "tun-unavailable", "control-unreachable"} & _kinds(log)
    (finding,) = [f for f in run_json("\n".join(lines) + "\n")["findings"] if f["rule"] == "TS-LOG-CRASH"]
    assert "systemctl" not in finding["fix"] and "Tailscale app" in finding["fix"]


@given(
    st.sampled_from(TOMBSTONE_ROWS),
    st.sampled_from(PROCESSES_ANDROID),
    st.sampled_from(SIGNALS),
    st.lists(st.sampled_from(FRAMES), max_size=2),
)
@settings(max_examples=40, deadline=None)
def test_a_tombstone_of_the_apps_process_is_a_crash(row: str, process: str, signal: str, frames: list[str]) -> None:
    body = [
        "*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***",
        "Build fingerprint: 'google/panther/panther:14/AP2A.240905.003/2024101200:user/release-keys'",
        f"pid: 1234, tid: 1250, name: Thread-5  >>> {process} <<<",
        signal,
        "backtrace:",
        *frames,
    ]
    log = _log("\n".join(row.format(msg=m) for m in body) + "\n")
    assert (log["os"], "crash" in _kinds(log)) == ("android", True)


@given(st.sampled_from(TOMBSTONE_ROWS), st.sampled_from(["com.example.app", "org.fdroid.fdroid"]))
@settings(max_examples=20, deadline=None)
def test_another_apps_tombstone_beside_the_apps_log_is_no_tailscale_crash(row: str, process: str) -> None:
    body = [
        f"pid: 1234, tid: 1250, name: Thread-5  >>> {process} <<<",
        SIGNALS[0],
        f"#00 pc 00000000004b1bf8  /data/app/~~AbC==/{process}-XyZ==/base.apk (offset 0x2ac000)",
    ]
    healthy = "10-20 12:00:00.100  2000  2000 I com.tailscale.ipn: updateTUN: established VPN"
    log = _log("\n".join([healthy, *(row.format(msg=m) for m in body)]) + "\n")
    assert "crash" not in _kinds(log)


# ------------------------------------------------------------------ logfmt: Go's log/slog TextHandler and logrus


def _slog(stamp: str, level: str, msg: str, attrs: str, quote_always: bool) -> str:
    """A line as slog's TextHandler writes it: the message quoted when it needs to be (a space, '=' or '"')."""
    needs = quote_always or any(c in msg for c in ' ="')
    shown = '"' + msg.replace('"', '\\"') + '"' if needs else msg
    return f"time={stamp} level={level} msg={shown}{attrs}"


SLOG_STAMPS = ["2026-04-10T15:46:05.095Z", "2026-04-10T15:46:05.095+02:00", '"2026-04-10T15:46:05Z"']
SLOG_LEVELS = ["DEBUG", "INFO", "WARN", "ERROR", "info", "debug"]
SLOG_ATTRS = ["", " service=service1", " service=service4 index=2 of=4", ' component="tsnet" node=web']
# tailscaled's messages (tsnet's logf) and what they say
SLOG_MESSAGES = [
    ("LocalBackend state is NeedsLogin; running StartLoginInteractive...", "login-required"),
    ('control: NetInfo: NetInfo{varies= ipv6=false ipv6os=true udp=false icmpv4=false derp=#4 portmap= link=""}', None),
    ("magicsock: derp-4 connected; connGen=1", None),
]


@given(
    st.sampled_from(SLOG_STAMPS),
    st.sampled_from(SLOG_LEVELS),
    st.sampled_from(SLOG_MESSAGES),
    st.sampled_from(SLOG_ATTRS),
    st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_a_slog_text_line_is_read_as_the_message_inside_it(
    stamp: str, level: str, case: tuple[str, str | None], attrs: str, quote_always: bool
) -> None:
    msg, kind = case
    text = "\n".join(_slog(stamp, level, m, attrs, quote_always) for m in [msg, "magicsock: derp-4 connected"])
    document = run_json(text + "\n")
    logs = document["daemon_logs"]
    assert logs, text
    kinds = {issue["kind"] for log in logs for issue in log["issues"]}
    assert (kind in kinds) if kind else not ({"login-required", "crash"} & kinds)


@given(st.sampled_from(["info", "warning", "error"]), st.sampled_from(SLOG_ATTRS))
@settings(max_examples=20, deadline=None)
def test_logrus_lines_still_read_with_attributes_after_the_message(level: str, attrs: str) -> None:
    msg = "LocalBackend state is NeedsLogin; running StartLoginInteractive..."
    line = f'time="2021-01-01T00:00:00Z" level={level} msg="{msg}"{attrs}'
    assert "login-required" in _kinds(_log(line + "\n"))


# ------------------------------------------------------------------ an app embedding tsnet gives up on its node

TSNET_TIMEOUTS = [
    # tsnet's own error, wrapped or not by the app
    "tsnet.Up: context deadline exceeded",
    "failed to bring up tsnet: tsnet.Up: context deadline exceeded",
    # the app's own words around it
    'resource error: operation timeout: starting tsnet server for service "service1" (check network connectivity '
    "to Tailscale) timed out after 30s",
    "waiting for tsnet node: timed out after 1m0s",
]


@given(
    st.sampled_from(SLOG_STAMPS),
    st.sampled_from(SLOG_LEVELS),
    st.sampled_from(TSNET_TIMEOUTS),
    st.sampled_from(["msg", "error", "err"]),
    st.sampled_from(SLOG_ATTRS),
)
@settings(max_examples=60, deadline=None)
def test_an_app_giving_up_on_its_tsnet_node_is_tsnet_up_timeout(
    stamp: str, level: str, error: str, where: str, attrs: str
) -> None:
    if where == "msg":
        line = _slog(stamp, level, error, attrs, False)
    else:
        escaped = error.replace('"', '\\"')
        line = _slog(stamp, level, "service start failed", f'{attrs} duration=34.7s {where}="{escaped}"', False)
    before = _slog(stamp, "DEBUG", "wg: [v2] Device closed", attrs, False)
    document = run_json(f"{before}\n{line}\n")
    assert "tsnet-up-timeout" in [error["kind"] for error in document["windows"]], line
    assert not {"crash", "login-required"} & {i["kind"] for log in document["daemon_logs"] for i in log["issues"]}
    assert document["summary"]["exit_code"] == 1
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-TSNET-UP-TIMEOUT"]
    assert "auth key" in finding["fix"]


@given(
    st.sampled_from(
        [
            "tsnet server started",
            "tsnet node is Running",
            "magicsock: ReSTUN: dial udp: i/o timeout",
            "starting service",
        ]
    )
)
@settings(max_examples=10, deadline=None)
def test_a_tsnet_node_that_starts_or_another_timeout_is_no_tsnet_up_timeout(msg: str) -> None:
    text = "\n".join(
        _slog(SLOG_STAMPS[0], "INFO", m, " service=web", False) for m in [msg, "magicsock: derp-4 connected"]
    )
    assert "tsnet-up-timeout" not in [error["kind"] for error in run_json(text + "\n")["windows"] or []]


@given(st.sampled_from(["", " component=ts"]))
@settings(max_examples=5, deadline=None)
def test_a_logrus_message_with_unescaped_quotes_runs_to_the_end_of_the_line(attrs: str) -> None:
    msg = 'LocalBackend state is NeedsLogin; running "StartLoginInteractive"...'
    line = f'time="2021-01-01T00:00:00Z" level=info msg="{msg}"{attrs}'
    assert "login-required" in _kinds(_log(line + "\n"))
