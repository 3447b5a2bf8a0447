"""Project settings for `opskit lint`: what a repository declares once instead of on every command line.

Read from ``.opskit.toml`` (table ``[lint]``) or ``pyproject.toml`` (table ``[tool.opskit.lint]``);
the adapter finds and parses the file, this module only checks the table. Keys (all optional):

- ``paths``: the config set, as files or globs relative to the settings file. Linting the whole set
  is what lets the HAProxy ↔ nginx rules (X0xx) see both sides on a commit that touches only one.
- ``select`` / ``ignore``: rule ids, prefixes, names or families (as the flags).
- ``min-severity``: ``info``, ``warning`` or ``error``.
- ``nginx-version``: the target nginx version, ``X.Y.Z``.

Flags given on the command line win over the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opskit.errors import InputError

KNOWN_KEYS = ("paths", "select", "ignore", "min-severity", "nginx-version")


@dataclass(frozen=True)
class LintProject:
    """The ``lint`` settings of one settings file, checked but not yet applied."""

    source: str  # the settings file, for error messages
    table: str  # "lint" or "tool.opskit.lint"
    base_dir: str  # paths are relative to the settings file's folder
    paths: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    min_severity: str | None = None
    nginx_version: str | None = None


def _strings(value: Any, source: str, field: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise InputError.at(source, None, field, "must be a list of non-empty strings")
    return tuple(item.strip() for item in value)


def _string(value: Any, source: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError.at(source, None, field, "must be a non-empty string")
    return value.strip()


def parse_lint_project(table: Any, source: str, table_name: str, base_dir: str) -> LintProject:
    """Check a ``[lint]`` table; unknown keys are errors (a typo must not silently lint less)."""
    if not isinstance(table, dict):
        raise InputError.at(source, None, table_name, "must be a table")
    unknown = sorted(set(table) - set(KNOWN_KEYS))
    if unknown:
        raise InputError.at(source, None, f"{table_name}.{unknown[0]}", f"unknown key (known: {', '.join(KNOWN_KEYS)})")

    def field(key: str) -> str:
        return f"{table_name}.{key}"

    return LintProject(
        source=source,
        table=table_name,
        base_dir=base_dir,
        paths=_strings(table["paths"], source, field("paths")) if "paths" in table else (),
        select=_strings(table["select"], source, field("select")) if "select" in table else (),
        ignore=_strings(table["ignore"], source, field("ignore")) if "ignore" in table else (),
        min_severity=_string(table["min-severity"], source, field("min-severity")) if "min-severity" in table else None,
        nginx_version=_string(table["nginx-version"], source, field("nginx-version"))
        if "nginx-version" in table
        else None,
    )
