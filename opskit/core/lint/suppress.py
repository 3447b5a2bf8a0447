"""Inline suppression: ``# opskit: ignore=NGX101,HAP2`` on the finding's line or the line above."""

from __future__ import annotations

import re

from opskit.core.findings import Finding

_MARK = re.compile(r"#\s*opskit:\s*ignore\s*=\s*([A-Za-z0-9_,\- ]+)")


def _ids_on(line: str) -> set[str]:
    match = _MARK.search(line)
    return {part.strip().upper() for part in match.group(1).split(",") if part.strip()} if match else set()


def suppressed(finding: Finding, texts: dict[str, str], cache: dict[str, list[str]]) -> bool:
    """True when the finding's primary line (or a comment line right above it) names its rule.

    An id prefix works too (``ignore=NGX2`` silences the registry family) and ``all`` silences every
    rule on that line.
    """
    where = finding.primary
    if where is None or where.line is None or where.file not in texts:
        return False
    lines = cache.setdefault(where.file, texts[where.file].splitlines())
    candidates = []
    if 0 < where.line <= len(lines):
        candidates.append(lines[where.line - 1])
    if 1 < where.line <= len(lines) + 1 and lines[where.line - 2].strip().startswith("#"):
        candidates.append(lines[where.line - 2])
    for line in candidates:
        for wanted in _ids_on(line):
            if wanted == "ALL" or finding.rule_id.upper().startswith(wanted):
                return True
    return False
