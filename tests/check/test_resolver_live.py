"""DNS re-resolution proved with real dnsmasq and nginx, and `check resolver --nginx-conf` agreeing.

dnsmasq answers svc.test.internal from a hosts file on 127.0.0.1:<port>. Two "Pods" listen on
127.0.0.2 and 127.0.0.3 (same port). After the answer changes: the variable proxy_pass with
`resolver … valid=1s` follows within valid + 1.5 s; the literal proxy_pass keeps the old Pod, and
so does a variable proxy_pass shadowed by that literal one. Literal names are resolved at load from
a private /etc/hosts (unshare -m), so no query leaves the machine.
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.check.live import BackendServer
from tests.support.dnsmasq import Dnsmasq
from tests.support.nginx import Nginx, nginx_main_conf, public_prefix
from tests.support.ports import free_port
from tests.support.sarif import valid_sarif_log
from tests.support.tools import require_binary, require_root

pytestmark = pytest.mark.integration

NAME = "svc.test.internal"
VALID = 1.0


def get_body(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return f"{response.status} {response.read().decode()}"
    finally:
        conn.close()


def two_pods() -> tuple[int, list[BackendServer]]:
    for _ in range(20):
        port = free_port("127.0.0.2")
        try:
            pods = [BackendServer("127.0.0.2", port, "pod-a")]
            pods.append(BackendServer("127.0.0.3", port, "pod-b"))
            return port, pods
        except OSError:
            for pod in pods:
                pod.stop()
    raise RuntimeError("no port free on both 127.0.0.2 and 127.0.0.3")


@dataclass
class Cluster:
    dns: Dnsmasq
    pod_port: int
    follow_port: int
    static_port: int
    follow_conf: Path
    static_conf: Path


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    require_root("unshare -m gives the static nginx its own /etc/hosts")
    nginx_binary = require_binary("nginx", "apt-get install nginx")
    dns = Dnsmasq(require_binary("dnsmasq", "apt-get install dnsmasq"), public_prefix())
    dns.start({NAME: "127.0.0.2"})
    pod_port, pods = two_pods()
    follow, static = Nginx(nginx_binary, public_prefix()), Nginx(nginx_binary, public_prefix())
    try:
        follow_port, static_port = free_port(), free_port()
        # Scenario §3's fix: a variable forces per-request resolution through `resolver`.
        follow_body = (
            f"    resolver 127.0.0.1:{dns.port} valid={VALID:g}s ipv6=off;\n"
            f"    server {{\n        listen 127.0.0.1:{follow_port};\n"
            f"        location / {{\n            set $backend {NAME};\n"
            f"            proxy_pass http://$backend:{pod_port};\n        }}\n    }}\n"
        )
        follow.start(nginx_main_conf(follow.prefix, follow_body), "127.0.0.1", follow_port)
        # The incident's config (a literal name), and a variable target shadowed by it.
        static_body = (
            f"    resolver 127.0.0.1:{dns.port} valid={VALID:g}s ipv6=off;\n"
            f"    server {{\n        listen 127.0.0.1:{static_port};\n"
            f"        location /literal/ {{\n            proxy_pass http://{NAME}:{pod_port};\n        }}\n"
            f"        location /shadowed/ {{\n            set $backend {NAME};\n"
            f"            proxy_pass http://$backend:{pod_port};\n        }}\n    }}\n"
        )
        hosts = static.prefix / "hosts"
        hosts.write_text(f"127.0.0.1 localhost\n127.0.0.2 {NAME}\n")
        static.start(nginx_main_conf(static.prefix, static_body), "127.0.0.1", static_port, hosts_file=hosts)
        yield Cluster(
            dns, pod_port, follow_port, static_port, follow.prefix / "nginx.conf", static.prefix / "nginx.conf"
        )
    finally:
        follow.stop()
        static.stop()
        for pod in pods:
            pod.stop()
        dns.stop()


def test_variable_target_follows_dns_and_literal_ones_stay(cluster: Cluster) -> None:
    assert get_body(cluster.follow_port, "/") == "200 pod-a"
    assert get_body(cluster.static_port, "/literal/") == "200 pod-a"
    assert get_body(cluster.static_port, "/shadowed/") == "200 pod-a"
    cluster.dns.change({NAME: "127.0.0.3"})
    changed = time.monotonic()
    while get_body(cluster.follow_port, "/") != "200 pod-b":
        assert time.monotonic() - changed <= VALID + 1.5, "the variable target did not follow the new address"
        time.sleep(0.05)
    followed_after = time.monotonic() - changed
    time.sleep(max(0.0, VALID + 1.5 - followed_after))
    assert get_body(cluster.static_port, "/literal/") == "200 pod-a"  # the dead Pod IP, kept until reload
    assert get_body(cluster.static_port, "/shadowed/") == "200 pod-a"  # the variable did not help here


def test_check_resolver_says_which_target_is_which(cli: Any, cluster: Cluster) -> None:
    cluster.dns.change({NAME: "127.0.0.3"})
    time.sleep(0.2)
    follow = cli(["check", "resolver", "--nginx-conf", str(cluster.follow_conf), "--format", "json"])
    document = json.loads(follow.stdout)
    assert follow.exit_code == 0, follow.stdout
    (target,) = document["targets"]
    assert target["behaviour"] == "follows DNS"
    assert target["resolver"] == f"resolver 127.0.0.1:{cluster.dns.port} valid=1s"
    assert target["answers"][0]["records"] == ["127.0.0.3"]  # asked the config's own resolver
    assert target["answers"][0]["server"] == f"127.0.0.1:{cluster.dns.port}"

    static = cli(
        [
            "check",
            "resolver",
            "--nginx-conf",
            str(cluster.static_conf),
            "--nameserver",
            f"127.0.0.1:{cluster.dns.port}",
            "--format",
            "json",
        ]
    )
    document = json.loads(static.stdout)
    assert static.exit_code == 1  # the shadowed variable target fails; the literal one warns
    by_where = {t["where"].split()[-1]: t for t in document["targets"]}
    assert by_where["/literal/"]["behaviour"] == "resolved once at load"
    assert by_where["/literal/"]["status"] == "warn"
    assert by_where["/shadowed/"]["behaviour"] == "variable shadowed by a static group"
    assert by_where["/shadowed/"]["status"] == "fail"
    assert by_where["/shadowed/"]["shadowed_by"]["line"] == by_where["/literal/"]["line"]


def test_names_with_ttl_and_short_names(cli: Any, cluster: Cluster) -> None:
    result = cli(
        ["check", "resolver", NAME, "svc", "--nameserver", f"127.0.0.1:{cluster.dns.port}", "--format", "json"]
    )
    document = json.loads(result.stdout)
    a_record = next(n for n in document["names"] if n["name"] == NAME and n["type"] == "A")
    assert a_record["records"] == ["127.0.0.2"]
    assert a_record["ttl"] == 1  # dnsmasq --local-ttl=1
    notes = {(n["id"], n["title"]) for n in document["notes"]}
    assert ("name.short", "svc") in notes
    assert ("name.error", "svc") in notes
    assert result.exit_code == 1


def test_check_resolver_findings_in_json_and_sarif(cli: Any, cluster: Cluster) -> None:
    """The failing and warning targets are findings a CI job can read: in `findings[]` of the JSON
    document (shaped like lint's), and as SARIF results pointing at the target's own file:line."""

    args = ["check", "resolver", "--nginx-conf", str(cluster.static_conf), "--nameserver"]
    args.append(f"127.0.0.1:{cluster.dns.port}")
    result = cli([*args, "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    by_where = {t["where"].split()[-1]: t for t in document["targets"]}
    findings = {f["rule"]: f for f in document["findings"]}
    assert set(findings) == {"CHK-RESOLVER-TARGET-SHADOWED", "CHK-RESOLVER-TARGET-STALE"}
    shadowed = findings["CHK-RESOLVER-TARGET-SHADOWED"]
    assert shadowed["severity"] == "error" and findings["CHK-RESOLVER-TARGET-STALE"]["severity"] == "warning"
    assert shadowed["evidence"] == [
        {
            "file": str(cluster.static_conf),
            "line": by_where["/shadowed/"]["line"],
            "text": shadowed["evidence"][0]["text"],
        }
    ]
    assert "static group" in shadowed["cause"] and shadowed["extra"]["check"] == "target.shadowed"

    sarif = cli([*args, "--format", "sarif"])
    assert sarif.exit_code == 1
    log = valid_sarif_log(sarif.stdout)
    run = log["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    results = {r["ruleId"]: r for r in run["results"]}
    assert set(results) == set(findings)
    located = results["CHK-RESOLVER-TARGET-SHADOWED"]
    assert rules[located["ruleIndex"]] == "CHK-RESOLVER-TARGET-SHADOWED" and located["level"] == "error"
    region = located["locations"][0]["physicalLocation"]
    assert region["region"]["startLine"] == by_where["/shadowed/"]["line"]
    assert region["artifactLocation"]["uri"] == cluster.static_conf.as_uri()
