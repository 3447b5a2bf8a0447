"""Generated tests for the SSH and serve classes blind batch 28 missed (corpus 1460, 1461, 1464, 1466), on variants:

- the Tailscale SSH server's messages to the client when a session it must record cannot be (ssh/tailssh): the
  local recording's "can't start new recording" (TS_DEBUG_LOG_SSH .cast files: the server's disk), and the
  recorder upload failures v1.40-v1.9x printed ("recording upload ended before the SSH session", the
  recorder's "recording: received error from the recorder: …", "did not receive ack frames from the recorder
  in 30s"), bare or with OpenSSH's "Connection to … closed.", under `tailscale ssh`/`ssh` prompts, with the
  server's CRLF, in fences, inline code, quotes: `ssh-failed` with the cause of its variant (local disk vs
  recorder, the session refused), exit 1; tailscaled's own log lines of the same failures stay the daemon log's;
- check mode: control's "Tailscale SSH check mode unavailable … code TSS_…" and the server's banners "failed to
  fetch next SSH action", "reached Action that had neither Accept, Reject, nor HoldAndDelegate": `ssh-failed`
  whose fix is to log in again / re-authenticate;
- serve/funnel's refusal of the pre-1.52 syntax ("Error: the CLI for serve and funnel has changed. …"): `cli-usage`,
  saying the suggested translation is wrong too when it gives a port flag the rest of a URL (`--tcp //host:port`);
- `tailscale serve set-config` refusing an endpoint of the Services config file (``service "svc:…": failed apply
  web serve: …``, ``failed to apply TCP serve: …``, ``source ports must be TCP`` …): `serve-config-invalid`
  (``invalid port "0"``: the CLI's port counter wrapping past 65535), while the same refusal of an interactive
  `tailscale serve` stays `serve-failed`.
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json

HOSTS = ["serverHostName", "web-1", "db.tail1234.ts.net", "100.101.102.103", "prod-box.example.com"]
SSH_PROMPTS = [
    "",
    "$ tailscale ssh {host}\n",
    "user@laptop:~$ tailscale ssh root@{host}\n",
    "% ssh alice@{host}\n",
    "PS C:\\Users\\me> tailscale ssh {host}\n",
]
# How the message reaches a paste: a fence, inline code, a markdown quote, the server's CRLF, a retelling.
SSH_WRAPS = [
    "{e}\nConnection to {host} closed.\n",
    "```\n{e}\nConnection to {host} closed.\n```\n",
    "{e}\r\nConnection to {host} closed.\r\n",
    "`{e}`\n",
    "> {e}\n",
    "{e}\n",
    "When I connect I get this error: {e}\n",
]


@functools.cache
def _read(text: str) -> dict[str, Any] | None:
    """The paste's structured output, None when opskit finds nothing to diagnose in it (exit 2). Diagnosed once per
    paste: hypothesis draws the same paste again from these small sample spaces (and replays each failure), and
    the tests only read the document."""
    try:
        return run_json(text)
    except InputError:
        return None


def _run(text: str) -> dict[str, Any]:
    document = _read(text)
    assert document is not None, f"nothing to diagnose in {text!r}"
    return document


def _document(prompt: str, wrap: str, message: str, host: str) -> tuple[str, dict[str, Any]]:
    text = prompt.format(host=host) + wrap.format(e=message, host=host)
    return text, _run(text)


def _ssh_finding(document: dict[str, Any]) -> dict[str, Any]:
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-CLI-SSH-FAILED"]
    return finding


def _kinds(document: dict[str, Any]) -> list[str]:
    return [w["kind"] for w in document["windows"] or []]


def _kinds_read(text: str) -> list[str]:
    """The CLI error kinds of a paste, none when opskit finds nothing to diagnose in it (exit 2)."""
    document = _read(text)
    return [] if document is None else _kinds(document)


# --------------------------------------------------------------------------- session recording

LOCAL_RECORDING = ["can't start new recording", "can\u2019t start new recording", "cant start new recording"]


@given(
    st.sampled_from(LOCAL_RECORDING),
    st.sampled_from(SSH_PROMPTS),
    st.sampled_from(SSH_WRAPS),
    st.sampled_from(HOSTS),
)
@settings(max_examples=60, deadline=None)
def test_local_recording_that_cannot_start_is_ssh_failed_on_the_servers_disk(
    message: str, prompt: str, wrap: str, host: str
) -> None:
    text, document = _document(prompt, wrap, message, host)
    assert _kinds(document) == ["ssh-failed"], text
    assert document["summary"]["exit_code"] == 1
    finding = _ssh_finding(document)
    assert "TS_DEBUG_LOG_SSH" in finding["cause"] and "refused the session" in finding["cause"]
    assert "disk" in finding["fix"] and "TS_DEBUG_LOG_SSH" in finding["fix"]
    rules = {f["rule"] for f in document["findings"]}
    assert not rules & {"TS-CLI-SERVICE-NOT-RUNNING", "TS-CLI-SSH-POLICY-NO-ACCESS", "TS-CLI-SSH-SERVER-UNSUPPORTED"}


RECORDER_FAILURES = [
    "recording upload ended before the SSH session",
    'recording: received error from the recorder: "storage unavailable"',
    'recording: received error from the recorder: "failed to write: no space left on device"',
    "did not receive ack frames from the recorder in 30s",
]


@given(
    st.sampled_from(RECORDER_FAILURES),
    st.sampled_from(SSH_PROMPTS),
    st.sampled_from(SSH_WRAPS),
    st.sampled_from(HOSTS),
)
@settings(max_examples=60, deadline=None)
def test_recorder_failure_printed_to_the_client_is_ssh_failed_on_the_recorder(
    message: str, prompt: str, wrap: str, host: str
) -> None:
    text, document = _document(prompt, wrap, message, host)
    assert _kinds(document) == ["ssh-failed"], text
    finding = _ssh_finding(document)
    assert "recorder" in finding["cause"] and "enforceRecorder" in finding["cause"]
    assert "disk space" not in finding["fix"] and "enforceRecorder: false" in finding["fix"]


DAEMON_RECORDING_LINES = [
    "ssh-session(sess-20250404T101500-8f3a91c2d4): startNewRecording: no var root for recording storage",
    "ssh-session(sess-20250404T101500-8f3a91c2d4): startNewRecording: open /var/lib/tailscale/ssh-sessions/"
    "ssh-session-1.cast: no space left on device",
    "ssh-session(sess-20250404T101500-8f3a91c2d4): recording: error uploading recording (closing session): "
    "recording upload ended before the SSH session",
    "ssh-session(sess-20250404T101500-8f3a91c2d4): recording: error starting recording (rejecting session): "
    "did not receive ack frames from the recorder in 30s",
]
LOG_STAMPS = ["Nov 13 02:07:34 host tailscaled[11844]: ", "2025/04/04 10:15:00 ", ""]


@given(st.sampled_from(DAEMON_RECORDING_LINES), st.sampled_from(LOG_STAMPS))
@settings(max_examples=20, deadline=None)
def test_tailscaleds_own_recording_lines_stay_the_daemon_logs(line: str, stamp: str) -> None:
    document = _run(f"{stamp}{line}\n")
    assert "ssh-failed" not in _kinds(document), line
    assert "TS-CLI-SSH-FAILED" not in {f["rule"] for f in document["findings"]}


# --------------------------------------------------------------------------- check mode

CHECK_MODE = [
    "Tailscale SSH check mode unavailable. Please contact support with code TSS_SSH_FIX. Connection closed",
    "Tailscale SSH check mode unavailable. Please contact support with code TSS_SSH_FIX.",
    "Tailscale SSH check mode unavailable",
    "tailscale: failed to fetch next SSH action",
    "failed to fetch next SSH action",
    "tailscale: reached Action that had neither Accept, Reject, nor HoldAndDelegate",
]


@given(
    st.sampled_from(CHECK_MODE),
    st.sampled_from(SSH_PROMPTS),
    st.sampled_from(SSH_WRAPS),
    st.sampled_from(HOSTS),
)
@settings(max_examples=60, deadline=None)
def test_check_mode_refusal_is_ssh_failed_saying_to_authenticate_again(
    message: str, prompt: str, wrap: str, host: str
) -> None:
    text, document = _document(prompt, wrap, message, host)
    assert _kinds(document) == ["ssh-failed"], text
    assert document["summary"]["exit_code"] == 1
    finding = _ssh_finding(document)
    assert "check" in finding["cause"]
    if "Action that had neither" not in message:
        assert "login" in finding["fix"] or "signing in" in finding["fix"], finding["fix"]
    rules = {f["rule"] for f in document["findings"]}
    assert not rules & {"TS-CLI-SERVICE-NOT-RUNNING", "TS-STATUS-NOT-RUNNING"}


@given(st.sampled_from(LOG_STAMPS))
@settings(max_examples=5, deadline=None)
def test_the_servers_own_log_of_a_failed_check_stays_the_daemon_logs(stamp: str) -> None:
    line = (
        "ssh-conn-20250404T101500-8f3a91c2d4: failed to fetch next SSH action: fetch failed from "
        "https://login.tailscale.com/machine/ssh/action/x: context deadline exceeded"
    )
    assert "ssh-failed" not in _kinds_read(f"{stamp}{line}\n")


NOT_SSH_FAILURES = [
    "I started a new recording of my screen to show the problem\n",
    "Recording starts now.\n",
    "the recorder node is up and recording sessions fine\n",
    "Tailscale SSH check mode is enabled for prod\n",
    "We use check mode with a checkPeriod of 12h.\n",
]


@given(st.sampled_from(NOT_SSH_FAILURES))
@settings(max_examples=10, deadline=None)
def test_prose_about_recordings_and_check_mode_is_not_ssh_failed(text: str) -> None:
    assert "ssh-failed" not in _kinds_read(text)


# --------------------------------------------------------------------------- serve/funnel's pre-1.52 syntax

HEADER = "Error: the CLI for serve and funnel has changed. You can run the following command instead:"
KB = "\nPlease see https://tailscale.com/kb/1242/tailscale-serve for more information.\n"
URLS = ["localhost:3000", "127.0.0.1:8080", "localhost:22", "[::1]:5432"]
LEGACY_PROMPTS = ["", "$ sudo tailscale serve {typed}\n", "```\ntailscale serve {typed}  \n```\n```\n"]


@given(
    st.sampled_from(URLS),
    st.sampled_from(["tcp", "tls-terminated-tcp"]),
    st.booleans(),
    st.sampled_from(LEGACY_PROMPTS),
    st.sampled_from(["", KB]),
    st.sampled_from(["\t", "  ", ""]),
)
@settings(max_examples=80, deadline=None)
def test_legacy_syntax_whose_translation_is_a_url_says_the_suggestion_is_wrong(
    url: str, flag: str, off: bool, prompt: str, kb: str, indent: str
) -> None:
    suffix = " off" if off else ""
    typed = f"{flag}://{url}{suffix}"
    text = prompt.format(typed=typed) + f"{HEADER}\n{indent}- tailscale serve --bg --{flag} //{url}{suffix}\n{kb}"
    document = _run(text)
    assert _kinds(document) == ["cli-usage"], text
    assert document["summary"]["exit_code"] == 1
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-CLI-USAGE"]
    assert "wrong too" in finding["cause"] and f"//{url}" in finding["cause"], finding["cause"]
    port = url.rsplit(":", 1)[1]
    assert f"--{flag}={port}" in finding["fix"], finding["fix"]
    assert ("removes that forward" in finding["fix"]) is off and ("serves it" in finding["fix"]) is not off
    rules = {f["rule"] for f in document["findings"]}
    assert not rules & {"TS-CLI-SERVICE-NOT-RUNNING", "TS-CLI-SERVE-FAILED", "TS-CLI-SERVE-NOT-ENABLED"}


GOOD_TRANSLATIONS = [
    "tailscale serve --bg --tcp 2222 tcp://localhost:22",
    "tailscale serve --bg http://127.0.0.1:3000",
    "tailscale serve --bg --https 8443 --set-path /api http://127.0.0.1:3000",
    "tailscale serve --bg --http 80 off",
]


@given(st.sampled_from(GOOD_TRANSLATIONS), st.sampled_from(["", KB]))
@settings(max_examples=20, deadline=None)
def test_legacy_syntax_with_a_usable_translation_is_cli_usage_pointing_at_it(translation: str, kb: str) -> None:
    document = _run(f"{HEADER}\n\t- {translation}\n{kb}")
    assert _kinds(document) == ["cli-usage"]
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-CLI-USAGE"]
    assert "pre-1.52" in finding["cause"] and "wrong" not in finding["cause"]
    assert "suggests" in finding["fix"] or "printed under the message" in finding["fix"]


def test_legacy_funnel_syntax_without_a_translation_is_cli_usage() -> None:
    document = _run("$ tailscale funnel 443 on\nError: the CLI for serve and funnel has changed." + KB)
    assert _kinds(document) == ["cli-usage"]
    assert document["summary"]["exit_code"] == 1


# --------------------------------------------------------------------------- serve set-config

SERVICES = ["svc:foo", "svc:web", "svc:db-prod", "svc:a1"]
SET_CONFIG_REFUSALS = [
    'failed apply web serve: invalid mount point "api"',
    "failed to apply TCP serve: cannot serve TCP; already serving web on 443 for {svc}",
    'failed to apply TCP serve: invalid TCP target "tcp://db"',
    "cannot mount a path for TCP serve",
    "source ports must be TCP",
]
SET_CONFIG_BEFORE = [
    "",
    "> tailscale serve set-config --all svc-cfg.json\n",
    "$ sudo tailscale serve set-config --service={svc} services.json\n",
    "error: ",
    "```\n",
]
SET_CONFIG_AFTER = ["", "exit status 1\n", "```\n"]


@given(
    st.sampled_from(SERVICES),
    st.sampled_from(SET_CONFIG_REFUSALS),
    st.sampled_from(SET_CONFIG_BEFORE),
    st.sampled_from(SET_CONFIG_AFTER),
    st.sampled_from(['"', "\u201c"]),
)
@settings(max_examples=80, deadline=None)
def test_set_config_refusing_an_endpoint_is_serve_config_invalid(
    svc: str, refusal: str, before: str, after: str, quote: str
) -> None:
    close = "\u201d" if quote == "\u201c" else quote
    message = f"service {quote}{svc}{close}: " + refusal.format(svc=svc)
    text = before.format(svc=svc) + message + "\n" + after
    document = _run(text)
    assert _kinds(document) == ["serve-config-invalid"], text
    assert document["summary"]["exit_code"] == 1
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-CLI-SERVE-CONFIG-INVALID"]
    assert "set-config" in finding["cause"] and svc in finding["cause"] and "nothing of the file" in finding["cause"]
    assert "TS-CLI-SERVE-FAILED" not in {f["rule"] for f in document["findings"]}


@given(
    st.sampled_from(SERVICES),
    st.sampled_from(["failed apply web serve", "failed to apply TCP serve"]),
    st.sampled_from(SET_CONFIG_BEFORE),
    st.sampled_from(SET_CONFIG_AFTER),
)
@settings(max_examples=40, deadline=None)
def test_set_config_port_zero_names_the_65535_wrap(svc: str, step: str, before: str, after: str) -> None:
    text = before.format(svc=svc) + f'service "{svc}": {step}: invalid port "0"\n' + after
    document = _run(text)
    assert _kinds(document) == ["serve-config-invalid"], text
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-CLI-SERVE-CONFIG-INVALID"]
    assert "65535" in finding["cause"] and "65535" in finding["fix"] and svc in finding["fix"]


@given(
    st.sampled_from(
        [
            'failed apply web serve: invalid mount point "api"',
            "failed to apply TCP serve: cannot serve TCP; already serving web on 443 for node.tail1234.ts.net",
        ]
    ),
    st.sampled_from(["$ tailscale serve --bg --https=443 http://localhost:3000\n", "tailscale serve --tcp 443 22\n"]),
)
@settings(max_examples=10, deadline=None)
def test_the_same_refusal_of_an_interactive_serve_stays_serve_failed(refusal: str, typed: str) -> None:
    kinds = _kinds(_run(f"{typed}{refusal}\n"))
    assert kinds == ["serve-failed"], kinds


def test_get_config_failing_to_export_stays_serve_config_invalid_with_its_own_cause() -> None:
    document = _run('$ tailscale serve get-config --all\nservice "svc:web": invalid proxy handler "unix:/x.sock"\n')
    assert _kinds(document) == ["serve-config-invalid"]
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-CLI-SERVE-CONFIG-INVALID"]
    assert "get-config" in finding["cause"] and "set-config refused" not in finding["cause"]
