"""netcheck's "UDP is blocked, trying HTTPS" / "UDP is blocked, trying ICMP" lines (blind 25: 1143).

net/netcheck/netcheck.go logs them when no STUN answer came back over UDP (HTTPS since 2020-05, e6b84f215; ICMP
since 2022-08, f0d6f173c), through a logger that adds "netcheck: " again (tailscaled's magicsock, tsnet, the CLI's
--verbose). Alone, under any line prefix, they are a tailscaled log whose node has no UDP (every peer relayed over
DERP): TS-NETCHECK-UDP-BLOCKED, exit 1, and no log issue (no local EPERM refusal, no DERP or control failure). A
fuller netcheck report in the same paste stays the node's profile.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json
from tests.diagnose.log_catalog import LOG_PREFIXES

HTTPS_LINES = ["netcheck: netcheck: UDP is blocked, trying HTTPS", "netcheck: UDP is blocked, trying HTTPS"]
ICMP_LINES = ["netcheck: UDP is blocked, trying ICMP", "UDP is blocked, trying ICMP"]
ROUTINE = [
    "magicsock: endpoints changed: 10.0.0.5:41641 (local)",
    "link state: interfaces.State{defaultRoute=eth0 ifs={eth0:[10.0.0.5/24]} v4=true v6=false}",
]
FENCES = [("", ""), ("```\n", "\n```"), ("```text\n", "\n```")]


@given(
    prefix=st.sampled_from(LOG_PREFIXES),
    https=st.sampled_from(["", *HTTPS_LINES]),
    icmp=st.sampled_from(["", *ICMP_LINES]),
    before=st.lists(st.sampled_from(ROUTINE), max_size=2),
    fence=st.sampled_from(FENCES),
    trailing=st.sampled_from(["", " ", "\r"]),
)
@settings(max_examples=60, deadline=None)
def test_udp_blocked_lines_are_a_log_whose_node_has_no_udp(
    prefix: str, https: str, icmp: str, before: list[str], fence: tuple[str, str], trailing: str
) -> None:
    messages = [*before, *([m for m in (https, icmp) if m] or [HTTPS_LINES[0]])]
    text = fence[0] + "\n".join(prefix.format(msg=m) + trailing for m in messages) + fence[1]
    document = run_json(text)
    assert "tailscaled-log" in {b["kind"] for b in document["blocks"]}, text
    assert document["nodes"][-1]["udp"] is False, text
    assert "TS-NETCHECK-UDP-BLOCKED" in {f["rule"] for f in document["findings"]}, text
    issues = {i["kind"] for log in document["daemon_logs"] for i in log["issues"]}
    assert not issues & {"udp-send-blocked", "derp-unreachable", "control-unreachable", "crash"}, (text, issues)
    assert document["summary"]["exit_code"] == 1, text
    assert not any("netcheck reports; using the last" in w for w in document["warnings"]), document["warnings"]


@given(prefix=st.sampled_from(LOG_PREFIXES[:4]), line=st.sampled_from(HTTPS_LINES + ICMP_LINES))
@settings(max_examples=20, deadline=None)
def test_a_fuller_report_in_the_same_paste_stays_the_profile(prefix: str, line: str) -> None:
    report = "netcheck: [v1] report: udp=true v6=false mapvarydest=false portmap= v4a=198.51.100.7:41641 derp=4"
    text = "\n".join(prefix.format(msg=m) for m in (line, report))
    node = run_json(text)["nodes"][-1]
    assert node["udp"] is True, (text, node)


@given(
    sentence=st.sampled_from(
        [
            "I think UDP is blocked, trying HTTPS would be slower",
            'netcheck said "UDP is blocked, trying HTTPS".',
            "UDP is blocked, trying HTTPS/ICMP",
        ]
    )
)
@settings(max_examples=5, deadline=None)
def test_the_words_in_prose_are_not_the_log_line(sentence: str) -> None:
    text = f"100.64.0.1   laptop   me@   linux   -\n\n{sentence}\n"
    assert run_json(text)["nodes"] == [] or all(n["udp"] is not False for n in run_json(text)["nodes"])
