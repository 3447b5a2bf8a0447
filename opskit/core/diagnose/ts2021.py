"""Parse ``tailscale debug ts2021`` (cmd/tailscale/cli/debug.go runTS2021): each step of the control plane's
Noise handshake, logged with log.Printf (Go's date/time stamp, or time only)::

    Fetching keys from https://controlplane.tailscale.com/key?v=97 ...
    Dial("tcp", "18.159.140.118:80") ...
    Dial("tcp", "18.159.140.118:80") = 172.16.0.2:56402 / 18.159.140.118:80
    controlhttp.Dial = 0xc000208110, <nil>            (before v1.80: the dial's result)
    did noise handshake
    final underlying conn: 172.16.0.2:56402 / 18.159.140.118:80

A failure is ``Do: <error>`` (the key fetch), ``Status: 403 Forbidden``, ``JSON: <error>``, ``error on attempt
1/2: <error>``, ``controlhttp.Dial = 0x0, <error>``, ``peer = …, want …`` or ``whoami request returned status …``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.profile import is_loopback_host
from opskit.core.diagnose.text import GO_STAMP, SourceLine, blank_output_line, typed_tailscale_command
from opskit.core.diagnose.windows import is_windows_error_line

_MAX_LINES = 5000
# the CLI's own Go crash (windows.py GO_CRASH_START's words) cutting the trace short
_GO_CRASH = lazy_compile(r"^(?:panic: |fatal error: )")

# log.Printf's stamp: Go's default "2006/01/02 15:04:05", with microseconds, or the time alone
_TS_STAMP = lazy_compile(rf"^(?:{GO_STAMP}|\d\d:\d\d:\d\d(?:\.\d+)?) ")
_TS_FETCH = lazy_compile(r"^Fetching keys from (?P<url>https?://\S+) \.\.\.$")
_TS_DIAL = lazy_compile(r'^Dial\("(?P<net>\w+)", "(?P<addr>[^"]+)"\) (?:\.\.\.|= (?P<result>.+))$')
_TS_CONNECTED = lazy_compile(r"^(?P<local>\S+) / (?P<remote>\S+)$")
_TS_CONTROLHTTP = lazy_compile(r"^controlhttp\.Dial = (?P<conn>\S+), (?P<err>.+)$")
_TS_FINAL = lazy_compile(r"^final underlying conn: (?P<local>\S+) / (?P<remote>\S+)$")
_TS_FAILURE = lazy_compile(
    r"^(?:Do: |Status: |JSON: |error on attempt \d+/\d+: |peer = .+, want |whoami request returned status |"
    r"NewNoiseClient: |tlsdial: error: )"
)
# "HTTP proxy env: …" (v1.38-era runTS2021's first line); tlsdial's "warning: server cert for %q is not a Let's
# Encrypt cert" (--verbose against a self-hosted server: a note, the handshake goes on)
_TS_OTHER = lazy_compile(
    r"^(?:did noise handshake$|GotConn: |got public key: |using ACE server |tshttpproxy\.ProxyFromEnvironment = |"
    r"whoami response: |netmon: |controlhttp: |dnscache: |\[v\d\] |HTTP proxy env: |tlsdial: warning: )"
)
# Lines only runTS2021 prints (no tailscaled log has them): a trace's fragment may start at any of them without
# the command or the key fetch shown ("controlhttp.Dial = 0xc000208018, <nil>" / "did noise handshake"). The
# splitter tests their words ("Fetching keys from ", "controlhttp.Dial = ", "noise handshake") before this.
_TS_OWN_START = lazy_compile(r"^(?:Fetching keys from \S+ \.\.\.$|controlhttp\.Dial = \S+, |did noise handshake$)")
_TS2021_COMMAND = typed_tailscale_command(r"debug\s+ts2021")
# What the CLI prints last when the trace fails (cmd/tailscale/cli/debug.go runTS2021 returns the error its last step
# logged, cmd/tailscale's main prints it to stderr unstamped and exits 1): "Do: <err>" then "<err>", "Status: 403
# Forbidden" then "403 Forbidden", "JSON: <err>" then "decoding /keys JSON: <err>".
# The control dial's error ("controlhttp.Dial = 0x0, <err>", before v1.80) is returned the same way: "<err>", with
# log's stamp when the CLI printed it through the log package it set up (v1.50 on macOS shows it stamped).
_TS_RETURNED = lazy_compile(
    r"^(?:Do|Status): (?P<err>.+)$|^JSON: (?P<json>.+)$|^controlhttp\.Dial = (?:0x0|<nil>), (?P<dial>.+)$"
)


def _returned_error(failure: str) -> str | None:
    """The error line the CLI prints after the failed step ``failure`` (its message, no stamp), or None."""
    match = _TS_RETURNED.match(failure)
    if match is None:
        return None
    if match["dial"] is not None:
        return match["dial"]
    return match["err"] if match["err"] is not None else f"decoding /keys JSON: {match['json']}"


def _is_final_error(text: str, last_failure: str | None) -> bool:
    """``text`` is the CLI's own last line repeating the error of the trace's failed step ``last_failure``."""
    if last_failure is None or (returned := _returned_error(last_failure)) is None:
        return False
    if _TS_STAMP.match(text) is not None and not last_failure.startswith("controlhttp.Dial"):
        return False
    return ts2021_message(text).strip() == returned.strip()


@dataclass(frozen=True)
class Ts2021Report:
    rule_target: ClassVar[str] = "debug-ts2021"  # its kind in JSON views[]
    url: str | None  # the key URL fetched ("https://controlplane.tailscale.com/key?v=97")
    handshake: bool  # "did noise handshake"
    winner: str | None  # the control address the final connection reached
    failures: tuple[SourceLine, ...]  # the lines that say a step failed
    cli_errors: tuple[SourceLine, ...]  # those of them the CLI error reader knows (x509 …): read there as well
    dial_errors: tuple[SourceLine, ...]  # dials that failed (not the ones cancelled once another won)
    # dials to the control server's address that connected to a loopback address: something on this machine (a
    # local proxy, VPN or filter app listening on that port) took the connection
    captured: tuple[SourceLine, ...]
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        state = "handshake done" if self.handshake else "failed" if self.failures else "cut before the handshake"
        return f"tailscale debug ts2021 ({state})"

    @property
    def outcome(self) -> str:
        """handshake-done, failed, or cut (the paste stops before the handshake)."""
        return "handshake-done" if self.handshake else "failed" if self.failures else "cut"

    def facts(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "key_url": self.url,
            "connected_to": self.winner,
            "failures": [{"text": ts2021_message(line.text), "line": line.number} for line in self.failures],
            "dial_errors": [{"text": ts2021_message(line.text), "line": line.number} for line in self.dial_errors],
        }


def _is_loopback(address: str) -> bool:
    """``address`` ("[::1]:10011", "127.0.0.1:443", "localhost:80") names this machine's loopback."""
    return is_loopback_host(address.rsplit(":", 1)[0].strip("[]") if ":" in address else address)


