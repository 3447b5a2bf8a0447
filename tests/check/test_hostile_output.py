"""Generated proofs for `check harbor`, `check resolver` and `probe`: a credential in a URL (or on stdin)
never reaches any output, and header values from the server are shown, not interpreted."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.hostile import assert_secret_absent, passwords, terminal_safe
from tests.support.ports import free_port

_SHARED_FIXTURES = [HealthCheck.function_scoped_fixture]
_CLOSED_PORT = free_port()


@settings(max_examples=40, deadline=None, suppress_health_check=_SHARED_FIXTURES)
@given(
    password=passwords(),
    encoded=st.booleans(),
    scheme=st.sampled_from(["http", "https"]),
    output_format=st.sampled_from(["human", "json"]),
)
def test_check_harbor_never_shows_a_url_password(
    cli: Any, password: str, encoded: bool, scheme: str, output_format: str
) -> None:
    written = quote(password, safe="") if encoded else password
    url = f"{scheme}://admin:{written}@127.0.0.1:{_CLOSED_PORT}/"
    result = cli(["check", "harbor", url, "--timeout", "1", "-F", output_format])
    # A raw password may make the URL invalid (exit 2) or name another host; either way: no password.
    assert result.exit_code in (1, 2), result.stderr
    assert_secret_absent(password, result.stdout, result.stderr)
    if result.exit_code == 1 and output_format == "json":
        assert json.loads(result.stdout)["entries"][0]["url"] == f"{scheme}://admin:***@127.0.0.1:{_CLOSED_PORT}"


@settings(max_examples=15, deadline=None, suppress_health_check=_SHARED_FIXTURES)
@given(password=passwords().filter(lambda p: "\n" not in p and "\r" not in p))
def test_check_harbor_never_shows_the_stdin_password(cli: Any, password: str) -> None:
    url = f"http://127.0.0.1:{_CLOSED_PORT}/"
    for output_format in ("human", "json"):
        result = cli(
            ["check", "harbor", url, "--user", "admin", "--password-stdin", "--timeout", "1", "-F", output_format],
            input=password + "\n",
        )
        assert result.exit_code == 1, result.stderr
        assert_secret_absent(password, result.stdout, result.stderr)


@settings(max_examples=15, deadline=None, suppress_health_check=_SHARED_FIXTURES)
@given(password=passwords(), output_format=st.sampled_from(["human", "json"]))
def test_probe_never_shows_a_url_password_or_token(cli: Any, password: str, output_format: str) -> None:
    encoded = quote(password, safe="")
    url = f"http://admin:{encoded}@127.0.0.1:{_CLOSED_PORT}/?token={encoded}"
    result = cli(["probe", "slowloris", url, "-c", "1", "-t", "1", "-F", output_format])
    assert result.exit_code in (1, 2), result.stderr
    assert_secret_absent(password, result.stdout, result.stderr)


class _HostileRegistry(BaseHTTPRequestHandler):
    """Answers /v2/ with a Bearer challenge whose realm and service carry rich markup."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(401)
        self.send_header(
            "Www-Authenticate",
            'Bearer realm="http://127.0.0.1:1/[bold red]PWNED[/]/service/token",'
            'service="[link=https://evil.example]harbor[/link]"',
        )
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def hostile_registry() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HostileRegistry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def test_markup_in_a_realm_header_is_shown_as_typed(cli: Any, hostile_registry: int) -> None:
    result = cli(["check", "harbor", f"http://127.0.0.1:{hostile_registry}", "--timeout", "2"])
    assert result.exit_code == 1
    assert "[bold red]PWNED[/]" in result.stdout, result.stdout
    assert terminal_safe(result.stdout)


def test_a_config_file_name_with_escapes_is_shown_not_obeyed(cli: Any, tmp_path: Path) -> None:
    config = tmp_path / "[bold]x[red]\x1b[2J\u202e.conf"  # a file name cannot hold "/" (no closing tag)
    config.write_text(
        "events {}\nhttp { server { listen 8080; location / { proxy_pass http://upstream.invalid:80; } } }\n"
    )
    result = cli(["check", "resolver", "--nginx-conf", str(config), "--timeout", "0.5"])
    assert "[bold]x[red]\\x1b[2J\\u202e.conf" in result.stdout, result.stdout + result.stderr
    assert terminal_safe(result.stdout + result.stderr)
