"""Rendering for `opskit probe slowloris`: the plan, live progress, and the verdict."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from opskit.output.console import OutputFormat, emit_json, stderr_console, stdout_console

if TYPE_CHECKING:
    from opskit.adapters.net import Progress
    from opskit.core.probe.slowloris import ProbePlan, ProbeReport

_VERDICT_STYLE = {
    "protected": "bold green",
    "too slow": "bold yellow",
    "vulnerable": "bold red",
    "inconclusive": "bold yellow",
}


def show_plan(plan: ProbePlan, addresses: list[str]) -> None:
    """Exactly what would be sent (to stderr, so JSON on stdout stays clean)."""
    from opskit.core.redact import redact_text
    from opskit.output.safe import safe_text

    def escape(text: str) -> str:
        return safe_text(redact_text(text))

    console = stderr_console()
    console.print(f"[bold]opskit probe slowloris would send to {escape(', '.join(addresses))}:[/]")
    for line in plan.describe():
        console.print(f"  {escape(line)}")


@contextmanager
def watch(plan: ProbePlan, output_format: OutputFormat) -> Iterator[Callable[[Progress], None] | None]:
    """Live progress on stderr for people at a terminal; nothing for JSON or pipes."""
    if output_format is OutputFormat.json or not sys.stderr.isatty():
        yield None
        return
    from rich.live import Live
    from rich.text import Text

    def line(progress: Progress) -> Text:
        return Text(
            f"{progress.elapsed:5.1f}/{plan.max_seconds:g} s  opened {progress.started}/{plan.connections}  "
            f"held {progress.open}  cut {progress.cut}  refused {progress.refused}"
        )

    with Live(Text("starting…"), console=stderr_console(), refresh_per_second=4, transient=True) as live:

        def update(progress: Progress) -> None:
            live.update(line(progress))

        yield update


def show_report(report: ProbeReport, address: str, output_format: OutputFormat) -> None:
    if output_format is OutputFormat.json:
        emit_json("probe.slowloris", {"address": address, **report.to_json()})
        return
    from rich.table import Table

    from opskit.core.redact import redact_text
    from opskit.output.safe import safe_text

    def escape(text: str) -> str:
        return safe_text(redact_text(text))

    console = stdout_console()
    plan = report.plan
    console.print(
        f"slowloris probe of {escape(plan.scheme)}://{escape(plan.host_header)}{escape(plan.path)} ({address})"
    )
    table = Table()
    table.add_column("ended by")
    table.add_column("connections", justify="right")
    for ending, count in report.endings.items():
        if count:
            table.add_row(ending, str(count))
    console.print(table)
    for label, stats in (("cut after", report.lifetimes), ("lifetime (all)", report.all_lifetimes)):
        if stats is not None:
            console.print(f"{label}: p50 {stats.p50:.2f} s, p95 {stats.p95:.2f} s, max {stats.max:.2f} s")
    style = _VERDICT_STYLE[str(report.verdict)]
    console.print(f"[{style}]{str(report.verdict).upper()}[/]: {escape(report.summary)}")
    console.print(escape(report.explanation))
