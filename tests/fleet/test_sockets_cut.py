"""opskit.fleet.sockets_cut over real SSH on a lab of network-namespace hosts: check mode changes
nothing, the cut resets only the targeted peers on every host, bystanders and Ansible's own SSH session
survive, hosts where the module cannot work fail while the others succeed, a second run is idempotent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from opskit.adapters.ansible_run import run_playbook
from opskit.core.fleet import HostTaskResult, PlaybookRun
from tests.fleet.conftest import REPO
from tests.fleet.lab import SERVICE_PORT, Clients, Host, Lab

pytestmark = pytest.mark.integration

CUT_PLAYBOOK = REPO / "ansible_collections/opskit/fleet/playbooks/cut_sessions.yml"
PER_PEER = 2


@pytest.fixture
def clients(lab: Lab) -> Iterator[Clients]:
    held = lab.connect_clients(PER_PEER)
    try:
        yield held
    finally:
        held.close()


def _play(
    lab: Lab,
    hosts: list[Host],
    *,
    check: bool = False,
    peers: list[str] | None = None,
    port: int = SERVICE_PORT,
    overrides: dict[str, dict[str, str]] | None = None,
    playbook: Path = CUT_PLAYBOOK,
) -> PlaybookRun:
    inventory = lab.directory / "inventory.ini"
    inventory.write_text(lab.inventory(overrides, hosts=hosts))
    return run_playbook(
        playbook,
        inventory,
        extravars={"opskit_cut_port": port, "opskit_cut_peers": peers if peers is not None else lab.peers[:2]},
        check=check,
        ansible_config=lab.directory / "ansible.cfg",
        timeout=120,
    )


def _by_host(run: PlaybookRun, action: str = "opskit.fleet.sockets_cut") -> dict[str, HostTaskResult]:
    return {r.host: r for r in run.results if r.action == action}


def _ssh_sessions_from_controller(lab: Lab, host: Host) -> list[tuple[str, str]]:
    return [pair for pair in lab.established(host, 22) if pair[1].startswith(lab.controller + ":")]


def test_check_mode_changes_nothing_and_reports_what_would_be_cut(lab: Lab, clients: Clients) -> None:
    normal = lab.hosts[:3]
    before = {h.name: lab.peers_on(h) for h in normal}
    run = _play(lab, normal, check=True)
    results = _by_host(run)
    assert run.rc == 0, run.output_tail
    assert sorted(results) == [h.name for h in normal]
    for result in results.values():
        assert result.status == "changed"  # something would change
        assert result.result["counts"]["matched"] == PER_PEER * 2
        assert result.result["counts"]["cut"] == 0
        assert {s["peer_ip"] for s in result.result["matched"]} == set(lab.peers[:2])
    assert {h.name: lab.peers_on(h) for h in normal} == before  # nothing was cut anywhere


def test_cut_resets_only_targeted_peers_everywhere_then_is_idempotent(lab: Lab, clients: Clients) -> None:
    normal = lab.hosts[:3]
    ssh_before = {h.name: _ssh_sessions_from_controller(lab, h) for h in normal}
    run = _play(lab, normal)
    assert run.rc == 0, run.output_tail
    results = _by_host(run)
    targeted, bystanders = lab.peers[:2], lab.peers[2:]
    for host in normal:
        result = results[host.name]
        assert result.status == "changed"
        assert result.result["counts"] == {
            "matched": PER_PEER * 2,
            "cut": PER_PEER * 2,
            "still_present": 0,
            "closed": 0,
            "protected": 0,
        }
        assert lab.peers_on(host) == dict.fromkeys(bystanders, PER_PEER)  # only the targeted peers are gone
        own = result.result["own_ssh"]
        assert own[0] == host.address and own[1] == 22 and own[2] == lab.controller
        # Ansible's own SSH session (multiplexed: the same TCP connection) is still there
        assert f"{lab.controller}:{own[3]}" in {peer for _, peer in _ssh_sessions_from_controller(lab, host)}
        assert ssh_before[host.name] == [] or set(ssh_before[host.name]) <= set(
            _ssh_sessions_from_controller(lab, host)
        )
    again = _play(lab, normal)
    assert again.rc == 0, again.output_tail
    assert {name: r.status for name, r in _by_host(again).items()} == dict.fromkeys((h.name for h in normal), "ok")
    assert all(r.result["counts"]["matched"] == 0 for r in _by_host(again).values())
    assert all(lab.peers_on(h) == dict.fromkeys(bystanders, PER_PEER) for h in normal)
    assert targeted  # the filter named two of the four peers


SPARE_PLAYBOOK = """\
- hosts: all
  gather_facts: false
  tasks:
    - name: Cut every session from the controller's address on the SSH port (Ansible's own included)
      opskit.fleet.sockets_cut:
        port: 22
        peers: ["{controller}"]
      register: spared
    - name: The connection still carries the next task
      ansible.builtin.ping:
"""


def test_the_ssh_connection_ansible_uses_is_never_cut(lab: Lab, clients: Clients) -> None:
    host = lab.hosts[0]
    playbook = lab.directory / "spare.yml"
    playbook.write_text(SPARE_PLAYBOOK.format(controller=lab.controller))
    run = _play(lab, [host], playbook=playbook)
    assert run.rc == 0, run.output_tail
    [cut] = _by_host(run).values()
    assert cut.status == "ok" and cut.result["counts"]["cut"] == 0
    assert cut.result["counts"]["protected"] >= 1
    own = cut.result["own_ssh"]
    assert [own[2], own[3]] in [[s["peer_ip"], s["peer_port"]] for s in cut.result["protected"]]
    assert _by_host(run, "ansible.builtin.ping")[host.name].status == "ok"
    assert _ssh_sessions_from_controller(lab, host)


def test_hosts_where_the_module_cannot_work_fail_while_the_others_cut(lab: Lab, clients: Clients) -> None:
    normal, no_privilege, no_opskit = lab.hosts[:3], lab.hosts[3], lab.hosts[4]
    before_failing = {h.name: lab.peers_on(h) for h in (no_privilege, no_opskit)}
    run = _play(
        lab,
        lab.hosts,
        overrides={
            no_privilege.name: {"ansible_python_interpreter": str(lab.unprivileged_python())},
            no_opskit.name: {"ansible_python_interpreter": "/usr/bin/python3"},
        },
    )
    results = _by_host(run)
    assert run.rc != 0  # the play as a whole reports the failed hosts
    for host in normal:
        assert results[host.name].status == "changed"
        assert results[host.name].result["counts"]["cut"] == PER_PEER * 2
    denied = results[no_privilege.name]
    assert denied.status == "failed"
    assert "CAP_NET_ADMIN" in denied.result["msg"] and denied.result["error_kind"] == "environment"
    missing = results[no_opskit.name]
    assert missing.status == "failed"
    assert "/usr/bin/python3" in missing.result["msg"] and "opskit is not importable" in missing.result["msg"]
    assert {h.name: lab.peers_on(h) for h in (no_privilege, no_opskit)} == before_failing  # nothing cut there
