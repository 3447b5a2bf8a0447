"""Parse ``tailscale netcheck`` in every layout Tailscale has printed, plus its JSON and log forms.

Layouts (tailscale/tailscale cmd/tailscale/cli/netcheck.go over time):
- v1.0: ``* Nearest DERP: 3 (sin)`` and ``- 1, nyc = 299.6ms``
- v1.2+: ``* Nearest DERP: Singapore`` and ``- sin: 76.5ms (Singapore)``; PortMapping from v1.6,
  CaptivePortal from v1.32, HairPinning removed in v1.68, ``Time:`` UTC in v1.78, local time in v1.100
- ``--format=json``: the ``netcheck.Report`` struct, latencies in nanoseconds, keyed by region ID
- tailscaled log: ``netcheck: [v1] report: udp=true v6=false ... derp=21 derpdist=21v4:36ms`` (2020:
  ``netcheck: udp=true …``) and
  ``NetInfo{varies=true hairpin= ipv6=true ... derp=#20 portmap= ...}``
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from itertools import repeat
from typing import Any

from opskit.core.diagnose.models import (
    DerpHomeState,
    DerpLatency,
    Ipv6State,
    NetcheckReport,
    PortMapState,
    build_frozen,
)
from opskit.core.diagnose.regions import PUBLIC_REGIONS
from opskit.core.diagnose.text import GO_STAMP, SourceLine

NETCHECK_KEYS = (
    "UDP",
    "IPv4",
    "IPv6",
    "MappingVariesByDestIP",
    "HairPinning",
    "PortMapping",
    "CaptivePortal",
    "Nearest DERP",
    "DERP latency",
    "Time",
)
_KEY_LINE = re.compile(r"^[*\u2022-]?\s*(?P<key>" + "|".join(NETCHECK_KEYS) + r")\s*:\s?(?P<value>.*)$")
_REGION_LINE = re.compile(
    r"^-\s*(?P<code>[^\s:,=()]{1,32})\s*:\s*(?P<latency>[0-9][0-9.]*(?:ns|us|\u00b5s|ms|s|m[0-9.]+s|h\S*)?)?"
    r"\s*(?:\((?P<name>[^)]*)\)?)?\s*$"
)
_OLD_REGION_LINE = re.compile(r"^-\s*(?P<id>\d+)\s*,\s*(?P<code>[^\s=]+)\s*=\s*(?P<latency>\S*)\s*$")
# v0.98 (cmd/tailscale/netcheck.go, spring 2020) keyed the latencies by the region's STUN server ("- derp2.tailscale
# .com:3478 = 11.9ms", and "derp2-v6.tailscale.com:3478" for IPv6) and named the nearest region by ID and city ("2 (San
# Francisco)"): the IDs are today's public region IDs.
_V098_REGION_LINE = re.compile(
    r"^-\s*derp(?P<id>\d+)(?:-v6)?\.tailscale\.com:\d+\s*=\s*(?P<latency>\S*)\s*$", re.IGNORECASE
)
_V098_HOME = re.compile(r"^(?P<id>\d+) \((?P<city>[^()]* [^()]*)\)$")  # a city of two words or more
_V1_0_HOME = re.compile(r"^(\d+) \((\S+)\)$")  # v1.0: "3 (sin)"
_HOME_ZERO = re.compile(r"^0+(?:\s*\(\s*\))?$")
_HOME_NOT_IN_MAP = re.compile(r"^(\d+) \(region not found in map\)")
_PUBLIC_BY_ID = {region.region_id: region for region in PUBLIC_REGIONS}
# "report: udp=…"; before v1.0 (2020) the report followed the subsystem's prefix: "netcheck: udp=…"
_REPORT_LOG = re.compile(r"\b(?:report|netcheck): (?P<body>udp=\S*(?: \S+)*)")
_NETINFO_LOG = re.compile(r"NetInfo\{(?P<body>[^}]*)\}?")
_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]*)?)(ns|us|\u00b5s|ms|s|m|h)")
_UNIT_MS = {"ns": 1e-6, "us": 1e-3, "\u00b5s": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
PORTMAP_LETTERS = {"U": "UPnP", "M": "NAT-PMP", "C": "PCP"}


def parse_go_duration(text: str) -> float | None:
    """Milliseconds from Go's ``time.Duration.String()`` (``5.9ms``, ``1.0234s``, ``1m2s``)."""
    text = text.strip()
    if not text:
        return None
    if text[-2:] == "ms" and text[-3:-2].isdigit():  # the common case, "5.9ms"
        try:
            return float(text[:-2])
        except ValueError:
            pass
    total = 0.0
    position = 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != position:
            return None
        total += float(match.group(1)) * _UNIT_MS[match.group(2)]
        position = match.end()
    return total if position == len(text) and position > 0 else None


KEY_SET = frozenset(NETCHECK_KEYS)


def bullet_key(text: str) -> str | None:
    """The key of a ``* Key: value`` line, cheaply (no regex): this runs for most lines of big pastes."""
    if text[:2] != "* ":
        return None
    key, sep, _ = text[2:].partition(":")
    key = key.strip()
    return key if sep and key in KEY_SET else None


# What `tailscale netcheck`'s port mapper logs (prefix "portmap: ", under the CLI's Go log stamp or bare) when
# a UPnP Internet Gateway Device answers discovery from an address that is not the default gateway
# (net/portmapper: logged, and the reply is still used; tailscale/tailscale#5502).
UPNP_NOT_GATEWAY = (
    r"UPnP discovery response from (?P<responder>[\w.:%\[\]]+), but gateway IP is (?P<gateway>[\w.:%\[\]]+)"
)
_UPNP_NOT_GATEWAY = re.compile(rf"^(?:{GO_STAMP} )?portmap: {UPNP_NOT_GATEWAY}")


