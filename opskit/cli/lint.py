"""`opskit lint`: find the scenarios' pitfalls in nginx and HAProxy configs."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from opskit.cli.common import ExplainOption, ListRulesOption, finish
from opskit.errors import ExitCode


class LintFormat(StrEnum):
    human = "human"
    json = "json"
    sarif = "sarif"


class ConfigKind(StrEnum):
    nginx = "nginx"
    haproxy = "haproxy"


def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Config files (- reads one from stdin). nginx includes are followed; HAProxy files "
            "are read in order, like several -f. Default: the `paths` the project settings declare.",
            show_default=False,
            metavar="[PATH]...",
        ),
    ] = None,
    kind: Annotated[
        ConfigKind | None,
        typer.Option("--kind", help="Force the config kind (else detected from the content)."),
    ] = None,
    output_format: Annotated[
        LintFormat,
        typer.Option("--format", "-F", case_sensitive=False, help="human, json or sarif (GitHub code scanning)."),
    ] = LintFormat.human,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Only these rules: ids, id prefixes (NGX, HAP1), names or families; comma-separated or repeated.",
            metavar="RULES",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Skip these rules (same forms as --select).", metavar="RULES"),
    ] = None,
    min_severity: Annotated[
        str | None,
        typer.Option(
            "--min-severity",
            help="Report (and fail on) findings at or above: info, warning, error. [default: warning]",
            metavar="info|warning|error",
            show_default=False,
        ),
    ] = None,
    nginx_version: Annotated[
        str | None,
        typer.Option("--nginx-version", help="Target nginx version for version-dependent rules.", metavar="X.Y.Z"),
    ] = None,
    settings_file: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Project settings to use (.opskit.toml or pyproject.toml). Default: the nearest one "
            "from the current folder up to the repository root.",
            metavar="FILE",
        ),
    ] = None,
    no_settings: Annotated[bool, typer.Option("--no-config", help="Ignore project settings files.")] = False,
    pre_commit: Annotated[
        bool,
        typer.Option(
            "--pre-commit",
            help="Hook mode: lint the declared config set (plus the files given) whenever any file is "
            "given, so HAProxy↔nginx rules see both sides; files that are neither nginx nor HAProxy "
            "become notes instead of errors.",
        ),
    ] = False,
    output_file: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to FILE instead of stdout.", metavar="FILE"),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings (errors still exit 2).")
    ] = False,
    validate: Annotated[
        bool,
        typer.Option(
            "--validate",
            help="Also run the real nginx -t / haproxy -c on a private copy (isolated namespaces, as "
            "render --validate) and report what they reject as NGX000/HAP000 findings.",
        ),
    ] = False,
    list_rules: ListRulesOption = False,
    explain: ExplainOption = None,
) -> None:
    """Lint nginx and HAProxy configs (together: also the HAProxy→nginx pairing).

    Exit 0 clean, 1 findings at or above --min-severity (default warning), 2 unreadable or
    unparsable input. Settings: [lint] in .opskit.toml or [tool.opskit.lint] in pyproject.toml
    (paths, select, ignore, min-severity, nginx-version); flags win over the file.
    """
    from opskit.core.lint.catalog import all_rules

    if list_rules or explain is not None:
        from opskit.output.rules import show_rules

        show_rules("lint", all_rules(), explain, output_format.value)
        finish(ExitCode.OK)

    from opskit.app.lint import effective_settings, find_project, input_names, run_lint, save_report
    from opskit.output.console import captured_stdout
    from opskit.output.lint import show
    from opskit.output.progress import status_line

    project = find_project(no_settings, settings_file)
    names = input_names(project, paths or [], pre_commit)
    settings = effective_settings(project, select, ignore, min_severity, nginx_version)
    with status_line(output_format.value) as status:  # erased before the report prints
        run = run_lint(
            names,
            kind.value if kind else None,
            settings,
            pre_commit=pre_commit,
            validate=validate,
            status=status.show if status.enabled else None,
        )
    if output_file is None:
        show(run, output_format.value)
    else:
        with captured_stdout() as report:
            show(run, output_format.value)
        save_report(output_file, report.getvalue())
    code = ExitCode.FINDINGS if run.result.findings else ExitCode.OK
    finish(ExitCode.OK if exit_zero and code == ExitCode.FINDINGS else code)


def register(app: typer.Typer) -> None:
    """Add `opskit lint` to the root app."""
    app.command("lint")(lint)
