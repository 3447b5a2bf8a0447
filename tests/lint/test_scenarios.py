"""The seed configs from the write-ups raise exactly the traps the write-ups list (scenarios.md §1–§3)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from opskit.adapters.configfiles import FileSource
from opskit.core.lint.catalog import all_rules
from opskit.core.lint.engine import run_rules
from opskit.core.lint.inputs import build_workspace
from opskit.core.lint.options import LintOptions
from tests.support.tools import require_binary

SEEDS = Path(__file__).parent / "scenarios"


def _lint(*names: str) -> set[tuple[str, str, int | None]]:
    paths = [str(SEEDS / name) for name in names]
    result = run_rules(build_workspace(paths, FileSource()), all_rules(), LintOptions())
    return {(f.rule_id, Path(f.evidence[0].file).name, f.evidence[0].line) for f in result.findings}


def test_s1_outer_nginx_only_user_root() -> None:
    # The port typed three times is right here (5088 is what clients use through NAT) and cannot be
    # checked from the file; Host $http_host, body size 0 and buffering off on /v2/ are correct.
    assert _lint("s1-harbor-outer-nginx.conf") == {("NGX302", "s1-harbor-outer-nginx.conf", 1)}


def test_s1_realm_rewrite_without_always() -> None:
    assert _lint("s1-harbor-http-entry-realm-rewrite.conf") == {
        ("NGX206", "s1-harbor-http-entry-realm-rewrite.conf", 19)
    }


def test_s2_before_the_fix_names_the_root_cause_in_both_files() -> None:
    findings = _lint("s2-haproxy-before.cfg", "s2-nginx-behind-haproxy.conf")
    assert findings == {
        ("HAP101", "s2-haproxy-before.cfg", 13),  # :80 mode http without timeout http-request
        ("X003", "s2-haproxy-before.cfg", 13),  # ... so nginx's client_header_timeout never fires
        ("HAP402", "s2-haproxy-before.cfg", 15),  # the global 429 that hit every user
    }


def test_s2_cross_finding_points_at_both_lines() -> None:
    paths = [str(SEEDS / "s2-haproxy-before.cfg"), str(SEEDS / "s2-nginx-behind-haproxy.conf")]
    result = run_rules(build_workspace(paths, FileSource()), all_rules(), LintOptions())
    cross = next(f for f in result.findings if f.rule_id == "X003")
    assert cross.evidence[0].text == "frontend http_in"
    assert (Path(cross.related[0].file).name, cross.related[0].line) == ("s2-nginx-behind-haproxy.conf", 4)
    assert cross.related[0].text == "client_header_timeout 10s;"
    assert "timeout http-request 10s" in cross.fix


def test_s2_write_up_fix_still_has_its_traps() -> None:
    assert _lint("s2-haproxy-after-writeup.cfg", "s2-nginx-behind-haproxy.conf") == {
        ("HAP401", "s2-haproxy-after-writeup.cfg", 18),  # stats password in clear
        ("HAP102", "s2-haproxy-after-writeup.cfg", 26),  # type ip with bind [::]:80
        ("HAP201", "s2-haproxy-after-writeup.cfg", 32),  # forwardfor + set-header XFF
        ("HAP302", "s2-haproxy-after-writeup.cfg", 42),  # SNI without final reject
    }


def test_s2_stats_password_is_redacted_in_the_finding() -> None:
    result = run_rules(
        build_workspace([str(SEEDS / "s2-haproxy-after-writeup.cfg")], FileSource()),
        all_rules(),
        LintOptions(),
    )
    finding = next(f for f in result.findings if f.rule_id == "HAP401")
    assert "xxxxxxxx" not in finding.evidence[0].text and "********" in finding.evidence[0].text


def test_s2_fixed_edge_is_clean() -> None:
    assert _lint("s2-haproxy-fixed.cfg", "s2-nginx-behind-haproxy.conf") == set()


def test_s3_original_gateway_keeps_the_dead_pod_ip() -> None:
    assert _lint("s3-k8s-gateway-original.conf") == {("NGX101", "s3-k8s-gateway-original.conf", 7)}


def test_s3_fixes_only_note_the_resolver_name() -> None:
    # The write-up's trap: the resolver's own name is resolved once at start-up (acceptable for a
    # ClusterIP, but the tool should know it) — an info finding, nothing else.
    assert _lint("s3-k8s-gateway-fix-a.conf") == {("NGX112", "s3-k8s-gateway-fix-a.conf", 6)}
    assert _lint("s3-tengine-fix-b.conf") == {("NGX112", "s3-tengine-fix-b.conf", 4)}


@pytest.mark.integration
@pytest.mark.parametrize("name", ["s2-haproxy-fixed.cfg", "s2-haproxy-after-writeup.cfg", "s2-haproxy-before.cfg"])
def test_s2_haproxy_seeds_are_valid_for_real_haproxy(name: str) -> None:
    haproxy = require_binary("haproxy", "apt-get install haproxy")
    completed = subprocess.run(
        [haproxy, "-c", "-f", str(SEEDS / name)],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "STATS_PASSWORD": "test"},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
