"""Turn what the database catalog says into the model of a tenant's tables — never assume a schema.

The adapter reads ``information_schema``/``pg_constraint``/``pg_index`` into a :class:`Catalog`;
:func:`tenant_schema` decides whether opskit can move a tenant in it and how, or says what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from opskit.errors import InputError, Problem

USERS, NODES, KEYS = "users", "nodes", "pre_auth_keys"

# Columns the move reads; the rest of each row is carried along untouched (before-image, fingerprint).
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    USERS: ("id", "name", "deleted_at"),
    NODES: (
        "id",
        "user_id",
        "auth_key_id",
        "machine_key",
        "node_key",
        "ipv4",
        "ipv6",
        "given_name",
        "endpoints",
    ),
    KEYS: ("id", "user_id"),
}


@dataclass(frozen=True)
class ForeignKey:
    """One FK constraint as pg_constraint describes it (``on_delete`` in SQL words)."""

    name: str
    table: str
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: str


@dataclass(frozen=True)
class UniqueIndex:
    """A unique index or constraint; ``predicate`` is pg_get_expr() text for partial indexes."""

    name: str
    table: str
    columns: tuple[str, ...]
    predicate: str | None
    primary: bool = False


@dataclass(frozen=True)
class Catalog:
    """What introspection found in one schema: table → column names, FKs, unique indexes."""

    columns: dict[str, tuple[str, ...]]
    foreign_keys: tuple[ForeignKey, ...]
    unique_indexes: tuple[UniqueIndex, ...]
    sequences: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChildTable:
    """A further cluster-scoped table whose rows follow a parent row (e.g. legacy ``routes``)."""

    table: str
    fk_column: str
    parent: str


@dataclass(frozen=True)
class TenantSchema:
    """Everything the planner and the adapter need to know about the live schema."""

    cluster_column: str
    columns: dict[str, tuple[str, ...]]
    foreign_keys: tuple[ForeignKey, ...]
    user_unique: tuple[UniqueIndex, ...]
    key_unique: tuple[UniqueIndex, ...]
    children: tuple[ChildTable, ...]
    variant: str  # "fresh" or "upgraded-legacy"
    legacy_marks: tuple[str, ...]

    def has(self, table: str, column: str) -> bool:
        return column in self.columns.get(table, ())

    def facts(self) -> list[str]:
        """What introspection found that matters to a move, in words (shown in the plan)."""
        tenant_tables = (USERS, NODES, KEYS, *(c.table for c in self.children))
        out = [f"schema variant: {self.variant}" + (f" ({'; '.join(self.legacy_marks)})" if self.legacy_marks else "")]
        for fk in self.foreign_keys:
            if fk.table in tenant_tables:
                out.append(
                    f"FK {fk.name}: {fk.table}({', '.join(fk.columns)}) → {fk.ref_table}"
                    f"({', '.join(fk.ref_columns)}) ON DELETE {fk.on_delete}"
                )
        for index in (*self.user_unique, *self.key_unique):
            where = f" WHERE {index.predicate}" if index.predicate else ""
            out.append(
                f"unique {index.name}: {index.table}({', '.join(index.columns)}){where} — scope {self.scope_of(index)}"
            )
        return out

    def scope_of(self, index: UniqueIndex) -> str:
        """Human words for the scope a unique index enforces."""
        return "per cluster" if self.cluster_column in index.columns else "whole database"


def tenant_schema(catalog: Catalog, cluster_column: str = "cluster_id") -> TenantSchema:
    """Validate ``catalog`` for tenant moves; raise InputError listing every missing piece."""
    problems: list[Problem] = []
    cols = catalog.columns
    if NODES not in cols and "machines" in cols:
        problems.append(
            Problem(
                None,
                None,
                "nodes",
                "only a pre-0.23 `machines` table exists (ip_addresses "
                "list); upgrade headscale to ≥ 0.23 before moving tenants",
            )
        )
    for table, needed in REQUIRED_COLUMNS.items():
        if table not in cols:
            if not (table == NODES and "machines" in cols):
                problems.append(Problem(None, None, table, "table is missing"))
            continue
        missing = [c for c in (*needed, cluster_column) if c not in cols[table]]
        if "ipv4" in missing and "ip_addresses" in cols[table]:
            problems.append(
                Problem(
                    None,
                    None,
                    f"{table}.ip_addresses",
                    "pre-0.23 IP list column; ipv4/ipv6 columns are required (upgrade headscale first)",
                )
            )
        if missing:
            problems.append(Problem(None, None, table, "missing column(s) " + ", ".join(missing)))
    if KEYS in cols and not ({"prefix", "key"} & set(cols[KEYS])):
        problems.append(Problem(None, None, KEYS, "neither `prefix` nor legacy `key` column"))
    if problems:
        raise InputError(f"unsupported headscale schema for tenant moves (cluster column `{cluster_column}`)", problems)

    children = _child_tables(catalog, cluster_column, problems)
    if problems:
        raise InputError("unsupported headscale schema for tenant moves", problems)
    marks = _legacy_marks(catalog)
    return TenantSchema(
        cluster_column=cluster_column,
        columns=dict(cols),
        foreign_keys=catalog.foreign_keys,
        user_unique=tuple(i for i in catalog.unique_indexes if i.table == USERS and not i.primary),
        key_unique=tuple(i for i in catalog.unique_indexes if i.table == KEYS and not i.primary),
        children=children,
        variant="upgraded-legacy" if marks else "fresh",
        legacy_marks=marks,
    )


def _child_tables(catalog: Catalog, cluster_column: str, problems: list[Problem]) -> tuple[ChildTable, ...]:
    """Other cluster-scoped tables must hang off users or nodes by an FK, else we cannot scope them."""
    children = []
    for table, columns in sorted(catalog.columns.items()):
        if table in (USERS, NODES, KEYS) or cluster_column not in columns:
            continue
        parents = [
            fk
            for fk in catalog.foreign_keys
            if fk.table == table and fk.ref_table in (USERS, NODES) and len(fk.columns) == 1
        ]
        if not parents:
            problems.append(
                Problem(
                    None,
                    None,
                    table,
                    f"has `{cluster_column}` but no foreign key to users or "
                    "nodes, so opskit cannot tell which of its rows belong to a tenant",
                )
            )
            continue
        fk = parents[0]
        children.append(ChildTable(table, fk.columns[0], fk.ref_table))
    return tuple(children)


def _legacy_marks(catalog: Catalog) -> tuple[str, ...]:
    """Traces an upgraded (pre-0.23-created) database leaves behind; shown so the operator knows."""
    marks = []
    if "machines_id_seq" in catalog.sequences:
        marks.append("sequence machines_id_seq")
    for index in catalog.unique_indexes:
        if index.name == "machines_pkey":
            marks.append("primary key machines_pkey on nodes")
        if index.name == "users_name_key":
            marks.append("global UNIQUE(users.name) users_name_key")
    for table in ("routes", "pre_auth_key_acl_tags"):
        if table in catalog.columns:
            marks.append(f"leftover table {table}")
    if "forced_tags" in catalog.columns.get(NODES, ()):
        marks.append("column nodes.forced_tags")
    return tuple(marks)


# --- partial-index predicates -------------------------------------------------------------------
# Headscale's partial unique indexes use only IS [NOT] NULL and <> '' tests; those we evaluate exactly.
_ATOM_NULL = re.compile(r"^(\w+) IS (NOT )?NULL$")
_ATOM_NOT_EMPTY = re.compile(r"^\(?(\w+)\)?(?:::text)? <> ''(?:::\w+(?: \w+)?)?$")


def predicate_holds(predicate: str | None, row: dict[str, object]) -> bool | None:
    """Does a row fall under a partial index? None when the predicate is beyond this evaluator."""
    if predicate is None:
        return True
    result = True
    for atom in _split_and(_strip_parens(predicate)):
        atom = _strip_parens(atom)
        if m := _ATOM_NULL.match(atom):
            value = row.get(m.group(1))
            holds = (value is not None) if m.group(2) else (value is None)
        elif m := _ATOM_NOT_EMPTY.match(atom):
            value = row.get(m.group(1))
            holds = value is not None and value != ""
        else:
            return None
        result = result and holds
    return result


def _strip_parens(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0


def _split_and(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    upper = text.upper()
    i = 0
    while i < len(text):
        ch = text[i]
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and upper.startswith(" AND ", i):
            parts.append(text[start:i])
            i += 5
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return parts
