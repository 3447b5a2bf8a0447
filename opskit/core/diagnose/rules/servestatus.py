"""Rules that read ``tailscale serve status`` / ``funnel status`` (see opskit/core/diagnose/servestatus.py): a
note of what is served. A Funnel port with nothing behind it is told by the CLI's own warning (``Warning: funnel=on
for <host:port>, but no serve config``, stderr), which windows.py reads as CLI kind serve-not-configured.
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.servestatus import FUNNEL_PORTS, ServeStatusReport
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
    # a Funnel on a port the ingress does not listen on is told by TS-SERVE-FUNNEL-PORT
    flagged = report.funnel_off_port or report.not_found or report.awaiting_approval
    verdict = "Nothing else fails here" if flagged else "Nothing fails here"
    yield ctx.finding(
        f"{ctx.facts.label}: {funnel}; served: " + ("; ".join(served) if served else "nothing listed") + ".",
        f"{verdict}. If a served URL does not answer: check the local backend it proxies to (curl it on "
        "this node), and for Funnel that the name resolves publicly and port 443/8443/10000 is the one used.",
        ctx.facts.evidence(*(entry.line for entry in report.entries[:3]) if report.entries else report.lines[:1]),
        title="tailscale serve status",
    )


_ALLOWED = ", ".join(str(port) for port in sorted(FUNNEL_PORTS))


@rule(
    id="TS-SERVE-FUNNEL-PORT",
    name="serve-funnel-port",
    family="tailscale-serve",
    severity=Severity.WARNING,
    summary="Funnel is on for a port Funnel does not listen on publicly (only 443, 8443, 10000)",
    target="cli-view",
)
def serve_funnel_port(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: Funnel's public ingress only accepts connections on ports 443, 8443 and 10000 (the control server's
    funnel-ports node attribute, checked by ipn.CheckFunnelPort). Some builds' ``tailscale funnel --https=<port>
    --bg`` skipped that check and list any port as ``(Funnel on)``: the URL answers inside the tailnet, but requests
    from the internet to that port never arrive (they time out).

    *Bad*::

        $ tailscale funnel status
        https://node.tail1234.ts.net:9443 (Funnel on)
        |-- / proxy http://127.0.0.1:3110

    *Good*::

        $ tailscale funnel status
        https://node.tail1234.ts.net:8443 (Funnel on)
        |-- / proxy http://127.0.0.1:3110
    """
    if not isinstance(report, ServeStatusReport) or not report.funnel_off_port:
        return
    wrong = report.funnel_off_port
    ports = sorted({port for _, port in wrong})
    listed = "; ".join(f"{entry.url} (port {port})" for entry, port in wrong[:4])
    first = ports[0]
    yield ctx.finding(
        f"{ctx.facts.label}: Funnel is on for {listed}, but Funnel's public ingress only listens on ports "
        f"{_ALLOWED}: the URL answers inside the tailnet, while requests from the internet to port "
        f"{'/'.join(str(p) for p in ports)} never arrive.",
        f"Move the Funnel to port 443, 8443 or 10000: `tailscale funnel --https={first} off`, then "
        "`tailscale funnel --bg --https=443 <target>` (or --https=8443 / --https=10000); check with "
        "`tailscale funnel status` and from outside the tailnet (e.g. a phone on mobile data).",
        ctx.facts.evidence(*(entry.line for entry, _ in wrong[:3])),
        title="Funnel on a port it does not serve publicly",
    )


