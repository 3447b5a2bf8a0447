"""Parse ``tailscale syspolicy list`` (and ``syspolicy reload``): the device's effective system/MDM policy settings.

cmd/tailscale/cli/syspolicy.go printPolicySettings (v1.78+): a tabwriter table (padding 2), the settings sorted by
key, each with the origin of its value (setting.Origin: ``<source name> (<scope>)``, e.g. ``Platform (Device)``,
or the scope alone) and either its value (``%v``) or, when the setting could not be read, an empty value and the
error in braces::

    Name                         Origin             Value   Error
    ----                         ------             -----   -----
    AdvertiseExitNode            Platform (Device)          {value type mismatch}
    AlwaysOn.Enabled             Platform (Device)  false

A setting with an error is not applied: syspolicy.getCurrentPolicySettingValue gives its default instead. ``No policy
settings`` (an empty snapshot) stays a routine answer (clianswers.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.text import SourceLine, typed_tailscale_command

HEADER = re.compile(r"^Name\s+Origin\s+Value\s+Error$")
_RULE = re.compile(r"^-{4}\s+-{6}\s+-{5}\s+-{5}$")
_CELLS = re.compile(r"\s{2,}|\t+")
_KEY = re.compile(r"^[A-Za-z][\w.\-]*$")  # pkey.Key: dotted words (AlwaysOn.Enabled, Hostname, ExitNodeID)
_MAX_ROWS = 500


@dataclass(frozen=True)
class PolicySetting:
    name: str
    origin: str | None
    value: str | None
    error: str | None  # without its braces
    line: SourceLine


@dataclass(frozen=True)
class SyspolicyListReport:
    rule_target: ClassVar[str] = "syspolicy-list"
    settings: tuple[PolicySetting, ...]
    lines: tuple[SourceLine, ...]

    @property
    def failed(self) -> tuple[PolicySetting, ...]:
        return tuple(s for s in self.settings if s.error is not None)

    @property
    def layout(self) -> str:
        count = len(self.settings)
        return f"tailscale syspolicy list ({count} setting{'s' if count != 1 else ''})"

    def facts(self) -> dict[str, Any]:
        return {
            "policies": [
                {"name": s.name, "origin": s.origin, "value": s.value, "error": s.error, "line": s.line.number}
                for s in self.settings
            ],
            "errors": [s.name for s in self.failed],
        }


def _row(line: SourceLine) -> PolicySetting | None:
    cells = [cell for cell in _CELLS.split(line.text.strip()) if cell]
    if not cells or _KEY.match(cells[0]) is None or len(cells) > 4:
        return None
    name, rest = cells[0], cells[1:]
    error = None
    if rest and rest[-1].startswith("{") and rest[-1].endswith("}"):
        error = rest.pop()[1:-1].strip() or None
    if error is not None and len(rest) > 1:
        return None  # a setting with an error has no value
    if len(rest) > 2:
        return None
    origin = rest[0] if len(rest) == 2 or (error is not None and rest) else None
    value = rest[-1] if len(rest) == 2 or (error is None and len(rest) == 1) else None
    return PolicySetting(name, origin, value, error, line)


def syspolicy_list_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last line of a policy table whose header is ``lines[start]``, or None."""
    if HEADER.match(lines[start].text) is None:
        return None
    below = start + 1
    if below >= len(lines) or _RULE.match(lines[below].text) is None:
        return None
    end = below
    for index in range(below + 1, min(len(lines), below + _MAX_ROWS)):
        line = lines[index]
        if line.command is not None or not line.text or _row(line) is None:
            break
        end = index
    return end


def parse_syspolicy_list(lines: Sequence[SourceLine]) -> SyspolicyListReport:
    settings = tuple(row for line in lines[2:] if (row := _row(line)) is not None)
    return SyspolicyListReport(settings, tuple(lines))


