# Copyright opskit maintainers
# SPDX-License-Identifier: Apache-2.0
"""opskit.fleet.lint: lint nginx/HAProxy configs where they live; findings as structured results."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: lint
short_description: Lint nginx and HAProxy configs on the target with opskit's rules
version_added: "0.2.0"
description:
  - Runs C(opskit lint) through opskit's Python API on the configs as they are on the target (includes
    resolved there), and returns every finding as data (rule, severity, file, line, cause, fix).
  - Read-only; never reports C(changed). Fails when a finding is at or above O(fail_on).
options:
  paths:
    description: Config files on the target (nginx and/or HAProxy; together also the HAProxy→nginx pairing).
    type: list
    elements: path
    required: true
  kind:
    description: Force the config kind instead of detecting it.
    type: str
    choices: [nginx, haproxy]
  select:
    description: Only these rules (ids or names).
    type: list
    elements: str
    default: []
  ignore:
    description: Skip these rules (ids or names).
    type: list
    elements: str
    default: []
  min_severity:
    description: Report findings at or above this severity.
    type: str
    choices: [info, warning, error]
    default: info
  fail_on:
    description: Fail the task when a finding is at or above this severity; V(never) only reports.
    type: str
    choices: [info, warning, error, never]
    default: error
  nginx_version:
    description: The nginx version the rules assume (for version-dependent advice).
    type: str
notes:
  - Supports check mode (it only reads).
requirements:
  - opskit in the target interpreter
author:
  - opskit maintainers
"""

EXAMPLES = r"""
- name: Lint the edge config where it lives; fail on warnings
  opskit.fleet.lint:
    paths: [/etc/haproxy/haproxy.cfg, /etc/nginx/nginx.conf]
    fail_on: warning
  register: lint

- name: Show the findings
  ansible.builtin.debug:
    msg: "{{ item.rule }} {{ item.severity }} {{ item.evidence }}"
  loop: "{{ lint.findings }}"
"""

RETURN = r"""
findings:
  description: Each finding as `opskit lint -F json` prints it (rule id, name, severity, evidence, cause, fix).
  returned: always
  type: list
  elements: dict
summary:
  description: Counts (files, rules, findings, by_severity).
  returned: always
  type: dict
notes:
  description: Things worth knowing that are not findings (an include that matched no file).
  returned: always
  type: list
  elements: str
failing:
  description: Number of findings at or above O(fail_on).
  returned: always
  type: int
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.opskit.fleet.plugins.module_utils.opskit_target import require_opskit, run_opskit

SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "paths": {"type": "list", "elements": "path", "required": True},
            "kind": {"type": "str", "choices": ["nginx", "haproxy"]},
            "select": {"type": "list", "elements": "str", "default": []},
            "ignore": {"type": "list", "elements": "str", "default": []},
            "min_severity": {"type": "str", "choices": ["info", "warning", "error"], "default": "info"},
            "fail_on": {"type": "str", "choices": ["info", "warning", "error", "never"], "default": "error"},
            "nginx_version": {"type": "str"},
        },
        supports_check_mode=True,
    )
    require_opskit(module)
    from opskit.app.fleet_lint import lint_on_target
    from opskit.output.lint import json_payload

    p = module.params
    linted = run_opskit(
        module,
        lambda: lint_on_target(
            p["paths"],
            kind=p["kind"],
            select=p["select"],
            ignore=p["ignore"],
            min_severity=p["min_severity"],
            nginx_version=p["nginx_version"],
        ),
    )
    report = json_payload(linted.result, linted.inputs, linted.notes)
    findings = report["findings"]
    threshold = SEVERITY_RANK.get(p["fail_on"], 99)
    failing = [f for f in findings if SEVERITY_RANK.get(str(f.get("severity")), 0) >= threshold]
    out = {
        "findings": findings,
        "summary": report["summary"],
        "notes": report["notes"],
        "failing": len(failing),
    }
    if failing:
        module.fail_json(
            msg=f"{len(failing)} finding(s) at or above {p['fail_on']}: "
            + ", ".join(sorted({str(f.get("rule") or f.get("id")) for f in failing})),
            changed=False,
            **out,
        )
    module.exit_json(changed=False, **out)


if __name__ == "__main__":
    main()
