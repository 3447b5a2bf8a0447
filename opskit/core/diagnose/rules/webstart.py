"""Rules that read what ``tailscale web`` logs as it starts (see opskit/core/diagnose/webstart.py): a note on what
a read-only run leaves out."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.diagnose.webstart import WebStartReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-WEB-READONLY",
    name="web-readonly",
    family="tailscale-web",
    severity=Severity.INFO,
    summary="tailscale web --readonly started: its read-only page only, no management client on port 5252 (a note)",
    target="cli-view",
)
def web_readonly(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale web`` serves its page on ``--listen`` (default localhost:8088) and, since v1.54, also
    turns on tailscaled's own management client on the node's Tailscale IP, port 5252 (which serves /metrics
    too), logging ``starting tailscaled web client at …:5252``. With ``--readonly`` it deliberately does not:
    nothing answers on port 5252 from that run. Working as designed, not a failure to listen.

    *Bad*::

        $ tailscale web --readonly
        2025/02/21 23:54:23 web server running on: http://localhost:8088

    *Good*::

        $ tailscale web
        2025/02/21 23:54:16 starting tailscaled web client at http://100.101.102.103:5252
        2025/02/21 23:54:16 web server running on: http://localhost:8088
    """
    if not isinstance(report, WebStartReport) or not report.readonly:
        return
    serving = f"serves its read-only page on {report.listen}" if report.listen else "was starting its read-only page"
    yield ctx.finding(
        f"{ctx.facts.label}: `tailscale web --readonly` {serving}; read-only mode does not turn on tailscaled's "
        "management client, so nothing from this run listens on the node's Tailscale IP port 5252 (nor its "
        "/metrics). Working as designed.",
        "For the management client on port 5252 run `tailscale set --webclient` (it stays on), or `tailscale web` "
        "without --readonly (on while it runs).",
        ctx.facts.evidence(*report.lines[:2]),
        title="tailscale web read-only",
    )
