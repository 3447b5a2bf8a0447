"""Catalog test: the families the log sweep (tests/diagnose/log_sweep.py) still left unread after fix25-logs.

Read from tailscale/tailscale's source (HEAD de9ec7ee2 and `git log -S` for the first version of each wording):
tailscaled's own auto-update (feature/clientupdate, ipn/ipnlocal before v1.80) and the Windows wintun.dll pre-load.
Each entry runs under the shared line prefixes (journald, Go log stamp, container, syslog, macOS, Windows).
"""

from __future__ import annotations

import pytest

from tests.diagnose.log_catalog import (
    LOG_PREFIXES,
    Entry,
    entries_read_right,
    entry,
    expected_reading,
    read,
    rotating_cases,
)

PREFIXES = LOG_PREFIXES
NOT_PROBLEMS = frozenset(("log-upload-failing",))
_e = entry

CATALOG: list[Entry] = [
    # ------------------------------------------------ tailscaled's auto-update (c2n /update, offline auto-update)
    # the `tailscale update` it started exited non-zero: the update did not finish (c2n since v1.50, offline v1.68)
    _e(
        "c2n: update command failed: exit status 1, output: Error: apt-get install failed: exit status 100",
        "update-failed",
        "feature/clientupdate/clientupdate.go:467 (v1.50+, ipn/ipnlocal/c2n.go before v1.80)",
    ),
    _e(
        "offline auto-update: update command failed: exit status 1, output: failed to verify package signature",
        "update-failed",
        "feature/clientupdate/clientupdate.go:467 (v1.68+)",
    ),
    # starting the update failed (no cmd/tailscale beside tailscaled, versions differ, exec failed)
    _e(
        'offline auto-update: failed: failed to find cmd/tailscale binary: exec: "tailscale": executable file not '
        "found in $PATH",
        "update-failed",
        "feature/clientupdate/clientupdate.go:529 (v1.68+)",
    ),
    _e(
        'offline auto-update: failed: cmd/tailscale version "1.76.1-t2d5c1f8e3" does not match tailscaled version '
        '"1.78.0-t7a8b9c0d1"',
        "update-failed",
        "feature/clientupdate/clientupdate.go:529 (v1.68+)",
    ),
    _e(
        "c2n: POST /update failed: failed to start cmd/tailscale update: fork/exec /usr/bin/tailscale: permission "
        "denied",
        "update-failed",
        "feature/clientupdate/clientupdate.go:255 (v1.50+)",
    ),
    # routine: control asked, the node declines by design (auto-updates off, platform without updater, SSH active)
    _e("c2n: POST /update failed: not enabled", "none", "feature/clientupdate/clientupdate.go:255 (v1.50+)"),
    _e("c2n: POST /update failed: not supported", "none", "feature/clientupdate/clientupdate.go:255 (v1.50+)"),
    _e(
        "c2n: POST /update failed: not updating due to active SSH connections",
        "none",
        "feature/clientupdate/clientupdate.go:255 (v1.64+)",
    ),
    _e("c2n: POST /update received", "none", "feature/clientupdate/clientupdate.go:251 (v1.50+)"),
    _e("c2n: update attempt complete", "none", "feature/clientupdate/clientupdate.go:469 (v1.50+)"),
    _e("offline auto-update: starting update checks", "none", "feature/clientupdate/clientupdate.go:513 (v1.68+)"),
    _e("offline auto-update: stopping update checks", "none", "feature/clientupdate/clientupdate.go:486 (v1.68+)"),
    _e(
        'offline auto-update: running "/usr/bin/tailscale update --yes"',
        "none",
        "feature/clientupdate/clientupdate.go:461 (v1.68+)",
    ),
    # ------------------------------------------------ Windows: Tailscale's own wintun.dll cannot be loaded
    # (missing, blocked by an antivirus, wrong architecture): the Wintun adapter cannot be created with it
    _e(
        'Error pre-loading "C:\\Program Files\\Tailscale\\wintun.dll": The specified module could not be found.',
        "tun-unavailable",
        "cmd/tailscaled/tailscaled_windows.go:334 (v1.54+)",
    ),
    _e(
        'Error pre-loading "C:\\Program Files\\Tailscale\\wintun.dll": Access is denied.',
        "tun-unavailable",
        "cmd/tailscaled/tailscaled_windows.go:334 (v1.54+)",
    ),
]

CASES = rotating_cases(CATALOG, PREFIXES)


@pytest.mark.parametrize(("prefix", "entry"), CASES)
def test_each_message_reads_as_an_expert_reads_it(prefix: str, entry: Entry) -> None:
    messages, expected, source = entry
    assert read(prefix, messages) == expected_reading(expected, NOT_PROBLEMS), (source, messages)


def catalog_score() -> tuple[int, int]:
    """(entries read right under every prefix, entries): the figure reported before and after a change."""
    return entries_read_right(CATALOG, PREFIXES, NOT_PROBLEMS), len(CATALOG)


def test_a_failed_auto_update_gets_the_update_rule() -> None:
    from tests.diagnose.conftest import run_json
    from tests.diagnose.log_catalog import paste

    message = "offline auto-update: failed: failed to find cmd/tailscale binary: exec: not found"
    findings = run_json(paste(PREFIXES[1], (message,)))["findings"]
    assert [f["rule"] for f in findings] == ["TS-LOG-UPDATE-FAILED"]
    assert "auto-update did not finish" in findings[0]["cause"]
    assert "sudo tailscale update" in findings[0]["fix"]
