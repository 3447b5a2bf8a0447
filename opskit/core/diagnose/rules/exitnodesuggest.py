"""Rules that read ``tailscale exit-node suggest`` (see opskit/core/diagnose/exitnodesuggest.py). A note."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.exitnodesuggest import ExitNodeSuggestReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-EXIT-NODE-SUGGEST",
    name="exit-node-suggest",
    family="tailscale-exit-node",
    severity=Severity.INFO,
    summary="tailscale exit-node suggest: the exit node tailscaled suggests, or that none is available (a note)",
    target="cli-view",
)
def suggest_note(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: tailscaled suggests the exit node with the lowest latency (by DERP region) among those this node
    may use; ``No exit node suggestion is available.`` means none it may use is online and eligible.

    *Bad*::

        $ tailscale exit-node suggest
        Suggested exit node: us-nyc-wg-301.mullvad.ts.net
        To accept this suggestion, use `tailscale set --exit-node=us-nyc-wg-301.mullvad.ts.net`.

    *Good*::

        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    if not isinstance(report, ExitNodeSuggestReport):
        return
    if report.suggested is None:
        yield ctx.finding(
            f"{ctx.facts.label}: tailscaled has no exit node to suggest: no exit node this node may use is "
            "offered and online.",
            "Only if you want one: advertise an exit node (`tailscale set --advertise-exit-node` on it), approve it "
            "in the admin console, and let the tailnet policy allow this node to use it (`autogroup:internet`).",
            ctx.facts.evidence(report.lines[0]),
            title="no exit node suggestion",
        )
        return
    target = report.accept_with or report.suggested
    yield ctx.finding(
        f"{ctx.facts.label}: tailscaled suggests exit node {report.suggested}.",
        f"Nothing to fix. To use it: `tailscale set --exit-node={target}`.",
        ctx.facts.evidence(report.lines[0]),
        title="tailscale exit-node suggest",
    )
