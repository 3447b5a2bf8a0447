"""The fixtures harness: every rule has firing and non-firing fixtures, and they behave.

tests/lint/rules/<RULE_ID>/bad_*.conf must raise the rule, good_*.conf must not. A fixture may hold
several files (``#@ file: NAME`` lines, for the HAProxy↔nginx rules) and options
(``#@ nginx-version: X.Y.Z``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from opskit.core.lint.catalog import all_rules
from tests.lint.conftest import RULE_FIXTURES, lint_example, rule_by_id

RULE_IDS = [r.id for r in all_rules()]


def _fixtures(prefix: str) -> list[tuple[str, Path]]:
    return [
        (rule_id, path)
        for rule_id in RULE_IDS
        for path in sorted((RULE_FIXTURES / rule_id).glob(f"{prefix}_*.conf"))
    ]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_has_a_firing_and_a_non_firing_fixture(rule_id: str) -> None:
    folder = RULE_FIXTURES / rule_id
    assert list(folder.glob("bad_*.conf")), f"{folder} needs at least one bad_*.conf"
    assert list(folder.glob("good_*.conf")), f"{folder} needs at least one good_*.conf"


def test_no_fixture_folder_without_a_rule() -> None:
    folders = {p.name for p in RULE_FIXTURES.iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert folders <= set(RULE_IDS), f"fixtures for unknown rules: {sorted(folders - set(RULE_IDS))}"


@pytest.mark.parametrize(
    ("rule_id", "path"), _fixtures("bad"), ids=lambda v: v if isinstance(v, str) else v.name
)
def test_bad_fixture_fires(rule_id: str, path: Path) -> None:
    findings = lint_example(path.read_text(), rule_by_id(rule_id))
    assert findings, f"{path} should raise {rule_id}"
    assert {f.rule_id for f in findings} == {rule_id}


@pytest.mark.parametrize(
    ("rule_id", "path"), _fixtures("good"), ids=lambda v: v if isinstance(v, str) else v.name
)
def test_good_fixture_is_clean(rule_id: str, path: Path) -> None:
    findings = lint_example(path.read_text(), rule_by_id(rule_id))
    assert findings == [], f"{path} should not raise {rule_id}: {[f.cause for f in findings]}"
