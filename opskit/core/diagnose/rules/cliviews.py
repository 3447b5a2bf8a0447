"""Rules that read three read-only CLI views: ``tailscale exit-node list``, ``tailscale debug
peer-relay-sessions`` and ``tailscale debug netmap`` (see opskit/core/diagnose/cliviews.py).

These views mostly answer "what is there?": a note says what they show. Findings only where the view itself
shows something broken: a peer relay server that is not running, an SSH policy that lets no one in. (An exit
node in use but offline is CLI kind exit-node-offline, TS-CLI-EXIT-NODE-OFFLINE.)
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.cliviews import CliView, DebugNetmapReport, ExitNodeListReport, PeerRelaySessionsReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
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
def exit_node_list(report: CliView, ctx: DiagnoseContext) -> Iterator[Finding]:
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


@rule(
    id="TS-PEER-RELAY-NOT-RUNNING",
    name="peer-relay-not-running",
    family="tailscale-peer-relay",
    severity=Severity.WARNING,
    summary="tailscale debug peer-relay-sessions: this node's peer relay server is not running",
    target="cli-view",
)
def peer_relay_not_running(report: CliView, ctx: DiagnoseContext) -> Iterator[Finding]:
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
def peer_relay_sessions(report: CliView, ctx: DiagnoseContext) -> Iterator[Finding]:
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


@rule(
    id="TS-NETMAP-SSH-NO-RULES",
    name="netmap-ssh-no-rules",
    family="tailscale-netmap",
    severity=Severity.WARNING,
    summary="tailscale debug netmap: the SSH policy this node received has no rules, so no one may SSH in",
    target="cli-view",
)
def netmap_ssh_no_rules(report: CliView, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: Tailscale SSH on a node obeys the ``SSHPolicy`` in the netmap control sent it; ``"rules": null``
    (or ``[]``) means no rule matches this node, so every Tailscale SSH connection to it is refused (the same
    state as the health message ``Tailscale SSH enabled, but access controls don't allow anyone …``).

    *Bad*::

        $ tailscale debug netmap | jq .SSHPolicy
        {
          "rules": null
        }

    *Good*::

        $ tailscale debug netmap | jq .SSHPolicy
        {
          "rules": [
            {"principals": [{"any": true}], "sshUsers": {"root": "root"}, "action": {"accept": true}}
          ]
        }
    """
    if not isinstance(report, DebugNetmapReport) or report.ssh_rules != 0 or report.ssh_line is None:
        return
    yield ctx.finding(
        f"{ctx.facts.label}: the SSH policy in this node's netmap has no rules, so nobody may SSH to it: every "
        'Tailscale SSH connection will be refused. Rules under "acls" or "grants" do not count: Tailscale SSH '
        'reads the policy\'s "ssh" section only.',
        'Add an "ssh" rule to the tailnet policy (admin console access controls; Headscale: the policy file, '
        'then reload it), e.g. {"action": "accept", "src": ["autogroup:member"], "dst": ["autogroup:self"], '
        '"users": ["autogroup:nonroot", "root"]} (for a tagged node: its tag in "dst" and the users or groups '
        'allowed in "src"); check again with `tailscale debug netmap | jq .SSHPolicy` once it reaches the node.',
        ctx.facts.evidence(report.ssh_line),
    )


@rule(
    id="TS-NETMAP",
    name="netmap",
    family="tailscale-netmap",
    severity=Severity.INFO,
    summary="tailscale debug netmap: what the network map shows (SSH rules, peers online) (a note)",
    target="cli-view",
)
def netmap_note(report: CliView, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the netmap is what control told this node: its peers (online or not) and the SSH policy.
    When nothing in it is wrong, a note says what it shows.

    *Bad*::

        $ tailscale debug netmap | jq .SSHPolicy
        {
          "rules": [
            {"principals": [{"any": true}], "sshUsers": {"root": "root"}, "action": {"accept": true}}
          ]
        }

    *Good*::

        $ tailscale debug netmap | jq .SSHPolicy
        {
          "rules": null
        }
    """
    if not isinstance(report, DebugNetmapReport) or report.ssh_rules == 0:
        return
    parts = []
    if report.ssh_rules is not None:
        parts.append(f"{report.ssh_rules} SSH rule{'s' if report.ssh_rules != 1 else ''}")
    if report.peers:
        offline = [p.name for p in report.peers if p.online is False]
        parts.append(f"{len(report.peers)} peers" + (f", offline: {', '.join(offline[:6])}" if offline else ""))
    yield ctx.finding(
        f"{ctx.facts.label}: {report.layout}: " + ("; ".join(parts) if parts else "nothing wrong shown") + ".",
        "Nothing to fix in what the netmap shows.",
        ctx.facts.evidence(report.ssh_line or report.lines[0]),
        title="tailscale debug netmap",
    )
