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
        [sys.executable, "-m", "opskit", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
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


HEAVY_MODULES = ("pydantic", "psycopg", "httpx", "jinja2", "crossplane", "dns.resolver")


def _heavy_modules_loaded(*argv: str) -> list[str]:
    """Run one command in a fresh interpreter; which heavy modules did it import?"""
    code = (
        "import sys\n"
        "from opskit.cli.app import build_app\n"
        "try:\n"
        f"    build_app()(args={list(argv)!r}, prog_name='opskit')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('heavy modules:', ','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env={**os.environ, "NO_COLOR": "1"}
    )
    assert done.returncode == 0, done.stderr
    report = [line for line in done.stdout.splitlines() if line.startswith("heavy modules:")]
    assert len(report) == 1, done.stdout
    return [m for m in report[0].removeprefix("heavy modules:").strip().split(",") if m]


def test_light_commands_do_not_import_heavy_modules(tmp_path) -> None:
    # Start-up is most of a small command's time: typer 0.29 routes every option value through a
    # pydantic TypeAdapter (~100 ms more per command), which is why pyproject keeps typer below it.
    paste = tmp_path / "a.txt"
    paste.write_text("Report:\n* UDP: true\n* IPv4: yes, 198.51.100.7:41641\n* MappingVariesByDestIP: false\n")
    assert _heavy_modules_loaded("diagnose", str(paste)) == []
    assert _heavy_modules_loaded("sockets", "explain", "dport = 7890 and src 203.0.113.5") == []
