"""The shared rule framework: where lint's and diagnose's copies disagreed, the stricter one now holds for both."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from opskit.core.findings import Evidence, Finding, Severity
from opskit.core.rules import Rule, RuleContext, rule


def _declare(target: Any) -> Rule:
    @rule(id="T001", name="demo", family="demo", severity=Severity.WARNING, summary="a demo rule", target=target)
    def check(subject: str, ctx: RuleContext[str]) -> Iterator[Finding]:
        """First paragraph.

            indented docstrings are dedented (lint read them this way, diagnose did not)

        *Why*: because.
        """
        yield ctx.finding(f"{subject} via {ctx.facts}", "fix it", [Evidence("f", 1, "x")])
        yield ctx.finding("milder", "fix", severity=Severity.INFO, title="own title", detail=1)

    return check


def test_every_rule_declares_a_known_target_lint_and_diagnose_alike() -> None:
    # diagnose checked its subject, lint did not check its target: now both are checked
    with pytest.raises(ValueError, match="unknown rule target"):
        _declare("nginxx")
    assert _declare("nginx").info.tool == "lint"
    assert _declare("netcheck").info.tool == "diagnose"


def test_context_stamps_the_rule_and_allows_a_milder_variant() -> None:
    demo = _declare("status")
    first, second = demo.run("subject", "facts")
    assert (first.rule_id, first.severity, first.title) == ("T001", Severity.WARNING, "a demo rule")
    assert first.cause == "subject via facts" and first.evidence == (Evidence("f", 1, "x"),)
    assert (second.severity, second.title, second.extra) == (Severity.INFO, "own title", {"detail": 1})


def test_docstrings_are_read_dedented() -> None:
    demo = _declare("ping")
    assert demo.section("why") == "because."
    assert demo.doc.startswith("First paragraph.\n\n    indented")
