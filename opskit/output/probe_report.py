"""``probe slowloris --report FILE.html|.csv``: connection states over time, for people and spreadsheets.

The HTML page is self-contained (inline SVG and CSS, no script, no font or image fetched from
anywhere) so it opens from a mail attachment or an air-gapped host. Every drawn series also carries its
numbers as ``data-*`` attributes, which the browser test reads back and compares with the CSV. Every
value that reaches the page is escaped.
"""

from __future__ import annotations

import csv
import io
import math
from html import escape

from opskit.core.probe.slowloris import ProbeReport
from opskit.core.probe.timeline import SERIES, SERIES_NAMES, Timeline

COLOURS = {
    "pending": "#e0a100",
    "open": "#d62728",
    "closed_408": "#2ca02c",
    "closed_eof": "#1f77b4",
    "closed_rst": "#9467bd",
    "closed_response": "#17becf",
    "refused": "#7f7f7f",
}
WIDTH, HEIGHT = 960, 420
LEFT, RIGHT, TOP, BOTTOM = 60, 20, 20, 50


def render_csv(timeline: Timeline) -> str:
    """One row per sample: ``seconds`` then the count of connections in each state."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["seconds", *SERIES_NAMES])
    for row in timeline.rows():
        writer.writerow([f"{row[0]:.3f}", *(str(int(v)) for v in row[1:])])
    return buffer.getvalue()


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def render_svg(timeline: Timeline) -> str:
    """The chart: one polyline per state (states nobody was in are left out), axes, gridlines."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    x_max = timeline.times[-1] if timeline.times and timeline.times[-1] > 0 else 1.0
    y_max = _nice_ceiling(max((max(v) for v in timeline.series.values() if v), default=1))

    def x(t: float) -> float:
        return LEFT + t / x_max * plot_w

    def y(v: float) -> float:
        return TOP + (1 - v / y_max) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="timeline" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="connection states over time" '
        f'data-x-max="{x_max:.6f}" data-y-max="{_fmt(y_max)}" data-plot-left="{LEFT}" data-plot-top="{TOP}" '
        f'data-plot-width="{plot_w}" data-plot-height="{plot_h}" '
        f'data-times="{escape(",".join(f"{t:.6f}" for t in timeline.times))}">',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#999"/>',
    ]
    for i in range(6):
        value = y_max * i / 5
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#eee"/>'
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" class="tick">{_fmt(value)}</text>'
        )
    for i in range(11):
        t = x_max * i / 10
        parts.append(f'<text x="{x(t):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" class="tick">{_fmt(t)}</text>')
    parts.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 8}" text-anchor="middle">seconds since the probe started</text>'
        f'<text x="14" y="{TOP + plot_h / 2}" text-anchor="middle" transform="rotate(-90 14 {TOP + plot_h / 2})">'
        "connections</text>"
    )
    for name in SERIES_NAMES:
        values = timeline.series[name]
        if not any(values):
            continue
        points = " ".join(f"{x(t):.2f},{y(v):.2f}" for t, v in zip(timeline.times, values, strict=True))
        parts.append(
            f'<polyline class="series" data-series="{escape(name)}" '
            f'data-values="{escape(",".join(str(v) for v in values))}" fill="none" '
            f'stroke="{COLOURS[name]}" stroke-width="2" points="{points}"/>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def render_html(report: ProbeReport, timeline: Timeline, address: str) -> str:
    """The whole report page: what was sent, the chart with its legend, the endings, the verdict."""
    plan = report.plan
    target = f"{plan.scheme}://{plan.host_header}{plan.path}"
    present = [(name, label) for name, label in SERIES if any(timeline.series[name])]
    legend = "".join(
        f'<li data-series="{escape(name)}"><span class="swatch" style="background:{COLOURS[name]}"></span>'
        f"{escape(name)}: {escape(label)}</li>"
        for name, label in present
    )
    endings = "".join(
        f"<tr><td>{escape(ending)}</td><td>{count}</td></tr>" for ending, count in report.endings.items() if count
    )
    plan_lines = "".join(f"<li><code>{escape(line)}</code></li>" for line in plan.describe())
    interrupted = " (interrupted by Ctrl-C: partial result)" if report.interrupted else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>opskit probe slowloris: {escape(target)}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; color: #222; }}
.tick {{ font-size: 11px; fill: #555; }}
svg text {{ font-size: 12px; }}
ul.legend {{ list-style: none; padding: 0; columns: 2; }}
.swatch {{ display: inline-block; width: 1em; height: 0.6em; margin-right: 0.4em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 0.2em 0.6em; }}
.verdict {{ font-weight: bold; }}
</style>
</head>
<body>
<h1>slowloris probe of {escape(target)} ({escape(address)})</h1>
<p class="verdict" id="verdict">{escape(str(report.verdict).upper())}: {escape(report.summary)}{escape(interrupted)}</p>
<p>{escape(report.explanation)}</p>
<h2>Connection states over time</h2>
{render_svg(timeline)}
<ul class="legend">{legend}</ul>
<h2>How the connections ended</h2>
<table id="endings"><tr><th>ended by</th><th>connections</th></tr>{endings}</table>
<h2>What was sent</h2>
<ul>{plan_lines}</ul>
<p>Elapsed {report.elapsed:.1f} s. Generated by opskit probe slowloris.</p>
</body>
</html>
"""
