"""What a diagnose rule knows besides its subject: where the pasted block came from.

The rule framework (decorator, Rule, RuleContext) is opskit.core.rules, shared with lint; a diagnose
rule's ``ctx.facts`` is an :class:`InputFacts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opskit.core.diagnose.models import CliErrorReport, OsPingReport
from opskit.core.diagnose.text import SourceLine, hide_keys
from opskit.core.findings import Evidence
from opskit.core.rules import RuleContext


@dataclass(frozen=True)
class InputFacts:
    """Where a subject came from, and what else the same input showed."""

    label: str
    source: str
    os_ping: OsPingReport | None = None
    windows: CliErrorReport | None = None
    command: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def evidence(self, *lines: SourceLine | None) -> tuple[Evidence, ...]:
        """Quote input lines (skipping missing ones and duplicates) as evidence."""
        seen: set[int] = set()
        quoted: list[Evidence] = []
        for line in lines:
            if line is None or line.number in seen:
                continue
            seen.add(line.number)
            quoted.append(Evidence(self.source, line.number if line.number > 0 else None, hide_keys(line.text)))
        return tuple(quoted)


DiagnoseContext = RuleContext[InputFacts]
"""What a diagnose rule receives: its declaration, the input's facts (``ctx.facts``), a finding builder."""
