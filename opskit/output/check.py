"""Rendering for `opskit check harbor` and `opskit check resolver`: a rich table per subject, or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from opskit.core.check.result import CheckItem, Status, worst
from opskit.core.redact import redact_text, redact_url
from opskit.output.console import OutputFormat, emit_json, stdout_console
from opskit.output.safe import safe_cell, safe_text

if TYPE_CHECKING:
    from opskit.core.check.harbor_judgement import EntryReport
    from opskit.core.check.resolver import ResolverReport

_STYLE = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "bold red", Status.SKIP: "dim"}


def _status_text(status: Status) -> str:
    return f"[{_STYLE[status]}]{status.value.upper()}[/]"


def _items_table(title: str, items: Sequence[CheckItem], show_millis: bool = True) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column("check", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("detail", overflow="fold")
    if show_millis:
        table.add_column("ms", justify="right", no_wrap=True)
    for item in items:
        # Titles and details quote HTTP headers, realms and DNS answers: outside text, never markup.
        row: list[Any] = [safe_cell(item.title), _status_text(item.status), safe_cell(redact_text(item.detail))]
        if show_millis:
            row.append("" if item.millis is None else f"{item.millis:.0f}")
        table.add_row(*row)
    return table


def _explanations(console: Any, items: Sequence[CheckItem]) -> None:
    for item in items:
        if item.status in (Status.FAIL, Status.WARN) and (item.explanation or item.fix):
            console.print(
                f"  {_status_text(item.status)} {safe_text(item.title)}: {safe_text(redact_text(item.explanation))}"
            )
            if item.fix:
                console.print(f"    fix: {safe_text(redact_text(item.fix))}")


def show_harbor(reports: Sequence[EntryReport], output_format: OutputFormat) -> None:
    if output_format is OutputFormat.json:
        emit_json(
            "check.harbor",
            {
                "ok": not any(r.failed for r in reports),
                "entries": [
                    {
                        "url": redact_url(r.url),
                        "status": str(worst(list(r.items))),
                        "realm": r.realm,
                        "harbor_version_assumed": r.version_used or None,
                        "checks": [item.to_json() for item in r.items],
                    }
                    for r in reports
                ],
            },
        )
        return
    console = stdout_console()
    for report in reports:
        overall = worst(list(report.items))
        version = f", Harbor {report.version_used}" if report.version_used else ""
        shown = safe_text(redact_url(report.url))
        console.print(_items_table(f"{shown}  {_status_text(overall)}{safe_text(version)}", report.items))
        _explanations(console, report.items)
        console.print()
    failed = [safe_text(redact_url(r.url)) for r in reports if r.failed]
    if failed:
        console.print(f"[bold red]{len(failed)} of {len(reports)} entry points fail:[/] {', '.join(failed)}")
    else:
        console.print(f"[green]all {len(reports)} entry points pass[/]")


def show_resolver(report: ResolverReport, output_format: OutputFormat) -> None:
    if output_format is OutputFormat.json:
        emit_json("check.resolver", report.to_json())
        return
    from rich.table import Table

    escape = safe_text  # names, records, config excerpts and file names all came from outside
    console = stdout_console()
    if report.names:
        table = Table(title="DNS answers", title_justify="left")
        for column in ("name", "type", "records", "ttl", "server", "result"):
            table.add_column(column, overflow="fold")
        for answer in report.names:
            table.add_row(
                escape(answer.name),
                answer.rdtype,
                escape(", ".join(answer.records) or answer.error or "-"),
                "" if answer.ttl is None else str(answer.ttl),
                escape(answer.server),
                _status_text(answer.status),
            )
        console.print(table)
        _explanations(console, report.name_items)
    if report.targets:
        table = Table(title=f"proxy targets in {safe_text(report.config_file)}", title_justify="left")
        for column in ("where", "name", "behaviour", "resolver", "answer now", "result"):
            table.add_column(column, overflow="fold")
        for target in report.targets:
            table.add_row(
                escape(target.location),
                escape(target.host_port),
                escape(target.behaviour.value),
                escape(target.resolver_text),
                escape(target.answer_text),
                _status_text(target.item.status),
            )
        console.print(table)
        _explanations(console, [t.item for t in report.targets])
    status = report.status
    console.print(
        {Status.FAIL: "[bold red]problems found[/]", Status.WARN: "[yellow]warnings[/]"}.get(status, "[green]ok[/]")
    )
