"""Pictures of `opskit diagnose` for more than a handful of nodes: a compact pair matrix and a graph.

Past four nodes the sentence-per-cell matrix no longer fits a terminal. The compact matrix shows one
glyph per pair with a legend (the reasons stay in the finding panels and the JSON); ``--graph`` draws
nodes and expected paths with Graphviz: solid for direct, dashed for direct via a port mapping (an
arrow to the node whose mapping carries it), dotted red for DERP only, grey for uncertain.

The DOT text is built here, every label escaped; the adapter only runs ``dot -Tsvg`` on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from opskit.core.diagnose.engine import Diagnosis
from opskit.core.diagnose.paths import PairPrediction, Prediction

if TYPE_CHECKING:
    from rich.console import Console

COMPACT_ABOVE = 4  # nodes; up to this many the matrix spells each pair out

GLYPH = {
    Prediction.DIRECT_IPV6: "6",
    Prediction.DIRECT_IPV4: "4",
    Prediction.DIRECT_PORTMAP: "P",
    Prediction.UNCERTAIN: "?",
    Prediction.DERP_ONLY: "D",
}
LEGEND = {
    Prediction.DIRECT_IPV6: "direct over IPv6",
    Prediction.DIRECT_IPV4: "direct over IPv4",
    Prediction.DIRECT_PORTMAP: "direct via a port mapping, once the mapped node has sent (graph: arrow to it)",
    Prediction.UNCERTAIN: "uncertain: see the findings",
    Prediction.DERP_ONLY: "DERP relay only",
}
SEEN_MARK = "*"

EDGE_STYLE = {
    Prediction.DIRECT_IPV6: 'style=solid, color="#006d2c", penwidth=3',
    Prediction.DIRECT_IPV4: 'style=solid, color="#2ca02c", penwidth=2',
    Prediction.DIRECT_PORTMAP: 'style=dashed, color="#1f77b4", penwidth=2',
    Prediction.UNCERTAIN: 'style=dashed, color="#999999"',
    Prediction.DERP_ONLY: 'style=dotted, color="#d62728", penwidth=2',
}
GRAPH_LEGEND = (
    "solid green: direct (thick, dark: over IPv6)\n"
    "dashed blue: direct via the port mapping of the node the arrow points to\n"
    "dotted red: DERP relay only    dashed grey: uncertain"
)


def _pair(predictions: Sequence[PairPrediction], a: str, b: str) -> PairPrediction | None:
    return next((p for p in predictions if p.involves(a, b)), None)


def compact_cells(diagnosis: Diagnosis) -> list[list[str]]:
    """The glyph grid: row i, column j is the pair (node i, node j); ``·`` on the diagonal.

    A ``*`` after the glyph: status/ping output showed a path for that pair (JSON has which).
    """
    labels = [p.label for p in diagnosis.profiles]
    seen = {frozenset((o.observer, o.peer)) for o in diagnosis.observations}
    grid: list[list[str]] = []
    for row in labels:
        cells = []
        for column in labels:
            pair = _pair(diagnosis.predictions, row, column) if row != column else None
            if pair is None:
                cells.append("·")
                continue
            mark = SEEN_MARK if frozenset((row, column)) in seen else ""
            cells.append(GLYPH[pair.prediction] + mark)
        grid.append(cells)
    return grid


def render_compact_matrix(diagnosis: Diagnosis, console: Console) -> None:
    """Numbered rows, numbered columns, one glyph per pair, then the legend of the glyphs in use."""
    from rich.markup import escape
    from rich.table import Table

    labels = [p.label for p in diagnosis.profiles]
    table = Table(title="Expected path per pair", title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("node")
    for number in range(1, len(labels) + 1):
        table.add_column(str(number), justify="center")
    for number, (label, cells) in enumerate(zip(labels, compact_cells(diagnosis), strict=True), start=1):
        table.add_row(f"{number} {escape(label)}", *cells)
    console.print(table)
    used = [p for p in Prediction if any(pair.prediction is p for pair in diagnosis.predictions)]
    legend = "  ".join(f"{GLYPH[p]} {LEGEND[p]}" for p in used)
    if diagnosis.observations:
        legend += f"  {SEEN_MARK} a path was seen in status/ping output"
    console.print(escape(legend))


def _dot_string(text: str) -> str:
    """A DOT double-quoted string: backslash and quote escaped, line breaks as DOT's ``\\n``."""
    cleaned = "".join(ch if ch.isprintable() or ch == "\n" else "?" for ch in text)
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def build_dot(diagnosis: Diagnosis) -> str:
    """The graph as DOT text: one node per profile (its NAT facts), one edge per pair."""
    ids = {profile.label: f"n{index}" for index, profile in enumerate(diagnosis.profiles)}
    lines = [
        "graph opskit_diagnose {",
        '  graph [layout=circo, fontname="DejaVu Sans", fontsize=11, labelloc=b, '
        f"label={_dot_string('opskit diagnose: expected path per pair' + chr(10) + GRAPH_LEGEND)}];",
        '  node [shape=box, style="rounded,filled", fillcolor="#f5f5f5", fontname="DejaVu Sans", fontsize=11];',
        '  edge [fontname="DejaVu Sans", fontsize=9];',
    ]
    for profile in diagnosis.profiles:
        udp = {True: "UDP ok", False: "UDP blocked", None: "UDP ?"}[profile.udp]
        facts = [profile.label, f"{profile.mapping.value} NAT, {udp}"]
        if profile.portmap_usable:
            facts.append("port mapping: " + profile.portmap_text)
        if profile.ipv6_global:
            facts.append("IPv6")
        lines.append(f"  {ids[profile.label]} [label={_dot_string(chr(10).join(facts))}];")
    for pair in diagnosis.predictions:
        if pair.a not in ids or pair.b not in ids:
            continue
        style = EDGE_STYLE[pair.prediction]
        if pair.prediction is Prediction.DIRECT_PORTMAP and pair.hard_side in ids:
            other = pair.b if pair.hard_side == pair.a else pair.a
            # an arrow towards the node whose mapping carries the path
            lines.append(f"  {ids[other]} -- {ids[pair.hard_side]} [{style}, dir=forward];")
        else:
            lines.append(f"  {ids[pair.a]} -- {ids[pair.b]} [{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
