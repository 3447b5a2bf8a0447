"""The conventions every command shares: version, help, exit codes, no traceback for user errors."""

from __future__ import annotations

import os
import subprocess
import sys

from opskit import __version__


def test_version_in_process(cli) -> None:
    result = cli(["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"opskit {__version__}"


def test_python_dash_m_runs_as_a_real_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "opskit", "--version"], capture_output=True, text=True, timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"opskit {__version__}"


def test_short_help_flag(cli) -> None:
    result = cli(["-h"])
    assert result.exit_code == 0
    assert "Usage: opskit" in result.stdout


def test_unknown_command_is_bad_input(cli) -> None:
    result = cli(["no-such-command"])
    assert result.exit_code == 2
