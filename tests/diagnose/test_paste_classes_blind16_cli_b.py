"""Blind batch 16's app and tray classes (fix16-cli-b), each proven over the ways people paste it.

- The iOS/macOS app cannot start its VPN tunnel: the iOS app's "An issue in this version of iOS is preventing
  the Tailscale tunnel from starting. Reboot …", the macOS app's "Oops! The Tailscale network extension failed
  to start.", Apple's NEVPNErrorDomain codes 1-6, the VPN configuration the app could not get allowed or added:
  kind `tunnel-start-failed` (TS-CLI-TUNNEL-START-FAILED), each message with its own cause and fix, beside the
  Windows GUI's own "Failed to connect to Tailscale service." box (`gui-cannot-connect`) when both are pasted.
- The Linux `tailscale systray` (client/systray on fyne.io/systray) cannot show its icon: "systray error: failed
  to register: The name org.kde.StatusNotifierWatcher was not provided by any .service files" (dbus-daemon), "…
  The name is not activatable" (dbus-broker), the older "failed to register our icon with the notifier watcher
  (maybe no tray is running?)", "failed to connect to DBus: …" (no session bus), the tray's own sudo/doas
  warning: kind `systray-failed` (TS-CLI-SYSTRAY-FAILED), never `service-not-running`.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json


def _kinds(document: dict[str, Any]) -> list[str]:
    return [error["kind"] for error in document.get("windows") or []]


def _finding(document: dict[str, Any], rule: str) -> dict[str, Any]:
    found = [f for f in document["findings"] if f["rule"] == rule]
    assert len(found) == 1, (rule, [f["rule"] for f in document["findings"]])
    return found[0]


# How a one-line message reaches a paste: bare, quoted (the iOS message was), in backticks, in a markdown
# fence, as a chat client doubled its spaces, under a Go log stamp.
WRAPPINGS = [
    ("", ""),
    ('"', '"'),
    ("`", "`"),
    ("```\n", "\n```"),
    ("```log\n", "\n```"),
    ("2025/10/10 19:51:39 ", ""),
    ("> ", ""),
]

# --------------------------------------------------------------------------- the VPN tunnel does not start

TUNNEL_MESSAGES = [
    (
        "An issue in this version of iOS is preventing the Tailscale tunnel from starting. Reboot your iPhone "
        "and open Tailscale again to fix this",
        "Reboot the iPhone",
    ),
    (
        "An issue in this version of iOS is preventing the Tailscale tunnel from starting. Reboot your iPad and "
        "open Tailscale again to fix this.",
        "Reboot the iPhone",
    ),
    ("Oops! The Tailscale network extension failed to start.", "Network Extensions"),
    ("The Tailscale network extension failed to start", "Network Extensions"),
    ("The operation couldn’t be completed. (NEVPNErrorDomain error 1.)", "allow the VPN configuration"),
    ("Could not start Tailscale: The operation couldn't be completed. (NEVPNErrorDomain error 2.)", "VPN"),
    ("NEVPNErrorDomain error 5", "allow the VPN configuration"),
    ('Error Domain=NEVPNErrorDomain Code=1 "(null)"', "allow the VPN configuration"),
    ('startVPNTunnel failed: Error Domain=NEVPNErrorDomain Code=4 "The VPN configuration is stale"', "VPN"),
    ("Failed to allow VPN configuration", "allow the VPN configuration"),
    ("Tailscale failed to add the VPN configuration.", "allow the VPN configuration"),
    ("Can't add a VPN configuration for Tailscale", "allow the VPN configuration"),
]


@settings(max_examples=60, deadline=None)
@given(message=st.sampled_from(TUNNEL_MESSAGES), wrapping=st.sampled_from(WRAPPINGS), spaced=st.booleans())
def test_tunnel_start_failures_are_read_in_any_wrapping(
    message: tuple[str, str], wrapping: tuple[str, str], spaced: bool
) -> None:
    text, fix_word = message
    if spaced:
        text = text.replace(" ", "  ", 2)
    paste = f"{wrapping[0]}{text}{wrapping[1]}\n"
    document = run_json(paste)
    assert _kinds(document) == ["tunnel-start-failed"], paste
    finding = _finding(document, "TS-CLI-TUNNEL-START-FAILED")
    assert finding["severity"] == "error"
    assert fix_word in finding["fix"], (paste, finding["fix"])
    assert "service" not in finding["title"].lower()


WINDOWS_BOX = """---------------------------
Tailscale Error
---------------------------
Failed to connect to Tailscale service.

Version {version} (te5d341d96-g01ef76851)

LogID: e4a1266ee74d52d778e98a177c528bea225541b647076c10af8847750c4d1dbf
(Ctrl-C to copy this text)

