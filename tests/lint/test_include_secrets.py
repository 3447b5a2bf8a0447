"""Issue 11: an error quotes input only from files that parse as the expected config.

`include /etc/shadow;` (or a glob that catches a key file) makes `lint` and `check resolver
--nginx-conf` read a file that is not nginx config. Generated included files — random lines,
shadow-style lines, binary, huge lines, and config that looks valid up to a broken statement — carry
a unique marker; it must never reach stdout, stderr or JSON, and each run ends with exit 2 naming the
included file and line. `check resolver` points at a loopback port where nothing listens; the
parse error comes first, so no query is sent at all.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NOBODY = "127.0.0.1:9"
INCLUDED = "included.conf"
MAIN = "http {\n  server {\n    listen 80;\n    include included.conf;\n  }\n}\n"
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

markers = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=12, max_size=12).map(lambda s: f"Q{s}")
# No ";", "{", "}" or "#": no statement can end and nothing is a comment, so the file never parses.
plain_words = st.text(
    alphabet=st.characters(
        blacklist_characters=";{}#\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
        blacklist_categories=("Cs",),
        min_codepoint=32,
    ),
    min_size=1,
    max_size=40,
)


def run_both(cli: Any, directory: Path, marker: str, kind: str | None = None) -> None:
    """lint (human and JSON) and check resolver (human and JSON): exit 2, file:line, no marker."""
    main = directory / ("haproxy.cfg" if kind == "haproxy" else "nginx.conf")
    commands = [["lint", str(main)], ["lint", str(main), "--format", "json"]]
    if kind == "haproxy":
        commands = [[*c, "--kind", "haproxy"] for c in commands]
        named = main
    else:
        named = directory / INCLUDED
        check = ["check", "resolver", "--nginx-conf", str(main), "--nameserver", NOBODY, "--timeout", "0.1"]
        commands += [check, [*check, "--format", "json"]]
    for args in commands:
        result = cli(args)
        output = result.stdout + result.stderr
        assert marker not in output, (args, output[:2000])
        assert result.exit_code == 2, (args, output[:2000])
        assert re.search(re.escape(str(named)) + r":\d+: ", result.stderr), (args, result.stderr[:2000])


def with_included(cli: Any, content: bytes, marker: str) -> None:
    with tempfile.TemporaryDirectory(prefix="opskit-secret-") as name:
        directory = Path(name)
        (directory / "nginx.conf").write_text(MAIN)
        (directory / INCLUDED).write_bytes(content)
        run_both(cli, directory, marker)


def place(marker: str, lines: list[str], where: st.DataObject) -> list[str]:
    """Put the marker inside one of the lines (any position)."""
    index = where.draw(st.integers(0, len(lines) - 1))
    column = where.draw(st.integers(0, len(lines[index])))
    lines[index] = lines[index][:column] + marker + lines[index][column:]
    return lines


@SETTINGS
@given(markers, st.lists(plain_words, min_size=1, max_size=8), st.data())
def test_random_lines(cli: Any, marker: str, lines: list[str], data: st.DataObject) -> None:
    with_included(cli, "\n".join(place(marker, lines, data)).encode(), marker)


@SETTINGS
@given(markers, st.lists(st.sampled_from(["root", "daemon", "deploy", "postgres"]), min_size=1, max_size=5))
def test_shadow_style_lines(cli: Any, marker: str, users: list[str]) -> None:
    lines = [f"{user}:$6${marker}$Zq0aXb:19700:0:99999:7:::" for user in users]
    with_included(cli, ("\n".join(lines) + "\n").encode(), marker)


@SETTINGS
@given(markers, st.binary(max_size=300), st.binary(max_size=300))
def test_binary(cli: Any, marker: str, before: bytes, after: bytes) -> None:
    # 0xff never occurs in UTF-8: the file is certainly binary.
    with_included(cli, b"\xff" + before + marker.encode() + after, marker)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(markers, st.integers(100_000, 1_000_000), st.booleans())
def test_huge_line(cli: Any, marker: str, size: int, first: bool) -> None:
    filler = "x" * size
    line = marker + filler if first else filler + marker
    with_included(cli, line.encode(), marker)


# A file that reads as server{} config up to one broken statement holding the marker.
BROKEN: list[Callable[[str], str]] = [
    lambda m: f"{m}_directive on",  # end of file before ";"
    lambda m: f"add_header X-{m} v",  # a known directive, then end of file
    lambda m: f"gzip {m};",  # a flag directive with a value that is not on/off
    lambda m: f"proxy_pass http://{m}:80 extra;",  # wrong number of arguments
    lambda m: f"{m} {{\n  listen 80;",  # a block that never closes
    lambda m: f'listen "{m}',  # a quote that never closes
    lambda m: f"server_name {m} }}",  # "}" where ";" belongs
    lambda m: f"location /{m} {{ {m}x }}",  # a statement not terminated inside a block
    lambda m: f"{m}x {m}y }}",
]
GOOD = ["listen 8080;", "server_name example.test;", "client_max_body_size 10m;", "location / { return 204; }"]


@SETTINGS
@given(markers, st.lists(st.sampled_from(GOOD), max_size=6), st.sampled_from(BROKEN), st.data())
def test_config_up_to_an_error(
    cli: Any, marker: str, prefix: list[str], broken: Callable[[str], str], data: st.DataObject
) -> None:
    suffix = data.draw(st.lists(st.sampled_from(GOOD), max_size=3))
    text = "\n".join([*prefix, broken(marker), *suffix]) + "\n"
    with_included(cli, text.encode(), marker)


@SETTINGS
@given(markers, st.lists(plain_words, min_size=1, max_size=8), st.data())
def test_haproxy_file_that_is_not_haproxy(cli: Any, marker: str, lines: list[str], data: st.DataObject) -> None:
    """The same rule for the HAProxy parser: a first word that is no section keyword is not quoted."""
    lines = place(marker, lines, data)
    # The first word must not open a section or an .if block (then the file would parse as HAProxy).
    lines[0] = "x:" + lines[0].lstrip(" \t")
    with tempfile.TemporaryDirectory(prefix="opskit-secret-") as name:
        directory = Path(name)
        (directory / "haproxy.cfg").write_text("\n".join(lines) + "\n")
        run_both(cli, directory, marker, kind="haproxy")


def test_vocabulary_is_still_quoted(cli: Any, tmp_path: Path) -> None:
    """Directive names are not input: a typo still gets a useful message."""
    conf = tmp_path / "nginx.conf"
    conf.write_text("server {\n    proxy_pas http://a:80\n}\n")
    result = cli(["lint", str(conf)])
    assert result.exit_code == 2
    assert f'{conf}:2: statement is not terminated by ";"' in result.stderr
    assert 'did you mean "proxy_pass"?' in result.stderr
    conf.write_text("server {\n    gzip yes;\n}\n")
    assert f'{conf}:2: invalid value in "gzip" directive, it must be "on" or "off"' in cli(["lint", str(conf)]).stderr
