"""Generated tests for the deformation classes fixed by s12-deform3 (tests/diagnose/deform.py finds them).

A status row without a Tailscale address (Headscale's blank column, a custom prefix) soft-wrapped inside its status
cell, at 60-110 columns (deform's wrap-100 among them); a row cut right after its address and name, its long owner
column on the next line; netcheck's 2020 STUN log soft-wrapped at a space; health items re-wrapped at 40-50
columns, told from prose typed under the item by the sentence going on.
"""

from __future__ import annotations

import textwrap
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json
from tests.diagnose.test_deformed_classes_s12b import (
    DNS_OS_MESSAGES,
    IPTABLES_MESSAGES,
    LOGIN_ERROR_MESSAGES,
    RELAY_MESSAGES,
    SSH_ACL_MESSAGES,
    health_items,
)

OCTET = st.integers(1, 254)
LAN_IPV4 = st.tuples(st.sampled_from([10, 172, 192]), OCTET, OCTET, OCTET).map(lambda q: ".".join(map(str, q)))
PUBLIC_IPV4 = st.tuples(st.sampled_from([23, 66, 89, 203]), OCTET, OCTET, OCTET).map(lambda q: ".".join(map(str, q)))
HOST = st.from_regex(r"[a-z][a-z0-9]{2,8}(-[a-z0-9]{2,4}){0,2}", fullmatch=True)  # fits the name column
OWNER = st.sampled_from(["default", "admin", "mca", "hs", "kovacs"])
OS = st.sampled_from(["linux", "windows", "macOS", "android", "iOS"])
COUNT = st.integers(0, 99_999_999)
PATH = st.one_of(
    st.sampled_from(["webc", "headscale", "thk", "fra"]).map(lambda code: f'relay "{code}"'),
    st.tuples(LAN_IPV4, st.integers(1024, 65535)).map(lambda e: f"direct {e[0]}:{e[1]}"),
    st.tuples(OCTET, st.integers(1024, 65535)).map(lambda e: f"direct xxxx:{e[1]}"),
)
PEER_FACTS = ("name", "ip", "os", "self", "path", "endpoint", "derp", "tx", "rx", "offline")


def _wrapped_at_space(text: str, width: int) -> str:
    """Each line longer than ``width`` broken at its last space before it, as deform.py's wrap edits do (the
    indentation kept on the first piece: a mail client or a text box does not re-indent)."""
    out: list[str] = []
    for line in text.split("\n"):
        while len(line) > width and " " in line[1:width]:
            cut = line.rfind(" ", 1, width)
            out.append(line[:cut])
            line = line[cut + 1 :]
        out.append(line)
    return "\n".join(out)


