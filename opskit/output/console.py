"""Consoles for people. rich honours NO_COLOR itself; we also drop colour when not a terminal."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

JSON_SCHEMA_VERSION = 1


class Kind(StrEnum):
    """Every document's ``kind``: the command path, lower case, words joined by dots (``check.harbor``,
    ``headscale.migrate.plan``). The one list: a new document adds its kind here (a test checks that
    every kind emitted, and every kind the docs show, is one of these)."""

    RENDER = "render"
    LINT = "lint"
    LINT_RULES = "lint.rules"
    LINT_RULE = "lint.rule"
    CHECK_HARBOR = "check.harbor"
    CHECK_RESOLVER = "check.resolver"
    PROBE_SLOWLORIS = "probe.slowloris"
    DIAGNOSE = "diagnose"
    DIAGNOSE_RULES = "diagnose.rules"
    DIAGNOSE_RULE = "diagnose.rule"
    HEADSCALE_TENANTS = "headscale.tenants"
    HEADSCALE_MIGRATE_PLAN = "headscale.migrate.plan"
    HEADSCALE_MIGRATE_APPLY = "headscale.migrate.apply"
    HEADSCALE_MIGRATE_ROLLBACK = "headscale.migrate.rollback"
    SOCKETS_LIST = "sockets.list"
    SOCKETS_KILL = "sockets.kill"
    SOCKETS_EXPLAIN = "sockets.explain"
    ERROR = "error"  # a failed command's document (any command, with --format json)


class OutputFormat(StrEnum):
    human = "human"
    json = "json"


# Width when stdout is a file or a pipe (CI logs, `> report.txt`, `| grep`): rich's default of 80 columns
# would hard-wrap `file:line` and paths mid-token. Tables do not expand to it: they stay as wide as their cells.
PIPE_WIDTH = 4096


def _width(stream: Any) -> int | None:
    if "COLUMNS" in os.environ:
        return None  # the user's choice; tables fold long cells instead of cutting them
    isatty = getattr(stream, "isatty", None)
    return None if isatty is not None and isatty() else PIPE_WIDTH


def stdout_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, width=_width(sys.stdout))


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, width=_width(sys.stderr))


def emit_json(kind: Kind, payload: dict[str, Any]) -> None:
    """Write one JSON document to stdout: ``{"opskit": <schema version>, "kind": ..., ...payload}``."""
    from opskit import __version__

    document = {"opskit": JSON_SCHEMA_VERSION, "kind": str(kind), "opskit_version": __version__, **payload}
    sys.stdout.write(json.dumps(document, indent=2, sort_keys=False, default=str) + "\n")


@contextmanager
def captured_stdout() -> Iterator[io.StringIO]:
    """Everything the block writes to stdout, held in memory (the CLI then writes it to ``-o FILE``)."""
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        yield buffer
