"""What the rendered files mean: parsed with crossplane / YAML, per entry point and Harbor version."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import crossplane
import pytest
import yaml

from opskit.core.harbor.realm import RealmRewrite, RewriteMode
from opskit.core.render.pipeline import render_site
from opskit.core.spec.loader import validate_marked
from opskit.core.spec.model import SiteSpec
from tests.render.harbor.conftest import base_spec

SpecWriter = Callable[[dict[str, Any] | str], Path]
Directive = dict[str, Any]


def render(spec: dict[str, Any]) -> dict[str, str]:
    model = validate_marked(SiteSpec, spec, {}, "site.yaml")
    return render_site(model, "site.yaml").files


def parse_nginx(text: str, tmp_path: Path) -> list[Directive]:
    path = tmp_path / "nginx-harbor.conf"
    path.write_text(text)
    parsed = crossplane.parse(str(path), single=True, comments=False, check_ctx=False, check_args=False)
    assert parsed["status"] == "ok", parsed["errors"]
    return list(parsed["config"][0]["parsed"])


def args(block: list[Directive], name: str) -> list[list[str]]:
    return [d["args"] for d in block if d["directive"] == name]


def one(block: list[Directive], name: str) -> list[str]:
    found = args(block, name)
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def location(server: list[Directive], prefix: str) -> list[Directive]:
    blocks = [d["block"] for d in server if d["directive"] == "location" and d["args"] == [prefix]]
    assert len(blocks) == 1
    return list(blocks[0])


def servers_by_name(top: list[Directive]) -> dict[str, list[Directive]]:
    return {one(d["block"], "server_name")[0]: list(d["block"]) for d in top if d["directive"] == "server"}


def headers(server: list[Directive]) -> dict[str, str]:
    return {a[0]: a[1] for a in args(server, "proxy_set_header")}


def test_one_server_per_entry_with_listen_as_clients_reach_it(tmp_path: Path) -> None:
    servers = servers_by_name(parse_nginx(render(base_spec())["nginx-harbor.conf"], tmp_path))
    assert set(servers) == {"172.16.36.52", "62.132.105.159", "xx.xxx.com"}
    assert one(servers["172.16.36.52"], "listen") == ["172.16.36.52:5000"]
    assert one(servers["62.132.105.159"], "listen") == ["172.16.36.52:5080"]
    assert one(servers["xx.xxx.com"], "listen") == ["443", "ssl", "http2"]
    assert one(servers["xx.xxx.com"], "ssl_certificate") == ["/home/cert/xx.xxx.com.pem"]
    assert one(servers["xx.xxx.com"], "ssl_certificate_key") == ["/home/cert/xx.xxx.com.key"]
    for server in servers.values():
        assert one(server, "server_tokens") == ["off"]


def test_headers_describe_the_entry_as_its_clients_see_it(tmp_path: Path) -> None:
    servers = servers_by_name(parse_nginx(render(base_spec())["nginx-harbor.conf"], tmp_path))
    expected = {
        "172.16.36.52": ("http", "5000"),
        "62.132.105.159": ("http", "5080"),
        "xx.xxx.com": ("https", "5088"),
    }
    for name, (scheme, public_port) in expected.items():
        sent = headers(servers[name])
        assert sent["Host"] == "$http_host"  # $host would drop the port the realm and Locations need
        assert sent["X-Forwarded-Host"] == "$http_host"
        # The public port (5088), written once in the spec, not nginx's listen port (443):
        assert sent["X-Forwarded-Port"] == public_port
        assert sent["X-Forwarded-Proto"] == scheme
        assert sent["X-Forwarded-For"] == "$remote_addr"


def test_registry_location_streams_without_limits(tmp_path: Path) -> None:
    spec = base_spec()
    spec["harbor"]["registry_timeout"] = "15m"
    for server in servers_by_name(parse_nginx(render(spec)["nginx-harbor.conf"], tmp_path)).values():
        v2 = location(server, "/v2/")
        assert one(v2, "client_max_body_size") == ["0"]
        assert one(v2, "proxy_request_buffering") == ["off"]
        assert one(v2, "proxy_buffering") == ["off"]
        assert one(v2, "proxy_read_timeout") == ["15m"]
        assert one(v2, "proxy_send_timeout") == ["15m"]
        # HTTP/1.1 is set once per server and inherited by every location (none overrides it).
        assert one(server, "proxy_http_version") == ["1.1"]
        assert not any(args(location(server, p), "proxy_http_version") for p in ("/v2/", "/service/", "/"))
        for prefix in ("/v2/", "/service/", "/"):
            assert one(location(server, prefix), "proxy_pass") == ["http://harbor"]


def test_upstream_is_harbors_nginx(tmp_path: Path) -> None:
    top = parse_nginx(render(base_spec())["nginx-harbor.conf"], tmp_path)
    upstream = [d for d in top if d["directive"] == "upstream"]
    assert [u["args"] for u in upstream] == [["harbor"]]
    assert args(upstream[0]["block"], "server") == [["172.16.36.52:8894"]]
    assert not [d for d in top if d["directive"] == "user"]


def rewrite_of(server: list[Directive]) -> tuple[list[list[str]], list[list[str]]]:
    v2 = location(server, "/v2/")
    return args(v2, "proxy_hide_header"), args(v2, "add_header")


@pytest.mark.parametrize(("version", "mode"), [("2.13.1", RewriteMode.SCHEME_AND_HOST), ("2.14.0", RewriteMode.SCHEME)])
def test_rewrite_only_where_the_realm_does_not_fit_and_per_version(
    tmp_path: Path, version: str, mode: RewriteMode
) -> None:
    spec = base_spec()
    spec["harbor"]["version"] = version
    top = parse_nginx(render(spec)["nginx-harbor.conf"], tmp_path)
    servers = servers_by_name(top)
    for http_entry in ("172.16.36.52", "62.132.105.159"):
        hidden, added = rewrite_of(servers[http_entry])
        assert hidden == [["Www-Authenticate"]]
        assert added == [["Www-Authenticate", "$harbor_www_authenticate_for_http", "always"]]
    assert rewrite_of(servers["xx.xxx.com"]) == ([], [])
    maps = [d for d in top if d["directive"] == "map"]
    assert [m["args"] for m in maps] == [["$upstream_http_www_authenticate", "$harbor_www_authenticate_for_http"]]
    rewrite = RealmRewrite(mode, "http")
    regex, value = (maps[0]["block"][0]["directive"], maps[0]["block"][0]["args"])
    assert regex == "~" + rewrite.pattern and value == [rewrite.replacement]
    if mode is RewriteMode.SCHEME_AND_HOST:
        assert "$http_host" in value[0]  # < 2.14 must replace the host too
    else:
        assert "$http_host" not in value[0] and "https://" in regex
    assert one(maps[0]["block"][1:], "default") == ["$upstream_http_www_authenticate"]


def test_http_external_url_rewrites_for_the_https_entry_only_on_new_harbor(tmp_path: Path) -> None:
    spec = base_spec()
    spec["harbor"].update(version="2.14.0", external_url_entry="external")
    servers = servers_by_name(parse_nginx(render(spec)["nginx-harbor.conf"], tmp_path))
    assert rewrite_of(servers["62.132.105.159"]) == ([], [])
    # >= 2.14 answers http://<Host>: right for the internal HTTP entry, wrong scheme for the domain.
    assert rewrite_of(servers["172.16.36.52"]) == ([], [])
    assert rewrite_of(servers["xx.xxx.com"])[1] == [
        ["Www-Authenticate", "$harbor_www_authenticate_for_https", "always"]
    ]


def test_realm_rewrite_off_renders_no_rewrite_and_says_what_breaks(tmp_path: Path) -> None:
    spec = base_spec()
    spec["harbor"].update(version="2.14.0", realm_rewrite=False)
    files = render(spec)
    top = parse_nginx(files["nginx-harbor.conf"], tmp_path)
    assert not [d for d in top if d["directive"] == "map"]
    assert all(rewrite_of(s) == ([], []) for s in servers_by_name(top).values())
    report = files["harbor-realms.md"]
    assert "| external | `http://62.132.105.159:5080` | `https://62.132.105.159:5080/service/token` |" in report
    assert "NEEDED (scheme), off in the spec | fails | fails |" in report
    assert "docker login cannot work through: internal, external." in report


def test_ipv6_listen_and_upstream_are_bracketed(tmp_path: Path) -> None:
    spec = base_spec()
    harbor = spec["harbor"]
    harbor["upstream"]["host"] = "2001:db8::52"
    harbor["entries"][0]["listen_address"] = "2001:db8::5"
    harbor["entries"][1]["listen_address"] = "2001:db8::5"
    harbor["entries"][2]["listen_address"] = "::"
    top = parse_nginx(render(spec)["nginx-harbor.conf"], tmp_path)
    servers = servers_by_name(top)
    assert one(servers["[2001:db8::5]"], "listen") == ["[2001:db8::5]:5000"]
    assert one(servers["xx.xxx.com"], "listen") == ["[::]:443", "ssl", "http2"]
    upstream = next(d for d in top if d["directive"] == "upstream")
    assert args(upstream["block"], "server") == [["[2001:db8::52]:8894"]]


def test_harbor_yml_runs_harbor_in_http_mode_with_the_chosen_external_url() -> None:
    files = render(base_spec())
    settings = yaml.safe_load(files["harbor.yml"])
    assert settings == {
        "hostname": "xx.xxx.com",  # not in the spec: defaults to external_url's host
        "http": {"port": 8894},
        "external_url": "https://xx.xxx.com:5088",
        "data_volume": "/data",
    }
    assert files["harbor.yml"].startswith("# generated by opskit from site.yaml")
    spec = base_spec()
    spec["harbor"].update(external_url_entry="external", data_volume="/srv/harbor")
    settings = yaml.safe_load(render(spec)["harbor.yml"])
    assert settings["external_url"] == "http://62.132.105.159:5080"
    assert settings["hostname"] == "62.132.105.159"  # defaults to external_url's host
    assert settings["data_volume"] == "/srv/harbor"


def test_numeric_looking_ipv6_hostname_stays_text_in_harbor_yml() -> None:
    spec = base_spec()
    spec["harbor"]["hostname"] = "1:2:3:4:5:6:7:8"  # YAML 1.1 would read it unquoted as a base-60 number
    settings = yaml.safe_load(render(spec)["harbor.yml"])
    assert settings["hostname"] == "1:2:3:4:5:6:7:8"


def test_report_lists_realms_per_entry_and_what_cannot_work() -> None:
    report = render(base_spec())["harbor-realms.md"]
    assert report.startswith("> generated by opskit from site.yaml")
    assert (
        "| internal | `http://172.16.36.52:5000` | `https://xx.xxx.com:5088/service/token` | "
        "`http://172.16.36.52:5000/service/token` | rendered (scheme and host) | works | fails |"
    ) in report
    assert (
        "| domain | `https://xx.xxx.com:5088` | `https://xx.xxx.com:5088/service/token` | "
        "`https://xx.xxx.com:5088/service/token` | not needed | works | works |"
    ) in report
    assert "The browser UI cannot work through: internal, external (Secure CSRF cookie over plain HTTP)." in report
    assert '"insecure-registries": ["172.16.36.52:5000", "62.132.105.159:5080"]' in report


def test_report_is_printed_and_notes_flag_broken_logins(cli: Any, write_spec: SpecWriter) -> None:
    spec = base_spec()
    spec["harbor"].update(version="2.14.0", realm_rewrite=False)
    path = write_spec(spec)
    result = cli(["render", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    import json

    family = json.loads(result.stdout)["families"][0]
    assert family["name"] == "harbor"
    assert family["files"] == ["harbor-realms.md", "harbor.yml", "nginx-harbor.conf"]
    assert "## external: http://62.132.105.159:5080" in family["report"]
    assert any(n.startswith("entry external: docker login fails:") for n in family["notes"])
    human = cli(["render", str(path), "--check"])
    assert "Harbor token realms for site harbor-test" in human.stdout


def test_render_is_byte_identical_and_check_detects_drift(cli: Any, write_spec: SpecWriter) -> None:
    path = write_spec(base_spec())
    out = path.parent / "site"
    assert cli(["render", str(path)]).exit_code == 0
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert cli(["render", str(path), "--check"]).exit_code == 0
    conf = out / "nginx-harbor.conf"
    conf.write_text(conf.read_text().replace("X-Forwarded-Port 5088", "X-Forwarded-Port 443"))
    drift = cli(["render", str(path), "--check"])
    assert drift.exit_code == 1
    assert "-    proxy_set_header X-Forwarded-Port 443;" in drift.stdout
    assert "+    proxy_set_header X-Forwarded-Port 5088;" in drift.stdout
    assert "X-Forwarded-Port 443" in conf.read_text(), "--check writes nothing"
    assert cli(["render", str(path)]).exit_code == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_nat_entry_without_listen_address_binds_all_addresses(tmp_path: Path) -> None:
    spec = base_spec()
    del spec["harbor"]["entries"][1]["listen_address"]
    spec["harbor"]["entries"][1]["public_port"] = 80  # clients type no port: Host has none
    files = render(spec)
    servers = servers_by_name(parse_nginx(files["nginx-harbor.conf"], tmp_path))
    assert one(servers["62.132.105.159"], "listen") == ["5080"]
    assert headers(servers["62.132.105.159"])["X-Forwarded-Port"] == "80"
    assert "| external | `http://62.132.105.159` |" in files["harbor-realms.md"]
    assert (
        "# Entry external (http-nat): clients use http://62.132.105.159; "
        "a NAT forwards it to this nginx on 5080." in (files["nginx-harbor.conf"])
    )


def test_report_warns_that_old_harbor_breaks_pushes_over_https() -> None:
    spec = base_spec()
    spec["harbor"]["version"] = "2.2.4"
    report = render(spec)["harbor-realms.md"]
    assert "Pushes through HTTPS entries fail on Harbor 2.2.4" in report
    assert "Harbor 2.2.4's own nginx overwrites X-Forwarded-Proto" in report  # in the domain entry's section
    assert "Pushes through HTTPS entries fail" not in render(base_spec())["harbor-realms.md"]
