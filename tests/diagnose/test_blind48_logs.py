"""Generated tests for blind batch 48's misses 2822, 2825, 2826, 2843, read as classes (what a user sees in the JSON).

- A node's uploaded lines in Go's time.Time String layout (Tailscale's log viewer, `bugreport`: "2021-06-03
  11:10:56.860406 -0500 -0500: …") keep the fraction of the node's clock, trailing zeros trimmed: 7 digits at most is
  Windows' 100 ns clock (as before), 6 at most over three stamps or more is Apple's microsecond clock (macos), 8-9 is a
  nanosecond clock (linux, unless the log's words name FreeBSD/OpenBSD/Android). One stamp, two clocks mixed, other
  stamp layouts name no OS. magicsock's netcheck lines in that layout are the node's log lines.
- The Windows GUI's own log line when it could not start the service ("ui: Failed to explicitly start tailscaled:
  <service-control call>: <Windows' error>"): service-not-running (the reinstall advice when Windows says the service
  does not exist), never a pipe access problem; "already running" is no failure.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json


def _json(text: str) -> dict[str, Any] | None:
    """The JSON document, or None when nothing was recognised (exit 2)."""
    try:
        return run_json(text)
    except InputError:
        return None


def _oses(document: dict[str, Any] | None) -> list[str | None]:
    return [] if document is None else [log["os"] for log in document["daemon_logs"]]


def _os_whys(document: dict[str, Any] | None) -> list[str]:
    return [] if document is None else [log["os_why"] or "" for log in document["daemon_logs"]]


def _windows(document: dict[str, Any] | None) -> list[str]:
    return [] if document is None else sorted({error["kind"] for error in document["windows"] or []})


def _causes(document: dict[str, Any] | None, rule: str) -> list[str]:
    return [] if document is None else [f["cause"] + " " + f["fix"] for f in document["findings"] if f["rule"] == rule]


# ------------------------------------------------------------------------------------------ the clock's resolution
# Routine lines of a node's log that name no OS (the samples' and their neighbours').
_MESSAGES = (
    "magicsock: 0 active derp conns",
    "netmap diff: (none)",
    "monitor: time jumped (probably wake from sleep); synthesizing major change event",
    "magicsock: link change rebound port from 41641 to 41641",
    "netcheck: probePortMapServices: failed to look up gateway address",
    "netcheck: probePortMapServices: skipping portmap; gateway range likely lacks support",
    "magicsock: endpoint update (link-change-major) failed: route ip+net: sysctl: cannot allocate memory",
    "open-conn-track: timeout opening (TCP 100.98.1.2:43452 => 34.122.1.2:80); no associated peer node",
)
_ZONES = ("-0500 -0500", "-0700 PDT", "+0000 UTC", "+0200 CEST", "+0530 IST")


def _fraction(value: int, width: int) -> str:
    """Go's ".999999999": the clock's ticks in `width` digits, trailing zeros trimmed (none at all for zero)."""
    digits = f"{value:0{width}d}".rstrip("0")
    return f".{digits}" if digits else ""


def _log(fractions: list[str], zone: str, messages: list[str], blank: bool) -> str:
    lines = [
        f"2021-06-03 11:{10 + at // 60:02d}:{at % 60:02d}{fraction} {zone}: {messages[at % len(messages)]}"
        for at, fraction in enumerate(fractions)
    ]
    return ("\n\n" if blank else "\n").join(lines) + "\n"


_messages = st.lists(st.sampled_from(_MESSAGES), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None)
@given(
    ticks=st.lists(st.integers(0, 999_999), min_size=3, max_size=9),
    zone=st.sampled_from(_ZONES),
    messages=_messages,
    blank=st.booleans(),
)
def test_a_microsecond_clock_is_apples(ticks: list[int], zone: str, messages: list[str], blank: bool) -> None:
    ticks[0] = ticks[0] // 10 * 10 + 7  # one stamp shows all six digits
    document = _json(_log([_fraction(t, 6) for t in ticks], zone, messages, blank))
    assert _oses(document) == ["macos"]
    assert "microseconds" in _os_whys(document)[0] and "iOS" in _os_whys(document)[0]


@settings(max_examples=40, deadline=None)
@given(
    ticks=st.lists(st.integers(0, 999_999_999), min_size=2, max_size=9),
    zone=st.sampled_from(_ZONES),
    messages=_messages,
    blank=st.booleans(),
    low=st.sampled_from((0, 1, 2)),
)
def test_a_nanosecond_clock_is_linux(ticks: list[int], zone: str, messages: list[str], blank: bool, low: int) -> None:
    ticks[0] = ticks[0] // 10 * 10 + 3  # one stamp shows all nine digits
    ticks[1:] = [t // 100 * 100 + 11 for t in ticks[1:]]  # the rest 9 digits too, but
    if low == 1:
        ticks[-1] = ticks[-1] // 1000 * 1000  # a nanosecond value ending in three zeros: 6 digits, one in a thousand
    fractions = [_fraction(t, 9) for t in ticks]
    document = _json(_log(fractions, zone, messages, blank))
    assert _oses(document) == ["linux"]
    assert "nanoseconds" in _os_whys(document)[0]


@settings(max_examples=25, deadline=None)
@given(ticks=st.lists(st.integers(0, 9_999_999), min_size=2, max_size=8), zone=st.sampled_from(_ZONES))
def test_a_100ns_clock_stays_windows(ticks: list[int], zone: str) -> None:
    ticks[0] = ticks[0] // 10 * 10 + 9
    document = _json(_log([_fraction(t, 7) for t in ticks], zone, list(_MESSAGES[:3]), False))
    assert _oses(document) == ["windows"]


@pytest.mark.parametrize(
    ("fractions", "why"),
    [
        ([".860406"], "one stamp"),
        ([".875349584"], "one stamp"),
        ([".860406", ".983597"], "two microsecond stamps: not enough"),
        ([".860406", ".983597", ".992424", ".875349584", ".910515166"], "two clocks mixed"),
        ([".86", ".983", ".9924", ".12"], "no stamp shows six digits"),
        ([".875349584", ".9105151", ".1234567"], "as many 7-digit stamps as a 100 ns clock gives"),
        (["", "", ""], "whole seconds"),
    ],
)
def test_stamps_that_show_no_one_clock_name_no_os(fractions: list[str], why: str) -> None:
    document = _json(_log(fractions, "-0500 -0500", list(_MESSAGES[:2]), False))
    assert _oses(document) == [None], why


@pytest.mark.parametrize("fraction", [".860406", ".875349584", ".1234567"])
def test_one_stamp_repeated_names_no_os(fraction: str) -> None:
    text = "".join(f"2021-06-03 12:32:44{fraction} -0500 -0500: {message}\n" for message in _MESSAGES)
    assert _oses(_json(text)) == [None]


def test_a_six_digit_stamp_among_nanosecond_ones_is_not_apples() -> None:
    document = _json(_log([".875349584", ".860406", ".910515166", ".29548898"], "-0700 PDT", list(_MESSAGES), False))
    assert _oses(document) == ["linux"]


@pytest.mark.parametrize("word", ["FreeBSD 13.2", "OpenBSD 7.4", "Android 14", "pfSense 2.7", "OPNsense 24.1"])
def test_a_nanosecond_clock_is_not_linux_when_the_log_names_another_os(word: str) -> None:
    text = (
        f"2021-06-03 11:10:56.860406123 -0500 -0500: magicsock: 0 active derp conns on {word}\n"
        "2021-06-03 11:10:57.910515166 -0500 -0500: netmap diff: (none)\n"
    )
    assert _oses(_json(text)) in ([None], ["freebsd"], ["openbsd"], ["android"])


@pytest.mark.parametrize(
    "stamp",
    [
        "2021/06/03 11:10:5{n}.86040{n}",  # Go's log package with microseconds
        "2021-06-03T11:10:5{n}.86040{n}-05:00",  # RFC 3339 (a container runtime's)
        "2021-06-03T11:10:5{n}.86040{n}Z",
    ],
)
def test_other_stamp_layouts_name_no_os(stamp: str) -> None:
    text = "".join(f"{stamp.format(n=n)} magicsock: 0 active derp conns\n" for n in range(1, 5))
    assert _oses(_json(text)) == [None]


@pytest.mark.parametrize("zone", _ZONES)
@pytest.mark.parametrize("blank", [False, True])
def test_netchecks_lines_in_the_viewers_layout_are_the_nodes(zone: str, blank: bool) -> None:
    lines = [
        f"2021-06-03 12:32:4{n}.98359{n} {zone}: netcheck: probePortMapServices: failed to look up gateway address"
        for n in range(1, 8)
    ]
    document = _json(("\n\n" if blank else "\n").join(lines) + "\n")
    assert document is not None
    assert [block["kind"] for block in document["blocks"]] == ["tailscaled-log"]
    assert document["warnings"] == [] and _oses(document) == ["macos"]
    assert document["summary"]["exit_code"] == 0


def test_the_clis_verbose_netcheck_lines_are_not_a_log() -> None:
    text = "".join(
        f"2021/06/03 12:32:4{n} netcheck: probePortMapServices: failed to look up gateway address\n" for n in range(4)
    )
    document = _json(text)
    assert document is None or document["daemon_logs"] == []


# ------------------------------------------------------------------------------------------------ Windows GUI's start
_GUI_HEAD = (
    "LogID: 6cb77002436f127bd39ca185c791ca2f46ced8cdeb9418a5a3991f67afe49449",
    "logpolicy: using LocalAppData dir C:\\Users\\abc\\AppData\\Local\\Tailscale",
    "stdout ok.",
    "stderr ok.",
    "log ok.",
    "Running UI client...",
    "ui: creating mainWindow",
)
_GUI_PREFIXES = (
    "ui: ",
    "",
    "2026/09/02 10:11:12 ui: ",
    "2026-09-02 10:11:12.1234567 +0800 +0800: ui: ",
    "2026-09-02T10:11:12.123+08:00: ui: ",
)
_OPERATIONS = ("openServiceForReadExecute", "StartService", "OpenService", "openSCManager")
_NOT_INSTALLED = "The specified service does not exist as an installed service."
_OTHER_SCM_ERRORS = (
    "Access is denied.",
    "The service cannot be started, either because it is disabled or because it has no enabled devices associated "
    "with it.",
    "The specified service has been marked for deletion.",
    "The service did not respond to the start or control request in a timely fashion.",
    "The dependency service or group failed to start.",
    "Zugriff verweigert",
)


def _gui_log(prefix: str, operation: str, error: str, head: bool, tray: bool) -> str:
    lines = [*(_GUI_HEAD if head else ()), f"{prefix}Failed to explicitly start tailscaled: {operation}: {error}"]
    if tray:
        lines.append("ui: creating tray")
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None)
@given(
    prefix=st.sampled_from(_GUI_PREFIXES),
    operation=st.sampled_from(_OPERATIONS),
    head=st.booleans(),
    tray=st.booleans(),
)
def test_the_gui_finding_no_service_is_a_missing_service(prefix: str, operation: str, head: bool, tray: bool) -> None:
    document = _json(_gui_log(prefix, operation, _NOT_INSTALLED, head, tray))
    assert document is not None
    assert "windows-error" in [block["kind"] for block in document["blocks"]]
    assert _windows(document) == ["service-not-running"]
    assert document["summary"]["exit_code"] == 1
    (cause,) = _causes(document, "TS-WIN-SERVICE-NOT-RUNNING")
    assert "Reinstall Tailscale" in cause


@settings(max_examples=40, deadline=None)
@given(
    prefix=st.sampled_from(_GUI_PREFIXES),
    operation=st.sampled_from(_OPERATIONS),
    error=st.sampled_from(_OTHER_SCM_ERRORS),
    head=st.booleans(),
)
def test_the_gui_failing_to_start_the_service_is_service_not_running(
    prefix: str, operation: str, error: str, head: bool
) -> None:
    document = _json(_gui_log(prefix, operation, error, head, True))
    assert _windows(document) == ["service-not-running"]
    assert document is not None and document["summary"]["exit_code"] == 1
    (cause,) = _causes(document, "TS-WIN-SERVICE-NOT-RUNNING")
    assert "Windows reports the Tailscale service stopped or would not start" in cause


@pytest.mark.parametrize(
    "text",
    [
        "ui: Failed to explicitly start tailscaled: StartService: An instance of the service is already running.\n",
        "\n".join(_GUI_HEAD) + "\nui: creating tray\n",
        "The log said Failed to explicitly start tailscaled: and nothing else\n",
        "ui: Failed to explicitly start tailscaled:\n",
    ],
)
def test_no_failed_start_no_service_error(text: str) -> None:
    document = _json(text)
    assert "service-not-running" not in _windows(document)
    assert "pipe-access-denied" not in _windows(document)
