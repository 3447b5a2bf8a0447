"""PostgreSQL side of the Headscale tenant move, write half (psycopg 3): the move's transaction with its
parallel re-check, the before-image stream into the journal, and the rollback's restore.

Same rules as ``pg`` (the read half): every value travels as a parameter and every name as
``sql.Identifier``; rows are PostgreSQL's COPY text under the pinned session settings.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from opskit.adapters.pg.tenant_reads import (
    Database,
    copy_fingerprints,
    id_array,
    node_precheck,
    scope_condition,
)
from opskit.core.headscale.rowtext import row_id
from opskit.core.headscale.schema import NODES, TenantSchema
from opskit.core.headscale.snapshot import Clash
from opskit.errors import ApplyError, EnvironmentProblem, OpskitError

if TYPE_CHECKING:
    from concurrent.futures import Future


# Internal test hook (documented in docs/headscale.md): seconds to pause between the UPDATE statements
# of an apply, announcing each pause on stderr, so a test can kill -9 the process mid-transaction.
PAUSE_ENV = "OPSKIT_TEST_PAUSE_BETWEEN_STATEMENTS"
LOCK_NAMESPACE = "opskit.headscale.tenant-move"


# --- the before-image stream --------------------------------------------------------------------


def _wait_socket(fd: int, *, write: bool = False) -> None:
    """Wait (GIL released) until the socket is readable, or writable while a long statement flushes."""
    import select

    select.select([fd], [fd] if write else [], [])


def _next_result(pgconn: Any, fd: int) -> Any:
    """The next result of the query in flight (None once there are no more)."""
    while pgconn.is_busy():
        _wait_socket(fd)
        pgconn.consume_input()
    return pgconn.get_result()


def _copy_rows(pgconn: Any, fd: int, on_row: Callable[[bytes], None], encoding: str) -> None:
    """Hand every row of the COPY in progress to ``on_row`` until the server's end of data."""
    import psycopg

    while True:
        size, data = pgconn.get_copy_data(1)
        if size > 0:
            on_row(bytes(data))
        elif size == 0:
            _wait_socket(fd)
            pgconn.consume_input()
        elif size == -1:
            return
        else:
            raise psycopg.OperationalError(pgconn.error_message.decode(encoding, "replace"))


def _copy_out(db: Database, statement: Any, params: dict[str, Any], on_row: Callable[[bytes], None]) -> None:
    """``COPY (...) TO STDOUT`` driven through psycopg's libpq wrapper directly, one call per row.

    psycopg's Copy object costs ~3 us of Python per message (a generator and a wait per row); with
    10,000 rows the server ends up waiting for the client. This loop asks libpq for the next row and
    only waits on the socket (GIL released) when none is buffered. The statement is bound client-side
    exactly as psycopg's Copy does (COPY takes no server-side parameters), errors become psycopg's
    own exception classes, and every result is drained before returning or raising, so the connection
    and its transaction stay in the state psycopg expects."""
    import psycopg
    from psycopg import errors as pge
    from psycopg import pq

    conn = db.conn
    encoding = conn.info.encoding
    text = psycopg.ClientCursor(conn).mogrify(statement, params).encode(encoding)
    with conn.lock:
        pgconn = conn.pgconn
        fd = pgconn.socket
        pgconn.send_query(text)
        while pgconn.flush():
            _wait_socket(fd, write=True)
            pgconn.consume_input()
        results = [_next_result(pgconn, fd)]
        if results[0] is not None and results[0].status == pq.ExecStatus.COPY_OUT:
            try:
                _copy_rows(pgconn, fd, on_row, encoding)
            except BaseException:
                # on_row failed (say the journal's disk is full): finish the COPY unread so the
                # connection can still roll the transaction back, then report the first error
                _copy_rows(pgconn, fd, lambda _: None, encoding)
                while _next_result(pgconn, fd) is not None:
                    pass
                raise
            results.append(_next_result(pgconn, fd))
        while (extra := _next_result(pgconn, fd)) is not None:  # drain: one query, any number of results
            results.append(extra)
    for result in results:
        if result is not None and result.status == pq.ExecStatus.FATAL_ERROR:
            raise pge.error_from_result(result, encoding=encoding)
    if results[-1] is None or results[-1].status != pq.ExecStatus.COMMAND_OK:
        raise psycopg.ProgrammingError("COPY did not complete")


