"""Generated tests for blind batch 27's log misses, read as classes (what a user sees in the JSON document).

1. State tailscaled cannot read back or write (ipn/ipnlocal/profiles.go "failed to load profile prefs for <name>
   (<id>): %w", "parsing saved prefs: %w", "unmarshaling known profiles: %w"; ipn/ipnlocal/serve.go "writing
   ServeConfig to StateStore: %w"; kube/state "error writing pod UID|capability version to state store: %w";
   kubestore "error loading state from kube Secret: %w") and the Android Keystore refusing the app's state key
   (keystore2 "keystore2::error: In generate_key.", "Keystore key generation failed"): state-unwritable.
2. systemd failing before it executes tailscaled (src/core/service.c: "Failed to load environment files: %m",
   "Failed to run 'start' task: %m" — before v233 "<unit> failed to run 'start' task: %s" —, result 'resources';
   "Failed at step <STEP> spawning …", a 2xx exit status): exec-failed, never crash.
3. Tailscale SSH recording uploads of the builds before v1.40 ("recording: error sending recording to %s: %v",
   "recording: error sending recording: %v", "recording: server responded with %s"): ssh-recording-failed.
4. PeerAPI refusals (ipn/ipnlocal/peerapi.go "peerapi: invalid request from %v: %v"): peerapi-request-rejected
   (lead decision, session 12); "peerapi: unknown peer %v" stays routine.
5. derper's per-client lines (derp/derpserver "derp client %v%s: ", v1.50 and older "derp client %v/%x: "):
   recognised, routine.
6. The Android app's SELinux denials (routine) under logcat.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.log_catalog import (
    LOG_PREFIXES,
    document_of,
    exit_code,
    finding_rules,
    log_kinds,
    paste_messages,
)

SYSTEMD_PREFIXES = (
    "{msg}",
    "Nov 25 03:10:43 x systemd[1]: {msg}",
    "Nov 25 03:10:43 raspberrypi systemd[1]: {msg}",
    "2025-11-25T03:10:43.123456+00:00 host systemd[1]: {msg}",
)
LOGCAT_PREFIXES = (
    "04-12 12:47:44.041   378  7774 E keystore2: {msg}",
    "2024-04-12 12:47:44.041   378  7774 E keystore2: {msg}",
    "E/keystore2(  378): {msg}",
)


_names = st.from_regex(r"[a-z][a-z0-9._-]{0,12}@[a-z]{2,8}\.(?:com|org|net)", fullmatch=True)
_ids = st.from_regex(r"[0-9a-f]{4}", fullmatch=True)
_prefix_index = st.integers(min_value=0, max_value=len(LOG_PREFIXES) - 1)

# ------------------------------------------------------------------ 1. state tailscaled cannot read back or write

_PREFS_ERRORS = (
    "tpm2.Load: TPM_RC_INTEGRITY (parameter 1): integrity check failed",
    "tpm2.Load: TPM_RC_SIZE (parameter 1): structure is the wrong size",
    "invalid character '\\x00' looking for beginning of value",
    "unexpected end of JSON input",
)


@settings(max_examples=40, deadline=None)
@given(_prefix_index, _names, _ids, st.sampled_from(_PREFS_ERRORS), st.booleans())
def test_saved_prefs_tailscaled_cannot_read_back_are_state_unwritable_and_a_crash(
    prefix: int, name: str, profile_id: str, error: str, parsing: bool
) -> None:
    cause = f"parsing saved prefs: {error}" if parsing else error
    message = (
        f"getLocalBackend error: ipnlocal.NewLocalBackend: failed to load profile prefs for {name} ({profile_id}): "
        + cause
    )
    document = document_of(paste_messages(LOG_PREFIXES[prefix], "TPM: successfully read all properties", message))
    assert {"state-unwritable", "crash"} <= log_kinds(document)
    assert not log_kinds(document) & {"tun-unavailable", "control-unreachable", "login-required", "exec-failed"}
    assert exit_code(document) == 1


_STORE_WRITES = (
    "failed to set serve config: sending serve config: updating config: writing ServeConfig to StateStore: "
    'Operation cannot be fulfilled on secrets "{secret}": the object has been modified; please apply your changes '
    "to the latest version and try again",
    'error setting serve config: writing ServeConfig to StateStore: secrets "{secret}" is forbidden: User '
    '"system:serviceaccount:tailscale:{secret}" cannot update resource "secrets"',
    'error writing pod UID to state store: error patching Secret {secret}: Operation cannot be fulfilled on secrets "'
    '{secret}": the object has been modified',
    "error writing capability version to state store: context deadline exceeded",
    'error loading state from kube Secret: error getting Secret {secret}: Get "https://10.43.0.1:443/api/v1/'
    'namespaces/tailscale/secrets/{secret}": dial tcp 10.43.0.1:443: i/o timeout',
)
_secrets = st.from_regex(r"ts-[a-z]{3,8}-[a-z0-9]{5}-0", fullmatch=True)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(_STORE_WRITES),
    _secrets,
    st.sampled_from(("boot: 2023/08/29 01:03:53 ", "", "2023/08/29 01:03:53 ")),
)
def test_a_write_into_the_state_store_that_fails_is_state_unwritable(template: str, secret: str, stamp: str) -> None:
    document = document_of(stamp + template.format(secret=secret) + "\n")
    assert "state-unwritable" in log_kinds(document)
    assert not log_kinds(document) & {"control-unreachable", "login-required", "auth-key-mint-failed"}
    assert "TS-LOG-STATE-UNWRITABLE" in finding_rules(document)
    assert exit_code(document) == 1


def test_containerboot_serve_config_conflict_is_state_unwritable_and_a_crash_with_the_conflict_fix() -> None:
    document = document_of("boot: 2023/08/29 01:03:53 " + _STORE_WRITES[0].format(secret="ts-webdav-kfrzv-0") + "\n")
    assert {"state-unwritable", "crash"} <= log_kinds(document)
    finding = next(f for f in document["findings"] if f["rule"] == "TS-LOG-STATE-UNWRITABLE")
    assert "race" in finding["cause"] and "v1.50" in finding["fix"]


@pytest.mark.parametrize(
    "message",
    [
        'pm: using backend prefs for "profile-75db": Prefs{ra=false dns=true want=true routes=[] nf=on Persist{...}}',
        "failed to parse savedPrefs with attestation key (error: tpm2.Load: TPM_RC_INTEGRITY) but parsing without "
        "the attestation key succeeded; will proceed without using the old attestation key",
        'invalid ServeConfig "_serve/75db" in StateStore: unexpected end of JSON input',
        "The saved prefs are parsed at start; a profile's prefs live in the state store.",
    ],
)
def test_routine_prefs_lines_and_prose_raise_no_state_issue(message: str) -> None:
    for prefix in LOG_PREFIXES:
        document = document_of(paste_messages(prefix, "logtail started", message))
        assert "state-unwritable" not in log_kinds(document), prefix


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(LOGCAT_PREFIXES),
    st.sampled_from(
        ("keystore2::error: In generate_key.", "java.security.ProviderException: Keystore key generation failed")
    ),
)
def test_the_android_keystore_refusing_a_key_is_the_apps_state_store(prefix: str, message: str) -> None:
    avc = (
        '04-12 12:47:43.998  3337  3337 W Thread-7: type=1400 audit(0.0:246): avc: denied { read } for name="route" '
        'dev="proc" ino=4026532049 scontext=u:r:untrusted_app:s0:c183,c256,c512,c768 tcontext=u:object_r:proc_net:s0 '
        "tclass=file permissive=0 app=com.tailscale.ipn"
    )
    chain = ("", "Caused by:", "    0: While generating Key without explicit attestation key.")
    document = document_of(avc + "\n" + paste_messages(prefix, message, *chain))
    assert log_kinds(document) == {"state-unwritable"}
    issue = next(issue for log in document["daemon_logs"] for issue in log["issues"])
    assert issue["about"] == "android-keystore"
    finding = next(f for f in document["findings"] if f["rule"] == "TS-LOG-STATE-UNWRITABLE")
    assert "Android Keystore" in finding["cause"]
    assert exit_code(document) == 1


def test_the_apps_selinux_denial_alone_is_recognised_and_routine() -> None:
    avc = (
        "04-12 12:47:43.998  3337  3337 W Thread-{n}: type=1400 audit(0.0:{n}): avc: denied {{ read }} for "
        'name="{name}" dev="proc" ino=4026532049 scontext=u:r:untrusted_app:s0:c183 tcontext=u:object_r:proc_net:s0 '
        "tclass=file permissive=0 app=com.tailscale.ipn"
    )
    text = "".join(avc.format(n=n, name=name) + "\n" for n, name in enumerate(("route", "ipv6_route", "if_inet6")))
    document = document_of(text)
    assert exit_code(document) == 0 and document["daemon_logs"]
    other_app = text.replace("com.tailscale.ipn", "com.example.app")
    assert exit_code(document_of(other_app)) == 2  # another app's denial is not Tailscale's


def test_keystore2_other_operations_are_not_a_state_failure() -> None:
    for prefix in LOGCAT_PREFIXES:
        document = document_of(
            paste_messages(prefix, "keystore2::error: In get_key_entry.", "Caused by:", "    0: KEY_NOT_FOUND")
        )
        assert "state-unwritable" not in log_kinds(document)


# ------------------------------------------------------------------ 2. systemd failing before it executes tailscaled

_ERRNOS = ("No such file or directory", "Permission denied", "Invalid argument")
_UNITS = ("tailscaled.service", "tailscale.service", "tailscaled@wg0.service")


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SYSTEMD_PREFIXES), st.sampled_from(_UNITS), st.sampled_from(_ERRNOS), st.booleans())
def test_an_environment_file_systemd_cannot_load_is_exec_failed_not_a_crash(
    prefix: str, unit: str, errno: str, restarts: bool
) -> None:
    lines = [
        f"{unit}: Failed to load environment files: {errno}",
        f"{unit}: Failed to run 'start' task: {errno}",
        f"{unit}: Failed to load environment files: {errno}",
        f"{unit}: Failed to run 'stop-post' task: {errno}",
        f"{unit}: Failed with result 'resources'.",
        f"Failed to start {unit} - Tailscale node agent.",
    ]
    if restarts:
        lines += [f"{unit}: Scheduled restart job, restart counter is at 1.", f"Stopped {unit} - Tailscale node agent."]
    document = document_of(paste_messages(prefix, *lines))
    assert log_kinds(document) == {"exec-failed"}
    finding = next(f for f in document["findings"] if f["rule"] == "TS-LOG-EXEC-FAILED")
    assert "environment file" in finding["cause"] and "/etc/default/tailscaled" in finding["fix"]
    assert exit_code(document) == 1


@pytest.mark.parametrize(
    "lines",
    [
        ("tailscaled.service: Failed with result 'resources'.",),
        (
            "tailscaled.service failed to run 'start' task: No such file or directory",
            "Unit tailscaled.service entered failed state.",
        ),
        (
            "tailscaled.service: Failed to set up mount namespacing: /run/systemd/unit-root/var/lib/tailscale: "
            "No such file or directory",
            "tailscaled.service: Failed at step NAMESPACE spawning /usr/sbin/tailscaled: No such file or directory",
            "tailscaled.service: Main process exited, code=exited, status=226/NAMESPACE",
            "tailscaled.service: Failed with result 'exit-code'.",
        ),
        (
            "tailscaled.service: Failed at step STATE_DIRECTORY spawning /usr/sbin/tailscaled: Permission denied",
            "tailscaled.service: Main process exited, code=exited, status=238/STATE_DIRECTORY",
        ),
        ("tailscaled.service: Main process exited, code=exited, status=217/USER",),
    ],
)
def test_every_systemd_set_up_failure_is_exec_failed(lines: tuple[str, ...]) -> None:
    for prefix in SYSTEMD_PREFIXES:
        document = document_of(paste_messages(prefix, *lines))
        assert log_kinds(document) == {"exec-failed"}, prefix
        assert exit_code(document) == 1


@pytest.mark.parametrize(
    "lines",
    [
        (
            "nginx.service: Failed to load environment files: No such file or directory",
            "nginx.service: Failed with result 'resources'.",
        ),
        ("node_exporter.service failed to run 'start' task: No such file or directory",),
    ],
)
def test_another_units_set_up_failure_is_not_tailscaleds(lines: tuple[str, ...]) -> None:
    for prefix in SYSTEMD_PREFIXES:
        document = document_of(paste_messages(prefix, "logtail started", *lines))
        assert not log_kinds(document) & {"exec-failed", "crash"}, prefix


def test_tailscaleds_own_exit_stays_a_crash() -> None:
    lines = (
        "tailscaled.service: Main process exited, code=exited, status=1/FAILURE",
        "tailscaled.service: Failed with result 'exit-code'.",
    )
    for prefix in SYSTEMD_PREFIXES:
        assert log_kinds(document_of(paste_messages(prefix, *lines))) == {"crash"}


# ------------------------------------------------------------------ 3. SSH recording uploads before v1.40

_sessions = st.from_regex(r"sess-2023032[0-9]T0[0-9]{5}-[0-9]{10}", fullmatch=True)
_recorders = st.sampled_from(("<addr>:80", "100.64.0.9:80", "[fd7a:115c:a1e0::9]:80", "recorder.tailnet.ts.net:443"))


@settings(max_examples=40, deadline=None)
@given(_prefix_index, _sessions, _recorders, st.integers(min_value=0, max_value=2))
def test_a_recording_upload_that_fails_is_ssh_recording_failed(
    prefix: int, session: str, recorder: str, form: int
) -> None:
    message = (
        f'recording: error sending recording to {recorder}: Post "http://{recorder}/record": context canceled',
        'recording: error sending recording: Post "http://100.64.0.9:80/record": dial tcp 100.64.0.9:80: connect: '
        "connection refused",
        "recording: server responded with 500 Internal Server Error",
    )[form]
    document = document_of(paste_messages(LOG_PREFIXES[prefix], f"ssh-session({session}): {message}"))
    assert log_kinds(document) == {"ssh-recording-failed"}
    assert exit_code(document) == 1


def test_recording_prose_and_a_finished_upload_raise_nothing() -> None:
    for prefix in LOG_PREFIXES:
        for message in (
            "ssh-session(sess-20230322T005655-5562985593): recording: finished uploading recording",
            "ssh-session(sess-20230322T005655-5562985593): starting asciinema recording to 100.64.0.9:80",
        ):
            assert "ssh-recording-failed" not in log_kinds(
                document_of(paste_messages(prefix, "logtail started", message))
            )


# ------------------------------------------------------------------ 4. PeerAPI refusals

_peers = st.sampled_from(("<ip>", "100.101.102.103", "[fd7a:115c:a1e0:ab12:4843:cd96:6262:1]", "100.64.0.7"))
_why = st.sampled_from(
    ("100.64.0.1/32 not found in self addresses", "100.64.0.1 not found in self addresses", "unexpected Referer",
     "unexpected Origin", "fd7a:115c:a1e0::1 not found in self addresses")
)  # fmt: skip


@settings(max_examples=50, deadline=None)
@given(_prefix_index, _peers, st.integers(min_value=1024, max_value=65535), _why)
def test_a_peerapi_refusal_is_peerapi_request_rejected(prefix: int, peer: str, port: int, why: str) -> None:
    document = document_of(paste_messages(LOG_PREFIXES[prefix], f"peerapi: invalid request from {peer}:{port}: {why}"))
    assert log_kinds(document) == {"peerapi-request-rejected"}
    issue = next(issue for log in document["daemon_logs"] for issue in log["issues"])
    assert issue["about"] == peer and issue["severity"] == "warning"
    assert finding_rules(document) == {"TS-LOG-PEERAPI-REQUEST-REJECTED"}
    assert exit_code(document) == 1


@pytest.mark.parametrize(
    "message",
    [
        "peerapi: serving on http://100.110.71.64:42858",
        "peerapi: failed to do peerAPI listen, harmless (netstack available) but error was: listen tcp6 "
        "[fd7a:115c:a1e0::1]:0: bind: cannot assign requested address",
        "peerapi: no netmap",
        "peerapi: unknown peer 100.90.1.2:41234",  # an address outside the netmap: routine (source catalogs)
        "[v1] peerapi: got put of foo.txt in 1.2s from 100.64.0.2/peer",
    ],
)
def test_routine_peerapi_lines_raise_no_refusal(message: str) -> None:
    for prefix in LOG_PREFIXES:
        document = document_of(paste_messages(prefix, "logtail started", message))
        assert not log_kinds(document) & {"peerapi-request-rejected", "peerapi-accept-failed"}


# ------------------------------------------------------------------ 5. derper's per-client lines

_CLIENT_LINES = (
    'register single client mesh("10.0.1.1"): 4 peers',
    "read frame type 4 len 40 err <nil>",
    "SendPacket for [10WOo], forwarding via <derphttp_client.Client [AVxvv] url=https://10.0.1.1/derp>: <nil>",
    "read frame type 0 len 0 err EOF",
    "read EOF",
    "sender failed: context canceled",
    "removing connection",
    "received forwarded packet from [SbsJn] via [dM2E3]",
    "sendPkt attempt 0 enqueued",
    "sendPacket from [SbsJn]: <nil>",
)
_client_keys = st.one_of(
    st.from_regex(r"\[[A-Za-z0-9+/]{5}\]", fullmatch=True), st.from_regex(r"/[0-9a-f]{64}", fullmatch=True)
)
_client_addrs = st.sampled_from(("10.0.0.1:35470", "203.0.113.9:50650", "[2001:db8::7]:41641"))
_derper_prefixes = st.sampled_from(
    ("{msg}", "May 27 17:42:08 relay derper[2933]: 2025/05/27 17:42:08 {msg}", "2023/03/20 11:42:53 {msg}")
)


@settings(max_examples=40, deadline=None)
@given(_derper_prefixes, _client_addrs, _client_keys, st.lists(st.sampled_from(_CLIENT_LINES), min_size=1, max_size=6))
def test_derpers_per_client_lines_are_recognised_and_routine(
    prefix: str, addr: str, key: str, messages: list[str]
) -> None:
    document = document_of(paste_messages(prefix, *(f"derp client {addr}{key}: {message}" for message in messages)))
    assert document["daemon_logs"], "recognised"
    assert log_kinds(document) == set()
    assert exit_code(document) == 0


def test_derper_start_lines_alone_stay_unrecognised() -> None:
    lines = ("no config path specified; using /var/lib/derper/derper.key", "derper: serving on :443 with TLS")
    assert exit_code(document_of(paste_messages("{msg}", *lines))) == 2
    # prose about a DERP client is no derper line
    assert exit_code(document_of("the derp client 10.0.0.1 keeps reconnecting\n")) == 2
