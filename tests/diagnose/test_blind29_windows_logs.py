"""Generated tests for blind batch 29's Windows logs (corpus 1480, 1481).

- Wintun failing to load (corpus 1481): wintun-go's lazy DLL loader ("Error loading wintun.dll DLL: Unable to load
  library: <Windows message>", "Error getting Wintun… address: …"), panicked, returned bare or wrapped by
  wireguard-go's CreateTUN and the engine, and Wintun's adapter errors without their code: no TUN
  (tun-unavailable, with the crash when it panicked), under any log prefix; the summary's TUN cell says why.
- The clock's resolution (corpus 1480): Go's time.Time String stamps of Tailscale's log viewer keep the clock's
  fractional digits; Windows' 100 ns clock gives at most 7, Linux' nanoseconds 9, macOS' microseconds 6. Two or more
  distinct stamps, some with exactly 7 digits and none with 8-9, read as Windows, stated as inferred (os_why); an
  OS a line names wins.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from opskit.output.diagnose import render_human
from tests.diagnose.conftest import run_json, run_text

# ------------------------------------------------------------------------------- Wintun does not load (1481)

WINDOWS_MESSAGES = [
    "The parameter is incorrect.",
    "The specified module could not be found.",
    "Access is denied.",
    "%1 is not a valid Win32 application.",
    "The specified procedure could not be found.",
]
# (line template, whether it is a panic)
WINTUN_FAILURES = [
    ("panic: Error loading wintun.dll DLL: Unable to load library: {msg}", True),
    ("Error loading wintun.dll DLL: Unable to load library: {msg}", False),
    ("panic: error loading wintun.dll DLL: unable to load library: {msg}", True),
    (
        'wgengine.NewUserspaceEngine(tun "Tailscale") error: Error creating interface: Error loading wintun.dll DLL: '
        "Unable to load library: {msg}",
        False,
    ),
    ("panic: Error getting WintunCreateAdapter address: {msg}", True),
    ("Error creating interface: Error getting WintunOpenAdapter address: {msg}", False),
    ("Failed to create adapter: {msg}", False),
    ("wintun: failed to create adapter: {msg}", False),
]
PREFIXES = [
    "2021-03-30T22:54:01.074+08:00: ",
    "2021-06-16 13:20:33.7393452 -0700 -0700: 2021/06/16 13:20:33 ",
    "2023/01/05 10:11:12 ",
    "",
]
START = [
    'Program starting: v1.3.147-t2b2a16d9a-ge87fee2ef: []string{"C:\\\\Program Files (x86)\\\\Tailscale IPN\\\\'
    'tailscale-ipn.exe", "/subproc", "56df"}',
    "subproc mode: logid=56df52d1ed9e1ea5f523fcfd70fcf9f5d14e905a30b46ead45f28def43c93c23",
    'Starting userspace wireguard engine with tun device "Tailscale"',
]


def _log(prefix: str, messages: list[str]) -> str:
    return "".join(f"{prefix}{message}\n" for message in messages)


def _issues(document: dict[str, Any]) -> list[str]:
    return [issue["kind"] for log in document["daemon_logs"] for issue in log["issues"]]


@settings(max_examples=60, deadline=None)
@given(
    failure=st.sampled_from(WINTUN_FAILURES),
    message=st.sampled_from(WINDOWS_MESSAGES),
    prefix=st.sampled_from(PREFIXES),
    with_start=st.booleans(),
)
def test_wintun_that_will_not_load_is_no_tun(
    failure: tuple[str, bool], message: str, prefix: str, with_start: bool
) -> None:
    template, panicked = failure
    lines = [*(START if with_start else START[2:]), template.format(msg=message)]
    if panicked:
        lines += ["", "goroutine 1 [running]:"]
    document = run_json(_log(prefix, lines))
    issues = _issues(document)
    assert "tun-unavailable" in issues
    if panicked:
        assert "crash" in issues  # the panic is the process dying on it
    assert "control-unreachable" not in issues and "login-required" not in issues
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_tun_cell_of_the_summary_says_why(prefix: str) -> None:
    text = _log(prefix, [*START, "panic: Error loading wintun.dll DLL: Unable to load library: Access is denied."])
    console = Console(file=io.StringIO(), width=400, record=True, color_system=None)
    render_human(run_text(text, "node"), console)
    summary = console.export_text()
    assert "no TUN: Error loading wintun.dll DLL: Unable to load library: Access is denied." in summary


ROUTINE_WINTUN = [
    "[Wintun] Using existing driver 0.14",
    "wintun: using adapter Tailscale",
    "Cannot load wintun.dll for uninstall: The specified module could not be found.",
    "Removing wintun driver...",
    "I loaded wintun.dll by hand and it worked",
    "Error loading config: open C:\\ProgramData\\Tailscale\\prefs.conf: The system cannot find the file specified.",
    "Unable to load library settings from the cache",
]


@pytest.mark.parametrize("line", ROUTINE_WINTUN)
@pytest.mark.parametrize("prefix", PREFIXES)
def test_routine_wintun_lines_and_near_misses_are_not_a_tun_failure(prefix: str, line: str) -> None:
    document = run_json(_log(prefix, [*START, line]))
    assert "tun-unavailable" not in _issues(document)


# ------------------------------------------------------------------------- the clock's resolution (1480)

# messages that name no OS
NEUTRAL = [
    "magicsock: endpoints changed: 97.108.50.244:60593 (stun), 192.168.18.143:41641 (local)",
    "logtail: backoff: 8 msec",
    "derphttp.Client.Recv: connecting to derp-1 (nyc)",
    "wg: [v2] Received handshake response",
    "magicsock: disco: node [Y3lS7] d:19f4b6f6e9a56e19 now using 192.168.18.20:41641",
]
ZONES = ["-0700 -0700", "+0000 UTC", "+0200 CEST", "-0500 EST", "+0530 +0530"]


def _go_string(second: int, nanos: int, zone: str) -> str:
    """Go's time.Time String: fraction digits with trailing zeros trimmed (none when all are zero)."""
    fraction = f"{nanos:09d}".rstrip("0")
    return f"2021-06-16 13:20:{second:02d}" + (f".{fraction}" if fraction else "") + f" {zone}"


