"""Pure parts of the fleet work: Ansible's SSH session from $SSH_CONNECTION, each host's cut outcome
read from the playbook's task results, the fleet-cut journal record read back, all-or-nothing writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from opskit.adapters.staged_write import write_with_backups
from opskit.app.fleet_sockets import own_ssh_session, parse_ssh_connection
from opskit.core.fleet import HostTaskResult, PlaybookRun, host_cuts
from opskit.core.headscale.journal import Header, HostCutRan, JournalTenant, record_text
from opskit.core.headscale.journal_parse import parse_journal
from opskit.errors import EnvironmentProblem, InputError


def test_ssh_connection_is_read_from_the_servers_side() -> None:
    assert parse_ssh_connection("10.0.0.1 51234 10.0.0.10 22") == ("10.0.0.10", 22, "10.0.0.1", 51234)
    assert parse_ssh_connection("::ffff:10.0.0.1 51234 ::ffff:10.0.0.10 2222") == ("10.0.0.10", 2222, "10.0.0.1", 51234)
    assert parse_ssh_connection("fe80::1 1 fe80::2 22") == ("fe80::2", 22, "fe80::1", 1)
    for garbled in (
        None,
        "",
        "10.0.0.1 51234 10.0.0.10",
        "a b c d",
        "10.0.0.1 0 10.0.0.10 22",
        "1.1.1.1 1 2.2.2.2 70000",
    ):
        assert parse_ssh_connection(garbled) is None
    assert own_ssh_session({"SSH_CONNECTION": "192.0.2.1 40000 192.0.2.9 22"}) == ("192.0.2.9", 22, "192.0.2.1", 40000)
    assert own_ssh_session({}) is None  # an explicit environment is not widened to the parents'


def _session(peer: str) -> dict[str, object]:
    return {"local_ip": "10.0.0.10", "local_port": 443, "peer_ip": peer, "peer_port": 5, "state": "established"}


def test_host_cuts_reads_each_hosts_outcome_from_the_task_results() -> None:
    cut = "opskit.fleet.sockets_cut"
    run = PlaybookRun(
        "failed",
        2,
        (
            HostTaskResult(
                "e1", "cut", cut, "changed", {"matched": [_session("1.1.1.1")], "cut": [_session("1.1.1.1")]}
            ),
            HostTaskResult("e2", "cut", cut, "ok", {"matched": [], "cut": []}),
            HostTaskResult(
                "e3",
                "cut",
                cut,
                "failed",
                {
                    "matched": [_session("1.1.1.1"), _session("2.2.2.2")],
                    "cut": [_session("1.1.1.1")],
                    "still_present": [_session("2.2.2.2")],
                    "msg": "1 of 2 still present",
                },  # fmt: skip
            ),
            HostTaskResult("e4", "cut", cut, "failed", {"msg": "needs CAP_NET_ADMIN"}),
            HostTaskResult("e5", "Gathering", "", "unreachable", {"msg": "ssh: connect refused"}),
            HostTaskResult("e1", "debug", "ansible.builtin.debug", "ok", {}),
        ),
    )
    outcome = {c.host: c for c in host_cuts(run, ("e1", "e6"))}
    assert outcome["e1"].state == "done" and outcome["e1"].cut == 1 and outcome["e1"].peers_cut == ("1.1.1.1",)
    assert outcome["e2"].state == "done" and outcome["e2"].matched == 0
    assert outcome["e3"].state == "incomplete" and outcome["e3"].peers_still_present == ("2.2.2.2",)
    assert outcome["e4"].state == "failed" and outcome["e4"].error == "needs CAP_NET_ADMIN"
    assert outcome["e5"].state == "unreachable" and "refused" in str(outcome["e5"].error)
    assert outcome["e6"].state == "not-run"
    assert [c.ok for c in host_cuts(run)] == [True, True, False, False, False]


def _header() -> Header:
    return Header("2026-12-06T00:00:00Z", "postgresql://h/db", "fp", "cluster_id", JournalTenant(1, "t"), 3, 4, {}, {})


def test_fleet_cut_records_round_trip_and_last_per_host_wins() -> None:
    records = [
        HostCutRan("e2", "failed", "2026-12-06T00:00:01Z", error="needs CAP_NET_ADMIN"),
        HostCutRan("e1", "done", "2026-12-06T00:00:01Z", 2, 2, 0, 1, ("1.1.1.1",), (), None),
        HostCutRan("e2", "done", "2026-12-06T00:00:02Z", 1, 1),
    ]
    text = record_text(_header()) + "".join(record_text(r) for r in records)
    journal = parse_journal(text, "j")
    assert journal.steps == records
    assert [c.host for c in journal.fleet_cuts()] == ["e1", "e2"]
    assert journal.fleet_cuts()[1].state == "done"
    bad = record_text(_header()) + '{"record":"step","name":"fleet-cut","host":"e1","state":"gone","at":"x"}\n'
    with pytest.raises(InputError) as error:
        parse_journal(bad, "j")
    assert "j:2: state" in str(error.value)


def test_backups_are_kept_only_when_the_all_or_nothing_write_succeeds(tmp_path: Path) -> None:
    (tmp_path / "a.cfg").write_text("old a")
    written = write_with_backups(tmp_path, {"a.cfg": "new a", "sub/b.cfg": "new b"}, backup_suffix=".bak")
    assert written.written == ("a.cfg", "sub/b.cfg") and written.backups == {"a.cfg": str(tmp_path / "a.cfg.bak")}
    assert (tmp_path / "a.cfg").read_text() == "new a" and (tmp_path / "a.cfg.bak").read_text() == "old a"
    (tmp_path / "z.cfg").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(EnvironmentProblem):
        write_with_backups(tmp_path, {"a.cfg": "newer a", "z.cfg": "z"}, backup_suffix=".bak2")
    assert (tmp_path / "a.cfg").read_text() == "new a"  # nothing replaced
    assert not (tmp_path / "a.cfg.bak2").exists()  # and the backup made for it removed again
    assert not (tmp_path / "elsewhere").exists()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".opskit-tmp")]


def test_migrate_apply_refuses_bad_cut_inventory_options(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "plan.json"
    base = ["headscale", "migrate", "apply", str(plan), "--dsn", "postgresql://nowhere.invalid/x"]
    limited = cli([*base, "--cut-limit", "edge-1"])
    assert limited.exit_code == 2 and "--cut-limit" in limited.stderr and "--cut-inventory" in limited.stderr
    missing = cli([*base, "--cut-inventory", str(tmp_path / "absent.ini")])
    assert missing.exit_code == 2 and "no such inventory file" in missing.stderr
    (tmp_path / "edges.ini").write_text("[edges]\nedge-1\n")
    multiline = cli([*base, "--cut-inventory", str(tmp_path / "edges.ini"), "--cut-limit", "a\nb"])
    assert multiline.exit_code == 2 and "one line" in multiline.stderr
    assert "Traceback" not in limited.stderr + missing.stderr + multiline.stderr


def test_under_become_the_ssh_session_is_found_in_a_parent_process() -> None:
    """sudo drops SSH_CONNECTION; the shell sshd started (a parent of the module) still has it."""
    import subprocess
    import sys

    module = "from opskit.app.fleet_sockets import own_ssh_session; print(own_ssh_session())"
    become = (
        f"import subprocess, sys; subprocess.run(['env', '-u', 'SSH_CONNECTION', sys.executable, '-c', {module!r}])"
    )
    done = subprocess.run(
        [sys.executable, "-c", become],
        env={**os.environ, "SSH_CONNECTION": "192.0.2.1 40000 192.0.2.9 22"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "('192.0.2.9', 22, '192.0.2.1', 40000)", done.stderr
