"""Parse ``tailscale debug derp-map``: the DERP map this node holds (tailcfg.DERPMap, tab-indented JSON;
cmd/tailscale/cli/debug.go runDERPMap)::

    {
        "HomeParams": {"RegionScore": {…}},                 (optional)
        "Regions": {
            "1": {"RegionID": 1, "RegionCode": "nyc", "RegionName": "New York City", "Latitude": …,
                  "Avoid": true, "NoMeasureNoHome": true,    (optional)
                  "Nodes": [{"Name": "1f", "RegionID": 1, "HostName": "derp1f.tailscale.com", "IPv4": …,
                             "IPv6": …, "STUNPort": 3478, "STUNOnly": true, "DERPPort": 443, "CanPort80": true}]},
            "999": {"RegionID": 999, "RegionCode": "headscale", "RegionName": "Headscale Embedded DERP", …}
        },
        "omitDefaultRegions": true                           (control replaced Tailscale's regions)
    }

A region is custom (a self-hosted derper, Headscale's embedded server) when a node of it is not a
``*.tailscale.com`` host, or, without host names, when its ID is none of Tailscale's public regions (custom
regions take 900-999 by convention).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.regions import PUBLIC_REGIONS
from opskit.core.diagnose.text import SourceLine

_PUBLIC_IDS = frozenset(r.region_id for r in PUBLIC_REGIONS)
_REGION_KEYS = ("RegionID", "RegionCode", "Nodes")


@dataclass(frozen=True)
class DerpMapRegion:
    region_id: int | None
    code: str | None
    name: str | None
    custom: bool
    hosts: tuple[str, ...]  # the nodes' host names (or addresses, for a node without one)
    stun_only: bool  # every node is STUN-only: no relay here
    avoid: bool
    line: SourceLine


@dataclass(frozen=True)
class DerpMapReport:
    rule_target: ClassVar[str] = "derp-map"
    regions: tuple[DerpMapRegion, ...]
    omit_default_regions: bool
    lines: tuple[SourceLine, ...]

    @property
    def custom(self) -> tuple[DerpMapRegion, ...]:
        return tuple(r for r in self.regions if r.custom)

    @property
    def layout(self) -> str:
        custom = len(self.custom)
        count = len(self.regions)
        return f"tailscale debug derp-map ({count} region{'s' if count != 1 else ''}, {custom} custom)"

    def facts(self) -> dict[str, Any]:
        return {
            "regions": [
                {"id": r.region_id, "code": r.code, "name": r.name, "custom": r.custom, "hosts": list(r.hosts),
                 "stun_only": r.stun_only, "avoid": r.avoid, "line": r.line.number}
                for r in self.regions
            ],
            "omit_default_regions": self.omit_default_regions,
        }  # fmt: skip


def is_derp_map(document: object) -> bool:
    if not isinstance(document, dict):
        return False
    regions = document.get("Regions")
    if not isinstance(regions, dict):
        return False
    if not regions:
        return "omitDefaultRegions" in document or "HomeParams" in document or len(document) == 1
    return all(isinstance(r, dict) and any(k in r for k in _REGION_KEYS) for r in regions.values())


def _region_line(lines: Sequence[SourceLine], region_id: object, code: object) -> SourceLine:
    wanted = (f'"RegionID": {region_id}', f'"RegionCode": "{code}"')
    for line in lines:
        if any(w in line.text for w in wanted):
            return line
    return lines[0]


def parse_derp_map(lines: Sequence[SourceLine], document: dict[str, Any]) -> DerpMapReport:
    regions: list[DerpMapRegion] = []
    for key, region in document["Regions"].items():
        raw_id = region.get("RegionID", key)
        region_id = int(raw_id) if isinstance(raw_id, int) or (isinstance(raw_id, str) and raw_id.isdigit()) else None
        code = region.get("RegionCode")
        name = region.get("RegionName")
        nodes = [n for n in region.get("Nodes") or () if isinstance(n, dict)]
        hosts = tuple(
            str(n.get("HostName") or n.get("IPv4") or n.get("IPv6") or "")
            for n in nodes
            if n.get("HostName") or n.get("IPv4") or n.get("IPv6")
        )
        named = [str(n["HostName"]).lower().rstrip(".") for n in nodes if isinstance(n.get("HostName"), str)]
        custom = any(not host.endswith(".tailscale.com") for host in named) if named else region_id not in _PUBLIC_IDS
        regions.append(
            DerpMapRegion(
                region_id,
                code if isinstance(code, str) else None,
                name if isinstance(name, str) else None,
                custom,
                hosts,
                bool(nodes) and all(n.get("STUNOnly") is True for n in nodes),
                region.get("Avoid") is True,
                _region_line(lines, raw_id, code),
            )
        )
    regions.sort(key=lambda r: (r.region_id is None, r.region_id or 0))
    return DerpMapReport(tuple(regions), document.get("omitDefaultRegions") is True, tuple(lines))
