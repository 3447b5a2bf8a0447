"""Reading config files for the parsers: the one include loader of `lint` and `check resolver`.

The nginx parser (``opskit.core.nginx``) asks this source for every file it reads, the root and each
``include`` target alike, so both commands follow includes, limit their depth and report unreadable
files the same way.
"""

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
        if path not in self._cache:
            self._cache[path] = self._read_file(path)
        return self._cache[path]

    @staticmethod
    def _read_file(path: str) -> str:
        """Read one file as UTF-8 (errors name the file, and the line of a byte that is not UTF-8)."""
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except IsADirectoryError:
            raise InputError.at(path, None, None, "is a directory; pass the config files themselves") from None
        except FileNotFoundError:
            raise InputError.at(path, None, None, "no such file") from None
        except PermissionError:
            raise InputError.at(path, None, None, "permission denied") from None
        except OSError as error:
            raise InputError.at(path, None, None, f"cannot read: {error.strerror}") from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise InputError.at(
                path, line, None, f"not UTF-8 text ({error.reason} at byte {error.start})"
            ) from None

    def glob(self, pattern: str) -> list[str]:
        """Regular files matching an nginx ``include`` pattern, sorted as nginx reads them."""
        return sorted(p for p in glob.glob(pattern) if os.path.isfile(p))

    def exists(self, path: str) -> bool:
        """True when ``path`` is a regular file."""
        return os.path.isfile(path)
