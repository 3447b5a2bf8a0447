"""The move journal on disk: an append-only file, 0600 (before-images hold key hashes), fsync on
``sync``; and reading it back for rollback. What goes in it is decided in core/headscale/journal.py."""

from __future__ import annotations

import os
from pathlib import Path

from opskit.adapters.input_files import InputKind, read_input_bytes
from opskit.core.headscale.journal import Journal, JournalUnwritable, Record, record_text
from opskit.core.headscale.journal_parse import parse_journal
from opskit.errors import InputError


class FileJournal:
    """A JournalSink writing to ``path``: created exclusively for apply, appended to for rollback."""

    def __init__(self, path: Path, *, create: bool) -> None:
        flags = os.O_WRONLY | os.O_APPEND | (os.O_CREAT | os.O_EXCL if create else 0)
        try:
            self._fd = os.open(path, flags, 0o600)
        except FileExistsError:
            raise InputError.at(str(path), None, "--journal", "already exists; choose a new journal path") from None
        except OSError as exc:
            raise InputError.at(str(path), None, "--journal", f"cannot open: {exc.strerror}") from None
        self.path = path
        self._size = os.fstat(self._fd).st_size
        self._reader: int | None = None
        self._new_entry = create

    def append(self, text: str) -> None:
        self.append_bytes(text.encode())

    def append_bytes(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            while view:
                written = os.write(self._fd, view)
                self._size += written
                view = view[written:]
        except OSError as exc:
            raise self._unwritable(exc) from None

    def position(self) -> int:
        return self._size

    def read_back(self, start: int, size: int) -> list[bytes]:
        lines = os.pread(self._fd_read(), size, start).split(b"\n")
        lines.pop()  # every COPY line ends with a newline
        return lines

    def _fd_read(self) -> int:
        if self._reader is None:
            self._reader = os.open(self.path, os.O_RDONLY)
        return self._reader

    def sync(self) -> None:
        try:
            os.fsync(self._fd)
            if self._new_entry:  # the new directory entry must survive a crash too, not only the content
                directory = os.open(self.path.parent if str(self.path.parent) else Path("."), os.O_RDONLY)
                try:
                    os.fsync(directory)
                finally:
                    os.close(directory)
                self._new_entry = False
        except OSError as exc:
            raise self._unwritable(exc) from None

    def _unwritable(self, exc: OSError) -> JournalUnwritable:
        return JournalUnwritable(
            f"cannot write the journal {self.path}: {exc.strerror or exc}",
            hint="Free space or choose another --journal path.",
        )

    def record(self, record: Record) -> None:
        """Append one record and make it durable before returning."""
        self.append(record_text(record))
        self.sync()

    def close(self) -> None:
        os.close(self._fd)
        if self._reader is not None:
            os.close(self._reader)


def read_journal(path: str) -> Journal:
    """The journal at ``path``, parsed; unreadable or malformed is bad input (exit 2)."""
    try:
        data = read_input_bytes(Path(path), InputKind.JOURNAL)
    except OSError as exc:
        raise InputError.at(path, None, None, f"cannot read journal: {exc.strerror}") from None
    return parse_journal(data, path)
