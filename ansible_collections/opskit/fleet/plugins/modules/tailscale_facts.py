# Copyright opskit maintainers
# SPDX-License-Identifier: Apache-2.0
"""opskit.fleet.tailscale_facts: gather `tailscale netcheck` and `tailscale status` from the node."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: tailscale_facts
short_description: Gather tailscale netcheck and status from each node, for a fleet-wide path matrix
version_added: "0.2.0"
description:
  - Runs C(tailscale netcheck --format=json) and C(tailscale status --json) on the node (through
    opskit's process adapter, with argv lists and timeouts) and returns them as the fact C(opskit_tailscale).
  - Run it on every node at the same time (it is quick), then diagnose them together on the controller
    with the filter P(opskit.fleet.tailscale_matrix#filter) to get the pairwise path matrix of the real fleet.
  - Read-only; never reports C(changed). Fails when the tailscale CLI is not on the node's PATH.
options:
  cli:
    description: The tailscale CLI (name on PATH or path).
    type: str
    default: tailscale
  timeout:
    description: Seconds each command may take.
    type: float
    default: 30
notes:
  - Supports check mode (it only reads).
requirements:
  - opskit in the target interpreter; the tailscale CLI on the node
author:
  - opskit maintainers
"""

EXAMPLES = r"""
- name: Netcheck and status from every node at once
  opskit.fleet.tailscale_facts:

- name: The pairwise path matrix, diagnosed on the controller
  ansible.builtin.debug:
    msg: "{{ dict(ansible_play_hosts | zip(ansible_play_hosts | map('extract', hostvars, 'opskit_tailscale')))
             | opskit.fleet.tailscale_matrix }}"
  run_once: true
"""

RETURN = r"""
ansible_facts:
  description: Facts set on the host.
  returned: always
  type: dict
  contains:
    opskit_tailscale:
      description: The CLI used, each command's raw output and parsed JSON (None when it failed), and errors.
      type: dict
      sample: {cli: /usr/bin/tailscale, netcheck: {UDP: true, MappingVariesByDestIP: false},
               netcheck_text: "...", status: {BackendState: Running}, status_text: "...", errors: {}}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.opskit.fleet.plugins.module_utils.opskit_target import require_opskit, run_opskit


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "cli": {"type": "str", "default": "tailscale"},
            "timeout": {"type": "float", "default": 30.0},
        },
        supports_check_mode=True,
    )
    require_opskit(module)
    from opskit.app.fleet_tailscale import gather_tailscale

    facts = run_opskit(module, lambda: gather_tailscale(module.params["cli"], module.params["timeout"]))
    module.exit_json(changed=False, ansible_facts={"opskit_tailscale": facts})


if __name__ == "__main__":
    main()
