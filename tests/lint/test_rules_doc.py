"""docs/rules.md is generated from the lint, diagnose and check catalogs; this fails when it is stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from opskit.core.check.rules import all_rules as check_rules
from opskit.core.diagnose.rules import all_rules as diagnose_rules
from opskit.core.lint.catalog import all_rules as lint_rules
from opskit.output.rules_doc import render_rules_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_rules_doc_is_up_to_date() -> None:
    current = (ROOT / "docs" / "rules.md").read_text()
    assert current == render_rules_markdown(lint_rules(), diagnose_rules(), check_rules()), (
        "docs/rules.md is stale: run python scripts/gen_rules_doc.py"
    )


def test_every_rule_has_a_section() -> None:
    text = (ROOT / "docs" / "rules.md").read_text()
    for rule in (*lint_rules(), *diagnose_rules(), *check_rules()):
        assert f"#### {rule.id}\n" in text


def test_generator_check_mode() -> None:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_rules_doc.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
