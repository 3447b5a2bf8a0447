"""`opskit diagnose`: explain pasted Tailscale netcheck/status/ping output and Windows CLI errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from opskit.cli.common import FormatOption, finish
from opskit.errors import ExitCode, InputError
from opskit.output.console import OutputFormat

if TYPE_CHECKING:
    from opskit.core.diagnose.engine import Diagnosis

STDIN = "-"


def _read_inputs(files: list[str], labels: list[str]) -> list[tuple[str, str, str]]:
    """(label, source, text) per FILE; ``-`` reads stdin once."""
    if labels and len(labels) != len(files):
        raise InputError.at(
            None, None, "--label", f"got {len(labels)} label(s) for {len(files)} input(s); give one per input"
        )
    from opskit.adapters.fs import InputKind, read_input_bytes, read_stdin_bytes

    inputs: list[tuple[str, str, str]] = []
    for index, name in enumerate(files):
        if name == STDIN:
            data = read_stdin_bytes(InputKind.PASTE)
            text, source, stem = data.decode("utf-8", errors="replace"), "<stdin>", "stdin"
        else:
            path = Path(name)
            try:
                data = read_input_bytes(path, InputKind.PASTE)
            except OSError as error:
                raise InputError.at(name, None, None, f"cannot read: {error.strerror or error}") from None
            text, source, stem = data.decode("utf-8", errors="replace"), name, path.stem
        inputs.append((labels[index] if labels else stem, source, text))
    return inputs


def diagnose_command(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files with pasted output, one node per file; '-' reads stdin.", show_default=False
        ),
    ] = None,
    label: Annotated[
        list[str] | None,
        typer.Option("--label", "-l", help="Node name for each input, in order (default: the file stem)."),
    ] = None,
    live: Annotated[
        bool,
        typer.Option(
            "--live", help="Inspect this machine: tailscaled process, its user and flags; run the CLI."
        ),
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
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="List every rule (id, name, severity, summary) and exit.")
    ] = False,
    explain: Annotated[
        str | None,
        typer.Option("--explain", help="Show one rule's documentation (why, bad, good) and exit.", metavar="RULE"),
    ] = None,
) -> None:
    """Explain `tailscale netcheck`, `status`, `ping` output and Windows CLI errors.

    Give one file per node (A.txt B.txt C.txt) to get a NAT profile per node and the expected path for
    every pair, with the reason and the change that would make it direct. Exit codes: 0 nothing worse
    than info, 1 warnings or errors found, 2 unrecognised input or unusable environment.
    """
    from opskit.app.gc_pause import collector_paused
    from opskit.core.diagnose.engine import InputText, diagnose
    from opskit.output.console import emit_json, stderr_console, stdout_console
    from opskit.output.diagnose import render_human, render_warnings, to_json

    if list_rules or explain is not None:
        from opskit.core.diagnose.rules import all_rules
        from opskit.core.rules import rule_named
        from opskit.output.rules import show_rule_explanation, show_rule_list

        if explain is not None:
            show_rule_explanation("diagnose", rule_named(all_rules(), explain, "diagnose"), output_format.value)
        else:
            show_rule_list("diagnose", all_rules(), output_format.value)
        finish(ExitCode.OK)
    files = files or []
    if graph is not None and graph.suffix.lower() not in (".svg", ".dot"):
        raise InputError.option("--graph", f"{graph}: the name must end in .svg or .dot")
    if not files and not live:
        raise InputError.option("FILE", "give one or more files, '-' for stdin, or --live")
    inputs = [InputText(lbl, src, text) for lbl, src, text in _read_inputs(files, label or [])]
    snapshot = None
    if live:
        from opskit.adapters.tailscale_live import snapshot as take_snapshot

        snapshot = take_snapshot()
        if snapshot.runs:
            # One node, several commands: keep the prompts so each block knows its command.
            transcript = "\n".join(f"$ {run.command}\n{run.output}" for run in snapshot.runs)
            inputs.append(InputText("local", "live", transcript, required=False))
    with collector_paused():  # a big paste is many small, long-lived, acyclic objects: see opskit.app.gc_pause
        result = diagnose(inputs, live=snapshot)
    code = ExitCode.FINDINGS if result.has_problems else ExitCode.OK
    if output_format is OutputFormat.json:
        emit_json("diagnose", to_json(result, int(code)))
    else:
        render_human(result, stdout_console())
        # In JSON mode the warnings are in the document ("warnings"); stderr stays quiet so a caller
        # that merges the streams still reads one JSON document.
        render_warnings(result.warnings, stderr_console())
    if graph is not None:
        _write_graph(graph, result)
    finish(code)


def _write_graph(path: Path, result: Diagnosis) -> None:
    from opskit.adapters.fs import write_report
    from opskit.output.diagnose_graph import build_dot

    if not result.profiles:
        raise InputError.option("--graph", "needs netcheck output for at least one node (nothing to draw)")
    text = build_dot(result)
    if path.suffix.lower() == ".svg":
        from opskit.adapters.graphviz import dot_to_svg

        text = dot_to_svg(text)
    write_report(path, text, "--graph")


def register(app: typer.Typer) -> None:
    app.command("diagnose")(diagnose_command)
