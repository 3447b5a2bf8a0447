"""Bad k8s_gateway specs: every problem as file:line: field: problem, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.render.k8s.support import section, write_spec

ROUTE = {"name": "sys", "prefix": "/api/sys/", "service": "sys", "namespace": "demowms", "port": 8150}


def run_bad(cli: Any, tmp_path: Path, k8s: dict[str, Any]) -> list[str]:
    spec = write_spec(tmp_path, k8s)
    result = cli(["render", str(spec)])
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "gw").exists(), "nothing may be written for a bad spec"
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("opskit: error: ")
    listed = lines[1:] or [lines[0].removeprefix("opskit: error: ")]
    return [line.strip().replace(str(tmp_path) + "/", "") for line in listed]


@pytest.mark.parametrize(
    ("valid", "problem"),
    [
        (
            "4s",
            "4s is outside 5s-30s: shorter re-queries DNS on almost every request, longer keeps a "
            "dead Pod IP "
            "after a rollout for that long",
        ),
        (
            "1m",
            "1m is outside 5s-30s: shorter re-queries DNS on almost every request, longer keeps a "
            "dead Pod IP "
            "after a rollout for that long",
        ),
        ("5500ms", "5500ms is not whole seconds (nginx's resolver caches in seconds)"),
        ("soon", "'soon' is not a duration like 10s, 500ms, 5m, 1h"),
    ],
)
def test_resolver_valid_outside_5_to_30_seconds_is_rejected(cli: Any, tmp_path: Path, valid: str, problem: str) -> None:
    problems = run_bad(cli, tmp_path, section(resolver={"address": "10.96.0.10", "valid": valid}))
    assert problems == [f"gw.yaml:7: k8s_gateway.resolver.valid: {problem}"]


def test_every_problem_is_listed_with_line_and_field(cli: Any, tmp_path: Path) -> None:
    k8s = {
        "flavor": "apache",
        "resolver": {"address": "kube dns", "timeout": "31s"},
        "routes": [
            {**ROUTE, "service": "Sys"},
            {
                **ROUTE,
                "name": "x",
                "prefix": "/x/;deny",
                "namespace": "demo;wms",
                "port": 70000,
                "colour": "red",
            },
        ],
    }
    assert run_bad(cli, tmp_path, k8s) == [
        "gw.yaml:4: k8s_gateway.flavor: Input should be 'nginx', 'tengine' or 'nginx-1.28'",
        "gw.yaml:6: k8s_gateway.resolver.address: 'kube dns' is not an RFC 1123 host name (label 'kube dns': "
        "letters, digits and inner hyphens only, 1-63 characters)",
        "gw.yaml:7: k8s_gateway.resolver.timeout: 31s must be more than 0 and at most 30s (nginx's default is 30s)",
        "gw.yaml:11: k8s_gateway.routes[0].service: 'Sys' is not a Kubernetes DNS label (lower-case letters, "
        "digits and inner hyphens, 1-63 characters)",
        "gw.yaml:15: k8s_gateway.routes[1].prefix: '/x/;deny' must start with '/' and use only "
        "letters, digits "
        "and ._~%/-",
        "gw.yaml:17: k8s_gateway.routes[1].namespace: 'demo;wms' is not a Kubernetes DNS label (lower-case "
        "letters, digits and inner hyphens, 1-63 characters)",
        "gw.yaml:18: k8s_gateway.routes[1].port: port 70000 is outside 1-65535",
        "gw.yaml:19: k8s_gateway.routes[1].colour: unknown key",
    ]


def test_duplicate_prefixes_colliding_names_and_static_root_conflict(cli: Any, tmp_path: Path) -> None:
    k8s = section(
        static={"root": "/srv/www", "spa_fallback": True},
        routes=[
            {**ROUTE, "name": "po-v2"},
            {**ROUTE, "name": "po_v2"},
            {**ROUTE, "name": "root", "prefix": "/"},
        ],
    )
    (problem,) = run_bad(cli, tmp_path, k8s)
    assert problem == (
        "gw.yaml:8: k8s_gateway.routes: routes 'po-v2' and 'po_v2' both use prefix /api/sys/; route names "
        "'po-v2' and 'po_v2' both become k8s_po_v2 (nginx identifiers turn '-' and '.' into '_'); "
        "route 'root' "
        "uses prefix / which the static files (static.root) serve"
    )


def test_backend_prefix_must_keep_the_trailing_slash_shape(cli: Any, tmp_path: Path) -> None:
    (problem,) = run_bad(cli, tmp_path, section(routes=[{**ROUTE, "backend_prefix": "/v2"}]))
    assert problem == (
        "gw.yaml:9: k8s_gateway.routes[0]: prefix '/api/sys/' and backend_prefix '/v2' must both "
        "end with '/' or both not: the prefix is replaced textually, so /api/sys/x would reach the "
        "backend as /v2x"
    )


def test_tengine_options_with_another_flavor_and_empty_routes(cli: Any, tmp_path: Path) -> None:
    (problem,) = run_bad(cli, tmp_path, section(tengine={"fallback": "next"}))
    assert problem == ("gw.yaml:3: k8s_gateway: the `tengine` options only apply to flavor tengine (flavor is nginx)")
    (problem,) = run_bad(cli, tmp_path, section(routes=[]))
    assert problem == ("gw.yaml:8: k8s_gateway.routes: list at least one route (prefix -> service.namespace:port)")


def test_bad_tengine_fallback_and_fail_timeout(cli: Any, tmp_path: Path) -> None:
    problems = run_bad(cli, tmp_path, section(flavor="tengine", tengine={"fallback": "retry", "fail_timeout": "0s"}))
    assert problems == [
        "gw.yaml:21: k8s_gateway.tengine.fallback: Input should be 'stale', 'next' or 'shutdown'",
        "gw.yaml:22: k8s_gateway.tengine.fail_timeout: 0s must be a positive number of whole seconds",
    ]


def test_listen_address_listed_twice(cli: Any, tmp_path: Path) -> None:
    (problem,) = run_bad(cli, tmp_path, section(listen={"addresses": ["127.0.0.1", "::1", "0:0::1"]}))
    assert problem == "gw.yaml:21: k8s_gateway.listen.addresses: ::1 listed twice (nginx refuses a duplicate listen)"
