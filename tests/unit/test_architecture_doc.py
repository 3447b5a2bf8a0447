"""docs/architecture.md and its picture stay true to the source: the arrows of
``docs/img/architecture.dot`` carry the real number of import statements between the layers, and
every adapter module the layer table names exists (a module moved or renamed must move in the docs
too, as ``adapters/fs.py`` did when it split into ``input_files.py`` and ``output_files.py``)."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "opskit"
LAYERS = ("cli", "app", "output", "adapters", "core")
EDGE = re.compile(r"^\s*(\w+)\s*->\s*(\w+)\s*\[label=\"(\d+)\"\]", re.M)


def _layer_import_counts() -> Counter[tuple[str, str]]:
    """Import statements (lazy ones included) in one layer naming a module of another layer."""
    counts: Counter[tuple[str, str]] = Counter()
    for layer in LAYERS:
        for path in (PACKAGE / layer).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    modules = [node.module]
                else:
                    continue
                targets = {name.split(".")[1] for name in modules if name.startswith("opskit.")}
                for target in targets & set(LAYERS) - {layer}:
                    counts[(layer, target)] += 1
    return counts


def test_the_picture_counts_the_real_imports() -> None:
    drawn = {(source, target): int(count) for source, target, count in EDGE.findall(_dot())}
    assert drawn, "no counted arrow found in architecture.dot"
    real = _layer_import_counts()
    assert drawn == {edge: real[edge] for edge in drawn}, (
        "update the labels in docs/img/architecture.dot and re-render the .svg"
    )
    assert set(real) == set(drawn), f"layer imports not drawn: {sorted(set(real) - set(drawn))}"


def test_the_picture_is_rendered_from_the_dot_source() -> None:
    """The .svg carries every count and module name of the .dot it is drawn from."""
    svg = (REPO / "docs/img/architecture.svg").read_text(encoding="utf-8")
    for _source, _target, count in EDGE.findall(_dot()):
        assert f">{count}</text>" in svg
    for module in ("input_files", "output_files"):
        assert module in svg


def test_the_layer_table_names_adapter_modules_that_exist() -> None:
    doc = (REPO / "docs/architecture.md").read_text(encoding="utf-8")
    row = next(line for line in doc.splitlines() if line.startswith("| `opskit/adapters` |"))
    named = re.findall(r"`([a-z_]+/?)`", row.split("|")[2])
    assert len(named) >= 5
    missing = [name for name in named if not _adapter_exists(name)]
    assert not missing, f"docs/architecture.md names adapter modules that do not exist: {missing}"


def _adapter_exists(name: str) -> bool:
    if name.endswith("/"):
        return (PACKAGE / "adapters" / name / "__init__.py").is_file()
    return (PACKAGE / "adapters" / f"{name}.py").is_file()


def _dot() -> str:
    return (REPO / "docs/img/architecture.dot").read_text(encoding="utf-8")