def ts2021_message(text: str) -> str:
    """``text`` without log.Printf's stamp."""
    stamp = _TS_STAMP.match(text)
    return text[stamp.end() :] if stamp is not None else text


def _ts2021_line(message: str) -> bool:
    return bool(
        _TS_DIAL.match(message)
        or _TS_FETCH.match(message)
        or _TS_OTHER.match(message)
        or _TS_CONTROLHTTP.match(message)
        or _TS_FINAL.match(message)
        or _TS_FAILURE.match(message)
    )


def is_ts2021_command(command: str | None) -> bool:
    return command is not None and _TS2021_COMMAND.search(command) is not None


def is_ts2021_start(text: str, command: str | None) -> bool:
    """The first line of a ts2021 trace: a line only the trace prints (its key fetch, the control dial's result,
    the handshake), or any of its steps under the command's prompt."""
    message = ts2021_message(text)
    if _TS_OWN_START.match(message) is not None:
        return True
    return is_ts2021_command(command) and _ts2021_line(message)


def ts2021_extent(lines: Sequence[SourceLine], start: int, command: str | None) -> int | None:
    """The index of the last line of a ts2021 trace starting at ``lines[start]``, or None. Without the command
    shown, one of its own lines alone is not enough: another step must follow."""
    if not is_ts2021_start(lines[start].text, command):
        return None
    end = start
    steps = 0
    last_failure: str | None = None
    for index in range(start + 1, min(len(lines), start + _MAX_LINES)):
        line = lines[index]
        if blank_output_line(line.text):
            continue
        message = ts2021_message(line.text)
        if line.command is None and _is_final_error(line.text, last_failure):
            end = index  # the CLI's exit error closes the trace
            break
        if line.command is None and _GO_CRASH.match(line.text) is not None:
            steps += 1  # the CLI crashed during the trace (its panic and stack follow): the trace ends here
            break
        if line.command is not None or not _ts2021_line(message):
            break
        failed_dial = _TS_CONTROLHTTP.match(message) is not None and not message.endswith(", <nil>")
        last_failure = message if _TS_FAILURE.match(message) or failed_dial else last_failure
        steps += 1
        end = index
    return end if steps or is_ts2021_command(command) else None


