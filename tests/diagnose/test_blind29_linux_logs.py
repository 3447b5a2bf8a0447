"""Generated tests for blind batch 29's Linux log misses, read as classes (what a user sees in the JSON document).

1. A map-poll / control health error followed by a map response (LocalBackend's "netmap diff:" and "[v1] netmap diff:
   (none)", controlclient's "[v1] mapRoutine: netmap received: …", its "netmap: …" progress lines) is transient: not
   control-unreachable. A failing "netmap: Do: <error>" is no map response. A cut "netmap diff:" header is a
   recognised line. Excerpts pasted out of time order fold in time order (the latest says what still holds).
2. systemd's own lines about tailscaled's unit failing (the restart counter and its older wordings, the failed start
   job, journalctl -x's "░░" catalog text read as prose): crash, with a fix pointing at tailscaled's own lines; an
   exec failure (203/EXEC, 226/NAMESPACE) stays exec-failed.
3. The host losing every network link ("LinkChange: all links down; pausing", "SetNetworkUp(false)", the
   network-status warnable): network-down, unless a link comes back later.
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

# stamped prefixes whose stamps carry a full date (the out-of-order tests need them comparable)
_DATED = ("{stamp} {msg}", "tailscale-1  | {stamp} {msg}")


_prefix_index = st.integers(min_value=0, max_value=len(LOG_PREFIXES) - 1)

# ------------------------------------------------------------------ 1. a map-poll error the next netmap ends

_MAP_POLL_ERRORS = (
    'health("overall"): error: not in map poll',
    "health(overall): error: not in map poll",
    "health(warnable=not-in-map-poll): error: Unable to connect to the Tailscale coordination server.",
    "health(warnable=mapresponse-timeout): error: Tailscale hasn't received a network map from the coordination "
    "server in 5m0s.",
)
_MAP_RESPONSES = (
    "netmap diff:",
    "[v1] netmap diff:",
    "[v1] netmap diff: (none)",
    "control: [v1] mapRoutine: netmap received: state:synchronized",
    "control: [v1] mapRoutine: netmap received: loggedIn=true inMapPoll=true",
    "control: mapRoutine: state:synchronized",
    "control: [v1] netmap: read body after 0s",
    "control: [v1] netmap: Do = 200 after 352ms",
)
_BEFORE = (
    "control: mapRoutine: backoff: 990 msec",
    'logtail: dialed "log.tailscale.io:443" in 199ms',
    "control: mapRoutine: state:authenticated",
    "netstack: UDP session between 0.0.0.0:62148 and 10.11.0.2:53 timed out",
)


@settings(max_examples=60, deadline=None)
@given(_prefix_index, st.sampled_from(_MAP_POLL_ERRORS), st.sampled_from(_MAP_RESPONSES), st.booleans())
def test_a_map_poll_error_that_a_new_netmap_follows_is_transient(
    prefix: int, error: str, response: str, with_context: bool
) -> None:
    messages = (*(_BEFORE if with_context else ()), error, response)
    document = document_of(paste_messages(LOG_PREFIXES[prefix], *messages))
    assert "control-unreachable" not in log_kinds(document)
    assert "TS-LOG-CONTROL-UNREACHABLE" not in finding_rules(document)
    assert exit_code(document) == 0


@settings(max_examples=40, deadline=None)
@given(_prefix_index, st.sampled_from(_MAP_POLL_ERRORS), st.booleans())
def test_a_map_poll_error_still_failing_at_the_end_stays_control_unreachable(
    prefix: int, error: str, netmap_before: bool
) -> None:
    # a netmap BEFORE the error, or a failing map request after it, does not end it
    messages = ("netmap diff:", error) if netmap_before else (error, 'control: [v1] netmap: Do: Post "x": EOF')
    document = document_of(paste_messages(LOG_PREFIXES[prefix], *messages))
    assert "control-unreachable" in log_kinds(document)
    assert exit_code(document) == 1


@pytest.mark.parametrize("header", ["netmap diff:", "[v1] netmap diff:", "[v1] netmap diff: (none)"])
@pytest.mark.parametrize("prefix", LOG_PREFIXES[1:4])
def test_a_cut_netmap_diff_header_at_the_end_is_a_recognised_line(prefix: str, header: str) -> None:
    text = paste_messages(prefix, "control: mapRoutine: state:authenticated", header)
    document = document_of(text)
    assert [log for log in document["daemon_logs"]], text
    assert not [warning for warning in document["warnings"] if "netmap diff" in warning]


_stamp_day = st.integers(min_value=1, max_value=28)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_DATED), _stamp_day, st.sampled_from(_MAP_RESPONSES[:4]), st.booleans(), st.booleans())
def test_excerpts_pasted_out_of_time_order_fold_in_time_order(
    form: str, day: int, response: str, recovered_last: bool, fenced: bool
) -> None:
    def line(clock: str, message: str) -> str:
        return form.format(stamp=f"2022/04/{day:02d} {clock}", msg=message)

    error = 'health("overall"): error: not in map poll'
    # the later excerpt (22:42) is pasted above the earlier one (21:55-22:11)
    later = [line("22:42:24", response if recovered_last else error)]
    earlier = [
        line("21:55:17", 'logtail: dialed "log.tailscale.io:443" in 199ms'),
        line("22:10:59", error if recovered_last else "control: mapRoutine: state:authenticated"),
        line("22:11:11", "netstack: UDP session between 0.0.0.0:1 and 10.11.0.2:53 timed out"),
    ]
    if not recovered_last:
        earlier.append(line("22:11:12", response))
    parts = (["```", *later, "```", "", "```", *earlier, "```"]) if fenced else [*later, "", "", *earlier]
    document = document_of("\n".join(parts) + "\n")
    if recovered_last:
        assert "control-unreachable" not in log_kinds(document)
        assert exit_code(document) == 0
    else:
        assert "control-unreachable" in log_kinds(document)
        assert exit_code(document) == 1


def test_a_clock_step_back_inside_one_excerpt_keeps_the_logs_order() -> None:
    text = (
        "2022/04/07 22:42:24 netmap diff:\n"
        "2022/04/07 21:55:17 control: mapRoutine: state:authenticated\n"
        '2022/04/07 21:55:18 health("overall"): error: not in map poll\n'
    )
    assert "control-unreachable" in log_kinds(document_of(text))


# ------------------------------------------------------------------ 2. systemd's lines about tailscaled's unit

_UNITS = ("tailscaled.service", "tailscaled@tailscale0.service", "tailscale-relay.service")
_SYSTEMD_PREFIXES = (
    "{msg}",
    "May 19 08:36:01 chaosArch systemd[1]: {msg}",
    "2025-11-25T03:10:43.123456+00:00 host systemd[1]: {msg}",
)
_CATALOG = (
    "░░ Subject: A start job for unit {unit} has failed",
    "░░ Defined-By: systemd",
    "░░ Support: https://lists.freedesktop.org/mailman/listinfo/systemd-devel",
    "░░ ",
    "░░ The unit {unit} has entered the 'failed' state with result 'exit-code'.",
    "░░ A start job for unit {unit} has finished with a failure.",
    "░░ The job identifier is 22016 and the job result is failed.",
    "░░ Automatic restarting of the unit {unit} has been scheduled, as the result for",
    "░░ the configured Restart= setting for the unit.",
)
_RESTART_WORDINGS = (
    "{unit}: Scheduled restart job, restart counter is at {n}.",
    "{unit}: Service RestartSec=100ms expired, scheduling restart.",
    "{unit}: Service RestartSec=5s expired, scheduling restart.",
    "{unit}: Service hold-off time over, scheduling restart.",
    "{unit} holdoff time over, scheduling restart.",
    "Failed to start Tailscale node agent.",
    "Failed to start {unit} - Tailscale node agent.",
    "{unit}: Failed with result 'exit-code'.",
    "{unit}: Main process exited, code=exited, status=1/FAILURE",
    "{unit}: Start request repeated too quickly.",
)


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(_SYSTEMD_PREFIXES),
    st.sampled_from(_UNITS),
    st.lists(st.sampled_from(_RESTART_WORDINGS), min_size=1, max_size=4),
    st.integers(min_value=1, max_value=9),
    st.booleans(),
)
def test_systemds_own_lines_on_tailscaleds_unit_failing_are_a_crash(
    prefix: str, unit: str, wordings: list[str], n: int, with_catalog: bool
) -> None:
    lines = []
    for wording in wordings:
        lines.append(prefix.format(msg=wording.format(unit=unit, n=n)))
        if with_catalog:
            lines.extend(c.format(unit=unit) for c in _CATALOG)
    document = document_of("\n".join(lines) + "\n")
    assert "crash" in log_kinds(document), lines
    assert not log_kinds(document) & {"exec-failed", "login-required", "control-unreachable"}
    assert exit_code(document) == 1
    finding = next(f for f in document["findings"] if f["rule"] == "TS-LOG-CRASH")
    assert "journalctl -u tailscaled" in finding["fix"]
    assert "not in this view" in finding["cause"]


@pytest.mark.parametrize(
    "exec_line",
    [
        "tailscaled.service: Main process exited, code=exited, status=203/EXEC",
        "tailscaled.service: Failed at step NAMESPACE spawning /usr/sbin/tailscaled: Read-only file system",
        "tailscaled.service: Main process exited, code=exited, status=226/NAMESPACE",
    ],
)
@pytest.mark.parametrize("wording", _RESTART_WORDINGS[:7])
def test_after_an_exec_failure_the_restart_lines_stay_exec_failed(exec_line: str, wording: str) -> None:
    prefix = "May 19 08:36:01 host systemd[1]: "
    text = prefix + exec_line + "\n" + prefix + wording.format(unit="tailscaled.service", n=3) + "\n"
    kinds = log_kinds(document_of(text))
    assert "exec-failed" in kinds
    assert "crash" not in kinds


def test_with_tailscaleds_own_lines_the_crash_names_them_not_the_systemd_only_view() -> None:
    text = (
        "May 19 08:36:00 host tailscaled[812]: getLocalBackend error: createEngine: tstun.New: CreateTUN: "
        "operation not permitted\n"
        "May 19 08:36:01 host systemd[1]: tailscaled.service: Main process exited, code=exited, status=1/FAILURE\n"
        "May 19 08:36:01 host systemd[1]: tailscaled.service: Scheduled restart job, restart counter is at 5.\n"
    )
    document = document_of(text)
    assert "crash" in log_kinds(document)
    finding = next(f for f in document["findings"] if f["rule"] == "TS-LOG-CRASH")
    assert "not in this view" not in finding["cause"]


@pytest.mark.parametrize(
    "text",
    [
        # another unit's restart and failed start job (a mixed journal)
        "May 19 08:36:01 host systemd[1]: docker.service: Scheduled restart job, restart counter is at 5.\n"
        "May 19 08:36:01 host systemd[1]: Failed to start Docker Application Container Engine.\n"
        "May 19 08:36:02 host tailscaled[812]: magicsock: derp-4 connected; connGen=1\n",
        # journalctl -x catalog text alone, and prose about it
        "░░ The unit tailscaled.service has entered the 'failed' state with result 'exit-code'.\n"
        "░░ Automatic restarting of the unit tailscaled.service has been scheduled, as the result for\n",
        "I saw Failed to start Tailscale: the service said restart counter is high\n",
        # a stop and start the operator asked for
        "May 19 08:36:01 host systemd[1]: Stopped Tailscale node agent.\n"
        "May 19 08:36:01 host systemd[1]: Started Tailscale node agent.\n"
        "May 19 08:36:02 host tailscaled[812]: magicsock: derp-4 connected; connGen=1\n",
    ],
)
def test_near_misses_of_systemds_unit_lines_are_no_crash(text: str) -> None:
    document = document_of(text)
    assert "crash" not in log_kinds(document)


# ------------------------------------------------------------------ 3. the host lost every network link

_DOWN = (
    "LinkChange: all links down; pausing: interfaces.State{defaultRoute= ifs={} v4=false v6global=false}",
    "LinkChange: all links down; pausing: interfaces.State{defaultRoute= ifs={} v4=false v6=false}",
    "LinkChange: all links down; pausing: old: interfaces.State{defaultRoute=wlan0 ifs={wlan0:[192.168.0.232/24]} "
    "v4=true v6=false} new: interfaces.State{defaultRoute= ifs={} v4=false v6=false}",
    "magicsock: SetNetworkUp(false)",
    "health(warnable=network-status): error: Tailscale cannot connect because the network is down. Check your "
    "Internet connection.",
    'health("overall"): error: network down',
)
_SYMPTOMS = (
    'logtail: dial "log.tailscale.io:443" failed: dial tcp: lookup log.tailscale.io on 192.168.0.1:53: dial udp '
    "192.168.0.1:53: connect: network is unreachable (in 2ms)",
    "monitor: RTM_DELROUTE: src=192.168.0.232/0, dst=192.168.0.255/32, gw=, outif=3, table=255",
    "magicsock: link change rebound port: 41641",
    "magicsock: starting endpoint update (link-change-major)",
)
_UP = (
    "LinkChange: major, rebinding. New state: interfaces.State{defaultRoute=wlan0 ifs={wlan0:[192.168.0.232/24]} "
    "v4=true v6global=false}",
    "LinkChange: major, rebinding: old: interfaces.State{defaultRoute= ifs={} v4=false v6=false} new: "
    "interfaces.State{defaultRoute=eth0 ifs={eth0:[10.0.0.5/24]} v4=true v6=false}",
    "[v1] LinkChange: minor",
    "LinkChange: minor",
    "magicsock: SetNetworkUp(true)",
)


@settings(max_examples=80, deadline=None)
@given(_prefix_index, st.lists(st.sampled_from(_DOWN), min_size=1, max_size=3), st.lists(st.sampled_from(_SYMPTOMS)))
def test_every_link_down_at_the_end_is_network_down(prefix: int, downs: list[str], symptoms: list[str]) -> None:
    document = document_of(paste_messages(LOG_PREFIXES[prefix], *downs, *symptoms))
    assert "network-down" in log_kinds(document)
    assert not log_kinds(document) & {"crash", "tun-unavailable", "firewall-failed", "control-unreachable"}
    assert "TS-LOG-NETWORK-DOWN" in finding_rules(document)
    assert exit_code(document) == 1
    issue = next(i for log in document["daemon_logs"] for i in log["issues"] if i["kind"] == "network-down")
    assert issue["severity"] == "warning"


@settings(max_examples=60, deadline=None)
@given(_prefix_index, st.lists(st.sampled_from(_DOWN[:4]), min_size=1, max_size=3), st.sampled_from(_UP))
def test_a_link_that_comes_back_ends_network_down(prefix: int, downs: list[str], up: str) -> None:
    document = document_of(
        paste_messages(LOG_PREFIXES[prefix], *downs, "magicsock: link change rebound port: 41641", up)
    )
    assert "network-down" not in log_kinds(document)
    assert "TS-LOG-NETWORK-DOWN" not in finding_rules(document)


@pytest.mark.parametrize(
    "message",
    [
        "[v1] LinkChange: minor",
        "LinkChange: major, rebinding. New state: interfaces.State{defaultRoute=eth0 ifs={eth0:[10.0.0.5/24]} v4=true}",
        "magicsock: SetNetworkUp(true)",
        "health(warnable=network-status): ok",
        "monitor: RTM_DELROUTE: src=192.168.0.232/0, dst=192.168.0.255/32, gw=, outif=3, table=255",
    ],
)
@pytest.mark.parametrize("prefix", LOG_PREFIXES)
def test_routine_link_lines_raise_no_network_down(prefix: str, message: str) -> None:
    assert "network-down" not in log_kinds(document_of(paste_messages(prefix, message)))


@pytest.mark.parametrize(
    "text",
    [
        "When all links down the Pi should pause, right?\n",
        "My network is down since yesterday and tailscale does not work\n",
        "sendto: network is down\n",
    ],
)
def test_prose_about_a_network_that_is_down_is_no_network_down(text: str) -> None:
    assert "network-down" not in log_kinds(document_of(text))
