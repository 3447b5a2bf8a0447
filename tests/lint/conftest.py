"""Helpers for the lint tests: lint in-memory texts and fixture files with the real engine."""

from __future__ import annotations

from pathlib import Path

from opskit.core.findings import Finding
from opskit.core.lint.catalog import all_rules
from opskit.core.lint.engine import run_rules
from opskit.core.lint.inputs import example_options, workspace_from_example
from opskit.core.lint.workspace import Workspace
from opskit.core.rules import Rule
from tests.support.tools import require_binary

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
    if rule is not None and rule.info.validator:
        return validated_example(workspace, rule)
    return list(run_rules(workspace, rules, example_options(text)).findings)


def validated_example(workspace: Workspace, rule: Rule) -> list[Finding]:
    """NGX000/HAP000: what the real binary rejects in the example (lint --validate's path)."""
    from opskit.adapters.validate import INSTALL_HINTS, validate_lint_plan
    from opskit.core.lint.validation import findings_from_output, plan_haproxy, plan_nginx

    tool = rule.info.target
    require_binary(tool, INSTALL_HINTS[tool])
    plans = [plan_nginx(c) for c in workspace.nginx] if tool == "nginx" else [plan_haproxy(workspace.haproxy)]
    found: list[Finding] = []
    for plan in plans:
        checked = validate_lint_plan(plan)
        found += findings_from_output(plan, checked.ok, checked.output)
    return found
