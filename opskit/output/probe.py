"""Rendering for `opskit probe slowloris`: the plan, live progress, and the verdict."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from opskit.core.probe.slowloris import ProbeOutcome, ProbePreview
from opskit.output.console import Kind, OutputFormat, emit_json, stderr_console, stdout_console

if TYPE_CHECKING:
    from opskit.core.probe.slowloris import Percentiles, ProbePlan, ProbeReport, Progress

_VERDICT_STYLE = {
    "protected": "bold green",
    "too slow": "bold yellow",
    "vulnerable": "bold red",
    "inconclusive": "bold yellow",
}


def show(result: ProbeOutcome | ProbePreview, fmt: OutputFormat) -> None:
    """The one entry point: a probe's verdict (JSON or for people), or the preview of what it would send
    (always on stderr, so JSON on stdout stays clean)."""
    if isinstance(result, ProbePreview):
        _show_plan(result.plan, list(result.addresses))
    else:
        _show_report(result.report, result.address, fmt)


def _show_plan(plan: ProbePlan, addresses: list[str]) -> None:
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


def _show_report(report: ProbeReport, address: str, output_format: OutputFormat) -> None:
    if output_format is OutputFormat.json:
        emit_json(Kind.PROBE_SLOWLORIS, {"address": address, **report_json(report)})
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


def _percentiles_json(stats: Percentiles | None) -> dict[str, float] | None:
    if stats is None:
        return None
    return {"p50": round(stats.p50, 3), "p95": round(stats.p95, 3), "max": round(stats.max, 3)}


def report_json(report: ProbeReport) -> dict[str, Any]:
    """The `probe.slowloris` document's payload: the plan, the verdict, and every connection's ending."""
    plan = report.plan
    return {
        "target": f"{plan.scheme}://{plan.host_header}{plan.path}",
        "connections": plan.connections,
        "interval": plan.interval,
        "max_seconds": plan.max_seconds,
        "expect_cut_within": plan.expect_cut_within,
        "elapsed": round(report.elapsed, 3),
        "interrupted": report.interrupted,
        "verdict": str(report.verdict),
        "summary": report.summary,
        "explanation": report.explanation,
        "endings": report.endings,
        "cut_lifetimes": _percentiles_json(report.lifetimes),
        "lifetimes": _percentiles_json(report.all_lifetimes),
        "per_connection": [
            {
                "index": r.index,
                "ending": str(r.ending),
                "lifetime": round(r.lifetime, 3),
                "lines_sent": r.lines_sent,
                "status": r.status,
                "opened_at": round(r.opened_at, 3),
                "connected_at": None if r.connected_at is None else round(r.connected_at, 3),
                **({"error": r.error} if r.error else {}),
            }
            for r in report.results
        ],
    }
