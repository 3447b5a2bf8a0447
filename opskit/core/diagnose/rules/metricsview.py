"""Rules that read ``tailscale metrics print`` / ``tailscale debug metrics`` (see opskit/core/diagnose/metricsview.py):
traffic with peers that went only through DERP relays. The other counters are facts only."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.metricsview import MetricsReport
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-METRICS-DERP-ONLY",
    name="metrics-derp-only",
    family="tailscale-path",
    severity=Severity.WARNING,
    summary="tailscale metrics print / debug metrics: all traffic with peers went through DERP relays, none direct",
    target="cli-view",
)
def metrics_derp_only(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: tailscaled counts the bytes (``metrics print``: ``tailscaled_inbound_bytes_total{path=…}``) or data
    packets (``debug metrics``: ``magicsock_recv_data_derp`` / ``_ipv4`` / ``_ipv6``) it exchanged with peers by
    path. Traffic through DERP with nothing on a direct (or peer relay) path means no peer was ever reached over
    UDP since tailscaled started: it works, but slower and capped.

    *Bad*::

        $ tailscale metrics print
        # TYPE tailscaled_inbound_bytes_total counter
        tailscaled_inbound_bytes_total{path="derp"} 88124
        tailscaled_inbound_bytes_total{path="direct_ipv4"} 0

    *Good*::

        $ tailscale metrics print
        # TYPE tailscaled_inbound_bytes_total counter
        tailscaled_inbound_bytes_total{path="derp"} 2048
        tailscaled_inbound_bytes_total{path="direct_ipv4"} 1234567
    """
    if not isinstance(report, MetricsReport) or not report.derp_only:
        return
    if report.user_metrics:
        cause = f"{report.derp_bytes} bytes went through DERP relays and none on a direct or peer relay path"
        evidence = [
            line
            for line in report.lines
            if line.text.startswith(("tailscaled_inbound_bytes_total", "tailscaled_outbound_bytes_total"))
        ]
    else:
        cause = (
            f"{report.derp_bytes} data packets came through DERP relays and none over UDP "
            "(magicsock_recv_data_ipv4/ipv6 are 0)"
        )
        evidence = [line for line in report.lines if line.text.startswith("magicsock_recv_data_")]
    yield ctx.finding(
        f"{ctx.facts.label}: since tailscaled started, {cause}: no peer was reached directly.",
        "Find what blocks UDP: `tailscale netcheck` on this node and its peers (UDP: false, or MappingVariesByDestIP "
        "on both sides, means no direct path); let UDP to and from tailscaled's port (41641 by default) through the "
        "host and network firewalls, or forward it on the router; then `tailscale ping <peer>` until it says "
        "'via <ip>:<port>'.",
        ctx.facts.evidence(*evidence[:6]),
        title="traffic only through DERP relays",
    )
