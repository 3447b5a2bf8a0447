"""The tenant and target reads behind `headscale tenants` and `migrate plan`: tenants per cluster, the
tenant's rows with fingerprints, and what already sits in the target cluster."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from opskit.adapters.pg.connection import Database
from opskit.adapters.pg.copy_stream import copy_fingerprints, copy_lines
from opskit.adapters.pg.query import column_or_null, id_array, named_sql, scope_condition
from opskit.core.headscale.rowtext import unescape
from opskit.core.headscale.schema import KEYS, NODES, USERS, TenantSchema
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
from opskit.errors import ApplyError, InputError


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
    ).format(c=sql.Identifier(schema.cluster_column), provider=column_or_null(schema, USERS, "provider", "u"))
    with db.errors("counting tenants"):
        return [TenantCount(*row) for row in db.rows(query, {"cluster": cluster})]


def _users(db: Database, schema: TenantSchema, where: str, params: dict[str, Any]) -> list[UserRow]:
    """users rows matching ``where`` (alias ``u``; ``{c}`` is the cluster column, ``{pid}`` the
    provider_identifier or NULL), oldest first. ``where`` is always a constant of this module: values
    travel in ``params``."""
    from psycopg import sql

    template = sql.SQL("SELECT u.id, u.name, {pid}, u.{c}, row_to_json(u) FROM users u WHERE {where} ORDER BY u.id")
    names = {
        "c": sql.Identifier(schema.cluster_column),
        "pid": column_or_null(schema, USERS, "provider_identifier", "u"),
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
        raise InputError.at(None, None, "--from", f"tenant {name!r} is in cluster(s) {clusters}, not {source}")
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
        raise InputError.at(None, None, "--from", f"users.id={user_id} is in cluster {found[0].cluster}, not {source}")
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
    ).format(c=c, hostname=column_or_null(schema, NODES, "hostname", "n"))
    key_prefix = column_or_null(schema, KEYS, "prefix", "k")
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


def _child_rows(db: Database, schema: TenantSchema, user_id: int, node_ids: list[int], source: int) -> list[ChildRows]:
    out = []
    for child in schema.children:
        parent_ids = [user_id] if child.parent == USERS else node_ids
        where = named_sql(
            "t.{fk} = ANY(%(parents)s) AND t.{c} = %(source)s", fk=child.fk_column, c=schema.cluster_column
        )
        fingerprints = copy_fingerprints(db, schema, child.table, where, {"parents": parent_ids, "source": source})
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


def _identity_columns(schema: TenantSchema, alias: str) -> Any:
    from psycopg import sql

    return sql.SQL(", ").join(
        sql.SQL("{}::text").format(column_or_null(schema, NODES, k, alias)) for k in IDENTITY_KINDS
    )


def _identities(db: Database, schema: TenantSchema, where: Any, params: dict[str, Any]) -> list[NodeIdentity]:
    """Node identity values through COPY (far cheaper than row-by-row for tens of thousands of nodes)."""
    from psycopg import sql

    query = sql.SQL("SELECT x.id, {cols}, {deleted} IS NOT NULL FROM nodes x WHERE {where}").format(
        cols=_identity_columns(schema, "x"), deleted=column_or_null(schema, NODES, "deleted_at", "x"), where=where
    )
    out = []
    for line in copy_lines(db, query, params):
        fields = line.split("\t")
        ipv4, ipv6, given_name, node_key, machine_key = (unescape(f) for f in fields[1:6])
        out.append(NodeIdentity(int(fields[0]), ipv4, ipv6, given_name, node_key, machine_key, fields[6] == "t"))
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
        query = named_sql(
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
