# Copyright opskit maintainers
# SPDX-License-Identifier: Apache-2.0
"""opskit.fleet.check_harbor: check Harbor entry points from the target's network position."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: check_harbor
short_description: Check Harbor entry points the way docker login uses them, from the target
version_added: "0.2.0"
description:
  - Runs C(opskit check harbor) through opskit's Python API on the target, so the token realm Harbor
    advertises is fetched from where that host sits (inside vs outside the network is the point).
  - Read-only; never reports C(changed). Fails when an entry point fails, unless O(fail) is false.
options:
  urls:
    description: Entry-point base URLs (no path), for example V(https://harbor.example.com:5088).
    type: list
    elements: str
    required: true
  user:
    description: Harbor user, to fetch a real token.
    type: str
  password:
    description: Password of O(user). Never logged.
    type: str
  insecure:
    description: Do not fail on an untrusted certificate.
    type: bool
    default: false
  ca:
    description: CA bundle (PEM) on the target to trust for https entries.
    type: path
  harbor_version:
    description: Harbor release (for example V(2.13.1)), to explain the realm rule that applies.
    type: str
  connect_to:
    description: C(HOST:PORT:ADDR:PORT) overrides, like curl's C(--connect-to).
    type: list
    elements: str
    default: []
  timeout:
    description: Seconds per request.
    type: float
    default: 10
  fail:
    description: Fail the task when an entry point fails.
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
- name: Check every Harbor entry point from each build node
  opskit.fleet.check_harbor:
    urls: [https://harbor.example.com, https://harbor.example.com:5088]
    user: robot$ci
    password: "{{ vault_harbor_robot_password }}"
  register: harbor
"""

RETURN = r"""
ok:
  description: True when every entry point passed.
  returned: always
  type: bool
entries:
  description: Per entry point, its status, the realm it advertised and every check (as `opskit check harbor -F json`).
  returned: always
  type: list
  elements: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.opskit.fleet.plugins.module_utils.opskit_target import require_opskit, run_opskit


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "urls": {"type": "list", "elements": "str", "required": True},
            "user": {"type": "str"},
            "password": {"type": "str", "no_log": True},
            "insecure": {"type": "bool", "default": False},
            "ca": {"type": "path"},
            "harbor_version": {"type": "str"},
            "connect_to": {"type": "list", "elements": "str", "default": []},
            "timeout": {"type": "float", "default": 10.0},
            "fail": {"type": "bool", "default": True},
        },
        required_together=[("user", "password")],
        supports_check_mode=True,
    )
    require_opskit(module)
    from opskit.app.fleet_checks import harbor_entries

    p = module.params
    credentials = (p["user"], p["password"]) if p["user"] else None
    result = run_opskit(
        module,
        lambda: harbor_entries(
            p["urls"],
            credentials=credentials,
            insecure=p["insecure"],
            ca_file=p["ca"],
            harbor_version=p["harbor_version"],
            connect_to=p["connect_to"],
            timeout=p["timeout"],
        ),
    )
    if not result["ok"] and p["fail"]:
        failing = [e["url"] for e in result["entries"] if e["status"] == "fail"]
        module.fail_json(msg="Harbor entry point(s) fail from this host: " + ", ".join(failing), **result)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
