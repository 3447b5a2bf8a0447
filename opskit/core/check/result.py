"""One line of a check table: what was checked, how it went, and why (shared by every `check` command)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from opskit.core.findings import Evidence, Finding, Severity


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class CheckItem:
    """The outcome of one check. ``explanation`` says why it happened, ``fix`` what to change."""

    check_id: str
    title: str
    status: Status
    detail: str
    explanation: str = ""
    fix: str = ""
    millis: float | None = None

    def rule_id(self, tool: str) -> str:
        """A rule-like id for this check: ``CHK-HARBOR-TOKEN-LOGIN`` for tool ``harbor``, ``token.login``."""
        parts = [tool, *self.check_id.replace("_", ".").split(".")]
        return "CHK-" + "-".join(part.upper() for part in parts if part)

    def finding(self, tool: str, subject: str, line: int | None = None) -> Finding | None:
        """This check as a :class:`Finding` when it failed or warned (``subject``: the URL or file checked,
        ``line``: where in that file, for a row about one config line).

        Check results then reach JSON/SARIF consumers in the same shape as lint and diagnose findings.
        """
        severity = _SEVERITY.get(self.status)
        if severity is None:
            return None
        cause = f"{self.title}: {self.detail}" + (f". {self.explanation}" if self.explanation else "")
        return Finding(
            rule_id=self.rule_id(tool),
            severity=severity,
            cause=cause,
            fix=self.fix,
            evidence=(Evidence(subject, line, self.detail),),
            title=self.title,
            extra={"check": self.check_id, **({"millis": round(self.millis, 1)} if self.millis is not None else {})},
        )


_SEVERITY = {Status.FAIL: Severity.ERROR, Status.WARN: Severity.WARNING}


def check_findings(items: tuple[CheckItem, ...] | list[CheckItem], tool: str, subject: str) -> tuple[Finding, ...]:
    """The failing and warning checks of one run as findings (passes and skips are not findings)."""
    return tuple(f for f in (item.finding(tool, subject) for item in items) if f is not None)


def worst(items: tuple[CheckItem, ...] | list[CheckItem]) -> Status:
    """The overall status of a group of checks: any fail fails, else any warning warns."""
    statuses = {item.status for item in items}
    for status in (Status.FAIL, Status.WARN, Status.PASS):
        if status in statuses:
            return status
    return Status.SKIP
