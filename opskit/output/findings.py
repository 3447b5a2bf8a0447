"""The JSON shape of a finding, shared by every document that carries findings (lint, diagnose)."""

from __future__ import annotations

from typing import Any

from opskit.core.findings import Evidence, Finding


def evidence_json(evidence: Evidence) -> dict[str, Any]:
    """A quoted input line: ``{"file", "line", "text"}``."""
    return {"file": evidence.file, "line": evidence.line, "text": evidence.text}


def finding_json(finding: Finding) -> dict[str, Any]:
    """One finding: rule id, severity label, title, cause, fix, evidence and related lines (and extra)."""
    return {
        "rule": finding.rule_id,
        "severity": finding.severity.label,
        "title": finding.title,
        "cause": finding.cause,
        "fix": finding.fix,
        "evidence": [evidence_json(e) for e in finding.evidence],
        "related": [evidence_json(e) for e in finding.related],
        **({"extra": finding.extra} if finding.extra else {}),
    }
