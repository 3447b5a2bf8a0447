"""Machine output on failure: the `error` JSON document and the SARIF log of a run that did not
execute successfully (every problem a notification). The human paragraph goes to stderr elsewhere."""

from __future__ import annotations

import json
import sys
from pathlib import PurePath
from typing import Any

from opskit import __version__
from opskit.errors import COMMAND_LINE, InputError, OpskitError, Problem
from opskit.output.console import Kind, emit_json
from opskit.output.sarif import SARIF_SCHEMA


def _problems(error: OpskitError) -> list[Problem]:
    if isinstance(error, InputError) and error.problems:
        return list(error.problems)
    return [Problem(None, None, None, error.describe())]


def error_json(command: str, error: OpskitError, exit_code: int) -> dict[str, Any]:
    """The `error` document's payload: the first problem's file/line/field at the top, every problem listed."""
    problems = _problems(error)
    first = problems[0]
    return {
        "command": command,
        "error": error.describe(),
        "file": first.file,
        "line": first.line,
        "field": first.field,
        "problems": [{"file": p.file, "line": p.line, "field": p.field, "problem": p.problem} for p in problems],
        "exit_code": exit_code,
    }


def sarif_error_log(command: str, error: OpskitError, exit_code: int) -> dict[str, Any]:
    """A SARIF log whose one run did not execute successfully; each problem is a notification."""
    notifications: list[dict[str, Any]] = []
    for problem in _problems(error):
        notification: dict[str, Any] = {
            "level": "error",
            "message": {"text": str(problem) if problem.file or problem.field else problem.problem},
        }
        if problem.file and problem.file != COMMAND_LINE:
            uri = PurePath(problem.file).as_uri() if PurePath(problem.file).is_absolute() else problem.file
            physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
            if problem.line is not None and problem.line >= 1:
                physical["region"] = {"startLine": problem.line}
            notification["locations"] = [{"physicalLocation": physical}]
        notifications.append(notification)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "opskit", "version": __version__, "rules": []}},
                "invocations": [
                    {
                        "executionSuccessful": False,
                        "exitCode": exit_code,
                        "commandLine": f"opskit {command}".strip(),
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": [],
            }
        ],
    }


def show_error(output_format: str, command: str, error: OpskitError, exit_code: int) -> None:
    """The one entry point: the `error` JSON document, or for ``sarif`` an unsuccessful SARIF run."""
    if output_format == "json":
        emit_json(Kind.ERROR, error_json(command, error, exit_code))
    elif output_format == "sarif":
        sys.stdout.write(json.dumps(sarif_error_log(command, error, exit_code), indent=2) + "\n")
    sys.stdout.flush()
