"""`migrate apply --cut-inventory`: the DB move (real PostgreSQL) and the Traefik switch (real Traefik)
here, then the tenant's sessions cut on every edge of an Ansible inventory over real SSH (the fleet lab:
network namespaces with their own sshd). One edge cannot cut (no CAP_NET_ADMIN): it is reported and
journaled with what was and was not cut, and rollback says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fleet.conftest import lab  # noqa: F401 - the module-scoped lab fixture
from tests.fleet.lab import PEER_COUNT, Lab
from tests.headscale.backends import Backend
from tests.headscale.conftest import HeadscaleDb
from tests.headscale.helpers import apply_args, journal_records, opskit_process, route_plan_args

pytestmark = pytest.mark.integration

PER_PEER = 2


def test_the_cut_runs_on_every_edge_and_each_host_is_journaled(
    cli,
    hsdb: HeadscaleDb,
    tmp_path: Path,
    traefik_factory,
    lab: Lab,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ANSIBLE_CONFIG", str(lab.directory / "ansible.cfg"))
    edges, no_privilege = lab.hosts[:3], lab.hosts[3]
    inventory = tmp_path / "edges.ini"
    inventory.write_text(
        lab.inventory(
            {no_privilege.name: {"ansible_python_interpreter": str(lab.unprivileged_python())}},
            hosts=[*edges, no_privilege],
        )
    )
    tenant_clients, bystanders = lab.peers[:2], lab.peers[2:]
    a, b = Backend("cluster3", "127.0.0.2").start(), Backend("cluster4", "127.0.0.3").start()
    clients = lab.connect_clients(PER_PEER)
    try:
        traefik = traefik_factory(a.address, b.address)
        plan = tmp_path / "plan.json"
        client_args = [arg for peer in tenant_clients for arg in ("--client", peer)]
        planned = cli(
            route_plan_args(
                hsdb.dsn,
                plan,
                str(traefik.dynamic_file),
                "--entry-port",
                "8080",
                *client_args,
                "--reconnect-wait",
                "0",
                api=traefik.api_url,
            )
        )
        assert planned.exit_code == 0, planned.stdout + planned.stderr

        # A controller that cannot run the cut is refused before the database move (exit 2, nothing done).
        blocked = tmp_path / "no-runner"
        (blocked / "ansible_runner").mkdir(parents=True)
        (blocked / "ansible_runner/__init__.py").write_text("raise ImportError('not installed here')\n")
        before = hsdb.snapshot()
        refused = opskit_process(
            apply_args(plan, hsdb.dsn, "--cut-inventory", str(inventory), journal=tmp_path / "refused.journal"),
            env={"PYTHONPATH": str(blocked)},
        )
        out, err = refused.communicate(timeout=60)
        assert refused.returncode == 2, out + err
        assert "ansible-runner is not installed" in err and "Traceback" not in err
        assert hsdb.snapshot() == before and not (tmp_path / "refused.journal").exists()

        dry = cli(["headscale", "migrate", "apply", str(plan), "--dsn", hsdb.dsn, "-F", "json",
                   "--cut-inventory", str(inventory), "--cut-limit", "h0:h1"])  # fmt: skip
        assert dry.exit_code == 0, dry.stdout + dry.stderr
        [preview] = [s for s in json.loads(dry.stdout)["steps"] if s["name"] == "cut-sessions"]
        assert preview["data"]["hosts"] == {
            name: {"state": "done", "matched": PER_PEER * len(tenant_clients), "error": None} for name in ("h0", "h1")
        }
        assert all(lab.peers_on(h) == dict.fromkeys(lab.peers, PER_PEER) for h in lab.hosts)  # nothing cut

        journal = tmp_path / "move.journal"
        applied = cli(apply_args(plan, hsdb.dsn, "-F", "json", "--cut-inventory", str(inventory), journal=journal))
        assert applied.exit_code == 1, applied.stdout + applied.stderr  # one edge could not cut
        steps = {s["name"]: s for s in json.loads(applied.stdout)["steps"]}
        assert steps["db-move"]["ok"] and steps["route-switch"]["ok"]
        cut = steps["cut-sessions"]
        assert not cut["ok"] and "h3" in cut["detail"] and "nothing cut there" in cut["detail"]
        for host in edges:
            assert cut["data"]["hosts"][host.name]["state"] == "done"
            assert cut["data"]["hosts"][host.name]["cut"] == PER_PEER * len(tenant_clients)
            assert lab.peers_on(host) == dict.fromkeys(bystanders, PER_PEER)
        assert cut["data"]["hosts"][no_privilege.name]["state"] == "failed"
        assert "CAP_NET_ADMIN" in cut["data"]["hosts"][no_privilege.name]["error"]
        assert lab.peers_on(no_privilege) == dict.fromkeys(lab.peers, PER_PEER)  # untouched there
        assert len(lab.peers) == PEER_COUNT

        records = journal_records(journal)
        per_host = {r["host"]: r for r in records if r.get("name") == "fleet-cut"}
        assert sorted(per_host) == ["h0", "h1", "h2", "h3"]
        assert per_host["h0"]["state"] == "done" and per_host["h0"]["peers_cut"] == sorted(tenant_clients)
        assert per_host["h3"]["state"] == "failed" and per_host["h3"]["cut"] == 0
        [summary] = [r for r in records if r.get("name") == "cut-sessions"]
        assert summary["state"] == "incomplete" and summary["cut"] == 3 * PER_PEER * len(tenant_clients)

        rollback = cli(["headscale", "migrate", "rollback", str(journal), "--dsn", hsdb.dsn, "-F", "json"])
        assert rollback.exit_code == 0, rollback.stdout + rollback.stderr
        [note] = [s for s in json.loads(rollback.stdout)["steps"] if s["name"] == "cut-sessions"]
        assert "not reversible" in note["detail"] and "never cut on h3" in note["detail"]
        assert note["data"]["hosts"]["h3"] == {"state": "failed", "cut": 0}
    finally:
        clients.close()
        a.stop()
        b.stop()
