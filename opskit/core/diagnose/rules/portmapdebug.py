"""Rules that read one ``tailscale debug portmap``: what the router's port mappers (UPnP, NAT-PMP, PCP) said.

A port mapping lets peers reach this node directly even behind a hard NAT: the router forwards a public
port to tailscaled. That only works when the router that maps is the last NAT before the internet.
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.portmapdebug import PortmapDebugReport, behind_second_nat
from opskit.core.diagnose.profile import AddressScope
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-PORTMAP-DOUBLE-NAT",
    name="portmap-double-nat",
    family="tailscale-portmap",
    severity=Severity.WARNING,
    summary="tailscale debug portmap: the router's port mapper reports a private or CGNAT external address",
    target="portmap-debug",
)
def double_nat(report: PortmapDebugReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: NAT-PMP's ``IP:``, UPnP's external address or a mapping's external address is the WAN address
    of the router that answered. When it is private (RFC 1918) or carrier-grade (100.64.0.0/10), that router
    is itself behind another NAT (an ISP modem/router in front of it, or the ISP's CGNAT). A mapping it makes
    opens a port on an address the internet cannot reach, so it gives peers no public endpoint: behind a
    hard NAT in front, connections stay relayed through DERP.

    *Bad*::

        $ tailscale debug portmap
        gw=192.168.8.1; self=192.168.8.195
        portmapper: [v1] Got PMP response; IP: 192.168.1.3, epoch: 18

    *Good*::

        $ tailscale debug portmap
        gw=192.168.8.1; self=192.168.8.195
        portmapper: [v1] Got PMP response; IP: 198.51.100.7, epoch: 18
    """
    found = behind_second_nat(report)
    if found is None:
        return
    external, scope = found
    router = f"the router at {report.gateway}" if report.gateway else "this network's router"
    front = (
        "the ISP's carrier-grade NAT (100.64.0.0/10)"
        if scope is AddressScope.SHARED
        else f"another router or modem whose LAN holds {external.address}"
    )
    yield ctx.finding(
        f"{ctx.facts.label}: {external.protocol} on {router} reports the external address {external.address}, "
        f"which is not public ({scope.value}): that router sits behind a second NAT ({front}). A port "
        "mapping it makes forwards a port on an address the internet cannot reach, so it gives peers no "
        "direct public endpoint; where the NAT in front is hard, connections stay relayed through DERP.",
        (
            "Ask the ISP for a public IPv4 address (or a plan without CGNAT), or reach peers over IPv6; until "
            "then a mapping here cannot help. "
            if scope is AddressScope.SHARED
            else "Remove the second NAT: put the device in front into bridge/modem-only mode (or give "
            f"{report.gateway or 'this router'} the public address, e.g. PPPoE on it), or on the device in front "
            f"forward a UDP port to {external.address} and pin tailscaled to it (`tailscaled --port=41641`, "
            "forward UDP 41641), or enable UPnP/NAT-PMP there too. "
        )
        + "Check with `tailscale netcheck` (PortMapping, MappingVariesByDestIP) and `tailscale debug portmap`.",
        ctx.facts.evidence(external.line),
    )