def copy_fingerprinted(
    db: Database, query: Any, params: dict[str, Any], sink: Callable[[bytes], None]
) -> tuple[int, list[str]]:
    """Stream the rows of ``query`` in COPY text format to ``sink`` (in ~1 MB writes, unparsed) and
    return their byte count and fingerprints (md5 of each line). Hashing and writing happen while the
    rows stream in: the server is still producing rows meanwhile, so they cost next to no wall time."""
    from psycopg import sql

    buffered: list[bytes] = []
    fingerprints: list[str] = []
    # md5: change detection against the plan's fingerprints, not security
    append_row, append_fingerprint, md5 = buffered.append, fingerprints.append, hashlib.md5
    written = [0, 0]  # bytes handed to sink, bytes buffered
    pending = [b""]  # a row split across messages (PostgreSQL sends one row per message; be safe anyway)

    def on_row(data: bytes) -> None:
        append_row(data)
        written[1] += len(data)
        if written[1] >= 1 << 20:
            sink(b"".join(buffered))
            written[0] += written[1]
            written[1] = 0
            buffered.clear()
        if not pending[0] and data.find(b"\n") == len(data) - 1:
            append_fingerprint(md5(data[:-1]).hexdigest())
            return
        *rows, pending[0] = (pending[0] + data).split(b"\n")
        fingerprints.extend(md5(row).hexdigest() for row in rows)

    _copy_out(db, sql.SQL("COPY ({}) TO STDOUT").format(query), params, on_row)
    if buffered:
        sink(b"".join(buffered))
    if pending[0]:
        raise ApplyError("the COPY stream ended inside a row; nothing changed.")
    return written[0] + written[1], fingerprints


# --- write side ---------------------------------------------------------------------------------


class JournalUnwritable(EnvironmentProblem):
    """The journal could not be written or synced (disk full, I/O error)."""


