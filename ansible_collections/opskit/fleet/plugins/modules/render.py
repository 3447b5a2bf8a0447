# Copyright opskit maintainers
# SPDX-License-Identifier: Apache-2.0
"""opskit.fleet.render: render an opskit spec on the target, validate it there, write all or nothing."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: render
short_description: Render an opskit spec on the target, validated with the target's own nginx/haproxy
version_added: "0.2.0"
description:
  - Renders every config an opskit spec implies (HAProxy edge, nginx, Harbor, Kubernetes gateway) in
    memory on the target, validates them with the target's own C(nginx -t) / C(haproxy -c -dW) in a
    temporary prefix, diffs them with O(dest), and replaces only the files that differ.
  - Writes are all or nothing; when a validation fails the task fails and nothing is written.
  - Check mode renders, validates and reports what would change; with C(--diff) it shows the diff, like
    M(ansible.builtin.template).
  - Meant to C(notify) a reload handler; C(changed) is true only when a file was (or would be) written.
options:
  spec:
    description: Path of the spec file on the target. One of O(spec) or O(spec_content) is required.
    type: path
  spec_content:
    description:
      - The spec itself (a mapping from your variables, or YAML text). Specs hold no credentials (opskit
        refuses secret keys in them; passwords come from environment variables where the service starts).
    type: raw
  spec_name:
    description: Name used in the generated files' header and in error messages for O(spec_content).
    type: str
    default: spec.yaml
  dest:
    description: Directory the files are written to.
    type: path
    required: true
  only:
    description: Render only these families (for example V(edge)).
    type: list
    elements: str
    default: []
  validate:
    description: Check the output with the real binaries before writing.
    type: bool
    default: true
  backup:
    description: Keep a timestamped copy of each replaced file beside it.
    type: bool
    default: false
notes:
  - Supports check mode and diff mode.
requirements:
  - opskit in the target interpreter; nginx and/or haproxy on the target for validation
author:
  - opskit maintainers
"""

EXAMPLES = r"""
- name: Render the edge config from inventory variables and reload HAProxy when it changed
  opskit.fleet.render:
    spec_content: "{{ edge_spec }}"
    spec_name: "{{ inventory_hostname }}.yaml"
    dest: /etc/haproxy/opskit
    only: [edge]
    backup: true
  notify: Reload haproxy

- name: Render from a spec file already on the host, check only
  opskit.fleet.render:
    spec: /etc/opskit/site.yaml
    dest: /etc/opskit/rendered
  check_mode: true
  diff: true
"""

RETURN = r"""
files:
  description: Every rendered file with its status against O(dest) (unchanged, changed, missing).
  returned: always
  type: list
  elements: dict
  sample: [{path: haproxy.cfg, status: changed}]
changed_files:
  description: Files that were (in check mode, would be) written.
  returned: always
  type: list
  elements: str
written:
  description: Files actually written (empty in check mode or when validation failed).
  returned: always
  type: list
  elements: str
backups:
  description: Replaced file → its backup copy.
  returned: always
  type: dict
validations:
  description: Each validation run (tool, entry, ok, command, output).
  returned: always
  type: list
  elements: dict
dest:
  description: The directory written to.
  returned: always
  type: str
"""

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.opskit.fleet.plugins.module_utils.opskit_target import require_opskit, run_opskit


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "spec": {"type": "path"},
            # not no_log: Ansible would then mask every string of the spec (ports, "30s") in all output,
            # diffs included; specs hold no credentials (opskit refuses secret keys in them).
            "spec_content": {"type": "raw"},
            "spec_name": {"type": "str", "default": "spec.yaml"},
            "dest": {"type": "path", "required": True},
            "only": {"type": "list", "elements": "str", "default": []},
            "validate": {"type": "bool", "default": True},
            "backup": {"type": "bool", "default": False},
        },
        required_one_of=[("spec", "spec_content")],
        mutually_exclusive=[("spec", "spec_content")],
        supports_check_mode=True,
    )
    require_opskit(module)
    from pathlib import Path

    from opskit.app.fleet_render import read_spec, render_on_target

    p = module.params
    if p["spec"]:
        spec_path = Path(p["spec"])
        spec_text = run_opskit(module, lambda: read_spec(spec_path))
        spec_name = str(spec_path)
    else:
        content = p["spec_content"]
        if isinstance(content, str):
            spec_text = content
        else:
            import yaml

            spec_text = yaml.safe_dump(content, sort_keys=False)
        spec_name = p["spec_name"]
    suffix = time.strftime(".%Y-%m-%d@%H:%M:%S~") if p["backup"] else None
    result = run_opskit(
        module,
        lambda: render_on_target(
            spec_text,
            spec_name,
            Path(p["dest"]),
            only=p["only"],
            validate=p["validate"],
            write=not module.check_mode,
            backup_suffix=suffix,
        ),
    )
    out = {
        "dest": result.dest,
        "files": [{"path": d.path, "status": d.status} for d in result.drift],
        "changed_files": list(result.changed_paths),
        "written": list(result.written),
        "backups": dict(result.backups),
        "validations": list(result.validations),
    }
    if module._diff and result.changed_paths:
        out["diff"] = [
            {
                "before_header": f"{result.dest}/{path}" if result.before.get(path) is not None else "(absent)",
                "after_header": f"{result.dest}/{path}",
                "before": result.before.get(path) or "",
                "after": result.after[path],
            }
            for path in result.changed_paths
        ]
    if not result.valid:
        failed = [v for v in result.validations if not v["ok"]]
        module.fail_json(
            msg="validation failed on this host ("
            + "; ".join(f"{v['tool']} on {v['entry']}: {str(v['output']).strip()[-300:]}" for v in failed)
            + "); nothing written",
            changed=False,
            **out,
        )
    module.exit_json(changed=bool(result.changed_paths), **out)


if __name__ == "__main__":
    main()
