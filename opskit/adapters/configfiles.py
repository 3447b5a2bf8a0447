"""Reading config files for the parsers: the one include loader of `lint` and `check resolver`.

The nginx parser (``opskit.core.nginx``) asks this source for every file it reads, the root and each
``include`` target alike, so both commands follow includes, limit their depth and report unreadable
files the same way. Every read is bounded (``opskit.adapters.input_files``: a config is at most 64 MiB unless
OPSKIT_MAX_INPUT_BYTES says otherwise).
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

from opskit.adapters.input_files import InputKind, decode_utf8, read_input_bytes, read_stdin_bytes
from opskit.core.nginx.parser import ConfigSource
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
            data = read_input_bytes(Path(path), InputKind.CONFIG)
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
            raise InputError.at(path, line, None, f"not UTF-8 text ({error.reason} at byte {error.start})") from None

    def glob(self, pattern: str) -> list[str]:
        """Regular files matching an nginx ``include`` pattern, sorted as nginx reads them."""
        return sorted(p for p in glob.glob(pattern) if os.path.isfile(p))

    def exists(self, path: str) -> bool:
        """True when ``path`` is a regular file."""
        return os.path.isfile(path)


class _WithStdin:
    """A source where the path ``-`` is the config read from standard input (once, bounded like a file)."""

    def __init__(self, inner: ConfigSource, text: str) -> None:
        self._inner = inner
        self._text = text

    def read(self, path: str) -> str:
        return self._text if path == "-" else self._inner.read(path)

    def glob(self, pattern: str) -> list[str]:
        return self._inner.glob(pattern)

    def exists(self, path: str) -> bool:
        return path == "-" or self._inner.exists(path)


def with_stdin(inner: ConfigSource) -> ConfigSource:
    """``inner`` plus ``-`` naming the config piped on standard input."""
    return _WithStdin(inner, decode_utf8(read_stdin_bytes(InputKind.CONFIG, "-"), "-", "standard input"))
