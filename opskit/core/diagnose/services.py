"""Parse what the CLI prints about Tailscale Services (VIP services): the ones this node can reach, and the ones it
hosts with whether it advertises them.

``tailscale service list`` (cmd/tailscale/cli/service.go runServiceList, 2026-07+): a tabwriter table, ``-`` for an
empty cell, ENDPOINTS the Service's ports (``tcp:443, tcp:80``), TYPE its action types (``http, ssh, 2 others``)::

     IP               HOSTNAME                 DISPLAY NAME     ENDPOINTS     TYPE
     100.100.10.1     web.tail1234.ts.net      Web frontend     tcp:443       http

and ``--json``: an array of tailcfg.ServiceDetails with the MagicDNS ``Hostname`` (``Name``, ``DisplayName``,
``Addrs``, ``Ports``, ``Actions``). ``tailscale serve get-config --all`` (serve_v2.go runServeGetConfig, v1.90+)
writes ipn/conffile's Services config file: ``{"version": "0.0.1", "services": {"svc:web": {"endpoints": {"tcp:443":
"http://localhost:3000"}, "advertised": false}}}`` (``--service=svc:web``: that Service's object alone, with its own
``version``). ``advertised`` is left out when true; false is a Service this node holds the config of but no longer
offers (``tailscale serve drain``): it takes no new connections for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.text import SourceLine, is_elision_line

SERVICE_LIST_HEADER = lazy_compile(r"^IP\s+HOSTNAME\s+DISPLAY NAME\s+ENDPOINTS\s+TYPE$")
_CELLS = lazy_compile(r"\s{2,}")
_SERVICE_FLAG = lazy_compile(r"--service[= ](?P<name>svc:[\w-]+)")
_MAX_ROWS = 5000


@dataclass(frozen=True)
class Service:
    name: str  # svc:<name> (a table row has only its MagicDNS name: its first label)
    hostname: str | None
    ip: str | None
    display_name: str | None
    endpoints: tuple[str, ...]  # "tcp:443", or "tcp:443 → http://localhost:3000" for a hosted one
    types: str | None  # service list's TYPE cell ("http, ssh")
    advertised: bool | None  # get-config: False when this node does not offer it (drained); None for a list
    line: SourceLine


@dataclass(frozen=True)
class ServicesReport:
    rule_target: ClassVar[str] = "services"  # its kind in JSON views[]
    services: tuple[Service, ...]
    hosted: bool  # serve get-config (this node hosts them) rather than service list (it can reach them)
    lines: tuple[SourceLine, ...]

    @property
    def drained(self) -> tuple[Service, ...]:
        return tuple(s for s in self.services if s.advertised is False)

    @property
    def layout(self) -> str:
        count = len(self.services)
        what = "tailscale serve get-config" if self.hosted else "tailscale service list"
        return f"{what} ({count} Service{'s' if count != 1 else ''})"

    def facts(self) -> dict[str, Any]:
        return {
            "hosted": self.hosted,
            "services": [
                {
                    "name": s.name,
                    "hostname": s.hostname,
                    "ip": s.ip,
                    "display_name": s.display_name,
                    "endpoints": list(s.endpoints),
                    "type": s.types,
                    "advertised": s.advertised,
                    "line": s.line.number,
                }
                for s in self.services
            ],
            "drained": [s.name for s in self.drained],
        }


def _cell(value: str) -> str | None:
    return None if value == "-" else value


def _row(line: SourceLine) -> Service | None:
    cells = _CELLS.split(line.text)
    if len(cells) != 5 or " " in cells[0] or " " in cells[1]:
        return None
    ip, hostname, display, endpoints, types = (_cell(c) for c in cells)
    if hostname is None or not (ip is None or ":" in ip or ip.count(".") == 3):
        return None
    ports = tuple(p for p in (endpoints or "").split(", ") if p)
    return Service(f"svc:{hostname.split('.', 1)[0]}", hostname, ip, display, ports, types, None, line)


def service_list_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last row of a `service list` table whose header is ``lines[start]``, or None."""
    if SERVICE_LIST_HEADER.match(lines[start].text) is None:
        return None
    end = start
    for index in range(start + 1, min(len(lines), start + _MAX_ROWS)):
        line = lines[index]
        if line.command is not None or not line.text:
            break
        if _row(line) is None and not is_elision_line(line.text):
            break
        end = index
    return end


def parse_service_list(lines: Sequence[SourceLine]) -> ServicesReport:
    services = tuple(row for line in lines[1:] if (row := _row(line)) is not None)
    return ServicesReport(services, False, tuple(lines))


def is_service_list_json(document: object) -> bool:
    """`service list --json`'s array: every item a Service with its name (``svc:…``) and MagicDNS hostname."""
    return (
        isinstance(document, list)
        and bool(document)
        and all(
            isinstance(item, dict)
            and isinstance(item.get("Name"), str)
            and item["Name"].startswith("svc:")
            and "Hostname" in item
            for item in document
        )
    )


def is_services_config(document: object) -> bool:
    """`serve get-config`'s Services config file: all Services (``services``) or one (``endpoints``)."""
    if not isinstance(document, dict) or not isinstance(document.get("version"), str):
        return False
    services = document.get("services")
    if isinstance(services, dict):
        return document.keys() <= {"version", "services"} and all(
            isinstance(name, str) and name.startswith("svc:") and isinstance(body, dict)
            for name, body in services.items()
        )
    return isinstance(document.get("endpoints"), dict) and document.keys() <= {"version", "endpoints", "advertised"}


def _line_of(lines: Sequence[SourceLine], needle: str) -> SourceLine:
    return next((line for line in lines if needle in line.text), lines[0])


def _text(item: Mapping[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) and value else None


def parse_service_list_json(lines: Sequence[SourceLine], document: list[dict[str, Any]]) -> ServicesReport:
    services = []
    for item in document:
        name = item["Name"]
        addrs = [a for a in item.get("Addrs") or () if isinstance(a, str)]
        ports = tuple(p for p in item.get("Ports") or () if isinstance(p, str))
        actions = [a.get("Type") for a in item.get("Actions") or () if isinstance(a, dict)]
        types = ", ".join(t for t in actions if isinstance(t, str)) or None
        line = _line_of(lines, f'"{name}"')
        services.append(
            Service(name, _text(item, "Hostname"), addrs[0] if addrs else None, _text(item, "DisplayName"), ports,
                    types, None, line)
        )  # fmt: skip
    return ServicesReport(tuple(services), False, tuple(lines))


def _hosted(name: str, body: Mapping[str, Any], lines: Sequence[SourceLine]) -> Service:
    endpoints = body.get("endpoints")
    mapped = tuple(f"{port} → {target}" for port, target in (endpoints.items() if isinstance(endpoints, dict) else ()))
    advertised = body.get("advertised")
    return Service(name, None, None, None, mapped, None, advertised is not False, _line_of(lines, f'"{name}"'))


def parse_services_config(lines: Sequence[SourceLine], document: dict[str, Any], command: str | None) -> ServicesReport:
    services = document.get("services")
    if isinstance(services, dict):
        hosted = tuple(_hosted(name, body, lines) for name, body in services.items())
    else:  # one Service's file: its name is the command's --service
        named = _SERVICE_FLAG.search(command or "")
        hosted = (_hosted(named["name"] if named else "svc:?", document, lines),)
    return ServicesReport(hosted, True, tuple(lines))
