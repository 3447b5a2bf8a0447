"""Read ``tailscale debug portmap`` (and tailscaled's older ``--debug-portmap``): what the port mappers found.

The command (feature/debugportmapper; before v1.38 ``tailscaled -debug-portmap``, the same lines with Go's
``2023/03/02 18:05:30`` log date) probes the default gateway for UPnP, NAT-PMP and PCP and prints, line by
line: ``gw=<gateway>; self=<this machine>``, the port mapper's own lines (``portmapper: [v1] Got PMP
response; IP: <external>, epoch: N``, ``portmapper: [v1] Got PCP response: epoch: N``, ``portmapper: [v1]
UPnP reply {Location:… Server:…}, "…"``, ``portmapper: UPnP discovery response from X, but gateway IP is Y``,
``portmapper: … successfully obtained mapping: … external=<ip:port> type=…``), the link monitor's
(``monitor: …``), ``Probe: {PCP:false PMP:true UPnP:true}``, then ``mapping: <ip:port>`` / ``no mapping`` /
``no portmapping services available`` and the callback's ``cb: mapping: …``. Users paste it whole or cut.

The external address a mapper reports matters most: NAT-PMP's ``IP:``, a mapping's external address, UPnP's
``GetExternalIPAddress``. A private or carrier-grade (100.64.0.0/10) address there means this router is
itself behind another NAT (a modem/router in front, or the ISP's CGNAT): a mapping it makes opens a port on
an address the internet cannot reach, so it gives no public endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.models import NetcheckReport, PortMapState
from opskit.core.diagnose.netcheck import UPNP_NOT_GATEWAY
from opskit.core.diagnose.profile import AddressScope, address_scope
from opskit.core.diagnose.text import GO_STAMP, SourceLine

# Go's log date the old tailscaled -debug-portmap printed before every line (log.Printf).
_GO_LOG_DATE = lazy_compile(rf"^{GO_STAMP} ")
_GW_SELF = lazy_compile(r"^gw=(?P<gw>[0-9A-Fa-f.:%\w-]+); self=(?P<self>[0-9A-Fa-f.:%\w-]+)$")
_PROBE = lazy_compile(r"^Probe: \{PCP:(?P<pcp>true|false) PMP:(?P<pmp>true|false) UPnP:(?P<upnp>true|false)\}")
_PMP_RESPONSE = lazy_compile(r"Got PMP response; IP: (?P<ip>[0-9.]+), epoch: \d+")
_PCP_RESPONSE = lazy_compile(r"Got PCP response: epoch: \d+")
_UPNP_REPLY = lazy_compile(r"UPnP reply \{|saw UPnP type |UPnP meta changed: ")
_UPNP_ELSEWHERE = lazy_compile(UPNP_NOT_GATEWAY)
_UPNP_EXTERNAL = lazy_compile(r"client\.GetExternalIPAddress: (?P<ip>[0-9.]+), ")
_OBTAINED = lazy_compile(r"successfully obtained mapping: .*?external=(?P<ext>\S+) type=(?P<type>\w+)")
_MAPPING = lazy_compile(r"^(?:cb: )?mapping: (?P<ext>\S+)$")
_NO_MAPPING = lazy_compile(r"^(?:cb: )?no mapping$")
_NONE_AVAILABLE = "no portmapping services available"
# Every line the command prints that is not a port mapper's or the link monitor's: a block is these, the
# ``portmapper: `` / ``monitor: `` lines, and the final context line.
_OWN_LINES = lazy_compile(
    r"^(?:gw=\S+; self=\S+|Probe: \{PCP:|(?:cb: )?(?:no )?mapping(?::|$)|portmapping changed\.$|have mapping: |"
    r"no portmapping services available$|no gateway or self IP; |error in Probe: |error creating monitor: |"
    r"serveDebugPortmap: context done: )"
)
_PROTOCOL_ORDER = ("UPnP", "NAT-PMP", "PCP")
_TYPE_PROTOCOL = {"pmp": "NAT-PMP", "pcp": "PCP", "upnp": "UPnP"}
_MAX_LINES = 400  # a whole run with -log-http prints a few dozen; stop looking after this many


@dataclass(frozen=True)
class ExternalAddress:
    """An external (WAN) address a port mapper reported, with the protocol and the line that said so."""

    address: str  # the IP, without a port
    protocol: str  # "NAT-PMP", "PCP", "UPnP"
    line: SourceLine


@dataclass(frozen=True)
class PortmapDebugReport:
    layout: str
    gateway: str | None = None
    self_ip: str | None = None
    gateway_line: SourceLine | None = None
    answered: tuple[tuple[str, SourceLine], ...] = ()  # (protocol, first line showing it answered)
    none_available: SourceLine | None = None  # "no portmapping services available"
    externals: tuple[ExternalAddress, ...] = ()
    mapping: str | None = None  # the external ip:port of the mapping made
    mapping_line: SourceLine | None = None
    no_mapping: SourceLine | None = None
    upnp_elsewhere: tuple[str, str, SourceLine] | None = None  # (responder, gateway, line)
    cut: bool = True  # no result line (mapping / no mapping / none available): the paste stops before it

    @property
    def protocols(self) -> tuple[str, ...]:
        """The protocols that answered, in netcheck's order (UPnP, NAT-PMP, PCP)."""
        seen = {protocol for protocol, _ in self.answered}
        return tuple(p for p in _PROTOCOL_ORDER if p in seen)


