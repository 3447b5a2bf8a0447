"""The probe timeline and its report pages, pure: counts add up, hostile text stays text."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.probe.slowloris import ConnectionResult, Ending, ProbePlan, judge
from opskit.core.probe.timeline import SERIES_NAMES, build_timeline, state_at
from opskit.output.probe_report import render_csv, render_html

connection = st.builds(
    lambda index, ending, opened, delay, lifetime: ConnectionResult(
        index,
        ending,
        lifetime,
        opened_at=opened,
        connected_at=None if ending is Ending.REFUSED else opened + delay,
    ),
    st.integers(0, 10_000),
    st.sampled_from(list(Ending)),
    st.floats(0, 20, allow_nan=False),
    st.floats(0, 2, allow_nan=False),
    st.floats(0, 20, allow_nan=False),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(connection, max_size=40), st.floats(0.1, 40, allow_nan=False))
def test_every_opened_connection_is_in_exactly_one_state(results: list[ConnectionResult], elapsed: float) -> None:
    timeline = build_timeline(results, elapsed, samples=50)
    for index, t in enumerate(timeline.times):
        opened = sum(1 for r in results if r.opened_at <= t)
        assert sum(timeline.series[name][index] for name in SERIES_NAMES) == opened


def test_a_cut_connection_moves_from_open_to_its_ending() -> None:
    results = [ConnectionResult(0, Ending.HTTP_408, 3.0, opened_at=1.0, connected_at=1.5)]
    timeline = build_timeline(results, 6.0, samples=7)  # t = 0, 1, …, 6
    assert timeline.series["pending"] == (0, 1, 0, 0, 0, 0, 0)
    assert timeline.series["open"] == (0, 0, 1, 1, 1, 0, 0)
    assert timeline.series["closed_408"] == (0, 0, 0, 0, 0, 1, 1)
    rows = list(csv.reader(io.StringIO(render_csv(timeline))))
    assert rows[0][0] == "seconds" and rows[6] == ["5.000", "0", "0", "1", "0", "0", "0", "0"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.add(tag)
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "svg", "rect", "line", "text",
             "polyline", "ul", "li", "span", "table", "tr", "td", "th", "code"}  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=60))
def test_hostile_paths_stay_text_in_the_html_page(path: str) -> None:
    plan = ProbePlan("http", "127.0.0.1", 8080, "/" + path, 2, 1.0, 5.0, 10.0)
    results = [ConnectionResult(0, Ending.EOF, 2.0, opened_at=0.0, connected_at=0.0),
               ConnectionResult(1, Ending.HELD, 5.0, opened_at=0.1, connected_at=0.1)]  # fmt: skip
    report = judge(plan, results, 5.0)
    parsed = _Tags()
    parsed.feed(render_html(report, build_timeline(results, 5.0), "127.0.0.1"))
    assert parsed.tags <= PAGE_TAGS
    assert parsed.title == f"opskit probe slowloris: http://127.0.0.1:8080/{path}"


@settings(max_examples=200, deadline=None)
@given(st.lists(connection, max_size=30), st.floats(0.1, 40, allow_nan=False), st.integers(2, 60))
def test_the_sweep_counts_what_the_per_connection_definition_says(
    results: list[ConnectionResult], elapsed: float, samples: int
) -> None:
    timeline = build_timeline(results, elapsed, samples)
    for index, t in enumerate(timeline.times):
        states = [state_at(r, t) for r in results]
        assert {name: timeline.series[name][index] for name in SERIES_NAMES} == {
            name: states.count(name) for name in SERIES_NAMES
        }
