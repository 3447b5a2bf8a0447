"""Parse ``tailscale debug peer-endpoint-changes <peer>`` (cmd/tailscale/cli/debug.go runPeerEndpointChanges,
v1.38+): the LocalAPI's ring of magicsock's changes to that peer's paths (wgengine/magicsock EndpointChange:
``When``, ``What``, ``From``/``To`` when set), re-indented by two spaces::

    [
      {
        "When": "2024-05-01T12:03:12.123456789Z",
        "What": "updateFromNode-DERP",
        "From": "",
        "To": "127.3.3.40:4"
      },
      ...
    ]

``What`` names the change: ``updateFromNode-DERP`` (the peer's home DERP region, as DERP's magic address
127.3.3.40:<region>), ``updateFromNode-new-Endpoints`` / ``handleCallMeMaybe-new-endpoints`` (addresses learned
from control or a call-me-maybe), ``handlePongConnLocked-bestAddr-update`` (a direct path chosen),
``deleteEndpointLocked-…``, ``updateFromNode-resetLocked`` (a new disco key: the peer restarted). Addresses are
``netip.AddrPort`` text; since v1.86 a best address (``addrQuality``) prints as ``{}``. A ring with no change prints
``null`` (a routine answer, clianswers.py). The prototype of February 2023 (`debug peer-status`, pull request
7338) printed the same changes without ``When``, their members sorted (``From``, ``To``, ``What``), after the
CLI's ``lookup "<name>" => "<ip>"`` log line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.text import SourceLine, json_value_end

_DERP_MAGIC = "127.3.3.40:"  # tailcfg.DerpMagicIP: a DERP region as an address
_MAX_LINES = 100_000  # the ring holds a few hundred changes (a few lines each)
_MAX_DEPTH = 8
# A change's members (EndpointChange: When, What, and From/To when set), in either order; its "What" is the
# magicsock function and the change ("updateFromNode-DERP", "deleteEndpointLocked-bestAddr-")
_MEMBER_STARTS = ('"When": "', '"What": "', '"From": ', '"To": ')
_WHAT = re.compile(r'^"What": "[a-z]\w*-[\w-]*",?$')
_FIRST_CHANGE_LINES = 16  # the first change's lines searched for its "What" (From/To may be address lists)


@dataclass(frozen=True)
class PeerEndpointChangesReport:
    rule_target: ClassVar[str] = "peer-endpoint-changes"
    changes: int
    derp_regions: tuple[int, ...]  # the peer's home DERP regions, in order
    endpoints: tuple[str, ...]  # addresses learned (control, call-me-maybe), each once
    best_addresses: tuple[str, ...]  # direct paths chosen (bestAddr updates), each once
    resets: int  # updateFromNode-resetLocked: the peer's disco key changed (it restarted)
    first: str | None  # the first and last change's time
    last: str | None
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        return f"tailscale debug peer-endpoint-changes ({self.changes} changes)"

    def facts(self) -> dict[str, Any]:
        return {
            "changes": self.changes,
            "derp_regions": list(self.derp_regions),
            "endpoints": list(self.endpoints),
            "best_addresses": list(self.best_addresses),
            "resets": self.resets,
            "first": self.first,
            "last": self.last,
        }


def endpoint_changes_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the "]" closing the change list opening at ``lines[start]`` ("[", then "{" and a change's
    members, its "What" a magicsock change), or None."""
    if start + 3 >= len(lines) or lines[start].text != "[" or lines[start + 1].text != "{":
        return None
    if not lines[start + 2].text.startswith(_MEMBER_STARTS):
        return None
    for line in lines[start + 2 : start + 2 + _FIRST_CHANGE_LINES]:
        if line.text in ("}", "},") or line.command is not None:
            return None
        if line.text.startswith('"What": "'):
            return json_value_end(lines, start, _MAX_LINES, _MAX_DEPTH) if _WHAT.match(line.text) else None
    return None


def _addresses(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value and not value.startswith(_DERP_MAGIC) else []
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str) and item and not item.startswith(_DERP_MAGIC)]
    return []


def parse_peer_endpoint_changes(lines: Sequence[SourceLine]) -> PeerEndpointChangesReport:
    try:
        document = json.loads("\n".join(line.text for line in lines))
    except (ValueError, RecursionError):
        document = None
    changes = [item for item in document if isinstance(item, dict)] if isinstance(document, list) else []
    regions: list[int] = []
    endpoints: list[str] = []
    best: list[str] = []
    resets = 0
    for change in changes:
        what = change.get("What")
        what = what if isinstance(what, str) else ""
        target = change.get("To")
        if what == "updateFromNode-DERP" and isinstance(target, str) and target.startswith(_DERP_MAGIC):
            port = target[len(_DERP_MAGIC) :]
            if port.isdigit() and (not regions or regions[-1] != int(port)):
                regions.append(int(port))
        elif what.endswith(("new-Endpoints", "new-endpoints")):
            endpoints.extend(a for a in _addresses(target) if a not in endpoints)
        elif what == "handlePongConnLocked-bestAddr-update":
            best.extend(a for a in _addresses(target) if a not in best)
        elif what == "updateFromNode-resetLocked":
            resets += 1
    times = [change["When"] for change in changes if isinstance(change.get("When"), str)]
    return PeerEndpointChangesReport(
        len(changes),
        tuple(regions),
        tuple(endpoints),
        tuple(best),
        resets,
        times[0] if times else None,
        times[-1] if times else None,
        tuple(lines),
    )