def _text(line: SourceLine) -> str:
    text = line.text
    if text[:2] == "20" and (date := _GO_LOG_DATE.match(text)) is not None:
        text = text[date.end() :]
    return text


def _is_portmap_line(text: str) -> bool:
    return text.startswith(("portmapper: ", "monitor: ")) or _OWN_LINES.match(text) is not None


def _is_marker(text: str) -> bool:
    """A line only this command prints (never tailscaled's log): its gateway line or its probe result."""
    return _GW_SELF.match(text) is not None or text.startswith(("Probe: {PCP:", "no gateway or self IP; "))


def is_portmap_debug_start(text: str) -> bool:
    """Cheap test for the splitter's loop: could ``text`` begin a ``tailscale debug portmap`` output?"""
    return text[:3] in ("gw=", "mon", "por", "Pro", "no ") or (
        text[:2] == "20" and _GO_LOG_DATE.match(text) is not None
    )


def is_portmap_command(command: str | None) -> bool:
    """``tailscale debug portmap [flags]`` or ``tailscaled -debug-portmap`` (a prompt's command)."""
    return command is not None and re.search(r"\bdebug[ -]+portmap\b|-debug-portmap\b", command) is not None


def portmap_debug_extent(lines: Sequence[SourceLine], start: int, command: str | None) -> tuple[int, bool]:
    """(index of the last line of the run of portmap-debug-like lines from ``lines[start]``, whether that run
    is a ``tailscale debug portmap`` output): it is when it holds a line only the command prints (``gw=…;
    self=…``, ``Probe: {…}``) or follows the command's prompt. A run that is not (a tailscaled log's own
    ``portmapper:`` lines without a date) is returned too, so the caller does not rescan it line by line."""
    if not _is_portmap_line(_text(lines[start])):
        return start, False
    marked = is_portmap_command(command)
    end = start
    stop = min(len(lines), start + _MAX_LINES)
    index = start
    while index < stop:
        line = lines[index]
        if index > start and line.command is not None:
            break
        text = _text(line)
        if text:
            if not _is_portmap_line(text):
                break
            marked = marked or _is_marker(text)
            end = index
        index += 1
    return end, marked