@rule(
    id="TS-SERVE-NOT-FOUND",
    name="serve-not-found",
    family="tailscale-serve",
    severity=Severity.WARNING,
    summary="A URL serve lists answered 404 page not found",
    target="cli-view",
)
def serve_not_found(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: serve status lists a handler for the URL, yet ``curl`` of that URL, pasted after it, answered Go's
    ``404 page not found``: tailscaled's serve found no handler for the request (ipnlocal serveWebHandler's
    http.NotFound: a host, port or path the config does not match as listed, or a build that did not serve that
    port's plain-HTTP handlers), a path handler's file is missing, or the backend a proxy hands on to answered 404.

    *Bad*::

        % tailscale serve status
        http://node.tail1234.ts.net:8000/ (tailnet only)
        |-- / text  "Hello, world"

        % curl http://node.tail1234.ts.net:8000/
        404 page not found

    *Good*::

        % tailscale serve status
        http://node.tail1234.ts.net:8000/ (tailnet only)
        |-- / text  "Hello, world"

        % curl http://node.tail1234.ts.net:8000/
        Hello, world
    """
    if not isinstance(report, ServeStatusReport) or not report.not_found:
        return
    answers = report.not_found
    listed = "; ".join(f"`{a.command}` (line {a.line.number}) under {a.entry.url}: {a.handler}" for a in answers[:4])
    proxied = any(" → proxy " in a.handler for a in answers)
    backend = (
        " For a proxy handler, curl its backend on this node: if the backend answers 404 too, the fault is there."
        if proxied
        else ""
    )
    yield ctx.finding(
        f"{ctx.facts.label}: serve lists a handler, yet the request answered `404 page not found`: {listed}. "
        "Serve itself answers that when no handler matches the request's host, port and path (or a path "
        "handler's file is missing); the listed config is not what answers on that URL.",
        "Request exactly the listed scheme, name, port and path; if they match, the build does not serve that "
        "listener as listed (mid-2023 builds answered 404 for plain-HTTP handlers on ports other than 80, tailscale/tailscale#8635): update Tailscale, or serve "
        "it on port 80 or over HTTPS (`tailscale serve --bg --https=<port> …`), then `tailscale serve status` and "
        "curl again." + backend,
        ctx.facts.evidence(*(line for a in answers[:2] for line in (a.entry.line, a.line))),
        title="Served URL answers 404",
    )


@rule(
    id="TS-SERVE-SERVICE-APPROVAL",
    name="serve-service-approval",
    family="tailscale-serve",
    severity=Severity.WARNING,
    summary="serve configured a Tailscale Service here, but an admin has not approved this node as its host",
    target="cli-view",
)
def serve_service_approval(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale serve --service=svc:<name> …`` stores the Service's handlers on this node and advertises
    it, but the Service only gets its address (and answers on its name) once control makes this node one of its
    hosts: the CLI then says ``Available within your tailnet:``. Until then it says the node is ``configured as a
    service proxy for svc:<name>, but approval from an admin is required`` (cli/serve_v2.go messageForPort: no
    Service IP in the node's ServiceHost capability). The Service must exist in the admin console, its host
    approved there (or by an autoApprovers rule for the node's tag), and a Service host must be a tagged node.

    *Bad*::

        $ sudo tailscale serve --bg --service=svc:navidrome --http=80 4533
        This machine is configured as a service proxy for svc:navidrome, but approval from an admin is required. Once approved, it will be available in your Tailnet as:

        http://navidrome.tail1234.ts.net/
        |-- proxy http://127.0.0.1:4533

        Serve started and running in the background.

    *Good*::

        $ sudo tailscale serve --bg --service=svc:navidrome --http=80 4533
        Available within your tailnet:

        http://navidrome.tail1234.ts.net/
        |-- proxy http://127.0.0.1:4533

        Serve started and running in the background.
    """
    if not isinstance(report, ServeStatusReport) or report.awaiting_approval is None:
        return
    service = report.awaiting_approval
    yield ctx.finding(
        f"{ctx.facts.label}: serve set up {service} on this node, but control has not made this node a host of "
        f"{service} yet: an admin's approval is pending, so nothing answers on the Service's name (the URLs "
        "listed become reachable only once this node is approved).",
        f"In the admin console's Services page, define {service} (its ports must include the one served) and "
        "approve this node as its host, or add an autoApprovers rule for `services` naming the node's tag. A "
        "Service host must be a tagged node (`sudo tailscale up --advertise-tags=tag:<name>`). Then rerun "
        f"`tailscale serve status`: {service}'s entries answer once this node holds its Service IP.",
        ctx.facts.evidence(*(line for line in (report.header,) if line is not None)),
        title="Tailscale Service awaiting an admin's approval",
    )
