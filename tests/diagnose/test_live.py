"""`opskit diagnose --live` against a real process named tailscaled that this test starts.

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