---------------------------
OK{blanks}
---------------------------
"""


@pytest.mark.parametrize("version", ["1.56.1", "1.58.0", "1.62.0"])
@pytest.mark.parametrize("first", ["ios", "windows"])
def test_ios_tunnel_message_beside_a_windows_gui_box_is_both(version: str, first: str) -> None:
    ios = (
        '"An issue in this version of iOS is preventing the Tailscale tunnel from starting. Reboot your iPhone '
        'and open Tailscale again to fix this"\n'
    )
    box = WINDOWS_BOX.format(version=version, blanks="   ")
    between = "\nI also have an error on my Windows PC following the same update.\n\n"
    paste = ios + between + box if first == "ios" else box + between + ios
    document = run_json(paste)
    assert sorted(_kinds(document)) == ["gui-cannot-connect", "tunnel-start-failed"], paste
    _finding(document, "TS-CLI-TUNNEL-START-FAILED")


@pytest.mark.parametrize(
    "prose",
    [
        "After setting up the system extension the Allow VPN Configuration button does nothing.",
        "The VPN configuration was added and the tunnel started fine.",
        "NEVPNErrorDomain is Apple's error domain for VPN configuration problems.",
        "I restarted the tunnel and it came up.",
    ],
)
def test_prose_about_vpn_configurations_is_no_refusal(prose: str) -> None:
    document = run_json(f"{prose}\n$ tailscale status\n100.101.102.103  iphone  alice@  iOS  -\n")
    assert "tunnel-start-failed" not in _kinds(document), prose


# --------------------------------------------------------------------------- the Linux tray cannot register

REGISTER_REASONS = [
    "The name org.kde.StatusNotifierWatcher was not provided by any .service files",
    "The name is not activatable",
    "org.freedesktop.DBus.Error.ServiceUnknown: The name org.kde.StatusNotifierWatcher was not provided by any "
    ".service files",
]
SYSTRAY_MESSAGES = [
    *((f"systray error: failed to register: {reason}", "AppIndicator") for reason in REGISTER_REASONS),
    (
        "systray error: failed to register our icon with the notifier watcher (maybe no tray is running?): "
        "The name org.kde.StatusNotifierWatcher was not provided by any .service files",
        "AppIndicator",
    ),
    ("systray error: failed to connect to DBus: dbus: couldn't determine address of session bus", "operator"),
    (
        'systray error: failed to connect to DBus: exec: "dbus-launch": executable file not found in $PATH',
        "enable-startup=systemd",
    ),
    ("It appears that you might be running the systray with sudo/doas.", "not with sudo"),
    ("systray error: failed to register signal matching: read unix @->/run/user/1000/bus: EOF", "desktop user"),
    ("systray error: failed to export status notifier item: dbus: connection closed by user", "desktop user"),
]
COMMANDS = ["", "$ tailscale systray\n", "$ sudo tailscale systray\n", "I run `sudo tailscale systray`.\n\n"]


@settings(max_examples=80, deadline=None)
@given(
    message=st.sampled_from(SYSTRAY_MESSAGES),
    wrapping=st.sampled_from(WRAPPINGS),
    command=st.sampled_from(COMMANDS),
    starting=st.booleans(),
)
def test_systray_failures_are_read_in_any_wrapping(
    message: tuple[str, str], wrapping: tuple[str, str], command: str, starting: bool
) -> None:
    text, fix_word = message
    head = "2025/10/10 19:51:39 starting\n" if starting and "\n" in wrapping[0] else ""
    paste = f"{command}{wrapping[0]}{head}{text}{wrapping[1]}\n"
    document = run_json(paste)
    assert _kinds(document) == ["systray-failed"], paste
    finding = _finding(document, "TS-CLI-SYSTRAY-FAILED")
    assert fix_word in finding["fix"], (paste, finding["fix"])
    rules = {f["rule"] for f in document["findings"]}
    assert not any("SERVICE-NOT-RUNNING" in rule for rule in rules), rules


def test_systray_failure_beside_a_tailscaled_answer_is_still_the_tray() -> None:
    paste = (
        "$ tailscale status\n100.101.102.103  laptop  alice@  linux  -\n"
        "$ sudo tailscale systray\n"
        "2025/10/10 19:51:39 starting\n"
        "2025/10/10 19:51:39 systray error: failed to register: The name is not activatable\n"
    )
    document = run_json(paste)
    assert "systray-failed" in _kinds(document), paste
    assert "not with sudo" in _finding(document, "TS-CLI-SYSTRAY-FAILED")["fix"]


@pytest.mark.parametrize(
    "line",
    [
        # other programs' trays (Wails' D-Bus systray) and prose about the tray are not Tailscale's tray failing
        "dbusSystray error: failed to connect to DBus: no session bus",
        "The systray shows the exit node menu.",
        "I started tailscale systray and the icon appeared.",
    ],
)
def test_other_trays_and_prose_are_no_systray_failure(line: str) -> None:
    document = run_json(f"{line}\n$ tailscale status\n100.101.102.103  laptop  alice@  linux  -\n")
    assert "systray-failed" not in _kinds(document), line


SUDO_RUN = """$ sudo tailscale systray
2025/10/10 19:51:39 starting

It appears that you might be running the systray with sudo/doas.
This can lead to issues with D-Bus, and should be avoided.

The systray application should be run with the same user as your desktop session.
This usually means that you should run the application like:

tailscale systray

See https://tailscale.com/kb/1597/linux-systray for more information.
2025/10/10 19:51:39 systray error: failed to register: {reason}
"""


@pytest.mark.parametrize("reason", REGISTER_REASONS)
def test_a_whole_sudo_run_is_one_tray_finding(reason: str) -> None:
    document = run_json(SUDO_RUN.format(reason=reason))
    assert set(_kinds(document)) == {"systray-failed"}
    finding = _finding(document, "TS-CLI-SYSTRAY-FAILED")
    assert "sudo" in finding["cause"] and "not with sudo" in finding["fix"]
    assert document["findings"] == [finding]
