"""Rules that read ``tailscale serve status`` / ``funnel status`` (see opskit/core/diagnose/servestatus.py): a
finding for a Funnel port with nothing served behind it, otherwise a note of what is served.
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.cliviews import CliView
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.servestatus import ServeStatusReport
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
def serve_status(report: CliView, ctx: DiagnoseContext) -> Iterator[Finding]:
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


@rule(
    id="TS-SERVE-FUNNEL-UNSERVED",
    name="serve-funnel-unserved",
    family="tailscale-serve",
    severity=Severity.WARNING,
    summary="tailscale serve/funnel status: Funnel is on for a port that serves nothing",
    target="cli-view",
)
def serve_funnel_unserved(report: CliView, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the CLI warns ``Warning: funnel=on for <host:port>, but no serve config`` (cmd/tailscale/cli/
    funnel.go printFunnelWarning) when a port is open to the internet but no handler serves it: visitors
    reach the node and get nothing. ``Unable to get Funnel status`` means LocalAPI did not answer.

    *Bad*::

        $ tailscale serve status
        https://node.tail1234.ts.net (tailnet only)
        |-- / proxy http://127.0.0.1:3000

        Warning: funnel=on for node.tail1234.ts.net:8443, but no serve config

    *Good*::

        $ tailscale serve status
        https://node.tail1234.ts.net (Funnel on)
        |-- / proxy http://127.0.0.1:3000
    """
    if not isinstance(report, ServeStatusReport) or not report.unserved_funnel:
        return
    ports = ", ".join(hostport for hostport, _ in report.unserved_funnel)
    yield ctx.finding(
        f"{ctx.facts.label}: Funnel is on for {ports} but nothing is served there: internet visitors reach the "
        "node and get no answer.",
        "Serve something on that port (`tailscale funnel --https=<port> <local target>`), or turn Funnel off "
        "for it (`tailscale funnel --https=<port> off`); check with `tailscale funnel status`.",
        ctx.facts.evidence(*(line for _, line in report.unserved_funnel)),
    )
