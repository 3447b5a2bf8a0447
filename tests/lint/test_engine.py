"""The engine: suppressions, ordering, severity threshold, and robustness on arbitrary input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.findings import Severity
from opskit.core.lint.catalog import all_rules
from opskit.core.lint.engine import run_rules
from opskit.core.lint.inputs import workspace_from_example
from opskit.core.lint.options import LintOptions
from opskit.errors import InputError

TWO_SERVICES = """server {
    listen 80;
    location /a/ { proxy_pass http://web:3000; }
    location /b/ { proxy_pass http://api:3000; }  # opskit: ignore=all
}
"""


def _run(text: str, min_severity: Severity = Severity.INFO, kind: str | None = "nginx"):  # type: ignore[no-untyped-def]
    workspace = workspace_from_example(text, "t.conf", kind)  # type: ignore[arg-type]
    return run_rules(workspace, all_rules(), LintOptions(), min_severity)


def test_ignore_all_and_counting() -> None:
    result = _run(TWO_SERVICES)
    assert [(f.rule_id, f.evidence[0].line) for f in result.findings] == [("NGX101", 3)]
    assert result.suppressed == 1


def test_suppression_on_the_line_above_only_for_comment_lines() -> None:
    text = "server {\n    listen 80; # opskit: ignore=NGX101\n    location / { proxy_pass http://web:1; }\n}\n"
    # the marker sits on a directive line, not on a comment line above: it does not carry over
    assert [f.rule_id for f in _run(text).findings] == ["NGX101"]


def test_threshold_drops_lower_severities() -> None:
    text = (
        "server {\n    listen 80;\n    resolver kube-dns.kube-system.svc.cluster.local valid=5s;\n"
        "    location / {\n        set $b a.b.svc.cluster.local;\n"
        "        proxy_pass http://$b:80;\n    }\n}\n"
    )
    assert [f.rule_id for f in _run(text).findings] == ["NGX112"]
    assert _run(text, Severity.WARNING).findings == ()


def test_findings_sorted_by_file_and_line() -> None:
    text = "#@ file: b.conf\nserver { listen 80; location / { proxy_pass http://web:1; } }\n#@ file: a.conf\n" + (
        "\n\nserver { listen 81; location / { proxy_pass http://api:1; } }\n"
    )
    result = run_rules(workspace_from_example(text, "x.conf", None), all_rules(), LintOptions())
    assert [(f.evidence[0].file, f.evidence[0].line) for f in result.findings] == [
        ("/example/a.conf", 3),
        ("/example/b.conf", 1),
    ]


_NGINX_PIECES = st.sampled_from(
    [
        "server {",
        "location / {",
        "location /v2/ {",
        "upstream u {",
        "}",
        "listen 80;",
        "listen 8443 ssl proxy_protocol;",
        "proxy_pass http://web:1;",
        "proxy_pass http://$v:8080/;",
        "set $v svc.ns;",
        "resolver 8.8.8.8;",
        "resolver 127.0.0.11 valid=60s;",
        "server api:80 resolve;",
        "zone u 64k;",
        "dynamic_resolve;",
        "proxy_set_header Host $host;",
        "proxy_set_header X-Forwarded-Proto https;",
        "add_header Www-Authenticate x;",
        "client_max_body_size 1m;",
        "include x.conf;",
        "if ($a) {",
        "user root;",
        '"q";',
        ";",
        "{",
    ]
)
_HAPROXY_PIECES = st.sampled_from(
    [
        "defaults",
        "frontend f",
        "backend b",
        "listen l :80",
        "    mode http",
        "    mode tcp",
        "    bind :::80",
        "    bind :443",
        "    option forwardfor",
        "    http-request set-header X-Forwarded-For %[src]",
        "    stick-table type ip size 1k",
        "    tcp-request inspect-delay 5s",
        "    use_backend b if { req.ssl_sni x }",
        "    timeout client 1s",
        "    server s web:80 send-proxy",
        "    stats auth a:b",
        ".if x",
        ".endif",
        "    'open",
        "    http-request deny deny_status 429",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_NGINX_PIECES, max_size=30))
def test_arbitrary_nginx_input_gives_findings_or_input_error(pieces: list[str]) -> None:
    try:
        _run("\n".join(pieces) + "\n")
    except InputError as error:
        assert error.problems and error.problems[0].file


@settings(max_examples=150, deadline=None)
@given(st.lists(_HAPROXY_PIECES, max_size=30))
def test_arbitrary_haproxy_input_gives_findings_or_input_error(pieces: list[str]) -> None:
    try:
        _run("\n".join(pieces) + "\n", kind="haproxy")
    except InputError as error:
        assert error.problems and error.problems[0].file


def test_suppression_in_haproxy_files() -> None:
    text = (
        "frontend stats\n    mode http\n    bind 127.0.0.1:8070\n    timeout http-request 5s\n"
        "    # opskit: ignore=HAP401 (lab only, password rotated by the test harness)\n"
        "    stats auth admin:lab\n"
    )
    result = _run(text, kind="haproxy")
    assert result.findings == () and result.suppressed == 1
