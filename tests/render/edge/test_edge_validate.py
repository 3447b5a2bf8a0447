"""Every edge variant passes the real `haproxy -c -dW` and `nginx -t` through the validate adapter."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest

from opskit.adapters.validate import validate_rendered
from opskit.core.render.edge import FAMILY
from opskit.core.render.model import RenderContext
from opskit.core.spec.loader import load_spec_text
from opskit.core.spec.model import SiteSpec
from tests.render.edge.conftest import EXAMPLE_SPEC, minimal_edge, write_spec
from tests.support.tools import require_binary, require_root

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_root("validation uses unshare --net --mount")
    for name in ("haproxy", "nginx", "unshare", "openssl"):
        require_binary(name, f"apt-get install {name if name != 'unshare' else 'util-linux'}")


def ipv6_edge() -> dict[str, Any]:
    edge = minimal_edge()
    edge["http"]["binds"] = [{"address": "::1", "port": 8000}, {"address": "2001:db8::10", "port": 8000}]
    edge["tls"]["binds"] = [{"address": "0.0.0.0", "port": 8443}, {"address": "::", "port": 8443}]
    edge["log"] = {"target": "stderr"}
    edge["stats"] = {"bind": {"address": "::1", "port": 8070}, "password_env": "EDGE_STATS_PW"}
    return edge


VARIANTS: dict[str, dict[str, Any]] = {
    "ipv4-only": minimal_edge(),
    "ipv6-binds-logging-stats-env": ipv6_edge(),
    "stats-users-file": minimal_edge(
        stats={"bind": {"address": "127.0.0.1", "port": 8070}, "users_file": "/etc/haproxy/stats-users.cfg"}
    ),
    "tls-default-backend-and-hostnames": minimal_edge(
        tls={
            "routes": [
                {
                    "hosts": ["a.example.com"],
                    "backend": "web_tls",
                    "certificate": "/etc/ssl/a.crt",
                    "certificate_key": "/etc/ssl/a.key",
                }
            ],
            "default_backend": "web_tls",
        },
        tls_backends=[{"name": "web_tls", "servers": [{"name": "n1", "address": "nginx.edge.internal", "port": 8443}]}],
    ),
    "http-only-with-ua-routes": minimal_edge(
        tls=None,
        tls_backends=[],
        http={
            "binds": [{"address": "::", "port": 8000}],
            "default_backend": "web",
            "redirect_to_https": ["a.example.com"],
            "user_agent_routes": [{"contains": ["iPhone", "Android"], "backend": "app"}],
        },
        http_backends=[
            {"name": "web", "servers": [{"name": "n1", "address": "127.0.0.1", "port": 8080}]},
            {"name": "app", "servers": [{"name": "a1", "address": "127.0.0.1", "port": 9000}]},
        ],
    ),
    "tls-only": minimal_edge(http=None, http_backends=[]),
    # what the address type normalises must still be what the binaries accept: brackets and upper case
    # dropped, IPv4-mapped written as IPv4, a link-local HAProxy source trusted in set_real_ip_from
    "address-spellings-normalised": minimal_edge(
        http={"binds": [{"address": "[2001:DB8::10]", "port": 8000}], "default_backend": "web"},
        http_backends=[{"name": "web", "servers": [{"name": "n1", "address": "::FFFF:127.0.0.1", "port": 8080}]}],
        tls_backends=[{"name": "web_tls", "servers": [{"name": "n1", "address": "[::1]", "port": 8443}]}],
        nginx={"haproxy_addresses": ["::ffff:127.0.0.1", "FE80::1", "[::1]"]},
    ),
    "two-sni-routes-share-an-nginx-port": minimal_edge(
        tls={
            "routes": [
                {
                    "hosts": ["a.example.com"],
                    "backend": "web_tls",
                    "certificate": "/etc/ssl/a.crt",
                    "certificate_key": "/etc/ssl/a.key",
                },
                {
                    "hosts": ["b.example.com", "c.example.com"],
                    "backend": "web_tls",
                    "certificate": "/etc/ssl/b.crt",
                    "certificate_key": "/etc/ssl/b.key",
                },
            ]
        },
    ),
}


def test_example_validates_through_the_cli(cli, tmp_path: Path) -> None:
    shutil.copy(EXAMPLE_SPEC, tmp_path / "haproxy-edge.yaml")
    result = cli(["render", str(tmp_path / "haproxy-edge.yaml"), "--validate", "--format", "json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    import json

    payload = json.loads(result.stdout)
    verdicts = {(v["tool"], v["entry"]): v["ok"] for v in payload["validation"]}
    assert verdicts == {("haproxy", "haproxy.cfg"): True, ("nginx", "nginx-edge-proxy-protocol.conf"): True}
    assert (tmp_path / "haproxy-edge" / "haproxy.cfg").exists()


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_variant_validates_with_real_binaries(cli, tmp_path: Path, variant: str) -> None:
    spec = write_spec(tmp_path, VARIANTS[variant])
    result = cli(["render", str(spec), "--validate", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stdout + result.stderr
    out = " ".join(result.stdout.split())
    assert "ok haproxy -c -dW" in out
    assert "ok nginx -t" in out


def test_stats_env_guard_stops_haproxy_when_the_variable_is_missing() -> None:
    """Without the placeholder the adapter passes, HAProxy refuses the config (no password-less stats)."""
    spec = load_spec_text(SiteSpec, EXAMPLE_SPEC.read_text(), EXAMPLE_SPEC.name)
    rendered = FAMILY.render(spec, RenderContext(EXAMPLE_SPEC.name))
    assert rendered is not None
    haproxy_target = next(t for t in rendered.validations if t.tool == "haproxy")
    assert validate_rendered(rendered.files, haproxy_target).ok
    result = validate_rendered(rendered.files, dataclasses.replace(haproxy_target, environment=()))
    assert not result.ok
    assert "environment variable HAPROXY_STATS_PASSWORD is not set" in result.output


def test_users_file_mode_fails_without_the_userlist_file(tmp_path: Path) -> None:
    """The stats ACL really depends on the extra -f file the report tells the operator to load."""
    edge = minimal_edge(stats={"bind": {"address": "127.0.0.1", "port": 8070}, "users_file": "/etc/haproxy/u.cfg"})
    path = write_spec(tmp_path, edge)
    rendered = FAMILY.render(load_spec_text(SiteSpec, path.read_text(), path.name), RenderContext(path.name))
    assert rendered is not None
    target = next(t for t in rendered.validations if t.tool == "haproxy")
    assert target.extra_entries == ("haproxy-stats-users.example.cfg",)
    assert validate_rendered(rendered.files, target).ok
    result = validate_rendered(rendered.files, dataclasses.replace(target, extra_entries=()))
    assert not result.ok
    assert "unable to find userlist 'stats_users'" in result.output
