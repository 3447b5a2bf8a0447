"""Reading config files for the parsers: the only place lint touches the filesystem."""

from __future__ import annotations

import glob
import os

from opskit.errors import InputError


class FileSource:
    """A :class:`opskit.core.nginx.ConfigSource` over the real filesystem (texts cached per run)."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def read(self, path: str) -> str:
        """The file's text; an unreadable or non-UTF-8 file is an InputError naming the file."""
        if path in self._cache:
            return self._cache[path]
        if os.path.exists(path) and not os.path.isdir(path) and not os.path.isfile(path):
            # A FIFO or device would block the read (or never end): refuse it by name.
            raise InputError.at(path, None, None, "not a regular file (a FIFO, socket or device?)")
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except IsADirectoryError:
            raise InputError.at(
                path, None, None, "is a directory; pass the config files themselves"
            ) from None
        except FileNotFoundError:
            raise InputError.at(path, None, None, "no such file") from None
        except PermissionError:
            raise InputError.at(path, None, None, "permission denied") from None
        except UnicodeDecodeError as error:
            raise InputError.at(
                path, None, None, f"not UTF-8 text ({error.reason} at byte {error.start})"
            ) from None
        except OSError as error:
            raise InputError.at(path, None, None, f"cannot read: {error.strerror}") from None
        self._cache[path] = text
        return text

    def glob(self, pattern: str) -> list[str]:
        return sorted(p for p in glob.glob(pattern) if os.path.isfile(p))

    def exists(self, path: str) -> bool:
        return os.path.isfile(path)
