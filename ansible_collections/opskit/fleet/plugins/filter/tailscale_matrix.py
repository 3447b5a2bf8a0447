# Copyright opskit maintainers
# SPDX-License-Identifier: Apache-2.0
"""opskit.fleet.tailscale_matrix: diagnose every node's gathered tailscale outputs together (controller)."""

from __future__ import annotations

DOCUMENTATION = r"""
name: tailscale_matrix
short_description: Pairwise path matrix of a fleet from every node's tailscale netcheck and status
version_added: "0.2.0"
description:
  - Takes a mapping of node name to the C(opskit_tailscale) fact gathered by M(opskit.fleet.tailscale_facts)
    and runs opskit's diagnosis over all of them together on the controller.
  - Returns the C(opskit diagnose -F json) payload (nodes with their NAT profile, pairs with the
    predicted path and why, observations, findings) plus C(matrix[a][b]), the predicted path per pair.
  - Needs opskit on the controller (it ships with this collection).
positional: _input
options:
  _input:
    description: Node name → its C(opskit_tailscale) fact.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Why is C relayed? The matrix of the real fleet
  ansible.builtin.set_fact:
    fleet_paths: "{{ dict(ansible_play_hosts | zip(ansible_play_hosts | map('extract', hostvars, 'opskit_tailscale')))
                     | opskit.fleet.tailscale_matrix }}"
  run_once: true
"""

RETURN = r"""
_value:
  description: The diagnosis (nodes, pairs, observations, findings, warnings) and C(matrix).
  type: dict
"""

from typing import Any

from ansible.errors import AnsibleFilterError


def tailscale_matrix(nodes: Any) -> dict[str, Any]:
    """Node → opskit_tailscale fact, diagnosed together."""
    if not isinstance(nodes, dict):
        raise AnsibleFilterError("tailscale_matrix expects a mapping of node name to its opskit_tailscale fact")
    try:
        from opskit.app.fleet_tailscale import diagnose_fleet
        from opskit.errors import OpskitError
        from opskit.output.diagnose import to_json
    except ImportError as exc:
        raise AnsibleFilterError(f"opskit is not importable on the controller: {exc}") from None
    try:
        diagnosis = diagnose_fleet({str(k): dict(v or {}) for k, v in nodes.items()})
    except OpskitError as exc:
        raise AnsibleFilterError(exc.describe()) from None
    payload = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    matrix: dict[str, dict[str, str]] = {}
    for pair in payload["pairs"]:
        matrix.setdefault(pair["a"], {})[pair["b"]] = pair["prediction"]
        matrix.setdefault(pair["b"], {})[pair["a"]] = pair["prediction"]
    payload["matrix"] = matrix
    return payload


class FilterModule:
    def filters(self) -> dict[str, Any]:
        return {"tailscale_matrix": tailscale_matrix}
