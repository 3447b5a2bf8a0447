"""The validation adapter runs the real nginx / haproxy isolated: stub TLS files, private hosts, own netns."""

from __future__ import annotations

import pytest

from opskit.adapters.validate import validate_rendered
from opskit.core.render.model import CompatRewrite, ValidationTarget
from tests.support.tools import require_binary, require_root

pytestmark = pytest.mark.integration

NGINX_SNIPPET = """\
server {
    listen 172.16.36.52:443 ssl;
    server_name registry.example.internal;
    ssl_certificate /home/cert/does-not-exist.pem;
    ssl_certificate_key /home/cert/does-not-exist.key;
    location / {
        proxy_pass http://harbor-core.example.internal:8894;
    }
}
"""


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_root("validation uses unshare --net --mount")
    require_binary("unshare", "apt-get install util-linux")
    require_binary("openssl", "apt-get install openssl")


def test_nginx_snippet_with_missing_certs_foreign_address_and_unresolvable_name_validates() -> None:
    require_binary("nginx", "apt-get install nginx")
    target = ValidationTarget(
        tool="nginx",
        entry="site.conf",
        stub_tls_files=("/home/cert/does-not-exist.pem", "/home/cert/does-not-exist.key"),
        hostnames=("harbor-core.example.internal",),
        listen_addresses=("172.16.36.52",),
    )
    result = validate_rendered({"site.conf": NGINX_SNIPPET}, target)
    assert result.ok, result.output
    assert "syntax is ok" in result.output
    assert any("stub certificate" in n for n in result.notes)


def test_nginx_reports_a_real_error_with_its_line() -> None:
    require_binary("nginx", "apt-get install nginx")
    broken = "server {\n    listen 127.0.0.1:8080;\n    proxy_pass_nope http://x;\n}\n"
    result = validate_rendered({"site.conf": broken}, ValidationTarget(tool="nginx", entry="site.conf"))
    assert not result.ok
    assert 'unknown directive "proxy_pass_nope"' in result.output
    assert "site.conf:3" in result.output


def test_unmapped_hostname_fails_without_leaving_the_machine() -> None:
    """A name the spec did not declare cannot be resolved: the namespace has no route and no DNS."""
    require_binary("nginx", "apt-get install nginx")
    snippet = "server { listen 127.0.0.1:8080; location / { proxy_pass http://not-declared.example.com:80; } }\n"
    result = validate_rendered({"site.conf": snippet}, ValidationTarget(tool="nginx", entry="site.conf"))
    assert not result.ok
    assert "host not found" in result.output


def test_compat_rewrite_is_applied_to_the_validated_copy_and_reported() -> None:
    require_binary("nginx", "apt-get install nginx")
    snippet = (
        "upstream u { zone u 64k; server svc.example.internal:80 resolve; }\n"
        "server { listen 127.0.0.1:8080; location / { proxy_pass http://u; } }\n"
    )
    target = ValidationTarget(
        tool="nginx",
        entry="site.conf",
        hostnames=("svc.example.internal",),
        compat_rewrites=(CompatRewrite(r" resolve;", ";", "nginx < 1.27.3 has no `server ... resolve`"),),
    )
    result = validate_rendered({"site.conf": snippet}, target)
    assert result.ok, result.output
    assert any("1.27.3" in n for n in result.notes)


def test_haproxy_warnings_are_fatal_and_names_resolve_privately() -> None:
    require_binary("haproxy", "apt-get install haproxy")
    good = """\
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 203.0.113.10:80
    default_backend be
backend be
    server s1 nginx.example.internal:8080
"""
    target = ValidationTarget(tool="haproxy", entry="haproxy.cfg", hostnames=("nginx.example.internal",))
    assert validate_rendered({"haproxy.cfg": good}, target).ok
    # No `timeout client`: haproxy -c only warns, and -dW makes that fatal.
    warning_only = good.replace("    timeout client 30s\n", "")
    result = validate_rendered({"haproxy.cfg": warning_only}, target)
    assert not result.ok
    assert "timeout" in result.output.lower()
