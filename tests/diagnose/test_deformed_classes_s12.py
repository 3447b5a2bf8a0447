"""Generated tests for the deformation classes fixed by s12-deform (tests/diagnose/deform.py finds them).

Notes and elisions typed into a pasted ``tailscale status --json`` (after a value or on a line of their own, in
a whole document, a jq excerpt or a hand-cut fragment) and a long JSON string soft-wrapped onto the next line.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json

NOTES = st.sampled_from(["  # my NAS", "   <-- this one", "  // 这是家里的", "  (offline since monday)", " ← here",
                         "  // this is my laptop", " <- this one"])  # fmt: skip
OWN_LINE = st.sampled_from(["// this is my laptop", "# peers below", "<-- the broken one", "...", "…", "[snip]",
                            "(12 more lines)", "(cut)"])  # fmt: skip
OSES = st.sampled_from(["linux", "windows", "macOS", "iOS", "android"])
HOSTS = st.from_regex(r"[a-z][a-z0-9-]{2,12}", fullmatch=True)


def _peer(host: str, os_name: str, octet: int, relay: str, cur_addr: str, active: bool) -> dict[str, Any]:
    return {
        "ID": f"n{octet}CNTRL",
        "HostName": host,
        "DNSName": f"{host}.tail1234.ts.net.",
        "OS": os_name,
        "TailscaleIPs": [f"100.64.0.{octet}", f"fd7a:115c:a1e0::{octet:x}"],
        "Addrs": None,
        "CurAddr": cur_addr,
        "Relay": relay,
        "RxBytes": 1024 * octet,
        "TxBytes": 512 * octet,
        "Online": True,
        "ExitNode": False,
        "ExitNodeOption": False,
        "Active": active,
        "PeerAPIURL": [f"http://100.64.0.{octet}:41641"],
    }


def _expected(entry: dict[str, Any]) -> tuple[str, str, str, str]:
    path = "idle" if not entry["Active"] else ("direct" if entry["CurAddr"] else "derp")
    return entry["HostName"], entry["TailscaleIPs"][0], entry["OS"], path


def _annotate(text: str, draws: st.DataObject, notes: int, own_lines: int) -> str:
    """``text`` with notes typed after some of its lines (a value's end, not a wrapped piece of a string) and note
    or elision lines put between others."""
    lines = text.split("\n")
    ends = [i for i, line in enumerate(lines) if line.rstrip().endswith(('"', '",', "[", "]", "{", "}", ",", "true"))]
    for _ in range(notes if ends else 0):
        index = draws.draw(st.sampled_from(ends))
        lines[index] += draws.draw(NOTES)
    for _ in range(own_lines):
        index = draws.draw(st.integers(1, len(lines) - 1))
        indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
        lines.insert(index, indent + draws.draw(OWN_LINE))
    return "\n".join(lines)


@given(st.lists(st.tuples(HOSTS, OSES, st.sampled_from(["", "192.0.2.7:41641"]), st.booleans()), min_size=1,
                max_size=4), st.integers(0, 4), st.integers(0, 3), st.data())  # fmt: skip
@settings(max_examples=120, deadline=None)
def test_notes_and_elisions_typed_into_status_json_keep_every_peer(
    rows: list[tuple[str, str, str, bool]], notes: int, own_lines: int, draws: st.DataObject
) -> None:
    me = _peer("my-laptop", "windows", 1, "fra", "", False)
    peers = {
        f"nodekey:{n:04x}": _peer(f"{host}-{n}", os_name, n + 2, "mia", cur_addr, active)
        for n, (host, os_name, cur_addr, active) in enumerate(rows)
    }
    document = {"Version": "1.96.3", "BackendState": "Running", "Self": me, "Health": [], "Peer": peers}
    plain = json.dumps(document, indent=2)
    text = _annotate(plain, draws, max(notes, 1 - own_lines), own_lines)
    result = run_json("$ tailscale status --json\n" + text)
    shown = [(p["name"], p["ip"], p["os"], p["path"]) for p in result["peers"]]
    assert shown == [_expected(me), *map(_expected, peers.values())], text
    assert result["peers"][0]["self"] is True
    before = run_json("$ tailscale status --json\n" + plain)
    assert result["summary"]["exit_code"] == before["summary"]["exit_code"]
    assert [f["rule"] for f in result["findings"]] == [f["rule"] for f in before["findings"]]


@given(st.lists(st.sampled_from(["Online", "KeepAlive", "ExitNode", "ExitNodeOption", "Active"]), min_size=3,
                max_size=5, unique=True), st.data())  # fmt: skip
@settings(max_examples=60, deadline=None)
def test_a_note_after_a_field_of_a_hand_cut_peer_object_keeps_it_a_status(
    fields: list[str], draws: st.DataObject
) -> None:
    body = "\n".join(f'    "{name}": {"true" if name == "Online" else "false"},' for name in fields)
    text = _annotate(body, draws, draws.draw(st.integers(1, 3)), 0)
    blocks = run_json("```\n" + text + "\n```\n")["blocks"]
    assert [(b["kind"], b["layout"]) for b in blocks] == [("status", "json (fragment)")], text


HEALTH = [
    "Tailscale can't reach the configured DNS servers. Internet connectivity may be affected.",
    "Some peers are advertising routes but --accept-routes is false",
    "Unable to connect to the Tailscale coordination server to synchronize the state of your tailnet.",
]


@given(st.lists(st.sampled_from(HEALTH), min_size=1, max_size=3, unique=True), st.integers(40, 80), st.booleans(),
       st.integers(0, 2), st.data())  # fmt: skip
@settings(max_examples=100, deadline=None)
def test_a_jq_health_excerpt_wrapped_or_annotated_keeps_its_messages(
    messages: list[str], width: int, elided: bool, notes: int, draws: st.DataObject
) -> None:
    value = json.dumps(messages, indent=2)
    text = "\n".join(
        piece for line in value.split("\n") for piece in textwrap.wrap(line, width, break_on_hyphens=False) or [line]
    )
    text = _annotate(text, draws, notes, 0)
    paste = "$ tailscale status --json | jq -r '.Health'\n" + ("[snip]\n" if elided else "") + text + "\n"
    result = run_json(paste)
    health = [h for status in result["statuses"] or [] for h in status.get("health", [])]
    assert health == messages, paste


# (a log line under two stamps broken between them, `…-07:00: 2021/04/20 22:12:16` / `netcheck: report: …`, is
# left open: the tailscaled log takes the next line as the stamp's own message)
STAMPS = st.sampled_from(["", "2023/06/03 22:56:56 ", "2023-06-03 22:56:56.746992311 +0000 UTC: "])
REGIONS = st.sampled_from([(1, "nyc"), (2, "sfo"), (10, "sea"), (12, "ord"), (21, "tor")])


def _wrapped(line: str, width: int) -> str:
    return "\n".join(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False))


def _assert_read_as_unwrapped(line: str, width: int) -> None:
    wrapped = _wrapped(line, width)
    assert "\n" in wrapped
    before, after = run_json(line + "\n"), run_json(wrapped + "\n")
    facts = ("udp", "mapping", "derp_home", "derp_home_region", "port_mapping", "ipv6")
    assert [{k: n[k] for k in facts} for n in after["nodes"]] == [{k: n[k] for k in facts} for n in before["nodes"]]
    assert after["nodes"], wrapped
    assert after["summary"]["exit_code"] == before["summary"]["exit_code"], wrapped


@given(STAMPS, REGIONS, st.booleans(), st.booleans(), st.integers(40, 80))
@settings(max_examples=120, deadline=None)
def test_a_netcheck_report_log_line_soft_wrapped_at_a_width_is_read_whole(
    stamp: str, region: tuple[int, str], udp: bool, varies: bool, width: int
) -> None:
    number, code = region
    line = (
        f"{stamp}netcheck: report: udp={str(udp).lower()} v6=false v6os=true mapvarydest={str(varies).lower()} "
        f"hair=false portmap=U v4a=198.51.100.4:41641 derp={number} derpdist={number}v4:27ms,1v4:36ms"
    )
    _assert_read_as_unwrapped(line, width)


@given(STAMPS, REGIONS, st.booleans(), st.integers(40, 80))
@settings(max_examples=120, deadline=None)
def test_a_netinfo_log_line_soft_wrapped_at_a_width_is_read_whole(
    stamp: str, region: tuple[int, str], udp: bool, width: int
) -> None:
    number, code = region
    line = (
        f"{stamp}control: NetInfo: NetInfo{{varies=false hairpin=false ipv6=false udp={str(udp).lower()} "
        f'derp=#{number} portmap=U link=""}}'
    )
    _assert_read_as_unwrapped(line, width)
    assert [(n["udp"], n["derp_home_region"]["code"]) for n in run_json(line)["nodes"]] == [(udp, code)]
