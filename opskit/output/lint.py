"""Rendering lint results: text for people, a JSON document for machines."""

from __future__ import annotations

from typing import Any

from opskit.core.findings import Finding, Severity
from opskit.core.lint.engine import LintResult, LintRun
from opskit.output.findings import finding_json

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def summary(result: LintResult, files: list[str]) -> dict[str, Any]:
    counts = {s.label: sum(1 for f in result.findings if f.severity == s) for s in Severity}
    return {
        "files": len(files),
        "rules": len(result.rules_run),
        "findings": len(result.findings),
        "suppressed": result.suppressed,
        "below_threshold": result.below_threshold,
        "by_severity": counts,
    }


def _say(console: Any, text: str, style: str = "") -> None:
    """One line, never wrapped (config lines must stay copyable), no markup interpretation."""
    from rich.text import Text

    from opskit.output.safe import safe_plain

    # Config lines and file names come from outside: an ESC, CR or bidi override is shown, never obeyed.
    console.print(Text(safe_plain(text), style=style), soft_wrap=True)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def render_human(result: LintResult, files: list[str], notes: list[str], threshold: Severity) -> None:
    """One block per finding: location, severity, rule, cause, related lines, fix."""
    from opskit.output.console import stderr_console, stdout_console

    console = stdout_console()
    for note in notes:
        _say(stderr_console(), f"opskit: note: {note}")
    for finding in result.findings:
        _print_finding(console, finding)
    counts = summary(result, files)
    parts = [_plural(n, label) for label, n in counts["by_severity"].items() if n]
    tail = f"; {result.suppressed} suppressed inline" if result.suppressed else ""
    if result.below_threshold:
        tail += (
            f"; {_plural(result.below_threshold, 'finding')} below --min-severity "
            f"{threshold.label} (show with --min-severity info)"
        )
    if result.findings:
        _say(
            console,
            f"{_plural(len(result.findings), 'finding')} ({', '.join(parts)}) in {_plural(len(files), 'file')}{tail}.",
            "bold",
        )
    else:
        _say(
            console,
            f"No findings in {_plural(len(files), 'file')} ({len(result.rules_run)} rules){tail}.",
            "green",
        )


def _print_finding(console: Any, finding: Finding) -> None:
    from rich.text import Text

    from opskit.output.safe import safe_plain

    where = finding.primary.location if finding.primary else "<input>"
    head = Text()
    head.append(safe_plain(where), style="bold")
    head.append("  ")
    head.append(finding.severity.label, style=_STYLE[finding.severity])
    head.append(f"  {finding.rule_id}  {safe_plain(finding.title)}")
    console.print(head, soft_wrap=True)
    if finding.primary and finding.primary.text:
        _say(console, f"    > {finding.primary.text}", "dim")
    _say(console, f"    {finding.cause}")
    for related in finding.related:
        _say(console, f"    see {related.location}: {related.text}", "dim")
    _say(console, "    fix:")
    for line in finding.fix.splitlines():
        _say(console, f"      {line}", "green")
    console.print()


def json_payload(result: LintResult, files: list[str], notes: list[str]) -> dict[str, Any]:
    return {
        "summary": summary(result, files),
        "inputs": files,
        "notes": notes,
        "findings": [finding_json(f) for f in result.findings],
    }


def show(run: LintRun, fmt: str) -> None:
    """The one entry point for a lint run: ``human`` blocks, the ``json`` document, or a ``sarif`` log."""
    if fmt == "json":
        from opskit.output.console import Kind, emit_json

        emit_json(Kind.LINT, json_payload(run.result, run.files, run.notes))
    elif fmt == "sarif":
        import json
        import sys

        from opskit.output.sarif import build_sarif

        log = build_sarif(list(run.result.findings), list(run.rules), run.notes)
        sys.stdout.write(json.dumps(log, indent=2) + "\n")
    else:
        render_human(run.result, run.files, run.notes, run.threshold)
