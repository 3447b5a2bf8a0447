"""The HAProxy parser: words, quoting, comments, .if blocks, sections and defaults inheritance."""

from __future__ import annotations

import pytest

from opskit.core.haproxy import parse_haproxy, parse_time_ms
from opskit.core.haproxy.parser import tokenize_line
from opskit.errors import InputError


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("  timeout client 30s   # comment", ["timeout", "client", "30s"]),
        (
            "http-response add-header alt-svc 'h3=\":443\"; ma=90000'",
            ["http-response", "add-header", "alt-svc", 'h3=":443"; ma=90000'],
        ),
        ('stats auth admin:"${PASS}"', ["stats", "auth", "admin:${PASS}"]),
        (r"acl a path_beg /a\ b", ["acl", "a", "path_beg", "/a b"]),
        ('http-request set-header X "a \\" # b"', ["http-request", "set-header", "X", 'a " # b']),
        ("# only a comment", []),
    ],
)
def test_tokenizer(line: str, words: list[str]) -> None:
    assert tokenize_line(line, "f", 1) == words


def test_unmatched_quote_is_an_error_with_file_and_line() -> None:
    with pytest.raises(InputError) as raised:
        parse_haproxy([("h.cfg", "global\n    log 'x\n")])
    assert (raised.value.problems[0].file, raised.value.problems[0].line) == ("h.cfg", 2)


def test_conditional_blocks_first_branch_taken_and_balanced() -> None:
    text = (
        "frontend f\n    bind :80\n.if feature(QUIC)\n    bind quic4@:443\n.else\n    bind :8443\n.endif\n"
        "    mode http\n"
    )
    config = parse_haproxy([("h.cfg", text)])
    statements = config.sections[0].statements
    assert [s.words for s in statements] == [("bind", ":80"), ("bind", "quic4@:443"), ("mode", "http")]
    assert [s.line for s in statements] == [2, 4, 8]
    assert statements[1].in_conditional and not statements[2].in_conditional


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("frontend f\n.if defined(X)\n    bind :80\n", 2),
        ("frontend f\n.endif\n", 2),
        ("    bind :80\n", 1),
    ],
)
def test_structure_errors(text: str, line: int) -> None:
    with pytest.raises(InputError) as raised:
        parse_haproxy([("h.cfg", text)])
    assert raised.value.problems[0].line == line


def test_defaults_inheritance_anonymous_and_named() -> None:
    text = """defaults base
    mode http
    timeout http-request 5s
defaults tls from base
    mode tcp
defaults
    timeout client 1m
frontend a
    bind :80
frontend b from tls
    bind :443
backend c from base
    option forwardfor
    no option forwardfor
"""
    config = parse_haproxy([("one.cfg", text)])
    a, b = config.section("frontend", "a"), config.section("frontend", "b")
    c = config.section("backend", "c")
    assert a is not None and b is not None and c is not None
    assert a.mode == "tcp" and a.timeout_ms("http-request")[0] is None  # last defaults: anonymous
    assert a.timeout_ms("client")[0] == 60_000
    assert b.mode == "tcp" and b.timeout_ms("http-request")[0] == 5000  # via tls → base
    assert c.effective_option("forwardfor") is None


def test_files_are_read_in_order_like_several_dash_f() -> None:
    config = parse_haproxy([("1.cfg", "defaults\n    mode http\n"), ("2.cfg", "frontend f\n    bind :80\n")])
    frontend = config.section("frontend", "f")
    assert frontend is not None and frontend.mode == "http" and frontend.file == "2.cfg"


def test_unknown_from_is_an_error() -> None:
    with pytest.raises(InputError, match="'nope' is not defined"):
        parse_haproxy([("h.cfg", "frontend f from nope\n")])


@pytest.mark.parametrize(
    ("text", "ms"),
    [("10s", 10_000), ("5000", 5000), ("1m", 60_000), ("250ms", 250), ("2h", 7_200_000), ("x", None)],
)
def test_time_values(text: str, ms: int | None) -> None:
    assert parse_time_ms(text) == ms
