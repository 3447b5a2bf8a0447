"""PostgreSQL side of the Headscale tenant move, read half (psycopg 3): connection, introspection, the
tenant and target reads and apply's set-based re-check; the write half is ``pg_write``.

Every value travels as a parameter and every name as ``sql.Identifier``. Rows are read as PostgreSQL's
COPY text under a pinned session (UTC, ISO dates, hex bytea): the same row always gives the same line,
its md5 is the row's fingerprint, the line is the journal's before-image, and ``COPY FROM`` loads it
back byte for byte on rollback (see core/headscale/rowtext.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

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
from opskit.errors import ApplyError, EnvironmentProblem, InputError

if TYPE_CHECKING:
    import psycopg

DSN_ENV = "OPSKIT_HEADSCALE_DSN"

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
        except (UnicodeError, ValueError) as exc:  # a host name resolving cannot even encode (IDNA)
            raise InputError.at(
                None, None, "dsn", f"cannot connect to {self.dsn_shown}: bad host name ({exc})"
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
        raise InputError.option("--tenant", f"unknown tenant {name!r}: no live user with that name")
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
        raise InputError.option("--tenant-id", f"no live user with id {user_id}")
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


def scope_condition(schema: TenantSchema, table: str, include_tagged: bool) -> Any:
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


def _snapshot_scope(schema: TenantSchema, table: str) -> Any:
    """The rows a plan moves, as read at plan time (tagged nodes included; the planner chooses)."""
    return scope_condition(schema, table, include_tagged=True)


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
