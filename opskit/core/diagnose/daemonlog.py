"""Recognise tailscaled's own start-up log (Windows and Linux) and whether it was started by hand.

People paste what ``tailscaled`` printed when they ran it from a shell, or the service's log file::

    logtail started
    Program starting: v1.52.0-t3c2ff1e4a-gfccfad18e, Go 1.21.3: []string{"C:\\Program Files\\…\\tailscaled.exe"}
    LogID: 9e77…
    logpolicy: using LocalAppData dir …

A daemon run from a shell on Windows runs as that user, not LocalSystem: its named pipe, state and
LocalAPI owner differ from the service's, which explains most "works for one user only" reports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from opskit.core.diagnose.models import DaemonLogReport
from opskit.core.diagnose.text import SourceLine

# Optional prefixes: a syslog/journald one in any locale ("Nov 13 02:07:34 host tailscaled[11844]: ",
# "янв 30 20:54:59 host tailscaled[884]: ", "2021-07-17T15:03:36.462Z host tailscaled[14930]: "), or a
# container runtime's RFC 3339 stamp ("2024-04-30T03:52:44.875476938-04:00 "), or Go's time.Time
# ("2021-08-15 08:09:13.580261 +0100 +0100: ", "… +0000 UTC: ", as log uploads print it); then
# "2021-06-15T16:01:48.840-07:00: " and Go's "2021/06/15 16:01:48 " (log files).
_SYSLOG = (
    r"(?:(?:\w{3,4}\.? +\d{1,2} \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T\S+) \S+ [\w.-]+\[\d+\]:\s+"
    r"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\S*\s+(?=\d{4}/\d{2}/\d{2} )"
    r"|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? [+-]\d{4} (?:[+-]\d{4}|[A-Z]{2,5}):\s+)?"
)
_PREFIX = r"^" + _SYSLOG + r"(?:\S+:\s+)?(?:\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?\s+)?"
_START = re.compile(_PREFIX + r"Program starting: v(?P<version>\d+\.\d+\.\d+)\S*(?P<rest>.*)$")
_MARKERS = re.compile(
    _PREFIX + r"(?:logtail started$|LogID: \S+$|logpolicy[.:] |subproc mode: logid=|\(logID \"[0-9a-f]+\"\)$"
    r"|Program starting: v\d|(?:magicsock: derp[\w.]*\([^)]*\): )?derphttp\.Client\.\w+"
    # Lines of a running daemon that only tailscaled prints (health state, its subsystems' prefixes,
    # its rate limiter and packet-filter log), as pasted from journalctl or a log file.
    r"|health\((?:warnable=)?\"?[\w-]+\"?\): |magicsock: |wgengine: |\[RATELIMIT\] format\(|"
    r"(?:Accept|Drop): [A-Za-z0-9]+\{|dns: (?:error|udp query|Set: |using )|dns udp query: |peerapi: |"
    r"portmapper: |authReconfig: |control: (?!NetInfo)|Switching ipn state |open-conn-track: |netstack: |"
    r"exec ping of )"
)
_DNS_ERROR = re.compile(r"dns: error: (?P<msg>.+)$")
# "Program starting: v1.36.2-…" inside a log flattened onto one line by a chat client or a web UI.
_START_ANYWHERE = re.compile(r"(?:^|\s)Program starting: v(?P<version>\d+\.\d+\.\d+)\S*(?P<rest>.*)$")
# health(warnable=no-derp-connection): error: … / health("overall"): ok — the last state per warnable
# is what holds at the end of the paste.
_HEALTH = re.compile(r'health\((?:warnable=)?"?(?P<name>[\w-]+)"?\): (?P<state>error|warning|ok)(?:: (?P<msg>.*))?$')
# "derphttp.Client.Send connect to region 900 (xxx): EOF" — tailscaled could not reach a DERP region.
_DERP_FAILURE = re.compile(r"connect to region (?P<id>\d+) \((?P<code>[^)]*)\): (?P<error>.+)$")
_ARG = re.compile(r'"((?:[^"\\]|\\.)*)"')
_WORDS = (
    "logtail started", "LogID: ", "logpolicy", "subproc mode", "(logID", "Program starting: v", "derphttp.Client",
    "health(", "magicsock: ", "wgengine: ", "[RATELIMIT]", "Accept: ", "Drop: ", "dns: ", "peerapi: ",
    "portmapper: ", "Switching ipn state", "dns udp query: ", "authReconfig: ", "control: ", "open-conn-track: ",
    "netstack: ", "exec ping of ",
)  # fmt: skip


def is_daemon_log_line(text: str) -> bool:
    """A line only tailscaled's start-up prints (cheap word test first: most lines have none)."""
    if not any(word in text for word in _WORDS):
        return False
    return bool(_MARKERS.match(text)) or ("Program starting: v" in text and bool(_START_ANYWHERE.search(text)))


