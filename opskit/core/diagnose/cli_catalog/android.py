"""Catalogued error dialogs and notifications of the Android app (github.com/tailscale/tailscale-android at
582940f78d, June 2026: android/src/main/res/values/strings.xml and the Kotlin that shows them), as people paste them
from their phone: the app's own words, without a `tailscale` command around them.

The app's VPN is Android's VpnService: one VPN app at a time holds it, the user must consent once (and again after
another VPN app took it), and a work profile or device policy may forbid it. Its refusals are the Android side of
``tunnel-start-failed`` (the app could not start its VPN tunnel); the rest map to the CLI's kinds for the same
failure (an auth key, Taildrop, profiles, an exit node).
"""

from __future__ import annotations

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry
from opskit.core.diagnose.models import CliErrorKind

_STRINGS = "tailscale-android android/src/main/res/values/strings.xml"
_TUNNEL = CliErrorKind.TUNNEL_START_FAILED
_ANOTHER_VPN_FIX = (
    "Turn the other VPN off: Settings > Network & internet > VPN, open the other VPN app's gear, disconnect it and "
    'switch off its "Always-on VPN" (on a work profile, ask its administrator). Then connect in Tailscale and '
    "accept Android's VPN connection request."
)


# Android's package manager refusing an APK of the app, as `adb install` (and `pm install` on the device) prints it:
# "adb: failed to install tailscale-debug.apk: Failure [INSTALL_FAILED_UPDATE_INCOMPATIBLE: Package com.tailscale.ipn
# signatures do not match previously installed version; ignoring!]" (older adb: "Failure [INSTALL_FAILED_…]" on a
# line of its own after "pkg: /data/local/tmp/….apk"). Only a line naming Tailscale (the APK's file or the package)
# is Tailscale's; the codes are PackageManager's INSTALL_FAILED_* / INSTALL_PARSE_FAILED_* constants.
_PACKAGE_MANAGER = "AOSP frameworks/base core/java/android/content/pm/PackageManager.java (adb install)"
_PM_FAILURE = (
    r"(?=[^\n]*tailscale)(?:adb: failed to install (?P<apk>\S+?): (?:Failure )?|\bFailure )"
    r"\[(?P<code>{code})(?::\s*(?P<reason>[^\]]*))?\]"
)
_UNINSTALL = (
    "Uninstall the installed Tailscale first (`adb uninstall com.tailscale.ipn`, or Settings > Apps > Tailscale > "
    "Uninstall; it logs the device out of the tailnet), then install the APK again."
)
# (code, example message, cause, fix): the codes people meet installing a self-built or side-loaded APK first
_PM_FAILURES: tuple[tuple[str, str, str, str], ...] = (
    (
        "INSTALL_FAILED_UPDATE_INCOMPATIBLE",
        "INSTALL_FAILED_UPDATE_INCOMPATIBLE: Package com.tailscale.ipn signatures do not match previously installed "
        "version; ignoring!",
        "the Tailscale app already installed is signed with another key (the Play Store or F-Droid build against a "
        "self-built or debug APK), and Android only updates an app with an APK of the same signature. Nothing was "
        "installed; the old app is unchanged.",
        _UNINSTALL,
    ),
    (
        "INSTALL_FAILED_VERSION_DOWNGRADE",
        "INSTALL_FAILED_VERSION_DOWNGRADE: Downgrade detected: Update version code 275 is older than current 300",
        "the APK's versionCode is older than the installed Tailscale app's, and Android does not downgrade an "
        "app. Nothing was installed.",
        "Install a build at least as new as the installed one, or uninstall the app first (`adb uninstall "
        "com.tailscale.ipn`); on a debuggable build `adb install -r -d <apk>` allows the downgrade.",
    ),
    (
        "INSTALL_FAILED_NO_MATCHING_ABIS",
        "INSTALL_FAILED_NO_MATCHING_ABIS: Failed to extract native libraries, res=-113",
        "the APK holds Tailscale's native library (libgojni.so) for other CPU architectures than this device's "
        "(an arm64-only build on an x86_64 emulator, or the reverse). Nothing was installed.",
        "Install the APK built for the device's ABI (`adb shell getprop ro.product.cpu.abi`), or a universal "
        "build (the Play Store/F-Droid app, or `make tailscale-debug.apk` with every ABI).",
    ),
    (
        "INSTALL_FAILED_OLDER_SDK",
        "INSTALL_FAILED_OLDER_SDK: Failed parse during installPackageLI: Requires newer sdk version #26 (current "
        "version is #23)",
        "this Android version is older than the app's minimum (its minSdkVersion): this Tailscale release does not "
        "run on it. Nothing was installed.",
        "Use a Tailscale release that still supports this Android version, or a newer device/OS.",
    ),
    (
        "INSTALL_FAILED_INSUFFICIENT_STORAGE",
        "INSTALL_FAILED_INSUFFICIENT_STORAGE",
        "the device has too little free storage for the app. Nothing was installed.",
        "Free storage on the device (Settings > Storage), then install again.",
    ),
    (
        "INSTALL_FAILED_ALREADY_EXISTS",
        "INSTALL_FAILED_ALREADY_EXISTS: Attempt to re-install com.tailscale.ipn without first uninstalling.",
        "the Tailscale app is already installed and the install was not asked to replace it. Nothing was installed.",
        "Install with `adb install -r <apk>` (replace), or uninstall the app first.",
    ),
    (
        "INSTALL_FAILED_TEST_ONLY",
        "INSTALL_FAILED_TEST_ONLY: installPackageLI",
        "the APK is marked test-only (a build Android Studio made for its Run button), which Android installs only "
        "when asked. Nothing was installed.",
        "Install it with `adb install -t <apk>`, or build a normal debug/release APK.",
    ),
    (
        "INSTALL_FAILED_USER_RESTRICTED",
        "INSTALL_FAILED_USER_RESTRICTED: Install canceled by user",
        "the device refused an install over USB (the prompt on the phone was declined, or 'Install via USB' is off "
        "in the developer options, or a device policy forbids it). Nothing was installed.",
        "Enable 'Install via USB' in the developer options (some vendors need an account for it), accept the "
        "prompt on the phone, then install again.",
    ),
    (
        r"INSTALL_(?:PARSE_)?FAILED_[A-Z_]+",
        "INSTALL_PARSE_FAILED_NO_CERTIFICATES: No signature found in package of version 2 or newer",
        "its reason is Android's code {code} ({reason}). Nothing was installed; an installed Tailscale app is "
        "unchanged.",
        "Fix what the code names (`adb install` documents them; an unsigned APK needs signing, a corrupt download "
        "downloading again), then install again; a self-built APK over another build needs `adb uninstall "
        "com.tailscale.ipn` first.",
    ),
)


