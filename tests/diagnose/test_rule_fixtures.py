"""Every registered rule has a firing (bad_*) and a non-firing (good_*) fixture under rules/<RULE_ID>/.

Fixtures: ``*.txt`` = one pasted input; ``bad_x/`` directory = several nodes (one file each, label =
stem) for the pairwise rules; ``*.json`` = overrides of a healthy live snapshot for the --live rules.
Evidence must quote real input lines: the line number points at exactly the quoted text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from opskit.core.diagnose.engine import Diagnosis, InputText, diagnose
from opskit.core.diagnose.live import CliRun, DaemonProcess, LiveSnapshot
from opskit.core.diagnose.rules import RULES
from opskit.core.diagnose.text import split_lines

FIXTURES = Path(__file__).parent / "rules"

HEALTHY_LIVE: dict[str, Any] = {
    "current_user": "root",
    "is_admin": True,
    "daemons": [
        {
            "pid": 812,
            "name": "tailscaled",
            "user": "root",
            "cmdline": [
                "/usr/sbin/tailscaled",
                "--state=/var/lib/tailscale/tailscaled.state",
                "--port=41641",
            ],
            "parent_name": "systemd",
            "parent_pid": 1,
        }
    ],
    "cli_path": "/usr/bin/tailscale",
    "cli_missing_reason": None,
    "runs": [],
    "platform": "linux",
}


def live_snapshot(overrides: dict[str, Any]) -> LiveSnapshot:
    data = {**HEALTHY_LIVE, **overrides}
    return LiveSnapshot(
        current_user=data["current_user"],
        is_admin=data["is_admin"],
        daemons=tuple(DaemonProcess(**{**d, "cmdline": tuple(d["cmdline"])}) for d in data["daemons"]),
        cli_path=data["cli_path"],
        cli_missing_reason=data["cli_missing_reason"],
        runs=tuple(CliRun(**r) for r in data["runs"]),
        platform=data["platform"],
    )


def run_fixture(path: Path) -> tuple[Diagnosis, dict[str, str]]:
    """Diagnose a fixture; also return each input's text by source name (to check evidence)."""
    if path.is_dir():
        files = sorted(path.glob("*.txt"))
        inputs = [InputText(f.stem, f.name, f.read_text()) for f in files]
        return diagnose(inputs), {i.source: i.text for i in inputs}
    if path.suffix == ".json":
        return diagnose([], live=live_snapshot(json.loads(path.read_text()))), {}
    text = path.read_text()
    return diagnose([InputText(path.stem, path.name, text)]), {path.name: text}


def cases(prefix: str) -> list[tuple[str, Path]]:
    found = []
    for rule_obj in RULES:
        for path in sorted((FIXTURES / rule_obj.id).glob(f"{prefix}_*")):
            found.append((rule_obj.id, path))
    return found


def test_every_rule_has_bad_and_good_fixtures_and_a_why() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids)), "duplicate rule id"
    for rule_obj in RULES:
        folder = FIXTURES / rule_obj.id
        assert list(folder.glob("bad_*")), f"{rule_obj.id}: no bad_* fixture"
        assert list(folder.glob("good_*")), f"{rule_obj.id}: no good_* fixture"
        assert rule_obj.section("why"), f"{rule_obj.id}: docstring needs a *Why*"
    stray = {p.name for p in FIXTURES.iterdir()} - set(ids)
    assert not stray, f"fixture folders without a rule: {stray}"


@pytest.mark.parametrize(("rule_id", "path"), cases("bad"), ids=lambda v: v if isinstance(v, str) else v.name)
def test_bad_fixture_fires(rule_id: str, path: Path) -> None:
    diagnosis, texts = run_fixture(path)
    fired = [f for f in diagnosis.findings if f.rule_id == rule_id]
    assert fired, f"{rule_id} did not fire on {path.name}: {[f.rule_id for f in diagnosis.findings]}"
    for finding in fired:
        assert finding.cause and finding.fix
        assert finding.evidence, f"{rule_id}: a finding without evidence"
        for evidence in finding.evidence:
            if evidence.line is None:
                continue  # live evidence quotes process facts, not input lines
            lines = {line.number: line.text for line in split_lines(texts[evidence.file])}
            assert lines[evidence.line] == evidence.text, (
                f"{rule_id}: evidence does not quote line {evidence.line}"
            )


@pytest.mark.parametrize(
    ("rule_id", "path"), cases("good"), ids=lambda v: v if isinstance(v, str) else v.name
)
def test_good_fixture_does_not_fire(rule_id: str, path: Path) -> None:
    diagnosis, _ = run_fixture(path)
    assert rule_id not in {f.rule_id for f in diagnosis.findings}


def test_every_rule_is_documented() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "diagnose.md").read_text()
    missing = [r.id for r in RULES if f"`{r.id}`" not in docs]
    assert not missing, f"rules missing from docs/diagnose.md: {missing}"
