"""PostgreSQL side of the Headscale tenant move (psycopg 3).

Every value travels as a parameter and every name as ``sql.Identifier``. Rows are read as PostgreSQL's
COPY text under a pinned session (UTC, ISO dates, hex bytea): the same row always gives the same line,
its md5 is the row's fingerprint, the line is the journal's before-image, and ``COPY FROM`` loads it
back byte for byte on rollback (see core/headscale/rowtext.py).
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from opskit.core.headscale.dsn import mask_dsn, scrub
from opskit.core.headscale.rowtext import row_fingerprint, row_id, unescape
from opskit.core.headscale.schema import (
    KEYS,
    NODES,
    USERS,
    Catalog,
    ForeignKey,
    TenantSchema,
    UniqueIndex,
)
from opskit.core.headscale.snapshot import (
    IDENTITY_KINDS,
    ChildRows,
    Clash,
    CrossReference,
    KeyRow,
    NodeIdentity,
    NodeRow,
    TargetState,
    TenantCount,
    TenantSnapshot,
    UserRow,
    endpoint_ips,
    node_clashes,
)
from opskit.errors import ApplyError, EnvironmentProblem, InputError, OpskitError

if TYPE_CHECKING:
    from concurrent.futures import Future

    import psycopg

DSN_ENV = "OPSKIT_HEADSCALE_DSN"
# Internal test hook (documented in docs/headscale.md): seconds to pause between the UPDATE statements
# of an apply, announcing each pause on stderr, so a test can kill -9 the process mid-transaction.
PAUSE_ENV = "OPSKIT_TEST_PAUSE_BETWEEN_STATEMENTS"
LOCK_NAMESPACE = "opskit.headscale.tenant-move"

_SESSION_SETTINGS = (
    ("TimeZone", "UTC"),
    ("DateStyle", "ISO, YMD"),
    ("IntervalStyle", "postgres"),
    ("bytea_output", "hex"),
    ("extra_float_digits", "3"),
    ("application_name", "opskit-headscale"),
    # Short OLTP statements over a few thousand rows: JIT compilation only adds hundreds of ms.
    ("jit", "off"),
)
_ON_DELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


def resolve_dsn(option: str | None) -> str:
    """--dsn, else OPSKIT_HEADSCALE_DSN, else "" (libpq reads PGHOST/PGUSER/... itself)."""
    return option or os.environ.get(DSN_ENV, "")


def _password_of(dsn: str) -> tuple[str, ...]:
    try:
        from psycopg.conninfo import conninfo_to_dict

        password = conninfo_to_dict(dsn).get("password")
    except Exception:  # noqa: BLE001 - an unparsable DSN is reported by connect() below
        return ()
    secrets = (str(password),) if password else ()
    return secrets + ((os.environ["PGPASSWORD"],) if os.environ.get("PGPASSWORD") else ())


def describe(dsn: str) -> str:
    """The masked DSN shown everywhere (or what libpq's environment points at)."""
    if dsn:
        return mask_dsn(dsn)
    host, database = os.environ.get("PGHOST", ""), os.environ.get("PGDATABASE", "")
    return f"libpq environment (PGHOST={host}, PGDATABASE={database})"


class Database:
    """One open connection with the pinned session settings and error translation."""

    def __init__(self, dsn: str, connect_timeout: float = 10.0) -> None:
        import psycopg

        self.dsn_shown = describe(dsn)
        self._dsn = dsn
        self._secrets = _password_of(dsn)
        try:
            self.conn: psycopg.Connection[Any] = psycopg.connect(
                dsn, autocommit=True, connect_timeout=max(1, int(connect_timeout))
            )
        except psycopg.Error as exc:
            raise EnvironmentProblem(
                f"cannot connect to the database ({self.dsn_shown}): {self.clean(exc).rstrip('.')}.",
                hint="Check --dsn / OPSKIT_HEADSCALE_DSN / PG* variables and that the server accepts us.",
            ) from None
        with self.errors("setting up the session"):  # one round trip for all of them
            calls = ", ".join("set_config(%s, %s, false)" for _ in _SESSION_SETTINGS)
            self.conn.execute(f"SELECT {calls}", [v for pair in _SESSION_SETTINGS for v in pair])

    def close(self) -> None:
        self.conn.close()

    def clean(self, exc: BaseException) -> str:
        """A driver message with the DSN and password removed, on one line."""
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if self._dsn:  # libpq echoes a DSN it cannot parse
            text = text.replace(self._dsn, self.dsn_shown)
        return scrub(text, self._secrets)

    @contextmanager
    def errors(self, doing: str) -> Iterator[None]:
        """Map driver errors to opskit's: privileges/unreachable → exit 2, lock/timeouts → exit 1."""
        import psycopg
        from psycopg import errors as pge

        try:
            yield
        except pge.InsufficientPrivilege as exc:
            raise EnvironmentProblem(
                f"permission denied while {doing}: {self.clean(exc)}; nothing changed.",
                hint="grant the role SELECT/UPDATE on users, nodes and pre_auth_keys.",
            ) from None
        except pge.LockNotAvailable as exc:
            raise ApplyError(
                f"lock timeout while {doing}: another session holds rows of this tenant "
                f"({self.clean(exc)}); nothing changed. Retry, or raise --lock-timeout."
            ) from None
        except pge.SerializationFailure as exc:
            raise ApplyError(
                f"a concurrent change touched this tenant's rows while {doing} ({self.clean(exc)}); "
                "nothing changed. Stop the instances writing them (pre-hook) and re-plan."
            ) from None
        except pge.QueryCanceled as exc:
            raise ApplyError(
                f"statement timeout while {doing} ({self.clean(exc)}); nothing changed. "
                "Raise --statement-timeout if the database is just slow."
            ) from None
        except psycopg.OperationalError as exc:
            raise EnvironmentProblem(
                f"database connection failed while {doing} ({self.dsn_shown}): {self.clean(exc)}"
            ) from None
        except psycopg.Error as exc:
            raise ApplyError(f"database error while {doing}: {self.clean(exc)}; nothing changed.") from None

    @contextmanager
    def repeatable_read(self) -> Iterator[None]:
        """A REPEATABLE READ transaction, begun with its isolation level in the one BEGIN."""
        import psycopg

        self.conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        try:
            with self.conn.transaction():
                yield
        finally:
            self.conn.isolation_level = None

    def rows(self, query: Any, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(query, params).fetchall()


# --- introspection ------------------------------------------------------------------------------


def read_catalog(db: Database) -> Catalog:
    """Columns, FKs (with ON DELETE), unique indexes (with partial predicates) of current_schema()."""
    with db.errors("reading the schema"):
        columns: dict[str, list[str]] = {}
        # pg_attribute, not information_schema.columns: same columns in the same order, ~10x cheaper
        for table, column in db.rows(
            """SELECT c.relname::text, a.attname::text FROM pg_attribute a
               JOIN pg_class c ON c.oid = a.attrelid
               WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'f')
                 AND a.attnum > 0 AND NOT a.attisdropped
               ORDER BY c.relname, a.attnum"""
        ):
            columns.setdefault(table, []).append(column)
        fks = [
            ForeignKey(name, table, tuple(cols), ref, tuple(ref_cols), _ON_DELETE.get(rule, rule))
            for name, table, cols, ref, ref_cols, rule in db.rows(
                """SELECT con.conname, src.relname,
                          ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                                JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n
                                ORDER BY k.o),
                          ref.relname,
                          ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                                JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n
                                ORDER BY k.o),
                          con.confdeltype::text
                   FROM pg_constraint con
                   JOIN pg_class src ON src.oid = con.conrelid
                   JOIN pg_class ref ON ref.oid = con.confrelid
                   WHERE con.contype = 'f' AND src.relnamespace = current_schema()::regnamespace
                   ORDER BY src.relname, con.conname"""
            )
        ]
        indexes = [
            UniqueIndex(name, table, tuple(cols), predicate, bool(primary))
            for name, table, cols, predicate, primary in db.rows(
                """SELECT i.relname, t.relname,
                          ARRAY(SELECT a.attname FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(n, o)
                                JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n
                                ORDER BY k.o),
                          pg_get_expr(x.indpred, x.indrelid), x.indisprimary
                   FROM pg_index x
                   JOIN pg_class i ON i.oid = x.indexrelid
                   JOIN pg_class t ON t.oid = x.indrelid
                   WHERE x.indisunique AND t.relnamespace = current_schema()::regnamespace
                   ORDER BY t.relname, i.relname"""
            )
        ]
        sequences = [
            r[0]
            for r in db.rows(
                "SELECT relname FROM pg_class "
                "WHERE relkind = 'S' AND relnamespace = current_schema()::regnamespace"
            )
        ]
    return Catalog({t: tuple(c) for t, c in columns.items()}, tuple(fks), tuple(indexes), tuple(sequences))


# --- read side ----------------------------------------------------------------------------------


def id_array(ids: Iterable[int]) -> str:
    """Row ids as a PostgreSQL array literal, passed as a parameter and cast with ``::bigint[]``.
    psycopg adapts a Python list of 10,000 ints in ~12 ms; this text in ~2 ms. (``bigint[]``, not the
    ``int2[]`` psycopg would pick for small ids: ``bigint = ANY(const bigint[])`` is hashed, a
    cross-type ``bigint = ANY(int2[])`` is a linear search per row.)"""
    return "{" + ",".join(map(str, map(int, ids))) + "}"


def _sql(template: str, **names: str) -> Any:
    """A statement whose {placeholders} are identifiers (table/column names), never values."""
    from psycopg import sql

    return sql.SQL(template).format(**{k: sql.Identifier(v) for k, v in names.items()})


def _opt(schema: TenantSchema, table: str, column: str, alias: str) -> Any:
    """``alias.column`` when the column exists, else NULL (legacy/fresh differences)."""
    from psycopg import sql

    if schema.has(table, column):
        return sql.SQL("{}.{}").format(sql.Identifier(alias), sql.Identifier(column))
    return sql.SQL("NULL")


def tenant_counts(db: Database, schema: TenantSchema, cluster: int | None) -> list[TenantCount]:
    """Live users per cluster with their untagged nodes, tagged nodes (via their keys) and keys."""
    from psycopg import sql

    # Grouped once per table (no index on nodes.user_id: per-user subqueries would scan per user).
    query = sql.SQL(
        """WITH owned AS (SELECT user_id, count(*) AS n FROM nodes WHERE user_id IS NOT NULL
                          GROUP BY user_id),
                tagged AS (SELECT k.user_id, count(*) AS n FROM nodes x
                           JOIN pre_auth_keys k ON k.id = x.auth_key_id
                           WHERE x.user_id IS NULL GROUP BY k.user_id),
                keys AS (SELECT user_id, count(*) AS n FROM pre_auth_keys GROUP BY user_id)
           SELECT u.{c}, u.id, u.name, {provider}, coalesce(owned.n, 0), coalesce(tagged.n, 0),
                  coalesce(keys.n, 0)
           FROM users u
           LEFT JOIN owned ON owned.user_id = u.id
           LEFT JOIN tagged ON tagged.user_id = u.id
           LEFT JOIN keys ON keys.user_id = u.id
           WHERE u.deleted_at IS NULL AND (%(cluster)s::bigint IS NULL OR u.{c} = %(cluster)s)
           ORDER BY u.{c} NULLS LAST, u.name, u.id"""
    ).format(c=sql.Identifier(schema.cluster_column), provider=_opt(schema, USERS, "provider", "u"))
    with db.errors("counting tenants"):
        return [TenantCount(*row) for row in db.rows(query, {"cluster": cluster})]


def _users(db: Database, schema: TenantSchema, where: str, params: dict[str, Any]) -> list[UserRow]:
    """users rows matching ``where`` (alias ``u``; ``{c}`` is the cluster column, ``{pid}`` the
    provider_identifier or NULL), oldest first. ``where`` is always a constant of this module: values
    travel in ``params``."""
    from psycopg import sql

    template = sql.SQL(
        "SELECT u.id, u.name, {pid}, u.{c}, row_to_json(u) FROM users u WHERE {where} ORDER BY u.id"
    )
    names = {
        "c": sql.Identifier(schema.cluster_column),
        "pid": _opt(schema, USERS, "provider_identifier", "u"),
    }
    query = template.format(where=sql.SQL(where).format(**names), **names)
    return [_user(r) for r in db.rows(query, params)]


def find_tenant(db: Database, schema: TenantSchema, name: str, source: int) -> UserRow:
    """The live user row named ``name`` in the source cluster, or a clear bad-input error."""
    with db.errors("looking up the tenant"):
        found = _users(db, schema, "u.name = %(name)s AND u.deleted_at IS NULL", {"name": name})
    if not found:
        raise InputError.at(None, None, "--tenant", f"unknown tenant {name!r}: no live user with that name")
    here = [u for u in found if u.cluster == source]
    if not here:
        clusters = ", ".join(sorted({str(u.cluster) for u in found}))
        raise InputError.at(
            None, None, "--from", f"tenant {name!r} is in cluster(s) {clusters}, not {source}"
        )
    if len(here) > 1:
        ids = ", ".join(f"users.id={u.id} ({u.provider_identifier or 'local'})" for u in here)
        raise InputError.at(
            None,
            None,
            "--tenant",
            f"{len(here)} live users named {name!r} in cluster {source}: {ids}; pass --tenant-id",
        )
    return here[0]


def find_tenant_by_id(db: Database, schema: TenantSchema, user_id: int, source: int) -> UserRow:
    with db.errors("looking up the tenant"):
        found = _users(db, schema, "u.id = %(id)s AND u.deleted_at IS NULL", {"id": user_id})
    if not found:
        raise InputError.at(None, None, "--tenant-id", f"no live user with id {user_id}")
    if found[0].cluster != source:
        raise InputError.at(
            None, None, "--from", f"users.id={user_id} is in cluster {found[0].cluster}, not {source}"
        )
    return found[0]


def _user(row: tuple[Any, ...]) -> UserRow:
    """A users row; its fingerprint is filled in only where it is planned (read_snapshot)."""
    values = dict(row[4])
    return UserRow(
        id=row[0],
        name=row[1],
        provider_identifier=row[2],
        cluster=row[3],
        deleted=values.get("deleted_at") is not None,
        fingerprint="",
        values=values,
    )


def copy_raw(db: Database, query: Any, params: dict[str, Any]) -> bytes:
    """The rows of ``query`` as PostgreSQL streams them in COPY text format: bytes, one line per row."""
    from psycopg import sql

    statement = sql.SQL("COPY ({}) TO STDOUT").format(query)
    with db.conn.cursor() as cursor, cursor.copy(statement, params) as copy:
        return b"".join(copy)


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
            while True:
                size, data = pgconn.get_copy_data(1)
                if size > 0:
                    on_row(bytes(data))
                elif size == 0:
                    _wait_socket(fd)
                    pgconn.consume_input()
                elif size == -1:
                    break
                else:
                    raise psycopg.OperationalError(pgconn.error_message.decode(encoding, "replace"))
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


def copy_lines(db: Database, query: Any, params: dict[str, Any]) -> list[str]:
    """The rows of ``query`` in COPY text format, one string per row (see core/headscale/rowtext)."""
    text = copy_raw(db, query, params).decode()
    return text.split("\n")[:-1] if text else []


def copy_fingerprints(
    db: Database, schema: TenantSchema, table: str, where: Any, params: dict[str, Any]
) -> dict[int, str]:
    """{row id: fingerprint} of the rows of ``table`` matching ``where`` (alias ``t``)."""
    from psycopg import sql

    query = sql.SQL("SELECT t.* FROM {t} AS t WHERE {where}").format(t=sql.Identifier(table), where=where)
    id_index = schema.columns[table].index("id")
    return {row_id(line, id_index): row_fingerprint(line) for line in copy_lines(db, query, params)}


def _snapshot_scope(schema: TenantSchema, table: str) -> Any:
    """The rows a plan moves, as read at plan time (tagged nodes included; the planner chooses)."""
    return _scope_condition(schema, table, include_tagged=True)


def read_snapshot(db: Database, schema: TenantSchema, tenant: UserRow, source: int) -> TenantSnapshot:
    """Every row the tenant owns in the source cluster, with fingerprints and cross-tenant references."""
    from psycopg import sql

    c = sql.Identifier(schema.cluster_column)
    node_query = sql.SQL(
        """SELECT n.id, n.user_id, n.auth_key_id, n.given_name, {hostname}, n.ipv4, n.ipv6, n.node_key,
                  n.machine_key, n.endpoints
           FROM nodes n
           WHERE n.{c} = %(source)s AND (n.user_id = %(uid)s OR (n.user_id IS NULL AND n.auth_key_id IN
                 (SELECT k.id FROM pre_auth_keys k WHERE k.user_id = %(uid)s)))
           ORDER BY n.id"""
    ).format(c=c, hostname=_opt(schema, NODES, "hostname", "n"))
    key_prefix = _opt(schema, KEYS, "prefix", "k")
    key_query = sql.SQL(
        "SELECT k.id, k.user_id, {prefix} FROM pre_auth_keys k "
        "WHERE k.user_id = %(uid)s AND k.{c} = %(source)s ORDER BY k.id"
    ).format(c=c, prefix=key_prefix)
    cross_query = sql.SQL(
        """SELECT n.id, nu.name, k.id, ku.name, n.user_id = %(uid)s
           FROM nodes n JOIN pre_auth_keys k ON k.id = n.auth_key_id
           LEFT JOIN users nu ON nu.id = n.user_id LEFT JOIN users ku ON ku.id = k.user_id
           WHERE n.user_id IS NOT NULL AND n.{c} = %(source)s
             AND ((n.user_id = %(uid)s AND k.user_id IS DISTINCT FROM %(uid)s)
               OR (n.user_id <> %(uid)s AND k.user_id = %(uid)s))
           ORDER BY n.id"""
    ).format(c=c)
    params = {"uid": tenant.id, "source": source}
    with db.errors("reading the tenant's rows"):
        node_fp = copy_fingerprints(db, schema, NODES, _snapshot_scope(schema, NODES), params)
        key_fp = copy_fingerprints(db, schema, KEYS, _snapshot_scope(schema, KEYS), params)
        user_fp = copy_fingerprints(db, schema, USERS, sql.SQL("t.id = %(uid)s"), params)
        nodes = [
            NodeRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], endpoint_ips(r[9]), node_fp[r[0]])
            for r in db.rows(node_query, params)
        ]
        keys = [KeyRow(r[0], r[1], r[2], key_fp[r[0]]) for r in db.rows(key_query, params)]
        cross = [CrossReference(r[0], r[1], r[2], r[3], bool(r[4])) for r in db.rows(cross_query, params)]
        children = _child_rows(db, schema, tenant.id, [n.id for n in nodes], source)
    return TenantSnapshot(
        tenant=replace(tenant, fingerprint=user_fp[tenant.id]),
        nodes=tuple(n for n in nodes if not n.tagged),
        keys=tuple(keys),
        tagged_nodes=tuple(n for n in nodes if n.tagged),
        cross_references=tuple(cross),
        children=tuple(children),
    )


