"""`opskit render SPEC`: one YAML spec → every config it implies (written, checked, or validated)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from opskit.cli.common import FormatOption, finish
from opskit.output.console import OutputFormat


def render(
    spec: Annotated[Path, typer.Argument(help="The site spec (YAML).", show_default=False, metavar="SPEC.yaml")],
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Where the files go. Default: a folder named after the spec, beside it.",
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Render in memory, diff against DIR, exit 1 on drift. Writes nothing.")
    ] = False,
    validate: Annotated[
        bool,
        typer.Option("--validate", help="Check the output with the real nginx -t / haproxy -c -dW before writing."),
    ] = False,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Render only this family (repeatable).", metavar="FAMILY")
    ] = None,
    output_format: FormatOption = OutputFormat.human,
) -> None:
    """Render Harbor, HAProxy-edge and Kubernetes-gateway configs from one spec.

    Output is byte-identical across runs and machines. Files are written atomically, and with
    --validate only after every check passed.
    """
    from opskit.app.render import render_spec
    from opskit.errors import ExitCode
    from opskit.output.render import show

    outcome = render_spec(spec, output_dir, check=check, validate=validate, only=only or ())
    show(outcome, output_format)
    if outcome.validation_failed or (check and outcome.drifted):
        finish(ExitCode.FINDINGS)
    finish(ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.command("render", no_args_is_help=True)(render)
