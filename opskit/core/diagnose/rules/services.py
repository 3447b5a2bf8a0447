"""The rules that read what the CLI prints about Tailscale Services (see opskit/core/diagnose/services.py): a note of
the Services this node can reach (`tailscale service list`) or hosts (`tailscale serve get-config`), and a hosted
Service this node no longer advertises (drained).
"""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.services import Service, ServicesReport
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule


def _reachable(service: Service) -> str:
    where = ", ".join(v for v in (service.hostname, service.ip, " ".join(service.endpoints) or None) if v)
    return f"{service.name} ({where})" if where else service.name


@rule(
    id="TS-SERVICES",
    name="services",
    family="tailscale-serve",
    severity=Severity.INFO,
    summary="tailscale service list / serve get-config: the Tailscale Services reachable or hosted (a note)",
    target="cli-view",
)
def services_note(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale service list`` shows the Tailscale Services the tailnet policy lets this node reach (their
    name, address and ports); ``serve get-config`` the Services this node hosts and their endpoints. People paste them
    to ask why a Service does not answer: a Service missing from the list is not granted to this node or has no
    approved host.

    *Bad*::

        $ tailscale service list

         IP               HOSTNAME                 DISPLAY NAME     ENDPOINTS     TYPE
         100.100.10.1     web.tail1234.ts.net      Web frontend     tcp:443       http

    *Good*::

        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    if not isinstance(report, ServicesReport):
        return
    count = len(report.services)
    plural = "s" if count != 1 else ""
    if report.hosted:
        listed = "; ".join(
            f"{s.name} ({', '.join(s.endpoints) or 'no endpoints'}){'' if s.advertised else ', not advertised'}"
            for s in report.services
        )
        cause = f"this node holds the serve config of {count} Service{plural}: {listed}."
        fix = (
            "Nothing fails here. Whether a Service answers on its name also needs an admin's approval of this node "
            "as its host (`tailscale serve --service=<svc> …` says so), and its targets listening locally."
        )
    else:
        listed = "; ".join(_reachable(s) for s in report.services)
        cause = f"{count} Tailscale Service{plural} reachable from this node: {listed}."
        fix = (
            "Nothing fails here. A Service missing from the list is not granted to this node by the tailnet policy, "
            "or no host of it is approved and online; on the host, `tailscale serve status` shows what it serves."
        )
    yield ctx.finding(
        f"{ctx.facts.label}: {cause}",
        fix,
        ctx.facts.evidence(*(s.line for s in report.services[:3]) if report.services else report.lines[:1]),
        title=report.layout,
    )


@rule(
    id="TS-SERVICE-NOT-ADVERTISED",
    name="service-not-advertised",
    family="tailscale-serve",
    severity=Severity.WARNING,
    summary="a Service this node hosts is not advertised (drained): it takes no new connections for it",
    target="cli-view",
)
def service_not_advertised(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``serve get-config`` writes ``"advertised": false`` for a Service whose config this node keeps but no
    longer offers to the tailnet (``tailscale serve drain``, or advertising dropped from its prefs): control sends
    it no new connections for the Service; with no other host, the Service's name answers nothing.

    *Bad*::

        $ tailscale serve get-config --all
        {
          "version": "0.0.1",
          "services": {
            "svc:web": {
              "endpoints": {
                "tcp:443": "http://localhost:3000"
              },
              "advertised": false
            }
          }
        }

    *Good*::

        $ tailscale serve get-config --all
        {
          "version": "0.0.1",
          "services": {
            "svc:web": {
              "endpoints": {
                "tcp:443": "http://localhost:3000"
              }
            }
          }
        }
    """
    if not isinstance(report, ServicesReport) or not report.drained:
        return
    names = [s.name for s in report.drained]
    yield ctx.finding(
        f"{ctx.facts.label}: this node keeps the serve config of {', '.join(names)} but does not advertise "
        f'{"it" if len(names) == 1 else "them"} ("advertised": false: drained with `tailscale serve drain`, or '
        "advertising removed): it takes no new connections for it, and if it is the only host the Service's name "
        "answers nothing.",
        " ".join(f"`tailscale serve advertise {name}`" for name in names)
        + " to offer it again (it keeps its endpoints); or `tailscale serve clear <svc>` if it should go.",
        ctx.facts.evidence(*(s.line for s in report.drained[:3])),
    )
