"""The Traefik step against a real Traefik: atomic rewrite, confirmation through its read-only API,
new requests landing on the new backend, other routers untouched, and the inverse on rollback."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.headscale.backends import Backend
from tests.headscale.conftest import HeadscaleDb
from tests.headscale.helpers import apply_args, journal_records, opskit_process, route_plan_args

pytestmark = pytest.mark.integration


def _who(traefik, host: str, expected: str | None = None) -> str:
    """The backend answering ``host``; with ``expected``, asked again for up to 5 s until it answers.

    The API shows a new router config a moment before the entry point swaps its handler, so a
    request right after the confirmation can still reach the old backend on a loaded machine."""
    import time

    deadline = time.monotonic() + 5
    while True:
        answer = httpx.get(
            f"http://127.0.0.1:{traefik.web_port}/", headers={"Host": host}, timeout=5, trust_env=False
        ).text.strip()
        if expected is None or answer == expected or time.monotonic() > deadline:
            return answer
        time.sleep(0.05)


def _router_service(traefik, router: str, expected: str) -> str:
    """The service Traefik's API shows for ``router``, asked again for up to 5 s until it is ``expected``."""
    import time

    deadline = time.monotonic() + 5
    while True:
        url = f"{traefik.api_url}/api/http/routers/{router}@file"
        service = str(httpx.get(url, timeout=5, trust_env=False).json().get("service"))
        if service == expected or time.monotonic() > deadline:
            return service
        time.sleep(0.05)


@pytest.fixture
def backends():
    a, b = Backend("cluster3", "127.0.0.2").start(), Backend("cluster4", "127.0.0.3").start()
    yield a, b
    a.stop()
    b.stop()


def test_route_switch_verified_by_api_and_by_traffic_then_reversed(
    cli, hsdb: HeadscaleDb, tmp_path: Path, traefik_factory, backends
) -> None:
    a, b = backends
    traefik = traefik_factory(a.address, b.address)
    original = traefik.dynamic_file.read_text()
    assert _who(traefik, "hsa.demo.com") == "cluster3"
    plan = tmp_path / "plan.json"
    planned = cli(route_plan_args(hsdb.dsn, plan, str(traefik.dynamic_file), api=traefik.api_url))
    assert planned.exit_code == 0, planned.stdout + planned.stderr
    route = json.loads(plan.read_text())["route"]
    assert (route["router"], route["from_service"], route["to_service"]) == (
        "hsa",
        "headscale-cluster3",
        "headscale-cluster4",
    )
    assert "route-switch" in planned.stdout

    journal = tmp_path / "j"
    applied = cli(["headscale", "migrate", "apply", str(plan), "--yes", "--journal", str(journal), "--dsn", hsdb.dsn])
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert "Traefik shows it after" in applied.stdout
    # confirmed independently through the API and by a request
    router = httpx.get(f"{traefik.api_url}/api/http/routers/hsa@file", timeout=5).json()
    assert router["service"] == "headscale-cluster4"
    assert _who(traefik, "hsa.demo.com", expected="cluster4") == "cluster4"
    assert _who(traefik, "hsb.demo.com") == "cluster3"  # the other tenant stays
    text = traefik.dynamic_file.read_text()
    assert text == original.replace(
        "service: headscale-cluster3   # tenant hsa", "service: headscale-cluster4   # tenant hsa"
    )
    assert not [p for p in traefik.dynamic_file.parent.iterdir() if p.name != "tenants.yml"]  # no temp left
    records = journal_records(journal)
    steps = [r for r in records if r["record"] == "step" and r["name"] == "route-switch"]
    assert [s["state"] for s in steps] == ["switched", "verified"]

    rolled = cli(["headscale", "migrate", "rollback", str(journal), "--yes", "--dsn", hsdb.dsn])
    assert rolled.exit_code == 0, rolled.stdout + rolled.stderr
    assert traefik.dynamic_file.read_text() == original
    assert _who(traefik, "hsa.demo.com", expected="cluster3") == "cluster3"