# The port mapper's other UPnP discovery lines during `tailscale netcheck` (net/portmapper/portmapper.go: a
# reply from a non-standard source port, still used; the [v1] reply dump with the raw SSDP answer; "UPnP meta
# changed"; an unrecognised or surplus reply, ignored): chatter of the probe, nothing that fails.
_PORTMAP_CHATTER = re.compile(
    rf"^(?:{GO_STAMP} )?portmap: (?:\[v1\] )?"
    r"(?:UPnP discovery response from non-UPnP port \d+$|UPnP reply \{|UPnP meta changed: "
    r"|unrecognized UPnP discovery response; ignoring|too many UPnP responses: skipping)"
)


# What only `tailscale netcheck --verbose` prints (cmd/tailscale/cli/netcheck.go since v1.2: the client's Logf is
# log.Printf with the prefix "netcheck: ", else discarded; "GetReport took 1.2s; err=<nil>" after each report). The
# unstamped "netcheck: UDP test failure: …" goes to stderr in every mode, so the Go log stamp is required.
_VERBOSE_LOG = re.compile(rf"^{GO_STAMP} netcheck: |^(?:{GO_STAMP} )?(?:netcheck: )?GetReport took \S+; err=")


def is_upnp_not_gateway_line(text: str) -> bool:
    """netcheck's port mapper saying a UPnP gateway answered from an address other than the gateway."""
    return "UPnP discovery response from" in text and _UPNP_NOT_GATEWAY.match(text) is not None


def is_portmap_line(text: str) -> bool:
    """A line netcheck's port mapper logs about UPnP discovery (the not-gateway finding or mere chatter)."""
    return "portmap: " in text and (is_upnp_not_gateway_line(text) or _PORTMAP_CHATTER.match(text) is not None)


def is_netcheck_line(text: str) -> bool:
    """True for a line of the human netcheck layout (``Report:``, ``* UDP:``, ``- fra: 5ms``)."""
    return text == "Report:" or bullet_key(text) is not None or bool(_KEY_LINE.match(text)) or is_portmap_line(text)


def is_region_line(text: str) -> bool:
    return region_parts(text) is not None or is_keyed_region_line(text)


def is_keyed_region_line(text: str) -> bool:
    """A region line of the v1.0 or v0.98 layout ("- 1, nyc = 299.6ms", "- derp2.tailscale.com:3478 = 11.9ms")."""
    return "=" in text and (_OLD_REGION_LINE.match(text) is not None or _V098_REGION_LINE.match(text) is not None)


def is_netcheck_log_line(text: str) -> bool:
    return bool(_REPORT_LOG.search(text) or _NETINFO_LOG.search(text) or netinfo_json_start(text) is not None)


# tailcfg.NetInfo as JSON inside a log line: another program's log of it (Coder's slog "netinfo callback
# {"netinfo": {"MappingVariesByDestIP": null, …, "WorkingUDP": false, "PreferredDERP": 4, "DERPLatency": {"1-v4":
# 0.087, …}}}"), a Hostinfo dump's "NetInfo": {…}, or the object alone. Its fields (tailcfg/tailcfg.go) are what
# the NetInfo{…} line abbreviates: opt.Bool values true/false/null (a string "true"/"" before opt.Bool marshalled
# itself), PreferredDERP a region ID, DERPLatency seconds per "<region>-v4"/"-v6". Only an object holding
# WorkingUDP is read as one (netcheck's own JSON report says "UDP").
NETINFO_JSON_WORD = '"WorkingUDP"'
_NETINFO_FIELDS = (
    "MappingVariesByDestIP|HairPinning|WorkingIPv6|OSHasIPv6|WorkingUDP|WorkingICMPv4|HavePortMap|UPnP|PMP|PCP"
    "|PreferredDERP|LinkType|DERPLatency|FirewallMode"
)
_NETINFO_JSON_START = re.compile(rf'"[Nn]et[Ii]nfo"\s*:\s*(?P<keyed>\{{)|\{{\s*"(?:{_NETINFO_FIELDS})"\s*:')
_JSON_FIELD = re.compile(r'"(?P<key>[\w-]+)"\s*:\s*(?P<value>true|false|null|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|"[^"]*")')
_DERP_LATENCY_KEY = re.compile(r"^(?P<id>\d+)-v[46]$")


def netinfo_json_start(text: str) -> int | None:
    """Where a NetInfo JSON object in the line starts (its "{"), or None."""
    if NETINFO_JSON_WORD not in text:
        return None
    for found in _NETINFO_JSON_START.finditer(text):
        start = found.start("keyed") if found.group("keyed") else found.start()
        if NETINFO_JSON_WORD in _json_object(text, start):
            return start
    return None


