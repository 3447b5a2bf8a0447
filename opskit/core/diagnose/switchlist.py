"""Parse ``tailscale switch --list``: the login profiles (accounts) on this device and which one is in use.

cmd/tailscale/cli/switch.go listProfiles, three forms::

    v1.56+ (tabwriter, min width 2, padding 2)      v1.34-v1.54 (one name a line)      --json (2026-01+)
    ID    Tailnet        Account                    alice@example.com *                [{"id": "2ff9", "nickname": "",
    2ff9  example.com    alice@example.com*         bob@gmail.com                        "tailnet": "example.com",
    8a1c  bob@gmail.com  bob@gmail.com                                                   "account": "alice@…",
                                                                                         "selected": true}, …]

The current profile's name carries ``*`` (glued to it in the table, after a space in the old list). The old
list says nothing about itself: it is read only under its command.

Two profiles can carry the same name (one identity logged in to two tailnets). ``tailscale switch <name>`` takes the
first profile of that name (matchProfile: by name only before 1.56; since 1.56 by ID, then tailnet, then name) and,
when that is the current one, answers ``Already on account "<name>"`` (exit 0): the other profile cannot be reached
by its name. Such an answer right under the list is kept with it (``already_on``).
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
# `tailscale switch <name>` (not --list / remove) and switch.go's answer when the name matched the current profile
_SWITCH_BY_NAME = typed_tailscale_command(r"switch\s+(?!-|remove\b)\S+")
_ALREADY_ON = re.compile(r'^Already on account "(?P<name>.*)"$')


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
    already_on: SourceLine | None = None  # `Already on account "<name>"`, answered right under the list

    @property
    def current(self) -> Profile | None:
        return next((p for p in self.profiles if p.current), None)

    @property
    def shared_names(self) -> tuple[str, ...]:
        """The names two or more profiles carry (in list order): `tailscale switch <name>` cannot tell them apart."""
        names = [p.account for p in self.profiles]
        return tuple(dict.fromkeys(name for name in names if name and names.count(name) > 1))

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
    if end == start and table:
        return None
    return _with_switch_answer(lines, end)


def _with_switch_answer(lines: Sequence[SourceLine], end: int) -> int:
    """``end``, or past the `tailscale switch <name>` typed right under the list and its ``Already on account``
    answer (which profile the name reaches is the list's own question)."""
    after = end + 1
    if after < len(lines) and not lines[after].text and lines[after].command is None:
        after += 1  # one blank line between the list and the next prompt
    if after + 1 < len(lines):
        typed, answer = lines[after], lines[after + 1]
        if typed.command is not None and _SWITCH_BY_NAME.search(typed.command) and _ALREADY_ON.match(answer.text):
            return after + 1
    return end


def parse_switch_list(lines: Sequence[SourceLine]) -> SwitchListReport:
    answer = lines[-1] if len(lines) > 2 and lines[-2].command is not None else None
    if answer is not None:
        lines = lines[: -2 if lines[-3].text or lines[-3].command is not None else -3]
    if HEADER.match(lines[0].text):
        profiles = tuple(row for line in lines[1:] if (row := _row(line)) is not None)
    else:
        profiles = tuple(
            Profile(match["name"], None, None, match["current"] is not None, line)
            for line in lines
            if (match := _OLD_ROW.match(line.text)) is not None
        )
    return SwitchListReport(profiles, tuple(lines), already_on=answer)


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
