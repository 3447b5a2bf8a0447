"""The finding shared by lint, diagnose and check: what is wrong, where it shows, and the fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {names})") from None

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def sarif_level(self) -> str:
        return {Severity.INFO: "note", Severity.WARNING: "warning", Severity.ERROR: "error"}[self]


@dataclass(frozen=True)
class Evidence:
    """A quoted input line: the file (or label), its 1-based line number and the text."""

    file: str
    line: int | None
    text: str = ""

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: Severity
    cause: str  # one sentence: what is wrong and why it matters
    fix: str  # the concrete change, as config lines or commands where possible
    evidence: tuple[Evidence, ...] = ()
    related: tuple[Evidence, ...] = ()  # e.g. the matching line in the other file
    title: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def primary(self) -> Evidence | None:
        return self.evidence[0] if self.evidence else None
