"""Each command's output module is used through one entry point, ``show(result, fmt)``: the CLI imports
nothing else from it except the live helpers that run *during* a command (progress, hook lines). The
rule listings of lint and diagnose (documentation, not a run's result) live in output/rules.py."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "opskit"

COMMAND_OUTPUTS = {"check", "diagnose", "headscale", "lint", "probe", "render", "sockets"}
ALSO_ALLOWED = {
    "probe": {"watch"},  # the live progress line while connections are held
    "headscale": {"hook_printer"},  # hook output streamed while apply runs
}


def _output_imports(path: Path) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("opskit.output."):
            module = node.module.removeprefix("opskit.output.")
            found.update((module, alias.name) for alias in node.names)
    return found


def test_the_cli_uses_each_command_output_through_show() -> None:
    stray = sorted(
        (path.name, module, name)
        for path in (PACKAGE / "cli").glob("*.py")
        for module, name in _output_imports(path)
        if module in COMMAND_OUTPUTS and name != "show" and name not in ALSO_ALLOWED.get(module, set())
    )
    assert stray == []


def test_every_command_output_module_has_show() -> None:
    for module in sorted(COMMAND_OUTPUTS):
        tree = ast.parse((PACKAGE / "output" / f"{module}.py").read_text(encoding="utf-8"))
        functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        assert "show" in functions, module
