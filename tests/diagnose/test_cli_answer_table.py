"""One table for the CLI's routine answers (clianswers.py's ``Answer``: command, pattern, plain words).

The splitter reads the table through one alternation per first character, its named groups made non-capturing; the
cli-answer view reads each answer's own pattern, groups kept, for its wording. Compared here: the alternation with the
answers' own patterns (every sample line, generated lines of every answer), each template with its pattern's groups,
and the view's wording with what it said before the two tables were folded into one (session 17: clianswerview.py's
``_SAYS``, kept below as the reference), for generated lines of every answer, through the JSON a user sees.
"""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opskit.core.diagnose import clianswers
from opskit.core.diagnose.clianswers import Answer, answer_says, without_stamp
from tests.diagnose.conftest import SAMPLES, SCENARIO, run_json

ANSWERS: tuple[Answer, ...] = (*clianswers._ONE_LINE_ANSWERS, clianswers._DNS_QUERY_HEAD)
ONE_LINE = clianswers._ONE_LINE_ANSWERS
WORDED = tuple(answer for answer in ANSWERS if answer.says is not None)

# the view's wording before session 17 (clianswerview.py's _SAYS at ef6fe57e), verbatim: the reference the one table
# must still give
OLD_SAYS = (
    (re.compile(r"^Public cert unchanged at (?P<x>.+)$"), "certificate already current, nothing written ({x})"),
    (re.compile(r"^Private key unchanged at (?P<x>.+)$"), "private key already current, nothing written ({x})"),
    (re.compile(r"^Wrote public cert to (?P<x>.+)$"), "certificate written to {x}"),
    (re.compile(r"^Wrote private key to (?P<x>.+)$"), "private key written to {x}"),
    (re.compile(r'^Switching to account "(?P<x>.*)"$'), "switching to account {x}"),
    (re.compile(r'^Already on account "(?P<x>.*)"$'), "already on account {x}, nothing changed"),
    (re.compile(r"^Current: (?P<x>\S+), Latest: (?P<y>\S+)$"), "installed {x}, newest available {y}"),
    (re.compile(r"^Updating Tailscale from (?P<x>\S+) to (?P<y>\S+);"), "updating from {x} to {y}"),
    (re.compile(r"^wrote (?P<x>.+) as (?P<y>.+) \((?P<n>\d+) bytes\)$"), "received file {x} saved as {y} ({n} bytes)"),
    (re.compile(r"^moved (?P<x>\d+)/(?P<y>\d+) files$"), "moved {x} of {y} received files"),
    (re.compile(r'^kubeconfig configured for "(?P<x>[^"]+)"'), "kubeconfig entry for {x} written"),
    (re.compile(r'^Enabled debug logs for component "(?P<x>[^"]+)" for (?P<y>\S+)$'), "debug logs of {x} on for {y}"),
    (re.compile(r'^Disabled debug logs for component "(?P<x>[^"]+)"$'), "debug logs of {x} off"),
    (re.compile(r"^aborting removal of signing key\(s\)$"), "removal aborted at the prompt, nothing removed"),
    (re.compile(r"^Initialization complete\.$"), "tailnet lock initialised"),
    (re.compile(r"^No Tailscale Services are available to this node\.$"), "no Tailscale Services for this node"),
    (re.compile(r"^No answers were returned\.$"), "no DNS answers"),
    (re.compile(r"^DNS query for \"(?P<x>.*)\" \((?P<y>\w+)\)"), "DNS answer for {x} ({y})"),
    (re.compile(r"^Tailnet Certificate uploaded with ID \"(?P<x>.*)\"\.$"), "certificate uploaded to DSM ({x})"),
    (re.compile(r"^Press Ctrl-C to stop the capture\.$"), "packet capture running"),
    (re.compile(r"^(?:CPU|Memory) profile written to (?P<x>.+)$"), "profile written to {x}"),
    (re.compile(r"^BUG-"), "bug report marker printed"),
    # added in blind 48 (update's "no update needed", read beside a package listing by updateoffer.py)
    (
        re.compile(r"^already running (?P<t>\S+) version (?P<x>\S+); no update needed$"),
        "already running the latest {t} version {x}: nothing to update",
    ),
    (
        re.compile(
            r"^installed (?P<t>\S+) version (?P<x>\S+) is newer than the latest available version (?P<y>\S+); "
            r"no update needed$"
        ),
        "installed {t} version {x} is newer than the latest available {y}: nothing to update",
    ),
)


