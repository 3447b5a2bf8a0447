"""SARIF output validated against the official SARIF 2.1.0 JSON schema (vendored, see data/SOURCES.md)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.support.sarif import sarif_validator

DATA = Path(__file__).parent / "data"
SCENARIOS = Path(__file__).parent / "scenarios"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    return sarif_validator()


def test_sarif_with_cross_file_findings_is_valid(cli, validator) -> None:  # type: ignore[no-untyped-def]
    haproxy, nginx = str(SCENARIOS / "s2-haproxy-before.cfg"), str(SCENARIOS / "s2-nginx-behind-haproxy.conf")
    result = cli(["lint", haproxy, nginx, "--format", "sarif"])
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, errors[0]
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "opskit"
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    cross = next(r for r in run["results"] if r["ruleId"] == "X003")
    assert rule_ids[cross["ruleIndex"]] == "X003"
    assert cross["level"] == "warning"
    location = cross["locations"][0]["physicalLocation"]
    assert location["region"]["startLine"] == 13
    assert location["artifactLocation"]["uri"].endswith("s2-haproxy-before.cfg")
    related = cross["relatedLocations"][0]["physicalLocation"]
    assert related["region"]["startLine"] == 4 and related["artifactLocation"]["uri"].endswith(
        "s2-nginx-behind-haproxy.conf"
    )


def test_clean_sarif_is_valid_and_relative_paths_stay_relative(cli, validator, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("ok.conf").write_text("server { listen 80; }\n")
    result = cli(["lint", "ok.conf", "-F", "sarif"])
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    assert not list(validator.iter_errors(log))
    assert log["runs"][0]["results"] == []
    Path("bad.conf").write_text("server {\n    location / { proxy_pass http://web:1; }\n}\n")
    log = json.loads(cli(["lint", "./bad.conf", "-F", "sarif"]).stdout)
    assert not list(validator.iter_errors(log))
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad.conf"
