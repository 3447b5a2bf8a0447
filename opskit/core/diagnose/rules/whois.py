"""Rules that read ``tailscale whois`` / ``whoami`` (see opskit/core/diagnose/whois.py): which node and owner an
address belongs to. A note."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.diagnose.whois import WhoisReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-WHOIS",
    name="whois",
    family="tailscale-identity",
    severity=Severity.INFO,
    summary="tailscale whois / whoami: the node and owner (user or tags) an address belongs to (a note)",
    target="cli-view",
)
def whois_note(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale whois <ip>`` names the node behind a tailnet address and who owns it: a user, or
    tags (a tagged node belongs to no user; ACL rules for its owner do not apply to it). AllowedIPs beyond its
    own addresses are the routes it serves (subnets; 0.0.0.0/0 and ::/0 as an exit node).

    *Bad*::

        $ tailscale whois 100.101.102.103
        Machine:
          Name:          laptop.tail1234.ts.net
          ID:            nXYZ1234CNTRL
          Addresses:     [100.101.102.103/32 fd7a:115c:a1e0::1/128]
        User:
          Name:          alice@example.com
          ID:            1234567890

    *Good*::

        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    if not isinstance(report, WhoisReport):
        return
    if report.name is None and not report.addresses:
        return
    owner = (
        f"tagged {', '.join(report.tags)} (no user owns it)"
        if report.tags
        else f"owned by {report.user}"
        if report.user
        else "owner not shown"
    )
    parts = [f"{report.name or 'the node'}" + (f" ({', '.join(report.addresses)})" if report.addresses else "")]
    parts.append(owner)
    if report.routes:
        exit_node = any(r in ("0.0.0.0/0", "::/0") for r in report.routes)
        subnets = [r for r in report.routes if r not in ("0.0.0.0/0", "::/0")]
        if subnets:
            parts.append(f"routes {', '.join(subnets)}")
        if exit_node:
            parts.append("an exit node")
    if report.tailnet:
        parts.append(f"tailnet {report.tailnet}")
    name_line = next((line for line in report.lines if line.text.startswith(("Name:", '"Name"'))), report.lines[0])
    yield ctx.finding(
        f"{ctx.facts.label}: " + "; ".join(parts) + ".",
        "Nothing to fix.",
        ctx.facts.evidence(name_line),
        title="tailscale whois",
    )
