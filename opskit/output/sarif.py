"""SARIF 2.1.0 for GitHub code scanning: one run, the catalog's rules, one result per finding."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from opskit import __version__
from opskit.core.findings import Evidence, Finding
from opskit.core.rules import Rule
from opskit.output.rules_doc import rule_doc_url

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    if "://" in path:  # a URL already (`check harbor`'s entry points)
        return path
    if PurePath(path).is_absolute():
        return PurePath(path).as_uri()
    return posixpath.normpath(PurePath(path).as_posix())


def _location(evidence: Evidence) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(evidence.file)}}
    if evidence.line is not None and evidence.line >= 1:
        region: dict[str, Any] = {"startLine": evidence.line}
        if evidence.text:
            region["snippet"] = {"text": evidence.text}
        physical["region"] = region
    return {"physicalLocation": physical}


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    info = rule.info
    why = rule.section("why") or info.summary
    return {
        "id": info.id,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": why},
        "help": {"text": why},
        "helpUri": rule_doc_url(info.id),
        "defaultConfiguration": {"level": info.severity.sarif_level},
        "properties": {"tags": [info.family]},
    }


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    message = f"{finding.cause}\nFix:\n{finding.fix}"
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": finding.severity.sarif_level,
        "message": {"text": message},
        "locations": [_location(e) for e in finding.evidence[:1]],
    }
    if finding.rule_id in index:
        result["ruleIndex"] = index[finding.rule_id]
    if finding.related:
        result["relatedLocations"] = [
            {"id": number, **_location(e), "message": {"text": e.text or e.location}}
            for number, e in enumerate(finding.related, start=1)
        ]
    return result


def build_sarif(findings: list[Finding], rules: list[Rule], notes: Sequence[str] = ()) -> dict[str, Any]:
    """The SARIF log as a dict (``json.dumps`` it); ``notes`` become tool execution notifications."""
    from opskit import PROJECT_URL

    index = {rule.id: number for number, rule in enumerate(rules)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "opskit",
                        "version": __version__,
                        "informationUri": PROJECT_URL,
                        "rules": [_rule_descriptor(rule) for rule in rules],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolExecutionNotifications": [{"level": "note", "message": {"text": n}} for n in notes],
                    }
                ],
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index) for f in findings],
            }
        ],
    }
