"""Rules that read ``tailscale debug derp-map`` (see opskit/core/diagnose/derpmap.py): the relay regions this
node may use, and which are custom (a self-hosted derper, Headscale's embedded server). A note."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.derpmap import DerpMapRegion, DerpMapReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


def _name(region: DerpMapRegion) -> str:
    label = region.code or (str(region.region_id) if region.region_id is not None else "?")
    details = [d for d in (f"region {region.region_id}" if region.region_id is not None else "", region.name) if d]
    hosts = f" at {', '.join(region.hosts[:2])}" if region.hosts else ""
    return f"{label} ({', '.join(details)}){hosts}" if details else f"{label}{hosts}"


@rule(
    id="TS-DERP-MAP",
    name="derp-map",
    family="tailscale-derp",
    severity=Severity.INFO,
    summary="tailscale debug derp-map: the DERP regions this node may use, custom ones named (a note)",
    target="cli-view",
)
def derp_map_note(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the DERP map control sends says which relay regions this node may use; a custom region (a
    self-hosted derper, Headscale's embedded DERP server) must be reachable on its DERP port (TCP, HTTPS) and
    STUN port (UDP 3478) from every node; ``omitDefaultRegions`` leaves only the custom ones.

    *Bad*::

        $ tailscale debug derp-map
        {
                "Regions": {
                        "999": {
                                "RegionID": 999,
                                "RegionCode": "headscale",
                                "RegionName": "Headscale Embedded DERP",
                                "Nodes": [{"Name": "999a", "RegionID": 999, "HostName": "hs.example.com"}]
                        }
                },
                "omitDefaultRegions": true
        }

    *Good*::

        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    if not isinstance(report, DerpMapReport):
        return
    custom = report.custom
    if not report.regions:
        cause = f"{ctx.facts.label}: the DERP map holds no region: this node has no relay and no home region."
        fix = "Give control a DERP map with at least one region (Headscale: `derp.server` or `derp.urls`)."
    else:
        cause = f"{ctx.facts.label}: the DERP map holds {len(report.regions)} region(s)"
        if custom:
            cause += f"; custom: {'; '.join(_name(r) for r in custom[:5])}"
            cause += " (Tailscale's own regions left out: omitDefaultRegions)" if report.omit_default_regions else ""
        else:
            cause += ", all Tailscale's own"
        cause += "."
        fix = (
            "Nothing to fix in the map itself. A custom region must answer on its DERP port (TCP) and STUN port "
            "(UDP 3478) from every node: `tailscale debug derp <region code>` checks one."
            if custom
            else "Nothing to fix."
        )
    yield ctx.finding(
        cause,
        fix,
        ctx.facts.evidence(*(r.line for r in (custom or report.regions)[:3]) if report.regions else (report.lines[0],)),
        title="tailscale debug derp-map",
    )
