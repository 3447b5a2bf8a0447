"""`--list-rules` and `--explain RULE` of every command with rules (lint, diagnose): one rendering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opskit.core.rules import Rule
from opskit.output.console import Kind
from opskit.output.rules_doc import rule_doc_url


def _say(console: Any, text: str, style: str = "") -> None:
    """One line, never wrapped (examples must stay copyable), no markup interpretation."""
    from rich.text import Text

    from opskit.output.safe import safe_plain

    console.print(Text(safe_plain(text), style=style), soft_wrap=True)


def _kinds(tool: str) -> tuple[Kind, Kind]:
    """The documents' kinds for ``tool``'s rule list and one rule's documentation."""
    return {
        "lint": (Kind.LINT_RULES, Kind.LINT_RULE),
        "diagnose": (Kind.DIAGNOSE_RULES, Kind.DIAGNOSE_RULE),
    }[tool]


def show_rules(tool: str, rules: Sequence[Rule], explain: str | None, output_format: str) -> None:
    """`opskit lint|diagnose --list-rules` (``explain`` None) or `--explain RULE`: one entry point."""
    from opskit.core.rules import rule_named

    if explain is not None:
        show_rule_explanation(tool, rule_named(rules, explain, tool), output_format)
    else:
        show_rule_list(tool, rules, output_format)


def show_rule_list(tool: str, rules: Sequence[Rule], output_format: str) -> None:
    """`opskit <tool> --list-rules`: one row per rule, in catalog order."""
    from opskit.output.console import emit_json, stdout_console

    if output_format != "human":
        emit_json(_kinds(tool)[0], {"rules": [rule_summary(rule) for rule in rules]})
        return
    from rich.table import Table

    table = Table(title=f"{len(rules)} rules (opskit {tool} --explain RULE for one)", title_justify="left")
    for column in ("id", "name", "severity", "family", "summary"):
        table.add_column(column, overflow="fold")
    for rule in rules:
        info = rule.info
        table.add_row(info.id, info.name, info.severity.label, info.family, info.summary)
    stdout_console().print(table)


def show_rule_explanation(tool: str, rule: Rule, output_format: str) -> None:
    """`opskit <tool> --explain RULE`: the rule's documentation, as in docs/rules.md."""
    from opskit.output.console import emit_json, stdout_console

    examples = {heading: rule.examples(heading) for heading in ("bad", "good")}
    if output_format != "human":
        emit_json(_kinds(tool)[1], {**rule_summary(rule), "why": rule.section("why"), "examples": examples})
        return
    console = stdout_console()
    info = rule.info
    _say(console, f"{info.id} ({info.name}) · {info.severity.label} · {info.family}", "bold")
    _say(console, info.summary)
    console.print()
    _say(console, f"Why: {rule.section('why')}")
    for heading, blocks in examples.items():
        for block in blocks:
            console.print()
            _say(console, f"{heading.capitalize()}:", "bold")
            for line in block.rstrip("\n").splitlines():
                _say(console, f"    {line}")
    console.print()
    _say(console, f"Docs: {rule_doc_url(info.id)}", "dim")


def rule_summary(rule: Rule) -> dict[str, Any]:
    """A rule's declaration as JSON (also the SARIF rule descriptor's source)."""
    info = rule.info
    return {
        "id": info.id,
        "name": info.name,
        "severity": info.severity.label,
        "family": info.family,
        "target": info.target,
        "summary": info.summary,
        "help_uri": rule_doc_url(info.id),
    }