def _child_rows(
    db: Database, schema: TenantSchema, user_id: int, node_ids: list[int], source: int
) -> list[ChildRows]:
    out = []
    for child in schema.children:
        parent_ids = [user_id] if child.parent == USERS else node_ids
        where = _sql(
            "t.{fk} = ANY(%(parents)s) AND t.{c} = %(source)s", fk=child.fk_column, c=schema.cluster_column
        )
        fingerprints = copy_fingerprints(
            db, schema, child.table, where, {"parents": parent_ids, "source": source}
        )
        out.append(ChildRows(child.table, fingerprints))
    return out


def read_target(
    db: Database,
    schema: TenantSchema,
    tenant: UserRow,
    moving_nodes: Sequence[NodeIdentity],
    key_ids: Sequence[int],
    target: int,
    *,
    clashes: Sequence[Clash] | None = None,
) -> TargetState:
    """What already sits in the target cluster that the moving rows collide with: node identities are
    read and compared by the pure node_clashes, unless the caller passes ``clashes`` it already found
    in the database (node_precheck, used by apply)."""
    from psycopg import sql

    c = sql.Identifier(schema.cluster_column)
    exists_query = sql.SQL(
        "SELECT EXISTS (SELECT 1 FROM users WHERE {c} = %(t)s) "
        "OR EXISTS (SELECT 1 FROM nodes WHERE {c} = %(t)s) "
        "OR EXISTS (SELECT 1 FROM pre_auth_keys WHERE {c} = %(t)s)"
    ).format(c=c)
    with db.errors("checking the target cluster"):
        has_rows = bool(db.rows(exists_query, {"t": target})[0][0])
        candidates = _users(
            db,
            schema,
            "u.{c} = %(t)s AND u.id <> %(uid)s AND (u.name = %(name)s OR {pid} = %(pid)s)",
            {"t": target, "uid": tenant.id, "name": tenant.name, "pid": tenant.provider_identifier},
        )
        if clashes is None:
            moving_ids = {n.id for n in moving_nodes}
            served = target_nodes(db, schema, target)
            clashes = node_clashes(moving_nodes, [n for n in served if n.id not in moving_ids])
        key_clashes = _key_clashes(db, schema, key_ids, target)
    return TargetState(has_rows, tuple(candidates), tuple(clashes), tuple(key_clashes))


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
        sql.SQL("{}::text AS {}").format(_opt(schema, NODES, k, "t"), sql.Identifier(k)) for k in IDENTITY_KINDS
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
        deleted=_opt(schema, NODES, "deleted_at", "t"),
        identity=identity,
        scope=_scope_condition(schema, NODES, include_tagged),
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


