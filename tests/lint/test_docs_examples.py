"""The example runs in docs/lint.md are real output: re-run them and compare."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = Path(__file__).parent / "scenarios"
BLOCK = re.compile(r"```\n\$ (opskit lint [^\n]*)\n(.*?)```", re.S)


def _examples() -> list[tuple[str, str]]:
    found = []
    for command, output in BLOCK.findall((ROOT / "docs" / "lint.md").read_text()):
        args = shlex.split(command)[1:]
        if all((SCENARIOS / a).exists() for a in args[1:] if not a.startswith("-")):
            found.append((command, output.split("\n$ ", 1)[0].rstrip("\n")))
    return found


EXAMPLES = _examples()


def test_docs_have_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_docs_example_output_is_current(cli, monkeypatch, command: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(SCENARIOS)
    result = cli(shlex.split(command)[1:])
    assert result.stdout.rstrip("\n") == expected
