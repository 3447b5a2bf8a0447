"""Every `from opskit... import name` in the package, the collection and the tests resolves.

Most imports are lazy (inside the function that needs them, for start-up speed), so a renamed module
or function would otherwise fail only when that code path runs, on a user's machine. mypy does not
catch it either: `ignore_missing_imports` treats a missing first-party module as Any.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TREES = ("opskit", "ansible_collections", "tests", "bench", "scripts")


def _opskit_imports() -> set[tuple[str, str, str]]:
    found: set[tuple[str, str, str]] = set()
    for tree in TREES:
        for path in sorted((ROOT / tree).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    if node.module == "opskit" or node.module.startswith("opskit."):
                        for alias in node.names:
                            found.add((node.module, alias.name, f"{path.relative_to(ROOT)}:{node.lineno}"))
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.name.startswith("opskit."):
                            found.add((alias.name, "", f"{path.relative_to(ROOT)}:{node.lineno}"))
    return found


IMPORTS = sorted(_opskit_imports())


def test_there_are_lazy_imports_to_check() -> None:
    assert len(IMPORTS) > 300


@pytest.mark.parametrize("module", sorted({m for m, _n, _w in IMPORTS}))
def test_imported_names_exist(module: str) -> None:
    loaded = importlib.import_module(module)
    missing = []
    for name, where in sorted((n, w) for m, n, w in IMPORTS if m == module and n and n != "*"):
        if not hasattr(loaded, name):
            try:
                importlib.import_module(f"{module}.{name}")
            except ModuleNotFoundError:
                missing.append(f"{where}: {name}")
    assert not missing, f"{module} has no " + ", ".join(missing)
