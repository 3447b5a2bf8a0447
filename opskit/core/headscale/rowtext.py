"""Rows as PostgreSQL's COPY text format: one line per row, fields separated by tabs, ``\\N`` for NULL,
backslash escapes for tab/newline/backslash inside values. It is the cheapest exact text form of a row
the server produces, it round-trips through ``COPY FROM`` byte for byte, and it is what fingerprints,
before-images and restores are built on."""

from __future__ import annotations

import hashlib


def row_fingerprint(line: str) -> str:
    """md5 of the row's COPY line (a fingerprint for change detection, not for security)."""
    return hashlib.md5(line.encode()).hexdigest()  # noqa: S324


def field(line: str, index: int) -> str:
    """One field of a COPY line (tabs inside values are escaped, so splitting is exact)."""
    return line.split("\t")[index]


def with_field(line: str, index: int, expected: str, value: str) -> str:
    """The line with one field replaced; ValueError if that field does not hold ``expected``."""
    fields = line.split("\t")
    if fields[index] != expected:
        raise ValueError(f"field {index} is {fields[index]!r}, expected {expected!r}")
    fields[index] = value
    return "\t".join(fields)


_ESCAPES = {"\\": "\\", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def unescape(value: str) -> str | None:
    """A COPY text field back to its value (``\\N`` is NULL). COPY TO only emits the escapes above."""
    if value == "\\N":
        return None
    if "\\" not in value:
        return value
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            out.append(_ESCAPES.get(value[i + 1], value[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def row_id(line: str, id_index: int) -> int:
    """The integer primary key of a COPY line."""
    return int(line.split("\t", id_index + 1)[id_index])
