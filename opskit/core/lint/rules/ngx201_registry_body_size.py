"""Registry ``/v2/`` proxied with nginx's 1 MiB body limit (or another small one)."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.lint.rules._container_registry import container_registry_locations
from opskit.core.nginx.query import evidence, has_unresolved_include, parse_size, scoped
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule

MINIMUM_BYTES = 1024**3


@rule(
    id="NGX201",
    name="registry-body-size",
    family="nginx-registry",
    severity=Severity.ERROR,
    summary="registry /v2/ without client_max_body_size 0: layer pushes fail with 413",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """A registry ``location /v2/`` whose effective ``client_max_body_size`` is nginx's default
    (1m) or anything below 1g other than ``0``.

    *Why*: image layers are uploaded as request bodies of any size; with the 1 MiB default every
    ``docker push`` of a real layer fails with ``413 Request Entity Too Large``. Harbor's own nginx
    template sets ``client_max_body_size 0`` (unlimited).

    *Bad*::

        server {
            listen 443 ssl;
            location /v2/ {
                proxy_pass http://registry:5000;
                proxy_request_buffering off;
            }
        }

    *Good*::

        server {
            listen 443 ssl;
            client_max_body_size 0;
            location /v2/ {
                proxy_pass http://registry:5000;
                proxy_request_buffering off;
            }
        }
    """
    for node in container_registry_locations(tree):
        if has_unresolved_include(node, "proxy", "body", "upload", "registry", "harbor"):
            continue  # the setting may be in an include this machine does not have
        setting = scoped(node, "client_max_body_size")
        if setting is None:
            yield ctx.finding(
                cause="no client_max_body_size applies here, so nginx's 1m default rejects every pushed "
                f"layer above 1 MiB with 413{tree.snippet_note()}.",
                fix="client_max_body_size 0;",
                evidence=[evidence(tree, node.directive)],
            )
            continue
        size = parse_size(setting.args[0]) if setting.args else None
        if size is not None and size != 0 and size < MINIMUM_BYTES:
            yield ctx.finding(
                cause=f"client_max_body_size {setting.args[0]} rejects larger image layers with 413.",
                fix="client_max_body_size 0;",
                evidence=[evidence(tree, setting)],
                related=[evidence(tree, node.directive)],
            )
