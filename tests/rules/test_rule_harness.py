"""One harness for every rule of every tool (lint and diagnose share opskit.core.rules).

Per rule: a *Why*, a docstring *Bad* example that fires and a *Good* one that does not, and a fixture
folder <tool tests>/rules/<RULE_ID>/ with at least one firing ``bad_*`` and one non-firing ``good_*``
case. A rule without them fails here; so does a fixture folder without a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from opskit.core.diagnose.rules import all_rules as diagnose_rules
from opskit.core.findings import Finding
from opskit.core.lint.catalog import all_rules as lint_rules
from opskit.core.rules import Rule
from tests.diagnose.conftest import RULE_FIXTURES as DIAGNOSE_FIXTURES
from tests.diagnose.conftest import run_example, run_fixture
from tests.lint.conftest import RULE_FIXTURES as LINT_FIXTURES
from tests.lint.conftest import lint_example


@dataclass(frozen=True)
class Tool:
    """How one tool runs a docstring example and a fixture (file or folder) through its real engine."""

    name: str
    rules: tuple[Rule, ...]
    fixtures: Path
    run_example: Callable[[str, Rule], list[Finding]]
    run_fixture: Callable[[Path, Rule], list[Finding]]


TOOLS = (
    Tool(
        "lint",
        lint_rules(),
        LINT_FIXTURES,
        lambda text, rule: lint_example(text, rule),
        lambda path, rule: lint_example(path.read_text(), rule),
    ),
    Tool(
        "diagnose",
        diagnose_rules(),
        DIAGNOSE_FIXTURES,
        lambda text, rule: list(run_example(text, rule.info.target).findings),
        lambda path, _rule: list(run_fixture(path)[0].findings),
    ),
)
RULES = [(tool, rule) for tool in TOOLS for rule in tool.rules]
RULE_IDS = [f"{tool.name}-{rule.id}" for tool, rule in RULES]


def _fixtures(prefix: str) -> list[tuple[Tool, Rule, Path]]:
    return [
        (tool, rule, path)
        for tool, rule in RULES
        for path in sorted((tool.fixtures / rule.id).glob(f"{prefix}_*"))
        if not path.name.endswith("~")
    ]


def _fixture_id(case: object) -> str:
    return case.name if isinstance(case, Path) else case.id if isinstance(case, Rule) else str(case)


def _fired(findings: list[Finding], rule: Rule) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule.id]


def test_rule_ids_are_unique_across_tools() -> None:
    ids = [rule.id for _, rule in RULES]
    assert len(ids) == len(set(ids))
    assert all(rule.info.tool == tool.name for tool, rule in RULES)


@pytest.mark.parametrize(("tool", "rule"), RULES, ids=RULE_IDS)
def test_rule_has_docs_and_fixtures(tool: Tool, rule: Rule) -> None:
    assert rule.info.summary and rule.info.family and rule.info.name
    assert rule.section("why"), f"{rule.id}: the docstring needs a *Why*"
    assert rule.examples("bad"), f"{rule.id}: the docstring needs a *Bad* example"
    assert rule.examples("good"), f"{rule.id}: the docstring needs a *Good* example"
    folder = tool.fixtures / rule.id
    assert list(folder.glob("bad_*")), f"{folder} needs at least one firing bad_* fixture"
    assert list(folder.glob("good_*")), f"{folder} needs at least one non-firing good_* fixture"


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.name)
def test_no_fixture_folder_without_a_rule(tool: Tool) -> None:
    folders = {p.name for p in tool.fixtures.iterdir() if p.is_dir() and not p.name.startswith("__")}
    known = {rule.id for rule in tool.rules}
    assert folders <= known, f"fixtures for unknown rules: {sorted(folders - known)}"


@pytest.mark.parametrize(("tool", "rule"), RULES, ids=RULE_IDS)
def test_docstring_bad_example_fires(tool: Tool, rule: Rule) -> None:
    for example in rule.examples("bad"):
        fired = _fired(tool.run_example(example, rule), rule)
        assert fired, f"{rule.id} *Bad* example raised nothing:\n{example}"
        for finding in fired:
            assert finding.cause and finding.fix and finding.evidence
            assert finding.title == rule.info.summary or finding.title


@pytest.mark.parametrize(("tool", "rule"), RULES, ids=RULE_IDS)
def test_docstring_good_example_does_not_fire(tool: Tool, rule: Rule) -> None:
    for example in rule.examples("good"):
        fired = _fired(tool.run_example(example, rule), rule)
        assert not fired, f"{rule.id} *Good* example fired: {[f.cause for f in fired]}\n{example}"


@pytest.mark.parametrize(("tool", "rule", "path"), _fixtures("bad"), ids=_fixture_id)
def test_bad_fixture_fires(tool: Tool, rule: Rule, path: Path) -> None:
    fired = _fired(tool.run_fixture(path, rule), rule)
    assert fired, f"{path} should raise {rule.id}"
    assert all(f.cause and f.fix and f.evidence for f in fired)


@pytest.mark.parametrize(("tool", "rule", "path"), _fixtures("good"), ids=_fixture_id)
def test_good_fixture_does_not_fire(tool: Tool, rule: Rule, path: Path) -> None:
    fired = _fired(tool.run_fixture(path, rule), rule)
    assert not fired, f"{path} should not raise {rule.id}: {[f.cause for f in fired]}"
