"""Catalog test: the families the log sweep (tests/diagnose/log_sweep.py) still left unread after fix25-logs.

Read from tailscale/tailscale's source (HEAD de9ec7ee2 and `git log -S` for the first version of each wording):
tailscaled's own auto-update (feature/clientupdate, ipn/ipnlocal before v1.80) and the Windows wintun.dll pre-load.
Each entry runs under the shared line prefixes (journald, Go log stamp, container, syslog, macOS, Windows).
"""

from __future__ import annotations

from tests.diagnose.log_catalog import (
    LOG_PREFIXES,
    Entry,
    catalog_test,
    entries_read_right,
    entry,
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
    _e(
        ("c2n: update command failed: exit status 1, output: something failed", "c2n: update attempt complete"),
        "none",
        "feature/clientupdate/clientupdate.go:467,469: a later attempt that completes",
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
    # the Windows service's IPN server failing exits tailscaled (log.Fatalf); Run never returns a cancelation
    _e(
        # (a line naming the pipe \\.\pipe\ProtectedPrefix\… is the CLI's unless its prefix names tailscaled)
        "ipnserver: ipnserver.Run: use of closed network connection",
        "crash",
        "cmd/tailscaled/tailscaled_windows.go:349 + tailscaled.go:641 (wrapped so since v1.20)",
    ),
    _e(
        "ipnserver: http: TLS handshake error from 127.0.0.1:5000: EOF",
        "none",
        "ipn/ipnserver/server.go:539 (the LocalAPI server's own error log)",
    ),
    # ------------------------------------------------ the state file another process holds (Windows) or cannot write
    _e(
        "getLocalBackend error: store.New: open C:\\ProgramData\\Tailscale\\server-state.conf: The process cannot "
        "access the file because it is being used by another process.",
        "crash state-unwritable",
        "cmd/tailscaled/tailscaled.go:636 and :701 (v1.34+; exits when no health tracker)",
    ),
    _e(
        "store.New failed: open C:\\ProgramData\\Tailscale\\server-state.conf: The process cannot access the file "
        "because it is being used by another process.; starting with in-memory store with a health warning",
        "state-unwritable",
        "cmd/tailscaled/tailscaled.go:703 (v1.92+)",
    ),
    _e(
        "failed to save updated and reconciled prefs (but still using updated prefs in memory): open "
        "/var/lib/tailscale/tailscaled.state.tmp: read-only file system",
        "state-unwritable",
        "ipn/ipnlocal/local.go:3140 (v1.86+)",
    ),
    _e(
        "failed to save exit node changes: rename /var/lib/tailscale/tailscaled.state.tmp "
        "/var/lib/tailscale/tailscaled.state: permission denied",
        "state-unwritable",
        "ipn/ipnlocal/local.go:7222 (v1.86+)",
    ),
    # ------------------------------------------------ envknob: the knobs set are listed once at start (routine)
    _e('envknob: TS_DEBUG_FIREWALL_MODE="nftables"', "none", "envknob/envknob.go:85 (v1.22+)"),
    _e('envknob: TS_NO_LOGS_NO_SUPPORT="true"', "none", "envknob/envknob.go:85 (v1.22+)"),
    # ------------------------------------------------ BIRD (--bird-socket, HA subnet routers): no socket, no engine
    # tailscaled exits; this is not the TUN device (chirp.New's error inside NewUserspaceEngine's); bird-failed says why
    _e(
        'wgengine.NewUserspaceEngine(tun "tailscale0") error: failed to connect to BIRD: dial unix '
        "/var/run/bird/bird.ctl: connect: no such file or directory",
        "crash bird-failed",
        "cmd/tailscaled/tailscaled.go:763 + chirp/chirp.go:29 (v1.16+)",
    ),
    _e("wgengine: connecting to BIRD at /var/run/bird/bird.ctl ...", "none", "feature/bird/bird.go:51 (v1.102+)"),
    # ------------------------------------------------ Taildrive: su runs the file server as the share's owner (after
    # sudo in v1.68-v1.72 and v1.88+, alone in v1.76-v1.86); with neither, a root tailscaled will not serve as root
    # ("%q is root") and the user server keeps restarting: drive-failed, keyed su (blind 26, 1282); a later
    # "starting taildrive file server …" clears it
    _e(
        'can\'t find su command: exec: "su": executable file not found in $PATH',
        "drive-failed",
        "drive/driveimpl/remote_impl.go:434 (v1.68+)",
    ),
    _e("su check failed: exit status 1", "drive-failed", "drive/driveimpl/remote_impl.go:445 (v1.68+)"),
    # ------------------------------------------------ control's map stream cut (verbose, reconnects) and shutdown
    _e("netmap: Do: context canceled", "none", "control/controlclient/direct.go:1229 (vlogf, v1.0+)"),
    _e(
        "netmap: decode error: invalid character '\\x00' looking for beginning of value",
        "none",
        "control/controlclient/direct.go:1333 (vlogf)",
    ),
    _e(
        "failed to log out ephemeral node on shutdown after 5s: context deadline exceeded",
        "none",
        "ipn/ipnlocal/local.go:1330 (v1.50+; control removes the ephemeral node itself)",
    ),
    # ------------------------------------------------ logged on every node without a state directory, lock or not
    _e(
        "cannot fetch existing TKA state; no state directory for tailnet-lock",
        "none",
        "ipn/ipnlocal/tailnet-lock.go:92 (v1.100+; the no-tailnet-lock-state-dir warnable says when lock is on)",
    ),
    _e(
        "peerapi: failed to do peerAPI listen, harmless (netstack available) but error was: listen tcp4 "
        "100.101.102.103:0: bind: cannot assign requested address",
        "none",
        "ipn/ipnlocal/peerapi.go:123",
    ),
]

test_each_message_reads_as_an_expert_reads_it = catalog_test(rotating_cases(CATALOG, PREFIXES, NOT_PROBLEMS))


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
