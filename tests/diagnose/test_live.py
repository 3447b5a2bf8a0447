"""`opskit diagnose --live` against a real process named tailscaled that this test starts, and a real
systemd journal (written by systemd-journal-remote, read by the real journalctl).

The Tailscale CLI is not installed on this machine, so the "CLI missing" path is tested for real
(PATH pointed at an empty directory); the psutil part inspects a real process started here: a
Python interpreter exec'd through a symlink called ``tailscaled`` so the kernel names it that way,
with the flags a hand-started daemon would carry.
"""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from opskit.adapters.tailscale_live import find_daemons, snapshot
from tests.support.tools import require_binary

pytestmark = pytest.mark.integration


@pytest.fixture
def fake_tailscaled(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    link = tmp_path / "tailscaled"
    link.symlink_to(sys.executable)
    statedir = tmp_path / "state"
    process = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
        [
            str(link),
            "-c",
            "import time; time.sleep(60)",
            f"--statedir={statedir}",
            "--state",
            str(statedir / "tailscaled.state"),
            "--port=41641",
        ]
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(d.pid == process.pid for d in find_daemons()):
            time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_finds_the_process_its_user_flags_and_that_it_was_started_by_hand(
    fake_tailscaled: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    daemon = next(d for d in find_daemons() if d.pid == fake_tailscaled.pid)
    assert daemon.name == "tailscaled"
    assert daemon.user == getpass.getuser()
    assert daemon.flag("statedir") == str(tmp_path / "state")
    assert daemon.flag("state") == str(tmp_path / "state" / "tailscaled.state")
    assert daemon.flag("port") == "41641"
    assert daemon.parent_pid == os.getpid()
    assert daemon.started_by_service_manager is False  # its parent is this test, not systemd


def test_cli_missing_is_reported_honestly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    live = snapshot()
    assert live.cli_path is None and live.runs == ()
    assert live.cli_missing_reason is not None and "not installed or not on PATH" in live.cli_missing_reason
    assert live.current_user == getpass.getuser()


def test_live_command_end_to_end(  # type: ignore[no-untyped-def]
    cli, fake_tailscaled: subprocess.Popen[bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = cli(["diagnose", "--live", "--format", "json"])
    assert result.exit_code == 1  # the hand-started daemon is a warning
    document = json.loads(result.stdout)
    ours = next(d for d in document["live"]["daemons"] if d["pid"] == fake_tailscaled.pid)
    assert ours["port"] == "41641" and ours["service_managed"] is False
    rules = {f["rule"]: f for f in document["findings"]}
    assert "TS-LIVE-CLI-MISSING" in rules
    hand = [
        f
        for f in document["findings"]
        if f["rule"] == "TS-LIVE-HAND-STARTED" and f["extra"]["pid"] == fake_tailscaled.pid
    ]
    assert len(hand) == 1 and "--port=41641" in hand[0]["cause"]
    human = cli(["diagnose", "--live"])
    assert "tailscaled on this machine" in human.stdout and str(fake_tailscaled.pid) in human.stdout


JOURNAL_REMOTE = "/usr/lib/systemd/systemd-journal-remote"


def _export_entry(stamp_us: int, pid: int, message: str, unit: str = "tailscaled.service") -> str:
    """One entry in the journal export format (the stream systemd-journal-remote turns into a journal).

    PID 1 logs about a unit with UNIT= from init.scope, as systemd does: `journalctl -u` shows those too."""
    fields = (
        f"_SYSTEMD_UNIT=init.scope\nUNIT={unit}\nSYSLOG_IDENTIFIER=systemd\n"
        if pid == 1
        else f"_SYSTEMD_UNIT={unit}\nSYSLOG_IDENTIFIER={unit.removesuffix('.service')}\n"
    )
    return (
        f"__REALTIME_TIMESTAMP={stamp_us}\n__MONOTONIC_TIMESTAMP={stamp_us % 10**9}\n"
        f"_BOOT_ID=5c0ffee05c0ffee05c0ffee05c0ffee0\n_HOSTNAME=gateway\n{fields}_PID={pid}\nPRIORITY=6\n"
        f"MESSAGE={message}\n\n"
    )


def _journal_shim(tmp_path: Path, entries: list[str]) -> Path:
    """A directory for PATH whose `journalctl` is the real one, reading a journal of these entries."""
    journalctl = require_binary("journalctl", "apt-get install systemd-journal-remote (scripts/install-system-deps.sh)")
    if not Path(JOURNAL_REMOTE).exists():
        require_binary("systemd-journal-remote", "apt-get install systemd-journal-remote")
    journal_dir = tmp_path / "journal"
    journal_dir.mkdir()
    subprocess.run(  # noqa: S603 - fixed argv
        [JOURNAL_REMOTE, "-o", str(journal_dir / "remote.journal"), "-"],
        input="".join(entries).encode(),
        check=True,
        capture_output=True,
        timeout=60,
    )
    shim = tmp_path / "shim-bin"
    shim.mkdir()
    (shim / "journalctl").write_text(f'#!/bin/sh\nexec {journalctl} --directory={journal_dir} "$@"\n')
    (shim / "journalctl").chmod(0o755)
    return shim


@pytest.fixture
def journal_shim(tmp_path: Path) -> Path:
    """The real journalctl reading a journal with a tailscaled that cannot create its TUN device."""
    start = int(time.time() * 1e6) - 60_000_000
    messages = [
        (812, 'Program starting: v1.76.1-t1234abcd, Go 1.23.1: []string{"/usr/sbin/tailscaled", '
         '"--state=/var/lib/tailscale/tailscaled.state", "--socket=/run/tailscale/tailscaled.sock", "--port=41641"}'),
        (812, "LogID: 4c0ffee04c0ffee04c0ffee04c0ffee04c0ffee04c0ffee04c0ffee04c0ffee0"),
        (812, 'wgengine.NewUserspaceEngine(tun "tailscale0") error: tstun.New("tailscale0"): '
         'CreateTUN("tailscale0") failed; /dev/net/tun does not exist'),
        (812, "flushing log."),
        (812, "logger closing down"),
        (812, 'getLocalBackend error: createEngine: tstun.New("tailscale0"): CreateTUN("tailscale0") failed; '
         "/dev/net/tun does not exist"),
        (1, "tailscaled.service: Main process exited, code=exited, status=1/FAILURE"),
        (1, "tailscaled.service: Failed with result 'exit-code'."),
    ]  # fmt: skip
    entries = [_export_entry(start + i * 1000, pid, message) for i, (pid, message) in enumerate(messages)]
    # Another unit's failure in the same journal: `-u tailscaled.service` must keep it out.
    entries.append(_export_entry(start + 9000, 90, 'CreateTUN("wg0") failed; not ours', unit="nginx.service"))
    return _journal_shim(tmp_path, entries)


def test_live_reads_tailscaleds_journal_as_a_log(  # type: ignore[no-untyped-def]
    cli, journal_shim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(journal_shim))  # no tailscale CLI; journalctl reads the test's journal
    result = cli(["diagnose", "--live", "--format", "json"])
    assert result.exit_code == 1, result.stdout
    document = json.loads(result.stdout)
    (run,) = document["live"]["runs"]
    assert run["command"].startswith("journalctl -u tailscaled.service -n 2000") and run["returncode"] == 0
    (log,) = document["daemon_logs"]
    assert log["version"].startswith("1.76.1")
    assert "tun-unavailable" in {issue["kind"] for issue in log["issues"]}
    tun = next(f for f in document["findings"] if f["rule"] == "TS-LOG-TUN-UNAVAILABLE")
    assert any("tailscaled[812]" in e["text"] for e in tun["evidence"])
    assert not any("wg0" in e["text"] for f in document["findings"] for e in f["evidence"])  # nginx's entry
    assert "Main process exited" in json.dumps(document)  # systemd's own line about the unit was read too
    human = cli(["diagnose", "--live"])
    assert "tailscaled log summary" in human.stdout and "tun-unavailable" in human.stdout


def test_a_journal_without_tailscaleds_entries_is_run_but_not_diagnosed(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # journalctl answers "-- No entries --" for a unit it has nothing of: no log, and no warning about it.
    start = int(time.time() * 1e6)
    shim = _journal_shim(tmp_path, [_export_entry(start, 90, "worker process started", unit="nginx.service")])
    monkeypatch.setenv("PATH", str(shim))
    result = cli(["diagnose", "--live", "--format", "json"])
    document = json.loads(result.stdout)
    assert [r["command"].split()[0] for r in document["live"]["runs"]] == ["journalctl"]
    assert document["daemon_logs"] == [] and document["warnings"] == [] and result.stderr == ""


@pytest.mark.parametrize(
    ("output", "entries", "hidden"),
    [
        ("-- No entries --", False, False),
        ("No journal files were found.\n-- No entries --", False, False),
        (  # journalctl as a user outside systemd-journal/adm (systemd 252's words)
            "Hint: You are currently not seeing messages from other users and the system.\n"
            "      Users in groups 'adm', 'systemd-journal' can see all messages.\n"
            "      Pass -q to turn off this notice.\n-- No entries --",
            False,
            True,
        ),
        ("No journal files were opened due to insufficient permissions.", False, True),
        ("2026-12-06T04:52:51+0000 gw tailscaled[812]: magicsock: derp-4 connected", True, False),
        ("-- Boot 5c0ffee0 --\n2026-12-06T04:52:51+0000 gw tailscaled[812]: Program starting: v1.76.1", True, False),
    ],
)
def test_journalctl_notices_are_told_from_entries(output: str, entries: bool, hidden: bool) -> None:
    from opskit.core.diagnose.live import journal_has_entries, journal_hidden_from_user

    assert journal_has_entries(output) is entries
    assert journal_hidden_from_user(output) is hidden
