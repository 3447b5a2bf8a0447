"""Talk sock_diag netlink to the kernel: dump TCP sockets, destroy exactly the listed ones.

This is what `ss -K` does underneath, minus the fork/exec, the text round trip and one syscall
round trip per socket: destroy requests go out in batches of up to ``DESTROY_BATCH`` per sendmsg.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import threading
from collections.abc import Iterable, Sequence

from opskit.core.sockets.diag import (
    NETLINK_CAP_ACK,
    NETLINK_SOCK_DIAG,
    SO_RCVBUFFORCE,
    SOL_NETLINK,
    DiagSocket,
    destroy_batch,
    dump_request,
    parse_acks,
    parse_dump,
)
from opskit.errors import EnvironmentProblem

# 1,024 requests are 72 KiB: well inside the default 208 KiB socket send buffer (netlink refuses a
# message larger than sndbuf - 32 with EMSGSIZE), and even if every one failed, their small error
# acks fit the receive buffer raised below.
DESTROY_BATCH = 1024
_RECEIVE_BUFFER = 4 << 20
_RECV_CHUNK = 1 << 16
_TIMEOUT_SECONDS = 30.0
CLONE_NEWNET = 0x40000000


class NetlinkUnavailable(Exception):
    """sock_diag netlink cannot be used here (no AF_NETLINK, or inet_diag missing): fall back to ss."""


def open_diag_socket(netns_pid: int | None = None) -> socket.socket:
    """A NETLINK_SOCK_DIAG socket, in the network namespace of ``netns_pid`` when given.

    A netlink socket belongs to the namespace it was created in, so for ``--netns`` a short-lived
    thread enters the target namespace (setns only moves the calling thread), creates the socket and
    ends; the rest of this process never leaves the host namespace.
    """
    if netns_pid is None:
        return _new_diag_socket()
    result: list[socket.socket | BaseException] = []
    worker = threading.Thread(target=_socket_in_netns, args=(netns_pid, result), daemon=True)
    worker.start()
    worker.join()
    outcome = result[0] if result else NetlinkUnavailable("the namespace thread did not answer")
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _socket_in_netns(netns_pid: int, result: list[socket.socket | BaseException]) -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(f"/proc/{netns_pid}/ns/net", os.O_RDONLY | os.O_CLOEXEC)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                code = ctypes.get_errno()
                raise EnvironmentProblem(
                    f"cannot enter the network namespace of process {netns_pid}: {os.strerror(code)}",
                    hint="--netns needs root (CAP_SYS_ADMIN); nothing was cut.",
                )
        finally:
            os.close(fd)
        result.append(_new_diag_socket())
    except (EnvironmentProblem, NetlinkUnavailable) as exc:
        result.append(exc)
    except (OSError, AttributeError) as exc:  # process gone, or a libc without setns: use nsenter + ss
        result.append(NetlinkUnavailable(f"cannot open sock_diag in process {netns_pid}'s namespace: {exc}"))


def _new_diag_socket() -> socket.socket:
    try:
        sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG)
    except (OSError, AttributeError) as exc:  # no AF_NETLINK (not Linux, some sandboxes)
        raise NetlinkUnavailable(f"no sock_diag netlink socket: {exc}") from None
    # Older kernels lack NETLINK_CAP_ACK: error acks then repeat the request, parsed the same way.
    with contextlib.suppress(OSError):
        sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
    try:
        # Forcing past rmem_max needs CAP_NET_ADMIN, which a cut has; a dry run makes do with less.
        sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, _RECEIVE_BUFFER)
    except OSError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _RECEIVE_BUFFER)
    # Every exchange ends with an answer the kernel sends at once (NLMSG_DONE, or the marker's ack);
    # the timeout only turns "never" into an error instead of a hang.
    sock.settimeout(_TIMEOUT_SECONDS)
    return sock


BOTH_FAMILIES = (socket.AF_INET, socket.AF_INET6)


def dump_tcp(
    sock: socket.socket, states: int, local_port: int | None, families: Iterable[int] = BOTH_FAMILIES
) -> list[DiagSocket]:
    """Every TCP socket of ``families`` in ``states``, with ``local_port`` when given, each once.

    Each family is one walk of the kernel's whole socket hash table (several ms on a host with a
    large table, even when nothing matches), so callers that know the family ask for it alone. A
    dump that spans several reads can list a socket twice when the table changes underneath it, so
    sockets are de-duplicated by cookie.
    """
    seen: dict[bytes, DiagSocket] = {}
    buffer = bytearray(_RECV_CHUNK)
    for seq, family in enumerate(sorted(set(families)), start=1):
        try:
            sock.send(dump_request(family, states, local_port, seq))
        except OSError as exc:  # e.g. a security module refusing sock_diag to this process
            raise NetlinkUnavailable(f"inet_diag dump refused: {exc}") from None
        while True:
            try:
                length = _recv(sock, buffer)
            except OSError as exc:
                raise NetlinkUnavailable(f"inet_diag dump failed: {exc}") from None
            chunk = parse_dump(buffer, length)
            for found in chunk.sockets:
                seen.setdefault(found.sock_id[40:48], found)
            if chunk.error and chunk.error != errno.ENOENT:  # ENOENT: no IPv6 in this kernel/namespace
                raise NetlinkUnavailable(f"inet_diag dump failed: {os.strerror(chunk.error)}")
            if chunk.done:
                break
    return list(seen.values())


def destroy(sock: socket.socket, sockets: Sequence[DiagSocket], *, batch: int = DESTROY_BATCH) -> dict[bytes, int]:
    """SOCK_DESTROY each socket by its full inet_diag_sockid (cookie included). Returns errno by cookie
    for every request the kernel refused (absent = destroyed)."""
    failed: dict[bytes, int] = {}
    buffer = bytearray(_RECV_CHUNK)
    for start in range(0, len(sockets), batch):
        part = sockets[start : start + batch]
        # seq numbers restart per batch; 1-based so 0 is never a live request
        message, marker = destroy_batch(part, 1)
        sock.send(message)
        for seq, error in _answers_until(sock, buffer, marker):
            if error and 1 <= seq <= len(part):
                failed[part[seq - 1].cookie] = error
    return failed


def _answers_until(sock: socket.socket, buffer: bytearray, marker: int) -> Iterable[tuple[int, int]]:
    while True:
        length = _recv(sock, buffer)
        for seq, error in parse_acks(buffer, length):
            if seq == marker:
                return
            yield seq, error


def _recv(sock: socket.socket, buffer: bytearray) -> int:
    try:
        return sock.recv_into(buffer)
    except OSError as exc:
        if exc.errno == errno.ENOBUFS:  # answers were dropped: the outcome is unknowable, say so
            raise NetlinkUnavailable("the kernel dropped sock_diag answers (ENOBUFS)") from None
        if isinstance(exc, TimeoutError):
            raise NetlinkUnavailable(f"no sock_diag answer within {_TIMEOUT_SECONDS:.0f} s") from None
        raise
