"""One JSON string scanner (text.json_string_end) under every reader that looks for brackets or notes outside strings.

text.json_value_end (the JSON after a command), blocks._json_end (a netmap or status document, counting one kind
of bracket), text._json_line_without_note (a note typed after a value) and json5_document all skip strings with it.
Each is checked here on generated JSON whose strings hold what a hand-written scanner gets wrong: escaped quotes and
backslashes, brackets and note marks, non-ASCII text (escaped or not), and a string soft-wrapped onto the next line.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose import blocks
from opskit.core.diagnose.text import (
    SourceLine,
    annotated_json_document,
    json5_document,
    json_string_end,
    json_value_end,
    without_json_note,
)

# what a string scanner must not take for structure: quotes, backslashes (alone, doubled, before a quote), brackets,
# the marks that start a note outside a string, and text escaped as \uXXXX under ensure_ascii
_TRICKY = st.sampled_from(
    ['"', "\\", '\\"', "\\\\", "[", "]", "{", "}", "#", "//", "<--", "(", "←", "é", "中", " ", "/*"]
)
_STRINGS = st.lists(st.one_of(_TRICKY, st.text(max_size=4)), max_size=8).map("".join)
_SCALARS = st.one_of(_STRINGS, st.integers(), st.booleans(), st.none())
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_STRINGS, inner, max_size=4)),
    max_leaves=12,
).filter(lambda value: isinstance(value, dict | list))
_NOTES = st.sampled_from(["  # my NAS", "  <-- this one", "  // 这是家里的", "  ← here", "  (offline since monday)"])


def _source(text: str) -> list[SourceLine]:
    return [SourceLine(number, line.strip(), line) for number, line in enumerate(text.split("\n"), 1)]


def _dumped(document: object, ascii_only: bool) -> list[str]:
    return json.dumps(document, indent=2, ensure_ascii=ascii_only).split("\n")


@given(_STRINGS, st.sampled_from(["", ",", ': "x"', "]  # note", ' "tail']))
def test_a_string_ends_after_its_closing_quote(value: str, after: str) -> None:
    encoded = json.dumps(value)
    assert json_string_end(encoded + after, 1) == len(encoded)
    assert json_string_end(encoded[:-1], 1) == -1  # cut before its closing quote: still open


@settings(max_examples=150)
@given(_DOCUMENTS, st.booleans(), st.sampled_from(["", "then I ran it again [1] {", '} ] "x']))
def test_the_bracket_counters_close_the_document_where_it_ends(document: object, ascii_only: bool, after: str) -> None:
    dumped = _dumped(document, ascii_only)
    lines = _source("\n".join([*dumped, after]))
    last = len(dumped) - 1
    assert json_value_end(lines, 0, len(lines) + 1, 64) == last
    assert blocks._json_end(lines, 0, "{}" if isinstance(document, dict) else "[]") == last
    if last:  # the closing line cut off: never closed by a bracket inside a string
        assert json_value_end(lines[:last], 0, len(lines), 64) is None
        assert blocks._json_end(lines[:last], 0, "{}" if isinstance(document, dict) else "[]") is None


@settings(max_examples=150)
@given(_DOCUMENTS, st.booleans(), st.lists(_NOTES, min_size=1, max_size=40))
def test_a_note_after_a_value_goes_and_the_json_stays(document: object, ascii_only: bool, notes: list[str]) -> None:
    dumped = _dumped(document, ascii_only)
    noted = [line + notes[index % len(notes)] for index, line in enumerate(dumped)]
    for line, with_note in zip(dumped, noted, strict=True):
        assert without_json_note(line.strip()) == line.strip()
        assert without_json_note(with_note.strip()) == line.strip()
    assert annotated_json_document(noted) == document
    if "null" not in "".join(dumped):  # json5_document reads `[null]` as `[ /* … */ ]`, an array whose items were cut
        assert json5_document("\n".join(dumped)) == document


@settings(max_examples=100)
@given(st.lists(st.sampled_from(['say \\"hi\\"', "a [b] {c}", "x # y", "é 中", "C:\\\\dir"]), min_size=2, max_size=6))
def test_a_string_wrapped_at_a_space_joins_and_the_counters_step_over_it(words: list[str]) -> None:
    value = json.loads('"' + " ".join(words) + '"')
    dumped = _dumped({"Message": value, "Next": ["]"]}, False)
    line = dumped[1]
    cut = line.index(" ", line.index(": ") + 2)  # inside the string: the wrap broke it at a space there
    wrapped = [*dumped[:1], line[:cut], line[cut + 1 :], *dumped[2:]]
    lines = _source("\n".join(wrapped))
    assert annotated_json_document(wrapped) == {"Message": value, "Next": ["]"]}
    assert json_value_end(lines, 0, len(lines), 64) == len(wrapped) - 1
    assert blocks._json_end(lines, 0) == len(wrapped) - 1
