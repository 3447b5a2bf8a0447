"""Custom DERP regions without a RegionName, and notes posters type after a row.

`tailscale netcheck` prints the preferred region's RegionName after "Nearest DERP:" and the same name in
parentheses on its latency row (cmd/tailscale/cli/netcheck.go): a custom region with only a RegionCode
leaves both blank. Posters also type notes after a row (`<--- seems good`, `<-- not ok`, `# this one`).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_text

PREFIXES = ["", "\t", "        ", "> "]
NOTES = ["", "     <--- seems good", "  <-- this one", "   # fastest", "  ← home", "  // ours"]
CODES = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{1,15}", fullmatch=True)


def _netcheck(prefix: str, nearest: str, rows: list[str]) -> str:
    body = [
        "Report:",
        "\t* UDP: true",
        "\t* IPv4: yes, 233.233.233.233:2333",
        "\t* IPv6: no, but OS has support",
        "\t* MappingVariesByDestIP:",
        "\t* PortMapping: UPnP, NAT-PMP, PCP",
        f"\t* Nearest DERP:{nearest}",
        "\t* DERP latency:",
        *(f"\t\t{row}" for row in rows),
    ]
    return "\n".join(prefix + line if prefix.strip() else line.replace("\t", prefix or "\t") for line in body) + "\n"


def _node(text: str) -> dict[str, Any]:
    nodes = to_json(run_text(text), 1)["nodes"]
    assert len(nodes) == 1, text
    return nodes[0]


@given(st.sampled_from(PREFIXES), CODES, st.sampled_from(NOTES), st.lists(CODES, max_size=3, unique=True))
@settings(max_examples=80, deadline=None)
def test_a_blank_nearest_derp_is_the_one_answering_region_without_a_name(
    prefix: str, code: str, note: str, named: list[str]
) -> None:
    others = [f"- {other.lower()}x: {20 + n}.1ms   (City {n})" for n, other in enumerate(named)]
    text = _netcheck(prefix, "", [f"- {code}: 9.3ms   (){note}", *others])
    node = _node(text)
    assert node["derp_home"] == code, text
    assert node["derp_home_state"] == "ok"
    assert [(d["code"], d["name"]) for d in node["derp_latencies"]][0] == (code, "")


@given(st.sampled_from(PREFIXES), st.lists(CODES, min_size=2, max_size=4, unique_by=str.lower))
@settings(max_examples=40, deadline=None)
def test_several_unnamed_regions_leave_the_home_unknown(prefix: str, codes: list[str]) -> None:
    text = _netcheck(prefix, "", [f"- {code}: {5 + n}.0ms   ()" for n, code in enumerate(codes)])
    node = _node(text)
    assert node["derp_home"] is None, text
    assert node["derp_home_state"] == "unknown"


@given(st.sampled_from(NOTES[1:]), st.sampled_from(["Frankfurt", "São Paulo", "New York City"]))
@settings(max_examples=30, deadline=None)
def test_a_note_after_a_named_region_row_is_not_its_name(note: str, name: str) -> None:
    text = _netcheck("", f" {name}", [f"- abc: 5.9ms   ({name}){note}", "- xyz: 40.0ms   (Elsewhere)"])
    node = _node(text)
    assert [(d["code"], d["name"], d["latency_ms"]) for d in node["derp_latencies"]] == [
        ("abc", name, 5.9),
        ("xyz", "Elsewhere", 40.0),
    ]
    assert node["derp_home"] == name


CELLS = [
    ('active; relay "tencent-sh", tx 17168 rx 0', "derp", "tencent-sh", 17168, 0),
    ("active; direct 192.168.1.33:41641, tx 9128 rx 16840", "direct", None, 9128, 16840),
    ('active; relay "fra"', "derp", "fra", None, None),
    ("-", "idle", None, None, None),
    ("offline", "offline", None, None, None),
]


@given(st.sampled_from(CELLS), st.sampled_from(NOTES[1:] + ["   <== broken", "\t<-- not ok"]))
@settings(max_examples=60, deadline=None)
def test_a_note_after_a_status_cell_is_not_part_of_the_cell(cell: tuple[Any, ...], note: str) -> None:
    text_cell, path, relay, tx, rx = cell
    row = f"100.66.102.23   ubuntu           ppcelery@    linux   {text_cell}{note}"
    peers = [p for p in to_json(run_text(f"100.66.102.1    me   ppcelery@    linux   -\n{row}\n"), 1)["peers"]]
    peer = next(p for p in peers if p["ip"] == "100.66.102.23")
    assert (peer["path"], (peer["derp"] or {}).get("code"), peer["tx"], peer["rx"]) == (path, relay, tx, rx), row
    assert peer["evidence"].split() == row.split()  # the line as pasted (tabs shown as spaces)
