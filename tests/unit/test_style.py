"""`ruff format --check` as part of the suite (issue 14): CI runs pytest, so drift fails CI.

The whole tree was formatted in one commit at the end of the consolidation; every file, new or old,
must stay formatted (`.venv/bin/ruff format opskit tests bench scripts ansible_collections`).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.support.tools import require_binary

REPO = Path(__file__).resolve().parents[2]
CHECKED = ("opskit", "tests", "bench", "scripts", "ansible_collections")


def _ruff() -> str:
    beside_python = Path(sys.executable).parent / "ruff"
    return str(beside_python) if beside_python.exists() else require_binary("ruff", "pip install ruff")


def unformatted_files() -> set[str]:
    """Repository-relative paths that ``ruff format`` would change."""
    result = subprocess.run(
        [_ruff(), "format", "--check", "--output-format", "concise", *CHECKED],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    return {match[1] for match in re.finditer(r"^(\S+?\.pyi?):\d+:\d+: unformatted", result.stdout, re.M)}


def test_code_is_formatted_with_ruff() -> None:
    drifted = unformatted_files()
    assert not drifted, f"run `.venv/bin/ruff format {' '.join(sorted(drifted))}`"
