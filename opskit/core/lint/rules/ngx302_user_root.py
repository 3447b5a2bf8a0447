"""``user root;``: nginx workers run as root, which a reverse proxy never needs."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.nginx.query import evidence
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX302",
    name="user-root",
    family="nginx-edge",
    severity=Severity.WARNING,
    summary="user root makes every nginx worker run as root",
    target="nginx",
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """``user root;`` in the main context.

    *Why*: only the master process needs root (to bind ports < 1024 and read keys); workers handle
    untrusted traffic and should run unprivileged. ``user root`` turns any worker compromise into
    root — and is never needed to read certificates, which the master loads.

    *Bad*::

        user root;
        events {}
        http {
            server { listen 80; location / { return 200; } }
        }

    *Good*::

        user www-data;
        events {}
        http {
            server { listen 80; location / { return 200; } }
        }
    """
    for node in tree.walk():
        directive = node.directive
        if directive.name == "user" and not node.parents and directive.args[:1] == ("root",):
            yield ctx.finding(
                cause="`user root` runs the workers that parse untrusted requests as root; proxying never needs it.",
                fix="user www-data;   # or nginx, depending on the distribution",
                evidence=[evidence(tree, directive)],
            )
