"""Cut real loopback sessions with `ss -K` and check who was reset and who survived."""

from __future__ import annotations

import pytest

from opskit.app.sockets_cut import cut_sessions, list_sessions
from opskit.core.sockets import SessionFilter
from opskit.core.sockets.diag import NETLINK_ENTRY
from tests.sockets.conftest import EchoServer, assert_alive, was_reset
from tests.support.tools import require_binary, require_root

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _needs_ss_and_root() -> None:
    require_binary("ss", "apt-get install -y iproute2")
    require_root("ss -K needs CAP_NET_ADMIN")


def test_targeted_clients_are_reset_and_bystanders_survive(echo_server: EchoServer) -> None:
    port = echo_server.ports["v4"]
    targets = [echo_server.connect("v4", "127.0.0.2") for _ in range(3)]
    other_peer = echo_server.connect("v4", "127.0.0.3")
    other_port = echo_server.connect("v4other", "127.0.0.2")

    report = cut_sessions(SessionFilter(local_port=port, peers=("127.0.0.2",)), yes=True)

    assert report.ok and report.problem is None
    assert len(report.matched) == 3 and len(report.cut) == 3 and not report.still_present
    # The server's sockets were cut, not the clients' (same host, both ends visible to ss).
    assert {(s.local_port, s.peer_ip, s.pid) for s in report.cut} == {(port, "127.0.0.2", echo_server.pid)}
    assert all(was_reset(client) for client in targets)
    assert_alive(other_peer)
    assert_alive(other_port)
    # The listening socket still accepts.
    assert_alive(echo_server.connect("v4", "127.0.0.2"))
    # What was done (a netlink destroy of the 3 listed sockets), then the equivalent ss -K.
    assert report.commands[0][:3] == (NETLINK_ENTRY, "SOCK_DESTROY", "sockets=3")
    assert [c[-1] for c in report.commands[1:]] == [f"( sport = :{port} and ( dst 127.0.0.2/32 ) )"]


def test_client_side_socket_on_the_same_host_is_not_the_one_cut(echo_server: EchoServer) -> None:
    port = echo_server.ports["v4"]
    echo_server.connect("v4", "127.0.0.2")
    # Both ends are on this host: the client socket has *peer* port = the service port. The
    # server-side filter must only hit sockets whose LOCAL port is the service port.
    before = list_sessions(SessionFilter(peers=("127.0.0.1",), all_matching=True))
    client_side = [s for s in before if s.peer_port == port and s.local_ip == "127.0.0.2"]
    assert len(client_side) == 1

    report = cut_sessions(SessionFilter(local_port=port, peers=("127.0.0.2",)), yes=True)

    assert report.ok
    assert all(s.local_port == port and s.pid == echo_server.pid for s in report.cut)
    assert client_side[0].key not in {s.key for s in report.cut}


def test_ipv6_and_v4_mapped_peers(echo_server: EchoServer) -> None:
    v6_target = echo_server.connect("v6", "::1")
    mapped_target = echo_server.connect("dual", "127.0.0.2")
    mapped_bystander = echo_server.connect("dual", "127.0.0.3")

    v6 = cut_sessions(SessionFilter(local_port=echo_server.ports["v6"], peers=("::1/128",)), yes=True)
    # The user names the v4-mapped form; it must still match the dual-stack server's socket.
    mapped = cut_sessions(SessionFilter(local_port=echo_server.ports["dual"], peers=("::ffff:127.0.0.2",)), yes=True)

    assert v6.ok and [s.peer_ip for s in v6.cut] == ["::1"]
    assert mapped.ok and [s.peer_ip for s in mapped.cut] == ["::ffff:127.0.0.2"]
    assert was_reset(v6_target) and was_reset(mapped_target)
    assert_alive(mapped_bystander)


