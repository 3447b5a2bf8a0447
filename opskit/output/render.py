"""How `opskit render` reports: reports per family, the files and their state, validation verdicts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opskit.output.console import Kind, OutputFormat, emit_json, stdout_console

if TYPE_CHECKING:
    from opskit.core.render.model import ValidationResult
    from opskit.core.render.outcome import RenderOutcome


def validation_json(result: ValidationResult) -> dict[str, Any]:
    """One validator's verdict as JSON."""
    return {
        "tool": result.tool,
        "entry": result.entry,
        "ok": result.ok,
        "command": result.command,
        "output": result.output,
        "notes": list(result.notes),
    }


def outcome_json(outcome: RenderOutcome) -> dict[str, Any]:
    """The `render` document's payload."""
    return {
        "spec": outcome.spec,
        "output_dir": outcome.output_dir,
        "mode": outcome.mode,
        "families": [
            {"name": f.family, "files": sorted(f.files), "report": f.report, "notes": list(f.notes)}
            for f in outcome.families
        ],
        "files": [
            {
                "path": d.path,
                "status": d.status,
                "written": d.path in outcome.written,
                **({"diff": d.diff} if outcome.mode == "check" and d.diff else {}),
            }
            for d in outcome.drift
        ],
        "validation": [validation_json(v) for v in outcome.validations],
        "drift": outcome.drifted,
    }


def show(outcome: RenderOutcome, fmt: OutputFormat) -> None:
    """The one entry point: JSON for machines, or per-family reports, the file table and verdicts."""
    if fmt is OutputFormat.json:
        emit_json(Kind.RENDER, outcome_json(outcome))
        return

    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from opskit.output.safe import safe_cell, safe_plain, safe_text

    console = stdout_console()
    for family in outcome.families:
        if family.report:
            console.print(
                Panel(safe_cell(family.report.rstrip(), newlines=True), title=f"{family.family} report", expand=False)
            )
        for note in family.notes:
            console.print(f"[yellow]note[/yellow] ({family.family}): {safe_text(note)}")

    if outcome.mode == "check":
        for item in outcome.drift:
            if item.status != "unchanged":
                console.print(safe_cell(item.diff.rstrip(), newlines=True))
    console.print(Text(safe_plain(f"{outcome.spec} → {outcome.output_dir}/")))
    table = Table()
    table.add_column("file", overflow="fold")
    table.add_column("state")
    for item in outcome.drift:
        if outcome.mode == "check":
            state = {
                "unchanged": "up to date",
                "changed": "DRIFT",
                "missing": "MISSING",
                "orphaned": "ORPHANED",
                "foreign": "NOT OURS",
            }[item.status]
        elif item.path in outcome.written:
            state = "written"
        elif item.status == "orphaned":
            state = "orphaned (no longer rendered; remove it)"
        elif item.status == "unchanged":
            state = "unchanged"
        elif item.status == "foreign":
            state = "not a file opskit wrote"
        else:
            state = "not written"
        table.add_row(safe_cell(item.path), state)
    console.print(table)

    for result in outcome.validations:
        verdict = "[green]ok[/green]" if result.ok else "[red]FAILED[/red]"
        console.print(f"{verdict}  {safe_text(result.command)}")
        for note in result.notes:
            console.print(f"     note: {safe_text(note)}")
        if not result.ok:
            console.print(safe_cell(result.output, newlines=True))
    if outcome.validation_failed:
        console.print("[red]validation failed: nothing was written[/red]")
