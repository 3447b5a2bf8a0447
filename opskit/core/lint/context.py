"""What a rule sees besides the tree: options (target nginx version) and a finding builder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from opskit.core.findings import Evidence, Finding, Severity
from opskit.errors import InputError


@dataclass(frozen=True)
class LintOptions:
    """Options given on the command line that change what rules conclude."""

    nginx_version: tuple[int, int, int] | None = None


def parse_version(text: str) -> tuple[int, int, int]:
    """``1.27.3`` → (1, 27, 3); a clear InputError for anything else."""
    parts = text.strip().split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise InputError.option("--nginx-version", f"{text!r} is not a version like 1.22.1")
    numbers = [int(p) for p in parts] + [0] * (3 - len(parts))
    return numbers[0], numbers[1], numbers[2]


@dataclass(frozen=True)
class RuleContext:
    """Handed to each rule: the options plus a builder that stamps the rule's id and severity."""

    options: LintOptions
    rule_id: str
    severity: Severity
    title: str

    @property
    def nginx_version(self) -> tuple[int, int, int] | None:
        return self.options.nginx_version

    def finding(
        self, cause: str, fix: str, evidence: Iterable[Evidence], related: Iterable[Evidence] = ()
    ) -> Finding:
        """A finding of this rule: one-sentence cause, the fix as config lines, where it shows."""
        return Finding(
            rule_id=self.rule_id,
            severity=self.severity,
            cause=cause,
            fix=fix,
            evidence=tuple(evidence),
            related=tuple(related),
            title=self.title,
        )
