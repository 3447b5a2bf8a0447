"""Registry ``/v2/`` with request buffering on: layers are spooled to disk before the registry sees them."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.lint.rules._container_registry import container_registry_locations
from opskit.core.nginx.query import evidence, has_unresolved_include, scoped
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX202",
    name="registry-request-buffering",
    family="nginx-registry",
    severity=Severity.WARNING,
    summary="registry /v2/ buffers whole layer uploads (proxy_request_buffering is on)",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """A registry ``location /v2/`` where ``proxy_request_buffering`` is not ``off``.

    *Why*: nginx then reads each pushed layer completely into its temp directory before sending a
    byte upstream: pushes are slow, big layers hit timeouts and fill the disk. Harbor's template turns
    request buffering (and response buffering) off on ``/v2/``.

    *Bad*::

        server {
            listen 443 ssl;
            client_max_body_size 0;
            location /v2/ {
                proxy_pass http://registry:5000;
            }
        }

    *Good*::

        server {
            listen 443 ssl;
            client_max_body_size 0;
            location /v2/ {
                proxy_pass http://registry:5000;
                proxy_http_version 1.1;
                proxy_request_buffering off;
                proxy_buffering off;
            }
        }
    """
    for node in container_registry_locations(tree):
        if has_unresolved_include(node, "proxy", "buffer", "registry", "harbor"):
            continue  # the setting may be in an include this machine does not have
        setting = scoped(node, "proxy_request_buffering")
        if setting is not None and setting.args and setting.args[0].lower() == "off":
            continue
        yield ctx.finding(
            cause="proxy_request_buffering is on, so every pushed layer is written to nginx's temp dir "
            "before the registry sees it (slow pushes, disk fill, timeouts on big layers)"
            f"{tree.snippet_note()}.",
            fix="proxy_http_version 1.1;\nproxy_request_buffering off;\nproxy_buffering off;",
            evidence=[evidence(tree, setting or node.directive)],
        )