def _peers(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [{key: peer[key] for key in PEER_FACTS} for peer in document["peers"]]


# offline: a peer without an address is one the coordination server has not given one or no longer lists as
# online (the corpus's Headscale and logged-out rows); an online addressless row is not read as a row yet
ROW = st.tuples(HOST, OWNER, OS, PATH, st.just(True), COUNT, COUNT)


def _row(address: str, peer: tuple[str, str, str, str, bool, int, int]) -> str:
    name, owner, os, path, offline, tx, rx = peer
    cell = f"active; {path}; {'offline, ' if offline else ''}tx {tx} rx {rx}"
    return f"{address:<16}{name:<21}{owner:<13}{os:<8}{cell}"


@given(st.sampled_from(["10.1.0.5", "10.10.0.3", "192.168.100.1"]), HOST,
       st.lists(ROW, min_size=1, max_size=4, unique_by=lambda r: r[0]), st.integers(60, 110),
       st.sampled_from(["$ tailscale status\n", "", "```\n"]))  # fmt: skip
@settings(max_examples=100, deadline=None)
def test_an_addressless_row_wrapped_inside_its_cell_keeps_its_peer(
    self_address: str, self_name: str, rows: list[tuple[str, str, str, str, bool, int, int]], width: int, lead: str
) -> None:
    # the rows under a self row with a custom prefix (or none: Headscale without addresses), each peer's address
    # column blank; typed under `tailscale status`, or a bare table (its first row has the address)
    assume(self_name not in {r[0] for r in rows})
    table = "\n".join([f"{self_address:<16}{self_name:<21}default      linux   -", *(_row("", r) for r in rows)])
    wrapped = _wrapped_at_space(table, width)
    assume(wrapped != table)
    before, after = run_json(lead + table + "\n"), run_json(lead + wrapped + "\n")
    assert len(before["peers"]) == len(rows) + 1
    assert _peers(after) == _peers(before), wrapped
    assert after["summary"]["exit_code"] == before["summary"]["exit_code"]


@given(st.from_regex(r"100\.64\.0\.([2-9]|[1-9][0-9])", fullmatch=True), HOST,
       st.from_regex(r"[0-9a-f]{40,64}", fullmatch=True), OS, st.sampled_from(["-", "idle, tx 1052 rx 860", "offline"]),
       st.integers(60, 110))  # fmt: skip
@settings(max_examples=60, deadline=None)
def test_a_row_cut_after_its_address_and_name_takes_its_long_owner_column(
    address: str, name: str, digest: str, os: str, cell: str, width: int
) -> None:
    # a Headscale OIDC user as the owner column (`https://auth…/application/o/headscale/<hash>`, corpus 745): the
    # rest of the row alone reads as a row without an address; a row is never printed as address and name alone
    owner = f"https://auth.example.cn/application/o/headscale/{digest}"
    table = f"100.64.0.1   self-node   {owner}  linux  -\n{address:<12} {name:<17} {owner}  {os}  {cell}\n"
    wrapped = _wrapped_at_space(table, width)
    # each row cut once, right after its name (the owner has no space); a text box wide enough to hold the owner
    # but not its row cuts again after it (` linux  -` alone: left open)
    assume(wrapped.count("\n") == table.count("\n") + 2)
    before, after = run_json("$ tailscale status\n" + table), run_json("$ tailscale status\n" + wrapped)
    assert [p["name"] for p in after["peers"]] == ["self-node", name], wrapped
    assert _peers(after) == _peers(before), wrapped


SERVERS = st.lists(st.integers(1, 9), min_size=1, max_size=4, unique=True)
LATENCY = st.floats(1, 900).map(lambda ms: f"{ms:.6f}ms")
STAMP = st.sampled_from(["2020/03/17 19:20:48 ", "2020/03/04 08:01:59.123456 ", ""])
NODE_FACTS = ("udp", "ipv4", "ipv6", "mapping", "mapping_varies_by_dest_ip", "derp_latencies")


@given(SERVERS, PUBLIC_IPV4, st.lists(st.integers(1024, 65535), min_size=4, max_size=4), st.booleans(),
       st.lists(LATENCY, min_size=4, max_size=4), STAMP, st.integers(40, 100), st.booleans())  # fmt: skip
@settings(max_examples=100, deadline=None)
def test_the_2020_stun_log_soft_wrapped_keeps_its_reading(
    servers: list[int],
    address: str,
    ports: list[int],
    same_port: bool,
    latencies: list[str],
    stamp: str,
    width: int,
    retries: bool,
) -> None:
    # one `says we are` per STUN server (the same port from each: an easy mapping; different: a hard one), the
    # stunner's retries between them (corpus 454's layout), wrapped at any width a text box has
    lines: list[str] = []
    for n, region in enumerate(servers):
        port = ports[0] if same_port else ports[n]
        lines.append(f"{stamp}derp{region}.tailscale.com:3478 says we are {address}:{port} (in {latencies[n]})")
        if retries:
            lines.append(f"{stamp}stunner: slow STUN response from derp{region}.tailscale.com:3478: 1 retries")
    log = "\n".join(lines)
    wrapped = _wrapped_at_space(log, width)
    assume(wrapped != log)
    # a cut before `says` (a text box narrower than the stamp and the server's name) is left open: the head must
    # hold the words every STUN log line has before its end
    heads = [piece for piece in wrapped.split("\n") if piece.startswith((stamp.strip() or "derp", "stunner:"))]
    assume(all(" says" in head or "stunner:" in head for head in heads))
    before, after = run_json(log + "\n"), run_json(wrapped + "\n")
    assert [b["kind"] for b in after["blocks"]] == ["netcheck"], wrapped
    assert [{k: n[k] for k in NODE_FACTS} for n in after["nodes"]] == [
        {k: n[k] for k in NODE_FACTS} for n in before["nodes"]
    ]
    assert after["summary"]["exit_code"] == before["summary"]["exit_code"]


def test_a_stun_log_line_wrapped_is_not_glued_to_the_next_log_line() -> None:
    # a head that the next stamped line does not complete stays a line of its own (the STUN answers still read)
    log = (
        "2020/03/17 19:20:48 derp1.tailscale.com:3478 says we are\n"
        "2020/03/17 19:20:48 derp2.tailscale.com:3478 says we are 66.130.147.6:37015 (in 90.4ms)\n"
    )
    document = run_json(log)
    assert [n["ipv4"]["probe_endpoint"] for n in document["nodes"]] == ["66.130.147.6:37015"]
    assert document["nodes"][0]["derp_latencies"] == [
        {"code": "#2", "name": "derp2.tailscale.com", "region_id": 2, "latency_ms": 90.4}
    ]


# health messages `tailscale status` prints, as test_deformed_classes_s12b draws them; its iptables error without
# the closing "Run `dmesg' …" sentence (a piece that ends a sentence is left open at these widths)
ITEM_MESSAGES = st.one_of(
    DNS_OS_MESSAGES,
    SSH_ACL_MESSAGES,
    RELAY_MESSAGES,
    IPTABLES_MESSAGES.map(lambda message: message.removesuffix(". Run `dmesg' for more information.")),
    LOGIN_ERROR_MESSAGES,
)
NARROW_WIDTHS = st.integers(40, 50)


def _narrow_pieces(message: str, width: int) -> list[str]:
    return textwrap.wrap("#     - " + message, width, break_long_words=False, break_on_hyphens=False)


def _continues_sentence(pieces: list[str]) -> bool:
    # what tells a narrow re-wrap from prose typed under the item: each piece after the first goes on in lower
    # case (or a quote, a bracket, a command's flag) and no piece before it ended a sentence
    starts = all(p[0].islower() or p[0] in "'\"([" or (p[0] == "-" and p[1].isalnum()) for p in pieces[1:])
    return starts and all(p[-1] not in ".!?)" for p in pieces[:-1])


@given(ITEM_MESSAGES, NARROW_WIDTHS, st.sampled_from(["", "100.64.0.1  router  tagged-devices linux -\n"]),
       st.sampled_from(["", "I restarted tailscaled and it is still there.\n", "Any idea?\n"]))  # fmt: skip
@settings(max_examples=150, deadline=None)
def test_a_health_item_re_wrapped_at_40_to_50_columns_keeps_its_words(
    message: str, width: int, rows: str, prose: str
) -> None:
    pieces = _narrow_pieces(message, width)
    assume(len(pieces) > 1 and _continues_sentence(pieces))
    text = f"$ tailscale status\n{rows}# Health check:\n" + "\n".join(pieces) + "\n" + prose
    document = run_json(text)
    assert health_items(document) == [message], text
    unwrapped = run_json(f"$ tailscale status\n{rows}# Health check:\n#     - {message}\n{prose}")
    assert document["summary"]["exit_code"] == unwrapped["summary"]["exit_code"] == 1
    assert sorted(f["rule"] for f in document["findings"]) == sorted(f["rule"] for f in unwrapped["findings"])


@given(st.sampled_from(["not connected to home DERP region 22", "Tailscale SSH enabled, but access controls "
                        "don't allow anyone to access this device. Update your tailnet's ACLs to allow access."]),
       st.sampled_from(["I restarted tailscaled and it is still there", "Any idea why", "(see the log below)",
                        "It started after the upgrade", "Restarting did not help."]))  # fmt: skip
@settings(max_examples=40, deadline=None)
def test_prose_typed_under_a_health_item_stays_out_of_it(message: str, prose: str) -> None:
    # a sentence of the poster's own starts with a capital, or follows an item that ended its sentence: the item is
    # read as printed (a lower-case note right under an item that stops mid-sentence cannot be told from a piece)
    assume(prose[0].isupper() or message[-1] == ".")
    text = f"$ tailscale status\n# Health check:\n#     - {message}\n{prose}\n"
    assert health_items(run_json(text)) == [message], text
