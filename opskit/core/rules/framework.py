"""RuleInfo, Rule, the ``rule(...)`` decorator and the RuleContext every rule receives."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar, get_args

from opskit.core.findings import Evidence, Finding, Severity
from opskit.core.rules.docs import doc_examples, doc_section

LintTarget = Literal["nginx", "haproxy", "cross"]
DiagnoseTarget = Literal[
    "input",
    "netcheck",
    "status",
    "status-set",  # every status of the diagnosis at once (what one node lists of another)
    "ping",
    "windows",
    "daemon-log",
    "derp-check",
    "tailnet-lock",
    "dns-status",
    "cli-view",
    "portmap-debug",
    "pairs",
    "live",
]
CheckTarget = Literal["harbor", "resolver"]  # the `opskit check` command whose table the check belongs to
Target = LintTarget | DiagnoseTarget | CheckTarget
LINT_TARGETS: tuple[str, ...] = get_args(LintTarget)
DIAGNOSE_TARGETS: tuple[str, ...] = get_args(DiagnoseTarget)
CHECK_TARGETS: tuple[str, ...] = get_args(CheckTarget)

FactsT = TypeVar("FactsT")


@dataclass(frozen=True)
class RuleInfo:
    """What the decorator declares about a rule; ``target`` is the kind of subject it reads."""

    id: str
    name: str
    family: str
    severity: Severity
    summary: str
    target: Target
    # True for lint's NGX000/HAP000: the real binary finds these (``lint --validate``), not ``check``.
    validator: bool = False

    @property
    def tool(self) -> Literal["lint", "diagnose", "check"]:
        """The command whose input the rule reads (follows from the target)."""
        if self.target in CHECK_TARGETS:
            return "check"
        return "lint" if self.target in LINT_TARGETS else "diagnose"


@dataclass(frozen=True)
class RuleContext(Generic[FactsT]):
    """Handed to a rule with its subject: the rule's own declaration, what the tool knows besides the
    subject (``facts``: lint options, or where a pasted block came from), and a finding builder that
    stamps the rule's id, severity and summary."""

    info: RuleInfo
    facts: FactsT

    def finding(
        self,
        cause: str,
        fix: str,
        evidence: Iterable[Evidence] = (),
        related: Iterable[Evidence] = (),
        *,
        severity: Severity | None = None,
        title: str = "",
        **extra: Any,
    ) -> Finding:
        """A finding of this rule: one-sentence cause, the fix, where it shows.

        ``severity`` overrides the declared one for a milder (or graver) variant of the same problem.
        """
        return Finding(
            rule_id=self.info.id,
            severity=severity or self.info.severity,
            cause=cause,
            fix=fix,
            evidence=tuple(evidence),
            related=tuple(related),
            title=title or self.info.summary,
            extra=dict(extra),
        )


CheckFunction = Callable[[Any, RuleContext[Any]], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: its declaration, its check function and its documentation."""

    info: RuleInfo
    check: CheckFunction
    doc: str

    @property
    def id(self) -> str:
        return self.info.id

    def run(self, subject: object, facts: object) -> Iterator[Finding]:
        """The rule's findings on one subject."""
        return self.check(subject, RuleContext(self.info, facts))

    def section(self, heading: str) -> str:
        """The prose of ``*Why*`` (or any heading) from the docstring."""
        return doc_section(self.doc, heading)

    def examples(self, heading: str) -> list[str]:
        """Input examples of ``*Bad*`` or ``*Good*`` from the docstring."""
        return doc_examples(self.doc, heading)


def rule(
    *,
    id: str,
    name: str,
    family: str,
    severity: Severity,
    summary: str,
    target: Target,
    validator: bool = False,
) -> Callable[[CheckFunction], Rule]:
    """Declare a ``check(subject, ctx)`` function as a rule (the tool's catalog lists the result).

    ``validator``: the rule's findings come from a real binary (``lint --validate``), not from ``check``.
    """
    if target not in LINT_TARGETS + DIAGNOSE_TARGETS + CHECK_TARGETS:
        raise ValueError(f"unknown rule target {target!r}")

    def wrap(check: CheckFunction) -> Rule:
        info = RuleInfo(id, name, family, severity, summary, target, validator)
        return Rule(info, check, inspect.getdoc(check) or "")

    return wrap
