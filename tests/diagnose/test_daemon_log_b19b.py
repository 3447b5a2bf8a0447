"""Generated tests for tailscaled-log classes blind batches 19 and 20 missed (second logs helper): the control
client's own "url-visit-required" state (a login URL handed out, never visited), the Windows service's babysitter
seeing its tailscaled subprocess die and the atomic state-file write failing under it, relaynode's fatal exits
(2020), Go's Windows-only socket and file error wordings naming the OS, and a Windows start's log flush that is the
process exiting.

Each class is proven over the prefixes people paste (test_daemon_log.PREFIXES), the wrappings it comes in, and the
wordings Tailscale's source prints (control/controlclient auto.go + status.go, cmd/tailscaled/tailscaled_windows.go,
atomicfile, cmd/relaynode, logpolicy), not on the one sample that exposed it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.test_daemon_log import PREFIXES, _kinds, _log, _mangle

MANGLES = st.sampled_from(["plain", "crlf", "quote", "fence", "indent"])
GO_TIME_STAMPS = st.sampled_from(
    ["", "2021-10-13 23:18:46.819032234 -0400 EDT: ", "2022-05-26 20:54:13.0886801 -0700 PDT: ", "2021/10/13 23:18:46 "]
)
HEALTHY = "magicsock: derp-4 connected; connGen=1"
CONTROL = st.sampled_from(["control: ", "control: [v1] ", ""])

# ------------------------------------------------------------- the control client waiting on a login URL

URL_WAIT = st.sampled_from(
    [
        "authRoutine: state:url-visit-required; wantLoggedIn=true",
        "mapRoutine: state:url-visit-required",
        "authRoutine: state:url-visit-required; goal=nil paused=false",
    ]
)
CANCELED = st.sampled_from(
    [
        'WaitLoginURL: register request: Post "https://controlplane.tailscale.com/machine/XXXXXX": context canceled',
        'WaitLoginURL: register request: Post "https://controlplane.tailscale.com/machine/XX": **context canceled**',
        'TryLogin: register request: Post "https://hs.example.net/machine/abc": `context canceled`',
    ]
)


@given(st.sampled_from(PREFIXES), GO_TIME_STAMPS, CONTROL, URL_WAIT, CANCELED, st.booleans(), MANGLES)
@settings(max_examples=60, deadline=None)
def test_url_visit_required_is_a_login_never_completed(
    prefix: str, stamp: str, control: str, wait: str, canceled: str, logged_in_after: bool, how: str
) -> None:
    lines = [
        f"{stamp}{control}client.Shutdown()",
        f"{stamp}{control}{canceled}",
        f"{stamp}{control}{wait}",
        f"{stamp}{control}authRoutine: quit",
    ]
    if logged_in_after:
        lines.append(f"{stamp}{control}authRoutine: state:authenticated; wantLoggedIn=true")
    log = _log(_mangle([prefix.format(msg=line) for line in lines], how))
    kinds = _kinds(log)
    assert ("login-required" in kinds) is not logged_in_after
    # the register request was cancelled by the client's own shutdown: control answered nothing, and was not lost
    assert "control-unreachable" not in kinds


@given(st.sampled_from(PREFIXES), CONTROL, st.sampled_from(["authenticated", "synchronized", "new", "authenticating"]))
@settings(max_examples=30, deadline=None)
def test_other_control_client_states_ask_for_no_login(prefix: str, control: str, state: str) -> None:
    lines = [HEALTHY, f"{control}authRoutine: state:{state}; wantLoggedIn=true", f"{control}mapRoutine: state:{state}"]
    log = _log("\n".join(prefix.format(msg=line) for line in lines) + "\n")
    assert "login-required" not in _kinds(log)
