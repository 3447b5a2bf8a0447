"""Outside text made safe for a terminal: no rich markup interpreted, no control character passed through.

Every string opskit did not write itself (database values, pasted text, config lines, file names, HTTP
headers, process names from /proc) goes through ``safe_text`` (for markup strings) or ``safe_plain``
(for ``rich.text.Text`` and other no-markup paths) exactly once, where human output is made. JSON output
keeps the raw value: JSON escapes control characters itself.

What is neutralised, shown as a visible escape so the reader sees that something was there:

- C0 controls (ESC, CR, BEL, backspace, ...) and DEL: ``\\x1b``; a TAB stays a tab, a newline stays
  a newline only where the caller allows it (multi-line evidence), else ``\\n``.
- C1 controls U+0080-U+009F (CSI U+009B, NEL U+0085): ``\\x9b``.
- Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F, U+061C): a
  "Trojan Source" file name must not reorder what follows it: ``\\u202e``.
- Line and paragraph separators U+2028/U+2029, and every other format character (Unicode category Cf:
  zero-width space/joiners, BOM, soft hyphen, invisible operators) that can make two names look alike.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

# Fast path: text made only of printable ASCII (and tab/newline) needs no per-character look.
_PLAIN_ASCII = re.compile(r"[\x20-\x7e\t\n]*\Z")


@lru_cache(maxsize=4096)
def _is_unsafe(char: str) -> bool:
    # Cc: C0/C1/DEL; Cf: bidi, zero-width, BOM, soft hyphen; Zl/Zp: U+2028/U+2029; Cs: lone surrogates.
    return char not in "\t\n" and unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs")


_NAMED = {"\n": "\\n", "\r": "\\r"}


def _visible(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def safe_plain(value: object, *, newlines: bool = False) -> str:
    """``str(value)`` with control and format characters shown as escapes; for ``Text``/``markup=False``.

    >>> safe_plain("evil\\x1b[2Jname\\u202etxt.exe")
    'evil\\\\x1b[2Jname\\\\u202etxt.exe'
    """
    text = str(value)
    if _PLAIN_ASCII.match(text) and (newlines or "\n" not in text):
        return text
    return "".join(_visible(c) if (_is_unsafe(c) or (c == "\n" and not newlines)) else c for c in text)


def safe_text(value: object, *, newlines: bool = False) -> str:
    """Outside text to embed in a rich markup string: controls neutralised, then markup escaped.

    >>> safe_text("[bold red]admin[/]\\x1b]8;;http://x\\x07")
    '\\\\[bold red]admin\\\\[/]\\\\x1b]8;;http://x\\\\x07'
    """
    return escape_markup(safe_plain(value, newlines=newlines))


# rich's tag syntax (rich.markup.RE_TAGS): backslashes right before a tag escape it, two by two.
_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def escape_markup(text: str) -> str:
    """``text`` as rich markup that renders to exactly ``text``.

    Unlike ``rich.markup.escape`` this also keeps an even run of trailing backslashes right (rich 13/14
    turns ``a\\\\`` + ``[/]`` into one backslash). A trailing run is doubled because opskit's markup puts a
    tag right after the value; the value is expected to be followed by a tag or more markup text.
    """
    text = _TAG.sub(lambda m: m[1] * 2 + "\\" + m[2], text)
    trailing = len(text) - len(text.rstrip("\\"))
    return text + "\\" * trailing


def safe_cell(value: object, *, newlines: bool = False, style: str = "") -> Text:
    """A table cell or panel body from outside text: a ``rich.text.Text`` (never parsed as markup)."""
    from rich.text import Text

    return Text(safe_plain(value, newlines=newlines), style=style)
