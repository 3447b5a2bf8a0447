"""The rendered `flavor: nginx` gateway, run for real: dnsmasq as cluster DNS, two Pods on 127.0.0.2/.3.

Proves the two claims of scenarios §3 Fix A on a real nginx: after the Service's A record changes,
the gateway follows within `valid` + 1.5 s without a reload; and each route hands its backend the
request URI the spec promises (unchanged, prefix stripped, prefix replaced).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from opskit.core.render.k8s import CONFIG_FILE
from tests.render.k8s.live import echo_backend, gateway_main_conf, get_json
from tests.render.k8s.support import render_k8s
from tests.support.dnsmasq import Dnsmasq, dnsmasq_running
from tests.support.nginx import nginx_running, public_prefix, remove_prefix
from tests.support.ports import free_port
from tests.support.tools import require_binary, require_root

pytestmark = pytest.mark.integration

CLUSTER_DOMAIN = "opskit-test.internal"
SERVICE_FQDN = f"echo.demo.svc.{CLUSTER_DOMAIN}"
VALID_SECONDS = 5
POD_A, POD_B = "127.0.0.2", "127.0.0.3"
GATEWAY_HOST = "127.0.0.1"


@dataclass
class LiveGateway:
    port: int
    dns: Dnsmasq
    error_log: Path

    def get(self, path: str) -> tuple[int, dict[str, str] | str]:
        return get_json(GATEWAY_HOST, self.port, path)


@pytest.fixture(scope="module")
def live() -> Iterator[LiveGateway]:
    require_root("nginx workers and dnsmasq drop privileges to nobody")
    nginx = require_binary("nginx", "apt-get install nginx")
    dnsmasq_binary = require_binary("dnsmasq", "apt-get install dnsmasq")
    workdir = public_prefix("opskit-k8s-live-")
    try:
        static = workdir / "html"
        static.mkdir(mode=0o755)
        (static / "index.html").write_text("<!doctype html><title>spa</title>\n")
        (static / "app.js").write_text("console.log('app');\n")
        pod_port = free_port(POD_A, POD_B)
        gateway_port = free_port(GATEWAY_HOST)
        with (
            echo_backend("pod-a", POD_A, pod_port),
            echo_backend("pod-b", POD_B, pod_port),
            dnsmasq_running(dnsmasq_binary, workdir, {SERVICE_FQDN: POD_A}) as dns,
        ):
            dns.wait_until_answers(SERVICE_FQDN, POD_A)
            route = {"service": "echo", "namespace": "demo", "port": pod_port}
            family = render_k8s(
                {
                    "flavor": "nginx",
                    "cluster_domain": CLUSTER_DOMAIN,
                    "resolver": {
                        "address": "127.0.0.1",
                        "port": dns.port,
                        "valid": f"{VALID_SECONDS}s",
                        "timeout": "2s",
                    },
                    "listen": {"port": gateway_port, "addresses": [GATEWAY_HOST]},
                    "static": {"root": str(static), "spa_fallback": True},
                    "routes": [
                        {"name": "keep", "prefix": "/api/keep/", **route},
                        {"name": "strip", "prefix": "/api/strip/", "backend_prefix": "/", **route},
                        {"name": "moved", "prefix": "/api/moved/", "backend_prefix": "/api/v2/", **route},
                        {"name": "v1.2", "prefix": "/v1.2/", "backend_prefix": "/", **route},
                    ],
                }
            )
            main_conf = gateway_main_conf(workdir, family.files[CONFIG_FILE])
            with nginx_running(nginx, workdir, main_conf, GATEWAY_HOST, gateway_port) as gateway:
                yield LiveGateway(gateway_port, dns, gateway.error_log)
    finally:
        remove_prefix(workdir)


@pytest.mark.parametrize(
    ("request_uri", "backend_uri"),
    [
        ("/api/keep/a/b?x=1&y=2", "/api/keep/a/b?x=1&y=2"),
        ("/api/keep/a%20b", "/api/keep/a%20b"),
        ("/api/keep/", "/api/keep/"),
        ("/api/strip/a/b?x=1", "/a/b?x=1"),
        ("/api/strip/", "/"),
        ("/api/strip/a%20b?q=%2F", "/a%20b?q=%2F"),
        ("/api/strip/%0Ainjected", "/%0Ainjected"),  # (?s): a decoded newline cannot dodge the rewrite
        ("/api/moved/reports/2024?page=2", "/api/v2/reports/2024?page=2"),
        ("/v1.2/users", "/users"),
    ],
)
def test_each_route_passes_the_uri_its_backend_expects(live: LiveGateway, request_uri: str, backend_uri: str) -> None:
    status, body = live.get(request_uri)
    assert status == 200, body
    assert isinstance(body, dict)
    assert body["uri"] == backend_uri


def test_backend_sees_the_client_host_not_the_service_name(live: LiveGateway) -> None:
    status, body = live.get("/api/keep/host")
    assert isinstance(body, dict)
    assert body["host"] == GATEWAY_HOST  # proxy_set_header Host $host (default would be the FQDN:port)


def test_a_dot_in_a_prefix_is_literal_not_any_character(live: LiveGateway) -> None:
    status, _ = live.get("/v1x2/users")
    assert status == 200  # the SPA answers; the route was not taken
    assert live.get("/v1x2/users")[1] == "<!doctype html><title>spa</title>\n"


def test_spa_fallback_and_static_files(live: LiveGateway) -> None:
    assert live.get("/app.js") == (200, "console.log('app');\n")
    assert live.get("/orders/42/edit") == (200, "<!doctype html><title>spa</title>\n")


def test_gateway_follows_a_dns_change_within_valid_plus_one_and_a_half_seconds(live: LiveGateway) -> None:
    status, body = live.get("/api/keep/who")
    assert status == 200 and isinstance(body, dict)
    assert body["backend"] == "pod-a"  # the answer is now cached by nginx for `valid`

    live.dns.change({SERVICE_FQDN: POD_B})  # the rollout: the Service name now points at the new Pod
    live.dns.wait_until_answers(SERVICE_FQDN, POD_B)
    switched = time.monotonic()
    seen = []
    while time.monotonic() - switched < VALID_SECONDS + 3:
        status, body = live.get("/api/keep/who")
        assert status == 200, body  # no 502 at any point during the switch
        assert isinstance(body, dict)
        seen.append(body["backend"])
        if body["backend"] == "pod-b":
            break
        time.sleep(0.05)
    elapsed = time.monotonic() - switched
    assert seen[-1] == "pod-b", f"still on the old Pod after {elapsed:.1f}s: nginx kept the start-up address"
    assert elapsed <= VALID_SECONDS + 1.5, f"followed after {elapsed:.2f}s (valid={VALID_SECONDS}s)"
    # Every route to the Service follows, not just the one that was asked.
    status, body = live.get("/api/strip/x")
    assert isinstance(body, dict) and body["backend"] == "pod-b"
