"""Reading what a user hands opskit: bounded reads of files, pipes and stdin.

Every file a user hands opskit (a spec, a config, a paste, a plan, a journal...) goes through
:func:`read_input_bytes`, which caps how much it reads (a ``/dev/zero`` or a 20 GB file ends in a
one-line error, never a MemoryError); each :class:`InputKind` has its own limit, and
``OPSKIT_MAX_INPUT_BYTES`` replaces them all for one run. A named FIFO nobody writes to is refused
after a bounded wait. A path the user named is followed if it is a symlink: it is their choice, as
with ``cat`` (the output folder is another matter: :mod:`opskit.adapters.output_files`).
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from opskit.errors import InputError

KIB = 1024
MIB = 1024 * KIB

LIMIT_VARIABLE = "OPSKIT_MAX_INPUT_BYTES"
"""Environment variable raising (or lowering) the size limit of every input file, e.g. ``200M``."""


class InputKind(Enum):
    """What an input file is; each kind has its own default size limit (see ``docs/security``)."""

    SPEC = ("spec", 4 * MIB)  # a 1,000-route spec is ~100 KiB
    CONFIG = ("config", 64 * MIB)  # nginx/HAProxy configs: generated ones reach tens of MB
    PASTE = ("paste", 16 * MIB)  # pasted tailscale output
    PLAN = ("plan", 16 * MIB)  # a migrate plan (JSON)
    JOURNAL = ("journal", 256 * MIB)  # a migrate journal holds the tenant's before-image
    TRAEFIK = ("Traefik dynamic config", 16 * MIB)
    PEERS = ("peers file", 16 * MIB)
    SETTINGS = ("settings file", 1 * MIB)  # .opskit.toml or a pyproject.toml

    def __init__(self, noun: str, default_limit: int) -> None:
        self.noun = noun
        self.default_limit = default_limit


_SIZE = re.compile(r"^\s*(\d+)\s*([kmgKMG]?)(i?[bB])?\s*$")


def parse_size(text: str) -> int | None:
    """``'64M'`` → 67108864 (K, M, G are powers of 1024; a bare number is bytes); None if unreadable."""
    match = _SIZE.match(text)
    if not match:
        return None
    factor = {"": 1, "k": KIB, "m": MIB, "g": 1024 * MIB}[match.group(2).lower()]
    return int(match.group(1)) * factor


def input_limit(kind: InputKind, environ: Mapping[str, str] | None = None) -> int:
    """The size limit for ``kind``: ``OPSKIT_MAX_INPUT_BYTES`` when set (for every kind), else the default."""
    value = (os.environ if environ is None else environ).get(LIMIT_VARIABLE, "").strip()
    if not value:
        return kind.default_limit
    size = parse_size(value)
    if size is None or size <= 0:
        raise InputError.at(
            "environment", None, LIMIT_VARIABLE, f"{value!r} is not a size (write bytes, or e.g. 512K, 64M, 2G)"
        )
    return size


def human_size(size: int) -> str:
    """4194304 → '4 MiB'; sizes that are not whole KiB/MiB stay in bytes."""
    for unit, factor in (("GiB", 1024 * MIB), ("MiB", MIB), ("KiB", KIB)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


class InputTooLarge(InputError):
    """An input file (or stream) is over its size limit; the message says how to raise it."""

    @classmethod
    def for_source(cls, source: str, kind: InputKind, limit: int) -> InputTooLarge:
        problem = (
            f"{kind.noun} is larger than {human_size(limit)}, the limit opskit reads "
            f"(set {LIMIT_VARIABLE}=SIZE, e.g. {LIMIT_VARIABLE}={_suggest(limit)}, to raise it)"
        )
        error = InputError.at(source, None, None, problem)
        return cls(error.message, error.problems)


def _suggest(limit: int) -> str:
    return f"{max(limit * 4 // MIB, 1)}M"


_CHUNK = 1 * MIB


def read_capped(handle: BinaryIO | int, limit: int) -> bytes | None:
    """At most ``limit`` bytes, or None when there is more (reads limit + 1 bytes, never more)."""
    buffer = bytearray()
    while len(buffer) <= limit:
        want = min(_CHUNK, limit + 1 - len(buffer))
        chunk = os.read(handle, want) if isinstance(handle, int) else handle.read(want)
        if not chunk:
            return bytes(buffer)
        buffer += chunk
    return None


FIFO_WRITER_WAIT_SECONDS = 5.0


def _wait_for_writer(fd: int, path: Path) -> None:
    """Wait until a named FIFO has data or its writer has come and gone; a FIFO nobody opens for
    writing within FIFO_WRITER_WAIT_SECONDS is bad input, never a hang."""
    import select

    poller = select.poll()
    poller.register(fd, select.POLLIN)
    if not poller.poll(int(FIFO_WRITER_WAIT_SECONDS * 1000)):
        raise InputError.at(
            str(path), None, None, f"is a FIFO that nothing wrote to within {FIFO_WRITER_WAIT_SECONDS:g} s"
        )


def read_input_bytes(path: Path, kind: InputKind) -> bytes:
    """The bytes of a user-named input file, at most its kind's size limit.

    Raises :class:`InputTooLarge` over the limit, ``IsADirectoryError`` for a directory and any other
    ``OSError`` as is, so each caller keeps its own wording for "not found" or "permission denied".
    Regular files are checked by size before reading; pipes, FIFOs and character devices
    (``/dev/zero``) are read up to the limit plus one byte, never further.
    """
    limit = input_limit(kind)
    # O_NONBLOCK: opening a named FIFO nobody writes to would block forever (as `cat` does); opened this
    # way, opskit waits a bounded time for a writer instead (_wait_for_writer) and then says so.
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    try:
        os.set_blocking(fd, True)
        info = os.fstat(fd)
        if stat.S_ISFIFO(info.st_mode):
            _wait_for_writer(fd, path)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise InputTooLarge.for_source(str(path), kind, limit)
        data = read_capped(fd, limit)
    finally:
        os.close(fd)
    if data is None:
        raise InputTooLarge.for_source(str(path), kind, limit)
    return data


def read_stdin_bytes(kind: InputKind, source: str = "<stdin>") -> bytes:
    """Standard input, at most the kind's size limit (``yes | opskit diagnose -`` ends, with an error)."""
    limit = input_limit(kind)
    data = read_capped(sys.stdin.buffer, limit)
    if data is None:
        raise InputTooLarge.for_source(source, kind, limit)
    return data


