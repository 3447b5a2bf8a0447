"""The `opskit sockets` commands as a user runs them: exit codes, JSON, dry run, no privilege."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.sockets.conftest import EchoServer, as_nobody, assert_alive, was_reset
from tests.support.tools import require_binary, require_root

REPO = Path(__file__).resolve().parents[2]


def test_explain_the_seed_filter(cli: Any) -> None:
    result = cli(["sockets", "explain", "dport = 7890 and src 203.0.113.5", "--format", "json"])

    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["kind"] == "sockets.explain"
    assert doc["describes"] == "client"
    assert doc["equivalent_here"] == "sport = :7890 and dst 203.0.113.5"
    assert any("matches nothing" in r for r in doc["reasons"])
    assert any("CLIENT's socket" in r for r in doc["reasons"])


def test_explain_rejects_garbage_with_exit_2(cli: Any) -> None:
    result = cli(["sockets", "explain", "dport = 7890 and src 203.0.113.500"])

    assert result.exit_code == 2
    assert "filter" in result.stderr and "203.0.113.500" in result.stderr


@pytest.mark.parametrize(
    "args, needle",
    [
        (["sockets", "kill"], "command line: --port/--peer: neither a local port nor a peer"),
        (["sockets", "kill", "--peer", "10.0.0.256"], "command line: --peer: '10.0.0.256'"),
        (["sockets", "kill", "--port", "70000"], "command line: --port: 70000 is not a TCP port"),
        (["sockets", "list", "--state", "listening"], "command line: --state: 'listening'"),
        (["sockets", "kill", "--port", "1", "--process", "x", "--pid", "2"], "command line: --process/--pid"),
    ],
)
def test_bad_input_is_one_paragraph_and_exit_2(cli: Any, args: list[str], needle: str) -> None:
    result = cli(args)

    assert result.exit_code == 2
    assert needle in result.stderr and "Traceback" not in result.stderr


def test_peers_file_errors_name_the_line(cli: Any, tmp_path: Path) -> None:
    peers = tmp_path / "peers.txt"
    peers.write_text("# tenant hsa\n127.0.0.2\n\nnot-an-ip\n127.0.0.0/8\n")

    result = cli(["sockets", "kill", "--port", "1", "--peers-file", str(peers)])

    assert result.exit_code == 2
    assert f"{peers}:4" in result.stderr


@pytest.mark.integration
def test_kill_dry_run_then_yes(cli: Any, echo_server: EchoServer, tmp_path: Path) -> None:
    require_binary("ss", "apt-get install -y iproute2")
    require_root("ss -K needs CAP_NET_ADMIN")
    port = echo_server.ports["v4"]
    target = echo_server.connect("v4", "127.0.0.2")
    bystander = echo_server.connect("v4", "127.0.0.3")
    peers = tmp_path / "peers.txt"
    peers.write_text("127.0.0.2  # the tenant's edge\n")
    args = ["sockets", "kill", "--port", str(port), "--peers-file", str(peers)]

    dry = cli(args)
    assert dry.exit_code == 0 and "dry run" in dry.stdout and "127.0.0.2" in dry.stdout
    assert_alive(target)

    done = cli([*args, "--yes", "--format", "json"])
    assert done.exit_code == 0
    doc = json.loads(done.stdout)
    assert doc["kind"] == "sockets.kill" and doc["ok"] and not doc["dry_run"]
    assert [s["peer_ip"] for s in doc["cut"]] == ["127.0.0.2"]
    assert doc["cut"][0]["pid"] == echo_server.pid
    assert was_reset(target)
    assert_alive(bystander)


@pytest.mark.integration
def test_list_shows_owner_and_never_listening_sockets(cli: Any, echo_server: EchoServer) -> None:
    port = echo_server.ports["v4"]
    echo_server.connect("v4", "127.0.0.2")

    result = cli(["sockets", "list", "--port", str(port), "--format", "json"])

    assert result.exit_code == 0
    sessions = json.loads(result.stdout)["sessions"]
    assert [(s["peer_ip"], s["pid"], s["state"]) for s in sessions] == [("127.0.0.2", echo_server.pid, "established")]


def _run_kill_as(prefix: list[str], python: list[str], port: int) -> subprocess.CompletedProcess[str]:
    import typer

    site = str(Path(typer.__file__).resolve().parents[1])
    return subprocess.run(
        [
            *prefix,
            *python,
            "-m",
            "opskit",
            "sockets",
            "kill",
            "--port",
            str(port),
            "--peer",
            "127.0.0.2",
            "--yes",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
        env={"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "PYTHONPATH": f"{REPO}:{site}"},
    )


@pytest.mark.integration
def test_unprivileged_kill_fails_with_exit_2_and_cuts_nothing(echo_server: EchoServer) -> None:
    require_root("switch to user nobody with setpriv")
    setpriv = require_binary("setpriv", "apt-get install -y util-linux")
    port = echo_server.ports["v4"]
    target = echo_server.connect("v4", "127.0.0.2")

    done = _run_kill_as(as_nobody(setpriv), [sys.executable], port)

    assert done.returncode == 2, done.stderr
    assert "CAP_NET_ADMIN" in done.stderr and "nothing was cut" in done.stderr
    assert "Traceback" not in done.stderr
    assert_alive(target)


@pytest.mark.integration
def test_root_without_cap_net_admin_fails_with_exit_2(echo_server: EchoServer) -> None:
    """A container's root often lacks CAP_NET_ADMIN: uid 0 alone is not enough."""
    require_root("drop a capability with setpriv")
    setpriv = require_binary("setpriv", "apt-get install -y util-linux")
    port = echo_server.ports["v4"]
    target = echo_server.connect("v4", "127.0.0.2")

    done = _run_kill_as([setpriv, "--bounding-set=-net_admin", "--inh-caps=-net_admin", "--"], [sys.executable], port)

    assert done.returncode == 2, done.stderr
    assert "root without CAP_NET_ADMIN" in done.stderr
    assert_alive(target)


