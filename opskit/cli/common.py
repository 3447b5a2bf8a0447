"""Options and helpers shared by every command."""

from __future__ import annotations

from typing import Annotated

import typer

from opskit.errors import ExitCode
from opskit.output.console import OutputFormat

FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-F", case_sensitive=False, help="human (rich tables) or json (for machines)."),
]


def finish(code: ExitCode | int) -> None:
    """End the command with one of the stable exit codes."""
    raise typer.Exit(int(code))