def decode_utf8(data: bytes, source: str, what: str) -> str:
    """UTF-8 text, or an InputError naming the byte offset of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.at(
            source, None, None, f"{what} is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None


def read_text_input(path: Path, what: str, kind: InputKind = InputKind.CONFIG) -> str:
    """Read a user-supplied text file, bounded; a missing, unreadable or oversized one is bad input (exit 2)."""
    try:
        data = read_input_bytes(path, kind)
    except FileNotFoundError:
        raise InputError.at(str(path), None, None, f"{what} not found") from None
    except IsADirectoryError:
        raise InputError.at(str(path), None, None, f"{what} is a directory, expected a file") from None
    except PermissionError:
        raise InputError.at(str(path), None, None, f"{what} is not readable (permission denied)") from None
    except OSError as exc:
        raise InputError.at(str(path), None, None, f"cannot read {what}: {exc.strerror or exc}") from None
    return decode_utf8(data, str(path), what)


def require_regular_file(path: Path | str, what: str) -> os.stat_result:
    """Refuse before opening: a directory, FIFO, socket or device named where a file is expected."""
    name = str(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError.at(name, None, None, f"cannot read {what}: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError.at(name, None, None, f"{what} is a directory, expected a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError.at(name, None, None, f"{what} is not a regular file (a FIFO, socket or device?)")
    return info


def require_regular_file_if_present(path: Path, what: str) -> None:
    """``require_regular_file`` unless ``path`` does not exist: the caller's reader reports that."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return
    except OSError:
        pass  # too long a name, a loop, no permission: require_regular_file says which
    require_regular_file(path, what)
