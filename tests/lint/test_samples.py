"""Real public configs (tests/lint/samples, sources in SOURCES.md there) as regression fixtures.

Expectations follow the ground truth recorded with the samples; the kind (nginx or HAProxy) is
detected from the content, as the CLI does. Ground-truth items no rule covers (an invalid ACL, dead
redirect code, HSTS) are not claimed here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from opskit.adapters.configfiles import FileSource
from opskit.core.lint.catalog import all_rules
from opskit.core.lint.engine import run_rules
from opskit.core.lint.inputs import build_workspace
from opskit.core.lint.options import LintOptions

SAMPLES = Path(__file__).parent / "samples"

EXPECTED: dict[str, set[tuple[str, int]]] = {
    # option forwardfor + set-header XFF in a backend; add-header X-Forwarded-Proto
    "haproxy-cookie-guard-double-xff.conf": {("HAP201", 55), ("HAP203", 46)},
    # no timeout http-request; forwardfor without del-header; add-header X-Forwarded-Proto
    "haproxy-kavita-wiki-example.conf": {("HAP101", 34), ("HAP202", 42), ("HAP203", 45)},
    # HAProxy's own edge example: stats and pub1 frontends lack timeout http-request (.if parsed)
    "haproxy-official-edge-example-no-http-request-timeout.conf": {("HAP101", 55), ("HAP101", 68)},
    # listen with address (fatal), no timeout http-request, Docker names, forwardfor without del-header
    "haproxy-rpi-docker-names-no-http-request-timeout.conf": {
        ("HAP101", 14),
        ("HAP101", 18),
        ("HAP104", 14),
        ("HAP105", 28),
        ("HAP105", 29),
        ("HAP105", 30),
        ("HAP202", 25),
    },
    # Service short name in an upstream without resolve
    "k8s-docs-frontend-upstream-service-name.conf": {("NGX101", 2)},
    # literal short Service name (with a URI part the fix must keep meaning)
    "k8s-nginx-literal-short-service-name.conf": {("NGX101", 7)},
    # resolver 8.8.8.8 ignored for a literal target and unable to answer cluster.local
    "k8s-nginx-resolver-8888-literal-svc.conf": {("NGX101", 14), ("NGX102", 10), ("NGX105", 10)},
    # Docker's 127.0.0.11 inside an EKS pod (gixy-ng and gixy-next report nothing here)
    "k8s-nginx-resolver-docker-127.0.0.11-on-eks.conf": {("NGX105", 10)},
    # client_max_body_size 0 but request buffering on
    "registry-nginx-certbot-request-buffering.conf": {("NGX202", 26)},
    # registry without client_max_body_size, buffering on, Compose service name
    "registry-nginx-no-body-size.conf": {("NGX101", 8), ("NGX201", 7), ("NGX202", 7)},
}


def test_every_sample_has_an_expectation() -> None:
    assert {p.name for p in SAMPLES.glob("*.conf")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_raises_expected_rules(name: str) -> None:
    result = run_rules(build_workspace([str(SAMPLES / name)], FileSource()), all_rules(), LintOptions())
    assert {(f.rule_id, f.evidence[0].line) for f in result.findings} == EXPECTED[name]


def test_no_false_host_spoofing_style_finding_on_registry_http_host() -> None:
    # gixy flags `Host $http_host`; for registries it is required (keeps the port): opskit must not.
    result = run_rules(
        build_workspace([str(SAMPLES / "registry-nginx-no-body-size.conf")], FileSource()),
        all_rules(),
        LintOptions(),
    )
    assert not any(f.rule_id == "NGX203" for f in result.findings)
