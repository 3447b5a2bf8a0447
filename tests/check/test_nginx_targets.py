"""Which proxy targets follow DNS: the classification on configs from scenario §3 and its traps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from opskit.core.check.nginx_targets import Behaviour, ProxyTarget
from opskit.core.check.nginx_targets import proxy_targets as targets_of
from opskit.core.lint.inputs import MemorySource
from opskit.core.nginx import NginxConfig, parse_nginx
from opskit.errors import InputError
from tests.lint.conftest import lint_example


def parse_config(text: str, file: str, includes: dict[str, str] | None = None) -> NginxConfig:
    """The tree `check resolver` reads: the nginx model `lint` uses, from in-memory files."""
    return parse_nginx(file, MemorySource({file: text, **(includes or {})}))


def proxy_targets(config: NginxConfig) -> list[ProxyTarget]:
    return targets_of(config)


def classify(text: str, includes: dict[str, str] | None = None) -> dict[str, Behaviour]:
    targets = proxy_targets(parse_config(text, "nginx.conf", includes))
    return {f"{t.where.split()[-1]} {t.host_port}": t.behaviour for t in targets}


def test_scenario_3_incident_literal_name_goes_stale() -> None:
    found = classify("http { server { listen 80; location / { proxy_pass http://demo-dlp-service.huanfa:80; } } }")
    assert found == {"/ demo-dlp-service.huanfa:80": Behaviour.STALE}


def test_scenario_3_fix_a_follows_dns() -> None:
    text = """http { server { listen 80;
      resolver kube-dns.kube-system.svc.cluster.local valid=5s;
      location / { set $endpoint_service demo-dlp-service.huanfa.svc.cluster.local;
                   proxy_pass http://$endpoint_service:80; } } }"""
    targets = proxy_targets(parse_config(text, "nginx.conf"))
    (target,) = targets
    assert target.behaviour is Behaviour.FOLLOWS_DNS
    assert target.host_port == "demo-dlp-service.huanfa.svc.cluster.local:80"
    assert target.resolver is not None and target.resolver.addresses == ("kube-dns.kube-system.svc.cluster.local",)
    assert target.line == 4


def test_variable_shadowed_by_a_literal_in_another_server_never_re_resolves() -> None:
    text = """http { resolver 10.96.0.10 valid=5s;
      server { listen 80; location /a/ { set $b svc.ns.svc.cluster.local; proxy_pass http://$b:8080; } }
      server { listen 81; location /b/ { proxy_pass http://svc.ns.svc.cluster.local:8080; } } }"""
    targets = proxy_targets(parse_config(text, "nginx.conf"))
    shadowed = next(t for t in targets if t.where.endswith("/a/"))
    assert shadowed.behaviour is Behaviour.SHADOWED
    assert shadowed.shadowed_by == ("nginx.conf", 3)


def test_shadowing_needs_the_same_port() -> None:
    found = classify("""http { resolver 10.96.0.10 valid=5s; server { listen 80;
      location /a/ { set $b svc.ns.svc.cluster.local; proxy_pass http://$b:8080; }
      location /b/ { proxy_pass http://svc.ns.svc.cluster.local:9090; } } }""")
    assert found["/a/ svc.ns.svc.cluster.local:8080"] is Behaviour.FOLLOWS_DNS


def test_variable_without_resolver_and_short_names() -> None:
    found = classify("""http { server { listen 80;
      location /a/ { set $b svc.ns.svc.cluster.local; proxy_pass http://$b:8080; }
      location /c/ { resolver 10.96.0.10; set $c svc; proxy_pass http://$c:8080; }
      location /d/ { resolver 10.96.0.10; proxy_pass http://$http_x_backend; } } }""")
    assert found["/a/ svc.ns.svc.cluster.local:8080"] is Behaviour.NO_RESOLVER
    assert found["/c/ svc:8080"] is Behaviour.SHORT_NAME
    assert found["/d/ $http_x_backend"] is Behaviour.REQUEST_DEPENDENT


def test_upstream_servers_tengine_and_nginx_resolve() -> None:
    text = """http { resolver 10.96.0.10 valid=10s ipv6=off;
      upstream sys { dynamic_resolve fallback=stale fail_timeout=15s; server sys.demowms.svc.cluster.local:8150; }
      upstream ppc { server ppc.demowms.svc.cluster.local:1100; server 10.1.2.3:1100; }
      upstream dev { zone dev 64k; server dev.demowms.svc.cluster.local:2100 resolve; }
      upstream nozone { server po.demowms.svc.cluster.local:1200 resolve; }
      server { listen 80;
        location ^~/api/sys/ { proxy_pass http://sys; }
        location ^~/api/ppc/ { proxy_pass http://ppc; }
        location ^~/api/dev/ { proxy_pass http://dev; }
        location ^~/api/po/ { proxy_pass http://nozone; } } }"""
    found = classify(text)
    assert found["^~/api/sys/ sys.demowms.svc.cluster.local:8150"] is Behaviour.FOLLOWS_DNS
    assert found["^~/api/ppc/ ppc.demowms.svc.cluster.local:1100"] is Behaviour.STALE
    assert found["^~/api/ppc/ 10.1.2.3:1100"] is Behaviour.IP_ADDRESS
    assert found["^~/api/dev/ dev.demowms.svc.cluster.local:2100"] is Behaviour.FOLLOWS_DNS
    assert found["^~/api/po/ po.demowms.svc.cluster.local:1200"] is Behaviour.NO_RESOLVER


def test_tengine_dynamic_resolve_without_resolver_is_silently_stale() -> None:
    found = classify("""http { upstream sys { dynamic_resolve; server sys.ns.svc.cluster.local:8150; }
      server { listen 80; location / { proxy_pass http://sys; } } }""")
    assert found == {"/ sys.ns.svc.cluster.local:8150": Behaviour.STALE}


def test_includes_are_followed_with_their_file_and_line() -> None:
    targets = proxy_targets(
        parse_config(
            "http {\n  include conf.d/*.conf;\n}\n",
            "/etc/nginx/nginx.conf",
            {"/etc/nginx/conf.d/a.conf": "server {\n listen 80;\n location / { proxy_pass http://a.b:1; }\n}\n"},
        )
    )
    assert [(t.file, t.line, t.behaviour) for t in targets] == [("/etc/nginx/conf.d/a.conf", 3, Behaviour.STALE)]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("http { server {", 1),
        ("http {\n}\n}", 3),
        ("http {\n  server { listen 80 }\n}", 2),  # "}" where ";" belongs
        ('http {\n  proxy_pass "http://a.b;\n}\n', 2),  # a quote that never closes
    ],
)
def test_syntax_errors_name_file_and_line(text: str, line: int) -> None:
    with pytest.raises(InputError) as caught:
        parse_config(text, "bad.conf")
    assert caught.value.problems[0].file == "bad.conf"
    assert caught.value.problems[0].line == line


def test_comments_are_skipped_everywhere() -> None:
    text = """# a leading comment
    resolver 10.96.0.10 valid=5s;  # trailing
    server { # after a brace
      listen 80;
      # location /old/ { proxy_pass http://old.ns.svc.cluster.local:80; }
      location / { set $s "svc.ns.svc.cluster.local"; proxy_pass http://$s:80; } # done
    }"""
    assert classify(text) == {"/ svc.ns.svc.cluster.local:80": Behaviour.FOLLOWS_DNS}


def test_upstream_targets_point_at_their_server_line() -> None:
    text = (
        "upstream api {\n    server api.ns.svc.cluster.local:80;\n}\n"
        "server {\n    location / { proxy_pass http://api; }\n}\n"
    )
    (target,) = proxy_targets(parse_config(text, "gw.conf"))
    assert (target.line, target.directive, target.where) == (
        2,
        "server api.ns.svc.cluster.local:80;",
        "server 80 location /",
    )


def test_request_uri_variable_keeps_the_host_and_follows_dns() -> None:
    """`$request_uri` starts the URI: the host is still the literal name (the old reader took
    `svc…local$request_uri` for a request-dependent host)."""
    found = classify("""http { resolver 10.96.0.10 valid=5s; server { listen 80;
      location / { proxy_pass http://svc.ns.svc.cluster.local$request_uri; } } }""")
    assert found == {"/ svc.ns.svc.cluster.local": Behaviour.FOLLOWS_DNS}


def test_names_nginx_resolver_cannot_find_are_the_ones_ngx104_reports() -> None:
    """`svc.ns` needs a search domain as much as `svc` does: check and NGX104 agree on it."""
    found = classify("""http { resolver 10.96.0.10 valid=5s; server { listen 80;
      location /a/ { set $a api.shop; proxy_pass http://$a:8080; }
      location /b/ { set $b api.shop.svc.cluster.local; proxy_pass http://$b:8080; } } }""")
    assert found == {
        "/a/ api.shop:8080": Behaviour.SHORT_NAME,
        "/b/ api.shop.svc.cluster.local:8080": Behaviour.FOLLOWS_DNS,
    }


def test_a_variable_with_a_port_does_not_use_an_upstream_of_that_name() -> None:
    """nginx matches a variable URL against explicit upstreams only when no port is written, and a
    literal pass to an upstream creates no implicit group: `set $x pool; proxy_pass http://$x:80;`
    asks the resolver for `pool` (short: never found). check, NGX103 and NGX104 agree."""
    text = """http { resolver 10.96.0.10 valid=5s;
      upstream pool { server 10.0.0.1:80; }
      server { listen 80;
        location /a/ { proxy_pass http://pool; }
        location /b/ { set $x pool; proxy_pass http://$x:80; } } }"""
    assert classify(text)["/b/ pool:80"] is Behaviour.SHORT_NAME
    assert [(f.rule_id, f.evidence[0].line) for f in lint_example(text) if f.rule_id.startswith("NGX10")] == [
        ("NGX104", 5)
    ]


LOOPBACK_NOBODY = "127.0.0.1:9"  # discard port, nothing listens: no DNS query leaves the machine


def test_lint_and_check_report_the_same_pass_lines(cli: Any, tmp_path: Path) -> None:
    """Issue 14: fastcgi_pass (and the other *_pass) are read by both commands from one model."""
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        "http {\n  server {\n    listen 80;\n"
        "    location ~ \\.php$ { fastcgi_pass php-fpm.shop:9000; }\n"
        "    location /grpc { grpc_pass grpc://api.shop:50051; }\n"
        "    location /u { uwsgi_pass app.shop:3031; }\n"
        "    location / { proxy_pass http://web.shop:80; }\n  }\n}\n"
    )
    lint = json.loads(cli(["lint", str(conf), "--select", "NGX101", "--format", "json"]).stdout)
    linted = sorted(e["line"] for f in lint["findings"] for e in f["evidence"])
    checked = cli(
        [
            "check",
            "resolver",
            "--nginx-conf",
            str(conf),
            "--nameserver",
            LOOPBACK_NOBODY,
            "--timeout",
            "0.1",
            "--format",
            "json",
        ]
    )
    targets = json.loads(checked.stdout)["targets"]
    assert linted == [4, 5, 6, 7]
    assert sorted(t["line"] for t in targets) == linted
    assert {t["behaviour"] for t in targets} == {"resolved once at load"}


def test_check_follows_includes_like_lint_and_names_a_missing_one(cli: Any, tmp_path: Path) -> None:
    conf = tmp_path / "nginx.conf"
    conf.write_text("http {\n  include conf.d/*.conf;\n  include missing.conf;\n}\n")
    result = cli(["check", "resolver", "--nginx-conf", str(conf), "--nameserver", LOOPBACK_NOBODY])
    assert result.exit_code == 2
    assert f"{conf}:3: include: 'missing.conf' matched no file" in result.stderr


def test_include_loops_stop_with_one_message(cli: Any, tmp_path: Path) -> None:
    conf = tmp_path / "nginx.conf"
    conf.write_text("http {\n  include loop.conf;\n}\n")
    (tmp_path / "loop.conf").write_text("include loop.conf;\n")
    for args in (["lint", str(conf)], ["check", "resolver", "--nginx-conf", str(conf)]):
        result = cli(args)
        assert result.exit_code == 2
        assert f"{tmp_path / 'loop.conf'}:1: include: includes nested deeper than 32 (a loop?)" in result.stderr
