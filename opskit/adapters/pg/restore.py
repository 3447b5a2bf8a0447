"""Putting a journal's before-image back: one transaction, rows changed since the move refused (unless
forced), each restored row proven byte-identical to its before-image."""

from __future__ import annotations

from dataclasses import dataclass

from opskit.adapters.pg.connection import Database, set_transaction_limits
from opskit.adapters.pg.copy_stream import copy_fingerprints
from opskit.adapters.pg.move import lock_tenant
from opskit.adapters.pg.query import id_array
from opskit.core.headscale.rowtext import row_id
from opskit.core.headscale.schema import TenantSchema
from opskit.core.headscale.snapshot import RowDrift
from opskit.errors import ApplyError


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
        set_transaction_limits(db, lock_timeout_ms, statement_timeout_ms)
        lock_tenant(db, tenant_id, tenant_name)
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
