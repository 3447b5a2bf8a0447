"""The upstream flavors, run for real on this nginx: each route hands its backend the promised URI.

Debian's nginx 1.22 knows neither Tengine's `dynamic_resolve` nor `server … resolve`, so the
gateway runs with the same compatibility rewrites `--validate` applies (they only touch name
re-resolution, not routing). Upstream server names are resolved at start-up, from a private
/etc/hosts (mount namespace) mapping the Service's full name to the Pod on 127.0.0.2.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from opskit.core.render.k8s import CONFIG_FILE
from tests.render.k8s.live import echo_backend, gateway_main_conf, get_json
from tests.render.k8s.support import render_k8s
from tests.support.nginx import nginx_running, public_prefix, remove_prefix
from tests.support.ports import free_port
from tests.support.tools import require_binary, require_root

pytestmark = pytest.mark.integration

CLUSTER_DOMAIN = "opskit-test.internal"
POD = "127.0.0.2"
GATEWAY_HOST = "127.0.0.1"


@pytest.fixture(scope="module", params=["tengine", "nginx-1.28"])
def gateway_port(request: pytest.FixtureRequest) -> Iterator[int]:
    require_root("nginx in a private mount namespace (unshare -m)")
    require_binary("unshare", "apt-get install util-linux")
    nginx = require_binary("nginx", "apt-get install nginx")
    workdir = public_prefix("opskit-k8s-upstream-")
    try:
        pod_port, port = free_port(POD), free_port(GATEWAY_HOST)
        route = {"service": "echo", "namespace": "demo", "port": pod_port}
        family = render_k8s(
            {
                "flavor": request.param,
                "cluster_domain": CLUSTER_DOMAIN,
                "resolver": {"address": "127.0.0.1", "valid": "5s"},
                "listen": {"port": port, "addresses": [GATEWAY_HOST]},
                "routes": [
                    {"name": "keep", "prefix": "/api/keep/", **route},
                    {"name": "strip", "prefix": "/api/strip/", "backend_prefix": "/", **route},
                    {"name": "moved", "prefix": "/api/moved/", "backend_prefix": "/api/v2/", **route},
                ],
            }
        )
        (target,) = family.validations
        conf = family.files[CONFIG_FILE]
        for rewrite in target.compat_rewrites:
            conf = re.sub(rewrite.pattern, rewrite.replacement, conf, flags=re.MULTILINE)
        hosts = workdir / "hosts"
        hosts.write_text(f"127.0.0.1 localhost\n{POD} echo.demo.svc.{CLUSTER_DOMAIN}\n")
        hosts.chmod(0o644)
        with (
            echo_backend("pod", POD, pod_port),
            nginx_running(nginx, workdir, gateway_main_conf(workdir, conf), GATEWAY_HOST, port, hosts),
        ):
            yield port
    finally:
        remove_prefix(workdir)


@pytest.mark.parametrize(
    ("request_uri", "backend_uri"),
    [
        ("/api/keep/a/b?x=1", "/api/keep/a/b?x=1"),
        ("/api/keep/a%20b", "/api/keep/a%20b"),
        ("/api/strip/a/b?x=1", "/a/b?x=1"),
        ("/api/strip/", "/"),
        ("/api/strip/a%20b", "/a%20b"),
        ("/api/moved/reports/2024?page=2", "/api/v2/reports/2024?page=2"),
    ],
)
def test_upstream_flavor_passes_the_uri_its_backend_expects(
    gateway_port: int, request_uri: str, backend_uri: str
) -> None:
    status, body = get_json(GATEWAY_HOST, gateway_port, request_uri)
    assert status == 200, body
    assert isinstance(body, dict)
    assert body["uri"] == backend_uri


def test_paths_outside_every_route_get_404_without_static_files(gateway_port: int) -> None:
    assert get_json(GATEWAY_HOST, gateway_port, "/elsewhere")[0] == 404
