# Copyright opskit maintainers
# SPDX-License-Identifier: Apache-2.0
"""opskit.fleet.sockets_cut: cut TCP sessions on the target from its own side, and prove it."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: sockets_cut
short_description: Cut TCP sessions on the target from the server's side and verify they are gone
version_added: "0.2.0"
description:
  - Runs C(opskit sockets kill) through opskit's Python API on the target, with the same filters.
  - The cut uses the kernel's SOCK_DESTROY (as C(ss -K)), then lists again to prove what happened, so a
    silent failure (C(ss -K) exits 0 even when refused) fails the task instead of passing.
  - Check mode is the dry run; it lists what would be cut. C(changed) is true only when a session was cut
    (or, in check mode, would be).
  - Never cuts the SSH connection Ansible is using; that client address's sessions are returned as
    C(protected) instead.
  - Needs opskit installed in the target's Python (C(ansible_python_interpreter)) and root or
    CAP_NET_ADMIN there (use C(become)).
options:
  port:
    description: Port on the target (a server's listen port); the server side is cut.
    type: int
  local:
    description: IP address on the target.
    type: str
  peers:
    description: IPs or CIDRs of the other side (the clients).
    type: list
    elements: str
    default: []
  peers_file:
    description: File on the target with one IP or CIDR per line.
    type: path
  process:
    description: Owning process name.
    type: str
  pid:
    description: Owning process id.
    type: int
  states:
    description: TCP states to match.
    type: list
    elements: str
    default: [established]
  all_matching:
    description: Allow a filter with neither O(port) nor O(peers).
    type: bool
    default: false
  settle_seconds:
    description: Longest wait for stragglers before a session still listed counts as still present.
    type: float
    default: 0.2
notes:
  - Supports check mode.
requirements:
  - opskit in the target interpreter
author:
  - opskit maintainers
"""

EXAMPLES = r"""
- name: Cut a tenant's client sessions on the edge entrypoint
  opskit.fleet.sockets_cut:
    port: 443
    peers: [203.0.113.0/28, 198.51.100.7]
  become: true

- name: Preview only (what would be cut)
  opskit.fleet.sockets_cut:
    port: 443
    peers: [203.0.113.0/28]
  check_mode: true
  register: preview
"""

RETURN = r"""
matched:
  description: Sessions that matched the filter (would be cut in check mode).
  returned: always
  type: list
  elements: dict
  sample: [{local_ip: 10.0.0.1, local_port: 443, peer_ip: 203.0.113.5, peer_port: 51234,
            state: established, pid: 812, process: haproxy}]
cut:
  description: Sessions cut and verified gone.
  returned: always
  type: list
  elements: dict
still_present:
  description: Sessions the kernel was asked to cut that are still there (the task then fails).
  returned: always
  type: list
  elements: dict
closed:
  description: Sessions that matched and closed on their own before the cut reached them.
  returned: always
  type: list
  elements: dict
protected:
  description: Matching sessions spared because they come from the address of Ansible's own SSH connection.
  returned: always
  type: list
  elements: dict
own_ssh:
  description: Ansible's SSH connection as the target sees it (local ip, local port, peer ip, peer port).
  returned: when known
  type: list
counts:
  description: Number of sessions in each list above.
  returned: always
  type: dict
  sample: {matched: 3, cut: 3, still_present: 0, closed: 0, protected: 0}
commands:
  description: The argv of every ss call made (empty when the netlink path was used).
  returned: always
  type: list
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.opskit.fleet.plugins.module_utils.opskit_target import (
    require_opskit,
    run_opskit,
    session_dict,
)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "port": {"type": "int"},
            "local": {"type": "str"},
            "peers": {"type": "list", "elements": "str", "default": []},
            "peers_file": {"type": "path"},
            "process": {"type": "str"},
            "pid": {"type": "int"},
            "states": {"type": "list", "elements": "str", "default": ["established"]},
            "all_matching": {"type": "bool", "default": False},
            "settle_seconds": {"type": "float", "default": 0.2},
        },
        mutually_exclusive=[("process", "pid")],
        supports_check_mode=True,
    )
    require_opskit(module)
    from pathlib import Path

    from opskit.app.fleet_sockets import cut_on_target, own_ssh_session
    from opskit.app.sockets_cut import read_peers_file
    from opskit.core.sockets.model import SessionFilter

    p = module.params
    peers = tuple(p["peers"])
    if p["peers_file"]:
        peers += run_opskit(module, lambda: read_peers_file(Path(p["peers_file"])))
    flt = SessionFilter(
        local_port=p["port"],
        local_address=p["local"],
        peers=peers,
        process=p["process"],
        pid=p["pid"],
        states=tuple(p["states"]),
        all_matching=p["all_matching"],
    )
    own = own_ssh_session()
    result = run_opskit(
        module,
        lambda: cut_on_target(flt, yes=not module.check_mode, ssh_connection=own, settle_seconds=p["settle_seconds"]),
    )
    report = result.report
    lists = {
        "matched": report.matched,
        "cut": report.cut,
        "still_present": report.still_present,
        "closed": report.closed_on_own,
        "protected": result.protected,
    }
    out = {name: [session_dict(s) for s in sessions] for name, sessions in lists.items()}
    out["counts"] = {name: len(sessions) for name, sessions in lists.items()}
    out["commands"] = [list(c) for c in report.commands]
    if own is not None:
        out["own_ssh"] = list(own)
    changed = bool(report.matched) if module.check_mode else bool(report.cut)
    if report.problem or report.still_present:
        module.fail_json(
            msg=report.problem
            or f"{len(report.still_present)} of {len(report.matched)} session(s) are still present after the cut",
            changed=bool(report.cut),
            **out,
        )
    module.exit_json(changed=changed, **out)


if __name__ == "__main__":
    main()
