"""The nginx parser: includes relative to the prefix, globs, file:line, errors, contexts."""

from __future__ import annotations

import pytest

from opskit.core.lint.inputs import MemorySource
from opskit.core.nginx import parse_nginx
from opskit.errors import InputError


def _names(config) -> list[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    return [(n.directive.name, n.directive.file, n.directive.line) for n in config.walk()]


def test_includes_are_relative_to_the_prefix_and_globs_sorted() -> None:
    source = MemorySource(
        {
            "/etc/nginx/nginx.conf": "events {}\nhttp {\n    include conf.d/*.conf;\n}\n",
            # relative to the prefix (/etc/nginx), not to the including file's directory
            "/etc/nginx/conf.d/b.conf": "server {\n    include snippets/proxy.conf;\n}\n",
            "/etc/nginx/conf.d/a.conf": "upstream u { server 127.0.0.1:1; }\n",
            "/etc/nginx/snippets/proxy.conf": "\n\nlisten 8080;\n",
        }
    )
    config = parse_nginx("/etc/nginx/nginx.conf", source)
    assert _names(config) == [
        ("events", "/etc/nginx/nginx.conf", 1),
        ("http", "/etc/nginx/nginx.conf", 2),
        ("upstream", "/etc/nginx/conf.d/a.conf", 1),
        ("server", "/etc/nginx/conf.d/a.conf", 1),
        ("server", "/etc/nginx/conf.d/b.conf", 1),
        ("listen", "/etc/nginx/snippets/proxy.conf", 3),
    ]
    listen = next(n for n in config.walk() if n.directive.name == "listen")
    assert listen.context == ("http", "server")
    assert set(config.texts) == {
        "/etc/nginx/nginx.conf",
        "/etc/nginx/conf.d/a.conf",
        "/etc/nginx/conf.d/b.conf",
        "/etc/nginx/snippets/proxy.conf",
    }


def test_includes_matching_nothing_are_recorded_and_kept_in_the_tree() -> None:
    text = "include /etc/letsencrypt/options.conf;\ninclude none/*.conf;\nserver { listen 80; }\n"
    config = parse_nginx("/x/site.conf", MemorySource({"/x/site.conf": text}))
    assert config.missing_includes == (
        ("/x/site.conf", 1, "/etc/letsencrypt/options.conf"),
        ("/x/site.conf", 2, "none/*.conf"),
    )
    assert [(d.name, d.args) for d in config.directives[:2]] == [
        ("include", ("/etc/letsencrypt/options.conf",)),
        ("include", ("none/*.conf",)),
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("server {\n    listen 80\n}\n", 2, 'directive "listen" is not terminated by ";"'),
        ("http {\n  server {\n", 2, 'unexpected end of file, expecting "}"'),
        ("server { listen 80; }\n}\n", 2, 'unexpected "}"'),
        ("events {}\nhttp {\n    proxy_pass http://x;\n}\n", 3, '"proxy_pass" directive is not allowed here'),
        ('server {\n    return 200 "unterminated;\n}\n', 2, "unterminated"),
    ],
)
def test_syntax_errors_carry_file_and_line(text: str, line: int | None, message: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_nginx("/x/bad.conf", MemorySource({"/x/bad.conf": text}))
    problem = raised.value.problems[0]
    assert problem.file == "/x/bad.conf" and problem.line == line
    assert message in problem.problem


def test_error_in_included_file_names_that_file() -> None:
    source = MemorySource(
        {
            "/e/nginx.conf": "events {}\nhttp {\n    include sites/*.conf;\n}\n",
            "/e/sites/a.conf": "server {\n    location / {\n        proxy_pass x\n    }\n}\n",
        }
    )
    with pytest.raises(InputError) as raised:
        parse_nginx("/e/nginx.conf", source)
    assert (raised.value.problems[0].file, raised.value.problems[0].line) == ("/e/sites/a.conf", 3)


def test_snippet_contexts_are_inferred() -> None:
    location_file = parse_nginx("/s.conf", MemorySource({"/s.conf": "location / { proxy_pass http://a:1; }\n"}))
    assert location_file.top_context == ("http", "server")
    full = parse_nginx("/n.conf", MemorySource({"/n.conf": "events {}\nhttp { server { listen 1; } }\n"}))
    assert full.top_context == ()


def test_comments_quotes_and_if_parentheses() -> None:
    text = (
        'server {\n    listen 80; # trailing comment\n    if ($http_x = "a b") { return 403; }\n'
        '    add_header X "v;1" always;\n}\n'
    )
    config = parse_nginx("/q.conf", MemorySource({"/q.conf": text}))
    by_name = {n.directive.name: n.directive for n in config.walk()}
    assert by_name["if"].args == ("$http_x", "=", "a b")
    assert by_name["add_header"].args == ("X", "v;1", "always")
    assert config.line_text("/q.conf", 2) == "listen 80; # trailing comment"


def test_include_loop_is_an_error() -> None:
    source = MemorySource({"/l/a.conf": "include b.conf;\n", "/l/b.conf": "include a.conf;\n"})
    with pytest.raises(InputError, match="deeper"):
        parse_nginx("/l/a.conf", source)
