"""The sock_diag wire format (pure core): requests byte for byte, answers parsed, outcomes judged.

Messages are built here field by field from the uapi layouts (linux/netlink.h, linux/inet_diag.h),
independently of the Structs in opskit.core.sockets.diag.
"""

from __future__ import annotations

import errno
import socket
import struct

import pytest

from opskit.core.sockets import Session, SessionFilter
from opskit.core.sockets.diag import (
    KERNEL_REFUSES_DESTROY,
    DiagSocket,
    destroy_batch,
    destroy_problem,
    dump_request,
    judge_destroy,
    parse_acks,
    parse_dump,
    state_mask,
)
from opskit.core.sockets.matching import select, select_by_address
from opskit.core.sockets.validate import validate_filter


def sockid(sport: int, dport: int, src: bytes, dst: bytes, interface: int, cookie: int) -> bytes:
    """struct inet_diag_sockid: be16 ports, be32[4] addresses, u32 if, u32 cookie[2]."""
    return (
        struct.pack(">HH", sport, dport)
        + src.ljust(16, b"\0")
        + dst.ljust(16, b"\0")
        + struct.pack("=I", interface)
        + struct.pack("=II", cookie & 0xFFFFFFFF, cookie >> 32)
    )


def diag_msg(family: int, state: int, sock_id: bytes, uid: int, inode: int, flags: int = 2) -> bytes:
    """nlmsghdr + struct inet_diag_msg + one 8-byte attribute (as the kernel appends)."""
    body = struct.pack("=BBBB", family, state, 0, 0) + sock_id + struct.pack("=IIIII", 0, 0, 0, uid, inode)
    attribute = struct.pack("=HHI", 8, 15, 0)
    total = 16 + len(body) + len(attribute)
    return struct.pack("=IHHII", total, 20, flags, 1, 0) + body + attribute


def done_msg() -> bytes:
    return struct.pack("=IHHII", 20, 3, 2, 1, 0) + struct.pack("=i", 0)


def error_msg(seq: int, code: int) -> bytes:
    """NLMSG_ERROR with NETLINK_CAP_ACK: nlmsgerr = s32 -errno + the request's nlmsghdr."""
    original = struct.pack("=IHHII", 72, 21, 1, seq, 0)
    return struct.pack("=IHHII", 36, 2, 0x100, seq, 0) + struct.pack("=i", -code) + original


V4 = sockid(443, 50123, socket.inet_aton("127.0.0.1"), socket.inet_aton("203.0.113.5"), 0, 0x1122334455)
MAPPED = sockid(
    443,
    40000,
    socket.inet_pton(socket.AF_INET6, "::ffff:127.0.0.1"),
    socket.inet_pton(socket.AF_INET6, "::ffff:198.51.100.7"),
    3,
    77,
)


def test_dump_request_is_a_tcp_dump_filtered_by_local_port_in_network_order() -> None:
    request = dump_request(socket.AF_INET6, state_mask(["established", "syn-recv"]), 7890, seq=9)

    length, kind, flags, seq, _pid = struct.unpack_from("=IHHII", request)
    family, protocol, ext, _pad, states = struct.unpack_from("=BBBBI", request, 16)
    assert (length, len(request), kind, seq) == (72, 72, 20, 9)
    assert flags == 0x301  # NLM_F_REQUEST | NLM_F_DUMP
    assert (family, protocol, ext) == (socket.AF_INET6, socket.IPPROTO_TCP, 0)
    assert states == (1 << 1) | (1 << 3)  # TCP_ESTABLISHED, TCP_SYN_RECV
    assert request[24:26] == b"\x1e\xd2" and request[26:28] == b"\0\0"  # sport 7890 big-endian, any dport
    assert request[64:72] == b"\xff" * 8  # INET_DIAG_NOCOOKIE


def test_parse_dump_reads_addresses_ports_owner_fields_and_keeps_the_raw_id() -> None:
    data = diag_msg(socket.AF_INET, 1, V4, 33, 4242) + diag_msg(socket.AF_INET6, 8, MAPPED, 0, 7) + done_msg()

    chunk = parse_dump(data, len(data))

    assert chunk.done and chunk.error == 0 and not chunk.interrupted
    v4, mapped = chunk.sockets
    assert v4 == DiagSocket(socket.AF_INET, "established", "127.0.0.1", 443, "203.0.113.5", 50123, 33, 4242, V4)
    assert v4.cookie == struct.pack("=II", 0x22334455, 0x11)
    assert (mapped.state, mapped.local_ip, mapped.peer_ip, mapped.peer_port) == (
        "close-wait",
        "::ffff:127.0.0.1",
        "::ffff:198.51.100.7",
        40000,
    )
    assert mapped.sock_id == MAPPED  # the interface (3) and cookie travel back untouched


