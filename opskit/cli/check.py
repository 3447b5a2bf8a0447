"""`opskit check harbor` and `opskit check resolver`: verify live entry points and DNS re-resolution."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from opskit.cli.common import finish, require_finite
from opskit.errors import ExitCode, InputError


class CheckFormat(StrEnum):
    human = "human"
    json = "json"
    sarif = "sarif"


CheckFormatOption = Annotated[
    CheckFormat,
    typer.Option(
        "--format",
        "-F",
        case_sensitive=False,
        help="human (rich tables), json (for machines) or sarif (failing checks as CHK-… results).",
    ),
]

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
    output_format: CheckFormatOption = CheckFormat.human,
) -> None:
    """Verify Harbor entry points the way docker login uses them: challenge, realm, token, API, TLS.

    Exit 1 if any entry point fails, 2 on bad input.
    """
    from urllib.parse import urlsplit

    from opskit.app.check import check_harbor
    from opskit.cli.secrets import register_secret, register_secrets_of
    from opskit.core.check.harbor_observation import Origin
    from opskit.core.spec.harbor import HarborVersion
    from opskit.output.check import show
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
    require_finite(timeout, "--timeout")
    with status_line(output_format) as status:
        result = check_harbor(
            urls,
            credentials=credentials,
            insecure=insecure,
            ca_file=ca,
            connect_to=connect_to or (),
            timeout=timeout,
            version=version,
            status=status.show,
        )
    show(result, output_format)
    finish(ExitCode.FINDINGS if result.failed else ExitCode.OK)


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
    output_format: CheckFormatOption = CheckFormat.human,
) -> None:
    """DNS answers per name, and which nginx proxy targets follow DNS and which go stale.

    With --nginx-conf: literal names (resolved once at start-up), variable targets shadowed by a literal
    proxy_pass or upstream of the same host:port, variables without resolver, short names; and for the
    targets that follow DNS, what the config's resolver answers now. Exit 1 on a failing target, 2 on bad input.
    """
    from opskit.app.check import check_resolver
    from opskit.core.check.resolver import Nameserver, parse_nameserver
    from opskit.output.check import show
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
    with status_line(output_format) as status:
        report = check_resolver(names or (), server=server, nginx_conf=nginx_conf, timeout=timeout, status=status.show)
    show(report, output_format)
    finish(ExitCode.FINDINGS if report.failed else ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="check")
