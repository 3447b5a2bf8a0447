"""Credential redaction for everything opskit shows or saves: one module, pure (text in, text out).

Three tools, from most to least structured:

- ``redact_dsn(value)``: a value known to be a connection string or URL (``--dsn``, a check URL) with its
  password replaced by ``***``: URI userinfo in any scheme (``postgresql+psycopg2://``, ``mysql://``,
  ``http://user:pw@``), password-like query parameters, and libpq ``key=value`` passwords (quoted, with
  spaces or escaped quotes).
- ``redact_text(text)``: the same patterns found inside free text (a driver error repeating the DSN).
- ``scrub(text, secrets)``: known secret values removed from free text in every spelling a program may
  print them in: as given, stripped, percent-encoded (upper or lower hex, ``+`` for space), decoded,
  libpq-quoted, Python ``repr`` and JSON escaped. Redaction by pattern cannot find a password that was
  printed without its key (``password authentication failed for "s3cret"``); scrubbing by value can.

``secrets_in(value)`` lists the secrets a DSN or URL carries, so a command can register them for scrubbing
of every output stream (see ``opskit/cli/secrets.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from urllib.parse import quote, quote_plus, unquote, unquote_plus

MASK = "***"

# Shorter secrets are not scrubbed from free text: replacing every "ab" would destroy the text and still
# reveal the password by its absence. Structured redaction (redact_dsn) masks them whatever their length.
MIN_SCRUB_LENGTH = 4

_SCHEME = r"[A-Za-z][A-Za-z0-9+.\-]*://"
_WHOLE_URI = re.compile(rf"^(?P<scheme>{_SCHEME})(?P<rest>.*)$", re.DOTALL)
# In free text a URI runs to the next whitespace or quote; the password is everything between the first
# ':' of the userinfo and the last '@' of that run (a password may hold '@', ':' and '/').
_URI_IN_TEXT = re.compile(rf"""(?P<head>\b{_SCHEME}[^\s:/?#@"'<>]*:)(?P<password>[^\s"'<>]*)@""")
_SECRET_KEYS = r"(?:ssl)?password|passwd|pwd|pass|secret|client_secret|token|access_token|api_?key|apikey|auth"
# ?password=..&  ;  &sslpassword=..  ;  ?token=..  (value runs to the next '&', '#' or whitespace)
_QUERY_SECRET = re.compile(rf"(?P<head>[?&;](?:{_SECRET_KEYS})=)(?P<value>[^&#\s]*)", re.IGNORECASE)
# libpq key=value: password=secret, password = 'a b', password='it\'s', an unterminated quote to the end
_KV_SECRET = re.compile(
    r"""(?P<head>(?<![\w.])(?:ssl)?password\s*=\s*)(?P<value>'(?:[^'\\]|\\.?)*'?|[^\s'"]\S*|"[^"]*"?)""",
    re.IGNORECASE,
)


def redact_dsn(value: str) -> str:
    """``value`` (a DSN or URL, any scheme) with every password replaced by ``***``, stripped.

    >>> redact_dsn("postgresql+psycopg2://hs:s3cret@db.example:5432/headscale")
    'postgresql+psycopg2://hs:***@db.example:5432/headscale'
    >>> redact_dsn(" host=db user=hs password='a b' dbname=headscale")
    'host=db user=hs password=*** dbname=headscale'
    >>> redact_dsn("mysql://root:p@ss:w/rd@db/app?sslpassword=x")
    'mysql://root:***@db/app?sslpassword=***'
    """
    text = value.strip()
    whole = _WHOLE_URI.match(text)
    if whole is None:
        return redact_text(text)
    rest = whole["rest"]
    at = rest.rfind("@")
    if at >= 0:
        userinfo, hosts = rest[:at], rest[at + 1 :]
        user, has_password, _ = userinfo.partition(":")
        rest = f"{user}:{MASK}@{hosts}" if has_password else f"{user}@{hosts}"
    return whole["scheme"] + _QUERY_SECRET.sub(lambda m: m["head"] + MASK, rest)


redact_url = redact_dsn


def redact_text(text: str) -> str:
    """Free text with the passwords of any URI, query parameter or ``key=value`` DSN in it masked."""
    text = _URI_IN_TEXT.sub(lambda m: m["head"] + MASK + "@", text)
    text = _QUERY_SECRET.sub(lambda m: m["head"] + MASK, text)
    return _KV_SECRET.sub(lambda m: m["head"] + MASK, text)


def secrets_in(value: str) -> tuple[str, ...]:
    """The secrets a DSN or URL carries (userinfo password, password-like parameters), decoded and raw.

    >>> secrets_in("postgresql://hs:p%40ss@db/hs?sslpassword=k")
    ('p%40ss', 'p@ss', 'k')
    """
    found: list[str] = []
    text = value.strip()
    whole = _WHOLE_URI.match(text)
    if whole is not None:
        rest = whole["rest"]
        at = rest.rfind("@")
        if at >= 0:
            _, has_password, password = rest[:at].partition(":")
            if has_password and password:
                found += [password, unquote(password)]
        for match in _QUERY_SECRET.finditer(rest):
            found += [match["value"], unquote_plus(match["value"])]
    else:
        for match in _KV_SECRET.finditer(text):
            found.append(_unquote_libpq(match["value"]))
    return tuple(dict.fromkeys(s for s in found if s))


def _unquote_libpq(value: str) -> str:
    if value.startswith("'"):
        # Read it as libpq does: a backslash takes the next character as is, an unescaped quote ends the value
        # ('p\\' is the password p\ — its closing quote follows an escaped backslash, not an escape).
        body: list[str] = []
        chars = iter(value[1:])
        for char in chars:
            if char == "\\":
                body.append(next(chars, ""))
            elif char == "'":
                break
            else:
                body.append(char)
        return "".join(body)
    if value.startswith('"'):
        return value.strip('"')
    return value


def spellings(secret: str) -> tuple[str, ...]:
    """Every way ``secret`` may be printed: as is, stripped, encoded, decoded, quoted, repr and JSON.

    Quotings compose (a libpq-quoted password inside a ``repr`` inside a JSON error document), so the
    transforms are applied twice over, then JSON-escaped.
    """
    forms = {secret, secret.strip()}
    for _ in range(2):
        forms |= {transform(form) for form in forms for transform in _TRANSFORMS}
    # Any of these inside a JSON string (an error document quoting a repr, a DSN in a plan): escaped again.
    forms |= {json.dumps(form, ensure_ascii=ascii_only)[1:-1] for form in forms for ascii_only in (True, False)}
    # Longest first, so a spelling that contains another is replaced whole.
    return tuple(sorted((f for f in forms if len(f) >= MIN_SCRUB_LENGTH), key=len, reverse=True))


_TRANSFORMS: tuple[Callable[[str], str], ...] = (
    lambda form: quote(form, safe=""),
    lambda form: _lower_hex(quote(form, safe="")),
    quote,
    quote_plus,
    lambda form: _lower_hex(quote_plus(form, safe="")),
    unquote,
    lambda form: form.replace("\\", "\\\\").replace("'", "\\'"),  # libpq key='value'
    lambda form: repr(form)[1:-1],
)


def _lower_hex(encoded: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m[0].lower(), encoded)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every spelling of every known secret replaced by ``***``, then pattern-redacted.

    >>> scrub('connection to "db" failed for password "a b c d"', ["a b c d"])
    'connection to "db" failed for password "***"'
    """
    return redact_text(remove_secrets(text, secret_forms(frozenset(secrets))))


@lru_cache(maxsize=64)
def secret_forms(secrets: frozenset[str]) -> tuple[str, ...]:
    """All spellings of all ``secrets``, longest first (cached: a run scrubs every write with the same set)."""
    return tuple(sorted({form for secret in secrets for form in spellings(secret)}, key=len, reverse=True))


def remove_secrets(text: str, forms: tuple[str, ...]) -> str:
    """``text`` with each of ``forms`` (from ``secret_forms``) replaced by ``***``; no pattern redaction."""
    for form in forms:
        if form in text:
            text = text.replace(form, MASK)
    return text
