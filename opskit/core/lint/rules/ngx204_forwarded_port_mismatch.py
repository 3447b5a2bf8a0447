"""A literal X-Forwarded-Port that cannot match the port every client uses."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.nginx.query import PASS_DIRECTIVES, effective_header, evidence, server_listens
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX204",
    name="forwarded-port-mismatch",
    family="nginx-registry",
    severity=Severity.WARNING,
    summary="literal X-Forwarded-Port differs from the client's port (several entry ports, or Host)",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """``proxy_set_header X-Forwarded-Port 5088`` in a server that clients reach on several ports,
    or next to a literal ``Host``/``X-Forwarded-Host`` that names another port.

    *Why*: the registry appends X-Forwarded-Port to URLs it returns when Host has no port; a fixed
    value is right for one entry point only, so clients of the other ports get redirected to the
    wrong one. The value must be the port the *client* uses (which behind NAT is not nginx's listen
    port): one server block per entry point, each with its own value.

    *Bad*::

        server {
            listen 80;
            listen 443 ssl;
            location / {
                proxy_pass http://harbor:8080;
                proxy_set_header X-Forwarded-Port 443;
            }
        }

    *Good*::

        server {
            listen 443 ssl;
            location / {
                proxy_pass http://harbor:8080;
                proxy_set_header X-Forwarded-Port 443;
            }
        }
    """
    for node in tree.walk():
        location = node.directive
        if location.name != "location" or not any(d.name in PASS_DIRECTIVES for d in location.children):
            continue
        header = effective_header(node, "X-Forwarded-Port")
        if header is None or len(header.args) < 2 or not header.args[1].isdigit():
            continue
        value = int(header.args[1])
        server = node.enclosing("server")
        ports = sorted({listen.port for listen in server_listens(server)}) if server else []
        for name in ("Host", "X-Forwarded-Host"):
            other = effective_header(node, name)
            if other is not None and len(other.args) > 1 and "$" not in other.args[1] and ":" in other.args[1]:
                port = other.args[1].rsplit(":", 1)[1]
                if port.isdigit() and int(port) != value:
                    yield ctx.finding(
                        cause=f"X-Forwarded-Port {value} contradicts {name} {other.args[1]}, so the "
                        "registry builds URLs with the wrong port.",
                        fix=f"proxy_set_header X-Forwarded-Port {port};",
                        evidence=[evidence(tree, header)],
                        related=[evidence(tree, other)],
                    )
                    break
        else:
            if len(ports) > 1:
                yield ctx.finding(
                    cause=f"X-Forwarded-Port is fixed to {value} but clients reach this server on ports "
                    f"{', '.join(map(str, ports))}, so the others get URLs with the wrong port.",
                    fix="# one server block per entry port, each with its own value, e.g.\n"
                    + "\n".join(
                        f"proxy_set_header X-Forwarded-Port {p};   # in the server listening on {p}" for p in ports
                    ),
                    evidence=[evidence(tree, header)],
                )
