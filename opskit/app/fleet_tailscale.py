"""Tailscale across a fleet: on each node, the raw `tailscale netcheck --format=json` and
`tailscale status --json` (the opskit.fleet ``tailscale_facts`` module); on the controller, every
node's outputs diagnosed together into the pairwise path matrix (the ``tailscale_matrix`` filter)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

NETCHECK = ("netcheck", "--format=json")
STATUS = ("status", "--json")


def _json_part(text: str) -> Any:
    """The JSON document in a CLI's output (netcheck prints a '# Warning: ...' banner first)."""
    start = text.find("{")
    if start < 0:
        return None
    try:
        return json.loads(text[start:])
    except json.JSONDecodeError:
        return None


def gather_tailscale(cli: str = "tailscale", timeout: float = 30.0) -> dict[str, Any]:
    """Run netcheck and status once on this node. A missing CLI raises EnvironmentProblem; a command
    that fails is reported in ``errors`` (status fails when the node is logged out, netcheck need not)."""
    from opskit.adapters import proc

    binary = proc.which(cli, "Install Tailscale (https://tailscale.com/download) or put its CLI on PATH.")
    facts: dict[str, Any] = {"cli": binary, "errors": {}}
    for key, args in (("netcheck", NETCHECK), ("status", STATUS)):
        done = proc.run([binary, *args], timeout=timeout)
        facts[f"{key}_text"] = done.stdout
        facts[key] = _json_part(done.stdout) if done.returncode == 0 else None
        if done.returncode != 0 or done.timed_out or facts[key] is None:
            reason = "timed out" if done.timed_out else f"exit {done.returncode}"
            facts["errors"][key] = f"tailscale {' '.join(args)}: {reason}: {(done.stderr or done.stdout)[-500:]}"
    return facts


def tailscale_matrix(nodes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Diagnose every node's gathered outputs together: the `opskit diagnose -F json` payload (nodes,
    pairs with predicted path, observations, findings) plus ``matrix[a][b]`` = predicted path."""
    from opskit.core.diagnose.engine import InputText, diagnose
    from opskit.output.diagnose import to_json

    inputs = []
    for host, facts in sorted(nodes.items()):
        parts = []
        if facts.get("netcheck_text"):
            parts.append("$ tailscale netcheck --format=json\n" + str(facts["netcheck_text"]).strip())
        if facts.get("status_text"):
            parts.append("$ tailscale status --json\n" + str(facts["status_text"]).strip())
        if parts:
            inputs.append(InputText(host, f"{host}: tailscale", "\n".join(parts) + "\n", required=False))
    diagnosis = diagnose(inputs)
    payload = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    matrix: dict[str, dict[str, str]] = {}
    for pair in payload["pairs"]:
        matrix.setdefault(pair["a"], {})[pair["b"]] = pair["prediction"]
        matrix.setdefault(pair["b"], {})[pair["a"]] = pair["prediction"]
    payload["matrix"] = matrix
    return payload
