"""Every flavor and its variants pass the real `nginx -t` through the validate adapter (isolated)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from opskit.adapters.validate import validate_rendered
from opskit.core.render.k8s import CONFIG_FILE
from tests.render.k8s.support import render_k8s, section
from tests.support.tools import require_binary, require_root

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_root("validation uses unshare --net --mount")
    require_binary("unshare", "apt-get install util-linux")
    require_binary("nginx", "apt-get install nginx")


VARIANTS: dict[str, dict[str, Any]] = {
    "plain": {},
    "static-spa": {"static": {"root": "/usr/share/nginx/html", "spa_fallback": True}},
    "static-no-spa": {"static": {"root": "/srv/www", "index": "app.html"}},
    "ipv6-binds-and-names": {
        "listen": {"port": 8443, "addresses": ["2001:db8::10", "203.0.113.7"]},
        "server_names": ["gw.example.com"],
    },
    "resolver-by-name": {"resolver": {"valid": "30s", "timeout": "2s"}},
    "resolver-ipv6-port": {"resolver": {"address": "fd00::a", "port": 5353, "valid": "5s", "ipv6": True}},
    "no-default-server": {"listen": {"port": 80, "default_server": False}},
}


@pytest.mark.parametrize("flavor", ["nginx", "tengine", "nginx-1.28"])
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_flavor_and_variant_pass_nginx_t(flavor: str, variant: str) -> None:
    family = render_k8s(section(flavor=flavor, **VARIANTS[variant]))
    (target,) = family.validations
    result = validate_rendered(family.files, target)
    assert result.ok, result.output
    assert "syntax is ok" in result.output


def test_unrewritten_newer_syntax_really_fails_on_this_nginx() -> None:
    """The compat rewrites are needed: without them Debian's nginx rejects both upstream flavors."""
    from dataclasses import replace

    for flavor, message in (
        ("tengine", 'unknown directive "dynamic_resolve"'),
        ("nginx-1.28", 'invalid parameter "resolve"'),
    ):
        family = render_k8s(section(flavor=flavor))
        (target,) = family.validations
        result = validate_rendered(family.files, replace(target, compat_rewrites=()))
        if flavor == "nginx-1.28" and result.ok:
            pytest.skip("this nginx already supports `server ... resolve` (>= 1.27.3)")  # same in CI: nothing to prove
        assert not result.ok
        assert message in result.output


def test_a_literal_proxy_pass_would_need_the_name_at_load_time_but_the_variable_form_does_not() -> None:
    """flavor nginx declares no Service names: nginx -t passes without resolving any of them."""
    family = render_k8s(section())
    (target,) = family.validations
    assert target.hostnames == ()
    broken = family.files[CONFIG_FILE].replace(
        "proxy_pass http://$k8s_service:8150;", "proxy_pass http://sys.demowms.svc.cluster.local:8150;"
    )
    result = validate_rendered({CONFIG_FILE: broken}, target)
    assert not result.ok
    assert "host not found in upstream" in result.output


@pytest.mark.parametrize("example", ["k8s-gateway-tengine", "k8s-gateway-nginx"])
def test_examples_validate_through_the_cli(cli: Any, example: str, tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[3] / "examples"
    result = cli(
        [
            "render",
            str(root / f"{example}.yaml"),
            "--validate",
            "-o",
            str(tmp_path / "out"),
            "--format",
            "json",
        ]
    )
    assert result.exit_code == 0, result.stdout
    import json

    payload = json.loads(result.stdout)
    assert [v["ok"] for v in payload["validation"]] == [True]
    assert (tmp_path / "out" / CONFIG_FILE).read_text() == (root / example / CONFIG_FILE).read_text()


@pytest.mark.parametrize("flavor", ["nginx", "tengine", "nginx-1.28"])
def test_a_thousand_routes_validate_without_warnings(flavor: str) -> None:
    """flavor nginx shares one variable: one per route outgrew variables_hash_max_size (a [warn])."""
    routes = [
        {"name": f"r{i}", "prefix": f"/api/r{i}/", "service": f"svc-{i}", "namespace": "ns", "port": 1024 + i}
        for i in range(1000)
    ]
    family = render_k8s(section(flavor=flavor, routes=routes))
    (target,) = family.validations
    result = validate_rendered(family.files, target)
    assert result.ok, result.output
    assert "[warn]" not in result.output, result.output
