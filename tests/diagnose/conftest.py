"""Helpers for the diagnose tests: load copied samples and run the pure engine on them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from opskit.core.diagnose.engine import Diagnosis, InputText, diagnose
from opskit.core.diagnose.live import CliRun, DaemonProcess, LiveSnapshot
from opskit.core.findings import Finding

# the catalogs' shared test is built in log_catalog: its assert shows both readings only when pytest rewrites it
pytest.register_assert_rewrite("tests.diagnose.log_catalog")

HERE = Path(__file__).parent
SAMPLES = HERE / "samples"
SCENARIO = HERE / "scenario5"
RULE_FIXTURES = HERE / "rules"
_NODE_MARK = re.compile(r"^#@ node: (\S+)$", re.M)


def load(path: Path, label: str | None = None) -> InputText:
    return InputText(label or path.stem, path.name, path.read_text(encoding="utf-8"))


def run_files(*paths: Path) -> Diagnosis:
    return diagnose([load(p) for p in paths])


def run_text(text: str, label: str = "node") -> Diagnosis:
    return diagnose([InputText(label, f"{label}.txt", text)])


def run_json(text: str, label: str = "node") -> dict[str, Any]:
    """The `--format json` document for one pasted input, with the exit code the CLI would give."""
    from opskit.output.diagnose import to_json

    diagnosis = run_text(text, label)
    return to_json(diagnosis, 1 if diagnosis.has_problems else 0)


def cli_kinds(text: str) -> list[str]:
    """The CLI/GUI error kinds read in a paste, in order (`windows[].kind` of the JSON)."""
    return [error["kind"] for error in run_json(text)["windows"] or []]


def by_rule(diagnosis: Diagnosis, rule_id: str) -> list[Finding]:
    return [f for f in diagnosis.findings if f.rule_id == rule_id]


def rule_ids(diagnosis: Diagnosis) -> set[str]:
    return {f.rule_id for f in diagnosis.findings}


@pytest.fixture
def samples() -> Path:
    return SAMPLES


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


def run_example(text: str, target: str) -> Diagnosis:
    """Diagnose a rule's docstring example: a paste; ``#@ node: NAME`` lines split one paste per node
    (the pairwise rules); for the --live rules, JSON overrides of a healthy live snapshot."""
    if target == "live":
        return diagnose([], live=live_snapshot(json.loads(text)))
    parts = _NODE_MARK.split(text)
    if len(parts) == 1:
        return diagnose([InputText("example", "example.txt", text)])
    names, bodies = parts[1::2], parts[2::2]
    nodes = zip(names, bodies, strict=True)
    return diagnose([InputText(name, f"{name}.txt", body.lstrip("\n")) for name, body in nodes])


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
