"""`opskit check harbor` and `opskit check resolver`: verify live entry points and DNS re-resolution."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from opskit.cli.common import FormatOption, finish, require_finite
from opskit.errors import ExitCode, InputError
from opskit.output.console import OutputFormat

group = typer.Typer(
    name="check",
    help="Verify live systems: Harbor entry points, DNS answers and nginx re-resolution.",
    no_args_is_help=True,
)

MAX_PASSWORD_CHARS = 4096  # Harbor robot tokens are ~1 KiB; no password is longer


@group.command("harbor", no_args_is_help=True)
def harbor(
    urls: Annotated[
        list[str],
        typer.Argument(help="Entry-point base URLs, e.g. https://harbor.example.com:5088", show_default=False),
    ],
    insecure: Annotated[
        bool, typer.Option("--insecure", "-k", help="Do not fail on an untrusted certificate.")
    ] = False,
    ca: Annotated[Path | None, typer.Option("--ca", help="Trust this CA bundle (PEM) for https entries.")] = None,
    user: Annotated[str | None, typer.Option("--user", "-u", help="Harbor user for a real token.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin (first line).")
    ] = False,
    harbor_version: Annotated[
        str | None,
        typer.Option("--harbor-version", help="Harbor release (e.g. 2.13.1): picks the realm rule to explain."),
    ] = None,
    connect_to: Annotated[
        list[str] | None,
        typer.Option(
            "--connect-to",
            metavar="HOST:PORT:ADDR:PORT",
            help="Connect to ADDR:PORT for HOST:PORT, keeping Host/SNI (like curl). Repeatable.",
        ),
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request.", min=0.1, max=300)] = 10.0,
    output_format: FormatOption = OutputFormat.human,
) -> None:
    """Verify Harbor entry points the way docker login uses them: challenge, realm, token, API, TLS.

    Exit 1 if any entry point fails, 2 on bad input.
    """
    from urllib.parse import urlsplit

    from opskit.adapters.http import ClientOptions, ConnectTo, EntryClient, observe_harbor_entry
    from opskit.cli.concurrent import run_concurrently
    from opskit.cli.secrets import register_secret, register_secrets_of
    from opskit.core.check.harbor_judgement import assess_entry
    from opskit.core.check.harbor_observation import Origin
    from opskit.core.spec.harbor import HarborVersion
    from opskit.output.check import show_harbor
    from opskit.output.progress import status_line

    for url in urls:  # before any message can quote a URL's userinfo
        register_secrets_of(url)
    for url in urls:
        try:
            origin = Origin.of(url)
        except ValueError as error:
            raise InputError.option("URL", str(error)) from None
        if urlsplit(url).path.strip("/") or origin.scheme not in ("http", "https"):
            raise InputError.option("URL", f"{url!r}: give the entry's base URL without a path")
    version = None
    if harbor_version is not None:
        try:
            version = HarborVersion.parse(harbor_version)
        except ValueError as error:
            raise InputError.option("--harbor-version", str(error)) from None
    if password_stdin and user is None:
        raise InputError.option("--password-stdin", "needs --user")
    if user is not None and not password_stdin:
        raise InputError.option("--user", "give the password with --password-stdin (never on the command line)")
    credentials = None
    if user is not None:
        line = sys.stdin.readline(MAX_PASSWORD_CHARS + 1)  # bounded: `opskit ... < /dev/zero` must end
        if len(line.rstrip("\r\n")) > MAX_PASSWORD_CHARS:
            raise InputError.option(
                "--password-stdin", f"the first line of stdin is over {MAX_PASSWORD_CHARS} characters"
            )
        password = line.rstrip("\r\n")
        register_secret(password)
        if not password:
            raise InputError.option("--password-stdin", "stdin gave an empty password")
        credentials = (user, password)
    if ca is not None:  # a missing one is reported where it is loaded
        from opskit.adapters.fs import require_regular_file_if_present

        require_regular_file_if_present(ca, "--ca bundle")
    require_finite(timeout, "--timeout")
    options = ClientOptions(
        insecure=insecure,
        ca_file=str(ca) if ca else None,
        connect_to=tuple(ConnectTo.parse(text) for text in connect_to or ()),
        timeout=timeout,
    )
    client = EntryClient(options)
    try:
        with status_line(output_format) as status:
            observations = run_concurrently(
                urls,
                lambda url: observe_harbor_entry(client, url, credentials),
                status,
                "checking",
                lambda url: str(Origin.of(url)),  # scheme://host:port: never user:password@ from the URL
            )
    finally:
        client.close()
    reports = [assess_entry(observation, version) for observation in observations]
    show_harbor(reports, output_format)
    finish(ExitCode.FINDINGS if any(r.failed for r in reports) else ExitCode.OK)


@group.command("resolver")
def resolver(
    names: Annotated[
        list[str] | None, typer.Argument(help="Names to look up (A and AAAA, with TTL).", show_default=False)
    ] = None,
    nameserver: Annotated[
        str | None,
        typer.Option("--nameserver", "-n", metavar="IP[:PORT]", help="Ask this server (default: resolv.conf)."),
    ] = None,
    nginx_conf: Annotated[
        Path | None,
        typer.Option("--nginx-conf", metavar="FILE", help="Cross-check this nginx config's proxy targets."),
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per DNS query.", min=0.1, max=60)] = 3.0,
    output_format: FormatOption = OutputFormat.human,
) -> None:
    """DNS answers per name, and which nginx proxy targets follow DNS and which go stale.

    With --nginx-conf: literal names (resolved once at start-up), variable targets shadowed by a literal
    proxy_pass or upstream of the same host:port, variables without resolver, short names; and for the
    targets that follow DNS, what the config's resolver answers now. Exit 1 on a failing target, 2 on bad input.
    """
    from opskit.adapters.configfiles import FileSource
    from opskit.adapters.dns import query
    from opskit.cli.concurrent import run_concurrently
    from opskit.core.check.nginx_targets import Behaviour, ProxyTarget, proxy_targets
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
    from opskit.output.check import show_resolver
    from opskit.output.progress import status_line

    require_finite(timeout, "--timeout")
    if not names and nginx_conf is None:
        raise InputError("give at least one NAME or --nginx-conf FILE")
    server: Nameserver | None = None
    if nameserver is not None:
        try:
            server = parse_nameserver(nameserver)
        except ValueError as error:
            raise InputError.option("--nameserver", str(error)) from None
    def lookups(target: ProxyTarget) -> tuple[list[tuple[str, str, Nameserver | None]], str]:
        """The DNS questions one proxy target needs, and how nginx resolves it (for the report)."""
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
            return [(target.host, "A", server)], "system resolver, once at load" + (
                f"; asked {server}" if server else ""
            )
        return [], ""

    config_file = ""
    proxy = []
    if nginx_conf is not None:
        config_file = str(nginx_conf)
        # The same parser and include loader as `lint`: one nginx model, one set of syntax errors.
        config = parse_nginx(config_file, FileSource())
        for file, line, pattern in config.missing_includes:
            if not any(ch in pattern for ch in "*?["):  # a glob may match nothing, as in nginx
                raise InputError.at(file, line, "include", f"{pattern!r} matched no file")
        proxy = [(target, *lookups(target)) for target in proxy_targets(config)]
    # Every question is independent: ask them all at once (a silent server costs one timeout, not one each).
    questions = [(name, rdtype, server) for name in names or () for rdtype in ("A", "AAAA")]
    questions += [question for _target, wanted, _text in proxy for question in wanted]
    unique = list(dict.fromkeys((name, rdtype, str(via)) for name, rdtype, via in questions))
    by_key = {(name, rdtype, str(via)): via for name, rdtype, via in questions}
    with status_line(output_format) as status:
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

    answers = tuple(ask(name, rdtype, server) for name in names or () for rdtype in ("A", "AAAA"))
    targets = [judge_target(target, [ask(*q) for q in wanted], text) for target, wanted, text in proxy]
    report = ResolverReport(answers, tuple(name_items(answers)), config_file, tuple(targets))
    show_resolver(report, output_format)
    finish(ExitCode.FINDINGS if report.failed else ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="check")
