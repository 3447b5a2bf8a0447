"""More than four nodes: the compact pair matrix, and `--graph FILE.svg|.dot` drawn by the real Graphviz."""

from __future__ import annotations

import json
import re
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.engine import InputText, diagnose
from opskit.output.diagnose_graph import build_dot
from tests.diagnose.conftest import SAMPLES, SCENARIO
from tests.support.tools import require_binary

NETCHECK = SAMPLES / "netcheck"
SIX = [
    SCENARIO / "A.txt",
    SCENARIO / "B.txt",
    SCENARIO / "C.txt",
    NETCHECK / "easy-nat-upnp-custom-derp-headscale.txt",
    NETCHECK / "hard-nat-natpmp-nairobi-bradfitz.txt",
    NETCHECK / "udp-blocked-wifi-v1.10.txt",
]
LABELS = ["A", "B", "C", "D", "E", "F"]


def _six(extra: list[str]) -> list[str]:
    args = ["diagnose", *map(str, SIX)]
    for label in LABELS:
        args += ["--label", label]
    return args + extra


def test_six_nodes_get_a_compact_glyph_matrix_with_legend(cli: Any) -> None:
    result = cli(_six([]))
    out = result.stdout
    pairs = {(p["a"], p["b"]): p["prediction"] for p in json.loads(cli(_six(["--format", "json"])).stdout)["pairs"]}
    glyph = {"direct-ipv4": "4", "direct-ipv6": "6", "direct-via-portmap": "P", "uncertain": "?", "derp-only": "D"}
    rows = {m.group(1): m.group(2).split() for m in re.finditer(r"^\d ([A-F])\s+│(.*)$", out, re.M)}
    assert sorted(rows) == LABELS
    for i, row in enumerate(LABELS):
        cells = [c for c in rows[row] if c != "│"]
        for j, column in enumerate(LABELS):
            expected = "·" if i == j else glyph[pairs.get((row, column)) or pairs[(column, row)]]
            assert cells[j] == expected, (row, column)
    assert "D DERP relay only" in out and "4 direct over IPv4" in out
    assert "direct via C's port mapping, once C has sent" not in out  # no sentences in cells


def test_graph_svg_draws_every_node_and_pair_with_graphviz(cli: Any, tmp_path: Path) -> None:
    require_binary("dot", "apt-get install graphviz")
    svg = tmp_path / "paths.svg"
    result = cli(_six(["--graph", str(svg)]))
    assert result.exit_code == 1  # F's blocked UDP is an error finding
    text = svg.read_text()
    nodes = re.findall(r'<g id="node\d+" class="node">\s*<title>(n\d)</title>', text)
    edges = re.findall(r'<g id="edge\d+" class="edge">\s*<title>(n\d)&#45;&#45;(n\d)</title>', text)
    assert sorted(nodes) == [f"n{i}" for i in range(6)]
    assert len({frozenset(e) for e in edges}) == 15  # every pair once
    assert "unknown NAT, UDP blocked" in text
    dotted_red = len(re.findall(r'stroke="#d62728"[^>]*stroke-dasharray="1,5"', text))
    assert dotted_red == 5  # F reaches nobody directly: DERP only to each of the other five


def test_graph_dot_writes_the_text_and_bad_names_are_refused(cli: Any, tmp_path: Path) -> None:
    dot = tmp_path / "paths.dot"
    assert cli(_six(["--graph", str(dot)])).exit_code == 1
    assert dot.read_text().startswith("graph opskit_diagnose {")
    bad = cli(_six(["--graph", str(tmp_path / "paths.png")]))
    assert bad.exit_code == 2 and "--graph" in bad.stderr


label_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=30
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(label_text, min_size=2, max_size=2, unique_by=str.lower))
def test_hostile_labels_stay_labels_in_the_drawn_graph(labels: list[str]) -> None:
    dot_binary = require_binary("dot", "apt-get install graphviz")
    texts = [path.read_text() for path in SIX[:2]]
    result = diagnose(
        [InputText(label, f"in{i}", text) for i, (label, text) in enumerate(zip(labels, texts, strict=True))]
    )
    done = subprocess.run([dot_binary, "-Tsvg"], input=build_dot(result), capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert len(re.findall(r'class="node"', done.stdout)) == 2
    assert len(re.findall(r'class="edge"', done.stdout)) == 1
    drawn = [unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", done.stdout)]
    for label in labels:
        first_line = "".join(ch if ch.isprintable() else "?" for ch in label.split("\n")[0])
        assert first_line.strip() == "" or any(first_line.strip() in line for line in drawn), (label, drawn)


@pytest.mark.parametrize("count", [2, 4])
def test_up_to_four_nodes_keep_the_spelled_out_matrix(cli: Any, count: int) -> None:
    args = ["diagnose", *map(str, SIX[:count])]
    for label in LABELS[:count]:
        args += ["--label", label]
    out = cli(args).stdout
    assert "direct (IPv4)" in out and "4 direct over IPv4" not in out
