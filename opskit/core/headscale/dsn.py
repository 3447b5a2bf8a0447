"""Masking database connection strings: the password must never reach output, a plan or a journal."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

MASK = "***"

# key=value DSN: password=secret, password='se cret', password = 'it\'s'
_KV_PASSWORD = re.compile(r"""(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)""", re.IGNORECASE)
# password passed as a URI query parameter: ?password=secret&...
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


def mask_dsn(dsn: str) -> str:
    """Return ``dsn`` with any password replaced by ``***``, for both URI and key=value forms.

    >>> mask_dsn("postgresql://hs:s3cret@db.example:5432/headscale")
    'postgresql://hs:***@db.example:5432/headscale'
    >>> mask_dsn("host=db user=hs password='a b' dbname=headscale")
    'host=db user=hs password=*** dbname=headscale'
    """
    text = dsn.strip()
    if re.match(r"^postgres(?:ql)?://", text, re.IGNORECASE):
        return _mask_uri(text)
    return _KV_PASSWORD.sub(lambda m: m.group(1) + MASK, text)


def _mask_uri(uri: str) -> str:
    try:
        parts = urlsplit(uri)
    except ValueError:
        # Unparseable: show only the scheme rather than risk echoing a password.
        return uri.split("://", 1)[0] + "://" + MASK
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, hosts = netloc.rsplit("@", 1)
        if ":" in userinfo:
            user = userinfo.split(":", 1)[0]
            netloc = f"{user}:{MASK}@{hosts}"
    query = _QUERY_PASSWORD.sub(lambda m: m.group(1) + MASK, "?" + parts.query)[1:] if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def scrub(text: str, secrets: tuple[str, ...]) -> str:
    """Remove known secret strings (e.g. the password) from free text such as a driver error."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return text
