"""Generated proofs against the real PostgreSQL: a DSN password in any spelling never reaches stdout,
stderr, JSON or the plan file, and tenant names full of markup and terminal escapes are shown, not obeyed."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.headscale.conftest import HeadscaleDb
from tests.support.hostile import (
    HOSTILE_FRAGMENTS,
    assert_secret_absent,
    dsn_spellings,
    hostile_text,
    passwords,
    terminal_safe,
)
from tests.support.ports import free_port

ROLE = "hs_hostile"
# The database and the runner are shared by the examples on purpose: the commands under test only read.
_SHARED_FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def _set_role_password(db: HeadscaleDb, password: str) -> None:
    from psycopg import sql

    with db.server.admin() as admin:
        exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE]).fetchone()
        verb = "ALTER" if exists else "CREATE"
        admin.execute(
            # Superuser: apply and rollback write rows, take locks and COPY; the role exists for its password.
            sql.SQL(verb + " ROLE {} LOGIN SUPERUSER PASSWORD {}").format(sql.Identifier(ROLE), sql.Literal(password))
        )


_CLOSED_PORT = free_port()  # nothing listens there: connect() is refused at once


def _reaches_only_loopback(password: str) -> bool:
    # A raw password with '/', '?', '#' or '@' moves libpq's idea of the host: it could look up a random
    # name in DNS, and tests talk to loopback only.
    return not any(ch in password for ch in "/?#@")


@settings(max_examples=4, deadline=None, suppress_health_check=_SHARED_FIXTURES)
@given(password=passwords())
def test_a_working_dsn_in_any_spelling_never_shows_its_password(
    cli, hsdb: HeadscaleDb, tmp_path: Path, password: str
) -> None:
    _set_role_password(hsdb, password)
    server = hsdb.server
    spellings = dsn_spellings(password, server.host, server.port, hsdb.name, user=ROLE)
    for number, spelling in enumerate(s for s in spellings if s.libpq_valid):
        output_format = ("human", "json")[number % 2]
        listed = cli(["headscale", "tenants", "--dsn", spelling.dsn, "-F", output_format])
        assert listed.exit_code == 0, (spelling.how, listed.stderr)
        assert "hsa" in listed.stdout
        assert_secret_absent(password, listed.stdout, listed.stderr)
    plan = tmp_path / "plan.json"
    plan_args = ["headscale", "migrate", "plan", "--tenant", "hsa", "--from", "3", "--to", "4", "--with-tagged"]
    planned = cli([*plan_args, "--dsn", spellings[0].dsn, "-o", str(plan)])
    assert planned.exit_code == 0, planned.stderr
    planned_json = cli([*plan_args, "--dsn", spellings[4].dsn, "-F", "json"])
    assert json.loads(planned_json.stdout)["plan"]["database"].startswith("host=")
    assert_secret_absent(
        password, planned.stdout, planned.stderr, plan.read_text(), planned_json.stdout, planned_json.stderr
    )
    # apply and rollback with two more spellings: their stdout, JSON and the journal.
    journal = tmp_path / "journal"
    journal.unlink(missing_ok=True)
    applied = cli(
        ["headscale", "migrate", "apply", str(plan), "--yes", "--journal", str(journal)]
        + ["--dsn", spellings[4].dsn, "-F", "json"]
    )
    rolled = cli(["headscale", "migrate", "rollback", str(journal), "--yes", "--dsn", spellings[3].dsn])
    assert applied.exit_code == 0 and rolled.exit_code == 0, applied.stderr + rolled.stderr
    assert_secret_absent(password, applied.stdout, applied.stderr, journal.read_text(), rolled.stdout, rolled.stderr)
    # A wrong password: libpq's message names the user; ours must not name the password we tried.
    wrong = spellings[0].dsn.replace(f"{ROLE}:", f"{ROLE}:x", 1)
    refused = cli(["headscale", "tenants", "--dsn", wrong])
    assert refused.exit_code == 2 and "password authentication failed" in refused.stderr
    assert_secret_absent(password, refused.stdout, refused.stderr)


@settings(max_examples=80, deadline=None, suppress_health_check=_SHARED_FIXTURES)
@given(
    password=passwords(),
    command=st.sampled_from(["tenants", "plan", "apply", "rollback"]),
    which=st.integers(min_value=0, max_value=9),
    output_format=st.sampled_from(["human", "json"]),
)
def test_unreachable_or_unparsable_dsns_never_show_their_password(
    cli, tmp_path: Path, password: str, command: str, which: int, output_format: str
) -> None:
    """The driver's error path: libpq repeats a DSN it cannot parse, in its own quoting."""
    args = {
        "tenants": ["headscale", "tenants"],
        "plan": ["headscale", "migrate", "plan", "--tenant", "t", "--from", "1", "--to", "2"],
        "apply": ["headscale", "migrate", "apply", str(tmp_path / "missing-plan.json"), "--yes"],
        "rollback": ["headscale", "migrate", "rollback", str(tmp_path / "missing-journal")],
    }[command]
    spelling = dsn_spellings(password, "127.0.0.1", _CLOSED_PORT, "headscale")[which]
    if spelling.how == "URI, raw password" and not _reaches_only_loopback(password):
        spelling = dsn_spellings(password, "127.0.0.1", _CLOSED_PORT, "headscale")[0]
    result = cli([*args, "--dsn", spelling.dsn, "-F", output_format])
    assert result.exit_code == 2, (spelling.how, result.stdout, result.stderr)
    assert_secret_absent(password, result.stdout, result.stderr)


