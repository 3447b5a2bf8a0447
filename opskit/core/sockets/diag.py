"""The sock_diag netlink wire format for TCP: build dump and SOCK_DESTROY requests, parse the answers.

Pure: bytes in, records out (the socket I/O is in ``opskit.adapters.sock_diag``). Layouts follow the
Linux uapi headers ``linux/netlink.h``, ``linux/sock_diag.h`` and ``linux/inet_diag.h``:

* ``struct nlmsghdr``          u32 len, u16 type, u16 flags, u32 seq, u32 pid       (16 bytes)
* ``struct inet_diag_sockid``  be16 sport, be16 dport, be32 src[4], be32 dst[4],
                               u32 if, u32 cookie[2]                                 (48 bytes)
* ``struct inet_diag_req_v2``  u8 family, u8 protocol, u8 ext, u8 pad, u32 states, sockid (56 bytes)
* ``struct inet_diag_msg``     u8 family, state, timer, retrans, sockid,
                               u32 expires, rqueue, wqueue, uid, inode               (72 bytes)
* ``struct nlmsgerr``          s32 error, then the request's nlmsghdr (and payload)
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from opskit.core.sockets.validate import canonical_ip

NETLINK_SOCK_DIAG = 4  # linux/netlink.h (NETLINK_INET_DIAG)
SOCK_DIAG_BY_FAMILY = 20  # linux/sock_diag.h
SOCK_DESTROY = 21
NLMSG_NOOP = 1
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x01
NLM_F_ACK = 0x04
NLM_F_DUMP_INTR = 0x10
NLM_F_DUMP = 0x100 | 0x200  # NLM_F_ROOT | NLM_F_MATCH
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10  # error acks carry only the request header, not the whole request
SO_RCVBUFFORCE = 33

NLMSG_HEADER = struct.Struct("=IHHII")
# inet_diag_msg after its nlmsghdr: family, state, the raw sockid, then uid and inode (x = skipped).
_DIAG_MESSAGE = struct.Struct("=16x BB2x 48s 12x II")
_REQUEST_V2 = struct.Struct("=BBBBI")
_ERROR = struct.Struct("=i")
SOCKID_SIZE = 48
REQUEST_SIZE = NLMSG_HEADER.size + _REQUEST_V2.size + SOCKID_SIZE  # 72 bytes per destroy request
_DESTROY_REQUEST = struct.Struct("=IHHII BBBBI 48s")  # nlmsghdr + inet_diag_req_v2 (sockid raw)
_NO_COOKIE = b"\xff" * 8  # INET_DIAG_NOCOOKIE in both words: "any socket" in a dump request

# linux/tcp_states.h numbers ↔ the ss state names used everywhere else in opskit.
TCP_STATES: dict[str, int] = {
    "established": 1,
    "syn-sent": 2,
    "syn-recv": 3,
    "fin-wait-1": 4,
    "fin-wait-2": 5,
    "time-wait": 6,
    "closed": 7,
    "close-wait": 8,
    "last-ack": 9,
    "listening": 10,
    "closing": 11,
}
_STATE_NAMES: dict[int, str] = {number: name for name, number in TCP_STATES.items()}
_STATE_NAMES[12] = "syn-recv"  # TCP_NEW_SYN_RECV: a request socket, shown by ss as SYN-RECV
_FAMILY_LENGTH = {socket.AF_INET: 4, socket.AF_INET6: 16}


class DiagSocket(NamedTuple):
    """One TCP socket from an inet_diag dump.

    A NamedTuple rather than a frozen dataclass: a cut parses thousands of these, and tuple
    construction is several times cheaper than a frozen dataclass's per-field ``__setattr__``.
    """

    family: int
    state: str
    local_ip: str
    local_port: int
    peer_ip: str
    peer_port: int
    uid: int
    inode: int
    sock_id: bytes  # the raw inet_diag_sockid (ports, addresses, interface, cookie), echoed to destroy

    @property
    def cookie(self) -> bytes:
        """The kernel's socket cookie: a reused 4-tuple gets a new one, so it names this socket only."""
        return self.sock_id[40:48]


class DumpChunk(NamedTuple):
    """What one ``recv`` of a dump held: the sockets, and whether the dump ended (or failed)."""

    sockets: list[DiagSocket]
    done: bool
    error: int  # errno from an NLMSG_ERROR, 0 when none
    interrupted: bool  # NLM_F_DUMP_INTR: the table changed during the dump, a socket may be missing


