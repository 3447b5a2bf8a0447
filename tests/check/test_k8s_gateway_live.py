"""Scenario §3 end to end with the k8s gateway `opskit render` produces (flavor nginx).

dnsmasq plays kube-dns on 127.0.0.1:<port>; two "Pods" of the Service listen on 127.0.0.2 and
127.0.0.3. The rendered gateway (resolver = that dnsmasq, valid=5s) follows the Service's new address
within valid + 1.5 s; the incident's config (a literal `proxy_pass http://<service>:<port>;`, resolved
at load from a private /etc/hosts) keeps the dead Pod. `check resolver --nginx-conf` says which is which.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.check.test_resolver_live import get_body, two_pods
from tests.support.dnsmasq import Dnsmasq
from tests.support.nginx import Nginx, nginx_main_conf, public_prefix
from tests.support.ports import free_port
from tests.support.tools import require_binary, require_root

pytestmark = pytest.mark.integration

SERVICE = "demo-dlp-service.huanfa.svc.cluster.local"
VALID = 5.0  # render refuses less than 5 s: shorter re-queries DNS on almost every request


@dataclass
class Gateway:
    dns: Dnsmasq
    rendered_port: int
    incident_port: int
    rendered_conf: Path
    incident_conf: Path


@pytest.fixture
def gateway(cli: Any) -> Iterator[Gateway]:
    require_root("unshare -m gives the incident's nginx its own /etc/hosts")
    nginx_binary = require_binary("nginx", "apt-get install nginx")
    dns = Dnsmasq(require_binary("dnsmasq", "apt-get install dnsmasq"), public_prefix())
    dns.start({SERVICE: "127.0.0.2"})
    pod_port, pods = two_pods()
    rendered, incident = Nginx(nginx_binary, public_prefix()), Nginx(nginx_binary, public_prefix())
    try:
        rendered_port, incident_port = free_port(), free_port()
        spec = {
            "spec_version": 1,
            "site": "k8s-live",
            "k8s_gateway": {
                "flavor": "nginx",
                "resolver": {"address": "127.0.0.1", "port": dns.port, "valid": f"{VALID:g}s", "timeout": "2s"},
                "listen": {"port": rendered_port, "addresses": ["127.0.0.1"]},
                "routes": [
                    {
                        "name": "dlp",
                        "prefix": "/api/dlp/",
                        "service": "demo-dlp-service",
                        "namespace": "huanfa",
                        "port": pod_port,
                    }
                ],
            },
        }
        spec_file = rendered.prefix / "k8s-live.yaml"
        spec_file.write_text(yaml.safe_dump(spec, sort_keys=False))
        result = cli(["render", str(spec_file), "-o", str(rendered.prefix / "out")])
        assert result.exit_code == 0, result.stdout + result.stderr
        snippet = rendered.prefix / "out" / "nginx-k8s-gateway.conf"
        rendered.start(nginx_main_conf(rendered.prefix, f"    include {snippet};"), "127.0.0.1", rendered_port)
        # The incident's gateway, as the write-up quotes it (the "before" state, written by hand).
        incident_body = (
            f"    server {{\n        listen 127.0.0.1:{incident_port};\n"
            f"        location /api/dlp/ {{\n            proxy_pass http://{SERVICE}:{pod_port};\n        }}\n    }}\n"
        )
        hosts = incident.prefix / "hosts"
        hosts.write_text(f"127.0.0.2 {SERVICE}\n")
        incident.start(nginx_main_conf(incident.prefix, incident_body), "127.0.0.1", incident_port, hosts_file=hosts)
        yield Gateway(dns, rendered_port, incident_port, rendered.prefix / "nginx.conf", incident.prefix / "nginx.conf")
    finally:
        rendered.stop()
        incident.stop()
        for pod in pods:
            pod.stop()
        dns.stop()


def test_rendered_gateway_follows_the_rollout_and_the_incident_config_does_not(cli: Any, gateway: Gateway) -> None:
    assert get_body(gateway.rendered_port, "/api/dlp/x") == "200 pod-a"
    assert get_body(gateway.incident_port, "/api/dlp/x") == "200 pod-a"
    gateway.dns.change({SERVICE: "127.0.0.3"})  # the rollout: the Service's Pod moved
    changed = time.monotonic()
    while get_body(gateway.rendered_port, "/api/dlp/x") != "200 pod-b":
        assert time.monotonic() - changed <= VALID + 1.5, "the rendered gateway kept the old Pod"
        time.sleep(0.1)
    assert get_body(gateway.incident_port, "/api/dlp/x") == "200 pod-a"  # the dead Pod IP until a reload

    rendered = json.loads(
        cli(["check", "resolver", "--nginx-conf", str(gateway.rendered_conf), "--format", "json"]).stdout
    )
    (target,) = rendered["targets"]
    assert (target["host"], target["behaviour"], target["status"]) == (SERVICE, "follows DNS", "pass")
    assert target["answers"][0]["records"] == ["127.0.0.3"]
    assert target["answers"][0]["server"] == f"127.0.0.1:{gateway.dns.port}"
    incident = cli(
        [
            "check",
            "resolver",
            "--nginx-conf",
            str(gateway.incident_conf),
            "--nameserver",
            f"127.0.0.1:{gateway.dns.port}",
            "--format",
            "json",
        ]
    )
    (target,) = json.loads(incident.stdout)["targets"]
    assert (target["host"], target["behaviour"], target["status"]) == (SERVICE, "resolved once at load", "warn")
