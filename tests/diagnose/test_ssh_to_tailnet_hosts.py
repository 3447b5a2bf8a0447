"""ssh failing to reach a host the same paste shows on the tailnet (blind 14, corpus 665): the name is under the
user's own DNS domain or bare, so only the paste ties it to a tailnet address (a status row's name, an OS
ping's header resolving it to 100.64.0.0/10 or fd7a:115c:a1e0::/48). The user sees `ssh-failed`, exit 1, and
for "No route to host" a cause that names the ICMP answer, not "nothing listens".
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import by_rule, run_json, run_text

DOMAINS = ["", ".ts.r10e.tech", ".home.arpa", ".corp.example.com", ".lan"]
ERRORS = ["No route to host", "Connection timed out", "Operation timed out", "Connection refused", "Host is down"]
STATUS = (
    "$ tailscale status\n"
    "100.72.11.62    laptop   ops@  linux  -\n"
    "100.103.122.117 {host}   ops@  linux  idle, tx 3281144 rx 5683896\n"
)
OS_PINGS = [
    "$ ping {host}{domain}\nPING {host}{domain} (100.103.122.117) 56(84) bytes of data.\n",
    "PS C:\\> ping {host}{domain}\nPinging {host}{domain} [100.103.122.117] with 32 bytes of data:\n"
    "Request timed out.\n",
    "$ ping {host}{domain}\nPING {host}{domain} (fd7a:115c:a1e0::c801:7a75) 56 data bytes\n",
]
HOSTS = ["azdev", "nas-01", "build.box"]


@given(
    st.sampled_from(HOSTS),
    st.sampled_from(DOMAINS),
    st.sampled_from(ERRORS),
    st.sampled_from(["status", *range(len(OS_PINGS))]),
)
@settings(max_examples=80, deadline=None)
def test_ssh_to_a_host_the_paste_ties_to_the_tailnet_is_ssh_failed(
    host: str, domain: str, error: str, tie: str | int
) -> None:
    shown = STATUS.format(host=host) if tie == "status" else OS_PINGS[int(tie)].format(host=host, domain=domain)
    if tie == "status" and "." in host:
        return  # a status row shows a bare MagicDNS label, never a dotted name
    text = f"{shown}$ ssh ops@{host}{domain}\nssh: connect to host {host}{domain} port 22: {error}\n"
    document = run_json(text)
    assert "ssh-failed" in [w["kind"] for w in document["windows"]], text
    assert document["summary"]["exit_code"] == 1
    (finding,) = by_rule(run_text(text), "TS-CLI-SSH-FAILED")
    if error in ("No route to host", "Host is down"):
        assert "ICMP unreachable" in finding.cause and "tailscale ping" in finding.fix
    else:
        assert "nothing answers SSH" in finding.cause


@given(st.sampled_from(ERRORS), st.sampled_from(["github.com", "192.168.1.20", "other-box.lan"]))
@settings(max_examples=20, deadline=None)
def test_ssh_to_a_host_the_paste_does_not_tie_to_the_tailnet_is_not_read(error: str, host: str) -> None:
    text = f"{STATUS.format(host='azdev')}$ ssh ops@{host}\nssh: connect to host {host} port 22: {error}\n"
    assert "ssh-failed" not in [w["kind"] for w in run_json(text)["windows"]], text


def test_an_os_ping_to_a_lan_address_ties_nothing() -> None:
    text = (
        "$ ping nas.lan\nPING nas.lan (192.168.1.20) 56(84) bytes of data.\n"
        "$ ssh nas.lan\nssh: connect to host nas.lan port 22: No route to host\n$ tailscale status\n"
        "100.72.11.62 laptop ops@ linux -\n"
    )
    assert "ssh-failed" not in [w["kind"] for w in run_json(text)["windows"]]
