"""`lint` as the opskit.fleet module runs it on a target: the configs where they live, findings as
plain data (the same objects `opskit lint -F json` prints)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from opskit.core.lint.engine import LintResult


@dataclass(frozen=True)
class LintOnTarget:
    """The lint run; the module renders it with output.lint.json_payload, as `opskit lint -F json` does."""

    result: LintResult
    inputs: list[str]
    notes: list[str]


def lint_on_target(
    paths: Sequence[str],
    *,
    kind: Literal["nginx", "haproxy"] | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    min_severity: str = "info",
    nginx_version: str | None = None,
) -> LintOnTarget:
    """Lint ``paths`` (files on this host): findings at or above ``min_severity``, and notes. Bad input
    (unreadable, unparsable) raises InputError naming file and line."""
    from opskit.adapters.configfiles import FileSource
    from opskit.core.findings import Severity
    from opskit.core.lint.catalog import all_rules
    from opskit.core.lint.engine import run_rules
    from opskit.core.lint.inputs import build_workspace
    from opskit.core.lint.options import LintOptions, parse_version
    from opskit.core.rules import select_rules
    from opskit.errors import InputError

    try:
        threshold = Severity.parse(min_severity)
    except ValueError as error:
        raise InputError.at(None, None, "min_severity", str(error)) from None
    options = LintOptions(nginx_version=parse_version(nginx_version) if nginx_version else None)
    rules = select_rules(all_rules(), list(select), list(ignore))
    workspace = build_workspace(list(paths), FileSource(), kind)
    result = run_rules(workspace, rules, options, threshold)
    notes = [
        f"{file}:{line}: include {pattern!r} matched no file; linted without it"
        for config in workspace.nginx
        for file, line, pattern in config.missing_includes
    ]
    return LintOnTarget(result, list(paths), notes)
