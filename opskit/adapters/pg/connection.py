"""One open PostgreSQL connection for the tenant move: the pinned session settings, the DSN shown
masked, and driver errors mapped to opskit's (privileges/unreachable → exit 2, locks/timeouts → exit 1).

The session is pinned (UTC, ISO dates, hex bytea) so the same row always gives the same COPY text line:
its md5 is the row's fingerprint, the line is the journal's before-image, and ``COPY FROM`` loads it
back byte for byte on rollback (see core/headscale/rowtext.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from opskit.core.redact import redact_dsn, scrub, secrets_in
from opskit.errors import ApplyError, EnvironmentProblem

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


def resolve_dsn(option: str | None) -> str:
    """--dsn, else OPSKIT_HEADSCALE_DSN, else "" (libpq reads PGHOST/PGUSER/... itself).

    Stripped: a DSN pasted with a leading space is refused by libpq, whose message then repeats it whole.
    """
    return (option or os.environ.get(DSN_ENV, "")).strip()


def _password_of(dsn: str) -> tuple[str, ...]:
    """The DSN's passwords as written and as libpq reads them, plus PGPASSWORD."""
    secrets = list(secrets_in(dsn))
    try:
        from psycopg.conninfo import conninfo_to_dict

        parsed = conninfo_to_dict(dsn)
        secrets += [str(parsed[key]) for key in ("password", "sslpassword") if parsed.get(key)]
    except Exception:  # noqa: BLE001 - an unparsable DSN is reported by connect() below
        pass
    if os.environ.get("PGPASSWORD"):
        secrets.append(os.environ["PGPASSWORD"])
    return tuple(dict.fromkeys(secrets))


def describe(dsn: str) -> str:
    """The masked DSN shown everywhere (or what libpq's environment points at)."""
    if dsn:
        return redact_dsn(dsn)
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
        except UnicodeError:  # psycopg resolves the host itself: a label over 63 characters fails in IDNA
            raise EnvironmentProblem(
                f"cannot connect to the database ({self.dsn_shown}): its host name is not a valid DNS name "
                "(a label longer than 63 characters, or characters IDNA cannot encode).",
                hint="Check the host in --dsn / OPSKIT_HEADSCALE_DSN / PGHOST.",
            ) from None
        with self.errors("setting up the session"):  # one round trip for all of them
            calls = ", ".join("set_config(%s, %s, false)" for _ in _SESSION_SETTINGS)
            self.conn.execute(f"SELECT {calls}", [v for pair in _SESSION_SETTINGS for v in pair])

    def close(self) -> None:
        self.conn.close()

    def clean(self, exc: BaseException) -> str:
        """A driver message with the DSN and password removed, on one line."""
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if self._dsn:  # libpq echoes a DSN it cannot parse, sometimes stripped
            for form in dict.fromkeys((self._dsn, self._dsn.strip())):
                if form:
                    text = text.replace(form, self.dsn_shown)
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


def set_transaction_limits(db: Database, lock_timeout_ms: int, statement_timeout_ms: int) -> None:
    """lock_timeout and statement_timeout for the current transaction only."""
    # set_config(..., true) is SET LOCAL with parameters: the limits end with the transaction.
    db.conn.execute(
        "SELECT set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true)",
        (f"{int(lock_timeout_ms)}ms", f"{int(statement_timeout_ms)}ms"),
    )
