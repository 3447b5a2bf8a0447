"""Start and stop a throw-away PostgreSQL 15 on a free loopback port (tests and bench/migrate.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.ports import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass
class PgServer:
    host: str
    port: int
    base: str
    password: str

    def dsn(self, dbname: str = "postgres", user: str = "postgres", password: str | None = None) -> str:
        secret = self.password if password is None else password
        return f"postgresql://{user}:{secret}@{self.host}:{self.port}/{dbname}"

    def admin(self, dbname: str = "postgres") -> Any:
        import psycopg

        return psycopg.connect(self.dsn(dbname), autocommit=True)

    def stop(self) -> None:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(PG_BIN / "pg_ctl"),
                "-D",
                f"{self.base}/data",
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.base, ignore_errors=True)


def start_postgres(password: str) -> PgServer:
    """initdb + pg_ctl start as user postgres (PostgreSQL refuses root); scram-sha-256 over TCP so a
    DSN password is really used; fsync off (throw-away data)."""
    base = tempfile.mkdtemp(prefix="opskit-pg-", dir="/tmp")
    shutil.chown(base, "postgres", "postgres")
    os.chmod(base, 0o755)
    pwfile = f"{base}/pw"
    Path(pwfile).write_text(password + "\n")
    shutil.chown(pwfile, "postgres", "postgres")
    try:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(PG_BIN / "initdb"),
                "-D",
                f"{base}/data",
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                f"--pwfile={pwfile}",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        port = free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off -c full_page_writes=off "
            "-c synchronous_commit=off -c max_connections=60"
        )
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(PG_BIN / "pg_ctl"),
                "-D",
                f"{base}/data",
                "-l",
                f"{base}/log",
                "-o",
                options,
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    os.unlink(pwfile)
    return PgServer("127.0.0.1", port, base, password)
