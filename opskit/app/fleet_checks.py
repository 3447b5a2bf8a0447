"""`check harbor` / `check resolver` as the opskit.fleet modules run them on a target: from that host's
network position (its resolv.conf, its routes, its view of the realm), results as plain data.

They run the same use cases as `opskit check` (app/check.py) and return the same core reports; the
modules turn them into the command's JSON with output/check.py (harbor_json, resolver_json)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opskit.core.check.harbor_judgement import HarborCheck
    from opskit.core.check.resolver import ResolverReport


def harbor_entries(
    urls: Sequence[str],
    *,
    credentials: tuple[str, str] | None = None,
    insecure: bool = False,
    ca_file: str | None = None,
    harbor_version: str | None = None,
    connect_to: Sequence[str] = (),
    timeout: float = 10.0,
) -> HarborCheck:
    """Check each Harbor entry point the way `docker login` uses it (``failed`` if any fails)."""
    from urllib.parse import urlsplit

    from opskit.app.check import check_harbor
    from opskit.core.check.harbor_observation import Origin
    from opskit.core.spec.harbor import HarborVersion
    from opskit.errors import InputError

    for url in urls:
        try:
            origin = Origin.of(url)
        except ValueError as error:
            raise InputError.at(None, None, "urls", str(error)) from None
        if urlsplit(url).path.strip("/") or origin.scheme not in ("http", "https"):
            raise InputError.at(None, None, "urls", f"{url!r}: give the entry's base URL without a path")
    version = None
    if harbor_version is not None:
        try:
            version = HarborVersion.parse(harbor_version)
        except ValueError as error:
            raise InputError.at(None, None, "harbor_version", str(error)) from None
    if not 0.1 <= timeout <= 300:
        raise InputError.at(None, None, "timeout", "seconds per request, between 0.1 and 300")
    return check_harbor(
        urls,
        credentials=credentials,
        insecure=insecure,
        ca_file=Path(ca_file) if ca_file else None,
        connect_to=connect_to,
        timeout=timeout,
        version=version,
    )


def resolver_view(
    names: Sequence[str],
    *,
    nameserver: str | None = None,
    nginx_conf: Path | None = None,
    timeout: float = 3.0,
) -> ResolverReport:
    """DNS answers per name as this host's resolver (or ``nameserver``) gives them, and with
    ``nginx_conf`` which proxy targets follow DNS and which go stale (the `check resolver` report)."""
    from opskit.app.check import check_resolver
    from opskit.core.check.resolver import Nameserver, parse_nameserver
    from opskit.errors import InputError

    if not names and nginx_conf is None:
        raise InputError.at(None, None, "names", "give at least one name or nginx_conf")
    if not 0.1 <= timeout <= 60:
        raise InputError.at(None, None, "timeout", "seconds per DNS query, between 0.1 and 60")
    server: Nameserver | None = None
    if nameserver is not None:
        try:
            server = parse_nameserver(nameserver)
        except ValueError as error:
            raise InputError.at(None, None, "nameserver", str(error)) from None
    return check_resolver(names, server=server, nginx_conf=nginx_conf, timeout=timeout)