def _identity_columns(schema: TenantSchema, alias: str) -> Any:
    from psycopg import sql

    return sql.SQL(", ").join(
        sql.SQL("{}::text").format(_opt(schema, NODES, k, alias)) for k in IDENTITY_KINDS
    )


def _identities(db: Database, schema: TenantSchema, where: Any, params: dict[str, Any]) -> list[NodeIdentity]:
    """Node identity values through COPY (far cheaper than row-by-row for tens of thousands of nodes)."""
    from psycopg import sql

    query = sql.SQL("SELECT x.id, {cols}, {deleted} IS NOT NULL FROM nodes x WHERE {where}").format(
        cols=_identity_columns(schema, "x"), deleted=_opt(schema, NODES, "deleted_at", "x"), where=where
    )
    out = []
    for line in copy_lines(db, query, params):
        fields = line.split("\t")
        ipv4, ipv6, given_name, node_key, machine_key = (unescape(f) for f in fields[1:6])
        out.append(
            NodeIdentity(int(fields[0]), ipv4, ipv6, given_name, node_key, machine_key, fields[6] == "t")
        )
    return out


def target_nodes(db: Database, schema: TenantSchema, target: int) -> list[NodeIdentity]:
    """Identity values of every node the target serves; the comparison itself is pure (node_clashes)."""
    from psycopg import sql

    where = sql.SQL("x.{c} = %(t)s").format(c=sql.Identifier(schema.cluster_column))
    return _identities(db, schema, where, {"t": target})


