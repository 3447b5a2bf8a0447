"""The netlink cut against real loopback sockets: cookie precision, batching, EPERM, the ss fallback."""

from __future__ import annotations

import errno
import json
import resource
import socket
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import opskit.adapters.sockets.netlink_path as netlink_path
import opskit.app.sockets_cut as sockets_adapter
from opskit.adapters.sock_diag import DESTROY_BATCH, NetlinkUnavailable, destroy, dump_tcp, open_diag_socket
from opskit.core.sockets import SessionFilter
from opskit.core.sockets.diag import NETLINK_ENTRY, DiagSocket, judge_destroy, state_mask
from tests.sockets.conftest import EchoServer, as_nobody, assert_alive, was_reset
from tests.support.tools import require_binary, require_environment, require_root

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
ESTABLISHED = state_mask(["established"])


@pytest.fixture(autouse=True)
def _needs_root() -> None:
    require_root("SOCK_DESTROY needs CAP_NET_ADMIN")


def _listed(port: int, peer: str, peer_port: int | None = None) -> list[DiagSocket]:
    with open_diag_socket() as diag:
        return [
            d
            for d in dump_tcp(diag, ESTABLISHED, port)
            if d.local_port == port and d.peer_ip == peer and (peer_port is None or d.peer_port == peer_port)
        ]


def _abort(sock: socket.socket) -> None:
    """Close with an RST (SO_LINGER 0): no TIME_WAIT is left, so the 4-tuple is free at once."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _client(address: str, port: int, target_port: int) -> socket.socket:
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    client.settimeout(3)
    client.bind((address, port))
    client.connect(("127.0.0.1", target_port))
    return client


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(2048)
    server.settimeout(5)
    try:
        yield server
    finally:
        server.close()


def test_a_socket_recreated_on_the_same_4_tuple_is_not_cut_by_the_stale_listing(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    old_client = _client("127.0.0.2", 0, port)
    old_server, _ = listener.accept()
    client_port = old_client.getsockname()[1]
    [stale] = _listed(port, "127.0.0.2", client_port)

    # The session ends and a new one takes the very same 4-tuple before the destroy is sent.
    _abort(old_client)
    old_server.close()
    new_client = _client("127.0.0.2", client_port, port)
    new_server, _ = listener.accept()
    [fresh] = _listed(port, "127.0.0.2", client_port)
    assert fresh.sock_id[:40] == stale.sock_id[:40] and fresh.cookie != stale.cookie

    with open_diag_socket() as diag:
        errors = destroy(diag, [stale])

    # The kernel found the 4-tuple, saw another cookie and refused (ENOENT here; ESTALE on older
    # kernels): the new session lives on.
    assert list(errors) == [stale.cookie] and errors[stale.cookie] in (errno.ENOENT, errno.ESTALE)
    assert judge_destroy([stale.cookie], errors, set()).closed_on_own == (0,)
    new_client.sendall(b"x")
    assert new_server.recv(1) == b"x"
    new_client.close()
    new_server.close()


def test_a_stale_request_for_a_vanished_session_never_hits_the_listener(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    client = _client("127.0.0.2", 0, port)
    server_side, _ = listener.accept()
    [stale] = _listed(port, "127.0.0.2")
    _abort(client)
    server_side.close()

    with open_diag_socket() as diag:
        errors = destroy(diag, [stale])

    # Without the cookie the kernel's lookup may fall through to the listening socket on that port.
    assert errors[stale.cookie] in (errno.ENOENT, errno.ESTALE)
    again = _client("127.0.0.3", 0, port)
    accepted, _ = listener.accept()
    again.sendall(b"y")
    assert accepted.recv(1) == b"y"
    again.close()
    accepted.close()


def test_cookie_precise_bystander_on_the_same_peer_but_another_port_survives(echo_server: EchoServer) -> None:
    port, other = echo_server.ports["v4"], echo_server.ports["v4other"]
    target = echo_server.connect("v4", "127.0.0.2")
    same_peer_other_port = echo_server.connect("v4other", "127.0.0.2")

    report = sockets_adapter.cut_sessions(SessionFilter(local_port=port, peers=("127.0.0.2",)), yes=True)

    assert report.ok and [(s.local_port, s.pid) for s in report.cut] == [(port, echo_server.pid)]
    assert report.commands[0][:3] == (NETLINK_ENTRY, "SOCK_DESTROY", "sockets=1")
    assert was_reset(target)
    assert_alive(same_peer_other_port)
    assert other != port


def test_batches_smaller_than_the_cut_destroy_every_listed_socket(echo_server: EchoServer) -> None:
    port = echo_server.ports["v4"]
    targets = [echo_server.connect("v4", "127.0.4.1") for _ in range(20)]
    bystander = echo_server.connect("v4", "127.0.4.2")
    listed = _listed(port, "127.0.4.1")
    assert len(listed) == 20

    with open_diag_socket() as diag:
        errors = destroy(diag, listed, batch=7)  # 7 + 7 + 6: three sendmsg buffers, three markers

    assert errors == {}
    assert all(was_reset(c) for c in targets)
    assert _listed(port, "127.0.4.1") == []
    assert_alive(bystander)


def test_a_cut_larger_than_one_netlink_batch(listener: socket.socket) -> None:
    """More sessions than DESTROY_BATCH requests fit one sendmsg: every one is cut and verified."""
    count = DESTROY_BATCH + 76
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    require_environment(hard >= 2 * count + 64, f"RLIMIT_NOFILE hard limit {hard} is below {2 * count + 64}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2 * count + 64), hard))
    port = listener.getsockname()[1]
    peers = [f"127.0.5.{i}" for i in range(1, 5)]
    clients: list[socket.socket] = []
    accepted: list[socket.socket] = []
    try:
        for index in range(count):
            clients.append(_client(peers[index % len(peers)], 0, port))
            accepted.append(listener.accept()[0])
        bystander = _client("127.0.5.9", 0, port)
        accepted.append(listener.accept()[0])

        report = sockets_adapter.cut_sessions(SessionFilter(local_port=port, peers=tuple(peers)), yes=True)

        assert report.ok and len(report.matched) == count and len(report.cut) == count
        assert not report.still_present and not report.closed_on_own
        assert all(was_reset(c) for c in clients)
        assert_alive_pair(bystander, accepted[-1])
    finally:
        for s in clients + accepted:
            s.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def assert_alive_pair(client: socket.socket, server_side: socket.socket) -> None:
    client.sendall(b"z")
    assert server_side.recv(1) == b"z"


# Runs as nobody: lists over netlink (allowed to anyone) and asks the kernel to destroy.
AS_NOBODY = r"""
import json, sys
from opskit.adapters.sock_diag import destroy, dump_tcp, open_diag_socket
from opskit.core.sockets.diag import destroy_problem, judge_destroy, state_mask
port = int(sys.argv[1])
with open_diag_socket() as diag:
    listed = [d for d in dump_tcp(diag, state_mask(["established"]), port) if d.local_port == port]
    errors = destroy(diag, listed)
