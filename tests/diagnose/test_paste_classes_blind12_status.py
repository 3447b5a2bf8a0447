"""Generated tests for the status/ping layouts the twelfth blind batch missed (corpus 803, 813, 895).

- pongs whose target people redacted as ONE token, name and IP together (``pong from ****** via
  DERP(tok) in 36ms``, ``pong from x.x.x.x via DERP(fra) in 671ms``): the CLI always prints
  ``pong from NAME (IP) via …`` (cmd/tailscale/cli/ping.go), so a lone token is a redaction, and the pong
  still counts; also when one run is split over two fences with a sentence between them;
- the local node's own row reading a bare ``offline`` while tailscaled is out of its map poll (Self's
  Online is ``health.GetInPollNetMap()`` in ipn/ipnlocal, and Self has no LastSeen): it is still the self
  row, whatever the health block's indentation, position or wording (old terse forms and 1.70+ warnables).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.output.diagnose import to_json
from tests.diagnose.conftest import rule_ids, run_text

# One token standing for the whole "NAME (IP)" pair, as people redact it.
LONE_TARGETS = [
    "******", "x.x.x.x", "xxx", "XXXX", "<redacted>", "<redacted host>", "[REDACTED]", "[my server]",
    "100.x.y.z", "nas", "my-exit-node", "***.***.***.***",
]  # fmt: skip
COMMANDS = ["", "```\n", "```text\n", "root@jail:~ # tailscale ping x.x.x.x\n", "$ tailscale ping nas\n"]


def _pings(text: str) -> tuple[list[dict[str, Any]], Any]:
    diagnosis = run_text(text)
    return to_json(diagnosis, 1 if diagnosis.has_problems else 0)["pings"], diagnosis


@given(
    st.sampled_from(LONE_TARGETS),
    st.lists(st.sampled_from(["fra", "tok", "nyc", "sea"]), min_size=1, max_size=5),
    st.sampled_from(COMMANDS),
    st.sampled_from(["", "\n```"]),
)
@settings(max_examples=60, deadline=None)
def test_relayed_pongs_with_a_lone_redacted_target_are_relayed_only(
    target: str, regions: list[str], before: str, after: str
) -> None:
    text = before + "\n".join(f"pong from {target} via DERP({code}) in {200 + i}ms" for i, code in enumerate(regions))
    pings, diagnosis = _pings(text + after + "\n")
    assert [(p["outcome"], p["path"], p["pongs"]) for p in pings] == [("relayed-only", "derp", len(regions))], text
    assert set(pings[0]["derp_regions"]) == set(regions)
    assert diagnosis.has_problems


@given(
    st.sampled_from(LONE_TARGETS),
    st.integers(0, 4),
    st.sampled_from(["172.26.160.101:41641", "[2001:db8::1]:41641", "x.x.x.x:xxxx", "<public ip>:41641"]),
    st.sampled_from(COMMANDS),
)
@settings(max_examples=60, deadline=None)
def test_a_direct_pong_with_a_lone_redacted_target_is_direct(
    target: str, relayed: int, endpoint: str, before: str
) -> None:
    lines = [f"pong from {target} via DERP(tok) in {30 + i}ms" for i in range(relayed)]
    text = before + "\n".join([*lines, f"pong from {target} via {endpoint} in 8ms"]) + "\n"
    pings, diagnosis = _pings(text)
    assert [(p["outcome"], p["path"], p["endpoint"], p["pongs"]) for p in pings] == [
        ("direct", "direct", endpoint, relayed + 1)
    ], text
    assert "TS-PING-NOT-DIRECT" not in rule_ids(diagnosis)


# An empty name: printed so for a node without one ("pong from  (IP)"), or left by deleting the redacted part.
EMPTY_NAMES = ["pong from  (100.64.0.1)", "pong from (100.64.0.1)", "pong from ", "pong from  (100.x.y.z, 41234)"]


@given(st.sampled_from(EMPTY_NAMES), st.integers(1, 4), st.booleans())
@settings(max_examples=30, deadline=None)
def test_pongs_with_an_empty_name_are_counted(head: str, relayed: int, direct: bool) -> None:
    lines = [f"{head} via DERP(fra) in {40 + i}ms" for i in range(relayed)]
    if direct:
        lines.append(f"{head} via 198.51.100.7:41641 in 9ms")
    pings, _ = _pings("\n".join(lines) + "\n")
    expected = ("direct", relayed + 1) if direct else ("relayed-only", relayed)
    assert [(p["outcome"], p["pongs"]) for p in pings] == [expected], lines


# A sentence between two fences of one ping run (a blog post narrating it), in the languages posts use.
BETWEEN = [
    "その後、直接接続に切り替わった。",
    "After a few seconds it switched to a direct connection.",
    "그 후 직접 연결로 바뀌었다.",
    "之后切换到了直连。",
    "Danach wurde die Verbindung direkt.",
]
FENCES = ["```", "```text", "```console", "```bash"]


@given(
    st.sampled_from(LONE_TARGETS + ["laptop (100.101.6.89)"]),
    st.integers(1, 4),
    st.sampled_from(BETWEEN),
    st.sampled_from(FENCES),
    st.sampled_from(["\n", "\n\n"]),
)
@settings(max_examples=60, deadline=None)
def test_one_ping_run_split_over_two_fences_with_prose_between_is_one_run(
    target: str, relayed: int, sentence: str, fence: str, gap: str
) -> None:
    first = "\n".join(f"pong from {target} via DERP(tok) in {36 - i}ms" for i in range(relayed))
    direct = f"pong from {target} via 172.26.160.101:41641 in 8ms"
    text = f"{fence}\n{first}\n```\n{gap}{sentence}\n{gap}{fence}\n{direct}\n```\n"
    pings, diagnosis = _pings(text)
    assert [(p["outcome"], p["path"], p["pongs"], p["derp_regions"]) for p in pings] == [
        ("direct", "direct", relayed + 1, ["tok"])
    ], text
    assert not diagnosis.has_problems


# ----------------------------------------------------------- the self row while out of the map poll

NO_MAP_SESSION = [
    "not in map poll",
    "no map response in 5m0s",
    "Unable to connect to the Tailscale coordination server to synchronize the state of your tailnet. "
    "Peer reachability might degrade over time.",
    "Tailscale hasn't received a network map from the coordination server in 10m0s.",
    "Tailscale hasn't received a network map from the coordination server...",
]
OTHER_HEALTH = ["Tailscale can't reach the configured DNS servers...", "not connected to home DERP region 2"]
SELF_ROWS = [
    "100.117.120.68  tailscale-router  ...  offline",
    "100.117.120.68  tailscale-router  admin@  linux  offline",
    "100.117.120.68  tailscale-router     admin@example.com  linux    offline   ",
    "100.117.120.68  tailscale-router  tagged-devices  linux  offline",
]
BULLETS = ["#     - ", "#   - ", "# - ", ""]  # "": the sentences pasted on their own
PEER_ROWS = [
    "100.64.0.7  nas  admin@  linux  offline, last seen 3d ago",
    '100.64.0.8  phone  admin@  android  active; relay "fra", tx 100 rx 0',
    "100.64.0.9  laptop  admin@  windows  -",
]


def _status_peers(text: str) -> list[dict[str, Any]]:
    peers = to_json(run_text(text), 1)["peers"] or []
    return [p for p in peers if p["from"] == "status"]


@given(
    st.sampled_from(SELF_ROWS),
    st.lists(st.sampled_from(PEER_ROWS), max_size=3),
    st.sampled_from(NO_MAP_SESSION),
    st.lists(st.sampled_from(OTHER_HEALTH), max_size=2, unique=True),
    st.sampled_from(BULLETS),
    st.booleans(),
    st.sampled_from(
        [
            "",
            "root@tailscale-router:~# tailscale status\n",
            "```bash\n$ tailscale status\n",
            "$ tailscale status --header\nIP              Hostname          Owner   OS     Status\n"
            "--              --------          -----   --     ------\n",
        ]
    ),
)
@settings(max_examples=80, deadline=None)
def test_a_bare_offline_first_row_out_of_the_map_poll_is_the_self_row(
    row: str, peers: list[str], no_map: str, others: list[str], bullet: str, health_first: bool, before: str
) -> None:
    if not bullet:  # only the 1.70+ sentences are read without their "# Health check:" block
        no_map = "Tailscale hasn't received a network map from the coordination server in 10m0s."
    health = ("# Health check:\n" if bullet else "") + "".join(f"{bullet}{m}\n" for m in [no_map, *others])
    rows = "\n".join([row, *peers]) + "\n"
    text = before + (health + rows if health_first else rows + health)
    found = _status_peers(text)
    assert [(p["name"], p["self"]) for p in found] == [
        ("tailscale-router", True),
        *((r.split()[1], False) for r in peers),
    ], text
    assert found[0]["path"] == "offline"


@given(
    st.sampled_from(
        [
            "100.64.0.7  nas  admin@  linux  offline, last seen 3d ago",  # a peer's row: it has a last-seen time
            "100.64.0.7  nas  admin@  linux  idle; offline, last seen 5m ago",
            '100.64.0.8  phone  admin@  android  active; relay "fra"; offline, tx 100 rx 0',
        ]
    ),
    st.sampled_from(NO_MAP_SESSION),
)
@settings(max_examples=20, deadline=None)
def test_a_first_row_with_more_than_a_bare_offline_is_not_taken_for_self(row: str, no_map: str) -> None:
    found = _status_peers(f"{row}\n# Health check:\n#     - {no_map}\n")
    assert [p["self"] for p in found] == [False], row


@given(st.sampled_from(SELF_ROWS), st.lists(st.sampled_from(OTHER_HEALTH), max_size=2, unique=True))
@settings(max_examples=20, deadline=None)
def test_a_bare_offline_first_row_with_the_map_session_fine_is_a_peer_cut_above(row: str, others: list[str]) -> None:
    # Without a health message saying the node is out of its map poll, the local node reads "-": a first row
    # saying "offline" is a peer's, the paste starting below the local node's row.
    health = "# Health check:\n" + "".join(f"#     - {m}\n" for m in others) if others else ""
    found = _status_peers(f"{row}\n{health}")
    assert [p["self"] for p in found] == [False], row
