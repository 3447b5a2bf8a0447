"""A paste may carry JSON nested past any decoder's depth (a hostile paste, or a YAML/JSON bomb someone pasted):
every reader that decodes a paste's JSON reads it as not JSON, never as an internal error (exit 70).

The carriers are the places a paste's JSON is decoded: an Ansible task result, a one-line JSON log record, a
LocalAPI answer from `curl -i`, `tailscale status --json`, `docker inspect`'s array and `brew services info --json`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

_CARRIERS = {
    "ansible-result": (
        "TASK [tailscale : Status] ****\n"
        'ok: [web1] => {{"changed": false, "cmd": ["tailscale", "status"], "rc": 0, "stdout": "", "x": {nest}}}\n'
        "\nPLAY RECAP ****\nweb1 : ok=1 changed=0 unreachable=0 failed=0 skipped=0\n"
    ),
    "ansible-multiline-result": (
        'TASK [tailscale : Status] ****\nok: [web1] => {{\n    "cmd": ["tailscale", "status"],\n    "x": {nest}\n}}\n'
    ),
    "json-log-record": (
        '{{"level":"info","time":"2026-01-05T10:00:00Z","logger":"tailscale",'
        '"msg":"magicsock: home is now derp-1 (nyc)","x":{nest}}}\n'
    ),
    "localapi-curl": (
        "$ curl -i --unix-socket /var/run/tailscale/tailscaled.sock "
        "http://local-tailscaled.sock/localapi/v0/status\n"
        "HTTP/1.1 500 Internal Server Error\nContent-Type: application/json\n"
        "Tailscale-Version: 1.80.2-t1234abcd-g5678ef90\n\n"
        '{{"error": "x", "y": {nest}}}\n'
    ),
    "status-json": '$ tailscale status --json\n{{"BackendState": "Running", "Self": {nest}}}\n',
    "docker-inspect": (
        '$ docker inspect tailscale\n[\n{{"Name": "/tailscale", "State": {{"OOMKilled": true}}, "x": {nest}}}\n]\n'
    ),
    "brew-info-json": (
        '$ brew services info tailscale --json\n[\n{{"name": "tailscale", "service_name": '
        '"homebrew.mxcl.tailscale", "running": false, "x": {nest}}}\n]\n'
    ),
}


def _nest(depth: int, kind: str) -> str:
    if kind == "arrays":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize("carrier", sorted(_CARRIERS))
@pytest.mark.parametrize("depth", [50, 3_000, 40_000])
@pytest.mark.parametrize("kind", ["arrays", "objects"])
def test_json_nested_past_the_decoders_depth_is_not_an_internal_error(
    cli: Any, carrier: str, depth: int, kind: str
) -> None:
    paste = _CARRIERS[carrier].format(nest=_nest(depth, kind))
    result = cli(["diagnose", "-", "--format", "json"], input=paste)
    assert result.exit_code in (0, 1, 2), (carrier, depth, result.stderr[-500:])
    document = json.loads(result.stdout)
    assert "internal error" not in json.dumps(document), (carrier, depth)
