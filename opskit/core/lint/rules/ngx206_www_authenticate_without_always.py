"""``add_header Www-Authenticate`` without ``always``: the 401 goes out without it."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.nginx.query import evidence
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX206",
    name="www-authenticate-without-always",
    family="nginx-registry",
    severity=Severity.ERROR,
    summary="add_header Www-Authenticate without always is dropped from 401 responses",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """``add_header Www-Authenticate …`` without the ``always`` parameter.

    *Why*: ``add_header`` only applies to 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308
    responses. Www-Authenticate belongs on the 401 — without ``always`` the 401 carries no challenge
    at all and every ``docker login`` fails (verified on nginx 1.22).

    *Bad*::

        server {
            listen 80;
            location /v2/ {
                proxy_pass http://harbor:8080;
                proxy_hide_header Www-Authenticate;
                add_header Www-Authenticate $wa_for_http_entry;
            }
        }

    *Good*::

        server {
            listen 80;
            location /v2/ {
                proxy_pass http://harbor:8080;
                proxy_hide_header Www-Authenticate;
                add_header Www-Authenticate $wa_for_http_entry always;
            }
        }
    """
    for node in tree.walk():
        directive = node.directive
        if directive.name != "add_header" or len(directive.args) < 2:
            continue
        if directive.args[0].lower() == "www-authenticate" and "always" not in directive.args[2:]:
            yield ctx.finding(
                cause="without `always` add_header skips 401 responses, so the challenge never reaches "
                "clients and every login fails.",
                fix=" ".join(("add_header", *directive.args, "always")) + ";",
                evidence=[evidence(tree, directive)],
            )
