"""`probe slowloris --report FILE.html|.csv` against a real nginx, read back in a real headless Chromium.

The browser loads the page from disk (network features off); the test reads the chart from the DOM
Chromium built — the polylines' drawn points, turned back into counts with the axis scale the SVG
declares — and compares them with counts it computes itself from the probe's JSON of the same run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.support.ports import free_port, wait_for_port
from tests.support.tools import require_binary

pytestmark = pytest.mark.integration

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def slow_nginx(tmp_path: Path) -> Iterator[int]:
    """A real nginx whose client_header_timeout (2 s) cuts slow headers without a response (EOF)."""
    nginx = require_binary("nginx", "apt-get install nginx")
    port = free_port()
    (tmp_path / "logs").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/logs/error.log;\nevents {{ worker_connections 256; }}\n"
        "http {\n    access_log off;\n    client_header_timeout 2s;\n"
        f"    server {{ listen 127.0.0.1:{port}; location / {{ return 200; }} }}\n}}\n"
    )
    process = subprocess.Popen([nginx, "-p", f"{tmp_path}/", "-c", str(conf), "-g", "daemon off;"])
    try:
        wait_for_port("127.0.0.1", port, None, None)
        yield port
    finally:
        process.terminate()
        process.wait(10)


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def _dump_dom(page: Path) -> _Dom:
    chromium = require_binary("chromium", "apt-get install chromium (scripts/install-system-deps.sh)")
    with tempfile.TemporaryDirectory(prefix="opskit-chromium-") as profile:
        done = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "HOME": profile},
        )
    assert done.returncode == 0, done.stderr[-2000:]
    dom = _Dom()
    dom.feed(done.stdout)
    return dom


def _expected_counts(connections: list[dict[str, Any]], t: float) -> dict[str, int]:
    """The test's own reading of the JSON: which state each connection is in at time t."""
    # Every ending the probe measured is a series: nginx cutting a slow header is EOF, but a loaded machine
    # can see a reset (RST) instead, and a 408 where a server answers; each is drawn as what it was.
    counts = {"pending": 0, "open": 0, "closed_eof": 0}
    for c in connections:
        if t < c["opened_at"] or c["connected_at"] is None:
            continue
        if t < c["connected_at"]:
            counts["pending"] += 1
        elif c["ending"] == "held" or t < c["connected_at"] + c["lifetime"]:
            counts["open"] += 1
        else:
            counts[f"closed_{c['ending']}"] = counts.get(f"closed_{c['ending']}", 0) + 1
    return counts


def test_html_report_draws_the_measured_states(cli: Any, slow_nginx: int, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    url = f"http://127.0.0.1:{slow_nginx}/<b>not-markup</b>"
    result = cli(
        ["probe", "slowloris", url, "-c", "12", "-i", "0.5", "-t", "4", "--rate", "4",
         "--report", str(page), "--format", "json"]
    )  # fmt: skip
    assert result.exit_code == 1, result.stdout  # the last opened at ~2.75 s are still open at 4 s
    measured = json.loads(result.stdout)
    assert measured["endings"]["eof"] > 0 and measured["endings"]["held"] > 0

    text = page.read_text()
    assert "<script" not in text and "src=" not in text and "href=" not in text  # nothing fetched
    dom = _dump_dom(page)
    assert not any(tag == "b" for tag, _ in dom.elements)  # the URL's markup stayed text
    svg = next(attrs for tag, attrs in dom.elements if tag == "svg")
    left, top = float(svg["data-plot-left"]), float(svg["data-plot-top"])
    width, height = float(svg["data-plot-width"]), float(svg["data-plot-height"])
    x_max, y_max = float(svg["data-x-max"]), float(svg["data-y-max"])
    times = [float(t) for t in svg["data-times"].split(",")]
    drawn: dict[str, list[tuple[float, float]]] = {}
    for tag, attrs in dom.elements:
        if tag == "polyline" and attrs.get("class") == "series":
            points = [tuple(map(float, p.split(","))) for p in attrs["points"].split()]
            series = [((x - left) / width * x_max, (1 - (y - top) / height) * y_max) for x, y in points]
            drawn[attrs["data-series"]] = series
            assert [int(v) for v in attrs["data-values"].split(",")] == [round(v) for _, v in series]
    assert {"open", "closed_eof"} <= set(drawn)
    for name, series in drawn.items():
        assert len(series) == len(times)
        for (t_drawn, value), t in zip(series, times, strict=True):
            assert abs(t_drawn - t) < 0.002
            expected = _expected_counts(measured["per_connection"], t).get(name, 0)
            # a sample within a millisecond of an event may fall either side of it (JSON rounds to ms)
            assert abs(value - expected) < 0.01 or _near_an_event(measured["per_connection"], t), (name, t)
    legend = {attrs["data-series"] for tag, attrs in dom.elements if tag == "li" and "data-series" in attrs}
    assert legend == set(drawn)


def _near_an_event(connections: list[dict[str, Any]], t: float) -> bool:
    events = (
        [c["opened_at"] for c in connections]
        + [c["connected_at"] + c["lifetime"] for c in connections if c["connected_at"] is not None]
        + [c["connected_at"] for c in connections if c["connected_at"] is not None]
    )
    return any(abs(t - e) <= 0.002 for e in events)


def test_csv_report_counts_every_opened_connection_once(cli: Any, slow_nginx: int, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    result = cli(
        ["probe", "slowloris", f"http://127.0.0.1:{slow_nginx}/", "-c", "6", "-i", "0.5", "-t", "3",
         "--rate", "50", "--report", str(report), "--format", "json"]
    )  # fmt: skip
    measured = json.loads(result.stdout)
    rows = list(csv.DictReader(io.StringIO(report.read_text())))
    assert list(rows[0]) == ["seconds", "pending", "open", "closed_408", "closed_eof", "closed_rst",
                             "closed_response", "refused"]  # fmt: skip
    last = rows[-1]
    assert int(last["closed_eof"]) == measured["endings"]["eof"] == 6  # 2 s deadline, 3 s probe
    for row in rows:
        opened = sum(1 for c in measured["per_connection"] if c["opened_at"] <= float(row["seconds"]))
        total = sum(int(v) for k, v in row.items() if k != "seconds")
        assert total == opened or _near_an_event(measured["per_connection"], float(row["seconds"]))


def test_report_name_must_say_html_or_csv(cli: Any, tmp_path: Path) -> None:
    result = cli(["probe", "slowloris", "http://127.0.0.1:9/", "--report", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2 and "--report" in result.stderr