def state_mask(states: Iterable[str]) -> int:
    """The ``idiag_states`` bit mask for ss state names (listening is never asked for by a cut)."""
    mask = 0
    for name in states:
        mask |= 1 << TCP_STATES[name]
    return mask


def dump_request(family: int, states: int, local_port: int | None, seq: int) -> bytes:
    """A SOCK_DIAG_BY_FAMILY dump of TCP sockets in ``states``; the kernel compares ``local_port`` itself.

    A non-zero ``idiag_sport`` in a dump request makes the kernel skip sockets with another local
    port while it walks its tables, so thousands of unrelated sockets never reach Python.
    """
    sock_id = struct.pack("!HH", local_port or 0, 0) + bytes(32) + struct.pack("=I", 0) + _NO_COOKIE
    body = _REQUEST_V2.pack(family, socket.IPPROTO_TCP, 0, 0, states) + sock_id
    flags = NLM_F_REQUEST | NLM_F_DUMP
    return NLMSG_HEADER.pack(NLMSG_HEADER.size + len(body), SOCK_DIAG_BY_FAMILY, flags, seq, 0) + body


def parse_dump(data: bytes | bytearray | memoryview, length: int) -> DumpChunk:
    """Parse the first ``length`` bytes of one ``recv`` of a dump answer."""
    found: list[DiagSocket] = []
    append = found.append
    unpack_header, unpack_message = NLMSG_HEADER.unpack_from, _DIAG_MESSAGE.unpack_from
    offset = 0
    interrupted = False
    while offset + NLMSG_HEADER.size <= length:
        size, kind, flags, _seq, _pid = unpack_header(data, offset)
        if size < NLMSG_HEADER.size:
            break  # malformed: never loop forever on a zero length
        if flags & NLM_F_DUMP_INTR:
            interrupted = True
        if kind == NLMSG_DONE:
            return DumpChunk(found, True, 0, interrupted)
        if kind == NLMSG_ERROR:
            (error,) = _ERROR.unpack_from(data, offset + NLMSG_HEADER.size)
            return DumpChunk(found, True, -error, interrupted)
        if kind == SOCK_DIAG_BY_FAMILY and size >= _DIAG_MESSAGE.size:
            family, state, sock_id, uid, inode = unpack_message(data, offset)
            # inet_diag_sockid: be16 sport, be16 dport, src[16] at 4, dst[16] at 20
            if family == socket.AF_INET:
                local, peer = _address(family, sock_id[4:8]), _address(family, sock_id[20:24])
            elif family == socket.AF_INET6:
                local, peer = _address(family, sock_id[4:20]), _address(family, sock_id[20:36])
            else:
                offset += (size + 3) & ~3
                continue
            fields = (
                family,
                _STATE_NAMES.get(state, "unknown"),
                local,
                sock_id[0] << 8 | sock_id[1],
                peer,
                sock_id[2] << 8 | sock_id[3],
                uid,
                inode,
                sock_id,
            )
            append(DiagSocket(*fields))
        offset += (size + 3) & ~3
    return DumpChunk(found, False, 0, interrupted)


@lru_cache(maxsize=65536)  # a cut meets a few dozen distinct addresses thousands of times
def _address(family: int, raw: bytes) -> str:
    return canonical_ip(socket.inet_ntop(family, raw))


def destroy_batch(sockets: Sequence[DiagSocket], first_seq: int) -> tuple[bytes, int]:
    """One sendmsg buffer: a SOCK_DESTROY request per socket (seq ``first_seq`` + index), then a marker.

    The kernel handles every message of one buffer in turn (netlink_rcv_skb). A request is answered
    only when it fails (no NLM_F_ACK), so success costs no answer to read; the trailing NLMSG_NOOP
    asks for an ack and so marks where this batch's answers end. Returns (buffer, marker seq).
    """
    pack = _DESTROY_REQUEST.pack
    tcp = socket.IPPROTO_TCP
    parts = [
        pack(REQUEST_SIZE, SOCK_DESTROY, NLM_F_REQUEST, first_seq + index, 0, sock.family, tcp, 0, 0, 0, sock.sock_id)
        for index, sock in enumerate(sockets)
    ]
    marker = first_seq + len(sockets)
    parts.append(NLMSG_HEADER.pack(NLMSG_HEADER.size, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, marker, 0))
    return b"".join(parts), marker


