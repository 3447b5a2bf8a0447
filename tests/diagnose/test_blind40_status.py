"""Generated tests for blind batch 40's status miss (corpus 2264), read as a class (what a user sees in the JSON).

A paste (or several files) holding the `tailscale status` of two or more nodes of one tailnet, where node A lists B
as a peer while B's own whole status does not list A: control sent B a netmap without A (an ACL/policy or
`autogroup:self` change not pushed, a control-server bug), and B's WireGuard drops A's packets, so the pair cannot
talk either way. `TS-STATUS-ONE-WAY-PEER` (warning, exit 1). Each block's self row is the row the prompt's host
names, else the first row; nodes match by Tailscale IP, else by name (MagicDNS and short names). A filtered status
(`| grep`, `--active`, `--self=false`, `--peers=false`), a listing cut by an elision, an offline row, both listing
each other, a node shared in from another tailnet, two nodes of one name with different IPs, or a single status are
no evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.engine import InputText, diagnose
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_json

_RULE = "TS-STATUS-ONE-WAY-PEER"


@dataclass(frozen=True)
class Node:
    name: str
    ip: str
    owner: str = "alice"
    os: str = "linux"


def _row(node: Node, cell: str, *, tabs: bool = False) -> str:
    if tabs:  # the tabwriter layout (v1.90+)
        return f"{node.ip}\t{node.name}\t{node.owner}\t{node.os}\t{cell}"
    return f"{node.ip:<15} {node.name:<20} {node.owner:<12} {node.os:<7} {cell}"


_PROMPTS = {
    "dollar": lambda host: "$ ",
    "root": lambda host: f"root@{host}:~# ",
    "user": lambda host: f"me@{host}:~$ ",
    "fedora": lambda host: f"[root@{host} ~]# ",
    "zsh": lambda host: f"me@{host} ~ % ",
    "powershell": lambda host: "PS C:\\> ",
    "sudo": lambda host: f"admin@{host}:~$ sudo ",
}
_FENCES = ("```console", "```", "```text", "")
_PEER_CELLS = ("-", "idle", "active; direct 198.51.100.7:41641, tx 1200 rx 3400", "idle; offers exit node")
_NAMES = st.sampled_from(("n1", "n2", "web-01", "db", "laptop", "nas", "pi4", "gateway", "desktop-abc12", "k8s-node"))


def _block(self_node: Node, peers: list[tuple[Node, str]], prompt: str, fence: str, command: str = "") -> str:
    typed = command or "tailscale status"
    lines = [_PROMPTS[prompt](self_node.name) + typed, _row(self_node, "-")]
    lines += [_row(peer, cell) for peer, cell in peers]
    body = "\n".join(lines)
    return f"{fence}\n{body}\n```" if fence else body


def _fired(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in doc["findings"] if f["rule"] == _RULE]


def _pair_nodes(names: list[str], first_octet: int, order: bool) -> tuple[Node, Node]:
    a = Node(names[0], f"100.{first_octet}.0.{11}")
    b = Node(names[1], f"100.{first_octet}.0.{12}")
    return (a, b) if order else (b, a)


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(_NAMES, min_size=3, max_size=3, unique=True),
    octet=st.integers(64, 127),
    prompts=st.tuples(st.sampled_from(sorted(_PROMPTS)), st.sampled_from(sorted(_PROMPTS))),
    fence=st.sampled_from(_FENCES),
    cell=st.sampled_from(_PEER_CELLS),
    listing_first=st.booleans(),
    extra_peer=st.booleans(),
)
def test_one_way_listing_is_a_warning(
    names: list[str],
    octet: int,
    prompts: tuple[str, str],
    fence: str,
    cell: str,
    listing_first: bool,
    extra_peer: bool,
) -> None:
    a, b = Node(names[0], f"100.{octet}.0.11"), Node(names[1], f"100.{octet}.0.12")
    other = Node(names[2], f"100.{octet}.0.13")
    shared = [(other, "idle")] if extra_peer else []
    listing = _block(a, [(b, cell), *shared], prompts[0], fence)
    listed = _block(b, shared, prompts[1], fence)
    text = "\n\n".join((listing, listed) if listing_first else (listed, listing)) + "\n"
    doc = run_json(text)
    fired = _fired(doc)
    assert [f["extra"]["pair"] for f in fired] == [[a.name, b.name]], text
    assert fired[0]["severity"] == "warning"
    assert f"{b.name}'s status does not list {a.name} although {a.name}'s lists {b.name}" in fired[0]["cause"]
    assert "Headscale" in fired[0]["fix"]
    assert doc["summary"]["exit_code"] == 1


@pytest.mark.parametrize("listing_first", [True, False])
@pytest.mark.parametrize(
    ("row_name", "self_name"),
    [
        ("n2", "n2"),  # short names
        ("n2.alice.example.com", "n2.alice.example.com"),  # Headscale without a MagicDNS suffix: full names
        ("N2", "n2"),  # case
    ],
)
def test_names_match_when_an_ip_is_redacted(listing_first: bool, row_name: str, self_name: str) -> None:
    listing = "root@n1:~# tailscale status\n" + _row(Node("n1", "100.64.0.1"), "-") + "\n"
    listing += _row(Node(row_name, "100.64.0.x"), "idle") + "\n"
    listed = "root@n2:~# tailscale status\n" + _row(Node(self_name, "100.64.0.2"), "-") + "\n"
    text = "\n".join((listing, listed) if listing_first else (listed, listing))
    assert [f["extra"]["pair"] for f in _fired(run_json(text))] == [["n1", "n2"]]


def test_one_file_per_node_is_read_together() -> None:
    a, b = Node("web1", "100.64.0.11"), Node("db1", "100.64.0.12")
    inputs = [
        InputText("web1", "web1.txt", _block(a, [(b, "idle")], "root", "")),
        InputText("db1", "db1.txt", _block(b, [], "root", "")),
    ]
    diagnosis = diagnose(inputs)
    doc = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    fired = _fired(doc)
    assert [f["extra"]["pair"] for f in fired] == [["web1", "db1"]]
    assert {e["file"] for e in fired[0]["evidence"]} == {"web1.txt", "db1.txt"}
    assert doc["summary"]["exit_code"] == 1


def test_prompt_host_names_the_self_row() -> None:
    # n2's status printed with --self=false would start with a peer; here the prompt names n2 and its row is first
    text = (
        "root@n1:~# tailscale status\n"
        + _row(Node("n1", "100.64.0.1"), "-")
        + "\n"
        + _row(Node("n2", "100.64.0.2"), "idle")
        + "\n\nroot@n2:~# tailscale status\n"
        + _row(Node("n2", "100.64.0.2"), "-")
        + "\n"
        + _row(Node("n3", "100.64.0.3"), "idle")
        + "\n"
    )
    assert [f["extra"]["pair"] for f in _fired(run_json(text))] == [["n1", "n2"]]


# The near-misses: what each block shows, and the second block's command or trailing line.
_A, _B, _C = Node("n1", "100.64.0.1"), Node("n2", "100.64.0.2"), Node("n3", "100.64.0.3")


def _near_miss(case: str, prompt: str, fence: str) -> str:
    listing_peers: list[tuple[Node, str]] = [(_B, "idle")]
    listed_peers: list[tuple[Node, str]] = []
    command, tail = "", ""
    listed_self = _B
    if case in ("grep", "active", "self-false", "peers-false", "head", "findstr", "select-string"):
        command = {
            "grep": "tailscale status | grep n2",
            "active": "tailscale status --active",
            "self-false": "tailscale status --self=false",
            "peers-false": "tailscale status --peers=false",
            "head": "tailscale status | head -n 1",
            "findstr": "tailscale status | findstr n2",
            "select-string": "tailscale status | Select-String n2",
        }[case]
    elif case in ("dots", "ellipsis", "snip"):
        tail = {"dots": "...", "ellipsis": "\u2026", "snip": "[snip]"}[case]
    elif case == "offline":
        listing_peers = [(_B, "offline, last seen 3h ago")]
    elif case == "both":
        listed_peers = [(_A, "idle")]
    elif case == "other-tailnet-ip":
        listed_self = Node("n2", "100.99.0.2")  # another node of the same name
    elif case == "shared-in":
        listing_peers = [(Node("n2.other-tailnet.ts.net", "100.64.0.2"), "idle")]
    elif case == "single":
        return _block(_A, listing_peers, prompt, fence)
    elif case == "same-node-twice":
        return _block(_A, listing_peers, prompt, fence) + "\n\n" + _block(_A, [], prompt, fence)
    elif case == "stopped":
        listed = (_PROMPTS[prompt]("n2") + "tailscale status\nTailscale is stopped.").strip()
        return _block(_A, listing_peers, prompt, fence) + "\n\n" + listed
    listing = _block(_A, listing_peers, prompt, fence)
    listed = _block(listed_self, listed_peers, prompt, "", command) + (f"\n{tail}" if tail else "")
    if fence:
        listed = f"{fence}\n{listed}\n```"
    return listing + "\n\n" + listed + "\n"


_NEAR_MISSES = (
    "grep",
    "active",
    "self-false",
    "peers-false",
    "head",
    "findstr",
    "select-string",
    "dots",
    "ellipsis",
    "snip",
    "offline",
    "both",
    "other-tailnet-ip",
    "shared-in",
    "single",
    "same-node-twice",
    "stopped",
)


@pytest.mark.parametrize("fence", ["```console", ""])
@pytest.mark.parametrize("prompt", ["root", "dollar", "powershell"])
@pytest.mark.parametrize("case", _NEAR_MISSES)
def test_near_misses_are_no_one_way_peer(case: str, prompt: str, fence: str) -> None:
    text = _near_miss(case, prompt, fence)
    doc = run_json(text)
    assert not _fired(doc), text
    if case not in ("stopped",):  # a stopped node is its own finding
        assert doc["summary"]["exit_code"] == 0, (text, [f["rule"] for f in doc["findings"]])


@settings(max_examples=40, deadline=None)
@given(
    names=st.lists(_NAMES, min_size=3, max_size=3, unique=True),
    octet=st.integers(64, 127),
    prompt=st.sampled_from(sorted(_PROMPTS)),
    fence=st.sampled_from(_FENCES),
    order=st.permutations([0, 1, 2]),
)
def test_a_tailnet_that_agrees_is_silent(
    names: list[str], octet: int, prompt: str, fence: str, order: list[int]
) -> None:
    nodes = [Node(name, f"100.{octet}.1.{i + 1}") for i, name in enumerate(names)]
    blocks = [_block(n, [(p, "idle") for p in nodes if p is not n], prompt, fence) for n in nodes]
    text = "\n\n".join(blocks[i] for i in order) + "\n"
    doc = run_json(text)
    assert not _fired(doc)
    assert doc["summary"]["exit_code"] == 0


@pytest.mark.parametrize(
    "prose",
    [
        "n1 lists n2 in tailscale status but n2 does not list n1.",
        "After restarting headscale both nodes see each other.",
        "100.64.0.1 n1 and 100.64.0.2 n2 are both in the tailnet",
    ],
)
def test_prose_about_it_is_not_a_status(prose: str) -> None:
    text = _block(_A, [(_B, "idle")], "root", "```") + "\n\n" + prose + "\n"
    assert not _fired(run_json(text))
