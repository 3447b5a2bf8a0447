"""Paste classes behind blind batch 21's CLI misses (fix round cli-a), each proven over its variants.

- workload identity federation's token exchange refused by the Tailscale API (401/403): auth-key-rejected;
- a remote update tailscaled refused (its CLI not found where expected, or not its build): update-failed;
- LocalAPI's 403 ("Access denied: serve config denied", "<what> access denied") quoted mid-line: unix-access-denied;
- a registration request that never reached control: control-unreachable in the log and relayed by the CLI;
- `tailscale update` crashing (Go signal or panic) under its `Extracting "…tgz"` line or prompt:
  cli-panic + update-failed.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.text import SourceLine
from opskit.core.diagnose.windows import is_windows_error_line, parse_windows_error
from opskit.errors import InputError
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


# ------------------------------------------------ a registration request that never reached the control server

# controlclient/direct.go "register request: %w" around net/http's error: the POST got no answer (controlhttp's
# "connection attempts aborted by context", a dial timeout, a refused or reset connection) or a 5xx.
REGISTER_FAILURES = [
    'register request: Post "https://controlplane.tailscale.com/machine/register": connection attempts aborted '
    "by context: context deadline exceeded",
    'register request: Post "https://controlplane.tailscale.com/machine/register": dial tcp 192.0.2.1:443: i/o timeout',
    'register request: Post "https://hs.example.com/machine/register": read tcp 10.0.0.2:51234->'
    "192.0.2.1:443: read: connection reset by peer",
    "register request: http 502: <html>bad gateway</html>",
]
# tailscaled's own log line ("Received error: %v", ipn/ipnlocal), bare or under its prefixes.
LOG_WRAPS = [
    "Received error: {e}",
    "2023/07/26 20:06:53 Received error: {e}",
    "tailscale_web_1  | 2023/07/26 20:06:53 Received error: {e}",
    "Jul 26 20:06:53 umbrel tailscaled[812]: Received error: {e}",
    "```\nReceived error: {e}\n```",
]
# the same error relayed to a person by the CLI or LocalAPI
RELAY_WRAPS = [
    "backend error: {e}",
    "$ sudo tailscale up\nbackend error: {e}",
    "500 Internal Server Error: {e}",
    "`backend error: {e}`",
]


@given(st.sampled_from(REGISTER_FAILURES), st.sampled_from(LOG_WRAPS))
@settings(max_examples=40, deadline=None)
def test_a_register_request_without_an_answer_in_tailscaled_s_log_is_control_unreachable(error: str, wrap: str) -> None:
    document = run_json(wrap.format(e=error) + "\n")
    (log,) = document["daemon_logs"]
    assert "control-unreachable" in [issue["kind"] for issue in log["issues"]]


@given(st.sampled_from(REGISTER_FAILURES), st.sampled_from(RELAY_WRAPS))
@settings(max_examples=40, deadline=None)
def test_a_register_request_without_an_answer_relayed_by_the_cli_is_control_unreachable(error: str, wrap: str) -> None:
    text = wrap.format(e=error) + "\n"
    assert cli_kinds(text) == ["control-unreachable"], text
    (finding,) = by_rule(run_text(text), "TS-UP-CONTROL-UNREACHABLE")
    assert "/machine/register" in finding.cause and "controlplane.tailscale.com/key" in finding.fix


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_a_registration_control_answered_is_not_control_unreachable(status: int) -> None:
    kind = _line_kind(f"backend error: register request: http {status}: invalid key")
    assert kind != "control-unreachable"


# ------------------------------------------------------------------- `tailscale update` crashing while it runs

# The Go runtime's crash header: a fatal signal outside Go code (runtime/signal_unix.go) or a panic, with what
# posters keep of the rest (nothing, the PC line, a goroutine header).
CRASHES = [
    "SIGBUS: bus error\nPC=Bus error",
    "SIGBUS: bus error\nPC=0x1c2d4 m=0 sigcode=2\n\ngoroutine 0 [idle]:",
    "SIGSEGV: segmentation violation\nPC=0x0 m=3 sigcode=1",
    "SIGILL: illegal instruction\nPC=0x8a4f0 m=0 sigcode=1",
    "panic: runtime error: invalid memory address or nil pointer dereference\n"
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x5a1b2c]\n\ngoroutine 1 [running]:",
    "fatal error: runtime: out of memory",
]
TARBALLS = [
    ("/tmp/root/.cache/tailscale-update/tailscale_1.94.1_arm.tgz", "1.94.1"),
    ("/root/.cache/tailscale-update/tailscale_1.80.0_arm64.tgz", "1.80.0"),
    ("/home/pi/.cache/tailscale-update/tailscale_1.66.4_mips.tgz", "1.66.4"),
]
UPDATE_LEADS = [
    'Extracting "{tarball}"\n',
    '$ ./tailscale update\nUpdating to {version}\nExtracting "{tarball}"\n',
    '[root@kindle bin]# ./tailscale update --yes\nExtracting "{tarball}"\n\n',
    '```\nExtracting "{tarball}"\n',
]


@given(st.sampled_from(CRASHES), st.sampled_from(TARBALLS), st.sampled_from(UPDATE_LEADS))
@settings(max_examples=60, deadline=None)
def test_the_cli_crashing_while_it_updates_is_a_cli_panic_and_a_failed_update(
    crash: str, tarball: tuple[str, str], lead: str
) -> None:
    path, version = tarball
    text = lead.format(tarball=path, version=version) + crash + ("\n```\n" if lead.startswith("```") else "\n")
    assert sorted(cli_kinds(text)) == ["cli-panic", "update-failed"], text
    diagnosis = run_text(text)
    (finding,) = by_rule(diagnosis, "TS-CLI-UPDATE-FAILED")
    assert f"while installing {version}" in finding.cause and "did not finish" in finding.cause
    assert "tailscale-update" in finding.fix
    assert not by_rule(diagnosis, "TS-LOG-CRASH")  # the CLI's crash, not tailscaled's


@given(st.sampled_from(CRASHES))
@settings(max_examples=20, deadline=None)
def test_a_crash_under_a_tailscale_update_prompt_is_a_failed_update(crash: str) -> None:
    text = f"$ sudo tailscale update --yes\n{crash}\n"
    assert sorted(cli_kinds(text)) == ["cli-panic", "update-failed"], text


def test_a_signal_crash_in_tailscaled_s_log_stays_the_daemon_s() -> None:
    text = (
        '2024/01/01 10:00:00 Program starting: v1.60.0-t1234, Go 1.22.0: []string{"tailscaled"}\n'
        "SIGSEGV: segmentation violation\nPC=0x1234 m=0 sigcode=1\n"
    )
    document = run_json(text)
    assert [block["kind"] for block in document["blocks"]] == ["tailscaled-log"]
    assert "crash" in [issue["kind"] for issue in document["daemon_logs"][0]["issues"]]
    # an update that went on (no crash under its progress line) is no failure: nothing to diagnose
    with pytest.raises(InputError):
        run_text('Extracting "/root/.cache/tailscale-update/tailscale_1.94.1_arm.tgz"\nSuccess\n')
