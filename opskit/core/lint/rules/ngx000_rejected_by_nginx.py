"""The real ``nginx -t`` rejects the config (``lint --validate``)."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.findings import Finding, Severity
from opskit.core.lint.options import LintContext
from opskit.core.nginx.tree import NginxConfig
from opskit.core.rules import rule


@rule(
    id="NGX000",
    name="rejected-by-nginx",
    family="validation",
    severity=Severity.ERROR,
    summary="nginx -t rejects the config (only with --validate: runs the real binary)",
    target="nginx",
    validator=True,
)
def check(tree: NginxConfig, ctx: LintContext) -> Iterator[Finding]:
    """Each error line of the real ``nginx -t``, run by ``opskit lint --validate`` on a private copy
    of the linted files, mapped back to the file and line nginx names.

    *Why*: lint's rules know the pitfalls, not the whole grammar of every module and version; nginx
    itself is the authority on what it will load. A config it rejects stops the next reload, and on a
    restart the whole site. The copy runs in a private network and mount namespace (as
    ``render --validate`` does): absolute includes point into the copy, missing certificates get a
    throwaway stub, literal host names map to loopback, nothing touches the host's nginx.

    *Bad*::

        server {
            listen 80;
            location ~ ^/api/ {
                proxy_pass http://127.0.0.1:8080/;
            }
        }

    *Good*::

        server {
            listen 80;
            location ~ ^/api/ {
                proxy_pass http://127.0.0.1:8080;
            }
        }
    """
    return iter(())
