"""Every corpus paste, posted the ways people post: the expert's facts must not depend on the wrapping.

The same terminal output reaches a ticket quoted in Markdown, indented as a code block, fenced, with CRLF
line ends, trailing padding, tabs, non-breaking spaces or a sentence of prose around it. Each wrapping is
applied to every sample of the corpus (now and as it grows), and the facts written for the plain paste
must still hold; a generated test also stacks several wrappings at random.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.engine import InputText, diagnose
from opskit.errors import InputError
from opskit.output.diagnose import to_json
from tests.diagnose.corpus_check import CORPUS, check_sample, load_truth

# Samples whose plain paste is judged right (an open miss is a known miss, not a wrapping problem).
TRUTH = [t for t in load_truth() if not t.get("open_miss")]


def _each_line(prefix: str) -> Callable[[str], str]:
    return lambda text: "\n".join(prefix + line for line in text.split("\n"))


WRAPPINGS: dict[str, Callable[[str], str]] = {
    "markdown quote": _each_line("> "),
    "nested markdown quote": _each_line("> > "),
    "code block indent": _each_line("    "),
    "tab indent": _each_line("\t"),
    "CRLF line ends": lambda text: text.replace("\n", "\r\n"),
    "CRLF converted twice": lambda text: text.replace("\n", "\r\r\n"),
    "fence": lambda text: f"```\n{text}\n```",
    "fence with a language": lambda text: f"```console\n{text.rstrip()}\n```\n",
    "quoted fence": lambda text: _each_line("> ")(f"```\n{text.rstrip()}\n```"),
    "trailing padding": lambda text: "\n".join(line + "   " for line in text.split("\n")),
    "non-breaking spaces": lambda text: text.replace(" ", "\u00a0"),
    "prose around": lambda text: f"Hi, I see this on my box, output below:\n\n{text}\n\nAny idea? Thanks!\n",
}


def _document(truth: dict[str, Any], text: str) -> dict[str, Any] | None:
    stem = Path(truth["file"]).stem
    try:
        diagnosis = diagnose([InputText(stem, truth["file"], text)])
    except InputError:
        return None
    return to_json(diagnosis, 1 if diagnosis.has_problems else 0)


def _misses(truth: dict[str, Any], wrap: Callable[[str], str]) -> list[str]:
    text = (CORPUS / truth["file"]).read_text(encoding="utf-8")
    return check_sample(truth, _document(truth, wrap(text)))


@pytest.mark.parametrize("wrapping", sorted(WRAPPINGS))
def test_every_paste_reads_the_same_however_it_is_wrapped(wrapping: str) -> None:
    wrong = {t["file"]: misses for t in TRUTH if (misses := _misses(t, WRAPPINGS[wrapping]))}
    assert not wrong, f"{len(wrong)} of {len(TRUTH)} samples read differently when {wrapping}: {wrong}"


# Line ends change last (a transport converts them after the text was written), and once.
LINE_ENDS = ("CRLF line ends", "CRLF converted twice")


@settings(max_examples=60, deadline=None)
@given(
    truth=st.sampled_from(TRUTH),
    stack=st.lists(
        st.sampled_from(sorted(set(WRAPPINGS) - {"non-breaking spaces", *LINE_ENDS})), min_size=1, max_size=3
    ),
    line_ends=st.sampled_from((None, *LINE_ENDS)),
)
def test_stacked_wrappings_keep_the_facts(truth: dict[str, Any], stack: list[str], line_ends: str | None) -> None:
    def wrap(text: str) -> str:
        for name in (*stack, *((line_ends,) if line_ends else ())):
            text = WRAPPINGS[name](text)
        return text

    assert _misses(truth, wrap) == [], (stack, line_ends)
