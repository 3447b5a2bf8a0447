"""No input, however garbled, may produce a traceback: every parser and the whole engine are fuzzed.

The engine may only answer with a Diagnosis or an InputError (exit 2). Mutations start from the real
samples (cut, shuffled, duplicated, characters replaced), plus pure random text.
"""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.blocks import split_input
from opskit.core.diagnose.engine import InputText, diagnose
from opskit.core.diagnose.netcheck import parse_netcheck_log, parse_netcheck_text
from opskit.core.diagnose.ping import parse_os_ping, parse_ping
from opskit.core.diagnose.status import parse_status
from opskit.core.diagnose.text import SourceLine, split_lines
from opskit.core.diagnose.windows import parse_windows, parse_windows_error
from opskit.errors import InputError
from tests.diagnose.conftest import SAMPLES, SCENARIO

CORPUS = [p.read_text() for p in sorted(SAMPLES.rglob("*.txt"))] + [
    p.read_text() for p in sorted(SCENARIO.glob("*.txt"))
]
FRAGMENTS = [
    "Report:", "* UDP: ", "* IPv4: yes, ", "* IPv6: yes, [", "* MappingVariesByDestIP: ", "- fra: ",
    "- 1, nyc = ", "pong from ", " via DERP(", " in 1.0", "active; relay \"", "; offline", ", tx 1 rx ",
    "NetInfo{varies=",
    "report: udp=", "derpdist=1v4:", "401 Unauthorized: Tailscale running in server mode (\"", "\\\\",
    "\"", "{",
    "}", "[", "]", "PS C:\\> ", "$ ", "```", "\t", "  ", "\u201c", "\u2026", "\x00", "\r", "\n",
]  # fmt: skip
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=60).map("".join),
    st.builds(
        lambda base, cut, tail: base[: cut % (len(base) + 1)] + tail,
        st.sampled_from(CORPUS),
        st.integers(min_value=0, max_value=10_000),
        st.text(max_size=20),
    ),
    st.builds(
        lambda base, seed: "\n".join(sorted(base.splitlines(), key=lambda s: hash((s, seed)))),
        st.sampled_from(CORPUS),
        st.integers(),
    ),
    st.builds(
        lambda base, pos, junk: base[:pos] + junk + base[pos + len(junk) :],
        st.sampled_from(CORPUS),
        st.integers(min_value=0, max_value=2000),
        st.text(min_size=1, max_size=6),
    ),
)


def _lines(text: str) -> list[SourceLine]:
    return split_lines(text)


@FUZZ
@given(texts)
def test_every_parser_survives(text: str) -> None:
    lines = _lines(text)
    parse_netcheck_text(lines)
    parse_status(lines)
    parse_ping(lines, lines[0].command if lines else None)
    parse_os_ping(lines)
    parse_windows(lines)
    for line in lines:
        parse_netcheck_log(line)
        parse_windows_error(line)
    split_input(text)


@FUZZ
@given(st.lists(texts, min_size=1, max_size=4))
def test_engine_answers_with_a_diagnosis_or_an_input_error(pastes: list[str]) -> None:
    inputs = [InputText(f"n{i}", f"n{i}.txt", text) for i, text in enumerate(pastes)]
    try:
        diagnosis = diagnose(inputs)
    except InputError as error:
        assert error.describe()
        return
    for finding in diagnosis.findings:
        assert finding.cause and finding.fix


@FUZZ
@given(st.binary(max_size=600))
def test_binary_input_never_crashes(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    with contextlib.suppress(InputError):
        diagnose([InputText("bin", "bin", text)])


def test_json_cut_at_every_position_never_crashes() -> None:
    document = (
        '{"UDP": true, "IPv4": true, "MappingVariesByDestIP": "", "PreferredDERP": 1, '
        '"RegionLatency": {"1": 5000000, "2": "x"}, "GlobalV4": "198.51.100.1:1", "UPnP": "true"}'
    )
    for cut in range(len(document) + 1):
        with contextlib.suppress(InputError):
            diagnose([InputText("j", "j", document[:cut])])


def test_fuzz_corpus_holds_every_sample_and_the_scenario() -> None:
    assert (
        len(CORPUS) == len(list(SAMPLES.rglob("*.txt"))) + len(list(SCENARIO.glob("*.txt"))) >= 161
    )  # every sample, and never an empty glob
