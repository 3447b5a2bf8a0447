"""Guards that guard (issue 11 item 8): broad peer sets, host bits, and the operator's own SSH session."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

import opskit.adapters.sockets.netlink_path as netlink_path
from opskit.adapters.sock_diag import NetlinkUnavailable
from opskit.core.sockets.model import SessionFilter
from opskit.core.sockets.validate import parse_peer, ssh_session, validate_filter
from opskit.errors import InputError
from tests.sockets.conftest import EchoServer, assert_alive, was_reset
from tests.support.tools import require_binary, require_root


@pytest.mark.parametrize("peer", ["0.0.0.0/0", "::/0", "10.0.0.0/8", "172.16.0.0/12", "2001:db8::/32"])
def test_a_broad_peer_without_port_needs_all_matching(cli: Any, peer: str) -> None:
    result = cli(["sockets", "kill", "--peer", peer])
    assert result.exit_code == 2
    assert "--all-matching" in result.stderr and "SSH" in result.stderr
    assert result.stdout == ""  # nothing listed, nothing cut


def test_a_broad_peer_is_fine_with_a_port_or_all_matching() -> None:
    validate_filter(SessionFilter(local_port=443, peers=("0.0.0.0/0",)), for_kill=True)
    validate_filter(SessionFilter(peers=("::/0",), all_matching=True), for_kill=True)
    validate_filter(SessionFilter(peers=("10.1.0.0/16", "2001:db8:1::/48")), for_kill=True)
    validate_filter(SessionFilter(peers=("0.0.0.0/0",)), for_kill=False)  # listing cuts nothing


@pytest.mark.parametrize(
    ("text", "network", "host"),
    [
        ("10.0.0.1/8", "10.0.0.0/8", "10.0.0.1/32"),
        ("2001:db8::1/64", "2001:db8::/64", "2001:db8::1/128"),
        ("::ffff:10.0.0.1/104", "10.0.0.0/8", "10.0.0.1/32"),
    ],
)
def test_host_bits_set_says_which_was_meant(cli: Any, text: str, network: str, host: str) -> None:
    with pytest.raises(InputError, match="host bits set") as caught:
        parse_peer(text)
    assert f"did you mean {network} (the network) or {host} (the host)" in str(caught.value)
    result = cli(["sockets", "list", "--peer", text])
    assert result.exit_code == 2 and "command line: --peer:" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("203.0.113.9 52144 198.51.100.2 22", ("198.51.100.2", 22, "203.0.113.9", 52144)),
        ("2001:db8::9 40000 2001:db8::1 22", ("2001:db8::1", 22, "2001:db8::9", 40000)),
        ("::ffff:203.0.113.9 1 ::ffff:198.51.100.2 22", ("198.51.100.2", 22, "203.0.113.9", 1)),
        ("", None),
        (None, None),
        ("203.0.113.9 52144 198.51.100.2", None),
        ("host 1 host 2", None),
        ("203.0.113.9 99999 198.51.100.2 22", None),
    ],
)
def test_ssh_connection_is_read_from_the_server_side(value: str | None, expected: object) -> None:
    assert ssh_session(value) == expected


@pytest.mark.parametrize("client", ["0.0.0.0/0", "::/0", "10.0.0.0/8", "10.0.0.1/24"])
def test_migrate_plan_refuses_a_broad_or_ambiguous_client(cli: Any, client: str) -> None:
    result = cli(
        [
            *("headscale", "migrate", "plan", "--tenant", "acme", "--from", "1", "--to", "2"),
            *("--entry-port", "443", "--client", client),
            *("--dsn", "postgresql://opskit@127.0.0.1:9/none?connect_timeout=1"),
        ]
    )
    assert result.exit_code == 2
    assert "command line: --client:" in result.stderr
    assert ("broader than" in result.stderr) or ("host bits set" in result.stderr)


def _own_ssh(monkeypatch: pytest.MonkeyPatch, server: EchoServer, client: socket.socket) -> None:
    """Pretend ``client`` is the operator's SSH connection, as sshd would announce it."""
    client_ip, client_port = client.getsockname()[:2]
    monkeypatch.setenv("SSH_CONNECTION", f"{client_ip} {client_port} 127.0.0.1 {server.ports['v4']}")


@pytest.mark.integration
@pytest.mark.parametrize("path", ["netlink", "ss"])
def test_own_ssh_session_survives_yes(
    cli: Any, echo_server: EchoServer, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    require_binary("ss", "apt-get install -y iproute2")
    require_root("cutting sessions needs CAP_NET_ADMIN")
    if path == "ss":

        def no_netlink(netns_pid: int | None = None) -> socket.socket:
            raise NetlinkUnavailable("no sock_diag netlink socket: [Errno 97] Address family not supported")

        monkeypatch.setattr(netlink_path, "open_diag_socket", no_netlink)
    port = echo_server.ports["v4"]
    mine = echo_server.connect("v4", "127.0.0.5")
    target = echo_server.connect("v4", "127.0.0.6")
    _own_ssh(monkeypatch, echo_server, mine)
    args = ["sockets", "kill", "--port", str(port), "--peer", "127.0.0.0/24"]

    dry = cli(args)
    assert dry.exit_code == 0
    assert "Protected, never cut: your own SSH connection" in dry.stdout and "127.0.0.5" in dry.stdout

    done = cli([*args, "--yes", "--format", "json"])
    assert done.exit_code == 0
    doc = json.loads(done.stdout)
    assert [s["peer_ip"] for s in doc["cut"]] == ["127.0.0.6"]
    assert [s["peer_ip"] for s in doc["protected"]] == ["127.0.0.5"]
    assert was_reset(target)
    assert_alive(mine)


@pytest.mark.integration
def test_own_ssh_session_is_cut_only_when_named(
    cli: Any, echo_server: EchoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_root("cutting sessions needs CAP_NET_ADMIN")
    mine = echo_server.connect("v4", "127.0.0.5")
    _own_ssh(monkeypatch, echo_server, mine)
    args = ["sockets", "kill", "--port", str(echo_server.ports["v4"]), "--peer", "127.0.0.5"]

    result = cli([*args, "--yes", "--include-my-ssh", "--format", "json"])

    assert result.exit_code == 0
    assert json.loads(result.stdout)["protected"] == []
    assert was_reset(mine)
