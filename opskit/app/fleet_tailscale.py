"""Tailscale across a fleet: on each node, the raw `tailscale netcheck --format=json` and
`tailscale status --json` (the opskit.fleet ``tailscale_facts`` module); on the controller, every
node's outputs diagnosed together into the pairwise path matrix (the ``tailscale_matrix`` filter)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opskit.core.diagnose.engine import Diagnosis

NETCHECK = ("netcheck", "--format=json")
STATUS = ("status", "--json")


def _json_part(text: str) -> Any:
    """The JSON document in a CLI's output (netcheck prints a '# Warning: ...' banner first)."""
    start = text.find("{")
    if start < 0:
        return None
    try:
        return json.loads(text[start:])
    except (json.JSONDecodeError, RecursionError):  # (nested past the decoder's depth)
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


def diagnose_fleet(nodes: Mapping[str, Mapping[str, Any]]) -> Diagnosis:
    """Diagnose every node's gathered outputs together (node name → its ``opskit_tailscale`` fact): NAT
    profile per node, predicted path per pair, findings. Nodes with no output are left out."""
    from opskit.core.diagnose.engine import InputText, diagnose

    inputs = []
    for host, facts in sorted(nodes.items()):
        parts = []
        if facts.get("netcheck_text"):
            parts.append("$ tailscale netcheck --format=json\n" + str(facts["netcheck_text"]).strip())
        if facts.get("status_text"):
            parts.append("$ tailscale status --json\n" + str(facts["status_text"]).strip())
        if parts:
            inputs.append(InputText(host, f"{host}: tailscale", "\n".join(parts) + "\n", required=False))
    return diagnose(inputs)
