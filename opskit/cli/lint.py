"""`opskit lint`: find the scenarios' pitfalls in nginx and HAProxy configs."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from opskit.cli.common import finish
from opskit.errors import ExitCode, InputError


class LintFormat(StrEnum):
    human = "human"
    json = "json"
    sarif = "sarif"


class ConfigKind(StrEnum):
    nginx = "nginx"
    haproxy = "haproxy"


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def lint(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Config files. nginx includes are followed; HAProxy files "
            "are read in order, like several -f.",
            show_default=False,
            metavar="PATH",
        ),
    ],
    kind: Annotated[
        ConfigKind | None,
        typer.Option("--kind", help="Force the config kind (else detected from the content)."),
    ] = None,
    output_format: Annotated[
        LintFormat,
        typer.Option(
            "--format", "-F", case_sensitive=False, help="human, json or sarif (GitHub code scanning)."
        ),
    ] = LintFormat.human,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Only these rules: ids, id prefixes "
            "(NGX, HAP1), names or families; "
            "comma-separated or repeated.",
            metavar="RULES",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Skip these rules (same forms as --select).", metavar="RULES"),
    ] = None,
    min_severity: Annotated[
        str,
        typer.Option(
            "--min-severity",
            help="Report (and fail on) findings at or above: info, warning, error.",
            metavar="info|warning|error",
        ),
    ] = "warning",
    nginx_version: Annotated[
        str | None,
        typer.Option(
            "--nginx-version", help="Target nginx version for version-dependent rules.", metavar="X.Y.Z"
        ),
    ] = None,
) -> None:
    """Lint nginx and HAProxy configs (together: also the HAProxy→nginx pairing).

    Exit 0 clean, 1 findings at or above --min-severity (default warning), 2 unreadable or
    unparsable input.
    """
    import json
    import sys

    from opskit.adapters.configfiles import FileSource
    from opskit.adapters.fs import InputKind, input_limit
    from opskit.core.findings import Severity
    from opskit.core.lint.context import LintOptions, parse_version
    from opskit.core.lint.engine import run_rules
    from opskit.core.lint.inputs import build_workspace
    from opskit.core.lint.registry import all_rules, select_rules
    from opskit.gcpause import collector_paused
    from opskit.output.console import emit_json
    from opskit.output.lint import json_payload, render_human
    from opskit.output.sarif import build_sarif

    try:
        threshold = Severity.parse(min_severity)
    except ValueError as error:
        raise InputError.option("--min-severity", str(error)) from None
    options = LintOptions(nginx_version=parse_version(nginx_version) if nginx_version else None)
    rules = select_rules(all_rules(), _split(select), _split(ignore))
    names = [str(p) for p in paths]
    with collector_paused():  # parsed trees are big, long-lived and acyclic: see opskit.gcpause
        workspace = build_workspace(
            names, FileSource(), kind.value if kind else None, max_expanded_bytes=input_limit(InputKind.CONFIG)
        )
        result = run_rules(workspace, rules, options, threshold)
    notes = [
        f"{file}:{line}: include {pattern!r} matched no file; linted without it"
        for config in workspace.nginx
        for file, line, pattern in config.missing_includes
    ]
    if output_format is LintFormat.json:
        emit_json("lint", json_payload(result, names, notes))
    elif output_format is LintFormat.sarif:
        sys.stdout.write(json.dumps(build_sarif(list(result.findings), list(rules)), indent=2) + "\n")
    else:
        render_human(result, names, notes, threshold)
    finish(ExitCode.FINDINGS if result.findings else ExitCode.OK)


def register(app: typer.Typer) -> None:
    """Add `opskit lint` to the root app."""
    app.command("lint", no_args_is_help=True)(lint)
