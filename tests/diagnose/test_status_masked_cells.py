"""`tailscale status` rows whose poster masked part of the status cell or collapsed the leading columns.

cli/status.go prints the cell as ``active; [exit node; | offers exit node; ]<path>, tx N rx N`` where the path is
``direct <ip:port>``, ``relay "<region>"`` or ``peer-relay …``. People hide the path (``active; direct xxxx``,
``active; offers exit node; xxxx``), one of the byte counts (``tx xxxxx rx 18832``), or fold the IP, name and
owner columns into one masked word (``# xxxxx windows active; …``). The peer is still read: what is masked is
unknown, the rest is kept.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.output.diagnose import to_json
from tests.diagnose.conftest import rule_ids, run_text

SELF = "172.27.143.7    bazzite              mobile       linux   -"
MASKS = ["xxxx", "XXXXXX", "***", "<redacted>", "[hidden]", "...", "\u2026"]
EXIT_PARTS = ["", "offers exit node; ", "exit node; "]


def _peers(text: str) -> list[dict[str, Any]]:
    return [p for p in to_json(run_text(text), 1)["peers"] or [] if not p["self"]]


@given(
    st.sampled_from(MASKS),
    st.sampled_from(EXIT_PARTS),
    st.sampled_from(["", "100.64.0.5"]),  # Headscale outside 100.64/10: the CLI leaves the IP column blank
    st.sampled_from(["  ", "    ", "\t"]),
)
@settings(max_examples=80, deadline=None)
def test_a_masked_path_part_keeps_the_peer_and_its_exit_node_offer(
    mask: str, exit_part: str, ip: str, gap: str
) -> None:
    row = f"{ip}{gap}fedora{gap}home{gap}linux{gap}active; {exit_part}{mask}"
    diagnosis = run_text(f"{SELF}\n{row}\n")
    peers = [p for p in to_json(diagnosis, 1)["peers"] if not p["self"]]
    assert [(p["name"], p["os"], p["exit_node"]) for p in peers] == [
        ("fedora", "linux", exit_part.rstrip("; ") or None)
    ], row
    assert peers[0]["path"] == "unknown"  # the poster hid it: neither direct nor relayed is claimed
    assert "TS-INPUT-UNREAD" not in rule_ids(diagnosis)


@pytest.mark.parametrize("mask", ["xxxx", "***"])
def test_a_masked_direct_address_is_still_a_direct_path(mask: str) -> None:
    peers = _peers(f"{SELF}\n                powercube            home         windows active; direct {mask}\n")
    assert [(p["name"], p["path"]) for p in peers] == [("powercube", "direct")]


@pytest.mark.parametrize("word", ["idle", "offline", "-"])
def test_a_mask_after_a_word_that_is_not_active_is_no_cell(word: str) -> None:
    # only an active peer has a path to hide: "offline; xxxx" is not something the CLI prints
    peers = _peers(f"{SELF}\n100.64.0.9  nas  me@  linux  {word}; xxxx\n")
    assert all(p["name"] != "nas" or p["partial"] for p in peers)


@given(
    st.sampled_from(["xxxxx", "XXXX", "***"]),
    st.sampled_from(["windows", "linux", "macOS"]),
    st.sampled_from(["tx xxxxx rx 18832", "tx 18832 rx xxxxx", "tx *** rx 18832"]),
    st.sampled_from(["# ", ""]),
)
@settings(max_examples=60, deadline=None)
def test_a_row_with_collapsed_columns_and_a_masked_count_names_its_peer(
    word: str, os_name: str, counts: str, comment: str
) -> None:
    row = f"{comment}{word} {os_name} active; direct 27.xx.xxx.xxxx:xxxx, {counts}"
    peers = _peers(f"tailscale status\n{row}\n")
    assert len(peers) == 1, row
    peer = peers[0]
    shown_peer = (peer["name"], peer["os"], peer["path"], peer["endpoint"])
    assert shown_peer == (word, os_name, "direct", "27.xx.xxx.xxxx:xxxx")
    shown = [int(n) for n in counts.replace("tx ", "").replace("rx ", "").split() if n.isdigit()]
    assert [c for c in (peer["tx"], peer["rx"]) if c is not None] == shown
