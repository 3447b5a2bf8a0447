"""Introspection: the columns, foreign keys and unique indexes the tenant move works from."""

from __future__ import annotations

from opskit.adapters.pg.connection import Database
from opskit.core.headscale.schema import Catalog, ForeignKey, UniqueIndex

_ON_DELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


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
                "SELECT relname FROM pg_class WHERE relkind = 'S' AND relnamespace = current_schema()::regnamespace"
            )
        ]
    return Catalog({t: tuple(c) for t, c in columns.items()}, tuple(fks), tuple(indexes), tuple(sequences))
