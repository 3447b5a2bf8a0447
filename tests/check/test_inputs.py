"""Option parsing for check: --connect-to, --nameserver, and bad input through the CLI (exit 2)."""

from __future__ import annotations

from typing import Any

import pytest

from opskit.adapters.http import ConnectTo
from opskit.core.check.resolver import DnsAnswer, Nameserver, ResolverReport, name_items, parse_nameserver
from opskit.errors import InputError


def test_connect_to_like_curl() -> None:
    assert ConnectTo.parse("Reg.Example.com:5088:127.0.0.1:40001") == ConnectTo(
        "reg.example.com", 5088, "127.0.0.1", 40001
    )
    assert ConnectTo.parse("[2001:db8::1]:443:[::1]:8443") == ConnectTo("2001:db8::1", 443, "::1", 8443)
    for bad in ("a:1:b", "a:x:b:1", "a:1:b:70000", ":1:b:2"):
        with pytest.raises(InputError):
            ConnectTo.parse(bad)


def test_nameserver_like_nginx_resolver() -> None:
    assert parse_nameserver("127.0.0.1:5353") == Nameserver("127.0.0.1", 5353)
    assert parse_nameserver("10.96.0.10") == Nameserver("10.96.0.10", 53)
    assert parse_nameserver("[::1]:53") == Nameserver("::1", 53)
    assert parse_nameserver("::1") == Nameserver("::1", 53)
    for bad in ("kube-dns.kube-system.svc.cluster.local", "1.2.3.4:0", "1.2.3.4:x"):
        with pytest.raises(ValueError):
            parse_nameserver(bad)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "harbor", "ftp://x"], "is not an http:// or https:// URL"),
        (["check", "harbor", "http://h:5000/v2/"], "base URL without a path"),
        (["check", "harbor", "http://h", "--harbor-version", "2.13"], "is not a Harbor release version"),
        (["check", "harbor", "http://h", "--user", "admin"], "--password-stdin"),
        (["check", "harbor", "http://h", "--connect-to", "nope"], "HOST:PORT:ADDRESS:PORT"),
        (["check", "harbor", "https://h", "--ca", "/nonexistent/ca.pem"], "cannot load CA file"),
        (["check", "resolver"], "give at least one NAME or --nginx-conf"),
        (["check", "resolver", "x.test", "--nameserver", "dns.example"], "is not an IP address"),
        (["check", "resolver", "--nginx-conf", "/nonexistent.conf"], "/nonexistent.conf: no such file"),
    ],
)
def test_bad_input_exits_2_with_one_paragraph(cli: Any, args: list[str], message: str) -> None:
    result = cli(args)
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
    assert result.stderr.startswith("opskit: error:") and "Traceback" not in result.stderr


def test_broken_nginx_conf_names_file_and_line(cli: Any, tmp_path: Any) -> None:
    conf = tmp_path / "nginx.conf"
    conf.write_text("http {\n  server {\n    listen 80;\n}\n")
    result = cli(["check", "resolver", "--nginx-conf", str(conf)])
    assert result.exit_code == 2
    assert f"{conf}:4" in result.stderr


def test_resolver_name_notes_become_findings_like_lint_and_diagnose() -> None:
    answers = (
        DnsAnswer("harbor", "A", (), None, "10.96.0.10", error="NXDOMAIN"),
        DnsAnswer("ok.example", "A", ("192.0.2.1",), 30, "10.96.0.10"),
    )
    report = ResolverReport(answers, tuple(name_items(answers)), "nginx.conf", ())
    findings = {f.rule_id: f for f in report.findings}
    assert set(findings) == {"CHK-RESOLVER-NAME-SHORT", "CHK-RESOLVER-NAME-ERROR"}
    assert findings["CHK-RESOLVER-NAME-ERROR"].severity.label == "error"
    assert findings["CHK-RESOLVER-NAME-SHORT"].severity.label == "warning"
    assert "FQDN" in findings["CHK-RESOLVER-NAME-SHORT"].fix
    assert findings["CHK-RESOLVER-NAME-ERROR"].evidence[0].file == "nginx.conf"