def test_cidr_peer_and_many_peers_in_one_invocation(echo_server: EchoServer) -> None:
    port = echo_server.ports["v4"]
    targets = [echo_server.connect("v4", f"127.0.1.{i}") for i in range(1, 21)]
    bystander = echo_server.connect("v4", "127.0.2.1")

    report = cut_sessions(SessionFilter(local_port=port, peers=("127.0.1.0/24",)), yes=True)
    many = [f"127.0.3.{i}" for i in range(1, 41)]
    more = [echo_server.connect("v4", ip) for ip in many]
    batch = cut_sessions(SessionFilter(local_port=port, peers=tuple(many)), yes=True)

    assert report.ok and len(report.cut) == 20
    # One netlink destroy, and one equivalent ss -K holds all 40 peers.
    assert batch.ok and len(batch.cut) == 40 and len(batch.commands) == 2
    assert all(was_reset(c) for c in targets + more)
    assert_alive(bystander)


def test_dry_run_cuts_nothing_and_shows_the_commands(echo_server: EchoServer) -> None:
    port = echo_server.ports["v4"]
    client = echo_server.connect("v4", "127.0.0.2")

    report = cut_sessions(SessionFilter(local_port=port, peers=("127.0.0.2",)), yes=False)

    assert report.dry_run and len(report.matched) == 1 and not report.cut
    assert report.commands[0][:2] == (NETLINK_ENTRY, "SOCK_DESTROY")
    assert report.commands[1][:2] == ("ss", "-K")
    assert_alive(client)


def test_process_filter_cuts_exactly_the_listed_sessions(echo_server: EchoServer) -> None:
    port = echo_server.ports["v4"]
    target = echo_server.connect("v4", "127.0.0.2")

    report = cut_sessions(SessionFilter(local_port=port, pid=echo_server.pid), yes=True)
    # Same port, but the test process owns no server socket on it: nothing to cut.
    none = cut_sessions(SessionFilter(local_port=port, pid=1), yes=False)

    assert report.ok and [s.pid for s in report.cut] == [echo_server.pid]
    assert was_reset(target)
    assert not none.matched


def test_netns_of_this_process_is_the_host_namespace(echo_server: EchoServer) -> None:
    require_binary("nsenter", "apt-get install -y util-linux")
    port = echo_server.ports["v4"]
    target = echo_server.connect("v4", "127.0.0.2")

    report = cut_sessions(SessionFilter(local_port=port, peers=("127.0.0.2",)), yes=True, netns_pid=echo_server.pid)

    assert report.ok and report.commands[0][-1] == f"netns=pid:{echo_server.pid}"
    assert report.commands[1][:5] == ("nsenter", "-t", str(echo_server.pid), "-n", "--")
    assert was_reset(target)


def test_the_client_view_filter_kills_the_clients_socket_on_loopback(echo_server: EchoServer) -> None:
    """What `explain` warns about, for real: the seed's filter hits the client's end, not the server's."""
    import os
    import subprocess

    from opskit.core.sockets.explain import explain_filter
    from opskit.core.sockets.ss import parse_ss_sessions

    ss = require_binary("ss", "apt-get install -y iproute2")
    port = echo_server.ports["v4"]
    echo_server.connect("v4", "127.0.0.2")
    client_view = f"dport = :{port} and src 127.0.0.2/32"

    done = subprocess.run([ss, "-K", "-tnpH", f"( {client_view} )"], capture_output=True, text=True, timeout=30)
    killed = parse_ss_sessions(done.stdout, None)

    assert killed and all(s.pid == os.getpid() and s.local_ip == "127.0.0.2" for s in killed)
    server_view = explain_filter(client_view).equivalent_here
    assert server_view == f"sport = :{port} and dst 127.0.0.2/32"
    second = echo_server.connect("v4", "127.0.0.2")
    done = subprocess.run([ss, "-K", "-tnpH", f"( {server_view} )"], capture_output=True, text=True, timeout=30)
    killed = parse_ss_sessions(done.stdout, None)
    assert killed and all(s.pid == echo_server.pid and s.local_port == port for s in killed)
    assert was_reset(second)