def node_identities(db: Database, schema: TenantSchema, node_ids: Sequence[int]) -> list[NodeIdentity]:
    from psycopg import sql

    with db.errors("reading node identities"):
        return _identities(db, schema, sql.SQL("x.id = ANY(%(ids)s)"), {"ids": list(node_ids)})


def user_by_id(db: Database, schema: TenantSchema, user_id: int) -> UserRow:
    """The tenant's user row wherever it is now (during apply it has already moved)."""
    with db.errors("reading the tenant"):
        found = _users(db, schema, "u.id = %(id)s", {"id": user_id})
    if not found:
        raise ApplyError(f"users.id={user_id} no longer exists; nothing changed.")
    return found[0]


def _key_clashes(db: Database, schema: TenantSchema, key_ids: Sequence[int], target: int) -> list[Clash]:
    out: list[Clash] = []
    if not key_ids:
        return out
    for column, kind in (("prefix", "key_prefix"), ("key", "legacy_key")):
        if not schema.has(KEYS, column):
            continue
        query = _sql(
            """SELECT m.id, o.id, m.{col} FROM pre_auth_keys m JOIN pre_auth_keys o ON o.{col} = m.{col}
               WHERE m.id = ANY(%s::bigint[]) AND o.{c} = %s AND m.{col} <> ''
                 AND NOT (o.id = ANY(%s::bigint[]))
            ORDER BY m.id, o.id""",
            col=column,
            c=schema.cluster_column,
        )
        out += [
            Clash(kind, KEYS, r[0], r[1], _shown_key(kind, r[2]))
            for r in db.rows(query, (id_array(key_ids), target, id_array(key_ids)))
        ]
    return out


