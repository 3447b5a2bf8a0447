"""The rule that reads ``tailscale exit-node list`` (see opskit/core/diagnose/exitnodes.py): a note of the exit
nodes offered, which is in use and which are offline. (An exit node in use but offline is CLI kind
exit-node-offline, TS-CLI-EXIT-NODE-OFFLINE.)
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.exitnodes import ExitNodeListReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-EXIT-NODE-LIST",
    name="exit-node-list",
    family="tailscale-exit-node",
    severity=Severity.INFO,
    summary="tailscale exit-node list: the exit nodes offered, which is in use, which are offline (a note)",
    target="cli-view",
)
def exit_node_list(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale exit-node list`` shows every peer that offers itself as an exit node and whether it
    is online; people paste it to ask why one cannot be used. An offline exit node not in use breaks nothing
    here: selecting it would not work until it is back.

    *Bad*::

        $ tailscale exit-node list

         IP                HOSTNAME                   COUNTRY     CITY      STATUS
         100.70.12.34      atv.tail1234.ts.net        -           -         offline
         100.90.12.35      pfsense.tail1234.ts.net    -           -         -

    *Good*::

        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    if not isinstance(report, ExitNodeListReport):
        return
    offline = [row.host for row in report.rows if row.offline]
    used = [row.host for row in report.rows if row.exit_node == "exit node"]
    parts = [f"{len(report.rows)} exit node{'s' if len(report.rows) != 1 else ''} offered"]
    parts.append(f"in use: {', '.join(used)}" if used else "none in use")
    if offline:
        parts.append(f"offline: {', '.join(offline)} (selecting it would not work until it is back)")
    yield ctx.finding(
        f"{ctx.facts.label}: " + "; ".join(parts) + ".",
        "Nothing fails on this node. To use an online exit node: `tailscale set --exit-node=<IP or name>`; an "
        "offline one needs `tailscale status` on it (running, logged in, still advertising the exit node).",
        ctx.facts.evidence(*(row.line for row in report.rows[:3]) if report.rows else (report.header,)),
        title="tailscale exit-node list",
    )
