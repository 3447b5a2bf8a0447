"""`opskit lint --validate` with the real nginx and HAProxy: what they reject becomes NGX000/HAP000
findings on the user's own files and lines; a config they accept adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opskit.core.lint.catalog import all_rules
from opskit.core.lint.validation import ValidationPlan, findings_from_output
from tests.support.tools import require_binary

pytestmark = pytest.mark.integration

HAPROXY_HEAD = """defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s

frontend web
    bind 127.0.0.1:8080
    acl cookie_ok req.cook(challenge) -m found
"""
HAPROXY_TAIL = """    default_backend app

backend app
    server app1 127.0.0.1:9000
"""


def _lint_json(cli, args: list[str]) -> tuple[int, list[dict[str, object]], list[str]]:  # type: ignore[no-untyped-def]
    result = cli(["lint", "--format", "json", *args])
    document = json.loads(result.stdout)
    return result.exit_code, document["findings"], document.get("notes", [])


def test_negated_acl_name_passes_lint_but_haproxy_rejects_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    require_binary("haproxy", "apt-get install haproxy")
    config = tmp_path / "haproxy.cfg"
    config.write_text(HAPROXY_HEAD + "    acl need_challenge !cookie_ok\n" + HAPROXY_TAIL)

    code, findings, _ = _lint_json(cli, [str(config)])
    assert code == 0 and findings == []  # the parser-level rules cannot see it

    code, findings, _ = _lint_json(cli, ["--validate", str(config)])
    assert code == 1
    assert [(f["rule"], f["severity"], f["evidence"][0]["file"], f["evidence"][0]["line"]) for f in findings] == [
        ("HAP000", "error", str(config), 11)
    ]
    assert findings[0]["evidence"][0]["text"] == "acl need_challenge !cookie_ok"
    assert "'!cookie_ok'" in str(findings[0]["cause"])
    assert "<validation-dir>" not in json.dumps(findings)


def test_a_config_the_binaries_accept_gets_no_validation_finding(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    require_binary("haproxy", "apt-get install haproxy")
    require_binary("nginx", "apt-get install nginx")
    haproxy = tmp_path / "haproxy.cfg"
    haproxy.write_text(HAPROXY_HEAD + "    http-request deny if !cookie_ok\n" + HAPROXY_TAIL)
    nginx = tmp_path / "site.conf"
    nginx.write_text("server {\n    listen 127.0.0.1:8081;\n    location / { return 200; }\n}\n")
    code, findings, _ = _lint_json(cli, ["--validate", str(haproxy), str(nginx)])
    assert (code, findings) == (0, [])


def test_absolute_includes_are_validated_from_the_copy_and_errors_point_at_the_included_file(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path
) -> None:
    require_binary("nginx", "apt-get install nginx")
    conf_d = tmp_path / "etc" / "nginx" / "conf.d"
    conf_d.mkdir(parents=True)
    main = tmp_path / "etc" / "nginx" / "nginx.conf"
    main.write_text(f"events {{}}\nhttp {{\n    include {conf_d}/*.conf;\n    include /nonexistent/mime.types;\n}}\n")
    site = conf_d / "site.conf"
    site.write_text(
        "server {\n"
        "    listen 10.77.0.9:443 ssl;\n"
        f"    ssl_certificate {tmp_path}/no-such.crt;\n"
        f"    ssl_certificate_key {tmp_path}/no-such.key;\n"
        "    location ~ ^/api/ {\n"
        "        proxy_pass http://api.internal:8080/v1/;\n"
        "    }\n"
        "}\n"
    )
    code, findings, notes = _lint_json(cli, ["--validate", "--select", "NGX000", str(main)])
    assert code == 1
    assert [(f["rule"], f["evidence"][0]["file"], f["evidence"][0]["line"]) for f in findings] == [
        ("NGX000", str(site), 6)
    ]
    assert "cannot have URI part" in str(findings[0]["cause"])
    # the certificate was stubbed, the name mapped to loopback, the missing include left out (a note)
    assert any("stub certificate" in n for n in notes)
    assert any("api.internal" in n for n in notes)
    assert any("/nonexistent/mime.types" in n for n in notes)

    site.write_text(site.read_text().replace("/v1/;", ";"))
    code, findings, _ = _lint_json(cli, ["--validate", "--select", "NGX000", str(main)])
    assert (code, findings) == (0, [])


def test_validator_rules_are_listed_and_explained(cli) -> None:  # type: ignore[no-untyped-def]
    listed = cli(["lint", "--list-rules"]).stdout
    assert "NGX000" in listed and "HAP000" in listed
    explained = cli(["lint", "--explain", "HAP000"]).stdout
    assert "haproxy -c" in explained and "need_challenge" in explained


def test_an_unlocated_rejection_lands_on_the_entry_file() -> None:
    plan = ValidationPlan("haproxy", "cwd/h.cfg", {"cwd/h.cfg": "global\n"}, {"cwd/h.cfg": "h.cfg"})
    output = "[ALERT]    (7) : config : Proxy 'web': unable to find required default_backend: 'app'.\n"
    (finding,) = findings_from_output(plan, False, output)
    assert finding.rule_id == "HAP000" and finding.evidence[0].file == "h.cfg"
    assert finding.evidence[0].line is None and "default_backend: 'app'" in finding.cause
    assert findings_from_output(plan, True, output) == []


def test_selecting_only_validator_rules_without_validate_is_explained(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "site.conf"
    config.write_text("server {\n    listen 80;\n}\n")
    result = cli(["lint", "--select", "NGX000", str(config)])
    assert result.exit_code == 2 and "--validate" in result.stderr
    static = sum(1 for r in all_rules() if not r.info.validator)
    assert f"({static} rules)" in cli(["lint", str(config)]).stdout  # validator rules did not run
