"""Generated tests for three tailscaled log classes of blind batch 16, read the way Tailscale's source writes them:

- netstack's forwarded connections (wgengine/netstack/netstack.go forwardTCP: ``netstack: could not connect to
  local server at %s: %v``, ``local backend server`` since v1.5x): the same line for this node's own services
  (dialled on loopback, or its own tailnet address in old versions: a port no serve handler takes,
  ``inbound-port-unhandled`` since the lead's session-15 decision) and for every
  connection an exit node or subnet router forwards (the real destination: refused there is
  ``destination-refused``, no way there is ``netstack-forward-unreachable``);
- ``tailnet-lock-sync-failed``: ipn/ipnlocal ``[v1] TKA sync error: %v`` around tkaSyncIfNeeded's errors,
  ``initTKALocked: %v`` and ``TKA desync: …``; ``tkaSyncIfNeeded: no node key in prefs`` is a node not logged in;
- ``update-failed``: an update or reinstall of Tailscale whose download from pkgs.tailscale.com fails (curl, apt,
  dnf, wget wordings) in the journal where tailscaled was stopped for it; a new run that gets further clears it.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.output.diagnose import to_json
from tests.diagnose.conftest import by_rule, run_text
from tests.diagnose.test_daemon_log import PREFIXES

MANGLES = st.sampled_from(["plain", "quote", "indent", "fence", "crlf"])
WORDINGS = st.sampled_from(["local server", "local backend server", "local backend  server"])
STAMPS = st.sampled_from(["", "2024/02/26 20:46:58 "])


def _paste(lines: list[str], how: str) -> str:
    if how == "quote":
        lines = [f"> {line}" for line in lines]
    elif how == "indent":
        lines = [f"    {line}" for line in lines]
    elif how == "fence":
        lines = ["```", *lines, "```"]
    return ("\r\n" if how == "crlf" else "\n").join(lines) + "\n"


def _document(text: str) -> dict[str, Any]:
    diagnosis = run_text(text)
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    return {**document, "diagnosis": diagnosis}


def _kinds(document: dict[str, Any]) -> set[str]:
    return {issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]}


LOCAL = st.sampled_from(
    ["127.0.0.1:8123", "127.0.0.1:443", "[::1]:80", "100.101.7.9:22", "[fd7a:115c:a1e0::1f01:709]:80"]
)
REMOTE = st.sampled_from(
    [
        "[2a00:1450:400e:811::200a]:443",
        "172.217.168.227:443",
        "192.168.5.201:1168",
        "10.0.0.7:3389",
        "[fe80::1%eth0]:22",
    ]
)
REFUSED = st.sampled_from(["connect: connection refused", "connect:  connection refused", "connection was refused"])
UNREACHABLE = st.sampled_from(
    [
        "connect: network is unreachable",
        "connect: no route to host",
        "connect: connection timed out",
        "i/o timeout",
        "connect: host is unreachable",
    ]
)


def _netstack(prefix: str, stamp: str, wording: str, target: str, error: str) -> str:
    return prefix.format(msg=f"{stamp}netstack: could not connect to {wording} at {target}: dial tcp {target}: {error}")


@given(st.sampled_from(PREFIXES), STAMPS, WORDINGS, REMOTE, UNREACHABLE, MANGLES)
@settings(max_examples=80, deadline=None)
def test_a_forwarded_connection_with_no_way_to_its_destination_is_forward_unreachable(
    prefix: str, stamp: str, wording: str, target: str, error: str, how: str
) -> None:
    line = _netstack(prefix, stamp, wording, target, error)
    document = _document(_paste([line, line], how))
    assert _kinds(document) - {"hand-started"} == {"netstack-forward-unreachable"}
    assert document["summary"]["exit_code"] == 1
    (finding,) = by_rule(document["diagnosis"], "TS-LOG-NETSTACK-FORWARD-UNREACHABLE")
    assert target in finding.cause
    assert ("IPv6" in finding.fix) == target.startswith("[")


@given(st.sampled_from(PREFIXES), STAMPS, WORDINGS, REMOTE, REFUSED, MANGLES)
@settings(max_examples=60, deadline=None)
def test_a_forwarded_connection_the_destination_refuses_is_destination_refused(
    prefix: str, stamp: str, wording: str, target: str, error: str, how: str
) -> None:
    line = _netstack(prefix, stamp, wording, target, error)
    assert _kinds(_document(_paste([line], how))) - {"hand-started"} == {"destination-refused"}


@given(st.sampled_from(PREFIXES), STAMPS, WORDINGS, LOCAL, st.one_of(REFUSED, UNREACHABLE), MANGLES)
@settings(max_examples=60, deadline=None)
def test_a_connection_to_this_nodes_own_port_is_an_unhandled_port(
    prefix: str, stamp: str, wording: str, target: str, error: str, how: str
) -> None:
    # lead (session 15): was serve-backend-unreachable; acceptTCP hands serve's ports to serve before forwardTCP
    line = _netstack(prefix, stamp, wording, target, error)
    assert _kinds(_document(_paste([line], how))) - {"hand-started"} == {"inbound-port-unhandled"}


@given(st.sampled_from(PREFIXES), REMOTE, st.sampled_from(["", " (16 dropped)"]), MANGLES)
@settings(max_examples=40, deadline=None)
def test_the_rate_limited_format_adds_no_kind_of_its_own(prefix: str, target: str, dropped: str, how: str) -> None:
    real = _netstack(prefix, "", "local server", target, "connect: network is unreachable")
    limited = prefix.format(msg=f'[RATELIMIT] format("netstack: could not connect to local server at %s: %v"){dropped}')
    document = _document(_paste([real, limited, limited], how))
    assert _kinds(document) - {"hand-started"} == {"netstack-forward-unreachable"}


LOCK_ERRORS = st.sampled_from(
    [
        "[v1] TKA sync error: bootstrap: network-lock is not supported in this configuration, try setting --statedir",
        "TKA sync error: bootstrap: network-lock is not supported in this configuration, try setting --statedir",
        'TKA sync error: fetching bootstrap: Post "https://controlplane.tailscale.com/machine/tka/bootstrap": EOF',
        "TKA sync error: tka sync: offer RPC: send RPC: context deadline exceeded",
        "TKA sync error: bootstrap: tka bootstrap: chonk: mkdir /var/lib/tailscale/tka: permission denied",
        "initTKALocked: opening tailchonk: open /var/lib/tailscale/tka-profiles/x: permission denied",
        "TKA desync: expected consensus after sync but our head is A and the control plane's is B",
    ]
)


@given(st.sampled_from(PREFIXES), LOCK_ERRORS, MANGLES)
@settings(max_examples=60, deadline=None)
def test_a_failed_tailnet_lock_sync_is_read_under_every_prefix(prefix: str, error: str, how: str) -> None:
    document = _document(_paste([prefix.format(msg=error)], how))
    # a lock state directory tailscaled may not write is the state's problem too
    also = {"state-unwritable"} if "permission denied" in error else set()
    assert _kinds(document) - {"hand-started"} == {"tailnet-lock-sync-failed", *also}
    assert document["summary"]["exit_code"] == 1
    (finding,) = by_rule(document["diagnosis"], "TS-LOG-TAILNET-LOCK-SYNC-FAILED")
    assert ("--statedir=" in finding.fix) == ("lock is not supported" in error)


@given(st.integers(min_value=len("TKA sync error: bootstrap: network-lock is not supported") + 1, max_value=100))
@settings(max_examples=20, deadline=None)
def test_the_statedir_lock_error_wrapped_by_hand_is_still_read(wrap_at: int) -> None:
    # a pull request's indented, wrapped copy of the line: the statedir fix holds wherever it was cut
    error = "TKA sync error: bootstrap: network-lock is not supported in this configuration, try setting --statedir"
    cut = error.rfind(" ", 0, wrap_at)
    document = _document(f"    {error[:cut]}\n    {error[cut + 1 :]}\n")
    assert _kinds(document) == {"tailnet-lock-sync-failed"}
    (finding,) = by_rule(document["diagnosis"], "TS-LOG-TAILNET-LOCK-SYNC-FAILED")
    assert "--statedir=" in finding.fix


def test_a_node_without_a_node_key_is_no_lock_failure() -> None:
    document = _document("logtail started\nTKA sync error: tkaSyncIfNeeded: no node key in prefs\n")
    assert "tailnet-lock-sync-failed" not in _kinds(document)


UPDATER_PREFIXES = st.sampled_from(
    [
        "{msg}",
        "Dec 09 03:40:15 Ruteren bash[2279971]: {msg}",
        "Dec 09 03:40:15 router sh[812]: {msg}",
        "Dec 09 03:40:15 router tailscale-update.sh[812]: {msg}",
        "2025-12-09T03:40:15+01:00 gw tailscale-unifi[4411]: {msg}",
    ]
)
DOWNLOAD_FAILURES = st.sampled_from(
    [
        "curl: (6) Could not resolve host: pkgs.tailscale.com",
        "curl: (7) Failed to connect to pkgs.tailscale.com port 443 after 3 ms: Couldn't connect to server",
        "W: Failed to fetch https://pkgs.tailscale.com/stable/debian/dists/bookworm/InRelease  Temporary failure "
        "resolving 'pkgs.tailscale.com'",
        "  Temporary failure resolving 'pkgs.tailscale.com'",
        "Curl error (6): Couldn't resolve host name for https://pkgs.tailscale.com/stable/fedora/repodata/repomd.xml "
        "[Could not resolve host: pkgs.tailscale.com]",
        "wget: unable to resolve host address 'pkgs.tailscale.com'",
        "wget: bad address 'pkgs.tailscale.com'",
        "curl: (22) The requested URL returned error: 404 for https://pkgs.tailscale.com/stable/tailscale_1.92.3_arm64.tgz",
    ]
)
STOPPED = [
    "Dec 09 03:40:14 Ruteren tailscaled[2279937]: flushing log.",
    "Dec 09 03:40:14 Ruteren tailscaled[2279937]: logger closing down",
    "Dec 09 03:40:15 Ruteren systemd[1]: tailscaled.service: Succeeded.",
    "Dec 09 03:40:15 Ruteren systemd[1]: Stopped Tailscale node agent.",
]
STARTED_AGAIN = [
    'Dec 09 03:41:02 Ruteren tailscaled[2280112]: Program starting: v1.92.3-t1a2b3c4d5, Go 1.25.5: []string{"/usr/sbin/'
    'tailscaled", "--port=41641"}',
    "Dec 09 03:41:04 Ruteren tailscaled[2280112]: Switching ipn state Starting -> Running (WantRunning=true, nm=true)",
]


@given(UPDATER_PREFIXES, DOWNLOAD_FAILURES, MANGLES, st.booleans())
@settings(max_examples=80, deadline=None)
def test_an_update_whose_download_fails_is_update_failed(prefix: str, failure: str, how: str, stopped: bool) -> None:
    lines = [*(STOPPED if stopped else STOPPED[-1:]), prefix.format(msg="Installing latest Tailscale package...")]
    document = _document(_paste([*lines, prefix.format(msg=failure)], how))
    assert _kinds(document) - {"hand-started"} == {"update-failed"}
    assert document["summary"]["exit_code"] == 1
    (finding,) = by_rule(document["diagnosis"], "TS-LOG-UPDATE-FAILED")
    assert "pkgs.tailscale.com" in finding.fix


@given(UPDATER_PREFIXES, DOWNLOAD_FAILURES, MANGLES)
@settings(max_examples=40, deadline=None)
def test_a_new_run_that_gets_further_clears_a_failed_update(prefix: str, failure: str, how: str) -> None:
    document = _document(_paste([*STOPPED, prefix.format(msg=failure), *STARTED_AGAIN], how))
    assert "update-failed" not in _kinds(document)


@given(
    UPDATER_PREFIXES,
    st.sampled_from(
        [
            "Get:2 https://pkgs.tailscale.com/stable/debian bookworm/main amd64 Packages [503 kB]",
            "Hit:1 https://pkgs.tailscale.com/stable/debian bookworm InRelease",
            "curl -fsSL https://pkgs.tailscale.com/stable/debian/bookworm.noarmor.gpg",
            "Installing latest Tailscale package repository from pkgs.tailscale.com...",
        ]
    ),
)
@settings(max_examples=30, deadline=None)
def test_a_download_that_works_is_no_failed_update(prefix: str, line: str) -> None:
    text = _paste([STOPPED[0], prefix.format(msg=line)], "plain")
    assert "update-failed" not in _kinds(_document(text))
