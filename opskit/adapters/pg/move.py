"""The move's transaction: advisory lock, exported snapshot for the parallel re-check, one set-based
UPDATE per table streaming each row's before-image into the journal, fingerprints compared with the
plan's, fsync, COMMIT. Any difference rolls the whole transaction back."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, NoReturn

from opskit.adapters.pg.connection import Database
from opskit.adapters.pg.copy_stream import copy_fingerprinted
from opskit.adapters.pg.query import id_array, scope_condition
from opskit.adapters.pg.recheck import SnapshotReader, node_precheck, recheck_planner
from opskit.core.headscale.journal import (
    END_OF_COPY,
    BeforeImage,
    Committed,
    JournalSink,
    JournalUnwritable,
    MoveStep,
    record_text,
)
from opskit.core.headscale.rowtext import row_id
from opskit.core.headscale.schema import NODES, TenantSchema
from opskit.core.headscale.snapshot import Clash, RowDrift
from opskit.errors import ApplyError

# Internal test hook (documented in docs/headscale.md): seconds to pause between the UPDATE statements
# of an apply, announcing each pause on stderr, so a test can kill -9 the process mid-transaction.
PAUSE_ENV = "OPSKIT_TEST_PAUSE_BETWEEN_STATEMENTS"


LOCK_NAMESPACE = "opskit.headscale.tenant-move"


@dataclass(frozen=True)
class MoveResult:
    counts: dict[str, int]
    seconds: float


def lock_tenant(db: Database, tenant_id: int, tenant_name: str) -> None:
    """Transaction-scoped advisory lock per tenant: a second mover fails at once instead of queueing."""
    got = db.rows("SELECT pg_try_advisory_xact_lock(hashtext(%s), %s)", (LOCK_NAMESPACE, tenant_id % 2147483647))[0][0]
    if not got:
        _lock_refused(tenant_id, tenant_name)


def _lock_refused(tenant_id: int, tenant_name: str) -> NoReturn:
    raise ApplyError(
        f"another move of tenant {tenant_name!r} (users.id={tenant_id}) is running right now "
        "(advisory lock held); nothing changed. Wait for it and re-plan."
    )


def _pause_for_tests(after: str) -> None:
    seconds = os.environ.get(PAUSE_ENV)
    if seconds:
        sys.stderr.write(f"opskit-test-hook: paused after {after}\n")
        sys.stderr.flush()
        time.sleep(float(seconds))


@dataclass
class _Moved:
    counts: dict[str, int]
    drift: list[RowDrift]


def _before_image_columns(schema: TenantSchema, table: str) -> Any:
    """``RETURNING`` list that yields each row as it was before the UPDATE: every column as it is, and
    the cluster column as the source value the UPDATE required it to hold (its only change)."""
    from psycopg import sql

    return sql.SQL(", ").join(
        sql.SQL("%(source_text)s::text")
        if column == schema.cluster_column
        else sql.SQL("t.{}").format(sql.Identifier(column))
        for column in schema.columns[table]
    )


def _row_drift(
    schema: TenantSchema, table: str, lines: Callable[[], list[bytes]], found: list[str], planned: dict[int, str]
) -> list[RowDrift]:
    """Drift of one table's before-image (``found``: its rows' fingerprints; ``lines``: reads its rows
    back) against the plan's. The common case (every row as planned) is a set comparison; rows are
    read back and their ids parsed only on a miss."""
    if len(found) == len(planned) and set(found) == set(planned.values()):
        return []
    id_index = schema.columns[table].index("id")
    drift, seen = [], set()
    for line, fingerprint in zip(lines(), found, strict=True):
        row = row_id(line.decode(), id_index)
        seen.add(row)
        if row not in planned:
            drift.append(RowDrift(table, row, "new"))
        elif fingerprint != planned[row]:
            drift.append(RowDrift(table, row, "changed"))
    drift += [RowDrift(table, i, "gone") for i in planned if i not in seen]
    return drift


def move_rows(
    db: Database,
    schema: TenantSchema,
    rows: dict[str, dict[int, str]],
    source: int,
    target: int,
    journal: JournalSink,
    *,
    tenant_id: int,
    include_tagged: bool,
) -> _Moved:
    """One set-based UPDATE per table that also hands back each row's before-image.

    The UPDATE changes nothing but the cluster column and only rows that held ``source`` there, so
    ``RETURNING`` every column with that one set back to ``source`` *is* the row as it was (in the
    statement's REPEATABLE READ snapshot: a concurrent writer makes the UPDATE fail instead of slipping
    past). ``COPY (UPDATE ... RETURNING ...) TO STDOUT`` streams those rows in COPY text, the cheapest
    exact form; the bytes go to the journal unparsed, and each row's md5 is compared with the plan's.
    Any difference rolls the whole transaction back.

    ``nodes`` is updated by primary key only: node_precheck's scan already looked for nodes the tenant
    gained since the plan, in the same snapshot, so a second sequential scan of the biggest table is
    not needed. The small tables also match the tenant's current scope, so their new rows show up here.
    """
    from psycopg import sql

    moved = _Moved({}, [])
    for number, (table, planned) in enumerate(rows.items()):
        if number:
            _pause_for_tests(f"statement {number} (UPDATE {list(rows)[number - 1]})")
        planned_ids = sql.SQL("t.id = ANY(%(ids)s::bigint[])")
        scope = (
            planned_ids
            if table == NODES
            else sql.SQL("({} OR {})").format(planned_ids, scope_condition(schema, table, include_tagged))
        )
        query = sql.SQL(
            "UPDATE {t} AS t SET {c} = %(target)s WHERE t.{c} = %(source)s AND {scope} RETURNING {before}"
        ).format(
            t=sql.Identifier(table),
            c=sql.Identifier(schema.cluster_column),
            scope=scope,
            before=_before_image_columns(schema, table),
        )
        params = {
            "target": target,
            "ids": id_array(planned),
            "source": source,
            "source_text": str(source),
            "uid": tenant_id,
        }
        journal.append(record_text(BeforeImage(table)))
        start = journal.position()
        size, found = copy_fingerprinted(db, query, params, journal.append_bytes)
        journal.append_bytes(END_OF_COPY + b"\n")
        moved.counts[table] = len(found)
        moved.drift += _row_drift(schema, table, partial(journal.read_back, start, size), found, planned)
    _pause_for_tests(f"statement {len(rows)} (UPDATE {list(rows)[-1]}), before COMMIT")
    return moved


def _begin_move(db: Database, lock_timeout_ms: int, statement_timeout_ms: int, tenant_id: int) -> tuple[bool, str]:
    """Transaction limits (SET LOCAL via set_config(..., true): they end with the transaction), the
    tenant's advisory lock and the exported snapshot id, in one round trip; (lock free?, snapshot)."""
    row = db.rows(
        "SELECT set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true), "
        "pg_try_advisory_xact_lock(hashtext(%s), %s), pg_export_snapshot()",
        (
            f"{int(lock_timeout_ms)}ms",
            f"{int(statement_timeout_ms)}ms",
            LOCK_NAMESPACE,
            tenant_id % 2147483647,
        ),
    )[0]
    return bool(row[2]), str(row[3])


