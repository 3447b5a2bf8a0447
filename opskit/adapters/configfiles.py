"""Reading config files for the parsers: the only place lint touches the filesystem."""

from __future__ import annotations

import glob
import os
from pathlib import Path

from opskit.adapters.fs import InputKind, decode_utf8, read_input_bytes, read_stdin_bytes
from opskit.core.nginx.parser import ConfigSource
from opskit.errors import InputError


class FileSource:
    """A :class:`opskit.core.nginx.ConfigSource` over the real filesystem (texts cached per run)."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def read(self, path: str) -> str:
        """The file's text; an unreadable or non-UTF-8 file is an InputError naming the file."""
        if path in self._cache:
            return self._cache[path]
        try:
            text = read_input_bytes(Path(path), InputKind.CONFIG).decode("utf-8")
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
