"""Which process owns a socket: read /proc/<pid>/fd of likely owners first, stop when all are found."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from pathlib import Path

# Owners are handed out in groups of this size so a caller can act on the first ones (a cut
# destroys them) while the scan goes on.
OWNER_CHUNK = 256


def socket_owners(wanted: set[int], prefer_uids: Collection[int] = ()) -> dict[int, tuple[int, str | None]]:
    """Socket inode → (pid, process name) for the ``wanted`` inodes (see :func:`iter_socket_owners`)."""
    owners: dict[int, tuple[int, str | None]] = {}
    for pid, name, inodes in iter_socket_owners(wanted, prefer_uids):
        for inode in inodes:
            owners[inode] = (pid, name)
    return owners


def iter_socket_owners(
    wanted: set[int], prefer_uids: Collection[int] = (), *, chunk: int = OWNER_CHUNK
) -> Iterator[tuple[int, str | None, list[int]]]:
    """(pid, process name, inodes) for the ``wanted`` socket inodes, in groups as they are found.

    Only descriptors are read, one readlink each, and the scan stops as soon as every wanted inode
    has an owner. Likely owners are read first: processes running as a uid that owns the sockets
    (``prefer_uids``, from the kernel's listing), largest descriptor tables first (a server holding
    thousands of sessions has thousands of descriptors). In the usual case that is the one server
    process and nothing else is read; otherwise the scan goes on through every process, so the
    order only changes the cost, never the answer. `ss -p` would rescan everything every time.
    An inode held by two processes (a descriptor inherited over fork) is reported once.
    """
    if not wanted:
        return
    # Compared as readlink text ("socket:[123]"): no int() per descriptor of a busy server.
    missing = {f"socket:[{inode}]": inode for inode in wanted}
    for pid in _candidate_pids(set(prefer_uids)):
        name: str | None = None
        named = False
        for links in _owned_links(pid, missing, chunk):
            if not named:
                name, named = _process_name(pid), True
            yield pid, name, [missing.pop(link) for link in links if link in missing]
        if not missing:
            return


def _candidate_pids(prefer_uids: set[int]) -> list[int]:
    """Every pid, likely socket owners first (see iter_socket_owners)."""
    ranked: list[tuple[bool, int, int]] = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            # /proc/<pid>/fd is owned by the process's uid; since Linux 6.2 its size is the number of
            # open descriptors (0 before, which only makes the order less useful).
            info = os.stat(f"/proc/{entry.name}/fd")
        except OSError:
            continue
        ranked.append((info.st_uid not in prefer_uids, -info.st_size, int(entry.name)))
    ranked.sort()
    return [pid for _, _, pid in ranked]


def _owned_links(pid: int, wanted: dict[str, int], chunk: int) -> Iterator[list[str]]:
    """The ``wanted`` link targets among the descriptors of ``pid``, ``chunk`` at a time."""
    try:
        # readlink relative to an open fd directory skips a path walk per descriptor (~25 % faster)
        fd_dir = os.open(f"/proc/{pid}/fd", os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return  # gone, or not ours to read
    found: list[str] = []
    try:
        try:
            descriptors = os.listdir(fd_dir)
        except OSError:
            return
        readlink = os.readlink
        for fd in descriptors:
            try:
                target = readlink(fd, dir_fd=fd_dir)
            except OSError:
                continue
            if target in wanted:
                found.append(target)
                if len(found) >= chunk:
                    yield found
                    found = []
        if found:
            yield found
    finally:
        os.close(fd_dir)


def _process_name(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None
