"""Rules that read ``tailscale debug peer-relay-sessions`` (see opskit/core/diagnose/peerrelay.py): a finding
when this node's peer relay server is not running, otherwise a note of its sessions.
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.peerrelay import PeerRelaySessionsReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-PEER-RELAY-NOT-RUNNING",
    name="peer-relay-not-running",
    family="tailscale-peer-relay",
    severity=Severity.WARNING,
    summary="tailscale debug peer-relay-sessions: this node's peer relay server is not running",
    target="cli-view",
)
def peer_relay_not_running(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale debug peer-relay-sessions`` asks this node's peer relay server for its sessions;
    ``Server port: not configured`` means no relay server runs here (no ``--relay-server-port``), so peers
    that the tailnet policy sends to this node as their relay fall back to DERP.

    *Bad*::

        $ tailscale debug peer-relay-sessions
        Server port: not configured (you can configure the port with 'tailscale set --relay-server-port=<PORT>')
        Sessions count: 0

    *Good*::

        $ tailscale debug peer-relay-sessions
        Server port: 40000
        Sessions count: 0
    """
    if not isinstance(report, PeerRelaySessionsReport) or report.not_running is None:
        return
    yield ctx.finding(
        f"{ctx.facts.label}: this node runs no peer relay server ({report.not_running}): peers cannot relay "
        "through it and fall back to DERP.",
        "If this node should be a peer relay: `tailscale set --relay-server-port=<UDP port>` (open that UDP port "
        "in the firewall), and allow it in the tailnet policy (a `tailscale.com/cap/relay` grant to this node).",
        ctx.facts.evidence(*(line for line in (report.server_line,) if line is not None)),
    )


@rule(
    id="TS-PEER-RELAY-SESSIONS",
    name="peer-relay-sessions",
    family="tailscale-peer-relay",
    severity=Severity.INFO,
    summary="tailscale debug peer-relay-sessions: the relay server's port and its sessions (a note)",
    target="cli-view",
)
def peer_relay_sessions(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a running peer relay server lists each session it relays (VNI, the two clients' endpoints, the
    packets each sent); sessions with traffic both ways are a relay at work.

    *Bad*::

        $ tailscale debug peer-relay-sessions
        Server port: 7777
        Sessions count: 1

        VNI: 3
          172.31.37.250:41641(d:1bd615a9413cc442) --> 18.217.31.242:41641(d:25eab97be5b96ca8), Packets: 33 Bytes: 4316
          18.217.31.242:41641(d:25eab97be5b96ca8) --> 172.31.37.250:41641(d:1bd615a9413cc442), Packets: 33 Bytes: 4330

    *Good*::

        $ tailscale debug peer-relay-sessions
        Server port: not configured (you can configure the port with 'tailscale set --relay-server-port=<PORT>')
        Sessions count: 0
    """
    if not isinstance(report, PeerRelaySessionsReport) or report.not_running is not None:
        return
    count = report.count if report.count is not None else len(report.sessions)
    sessions = "; ".join(f"VNI {s.vni}: {' and '.join(s.clients)}, {s.packets} packets" for s in report.sessions[:4])
    port = f"on UDP port {report.port}" if report.port is not None else "running"
    yield ctx.finding(
        f"{ctx.facts.label}: the peer relay server is {port} with {count} session{'s' if count != 1 else ''}"
        + (f" ({sessions})" if sessions else "")
        + ".",
        "Nothing to fix; a session without packets from one client means that client cannot reach this "
        "relay's UDP port.",
        ctx.facts.evidence(*(line for line in (report.server_line,) if line is not None)),
        title="peer relay sessions",
    )
