"""The official SARIF 2.1.0 schema (vendored in tests/lint/data, see its SOURCES.md) for every test that
checks a `--format sarif` log."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA_PATH = Path(__file__).parents[1] / "lint" / "data" / "sarif-schema-2.1.0.json"


@cache
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def valid_sarif_log(stdout: str) -> dict[str, Any]:
    """The SARIF log a command printed, after checking it against the schema (first error shown)."""
    log: dict[str, Any] = json.loads(stdout)
    errors = sorted(sarif_validator().iter_errors(log), key=str)
    assert not errors, errors[0]
    return log
