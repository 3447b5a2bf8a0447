"""`opskit lint` as a user runs it: exit codes, formats, selection, suppression, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SCENARIOS = Path(__file__).parent / "scenarios"


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def test_clean_config_exits_0(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "ok.conf", "server {\n    listen 80;\n    location / { return 200; }\n}\n")
    result = cli(["lint", path])
    assert result.exit_code == 0, result.stdout
    assert "No findings in 1 file" in result.stdout


def test_findings_exit_1_with_location_cause_and_fix(cli) -> None:  # type: ignore[no-untyped-def]
    path = str(SCENARIOS / "s3-k8s-gateway-original.conf")
    result = cli(["lint", path])
    assert result.exit_code == 1
    assert f"{path}:7  warning  NGX101" in result.stdout
    assert "proxy_pass http://demo-dlp-service.huanfa:80;" in result.stdout
    assert "set $demo_dlp_service_upstream demo-dlp-service.huanfa.svc.cluster.local;" in result.stdout
    assert "1 finding (1 warning) in 1 file." in result.stdout


def test_cross_file_lint_shows_both_lines(cli) -> None:  # type: ignore[no-untyped-def]
    haproxy, nginx = str(SCENARIOS / "s2-haproxy-before.cfg"), str(SCENARIOS / "s2-nginx-behind-haproxy.conf")
    result = cli(["lint", haproxy, nginx, "--select", "X"])
    assert result.exit_code == 1
    assert f"{haproxy}:13  warning  X003" in result.stdout
    assert f"see {nginx}:4: client_header_timeout 10s;" in result.stdout


def test_json_output(cli) -> None:  # type: ignore[no-untyped-def]
    path = str(SCENARIOS / "s2-haproxy-after-writeup.cfg")
    result = cli(["lint", path, "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["opskit"] == 1 and document["kind"] == "lint"
    assert document["summary"]["findings"] == 4
    assert document["summary"]["by_severity"] == {"info": 0, "warning": 2, "error": 2}
    first = document["findings"][0]
    assert set(first) >= {"rule", "severity", "title", "cause", "fix", "evidence", "related"}
    assert first["evidence"][0] == {"file": path, "line": 18, "text": "stats auth admin:********"}


def test_select_ignore_and_min_severity(cli) -> None:  # type: ignore[no-untyped-def]
    path = str(SCENARIOS / "s2-haproxy-after-writeup.cfg")
    only = json.loads(cli(["lint", path, "-F", "json", "--select", "HAP4,HAP102"]).stdout)
    assert sorted(f["rule"] for f in only["findings"]) == ["HAP102", "HAP401"]
    ignored = json.loads(cli(["lint", path, "-F", "json", "--ignore", "HAP401", "--ignore", "haproxy-sni"]).stdout)
    assert sorted(f["rule"] for f in ignored["findings"]) == ["HAP102", "HAP201"]
    errors = cli(["lint", path, "-F", "json", "--min-severity", "error"])
    assert errors.exit_code == 1
    assert sorted(f["rule"] for f in json.loads(errors.stdout)["findings"]) == ["HAP102", "HAP401"]
    info_only = cli(["lint", str(SCENARIOS / "s3-k8s-gateway-fix-a.conf"), "--min-severity", "warning"])
    assert info_only.exit_code == 0


def test_unknown_rule_and_bad_option_values_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "ok.conf", "server { listen 80; }\n")
    for args in (["--select", "NOPE1"], ["--min-severity", "fatal"], ["--nginx-version", "1.x"]):
        result = cli(["lint", path, *args])
        assert result.exit_code == 2, args
        assert result.stderr.startswith("opskit: error: ")


def test_parse_error_exits_2_with_file_and_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "broken.conf", "server {\n    listen 80\n    location / { return 200; }\n}\n")
    result = cli(["lint", path])
    assert result.exit_code == 2
    assert f"opskit: error: {path}:2: " in result.stderr
    assert "Traceback" not in result.stderr


def test_unreadable_inputs_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = cli(["lint", str(tmp_path / "nope.conf")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    directory = cli(["lint", str(tmp_path)])
    assert directory.exit_code == 2 and "is a directory" in directory.stderr
    binary = tmp_path / "bin.conf"
    binary.write_bytes(b"\xff\xfe\x00server")
    assert cli(["lint", str(binary)]).exit_code == 2


def test_kind_detection_and_override(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    odd = _write(tmp_path, "notes.txt", "just words\n")
    undecided = cli(["lint", odd])
    assert undecided.exit_code == 2 and "--kind" in undecided.stderr
    haproxy = _write(tmp_path, "edge.conf", "frontend f\n    mode http\n    bind :80\n")
    assert "HAP101" in cli(["lint", haproxy]).stdout
    forced = cli(["lint", haproxy, "--kind", "nginx"])
    assert forced.exit_code == 2  # not nginx syntax: the parse error says where


def test_nginx_includes_followed_and_not_linted_twice(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    main = _write(tmp_path, "nginx.conf", "events {}\nhttp {\n    include sites/*.conf;\n}\n")
    site = _write(
        tmp_path,
        "sites/app.conf",
        "server {\n    listen 80;\n    location / {\n        proxy_pass http://web:3000;\n    }\n}\n",
    )
    result = cli(["lint", main, site.replace("/sites/", "/sites/./"), "-F", "json"])
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["evidence"][0]["file"], f["evidence"][0]["line"]) for f in findings] == [("NGX101", site, 4)]


def test_missing_include_is_a_note_not_a_failure(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "site.conf", "include /nonexistent/opskit/ssl.conf;\nserver { listen 80; }\n")
    result = cli(["lint", path])
    assert result.exit_code == 0
    assert f"opskit: note: {path}:1: include '/nonexistent/opskit/ssl.conf' matched no file" in result.stderr


def test_inline_suppression_is_counted(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(
        tmp_path,
        "s.conf",
        "server {\n    listen 80;\n    location / {\n"
        "        proxy_pass http://web:3000;  # opskit: ignore=NGX101\n    }\n}\n",
    )
    result = cli(["lint", path])
    assert result.exit_code == 0
    assert "1 suppressed inline" in result.stdout


@pytest.mark.parametrize(("version", "expected"), [("1.22.1", 1), ("1.28.0", 0)])
def test_nginx_version_option(cli, tmp_path: Path, version: str, expected: int) -> None:  # type: ignore[no-untyped-def]
    path = _write(
        tmp_path,
        "u.conf",
        "resolver 10.96.0.10 valid=10s;\nupstream api {\n    zone api 64k;\n"
        "    server api.shop.svc.cluster.local:8080 resolve;\n}\n"
        "server { listen 80; location / { proxy_pass http://api; } }\n",
    )
    assert cli(["lint", path, "--nginx-version", version]).exit_code == expected


def test_help_lists_the_options(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(["lint", "--help"])
    for option in ("--kind", "--format", "--select", "--ignore", "--min-severity", "--nginx-version"):
        assert option in result.stdout


def test_info_findings_are_counted_but_shown_only_on_request(cli) -> None:  # type: ignore[no-untyped-def]
    path = str(SCENARIOS / "s3-k8s-gateway-fix-a.conf")
    default = cli(["lint", path])
    assert default.exit_code == 0
    assert "1 finding below --min-severity warning (show with --min-severity info)" in default.stdout
    assert json.loads(cli(["lint", path, "-F", "json"]).stdout)["summary"]["below_threshold"] == 1
    shown = cli(["lint", path, "--min-severity", "info"])
    assert shown.exit_code == 1
    assert f"{path}:6  info  NGX112" in shown.stdout
