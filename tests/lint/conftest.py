"""Helpers for the lint tests: lint in-memory texts and fixture files with the real engine."""

from __future__ import annotations

from pathlib import Path

from opskit.core.findings import Finding
from opskit.core.lint.catalog import all_rules
from opskit.core.lint.engine import run_rules
from opskit.core.lint.inputs import example_options, workspace_from_example
from opskit.core.rules import Rule

LINT_TESTS = Path(__file__).parent
RULE_FIXTURES = LINT_TESTS / "rules"


def rule_by_id(rule_id: str) -> Rule:
    return next(r for r in all_rules() if r.id == rule_id)


def lint_example(text: str, rule: Rule | None = None, default_name: str | None = None) -> list[Finding]:
    """Findings of one rule (or all rules) on an example text (``#@ file:`` splits files)."""
    rules = [rule] if rule else list(all_rules())
    target = rule.info.target if rule else None
    forced = None if target in (None, "cross") else target
    name = default_name or ("example.cfg" if target == "haproxy" else "example.conf")
    workspace = workspace_from_example(text, name, forced)
    return list(run_rules(workspace, rules, example_options(text)).findings)
