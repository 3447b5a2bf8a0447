"""What the rendered gateway means, read back with crossplane; report; --check drift; determinism."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from opskit.core.render.k8s import CONFIG_FILE, REPORT_FILE
from tests.render.k8s.support import (
    args_of,
    children,
    location,
    parse_http_snippet,
    render_k8s,
    section,
    write_spec,
)

SEVEN = [
    ("sys", 8150),
    ("ppc", 1100),
    ("dev", 2100),
    ("wms", 8155),
    ("fts", 8190),
    ("flowable", 1587),
    ("po", 1200),
]


def parsed(k8s: dict[str, Any]) -> list[dict[str, Any]]:
    return parse_http_snippet(render_k8s(k8s).files[CONFIG_FILE])


def only_server(top: list[dict[str, Any]]) -> dict[str, Any]:
    (server,) = children(top, "server")
    return server


def test_flavor_nginx_resolves_per_request_through_a_variable_and_strips_with_rewrite_break() -> None:
    top = parsed(section())
    assert args_of(top, "resolver") == [["10.96.0.10", "valid=5s", "ipv6=off"]]
    assert args_of(top, "resolver_timeout") == [["5s"]]
    assert children(top, "upstream") == []
    server = only_server(top)
    sys_loc = location(server, "^~", "/api/sys/")
    assert args_of(sys_loc, "set") == [["$k8s_service", "sys.demowms.svc.cluster.local"]]
    # no URI part: the request URI is passed unchanged
    assert args_of(sys_loc, "proxy_pass") == [["http://$k8s_service:8150"]]
    assert args_of(sys_loc, "rewrite") == []
    auth = location(server, "^~", "/auth/")
    # `set` must come before `rewrite … break`, which stops the rewrite module (a later set never runs).
    assert [d["directive"] for d in auth] == ["set", "rewrite", "proxy_pass"]
    assert args_of(auth, "rewrite") == [["(?s)^/auth/(.*)$", "/$1", "break"]]
    assert args_of(auth, "proxy_pass") == [["http://$k8s_service:8080"]]


def test_no_literal_service_name_anywhere_in_flavor_nginx() -> None:
    """A literal proxy_pass to the FQDN would create a server group the variable form silently reuses."""
    server = only_server(parsed(section()))
    passes = [args for loc in children(server["block"], "location") for args in args_of(loc["block"], "proxy_pass")]
    assert passes == [["http://$k8s_service:8150"], ["http://$k8s_service:8080"]]


def test_flavor_tengine_reproduces_the_seed_gateway() -> None:
    routes = [{"name": n, "prefix": f"/api/{n}/", "service": n, "namespace": "demowms", "port": p} for n, p in SEVEN]
    top = parsed(
        section(
            flavor="tengine",
            routes=routes,
            resolver={"address": "10.96.0.10", "valid": "10s"},
            static={"root": "/usr/share/nginx/html", "spa_fallback": True},
        )
    )
    assert args_of(top, "resolver") == [["10.96.0.10", "valid=10s", "ipv6=off"]]
    upstreams = {u["args"][0]: u["block"] for u in children(top, "upstream")}
    assert list(upstreams) == [f"k8s_{n}" for n, _ in SEVEN]
    for name, port in SEVEN:
        block = upstreams[f"k8s_{name}"]
        assert args_of(block, "dynamic_resolve") == [["fallback=stale", "fail_timeout=15s"]]
        assert args_of(block, "server") == [[f"{name}.demowms.svc.cluster.local:{port}"]]
        assert args_of(location(only_server(top), "^~", f"/api/{name}/"), "proxy_pass") == [[f"http://k8s_{name}"]]
    static = location(only_server(top), "/")
    assert args_of(static, "root") == [["/usr/share/nginx/html"]]
    assert args_of(static, "try_files") == [["$uri", "$uri/", "/index.html"]]


def test_upstream_flavors_strip_with_a_literal_uri_part() -> None:
    for flavor in ("tengine", "nginx-1.28"):
        auth = location(only_server(parsed(section(flavor=flavor))), "^~", "/auth/")
        assert args_of(auth, "proxy_pass") == [["http://k8s_auth/"]]
        assert args_of(auth, "rewrite") == []


def test_flavor_nginx_128_has_zone_and_resolve_with_the_resolver_at_http_level() -> None:
    top = parsed(section(flavor="nginx-1.28"))
    assert args_of(top, "resolver") == [["10.96.0.10", "valid=5s", "ipv6=off"]]
    upstreams = {u["args"][0]: u["block"] for u in children(top, "upstream")}
    assert args_of(upstreams["k8s_sys"], "zone") == [["k8s_sys", "64k"]]
    assert args_of(upstreams["k8s_sys"], "server") == [["sys.demowms.svc.cluster.local:8150", "resolve"]]
    assert args_of(upstreams["k8s_auth"], "server") == [["keycloak.iam.svc.cluster.local:8080", "resolve"]]


def test_static_options_and_the_fallback_location() -> None:
    assert args_of(location(only_server(parsed(section())), "/"), "return") == [["404"]]
    plain = location(only_server(parsed(section(static={"root": "/srv/www", "index": "app.html"}))), "/")
    assert args_of(plain, "try_files") == [["$uri", "$uri/", "=404"]]
    assert args_of(plain, "index") == [["app.html"]]


def test_listen_server_names_and_plain_prefix_locations() -> None:
    routes = [
        {
            "name": "a",
            "prefix": "/a/",
            "service": "a",
            "namespace": "n",
            "port": 1,
            "skip_regex_locations": False,
        }
    ]
    server = only_server(
        parsed(
            section(
                routes=routes,
                server_names=["GW.Example.com", "gw2.example.com"],
                listen={"port": 8443, "addresses": ["127.0.0.1", "::1"]},
            )
        )
    )
    assert args_of(server["block"], "listen") == [
        ["127.0.0.1:8443", "default_server"],
        ["[::1]:8443", "default_server"],
    ]
    assert args_of(server["block"], "server_name") == [["gw.example.com", "gw2.example.com"]]
    assert args_of(location(server, "/a/"), "proxy_pass") == [["http://$k8s_service:1"]]


def test_report_names_each_route_the_uri_its_backend_gets_and_the_resolver_trap() -> None:
    family = render_k8s(section(resolver={"valid": "5s"}))
    report = family.report
    assert "/auth/items?page=2 arrives as /items?page=2" in report
    assert "/api/sys/items?page=2 arrives as /api/sys/items?page=2" in report
    assert "kube-dns.kube-system.svc.cluster.local is a name" in report
    assert "ONCE at" in report and "ClusterIP is stable" in report
    assert family.files[REPORT_FILE].startswith("# generated by opskit from gw.yaml")
    assert any("resolves it once at start-up" in note for note in family.notes)
    assert "is a name" not in render_k8s(section()).report  # an IP resolver needs no such warning


@pytest.mark.parametrize(("flavor", "needle"), [("tengine", "dynamic_resolve"), ("nginx-1.28", "1.27.3")])
def test_validation_rewrites_are_declared_and_reported(flavor: str, needle: str) -> None:
    family = render_k8s(section(flavor=flavor))
    (target,) = family.validations
    assert target.http_snippet
    assert [needle in r.reason for r in target.compat_rewrites] == [True]
    assert set(target.hostnames) == {"sys.demowms.svc.cluster.local", "keycloak.iam.svc.cluster.local"}
    assert any(needle in note for note in family.notes)


def test_flavor_nginx_declares_only_the_resolver_name_for_validation() -> None:
    (target,) = render_k8s(section(resolver={"valid": "5s"})).validations
    assert target.hostnames == ("kube-dns.kube-system.svc.cluster.local",)
    assert target.compat_rewrites == ()
    (target,) = render_k8s(section()).validations
    assert target.hostnames == ()


def test_render_is_byte_identical_and_starts_with_the_header() -> None:
    first, second = render_k8s(section()).files, render_k8s(section()).files
    assert first == second
    assert sorted(first) == [REPORT_FILE, CONFIG_FILE]
    for text in first.values():
        assert text.startswith("# generated by opskit from gw.yaml; do not edit by hand.\n")
        assert text.endswith("}\n") or text.endswith(".\n") or text.endswith(")\n")


def test_check_reports_drift_with_a_diff_and_passes_when_identical(cli: Any, tmp_path: Path) -> None:
    spec = write_spec(tmp_path, section())
    assert cli(["render", str(spec)]).exit_code == 0
    assert cli(["render", str(spec), "--check"]).exit_code == 0
    conf = tmp_path / "gw" / CONFIG_FILE
    conf.write_text(conf.read_text().replace("valid=5s", "valid=60s"))
    drifted = cli(["render", str(spec), "--check"])
    assert drifted.exit_code == 1
    assert "-resolver 10.96.0.10 valid=60s ipv6=off;" in drifted.stdout
    assert "+resolver 10.96.0.10 valid=5s ipv6=off;" in drifted.stdout
    assert "valid=60s" in conf.read_text(), "--check writes nothing"


def test_check_through_a_real_subprocess_and_only_k8s() -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "opskit",
            "render",
            "examples/k8s-gateway-nginx.yaml",
            "--check",
            "--only",
            "k8s",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date" in done.stdout


def test_examples_are_up_to_date(cli: Any) -> None:
    root = Path(__file__).resolve().parents[3] / "examples"
    for name in ("k8s-gateway-tengine", "k8s-gateway-nginx"):
        result = cli(["render", str(root / f"{name}.yaml"), "--check"])
        assert result.exit_code == 0, result.stdout
