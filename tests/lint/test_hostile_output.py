"""A config's file name and content are outside text: markup and terminal escapes are shown, not obeyed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from tests.support.hostile import hostile_text, terminal_safe

# HAP101 fires on this frontend (no `timeout http-request`): the finding quotes the line and the file name.
_CONFIG = "defaults\n    mode http\n    timeout client 30s\n\nfrontend {name}\n    bind :80\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=hostile_text)
def test_hostile_file_names_and_lines_render_terminal_safe(cli: Any, tmp_path: Path, junk: str) -> None:
    name = "".join(ch for ch in junk if ch not in "/\x00\n") or "x"
    directory = tmp_path / str(abs(hash(junk)))
    directory.mkdir(exist_ok=True)
    config = directory / f"haproxy{name}.cfg"
    frontend = "".join(ch for ch in junk if not ch.isspace() and ch != "#") or "fe"
    config.write_text(_CONFIG.format(name=frontend), encoding="utf-8")
    result = cli(["lint", str(config)])
    assert result.exit_code in (0, 1, 2), result.stderr
    assert terminal_safe(result.stdout), repr(result.stdout)
    assert terminal_safe(result.stderr), repr(result.stderr)


def test_markup_and_escapes_in_a_file_name_are_visible(cli: Any, tmp_path: Path) -> None:
    config = tmp_path / "[bold red]edge[red]\x1b[2J\u202e.cfg"
    config.write_text(_CONFIG.format(name="web\x1b]0;pwned\x07[link=https://evil.example]x"), encoding="utf-8")
    result = cli(["lint", str(config)])
    assert result.exit_code == 1, result.stdout + result.stderr
    assert terminal_safe(result.stdout)
    assert "[bold red]edge[red]\\x1b[2J\\u202e.cfg" in result.stdout
    assert "web\\x1b]0;pwned\\x07[link=https://evil.example]x" in result.stdout