def test_tenant_names_with_markup_and_terminal_escapes_are_shown_not_obeyed(
    cli, hsdb: HeadscaleDb, tmp_path: Path
) -> None:
    from tests.headscale import seed

    names = [f"t{number}{fragment}" for number, fragment in enumerate(HOSTILE_FRAGMENTS)]
    with hsdb.connect() as conn:
        for name in names:
            seed.user(conn, name, 3)
    human = cli(["headscale", "tenants", "--dsn", hsdb.dsn])
    assert human.exit_code == 0, human.stderr
    assert terminal_safe(human.stdout)
    assert "t0[bold red]ALERT[/]" in human.stdout  # markup shown as typed, not applied
    assert "t1[link=https://evil.example]click[/link]" in human.stdout
    assert "t2\\x1b[2J\\x1b[31mred" in human.stdout  # the ESC is visible as \x1b
    assert "t6\\u202eexe.txt" in human.stdout
    as_json = json.loads(cli(["headscale", "tenants", "--dsn", hsdb.dsn, "-F", "json"]).stdout)
    assert set(names) <= {t["name"] for t in as_json["tenants"]}  # JSON keeps the raw value
    for name in names[:3] + names[6:8]:
        planned = cli(["headscale", "migrate", "plan", "--tenant", name, "--from", "3", "--to", "4", "--dsn", hsdb.dsn])
        assert planned.exit_code in (0, 1), planned.stderr
        assert terminal_safe(planned.stdout + planned.stderr)


@settings(max_examples=20, deadline=None, suppress_health_check=_SHARED_FIXTURES)
@given(name=hostile_text)
def test_any_generated_tenant_name_renders_terminal_safe(cli, hsdb: HeadscaleDb, name: str) -> None:
    from tests.headscale import seed

    name = name.replace("\x00", "")  # PostgreSQL text cannot hold NUL
    with hsdb.connect() as conn:
        conn.execute("DELETE FROM users WHERE cluster_id = 9")
        seed.user(conn, "h" + name, 9)
    human = cli(["headscale", "tenants", "--cluster", "9", "--dsn", hsdb.dsn])
    assert human.exit_code == 0, human.stderr
    assert terminal_safe(human.stdout), repr(human.stdout)
