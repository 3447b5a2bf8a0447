"""`opskit check harbor` and `opskit check resolver`: verify live entry points and DNS re-resolution."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from opskit.cli.common import FormatOption, finish
from opskit.errors import ExitCode, InputError
from opskit.output.console import OutputFormat

group = typer.Typer(
    name="check",
    help="Verify live systems: Harbor entry points, DNS answers and nginx re-resolution.",
    no_args_is_help=True,
)


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
    from opskit.core.check.harbor import Origin, assess_entry
    from opskit.core.spec.harbor import HarborVersion
    from opskit.output.check import show_harbor

    for url in urls:
        try:
            origin = Origin.of(url)
        except ValueError as error:
            raise InputError.at(None, None, "URL", str(error)) from None
        if urlsplit(url).path.strip("/") or origin.scheme not in ("http", "https"):
            raise InputError.at(None, None, "URL", f"{url!r}: give the entry's base URL without a path")
    version = None
    if harbor_version is not None:
        try:
            version = HarborVersion.parse(harbor_version)
        except ValueError as error:
            raise InputError.at(None, None, "--harbor-version", str(error)) from None
    if password_stdin and user is None:
        raise InputError.at(None, None, "--password-stdin", "needs --user")
    if user is not None and not password_stdin:
        raise InputError.at(None, None, "--user", "give the password with --password-stdin (never on the command line)")
    credentials = None
    if user is not None:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InputError.at(None, None, "--password-stdin", "stdin gave an empty password")
        credentials = (user, password)
    options = ClientOptions(
        insecure=insecure,
        ca_file=str(ca) if ca else None,
        connect_to=tuple(ConnectTo.parse(text) for text in connect_to or ()),
        timeout=timeout,
    )
    client = EntryClient(options)
    try:
        reports = [assess_entry(observe_harbor_entry(client, url, credentials), version) for url in urls]
    finally:
        client.close()
    show_harbor(reports, output_format)
    finish(ExitCode.FINDINGS if any(r.failed for r in reports) else ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="check")
