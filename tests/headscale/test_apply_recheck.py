"""apply's re-check: the set-based SQL clash check agrees with the pure rule, runs in the move's snapshot
on a second connection, and falls back to the mover's own connection when no second one is allowed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from opskit.adapters.journal_file import read_journal
from opskit.adapters.pg import catalog, connection, copy_stream, move, recheck, tenant_reads
from opskit.core.headscale.journal import JournalSink, JournalUnwritable
from opskit.core.headscale.schema import NODES, TenantSchema, tenant_schema
from opskit.core.headscale.snapshot import node_clashes
from tests.headscale.conftest import HeadscaleDb
from tests.headscale.helpers import apply_args, plan_args

pytestmark = pytest.mark.integration


def _plan(cli, db: HeadscaleDb, tmp_path: Path, *extra: str, code: int = 0) -> dict:
    plan = tmp_path / "plan.json"
    result = cli(plan_args(db.dsn, plan, *extra))
    assert result.exit_code == code, result.stdout + result.stderr
    return json.loads(plan.read_text())


def _node(db: HeadscaleDb, name: str, cluster: int, **values: object) -> int:
    from tests.headscale.seed import node

    with db.connect() as conn:
        ipv4 = str(values.pop("ipv4", f"100.64.77.{len(name)}"))
        ipv6 = str(values.pop("ipv6", f"fd7a:115c:a1e0::77{len(name)}"))
        return node(conn, name, cluster, user_id=db.ids["hsc"], auth_key_id=None, ipv4=ipv4, ipv6=ipv6, extra=values)


def _move_hsa(
    db: connection.Database,
    schema: TenantSchema,
    rows: dict,
    ids: dict,
    *,
    recheck: Callable[[connection.Database, list], list[str]],
    journal: JournalSink,
) -> None:
    """Move tenant hsa (tagged nodes included) from cluster 3 to 4 with the given re-check and journal."""
    move.apply_move(
        db,
        schema,
        rows=rows,
        tenant_id=ids["hsa"],
        tenant_name="hsa",
        source=3,
        target=4,
        include_tagged=True,
        recheck=recheck,
        journal=journal,
        now=lambda: "now",
        lock_timeout_ms=5000,
        statement_timeout_ms=60000,
    )


def test_sql_clash_check_matches_the_pure_rule_on_every_kind(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    ids = hsdb.ids
    plan = _plan(cli, hsdb, tmp_path, "--with-tagged")
    moving = [int(i) for i in plan["rows"]["nodes"]]
    laptop = hsdb.query("SELECT ipv4, node_key, machine_key FROM nodes WHERE id = %s", (ids["n_laptop"],))[0]
    # Registered in cluster 4 after the plan: clashes of every kind, a soft-deleted holder, two holders of
    # one value, and values that must never clash (NULL, '').
    hsdb.execute("UPDATE nodes SET ipv6 = '' WHERE id = %s", (ids["n_phone"],))
    deleted = _node(hsdb, "gone-box", 4, ipv4=laptop[0], deleted_at="2026-11-01 00:00:00+00")
    twin_a = _node(hsdb, "twin-a", 4, node_key=laptop[1])
    twin_b = _node(hsdb, "twin-b", 4, node_key=laptop[1], machine_key=laptop[2])
    blank = _node(hsdb, "blank", 4, ipv6="", given_name=None)
    named = _node(hsdb, "named", 4, given_name="hsa-phone")

    db = connection.Database(hsdb.dsn)
    try:
        schema = tenant_schema(catalog.read_catalog(db), "cluster_id")
        with db.conn.transaction(force_rollback=True):
            recheck.recheck_planner(db)
            found = recheck.node_precheck(
                db, schema, moving, tenant_id=ids["hsa"], source=3, target=4, include_tagged=True
            )
            expected = node_clashes(
                tenant_reads.node_identities(db, schema, moving),
                [n for n in tenant_reads.target_nodes(db, schema, 4)],
            )
    finally:
        db.close()
    assert found.new_ids == []
    assert found.clashes == expected
    pairs = {(c.kind, c.row_id, c.other_id, c.other_deleted) for c in found.clashes}
    assert pairs == {
        ("ipv4", ids["n_laptop"], deleted, True),
        ("node_key", ids["n_laptop"], twin_a, False),
        ("node_key", ids["n_laptop"], twin_b, False),
        ("machine_key", ids["n_laptop"], twin_b, False),
        ("given_name", ids["n_phone"], named, False),
    }
    assert blank not in {c.other_id for c in found.clashes}  # '' and NULL never clash


def test_apply_reports_every_new_clash_and_new_node_and_changes_nothing(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    _plan(cli, hsdb, tmp_path, "--with-tagged")
    intruder = _node(hsdb, "intruder", 4, ipv4="100.64.0.1")
    before = hsdb.snapshot()
    result = cli(apply_args(str(tmp_path / "plan.json"), hsdb.dsn, journal=str(tmp_path / "j")))
    assert result.exit_code == 1
    assert f"already used by nodes.id={intruder} in cluster 4" in result.stderr
    assert hsdb.snapshot() == before
    journal = read_journal(str(tmp_path / "j"))
    assert journal.state == "uncommitted" and journal.steps[-1].state == "aborted"


def test_apply_works_on_one_connection_when_no_second_one_is_allowed(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    from tests.headscale.seed import PASSWORD

    # A role limited to one connection: the re-check connection is refused, apply runs the re-checks on
    # its own connection first (same snapshot, before the UPDATEs) and still catches what changed.
    hsdb.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hs_single') THEN "
        f"CREATE ROLE hs_single LOGIN PASSWORD '{PASSWORD}' CONNECTION LIMIT 1; END IF; END $$"
    )
    hsdb.execute("GRANT SELECT, UPDATE ON ALL TABLES IN SCHEMA public TO hs_single")
    single = hsdb.server.dsn(hsdb.name, user="hs_single")
    _plan(cli, hsdb, tmp_path, "--with-tagged")
    _node(hsdb, "intruder", 4, ipv4="100.64.0.1")
    before = hsdb.snapshot()
    refused = cli(apply_args(str(tmp_path / "plan.json"), single, journal=str(tmp_path / "j1")))
    assert refused.exit_code == 1 and "target cluster changed since the plan" in refused.stderr
    assert hsdb.snapshot() == before

    hsdb.execute("DELETE FROM nodes WHERE hostname = 'intruder'")
    moved = cli(apply_args(str(tmp_path / "plan.json"), single, journal=str(tmp_path / "j2")))
    assert moved.exit_code == 0, moved.stdout + moved.stderr
    assert hsdb.query("SELECT count(*) FROM nodes WHERE user_id = %s AND cluster_id = 4", (hsdb.ids["hsa"],))[0][0] == 4
    assert read_journal(str(tmp_path / "j2")).state == "committed"


def test_concurrent_change_after_the_snapshot_is_a_serialization_failure(
    cli, hsdb: HeadscaleDb, tmp_path: Path
) -> None:
    from opskit.errors import ApplyError

    # The re-check reads the move's exported snapshot; a node changed after that snapshot makes the
    # move's own UPDATE fail instead of being moved unchecked.
    ids = hsdb.ids
    plan = _plan(cli, hsdb, tmp_path, "--with-tagged")
    rows = {t: {int(k): v for k, v in r.items()} for t, r in plan["rows"].items()}
    db = connection.Database(hsdb.dsn)
    try:
        schema = tenant_schema(catalog.read_catalog(db), "cluster_id")

        class Sink(JournalSink):
            def __init__(self) -> None:
                self.data = b""

            def append(self, text: str) -> None:
                self.append_bytes(text.encode())

            def append_bytes(self, data: bytes) -> None:
                self.data += data

            def position(self) -> int:
                return len(self.data)

            def read_back(self, start: int, size: int) -> list[bytes]:
                return self.data[start : start + size].split(b"\n")[:-1]

            def sync(self) -> None:
                pass

        def change_then_check(on: connection.Database, clashes: list) -> list[str]:
            hsdb.execute("UPDATE nodes SET last_seen = now() WHERE id = %s", (ids["n_nas"],))
            return []

        with pytest.raises(ApplyError, match="a concurrent change touched this tenant's rows"):
            _move_hsa(db, schema, rows, ids, recheck=change_then_check, journal=Sink())
    finally:
        db.close()
    assert hsdb.query("SELECT cluster_id FROM users WHERE id = %s", (ids["hsa"],)) == [(3,)]
    assert NODES in rows


def test_a_journal_that_cannot_be_written_rolls_the_move_back(cli, hsdb: HeadscaleDb, tmp_path: Path) -> None:
    from opskit.adapters.journal_file import FileJournal

    full = FileJournal(Path("/dev/full"), create=False)  # every write fails with ENOSPC, as on a full disk
    with pytest.raises(JournalUnwritable, match="No space left on device"):
        full.append("x")

    # the disk fills up while the nodes' before-image is being journaled
    ids = hsdb.ids
    plan = _plan(cli, hsdb, tmp_path, "--with-tagged")
    rows = {t: {int(k): v for k, v in r.items()} for t, r in plan["rows"].items()}
    healthy = FileJournal(tmp_path / "j", create=True)

    class FillsUp(JournalSink):
        def __init__(self) -> None:
            self.target = healthy

        def append(self, text: str) -> None:
            if '"table":"nodes"' in text:
                self.target = full
            self.append_bytes(text.encode())

        def append_bytes(self, data: bytes) -> None:
            self.target.append_bytes(data)

        def position(self) -> int:
            return self.target.position()

        def read_back(self, start: int, size: int) -> list[bytes]:
            return self.target.read_back(start, size)

        def sync(self) -> None:
            self.target.sync()

    before = hsdb.snapshot()
    db = connection.Database(hsdb.dsn)
    try:
        schema = tenant_schema(catalog.read_catalog(db), "cluster_id")
        with pytest.raises(JournalUnwritable, match="the move was rolled back, nothing changed"):
            _move_hsa(db, schema, rows, ids, recheck=lambda on, clashes: [], journal=FillsUp())
        assert db.rows("SELECT 1") == [(1,)]  # the connection is usable: the transaction rolled back
    finally:
        db.close()
        healthy.close()
        full.close()
    assert hsdb.snapshot() == before


def test_a_row_handler_failing_mid_copy_leaves_the_connection_usable(hsdb: HeadscaleDb) -> None:
    from psycopg import sql

    seen: list[bytes] = []

    def fails_on_second(row: bytes) -> None:
        seen.append(row)
        if len(seen) == 2:
            raise OSError("disk gone")

    db = connection.Database(hsdb.dsn)
    try:
        with pytest.raises(OSError, match="disk gone"), db.conn.transaction():
            query = sql.SQL("COPY (SELECT * FROM nodes ORDER BY id) TO STDOUT")
            copy_stream._copy_out(db, query, {}, fails_on_second)
        assert len(seen) == 2
        assert db.rows("SELECT count(*) FROM nodes")[0][0] > 2
    finally:
        db.close()