def test_killed_between_route_switch_and_its_journal_record_rollback_still_points_back(
    cli, hsdb: HeadscaleDb, tmp_path: Path, traefik_factory, backends
) -> None:
    """The intent (old and new service) is fsynced before the file is replaced: a process killed right
    after the replace, before the outcome is journaled, leaves a switched route that rollback undoes."""
    a, b = backends
    traefik = traefik_factory(a.address, b.address)
    original = traefik.dynamic_file.read_text()
    plan = tmp_path / "plan.json"
    planned = cli(route_plan_args(hsdb.dsn, plan, str(traefik.dynamic_file), api=traefik.api_url))
    assert planned.exit_code == 0, planned.stdout + planned.stderr
    journal = tmp_path / "j"
    proc = opskit_process(
        ["headscale", "migrate", "apply", str(plan), "--yes", "--journal", str(journal), "--dsn", hsdb.dsn],
        env={"OPSKIT_TEST_CRASH_AT": "after-route-switch"},
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 137 and "crashing at after-route-switch" in err, out + err
    # the route did switch, and the journal's last word is the intent: no outcome was written
    assert "service: headscale-cluster4   # tenant hsa" in traefik.dynamic_file.read_text()
    last = journal_records(journal)[-1]
    assert (last["record"], last["from_service"], last["to_service"]) == (
        "route-switch-intent",
        "headscale-cluster3",
        "headscale-cluster4",
    )

    preview = cli(["headscale", "migrate", "rollback", str(journal), "--dsn", hsdb.dsn])
    assert preview.exit_code == 0 and "would point router hsa back at headscale-cluster3" in preview.stdout
    rolled = cli(["headscale", "migrate", "rollback", str(journal), "--yes", "--dsn", hsdb.dsn])
    assert rolled.exit_code == 0, rolled.stdout + rolled.stderr
    assert traefik.dynamic_file.read_text() == original
    # The killed apply's own file change may still be in Traefik's reload queue when rollback writes the
    # old service back (the API can show the old route before the kill's change lands): wait for the end.
    assert _router_service(traefik, "hsa", expected="headscale-cluster3") == "headscale-cluster3"
    assert _who(traefik, "hsa.demo.com", expected="cluster3") == "cluster3"
    assert hsdb.query("SELECT cluster_id FROM users WHERE name = 'hsa'") == [(3,)]


def test_missing_router_is_refused_at_plan_time(
    cli, hsdb: HeadscaleDb, tmp_path: Path, traefik_factory, backends
) -> None:
    a, b = backends
    traefik = traefik_factory(a.address, b.address)
    before = traefik.dynamic_file.read_text()
    result = cli(route_plan_args(hsdb.dsn, tmp_path / "plan.json", str(traefik.dynamic_file), router="hsz"))
    assert result.exit_code == 2 and "http.routers.hsz: router not found" in result.stderr
    assert traefik.dynamic_file.read_text() == before


def test_unconfirmed_switch_is_reported_not_hidden(cli, hsdb: HeadscaleDb, tmp_path: Path, backends) -> None:
    """No Traefik answering on the API URL: the file is switched but the step fails with the reason."""
    from tests.headscale.conftest import DYNAMIC
    from tests.support.ports import free_port

    a, b = backends
    dynamic = tmp_path / "tenants.yml"
    dynamic.write_text(DYNAMIC.format(a=a.address, b=b.address))
    plan = tmp_path / "plan.json"
    assert (
        cli(
            route_plan_args(
                hsdb.dsn,
                plan,
                str(dynamic),
                "--route-timeout",
                "0.5",
                api=f"http://127.0.0.1:{free_port()}",
            )
        ).exit_code
        == 0
    )
    result = cli(apply_args(str(plan), hsdb.dsn, journal=str(tmp_path / "j")))
    assert result.exit_code == 1
    assert "Traefik did not show it within 0.5 s" in result.stderr or "Traefik did not show it" in result.stdout


def test_upgraded_tunnel_survives_the_switch_which_is_why_sessions_must_be_cut(
    cli, hsdb: HeadscaleDb, tmp_path: Path, traefik_factory, backends
) -> None:
    """proxy-facts §4: Traefik routes per request; an upgraded /ts2021 stream stays on the old backend."""
    from tests.headscale.backends import open_tunnel

    a, b = backends
    traefik = traefik_factory(a.address, b.address)
    tunnel, greeting = open_tunnel("127.0.0.6", traefik.web_port, "hsa.demo.com")
    assert greeting == "hello from cluster3"
    plan = tmp_path / "plan.json"
    assert cli(route_plan_args(hsdb.dsn, plan, str(traefik.dynamic_file), api=traefik.api_url)).exit_code == 0
    applied = cli(apply_args(str(plan), hsdb.dsn, journal=str(tmp_path / "j")))
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert _who(traefik, "hsa.demo.com", expected="cluster4") == "cluster4"  # new requests follow the route
    try:
        assert tunnel.echo("ping") == "cluster3: ping"  # the old tunnel does not
    finally:
        tunnel.close()


def test_router_changed_since_the_plan_is_left_alone(cli, hsdb: HeadscaleDb, tmp_path: Path, backends) -> None:
    from tests.headscale.conftest import DYNAMIC

    a, b = backends
    dynamic = tmp_path / "tenants.yml"
    dynamic.write_text(DYNAMIC.format(a=a.address, b=b.address))
    plan = tmp_path / "plan.json"
    assert cli(route_plan_args(hsdb.dsn, plan, str(dynamic))).exit_code == 0
    edited = dynamic.read_text().replace(
        "service: headscale-cluster3   # tenant", "service: other-svc@docker   # tenant"
    )
    dynamic.write_text(edited)
    result = cli(apply_args(str(plan), hsdb.dsn, journal=str(tmp_path / "j")))
    assert result.exit_code == 1
    assert "now points at 'other-svc@docker'" in result.stderr and "Database move is committed" in result.stderr
    assert dynamic.read_text() == edited
