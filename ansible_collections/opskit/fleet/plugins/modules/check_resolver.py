# Copyright opskit maintainers
# SPDX-License-Identifier: Apache-2.0
"""opskit.fleet.check_resolver: DNS answers and nginx re-resolution, from the target's network position."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: check_resolver
short_description: DNS answers and which nginx proxy targets follow DNS, as the target sees them
version_added: "0.2.0"
description:
  - Runs C(opskit check resolver) through opskit's Python API on the target, asking that host's own
    resolver (or O(nameserver)), so split-horizon answers are seen from where the proxy runs.
  - With O(nginx_conf) it reads the config on the target and says which proxy targets follow DNS, which
    are resolved once at start-up (stale), and what the config's resolver answers now.
  - Read-only; never reports C(changed). Fails on a failing target unless O(fail) is false.
options:
  names:
    description: Names to look up (A and AAAA, with TTL).
    type: list
    elements: str
    default: []
  nameserver:
    description: Ask this server (C(IP[:PORT])) instead of the host's resolv.conf.
    type: str
  nginx_conf:
    description: nginx config on the target whose proxy targets to cross-check.
    type: path
  timeout:
    description: Seconds per DNS query.
    type: float
    default: 3
  fail:
    description: Fail the task when a check fails.
    type: bool
    default: true
notes:
  - Supports check mode (it only reads).
requirements:
  - opskit in the target interpreter
author:
  - opskit maintainers
"""

EXAMPLES = r"""
- name: What the edges resolve for the backends, and whether nginx follows it
  opskit.fleet.check_resolver:
    names: [harbor-core.internal.example]
    nginx_conf: /etc/nginx/nginx.conf
  register: dns
"""

RETURN = r"""
ok:
  description: True when nothing failed.
  returned: always
  type: bool
names:
  description: Each answer (name, type, addresses, TTL, server asked).
  returned: always
  type: list
  elements: dict
targets:
  description: Each nginx proxy target with its behaviour (follows DNS, stale, shadowed) and verdict.
  returned: always
  type: list
  elements: dict
notes:
  description: Advice about the names themselves.
  returned: always
  type: list
  elements: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.opskit.fleet.plugins.module_utils.opskit_target import require_opskit, run_opskit


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "names": {"type": "list", "elements": "str", "default": []},
            "nameserver": {"type": "str"},
            "nginx_conf": {"type": "path"},
            "timeout": {"type": "float", "default": 3.0},
            "fail": {"type": "bool", "default": True},
        },
        required_one_of=[("names", "nginx_conf")],
        supports_check_mode=True,
    )
    require_opskit(module)
    from pathlib import Path

    from opskit.app.fleet_checks import resolver_view

    p = module.params
    result = run_opskit(
        module,
        lambda: resolver_view(
            p["names"],
            nameserver=p["nameserver"],
            nginx_conf=Path(p["nginx_conf"]) if p["nginx_conf"] else None,
            timeout=p["timeout"],
        ),
    )
    if not result["ok"] and p["fail"]:
        module.fail_json(msg=f"resolver check fails from this host (status {result.get('status')})", **result)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