def _shown_key(kind: str, value: str) -> str:
    # a legacy plaintext key is a secret: name it by its first characters only
    return value if kind == "key_prefix" else value[:6] + "…"


# --- write side ---------------------------------------------------------------------------------


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
    got = db.rows(
        "SELECT pg_try_advisory_xact_lock(hashtext(%s), %s)", (LOCK_NAMESPACE, tenant_id % 2147483647)
    )[0][0]
    if not got:
        _lock_refused(tenant_id, tenant_name)


def _lock_refused(tenant_id: int, tenant_name: str) -> NoReturn:
    raise ApplyError(
        f"another move of tenant {tenant_name!r} (users.id={tenant_id}) is running right now "
        "(advisory lock held); nothing changed. Wait for it and re-plan."
    )


def _scope_condition(schema: TenantSchema, table: str, include_tagged: bool) -> Any:
    """Rows that belong to the tenant now, so rows added since the plan show up as drift."""
    from psycopg import sql

    c = sql.Identifier(schema.cluster_column)
    if table == NODES:
        tagged = (
            sql.SQL(
                " OR (t.user_id IS NULL AND t.auth_key_id IN (SELECT k.id FROM pre_auth_keys k "
                "WHERE k.user_id = %(uid)s))"
            )
            if include_tagged
            else sql.SQL("")
        )
        return sql.SQL("(t.{c} = %(source)s AND (t.user_id = %(uid)s{tagged}))").format(c=c, tagged=tagged)
    if table == KEYS:
        return sql.SQL("(t.{c} = %(source)s AND t.user_id = %(uid)s)").format(c=c)
    return sql.SQL("false")


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
            scope=_scope_condition(schema, table, include_tagged)
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
            else sql.SQL("({} OR {})").format(planned_ids, _scope_condition(schema, table, include_tagged))
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


