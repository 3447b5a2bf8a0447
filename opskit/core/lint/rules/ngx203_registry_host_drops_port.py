"""Registry ``/v2/`` that sends ``Host $host`` (no port) or no Host at all."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.lint.rules._container_registry import container_registry_locations
from opskit.core.nginx.query import effective_header, evidence, has_unresolved_include, server_listens
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule

_DEFAULT_PORTS = {80, 443}


@rule(
    id="NGX203",
    name="registry-host-drops-port",
    family="nginx-registry",
    severity=Severity.ERROR,
    summary="registry /v2/ sends Host without the client's non-default port (or the upstream name)",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """``proxy_set_header Host $host`` on a registry ``/v2/`` reached on a non-default port, or no
    ``Host`` header at all (nginx then sends the upstream's name).

    *Why*: the registry builds upload ``Location`` URLs, and Harbor ≥ 2.14 its token realm, from the
    ``Host`` it receives. ``$host`` drops the port the client typed (``:5088``), so ``docker push``
    follows a URL without it; with no Host header the client is sent to the internal upstream name.
    ``$http_host`` keeps the port (gixy's ``host_spoofing`` warning on it is a false positive here).

    *Bad*::

        server {
            listen 5088 ssl;
            client_max_body_size 0;
            location /v2/ {
                proxy_pass http://172.16.36.52:8894;
                proxy_set_header Host $host;
            }
        }

    *Good*::

        server {
            listen 5088 ssl;
            client_max_body_size 0;
            location /v2/ {
                proxy_pass http://172.16.36.52:8894;
                proxy_set_header Host $http_host;
            }
        }
    """
    for node in container_registry_locations(tree):
        if has_unresolved_include(node, "proxy", "header", "registry", "harbor"):
            continue  # the setting may be in an include this machine does not have
        host = effective_header(node, "Host")
        server = node.enclosing("server")
        ports = {listen.port for listen in server_listens(server)} if server else set()
        forwarded_port = effective_header(node, "X-Forwarded-Port")
        claimed = (
            {int(forwarded_port.args[1])}
            if forwarded_port and len(forwarded_port.args) > 1 and forwarded_port.args[1].isdigit()
            else set()
        )
        non_default = sorted((ports | claimed) - _DEFAULT_PORTS)
        if host is None:
            yield ctx.finding(
                cause="no Host header is set, so nginx sends the upstream's address as Host and the "
                "registry's Location/realm URLs point clients at the internal name.",
                fix="proxy_set_header Host $http_host;",
                evidence=[evidence(tree, node.directive)],
            )
        elif len(host.args) > 1 and host.args[1] in ("$host", "$server_name") and non_default:
            yield ctx.finding(
                cause=f"Host {host.args[1]} drops the client's port {non_default[0]}, so upload Location "
                "URLs (and Harbor >= 2.14's token realm) send docker to the wrong port.",
                fix="proxy_set_header Host $http_host;",
                evidence=[evidence(tree, host)],
            )
