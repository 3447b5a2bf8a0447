"""`opskit check harbor` and `opskit check resolver`: the live observations (HTTP, DNS) run at the same
time, then the pure core judges them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from opskit.core.check.harbor_judgement import HarborCheck
from opskit.core.check.nginx_targets import ProxyTarget
from opskit.core.check.resolver import DnsAnswer, Nameserver, ResolverReport
from opskit.core.spec.harbor import HarborVersion
from opskit.errors import InputError


def _silent(text: str) -> None:
    """No one is watching (JSON output, or stderr is not a terminal)."""


def check_harbor(
    urls: Sequence[str],
    *,
    credentials: tuple[str, str] | None = None,
    insecure: bool = False,
    ca_file: Path | None = None,
    connect_to: Sequence[str] = (),
    timeout: float = 10.0,
    version: HarborVersion | None = None,
    status: Callable[[str], None] = _silent,
) -> HarborCheck:
    """Observe every entry point the way docker login does (all at once), then judge each one."""
    from opskit.adapters.http import ClientOptions, ConnectTo, EntryClient, observe_harbor_entry
    from opskit.app.concurrent import run_concurrently
    from opskit.core.check.harbor_judgement import assess_entry
    from opskit.core.check.harbor_observation import Origin

    if ca_file is not None:  # a missing one is reported where it is loaded
        from opskit.adapters.input_files import require_regular_file_if_present

        require_regular_file_if_present(ca_file, "--ca bundle")
    options = ClientOptions(
        insecure=insecure,
        ca_file=str(ca_file) if ca_file else None,
        connect_to=tuple(ConnectTo.parse(text) for text in connect_to),
        timeout=timeout,
    )
    client = EntryClient(options)
    try:
        observations = run_concurrently(
            urls,
            lambda url: observe_harbor_entry(client, url, credentials),
            status,
            "checking",
            lambda url: str(Origin.of(url)),  # scheme://host:port: never user:password@ from the URL
        )
    finally:
        client.close()
    return HarborCheck(tuple(assess_entry(observation, version) for observation in observations))


Question = tuple[str, str, Nameserver | None]  # name, record type, the server to ask (None: the system's)


def _lookups(target: ProxyTarget, server: Nameserver | None) -> tuple[list[Question], str]:
    """The DNS questions one proxy target needs, and how nginx resolves it (for the report)."""
    from opskit.core.check.nginx_targets import Behaviour
    from opskit.core.check.resolver import nameservers_of

    if target.behaviour is Behaviour.FOLLOWS_DNS and target.resolver is not None:
        servers, by_name = nameservers_of(target.resolver)
        via = server or (servers[0] if servers else None)
        resolver_text = f"resolver {target.resolver.text}"
        if by_name:
            resolver_text += f" ({', '.join(by_name)} resolved once at start-up)"
        if server is not None:
            resolver_text += f"; asked {server}"
        rdtypes = ("A", "AAAA") if target.resolver.ipv6 else ("A",)
        return [(target.host, rdtype, via) for rdtype in rdtypes], resolver_text
    if target.behaviour in (Behaviour.STALE, Behaviour.SHADOWED):
        return [(target.host, "A", server)], "system resolver, once at load" + (f"; asked {server}" if server else "")
    return [], ""


def check_resolver(
    names: Sequence[str],
    *,
    server: Nameserver | None = None,
    nginx_conf: Path | None = None,
    timeout: float = 3.0,
    status: Callable[[str], None] = _silent,
) -> ResolverReport:
    """Each name's A/AAAA answers, and with ``nginx_conf`` how every proxy target resolves (and what its
    resolver answers now). Every DNS question is asked once, all at the same time."""
    from opskit.adapters.configfiles import FileSource
    from opskit.adapters.dns import query
    from opskit.app.concurrent import run_concurrently
    from opskit.core.check.nginx_targets import proxy_targets
    from opskit.core.check.resolver import judge_target, name_items
    from opskit.core.nginx import parse_nginx

    config_file = ""
    proxy: list[tuple[ProxyTarget, list[Question], str]] = []
    if nginx_conf is not None:
        config_file = str(nginx_conf)
        # The same parser and include loader as `lint`: one nginx model, one set of syntax errors.
        config = parse_nginx(config_file, FileSource())
        for file, line, pattern in config.missing_includes:
            if not any(ch in pattern for ch in "*?["):  # a glob may match nothing, as in nginx
                raise InputError.at(file, line, "include", f"{pattern!r} matched no file")
        proxy = [(target, *_lookups(target, server)) for target in proxy_targets(config)]
    # Every question is independent: ask them all at once (a silent server costs one timeout, not one each).
    questions: list[Question] = [(name, rdtype, server) for name in names for rdtype in ("A", "AAAA")]
    questions += [question for _target, wanted, _text in proxy for question in wanted]
    unique = list(dict.fromkeys((name, rdtype, str(via)) for name, rdtype, via in questions))
    by_key = {(name, rdtype, str(via)): via for name, rdtype, via in questions}
    found_answers = run_concurrently(
        unique,
        lambda key: query(key[0], key[1], by_key[key], timeout),
        status,
        "DNS",
        lambda key: f"{key[0]} {key[1]}",
    )
    cache = dict(zip(unique, found_answers, strict=True))

    def ask(name: str, rdtype: str, via: Nameserver | None) -> DnsAnswer:
        return cache[(name, rdtype, str(via))]

    answers = tuple(ask(name, rdtype, server) for name in names for rdtype in ("A", "AAAA"))
    targets = [judge_target(target, [ask(*q) for q in wanted], text) for target, wanted, text in proxy]
    return ResolverReport(answers, tuple(name_items(answers)), config_file, tuple(targets))
