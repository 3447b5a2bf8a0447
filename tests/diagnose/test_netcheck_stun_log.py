"""netcheck's 2020 log layout (blind 454): before the `Report:` block, `tailscale netcheck` logged one line per
STUN answer, `<server>:3478 says we are <ip:port> (in <duration>)` (netcheck/netcheck.go until commit 73249f80),
and the stunner its retries (`stunner: slow STUN response from …: N retries`, `stunner: no STUN response from …`);
`netcheck: no IPv4 UDP STUN replies` when none came.

The user sees a netcheck block and the node's facts: UDP, the public IPv4 and its scope, the NAT mapping (the
same ip:port from two servers or more: easy; different ports: hard; one server: unknown), the latencies.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json

STAMPS = ["", "2020/03/17 19:20:48 ", "2020/03/17 19:20:48.123456 "]
SERVERS = ["derp1.tailscale.com", "derp2.tailscale.com", "derp3.tailscale.com", "derp4.tailscale.com"]
FENCES = [("", ""), ("```\n", "\n```"), ("Log output from failing netcheck:\n\n", "")]


@given(
    stamp=st.sampled_from(STAMPS),
    servers=st.lists(st.sampled_from(SERVERS), min_size=1, max_size=4, unique=True),
    ports=st.sampled_from(["same", "varying"]),
    address=st.sampled_from([("66.130.147.6", "public"), ("100.72.4.9", "shared")]),
    retries=st.lists(st.sampled_from(SERVERS), max_size=3),
    prefix=st.sampled_from(["", "netcheck: "]),
    fence=st.sampled_from(FENCES),
)
@settings(max_examples=60, deadline=None)
def test_a_2020_stun_log_gives_the_node_facts(
    stamp: str,
    servers: list[str],
    ports: str,
    address: tuple[str, str],
    retries: list[str],
    prefix: str,
    fence: tuple[str, str],
) -> None:
    ip, scope = address
    lines = []
    for n, server in enumerate(servers):
        port = 37015 if ports == "same" else 37015 + n
        lines.append(f"{stamp}{prefix}{server}:3478 says we are {ip}:{port} (in {28.4 + 20 * n}ms)")
    lines += [f"{stamp}stunner: slow STUN response from {server}:3478: 1 retries" for server in retries]
    text = fence[0] + "\n".join(lines) + fence[1]
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["netcheck"], text
    (node,) = document["nodes"]
    assert node["udp"] is True
    assert node["ipv4"]["scope"] == scope, node
    # a shared (CGNAT) address seen by STUN: the mapping of the NAT beyond it is unknown (profile.py)
    measurable = len(servers) >= 2 and scope == "public"
    expected = ("easy" if ports == "same" else "hard") if measurable else "unknown"
    assert node["mapping"] == expected, (text, node)
    assert {d["name"] for d in node["derp_latencies"]} == set(servers), node


def test_no_stun_replies_is_udp_blocked() -> None:
    text = "\n".join(
        [
            "2020/03/17 19:20:48 stunner: no STUN response from derp1.tailscale.com:3478",
            "2020/03/17 19:20:48 stunner: no STUN response from derp2.tailscale.com:3478",
            "2020/03/17 19:20:48 netcheck: no IPv4 UDP STUN replies",
        ]
    )
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["netcheck"]
    assert document["nodes"][0]["udp"] is False
    assert "TS-NETCHECK-UDP-BLOCKED" in {f["rule"] for f in document["findings"]}


def test_stunner_retries_alone_are_not_a_report() -> None:
    # without an answer or "no replies", the retries say nothing about the node: not read as a netcheck
    text = "2020/03/17 19:20:48 stunner: slow STUN response from derp2.tailscale.com:3478: 1 retries\n" * 2
    document = run_json(text + "100.64.0.1   laptop   me@   linux   -\n")
    assert "netcheck" not in [b["kind"] for b in document["blocks"]]
