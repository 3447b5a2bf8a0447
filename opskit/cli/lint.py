"""`opskit lint`: find the scenarios' pitfalls in nginx and HAProxy configs."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from opskit.cli.common import finish
from opskit.errors import ExitCode, InputError

if TYPE_CHECKING:
    from opskit.core.findings import Severity
    from opskit.core.lint.engine import LintResult
    from opskit.core.lint.project import LintProject
    from opskit.core.lint.workspace import Workspace
    from opskit.core.nginx.parser import ConfigSource
    from opskit.core.rules import Rule
    from opskit.output.progress import StatusLine

STDIN = "-"


class LintFormat(StrEnum):
    human = "human"
    json = "json"
    sarif = "sarif"


class ConfigKind(StrEnum):
    nginx = "nginx"
    haproxy = "haproxy"


def _split(values: list[str] | tuple[str, ...] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


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
        typer.Option(
            "--nginx-version", help="Target nginx version for version-dependent rules.", metavar="X.Y.Z"
        ),
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
    no_settings: Annotated[
        bool, typer.Option("--no-config", help="Ignore project settings files.")
    ] = False,
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
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="List every rule (id, name, severity, summary) and exit.")
    ] = False,
    explain: Annotated[
        str | None,
        typer.Option("--explain", help="Show one rule's documentation (why, bad, good) and exit.", metavar="RULE"),
    ] = None,
) -> None:
    """Lint nginx and HAProxy configs (together: also the HAProxy→nginx pairing).

    Exit 0 clean, 1 findings at or above --min-severity (default warning), 2 unreadable or
    unparsable input. Settings: [lint] in .opskit.toml or [tool.opskit.lint] in pyproject.toml
    (paths, select, ignore, min-severity, nginx-version); flags win over the file.
    """
    from opskit.core.lint.catalog import all_rules

    if list_rules or explain is not None:
        from opskit.core.rules import rule_named
        from opskit.output.rules import show_rule_explanation, show_rule_list

        if explain is not None:
            show_rule_explanation("lint", rule_named(all_rules(), explain, "lint"), output_format.value)
        else:
            show_rule_list("lint", all_rules(), output_format.value)
        finish(ExitCode.OK)

    from opskit.adapters.project_settings import expand_declared_paths, find_lint_project

    project = None if no_settings else find_lint_project(Path.cwd(), settings_file)
    names = [str(p) for p in paths or []]
    if project is not None and (not names or pre_commit):
        declared = expand_declared_paths(project)
        names = [*declared, *(name for name in names if name not in declared)]
    if not names:
        where = f" ({project.source} declares no paths)" if project else ""
        raise InputError.option(
            "PATH", f"no config files given{where}; name them, or declare `paths` under [lint] in .opskit.toml"
        )
    if names.count(STDIN) > 1:
        raise InputError.option("PATH", "- (stdin) can be given once")
    settings = _settings(project, select, ignore, min_severity, nginx_version)
    code = _run_lint(names, kind, output_format, settings, pre_commit, output_file, validate)
    finish(ExitCode.OK if exit_zero and code == ExitCode.FINDINGS else code)


def _settings(
    project: LintProject | None,
    select: list[str] | None,
    ignore: list[str] | None,
    min_severity: str | None,
    nginx_version: str | None,
) -> tuple[list[str], list[str], str, str | None]:
    """Flags win over the project settings, key by key."""
    return (
        _split(select) if select else _split(project.select if project else ()),
        _split(ignore) if ignore else _split(project.ignore if project else ()),
        min_severity or (project.min_severity if project and project.min_severity else "warning"),
        nginx_version or (project.nginx_version if project else None),
    )


def _run_lint(
    names: list[str],
    kind: ConfigKind | None,
    output_format: LintFormat,
    settings: tuple[list[str], list[str], str, str | None],
    pre_commit: bool,
    output_file: Path | None,
    validate: bool = False,
) -> ExitCode:
    import json
    import sys
    from contextlib import nullcontext

    from opskit.adapters.configfiles import FileSource, with_stdin
    from opskit.adapters.fs import InputKind, input_limit
    from opskit.app.gc_pause import collector_paused
    from opskit.core.findings import Severity
    from opskit.core.lint.catalog import all_rules
    from opskit.core.lint.engine import run_rules
    from opskit.core.lint.inputs import build_workspace, classify_inputs
    from opskit.core.lint.options import LintOptions, parse_version
    from opskit.core.rules import select_rules
    from opskit.output.console import captured_stdout, emit_json
    from opskit.output.lint import json_payload, render_human
    from opskit.output.progress import status_line
    from opskit.output.sarif import build_sarif

    select, ignore, min_severity, nginx_version = settings
    try:
        threshold = Severity.parse(min_severity)
    except ValueError as error:
        raise InputError.option("--min-severity", str(error)) from None
    options = LintOptions(nginx_version=parse_version(nginx_version) if nginx_version else None)
    rules = select_rules(all_rules(), select, ignore)
    if not validate:  # NGX000/HAP000 are found by the real binaries: they run only with --validate
        static = tuple(r for r in rules if not r.info.validator)
        if rules and not static:
            raise InputError.option("--select", f"{', '.join(r.id for r in rules)} run only with --validate")
        rules = static
    source: ConfigSource = FileSource()
    if STDIN in names:
        source = with_stdin(source)
    notes: list[str] = []
    if pre_commit:
        kinds = classify_inputs(names, source, kind.value if kind else None)
        unknown = [name for name in names if kinds[name] is None]
        notes += [f"{name}: neither an nginx nor an HAProxy config; not linted" for name in unknown]
        names = [name for name in names if kinds[name] is not None]
    with status_line(output_format.value) as status:
        with collector_paused():  # parsed trees are big, long-lived and acyclic: see opskit.app.gc_pause
            workspace = build_workspace(
                names,
                _ShownSource(source, status),
                kind.value if kind else None,
                max_expanded_bytes=input_limit(InputKind.CONFIG),
            )
            status.show(f"running {len(rules)} rules over {len(workspace.texts)} file(s)…")
            result = run_rules(workspace, rules, options, threshold)
        if validate:
            result, validation_notes = _validated(result, workspace, rules, threshold, status)
            notes += validation_notes
    notes += [
        f"{file}:{line}: include {pattern!r} matched no file; linted without it"
        for config in workspace.nginx
        for file, line, pattern in config.missing_includes
    ]
    with captured_stdout() if output_file is not None else nullcontext() as report:
        if output_format is LintFormat.json:
            emit_json("lint", json_payload(result, names, notes))
        elif output_format is LintFormat.sarif:
            sys.stdout.write(json.dumps(build_sarif(list(result.findings), list(rules), notes), indent=2) + "\n")
        else:
            render_human(result, names, notes, threshold)
    if output_file is not None and report is not None:
        from opskit.adapters.fs import write_report

        write_report(output_file, report.getvalue(), "--output")
    return ExitCode.FINDINGS if result.findings else ExitCode.OK


class _ShownSource:
    """A config source that names each file on the status line as it is read, then parsed."""

    def __init__(self, inner: ConfigSource, status: StatusLine) -> None:
        self._inner = inner
        self._status = status
        self._seen: set[str] = set()

    def read(self, path: str) -> str:
        if path not in self._seen and self._status.enabled:
            self._seen.add(path)
            self._status.show(f"reading {path}…")
            text = self._inner.read(path)
            self._status.show(f"parsing {path} ({len(text) / 1_000_000:.1f} MB)…")
            return text
        return self._inner.read(path)

    def glob(self, pattern: str) -> list[str]:
        return self._inner.glob(pattern)

    def exists(self, path: str) -> bool:
        return self._inner.exists(path)


def _validated(
    result: LintResult,
    workspace: Workspace,
    rules: tuple[Rule, ...],
    threshold: Severity,
    status: StatusLine,
) -> tuple[LintResult, list[str]]:
    """Run the real binaries whose validator rule is selected; their rejections become findings."""
    from opskit.adapters.validate import validate_lint_plan
    from opskit.core.lint.engine import merge_validation
    from opskit.core.lint.validation import ValidationPlan, findings_from_output, plan_haproxy, plan_nginx

    wanted = {r.info.target for r in rules if r.info.validator}
    plans: list[ValidationPlan] = []
    if "nginx" in wanted:
        plans += [plan_nginx(config) for config in workspace.nginx]
    if "haproxy" in wanted and workspace.haproxy is not None:
        plans.append(plan_haproxy(workspace.haproxy))
    found = []
    notes: list[str] = []
    for plan in plans:
        status.show(f"validating {plan.display[plan.entry]} with the real {plan.tool}…")
        checked = validate_lint_plan(plan)
        found += findings_from_output(plan, checked.ok, checked.output)
        notes += [*plan.notes, *(f"{checked.command.split()[0]} --validate: {note}" for note in checked.notes)]
    return merge_validation(result, found, workspace, threshold), notes


def register(app: typer.Typer) -> None:
    """Add `opskit lint` to the root app."""
    app.command("lint")(lint)
