"""Consoles for people. rich honours NO_COLOR itself; we also drop colour when not a terminal."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

JSON_SCHEMA_VERSION = 1


class OutputFormat(StrEnum):
    human = "human"
    json = "json"


def stdout_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def emit_json(kind: str, payload: dict[str, Any]) -> None:
    """Write one JSON document to stdout: ``{"opskit": <schema version>, "kind": ..., ...payload}``."""
    document = {"opskit": JSON_SCHEMA_VERSION, "kind": kind, **payload}
    sys.stdout.write(json.dumps(document, indent=2, sort_keys=False, default=str) + "\n")