def _begin_move(
    db: Database, lock_timeout_ms: int, statement_timeout_ms: int, tenant_id: int
) -> tuple[bool, str]:
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
    db.conn.execute(
        "SELECT set_config('enable_mergejoin', 'off', true), set_config('work_mem', '32MB', true)"
    )


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
    with db.errors(f"moving tenant {tenant_name!r}"), db.repeatable_read():
        locked, snapshot = _begin_move(db, lock_timeout_ms, statement_timeout_ms, tenant_id)
        if not locked:
            _lock_refused(tenant_id, tenant_name)
        running = reader.start(snapshot, checks, lock_timeout_ms, statement_timeout_ms) if reader else None
        if running is None:
            recheck_planner(db)
            new_ids, conflicts = checks(db)
        moved = move_rows(
            db, schema, rows, source, target, journal, tenant_id=tenant_id, include_tagged=include_tagged
        )
        if running is not None:
            new_ids, conflicts = running.result()
        drift = [RowDrift(NODES, i, "new") for i in new_ids] + moved.drift
        if drift:
            shown = ", ".join(map(str, drift[:10])) + (
                f" (+{len(drift) - 10} more)" if len(drift) > 10 else ""
            )
            raise ApplyError(
                f"rows changed since the plan was made: {shown}; nothing changed. Make a new plan."
            )
        if conflicts:
            raise ApplyError(
                "the target cluster changed since the plan: "
                + "; ".join(conflicts[:10])
                + "; nothing changed."
            )
        # one fsync makes the before-images and this record durable before COMMIT (a refused move's
        # journal is synced by the caller's "aborted" record)
        journal.append(record_line("step", name="db-move", state="updated", at=now(), counts=moved.counts))
        journal.sync()
    journal.append(record_line("committed", at=now()))
    journal.sync()
    return MoveResult(moved.counts, time.perf_counter() - started)


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
            lock = sql.SQL(
                "SELECT t.id FROM {t} t WHERE t.id IN (SELECT unnest(%(ids)s::bigint[])) FOR UPDATE"
            )
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
            shown = ", ".join(map(str, drift[:10])) + (
                f" (+{len(drift) - 10} more)" if len(drift) > 10 else ""
            )
            raise ApplyError(
                f"refusing to roll back: {shown}; nothing changed. --force overwrites them with the "
                "before-image."
            )
        imaged = {
            t: {row_id(line, schema.columns[t].index("id")) for line in lines} for t, lines in before.items()
        }
        missing = [f"{t}.id={i}" for t, ids in after_fp.items() for i in ids if i not in imaged.get(t, set())]
        if missing:
            raise ApplyError(
                f"the journal has no before-image for {', '.join(missing[:5])}; nothing changed."
            )
        counts: dict[str, int] = {}
        for table, lines in before.items():
            counts[table] = _restore_table(db, schema, table, lines, before_fp.get(table, {}))
    return RestoreResult("restored", counts, drift)


def _restore_table(
    db: Database, schema: TenantSchema, table: str, lines: list[str], before_fp: dict[int, str]
) -> int:
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
        sql.SQL(
            "UPDATE {t} AS t SET ({cols}) = ROW({scols}) FROM {s} AS r WHERE t.id = r.id RETURNING t.id"
        ).format(
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
