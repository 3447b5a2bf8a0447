"""One line of a check table: what was checked, how it went, and why (shared by every `check` command)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class CheckItem:
    """The outcome of one check. ``explanation`` says why it happened, ``fix`` what to change."""

    check_id: str
    title: str
    status: Status
    detail: str
    explanation: str = ""
    fix: str = ""
    millis: float | None = None


def worst(items: tuple[CheckItem, ...] | list[CheckItem]) -> Status:
    """The overall status of a group of checks: any fail fails, else any warning warns."""
    statuses = {item.status for item in items}
    for status in (Status.FAIL, Status.WARN, Status.PASS):
        if status in statuses:
            return status
    return Status.SKIP
