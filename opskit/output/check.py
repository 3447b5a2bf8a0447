"""Rendering for `opskit check harbor` and `opskit check resolver`: a rich table per subject, JSON or SARIF."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from opskit.core.check.harbor_judgement import EntryReport, HarborCheck
from opskit.core.check.resolver import ResolverReport
from opskit.core.check.result import CheckItem, Status, worst
from opskit.core.findings import Evidence, Finding
from opskit.core.redact import redact_text, redact_url
from opskit.output.console import Kind, OutputFormat, emit_json, stdout_console
from opskit.output.findings import finding_json
from opskit.output.safe import safe_cell, safe_text

if TYPE_CHECKING:
    from opskit.core.check.resolver import DnsAnswer, TargetCheck

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


def show(result: HarborCheck | ResolverReport, fmt: OutputFormat | str) -> None:
    """The one entry point: a table per Harbor entry point, or the DNS answers and proxy targets; or the
    JSON document; or (``sarif``) the failing and warning checks as a SARIF log with the CHK rules."""
    if str(fmt) == "sarif":
        _show_sarif(result)
    elif isinstance(result, HarborCheck):
        _show_harbor(result.entries, OutputFormat(str(fmt)))
    else:
        _show_resolver(result, OutputFormat(str(fmt)))


def _show_sarif(result: HarborCheck | ResolverReport) -> None:
    import json
    import sys

    from opskit.core.check.rules import rules_of
    from opskit.output.sarif import build_sarif

    command = "harbor" if isinstance(result, HarborCheck) else "resolver"
    log = build_sarif(list(public_findings(result)), list(rules_of(command)))
    sys.stdout.write(json.dumps(log, indent=2) + "\n")


def public_findings(result: HarborCheck | ResolverReport) -> tuple[Finding, ...]:
    """The run's failing and warning checks as findings, credentials masked in URLs and text."""
    if isinstance(result, HarborCheck):
        found = [f for entry in result.entries for f in entry.findings]
    else:
        found = list(result.findings)
    return tuple(_masked(f) for f in found)


def _masked(finding: Finding) -> Finding:
    # An entry's URL may carry userinfo (https://user:pw@host): masked as in `entries[].url`.
    evidence = tuple(Evidence(redact_url(e.file), e.line, redact_text(e.text)) for e in finding.evidence)
    return replace(finding, cause=redact_text(finding.cause), fix=redact_text(finding.fix), evidence=evidence)


def _show_harbor(reports: Sequence[EntryReport], output_format: OutputFormat) -> None:
    if output_format is OutputFormat.json:
        emit_json(Kind.CHECK_HARBOR, harbor_json(reports))
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


def _show_resolver(report: ResolverReport, output_format: OutputFormat) -> None:
    if output_format is OutputFormat.json:
        emit_json(Kind.CHECK_RESOLVER, resolver_json(report))
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


def check_item_json(item: CheckItem) -> dict[str, Any]:
    """One line of a check table as JSON (milliseconds rounded to a tenth)."""
    return {
        "id": item.check_id,
        "title": item.title,
        "status": str(item.status),
        "detail": item.detail,
        "explanation": item.explanation,
        "fix": item.fix,
        "millis": None if item.millis is None else round(item.millis, 1),
    }


def _answer_json(answer: DnsAnswer) -> dict[str, Any]:
    return {
        "name": answer.name,
        "type": answer.rdtype,
        "records": list(answer.records),
        "ttl": answer.ttl,
        "server": answer.server,
        "error": answer.error or None,
    }


def _target_json(check: TargetCheck) -> dict[str, Any]:
    target = check.target
    return {
        "file": target.file,
        "line": target.line,
        "where": target.where,
        "directive": target.directive,
        "host": target.host,
        "port": target.port,
        "upstream": target.via_upstream,
        "behaviour": str(target.behaviour),
        "resolver": check.resolver_text or None,
        "shadowed_by": ({"file": target.shadowed_by[0], "line": target.shadowed_by[1]} if target.shadowed_by else None),
        "answers": [_answer_json(a) for a in check.answers],
        "status": str(check.item.status),
        "explanation": check.item.explanation,
    }


def resolver_json(report: ResolverReport) -> dict[str, Any]:
    """The `check.resolver` document's payload: the names' answers and every proxy target's verdict."""
    return {
        "ok": not report.failed,
        "status": str(report.status),
        "names": [_answer_json(a) for a in report.names],
        "notes": [check_item_json(i) for i in report.name_items],
        "nginx_conf": report.config_file or None,
        "targets": [_target_json(t) for t in report.targets],
        "findings": [finding_json(f) for f in public_findings(report)],
    }


def harbor_json(reports: Sequence[EntryReport]) -> dict[str, Any]:
    """The `check.harbor` document's payload: one entry per URL (userinfo masked) with its checks, and
    the failing and warning checks as ``findings`` (shaped like lint's and diagnose's)."""
    return {
        "ok": not any(r.failed for r in reports),
        "entries": [
            {
                "url": redact_url(r.url),
                "status": str(worst(list(r.items))),
                "realm": r.realm,
                "harbor_version_assumed": r.version_used or None,
                "checks": [check_item_json(item) for item in r.items],
            }
            for r in reports
        ],
        "findings": [finding_json(f) for f in public_findings(HarborCheck(tuple(reports)))],
    }
