"""Generated tests for the status/ping classes of misses blind batch 24 found.

Status rows re-aligned by hand (any spacing around the comma before ``tx`` and between the counts), rows
without the owner column (IP, host, OS, cell: the poster cut the login), and repeated ``tailscale ping``
runs to the same peer whose pongs add up.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.output.diagnose import to_json
from tests.diagnose.conftest import rule_ids, run_text

SPACES = st.sampled_from(["", " ", "  ", "   ", "\t"])
GAPS = st.sampled_from([" ", "  ", "   ", "\t"])
COLUMN_GAPS = st.sampled_from(["  ", "   ", "    ", "\t"])
IPS = st.sampled_from(["100.87.199.13", "100.64.0.7", "100.127.255.1", "100.x.y.z", "fd7a:115c:a1e0::12"])
# (cell before the counts, expected path, expected endpoint)
HEADS = [
    ("active; direct 46.48.65.87:1027", "direct", "46.48.65.87:1027"),
    ("active; direct [2001:db8::5]:41641", "direct", "[2001:db8::5]:41641"),
    ('active; relay "fra"', "derp", None),
    ("active; exit node; direct 178.249.214.2:51820", "direct", "178.249.214.2:51820"),
    ("idle", "idle", None),
]


def _peers(text: str) -> list[dict[str, Any]]:
    return list(to_json(run_text(text), 1)["peers"] or [])


@given(
    st.sampled_from(HEADS),
    SPACES,
    GAPS,
    GAPS,
    GAPS,
    st.integers(0, 10**10),
    st.integers(0, 10**10),
    st.booleans(),
    COLUMN_GAPS,
)
@settings(max_examples=150, deadline=None)
def test_tx_rx_are_read_whatever_the_spacing_around_the_comma_and_counts(
    head: tuple[str, str, str | None],
    after_comma: str,
    after_tx: str,
    between: str,
    after_rx: str,
    tx: int,
    rx: int,
    with_owner: bool,
    gap: str,
) -> None:
    cell, path, endpoint = head
    owner = f"me@{gap}" if with_owner else ""
    self_row = f"100.90.217.37{gap}firstvds{gap}{owner}linux{gap}-"
    row = (
        f"100.87.199.13{gap}proxmox{gap}{owner}linux{gap}{cell},{after_comma}tx{after_tx}{tx}{between}rx{after_rx}{rx}"
    )
    peers = _peers(f"{self_row}\n{row}\n")
    assert [(p["name"], p["self"], p["ip"], p["os"]) for p in peers] == [
        ("firstvds", True, "100.90.217.37", "linux"),
        ("proxmox", False, "100.87.199.13", "linux"),
    ], row
    peer = peers[1]
    assert (peer["path"], peer["endpoint"], peer["tx"], peer["rx"], peer["partial"]) == (
        path, endpoint, tx, rx, False
    ), row  # fmt: skip


OWNERLESS_CELLS = [
    ("-", "idle", False),
    ("idle", "idle", False),
    ("active; direct 77.42.120.71:41641, tx 306676320 rx 209625016", "direct", False),
    ('active; relay "hkg", tx 10 rx 20', "derp", False),
    ("offline, last seen 5d ago", "offline", True),
    ("offline", "offline", True),
]
OSES = st.sampled_from(["linux", "windows", "macOS", "android", "iOS", "freebsd"])


@given(
    IPS,
    st.sampled_from(["senaev-media", "nas", "host-1.example.ts.net"]),
    OSES,
    st.sampled_from(OWNERLESS_CELLS),
    COLUMN_GAPS,
)
@settings(max_examples=150, deadline=None)
def test_a_row_without_the_owner_column_keeps_its_ip_host_and_os(
    ip: str, host: str, os_name: str, cell: tuple[str, str, bool], gap: str
) -> None:
    text, path, offline = cell
    self_row = f"100.90.217.37{gap}firstvds{gap}linux{gap}-"
    row = f"{ip}{gap}{host}{gap}{os_name}{gap}{text}"
    diagnosis = run_text(f"{self_row}\n{row}\n")
    peers = list(to_json(diagnosis, 1)["peers"] or [])
    assert [(p["name"], p["ip"], p["os"], p["self"]) for p in peers] == [
        ("firstvds", "100.90.217.37", "linux", True),
        (host, "redacted" if "x" in ip else ip, os_name, False),
    ], row
    assert (peers[1]["path"], peers[1]["offline"]) == (path, offline), row
    assert "TS-INPUT-UNREAD" not in rule_ids(diagnosis)


def test_a_four_word_row_whose_first_word_is_not_a_tailnet_address_is_not_read_as_ownerless() -> None:
    # 192.168.x is no tailnet address: the row keeps the host/owner/OS reading (no IP column)
    peers = _peers("nas  alice@  linux  -\n192.168.1.4  nas  linux  -\n")
    assert all(p["ip"] != "192.168.1.4" for p in peers)


VIAS = [
    ("192.168.2.248:41641", "direct", "direct"),
    ("[2001:db8::1]:41641", "direct", "direct"),
    ("DERP(fra)", "derp", "relayed-only"),
]


@given(
    st.sampled_from(VIAS),
    st.integers(2, 5),
    st.integers(1, 3),
    st.sampled_from(["$ ", "# ", "PS C:\\> ", "user@host:~$ "]),
    st.sampled_from(["100.125.58.94", "device-name"]),
    st.booleans(),
)
@settings(max_examples=80, deadline=None)
def test_repeated_runs_to_the_same_peer_add_up_their_pongs(
    via: tuple[str, str, str], runs: int, per_run: int, prompt: str, target: str, blank: bool
) -> None:
    address, path, outcome = via
    text = ""
    for run in range(runs):
        text += f"{prompt}tailscale ping {target}\n"
        text += "".join(
            f"pong from device-name (100.125.58.94) via {address} in {100 + run + n}ms\n" for n in range(per_run)
        )
        text += "\n" if blank else ""
    pings = to_json(run_text(text), 1)["pings"]
    assert [(p["outcome"], p["path"], p["pongs"]) for p in pings] == [(outcome, path, runs * per_run)], text


def test_runs_with_another_outcome_or_target_stay_apart() -> None:
    text = (
        "$ tailscale ping nas\n"
        "pong from nas (100.64.0.2) via DERP(fra) in 40ms\n"
        "$ tailscale ping nas\n"
        "pong from nas (100.64.0.2) via 192.168.1.2:41641 in 2ms\n"
        "$ tailscale ping laptop\n"
        "pong from laptop (100.64.0.3) via 192.168.1.3:41641 in 3ms\n"
    )
    pings = to_json(run_text(text), 1)["pings"]
    assert [(p["target"], p["outcome"], p["pongs"]) for p in pings] == [
        ("nas", "relayed-only", 1),
        ("nas", "direct", 1),
        ("laptop", "direct", 1),
    ]


# ---------------------------------------------------------------- netcheck values with a note after them

NOTES = ["# UDP 可用", "# ⚠️ true 表示", "// why?", "<-- here", "<== this", "← home", "⬅ look", "#", "# (best)"]
# (line of the report, what the JSON says for it)
NETCHECK_LINES = [
    ("* UDP: true", ("udp", True)),
    ("* IPv4: yes, 120.192.215.66:11014", ("ipv4_scope", "public")),
    ("* MappingVariesByDestIP: true", ("mapping", "hard")),
    ("* HairPinning: false", ("hairpinning", False)),
    ("* PortMapping: UPnP, NAT-PMP", ("port_mapping", ("upnp", "nat-pmp"))),
    ("* CaptivePortal: false", ("captive_portal", False)),
    ("* Nearest DERP: Hong Kong", ("derp_home", "Hong Kong")),
]


def _node_fact(node: dict[str, Any], key: str) -> Any:
    if key == "ipv4_scope":
        return node["ipv4"]["scope"]
    if key == "port_mapping":
        return tuple(p.lower() for p in node["port_mapping"]["protocols"])
    return node[key]


@given(
    st.lists(st.sampled_from(NOTES), min_size=len(NETCHECK_LINES), max_size=len(NETCHECK_LINES)),
    st.lists(st.booleans(), min_size=len(NETCHECK_LINES) + 2, max_size=len(NETCHECK_LINES) + 2),
    st.sampled_from(["", "\t", "    "]),
    st.sampled_from([" ", "   ", "                          ", "\t"]),
    st.booleans(),
)
@settings(max_examples=120, deadline=None)
def test_a_note_typed_after_a_netcheck_value_does_not_hide_the_value(
    notes: list[str], annotated: list[bool], indent: str, gap: str, elided: bool
) -> None:
    lines = ["Report:"]
    for (line, _), note, on in zip(NETCHECK_LINES, notes, annotated, strict=False):
        lines.append(f"{indent}{line}{gap}{note}" if on else f"{indent}{line}")
    lines.append(f"{indent}* DERP latency:")
    lines.append(f"{indent}{indent or ' '}- hkg: 65.1ms  (Hong Kong)" + (f"{gap}{notes[0]}" if annotated[-2] else ""))
    lines.append(f"{indent}{indent or ' '}- tok: 85.7ms" + (f"{gap}{notes[1]}" if annotated[-1] else "  (Tokyo)"))
    if elided:
        lines.append(f"{indent}{indent or ' '}- ...")
    text = "$ tailscale netcheck\n" + "\n".join(lines) + "\n"
    nodes = to_json(run_text(text), 1)["nodes"]
    assert len(nodes) == 1, text
    node = nodes[0]
    for _, (key, want) in NETCHECK_LINES:
        assert _node_fact(node, key) == want, (key, text)
    assert node["derp_home_region"]["code"] == "hkg", text
    assert [(r["code"], r["latency_ms"]) for r in node["derp_latencies"]] == [("hkg", 65.1), ("tok", 85.7)], text