def _entry(kind: CliErrorKind, phrase: str, pattern: str, cause: str, fix: str, source: str, example: str) -> Refusal:
    return catalog_entry(kind, phrase, pattern, cause, fix, source, example)


REFUSALS: tuple[Refusal, ...] = (
    # multiple_vpn_explainer under vpn_permission_denied (VpnViewModel: VpnService.prepare refused, v1.72+)
    _entry(
        _TUNNEL,
        "only one vpn can be active",
        r"Only one VPN can be active, and it appears another is already running",
        "Android lets one VPN app hold the VPN at a time: another VPN app (or another profile's always-on VPN) is "
        "running, so Android denied Tailscale's VPN permission and the tunnel did not start.",
        _ANOTHER_VPN_FIX,
        _STRINGS + " multiple_vpn_explainer",
        "Only one VPN can be active, and it appears another is already running. Before starting Tailscale, "
        "disable the other VPN.",
    ),
    _entry(
        _TUNNEL,
        "vpn permission denied",
        r"(?-i:\bVPN permission denied\b)",
        "Android denied the Tailscale app its VPN permission (another VPN app holds the VPN, or the request was "
        "dismissed), so the tunnel did not start.",
        _ANOTHER_VPN_FIX,
        _STRINGS + " vpn_permission_denied",
        "VPN permission denied",
    ),
    # vpn_explainer under vpn_permission_needed: the fallback when Android shows no consent dialog (v1.80+)
    _entry(
        _TUNNEL,
        "tailscale needs vpn access",
        r"Tailscale needs VPN access, but it looks like your device may not show VPN settings",
        "Android showed no VPN consent dialog: another VPN app or a work/device policy (MDM, a work profile) "
        "blocks VPN apps, so Tailscale's tunnel did not start.",
        'Disable the other VPN app (Settings > Network & internet > VPN, switch off its "Always-on VPN") or ask '
        "the device's administrator to allow Tailscale as a VPN, then connect again in Tailscale.",
        _STRINGS + " vpn_explainer",
        "Tailscale needs VPN access, but it looks like your device may not show VPN settings. If you are using "
        "another VPN app or have work policies, disable them first, then try again.",
    ),
    # StartVPNWorker.java: title_connection_failed + body_open_tailscale, when a Start VPN intent, the quick tile or
    # an automation app starts the VPN without Android's VPN consent (never given, or another VPN app took it)
    _entry(
        _TUNNEL,
        "tailscale connection failed",
        r"(?-i:\bTailscale Connection Failed\b)",  # the notification's title case, not prose
        "Something started Tailscale's VPN in the background (the quick settings tile, boot, an automation app's "
        "Start VPN intent) while the app had no VPN consent from Android (never given, revoked, or another VPN "
        "app took the VPN): the tunnel did not start.",
        "Open the Tailscale app and connect once by hand, accepting Android's VPN request; turn off other VPN "
        'apps\' "Always-on VPN" (Settings > Network & internet > VPN).',
        "tailscale-android android/src/main/java/com/tailscale/ipn/StartVPNWorker.java",
        "Tailscale Connection Failed",
    ),
    _entry(
        _TUNNEL,
        "vpn is not ready to start",
        r"\bVPN is not ready to start\b",
        "A Start VPN request (an automation app's intent, the quick tile) reached the Tailscale app before it "
        "had Android's VPN consent or was set up: the tunnel did not start.",
        "Open the Tailscale app, log in and connect once by hand (accept Android's VPN request), then retry the "
        "automation.",
        _STRINGS + " vpn_is_not_ready_to_start",
        "VPN is not ready to start",
    ),
    # Android's own dialog, not the app's (AOSP packages/apps/VpnDialogs AlwaysOnDisconnectedDialog, strings
    # always_on_disconnected_message / _lockdown, Android 8+; shown from the "Can't connect to always-on VPN"
    # notification): "<VPN app> is set up to stay connected all the time, but it can't connect right now. Your phone
    # will use a public network until it can reconnect to <VPN app>." (lockdown: "You won't have a connection
    # until the VPN can reconnect."). People retype it ("setup", "the public internet"); only when it names
    # Tailscale is it Tailscale's tunnel.
    _entry(
        _TUNNEL,
        "stay connected all the time",
        r"\bTailscale is set[ -]?up to stay connected all the time,? but it can'?t connect(?: right now)?",
        "Android's always-on VPN is set to Tailscale, but Tailscale's VPN service did not come up (typically after "
        "a reboot or an app update: the app was not started, is logged out, lost its VPN consent to another VPN "
        "app, or the system stopped it): until it connects the phone uses the public network without the tailnet "
        '(with "Block connections without VPN" on, no network at all).',
        "Open the Tailscale app and connect (log in if asked, accept Android's VPN request); check Settings > "
        'Network & internet > VPN > Tailscale (gear) keeps "Always-on VPN" on and no other VPN app holds it, and '
        "exempt Tailscale from battery optimisation so the system does not stop it.",
        "AOSP packages/apps/VpnDialogs res/values/strings.xml always_on_disconnected_message",
        "Tailscale is set up to stay connected all the time, but it can't connect right now. Your phone will use a "
        "public network until it can reconnect to Tailscale.",
    ),
    # invalidAuthKey under invalidAuthKeyTitle (CustomLogin.kt: "Log in with auth key", v1.64+)
    _entry(
        CliErrorKind.AUTH_KEY_REJECTED,
        "auth key is not in the correct format",
        r"The provided auth key is not in the correct format",
        "The app refused the auth key before sending it: it is not an auth key's shape (tskey-auth-…; an API "
        "key, an OAuth client secret or a key cut short when copied).",
        "Create an auth key in the admin console (Settings > Keys > Generate auth key) and paste it whole, "
        "starting with tskey-auth-.",
        _STRINGS + " invalidAuthKey",
        "The provided auth key is not in the correct format.",
    ),
    # taildrop_share_failed / share_device_not_connected (ShareActivity, TaildropView)
    _entry(
        CliErrorKind.TAILDROP_FAILED,
        "some files were not shared",
        r"Taildrop failed\. Some files were not shared",
        "Sending files with Taildrop from the Android app failed for some of them (the target went offline, "
        "Taildrop is not allowed to it, or the transfer broke).",
        "Check that the target device is online in the app, is owned by the same user (or shared with Taildrop "
        "allowed), and send the files again.",
        _STRINGS + " taildrop_share_failed",
        "Taildrop failed. Some files were not shared. Please try again.",
    ),
    _entry(
        CliErrorKind.TAILDROP_FAILED,
        "unable to share files with this device",
        r"Unable to share files with this device\. This device is not currently connected",
        "Taildrop needs this phone connected to the tailnet: the app is disconnected, so nothing was sent.",
        "Connect Tailscale on the phone (the toggle on the main screen), then share the files again.",
        _STRINGS + " share_device_not_connected",
        "Unable to share files with this device. This device is not currently connected to the tailnet.",
    ),
    # switch_user_failed (UserSwitcherView)
    _entry(
        CliErrorKind.SWITCH_FAILED,
        "unable to switch users",
        r"Unable to switch users\. Please try again",
        "The app could not switch to the other account (profile): the backend refused the switch.",
        "Try again after the app is connected; if it keeps failing, log out of the profile and log in again.",
        _STRINGS + " switch_user_failed",
        "Unable to switch users. Please try again.",
    ),
    # peer_with_name_is_not_an_exit_node (UseExitNodeWorker: an automation app's Use Exit Node intent)
    _entry(
        CliErrorKind.EXIT_NODE_REFUSED,
        "is not an exit node",
        r"Peer with name (?P<name>\S+) is not an exit node",
        'An automation\'s Use Exit Node request named "{name}", which does not offer itself as an exit node (or '
        "its exit node is not approved).",
        'Run `tailscale set --advertise-exit-node` on "{name}" and approve it in the admin console, or name an '
        "exit node the app lists.",
        _STRINGS + " peer_with_name_is_not_an_exit_node",
        "Peer with name my-server is not an exit node",
    ),
    *(
        _entry(
            CliErrorKind.INSTALL_FAILED,
            "failure [install_",
            _PM_FAILURE.format(code=code),
            "Android's package manager refused to install the Tailscale app's APK (`adb install` or `pm install`): "
            + cause,
            fix,
            _PACKAGE_MANAGER,
            f"adb: failed to install tailscale-debug.apk: Failure [{example}]",
        )
        for code, example, cause, fix in _PM_FAILURES
    ),
)
