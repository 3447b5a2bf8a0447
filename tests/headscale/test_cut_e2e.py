"""End to end on loopback: DB move + Traefik switch + cutting the tenant's long-lived upgraded session
on the edge with the `opskit sockets` library; the client's reconnect lands on the new backend.

Needs root (ss -K needs CAP_NET_ADMIN)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.headscale.backends import Backend, ReconnectingClient
from tests.headscale.conftest import HeadscaleDb
from tests.headscale.helpers import apply_args, route_plan_args
from tests.support.tools import require_binary, require_root

pytestmark = pytest.mark.integration

CLIENT = "127.0.0.7"  # this test's "tenant client" address; the filter is narrowed to it and our port


def test_tenant_session_is_cut_on_the_edge_and_reconnects_to_the_new_backend(
    cli, hsdb: HeadscaleDb, tmp_path: Path, traefik_factory
) -> None:
    require_root("ss -K needs CAP_NET_ADMIN")
    require_binary("ss", "apt-get install -y iproute2")
    a, b = Backend("cluster3", "127.0.0.2").start(), Backend("cluster4", "127.0.0.3").start()
    client = None
    try:
        traefik = traefik_factory(a.address, b.address)
        client = ReconnectingClient(CLIENT, traefik.web_port, "hsa.demo.com").start()
        deadline = time.monotonic() + 10
        while not client.greetings and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.greetings == ["hello from cluster3"]

        plan = tmp_path / "plan.json"
        planned = cli(
            route_plan_args(
                hsdb.dsn,
                plan,
                str(traefik.dynamic_file),
                "--entry-port",
                str(traefik.web_port),
                "--client",
                CLIENT,
                "--reconnect-wait",
                "5",
                api=traefik.api_url,
            )
        )
        assert planned.exit_code == 0, planned.stdout + planned.stderr
        dry = cli(["headscale", "migrate", "apply", str(plan), "--dsn", hsdb.dsn, "-F", "json"])
        assert dry.exit_code == 0, dry.stdout + dry.stderr
        [preview] = [s for s in json.loads(dry.stdout)["steps"] if s["name"] == "cut-sessions"]
        assert f"sport = :{traefik.web_port}" in preview["detail"] and "1 session(s) match now" in preview["detail"]
        assert client.greetings == ["hello from cluster3"]  # the dry run cut nothing

        journal = tmp_path / "j"
        applied = cli(apply_args(str(plan), hsdb.dsn, "-F", "json", journal=str(journal)))
        assert applied.exit_code == 0, applied.stdout + applied.stderr
        steps = {s["name"]: s for s in json.loads(applied.stdout)["steps"]}
        assert steps["cut-sessions"]["data"]["cut"] >= 1
        assert steps["cut-sessions"]["data"]["clients_reconnected"] == [CLIENT]

        deadline = time.monotonic() + 5
        while len(client.greetings) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.greetings[:2] == ["hello from cluster3", "hello from cluster4"]
        assert b.upgraded >= 1
        cut = [json.loads(line) for line in journal.read_text().splitlines() if '"cut-sessions"' in line]
        assert cut[-1]["record"] == "step" and cut[-1]["state"] == "done"
    finally:
        if client:
            client.stop()
        a.stop()
        b.stop()
