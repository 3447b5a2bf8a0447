# Copyright opskit maintainers
# SPDX-License-Identifier: Apache-2.0
"""Shared by the opskit.fleet modules: reach opskit in the target's interpreter, and turn opskit's
expected errors into a clean ``fail_json`` (never a traceback in the play output)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def require_opskit(module: Any) -> None:
    """Fail the task, naming the interpreter, when opskit cannot be imported on this target."""
    try:
        import opskit  # noqa: F401
    except ImportError as exc:
        module.fail_json(
            msg=(
                f"opskit is not importable by the Python running this module on the target "
                f"({sys.executable}, Python {sys.version.split()[0]}): {exc}. Install opskit into that "
                "interpreter (pip install opskit), or point ansible_python_interpreter at one that has it."
            ),
            interpreter=sys.executable,
        )


def run_opskit(module: Any, action: Callable[[], T], **extra: Any) -> T:
    """Run ``action``; an OpskitError (bad input, missing privilege or binary) fails the task with
    opskit's own one-paragraph message and its kind (``input`` / ``environment`` / ``apply``)."""
    from opskit.errors import EnvironmentProblem, InputError, OpskitError

    try:
        return action()
    except OpskitError as exc:
        kind = (
            "input"
            if isinstance(exc, InputError)
            else "environment"
            if isinstance(exc, EnvironmentProblem)
            else "apply"
        )
        hint = getattr(exc, "hint", None)
        module.fail_json(msg=exc.describe(), error_kind=kind, hint=hint, **extra)
        raise  # fail_json exits; this keeps type checkers honest


def session_dict(session: Any) -> dict[str, Any]:
    """A Session as plain data for the task result."""
    return {
        "local_ip": session.local_ip,
        "local_port": session.local_port,
        "peer_ip": session.peer_ip,
        "peer_port": session.peer_port,
        "state": session.state,
        "pid": session.pid,
        "process": session.process,
    }
