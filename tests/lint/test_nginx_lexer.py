"""opskit's nginx tokenizer yields crossplane's token stream (comments aside) on real and generated input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from crossplane.lexer import _lex_file_object
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.lint.inputs import split_example
from opskit.core.nginx.lexer import tokenize
from opskit.errors import InputError

LINT_TESTS = Path(__file__).parent
CORPUS = sorted(p for p in LINT_TESTS.rglob("*.conf"))


def crossplane_tokens(text: str) -> list[tuple[str, int, bool]]:
    return [t for t in _lex_file_object(io.StringIO(text)) if not (t[0].startswith("#") and not t[2])]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(LINT_TESTS)))
def test_same_tokens_as_crossplane_on_every_fixture(path: Path) -> None:
    for text in split_example(path.read_text(), "x").values():
        assert list(tokenize(text, str(path))) == crossplane_tokens(text)


@pytest.mark.parametrize(
    "text",
    [
        "log_format main '$remote_addr \"$request\"'\n    '$status';\n",
        "add_header X \"a\\\"b\" always;\nreturn 200 'it\\'s';\n",
        'map $x $y { "~^(?<a>.*)$" "${a}z"; default ""; }\n',
        "location ~ \\.php$ { fastcgi_pass unix:/run/php.sock; }\n",
        'return 200 "multi\nline";\nnext on;\n',
        "a b;#comment\n  # whole line\nc 'd' \"\" '';\n",
    ],
)
def test_same_tokens_on_tricky_lines(text: str) -> None:
    assert list(tokenize(text, "t")) == crossplane_tokens(text)


def test_unterminated_quote_is_an_error_not_a_silent_end() -> None:
    with pytest.raises(InputError) as raised:
        list(tokenize('a b;\nc "never closed;\n', "u.conf"))
    assert (raised.value.problems[0].file, raised.value.problems[0].line) == ("u.conf", 2)


_WORD = st.text(alphabet="abcxyz019_-/.:$~^*", min_size=1, max_size=8)
_QUOTED = st.builds(
    lambda q, body: f"{q}{body}{q}", st.sampled_from(['"', "'"]), st.text(alphabet="ab c;{}#\n", max_size=8)
)
_PIECE = st.one_of(_WORD, _QUOTED, st.sampled_from([";", "{", "}", "\n", " ", "  ", "\t", "# note\n"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECE, max_size=25))
def test_same_tokens_on_generated_text(pieces: list[str]) -> None:
    text = " ".join(pieces) + "\n"  # crossplane drops a last word not followed by a blank
    assert list(tokenize(text, "g")) == crossplane_tokens(text)
