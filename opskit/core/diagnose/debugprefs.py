"""Parse ``tailscale debug prefs``: ipn.Prefs as indented JSON (``ControlURL``, ``RouteAll``, ``ExitNodeID``,
``CorpDNS``, ``WantRunning``, ``LoggedOut``, ``ShieldsUp``, ``AdvertiseRoutes``, ``NetfilterMode``, …), as the CLI
prints it or as people paste it in JSON5 (``/* … */`` where they cut something, trailing commas: text.json5_document).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.text import SourceLine, typed_tailscale_command

# members of ipn.Prefs's JSON that no other document opskit reads has
PREFS_KEYS = frozenset(
    {"ControlURL", "RouteAll", "ExitNodeID", "ExitNodeIP", "ExitNodeAllowLANAccess", "CorpDNS", "RunSSH",
     "RunWebClient", "WantRunning", "LoggedOut", "ShieldsUp", "AdvertiseTags", "AdvertiseRoutes", "NoSNAT",
     "NoStatefulFiltering", "NetfilterMode", "NetfilterKind", "OperatorUser", "ForceDaemon", "AllowSingleHosts",
     "InternalExitNodePrior", "AutoExitNode", "AppConnector", "PostureChecking", "DriveShares", "NotepadURLs"}
)  # fmt: skip
_PREFS_COMMAND = typed_tailscale_command(r"debug\s+prefs")
_MIN_PREFS_KEYS = 4


# The prefs an operator reads first (ipn.Prefs field names): where it logs in, whether it runs, what it accepts,
# advertises and uses. JSON views[] shows only these: the document also holds Persist (the node's private keys).
OPERATOR_PREFS = (
    "ControlURL",
    "WantRunning",
    "LoggedOut",
    "CorpDNS",
    "RouteAll",
    "ExitNodeID",
    "ExitNodeIP",
    "ExitNodeAllowLANAccess",
    "ShieldsUp",
    "RunSSH",
    "RunWebClient",
    "Hostname",
    "AdvertiseRoutes",
    "AdvertiseTags",
    "NoSNAT",
    "NoStatefulFiltering",
    "NetfilterMode",
    "OperatorUser",
    "ForceDaemon",
    "AutoUpdate",
)


@dataclass(frozen=True)
class DebugPrefsReport:
    rule_target: ClassVar[str] = "debug-prefs"  # its kind in JSON views[]
    prefs: dict[str, object]
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        return "tailscale debug prefs"

    def facts(self) -> dict[str, Any]:
        return {"prefs": {key: self.prefs[key] for key in OPERATOR_PREFS if key in self.prefs}}

    def line_of(self, key: str) -> SourceLine:
        """The line showing ``key`` (the first line when it is not on one of its own)."""
        return next((line for line in self.lines if f'"{key}"' in line.text), self.lines[0])


def is_prefs_command(command: str | None) -> bool:
    return command is not None and _PREFS_COMMAND.search(command) is not None


def prefs_document(document: object, command: str | None) -> dict[str, object] | None:
    """``document`` when it is ipn.Prefs (enough of its members, or any under `tailscale debug prefs`)."""
    if not isinstance(document, dict):
        return None
    known = len(PREFS_KEYS & document.keys())
    if known >= _MIN_PREFS_KEYS or (known and is_prefs_command(command)):
        return document
    return None


def parse_debug_prefs(lines: Sequence[SourceLine], prefs: dict[str, object]) -> DebugPrefsReport:
    return DebugPrefsReport(prefs, tuple(lines))