def parse_portmap_debug(lines: Sequence[SourceLine]) -> PortmapDebugReport:
    """What one ``tailscale debug portmap`` output shows (see the module docstring)."""
    gateway = self_ip = gateway_line = none_available = mapping = mapping_line = no_mapping = None
    answered: dict[str, SourceLine] = {}
    externals: list[ExternalAddress] = []
    upnp_elsewhere: tuple[str, str, SourceLine] | None = None
    dated = False
    for line in lines:
        text = line.text
        if not text:
            continue
        plain = _text(line)
        dated = dated or plain is not text
        if (match := _GW_SELF.match(plain)) is not None:
            gateway, self_ip, gateway_line = match["gw"], match["self"], line
        elif (match := _PROBE.match(plain)) is not None:
            for key, protocol in (("upnp", "UPnP"), ("pmp", "NAT-PMP"), ("pcp", "PCP")):
                if match[key] == "true":
                    answered.setdefault(protocol, line)
        elif plain == _NONE_AVAILABLE:
            none_available = line
        elif (match := _MAPPING.match(plain)) is not None:
            mapping, mapping_line = match["ext"], line
        elif _NO_MAPPING.match(plain):
            no_mapping = line
        elif plain.startswith("portmapper: "):
            if (match := _PMP_RESPONSE.search(plain)) is not None:
                answered.setdefault("NAT-PMP", line)
                externals.append(ExternalAddress(match["ip"], "NAT-PMP", line))
            elif _PCP_RESPONSE.search(plain):
                answered.setdefault("PCP", line)
            elif (match := _UPNP_ELSEWHERE.search(plain)) is not None:
                upnp_elsewhere = (match["responder"], match["gateway"], line)
            elif _UPNP_REPLY.search(plain):
                answered.setdefault("UPnP", line)
            elif (match := _UPNP_EXTERNAL.search(plain)) is not None:
                externals.append(ExternalAddress(match["ip"], "UPnP", line))
            elif (match := _OBTAINED.search(plain)) is not None:
                protocol = _TYPE_PROTOCOL.get(match["type"].lower(), match["type"])
                externals.append(ExternalAddress(_host(match["ext"]), protocol, line))
                mapping, mapping_line = mapping or match["ext"], mapping_line or line
    if mapping is not None and mapping_line is not None and not any(e.line == mapping_line for e in externals):
        externals.append(ExternalAddress(_host(mapping), "mapping", mapping_line))
    return PortmapDebugReport(
        layout="tailscaled -debug-portmap (log dates)" if dated else "tailscale debug portmap",
        gateway=gateway,
        self_ip=self_ip,
        gateway_line=gateway_line,
        answered=tuple(sorted(answered.items(), key=lambda item: _PROTOCOL_ORDER.index(item[0]))),
        none_available=none_available,
        externals=tuple(externals),
        mapping=mapping,
        mapping_line=mapping_line,
        no_mapping=no_mapping,
        upnp_elsewhere=upnp_elsewhere,
        cut=mapping_line is None and no_mapping is None and none_available is None,
    )


def _host(endpoint: str) -> str:
    """The IP of ``ip:port`` / ``[v6]:port`` (or the text itself when it has no port)."""
    if endpoint.startswith("["):
        return endpoint[1:].partition("]")[0]
    host, sep, port = endpoint.rpartition(":")
    return host if sep and port.isdigit() and host.count(":") == 0 else endpoint


def portmap_netcheck_report(report: PortmapDebugReport) -> NetcheckReport:
    """The NAT facts a portmap debug shows, as the netcheck report a node profile is built from: which port
    mappers answered (nothing else of netcheck is measured: UDP, mapping and DERP stay unknown)."""
    if report.answered:
        state, line = PortMapState.FOUND, report.answered[0][1]
    elif report.none_available is not None:
        state, line = PortMapState.NONE_FOUND, report.none_available
    else:
        state, line = PortMapState.UNKNOWN, None
    lines = {"portmap": line} if line is not None else {}
    upnp = (report.upnp_elsewhere[0], report.upnp_elsewhere[1]) if report.upnp_elsewhere else None
    if report.upnp_elsewhere is not None:
        lines["upnp_responder"] = report.upnp_elsewhere[2]
    return NetcheckReport(
        layout=report.layout,
        portmap_state=state,
        portmap_protocols=report.protocols,
        upnp_responder=upnp,
        lines=lines,
    )


def behind_second_nat(report: PortmapDebugReport) -> tuple[ExternalAddress, AddressScope] | None:
    """The first external address a port mapper reported that is not public (private or carrier-grade):
    the router answering is behind another NAT. None when every reported address is public (or none is)."""
    for external in report.externals:
        scope = address_scope(external.address)
        if scope in (AddressScope.PRIVATE, AddressScope.SHARED):
            return external, scope
    return None
