"""The opskit.fleet check modules and `opskit check -F json` run the same use case and give the same
payload. Before, the fleet copy had its own loop: it printed the entry URL with its password, and
described a resolver target more tersely than the command. (The command's stdout is also scrubbed of
every registered secret, which the module's result is not: the checks' details are compared by shape.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from opskit.app.fleet_checks import harbor_entries, resolver_view
from opskit.output.check import harbor_json, resolver_json
from tests.support.ports import free_port


def _payload(stdout: str) -> dict[str, Any]:
    document = json.loads(stdout)
    return {key: value for key, value in document.items() if key not in ("opskit", "kind", "opskit_version")}


def test_harbor_module_payload_is_the_commands_and_hides_the_password(cli: Any) -> None:
    url = f"http://admin:hunter2@127.0.0.1:{free_port()}"  # nothing listens: the entry fails fast
    fleet = harbor_json(harbor_entries([url], timeout=2).entries)
    command = cli(["check", "harbor", url, "--timeout", "2", "-F", "json"])
    assert command.exit_code == 1, command.stderr
    [entry] = fleet["entries"]
    assert entry["url"].startswith("http://admin:***@127.0.0.1:") and "hunter2" not in entry["url"]
    [command_entry] = _payload(command.stdout)["entries"]
    assert {**command_entry, "checks": None} == {**entry, "checks": None}
    shape = [(c["id"], c["status"]) for c in entry["checks"]]
    assert [(c["id"], c["status"]) for c in command_entry["checks"]] == shape


def test_resolver_module_payload_is_the_commands(cli: Any, tmp_path: Path) -> None:
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        "events {}\nhttp {\n  server {\n    listen 8080;\n"
        "    location / { proxy_pass http://127.0.0.1:9000; }\n  }\n}\n"
    )
    fleet = resolver_json(resolver_view([], nginx_conf=conf))
    command = cli(["check", "resolver", "--nginx-conf", str(conf), "-F", "json"])
    assert command.exit_code == 0, command.stderr
    assert _payload(command.stdout) == fleet
    assert len(fleet["targets"]) == 1