def parse_acks(data: bytes | bytearray | memoryview, length: int) -> list[tuple[int, int]]:
    """(request seq, errno) for every NLMSG_ERROR answer in one ``recv`` (errno 0 is a plain ack)."""
    answers = []
    offset = 0
    while offset + NLMSG_HEADER.size <= length:
        size, kind, _flags, seq, _pid = NLMSG_HEADER.unpack_from(data, offset)
        if size < NLMSG_HEADER.size:
            break
        if kind == NLMSG_ERROR and size >= NLMSG_HEADER.size + _ERROR.size:
            (error,) = _ERROR.unpack_from(data, offset + NLMSG_HEADER.size)
            # The request's own header follows the error code; its seq is the one that counts.
            if size >= NLMSG_HEADER.size * 2 + _ERROR.size:
                seq = NLMSG_HEADER.unpack_from(data, offset + NLMSG_HEADER.size + _ERROR.size)[3]
            answers.append((seq, -error))
        offset += (size + 3) & ~3
    return answers


@dataclass(frozen=True)
class DestroyOutcome:
    """How each matched socket ended, judged from the kernel's answers and one dump afterwards."""

    cut: tuple[int, ...]  # indexes into the matched list: destroyed by us, gone now
    still_present: tuple[int, ...]  # the same socket (cookie) is still listed
    closed_on_own: tuple[int, ...]  # ENOENT/ESTALE: it was gone (or its 4-tuple reused) before we got to it
    refused: Mapping[int, int]  # errno by number of requests for every other error (EPERM, EOPNOTSUPP, …)


def judge_destroy(
    matched_cookies: Sequence[bytes], errors: Mapping[bytes, int], after_cookies: set[bytes]
) -> DestroyOutcome:
    """Sort the matched sockets by what the kernel answered (per cookie) and whether they are still listed.

    ENOENT means the socket was no longer in the kernel's tables, or that its 4-tuple now belongs to
    another socket (a new connection, or the listener the lookup fell through to) whose cookie
    differs, which the kernel therefore refused to touch; older kernels answer that case with
    ESTALE. Either way ours closed on its own.
    """
    import errno as errnos

    if not errors and not after_cookies:  # the usual outcome: everything destroyed and gone
        return DestroyOutcome(tuple(range(len(matched_cookies))), (), (), {})
    cut: list[int] = []
    still: list[int] = []
    on_own: list[int] = []
    refused: dict[int, int] = {}
    for index, cookie in enumerate(matched_cookies):
        error = errors.get(cookie, 0)
        if cookie in after_cookies:
            still.append(index)
        elif error == 0:
            cut.append(index)
        else:
            on_own.append(index)
        if error not in (0, errnos.ENOENT, errnos.ESTALE):
            refused[error] = refused.get(error, 0) + 1
    return DestroyOutcome(tuple(cut), tuple(still), tuple(on_own), refused)


NETLINK_ENTRY = "netlink:sock_diag"  # first word of the `commands` entry that describes a netlink destroy

KERNEL_REFUSES_DESTROY = (
    "the kernel answered SOCK_DESTROY with 'Operation not supported': it was built without "
    "CONFIG_INET_DIAG_DESTROY, so no tool (ss -K included) can cut sockets here. Fix: boot a kernel with "
    "CONFIG_INET_DIAG_DESTROY=y, or close the sessions from the application / restart the owning "
    "process, or cut them on a host whose kernel supports it (e.g. the proxy in front)."
)


def netlink_destroy_entry(count: int, netns_pid: int | None) -> tuple[str, ...]:
    """The `commands` entry for what a netlink cut does (or would do): not a runnable argv."""
    where = f"netns=pid:{netns_pid}" if netns_pid is not None else "netns=host"
    return (NETLINK_ENTRY, "SOCK_DESTROY", f"sockets={count}", "match=sockid+cookie", where)


def destroy_problem(refused: Mapping[int, int]) -> str | None:
    """The report's problem for the errors the kernel gave (count of requests per errno), or None."""
    import errno as errnos
    import os

    if not refused:
        return None
    if errnos.EOPNOTSUPP in refused:
        return KERNEL_REFUSES_DESTROY
    parts = []
    for code, count in sorted(refused.items()):
        text = f"SOCK_DESTROY answers: {os.strerror(code)} ({count} socket(s))"
        if code == errnos.EPERM:
            text += " (cutting sessions needs root or CAP_NET_ADMIN in the socket's network namespace)"
        parts.append(text)
    return "; ".join(parts)
