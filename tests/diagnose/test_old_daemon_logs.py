"""Generated tests for tailscaled-log classes found by blind batch 15 in old logs: tailscaled refusing to start
without a required flag (v0.98-v1.2's "--state is required", printed without a stamp), systemd before v233
(CentOS/RHEL 7) wording its verdicts on tailscale's unit, and the DERP send queue backing up
("too many DERP packets queued; dropping", wgengine/magicsock).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_text
from tests.diagnose.test_daemon_log import NOISE, PREFIXES, _kinds, _log, _mangle

REQUIRED_FLAGS = ["--state is required", "--socket is required", "--statedir (or at least --state) is required"]


@given(
    st.sampled_from(["tailscaled", "./tailscaled", "/usr/sbin/tailscaled"]),
    st.sampled_from(["v0.99.1-127-g42368054, Go 1.14.4-ts56db765", "v1.2.10-t1234567-gabcdef0, Go 1.15.5"]),
    st.sampled_from(REQUIRED_FLAGS),
    st.sampled_from(["plain", "fence", "indent"]),
)
@settings(max_examples=40, deadline=None)
def test_a_missing_required_flag_after_the_start_lines_is_a_crash(
    argv0: str, version: str, refusal: str, how: str
) -> None:
    # Go's log.Fatalf of that era printed to stderr without a stamp: the bare "--…" line is the daemon's last word
    lines = [
        "logtail started",
        f'Program starting: {version}: []string{{"{argv0}"}}',
        "LogID: d4944d4521862cc2d1a526705a0587843d26ea8ac04435761bc4b48c9af130bf",
        refusal,
    ]
    log = _log(_mangle(lines, how))
    assert "crash" in _kinds(log), lines
    assert log["exit"] == 1


@given(st.sampled_from(PREFIXES[1:8]), st.sampled_from(REQUIRED_FLAGS))
@settings(max_examples=20, deadline=None)
def test_a_missing_required_flag_under_any_journal_prefix_is_a_crash(prefix: str, refusal: str) -> None:
    assert _kinds(_log(prefix.format(msg=refusal) + "\n")) == {"crash"}


@pytest.mark.parametrize(
    "line", ["--state is required to run", "--verbose is required", "- state is required", "--config is required"]
)
def test_other_required_flag_wordings_are_not_tailscaleds(line: str) -> None:
    log = _log(f"2024/01/12 10:41:06 magicsock: derp-10 connected; connGen=1\n{line}\n")
    assert "crash" not in _kinds(log)


# systemd 219 (CentOS/RHEL 7), as `systemctl status` and the journal show a unit that keeps failing.
OLD_SYSTEMD_VERDICTS = [
    "Unit {unit} entered failed state.",
    "{unit} failed.",
    "start request repeated too quickly for {unit}",
    "{unit}: main process exited, code=exited, status=1/FAILURE",
]
OLD_SYSTEMD_CHATTER = [
    "Failed to start Tailscale node agent.",
    "{unit} holdoff time over, scheduling restart.",
    "Stopped Tailscale node agent.",
    "Starting Tailscale node agent...",
]
JOURNAL = ["Oct 04 13:22:14 server.example systemd[1]: ", "Oct  4 13:22:14 host systemd: ", ""]


@given(
    st.sampled_from(OLD_SYSTEMD_VERDICTS),
    st.lists(st.sampled_from(OLD_SYSTEMD_CHATTER), max_size=3),
    st.sampled_from(JOURNAL),
    st.sampled_from(["tailscaled.service", "tailscale-relay.service", "tailscaled@wg0.service"]),
    st.sampled_from(["plain", "fence", "indent"]),
)
@settings(max_examples=60, deadline=None)
def test_old_systemds_verdict_on_tailscales_unit_is_a_crash(
    verdict: str, chatter: list[str], journal: str, unit: str, how: str
) -> None:
    lines = [journal + line.format(unit=unit) for line in [*chatter, verdict]]
    log = _log(_mangle(lines, how))
    assert "crash" in _kinds(log), lines
    assert log["exit"] == 1


@given(
    st.sampled_from(OLD_SYSTEMD_VERDICTS),
    st.sampled_from(["postfix.service", "smartd.service", "user@1000.service"]),
    st.lists(NOISE, max_size=2),
)
@settings(max_examples=30, deadline=None)
def test_old_systemds_verdict_on_another_unit_is_not_tailscaleds(verdict: str, unit: str, noise: list[str]) -> None:
    lines = [
        "Oct 04 13:22:14 host tailscaled[1086]: magicsock: derp-10 connected; connGen=1",
        *noise,
        "Oct 04 13:22:15 host systemd[1]: " + verdict.format(unit=unit),
    ]
    log = _log(_mangle(lines, "plain"))
    assert "crash" not in _kinds(log), lines


def test_an_old_systemd_exec_failure_is_not_a_crash() -> None:
    lines = [
        "Oct 04 13:22:14 host systemd[1]: tailscaled.service: main process exited, code=exited, status=203/EXEC",
        "Oct 04 13:22:14 host systemd[1]: Unit tailscaled.service entered failed state.",
        "Oct 04 13:22:14 host systemd[1]: tailscaled.service failed.",
    ]
    assert _kinds(_log("\n".join(lines) + "\n")) == {"exec-failed"}


# wgengine/magicsock's errDropDerpPacket as each logger of it wraps it ({key}: the peer's short key).
QUEUE_FULL = [
    "[{key}] - Failed to send data packet too many DERP packets queued; dropping",  # wireguard-go, 2020
    "wg: [{key}] - Failed to send data packet too many DERP packets queued; dropping",
    "peer({key}) - Failed to send data packets: too many DERP packets queued; dropping",  # wireguard-go's own
    "magicsock: disco: failed to send ping to 127.3.3.40:{region} [{key}]: too many DERP packets queued; dropping",
]
STAMPS_2020 = ["04-23,14:36:03.590 63.0M/92.1M {msg}", "04-23,14:36:03.590 {msg}", *PREFIXES]


@given(
    st.sampled_from(STAMPS_2020),
    st.lists(
        st.tuples(st.sampled_from(QUEUE_FULL), st.sampled_from(["xI8Q9", "ICORl", "+XbWr", "AbCd…WxYz"])), min_size=2
    ),
    st.sampled_from([1, 2, 901]),
    st.lists(NOISE, max_size=2),
    st.sampled_from(["plain", "fence", "quote", "crlf"]),
)
@settings(max_examples=80, deadline=None)
def test_repeated_derp_queue_drops_are_derp_send_queue_full(
    prefix: str, drops: list[tuple[str, str]], region: int, noise: list[str], how: str
) -> None:
    lines = [prefix.format(msg=form.format(key=key, region=region)) for form, key in drops]
    log = _log(_mangle([*lines[:1], *noise, *lines[1:]], how))
    assert "derp-send-queue-full" in _kinds(log), lines
    assert {"crash", "derp-unreachable", "peer-unreachable"}.isdisjoint(_kinds(log))
    assert log["exit"] == 1
    # every peer a drop names is reached over DERP
    assert {peer["name"]: peer["path"] for peer in log["peers"]} == {key: "derp" for _, key in drops}
    regions = {issue["about"] for issue in log["issues"] if issue["kind"] == "derp-send-queue-full"}
    # disco's line names the region (127.3.3.40's port), wireguard-go's does not: its drops go to the one named
    named = any(form.startswith("magicsock") for form, _ in drops)
    assert regions == ({str(region)} if named else {"?"})


@pytest.mark.parametrize("form", QUEUE_FULL)
def test_one_derp_queue_drop_is_a_burst(form: str) -> None:
    log = _log("2024/01/12 10:41:06 " + form.format(key="xI8Q9", region=1) + "\n")
    assert "derp-send-queue-full" not in _kinds(log)


@pytest.mark.parametrize("form", QUEUE_FULL)
def test_a_fresh_derp_connection_clears_the_full_queue(form: str) -> None:
    drop = "2024/01/12 10:41:06 " + form.format(key="xI8Q9", region=1)
    log = _log("\n".join([drop, drop, "2024/01/12 10:41:09 magicsock: derp-1 connected; connGen=2"]) + "\n")
    assert "derp-send-queue-full" not in _kinds(log)
    assert log["exit"] == 0


# logpolicy failing to save its log config in the state directory ({dir}: that directory, {err}: the OS's error).
LOG_CONFIG_UNSAVED = [
    'logpolicy.Config write: "{dir}/relay.conf.log.conf.new.tmp": open {dir}/relay.conf.log.conf.new.tmp: {err}',
    "logpolicy.Config.Save for {dir}/tailscaled.log.conf: open {dir}/tailscaled.log.conf.tmp: {err}",
    "logpolicy.Config.Save for {dir}/tailscaled.log.conf: mkdir {dir}: {err}",
]
OS_ERRORS = ["no such file or directory", "permission denied", "read-only file system", "no space left on device"]
FIRST_START = [  # a missing config at the first start is routine: logpolicy makes a new one
    "logpolicy.Read {dir}/tailscaled.log.conf: open {dir}/tailscaled.log.conf: no such file or directory",
    "logpolicy.ConfigFromFile {dir}/tailscaled.log.conf: open {dir}/tailscaled.log.conf: no such file or directory",
    "logpolicy.Config.Validate for {dir}/tailscaled.log.conf: config is nil",
]


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(LOG_CONFIG_UNSAVED),
    st.sampled_from(OS_ERRORS),
    st.sampled_from(["/var/lib/tailscale", "/data/ts-state", "/home/deck/.local/share/tailscale"]),
    st.booleans(),
    st.sampled_from(["plain", "fence", "crlf"]),
)
@settings(max_examples=60, deadline=None)
def test_logpolicy_failing_to_save_its_config_is_state_unwritable(
    prefix: str, form: str, error: str, directory: str, read_first: bool, how: str
) -> None:
    lines = [
        *([prefix.format(msg=FIRST_START[0].format(dir=directory))] if read_first else []),
        prefix.format(msg=form.format(dir=directory, err=error)),
        prefix.format(msg="logtail started"),
    ]
    log = _log(_mangle(lines, how))
    assert _kinds(log) - {"hand-started"} == {"state-unwritable"}, lines
    assert log["exit"] == 1


@given(st.sampled_from(PREFIXES), st.lists(st.sampled_from(FIRST_START), min_size=1, max_size=3))
@settings(max_examples=40, deadline=None)
def test_a_missing_log_config_at_the_first_start_is_routine(prefix: str, starts: list[str]) -> None:
    lines = [prefix.format(msg=line.format(dir="/var/lib/tailscale")) for line in starts]
    log = _log(_mangle([*lines, prefix.format(msg="logtail started")], "plain"))
    assert "state-unwritable" not in _kinds(log), lines


def test_the_fix_names_the_directory_logpolicy_could_not_create() -> None:
    line = LOG_CONFIG_UNSAVED[0].format(dir="/var/lib/tailscale", err="no such file or directory")
    findings = run_text(f"2020/02/12 13:54:23 {line}\n").findings
    (finding,) = [f for f in findings if f.rule_id == "TS-LOG-STATE-UNWRITABLE"]
    assert "sudo mkdir -p /var/lib/tailscale`" in finding.fix
    assert "does not exist" in finding.cause


@pytest.mark.parametrize(("region", "shown"), [(4, "DERP region 4 (fra, Frankfurt)"), (901, "DERP region 901 ")])
def test_the_queue_finding_names_the_region_and_how_to_check_it(region: int, shown: str) -> None:
    drop = f"2021/03/02 10:14:09 {QUEUE_FULL[3].format(key='xI8Q9', region=region)}"
    (finding,) = [f for f in run_text(f"{drop}\n{drop}\n").findings if f.rule_id == "TS-LOG-DERP-SEND-QUEUE-FULL"]
    assert shown in finding.cause and "xI8Q9" in finding.cause
    assert f"`tailscale debug derp {region}`" in finding.fix
