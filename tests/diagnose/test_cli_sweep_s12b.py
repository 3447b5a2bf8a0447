"""tailscaled's errors the CLI relays, read as classes (session 12, CLI sweep round 2: cli_catalog/relayed.py).

What the coverage sweep (cli_sweep.py) still read as nothing or only as a generic LocalAPI failure, and a user can
act on: system policy refusals (new kind `blocked-by-policy`), no network map yet (`not-running-state`), Taildrive's
PeerAPI refusals (`drive-failed`), UDP GRO forwarding not enabled (`udp-gro-suboptimal`). Each class is generated
under the shapes people paste (shell prompts, with and without the `tailscale` command line) and inside every wrapper
the CLI really prints around a LocalAPI answer (client/local: `Access denied: <body>` for 403, `<status>: <body>`,
the body alone for a JSON error; `backend error: ` from `up`; a command's own `<what>: ` prefix), with varied
values, and asserted on what a user sees in the JSON (`windows[].kind`, the finding's rule and cause, the exit
code). Negatives: the short generic bodies are read bare only under a tailscale command, a policy refusal is never
`unix-access-denied` (sudo does not help), tailscaled's own log line about a missing netmap stays a log line.
Messages from Tailscale's source at de9ec7ee2 (2026-08-22); file:line in each class.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.cli_sweep import EXTRACTS, measure, read_extract, relayed
from tests.diagnose.test_cli_sweep_s12 import PROMPTS, _assert_read, _document, _kinds, _paste

# client/local's wrappers of a LocalAPI error answer, by status (doLocalRequestNiceError, sendWithHeaders)
_STATUS_WRAPPERS = {
    403: ("Access denied: {}",),
    404: ("404 Not Found: {}",),
    500: ("500 Internal Server Error: {}", "backend error: {}"),
    503: ("503 Service Unavailable: {}",),
}
# what a command or a program puts in front of the relayed error
_PREFIXES = ("", "Error: ", "tailscale: ", "editing prefs: ")


# ---- system policy: blocked-by-policy ----
# ipn/ipnlocal/local.go:213/5217 (errManagedByPolicy, v1.74+), ipn/ipnauth/policy.go:62/65 (v1.82+),
# ipn/localapi/localapi.go:1909 (403, AllowTailscaledRestart)
_POLICY_BODIES = (
    ("tailscale set --exit-node={name}", "exit node cannot be changed: managed by policy", 500),
    ("tailscale up --exit-node={name}", "managed by policy", 500),
    ("tailscale down", "disconnect not allowed: always-on mode is enabled", 500),
    ("tailscale down --reason=", "disconnect not allowed: reason required", 500),
    ("tailscale debug restart-tailscaled", "shutdown access denied by policy", 403),
)


@settings(max_examples=120, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    case=st.sampled_from(_POLICY_BODIES),
    name=st.from_regex(
        r"[a-z][a-z0-9-]{1,12}|100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d{1,2}\.\d{1,3}", fullmatch=True
    ),
    wrapper=st.sampled_from(("bare", "status", "backend")),
    prefix=st.sampled_from(_PREFIXES),
)
def test_a_system_policy_refusal_is_blocked_by_policy_never_a_permission(
    prompt: str, case: tuple[str, str, int], name: str, wrapper: str, prefix: str
) -> None:
    command, body, status = case
    if wrapper == "bare":
        message = body
    elif wrapper == "backend" and status == 500:
        message = f"{prefix}backend error: {body}"
    else:
        message = prefix + _STATUS_WRAPPERS[status][0].format(body)
    text = _paste(prompt, command.format(name=name), message)
    _assert_read(text, "blocked-by-policy", "TS-CLI-BLOCKED-BY-POLICY", "policy")
    kinds = _kinds(text)
    assert "unix-access-denied" not in kinds and "exit-node-refused" not in kinds, (text, kinds)
    document = _document(text)
    assert document is not None
    finding = next(f for f in document["findings"] if f["rule"] == "TS-CLI-BLOCKED-BY-POLICY")  # type: ignore[union-attr]
    assert "sudo" in finding["fix"] and "syspolicy list" in finding["fix"], finding["fix"]


@pytest.mark.parametrize("prompt", PROMPTS)
def test_always_on_with_a_reason_allowed_says_how_to_give_one(prompt: str) -> None:
    text = _paste(prompt, "tailscale down", "disconnect not allowed: reason required")
    document = _document(text)
    assert document is not None
    finding = next(f for f in document["findings"] if f["rule"] == "TS-CLI-BLOCKED-BY-POLICY")  # type: ignore[union-attr]
    assert "--reason=" in finding["fix"] and "always-on" in finding["cause"], finding


# ---- no network map yet: not-running-state ----
# ipn/localapi/localapi.go:359/1141/1635/1931 (503), debug.go:305/322 (404), ipn/ipnlocal/local.go:8965 (ErrNoNetMap)
_NO_NETMAP = (
    ("tailscale id-token https://example.com", "no netmap", 503),
    ("tailscale service list", "no netmap", 503),
    ("tailscale funnel 443", "no netmap", 503),
    ("tailscale debug netmap", "no netmap", 404),
    ("tailscale exit-node suggest", "no network map, try again later", 500),
)


@settings(max_examples=100, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    case=st.sampled_from(_NO_NETMAP),
    wrapper=st.sampled_from(("bare", "status", "backend")),
    prefix=st.sampled_from((*_PREFIXES, "suggest exit node: ")),
)
def test_no_network_map_yet_is_a_node_not_running_not_a_missing_backend(
    prompt: str, case: tuple[str, str, int], wrapper: str, prefix: str
) -> None:
    command, body, status = case
    if wrapper == "bare":
        message = body
    elif wrapper == "backend":
        message = f"{prefix}backend error: {body}"
    else:
        message = prefix + _STATUS_WRAPPERS[status][0].format(body)
    text = _paste(prompt, command, message)
    _assert_read(text, "not-running-state", "TS-CLI-NOT-RUNNING-STATE", "network map")
    kinds = _kinds(text)
    assert "no-backend" not in kinds and "backend-error" not in kinds, (text, kinds)


# ---- Taildrive's PeerAPI answers: drive-failed ----
# ipn/ipnlocal/peerapi_drive.go:32 (404), :40 (403), :59 (404)
@settings(max_examples=60, deadline=None)
@given(
    case=st.sampled_from(
        (
            ("taildrive not permitted", 403, "cap/drive"),
            ("taildrive not enabled", 404, "Taildrive"),
            ("taildrive not supported on platform", 404, "platform"),
        )
    ),
    shape=st.sampled_from(
        ("{s}: {b}", "Access denied: {b}", "{b}", 'mount error: server said "{b}"', "curl: {s}: {b}")
    ),
    with_command=st.booleans(),
)
def test_a_taildrive_refusal_by_the_sharing_node_is_drive_failed(
    case: tuple[str, int, str], shape: str, with_command: bool
) -> None:
    body, status, cause_words = case
    status_line = "403 Forbidden" if status == 403 else "404 Not Found"
    message = shape.format(s=status_line, b=body)
    text = _paste("$ ", "tailscale drive list" if with_command else None, message)
    _assert_read(text, "drive-failed", "TS-CLI-DRIVE-FAILED", cause_words)


# ---- UDP GRO forwarding not enabled: udp-gro-suboptimal (an advisory) ----
# ipn/ipnlocal/local.go:7746/7765 relayed by LocalAPI's set-udp-gro-forwarding (containerboot's own "[unexpected] …"
# log line is a tailscaled-log line: not read here)
@settings(max_examples=60, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    stamp=st.sampled_from(("", "2026/08/22 11:48:56 ", "tailscale-0  | 2026/08/22 11:48:56 ")),
    body=st.sampled_from(
        (
            ("500 Internal Server Error: UDP GRO forwarding cannot be enabled in userspace mode", "userspace"),
            ("UDP GRO forwarding cannot be enabled in userspace mode", "userspace"),
            ("error enabling UDP GRO forwarding: operation not supported", "kernel"),
            ("500 Internal Server Error: error enabling UDP GRO forwarding: exit status 1", "kernel"),
        )
    ),
    with_command=st.booleans(),
)
def test_udp_gro_forwarding_not_enabled_says_why(
    prompt: str, stamp: str, body: tuple[str, str], with_command: bool
) -> None:
    message, cause_words = body
    text = _paste(
        prompt, "tailscale debug localapi POST set-udp-gro-forwarding" if with_command else None, stamp + message
    )
    document = _document(text)
    assert document is not None, text
    assert "udp-gro-suboptimal" in [e["kind"] for e in document["windows"] or []], text  # type: ignore[union-attr]
    finding = next(f for f in document["findings"] if f["rule"] == "TS-CLI-UDP-GRO-SUBOPTIMAL")  # type: ignore[union-attr]
    assert cause_words in finding["cause"] and "TS_USERSPACE=false" in finding["fix"], finding
    assert finding["severity"] == "warning" and document["summary"]["exit_code"] == 1, finding  # type: ignore[index]


# ---- negatives ----
@pytest.mark.parametrize(
    "text",
    [
        "managed by policy\n",  # a bare generic body without a tailscale command: unread
        "no netmap\n",
        "$ kubectl get pods\nno netmap\n",
        "Our laptops are managed by policy: see the wiki.\n",
        "2026/08/22 11:48:56 netmap: suggested exit node: no network map, try again later\n",  # tailscaled's own log
    ],
)
def test_the_short_bodies_are_not_read_outside_a_tailscale_answer(text: str) -> None:
    kinds = _kinds(text)
    assert "blocked-by-policy" not in kinds and "not-running-state" not in kinds, (text, kinds)


@pytest.mark.parametrize(
    "body", ["shutdown access denied", "prefs write access denied", "Access denied: serve config denied"]
)
def test_a_plain_localapi_permission_refusal_stays_unix_access_denied(body: str) -> None:
    kinds = _kinds(f"$ tailscale debug restart-tailscaled\n{body}\n")
    assert kinds == ["unix-access-denied"], kinds


# ---- the sweep's second figure: LocalAPI errors as the CLI prints them ----
@pytest.mark.parametrize(
    ("status", "printed"),
    [
        ("403 Forbidden", "Access denied: shutdown access denied by policy"),
        ("412 Precondition Failed", "Preconditions failed: shutdown access denied by policy"),
        ("503 Service Unavailable", "503 Service Unavailable: shutdown access denied by policy"),
        ("", "500 Internal Server Error: shutdown access denied by policy"),
    ],
)
def test_the_sweep_wraps_a_localapi_body_as_client_local_prints_it(status: str, printed: str) -> None:
    from tests.diagnose.cli_sweep import Message

    message = Message("shutdown access denied by policy", "ipn/localapi/localapi.go:1909", "up", "error", status)
    assert relayed(message) == printed
    assert relayed(Message("no netmap", "cmd/tailscale/cli/file.go:1", "file cp", "error")) is None


def test_the_extract_keeps_each_localapi_status() -> None:
    messages = read_extract(EXTRACTS / "head.tsv")
    statuses = {m.text: m.status for m in messages if m.where.startswith("ipn/localapi/")}
    assert statuses["shutdown access denied by policy"] == "403 Forbidden"
    assert statuses["no netmap"] in ("503 Service Unavailable", "404 Not Found")
    assert sum(1 for m in messages if m.status) > 150 and measure(messages[:5])["*"].total() == 5
