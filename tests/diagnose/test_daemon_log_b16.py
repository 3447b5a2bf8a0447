"""Generated tests for tailscaled-log classes blind batch 16 missed: a state store tailscaled cannot open at all
(store.New failing for any reason, a TPM-sealed state file the TPM will not unseal), and a service manager's
status of the unit whose last run ended on an error in any state (`Active: deactivating (stop-post) (Result:
exit-code)`, `Main PID: … (code=exited, status=1/FAILURE)`).

Each class is proven over the prefixes people paste (test_daemon_log.PREFIXES where the class allows), the
wrappings it comes in, and the wordings Tailscale's source (and systemd's) print, not on the one sample that
exposed it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import by_rule, run_text
from tests.diagnose.test_daemon_log import PREFIXES, _kinds, _log, _mangle

MANGLES = st.sampled_from(["plain", "crlf", "quote", "fence", "indent"])

# ------------------------------------------------------- a state store tailscaled cannot open

# feature/tpm/tpm.go and ipn/store/stores.go: what store.New returns when the state cannot be read (the TPM ones
# carry the tpm2 library's own error last).
TPM_ERRORS = [
    "failed to unseal state file: failed to unseal encryption key with TPM: tpm2.Unseal: TPM_RC_LOCKOUT: "
    "authorizations for objects subject to DA protection are not allowed at this time because the TPM is in DA "
    "lockout mode",
    "failed to unseal state file: failed to unseal encryption key with TPM: tpm2.Load: TPM_RC_INTEGRITY: integrity "
    "check failed",
    "failed to unseal state file: failed to unseal encryption key with TPM: opening TPM: open /dev/tpmrm0: no such "
    "file or directory",
    'state file "/var/lib/tailscale/tailscaled.state" has not been TPM-sealed or is corrupt',
    "failed to migrate existing state file to TPM-sealed format: failed to seal state file: failed to seal "
    "encryption key to TPM: tpm2.Create: TPM_RC_LOCKOUT",
    'failed to migrate existing TPM-sealed state file to plaintext format: newTPMStore("/var/lib/tailscale/'
    'tailscaled.state"): failed to unseal state file: failed to unseal encryption key with TPM: tpm2.Unseal: '
    "TPM_RC_LOCKOUT",
]
OTHER_STORE_ERRORS = [
    "creating state directory: mkdir /var/lib/tailscale: read-only file system",
    "failed to unmarshal \"/var/lib/tailscale/tailscaled.state\": invalid character '\\x00' looking for beginning of "
    "value",
]
# cmd/tailscaled: exiting on it (no health tracker: "getLocalBackend error: store.New: %w"), or going on with an
# in-memory store and the state-store-health warnable (ipn/store.go's text)
EXITS = "getLocalBackend error: store.New: {err}"
GOES_ON = [
    "store.New failed: {err}; starting with in-memory store with a health warning",
    "health(warnable=state-store-health): error: State store failed to initialize, Tailscale will not work until "
    "this is resolved. See https://tailscale.com/s/state-store-init-error. Error: {err}",
]


@given(st.sampled_from(PREFIXES), st.sampled_from(TPM_ERRORS + OTHER_STORE_ERRORS), MANGLES)
@settings(max_examples=80, deadline=None)
def test_a_state_store_that_cannot_be_opened_stops_the_daemon(prefix: str, error: str, how: str) -> None:
    log = _log(_mangle([prefix.format(msg=EXITS.format(err=error))], how))
    assert {"state-unwritable", "crash"} <= _kinds(log)
    assert log["exit"] == 1


@given(st.sampled_from(PREFIXES), st.sampled_from(TPM_ERRORS + OTHER_STORE_ERRORS), st.sampled_from(GOES_ON))
@settings(max_examples=60, deadline=None)
def test_a_state_store_that_cannot_be_opened_without_exiting_is_no_crash(prefix: str, error: str, form: str) -> None:
    log = _log(prefix.format(msg=form.format(err=error)) + "\n")
    assert "state-unwritable" in _kinds(log)
    assert "crash" not in _kinds(log)


@given(
    st.sampled_from(TPM_ERRORS),
    st.sampled_from(["**{msg}**", "4. Restart tailscaled, it cannot start - **{msg}** - logs below", "`{msg}`"]),
)
@settings(max_examples=30, deadline=None)
def test_a_tpm_sealed_state_the_tpm_refuses_names_the_tpm_fix(error: str, wrapping: str) -> None:
    # the error as people quote it in prose (markdown bold, a numbered step, inline code), then a journal line
    text = (
        wrapping.format(msg=EXITS.format(err=error))
        + "\n```\nNov 20 09:26:46 host systemd[1]: tailscaled.service: Scheduled restart job, restart counter is "
        "at 17.\n"
    )
    diagnosis = run_text(text)
    (finding,) = by_rule(diagnosis, "TS-LOG-STATE-UNWRITABLE")
    assert "TPM" in finding.cause
    assert "--encrypt-state=false" in finding.fix
    assert "--statedir" not in finding.fix  # no permission or disk advice for an intact sealed file
    assert by_rule(diagnosis, "TS-LOG-CRASH")


def test_a_permission_error_keeps_the_writable_directory_fix() -> None:
    diagnosis = run_text(EXITS.format(err=OTHER_STORE_ERRORS[0]) + "\n")
    (finding,) = by_rule(diagnosis, "TS-LOG-STATE-UNWRITABLE")
    assert "--statedir" in finding.fix
    assert "TPM" not in finding.fix


def test_an_empty_state_file_treated_as_missing_is_no_failure() -> None:
    # ipn/store/stores.go: the file-store's own warning at a routine start, not store.New failing
    line = 'store.NewFileStore("/var/lib/tailscale/tailscaled.state"): file empty; treating it like a missing file'
    log = _log(f'logpolicy: using system state directory "/var/lib/tailscale"\n{line} [warning]\n')
    assert "state-unwritable" not in _kinds(log)


# ------------------------------------------------------- a unit status whose last run ended on an error

# systemd's systemctl status: "(Result: …)" follows the Active state whenever the last run did not succeed, in
# whatever state the unit is now; the main process line says how that run ended.
FAILING_ACTIVE = [
    "failed",
    "activating (auto-restart)",
    "deactivating (stop-post)",
    "deactivating (final-sigterm)",
    "inactive (dead)",
]
# ("oom-kill" is not among them: the kernel's OOM killer ended tailscaled, the issue `oom-killed` and no crash, by the
# lead's decision for blind batch 33; tests/diagnose/test_blind33_logs.py holds it)
RESULTS = ["exit-code", "signal", "core-dump", "timeout", "watchdog", "start-limit-hit"]
FAULT_ENDS = ["code=exited, status=1/FAILURE", "code=exited, status=2/INVALIDARGUMENT", "code=dumped, signal=ABRT",
              "code=killed, signal=SEGV"]  # fmt: skip
CLEAN_ENDS = ["code=exited, status=0/SUCCESS", "code=killed, signal=TERM"]
EXEC_START = (
    "ExecStart=/usr/sbin/tailscaled --state=/var/lib/tailscale/tailscaled.state "
    "--socket=/run/tailscale/tailscaled.sock --port=${PORT} $FLAGS"
)
JOURNAL_TAIL = [
    "Oct 28 09:50:02 myhostname tailscaled[19144]: router: portUpdate(port=41641, network=udp4)",
    'Oct 28 09:50:02 myhostname tailscaled[19144]: Rebind; defIf="enx96b90be1c786", ips=[xxxx]',
    "Oct 28 09:50:02 myhostname tailscaled[19144]: magicsock: 0 active derp conns",
]


def _unit_status(active: str, main_end: str | None, process_end: str | None, indent: str) -> list[str]:
    lines = [
        "\u25cf tailscaled.service - Tailscale node agent",
        f"{indent}Loaded: loaded (/usr/lib/systemd/system/tailscaled.service; enabled; preset: enabled)",
        f"{indent}Active: {active} since Tue 2025-10-28 09:50:02 HKT; 489ms ago",
        f"{indent}Docs: https://tailscale.com/kb/",
    ]
    if process_end is not None:
        lines.append(f"{indent}Process: 19144 {EXEC_START} ({process_end})")
    if main_end is not None:
        lines.append(f"{indent}Main PID: 19144 ({main_end}); Control PID: 19202 (tailscaled)")
    lines += [f"{indent}Tasks: 5 (limit: 38158)", f"{indent}CGroup: /system.slice/tailscaled.service"]
    return lines


@given(
    st.sampled_from(FAILING_ACTIVE),
    st.sampled_from(RESULTS),
    st.sampled_from([*FAULT_ENDS, *CLEAN_ENDS]),
    st.booleans(),
    st.sampled_from(["     ", ""]),
    st.booleans(),
    MANGLES,
)
@settings(max_examples=80, deadline=None)
def test_a_unit_status_with_a_failed_result_is_a_crash_in_any_state(
    state: str, result: str, end: str, with_process: bool, indent: str, journal: bool, how: str
) -> None:
    lines = _unit_status(f"{state} (Result: {result})", end, end if with_process else None, indent)
    log = _log(_mangle(lines + (["", *JOURNAL_TAIL] if journal else []), how))
    assert "crash" in _kinds(log), lines
    assert "exec-failed" not in _kinds(log)
    assert log["exit"] == 1
    assert log["hand_started"] is False


@given(
    st.sampled_from(["activating (start)", "deactivating (stop-sigterm)", "deactivating (stop-post)"]),
    st.sampled_from(FAULT_ENDS),
    st.booleans(),
    st.sampled_from(["     ", ""]),
    MANGLES,
)
@settings(max_examples=40, deadline=None)
def test_a_main_process_that_ended_on_an_error_is_a_crash_before_the_result_is_shown(
    state: str, end: str, both: bool, indent: str, how: str
) -> None:
    # the main process line alone (no Result on the Active line yet) says how tailscaled's run ended
    log = _log(_mangle(_unit_status(state, end, end if both else None, indent) + JOURNAL_TAIL, how))
    assert "crash" in _kinds(log)


@given(
    st.sampled_from(["active (running)", "deactivating (stop-sigterm)", "inactive (dead)", "deactivating (stop-post)"]),
    st.sampled_from([*CLEAN_ENDS, None]),
    st.sampled_from(["     ", ""]),
    MANGLES,
)
@settings(max_examples=40, deadline=None)
def test_a_unit_status_of_a_clean_run_or_stop_is_no_crash(state: str, end: str | None, indent: str, how: str) -> None:
    log = _log(_mangle(_unit_status(state, end, end, indent) + JOURNAL_TAIL, how))
    assert "crash" not in _kinds(log)


@given(st.sampled_from(FAILING_ACTIVE), st.sampled_from(["     ", ""]))
@settings(max_examples=10, deadline=None)
def test_a_unit_whose_binary_could_not_be_executed_is_no_crash(state: str, indent: str) -> None:
    end = "code=exited, status=203/EXEC"
    log = _log("\n".join(_unit_status(f"{state} (Result: exit-code)", end, end, indent)) + "\n")
    assert "exec-failed" in _kinds(log)
    assert "crash" not in _kinds(log)


def test_another_units_status_line_in_a_tailscaled_journal_is_not_its_exit() -> None:
    # a non-tailscale ExecStart ending badly is another program's; only tailscaled's own is read
    lines = [*JOURNAL_TAIL, "    Process: 812 ExecStart=/usr/bin/dockerd (code=exited, status=1/FAILURE)"]
    log = _log("\n".join(lines) + "\n")
    assert "crash" not in _kinds(log)
