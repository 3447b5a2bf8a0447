"""The registry and every rule's documentation: ids, docstrings, and the Bad/Good examples run."""

from __future__ import annotations

import re

import pytest

from opskit.core.lint.catalog import RULE_MODULES, all_rules
from opskit.core.rules import select_rules
from opskit.errors import InputError
from tests.lint.conftest import lint_example

RULES = all_rules()


def test_registry_lists_every_rule_module_once() -> None:
    assert len(RULES) == len(RULE_MODULES) == len(set(RULE_MODULES))
    assert len({r.id for r in RULES}) == len(RULES)
    assert len({r.info.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_declares_and_documents_itself(rule) -> None:  # type: ignore[no-untyped-def]
    assert re.fullmatch(r"(NGX|HAP)\d{3}|X\d{3}", rule.id)
    assert rule.info.summary and rule.info.family
    assert len(rule.section("why")) > 80, "the *Why* must explain the failure mode"
    assert rule.examples("bad") and rule.examples("good")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_docstring_bad_example_fires(rule) -> None:  # type: ignore[no-untyped-def]
    for example in rule.examples("bad"):
        findings = lint_example(example, rule)
        assert findings, f"{rule.id} *Bad* example raised nothing:\n{example}"
        for finding in findings:
            assert finding.rule_id == rule.id and finding.severity == rule.info.severity
            assert finding.cause and finding.fix and finding.evidence
            assert finding.evidence[0].line is not None


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_docstring_good_example_is_clean_for_the_rule(rule) -> None:  # type: ignore[no-untyped-def]
    for example in rule.examples("good"):
        assert lint_example(example, rule) == [], f"{rule.id} *Good* example fired:\n{example}"


def test_select_accepts_ids_prefixes_names_and_families() -> None:
    assert [r.id for r in select_rules(RULES, ["NGX101"], [])] == ["NGX101"]
    assert {r.id for r in select_rules(RULES, ["X"], [])} == {"X001", "X002", "X003"}
    assert [r.id for r in select_rules(RULES, ["resolver-valid"], [])] == ["NGX106"]
    assert all(r.info.family == "haproxy-sni" for r in select_rules(RULES, ["haproxy-sni"], []))
    remaining = select_rules(RULES, ["HAP"], ["HAP1"])
    assert remaining and not any(r.id.startswith("HAP1") for r in remaining)


def test_select_rejects_a_selector_that_names_nothing() -> None:
    with pytest.raises(InputError, match="NGX999"):
        select_rules(RULES, ["NGX999"], [])
