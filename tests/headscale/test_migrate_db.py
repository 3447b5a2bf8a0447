"""plan / apply / rollback against a real PostgreSQL with a headscale schema (fresh and legacy)."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from opskit.adapters.journal_file import read_journal
from tests.headscale.conftest import HeadscaleDb
from tests.headscale.helpers import apply_args, assert_no_password, journal_records, opskit_process, plan_args

pytestmark = pytest.mark.integration


def _cluster_of(db: HeadscaleDb, table: str, row_id: int) -> int:
    return int(db.query(f"SELECT cluster_id FROM {table} WHERE id = %s", (row_id,))[0][0])


def _plan(cli, db: HeadscaleDb, tmp_path: Path, *extra: str, code: int = 0) -> dict:
    plan = tmp_path / "plan.json"
    result = cli(plan_args(db.dsn, plan, *extra))
    assert result.exit_code == code, result.stdout + result.stderr
    return json.loads(plan.read_text())


def test_tenants_lists_live_users_per_cluster_with_counts(cli, hsdb: HeadscaleDb) -> None:
    result = cli(["headscale", "tenants", "--dsn", hsdb.dsn, "-F", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    rows = {t["name"]: t for t in doc["tenants"]}
    assert "hsd" not in rows  # soft-deleted
    assert (
        rows["hsa"]["cluster"],
        rows["hsa"]["nodes"],
        rows["hsa"]["tagged_nodes"],
        rows["hsa"]["keys"],
    ) == (3, 4, 1, 2)
    assert rows["hsb"]["provider"] == "oidc"
    only4 = json.loads(cli(["headscale", "tenants", "--cluster", "4", "--dsn", hsdb.dsn, "-F", "json"]).stdout)
    assert [t["name"] for t in only4["tenants"]] == ["hsc"]
    assert_no_password(result.stdout, result.stderr, json.dumps(doc))
    assert "***" in doc["database"]


def test_happy_path_moves_exactly_the_tenant_and_only_its_cluster_column(
    cli, hsdb: HeadscaleDb, tmp_path: Path
) -> None:
    before = hsdb.snapshot()
    plan = _plan(cli, hsdb, tmp_path, "--without-tagged")
    ids = hsdb.ids
    assert set(map(int, plan["rows"]["nodes"])) == {
        ids["n_laptop"],
        ids["n_phone"],
        ids["n_nas"],
        ids["n_oidc"],
    }
    assert set(map(int, plan["rows"]["pre_auth_keys"])) == {ids["k_hsa_reusable"], ids["k_hsa_legacy"]}
    assert plan["tagged_node_ids"] == [ids["n_tagged"]] and plan["tagged_choice"] == "exclude"
    kinds = {n["kind"] for n in plan["notes"]}
    assert {"cross_tenant_key", "foreign_node_on_tenant_key", "tagged_stay", "no_post_hook"} <= kinds

    journal = tmp_path / "move.journal"
    result = cli(apply_args(str(tmp_path / "plan.json"), hsdb.dsn, journal=str(journal)))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "moved 1 users, 4 nodes, 2 pre_auth_keys to cluster 4" in result.stdout
    after = hsdb.snapshot()
    moved = {
        ("users", ids["hsa"]),
        ("nodes", ids["n_laptop"]),
        ("nodes", ids["n_phone"]),
        ("nodes", ids["n_nas"]),
        ("nodes", ids["n_oidc"]),
        ("pre_auth_keys", ids["k_hsa_reusable"]),
        ("pre_auth_keys", ids["k_hsa_legacy"]),
    }
    for table, rows in before.items():
        for (row_id, text), (row_id2, text2) in zip(rows, after[table], strict=True):
            assert row_id == row_id2
            if (table, row_id) in moved:
                # the only difference is the trailing cluster_id: 3 → 4 (keys, IPs, timestamps untouched)
                assert text.endswith(",3)") and text2 == text[:-3] + ",4)", (table, text, text2)
            else:
                assert text == text2, (table, row_id)
    assert _cluster_of(hsdb, "nodes", ids["n_tagged"]) == 3
    written = read_journal(str(journal))
    assert written.state == "committed" and written.steps[-1].name == "db-move"
    # the before-image is PostgreSQL's COPY text, journaled unparsed: cluster field back at 3
    assert [line.split("\t")[-1] for line in written.before["nodes"]] == ["3"] * 4
    assert oct(journal.stat().st_mode & 0o777) == "0o600"


def test_dry_run_changes_nothing_and_says_so(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    _plan(cli, hsdb, tmp_path, "--with-tagged")
    before = hsdb.snapshot()
    result = cli(["headscale", "migrate", "apply", str(tmp_path / "plan.json"), "--dsn", hsdb.dsn])
    assert result.exit_code == 0
    assert "dry run" in result.stdout and "would move 1 users, 5 nodes, 2 pre_auth_keys" in result.stdout
    assert hsdb.snapshot() == before
    assert not list(tmp_path.glob("*.journal"))


def test_legacy_upgraded_schema_moves_routes_too(cli, legacy_db: HeadscaleDb, tmp_path: Path) -> None:
    plan = _plan(cli, legacy_db, tmp_path, "--with-tagged", "-F", "json")
    assert "routes" in plan["rows"] and len(plan["rows"]["routes"]) == 1
    facts = " ".join(plan["schema_facts"])
    assert "upgraded-legacy" in facts and "users_name_key" in facts and "machines_pkey" in facts
    assert "unique users_name_key: users(name) — scope whole database" in facts
    assert "fk_pre_auth_keys_user: pre_auth_keys(user_id) → users(id) ON DELETE CASCADE" in facts
    journal = tmp_path / "j"
    result = cli(apply_args(str(tmp_path / "plan.json"), legacy_db.dsn, journal=str(journal)))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert legacy_db.query("SELECT cluster_id FROM routes") == [(4,)]
    assert _cluster_of(legacy_db, "nodes", legacy_db.ids["n_tagged"]) == 4


# --- conflicts ----------------------------------------------------------------------------------


def _node_in_4(db: HeadscaleDb, **values: str) -> int:
    from tests.headscale.seed import node

    with db.connect() as conn:
        name = values.pop("name", "intruder")
        ipv4 = values.pop("ipv4", "100.64.9.99")
        ipv6 = values.pop("ipv6", "fd7a:115c:a1e0::999")
        return node(conn, name, 4, user_id=db.ids["hsc"], auth_key_id=None, ipv4=ipv4, ipv6=ipv6, extra=values)


CONFLICTS = {
    "ipv4": lambda db: _node_in_4(db, ipv4="100.64.0.2"),
    "ipv6": lambda db: _node_in_4(db, ipv6="fd7a:115c:a1e0::3"),
    "given_name": lambda db: _node_in_4(db, name="hsa-laptop-2", given_name="hsa-laptop"),
    "node_key": lambda db: _node_in_4(
        db, node_key=db.query("SELECT node_key FROM nodes WHERE id = %s", (db.ids["n_phone"],))[0][0]
    ),
    "machine_key": lambda db: _node_in_4(
        db, machine_key=db.query("SELECT machine_key FROM nodes WHERE id = %s", (db.ids["n_nas"],))[0][0]
    ),
}


@pytest.mark.parametrize("kind", sorted(CONFLICTS))
def test_each_node_collision_in_the_target_blocks_and_names_both_rows(
    cli, hsdb: HeadscaleDb, tmp_path: Path, kind: str
) -> None:
    other = CONFLICTS[kind](hsdb)
    plan = _plan(cli, hsdb, tmp_path, "--without-tagged", code=1)
    found = [c for c in plan["conflicts"] if c["kind"] == kind]
    assert len(found) == 1 and found[0]["other_id"] == other and "cluster 4" in found[0]["message"]
    before = hsdb.snapshot()
    result = cli(["headscale", "migrate", "apply", str(tmp_path / "plan.json"), "--yes", "--dsn", hsdb.dsn])
    assert result.exit_code == 1 and "blocking problem" in result.stderr
    assert hsdb.snapshot() == before


def test_user_name_conflict_follows_the_introspected_scope_and_counts_soft_deleted(
    cli, hsdb: HeadscaleDb, tmp_path: Path
) -> None:
    from tests.headscale.seed import user

    with hsdb.connect() as conn:
        twin = user(conn, "hsa", 4, deleted=True)  # allowed by the per-cluster index, still holds it
    plan = _plan(cli, hsdb, tmp_path, "--with-tagged", code=1)
    [conflict] = [c for c in plan["conflicts"] if c["kind"] == "user_name"]
    assert conflict["other_id"] == twin
    assert "soft-deleted" in conflict["message"] and "idx_name_no_provider_identifier" in conflict["message"]
    # the same name for an OIDC user is another index entry: no conflict
    hsdb.execute("UPDATE users SET provider_identifier = 'https://idp.example.com/other' WHERE id = %s", (twin,))
    plan = _plan(cli, hsdb, tmp_path, "--with-tagged")
    assert not plan["conflicts"]


def test_key_prefix_and_legacy_key_collisions_block(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    from tests.headscale.seed import key

    # a fork that scopes key prefixes per cluster allows the same prefix in cluster 4
    hsdb.execute(
        "DROP INDEX idx_pre_auth_keys_prefix; CREATE UNIQUE INDEX idx_pre_auth_keys_prefix ON "
        "pre_auth_keys (cluster_id, prefix) WHERE prefix IS NOT NULL AND prefix <> ''"
    )
    with hsdb.connect() as conn:
        same_prefix = key(conn, hsdb.ids["hsc"], 4, "a1b2c3d4e5f6")
        same_legacy = key(conn, hsdb.ids["hsc"], 4, "", legacy="0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978")
    plan = _plan(cli, hsdb, tmp_path, "--with-tagged", code=1)
    by_kind = {c["kind"]: c for c in plan["conflicts"]}
    assert by_kind["key_prefix"]["other_id"] == same_prefix
    assert by_kind["legacy_key"]["other_id"] == same_legacy
    assert "0f1e2d3c4b5a6978" not in json.dumps(plan["conflicts"])  # a plaintext key is never printed whole


def test_tagged_nodes_need_an_explicit_choice(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    plan = _plan(cli, hsdb, tmp_path, code=1)
    [conflict] = plan["conflicts"]
    assert conflict["kind"] == "tagged_nodes_undecided" and str(hsdb.ids["n_tagged"]) in conflict["message"]
    plan = _plan(cli, hsdb, tmp_path, "--with-tagged")
    assert hsdb.ids["n_tagged"] in map(int, plan["rows"]["nodes"])


# --- apply safety -------------------------------------------------------------------------------


def test_fingerprint_drift_refuses_and_changes_nothing(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    _plan(cli, hsdb, tmp_path, "--with-tagged")
    hsdb.execute("UPDATE nodes SET last_seen = now() WHERE id = %s", (hsdb.ids["n_phone"],))
    from tests.headscale.seed import node

    with hsdb.connect() as conn:
        new = node(
            conn,
            "hsa-new-tablet",
            3,
            user_id=hsdb.ids["hsa"],
            auth_key_id=None,
            ipv4="100.64.0.30",
            ipv6="fd7a:115c:a1e0::1e",
        )
    before = hsdb.snapshot()
    journal = tmp_path / "j"
    result = cli(apply_args(str(tmp_path / "plan.json"), hsdb.dsn, journal=str(journal)))
    assert result.exit_code == 1
    assert f"nodes.id={hsdb.ids['n_phone']} changed" in result.stderr and f"nodes.id={new} new" in result.stderr
    assert hsdb.snapshot() == before
    assert '"state":"aborted"' in journal.read_text()


def test_target_changed_after_planning_is_caught_at_apply(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    _plan(cli, hsdb, tmp_path, "--with-tagged")
    _node_in_4(hsdb, ipv4="100.64.0.1")  # registered on cluster 4 after the plan
    before = hsdb.snapshot()
    result = cli(["headscale", "migrate", "apply", str(tmp_path / "plan.json"), "--yes", "--dsn", hsdb.dsn])
    assert result.exit_code == 1 and "target cluster changed since the plan" in result.stderr
    [journal] = tmp_path.glob("opskit-move-hsa-3-to-4-*.journal")  # the default journal name
    assert '"state":"aborted"' in journal.read_text()
    assert hsdb.snapshot() == before


def test_row_lock_held_elsewhere_times_out_quickly_instead_of_hanging(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    _plan(cli, hsdb, tmp_path, "--with-tagged")
    with hsdb.connect() as blocker:
        blocker.execute("BEGIN")
        blocker.execute("SELECT * FROM nodes WHERE id = %s FOR UPDATE", (hsdb.ids["n_nas"],))
        started = time.monotonic()
        result = cli(
            [
                "headscale",
                "migrate",
                "apply",
                str(tmp_path / "plan.json"),
                "--yes",
                "--lock-timeout",
                "300ms",
                "--journal",
                str(tmp_path / "j"),
                "--dsn",
                hsdb.dsn,
            ]
        )
        elapsed = time.monotonic() - started
        blocker.execute("ROLLBACK")
    assert result.exit_code == 1 and "lock timeout" in result.stderr and "nothing changed" in result.stderr
    assert elapsed < 10
    assert _cluster_of(hsdb, "users", hsdb.ids["hsa"]) == 3


def test_concurrent_apply_of_the_same_tenant_fails_clearly(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    _plan(cli, hsdb, tmp_path, "--with-tagged")
    plan = str(tmp_path / "plan.json")
    first = opskit_process(
        [
            "headscale",
            "migrate",
            "apply",
            plan,
            "--yes",
            "--journal",
            str(tmp_path / "j1"),
            "--dsn",
            hsdb.dsn,
        ],
        env={"OPSKIT_TEST_PAUSE_BETWEEN_STATEMENTS": "1.5"},
    )
    try:
        assert first.stderr is not None
        assert "paused after statement 1" in first.stderr.readline()  # holds the advisory lock now
        second = cli(apply_args(plan, hsdb.dsn, journal=str(tmp_path / "j2")))
        assert second.exit_code == 1
        assert "another move of tenant 'hsa'" in second.stderr and "nothing changed" in second.stderr
        out, err = first.communicate(timeout=60)
    finally:
        first.kill()
    assert first.returncode == 0, out + err
    assert _cluster_of(hsdb, "users", hsdb.ids["hsa"]) == 4


def test_kill_9_between_statements_leaves_nothing_and_journal_says_uncommitted(
    cli, hsdb: HeadscaleDb, tmp_path: Path
) -> None:
    _plan(cli, hsdb, tmp_path, "--with-tagged")
    before = hsdb.snapshot()
    journal = tmp_path / "killed.journal"
    proc = opskit_process(
        [
            "headscale",
            "migrate",
            "apply",
            str(tmp_path / "plan.json"),
            "--yes",
            "--journal",
            str(journal),
            "--dsn",
            hsdb.dsn,
        ],
        env={"OPSKIT_TEST_PAUSE_BETWEEN_STATEMENTS": "30"},
    )
    assert proc.stderr is not None
    assert "paused after statement 1 (UPDATE users)" in proc.stderr.readline()
    # mid-transaction: users already updated inside it, nodes not yet
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    time.sleep(0.2)
    assert hsdb.snapshot() == before
    status = cli(["headscale", "migrate", "rollback", str(journal), "--dsn", hsdb.dsn])
    assert status.exit_code == 0 and "journal state uncommitted" in status.stdout
    result = cli(["headscale", "migrate", "rollback", str(journal), "--yes", "--dsn", hsdb.dsn])
    assert result.exit_code == 0 and "nothing to restore" in result.stdout
    assert hsdb.snapshot() == before


def test_rollback_restores_byte_identical_rows_and_refuses_changed_rows(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    original = hsdb.snapshot()
    _plan(cli, hsdb, tmp_path, "--with-tagged")
    journal = tmp_path / "j"
    assert cli(apply_args(str(tmp_path / "plan.json"), hsdb.dsn, journal=str(journal))).exit_code == 0
    # the target instance touched a moved node after the move: rollback must not silently undo that
    hsdb.execute("UPDATE nodes SET last_seen = '2026-11-26 21:00:00+00' WHERE id = %s", (hsdb.ids["n_laptop"],))
    refused = cli(["headscale", "migrate", "rollback", str(journal), "--yes", "--dsn", hsdb.dsn])
    assert refused.exit_code == 1
    assert f"nodes.id={hsdb.ids['n_laptop']} changed since the move" in refused.stderr
    forced = cli(["headscale", "migrate", "rollback", str(journal), "--yes", "--force", "--dsn", hsdb.dsn])
    assert forced.exit_code == 0, forced.stderr
    assert "byte-identical" in forced.stdout
    assert hsdb.snapshot() == original
    again = cli(["headscale", "migrate", "rollback", str(journal), "--yes", "--dsn", hsdb.dsn])
    assert again.exit_code == 2 and "already rolled back" in again.stderr


def test_rollback_of_a_clean_move_needs_no_force(cli, legacy_db: HeadscaleDb, tmp_path: Path) -> None:
    original = legacy_db.snapshot()
    _plan(cli, legacy_db, tmp_path, "--with-tagged")
    journal = tmp_path / "j"
    assert cli(apply_args(str(tmp_path / "plan.json"), legacy_db.dsn, journal=str(journal))).exit_code == 0
    assert legacy_db.snapshot() != original
    result = cli(["headscale", "migrate", "rollback", str(journal), "--yes", "--dsn", legacy_db.dsn])
    assert result.exit_code == 0, result.stderr
    assert legacy_db.snapshot() == original


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tenant", "nobody", "--from", "3", "--to", "4"], "unknown tenant 'nobody'"),
        (["--tenant", "hsd", "--from", "4", "--to", "3"], "unknown tenant 'hsd'"),  # soft-deleted
        (["--tenant", "hsa", "--from", "3", "--to", "3"], "source and target are both cluster 3"),
        (["--tenant", "hsa", "--from", "4", "--to", "5"], "tenant 'hsa' is in cluster(s) 3, not 4"),
        (["--tenant", "hsa", "--from", "3", "--to", "99"], "unknown target cluster 99"),
        (["--from", "3", "--to", "4"], "exactly one of --tenant"),
        (["--tenant", "hsa", "--from", "3", "--to", "4", "--cluster-column", "x;drop"], "plain column name"),
        (
            ["--tenant", "hsa", "--from", "3", "--to", "4", "--cluster-column", "instance_id"],
            "missing column(s) instance_id",
        ),
        (["--tenant", "hsa", "--from", "3", "--to", "4", "--client", "1.2.3.4"], "needs --entry-port"),
    ],
)
def test_bad_input_is_one_message_exit_2_and_nothing_written(
    cli, hsdb: HeadscaleDb, tmp_path: Path, args: list[str], message: str
) -> None:
    before = hsdb.snapshot()
    plan = tmp_path / "plan.json"
    result = cli(["headscale", "migrate", "plan", *args, "--dsn", hsdb.dsn, "-o", str(plan)])
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr.startswith("opskit: error:") and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not plan.exists()
    assert hsdb.snapshot() == before


def test_new_cluster_needs_the_explicit_flag(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    result = cli(plan_args(hsdb.dsn, plan, "--with-tagged", "--allow-new-cluster", target="99"))
    assert result.exit_code == 0, result.stderr


def test_unreachable_database_and_wrong_password_never_show_the_password(cli, pg_server, tmp_path: Path) -> None:
    from tests.headscale.seed import PASSWORD
    from tests.support.ports import free_port

    closed = f"postgresql://postgres:{PASSWORD}@127.0.0.1:{free_port()}/postgres"
    result = cli(["headscale", "tenants", "--dsn", closed])
    assert result.exit_code == 2 and "cannot connect to the database" in result.stderr
    assert_no_password(result.stdout, result.stderr)
    wrong = pg_server.dsn(password=PASSWORD + "x")
    result = cli(["headscale", "tenants", "--dsn", wrong])
    assert result.exit_code == 2 and "password authentication failed" in result.stderr
    assert_no_password(result.stdout, result.stderr)
    garbage = f"host=127.0.0.1 password={PASSWORD} port=notaport"
    result = cli(["headscale", "tenants", "--dsn", garbage])
    assert result.exit_code == 2
    assert_no_password(result.stdout, result.stderr)


def test_permission_denied_is_exit_2_and_changes_nothing(cli, hsdb: HeadscaleDb, tmp_path: Path, monkeypatch) -> None:
    from tests.headscale.seed import PASSWORD

    hsdb.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hs_reader') THEN "
        f"CREATE ROLE hs_reader LOGIN PASSWORD '{PASSWORD}'; END IF; END $$"
    )
    hsdb.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO hs_reader")
    reader = hsdb.server.dsn(hsdb.name, user="hs_reader")
    _plan(cli, hsdb, tmp_path, "--with-tagged")
    before = hsdb.snapshot()
    monkeypatch.setenv("OPSKIT_HEADSCALE_DSN", reader)  # the environment variable works like --dsn
    result = cli(
        [
            "headscale",
            "migrate",
            "apply",
            str(tmp_path / "plan.json"),
            "--yes",
            "--journal",
            str(tmp_path / "j"),
        ]
    )
    assert result.exit_code == 2 and "permission denied" in result.stderr, result.stderr
    assert hsdb.snapshot() == before
    assert_no_password(result.stdout, result.stderr, (tmp_path / "j").read_text())


def test_password_is_absent_from_plan_journal_and_json_output(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    planned = cli(plan_args(hsdb.dsn, plan, "--with-tagged", "-F", "json"))
    journal = tmp_path / "j"
    applied = cli(apply_args(str(plan), hsdb.dsn, "-F", "json", journal=str(journal)))
    rolled = cli(["headscale", "migrate", "rollback", str(journal), "--yes", "--dsn", hsdb.dsn, "-F", "json"])
    assert planned.exit_code == applied.exit_code == rolled.exit_code == 0
    assert_no_password(
        planned.stdout, planned.stderr, plan.read_text(), applied.stdout, journal.read_text(), rolled.stdout
    )
    assert "postgres:***@127.0.0.1" in plan.read_text()
    kinds = [json.loads(result.stdout)["kind"] for result in (planned, applied, rolled)]
    assert kinds == ["headscale.migrate.plan", "headscale.migrate.apply", "headscale.migrate.rollback"]


def test_a_tenant_without_tagged_nodes_has_nothing_to_choose(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    result = cli(plan_args(hsdb.dsn, plan, tenant="hsc", source="4", target="3"))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert json.loads(plan.read_text())["conflicts"] == []


def test_failing_pre_hook_stops_before_the_database(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    _plan(cli, hsdb, tmp_path, "--with-tagged", "--pre-hook", "sh -c 'echo draining cluster $0; exit 3' 3")
    before = hsdb.snapshot()
    journal = tmp_path / "j"
    result = cli(apply_args(str(tmp_path / "plan.json"), hsdb.dsn, journal=str(journal)))
    assert result.exit_code == 1 and "pre-hook failed" in result.stderr and "exit 3" in result.stderr
    assert "pre-hook| draining cluster 3" in result.stderr  # shown as it ran, not only in the journal
    assert hsdb.snapshot() == before
    [hook] = [
        json.loads(line)
        for line in journal.read_text().splitlines()
        if '"pre-hook"' in line and '"record":"step"' in line
    ]
    assert hook["returncode"] == 3 and hook["stdout"] == "draining cluster 3\n"


def test_post_hook_runs_after_the_commit_with_its_output_journaled(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    marker = tmp_path / "restarted"
    _plan(
        cli,
        hsdb,
        tmp_path,
        "--with-tagged",
        "--post-hook",
        f"sh -c 'echo restart headscale@3 headscale@4 > {marker}'",
        "--hook-timeout",
        "5",
    )
    journal = tmp_path / "j"
    result = cli(apply_args(str(tmp_path / "plan.json"), hsdb.dsn, journal=str(journal)))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert marker.read_text() == "restart headscale@3 headscale@4\n"
    records = journal_records(journal)
    order = [r["record"] if r["record"] != "step" else r["name"] for r in records if r["record"] != "before"]
    assert order == ["header", "db-move", "committed", "post-hook"]


def test_hook_timeout_is_reported(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    _plan(cli, hsdb, tmp_path, "--with-tagged", "--pre-hook", "sleep 5", "--hook-timeout", "0.3")
    result = cli(apply_args(str(tmp_path / "plan.json"), hsdb.dsn, journal=str(tmp_path / "j")))
    assert result.exit_code == 1 and "timed out after 0.3 s" in result.stderr
    assert _cluster_of(hsdb, "users", hsdb.ids["hsa"]) == 3


def test_edited_plan_or_reused_journal_is_bad_input(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    plan = _plan(cli, hsdb, tmp_path, "--with-tagged")
    before = hsdb.snapshot()
    first_node = next(iter(plan["rows"]["nodes"]))
    plan["rows"]["nodes"][first_node] = "0" * 32  # a hand edit
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(plan))
    result = cli(["headscale", "migrate", "apply", str(edited), "--yes", "--dsn", hsdb.dsn])
    assert result.exit_code == 2 and "fingerprint: does not match the rows listed" in result.stderr
    existing = tmp_path / "old.journal"
    existing.write_text("keep me\n")
    result = cli(apply_args(str(tmp_path / "plan.json"), hsdb.dsn, journal=str(existing)))
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert existing.read_text() == "keep me\n"
    assert hsdb.snapshot() == before
