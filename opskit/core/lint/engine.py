"""Run the selected rules over a workspace; apply suppressions; order findings by location."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintOptions
from opskit.core.lint.suppress import suppressed
from opskit.core.lint.workspace import Workspace
from opskit.core.rules import Rule


@dataclass(frozen=True)
class LintResult:
    findings: tuple[Finding, ...]
    suppressed: int
    rules_run: tuple[str, ...]
    below_threshold: int = 0  # findings that exist but rank below --min-severity (counted, not shown)


def _trees(rule: Rule, workspace: Workspace) -> list[object]:
    if rule.info.validator:
        return []  # its findings come from the real binary: see merge_validation
    if rule.info.target == "nginx":
        return list(workspace.nginx)
    if rule.info.target == "haproxy":
        return [workspace.haproxy] if workspace.haproxy is not None else []
    return [workspace] if workspace.nginx and workspace.haproxy is not None else []


def run_rules(
    workspace: Workspace, rules: Iterable[Rule], options: LintOptions, min_severity: Severity = Severity.INFO
) -> LintResult:
    """Findings of every rule at or above ``min_severity``, minus inline suppressions.

    Rules below the threshold still run so the result can say how many findings it left out.
    """
    found: list[Finding] = []
    seen: set[tuple[object, ...]] = set()
    hidden = 0
    below = 0
    line_cache: dict[str, list[str]] = {}
    ran: list[str] = []
    for rule in rules:
        ran.append(rule.id)
        for tree in _trees(rule, workspace):
            for finding in rule.run(tree, options):
                key = (finding.rule_id, finding.evidence, finding.related, finding.cause)
                if key in seen:
                    continue
                seen.add(key)
                if suppressed(finding, workspace.texts, line_cache):
                    hidden += 1
                    continue
                if finding.severity < min_severity:
                    below += 1
                    continue
                found.append(finding)
    found.sort(key=_order)
    return LintResult(tuple(found), hidden, tuple(ran), below)


def merge_validation(
    result: LintResult, found: Iterable[Finding], workspace: Workspace, min_severity: Severity
) -> LintResult:
    """``result`` plus the findings of ``lint --validate``, with the same suppression and threshold."""
    extra = list(result.findings)
    hidden, below = result.suppressed, result.below_threshold
    cache: dict[str, list[str]] = {}
    for finding in found:
        if suppressed(finding, workspace.texts, cache):
            hidden += 1
        elif finding.severity < min_severity:
            below += 1
        else:
            extra.append(finding)
    extra.sort(key=_order)
    return LintResult(tuple(extra), hidden, result.rules_run, below)


def _order(finding: Finding) -> tuple[str, int, str]:
    where = finding.primary
    return (where.file if where else "", where.line or 0 if where else 0, finding.rule_id)
