"""Catalogued failures of the macOS Standalone app's state store: the app keeps tailscaled's state keys as
keychain items when its state is encrypted (the `EncryptState` default, on by default in recent Standalone
builds), and logs ``failed add <key> to keychain: <OSStatus>: <text>`` (under ``prefs_save`` when the write came
from saving state) when the keychain refuses an item.

The store is the closed app's, so its wording is read from real pastes; the keys are tailscaled's state keys
(ipn/serve.go ServeConfigKey: ``_serve/<profile>``, which the app names ``tailscale-serve/<profile>``). Only the
serve config's key has a kind here: its loss is a serve change that never took (``serve-failed``); the other keys
(profiles, the machine key) have no CLI kind for "state not saved" and are left unread.
"""

from __future__ import annotations

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry
from opskit.core.diagnose.models import CliErrorKind

REFUSALS: tuple[Refusal, ...] = (
    catalog_entry(
        CliErrorKind.SERVE_FAILED,
        "to keychain: ",
        r"\bfailed (?:to )?add (?P<key>(?:tailscale-|_)serve/\S+) to keychain: (?P<status>-?\d+): (?P<why>\S.*?)\s*$",
        "the macOS app could not store the serve config (state key {key}) in the system keychain (OSStatus "
        "{status}: {why}): the app keeps its state as keychain items when state encryption is on, and the keychain "
        "refused the item. `tailscale serve` printed its URL, but the config was never saved, so `tailscale serve "
        "status` stays empty and nothing is served. Not Serve disabled on the tailnet, not a port in use.",
        "Let the keychain accept the item (unlock the login keychain, check Keychain Access for a stale "
        "Tailscale item and delete it), or turn state encryption off: `defaults write "
        "io.tailscale.ipn.macsys EncryptState -bool false`, restart the app and log in again; then run `tailscale "
        "serve` again and check `tailscale serve status`.",
        "ipn/serve.go ServeConfigKey (the key); the macOS Standalone app's keychain state store (closed)",
        "prefs_save failed add tailscale-serve/1a2b3c to keychain: 100001: UNIX[Operation not permitted]",
    ),
)