@pytest.mark.integration
def test_ss_itself_exits_0_when_unprivileged_and_we_read_that_as_failure(echo_server: EchoServer) -> None:
    """The trap behind the privilege check: real ss output as nobody, judged by our parser."""
    from opskit.core.sockets.ss import destroy_failure

    require_root("runuser to nobody")
    runuser = require_binary("runuser", "apt-get install -y util-linux")
    ss = require_binary("ss", "apt-get install -y iproute2")
    port = echo_server.ports["v4"]
    target = echo_server.connect("v4", "127.0.0.2")

    done = subprocess.run(
        [
            runuser,
            "-u",
            "nobody",
            "--",
            ss,
            "-K",
            "-tnH",
            "state",
            "established",
            f"( sport = :{port} and dst 127.0.0.2/32 )",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert done.returncode == 0  # looks like success…
    failure = destroy_failure(done.stderr)
    assert failure is not None and "Operation not permitted" in failure  # …but is not
    assert_alive(target)


@pytest.mark.integration
def test_a_narrow_terminal_folds_addresses_instead_of_cutting_them(
    cli: Any, echo_server: EchoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`COLUMNS=60 opskit sockets kill ...` (issue 15): the dry run must show every session it would
    cut in full; a cell that does not fit wraps, it never ends in an ellipsis."""
    require_binary("ss", "apt-get install -y iproute2")
    port = echo_server.ports["v4"]
    echo_server.connect("v4", "127.0.0.2")
    monkeypatch.setenv("COLUMNS", "60")
    dry = cli(["sockets", "kill", "--port", str(port), "--peer", "127.0.0.2"])
    assert dry.exit_code == 0, dry.stdout + dry.stderr
    assert "…" not in dry.stdout
    assert "127.0.0.2" in dry.stdout
