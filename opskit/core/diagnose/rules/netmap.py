"""Rules that read ``tailscale debug netmap`` (see opskit/core/diagnose/netmap.py): a finding when the SSH
policy lets no one in, otherwise a note of what the network map shows.
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.netmap import DebugNetmapReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-NETMAP-SSH-NO-RULES",
    name="netmap-ssh-no-rules",
    family="tailscale-netmap",
    severity=Severity.WARNING,
    summary="tailscale debug netmap: the SSH policy this node received has no rules, so no one may SSH in",
    target="cli-view",
)
def netmap_ssh_no_rules(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
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
def netmap_note(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
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
