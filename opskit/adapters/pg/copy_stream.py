"""Rows as PostgreSQL streams them in COPY text format: read whole (small reads, fingerprints), or
streamed row by row into a sink while hashing (the move's before-image)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from opskit.adapters.pg.connection import Database
from opskit.core.headscale.rowtext import row_fingerprint, row_id
from opskit.core.headscale.schema import TenantSchema
from opskit.errors import ApplyError


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
