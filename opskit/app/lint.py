"""`opskit lint`: find the project settings and the declared files, read and parse every config (stdin
too), run the selected rules, and write the report where the user asked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from opskit.core.findings import Severity
from opskit.core.lint.engine import LintResult, LintRun
from opskit.core.lint.project import LintProject
from opskit.core.lint.workspace import Workspace
from opskit.core.nginx.parser import ConfigSource
from opskit.core.rules import Rule
from opskit.errors import InputError

STDIN = "-"


@dataclass(frozen=True)
class LintSettings:
    """The effective selection: flags win over the project settings, key by key."""

    select: list[str]
    ignore: list[str]
    min_severity: str
    nginx_version: str | None


def _split(values: Sequence[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def find_project(no_settings: bool, settings_file: Path | None) -> LintProject | None:
    """The project settings in effect: ``settings_file``, else the nearest one from the current folder."""
    from opskit.adapters.project_settings import find_lint_project

    return None if no_settings else find_lint_project(Path.cwd(), settings_file)


def input_names(project: LintProject | None, paths: Sequence[Path], pre_commit: bool) -> list[str]:
    """The files to lint: those given, or the project's declared set (plus the given ones in hook mode)."""
    from opskit.adapters.project_settings import expand_declared_paths

    names = [str(p) for p in paths]
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
    return names


def effective_settings(
    project: LintProject | None,
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
    min_severity: str | None,
    nginx_version: str | None,
) -> LintSettings:
    """Flags win over the project settings, key by key."""
    return LintSettings(
        _split(select) if select else _split(project.select if project else ()),
        _split(ignore) if ignore else _split(project.ignore if project else ()),
        min_severity or (project.min_severity if project and project.min_severity else "warning"),
        nginx_version or (project.nginx_version if project else None),
    )


def run_lint(
    names: list[str],
    kind: Literal["nginx", "haproxy"] | None,
    settings: LintSettings,
    *,
    pre_commit: bool = False,
    validate: bool = False,
    status: Callable[[str], None] | None = None,
) -> LintRun:
    """Parse ``names`` (``-`` is stdin) as nginx/HAProxy configs and run the selected rules over them;
    with ``validate`` also the real binaries (NGX000/HAP000). ``status`` hears what is being done now."""
    from opskit.adapters.configfiles import FileSource, with_stdin
    from opskit.adapters.input_files import InputKind, input_limit
    from opskit.app.gc_pause import collector_paused
    from opskit.core.lint.catalog import all_rules
    from opskit.core.lint.engine import run_rules
    from opskit.core.lint.inputs import build_workspace, classify_inputs
    from opskit.core.lint.options import LintOptions, parse_version
    from opskit.core.rules import select_rules

    try:
        threshold = Severity.parse(settings.min_severity)
    except ValueError as error:
        raise InputError.option("--min-severity", str(error)) from None
    version = settings.nginx_version
    options = LintOptions(nginx_version=parse_version(version) if version else None)
    rules = select_rules(all_rules(), settings.select, settings.ignore)
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
        kinds = classify_inputs(names, source, kind)
        unknown = [name for name in names if kinds[name] is None]
        notes += [f"{name}: neither an nginx nor an HAProxy config; not linted" for name in unknown]
        names = [name for name in names if kinds[name] is not None]
    show = status or _silent
    with collector_paused():  # parsed trees are big, long-lived and acyclic: see opskit.app.gc_pause
        shown = _ShownSource(source, status) if status is not None else source
        workspace = build_workspace(names, shown, kind, max_expanded_bytes=input_limit(InputKind.CONFIG))
        show(f"running {len(rules)} rules over {len(workspace.texts)} file(s)…")
        result = run_rules(workspace, rules, options, threshold)
    if validate:
        result, validation_notes = _validated(result, workspace, rules, threshold, show)
        notes += validation_notes
    notes += [
        f"{file}:{line}: include {pattern!r} matched no file; linted without it"
        for config in workspace.nginx
        for file, line, pattern in config.missing_includes
    ]
    return LintRun(result, names, notes, tuple(rules), threshold)


def _silent(text: str) -> None:
    """No one is watching (JSON output, or stderr is not a terminal)."""


class _ShownSource:
    """A config source that names each file on the status line as it is read, then parsed."""

    def __init__(self, inner: ConfigSource, status: Callable[[str], None]) -> None:
        self._inner = inner
        self._status = status
        self._seen: set[str] = set()

    def read(self, path: str) -> str:
        if path not in self._seen:
            self._seen.add(path)
            self._status(f"reading {path}…")
            text = self._inner.read(path)
            self._status(f"parsing {path} ({len(text) / 1_000_000:.1f} MB)…")
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
    status: Callable[[str], None],
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
        status(f"validating {plan.display[plan.entry]} with the real {plan.tool}…")
        checked = validate_lint_plan(plan)
        found += findings_from_output(plan, checked.ok, checked.output)
        notes += [*plan.notes, *(f"{checked.command.split()[0]} --validate: {note}" for note in checked.notes)]
    return merge_validation(result, found, workspace, threshold), notes


def save_report(path: Path, text: str) -> None:
    """Write the report to ``--output FILE`` (atomically; refused for a folder or a missing parent)."""
    from opskit.adapters.output_files import write_report

    write_report(path, text, "--output")
