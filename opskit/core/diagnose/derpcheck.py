"""Parse ``tailscale debug derp <region>``: the checks of one DERP region's nodes, as JSON.

The CLI prints LocalAPI's ``DebugDERPRegionReport`` with ``json.MarshalIndent(st, "", " ")``::

    {
     "Info": [
      "Region 27 == \\"iad\\"",
      "Node \\"derp27b.tailscale.com\\" has working IPv4 and IPv6 connectivity",
      ...
     ],
     "Warnings": null,
     "Errors": [
      "Error connecting to node \\"derp27e.tailscale.com\\" @ try 0: ..."
     ]
    }

Pastes show it whole, cut off (an issue excerpt, a terminal scrollback), as one member only
(``"Errors": [ … ]``), re-indented by jq, or compact on one line (LocalAPI's own answer via curl). This module
reads the report line by line, so each message keeps its source line for evidence, and it classifies every
message by the sentence LocalAPI formats (ipn/localapi/debugderp.go: TCP then TLS per address family, the
captive-portal GET on port 80, five DERP connects, one STUN query per node).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum

from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.text import SourceLine

DERP_CHECK_KEYS = ("Info", "Warnings", "Errors")
_LEVEL = {"Info": "info", "Warnings": "warning", "Errors": "error"}
# A member opening a list, a null/empty member, or the object's braces and list ends.
_MEMBER = lazy_compile(r'^"(Info|Warnings|Errors)"\s*:\s*(\[|null,?|\[\],?)\s*$')
_STRUCTURE = lazy_compile(r"^(?:\{|\}|\],?)\s*$")
# One list item: a JSON string, with the comma MarshalIndent puts between items (a cut paste may end
# inside one: then it is not an item and the report ends before it).
_ITEM = lazy_compile(r'^("(?:[^"\\]|\\.)*")\s*,?\s*$')
_MAX_LINES = 5000


class DerpCheckKind(StrEnum):
    """What one message of the report says (the sentence it was formatted from)."""

    REGION = "region"  # Region 27 == "iad"
    CONNECTIVITY_OK = "tcp-tls-ok"  # Node "x" has working IPv4 and IPv6 connectivity
    IPV6_ONLY = "ipv6-only"  # Node "x" only has IPv6 connectivity, not IPv4
    TCP_FAILED = "tcp-failed"  # Error connecting to node "x" @ "addr" over IPv4: <err>
    TLS_FAILED = "tls-failed"  # Error upgrading connection to node "x" @ "addr" to TLS over IPv4: <err>
    DERP_OK = "derp-ok"  # Successfully established a DERP connection with node "x"
    DERP_FAILED = "derp-failed"  # Error connecting to node "x" @ try N: <err>
    STUN_ONLY_NODE = "stun-only-node"  # a STUN-only node: its DERP connects fail by design
    STUN_OK = "stun-ok"  # Node "x" returned IPv4 STUN response: <addr>
    STUN_NO_RESPONSE = "stun-no-response"  # Node "x" did not return a IPv4 STUN response
    STUN_FAILED = "stun-failed"  # creating the listener, resolving the node, sending the packet
    CAPTIVE_PORT_80 = "port-80-blocked"  # Error making request to the captive portal check …; is port 80 blocked?
    SINGLE_REGION = "single-region"  # Having only a single DERP region … single point of failure
    AVOID = "avoid"  # Region is marked with Avoid bit
    NO_NODES = "no-nodes"  # Region has no nodes defined
    NO_DERP_MAP = "no-derp-map"  # no DERP map (not connected?)
    NO_SUCH_REGION = "no-such-region"  # no such region "x" in DERP map
    LOAD_BALANCER = "load-balancer"  # Received multiple server public keys (N); behind a load balancer?
    OTHER = "other"


@dataclass(frozen=True)
class DerpCheckMessage:
    level: str  # "info", "warning", "error": the list it was in ("" when the list is not in the paste)
    kind: DerpCheckKind
    text: str  # the message, JSON string escapes undone
    line: SourceLine
    node: str | None = None  # the DERP node's host name the message is about
    family: str | None = None  # "IPv4" / "IPv6" for the TCP and TLS checks
    error: str = ""  # the Go error after the message's own words


@dataclass(frozen=True)
class DerpCheckReport:
    messages: tuple[DerpCheckMessage, ...]
    region_id: str | None = None
    region_code: str | None = None
    whole: bool = False  # the closing brace is in the paste (a cut report may have lost errors)

    @property
    def region(self) -> str:
        """How the report names its region: ``27 (iad)``, or what it could tell."""
        if self.region_id and self.region_code:
            return f"{self.region_id} ({self.region_code})"
        return self.region_id or self.region_code or "(region not shown)"

    @property
    def layout(self) -> str:
        nodes = {m.node for m in self.messages if m.node}
        errors = sum(1 for m in self.messages if m.level == "error")
        return f"debug derp {self.region}: {len(nodes)} node(s), {errors} error(s)"


_NODE = r'"(?P<node>[^"]*)"'
_PATTERNS: tuple[tuple[DerpCheckKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (DerpCheckKind.REGION, r'^Region (?P<id>\d+) == "(?P<code>[^"]*)"'),
        (DerpCheckKind.CONNECTIVITY_OK, rf"^Node {_NODE} has working IPv4 and IPv6 connectivity"),
        (DerpCheckKind.IPV6_ONLY, rf"^Node {_NODE} only has IPv6 connectivity"),
        (
            DerpCheckKind.TLS_FAILED,
            rf'^Error upgrading connection to node {_NODE} @ "[^"]*" to TLS over (?P<family>IPv[46]): (?P<error>.*)',
        ),
        (
            DerpCheckKind.TCP_FAILED,
            rf'^Error connecting to node {_NODE} @ "[^"]*" over (?P<family>IPv[46]): (?P<error>.*)',
        ),
        (DerpCheckKind.DERP_FAILED, rf"^Error connecting to node {_NODE} @ try \d+: (?P<error>.*)"),
        (DerpCheckKind.DERP_OK, rf"^Successfully established a DERP connection with node {_NODE}"),
        (DerpCheckKind.STUN_ONLY_NODE, rf"^Node {_NODE} is marked STUNOnly"),
        (DerpCheckKind.STUN_OK, rf"^Node {_NODE} returned IPv4 STUN response"),
        (DerpCheckKind.STUN_NO_RESPONSE, rf"^Node {_NODE} did not return a IPv4 STUN response"),
        (DerpCheckKind.STUN_FAILED, rf"^Error resolving node {_NODE} IPv4 addresses: (?P<error>.*)"),
        (DerpCheckKind.STUN_FAILED, rf"^Error sending IPv4 STUN packet to \S+ \({_NODE}\): (?P<error>.*)"),
        (DerpCheckKind.STUN_FAILED, r"^Error creating IPv4 STUN listener: (?P<error>.*)"),
        (DerpCheckKind.CAPTIVE_PORT_80, r"captive portal check .*port 80 blocked"),
        (DerpCheckKind.SINGLE_REGION, r"^Having only a single DERP region"),
        (DerpCheckKind.AVOID, r"^Region is marked with Avoid bit"),
        (DerpCheckKind.NO_NODES, r"^Region has no nodes defined"),
        (DerpCheckKind.NO_DERP_MAP, r"^no DERP map"),
        (DerpCheckKind.NO_SUCH_REGION, r'^no such region "(?P<code>[^"]*)" in DERP map'),
        (DerpCheckKind.LOAD_BALANCER, r"^Received multiple server public keys"),
    )
)
# A DERP connect to a STUN-only node fails by design ("no non-STUNOnly nodes for region N"): the check
# of older clients tried it anyway (tailscale#16926, fixed since).
_STUN_ONLY_ERROR = lazy_compile(r"no non-STUNOnly nodes", re.IGNORECASE)


def classify_message(text: str, level: str, line: SourceLine) -> DerpCheckMessage:
    """One report message, classified by the sentence it was formatted from."""
    for kind, pattern in _PATTERNS:
        found = pattern.search(text)
        if found is None:
            continue
        groups = found.groupdict()
        error = groups.get("error") or ""
        if kind is DerpCheckKind.DERP_FAILED and _STUN_ONLY_ERROR.search(error):
            kind = DerpCheckKind.STUN_ONLY_NODE
        return DerpCheckMessage(level, kind, text, line, groups.get("node"), groups.get("family"), error)
    return DerpCheckMessage(level, DerpCheckKind.OTHER, text, line)


def _unquote(item: str) -> str | None:
    try:
        value = json.loads(item)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, str) else None


def _compact_document(text: str) -> dict[str, object] | None:
    """A report printed on one line (LocalAPI's answer through curl): the object, or None."""
    if not (text.startswith("{") and text.endswith("}") and '"' in text):
        return None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested past the decoder's depth (a hostile paste)
        return None
    if not isinstance(document, dict) or not document or not set(document) <= set(DERP_CHECK_KEYS):
        return None
    if not all(value is None or isinstance(value, list) for value in document.values()):
        return None
    return document


def derp_check_extent(lines: list[SourceLine], start: int) -> int | None:
    """Index of the last line of a ``debug derp`` report starting at ``lines[start]``, or None.

    A report starts with ``{`` followed by a member, or with a member (``"Errors": [``), and goes on for as
    long as lines keep its grammar (members, string items, list ends, braces): a cut paste ends where it
    was cut. At least one member must be seen, so a lone ``{`` or a list of strings is not a report.
    """
    first = lines[start].text
    if _compact_document(first) is not None:
        return start
    if first != "{" and _MEMBER.match(first) is None:
        return None
    members = 0
    end = start
    depth_closed = False
    for index in range(start, min(len(lines), start + _MAX_LINES)):
        text = lines[index].text
        if _MEMBER.match(text):
            members += 1
        elif _ITEM.match(text) is not None:
            if members == 0:
                return None
        elif _STRUCTURE.match(text):
            if text.startswith("}"):
                depth_closed = True
        else:
            break
        end = index
        if depth_closed:
            break
    return end if members else None


def parse_derp_check(lines: tuple[SourceLine, ...]) -> DerpCheckReport:
    """The report's messages, each with its level, kind and source line."""
    messages: list[DerpCheckMessage] = []
    whole = False
    if len(lines) == 1 and (document := _compact_document(lines[0].text)) is not None:
        for key in DERP_CHECK_KEYS:
            for value in document.get(key) or []:  # type: ignore[attr-defined]
                if isinstance(value, str):
                    messages.append(classify_message(value, _LEVEL[key], lines[0]))
        whole = True
    else:
        level = ""
        for line in lines:
            text = line.text
            member = _MEMBER.match(text)
            if member is not None:
                level = _LEVEL[member.group(1)]
                continue
            item = _ITEM.match(text)
            if item is not None:
                value = _unquote(item.group(1))
                if value is not None:
                    messages.append(classify_message(value, level, line))
                continue
            if text.startswith("}"):
                whole = True
    region = next((m for m in messages if m.kind is DerpCheckKind.REGION), None)
    region_id = region_code = None
    if region is not None:
        found = _PATTERNS[0][1].search(region.text)
        if found is not None:
            region_id, region_code = found.group("id"), found.group("code")
    if region_code is None:
        # Without the Info list the errors still name the region: "connect to region 1 (nyc)".
        for message in messages:
            named = re.search(r"region (\d+) \(([^)]*)\)", message.error)
            if named is not None:
                region_id, region_code = named.group(1), named.group(2)
                break
    return DerpCheckReport(tuple(messages), region_id, region_code, whole)


def is_derp_check(lines: tuple[SourceLine, ...], command: str | None) -> bool:
    """Whether lines with the report's grammar are `debug derp`'s: the command says so, or a message is one
    of the sentences LocalAPI's check formats (other tools' JSON has "Errors" lists of strings too)."""
    if command is not None and "debug derp" in " ".join(command.split()):
        return True
    return any(m.kind is not DerpCheckKind.OTHER for m in parse_derp_check(lines).messages)
