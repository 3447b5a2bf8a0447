"""The lint catalog: ids, names, documentation, selection (examples and fixtures: tests/rules)."""

from __future__ import annotations

import re

import pytest

from opskit.core.lint.catalog import RULE_MODULES, all_rules
from opskit.core.rules import select_rules
from opskit.errors import InputError

RULES = all_rules()


def test_catalog_lists_every_rule_module_once() -> None:
    assert len(RULES) == len(RULE_MODULES) == len(set(RULE_MODULES))
    assert len({r.id for r in RULES}) == len(RULES)
    assert len({r.info.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_declares_and_documents_itself(rule) -> None:  # type: ignore[no-untyped-def]
    assert re.fullmatch(r"(NGX|HAP)\d{3}|X\d{3}", rule.id)
    assert rule.info.summary and rule.info.family
    assert len(rule.section("why")) > 80, "the *Why* must explain the failure mode"
    assert rule.examples("bad") and rule.examples("good")


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
