"""Generated tests for classes blind batch 13 missed (corpus 908 and the CLI refusals 956, 977, 978).

- a pong whose hand-edited name opens with parentheses and lost its address, and a shell comment after
  `tailscale ping <target>`.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.ping import parse_ping, ping_target
from opskit.core.diagnose.text import SourceLine
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_text


def _json(text: str) -> dict[str, Any]:
    diagnosis = run_text(text)
    return to_json(diagnosis, 1 if diagnosis.has_problems else 0)


# --------------------------------------------------------------------------- pongs with a hand-edited name

NAMES = ["(vps)xxx", "(nas)home", "(redacted)-box", "(server)01", "(我的vps)xxx"]
VIAS = [
    ("173.xxx.xxx.xxx:xxxxx", "direct"),
    ("203.0.113.7:41641", "direct"),
    ("[2001:db8::1]:41641", "direct"),
    ("DERP(fra)", "derp"),
]


@given(
    st.sampled_from(NAMES),
    st.sampled_from(VIAS),
    st.sampled_from(["", " # tailscale ping works", " # tailscale ping 却能成功", " | tee ping.log"]),
    st.sampled_from(["", "```\n", "sudo ping 100.xx.xx.xxx # fails\n\n"]),
)
@settings(max_examples=60, deadline=None)
def test_a_pong_whose_name_opens_with_parentheses_is_read(
    name: str, via: tuple[str, str], comment: str, before: str
) -> None:
    fence_end = "```\n" if before.startswith("```") else ""
    text = f"{before}sudo tailscale ping 100.xx.xx.xx{comment}\npong from {name} via {via[0]} in 87ms\n{fence_end}"
    pings = _json(text)["pings"]
    assert [(p["path"], p["pongs"], p["target"]) for p in pings] == [(via[1], 1, "100.xx.xx.xx")], text


def test_an_empty_name_with_its_address_still_gives_the_address() -> None:
    for line, ip in (
        ("pong from (100.64.0.1) via DERP(fra) in 20ms", "100.64.0.1"),
        ("pong from (100.64.0.1)) via 1.2.3.4:41641 in 3ms", "100.64.0.1"),
        ("pong from (vps)xxx via 1.2.3.4:41641 in 3ms", ""),
    ):
        (pong,) = parse_ping([SourceLine(1, line, line)]).pongs
        assert pong.ip == ip, line


def test_the_ping_target_ends_where_the_shell_command_ends() -> None:
    assert ping_target("sudo tailscale ping 100.xx.xx.xx # tailscale ping 却能成功") == "100.xx.xx.xx"
    assert ping_target("tailscale ping -c 5 nas | tee out.txt") == "nas"
    assert ping_target("tailscale ping nas 2>&1") == "nas"
    assert ping_target("tailscale ping nas; echo done") == "nas"
