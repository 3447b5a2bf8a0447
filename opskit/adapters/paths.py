"""Checks on the paths a user names: a file to read must be a regular file, an output needs its folder.

A FIFO or a character device named as an input would block a read forever (or never end), and a
missing folder named as an output would otherwise be created, as root, by a command that was only
asked to write one file. Both are bad input: exit 2 naming the option or the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from opskit.errors import InputError

# Inputs opskit reads whole (plans, journals, peer lists) are kilobytes to a few megabytes.
MAX_INPUT_BYTES = 256 * 1024 * 1024


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


def read_regular_file(path: Path, what: str) -> bytes:
    """The bytes of ``path`` if it is a regular file (symlinks to one are fine); else InputError."""
    name = str(path)
    info = require_regular_file(path, what)
    if info.st_size > MAX_INPUT_BYTES:
        raise InputError.at(name, None, None, f"{what} is larger than {MAX_INPUT_BYTES // 2**20} MiB")
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputError.at(name, None, None, f"cannot read {what}: {exc.strerror}") from None


def read_regular_text(path: Path, what: str) -> str:
    """``read_regular_file`` decoded as UTF-8; other bytes are bad input naming the byte offset."""
    data = read_regular_file(path, what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.at(
            str(path), None, None, f"{what} is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None


def check_output_file(path: Path, option: str) -> None:
    """Refuse an output path that cannot become a file: a directory, or one whose folder is missing.

    The folder is never created: a typo in ``-o /srv/plnas/p.json`` must not leave a new
    directory behind (owned by root when run with sudo).
    """
    name = str(path)
    parent = path.parent
    target = _stat_or_none(path, option)
    if target is not None and stat.S_ISDIR(target.st_mode):
        raise InputError.option(option, f"{name!r} is a directory; name a file inside it")
    folder = _stat_or_none(parent, option)
    if folder is None:
        raise InputError.option(option, f"the folder {str(parent)!r} does not exist; create it first (opskit does not)")
    if not stat.S_ISDIR(folder.st_mode):
        raise InputError.option(option, f"{str(parent)!r} is not a folder")
    if target is not None and not stat.S_ISREG(target.st_mode):
        raise InputError.option(option, f"{name!r} exists and is not a regular file")


def _stat_or_none(path: Path, option: str) -> os.stat_result | None:
    """``os.stat``; None when nothing is there; other failures (name too long, loops) are bad input."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise InputError.option(option, f"cannot use {str(path)!r}: {exc.strerror}") from None
