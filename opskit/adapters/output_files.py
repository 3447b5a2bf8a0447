"""Writing what opskit produces: the output folder of ``render`` and the report files of ``-o``.

The output folder is opskit's own. Nothing inside it is ever followed: it is walked with directory
file descriptors and ``O_NOFOLLOW``, and a symlink, FIFO or device found where a rendered file goes
is "not a file opskit wrote" (never read, never written through). A set of files is written
all-or-nothing: every file is staged (written and fsynced as a temp file beside its target) before
the first one is renamed into place. A single report (``-o FILE``) is written atomically, never
through a symlink and never creating folders.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from opskit.adapters.input_files import KIB, MIB, read_capped
from opskit.errors import EnvironmentProblem, InputError

NOT_OURS = "not a file opskit wrote"
TEMP_SUFFIX = ".opskit-tmp"
OUTPUT_FILE_LIMIT = 64 * MIB  # a rendered file on disk larger than this is compared as "changed"


@dataclass
class OutputTree:
    """What an output folder holds, seen without following any link inside it.

    ``files``: regular files as text (None: not UTF-8 or over the size limit: compared as changed).
    ``foreign``: everything else (symlinks, FIFOs, sockets, devices) by relative path → what it is;
    their content is never read. ``directories``: relative paths of real subdirectories.
    """

    files: dict[str, str | None] = field(default_factory=dict)
    foreign: dict[str, str] = field(default_factory=dict)
    directories: set[str] = field(default_factory=set)


def _kind_of(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


MAX_OUTPUT_ENTRIES = 100_000  # `-o ~` or `-o /` must not walk a whole disk
MAX_OUTPUT_DEPTH = 16  # rendered files sit at most two folders down
HEAD_BYTES = 4096  # enough of a file that is not rendered to see opskit's header (orphan check)


def scan_output_tree(root: Path, wanted: Mapping[str, str] | None = None) -> OutputTree:
    """The output folder as :class:`OutputTree`. ``root`` itself may be a link the user made; nothing
    below it is followed (directory fds + ``O_NOFOLLOW``, so a link swapped in mid-walk is not either).

    ``wanted`` (the rendered files) bounds what is read: a file at a rendered path is read up to
    twice its rendered size plus 64 KiB (a bigger one is certainly different: it is shown as a
    one-line placeholder, never read); any other file only up to its first 4 KiB. Without
    ``wanted`` every file is read up to 64 MiB. More than 100,000 entries is an error."""
    tree = OutputTree()
    try:
        root_fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):
        return tree
    except OSError as exc:
        raise EnvironmentProblem(f"{root}: cannot read the output folder: {exc.strerror or exc}") from None
    try:
        _scan(root_fd, "", tree, wanted, [MAX_OUTPUT_ENTRIES], str(root))
    finally:
        os.close(root_fd)
    return tree


def _scan(
    dir_fd: int, prefix: str, tree: OutputTree, wanted: Mapping[str, str] | None, left: list[int], root: str
) -> None:
    with os.scandir(dir_fd) as entries:
        names = []
        for entry in entries:
            left[0] -= 1
            if left[0] < 0:
                raise InputError.at(
                    root,
                    None,
                    None,
                    f"the output folder holds more than {MAX_OUTPUT_ENTRIES:,} entries: is it the right folder?",
                )
            names.append(entry.name)
    for name in sorted(names):
        relative = f"{prefix}{name}"
        try:
            info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            continue
        if stat.S_ISDIR(info.st_mode):
            tree.directories.add(relative)
            if relative.count("/") + 1 >= MAX_OUTPUT_DEPTH:
                continue  # nothing opskit writes is that deep
            try:
                child = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
            except OSError:
                tree.foreign[relative] = "a directory opskit cannot open"
                continue
            try:
                _scan(child, f"{relative}/", tree, wanted, left, root)
            finally:
                os.close(child)
        elif stat.S_ISREG(info.st_mode):
            if name.endswith(TEMP_SUFFIX):
                continue
            if wanted is None:
                tree.files[relative] = _read_output_file(dir_fd, name, OUTPUT_FILE_LIMIT)
            elif relative in wanted:
                cap = 2 * len(wanted[relative].encode()) + 64 * KIB
                if info.st_size > cap:
                    tree.files[relative] = f"<{info.st_size:,} bytes, far more than opskit renders here: not read>\n"
                else:
                    tree.files[relative] = _read_output_file(dir_fd, name, cap)
            else:
                tree.files[relative] = _read_output_file(dir_fd, name, HEAD_BYTES, head=True)
        else:
            tree.foreign[relative] = _kind_of(info.st_mode)


def _read_output_file(dir_fd: int, name: str, cap: int, head: bool = False) -> str | None:
    try:
        # O_NONBLOCK: a FIFO swapped in after the stat must not hang the read; O_NOFOLLOW: nor a link.
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        data = os.read(fd, cap) if head else read_capped(fd, cap)
    except OSError:
        return None
    finally:
        os.close(fd)
    if data is None:
        return None
    try:
        return data.decode("utf-8", errors="ignore" if head else "strict")
    except UnicodeDecodeError:
        return None


def read_tree(root: Path) -> dict[str, str | None]:
    """Every regular file under ``root`` as text (None for files that are not UTF-8), keyed by relative
    path. Links inside ``root`` are not followed (see :func:`scan_output_tree`)."""
    return scan_output_tree(root).files


class WriteFailed(EnvironmentProblem):
    """Writing a set of files failed; nothing was changed (the message says so)."""


@dataclass
class _Staged:
    dir_fd: int
    name: str
    temp: str
    backup: str | None = None
    existed: bool = False
    renamed: bool = False


def write_files(root: Path, files: Mapping[str, str]) -> list[str]:
    """Write every file of ``files`` (relative path → text) under ``root``, all or nothing.

    Every file is written and fsynced as ``.NAME.*.opskit-tmp`` beside its target first; only when
    all are staged are they renamed into place (an existing target is hard-linked aside first, where
    the filesystem has hard links, so a failed rename can be undone). On any failure the staged
    files, the saved copies and the folders this call created are removed, and :class:`WriteFailed`
    (exit 2) says nothing was changed.
    A link, FIFO or device at a target path or on the way to it is refused, never followed.
    """
    if not files:
        return []
    created_dirs: list[tuple[int, str]] = []
    dir_fds: dict[str, int] = {}
    staged: list[_Staged] = []
    try:
        root_fd = _open_root(root)
        dir_fds[""] = root_fd
        for relative in sorted(files):
            parent, name = _split(relative)
            dir_fd = _open_parent(root, dir_fds, parent, created_dirs)
            staged.append(_stage(root, dir_fd, relative, name, files[relative]))
        for item in staged:
            _keep_backup(root, item)
        for item in staged:
            try:
                os.replace(item.temp, item.name, src_dir_fd=item.dir_fd, dst_dir_fd=item.dir_fd)
            except OSError as exc:
                raise _failure(root, item.name, exc) from None
            item.renamed = True
        for fd in set(dir_fds.values()):
            with suppress(OSError):
                os.fsync(fd)
        for item in staged:
            if item.backup:
                with suppress(OSError):
                    os.unlink(item.backup, dir_fd=item.dir_fd)
        return sorted(files)
    except BaseException:
        _undo(staged, created_dirs)
        raise
    finally:
        for fd in set(dir_fds.values()):
            os.close(fd)


def _failure(root: Path, relative: str, exc: OSError) -> WriteFailed:
    reason = exc.strerror or str(exc)
    return WriteFailed(f"{root}: cannot write {relative}: {reason}; nothing was changed")


def _open_root(root: Path) -> int:
    try:
        root.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError.at(str(root), None, None, "the output path exists and is not a folder") from None
    except OSError as exc:
        raise _failure(root, ".", exc) from None
    try:
        return os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except NotADirectoryError:
        raise InputError.at(str(root), None, None, "the output path exists and is not a folder") from None
    except OSError as exc:
        raise _failure(root, ".", exc) from None


def _split(relative: str) -> tuple[str, str]:
    parts = relative.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"rendered path {relative!r} is not a plain relative path")  # a bug, not input
    return "/".join(parts[:-1]), parts[-1]


def _open_parent(root: Path, dir_fds: dict[str, int], parent: str, created: list[tuple[int, str]]) -> int:
    if parent in dir_fds:
        return dir_fds[parent]
    above, name = parent.rsplit("/", 1) if "/" in parent else ("", parent)
    above_fd = _open_parent(root, dir_fds, above, created)
    try:
        os.mkdir(name, 0o755, dir_fd=above_fd)
        created.append((above_fd, name))
    except FileExistsError:
        pass
    except OSError as exc:
        raise _failure(root, parent, exc) from None
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=above_fd)
    except OSError as exc:
        info = _lstat(above_fd, name)
        if info is not None and not stat.S_ISDIR(info.st_mode):
            what = "a file" if stat.S_ISREG(info.st_mode) else _kind_of(info.st_mode)
            raise WriteFailed(f"{root}: {parent} is {what}, not a folder ({NOT_OURS}); nothing was changed") from None
        raise _failure(root, parent, exc) from None
    dir_fds[parent] = fd
    return fd


def _lstat(dir_fd: int, name: str) -> os.stat_result | None:
    try:
        return os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return None


def _stage(root: Path, dir_fd: int, relative: str, name: str, text: str) -> _Staged:
    existing = _lstat(dir_fd, name)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise WriteFailed(
            f"{root}: {relative} is {_kind_of(existing.st_mode)}, {NOT_OURS}; remove it and render again "
            "(opskit never writes through it); nothing was changed"
        )
    mode = existing.st_mode & 0o7777 if existing is not None else 0o644
    data = text.encode()
    for _ in range(100):
        temp = f".{name}.{os.urandom(6).hex()}{TEMP_SUFFIX}"
        try:
            fd = os.open(
                temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=dir_fd
            )
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise _failure(root, relative, exc) from None
    else:  # pragma: no cover - 100 random 48-bit names all taken
        raise WriteFailed(f"{root}: cannot create a temp file beside {relative}; nothing was changed")
    item = _Staged(dir_fd, name, temp)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
        os.fchmod(fd, mode)
    except OSError as exc:
        os.close(fd)
        with suppress(OSError):
            os.unlink(temp, dir_fd=dir_fd)
        raise _failure(root, relative, exc) from None
    os.close(fd)
    return item


def _keep_backup(root: Path, item: _Staged) -> None:
    if _lstat(item.dir_fd, item.name) is None:
        return
    item.existed = True
    backup = f".{item.name}.{os.urandom(6).hex()}.opskit-old{TEMP_SUFFIX}"
    try:
        os.link(item.name, backup, src_dir_fd=item.dir_fd, dst_dir_fd=item.dir_fd, follow_symlinks=False)
    except OSError as exc:
        if exc.errno in _NO_HARD_LINKS:
            return  # a filesystem without hard links (vfat, some network mounts): no undo copy
        raise _failure(root, item.name, exc) from None
    item.backup = backup


_NO_HARD_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV})


def _undo(staged: list[_Staged], created_dirs: list[tuple[int, str]]) -> None:
    for item in staged:
        with suppress(OSError):
            if item.renamed and item.backup:
                os.replace(item.backup, item.name, src_dir_fd=item.dir_fd, dst_dir_fd=item.dir_fd)
            elif item.renamed and not item.existed:
                os.unlink(item.name, dir_fd=item.dir_fd)
        with suppress(OSError):
            if not item.renamed:
                os.unlink(item.temp, dir_fd=item.dir_fd)
        with suppress(OSError):
            if item.backup and not item.renamed:
                os.unlink(item.backup, dir_fd=item.dir_fd)
    for dir_fd, name in reversed(created_dirs):
        with suppress(OSError):
            os.rmdir(name, dir_fd=dir_fd)


def atomic_write(path: Path, content: str | bytes, mode: int | None = None) -> None:
    """Write ``content`` to a temp file in the same directory, fsync it, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode() if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
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
        with suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_tree(root: Path, files: Mapping[str, str]) -> list[Path]:
    """Write several files under ``root``, all or nothing (see :func:`write_files`). Returns the paths."""
    return [root / relative for relative in write_files(root, files)]


def write_report(path: Path, text: str, option: str) -> None:
    """Write a report the user asked for with ``-o FILE``: atomically, never creating folders or
    writing through a symlink; any failure is bad input naming the option (exit 2)."""
    from opskit.errors import InputError

    if path.is_symlink():
        raise InputError.option(option, f"{path} is a symbolic link; name the file itself")
    check_output_file(path, option)
    try:
        atomic_write(path, text)
    except OSError as error:
        raise InputError.option(option, f"cannot write {path}: {error.strerror or error}") from None


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
