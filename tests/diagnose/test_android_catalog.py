"""Catalog of what the Android app (tailscale-android) logs and shows when it fails, read from its source before
anyone pasted it: every user-visible error string and every logcat line that tells a failure, instantiated the
way logcat prints it (threadtime, brief, time, tag, long, with and without the year, Android Studio's copy), with
the reading an expert expects ("none" for the app's routine lines).

Source: github.com/tailscale/tailscale-android at 582940f78d (June 2026); the Go side's lines moved from
cmd/tailscale/ (the Gio app, v1.0-v1.62) to libtailscale/ (v1.64+, March 2024) with the same wording.
Go lines carry the process name as logcat tag ("com.tailscale.ipn": libtailscale/log.go tags every line with
os.Args[0]); the Kotlin side logs under its class tags ("App", "IPNService", "StartVPNWorker", …: util/TSLog.kt).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.daemonlog.grammar import message_of
from opskit.errors import InputError
from tests.diagnose.conftest import run_json

GO_TAG = "com.tailscale.ipn"

# (message, logcat tag, level, the log issues an expert reads (space-separated) or "none"); source file:line and
# versions in the comment above each
LOG_LINES: list[tuple[str, str, str, str]] = [
    # libtailscale/backend.go:410 closeVpnService ("VPN update failed: %v"), net.go:33 errMultipleUsers (v1.20+)
    (
        "VPN update failed: VPN cannot be created on this device due to an Android bug with multiple users",
        GO_TAG,
        "I",
        "tun-unavailable",
    ),
    # net.go:204 updateTUN: establish() threw a SecurityException naming INTERACT_ACROSS_USERS (v1.20+)
    (
        "updateTUN: could not establish VPN because java.lang.SecurityException: Permission Denial: "
        "getUserInfo requires android.permission.INTERACT_ACROSS_USERS",
        GO_TAG,
        "I",
        "tun-unavailable",
    ),
    # net.go:27 errVPNNotPrepared via backend.go:410 (cmd/tailscale/main.go before v1.64)
    ("VPN update failed: VPN service not prepared or was revoked", GO_TAG, "I", "tun-unavailable"),
    # net.go:214 establish() returned null (another always-on VPN, consent revoked) (v1.66+)
    (
        "updateTUN: could not establish VPN because builder.Establish returned a nil ParcelFileDescriptor",
        GO_TAG,
        "I",
        "tun-unavailable",
    ),
    # net.go:208 establish() threw (v1.0+)
    (
        "VPN update failed: VpnService.Builder.establish: java.lang.IllegalStateException: "
        "Cannot establish VPN: the VPN is not prepared",
        GO_TAG,
        "I",
        "tun-unavailable",
    ),
    # net.go:225 the VPN interface's descriptor could not be taken over (v1.64+)
    ("VPN update failed: detachFd: java.io.IOException: bad file descriptor", GO_TAG, "I", "tun-unavailable"),
    # backend.go:421 the tunnel brought down after one of the above (v1.64+)
    (
        "tunnel brought down on VPN service error: VPN service not prepared or was revoked",
        GO_TAG,
        "I",
        "tun-unavailable",
    ),
    # tailscale.go:78 the backend could not start (runBackend's NewUserspaceEngine / NewLocalBackend) (v1.64+)
    (
        'fatal error: runBackend: NewUserspaceEngine: wgengine.NewUserspaceEngine(tun "tun0") error: '
        "creating router: operation not permitted",
        GO_TAG,
        "I",
        "crash firewall-failed",
    ),
    # backend.go:383 LocalBackend.Start failed and the app panics (v1.64+)
    ("Failed to start LocalBackend, panicking: store.New: permission denied", GO_TAG, "I", "crash state-unwritable"),
    # StartVPNWorker.java:43 (the "Start VPN" intent, Tasker, a boot receiver): VpnService.prepare() says the
    # app has no VPN consent (never given, or another VPN app took it): the user gets "Tailscale Connection
    # Failed" (v1.66+)
    ("Tailscale isn't ready to start the VPN, notify the user.", "StartVPNWorker", "E", "tun-unavailable"),
    # MainActivity.kt:165/:168 Android's VPN consent answered no: another VPN app holds the VPN, or the user
    # declined (v1.72+; then the "VPN permission denied" / "VPN permission needed" dialogs)
    ("Another VPN is likely active", "VpnPermission", "D", "tun-unavailable"),
    ("Permission was denied by the user", "VpnPermission", "D", "tun-unavailable"),
    # Android's runtime killing the app on an uncaught exception (AOSP RuntimeInit.java: AndroidRuntime's "FATAL
    # EXCEPTION: <thread>" then "Process: <name>, PID: <pid>", the line that names the app) and a native crash of
    # its process (bionic's debuggerd handler: libc "Fatal signal %d (%s), code %d (%s%s)%s in tid %d (%s), pid %d
    # (%s)"; the Go side dying on a signal)
    ("Process: com.tailscale.ipn, PID: 12345", "AndroidRuntime", "E", "crash"),
    (
        "Fatal signal 6 (SIGABRT), code -1 (SI_QUEUE) in tid 12360 (Thread-7), pid 12345 (com.tailscale.ipn)",
        "libc",
        "F",
        "crash",
    ),
    # App.kt:596 / IPNService.kt:140 / App.kt:623: Android refused to start the VPN service from the background
    # (Android 12+ foreground-service limits, 8+ background service limits, battery restrictions) (v1.66+)
    (
        "startVPN hit ForegroundServiceStartNotAllowedException: android.app.ForegroundServiceStartNotAllowedException:"
        " startForegroundService() not allowed due to mAllowStartForeground false: "
        "service com.tailscale.ipn/.IPNService",
        "App",
        "E",
        "android-background-start-blocked",
    ),
    (
        "Failed to start foreground service: android.app.ForegroundServiceStartNotAllowedException: startForeground() "
        "not allowed due to mAllowStartForeground false: service com.tailscale.ipn/.IPNService",
        "IPNService",
        "E",
        "android-background-start-blocked",
    ),
    (
        "restartVPN hit IllegalStateException in startService(): java.lang.IllegalStateException: Not allowed to "
        "start service Intent { act=com.tailscale.ipn.RESTART_VPN cmp=com.tailscale.ipn/.IPNService }: app is in "
        "background uid UidRecord{a1b2c3 u0a245 CEM  idle}",
        "App",
        "E",
        "android-background-start-blocked",
    ),
    # Android's ActivityManager refusing the same start (AOSP ActiveServices.java: "Background start not allowed:
    # service <intent> to <component> from pid=… uid=… pkg=… startFg?=…", Android 8+)
    (
        "Background start not allowed: service Intent { act=com.tailscale.ipn.START_VPN "
        "cmp=com.tailscale.ipn/.IPNService } to com.tailscale.ipn/.IPNService from pid=12345 uid=10245 "
        "pkg=com.tailscale.ipn startFg?=true",
        "ActivityManager",
        "W",
        "android-background-start-blocked",
    ),
    # --- routine lines of the app: nothing to report
    ("VPN permission granted", "VpnPermission", "D", "none"),  # MainActivity.kt:160
    ("Process: com.google.android.gms, PID: 4242", "AndroidRuntime", "E", "none"),  # another app's crash
    ("updateTUN: established VPN", GO_TAG, "I", "none"),  # net.go:212
    ("Setting vpn activity status to true", GO_TAG, "I", "none"),  # net.go:210
    ("onVPNRequested: rebind required", GO_TAG, "I", "none"),  # backend.go:235
    ("tunnel brought down on disconnect", GO_TAG, "I", "none"),  # backend.go:256
    ("goSetupLogs: success", GO_TAG, "I", "none"),  # tailscale.go:158
    ("updateTUN: added 2 local addrs", GO_TAG, "I", "none"),  # net.go:198
    ("remote log upload disabled by user preference", GO_TAG, "I", "none"),  # tailscale.go:152
    ("getDNSBaseConfig: none found; falling back to Google public DNS", GO_TAG, "I", "none"),  # net.go:292
    ("loaded user CA certificates into ExtraRootCAs", GO_TAG, "I", "none"),  # backend.go:290
    (
        "bindSocketToActiveNetwork: binding fd=143 to net=112 iface=wlan0",  # App.kt:467
        "App",
        "D",
        "none",
    ),
    ("no networks available to pick default network", "NetworkChangeCallback", "W", "none"),  # :155
    # backend.go:225/:231 (main.go:604 before v1.64: "[unexpected] VpnService.protect(%d) = %v, %v"): best effort, the
    # Go side carries on; the app's own binding failing (App.kt:475) the same
    ("[unexpected] VpnService.protect(143) returned false", GO_TAG, "I", "none"),
    ("[unexpected] VpnService.protect(143) = false, <nil>", GO_TAG, "I", "none"),
    ("[unexpected] IPNService.bindSocketToNetwork(143) returned false", GO_TAG, "I", "none"),
    (
        "bindSocketToActiveNetwork: bind failed fd=143 net=112 iface=wlan0: java.net.SocketException: Binding "
        "socket to network 112 failed: EPERM (Operation not permitted)",
        "App",
        "W",
        "none",
    ),
    # VpnViewModel.kt:50 consent not given yet (the first start asks for it); App.kt:290; IPNService.kt:162 (an
    # app named by MDM or the user that is not installed); Client.kt:314; tailscale.go:164 (logs kept in memory)
    ("VpnService.prepare returned non-null intent", "VpnViewModel", "D", "none"),
    ("Set Tile Ready: false", "App", "D", "none"),
    (
        "Failed to add allowed application: android.content.pm.PackageManager$NameNotFoundException: com.example.app",
        "IPNService",
        "E",
        "none",
    ),
    ("Executing request:GET:localapi/v0/status on app com.tailscale.ipn.App@1a2b3c", "LocalAPIRequest", "D", "none"),
    (
        "SetupLogs: filch setup failed: open /data/user/0/com.tailscale.ipn/files/logs: permission denied",
        GO_TAG,
        "I",
        "none",
    ),
]

# The formats logcat (and Android Studio) print a line in: {lvl} level letter, {tag}, {msg}.
FORMATS = {
    "threadtime": "05-01 10:00:00.123 12345 12360 {lvl} {tag}: {msg}",
    "threadtime-padded": "05-01 10:00:00.123 12345 12360 {lvl} {tag:<8}: {msg}",
    "threadtime-year": "2024-05-01 10:00:00.123 12345 12360 {lvl} {tag}: {msg}",
    "threadtime-uid": "05-01 10:00:00.123 u0_a245 12345 12360 {lvl} {tag}: {msg}",
    "brief": "{lvl}/{tag}(12345): {msg}",
    "brief-padded": "{lvl}/{tag}( 2345): {msg}",
    "time": "05-01 10:00:00.123 {lvl}/{tag}(12345): {msg}",
    "time-year": "2024-05-01 10:00:00.123 {lvl}/{tag}(12345): {msg}",
    "epoch": "1714557600.123 12345 12360 {lvl} {tag}: {msg}",
    "monotonic": "8123.456 12345 12360 {lvl} {tag}: {msg}",
    "tag": "{lvl}/{tag}: {msg}",
    "process": "{lvl}(12345) {msg}  ({tag})",
    "studio": "2024-05-01 10:00:00.123 12345-12360 {tag} com.tailscale.ipn {lvl}  {msg}",
    "studio-old": "2024-05-01 10:00:00.123 12345-12360/com.tailscale.ipn {lvl}/{tag}: {msg}",
}


def reading(text: str) -> set[str]:
    """The log issues and CLI/GUI kinds opskit reads from a paste ("none" when it reads no problem)."""
    try:
        document = run_json(text)
    except InputError:
        return {"none"}
    found = {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}
    found |= {error["kind"] for error in document["windows"]}
    return found or {"none"}


def _logcat(fmt: str, message: str, tag: str, level: str) -> str:
    line = FORMATS[fmt].format(lvl=level, tag=tag, msg=message)
    # a start line around it, as any excerpt of the app's log has
    start = FORMATS[fmt].format(lvl="I", tag=GO_TAG, msg="onVPNRequested: rebind required")
    return f"{start}\n{line}\n"


LOG_CASES = [
    pytest.param(fmt, message, tag, level, expected, id=f"{fmt}-{index}")
    for index, (message, tag, level, expected) in enumerate(LOG_LINES)
    for fmt in FORMATS
]


@pytest.mark.parametrize(("fmt", "message", "tag", "level", "expected"), LOG_CASES)
def test_every_catalogued_logcat_line_is_read_as_an_expert_reads_it(
    fmt: str, message: str, tag: str, level: str, expected: str
) -> None:
    assert reading(_logcat(fmt, message, tag, level)) == set(expected.split())


# (text as the app shows it, expected CLI/GUI kind, source)
GUI_TEXTS: list[tuple[str, str]] = [
    # strings.xml multiple_vpn_explainer under vpn_permission_denied: VpnViewModel/MainActivity (v1.72+)
    (
        "VPN permission denied\nOnly one VPN can be active, and it appears another is already running. "
        "Before starting Tailscale, disable the other VPN.",
        "tunnel-start-failed",
    ),
    (
        "Only one VPN can be active, and it appears another is already running. Before starting Tailscale, "
        "disable the other VPN.",
        "tunnel-start-failed",
    ),
    # strings.xml vpn_permission_needed / vpn_explainer: the fallback dialog (v1.80+)
    (
        "VPN permission needed\nTailscale needs VPN access, but it looks like your device may not show VPN "
        "settings. If you are using another VPN app or have work policies, disable them first, then try again.",
        "tunnel-start-failed",
    ),
    # StartVPNWorker.java: the notification title_connection_failed + body_open_tailscale (v1.66+)
    ("Tailscale Connection Failed\nTap here to open Tailscale.", "tunnel-start-failed"),
    # strings.xml vpn_is_not_ready_to_start (the Start VPN intent's notification)
    ("VPN is not ready to start", "tunnel-start-failed"),
    # strings.xml invalidAuthKey under invalidAuthKeyTitle (CustomLogin.kt, v1.64+)
    ("Invalid key\nThe provided auth key is not in the correct format.", "auth-key-rejected"),
    # strings.xml taildrop_share_failed / share_device_not_connected (ShareActivity, TaildropView)
    ("Taildrop failed\nTaildrop failed. Some files were not shared. Please try again.", "taildrop-failed"),
    (
        "Unable to share files with this device. This device is not currently connected to the tailnet.",
        "taildrop-failed",
    ),
    # strings.xml switch_user_failed_title / switch_user_failed (UserSwitcherView)
    ("Cannot switch to user\nUnable to switch users. Please try again.", "switch-failed"),
    # strings.xml peer_with_name_is_not_an_exit_node (UseExitNodeWorker)
    ("Use Exit Node Intent Failed\nPeer with name my-server is not an exit node", "exit-node-refused"),
]


@pytest.mark.parametrize(("text", "expected"), GUI_TEXTS, ids=[f"gui-{i}" for i in range(len(GUI_TEXTS))])
def test_every_catalogued_app_message_is_read_as_its_kind(text: str, expected: str) -> None:
    assert expected in reading(text + "\n")


ROUTINE_APP_TEXTS = [
    "Set up a VPN connection so you can start using Tailscale.",
    "Connect to VPN",
    "Tailscale is a mesh VPN for securely connecting your devices.",
    "Running an exit node will severely impact battery life.",
    "Not connected",
]


@given(st.sampled_from(ROUTINE_APP_TEXTS), st.sampled_from(sorted(FORMATS)))
@settings(max_examples=30, deadline=None)
def test_the_apps_routine_texts_and_lines_raise_nothing(text: str, fmt: str) -> None:
    assert reading(text + "\n") == {"none"}
    assert reading(_logcat(fmt, "updateTUN: established VPN", GO_TAG, "I")) == {"none"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize(("tag", "level"), [(GO_TAG, "I"), ("StartVPNWorker", "E"), ("App", "W")])
def test_every_logcat_format_is_peeled_to_the_message_and_its_tag(fmt: str, tag: str, level: str) -> None:
    message = "VPN update failed: VPN service not prepared or was revoked"
    peeled = message_of(FORMATS[fmt].format(lvl=level, tag=tag, msg=message))
    assert (peeled.text, peeled.form) == (message, "logcat")
    assert peeled.process == tag


def test_android_studio_rows_whose_tag_column_was_left_blank_keep_the_package() -> None:
    for line in (
        "2024-05-01 10:00:00.123 12345-12360 com.tailscale.ipn E  VPN update failed: VPN service not prepared or "
        "was revoked",
        "2024-05-01 10:00:00.123 12345-12360 E  VPN update failed: VPN service not prepared or was revoked",
        "09-03 07:09:40.802 ... VPN update failed: VPN service not prepared or was revoked",
    ):
        peeled = message_of(line)
        assert (peeled.text, peeled.form) == ("VPN update failed: VPN service not prepared or was revoked", "logcat")
        assert peeled.process in ("com.tailscale.ipn", None)
        assert reading(line + "\n") == {"tun-unavailable"}


def test_a_truncated_process_name_in_a_native_crash_is_still_the_app() -> None:
    crash = (
        "05-01 10:00:00.123  4200  4242 F libc    : Fatal signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0 "
        "in tid 4242 (Thread-3), pid 4200 (com.tailscale.i)\n"
    )
    assert reading(crash) == {"crash"}
    other = (
        "05-01 10:00:00.123 9 9 F libc: Fatal signal 6 (SIGABRT), code -1 (SI_QUEUE) in tid 9 (main), pid 9 "
        "(com.example.app)\n05-01 10:00:01.000 1 1 I com.tailscale.ipn: onVPNRequested: rebind required\n"
    )
    assert reading(other) == {"none"}


def test_the_long_format_header_names_the_tag_and_the_message_under_it_is_read() -> None:
    header = message_of("[ 05-01 10:00:00.123 12345:12360 E/StartVPNWorker ]")
    assert (header.text, header.process, header.form) == ("", "StartVPNWorker", "logcat")
    paste = (
        "[ 05-01 10:00:00.123 12345:12360 I/com.tailscale.ipn ]\nVPN update failed: VPN service not prepared or was "
        "revoked\n\n[ 05-01 10:00:01.123 12345:12360 I/com.tailscale.ipn ]\nonVPNRequested: rebind required\n"
    )
    assert reading(paste) == {"tun-unavailable"}


def test_a_later_established_vpn_clears_what_blocked_it() -> None:
    for message, tag, level, expected in LOG_LINES:
        if expected not in ("tun-unavailable", "android-background-start-blocked"):
            continue
        up = FORMATS["threadtime"].format(lvl="I", tag=GO_TAG, msg="updateTUN: established VPN")
        assert reading(_logcat("threadtime", message, tag, level) + up + "\n") == {"none"}, message


# fix18 (corpus 486): Android's own always-on VPN dialog (AOSP VpnDialogs always_on_disconnected_message and its
# lockdown twin), quoted in prose, retyped ("setup", lower case, a typographic apostrophe, "the public internet"):
# when it names Tailscale, Tailscale's tunnel did not start. Naming another VPN app it is that app's, not ours.
_ALWAYS_ON_HEADS = [
    "Tailscale is set up to stay connected all the time, but it can't connect right now.",
    "tailscale is setup to stay connected all the time, but it can\u2019t connect right now.",
    "Tailscale is set-up to stay connected all the time but it cant connect right now.",
]
_ALWAYS_ON_TAILS = [
    " Your phone will use a public network until it can reconnect to Tailscale.",
    " Your phone will use the public internet until tailscale can connect.",
    " You won't have a connection until the VPN can reconnect.",
    "",
]
_ALWAYS_ON_WRAPS = ["{m}", "> {m}", 'I get a notification from the VPN system stating "{m}"', "`{m}`", "**{m}**"]


@given(st.sampled_from(_ALWAYS_ON_HEADS), st.sampled_from(_ALWAYS_ON_TAILS), st.sampled_from(_ALWAYS_ON_WRAPS))
@settings(max_examples=40, deadline=None)
def test_androids_always_on_vpn_dialog_naming_tailscale_is_its_tunnel_not_starting(
    head: str, tail: str, wrap: str
) -> None:
    assert reading(wrap.format(m=head + tail) + "\n") == {"tunnel-start-failed"}


@pytest.mark.parametrize("app", ["WireGuard", "Mullvad VPN", "NordVPN"])
def test_androids_always_on_vpn_dialog_naming_another_vpn_app_is_not_tailscales(app: str) -> None:
    text = f"{app} is set up to stay connected all the time, but it can't connect right now.\n"
    assert reading(text) == {"none"}
