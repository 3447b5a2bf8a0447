"""Every JSON document's ``kind`` is spelled one way: the command path, lower case, joined by dots.

The list below is every kind opskit emits; the ones an offline command can produce are checked by
running the command, the live ones (check, probe, headscale) in their own suites."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest

from opskit.output.console import Kind

REPO = Path(__file__).resolve().parents[2]

EVERY_KIND = [
    "render",
    "lint",
    "lint.rules",
    "lint.rule",
    "check.harbor",
    "check.resolver",
    "probe.slowloris",
    "diagnose",
    "diagnose.rules",
    "diagnose.rule",
    "headscale.tenants",
    "headscale.migrate.plan",
    "headscale.migrate.apply",
    "headscale.migrate.rollback",
    "sockets.list",
    "sockets.kill",
    "sockets.explain",
    "error",
]


def test_the_kinds_are_the_listed_ones_in_one_spelling() -> None:
    assert [str(kind) for kind in Kind] == EVERY_KIND
    for kind in EVERY_KIND:
        assert re.fullmatch(r"[a-z]+(\.[a-z]+)*", kind), kind


def test_every_kind_is_emitted_somewhere() -> None:
    """A kind nobody emits is a stale entry (or a document that lost its kind)."""
    used: set[str] = set()
    for path in (REPO / "opskit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Kind":
                used.add(node.attr)
    assert {kind.name for kind in Kind} <= used


def test_the_docs_show_only_real_kinds() -> None:
    shown: dict[str, str] = {}
    for doc in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for pattern in (r'"opskit":\s*1,\s*"kind":\s*"([^"]+)"', r'`kind: "([^"]+)"`', r'`"kind": "([^"]+)"`'):
            for match in re.finditer(pattern, text):
                shown[match.group(1)] = doc.name
    assert shown, "the pattern no longer finds the documented kinds"
    assert {kind: where for kind, where in shown.items() if kind not in EVERY_KIND} == {}


def _write_spec(tmp_path: Path) -> list[str]:
    spec = REPO / "examples" / "harbor-three-entries.yaml"
    return ["render", str(spec), "--check", "-o", str(tmp_path / "out")]


OFFLINE_RUNS: list[tuple[str, Any]] = [
    ("render", _write_spec),
    ("lint", lambda tmp: ["lint", str(REPO / "tests/lint/scenarios/s3-k8s-gateway-original.conf")]),
    ("lint.rules", lambda tmp: ["lint", "--list-rules"]),
    ("lint.rule", lambda tmp: ["lint", "--explain", "NGX101"]),
    ("diagnose.rules", lambda tmp: ["diagnose", "--list-rules"]),
    ("diagnose", lambda tmp: ["diagnose", str(next((REPO / "tests/diagnose/samples/netcheck").glob("*.txt")))]),
    ("sockets.explain", lambda tmp: ["sockets", "explain", "dport = 443"]),
]


@pytest.mark.parametrize(("kind", "args"), OFFLINE_RUNS, ids=[kind for kind, _ in OFFLINE_RUNS])
def test_offline_commands_emit_their_kind(cli: Any, tmp_path: Path, kind: str, args: Any) -> None:
    result = cli([*args(tmp_path), "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    document = json.loads(result.stdout)
    assert document["opskit"] == 1 and document["kind"] == kind


def test_json_documents_are_built_in_output_only() -> None:
    """No ``to_json`` method on core/adapters/app types, and only output/ writes a document (the CLI and
    the use cases call no ``json.dumps`` either; core may, for file formats such as the journal)."""
    misplaced: list[str] = []
    for path in sorted((REPO / "opskit").rglob("*.py")):
        relative = path.relative_to(REPO / "opskit").as_posix()
        if relative.startswith("output/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name == "to_json":
                misplaced.append(f"{relative}:{node.lineno} defines to_json")
            called = getattr(node.func, "id", getattr(node.func, "attr", "")) if isinstance(node, ast.Call) else ""
            if called == "emit_json" or (called in ("dumps", "dump") and relative.startswith(("cli/", "app/"))):
                misplaced.append(f"{relative}:{node.lineno} calls {called}")
    assert misplaced == []
