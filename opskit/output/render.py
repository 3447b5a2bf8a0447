"""How `opskit render` reports: reports per family, the files and their state, validation verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from opskit.output.console import OutputFormat, emit_json, stdout_console

if TYPE_CHECKING:
    from opskit.adapters.validate import ValidationResult
    from opskit.core.render.model import RenderedFamily
    from opskit.core.render.pipeline import FileDrift


@dataclass(frozen=True)
class RenderOutcome:
    spec: str
    output_dir: str
    mode: str  # "write" or "check"
    families: tuple[RenderedFamily, ...]
    drift: list[FileDrift]
    written: list[str] = field(default_factory=list)
    validations: list[ValidationResult] = field(default_factory=list)


def show_outcome(outcome: RenderOutcome, output_format: OutputFormat) -> None:
    if output_format is OutputFormat.json:
        emit_json(
            "render",
            {
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
                "validation": [v.to_json() for v in outcome.validations],
                "drift": any(d.status != "unchanged" for d in outcome.drift),
            },
        )
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
    if any(not v.ok for v in outcome.validations):
        console.print("[red]validation failed: nothing was written[/red]")