def apply_move(
    db: Database,
    schema: TenantSchema,
    *,
    rows: dict[str, dict[int, str]],
    tenant_id: int,
    tenant_name: str,
    source: int,
    target: int,
    include_tagged: bool,
    recheck: Callable[[Database, list[Clash]], list[str]],
    journal: JournalSink,
    now: Callable[[], str],
    lock_timeout_ms: int,
    statement_timeout_ms: int,
    reader: SnapshotReader | None = None,
) -> MoveResult:
    """The whole DB move in one transaction; raises ApplyError (nothing changed) on drift/conflict/lock.

    The re-checks (node clashes and nodes the tenant gained, via node_precheck; user name and key
    clashes, via ``recheck``) read the database as it was before the UPDATEs, in the move's snapshot:
    on ``reader``'s connection in parallel with the UPDATEs, or here first without one."""

    def checks(on: Database) -> tuple[list[int], list[str]]:
        found = node_precheck(
            on,
            schema,
            list(rows.get(NODES, {})),
            tenant_id=tenant_id,
            source=source,
            target=target,
            include_tagged=include_tagged,
        )
        return found.new_ids, recheck(on, found.clashes)

    started = time.perf_counter()
    try:
        counts = _move_in_transaction(
            db,
            schema,
            rows,
            journal,
            source=source,
            target=target,
            tenant_id=tenant_id,
            tenant_name=tenant_name,
            include_tagged=include_tagged,
            checks=checks,
            reader=reader,
            lock_timeout_ms=lock_timeout_ms,
            statement_timeout_ms=statement_timeout_ms,
            now=now,
        )
    except JournalUnwritable as exc:  # raised inside the transaction: it rolled back
        raise JournalUnwritable(f"{exc.message}; the move was rolled back, nothing changed", exc.hint) from None
    try:
        journal.append(record_text(Committed(now())))
        journal.sync()
    except JournalUnwritable as exc:
        raise JournalUnwritable(
            f"{exc.message}; the move IS committed, only its journal lacks the final 'committed' record "
            "(rollback checks the database itself)",
            exc.hint,
        ) from None
    return MoveResult(counts, time.perf_counter() - started)


def _move_in_transaction(
    db: Database,
    schema: TenantSchema,
    rows: dict[str, dict[int, str]],
    journal: JournalSink,
    *,
    source: int,
    target: int,
    tenant_id: int,
    tenant_name: str,
    include_tagged: bool,
    checks: Callable[[Database], tuple[list[int], list[str]]],
    reader: SnapshotReader | None,
    lock_timeout_ms: int,
    statement_timeout_ms: int,
    now: Callable[[], str],
) -> dict[str, int]:
    """apply_move's transaction; returns the row counts once it committed."""
    with db.errors(f"moving tenant {tenant_name!r}"), db.repeatable_read():
        locked, snapshot = _begin_move(db, lock_timeout_ms, statement_timeout_ms, tenant_id)
        if not locked:
            _lock_refused(tenant_id, tenant_name)
        running = reader.start(snapshot, checks, lock_timeout_ms, statement_timeout_ms) if reader else None
        if running is None:
            recheck_planner(db)
            new_ids, conflicts = checks(db)
        moved = move_rows(db, schema, rows, source, target, journal, tenant_id=tenant_id, include_tagged=include_tagged)
        if running is not None:
            new_ids, conflicts = running.result()
        drift = [RowDrift(NODES, i, "new") for i in new_ids] + moved.drift
        if drift:
            shown = ", ".join(map(str, drift[:10])) + (f" (+{len(drift) - 10} more)" if len(drift) > 10 else "")
            raise ApplyError(f"rows changed since the plan was made: {shown}; nothing changed. Make a new plan.")
        if conflicts:
            raise ApplyError(
                "the target cluster changed since the plan: " + "; ".join(conflicts[:10]) + "; nothing changed."
            )
        # one fsync makes the before-images and this record durable before COMMIT (a refused move's
        # journal is synced by the caller's "aborted" record)
        journal.append(record_text(MoveStep("updated", now(), moved.counts)))
        journal.sync()
    return moved.counts
