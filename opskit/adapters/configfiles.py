"""Reading config files for the parsers: the only place lint touches the filesystem."""

from __future__ import annotations

import glob
import os
from typing import TextIO

from opskit.core.nginx.parser import ConfigSource
from opskit.errors import InputError

# A config piped on stdin is held in memory; bound it like a file (the largest benchmarked config is ~50 MB).
STDIN_LIMIT = 256 * 1024 * 1024


class FileSource:
    """A :class:`opskit.core.nginx.ConfigSource` over the real filesystem (texts cached per run)."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def read(self, path: str) -> str:
        """The file's text; an unreadable or non-UTF-8 file is an InputError naming the file."""
        if path in self._cache:
            return self._cache[path]
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


class _WithStdin:
    """A source where the path ``-`` is the text read from standard input (read once, bounded)."""

    def __init__(self, inner: ConfigSource, text: str) -> None:
        self._inner = inner
        self._text = text

    def read(self, path: str) -> str:
        return self._text if path == "-" else self._inner.read(path)

    def glob(self, pattern: str) -> list[str]:
        return self._inner.glob(pattern)

    def exists(self, path: str) -> bool:
        return path == "-" or self._inner.exists(path)


def with_stdin(inner: ConfigSource, stream: TextIO) -> ConfigSource:
    """``inner`` plus ``-`` naming the config piped on standard input."""
    text = stream.read(STDIN_LIMIT + 1)
    if len(text) > STDIN_LIMIT:
        raise InputError.at("-", None, None, f"standard input is larger than {STDIN_LIMIT:,} characters")
    return _WithStdin(inner, text)
