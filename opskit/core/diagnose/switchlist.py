"""Parse ``tailscale switch --list``: the login profiles (accounts) on this device and which one is in use.

cmd/tailscale/cli/switch.go listProfiles, three forms::

    v1.56+ (tabwriter, min width 2, padding 2)      v1.34-v1.54 (one name a line)      --json (2026-01+)
    ID    Tailnet        Account                    alice@example.com *                [{"id": "2ff9", "nickname": "",
    2ff9  example.com    alice@example.com*         bob@gmail.com                        "tailnet": "example.com",
    8a1c  bob@gmail.com  bob@gmail.com                                                   "account": "alice@…",
                                                                                         "selected": true}, …]

The current profile's name carries ``*`` (glued to it in the table, after a space in the old list). The old
list says nothing about itself: it is read only under its command.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.text import SourceLine, is_elision_line, typed_tailscale_command

HEADER = re.compile(r"^ID\s+Tailnet\s+Account$")
_CELLS = re.compile(r"\s{2,}")
_OLD_ROW = re.compile(r"^(?P<name>\w[^\s*]*)(?P<current> \*)?$")
_LIST_COMMAND = typed_tailscale_command(r"switch\s+(?:\S+\s+)*?--?list\b")
_MAX_ROWS = 500


@dataclass(frozen=True)
class Profile:
    account: str
    tailnet: str | None
    profile_id: str | None
    current: bool
    line: SourceLine


@dataclass(frozen=True)
class SwitchListReport:
    rule_target: ClassVar[str] = "switch-list"
    profiles: tuple[Profile, ...]
    lines: tuple[SourceLine, ...]

    @property
    def current(self) -> Profile | None:
        return next((p for p in self.profiles if p.current), None)

    @property
    def layout(self) -> str:
        count = len(self.profiles)
        return f"tailscale switch --list ({count} account{'s' if count != 1 else ''})"

    def facts(self) -> dict[str, Any]:
        current = self.current
        return {
            "profiles": [p.account for p in self.profiles],
            "current": current.account if current else None,
            "accounts": [
                {"account": p.account, "tailnet": p.tailnet, "id": p.profile_id, "current": p.current,
                 "line": p.line.number}
                for p in self.profiles
            ],
        }  # fmt: skip


def is_switch_list_command(command: str | None) -> bool:
    return command is not None and _LIST_COMMAND.search(command) is not None


def _row(line: SourceLine) -> Profile | None:
    cells = _CELLS.split(line.text)
    if len(cells) != 3 or " " in cells[0]:
        return None
    account = cells[2]
    current = account.endswith("*")
    return Profile(account.rstrip("*"), cells[1], cells[0], current, line)


def switch_list_extent(lines: Sequence[SourceLine], start: int, command: str | None) -> int | None:
    """The index of the last line of a profile list starting at ``lines[start]``, or None."""
    table = HEADER.match(lines[start].text) is not None
    if not table and not (is_switch_list_command(command) and _OLD_ROW.match(lines[start].text)):
        return None
    end = start
    for index in range(start + 1, min(len(lines), start + _MAX_ROWS)):
        line = lines[index]
        if line.command is not None or not line.text:
            break
        if (_row(line) if table else _OLD_ROW.match(line.text)) is None and not is_elision_line(line.text):
            break  # (a "[…]" where the poster cut profiles stands for rows: the list goes on below it)
        end = index
    return end if end > start or not table else None


def parse_switch_list(lines: Sequence[SourceLine]) -> SwitchListReport:
    if HEADER.match(lines[0].text):
        profiles = tuple(row for line in lines[1:] if (row := _row(line)) is not None)
    else:
        profiles = tuple(
            Profile(match["name"], None, None, match["current"] is not None, line)
            for line in lines
            if (match := _OLD_ROW.match(line.text)) is not None
        )
    return SwitchListReport(profiles, tuple(lines))


def is_switch_list_json(document: object) -> bool:
    return (
        isinstance(document, list)
        and bool(document)
        and all(isinstance(item, dict) and "account" in item and "selected" in item for item in document)
    )


def parse_switch_list_json(lines: Sequence[SourceLine], document: list[dict[str, Any]]) -> SwitchListReport:
    def text(item: dict[str, Any], key: str) -> str | None:
        value = item.get(key)
        return value if isinstance(value, str) and value else None

    profiles = []
    for item in document:
        account = text(item, "account") or ""
        line = next((each for each in lines if f'"{account}"' in each.text), lines[0])
        profiles.append(Profile(account, text(item, "tailnet"), text(item, "id"), item.get("selected") is True, line))
    return SwitchListReport(tuple(profiles), tuple(lines))
