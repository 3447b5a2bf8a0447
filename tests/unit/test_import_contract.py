"""The layers' import contract (issue 14): core imports no I/O library and nothing from adapters, app,
cli or output; adapters import no app, cli or output; app imports no cli or output; output imports no
adapters or app; the CLI reaches side effects only through app. Checked on the source (every import
statement, lazy ones inside functions included), so a violation fails here before it ships."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "opskit"

# Libraries that do I/O, read the clock, or run things: never in the pure core.
IO_LIBRARIES = {
    "subprocess", "shutil", "select", "ctypes", "threading", "concurrent", "asyncio", "sqlite3",
    "psycopg", "httpx", "dns", "psutil", "time", "datetime", "urllib.request", "http",
}  # fmt: skip

FORBIDDEN = {
    "core": {"opskit.adapters", "opskit.app", "opskit.cli", "opskit.output"},
    "adapters": {"opskit.app", "opskit.cli", "opskit.output"},
    "app": {"opskit.cli", "opskit.output"},
    "output": {"opskit.adapters", "opskit.app"},
    "cli": {"opskit.adapters"},
}

# Modules written before the contract that still import across it; each is a consolidation still to
# do. Empty since issue 14 item 5 (the CLI reaches side effects only through app; output imports no
# adapters); it stays so: a new module, or a new import in any layer, must follow the contract.
NOT_YET_CONSOLIDATED: set[tuple[str, str]] = set()


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _violations(layer: str) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        for name in _imports(path):
            for banned in FORBIDDEN[layer]:
                if name == banned or name.startswith(banned + "."):
                    found.add((relative, banned))
            if layer == "core":
                for library in IO_LIBRARIES:
                    if name == library or name.startswith(library + "."):
                        found.add((relative, library))
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_follow_the_contract(layer: str) -> None:
    new = _violations(layer) - NOT_YET_CONSOLIDATED
    assert not new, f"imports across the layer contract: {sorted(new)}"


def test_the_allowance_only_names_real_violations() -> None:
    """An entry that no longer violates anything must be removed, so the list cannot go stale."""
    everything = set().union(*(_violations(layer) for layer in FORBIDDEN))
    assert everything >= NOT_YET_CONSOLIDATED, sorted(NOT_YET_CONSOLIDATED - everything)


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    """The scan itself works: a lazy import inside a function is found."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from opskit.adapters.pg import connection\n    import psycopg\n")
    assert {"opskit.adapters.pg", "opskit.adapters.pg.connection", "psycopg"} <= _imports(module)
