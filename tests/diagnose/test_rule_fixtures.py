"""What diagnose adds to the shared rule harness (tests/rules/test_rule_harness.py): evidence quotes
real input lines (Tailscale keys in them hidden), and every rule is in docs/diagnose.md.

Fixtures under rules/<RULE_ID>/: ``*.txt`` = one pasted input; ``bad_x/`` directory = several nodes (one
file each, label = stem) for the pairwise rules; ``*.json`` = overrides of a healthy live snapshot for
the --live rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from opskit.core.diagnose.rules import RULES
from opskit.core.diagnose.text import hide_keys, split_lines
from tests.diagnose.conftest import RULE_FIXTURES, run_fixture


def cases(prefix: str) -> list[tuple[str, Path]]:
    return [(r.id, path) for r in RULES for path in sorted((RULE_FIXTURES / r.id).glob(f"{prefix}_*"))]


@pytest.mark.parametrize(("rule_id", "path"), cases("bad"), ids=lambda v: v if isinstance(v, str) else v.name)
def test_bad_fixture_evidence_quotes_the_input(rule_id: str, path: Path) -> None:
    diagnosis, texts = run_fixture(path)
    fired = [f for f in diagnosis.findings if f.rule_id == rule_id]
    assert fired, f"{rule_id} did not fire on {path.name}: {[f.rule_id for f in diagnosis.findings]}"
    for finding in fired:
        assert finding.evidence, f"{rule_id}: a finding without evidence"
        for evidence in finding.evidence:
            if evidence.line is None:
                continue  # live evidence quotes process facts, not input lines
            lines = {line.number: line.text for line in split_lines(texts[evidence.file])}
            quoted = hide_keys(lines[evidence.line])
            assert quoted == evidence.text, f"{rule_id}: evidence does not quote line {evidence.line}"


def test_every_rule_is_documented() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "diagnose.md").read_text()
    missing = [r.id for r in RULES if f"`{r.id}`" not in docs]
    assert not missing, f"rules missing from docs/diagnose.md: {missing}"
