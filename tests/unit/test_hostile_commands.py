"""The commands without a live component of their own: render, sockets explain, and the error path every
command shares. Outside text (file names, typed filters) is shown, never obeyed."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from tests.support.hostile import hostile_text, terminal_safe

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_SHARED = [HealthCheck.function_scoped_fixture]


def _file_name(junk: str) -> str:
    return "".join(ch for ch in junk if ch not in "/\x00") or "x"


@settings(max_examples=10, deadline=None, suppress_health_check=_SHARED)
@given(junk=hostile_text)
def test_render_with_hostile_spec_and_output_names_is_terminal_safe(cli, tmp_path: Path, junk: str) -> None:  # type: ignore[no-untyped-def]
    directory = tmp_path / str(abs(hash(junk)))
    directory.mkdir(exist_ok=True)
    spec = directory / f"gateway{_file_name(junk)}.yaml"
    shutil.copy(EXAMPLES / "k8s-gateway-nginx.yaml", spec)
    result = cli(["render", str(spec), "-o", str(directory / f"out{_file_name(junk)}")])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert terminal_safe(result.stdout) and terminal_safe(result.stderr), repr(result.stdout)


@settings(max_examples=40, deadline=None, suppress_health_check=_SHARED)
@given(junk=hostile_text)
def test_error_messages_quoting_outside_text_are_terminal_safe(cli, tmp_path: Path, junk: str) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / f"missing{_file_name(junk)}.conf"
    for args in (["lint", str(missing)], ["sockets", "explain", f"dport = {junk}"], ["diagnose", str(missing)]):
        result = cli(args)
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert terminal_safe(result.stdout) and terminal_safe(result.stderr), repr(result.stderr)


def test_a_hostile_file_name_in_an_error_is_visible(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli(["lint", str(tmp_path / "[bold]x[red]\x1b[2J\u202e.conf")])
    assert result.exit_code == 2
    assert "[bold]x[red]\\x1b[2J\\u202e.conf" in result.stderr, result.stderr
