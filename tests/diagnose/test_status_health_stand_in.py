"""`tailscale status`'s health block with every ``#`` typed as another character.

cli/status.go printHealth prints ``# Health check:`` then ``#     - <message>``. Outside a fence ``#`` makes a Markdown
heading, so some posters type another character in its place (``x Health check:`` / ``x     - router: …``). The block
is still the status's health block (kind status, each item a health message), as long as every item carries the
same stand-in; a stand-in header without such items is prose.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json

# messages of health/warnings (router, DNS, netfilter) as tailscaled words them
MESSAGES = [
    "router: adding [-m mark --mark 0x40000/0xff0000 -j MASQUERADE] in v6/nat/ts-postrouting: running "
    "[/opt/sbin/ip6tables -t nat -A ts-postrouting -m mark --mark 0x40000/0xff0000 -j MASQUERADE --wait]: "
    "exit status 1: ip6tables: No chain/target/match by that name.",
    "Tailscale can't reach the configured DNS servers. Internet connectivity may be affected.",
    "Some peers are advertising routes but --accept-routes is false",
    "not connected to home DERP region 2",
]
MARKS = ["x", "X", "*", "+", ">", "|", "%", "-"]


@given(
    mark=st.sampled_from(MARKS),
    items=st.lists(st.sampled_from(MESSAGES), min_size=1, max_size=3, unique=True),
    gap=st.sampled_from([" ", "     ", "\t"]),
    command=st.sampled_from(["", "$ tailscale status\n", "root@router:~# tailscale status\n"]),
)
@settings(max_examples=60, deadline=None)
def test_a_health_block_with_a_stand_in_for_hash_is_read(mark: str, items: list[str], gap: str, command: str) -> None:
    text = command + f"{mark} Health check:\n" + "".join(f"{mark}{gap}- {item}\n" for item in items)
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["status"], text
    (status,) = document["statuses"]
    assert status["health"] == items, text
    assert "TS-STATUS-HEALTH" in {f["rule"] for f in document["findings"]}


@pytest.mark.parametrize(
    "text",
    [
        "x Health check: see the admin console\n",  # not the header alone on its line
        "x Health check:\ny     - not connected to home DERP region 2\n",  # items with another mark
        "x Health check:\nThe node looked fine to me.\n",  # prose under it
    ],
)
def test_a_stand_in_header_without_matching_items_is_no_health_block(text: str) -> None:
    document = run_json("$ tailscale status\n100.64.0.1  pc  me@  linux  -\n\n" + text)
    assert all(not s["health"] for s in document["statuses"]), text