# `syspolicy list --json` (printPolicySettings with --json): setting.Snapshot as JSON, tab-indented:
# {"Summary": {"Scope": "Device", …}, "Settings": {"<key>": {"Value": …, "Error": "<text>", "Origin": {"Name":
# "Platform", "Scope": "Device"}}}} (raw_item.go rawItemJSON, origin.go settingOrigin; each member omitted when zero)
_ITEM_MEMBERS = frozenset({"Value", "Error", "Origin"})


def is_syspolicy_json(document: object) -> bool:
    if not isinstance(document, dict) or "Settings" not in document or not set(document) <= {"Summary", "Settings"}:
        return False
    items = document["Settings"]
    return (
        isinstance(items, dict)
        and bool(items)
        and all(isinstance(item, dict) and set(item) <= _ITEM_MEMBERS for item in items.values())
    )


# `syspolicy list --json` piped into jq, and the filter's path into the snapshot: `.Settings` (the settings), or
# `.Settings.<Key>` / `.Settings["<Key>"]` / `.Settings."<Key>"` (one setting's item, its key only in the filter)
_JQ_COMMAND = typed_tailscale_command(r"syspolicy\s+list\b[^|]*--?json\b[^|]*\|\s*jq\b")
_JQ_SETTINGS = re.compile(
    r"\|\s*jq\b[^|]*?['\"]?\.Settings\b(?:\s*\??\s*(?:\.\s*(?P<key>[A-Za-z][\w\-]*)|\.?\s*\[\s*\"(?P<indexed>[^\"]+)\"\s*\]"
    r"|\.\s*\"(?P<quoted>[^\"]+)\"))?(?P<rest>[^'\"|\s]*)"
)


def _is_item(item: object) -> bool:
    return isinstance(item, dict) and bool(item) and set(item) <= _ITEM_MEMBERS


def syspolicy_piece(document: object, command: str | None) -> dict[str, Any] | None:
    """``document`` as a whole `syspolicy list --json` snapshot when the command shown cut it with jq: the
    ``Settings`` map, or one setting's item named by the filter's key (``jq .Settings.AdvertiseExitNode``)."""
    if not isinstance(document, dict) or not document or command is None or "syspolicy" not in command:
        return None
    if _JQ_COMMAND.search(command) is None or (path := _JQ_SETTINGS.search(command)) is None:
        return None
    key = path["key"] or path["indexed"] or path["quoted"]
    if path["rest"]:
        return None  # a member of the item (`.Settings.X.Error`) or another filter: not a setting's item
    if key is None:
        return {"Settings": document} if all(_is_item(item) for item in document.values()) else None
    return {"Settings": {key: document}} if _is_item(document) else None


def _go_value(value: object) -> str | None:
    """The value as the table's ``%v`` prints it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(v for item in value if (v := _go_value(item)) is not None) + "]"
    return str(value)


def _origin(origin: object) -> str | None:
    if not isinstance(origin, dict):
        return None
    name, scope = origin.get("Name"), origin.get("Scope")
    if isinstance(name, str) and name:
        return f"{name} ({scope})" if isinstance(scope, str) and scope else name
    return scope if isinstance(scope, str) and scope else None


def parse_syspolicy_json(lines: Sequence[SourceLine], document: dict[str, Any]) -> SyspolicyListReport:
    settings = []
    for key in sorted(document["Settings"]):
        item = document["Settings"][key]
        # the key's own line; a jq piece of one setting shows no key: its error's line, else its first
        line = next((each for each in lines if each.text.startswith(f'"{key}"')), None) or next(
            (each for each in lines if each.text.startswith('"Error"')), lines[0]
        )
        error = item.get("Error")
        settings.append(
            PolicySetting(
                str(key),
                _origin(item.get("Origin")),
                _go_value(item.get("Value")),
                error if isinstance(error, str) and error else None,
                line,
            )
        )
    return SyspolicyListReport(tuple(settings), tuple(lines))
