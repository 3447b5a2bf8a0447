"""Read k3s's (and rke2's) Tailscale integration as its log shows it: ``--vpn-auth="name=tailscale,joinKey=…"``
(or ``--vpn-auth-file``) makes k3s run ``tailscale up --authkey <joinKey> --timeout=30s --reset`` itself before it
starts (k3s-io/k3s pkg/vpn/vpn.go StartVPN, logrus)::

    Jun 13 16:46:26 node k3s[7287]: time="2023-06-13T16:46:26Z" level=info msg="Starting VPN: tailscale"
    Jun 13 16:46:27 node k3s[7287]: exit status 1
    Jun 13 16:46:27 node systemd[1]: k3s.service: Main process exited, code=exited, status=1/FAILURE
    Jun 13 16:46:27 node systemd[1]: Failed to start Lightweight Kubernetes.

Its words: ``Starting VPN: <name>``, ``Tailscale is already running, skipping tailscale up`` (debug), ``Flags passed to
tailscale up: [...]`` / ``Output from tailscale up: …`` (debug), and its errors, which stop k3s: ``tailscale up
failed: <the CLI's output>: exit status N`` (builds from mid-2023; earlier ones returned the bare ``exit status N``,
the CLI's output lost), ``VPN Error. Tailscale requires a JoinKey``, ``VPN Error. The passed VPN auth info includes
an unknown parameter: …``, ``VPN Error. Invalid control server URL for Tailscale: …``, ``Requested VPN: <name> is
not supported. We currently only support tailscale``, ``failed to run tailscale status --json: …``. The view runs
over k3s's and rke2's own lines and systemd's about their units, and ends at the first line of anything else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.daemonlog.grammar import message_of
from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.text import SourceLine, blank_output_line
from opskit.core.diagnose.windows import is_windows_error_line

_MAX_LINES = 2000
# the lines that open the view (k3s's own words; the splitter tests "VPN" in the line first)
_START = lazy_compile(r"^(?:Starting VPN: (?P<name>\S+)|VPN Error\. |Requested VPN: \S+ is not supported\b)")
# k3s's and rke2's lines: their journal/syslog process, compose service or logrus record; systemd's lines about their
# units; the bare error line an old k3s printed as it exited ("exit status 1")
_K3S_LINE = re.compile(
    r"\b(?:k3s|rke2)(?:-server|-agent)?(?:\[\d+\]:|\s+\|)"
    r"|\b(?:k3s|rke2)(?:-server|-agent)?(?:@[\w.-]*)?\.service\b"
    r"|Lightweight Kubernetes|Rancher Kubernetes Engine"
    r"|^time=\"[^\"]*\" level=\w+ msg="
    r"|^(?:exit status \d+|(?:INFO|DEBU|WARN|ERRO|FATA)\[\d+\] )"
)
# (a copy may keep the record's closing quote or a stray bracket after the status: "…exit status 1\">")
_UP_FAILED = lazy_compile(
    r"^tailscale up failed: (?P<output>.*?)(?::? ?exit status (?P<code>\d+)[\"'>\]]*)?$", re.DOTALL
)
_EXIT_STATUS = lazy_compile(r"^exit status (?P<code>\d+)$")
_CONFIG_ERROR = lazy_compile(
    r"^(?:VPN Error\. .+|Requested VPN: \S+ is not supported\..*|failed to run tailscale status --json: .+)$"
)
_UP_OUTPUT = "Output from tailscale up:"
_ALREADY_RUNNING = "Tailscale is already running, skipping tailscale up"
# systemd: the unit's main process failed, or the unit did not start
_UNIT_FAILED = lazy_compile(
    r"(?:k3s|rke2)[\w@.-]*\.service: (?:Main process exited, code=\w+, status=(?!0/)|Failed with result )"
    r"|Failed to start (?:Lightweight Kubernetes|Rancher Kubernetes Engine)"
)


@dataclass(frozen=True)
class K3sVpnReport:
    rule_target: ClassVar[str] = "k3s-vpn"  # its kind in JSON views[]
    vpn: str | None  # the VPN named ("tailscale"), None when the paste starts at an error
    outcome: str  # "failed", "up" (tailscale up's output shown, or it was already running), "started" (no result)
    reason: str | None  # the error k3s printed (tailscale up's output, a configuration error); None: not shown
    exit_status: int | None  # tailscale up's exit status
    failure: SourceLine | None  # the line that says it failed
    unit_failed: SourceLine | None  # systemd's line saying k3s (rke2) stopped or did not start
    lines: tuple[SourceLine, ...]

    @property
    def cli_errors(self) -> tuple[SourceLine, ...]:
        """The failure when the CLI error reader knows its words (tailscale up's "backend error: invalid key: …"):
        read there as well, with that error's own explanation."""
        if self.failure is None or _UP_FAILED.match(_message(self.failure.text)) is None:
            return ()
        return (self.failure,) if is_windows_error_line(self.failure.text) else ()

    @property
    def layout(self) -> str:
        return f"k3s --vpn-auth ({self.outcome})"

    def facts(self) -> dict[str, Any]:
        return {
            "vpn": self.vpn,
            "outcome": self.outcome,
            "reason": self.reason,
            "exit_status": self.exit_status,
            "unit_failed": self.unit_failed is not None,
        }


def may_be_k3s_vpn_line(text: str) -> bool:
    """Cheap test for the splitter (every line meets it)."""
    return "VPN" in text


def _message(text: str) -> str:
    return message_of(text).text.strip()


def k3s_vpn_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last of k3s's lines in the run whose VPN start (or VPN error) is ``lines[start]``, or None."""
    first = lines[start].text
    if _K3S_LINE.search(first) is None and not first.startswith(("Starting VPN", "VPN Error", "Requested VPN")):
        return None
    if _START.match(_message(first)) is None:
        return None
    end = start
    for index in range(start + 1, min(len(lines), start + _MAX_LINES)):
        line = lines[index]
        if blank_output_line(line.text):
            continue
        if line.command is not None or _K3S_LINE.search(line.text) is None:
            break
        end = index
    return end


def parse_k3s_vpn(lines: Sequence[SourceLine]) -> K3sVpnReport:
    vpn: str | None = None
    reason: str | None = None
    exit_status: int | None = None
    failure: SourceLine | None = None
    unit_failed: SourceLine | None = None
    up = False
    for line in lines:
        if _UNIT_FAILED.search(line.text) is not None:
            unit_failed = unit_failed or line
            continue
        message = _message(line.text)
        if (start := _START.match(message)) is not None and start["name"] is not None:
            vpn = vpn or start["name"]
        if failure is not None or up:
            continue
        if message.startswith((_UP_OUTPUT, _ALREADY_RUNNING)):
            up = True
        elif (failed := _UP_FAILED.match(message)) is not None:
            # (logfmt keeps the CLI output's last newline escaped: "…not valid\n: exit status 1")
            output = failed["output"].replace("\\n", "\n").strip().rstrip(":").strip()
            failure, reason = line, " ".join(output.split()) or None
            exit_status = int(failed["code"]) if failed["code"] else None
        elif _CONFIG_ERROR.match(message) is not None:
            failure, reason = line, message
        elif (status := _EXIT_STATUS.match(message)) is not None and vpn is not None:
            failure, exit_status = line, int(status["code"])
    outcome = "failed" if failure is not None else "up" if up else "started"
    return K3sVpnReport(vpn, outcome, reason, exit_status, failure, unit_failed, tuple(lines))