def _started_by_hand(command: str | None, argv: Sequence[str], lines: Sequence[SourceLine]) -> tuple[bool | None, str]:
    words = (command or "").split()
    program = words[1] if words[:1] == ["sudo"] and len(words) > 1 else (words[0] if words else "")
    if program.lower().rstrip('"').endswith(("tailscaled", "tailscaled.exe")):
        return True, f"it was run from a shell prompt (`{command}`)"
    if "/subproc" in argv or any("subproc mode" in line.text for line in lines):
        return False, "the Windows service started it (/subproc)"
    if command and "tailscale-service" in command:
        return False, "it is the service's log file"
    return None, ""


def parse_daemon_log(lines: Sequence[SourceLine], command: str | None) -> DaemonLogReport:
    """Version, platform and who started tailscaled, from its start-up lines."""
    version: str | None = None
    argv: tuple[str, ...] = ()
    start_line: SourceLine | None = None
    for line in lines:
        match = _START.match(line.text) or _START_ANYWHERE.search(line.text)
        if match:
            version, start_line = match.group("version"), line
            argv = tuple(a.replace("\\\\", "\\") for a in _ARG.findall(match.group("rest")))
    joined = " ".join(argv) + " " + " ".join(line.text for line in lines)
    if ".exe" in joined.lower() or "C:\\" in joined or "LocalApp" in joined or "ProgramData" in joined:
        os_name: str | None = "windows"
    elif "/var/lib/" in joined or "/etc/" in joined or "systemd" in joined:
        os_name = "linux"
    else:
        os_name = None
    hand_started, why = _started_by_hand(command, argv, lines)
    failures = tuple(
        (int(m.group("id")), m.group("code"), m.group("error").strip(), line)
        for line in lines
        if (m := _DERP_FAILURE.search(line.text))
    )
    last_health: dict[str, tuple[str, str, SourceLine]] = {}
    for line in lines:
        if "health(" in line.text and (h := _HEALTH.search(line.text)):
            last_health[h.group("name")] = (h.group("state"), (h.group("msg") or "").strip(), line)
    health_errors = tuple((name, msg, line) for name, (state, msg, line) in last_health.items() if state != "ok")
    # Older daemons (and rate-limited logs) show failing DNS forwarding only as repeated "dns: error:"
    # lines; tailscaled raises dns-forward-failing from the same failures, so they count as that warnable.
    dns_errors = [line for line in lines if _DNS_ERROR.search(line.text)]
    if len(dns_errors) >= 2 and "dns-forward-failing" not in last_health:
        last = dns_errors[-1]
        detail = _DNS_ERROR.search(last.text)
        message = f"{len(dns_errors)} DNS forwarding errors, the last: {detail.group('msg') if detail else ''}"
        health_errors += (("dns-forward-failing", message.strip(), last),)
    return DaemonLogReport(
        version=version,
        os=os_name,
        hand_started=hand_started,
        argv=argv,
        lines=tuple(lines),
        start_line=start_line,
        why=why,
        derp_failures=failures,
        health_errors=health_errors,
    )
