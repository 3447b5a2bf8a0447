"""Filesystem writes that never leave a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def atomic_write(path: Path, content: str | bytes, mode: int | None = None) -> None:
    """Write ``content`` to a temp file in the same directory, fsync it, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode() if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".opskit-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        elif path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with _suppress_oserror():
            os.unlink(tmp)
        raise


def atomic_write_tree(root: Path, files: Mapping[str, str]) -> list[Path]:
    """Write several files under ``root``, each atomically. Returns the paths written."""
    written = []
    for relative, content in sorted(files.items()):
        target = root / relative
        atomic_write(target, content)
        written.append(target)
    return written


class _suppress_oserror:
    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, exc: object, tb: object) -> bool:
        return isinstance(exc, OSError)


def read_text_input(path: Path, what: str) -> str:
    """Read a user-supplied text file; a missing or unreadable one is bad input (exit 2)."""
    from opskit.errors import InputError

    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError.at(str(path), None, None, f"{what} not found") from None
    except IsADirectoryError:
        raise InputError.at(str(path), None, None, f"{what} is a directory, expected a file") from None
    except PermissionError:
        raise InputError.at(str(path), None, None, f"{what} is not readable (permission denied)") from None
    except UnicodeDecodeError as exc:
        raise InputError.at(
            str(path), None, None, f"{what} is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None


def read_tree(root: Path) -> dict[str, str | None]:
    """Every regular file under ``root`` as text (None for files that are not UTF-8), keyed by relative path."""
    found: dict[str, str | None] = {}
    if not root.is_dir():
        return found
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.endswith(".opskit-tmp"):
            try:
                found[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                found[path.relative_to(root).as_posix()] = None
    return found


def write_report(path: Path, text: str, option: str) -> None:
    """Write a report the user asked for with ``-o FILE``: atomically, never creating folders or
    writing through a symlink; any failure is bad input naming the option (exit 2)."""
    from opskit.errors import InputError

    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise InputError.option(option, f"{path} exists and is not a regular file")
    if not path.parent.is_dir():
        raise InputError.option(option, f"folder {path.parent} does not exist")
    try:
        atomic_write(path, text)
    except OSError as error:
        raise InputError.option(option, f"cannot write {path}: {error.strerror or error}") from None