class JournalSink:
    """Where apply/rollback append journal lines; ``sync`` makes them durable (fsync)."""

    def append(self, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def append_bytes(self, data: bytes) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def position(self) -> int:  # pragma: no cover - interface
        """Bytes written so far."""
        raise NotImplementedError

    def read_back(self, start: int, size: int) -> list[bytes]:  # pragma: no cover - interface
        """The lines of ``size`` bytes written from ``start`` (without their newlines)."""
        raise NotImplementedError

    def sync(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass(frozen=True)
class MoveResult:
    counts: dict[str, int]
    seconds: float


@dataclass(frozen=True)
class RowDrift:
    table: str
    row_id: int
    how: str  # changed | gone | new

    def __str__(self) -> str:
        return f"{self.table}.id={self.row_id} {self.how}"


def _limits(db: Database, lock_timeout_ms: int, statement_timeout_ms: int) -> None:
    # set_config(..., true) is SET LOCAL with parameters: the limits end with the transaction.
    db.conn.execute(
        "SELECT set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true)",
        (f"{int(lock_timeout_ms)}ms", f"{int(statement_timeout_ms)}ms"),
    )


def _lock_tenant(db: Database, tenant_id: int, tenant_name: str) -> None:
    """Transaction-scoped advisory lock per tenant: a second mover fails at once instead of queueing."""
    got = db.rows("SELECT pg_try_advisory_xact_lock(hashtext(%s), %s)", (LOCK_NAMESPACE, tenant_id % 2147483647))[0][0]
    if not got:
        _lock_refused(tenant_id, tenant_name)


def _lock_refused(tenant_id: int, tenant_name: str) -> NoReturn:
    raise ApplyError(
        f"another move of tenant {tenant_name!r} (users.id={tenant_id}) is running right now "
        "(advisory lock held); nothing changed. Wait for it and re-plan."
    )


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

    from opskit.core.headscale.journal import END_OF_COPY, record_line

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
        journal.append(record_line("before", table=table))
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
                _limits(self._db, lock_timeout_ms, statement_timeout_ms)
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
    from opskit.core.headscale.journal import record_line

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
        journal.append(record_line("committed", at=now()))
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
    from opskit.core.headscale.journal import record_line

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
        journal.append(record_line("step", name="db-move", state="updated", at=now(), counts=moved.counts))
        journal.sync()
    return moved.counts


@dataclass(frozen=True)
class RestoreResult:
    state: str  # restored | nothing-to-do
    counts: dict[str, int]
    drift: list[RowDrift]


def restore_rows(
    db: Database,
    schema: TenantSchema,
    *,
    before: dict[str, list[str]],
    columns: dict[str, list[str]],
    before_fp: dict[str, dict[int, str]],
    after_fp: dict[str, dict[int, str]],
    tenant_id: int,
    tenant_name: str,
    force: bool,
    lock_timeout_ms: int,
    statement_timeout_ms: int,
) -> RestoreResult:
    """Put the journal's before-image back in one transaction, refusing rows changed since the move
    (``after_fp``: what each row looks like right after the move, empty if it never committed)."""
    from psycopg import sql

    changed = [t for t, cols in columns.items() if list(schema.columns.get(t, ())) != list(cols)]
    if changed:
        raise ApplyError(
            f"the columns of {', '.join(changed)} changed since the move (schema migration?); "
            "the before-image no longer fits: nothing changed."
        )
    with db.errors(f"rolling back tenant {tenant_name!r}"), db.conn.transaction():
        _limits(db, lock_timeout_ms, statement_timeout_ms)
        _lock_tenant(db, tenant_id, tenant_name)
        current: dict[str, dict[int, str]] = {}
        for table, planned in before_fp.items():
            ids = {"ids": id_array(planned)}
            lock = sql.SQL("SELECT t.id FROM {t} t WHERE t.id IN (SELECT unnest(%(ids)s::bigint[])) FOR UPDATE")
            db.rows(lock.format(t=sql.Identifier(table)), ids)
            where = sql.SQL("t.id IN (SELECT unnest(%(ids)s::bigint[]))")
            current[table] = copy_fingerprints(db, schema, table, where, ids)
        if current == before_fp:
            return RestoreResult("nothing-to-do", {}, [])
        drift = [
            RowDrift(t, i, "gone" if i not in current.get(t, {}) else "changed since the move")
            for t, ids in after_fp.items()
            for i, fp in ids.items()
            if current.get(t, {}).get(i) != fp
        ]
        if not after_fp:  # journal never reached the UPDATEs, yet rows differ from the before-image
            drift = [
                RowDrift(t, i, "differs from the before-image")
                for t, ids in before_fp.items()
                for i, fp in ids.items()
                if current.get(t, {}).get(i) != fp
            ]
        if drift and not force:
            shown = ", ".join(map(str, drift[:10])) + (f" (+{len(drift) - 10} more)" if len(drift) > 10 else "")
            raise ApplyError(
                f"refusing to roll back: {shown}; nothing changed. --force overwrites them with the before-image."
            )
        imaged = {t: {row_id(line, schema.columns[t].index("id")) for line in lines} for t, lines in before.items()}
        missing = [f"{t}.id={i}" for t, ids in after_fp.items() for i in ids if i not in imaged.get(t, set())]
        if missing:
            raise ApplyError(f"the journal has no before-image for {', '.join(missing[:5])}; nothing changed.")
        counts: dict[str, int] = {}
        for table, lines in before.items():
            counts[table] = _restore_table(db, schema, table, lines, before_fp.get(table, {}))
    return RestoreResult("restored", counts, drift)


def _restore_table(db: Database, schema: TenantSchema, table: str, lines: list[str], before_fp: dict[int, str]) -> int:
    """Load the before-image with COPY FROM into a temp copy of the table, UPDATE every column back
    from it, and prove each restored row is byte-identical (its fingerprint equals the plan's)."""
    from psycopg import sql

    columns = [c for c in schema.columns[table] if c != "id"]
    staging = sql.Identifier(f"opskit_restore_{table}")
    db.conn.execute(
        sql.SQL("CREATE TEMP TABLE {s} (LIKE {t}) ON COMMIT DROP").format(s=staging, t=sql.Identifier(table))
    )
    with db.conn.cursor() as cursor, cursor.copy(sql.SQL("COPY {s} FROM STDIN").format(s=staging)) as copy:
        copy.write("".join(line + "\n" for line in lines))
    db.rows(
        sql.SQL("UPDATE {t} AS t SET ({cols}) = ROW({scols}) FROM {s} AS r WHERE t.id = r.id RETURNING t.id").format(
            t=sql.Identifier(table),
            s=staging,
            cols=sql.SQL(", ").join(sql.Identifier(c) for c in columns),
            scols=sql.SQL(", ").join(sql.SQL("r.{}").format(sql.Identifier(c)) for c in columns),
        )
    )
    restored = copy_fingerprints(
        db, schema, table, sql.SQL("t.id IN (SELECT r.id FROM {s} AS r)").format(s=staging), {}
    )
    wrong = [i for i, fp in restored.items() if before_fp.get(i) != fp]
    if wrong:
        raise ApplyError(
            f"restored {table} rows {wrong[:5]} do not match their before-image fingerprints; rolled back, "
            "nothing changed."
        )
    return len(restored)
