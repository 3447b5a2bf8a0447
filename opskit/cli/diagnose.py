"""`opskit diagnose`: explain pasted Tailscale netcheck/status/ping output and Windows CLI errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from opskit.cli.common import ExplainOption, FormatOption, ListRulesOption, finish
from opskit.errors import ExitCode, InputError
from opskit.output.console import OutputFormat

if TYPE_CHECKING:
    from opskit.core.diagnose.engine import Diagnosis


def diagnose_command(
    files: Annotated[
        list[str] | None,
        typer.Argument(help="Files with pasted output, one node per file; '-' reads stdin.", show_default=False),
    ] = None,
    label: Annotated[
        list[str] | None,
        typer.Option("--label", "-l", help="Node name for each input, in order (default: the file stem)."),
    ] = None,
    live: Annotated[
        bool,
        typer.Option("--live", help="Inspect this machine: tailscaled process, its user and flags; run the CLI."),
    ] = False,
    graph: Annotated[
        Path | None,
        typer.Option(
            "--graph",
            help="Also draw nodes and expected paths: FILE.svg (needs Graphviz) or FILE.dot.",
            metavar="FILE",
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.human,
    list_rules: ListRulesOption = False,
    explain: ExplainOption = None,
) -> None:
    """Explain `tailscale netcheck`, `status`, `ping` output and Windows CLI errors.

    Give one file per node (A.txt B.txt C.txt) to get a NAT profile per node and the expected path for
    every pair, with the reason and the change that would make it direct. Exit codes: 0 nothing worse
    than info, 1 warnings or errors found, 2 unrecognised input or unusable environment.
    """
    from opskit.app.diagnose import run_diagnosis
    from opskit.output.diagnose import show

    if list_rules or explain is not None:
        from opskit.core.diagnose.rules import all_rules
        from opskit.output.rules import show_rules

        show_rules("diagnose", all_rules(), explain, output_format.value)
        finish(ExitCode.OK)
    if graph is not None and graph.suffix.lower() not in (".svg", ".dot"):
        raise InputError.option("--graph", f"{graph}: the name must end in .svg or .dot")
    result = run_diagnosis(files or [], label or [], live=live)
    show(result, output_format)
    if graph is not None:
        _write_graph(graph, result)
    finish(ExitCode.FINDINGS if result.has_problems else ExitCode.OK)


def _write_graph(path: Path, result: Diagnosis) -> None:
    from opskit.app.diagnose import save_graph
    from opskit.output.diagnose_graph import build_dot

    if not result.profiles:
        raise InputError.option("--graph", "needs netcheck output for at least one node (nothing to draw)")
    save_graph(path, build_dot(result))


def register(app: typer.Typer) -> None:
    app.command("diagnose")(diagnose_command)
