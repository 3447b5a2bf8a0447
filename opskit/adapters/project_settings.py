"""Finding and reading a project's opskit settings (``.opskit.toml`` or ``[tool.opskit]`` in pyproject.toml)."""

from __future__ import annotations

import glob
import os
import tomllib
from pathlib import Path
from typing import Any

from opskit.core.lint.project import LintProject, parse_lint_project
from opskit.errors import InputError

DEDICATED_FILE = ".opskit.toml"
PYPROJECT = "pyproject.toml"


def _load_toml(path: Path) -> dict[str, Any]:
    from opskit.adapters.input_files import InputKind, read_text_input

    text = read_text_input(path, "settings file", InputKind.SETTINGS)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib's message ends with "(at line L, column C)": keep it, it is where the problem is.
        raise InputError.at(str(path), None, None, f"not valid TOML: {error}") from None


def _lint_table(path: Path) -> LintProject | None:
    data = _load_toml(path)
    if path.name == PYPROJECT:
        tool = data.get("tool", {})
        opskit = tool.get("opskit") if isinstance(tool, dict) else None
        if opskit is None:
            return None
        if not isinstance(opskit, dict):
            raise InputError.at(str(path), None, "tool.opskit", "must be a table")
        table, name = opskit.get("lint", {}), "tool.opskit.lint"
    else:
        table, name = data.get("lint", {}), "lint"
    return parse_lint_project(table, str(path), name, str(path.parent))


def find_lint_project(start: Path, explicit: Path | None = None) -> LintProject | None:
    """The settings that apply in ``start``: ``explicit`` if given, else the nearest settings file.

    The search walks up from ``start`` and stops at the repository root (a folder holding ``.git``),
    so a checkout never picks up settings from a folder above it. In each folder ``.opskit.toml``
    wins over ``pyproject.toml``; a pyproject without ``[tool.opskit]`` is passed over.
    """
    if explicit is not None:
        return _lint_table(explicit)
    folder = start.resolve()
    while True:
        dedicated = folder / DEDICATED_FILE
        if dedicated.is_file():
            return _lint_table(dedicated)
        pyproject = folder / PYPROJECT
        if pyproject.is_file():
            found = _lint_table(pyproject)
            if found is not None:
                return found
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def expand_declared_paths(project: LintProject) -> list[str]:
    """The config set a project declares, as paths relative to the current folder where possible.

    A glob may match nothing (an empty folder in a template repository); a plain path that does not
    exist is an error naming the setting, so a renamed file cannot silently drop out of the set.
    """
    found: list[str] = []
    base = Path(project.base_dir)
    for entry in project.paths:
        pattern = entry if os.path.isabs(entry) else str(base / entry)
        if any(ch in entry for ch in "*?["):
            matches = sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
        elif os.path.isfile(pattern):
            matches = [pattern]
        else:
            raise InputError.at(project.source, None, f"{project.table}.paths", f"{entry!r}: no such file")
        for match in matches:
            shown = os.path.relpath(match) if not os.path.isabs(entry) else match
            if shown not in found:
                found.append(shown)
    return found
