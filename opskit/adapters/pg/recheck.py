"""Apply's re-checks, read-only: node clashes and nodes the tenant gained (one set-based scan), the
planned rows' drift for a dry run, and the second connection that runs the checks in the move's
exported snapshot while the UPDATEs run."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from opskit.adapters.pg.connection import Database, set_transaction_limits
from opskit.adapters.pg.copy_stream import copy_fingerprints
from opskit.adapters.pg.query import column_or_null, id_array, scope_condition
from opskit.core.headscale.schema import NODES, TenantSchema
from opskit.core.headscale.snapshot import IDENTITY_KINDS, Clash, RowDrift
from opskit.errors import OpskitError

if TYPE_CHECKING:
    from concurrent.futures import Future


@dataclass(frozen=True)
class NodePrecheck:
    """What one scan of ``nodes`` found: identity clashes with the target, and nodes the tenant gained
    since the plan (they would move too: drift)."""

    clashes: list[Clash]
    new_ids: list[int]


def node_precheck(
    db: Database,
    schema: TenantSchema,
    planned_ids: Sequence[int],
    *,
    tenant_id: int,
    source: int,
    target: int,
    include_tagged: bool,
) -> NodePrecheck:
    """The node half of apply's re-check, set-based and inside the caller's transaction.

    ``nodes`` has no index on the cluster column nor on the identity columns (headscale keeps them
    unique in memory), so one sequential scan reads the target's nodes and the tenant's moving ones
    (planned ids, hashed, or the tenant's current scope) into a CTE; five hash joins, one per identity
    column, return only the clashing pairs, and a last branch the moving nodes the plan does not know.
    Same rule as the pure ``node_clashes`` (NULL and '' never clash; soft-deleted target nodes count).
    The caller runs it after recheck_planner (hash joins, CTE in memory).
    """
    from psycopg import sql

    c = sql.Identifier(schema.cluster_column)
    identity = sql.SQL(", ").join(
        sql.SQL("{}::text AS {}").format(column_or_null(schema, NODES, k, "t"), sql.Identifier(k))
        for k in IDENTITY_KINDS
    )
    # one branch per identity column the schema has, then the drift branch
    branches = [
        sql.SQL(
            "SELECT {kind}, m.id, p.id, m.{k}, p.deleted FROM moving m JOIN present p ON p.{k} = m.{k} "
            "WHERE m.{k} <> '' UNION ALL "
        ).format(kind=sql.Literal(k), k=sql.Identifier(k))
        for k in IDENTITY_KINDS
        if schema.has(NODES, k)
    ]
    query = sql.SQL(
        """WITH scan AS MATERIALIZED (
               SELECT t.id, {deleted} IS NOT NULL AS deleted, t.{c} = %(source)s AS moving, {identity}
               FROM nodes t
               WHERE t.{c} = %(target)s
                  OR (t.{c} = %(source)s AND (t.id = ANY(%(ids)s::bigint[]) OR {scope}))),
           moving AS (SELECT * FROM scan WHERE moving),
           present AS (SELECT * FROM scan WHERE NOT moving)
           {branches}
           SELECT 'new'::text, m.id, NULL, NULL, NULL FROM moving m WHERE NOT (m.id = ANY(%(ids)s::bigint[]))"""
    ).format(
        c=c,
        deleted=column_or_null(schema, NODES, "deleted_at", "t"),
        identity=identity,
        scope=scope_condition(schema, NODES, include_tagged),
        branches=sql.SQL("").join(branches),
    )
    params = {"source": source, "target": target, "ids": id_array(planned_ids), "uid": tenant_id}
    clashes: list[Clash] = []
    new_ids: list[int] = []
    for kind, row, other, value, deleted in db.rows(query, params):
        if kind == "new":
            new_ids.append(int(row))
        else:
            clashes.append(Clash(str(kind), NODES, int(row), int(other), str(value), bool(deleted)))
    clashes.sort(key=lambda x: (x.kind, x.row_id, x.other_id))
    return NodePrecheck(clashes, sorted(new_ids))


def plan_drift(
    db: Database,
    schema: TenantSchema,
    rows: dict[str, dict[int, str]],
    tenant_id: int,
    source: int,
    include_tagged: bool,
) -> list[RowDrift]:
    """Read-only (dry run): planned rows that changed or went away, and rows the tenant gained."""
    from psycopg import sql

    drift: list[RowDrift] = []
    for table, planned in rows.items():
        where = sql.SQL("t.id IN (SELECT unnest(%(ids)s::bigint[])) OR {scope}").format(
            scope=scope_condition(schema, table, include_tagged)
        )
        current = copy_fingerprints(
            db, schema, table, where, {"ids": id_array(planned), "uid": tenant_id, "source": source}
        )
        for planned_id, fingerprint in planned.items():
            if planned_id not in current:
                drift.append(RowDrift(table, planned_id, "gone"))
            elif current[planned_id] != fingerprint:
                drift.append(RowDrift(table, planned_id, "changed"))
        drift += [RowDrift(table, i, "new") for i in current if i not in planned]
    return drift


def recheck_planner(db: Database) -> None:
    """Planner settings for the rest of the transaction that runs node_precheck. Merge joins off: its
    joins are the transaction's only ones, and with the CTE's default estimates the planner would sort
    2 x 10,000 strings per identity column under the database collation instead of hashing them (~5x
    slower). work_mem keeps its CTE (~4 MB for 20,000 nodes) in memory instead of a temp file."""
    db.conn.execute("SELECT set_config('enable_mergejoin', 'off', true), set_config('work_mem', '32MB', true)")


T = TypeVar("T")


class SnapshotReader:
    """A second connection that runs apply's read-only re-checks in the mover's exact snapshot while
    the mover's UPDATEs run, like ``pg_dump -j`` does: the mover exports its REPEATABLE READ snapshot
    (``pg_export_snapshot``), this connection imports it (``SET TRANSACTION SNAPSHOT``) and so sees the
    database exactly as the mover saw it before its first UPDATE. The checks' answers are the same as
    if the mover had run them itself before updating; they just run on another backend, in parallel.
    If the connection or the import fails, ``start`` says so and the mover runs the checks itself."""

    def __init__(self, dsn: str) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opskit-recheck")
        self._connecting = self._pool.submit(Database, dsn)  # connects while the caller works
        self._db: Database | None = None
        self._running: Future[Any] | None = None

    def start(
        self,
        snapshot: str,
        check: Callable[[Database], T],
        lock_timeout_ms: int,
        statement_timeout_ms: int,
    ) -> Future[T] | None:
        """Import ``snapshot`` and run ``check`` in the background; None if this reader is unusable."""
        from psycopg import sql

        try:
            self._db = self._connecting.result()
            with self._db.errors("opening the re-check transaction"):
                self._db.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                self._db.conn.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
                set_transaction_limits(self._db, lock_timeout_ms, statement_timeout_ms)
                recheck_planner(self._db)
        except OpskitError:
            return None
        running = self._pool.submit(check, self._db)
        self._running = running
        return running

    def close(self) -> None:
        """End the read-only transaction and the connection; a check still running (the move failed
        first) is cancelled rather than waited for."""
        if self._running is not None and not self._running.done() and self._db is not None:
            self._db.conn.cancel_safe()
        self._pool.shutdown(wait=True)
        if self._db is None and self._connecting.done() and not self._connecting.exception():
            self._db = self._connecting.result()
        if self._db is not None:
            self._db.close()
