"""Generated tests: the log sweep's leftovers of session 12 (tests/diagnose/log_sweep.py, `--list unread`, round 3).

Read from tailscale/tailscale's source (HEAD de9ec7ee2; older wordings at the tags named): a system policy that asks
the node to prove its device identity and a node that cannot is the new `device-identity-failed` — a register
request the MachineCertificateSubject policy wants signed (control/controlclient signRegisterRequest, v1.8+, key
`machine-certificate`; not its `no certificate subject configured`, no policy at all) and the HardwareAttestation
TPM key (v1.90+, key `hardware-attestation`; not v1.94-v1.100's `policy requires hardware attestation, but device
does not support it`, printed on every device without a TPM whatever the policy says); control's
register answer that cannot be decoded (controlclient, v1.2+) is `control-unreachable` like the `register request:
…` error it returns; a node key rotated under tailnet lock that could not be re-signed (v1.32+) is
`tailnet-lock-sync-failed` keyed `resign` with its own fix; device posture's serial numbers that cannot be collected
(ipnlocal c2n.go v1.72+, feature/posture since) are the `posture-checking-serial-collection-failed` warnable set with
it. Each variant is drawn with varied values and pasted under the prefixes people paste; what a user sees is asserted
on the JSON document. The auto exit node's transient suggestion errors, posture's fallbacks, the audit log's retries
and Windows desktop sessions' internal errors stay routine, as do the same words in prose.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json
from tests.diagnose.log_catalog import (
    log_issues,
    paste_lines,
    prose_lines_test,
    routine_lines_test,
    variant_family_test,
)
from tests.diagnose.test_android_catalog import FORMATS as LOGCAT_FORMATS
from tests.diagnose.test_android_catalog import GO_TAG

PREFIXES = {
    "journald": "Oct 06 09:12:44 laptop tailscaled[812]: {msg}",
    "go-stamp": "2025/10/06 09:12:44 {msg}",
    "docker": "2025-10-06T09:12:44.123456789Z 2025/10/06 09:12:44 {msg}",
    "windows-logfile": "2025-10-06T09:12:44.123-07:00: {msg}",
    "logcat": LOGCAT_FORMATS["threadtime"].format(lvl="I", tag=GO_TAG, msg="{msg}"),
    "openwrt": "Thu Oct 17 18:02:08 2024 daemon.err tailscaled[5930]: 2024/10/17 10:02:08 {msg}",
}
START = "logtail started"
REGISTERED = "RegisterReq: onode= node=[bfEHk] fup=false nks=false"
RUNNING = "Switching ipn state Starting -> Running (WantRunning=true, nm=true)"
PROGRAM_STARTING = (
    'Program starting: v1.92.1-t1234abcd, Go 1.25.3: []string{"/usr/sbin/tailscaled", '
    '"--state=/var/lib/tailscale/tailscaled.state", "--socket=/run/tailscale/tailscaled.sock", "--port=41641"}'
)

# ------------------------------------------------------------------------------------------- values

_short_keys = st.text("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=5, max_size=5)
_cert_errors = st.sampled_from(
    [
        "find identity: no matching certificate",
        "open cert store: Access is denied.",
        "create signer: NTE_BAD_KEYSET",
        "sign: The requested operation is not supported.",
        "find identity: The system cannot find the file specified.",
        "hash: unsupported signature version",
    ]
)
_tpm_errors = st.sampled_from(
    [
        "TPM 2.0 device not available",
        "open /dev/tpmrm0: permission denied",
        "tpm2: TPM_RC_AUTH_FAIL",
        "Platform Crypto Provider: NTE_DEVICE_NOT_READY",
    ]
)
_decode_errors = st.sampled_from(
    [
        "invalid character '<' looking for beginning of value",
        "unexpected EOF",
        "json: cannot unmarshal string into Go value of type tailcfg.RegisterResponse",
        "http2: response body closed",
    ]
)
_resign_errors = st.sampled_from(
    [
        "signature does not authorize nlpub:3c5a8e4f",
        "rotation details missing",
        "nested signature: invalid signature",
    ]
)
_smbios_errors = st.sampled_from(
    [
        "failed to open dmi/smbios stream: open /sys/firmware/dmi/tables/smbios_entry_point: permission denied",
        "failed to decode dmi/smbios structures: unexpected EOF",
        "wmi: Exception occurred. (Access denied.)",
        "exit status 1",
    ]
)

# (message, kind, key, what the finding must quote, the rule, words of the fix)
Variant = tuple[str, str, str, str, str, str]


@st.composite
def machine_certificate_variants(draw: st.DrawFn) -> Variant:
    err = draw(_cert_errors)
    message = f"RegisterReq sign error: signRegisterRequest: {err}"
    return message, "device-identity-failed", "machine-certificate", err, "TS-LOG-DEVICE-IDENTITY-FAILED", "certlm.msc"


@st.composite
def hardware_attestation_variants(draw: st.DrawFn) -> Variant:
    err = draw(_tpm_errors)
    message = draw(
        st.sampled_from(
            [
                f"failed to create hardware attestation key: {err}",
                f"failed to sign node key with hardware attestation key: {err}",
            ]
        )
    )
    return message, "device-identity-failed", "hardware-attestation", err, "TS-LOG-DEVICE-IDENTITY-FAILED", "TPM 2.0"


@st.composite
def register_undecoded_variants(draw: st.DrawFn) -> Variant:
    server, machine, err = draw(_short_keys), draw(_short_keys), draw(_decode_errors)
    message = f"error decoding RegisterResponse with server key [{server}] and machine key [{machine}]: {err}"
    return message, "control-unreachable", "control", err, "TS-LOG-CONTROL-UNREACHABLE", "443"


@st.composite
def lock_resign_variants(draw: st.DrawFn) -> Variant:
    err = draw(_resign_errors)
    message = f"Failed re-signing node-key signature: {err}"
    return message, "tailnet-lock-sync-failed", "resign", err, "TS-LOG-TAILNET-LOCK-SYNC-FAILED", "tailscale lock sign"


_POSTURE = "posture-checking-serial-collection-failed"


@st.composite
def posture_serial_variants(draw: st.DrawFn) -> Variant:
    err = draw(_smbios_errors)
    logger = draw(st.sampled_from(["posture: ", ""]))  # feature/posture's logger (v1.90+); ipnlocal's before
    message = f"{logger}c2n: GetSerialNumbers returned error: {err}"
    return message, f"health:{_POSTURE}", _POSTURE, err, "TS-LOG-HEALTH", "health("


FAMILIES: dict[str, Callable[[], st.SearchStrategy[Variant]]] = {
    "machine-certificate": machine_certificate_variants,
    "hardware-attestation": hardware_attestation_variants,
    "register-undecoded": register_undecoded_variants,
    "lock-resign": lock_resign_variants,
    "posture-serials": posture_serial_variants,
}


test_each_variant_raises_its_issue_key_and_finding = variant_family_test(
    PREFIXES, FAMILIES, sole_issue=True, max_examples=10
)


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
@settings(max_examples=8, deadline=None)
@given(cert=_cert_errors, tpm=_tpm_errors)
def test_both_proofs_failing_name_both_fixes_and_a_new_run_clears(prefix_name: str, cert: str, tpm: str) -> None:
    prefix = PREFIXES[prefix_name]
    failing = (
        f"RegisterReq sign error: signRegisterRequest: {cert}",
        f"failed to sign node key with hardware attestation key: {tpm}",
    )
    document = run_json(paste_lines(prefix, *failing))
    assert sorted(issue["about"] for issue in log_issues(document)) == ["hardware-attestation", "machine-certificate"]
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-LOG-DEVICE-IDENTITY-FAILED"]
    assert "MachineCertificateSubject" in finding["cause"] and "HardwareAttestation" in finding["cause"]
    assert "certlm.msc" in finding["fix"] and "TPM 2.0" in finding["fix"]
    assert finding["severity"] == "warning"
    # a new run that registers without the error and gets running: its proofs went through
    restarted = run_json(paste_lines(prefix, *failing, PROGRAM_STARTING, START, REGISTERED, RUNNING))
    assert log_issues(restarted) == [] and restarted["summary"]["exit_code"] == 0, log_issues(restarted)


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
@settings(max_examples=8, deadline=None)
@given(err=_smbios_errors, serials=st.integers(1, 4), hwaddrs=st.integers(0, 6))
def test_a_later_posture_answer_with_serials_clears(prefix_name: str, err: str, serials: int, hwaddrs: int) -> None:
    prefix = PREFIXES[prefix_name]
    failed = f"posture: c2n: GetSerialNumbers returned error: {err}"
    its_report = "posture: c2n: posture identity disabled=false reported 0 serials 2 hwaddrs"
    later = f"posture: c2n: posture identity disabled=false reported {serials} serials {hwaddrs} hwaddrs"
    held = run_json(paste_lines(prefix, failed, its_report))
    assert [issue["about"] for issue in log_issues(held)] == [
        _POSTURE
    ]  # the failing answer's own report clears nothing
    cleared = run_json(paste_lines(prefix, failed, its_report, later))
    assert log_issues(cleared) == [] and cleared["summary"]["exit_code"] == 0, log_issues(cleared)
    turned_off = run_json(
        paste_lines(prefix, failed, "c2n: posture identity disabled=true reported 0 serials 0 hwaddrs")
    )
    assert log_issues(turned_off) == []


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
def test_the_warnable_and_its_log_line_are_one_issue(prefix_name: str) -> None:
    err = "failed to open dmi/smbios stream: permission denied"
    document = run_json(
        paste_lines(
            PREFIXES[prefix_name],
            f"posture: c2n: GetSerialNumbers returned error: {err}",
            f"health(warnable={_POSTURE}): error: Could not collect device serial numbers for posture checking. "
            f"({err})",
        )
    )
    assert [issue["kind"] for issue in log_issues(document)] == [f"health:{_POSTURE}"]


ROUTINE = [
    # the auto exit node: a suggestion needs a netmap and a home DERP region (retried with the next of each)
    "failed to select auto exit node: no network map, try again later",
    "netmap: suggested exit node: no preferred DERP, try again later",
    "netmap: suggested exit node: no candidates in expected region: this is a bug",
    "netmap: suggested exit node: nyc-exit (nH3kCNTRL)",
    # the policy store's read error (syspolicy reports it itself): suggestions are drawn from every exit node
    'error refreshing allowed suggestions: fillAllowedSuggestions: unable to look up "AllowedSuggestedExitNodes" '
    "policy: exit status 1",
    # posture: the CLI's setting stands in for an unreadable policy; hardware addresses fall back to the last known
    "posture: c2n: failed to read PostureChecking from syspolicy, returning default from CLI: false; got error: "
    "exit status 1",
    "posture: c2n: GetHardwareAddrs returned error: no interfaces found",
    "posture: c2n: posture identity disabled=false reported 1 serials 2 hwaddrs",
    # the client audit log: records are kept and retried; delivery depends on control (read on its own lines)
    "auditlog: retrying after 10s, failed to send 2 logs",
    "auditlog: failed permanently: 400 Bad Request",
    "auditlog: [unexpected] failed to persist logs: exit status 1",
    "auditlog: complete 2 audit log transactions",
    # Windows desktop sessions: internal bookkeeping of logged-on users (machine policies still apply)
    "failed to get user token for session 3 (uid S-1-5-21-1004336348-1177238915-682003330-1001): The handle is "
    "invalid.",
    "failed to create user policy store for S-1-5-21-1004336348-1177238915-682003330-1001: Access is denied.",
    "[unexpected] setSessionStatusLocked(3, ForegroundSession): session not found",
    "[unexpected] failed to register for session notifications: The handle is invalid.",
    # no MachineCertificateSubject policy: 2021 builds logged it on every node (tailscale/tailscale#1774)
    "control: RegisterReq sign error: signRegisterRequest: no certificate subject configured",
    "RegisterReq sign error: no certificate store",
    "RegisterReq: onode= node=[bfEHk] fup=false nks=false",
    # v1.94-v1.100 print it on every device without a TPM whatever the policy says: attestation just stays off
    "[unexpected] policy requires hardware attestation, but device does not support it: --hardware-attestation "
    "cannot be used with portable state stores (kube:, arn:) because TPM-bound keys cannot be migrated between "
    "machines",
    "[unexpected] policy requires hardware attestation, but device does not support it: TPM 2.0 device not available",
]
PROSE = [
    "RegisterReq sign error appears when the MachineCertificateSubject policy is set, right?",
    "We do not use hardware attestation on these laptops.",
    "Failed re-signing? I rotated the node key yesterday.",
    "GetSerialNumbers returned nothing on this VM, is that expected?",
    "error decoding the response from our proxy, see attached",
]
NEW_RULES = {"TS-LOG-DEVICE-IDENTITY-FAILED", "TS-LOG-TAILNET-LOCK-SYNC-FAILED", "TS-LOG-HEALTH"}


test_routine_lines_raise_nothing = routine_lines_test(PREFIXES, ROUTINE)
test_the_same_words_in_prose_raise_nothing = prose_lines_test(PREFIXES["go-stamp"], PROSE, NEW_RULES)


@pytest.mark.parametrize("prefix_name", sorted(PREFIXES))
def test_a_real_store_error_saving_the_exit_node_is_the_state_store(prefix_name: str) -> None:
    """`failed to save exit node changes: …` is decided by the error it quotes: the state file's rename is the store."""
    document = run_json(
        paste_lines(
            PREFIXES[prefix_name],
            "failed to save exit node changes: rename /var/lib/tailscale/tailscaled.state.tmp4097713 "
            "/var/lib/tailscale/tailscaled.state: read-only file system",
        )
    )
    assert [(issue["kind"], issue["about"]) for issue in log_issues(document)] == [("state-unwritable", "store")]


def test_the_sweep_reads_each_new_family_at_head() -> None:
    """A floor on the sweep: every HEAD message of these families is read with its issue, none left unread."""
    from tests.diagnose.log_sweep import assert_families_read

    wanted = {
        "RegisterReq sign error": "device-identity-failed",
        "failed to create hardware attestation key": "device-identity-failed",
        "failed to sign node key with hardware attestation key": "device-identity-failed",
        "error decoding RegisterResponse": "control-unreachable",
        "Failed re-signing node-key signature": "tailnet-lock-sync-failed",
        "GetSerialNumbers returned error": f"health:{_POSTURE}",
    }
    assert_families_read(wanted)
