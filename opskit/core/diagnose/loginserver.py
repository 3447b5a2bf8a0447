"""`tailscale up|login --login-server=<A>` answered with a login URL of another control server.

`up`/`login` print the URL the daemon's control client got from its control server ("To authenticate, visit:"
then the URL: Tailscale's ``https://login.tailscale.com/a/<code>``, Headscale's ``https://<server>/register/
nodekey:…`` or ``/oidc/register/…``). When that URL belongs to another server than the one the command named, the
daemon did not switch: it kept its old control URL (a reset that did not take, a policy/MDM ``LoginURL`` or the
GUI's setting overriding the flag, or a second tailscaled answering), and the node waits for a login on the wrong
server. Hosts a poster masked (example.com, ``***``, ``<server>``) say nothing, so only a Headscale path after a
Tailscale server, a Tailscale login URL after a self-hosted one, or two real, different hosts count.

A login URL on a host no browser elsewhere can open is another reading: the unspecified address (``0.0.0.0``,
``[::]``) always, loopback (``127.0.0.1``, ``localhost``, ``[::1]``) when the command named a server that is not
loopback. The control server builds that URL from its own configured address (Headscale's ``server_url``), so the
server's configuration holds its listen address, not the URL clients reach it on.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from opskit.core.diagnose.profile import is_loopback_host
from opskit.core.diagnose.text import typed_tailscale_command

_UP_OR_LOGIN = typed_tailscale_command(r"(?:up|login)")
# --login-server=<url>, --login-server <url> (one or more blanks), one dash, quoted
_LOGIN_SERVER_FLAG = re.compile(r"(?:^|\s)--?login-server(?:=|\s+)[\"']?(?P<url>[^\s\"']+)", re.IGNORECASE)
_LOGIN_URL = re.compile(r"^https?://\S+/(?:a|register)/\S+$")
_HEADSCALE_PATH = re.compile(r"^/(?:oidc/)?register/")
_PLACEHOLDER_HOST = re.compile(
    r"(?:^|\.)example\.(?:com|org|net)$|[*<>{}\[\]]|x{3,}|redact|your|domain|hidden|censor|mask|server|host",
    re.IGNORECASE,
)


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url if "://" in url else f"https://{url}").hostname
    except ValueError:
        return None
    return host.lower().rstrip(".") if host else None


def _is_tailscale(host: str) -> bool:
    return host == "tailscale.com" or host.endswith(".tailscale.com")


def named_login_server(command: str | None) -> str | None:
    """The control URL ``command`` names when it is `tailscale up`/`login` with --login-server, else None."""
    if command is None or "login-server" not in command.lower() or _UP_OR_LOGIN.search(command) is None:
        return None
    match = _LOGIN_SERVER_FLAG.search(command)
    return match["url"] if match is not None else None


def login_server_mismatch(url_line: str, command: str | None) -> tuple[str, str] | None:
    """(the control URL the command named, the login URL's host) when ``url_line`` is a login URL of another control
    server than ``command``'s --login-server; None when they agree, or a masked host leaves it unknown."""
    named = named_login_server(command)
    if named is None or _LOGIN_URL.match(url_line) is None:
        return None
    named_host, url_host = _host(named), _host(url_line)
    if named_host is None or url_host is None:
        return None
    try:
        path = urlsplit(url_line).path
    except ValueError:
        return None
    headscale_path = _HEADSCALE_PATH.match(path) is not None
    if _is_tailscale(named_host):
        if headscale_path or (not _is_tailscale(url_host) and not _PLACEHOLDER_HOST.search(url_host)):
            return named, url_host
        return None
    if _is_tailscale(url_host):
        return named, url_host  # a self-hosted server named, Tailscale's login answered
    if url_host != named_host and not _PLACEHOLDER_HOST.search(url_host) and not _PLACEHOLDER_HOST.search(named_host):
        return named, url_host
    return None


def is_unspecified_host(host: str) -> bool:
    """``host`` is the unspecified address (what a server listens on for every interface)."""
    return host in ("0.0.0.0", "::")


def unroutable_login_host(url_line: str, command: str | None) -> str | None:
    """The host of ``url_line`` when it is a login URL no browser on another machine can open (see the module's
    doc): the unspecified address always, loopback only when ``command`` named a login server that is not."""
    if _LOGIN_URL.match(url_line) is None or (host := _host(url_line)) is None:
        return None
    if is_unspecified_host(host):
        return host
    if not is_loopback_host(host):
        return None
    named = named_login_server(command)
    named_host = _host(named) if named is not None else None
    return host if named_host is not None and not is_loopback_host(named_host) else None


def is_login_url_line(text: str) -> bool:
    """Cheap test: could ``text`` be the login URL `up`/`login` print."""
    return text[:4] == "http" and _LOGIN_URL.match(text) is not None
