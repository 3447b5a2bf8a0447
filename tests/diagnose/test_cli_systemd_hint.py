"""Generated tests for the Linux client library's systemd hint (blind batch 20: corpus 818).

When LocalAPI does not answer, the client library adds a hint (client/local/local.go tailscaledConnectHint):
"systemd tailscaled.service not running." when `systemctl show tailscaled.service` finds the unit loaded but
not active/running, "not running?" otherwise. The CLI wraps it in "failed to connect to local tailscaled (which
appears to be running as tailscaled, pid N). Got error: …" when it sees a tailscaled process
(cmd/tailscale/cli/diag.go). A process seen and no socket is pipe-missing; systemd's word that the unit is down
is service-not-running too (the unit failing at start-up in a restart loop), never an access problem.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import cli_kinds, run_text

PATHS = ["/localapi/v0/status", "/localapi/v0/profiles/", "/localapi/v0/prefs", "/localapi/v0/watch-ipn-bus"]
SOCKETS = ["/var/run/tailscale/tailscaled.sock", "/run/tailscale/tailscaled.sock"]
DIALS = ["connect: no such file or directory", "connect: connection refused"]
# cmd/tailscale/cli/diag.go's wrapper when a tailscaled process is found, or the library's error alone
WRAPPERS = [
    "failed to connect to local tailscaled (which appears to be running as tailscaled, pid {pid}). Got error: {e}",
    "{e}",
]
# How it reaches the issue: under a prompt, quoted `>"…"`, as a bug template's bullet, log.Fatal's stamp, fenced
LAYOUTS = [
    "root@pi:~# tailscale up\n{m}\n",
    '>"{m}"\n',
    "#### Actual behaviour\n\n- ...{m}\n",
    "2023/10/19 10:00:01 {m}\n",
    "```\n$ sudo tailscale status\n{m}\n```\n",
]


def _error(path: str, hint: str, socket: str, dial: str) -> str:
    return f"Failed to connect to local Tailscale daemon for {path}; {hint} Error: dial unix {socket}: {dial}"


@given(
    st.sampled_from(PATHS),
    st.sampled_from(SOCKETS),
    st.sampled_from(DIALS),
    st.sampled_from(WRAPPERS),
    st.sampled_from(LAYOUTS),
    st.integers(min_value=2, max_value=99999),
)
@settings(max_examples=60, deadline=None)
def test_systemd_saying_the_unit_is_down_is_service_not_running(
    path: str, socket: str, dial: str, wrapper: str, layout: str, pid: int
) -> None:
    message = wrapper.format(pid=pid, e=_error(path, "systemd tailscaled.service not running.", socket, dial))
    text = layout.format(m=message)
    kinds = cli_kinds(text)
    assert "service-not-running" in kinds and "unix-access-denied" not in kinds, (kinds, text)
    diagnosis = run_text(text)
    finding = next(f for f in diagnosis.findings if f.rule_id == "TS-WIN-SERVICE-NOT-RUNNING")
    assert "systemd" in finding.cause and "journalctl -u tailscaled" in finding.fix, finding
    assert "Start-Service" not in finding.fix and "tailscaled.exe" not in finding.cause, finding
    if "pid" in wrapper:
        assert f"tailscaled pid {pid}" in finding.cause, finding.cause


@given(st.sampled_from(PATHS), st.sampled_from(SOCKETS), st.sampled_from(DIALS), st.sampled_from(LAYOUTS))
@settings(max_examples=30, deadline=None)
def test_a_process_seen_without_the_systemd_hint_stays_a_missing_socket(
    path: str, socket: str, dial: str, layout: str
) -> None:
    # "not running?" is the hint when systemd has no such unit or it runs: the process seen holds another socket.
    message = WRAPPERS[0].format(pid=4242, e=_error(path, "not running?", socket, dial))
    kinds = cli_kinds(layout.format(m=message))
    assert kinds and set(kinds) == {"pipe-missing"}, kinds
