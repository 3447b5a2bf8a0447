"""Generated proofs for the two output guards: no credential survives redaction in any spelling, and no
outside string can drive the terminal or inject rich markup."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from opskit.core.redact import redact_dsn, redact_text, remove_secrets, scrub, secret_forms, secrets_in
from opskit.output.safe import safe_cell, safe_plain, safe_text
from tests.support.hostile import (
    assert_secret_absent,
    dsn_spellings,
    hostile_text,
    passwords,
    terminal_safe,
)


@settings(max_examples=150, deadline=None)
@given(password=passwords())
@example(password='0"Qz7Kv0\\')  # libpq-quoted as '0"Qz7Kv0\\\\': the closing quote follows an escaped backslash
def test_no_dsn_spelling_shows_its_password_after_redaction(password: str) -> None:
    for spelling in dsn_spellings(password, "db.example", 5432, "headscale"):
        shown = redact_dsn(spelling.dsn)
        assert_secret_absent(password, shown)
        assert "***" in shown, spelling.how
        # What a driver does with a DSN it cannot parse: repeat it inside its message.
        message = f'invalid dsn: missing "=" after "{spelling.dsn}" in connection info string'
        assert_secret_absent(password, scrub(message, secrets_in(spelling.dsn)))
        # The same message as a JSON document and as a Python repr (InputError quotes with !r).
        assert_secret_absent(password, scrub(json.dumps({"error": message}), secrets_in(spelling.dsn)))
        assert_secret_absent(password, scrub(repr(spelling.dsn), secrets_in(spelling.dsn)))
        # An error document (JSON) quoting a message that quoted the DSN with repr: escaped twice.
        nested = json.dumps({"error": f"bad --dsn {spelling.dsn!r}"})
        assert_secret_absent(password, scrub(nested, secrets_in(spelling.dsn)))
        # What the run's stdout filter does (values only): the document stays valid JSON, without the secret.
        filtered = remove_secrets(nested, secret_forms(frozenset(secrets_in(spelling.dsn))))
        assert_secret_absent(password, json.loads(filtered)["error"], filtered)


@settings(max_examples=100, deadline=None)
@given(password=passwords(), scheme=st.sampled_from(["http", "https", "mysql", "redis", "amqp", "git+ssh"]))
def test_any_scheme_userinfo_and_token_parameters_are_masked(password: str, scheme: str) -> None:
    from urllib.parse import quote

    for url in (
        f"{scheme}://user:{quote(password, safe='')}@host:8080/",
        f"{scheme}://user:{password}@host:8080/",
        f"{scheme}://host/path?token={quote(password, safe='')}&x=1",
        f"{scheme}://host/path?api_key={quote(password, safe='')}",
    ):
        assert_secret_absent(password, redact_dsn(url))
        assert_secret_absent(password, scrub(f"GET {url} failed: refused", secrets_in(url)))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("mysql://root:pw1234@db:3306/app", "mysql://root:***@db:3306/app"),
        ("check http://user:pw@127.0.0.1:9/ refused", "check http://user:***@127.0.0.1:9/ refused"),
        ("host=db password='it\\'s a b' user=x", "host=db password=*** user=x"),
        ("host=db sslpassword=k3y user=x", "host=db sslpassword=*** user=x"),
        ("https://h/v2/token?service=x&access_token=abc", "https://h/v2/token?service=x&access_token=***"),
        ("http://harbor.example:5088/v2/", "http://harbor.example:5088/v2/"),
    ],
)
def test_redact_text_examples(text: str, shown: str) -> None:
    assert redact_text(text) == shown


def test_a_password_printed_without_its_key_is_still_scrubbed_by_value() -> None:
    secret = "a b@c:d%e"
    message = 'FATAL: password authentication failed for user "hs" (tried "a b@c:d%e", a%20b%40c%3Ad%25e)'
    assert "a b@c" not in scrub(message, [secret])
    assert "a%20b" not in scrub(message, [secret])


def _render(renderable: object) -> str:
    from rich.console import Console

    console = Console(file=io.StringIO(), record=True, width=200, color_system="truecolor", force_terminal=True)
    console.print(renderable)
    return console.export_text(styles=False)


@settings(max_examples=300, deadline=None)
@given(value=hostile_text)
def test_safe_text_never_passes_a_control_character_and_never_becomes_markup(value: str) -> None:
    from rich.text import Text

    # Embedded in opskit's own markup, as the renderers do: it renders to exactly what safe_plain shows,
    # so no tag of the value was interpreted and opskit's own tags still close.
    # (rich doubles a trailing backslash so it cannot escape the tag that follows; hence "[/bold]" next.)
    rendered = _render(f"[bold]{safe_text(value)}[/bold] [green]ok[/green]")
    expected = _render(Text(f"{safe_plain(value)} ok"))
    assert rendered == expected
    assert terminal_safe(rendered)
    # As a cell (Text): same text, no markup parsing at all.
    assert _render(safe_cell(value)) == _render(Text(safe_plain(value)))
    # Nothing hostile is dropped silently: every printable character of the input is still visible.
    visible = [ch for ch in value if ch.isprintable() and ch not in "\u2028\u2029"]
    shown = safe_plain(value)
    for ch in visible:
        assert ch in shown


def test_safe_plain_shows_what_it_neutralised() -> None:
    assert safe_plain("a\x1b[31mb\rc\u202ed\x9be\u200b") == "a\\x1b[31mb\\rc\\u202ed\\x9be\\u200b"
    assert safe_plain("tab\tstays") == "tab\tstays"
    assert safe_plain("two\nlines") == "two\\nlines"
    assert safe_plain("two\nlines", newlines=True) == "two\nlines"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=passwords(), which=st.sampled_from([0, 1, 3, 4, 6, 8]))
def test_a_dsn_typed_without_dsn_is_masked_in_clicks_usage_error(cli, password: str, which: int) -> None:  # type: ignore[no-untyped-def]
    """Nothing registered it yet: click prints "Got unexpected extra argument (...)" after the command."""
    dsn = dsn_spellings(password, "db.example", 5432, "headscale")[which].dsn
    result = cli(["headscale", "tenants", dsn])
    assert result.exit_code == 2 and "unexpected extra argument" in result.stderr
    assert_secret_absent(password, result.stdout, result.stderr)
