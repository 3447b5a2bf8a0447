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
)
