"""Write several files all or nothing: every new content is staged (temp file beside its target,
fsynced) before any target is replaced, so a failure while staging changes nothing at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from opskit.errors import EnvironmentProblem


@dataclass(frozen=True)
class StagedWrite:
    written: tuple[str, ...]  # relative paths replaced or created
    backups: dict[str, str]  # relative path → backup file made of the previous content


def _stage(target: Path, content: str) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".opskit-tmp", dir=target.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content.encode())
        handle.flush()
        os.fsync(handle.fileno())
    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o644
    os.chmod(tmp, mode)
    return Path(tmp)


def write_all_or_nothing(root: Path, files: Mapping[str, str], *, backup_suffix: str | None) -> StagedWrite:
    """Replace ``root/<relative>`` with each content. With ``backup_suffix`` the previous content of
    an existing file is first copied to ``<file><suffix>``. A target that is a symlink is refused
    (nothing is followed that opskit did not make)."""
    staged: dict[Path, Path] = {}
    backups: dict[str, str] = {}
    try:
        for relative, content in sorted(files.items()):
            target = root / relative
            if target.is_symlink() or (target.exists() and not target.is_file()):
                raise EnvironmentProblem(f"{target} exists and is not a regular file: not replaced; nothing written")
            target.parent.mkdir(parents=True, exist_ok=True)
            staged[target] = _stage(target, content)
            if backup_suffix is not None and target.exists():
                backup = target.with_name(target.name + backup_suffix)
                shutil.copy2(target, backup)
                backups[relative] = str(backup)
    except BaseException as exc:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        for copy in backups.values():
            Path(copy).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise EnvironmentProblem(f"cannot stage the new files under {root}: {exc}; nothing written") from None
        raise
    for target, tmp in staged.items():  # renames within one directory: atomic each, and cannot fail short
        os.replace(tmp, target)
    return StagedWrite(tuple(sorted(files)), backups)