def _old_says(text: str) -> str:
    for pattern, template in OLD_SAYS:
        if (match := pattern.match(text)) is not None:
            return template.format(**match.groupdict())
    return "done"


# printable ASCII, no edge blanks: one line as a terminal shows it
_PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)


def _lines_of(answer: Answer) -> st.SearchStrategy[str]:
    return st.from_regex(re.compile(f"(?:{answer.pattern})"), fullmatch=True, alphabet=_PRINTABLE).filter(
        lambda line: line == line.strip()
    )


def _own_patterns_match(text: str) -> bool:
    """The slow path: any one-line answer's own pattern (groups kept), after the CLI's log stamp."""
    if text[0].isdigit() and without_stamp(text) == text:
        return False
    bare = without_stamp(text)
    return any(re.match(f"(?:{answer.pattern})$", bare) for answer in ONE_LINE)


SAMPLE_LINES = sorted(
    {
        line
        for path in [*sorted(SAMPLES.rglob("*.txt")), *sorted(SCENARIO.glob("*.txt"))]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    }
)


def test_the_splitters_alternation_equals_the_answers_own_patterns_on_every_sample_line() -> None:
    read = [line for line in SAMPLE_LINES if clianswers._one_line(line)]
    assert [line for line in SAMPLE_LINES if _own_patterns_match(line)] == read
    assert len(read) >= 5  # the samples hold answers: the comparison compared something


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data(), answer=st.sampled_from(ONE_LINE), stamp=st.sampled_from(["", "2024/05/06 07:08:09 "]))
def test_the_splitters_alternation_reads_a_generated_line_of_every_answer(
    data: st.DataObject, answer: Answer, stamp: str
) -> None:
    line = stamp + data.draw(_lines_of(answer))
    assert clianswers._one_line(line) is True
    assert _own_patterns_match(line)
    # and its near misses are rejected by both: the line cut short or run on by a word
    for near in (line[:-1], line + " and more"):
        if near.strip():
            assert clianswers._one_line(near) == _own_patterns_match(near), near


def test_the_splitters_alternation_captures_nothing() -> None:
    assert all(pattern.groups == 0 for pattern in clianswers._BY_FIRST.values())


@pytest.mark.parametrize("answer", ANSWERS, ids=[f"{a.command}:{a.pattern[:24]}" for a in ANSWERS])
def test_a_template_names_exactly_its_patterns_groups(answer: Answer) -> None:
    groups = set(re.compile(answer.pattern).groupindex)
    named = {field for _, field, _, _ in string.Formatter().parse(answer.says or "") if field is not None}
    assert named == groups, (answer.pattern, answer.says)


@pytest.mark.parametrize("old", OLD_SAYS, ids=[template for _, template in OLD_SAYS])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_every_old_wording_has_its_answer_in_the_table(old: tuple[re.Pattern[str], str], data: st.DataObject) -> None:
    """Each wording of the old view is in the table, and a generated line of its answer is a line it worded so."""
    pattern, template = old
    answers = [answer for answer in WORDED if answer.says == template]
    assert answers, template
    answer = data.draw(st.sampled_from(answers))
    line = data.draw(_lines_of(answer))
    assert pattern.match(line), (answer.pattern, line)
    assert answer_says(line) == _old_says(line)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    data=st.data(),
    answer=st.sampled_from(ANSWERS),
    typed=st.booleans(),
    stamp=st.sampled_from(["", "2024/05/06 07:08:09 "]),
)
def test_the_view_words_a_generated_answer_as_it_did_before(
    data: st.DataObject, answer: Answer, typed: bool, stamp: str
) -> None:
    line = data.draw(_lines_of(answer))
    head = [f"$ tailscale {answer.command}"] if typed else []
    # (the CLI's log stamp goes before one-line answers only: a longer answer's header is never printed with one)
    document = run_json("\n".join([*head, (stamp if answer in ONE_LINE else "") + line]) + "\n")
    number = len(head) + 1
    said = [
        each["says"]
        for view in document["views"]
        if view["kind"] == "cli-answer"
        for each in view["answers"]
        if each["line"] == number
    ]
    if answer.says is None and not said:
        return  # an answer without words may be another view's line (a metric, a secret): nothing worded to compare
    assert said, (line, [view["kind"] for view in document["views"]])
    secret = answer.command in clianswers.SECRET_ANSWER_COMMANDS or line.startswith(clianswers.SECRET_ANSWER_PREFIXES)
    assert said == ["(secret not shown)" if secret else _old_says(line)]