outcome = judge_destroy([d.cookie for d in listed], errors, set())
print(json.dumps({"listed": len(listed), "errors": sorted(errors.values()),
                  "problem": destroy_problem(outcome.refused)}))
"""


def test_unprivileged_destroy_is_refused_per_socket_with_eperm(echo_server: EchoServer) -> None:
    """Below the privilege check: what the kernel itself answers a user without CAP_NET_ADMIN."""
    import typer

    setpriv = require_binary("setpriv", "apt-get install -y util-linux")
    port = echo_server.ports["v4"]
    targets = [echo_server.connect("v4", "127.0.0.2") for _ in range(3)]
    site = str(Path(typer.__file__).resolve().parents[1])

    done = subprocess.run(
        [
            *as_nobody(setpriv),
            sys.executable,
            "-c",
            AS_NOBODY,
            str(port),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{REPO}:{site}"},
    )

    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["listed"] == 3 and answer["errors"] == [errno.EPERM] * 3
    assert "Operation not permitted (3 socket(s))" in answer["problem"]
    assert "CAP_NET_ADMIN" in answer["problem"]
    for client in targets:
        assert_alive(client)


def test_without_netlink_the_ss_path_still_cuts_and_reports_its_commands(
    echo_server: EchoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where AF_NETLINK cannot be opened (some sandboxes), `ss -K` does the cut as before."""
    require_binary("ss", "apt-get install -y iproute2")

    def no_netlink(netns_pid: int | None = None) -> socket.socket:
        raise NetlinkUnavailable("no sock_diag netlink socket: [Errno 97] Address family not supported")

    monkeypatch.setattr(netlink_path, "open_diag_socket", no_netlink)
    port = echo_server.ports["v4"]
    target = echo_server.connect("v4", "127.0.0.2")
    bystander = echo_server.connect("v4", "127.0.0.3")

    report = sockets_adapter.cut_sessions(SessionFilter(local_port=port, peers=("127.0.0.2",)), yes=True)

    assert report.ok and [s.pid for s in report.cut] == [echo_server.pid]
    assert [c[:2] for c in report.commands] == [("ss", "-K")]
    assert was_reset(target)
    assert_alive(bystander)


def test_a_session_no_process_holds_is_cut_by_address_but_never_by_an_owner_filter(listener: socket.socket) -> None:
    """A server-side TIME_WAIT socket has no descriptor (inode 0), so no owner can be found for it."""
    port = listener.getsockname()[1]
    client = _client("127.0.0.2", 0, port)
    server_side, _ = listener.accept()
    server_side.close()  # the server closes first: its side of the connection ends in TIME_WAIT
    assert client.recv(1) == b""
    client.close()
    time_wait = SessionFilter(local_port=port, peers=("127.0.0.2",), states=("time-wait",))
    [listed] = sockets_adapter.cut_sessions(time_wait, yes=False).matched
    assert (listed.state, listed.pid) == ("time-wait", None)

    by_owner = sockets_adapter.cut_sessions(
        SessionFilter(local_port=port, peers=("127.0.0.2",), states=("time-wait",), pid=1), yes=True
    )
    report = sockets_adapter.cut_sessions(time_wait, yes=True)

    assert not by_owner.matched
    assert report.ok and [s.key for s in report.cut] == [listed.key] and report.cut[0].pid is None
    assert sockets_adapter.cut_sessions(time_wait, yes=False).matched == ()