def _stamped(nanos: list[int], zone: str, inner: bool, messages: list[str] | None = None) -> str:
    lines = []
    for index, value in enumerate(nanos):
        message = (messages or NEUTRAL)[index % len(messages or NEUTRAL)]
        second = 10 + index % 40
        inner_stamp = f"2021/06/16 13:20:{second:02d} " if inner else ""
        lines.append(f"{_go_string(second, value, zone)}: {inner_stamp}{message}")
    return "\n".join(lines) + "\n"


def _os(document: dict[str, Any]) -> tuple[str | None, str | None]:
    logs = document["daemon_logs"]
    assert len(logs) == 1
    return logs[0]["os"], logs[0]["os_why"]


# 100 ns ticks: the last two of the nine digits are zero
windows_nanos = st.integers(min_value=0, max_value=9_999_999).map(lambda ticks: ticks * 100)
seven_digit_nanos = windows_nanos.filter(lambda nanos: nanos % 1000 != 0)


@settings(max_examples=40, deadline=None)
@given(
    seven=seven_digit_nanos,
    others=st.lists(windows_nanos, min_size=1, max_size=8),
    zone=st.sampled_from(ZONES),
    inner=st.booleans(),
)
def test_a_100ns_clock_reads_as_windows_stated_as_inferred(
    seven: int, others: list[int], zone: str, inner: bool
) -> None:
    nanos = [seven, *others]
    text = _stamped(nanos, zone, inner)
    if len({line.split(": ")[0] for line in text.splitlines()}) < 2:
        return  # one distinct stamp: nothing to read (tested below)
    os_name, why = _os(run_json(text))
    assert os_name == "windows"
    assert why is not None and "inferred" in why and "7 fractional digits" in why


@settings(max_examples=40, deadline=None)
@given(
    nine=st.integers(min_value=0, max_value=999_999_999).filter(lambda nanos: nanos % 10 != 0),
    # a nanosecond clock's stamps, some of which happen to end in zeros (7 digits or fewer on those lines)
    others=st.lists(st.one_of(st.integers(min_value=0, max_value=999_999_999), windows_nanos), min_size=1, max_size=8),
    zone=st.sampled_from(ZONES),
    inner=st.booleans(),
)
def test_a_nanosecond_clock_is_not_windows(nine: int, others: list[int], zone: str, inner: bool) -> None:
    os_name, why = _os(run_json(_stamped([nine, *others], zone, inner)))
    # (blind batch 48, fix48-logs, by the lead's decision: a nanosecond clock now reads as Linux, said as inferred)
    assert os_name in (None, "linux") and (why is None) == (os_name is None)
    assert why is None or "nanoseconds" in why


@settings(max_examples=30, deadline=None)
@given(
    micros=st.lists(st.integers(min_value=0, max_value=999_999), min_size=2, max_size=8),
    zone=st.sampled_from(ZONES),
)
def test_a_microsecond_clock_is_not_windows(micros: list[int], zone: str) -> None:
    os_name, why = _os(run_json(_stamped([m * 1000 for m in micros], zone, True)))
    # (blind batch 48, fix48-logs, by the lead's decision: three microsecond stamps or more read as Apple's clock)
    assert os_name in (None, "macos") and (why is None) == (os_name is None)
    assert why is None or "microseconds" in why


@settings(max_examples=30, deadline=None)
@given(seven=seven_digit_nanos, zone=st.sampled_from(ZONES), count=st.integers(min_value=1, max_value=6))
def test_one_lone_stamp_says_nothing(seven: int, zone: str, count: int) -> None:
    # a panic's trace: every line carries the same stamp
    stamp = _go_string(33, seven, zone)
    trace = [
        "panic: LocalBackend.assertClient: b.cc == nil",
        "goroutine 286 [running]:",
        "tailscale.com/ipn/ipnlocal.(*LocalBackend).nextState(0xc0000b0480, 0x2)",
    ]
    text = "".join(f"{stamp}: {trace[i % len(trace)]}\n" for i in range(count))
    os_name, why = _os(run_json(text))
    assert os_name is None and why is None


@pytest.mark.parametrize(
    ("clue", "os_name"),
    [
        ("dns: using *dns.resolvedManager", "linux"),
        ("dns: using *dns.darwinConfigurator", "macos"),
        ("wgengine: Reconfig: configuring router", None),  # no clue: the stamps decide
    ],
)
def test_an_os_a_line_names_wins_over_the_clock(clue: str, os_name: str | None) -> None:
    text = _stamped([123_456_700, 223_456_800, 323_456_900], "-0700 -0700", True, [*NEUTRAL[:2], clue])
    found, why = _os(run_json(text))
    if os_name is None:
        assert (found, why is not None) == ("windows", True)
    else:
        assert (found, why) == (os_name, None)
