"""Helpers shared by the headscale integration tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.headscale.seed import PASSWORD

REPO = Path(__file__).resolve().parents[2]


def plan_args(
    dsn: str, plan: Path, *extra: str, tenant: str = "hsa", source: str = "3", target: str = "4"
) -> list[str]:
    return [
        "headscale",
        "migrate",
        "plan",
        "--tenant",
        tenant,
        "--from",
        source,
        "--to",
        target,
        "--dsn",
        dsn,
        "-o",
        str(plan),
        *extra,
    ]


def opskit_process(args: list[str], *, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """opskit as a real process (for kill -9 and concurrency tests)."""
    return subprocess.Popen(
        [sys.executable, "-m", "opskit", *args],
        cwd=REPO,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})},
    )


def assert_no_password(*texts: str) -> None:
    for text in texts:
        assert PASSWORD not in text


def load_json(text: str) -> Any:
    return json.loads(text)


def apply_args(plan: Path | str, dsn: str, *extra: str, journal: Path | str) -> list[str]:
    """`opskit headscale migrate apply PLAN --yes --journal J --dsn DSN [extra]`."""
    return [
        "headscale",
        "migrate",
        "apply",
        str(plan),
        "--yes",
        "--journal",
        str(journal),
        "--dsn",
        dsn,
        *extra,
    ]


def journal_records(path: Path | str) -> list[dict[str, Any]]:
    """Every JSON record of a journal, in file order; the raw COPY rows that follow a ``before`` record
    (up to COPY's end marker ``\\.``) are skipped."""
    records: list[dict[str, Any]] = []
    in_block = False
    for line in Path(path).read_bytes().split(b"\n"):
        if in_block:
            in_block = line != b"\\."
        elif line:
            records.append(json.loads(line))
            in_block = records[-1]["record"] == "before" and "copy" not in records[-1]
    return records


def route_plan_args(
    dsn: str, plan: Path, dynamic: str, *extra: str, router: str = "hsa", api: str | None = None
) -> list[str]:
    """plan_args for a move that also switches Traefik router ``router`` to service headscale-cluster4."""
    route = ["--with-tagged", "--traefik-config", dynamic, "--router", router, "--to-service", "headscale-cluster4"]
    if api is not None:
        route += ["--traefik-api", api]
    return plan_args(dsn, plan, *route, *extra)