def parse_ts2021(lines: Sequence[SourceLine]) -> Ts2021Report:
    url: str | None = None
    handshake = False
    winner: str | None = None
    failures: list[SourceLine] = []
    dial_errors: list[SourceLine] = []
    captured: list[SourceLine] = []
    final: SourceLine | None = None  # the CLI's exit error after the failed step
    for line in lines:
        message = ts2021_message(line.text)
        if failures and _is_final_error(line.text, ts2021_message(failures[-1].text)):
            final = line
        elif (match := _TS_FETCH.match(message)) is not None:
            url = match["url"]
        elif (match := _TS_DIAL.match(message)) is not None and match["result"] is not None:
            connected = _TS_CONNECTED.match(match["result"])
            if connected is not None:
                winner = winner or connected["remote"]
                if _is_loopback(connected["remote"]) and not _is_loopback(match["addr"]):
                    captured.append(line)  # dialled control's address, connected to this machine
            elif "operation was canceled" not in match["result"] and "context canceled" not in match["result"]:
                dial_errors.append(line)
        elif (match := _TS_CONTROLHTTP.match(message)) is not None:
            if match["err"] != "<nil>":
                failures.append(line)
        elif (match := _TS_FINAL.match(message)) is not None:
            handshake, winner = True, match["remote"]
        elif message == "did noise handshake":
            handshake = True
        elif _TS_FAILURE.match(message):
            failures.append(line)
    if handshake:
        # an attempt that failed before one that worked is history, not the outcome
        failures = [f for f in failures if "error on attempt" not in f.text]
    # the failed steps the CLI error reader knows (a key fetch failing on TLS interception) are read there as well,
    # as before the trace had a kind; otherwise the CLI's exit error after the failed step is its error (one reading
    # per line: the step stays the trace's, the exit line the CLI's: 'Get "…/key?v=41": net/http: TLS handshake
    # timeout' is control unreachable)
    cli_errors = tuple(line for line in failures if is_windows_error_line(line.text))
    if not cli_errors and final is not None and is_windows_error_line(final.text):
        cli_errors = (final,)
    return Ts2021Report(
        url, handshake, winner, tuple(failures), cli_errors, tuple(dial_errors), tuple(captured), tuple(lines)
    )


def ts2021_cli_errors(lines: Sequence[SourceLine]) -> tuple[SourceLine, ...]:
    """The lines of a ts2021 trace that the CLI error reader knows (a key fetch failing on TLS interception, …):
    they are read as those CLI errors too, as they were before the trace had a kind of its own."""
    return parse_ts2021(lines).cli_errors