def _json_object(text: str, start: int) -> str:
    """The JSON object starting at ``text[start]`` ("{"), to its closing brace or the end of a cut line."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start : index + 1]
    return text[start:]


def _netinfo_json(line: SourceLine, start: int) -> NetcheckReport:
    body = _json_object(line.text, start)
    fields: dict[str, object] = {}
    latency_at = body.find('"DERPLatency"')
    best: dict[int, float] = {}
    for found in _JSON_FIELD.finditer(body):
        key, raw = found.group("key"), found.group("value")
        value: object = (
            raw.strip('"') if raw.startswith('"') else {"true": True, "false": False, "null": None}.get(raw, raw)
        )
        region = _DERP_LATENCY_KEY.match(key)
        if region is not None and latency_at != -1 and found.start() > latency_at:
            seconds = float(raw) if raw[0].isdigit() else None
            if seconds is not None and (int(region.group("id")) not in best or seconds * 1e3 < best[int(region["id"])]):
                best[int(region.group("id"))] = seconds * 1e3
        elif region is None:
            fields.setdefault(key, value)
    working_ipv6, os_ipv6 = _opt_bool(fields.get("WorkingIPv6")), _opt_bool(fields.get("OSHasIPv6"))
    if working_ipv6:
        ipv6_state = Ipv6State.GLOBAL
    elif os_ipv6 is not None:
        ipv6_state = Ipv6State.OS_ONLY if os_ipv6 else Ipv6State.NONE
    else:
        ipv6_state = Ipv6State.NO if working_ipv6 is False else Ipv6State.UNKNOWN
    portmap_state, protocols = _port_mapping_flags(fields, unknown=PortMapState.UNKNOWN)
    preferred = fields.get("PreferredDERP")
    home = str(preferred) if isinstance(preferred, str) and preferred.isdigit() and preferred != "0" else None
    latencies = tuple(
        DerpLatency(f"#{rid}", f"region {rid}", ms, rid, line) for rid, ms in sorted(best.items(), key=lambda kv: kv[1])
    )
    return NetcheckReport(
        layout="log (NetInfo JSON)",
        udp=_opt_bool(fields.get("WorkingUDP")),
        ipv6_state=ipv6_state,
        mapping_varies=_opt_bool(fields.get("MappingVariesByDestIP")),
        hairpinning=_opt_bool(fields.get("HairPinning")),
        portmap_state=portmap_state,
        portmap_protocols=protocols,
        derp_home=f"#{home}" if home else None,
        derp_home_state=DerpHomeState.OK if home else DerpHomeState.UNKNOWN,
        latencies=latencies,
        lines={k: line for k in ("udp", "ipv6", "mapping", "portmap", "derp")},
    )


# The rest of a netcheck report or NetInfo log line a terminal or a forum wrapped at a width: a line of its
# key=value fields alone (`portmap=U v4a=… derp=21 derpdist=…`, `udp=true … link=""}`), no stamp of its own.
_WRAPPED_FIELDS = re.compile(r"[\w.-]+=\S*(?:\s+[\w.-]+=\S*)*")
_MAX_WRAPPED_PIECES = 8


def wrapped_log_line_end(lines: Sequence[SourceLine], start: int, head: str) -> int:
    """The index of the last piece of the netcheck log line ``head`` (read up to ``start``) that a wrap moved
    onto the lines under it (``start`` when none did): a NetInfo{…} reaches its closing brace, a report goes on
    while the lines hold only its fields."""
    end = start
    braced = "NetInfo{" in head
    while end + 1 < len(lines) and end - start < _MAX_WRAPPED_PIECES:
        if braced and head.count("{") <= head.count("}"):
            break  # the NetInfo is whole
        piece = lines[end + 1].text
        if "=" not in piece or _WRAPPED_FIELDS.fullmatch(piece) is None:
            break
        head = f"{head} {piece}"
        end += 1
    return end


# A line with a Go log stamp of its own starts a new line of the log, never the rest of the one above.
_STAMPED = re.compile(rf"{GO_STAMP} ")
# The [v1] reply dump holds the raw SSDP answer in braces (`UPnP reply {Location:… Server:… USN:…}, "HTTP/1.1 …"`):
# a wrap spreads it over a few lines.
_MAX_PORTMAP_PIECES = 6


def wrapped_portmap_line_end(lines: Sequence[SourceLine], start: int, head: str) -> int:
    """The index of the last piece of the port mapper's line ``head`` (at ``start``) that a chat client or a narrow
    text box wrapped onto the lines under it, at a space (``start`` when none did): the not-gateway warning cut
    before its addresses (`…UPnP discovery response from` / `172.16.2.145, but gateway IP is 172.16.0.1`), the
    non-UPnP port note, the [v1] reply dump up to its closing brace. The pieces carry no stamp of their own."""
    end, joined = start, head
    while end + 1 < len(lines) and end - start < _MAX_PORTMAP_PIECES:
        whole = is_portmap_line(joined)
        if whole and ("UPnP reply {" not in joined or joined.count("{") <= joined.count("}")):
            break
        if not whole and end - start == 2:
            return start  # two pieces on and still not the port mapper's words: a line of its own
        piece = lines[end + 1]
        if not piece.text or piece.command is not None or "portmap: " in piece.text or _STAMPED.match(piece.text):
            break
        joined, end = f"{joined} {piece.text}", end + 1
    return end if is_portmap_line(joined) else start


_BOOL_WORDS = {"true": True, "false": False}
# The text readers' answers that hold no value of the report, built once: an attribute of an Enum class costs ~900
# instructions on Python 3.11 (blocks._NETCHECK), and these readers run once per report.
_IPV6_NO_ADDR_FOUND = (Ipv6State.NO_ADDR_FOUND, None)
_IPV6_OS_ONLY = (Ipv6State.OS_ONLY, None)
_IPV6_NONE = (Ipv6State.NONE, None)
_IPV6_NO = (Ipv6State.NO, None)
_IPV6_UNKNOWN = (Ipv6State.UNKNOWN, None)
_IPV6_GLOBAL = Ipv6State.GLOBAL
_PORTMAP_NONE_FOUND = (PortMapState.NONE_FOUND, ())
_PORTMAP_NOT_CHECKED = (PortMapState.NOT_CHECKED, ())
_PORTMAP_UNSUPPORTED = (PortMapState.UNSUPPORTED, ())
_PORTMAP_UNKNOWN = (PortMapState.UNKNOWN, ())
_PORTMAP_FOUND = PortMapState.FOUND
_HOME_UNKNOWN = (DerpHomeState.UNKNOWN, None, None)
_HOME_NO_RESPONSE = (DerpHomeState.NO_RESPONSE, None, None)
_HOME_NONE = (DerpHomeState.NONE, None, None)
_HOME_OK = DerpHomeState.OK


def _bool(value: str) -> bool | None:
    return _BOOL_WORDS.get(value.strip().lower())  # empty or garbled: None, not measured / unknown


def _ipv6(value: str) -> tuple[Ipv6State, str | None]:
    lowered = value.strip().lower()
    if lowered.startswith("yes"):
        endpoint = value.split(",", 1)[1].strip() if "," in value else None
        return _IPV6_GLOBAL, endpoint or None
    if "no addr found" in lowered:
        return _IPV6_NO_ADDR_FOUND
    if "os has support" in lowered:
        return _IPV6_OS_ONLY
    if "unavailable in os" in lowered:
        return _IPV6_NONE
    if lowered == "no":
        return _IPV6_NO
    return _IPV6_UNKNOWN


def _portmap(value: str) -> tuple[PortMapState, tuple[str, ...]]:
    value = value.strip()
    if not value:
        return _PORTMAP_NONE_FOUND
    lowered = value.lower()
    if lowered == "not checked":
        return _PORTMAP_NOT_CHECKED
    if "without portmapper" in lowered:
        return _PORTMAP_UNSUPPORTED
    protocols = tuple(p.strip() for p in value.split(",") if p.strip())
    return _PORTMAP_FOUND, protocols


def _derp_home(value: str) -> tuple[DerpHomeState, str | None, int | None]:
    value = value.strip()
    if not value:
        return _HOME_UNKNOWN
    lowered = value.lower()
    if lowered.startswith("unknown"):
        return _HOME_NO_RESPONSE
    if lowered == "[none]":
        return _HOME_NONE
    if not value[0].isdigit():
        return _HOME_OK, value, None
    # Region ID 0 is Go's zero value for "no preferred region": v0 printed it as "0 ()" (ID and an empty
    # code) when no region answered, as the log's `derp=0` still does.
    if _HOME_ZERO.match(value):
        return _HOME_NO_RESPONSE
    not_in_map = _HOME_NOT_IN_MAP.match(value)
    if not_in_map:
        return DerpHomeState.NOT_IN_MAP, f"#{not_in_map.group(1)}", int(not_in_map.group(1))
    old = _V1_0_HOME.match(value)  # v1.0: "3 (sin)"
    if old:
        return _HOME_OK, old.group(2), int(old.group(1))
    if (v098 := _V098_HOME.match(value)) is not None:  # v0.98: "2 (San Francisco)"
        region_id = int(v098.group("id"))
        known = _PUBLIC_BY_ID.get(region_id)
        return _HOME_OK, known.code if known is not None else f"#{region_id}", region_id
    return _HOME_OK, value, None


def _unnamed_home(latencies: list[DerpLatency], state: DerpHomeState) -> tuple[DerpHomeState, str | None]:
    """A blank ``Nearest DERP:`` over measured latencies: the CLI prints the preferred region's RegionName
    there (cmd/tailscale/cli/netcheck.go), blank when the derpMap gives that region none (a custom region
    with only a RegionCode), and the same empty name in that region's ``- code: 9.3ms   ()`` row. When
    exactly one answering region has an empty name, it is the home; with several, which one is unknown."""
    unnamed = [entry for entry in latencies if entry.name == "" and entry.latency_ms is not None]
    if len(unnamed) != 1:
        return state, None
    return DerpHomeState.OK, unnamed[0].code


def _ipv4(value: str) -> tuple[bool | None, str | None]:
    lowered = value.strip().lower()
    if lowered.startswith("yes"):
        endpoint = value.split(",", 1)[1].strip() if "," in value else None
        return True, endpoint or None
    if "no addr found" in lowered or lowered.startswith("no"):
        return False, None
    return None, None


_BAD_CODE_CHARS = frozenset(" ,=()")
# A note the poster typed after a value or a region row (`true   # UDP works`, `(Hong Kong)  <-- home`,
# `false // why?`, `← here`): a comment or arrow marker after whitespace. netcheck prints none of them.
_TRAILING_NOTE = re.compile(r"\s+(?:<-+|<=+|\u2190|\u2b05|#(?!\d)|//).*$")


# netcheck's own values that are in parentheses (cmd/tailscale/cli/netcheck.go: "IPv4: (no addr found)", the same for
# IPv6): a value, not a remark the poster added
_PRINTED_IN_PARENTHESES = frozenset({"(no addr found)"})
_VALUE_REMARK = re.compile(r"(?:^\s*|\s{2,}|(?:(?<=true)|(?<=false)|(?<=yes)|(?<=no))\s+)\([^()]{1,80}\)$")


# parse_netcheck_text's one look for notes in all a report's values (off only in tests/diagnose/test_fast_paths.py,
# which compares the reports with it and without it)
_NOTES_ONCE = True


def has_note_marker(value: str) -> bool:
    """Whether ``value`` holds a character a note after a value starts with (_TRAILING_NOTE's markers)."""
    return "#" in value or "/" in value or "<" in value or "\u2190" in value or "\u2b05" in value


def strip_note(value: str) -> str:
    """``value`` without a note typed after it (unchanged when it holds no comment or arrow marker)."""
    # has_note_marker's test inlined: region_parts calls this for every region line it reads
    if "#" in value or "/" in value or "<" in value or "\u2190" in value or "\u2b05" in value:
        return _TRAILING_NOTE.sub("", value)
    return value


def region_parts(text: str) -> tuple[str, str, str | None] | None:
    """``- fra: 5.9ms   (Frankfurt)`` → (code, raw latency, name or None if cut off); None if not one.

    String operations instead of a regex: region lines are most of a netcheck paste.
    """
    if text[:1] != "-":
        return None
    code, sep, rest = text[1:].lstrip().partition(":")
    if not sep or not code or len(code) > 32 or not _BAD_CODE_CHARS.isdisjoint(code):
        return None
    rest = strip_note(rest.strip())
    if rest[:1] == "(" or not rest:
        raw_latency, tail = "", rest
    else:
        raw_latency, _, tail = rest.partition(" ")
        tail = tail.strip()
        if not raw_latency[0].isdigit():
            return None  # "- UDP: true" is a Markdown bullet, not a region
    if tail and tail[0] != "(":
        return None
    if not tail:
        return code, raw_latency, ""
    close = tail.rfind(")")
    if (
        tail[-1] != ")"
        and close > 0
        and tail[close + 1 : close + 2].isspace()
        and tail.count("(", 0, close) == tail.count(")", 0, close + 1)
    ):
        return code, raw_latency, tail[1:close]  # a note typed after the row: `()     <--- seems good`
    return code, raw_latency, tail[1:-1] if tail[-1] == ")" else None


def region_latency(parts: tuple[str, str, str | None], text: str, line: SourceLine) -> DerpLatency:
    """The DerpLatency of a region line already split by :func:`region_parts`."""
    code, raw_latency, name = parts
    latency: float | None = None
    if raw_latency:
        if raw_latency[-2:] == "ms":  # the common case, "5.9ms"
            try:
                latency = float(raw_latency[:-2])
            except ValueError:
                latency = None
        if latency is None:
            latency = parse_go_duration(raw_latency)
    cut_off = bool(raw_latency and latency is None) or name is None
    name = (name if name is not None else text.partition("(")[2]).strip()
    region_id: int | None = None
    if name.startswith("derp"):  # --verbose: "(derp1, New York City)"
        verbose = re.match(r"^derp(\d+), (.*)$", name)
        if verbose:
            region_id, name = int(verbose.group(1)), verbose.group(2)
    return DerpLatency(code, name, latency, region_id, line, cut_off)


# The usual region line, ``- fra: 5.9ms   (Frankfurt)``, in one C-level match. Where it matches, the
# result equals region_parts + region_latency; anything else (cut off, other units, the --verbose
# "(derp1, ...)" names, parentheses in a name) takes that slower general path. The lookahead refuses the
# --verbose names in the match itself (the splitter's region loop runs this once per region line).
_PLAIN_REGION_LINE = re.compile(r"-\s*([^\s:,=()]{1,32}):\s*([0-9]+(?:\.[0-9]*)?)ms +\((?!\s*derp)([^()]*)\)")
match_plain_region = _PLAIN_REGION_LINE.fullmatch
# A region that gave no answer, ``- sfo:         (San Francisco)`` (a whole run of them when UDP is blocked), in one
# match too: region_parts + region_latency read it as no latency, not cut off. A name with a note's marker in it
# (_TRAILING_NOTE) takes the general path. (Off only in tests/diagnose/test_fast_paths.py, to compare.)
_UNMEASURED_REGION_LINE = re.compile(r"-\s*([^\s:,=()]{1,32}):\s*\(([^()#/<\u2190\u2b05]*)\)")
_FAST_UNMEASURED_REGION = True


def region_hint(text: str, line: SourceLine) -> DerpLatency | None:
    """The DerpLatency of a region line, or None if ``text`` is not one (the splitter's hot path)."""
    match = match_plain_region(text)
    if match is not None:  # (never a --verbose "(derp1, …)" name: the pattern refuses it)
        code, latency, name = match.groups()
        # tuple.__new__: no Python-level __new__
        return tuple.__new__(DerpLatency, (code, name.strip(), float(latency), None, line, False))
    if _FAST_UNMEASURED_REGION and (match := _UNMEASURED_REGION_LINE.fullmatch(text)) is not None:
        code, name = match.groups()
        name = name.strip()
        if not name.startswith("derp"):
            return tuple.__new__(DerpLatency, (code, name, None, None, line, False))
    parts = region_parts(text)
    return None if parts is None else region_latency(parts, text, line)


def _region_entry(text: str, line: SourceLine) -> tuple[DerpLatency, bool] | None:
    """A DERP latency line (either layout) and whether it is the v1.0 layout."""
    if "=" in text:
        old = _OLD_REGION_LINE.match(text)
        if old:
            latency = parse_go_duration(old.group("latency"))
            old_id = int(old.group("id"))
            return DerpLatency(old.group("code"), old.group("code"), latency, old_id, line), True
        if (v098 := _V098_REGION_LINE.match(text)) is not None:
            region_id = int(v098.group("id"))
            known = _PUBLIC_BY_ID.get(region_id)
            code, name = (known.code, known.name) if known is not None else (f"#{region_id}", "")
            return DerpLatency(code, name, parse_go_duration(v098.group("latency")), region_id, line), True
    parts = region_parts(text)
    if parts is None:
        return None
    return region_latency(parts, text, line), False


def parse_netcheck_text(
    lines: Sequence[SourceLine], hints: Sequence[str | tuple[str, str, str] | DerpLatency | None] = ()
) -> NetcheckReport:
    """Parse one human-layout report block. Unknown lines are ignored; missing fields stay unknown.

    ``hints`` (from the splitter, aligned with ``lines``) carry a bullet's key or its already split
    ``(key, ":", value)``, or a region line's finished DerpLatency, so big pastes are not parsed twice.
    """
    values: dict[str, str] = {}  # the fields' text, by key
    upnp_responder: tuple[str, str] | None = None
    sources: dict[str, SourceLine] = {}
    latencies: list[DerpLatency] = []
    old_layout = False
    truncated = False
    verbose_log = False
    for line, hint in zip(lines, hints if len(hints) == len(lines) else repeat(None, len(lines)), strict=True):
        if type(hint) is DerpLatency:  # prebuilt by the splitter: most lines of a big paste
            latencies.append(hint)
            if hint.cut_off:
                truncated = True
            continue
        if type(hint) is tuple:  # a bullet the splitter already split: (key, ":", value)
            bullet_name, _, bullet_value = hint  # type: ignore[misc]  # a 3-tuple; cast() costs a call per line
            if bullet_name == "DERP latency":
                sources["latency"] = line
            else:
                values[bullet_name] = bullet_value.removeprefix(" ")  # the one space after the colon
                sources[bullet_name] = line
            continue
        text = line.text
        if not text:
            continue
        first = text[0]
        if (first == "p" or first == "2") and (upnp := _UPNP_NOT_GATEWAY.match(text)) is not None:
            upnp_responder = (upnp.group("responder"), upnp.group("gateway"))
            sources["upnp_responder"] = line
            continue
        if first in "p2" and _PORTMAP_CHATTER.match(text) is not None:
            continue  # the port mapper's discovery chatter: read, says nothing about the network
        if first == "-":
            latency_entry = _region_entry(text, line)
            if latency_entry is not None:
                old_layout = old_layout or latency_entry[1]
                truncated = truncated or latency_entry[0].cut_off
                latencies.append(latency_entry[0])
                continue
        key = hint if isinstance(hint, str) else bullet_key(text)
        if key is not None:
            value = text[2:].partition(":")[2]
            value = value[1:] if value[:1] == " " else value
        else:
            key_match = _KEY_LINE.match(text)
            if key_match is None:
                if ("netcheck: " in text or "GetReport" in text) and _VERBOSE_LOG.match(text) is not None:
                    verbose_log = True
                continue
            key, value = key_match.group("key"), key_match.group("value")
        if key == "DERP latency":
            sources["latency"] = line
            continue
        values[key] = value
        sources[key] = line
    # strip_note's markers looked for once in all the values (most reports hold none); ")" a remark's end
    all_values = "".join(values.values())
    for key, value in values.items() if has_note_marker(all_values) or ")" in all_values or not _NOTES_ONCE else ():
        values[key] = strip_note(value)
        if value[-1:] == ")" and value.strip() not in _PRINTED_IN_PARENTHESES:
            # a remark in parentheses after the value (`UPnP  (offline since monday)`): v0.98's home
            # region "1 (New York City)" has one, one space after its number, so two spaces say a note
            values[key] = _VALUE_REMARK.sub("", values[key])
    ipv4, ipv4_endpoint = _ipv4(values.get("IPv4", ""))
    ipv6_state, ipv6_endpoint = _ipv6(values.get("IPv6", "")) if "IPv6" in values else _IPV6_UNKNOWN
    portmap_state, protocols = _portmap(values["PortMapping"]) if "PortMapping" in values else _PORTMAP_UNKNOWN
    if old_layout and len({entry.code for entry in latencies}) < len(latencies):
        latencies = _one_row_per_region(latencies)
    home_state, home, _home_id = _derp_home(values.get("Nearest DERP", ""))
    if home is None and "Nearest DERP" in values and not values["Nearest DERP"].strip():
        home_state, home = _unnamed_home(latencies, home_state)
    # build_frozen, not ParsedNetcheck(...): see models.build_frozen for the measured gain.
    return build_frozen(
        NetcheckReport,
        {
            "layout": _layout(values, old_layout),
            "udp": _bool(values.get("UDP", "")),
            "ipv4": ipv4,
            "ipv4_endpoint": ipv4_endpoint,
            "ipv6_state": ipv6_state,
            "ipv6_endpoint": ipv6_endpoint,
            "mapping_varies": _bool(values.get("MappingVariesByDestIP", "")),
            "hairpinning": _bool(values.get("HairPinning", "")),
            "portmap_state": portmap_state,
            "portmap_protocols": protocols,
            "captive_portal": _bool(values.get("CaptivePortal", "")),
            "derp_home": home,
            "derp_home_state": home_state,
            "latencies": tuple(latencies),
            "time": values.get("Time", "").strip() or None,
            "truncated": truncated,
            "upnp_responder": upnp_responder,
            # (regions named "(derp1, New York City)" say --verbose too: profile.py asks only when a region is blank)
            "verbose": verbose_log,
            "lines": {_FIELD_NAMES.get(k, k): v for k, v in sources.items()},
        },
    )


_FIELD_NAMES = {
    "UDP": "udp",
    "IPv4": "ipv4",
    "IPv6": "ipv6",
    "MappingVariesByDestIP": "mapping",
    "HairPinning": "hairpinning",
    "PortMapping": "portmap",
    "CaptivePortal": "captive",
    "Nearest DERP": "derp",
    "Time": "time",
}


def _one_row_per_region(latencies: list[DerpLatency]) -> list[DerpLatency]:
    """v0.98 printed a region's IPv4 and IPv6 STUN servers on rows of their own: one row per region, the faster."""
    best: dict[str, DerpLatency] = {}
    for entry in latencies:
        kept = best.get(entry.code)
        if kept is None or (
            entry.latency_ms is not None and (kept.latency_ms is None or entry.latency_ms < kept.latency_ms)
        ):
            best[entry.code] = entry
    return list(best.values())


def _layout(values: dict[str, Any], old_layout: bool) -> str:
    """Best guess at the CLI version range from which lines exist and how they look."""
    home = values.get("Nearest DERP", "").strip()
    if _V098_HOME.match(home) is not None:
        return "text v0.98"
    if old_layout or (home[:1].isdigit() and _V1_0_HOME.match(home)):
        return "text v1.0"
    time = values.get("Time", "").strip()
    if time:
        return "text v1.100+" if " " in time else "text v1.78-v1.99"
    if "HairPinning" in values:
        return "text v1.2-v1.67" if "PortMapping" in values else "text v1.2-v1.5"
    return "text v1.68-v1.77" if "CaptivePortal" in values else "text"


# ----------------------------------------------------------------------------------------- JSON


def looks_like_netcheck_json(document: object) -> bool:
    return (
        isinstance(document, dict)
        and "UDP" in document
        and ("PreferredDERP" in document or "RegionLatency" in document or "GlobalV4" in document)
    )


def _port_mapping_flags(fields: Mapping[str, object], unknown: PortMapState) -> tuple[PortMapState, tuple[str, ...]]:
    """The port mapping a JSON record's UPnP/PMP/PCP booleans show: any true is found, all false none found; missing
    values are ``unknown`` (a NetInfo record cut short vs a netcheck report that did not probe)."""
    flags = {name: _opt_bool(fields.get(key)) for key, name in (("UPnP", "UPnP"), ("PMP", "NAT-PMP"), ("PCP", "PCP"))}
    if any(flags.values()):
        return PortMapState.FOUND, tuple(name for name, found in flags.items() if found)
    if all(found is False for found in flags.values()):
        return PortMapState.NONE_FOUND, ()
    return unknown, ()


def _opt_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _bool(value)
    return None


def parse_netcheck_json(document: dict[str, Any], line: SourceLine) -> NetcheckReport:
    """Parse ``tailscale netcheck --format=json`` (the ``netcheck.Report`` struct)."""
    udp = _opt_bool(document.get("UDP"))
    global_v4 = document.get("GlobalV4") or ""
    global_v6 = document.get("GlobalV6") or ""
    if _opt_bool(document.get("IPv6")) and global_v6:
        ipv6_state = Ipv6State.GLOBAL
    elif _opt_bool(document.get("OSHasIPv6")) is True:
        ipv6_state = Ipv6State.OS_ONLY
    elif _opt_bool(document.get("OSHasIPv6")) is False:
        ipv6_state = Ipv6State.NONE
    else:
        ipv6_state = Ipv6State.UNKNOWN
    portmap_state, protocols = _port_mapping_flags(document, unknown=PortMapState.NOT_CHECKED)
    latencies: list[DerpLatency] = []
    region_latency = document.get("RegionLatency")
    if isinstance(region_latency, dict):
        for key, nanos in region_latency.items():
            region_id = int(key) if str(key).isdigit() else None
            ms = float(nanos) / 1e6 if isinstance(nanos, int | float) else None
            latencies.append(DerpLatency(f"#{key}", f"region {key}", ms, region_id, line))
        latencies.sort(key=lambda d: (d.latency_ms is None, d.latency_ms or 0.0))
    preferred = document.get("PreferredDERP")
    if isinstance(preferred, int) and preferred > 0:
        home_state, home = DerpHomeState.OK, f"#{preferred}"
    else:
        home_state, home = DerpHomeState.NO_RESPONSE, None
    return NetcheckReport(
        layout="json",
        udp=udp,
        ipv4=bool(global_v4) if udp is not None else None,
        ipv4_endpoint=str(global_v4) or None,
        ipv6_state=ipv6_state,
        ipv6_endpoint=str(global_v6) or None,
        mapping_varies=_opt_bool(document.get("MappingVariesByDestIP")),
        hairpinning=_opt_bool(document.get("HairPinning")),
        portmap_state=portmap_state,
        portmap_protocols=protocols,
        captive_portal=_opt_bool(document.get("CaptivePortal")),
        derp_home=home,
        derp_home_state=home_state,
        latencies=tuple(latencies),
        time=str(document["Now"]) if document.get("Now") else None,
        lines={k: line for k in ("udp", "ipv4", "ipv6", "mapping", "portmap", "captive", "derp")},
    )


# ------------------------------------------------------------------------------------------- logs


def _key_values(body: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for token in body.split():
        if "=" in token:
            key, _, value = token.partition("=")
            pairs[key] = value.strip('"')
    return pairs


def _portmap_letters(value: str | None) -> tuple[PortMapState, tuple[str, ...]]:
    if value is None:
        return PortMapState.UNKNOWN, ()
    value = value.removeprefix("active-")
    if value == "?":
        return PortMapState.NOT_CHECKED, ()
    if value == "x":
        return PortMapState.UNSUPPORTED, ()
    protocols = tuple(PORTMAP_LETTERS[c] for c in value if c in PORTMAP_LETTERS)
    if protocols:
        return PortMapState.FOUND, protocols
    if "_" in value:  # "_" = that protocol's probe has no result yet
        return PortMapState.UNKNOWN, ()
    return PortMapState.NONE_FOUND, ()


# netcheck's own line when no STUN answer came back over UDP (net/netcheck/netcheck.go since 2020-05, e6b84f215;
# the ICMP one since 2022-08, f0d6f173c): the client logs "netcheck: UDP is blocked, trying HTTPS" through a logger
# that adds "netcheck: " again (tailscaled's magicsock, tsnet, the CLI's --verbose), and "UDP is blocked, trying
# ICMP" once. It shows UDP blocked on this node's network before (or without) the "report: udp=false" line.
_UDP_BLOCKED_LOG = re.compile(r"(?:^|[\s:\]])(?:netcheck: )*UDP is blocked, trying (?P<via>HTTPS|ICMP)\s*$")
UDP_BLOCKED_LAYOUT = "tailscaled log (UDP is blocked)"


def is_udp_blocked_log_line(text: str) -> bool:
    """netcheck's "UDP is blocked, trying HTTPS|ICMP" log line, under any prefix."""
    return _UDP_BLOCKED_LOG.search(text) is not None


def parse_udp_blocked_log(line: SourceLine) -> NetcheckReport:
    """What netcheck's "UDP is blocked, trying …" line measured: no UDP (the rest of the report is not shown)."""
    return NetcheckReport(layout=UDP_BLOCKED_LAYOUT, udp=False, lines={"udp": line})


# The netcheck CLI's own log line when tailscaled's LocalAPI handed it a DERP map with no regions (cmd/tailscale/cli/
# netcheck.go, every version since v1.16): tailscaled holds no netmap from the coordination server (logged out,
# stopped, or control unreachable: a captive portal not cleared), and the CLI measures against the default map it
# fetches itself ("attempting to fetch a DERPMap from …", then "fetch prodDERPMap failed: …" when that fails too).
_NO_DERP_MAP_LOG = re.compile(r"(?:^|[\s\]])No DERP map from tailscaled; using default\.?\s*$")
NO_DERP_MAP_LAYOUT = "netcheck CLI (no DERP map from tailscaled)"


def is_no_derp_map_line(text: str) -> bool:
    """The netcheck CLI's "No DERP map from tailscaled; using default." line, under a log stamp or not."""
    return "No DERP map from tailscaled" in text and _NO_DERP_MAP_LOG.search(text) is not None


def parse_no_derp_map(line: SourceLine) -> NetcheckReport:
    """What the line says: tailscaled had no DERP map (no netmap); nothing measured (the report is not shown)."""
    return NetcheckReport(layout=NO_DERP_MAP_LAYOUT, lines={"no_derp_map": line})


def with_no_derp_map(report: NetcheckReport, line: SourceLine) -> NetcheckReport:
    """``report`` measured by a CLI whose tailscaled had no DERP map: the line kept as its caveat."""
    return replace(report, lines={**report.lines, "no_derp_map": line})


def parse_netcheck_log(line: SourceLine) -> NetcheckReport | None:
    """Parse a tailscaled log line carrying ``report: udp=...`` or ``NetInfo{...}``."""
    report = _REPORT_LOG.search(line.text)
    if report:
        kv = _key_values(report.group("body"))
        v6 = _bool(kv.get("v6", ""))
        if v6:
            ipv6_state = Ipv6State.GLOBAL
        elif "v6os" in kv:
            ipv6_state = Ipv6State.OS_ONLY if _bool(kv["v6os"]) else Ipv6State.NONE
        else:
            ipv6_state = Ipv6State.NO if v6 is False else Ipv6State.UNKNOWN
        portmap_state, protocols = _portmap_letters(kv.get("portmap"))
        latencies = _derpdist(kv.get("derpdist", ""), line)
        derp = kv.get("derp", "")
        return NetcheckReport(
            layout="tailscaled log (report:)",
            udp=_bool(kv.get("udp", "")),
            ipv4=False if kv.get("v4") == "false" else (True if "v4a" in kv else None),
            ipv4_endpoint=kv.get("v4a"),
            ipv6_state=ipv6_state,
            ipv6_endpoint=kv.get("v6a"),
            mapping_varies=_bool(kv.get("mapvarydest", "")),
            hairpinning=_bool(kv.get("hair", "")),
            portmap_state=portmap_state,
            portmap_protocols=protocols,
            captive_portal=_bool(kv.get("captiveportal", "")),
            derp_home=f"#{derp}" if derp.isdigit() and derp != "0" else None,
            derp_home_state=DerpHomeState.OK if derp.isdigit() and derp != "0" else DerpHomeState.NO_RESPONSE,
            latencies=latencies,
            lines={k: line for k in ("udp", "ipv4", "ipv6", "mapping", "portmap", "captive", "derp")},
        )
    netinfo = _NETINFO_LOG.search(line.text)
    if netinfo:
        kv = _key_values(netinfo.group("body"))
        ipv6 = _bool(kv.get("ipv6", ""))
        ipv6os = _bool(kv.get("ipv6os", ""))
        if ipv6:
            ipv6_state = Ipv6State.GLOBAL
        elif ipv6os is not None:
            ipv6_state = Ipv6State.OS_ONLY if ipv6os else Ipv6State.NONE
        else:
            ipv6_state = Ipv6State.NO if ipv6 is False else Ipv6State.UNKNOWN
        portmap_state, protocols = _portmap_letters(kv.get("portmap"))
        derp = kv.get("derp", "").lstrip("#")
        return NetcheckReport(
            layout="tailscaled log (NetInfo)",
            udp=_bool(kv.get("udp", "")),
            ipv6_state=ipv6_state,
            mapping_varies=_bool(kv.get("varies", "")),
            hairpinning=_bool(kv.get("hairpin", "")),
            portmap_state=portmap_state,
            portmap_protocols=protocols,
            derp_home=f"#{derp}" if derp.isdigit() and derp != "0" else None,
            derp_home_state=DerpHomeState.OK if derp.isdigit() and derp != "0" else DerpHomeState.UNKNOWN,
            lines={k: line for k in ("udp", "ipv6", "mapping", "portmap", "derp")},
        )
    if (start := netinfo_json_start(line.text)) is not None:
        return _netinfo_json(line, start)
    return None


def _derpdist(value: str, line: SourceLine) -> tuple[DerpLatency, ...]:
    """``21v4:36ms,21v6:40ms,1v4:80ms`` → the best latency per region."""
    best: dict[int, float] = {}
    for item in value.split(","):
        match = re.match(r"^(\d+)v[46]:(\S+)$", item)
        if not match:
            continue
        ms = parse_go_duration(match.group(2))
        region = int(match.group(1))
        if ms is not None and (region not in best or ms < best[region]):
            best[region] = ms
    ordered = sorted(best.items(), key=lambda kv: kv[1])
    return tuple(DerpLatency(f"#{rid}", f"region {rid}", ms, rid, line) for rid, ms in ordered)
