"""Three read-only CLI views as people paste them (fix18-status, blind 474/475, 483, 788): `tailscale exit-node
list` (cmd/tailscale/cli/exitnode.go), `tailscale debug peer-relay-sessions` (cli/debug-peer-relay.go and the
development form of PR #16770) and `tailscale debug netmap` (whole, or a piece cut out with jq).

The user sees the block kind, the exit nodes as peers (offline ones named, a note), a relay server's sessions
(a note) or its absence (a finding), and an SSH policy without rules as a finding.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json

PROMPTS = ["", "$ ", "root@box:~# ", "sfllaw@h2co3:~/src/tailscale$ go run ./cmd/", "PS C:\\> "]
FENCES = [("", ""), ("```\n", "\n```"), ("``` console\n", "\n```\n")]
STATUSES = ["-", "selected", "offline", "offline, last seen 3h ago", "offline, last seen 12d ago"]
PLACES = [("-", "-"), ("", ""), ("Sweden", "Stockholm"), ("United States", "New York")]
NAMES = ["exit.tail1234.ts.net", "atv.[redacted].ts.net", "pfsense.example.ts.net", "us-nyc-wg-301.mullvad.ts.net"]
IPS = ["100.101.201.31", "100.70.XXX.XX", "100.90.x.xx", "100.64.0.7"]


def _table(rows: list[tuple[str, str, tuple[str, str], str]], lead: str, hints: str) -> str:
    widths = [20, 34, 18, 14]
    out = [
        lead
        + "".join(h.ljust(w) for h, w in zip(("IP", "HOSTNAME", "COUNTRY", "CITY"), widths, strict=True))
        + "STATUS      "
    ]
    for ip, name, (country, city), status in rows:
        cells = (ip, name, country, city)
        out.append(lead + "".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + status.ljust(12))
    if hints:
        out += ["", f"{hints}To view the complete list of exit nodes for a country, use `tailscale exit-node list "
                "--filter=` followed by the country name."]  # fmt: skip
        out.append(f"{hints}To use an exit node, use `tailscale set --exit-node=` followed by the IP or hostname.")
    return "\n".join(out)


@given(
    rows=st.lists(
        st.tuples(st.sampled_from(IPS), st.sampled_from(NAMES), st.sampled_from(PLACES), st.sampled_from(STATUSES)),
        min_size=1,
        max_size=4,
        unique_by=lambda row: row[1],
    ),
    lead=st.sampled_from(["", " "]),
    hints=st.sampled_from(["", "# "]),
    prompt=st.sampled_from(PROMPTS),
    fence=st.sampled_from(FENCES),
)
@settings(max_examples=60, deadline=None)
def test_an_exit_node_list_reads_every_row_as_an_exit_node_peer(
    rows: list[tuple[str, str, tuple[str, str], str]], lead: str, hints: str, prompt: str, fence: tuple[str, str]
) -> None:
    command = f"{prompt}tailscale exit-node list\n\n" if prompt else ""
    text = fence[0] + command + _table(rows, lead, hints) + fence[1]
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["exit-node-list"], text
    peers = {p["name"]: p for p in document["peers"]}
    assert set(peers) == {name for _, name, _, _ in rows}, text
    for _, name, _, status in rows:
        peer = peers[name]
        assert peer["from"] == "exit-node-list"
        assert peer["exit_node"] == ("exit node" if status == "selected" else "offers exit node"), text
        assert (peer["path"] == "offline") is status.startswith("offline"), text
    assert document["summary"]["exit_code"] == 0, text  # offline exit nodes not in use are a note
    (note,) = [f for f in document["findings"] if f["rule"] == "TS-EXIT-NODE-LIST"]
    for _, name, _, status in rows:
        assert (name in note["cause"]) is ("offline" in status or status == "selected"), note["cause"]


def test_the_exit_node_in_use_offline_stays_the_cli_kind() -> None:
    text = "$ tailscale exit-node list\n\n" + _table(
        [("100.64.0.7", "exit.tail1234.ts.net", ("-", "-"), "selected but offline, last seen 2h ago")], " ", "# "
    )
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["windows-error"]
    assert document["summary"]["exit_code"] == 1


SESSION = (
    "VNI: {vni}\n  {a}(d:1bd615a9413cc442) --> {b}(d:25eab97be5b96ca8), Packets: {p} Bytes: 4316\n"
    "  {b}(d:25eab97be5b96ca8) --> {a}(d:1bd615a9413cc442), Packets: {q} Bytes: 4330"
)
ENDPOINTS = ["172.31.37.250:41641", "18.217.31.242:41641", "[2001:db8::5]:41641", "<no handshake>"]


@given(
    sessions=st.lists(st.tuples(st.sampled_from(ENDPOINTS), st.sampled_from(ENDPOINTS)), max_size=3),
    draft=st.booleans(),
    port=st.sampled_from([7777, 40000, None]),
    prompt=st.sampled_from(PROMPTS),
    fence=st.sampled_from(FENCES),
)
@settings(max_examples=60, deadline=None)
def test_peer_relay_sessions_in_both_forms(
    sessions: list[tuple[str, str]], draft: bool, port: int | None, prompt: str, fence: tuple[str, str]
) -> None:
    if draft:  # PR #16770's development form
        head = f"Server status  : {'running on port ' + str(port) if port else 'not running'}\n"
        head += f"Active sessions: {len(sessions)}\n"
        body = ""
        if sessions:
            body = (
                "\nVNI      Server                                    Client 1                  Client 2\n"
                + "\n".join(
                    f"{n}        172.31.33.196:{port or 7777}[d:245c4fa57b068d54]    "
                    f"{a.replace(' ', '')}[d:1bd6] tx 33(4316B)"
                    f"    {b.replace(' ', '')}[d:25ea] tx 33(4330B)   "
                    for n, (a, b) in enumerate(sessions, start=3)
                )
            )
    else:
        head = "Server port: " + (
            str(port)
            if port
            else "not configured (you can configure the port with 'tailscale set --relay-server-port=<PORT>')"
        )
        head += f"\nSessions count: {len(sessions)}\n"
        body = "\n" + "\n".join(SESSION.format(vni=n, a=a, b=b, p=33, q=20) for n, (a, b) in enumerate(sessions, 3))
    command = f"{prompt}sudo tailscale debug peer-relay-sessions\n" if prompt else ""
    text = fence[0] + command + head + body + fence[1]
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["peer-relay-sessions"], text
    assert document["warnings"] == [], text
    rules = [f["rule"] for f in document["findings"]]
    if port is None:
        assert rules == ["TS-PEER-RELAY-NOT-RUNNING"] and document["summary"]["exit_code"] == 1, text
    else:
        assert rules == ["TS-PEER-RELAY-SESSIONS"] and document["summary"]["exit_code"] == 0, text
        assert f"{len(sessions)} session" in document["findings"][0]["cause"]


SSH_RULE = {"principals": [{"any": True}], "sshUsers": {"root": "root"}, "action": {"accept": True}}
PEERS = [
    {"ID": 2, "Name": "nas.tail1234.ts.net.", "Addresses": ["100.64.0.2/32"], "Online": True},
    {"ID": 3, "Name": "pi.tail1234.ts.net.", "Addresses": ["100.64.0.3/32", "fd7a:115c:a1e0::3/128"], "Online": False},
]


@given(
    rules=st.sampled_from([None, [], [SSH_RULE], [SSH_RULE, SSH_RULE]]),
    piece=st.sampled_from(["whole", "jq", "unnamed"]),
    indent=st.sampled_from([2, None]),
    prompt=st.sampled_from(["$ ", "root@box:~# ", "PS C:\\> "]),
    fence=st.sampled_from(FENCES),
    pad=st.sampled_from(["", "    "]),
)
@settings(max_examples=60, deadline=None)
def test_a_netmap_ssh_policy_without_rules_is_a_finding(
    rules: list[object] | None, piece: str, indent: int | None, prompt: str, fence: tuple[str, str], pad: str
) -> None:
    policy = {"rules": rules}
    if piece == "jq":
        text = f"{prompt}tailscale debug netmap | jq .SSHPolicy{pad}\n" + json.dumps(policy, indent=indent or 2)
    else:
        whole = {"NodeKey": "nodekey:" + "0e3b5d0c" * 8, "Peers": PEERS, "SSHPolicy": policy, "Domain": "example.com"}
        command = f"{prompt}tailscale debug netmap{pad}\n" if piece == "whole" else ""
        text = command + json.dumps(whole, indent=indent)
    text = fence[0] + text + fence[1]
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["debug-netmap"], text
    found = [f["rule"] for f in document["findings"]]
    if not rules:
        assert found == ["TS-NETMAP-SSH-NO-RULES"] and document["summary"]["exit_code"] == 1, text
    else:
        assert found == ["TS-NETMAP"] and document["summary"]["exit_code"] == 0, text
    if piece != "jq":
        peers = {p["name"]: p for p in document["peers"]}
        assert peers["pi.tail1234.ts.net"]["path"] == "offline" and peers["nas.tail1234.ts.net"]["ip"] == "100.64.0.2"


def test_other_json_after_debug_netmap_prose_is_not_a_netmap() -> None:
    from opskit.core.diagnose.blocks import split_input

    text = '$ tailscale debug prefs\n{\n  "rules": null\n}\n'
    assert all(b.kind.value != "debug-netmap" for b in split_input(text).blocks)
