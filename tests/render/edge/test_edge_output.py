"""What the rendered edge configs mean: read them back and check the directives that matter."""

from __future__ import annotations

import shutil
from pathlib import Path

import crossplane

from opskit.core.render.edge import FAMILY
from opskit.core.render.model import RenderContext
from opskit.core.spec.loader import load_spec_text
from opskit.core.spec.model import SiteSpec
from tests.render.edge.conftest import EXAMPLE_SPEC, haproxy_sections, minimal_edge, write_spec


def render(spec_path: Path) -> dict[str, str]:
    spec = load_spec_text(SiteSpec, spec_path.read_text(), spec_path.name)
    rendered = FAMILY.render(spec, RenderContext(spec_path.name))
    assert rendered is not None
    return rendered.files


def nginx_servers(text: str, tmp_path: Path) -> list[list[dict]]:  # type: ignore[type-arg]
    path = tmp_path / "snippet.conf"
    path.write_text(text)
    parsed = crossplane.parse(str(path), single=True, check_ctx=False, check_args=False)
    assert parsed["status"] == "ok", parsed["errors"]
    return [d["block"] for d in parsed["config"][0]["parsed"] if d["directive"] == "server"]


def test_example_http_frontend_has_slowloris_defences_and_single_xff() -> None:
    cfg = haproxy_sections(render(EXAMPLE_SPEC)["haproxy.cfg"])
    http = cfg["frontend http_in"]
    assert "timeout http-request 10s" in http
    assert "timeout http-keep-alive 10s" in http
    assert "timeout client 30s" in http
    # the scenario binds IPv6 too: the table must be ipv6 or v6 clients are never tracked (Trap)
    assert "stick-table type ipv6 size 200000 expire 30s store conn_cur,conn_rate(10s),http_req_rate(10s)" in http
    assert "tcp-request connection track-sc0 src" in http
    assert "tcp-request connection reject if { sc0_conn_cur gt 80 }" in http
    assert "tcp-request connection reject if { sc0_conn_rate gt 100 }" in http
    assert "http-request deny deny_status 429 if { sc0_http_req_rate gt 100 }" in http
    # del-header before forwardfor, and never a manual XFF header (Trap: "ip, ip")
    assert http.index("http-request del-header X-Forwarded-For") < http.index("option forwardfor")
    assert not [line for line in http if "set-header X-Forwarded-For" in line or "add-header X-Forwarded-For" in line]
    assert (
        "http-request redirect prefix https://secure.example.com code 301 "
        "if { req.hdr(host),field(1,:) -m str -i secure.example.com }"
    ) in http
    assert "acl ua_be_app_0 req.hdr(user-agent) -m sub -i iPhone iPad Android" in http
    assert http[-1] == "default_backend be_nginx_http"


def test_example_tls_frontend_rejects_silent_clients_and_sends_proxy_v2() -> None:
    cfg = haproxy_sections(render(EXAMPLE_SPEC)["haproxy.cfg"])
    tls = cfg["frontend tls_in"]
    assert tls[0] == "mode tcp"
    accept = tls.index("tcp-request content accept if { req.ssl_hello_type 1 }")
    assert tls[accept + 1] == "tcp-request content reject"  # the final reject (Trap)
    assert tls.index("tcp-request inspect-delay 5s") < accept
    assert "use_backend be_nginx_tls if { req.ssl_sni -i www.example.com secure.example.com }" in tls
    assert not [line for line in tls if line.startswith("default_backend")]
    assert cfg["backend be_nginx_tls"] == ["mode tcp", "server nginx1 127.0.0.1:8443 send-proxy-v2"]
    assert not [line for line in tls if line.startswith("http-request")]  # ignored in mode tcp


def test_example_stats_password_comes_from_the_environment_only() -> None:
    text = render(EXAMPLE_SPEC)["haproxy.cfg"]
    stats = haproxy_sections(text)["frontend stats"]
    assert "bind 0.0.0.0:8070" in stats
    assert 'stats auth admin:"${HAPROXY_STATS_PASSWORD}"' in stats
    assert ".if !defined(HAPROXY_STATS_PASSWORD)" in text


def test_example_nginx_snippet_trusts_only_haproxy(tmp_path: Path) -> None:
    tls, plain = nginx_servers(render(EXAMPLE_SPEC)["nginx-edge-proxy-protocol.conf"], tmp_path)

    def args(block: list[dict], name: str) -> list[list[str]]:  # type: ignore[type-arg]
        return [d["args"] for d in block if d["directive"] == name]

    assert args(tls, "listen") == [["8443", "ssl", "proxy_protocol"]]
    assert args(tls, "server_name") == [["www.example.com", "secure.example.com"]]
    assert args(tls, "set_real_ip_from") == [["127.0.0.1"]]
    assert args(tls, "real_ip_header") == [["proxy_protocol"]]
    assert args(plain, "listen") == [["8080"]]
    assert args(plain, "real_ip_header") == [["X-Forwarded-For"]]
    assert args(plain, "set_real_ip_from") == [["127.0.0.1"]]


def test_ipv4_only_binds_give_type_ip_and_a_default_tls_backend_is_explicit(tmp_path: Path) -> None:
    edge = minimal_edge()
    edge["tls"]["default_backend"] = "web_tls"
    cfg = haproxy_sections(render(write_spec(tmp_path, edge))["haproxy.cfg"])
    assert any(line.startswith("stick-table type ip size") for line in cfg["frontend http_in"])
    tls = cfg["frontend tls_in"]
    assert tls[-1] == "default_backend web_tls"
    assert "tcp-request content reject" in tls  # silent clients are still refused
    assert "frontend stats" not in cfg


def test_users_file_mode_renders_an_acl_and_a_template_without_a_secret(tmp_path: Path) -> None:
    edge = minimal_edge(stats={"bind": {"address": "127.0.0.1", "port": 8070}, "users_file": "/etc/haproxy/stats.cfg"})
    files = render(write_spec(tmp_path, edge))
    stats = haproxy_sections(files["haproxy.cfg"])["frontend stats"]
    assert "acl stats_auth_ok http_auth(stats_users)" in stats
    assert "http-request auth realm haproxy-stats unless stats_auth_ok" in stats
    assert not [line for line in stats if line.startswith("stats auth")]
    users = haproxy_sections(files["haproxy-stats-users.example.cfg"])
    assert users == {"userlist stats_users": ["user admin password *"]}


def test_output_is_byte_identical_across_runs() -> None:
    assert render(EXAMPLE_SPEC) == render(EXAMPLE_SPEC)


def test_check_reports_drift_and_passes_when_identical(cli, tmp_path: Path) -> None:
    shutil.copy(EXAMPLE_SPEC, tmp_path / "haproxy-edge.yaml")
    shutil.copytree(EXAMPLE_SPEC.with_suffix(""), tmp_path / "haproxy-edge")
    spec = str(tmp_path / "haproxy-edge.yaml")
    assert cli(["render", spec, "--check"]).exit_code == 0
    cfg = tmp_path / "haproxy-edge" / "haproxy.cfg"
    cfg.write_text(cfg.read_text().replace("timeout http-request 10s", "timeout http-request 1h", 1))
    result = cli(["render", spec, "--check"])
    assert result.exit_code == 1
    assert "-    timeout http-request 1h" in result.stdout
    assert "+    timeout http-request 10s" in result.stdout
    assert "timeout http-request 1h" in cfg.read_text(), "--check must not write"
