"""The one place the config parsers (nginx, HAProxy) build a syntax error that could quote the input.

The rule — an error may quote input only from files that parse as the expected config:

- A syntax error names ``file:line`` and the problem. It quotes a word of the input only when that
  word is the config language's own vocabulary (a known nginx directive, an HAProxy section or
  ``.if`` keyword). Anything else is shown as "a word that is not a known … directive" with, at
  most, the known word it resembles ("did you mean …") — text that is vocabulary, never input.
- Why not quote the word anyway: an ``include /etc/shadow;`` (or a glob that catches a key file)
  makes the parser read a file that is not a config at all, and its first word is a password hash.
  A file that looks like config up to the error is no safer: the broken statement can be a secret.
- Arguments are never quoted in syntax errors (``gzip <value>;``): a known directive does not make
  its values harmless.
- Whole lines are quoted only as finding evidence, and findings exist only when every file parsed
  as config (any syntax error aborts the run), so that path needs no rule of its own.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection

from opskit.errors import InputError


def quotable(word: str, vocabulary: Collection[str]) -> bool:
    """True when ``word`` may appear in an error message: it is part of the language itself."""
    return word in vocabulary


def syntax_error(
    file: str,
    line: int | None,
    *,
    word: str,
    quoted: str,
    unquoted: str,
    vocabulary: Collection[str],
    what: str,
) -> InputError:
    """An InputError at ``file:line``: ``quoted`` (with ``{word}``) if the word is vocabulary, else ``unquoted``.

    ``what`` names the vocabulary for the message ("nginx directive", "HAProxy section keyword").
    """
    if quotable(word, vocabulary):
        return InputError.at(file, line, None, quoted.replace("{word}", f'"{word}"'))
    problem = f"{unquoted} (a word that is not a known {what}; its text is not shown)"
    close = difflib.get_close_matches(word[:64], sorted(vocabulary), n=1, cutoff=0.8)
    if close:
        problem += f'; did you mean "{close[0]}"?'
    return InputError.at(file, line, None, problem)