def test_parse_dump_stops_at_a_partial_read_and_flags_interruption_and_errors() -> None:
    first = diag_msg(socket.AF_INET, 1, V4, 0, 1, flags=2 | 0x10)  # NLM_F_MULTI | NLM_F_DUMP_INTR

    partial = parse_dump(first + b"\0" * 40, len(first))
    failed = parse_dump(struct.pack("=IHHII", 36, 2, 0, 1, 0) + struct.pack("=i", -errno.EINVAL) + bytes(16), 36)

    assert not partial.done and partial.interrupted and len(partial.sockets) == 1
    assert failed.done and failed.error == errno.EINVAL


def test_destroy_batch_is_one_request_per_socket_then_an_acked_marker() -> None:
    sockets = [
        DiagSocket(socket.AF_INET, "established", "127.0.0.1", 443, "203.0.113.5", 50123, 0, 1, V4),
        DiagSocket(socket.AF_INET6, "established", "::ffff:127.0.0.1", 443, "::ffff:198.51.100.7", 40000, 0, 2, MAPPED),
    ]

    buffer, marker = destroy_batch(sockets, first_seq=1)

    assert len(buffer) == 2 * 72 + 16 and marker == 3
    for index, expected in enumerate(sockets):
        message = buffer[index * 72 : (index + 1) * 72]
        length, kind, flags, seq, _pid = struct.unpack_from("=IHHII", message)
        family, protocol = struct.unpack_from("=BB", message, 16)
        assert (length, kind, flags, seq) == (72, 21, 1, index + 1)  # SOCK_DESTROY, no NLM_F_ACK
        assert (family, protocol) == (expected.family, socket.IPPROTO_TCP)
        assert message[24:] == expected.sock_id
    assert struct.unpack_from("=IHHII", buffer, 144)[:4] == (16, 1, 5, 3)  # NLMSG_NOOP with NLM_F_ACK


def test_parse_acks_gives_the_errno_of_each_refused_request_by_seq() -> None:
    data = error_msg(2, errno.EPERM) + error_msg(5, errno.ENOENT) + error_msg(9, 0)

    assert parse_acks(data, len(data)) == [(2, errno.EPERM), (5, errno.ENOENT), (9, 0)]


def test_judge_destroy_sorts_by_answer_and_by_what_is_still_listed() -> None:
    cookies = [b"a" * 8, b"b" * 8, b"c" * 8, b"d" * 8, b"e" * 8]
    errors = {b"b" * 8: errno.ENOENT, b"c" * 8: errno.EPERM, b"e" * 8: errno.ESTALE}

    outcome = judge_destroy(cookies, errors, after_cookies={b"c" * 8, b"d" * 8})

    assert outcome.cut == (0,)
    assert outcome.still_present == (2, 3)  # refused, and a destroyed-but-still-listed one
    assert outcome.closed_on_own == (1, 4)
    assert outcome.refused == {errno.EPERM: 1}
    assert judge_destroy(cookies, {}, set()).cut == (0, 1, 2, 3, 4)


def test_destroy_problem_names_the_cause_and_the_fix() -> None:
    assert destroy_problem({}) is None
    assert destroy_problem({errno.EOPNOTSUPP: 4}) == KERNEL_REFUSES_DESTROY
    assert "CONFIG_INET_DIAG_DESTROY" in KERNEL_REFUSES_DESTROY
    eperm = destroy_problem({errno.EPERM: 3})
    assert eperm is not None and "Operation not permitted (3 socket(s))" in eperm and "CAP_NET_ADMIN" in eperm


@pytest.mark.parametrize(
    "flt",
    [
        SessionFilter(local_port=443, peers=("203.0.113.0/24",)),
        SessionFilter(local_port=443, peers=("::ffff:198.51.100.7",), states=("established", "close-wait")),
        SessionFilter(local_address="127.0.0.1", peers=("198.51.100.7",)),
        SessionFilter(local_port=444, all_matching=True),
    ],
)
def test_select_by_address_agrees_with_select_on_sessions(flt: SessionFilter) -> None:
    raw = [
        DiagSocket(socket.AF_INET, "established", "127.0.0.1", 443, "203.0.113.5", 1, 0, 1, b""),
        DiagSocket(socket.AF_INET, "established", "127.0.0.1", 444, "203.0.113.5", 2, 0, 2, b""),
        DiagSocket(socket.AF_INET6, "close-wait", "::ffff:127.0.0.1", 443, "::ffff:198.51.100.7", 3, 0, 3, b""),
        DiagSocket(socket.AF_INET6, "established", "::1", 443, "::1", 4, 0, 4, b""),
    ]
    validated = validate_filter(flt, for_kill=False)
    sessions = [Session(d.local_ip, d.local_port, d.peer_ip, d.peer_port, d.state, None, None) for d in raw]

    by_address = {(d.local_ip, d.local_port, d.peer_ip, d.peer_port) for d in select_by_address(raw, validated)}

    assert by_address == {s.key for s in select(sessions, validated)}
