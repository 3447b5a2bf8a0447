"""Helpers for the diagnose tests: load copied samples and run the pure engine on them."""

from __future__ import annotations

from pathlib import Path

import pytest

from opskit.core.diagnose.engine import Diagnosis, InputText, diagnose
from opskit.core.findings import Finding

HERE = Path(__file__).parent
SAMPLES = HERE / "samples"
SCENARIO = HERE / "scenario5"


def load(path: Path, label: str | None = None) -> InputText:
    return InputText(label or path.stem, path.name, path.read_text(encoding="utf-8"))


def run_files(*paths: Path) -> Diagnosis:
    return diagnose([load(p) for p in paths])


def run_text(text: str, label: str = "node") -> Diagnosis:
    return diagnose([InputText(label, f"{label}.txt", text)])


def by_rule(diagnosis: Diagnosis, rule_id: str) -> list[Finding]:
    return [f for f in diagnosis.findings if f.rule_id == rule_id]


def rule_ids(diagnosis: Diagnosis) -> set[str]:
    return {f.rule_id for f in diagnosis.findings}


@pytest.fixture
def samples() -> Path:
    return SAMPLES
