"""Rules that read ``tailscale serve status`` / ``funnel status`` (see opskit/core/diagnose/servestatus.py): a
note of what is served. A Funnel port with nothing behind it is told by the CLI's own warning (``Warning: funnel=on
for <host:port>, but no serve config``, stderr), which windows.py reads as CLI kind serve-not-configured.
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.servestatus import ServeStatusReport
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


@rule(
    id="TS-SERVE-STATUS",
    name="serve-status",
    family="tailscale-serve",
    severity=Severity.INFO,
    summary="tailscale serve/funnel status: what this node serves and whether Funnel is on (a note)",
    target="cli-view",
)
def serve_status(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale serve status`` (and ``funnel status``) list what this node serves: each URL, whether
    it is open to the internet (Funnel on) or tailnet only, and what each path hands on to (a local proxy, a
    directory, a text). A listing: nothing in it fails.

    *Bad*::

        $ tailscale funnel status

        # Funnel on:
        #     - https://node.tail1234.ts.net

        https://node.tail1234.ts.net (Funnel on)
        |-- /api proxy http://127.0.0.1:3978

    *Good*::

        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    if not isinstance(report, ServeStatusReport):
        return
    served = []
    for entry in report.entries[:6]:
        handlers = f": {', '.join(entry.handlers[:4])}" if entry.handlers else ""
        served.append(f"{entry.url} ({'Funnel on' if entry.funnel else 'tailnet only'}){handlers}")
    funnel = "Funnel is on" if report.funnel_on else "Funnel is off (tailnet only)"
    yield ctx.finding(
        f"{ctx.facts.label}: {funnel}; served: " + ("; ".join(served) if served else "nothing listed") + ".",
        "Nothing fails here. If a served URL does not answer: check the local backend it proxies to (curl it on "
        "this node), and for Funnel that the name resolves publicly and port 443/8443/10000 is the one used.",
        ctx.facts.evidence(*(entry.line for entry in report.entries[:3]) if report.entries else report.lines[:1]),
        title="tailscale serve status",
    )
