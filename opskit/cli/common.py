"""Options and helpers shared by every command."""

from __future__ import annotations

from typing import Annotated

import typer

from opskit.errors import ExitCode, InputError
from opskit.output.console import OutputFormat

FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-F", case_sensitive=False, help="human (rich tables) or json (for machines)."),
]
# The rule catalogue options of every command built on the rule framework (lint, diagnose).
ListRulesOption = Annotated[
    bool, typer.Option("--list-rules", help="List every rule (id, name, severity, summary) and exit.")
]
ExplainOption = Annotated[
    str | None,
    typer.Option("--explain", help="Show one rule's documentation (why, bad, good) and exit.", metavar="RULE"),
]


def finish(code: ExitCode | int) -> None:
    """End the command with one of the stable exit codes."""
    raise typer.Exit(int(code))


def require_finite(value: float, option: str) -> float:
    """A float option that is a number: "nan" passes typer's min/max checks (every comparison is false)."""
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError.option(option, f"{value} is not a number")
    return value
