"""``output_files.write_files`` (all or nothing, no link followed) plus Ansible's ``backup``: the previous content
of every file about to be replaced is first copied beside it; if the write then fails, the copies
are removed again, so a failed write leaves the folder exactly as it was."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from opskit.adapters.output_files import WriteFailed, write_files


@dataclass(frozen=True)
class StagedWrite:
    written: tuple[str, ...]  # relative paths replaced or created
    backups: dict[str, str]  # relative path → backup file made of the previous content


def write_with_backups(root: Path, files: Mapping[str, str], *, backup_suffix: str | None) -> StagedWrite:
    """Write ``files`` under ``root`` all or nothing; with ``backup_suffix`` keep ``<file><suffix>``
    copies of the regular files replaced (a link is never copied nor followed: write_files refuses it)."""
    backups: dict[str, str] = {}
    try:
        if backup_suffix is not None:
            for relative in sorted(files):
                target = root / relative
                if target.is_file() and not target.is_symlink():
                    backup = target.with_name(target.name + backup_suffix)
                    shutil.copy2(target, backup, follow_symlinks=False)
                    backups[relative] = str(backup)
        written = write_files(root, files)
    except BaseException as exc:
        for copy in backups.values():
            Path(copy).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteFailed(f"cannot keep a backup under {root}: {exc}; nothing was changed") from None
        raise
    return StagedWrite(tuple(written), backups)
