"""Paste classes behind blind batch 21's CLI misses (fix round cli-a), each proven over its variants.

- workload identity federation's token exchange refused by the Tailscale API (401/403): auth-key-rejected;
- a remote update tailscaled refused (its CLI not found where expected, or not its build): update-failed;
- LocalAPI's 403 ("Access denied: serve config denied", "<what> access denied") quoted mid-line: unix-access-denied;
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.text import SourceLine
from opskit.core.diagnose.windows import is_windows_error_line, parse_windows_error
from tests.diagnose.conftest import by_rule, cli_kinds, run_json, run_text


def _line_kind(line: str) -> str | None:
    """The kind one line is read as, or None when it is no CLI error opskit knows."""
    error = parse_windows_error(SourceLine(1, line, line)) if is_windows_error_line(line) else None
    return error.kind.value if error else None


# How people paste one error: bare, under a prompt, fenced (with a language), as inline code, quoted, in prose.
WRAPPERS = [
    "{error}\n",
    "$ {cmd}\n{error}\n",
    "runner@fv-az123:~$ {cmd}\n{error}\n",
    "```\n$ {cmd}\n{error}\n```\n",
    "```bash\n{error}\n```\n",
    "```\n{error}\n```\n",
    "`{error}`\n",
    "> {error}\n",
    "After turning on debug logging I see this error: {error}\n",
]

# ------------------------------------------------------------- workload identity federation: exchange refused

# feature/identityfederation exchangeJWTForToken: "token exchange failed with status %d: %s" (the body as the API
# sent it), wrapped by "failed to exchange JWT for access token: %w"; the CLI or the Action prints it.
EXCHANGE_BODIES = ['{"message":"Unauthorized"}', '{"message":"forbidden"}', '{"message":"invalid token"}', ""]
EXCHANGE_WRAPS = [
    "{e}",
    "failed to exchange JWT for access token: {e}",
    "2025-11-10T12:00:00.1234567Z failed to exchange JWT for access token: {e}",
    "Error: failed to exchange JWT for access token: {e}",
]
WIF_COMMANDS = [
    "tailscale up --client-id=kAbC123CNTRL --id-token=$ID_TOKEN --advertise-tags=tag:ci",
    "sudo tailscale up --client-id=${TS_CLIENT_ID} --audience=api.tailscale.com/kAbC --advertise-tags=tag:ci",
]


@given(
    st.sampled_from((401, 403)),
    st.sampled_from(EXCHANGE_BODIES),
    st.sampled_from(EXCHANGE_WRAPS),
    st.sampled_from(WIF_COMMANDS),
    st.sampled_from(WRAPPERS),
)
@settings(max_examples=60, deadline=None)
def test_a_refused_identity_federation_exchange_is_auth_key_rejected(
    status: int, body: str, wrap: str, command: str, wrapper: str
) -> None:
    error = wrap.format(e=f"token exchange failed with status {status}: {body}".rstrip())
    text = wrapper.format(cmd=command, error=error)
    assert cli_kinds(text) == ["auth-key-rejected"], text
    (finding,) = by_rule(run_text(text), "TS-UP-AUTH-KEY-REJECTED")
    assert "workload identity federation" in finding.cause
    assert "Trust credentials" in finding.fix and "id-token: write" in finding.fix


def test_other_exchange_failures_stay_the_log_s_mint_failure() -> None:
    # 400/5xx are not a refused credential: a tailscaled/containerboot log reads them as auth-key-mint-failed
    for status in (400, 500, 502):
        line = f"failed to exchange JWT for access token: token exchange failed with status {status}: oops"
        assert _line_kind(line) is None, line
        document = run_json(f"2025/07/23 15:09:50 {line}\n")
        (log,) = document["daemon_logs"]
        assert [issue["kind"] for issue in log["issues"]] == ["auth-key-mint-failed"]


# ----------------------------------------------------- a remote update the node refused (admin console, auto-update)

# What tailscaled answers the console's update request with (feature/clientupdate, ipn/ipnlocal before 1.90), and
# how the console and people relay it: the console's "Failed to update <machine>: node returned error: \"…\"",
# its outer quote kept, lost or unclosed, in prose, in a fence.
UPDATE_REFUSALS = [
    "failed to find cmd/tailscale binary: tailscale executable not found in expected place",
    'failed to find cmd/tailscale binary: exec: \\"/usr/bin/tailscale\\": permission denied',
    'cmd/tailscale version "1.90.2-t1234abcd" does not match tailscaled version "1.88.1-t5678ef01"',
]
CONSOLE_WRAPS = [
    "{e}",
    'Failed to update kindle: node returned error: "{e}"',
    '"Failed to update kindle: node returned error: "{e}"',
    'Failed to update nas-01: node returned error: "{e}',
    'Tried to update via the web portal but receive the message: "Failed to update pi: node returned error: "{e}""',
    "```\nFailed to update pi: node returned error: {e}\n```",
]


@pytest.mark.parametrize("wrap", CONSOLE_WRAPS)
@pytest.mark.parametrize("refusal", UPDATE_REFUSALS)
def test_a_remote_update_the_node_refused_is_update_failed(refusal: str, wrap: str) -> None:
    text = wrap.format(e=refusal) + "\n"
    assert cli_kinds(text) == ["update-failed"], text
    (finding,) = by_rule(run_text(text), "TS-CLI-UPDATE-FAILED")
    assert "remote update" in finding.cause and "nothing was updated" in finding.cause.lower()


# --------------------------------------------- LocalAPI's 403 quoted mid-line by a program acting for the user

# ipn/localapi's 403 bodies, as client/local's AccessDeniedError prints them ("Access denied: <body>").
LOCALAPI_403_BODIES = [
    "serve config denied",
    "cert access denied",
    "status access denied",
    "login access denied",
    "debug access denied",
    "denied; no debug access",
    "id-token access denied",
    "access denied",
]
# What the calling program wraps around it: the VS Code extension's output channel (tsrelay), a Go program's
# own wraps and log stamp, a slog attribute, a JS Error.
CALLER_WRAPS = [
    "2023-06-04 20:35:30.717 [info] [tsrelay] error creating serve: error setting serve config: "
    "sending serve config: {e}",
    "[tsrelay] error creating serve: {e}",
    "2024/05/01 10:00:00 error setting serve config: sending serve config: {e}",
    'time=2024-05-01T10:00:00Z level=ERROR msg="localapi call failed" err="{e}"',
    "Error: failed to get status: {e}",
    "{e}",
]


@given(st.sampled_from(LOCALAPI_403_BODIES), st.sampled_from(CALLER_WRAPS), st.sampled_from(("", "```\n")))
@settings(max_examples=60, deadline=None)
def test_localapi_refusing_a_user_mid_line_is_unix_access_denied(body: str, wrap: str, fence: str) -> None:
    line = wrap.format(e=f"Access denied: {body}")
    text = f"{fence}{line}\n{fence}"
    assert cli_kinds(text) == ["unix-access-denied"], text
    (finding,) = by_rule(run_text(text), "TS-LOCALAPI-ACCESS-DENIED")
    assert ("TS_PERMIT_CERT_UID" if body.startswith("cert ") else "--operator=$USER") in finding.fix
    if body == "serve config denied":
        assert "serve config" in finding.cause and "VS Code" in finding.fix


@pytest.mark.parametrize(
    "line",
    [
        "ERROR 1045 (28000): Access denied for user 'root'@'localhost'",
        "upload failed: Access denied: please contact your administrator",
        "git push: remote: Access denied: you do not have write access",
        "Error: Access denied: bucket policy forbids it",
    ],
)
def test_other_programs_access_denied_is_not_tailscale_s(line: str) -> None:
    assert _line_kind(line) != "unix-access-denied", line
