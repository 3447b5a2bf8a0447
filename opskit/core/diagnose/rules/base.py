"""The rule decorator and the contexts rules receive.

A rule is one decorated function ``check(subject, ctx) -> Iterator[Finding]``; its id, the kind of
subject it reads, severity and summary live in the decorator, its docstring says *Why*. The
registry in ``rules/__init__.py`` lists every rule explicitly (no discovery by import side effects).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from opskit.core.diagnose.models import OsPingReport, WindowsReport
from opskit.core.diagnose.text import SourceLine
from opskit.core.findings import Evidence, Finding, Severity

SUBJECTS = ("input", "netcheck", "status", "ping", "windows", "daemon-log", "pairs", "live")


@dataclass(frozen=True)
class RuleContext:
    """Where a subject came from, and what else the same input showed."""

    label: str
    source: str
    os_ping: OsPingReport | None = None
    windows: WindowsReport | None = None
    command: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def evidence(self, *lines: SourceLine | None) -> tuple[Evidence, ...]:
        """Quote input lines (skipping missing ones and duplicates) as evidence."""
        seen: set[int] = set()
        quoted: list[Evidence] = []
        for line in lines:
            if line is None or line.number in seen:
                continue
            seen.add(line.number)
            quoted.append(Evidence(self.source, line.number if line.number > 0 else None, line.text))
        return tuple(quoted)


CheckFunction = Callable[[Any, RuleContext], Iterator[Finding]]
F = TypeVar("F", bound=CheckFunction)


@dataclass(frozen=True)
class Rule:
    rule_id: str
    subject: str
    severity: Severity
    summary: str
    check: CheckFunction
    doc: str

    def finding(
        self,
        cause: str,
        fix: str,
        evidence: tuple[Evidence, ...] = (),
        *,
        severity: Severity | None = None,
        related: tuple[Evidence, ...] = (),
        title: str = "",
        **extra: Any,
    ) -> Finding:
        """A finding of this rule; ``severity`` overrides the default for a milder variant."""
        return Finding(
            rule_id=self.rule_id,
            severity=severity or self.severity,
            cause=cause,
            fix=fix,
            evidence=evidence,
            related=related,
            title=title or self.summary,
            extra=dict(extra),
        )


def rule(rule_id: str, subject: str, severity: Severity, summary: str) -> Callable[[F], Rule]:
    """Turn a check function into a :class:`Rule` (the registry lists the resulting objects)."""
    if subject not in SUBJECTS:
        raise ValueError(f"unknown rule subject {subject!r}")

    def wrap(check: F) -> Rule:
        return Rule(rule_id, subject, severity, summary, check, (check.__doc__ or "").strip())

    return wrap
