"""JSON nested past the decoder's depth, wherever opskit decodes JSON it did not write: a paste (status
--json excerpts, health arrays, `debug derp` reports, netcheck --format=json), a Harbor server's response
body, a tenant's `endpoints` column. Python's decoder raises RecursionError (not ValueError) there; each
reader must treat it as "not the JSON I expected" — never a traceback, never exit 70."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opskit.adapters.http import _reported_version, _token_of
from opskit.core.check.harbor_judgement import _assess_health
from opskit.core.check.harbor_observation import HttpObservation
from opskit.core.check.result import Status
from opskit.core.headscale.snapshot import endpoint_ips


def _nested(depth: int, container: str) -> str:
    """A JSON value ``depth`` levels deep: arrays (``[[[…]]]``) or objects (``{"a":{"a":…}}``)."""
    if container == "array":
        return "[" * depth + "1" + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


# Where a paste puts JSON, with the deep value in it.
PASTE_PLACES: dict[str, Callable[[str], str]] = {
    "debug derp report on one line": lambda deep: '{"Info": ["Region 1 == \\"nyc\\""], "Errors": [' + deep + "]}",
    "status --json peer excerpt": lambda deep: (
        '"HostName": "nas",\n"DNSName": "nas.tail1234.ts.net.",\n"OS": "linux",\n"Online": true,\n'
        f'"Relay": {deep},\n"CurAddr": "",\n"RxBytes": 1,\n"TxBytes": 2,'
    ),
    "status --json health array": lambda deep: f'"Health": [\n"not connected to home DERP region 1",\n{deep}\n],',
    "whole status --json document": lambda deep: (
        '{\n  "Version": "1.76.1",\n  "BackendState": "Running",\n  "Self": {"HostName": "a", "OS": "linux",'
        f' "Relay": {deep}}},\n  "Health": [],\n  "Peer": {{}}\n}}'
    ),
    "netcheck --format=json": lambda deep: f'{{"UDP": true, "IPv4": true, "RegionLatency": {deep}}}',
}

DEPTHS = st.sampled_from([1_500, 5_000, 30_000])
CONTAINERS = st.sampled_from(["array", "object"])


# The cli fixture only sets environment variables: nothing in it to reset between examples.
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.sampled_from(sorted(PASTE_PLACES)), depth=DEPTHS, container=CONTAINERS)
def test_a_paste_with_deeply_nested_json_is_read_or_refused_not_crashed(
    cli: Any, tmp_path_factory: Any, place: str, depth: int, container: str
) -> None:
    paste = tmp_path_factory.mktemp("deep") / "paste.txt"
    paste.write_text(PASTE_PLACES[place](_nested(depth, container)) + "\n")
    result = cli(["diagnose", "--format", "json", str(paste)])  # the runner re-raises any exception
    assert result.exit_code in (0, 1, 2), (place, result.exit_code)
    assert "Traceback" not in result.stdout + result.stderr


@settings(max_examples=12, deadline=None)
@given(depth=DEPTHS, container=CONTAINERS)
def test_a_harbor_body_nested_too_deep_is_not_harbors_json(depth: int, container: str) -> None:
    body = _nested(depth, container)
    observation = HttpObservation("https://harbor.example.test/service/token", 200, body=body)
    assert _token_of(observation) == "" and _reported_version(observation) == ""
    health = _assess_health(HttpObservation("https://harbor.example.test/api/v2.0/health", 200, body=body))
    assert health.status is Status.FAIL  # whatever the depth: not a healthy Harbor


@settings(max_examples=12, deadline=None)
@given(depth=DEPTHS, container=CONTAINERS)
def test_a_tenants_endpoints_column_nested_too_deep_gives_no_addresses(depth: int, container: str) -> None:
    assert endpoint_ips(_nested(depth, container)) == ()
