"""`check harbor` / `check resolver` as the opskit.fleet modules run them on a target: from that host's
network position (its resolv.conf, its routes, its view of the realm), results as plain data.

They compose the same core judges and adapters as `opskit check`; the command keeps its own flow
(flags, stdin password) in cli/check.py."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def harbor_entries(
    urls: Sequence[str],
    *,
    credentials: tuple[str, str] | None = None,
    insecure: bool = False,
    ca_file: str | None = None,
    harbor_version: str | None = None,
    connect_to: Sequence[str] = (),
    timeout: float = 10.0,
) -> dict[str, Any]:
    """Check each Harbor entry point the way `docker login` uses it; ``ok`` false if any fails."""
    from urllib.parse import urlsplit

    from opskit.adapters.http import ClientOptions, ConnectTo, EntryClient, observe_harbor_entry
    from opskit.core.check.harbor_judgement import assess_entry
    from opskit.core.check.harbor_observation import Origin
    from opskit.core.check.result import worst
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
    options = ClientOptions(
        insecure=insecure,
        ca_file=ca_file,
        connect_to=tuple(ConnectTo.parse(text) for text in connect_to),
        timeout=timeout,
    )
    client = EntryClient(options)
    try:
        reports = [assess_entry(observe_harbor_entry(client, url, credentials), version) for url in urls]
    finally:
        client.close()
    return {
        "ok": not any(r.failed for r in reports),
        "entries": [
            {
                "url": r.url,
                "status": str(worst(list(r.items))),
                "realm": r.realm,
                "harbor_version_assumed": r.version_used or None,
                "checks": [item.to_json() for item in r.items],
            }
            for r in reports
        ],
    }


def resolver_view(
    names: Sequence[str],
    *,
    nameserver: str | None = None,
    nginx_conf: Path | None = None,
    timeout: float = 3.0,
) -> dict[str, Any]:
    """DNS answers per name as this host's resolver (or ``nameserver``) gives them, and with
    ``nginx_conf`` which proxy targets follow DNS and which go stale; the `check resolver` JSON."""
    from opskit.adapters.configfiles import FileSource
    from opskit.adapters.dns import query
    from opskit.core.check.nginx_targets import Behaviour, proxy_targets
    from opskit.core.check.resolver import (
        DnsAnswer,
        Nameserver,
        ResolverReport,
        judge_target,
        name_items,
        nameservers_of,
        parse_nameserver,
    )
    from opskit.core.nginx import parse_nginx
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
    cache: dict[tuple[str, str, str], DnsAnswer] = {}

    def ask(name: str, rdtype: str, via: Nameserver | None) -> DnsAnswer:
        key = (name, rdtype, str(via))
        if key not in cache:
            cache[key] = query(name, rdtype, via, timeout)
        return cache[key]

    targets = []
    config_file = ""
    if nginx_conf is not None:
        config_file = str(nginx_conf)
        config = parse_nginx(config_file, FileSource())  # lint's parser and include loader
        for file, line, pattern in config.missing_includes:
            if not any(ch in pattern for ch in "*?["):  # a glob may match nothing, as in nginx
                raise InputError.at(file, line, "include", f"{pattern!r} matched no file")
        for target in proxy_targets(config):
            found: list[DnsAnswer] = []
            resolver_text = ""
            if target.behaviour is Behaviour.FOLLOWS_DNS and target.resolver is not None:
                servers, _ = nameservers_of(target.resolver)
                via = server or (servers[0] if servers else None)
                resolver_text = f"resolver {target.resolver.text}"
                rdtypes = ("A", "AAAA") if target.resolver.ipv6 else ("A",)
                found = [ask(target.host, rdtype, via) for rdtype in rdtypes]
            elif target.behaviour in (Behaviour.STALE, Behaviour.SHADOWED):
                resolver_text = "system resolver, once at load"
                found = [ask(target.host, "A", server)]
            targets.append(judge_target(target, found, resolver_text))
    answers = tuple(ask(name, rdtype, server) for name in names for rdtype in ("A", "AAAA"))
    report = ResolverReport(answers, tuple(name_items(answers)), config_file, tuple(targets))
    return {"ok": not report.failed, **report.to_json()}
