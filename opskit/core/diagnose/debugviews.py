"""Parse three more read-only CLI views people paste: ``tailscale serve status`` / ``funnel status``,
``tailscale debug ts2021`` and ``tailscale debug prefs``.

``tailscale serve status`` and ``tailscale funnel status`` (cmd/tailscale/cli/serve_legacy.go runServeStatus,
funnel.go printFunnelStatus, serve_status.go) print, when Funnel is on, a header naming the Funnel URLs, then one
tree per served host::

    # Funnel on:
    #     - https://node.tail1234.ts.net

    https://node.tail1234.ts.net (Funnel on)
    |-- /api proxy http://127.0.0.1:3978
    |-- /    path  /var/www

    |-- tcp://node.tail1234.ts.net:5432 (TLS-terminated TCP, tailnet only)
    |-- tcp://100.101.102.103:5432
    |--> tcp://127.0.0.1:5432

A Service's entries carry its name (``https://db.tail1234.ts.net (tailnet only) (svc:db)``, ``tun (L3
forwarding) (svc:db)``). ``Warning: funnel=on for <host:port>, but no serve config`` (stderr) closes it when a
Funnel port has nothing behind it. ``No serve config`` alone is CLI kind serve-not-configured (windows.py).

``tailscale debug ts2021`` (cmd/tailscale/cli/debug.go runTS2021) logs each step of the control plane's Noise
handshake (log.Printf: Go's date/time stamp, or time only)::

    Fetching keys from https://controlplane.tailscale.com/key?v=97 ...
    Dial("tcp", "18.159.140.118:80") ...
    Dial("tcp", "18.159.140.118:80") = 172.16.0.2:56402 / 18.159.140.118:80
    controlhttp.Dial = 0xc000208110, <nil>            (before v1.80: the dial's result)
    did noise handshake
    final underlying conn: 172.16.0.2:56402 / 18.159.140.118:80

A failure is ``Do: <error>`` (the key fetch), ``Status: 403 Forbidden``, ``JSON: <error>``, ``error on attempt
1/2: <error>``, ``controlhttp.Dial = 0x0, <error>``, ``peer = …, want …`` or ``whoami request returned status …``.

``tailscale debug prefs`` prints ipn.Prefs as indented JSON (``ControlURL``, ``RouteAll``, ``ExitNodeID``,
``CorpDNS``, ``WantRunning``, ``LoggedOut``, ``ShieldsUp``, ``AdvertiseRoutes``, ``NetfilterMode``, …); people
paste it as JSON5 too (``/* … */`` where they cut something, trailing commas).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from opskit.core.diagnose.text import GO_STAMP, SourceLine, typed_tailscale_command
from opskit.core.diagnose.windows import is_windows_error_line

_MAX_LINES = 5000


def _blank(text: str) -> bool:
    """An empty line, or one only a markdown quote marker kept (``>``, ``> >``): a blank line of quoted output."""
    return not text.strip("> ")


# ----------------------------------------------------------------------------------------- serve status

_FUNNEL_HEADER = re.compile(r"^# Funnel(?: on)?:$")
_FUNNEL_ITEM = re.compile(r"^#\s+- (?P<item>(?:https|tcp)://\S+|Unable to get Funnel status: .+)$")
_SERVE_HOST = re.compile(
    r"^(?P<url>(?:https?|tcp)://\S+) \((?:TLS-terminated TCP, )?(?P<state>Funnel on|tailnet only)\)"
    r"(?: \((?P<service>svc:[\w-]+)\))?$"
)
_SERVE_TUN = re.compile(r"^tun \(L3 forwarding\) \((?P<service>svc:[\w-]+)\)$")
_SERVE_HANDLER = re.compile(r"^\|-- (?P<mount>/\S*)\s+(?P<type>path|proxy|text)?\s*(?P<target>.*?)\s*$")
_SERVE_TCP = re.compile(
    r"^\|-- (?P<url>tcp://\S+)(?: \((?:TLS-terminated TCP, )?(?P<state>Funnel on|tailnet only)\))?$"
)
_SERVE_FORWARD = re.compile(r"^\|--> (?P<target>\S+)$")
_FUNNEL_WARNING = re.compile(r"^Warning: funnel=on for (?P<hostport>\S+), but no serve config$")


@dataclass(frozen=True)
class ServedEntry:
    url: str  # what is served: "https://node.ts.net", "tcp://node.ts.net:5432"
    funnel: bool  # open to the internet (Funnel on), not tailnet only
    handlers: tuple[str, ...]  # "/api → proxy http://127.0.0.1:3978", "→ tcp://127.0.0.1:5432"
    line: SourceLine


@dataclass(frozen=True)
class ServeStatusReport:
    entries: tuple[ServedEntry, ...]
    funnel_urls: tuple[str, ...]  # the "# Funnel on:" items
    funnel_error: str | None  # "Unable to get Funnel status: …"
    unserved_funnel: tuple[tuple[str, SourceLine], ...]  # "Warning: funnel=on for X, but no serve config"
    lines: tuple[SourceLine, ...]

    @property
    def funnel_on(self) -> bool:
        return bool(self.funnel_urls) or any(entry.funnel for entry in self.entries)

    @property
    def layout(self) -> str:
        count = len(self.entries)
        return (
            f"tailscale serve status ({count} served entr{'ies' if count != 1 else 'y'}, "
            f"Funnel {'on' if self.funnel_on else 'off'})"
        )


def _serve_line(text: str) -> str | None:
    """Which line of a serve status tree ``text`` is ("header", "item", "host", "handler", …), or None."""
    first = text[0]
    if first == "#":
        if _FUNNEL_HEADER.match(text):
            return "header"
        return "item" if _FUNNEL_ITEM.match(text) else None
    if first == "|":
        if _SERVE_FORWARD.match(text):
            return "forward"
        if _SERVE_TCP.match(text):
            return "tcp"
        return "handler" if _SERVE_HANDLER.match(text) else None
    if _SERVE_HOST.match(text):
        return "host"
    if _SERVE_TUN.match(text):
        return "tun"
    if first == "W" and _FUNNEL_WARNING.match(text):
        return "warning"
    return None


def is_serve_status_start(text: str) -> bool:
    return text[0] in "#|ht" and _serve_line(text) in ("header", "host", "tcp", "tun")


def serve_status_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last line of a serve/funnel status starting at ``lines[start]``, or None. A "# Funnel
    on:" header alone is `tailscale status`'s (it prints the same lines): a served host or handler must follow."""
    if not is_serve_status_start(lines[start].text):
        return None
    end = start
    served = False
    for index in range(start, min(len(lines), start + _MAX_LINES)):
        line = lines[index]
        if _blank(line.text):
            continue
        if index > start and line.command is not None:
            break
        kind = _serve_line(line.text)
        if kind is None or (kind == "header" and index > start):
            break
        served = served or kind in ("host", "tcp", "tun", "handler")
        end = index
    return end if served else None


def parse_serve_status(lines: Sequence[SourceLine]) -> ServeStatusReport:
    entries: list[ServedEntry] = []
    funnel_urls: list[str] = []
    funnel_error: str | None = None
    unserved: list[tuple[str, SourceLine]] = []
    current: tuple[str, bool, SourceLine] | None = None
    handlers: list[str] = []

    def close() -> None:
        if current is not None:
            entries.append(ServedEntry(current[0], current[1], tuple(handlers), current[2]))

    for line in lines:
        text = line.text
        if not text:
            continue
        if (match := _FUNNEL_ITEM.match(text)) is not None:
            item = match["item"]
            if item.startswith("Unable"):
                funnel_error = item
            else:
                funnel_urls.append(item)
        elif (match := _SERVE_HOST.match(text)) is not None:
            close()
            current, handlers = (match["url"], match["state"] == "Funnel on", line), []
        elif (match := _SERVE_TUN.match(text)) is not None:
            close()
            current, handlers = (f"tun ({match['service']})", False, line), []
        elif (match := _SERVE_TCP.match(text)) is not None:
            if match["state"] is not None:  # the legacy TCP tree: its first "|-- tcp://name:port (…)" line
                close()
                current, handlers = (match["url"], match["state"] == "Funnel on", line), []
        elif (match := _SERVE_FORWARD.match(text)) is not None:
            handlers.append(f"→ {match['target']}")
        elif (match := _SERVE_HANDLER.match(text)) is not None:
            kind = f"{match['type']} " if match["type"] else ""
            handlers.append(f"{match['mount']} → {kind}{match['target']}".rstrip())
        elif (match := _FUNNEL_WARNING.match(text)) is not None:
            unserved.append((match["hostport"], line))
    close()
    return ServeStatusReport(tuple(entries), tuple(funnel_urls), funnel_error, tuple(unserved), tuple(lines))


# `serve status --json` / `funnel status --json`: ipn.ServeConfig (ipn/serve.go)
_SERVE_KEYS = frozenset({"TCP", "Web", "Services", "AllowFunnel", "Foreground"})
_TCP_HANDLER_KEYS = frozenset({"HTTPS", "HTTP", "TCPForward", "TerminateTLS", "ProxyProtocol"})
_HANDLER_KINDS = (("Proxy", "proxy"), ("Path", "path"), ("Text", "text"), ("Redirect", "redirect"))


def is_serve_config(document: object) -> bool:
    """``document`` is a non-empty ipn.ServeConfig: only its members, serving something, TCP handlers well formed."""
    if not isinstance(document, dict) or not document or not document.keys() <= _SERVE_KEYS:
        return False
    if not document.keys() & {"TCP", "Web", "Services", "Foreground"}:
        return False
    tcp = document.get("TCP") or {}
    web = document.get("Web") or {}
    return (
        isinstance(tcp, dict)
        and isinstance(web, dict)
        and all(isinstance(h, dict) and h.keys() <= _TCP_HANDLER_KEYS for h in tcp.values())
        and all(isinstance(w, dict) and w.keys() <= {"Handlers"} for w in web.values())
    )


def _config_entries(config: dict[str, object], line: SourceLine) -> tuple[list[ServedEntry], list[str]]:
    tcp = config.get("TCP") if isinstance(config.get("TCP"), dict) else {}
    web = config.get("Web") if isinstance(config.get("Web"), dict) else {}
    funnel = config.get("AllowFunnel") if isinstance(config.get("AllowFunnel"), dict) else {}
    assert isinstance(tcp, dict) and isinstance(web, dict) and isinstance(funnel, dict)
    funnel_ports = {str(hp).rsplit(":", 1)[-1] for hp, on in funnel.items() if on is True}
    entries: list[ServedEntry] = []
    for hostport, site in web.items():
        host, _, port = str(hostport).rpartition(":")
        handler_map = site.get("Handlers") if isinstance(site, dict) else None
        plain = isinstance(tcp.get(port), dict) and tcp[port].get("HTTP") is True
        scheme = "http" if plain else "https"
        shown_port = "" if (scheme, port) in (("https", "443"), ("http", "80")) else f":{port}"
        handlers = []
        for mount, handler in (handler_map or {}).items() if isinstance(handler_map, dict) else ():
            if isinstance(handler, dict):
                kind, target = next(((k, handler[key]) for key, k in _HANDLER_KINDS if handler.get(key)), ("", ""))
                handlers.append(f"{mount} → {kind} {target}".rstrip())
        entries.append(
            ServedEntry(f"{scheme}://{host}{shown_port}", funnel.get(hostport) is True, tuple(handlers), line)
        )
    for port, handler in tcp.items():
        if isinstance(handler, dict) and isinstance(handler.get("TCPForward"), str):
            entries.append(
                ServedEntry(f"tcp port {port}", str(port) in funnel_ports, (f"→ tcp://{handler['TCPForward']}",), line)
            )
    foreground = config.get("Foreground")
    urls = [f"https://{hp}" for hp, on in funnel.items() if on is True]
    if isinstance(foreground, dict):
        for session in foreground.values():
            if isinstance(session, dict):
                more, more_urls = _config_entries(session, line)
                entries += more
                urls += more_urls
    return entries, urls


def parse_serve_config(lines: Sequence[SourceLine], document: dict[str, object]) -> ServeStatusReport:
    """`serve status --json`: the same report as the tree (entries, Funnel URLs) from ipn.ServeConfig."""
    entries, urls = _config_entries(document, lines[0])
    return ServeStatusReport(tuple(entries), tuple(urls), None, (), tuple(lines))


# ----------------------------------------------------------------------------------------- debug ts2021

# log.Printf's stamp: Go's default "2006/01/02 15:04:05", with microseconds, or the time alone
_TS_STAMP = re.compile(rf"^(?:{GO_STAMP}|\d\d:\d\d:\d\d(?:\.\d+)?) ")
_TS_FETCH = re.compile(r"^Fetching keys from (?P<url>https?://\S+) \.\.\.$")
_TS_DIAL = re.compile(r'^Dial\("(?P<net>\w+)", "(?P<addr>[^"]+)"\) (?:\.\.\.|= (?P<result>.+))$')
_TS_CONNECTED = re.compile(r"^(?P<local>\S+) / (?P<remote>\S+)$")
_TS_CONTROLHTTP = re.compile(r"^controlhttp\.Dial = (?P<conn>\S+), (?P<err>.+)$")
_TS_FINAL = re.compile(r"^final underlying conn: (?P<local>\S+) / (?P<remote>\S+)$")
_TS_FAILURE = re.compile(
    r"^(?:Do: |Status: |JSON: |error on attempt \d+/\d+: |peer = .+, want |whoami request returned status |"
    r"NewNoiseClient: )"
)
_TS_OTHER = re.compile(
    r"^(?:did noise handshake$|GotConn: |got public key: |using ACE server |tshttpproxy\.ProxyFromEnvironment = |"
    r"whoami response: |netmon: |controlhttp: |dnscache: |\[v\d\] )"
)
_TS2021_COMMAND = typed_tailscale_command(r"debug\s+ts2021")


@dataclass(frozen=True)
class Ts2021Report:
    url: str | None  # the key URL fetched ("https://controlplane.tailscale.com/key?v=97")
    handshake: bool  # "did noise handshake"
    winner: str | None  # the control address the final connection reached
    failures: tuple[SourceLine, ...]  # the lines that say a step failed
    cli_errors: tuple[SourceLine, ...]  # those of them the CLI error reader knows (x509 …): read there as well
    dial_errors: tuple[SourceLine, ...]  # dials that failed (not the ones cancelled once another won)
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        state = "handshake done" if self.handshake else "failed" if self.failures else "cut before the handshake"
        return f"tailscale debug ts2021 ({state})"


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
    """The first line of a ts2021 trace: its key fetch, or any of its steps under the command's prompt."""
    if "Fetching keys from " in text:
        return _TS_FETCH.match(ts2021_message(text)) is not None
    return is_ts2021_command(command) and _ts2021_line(ts2021_message(text))


def ts2021_extent(lines: Sequence[SourceLine], start: int, command: str | None) -> int | None:
    """The index of the last line of a ts2021 trace starting at ``lines[start]``, or None. Without the command
    shown, the key fetch alone is not enough: a dial or the handshake must follow."""
    if not is_ts2021_start(lines[start].text, command):
        return None
    end = start
    steps = 0
    for index in range(start + 1, min(len(lines), start + _MAX_LINES)):
        line = lines[index]
        if _blank(line.text):
            continue
        if line.command is not None or not _ts2021_line(ts2021_message(line.text)):
            break
        steps += 1
        end = index
    return end if steps or is_ts2021_command(command) else None


def parse_ts2021(lines: Sequence[SourceLine]) -> Ts2021Report:
    url: str | None = None
    handshake = False
    winner: str | None = None
    failures: list[SourceLine] = []
    dial_errors: list[SourceLine] = []
    for line in lines:
        message = ts2021_message(line.text)
        if (match := _TS_FETCH.match(message)) is not None:
            url = match["url"]
        elif (match := _TS_DIAL.match(message)) is not None and match["result"] is not None:
            connected = _TS_CONNECTED.match(match["result"])
            if connected is not None:
                winner = winner or connected["remote"]
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
    cli_errors = tuple(line for line in failures if is_windows_error_line(line.text))
    return Ts2021Report(url, handshake, winner, tuple(failures), cli_errors, tuple(dial_errors), tuple(lines))


def ts2021_cli_errors(lines: Sequence[SourceLine]) -> tuple[SourceLine, ...]:
    """The lines of a ts2021 trace that the CLI error reader knows (a key fetch failing on TLS interception, …):
    they are read as those CLI errors too, as they were before the trace had a kind of its own."""
    return parse_ts2021(lines).cli_errors


# ----------------------------------------------------------------------------------------- debug prefs

# members of ipn.Prefs's JSON that no other document opskit reads has
PREFS_KEYS = frozenset(
    {"ControlURL", "RouteAll", "ExitNodeID", "ExitNodeIP", "ExitNodeAllowLANAccess", "CorpDNS", "RunSSH",
     "RunWebClient", "WantRunning", "LoggedOut", "ShieldsUp", "AdvertiseTags", "AdvertiseRoutes", "NoSNAT",
     "NoStatefulFiltering", "NetfilterMode", "NetfilterKind", "OperatorUser", "ForceDaemon", "AllowSingleHosts",
     "InternalExitNodePrior", "AutoExitNode", "AppConnector", "PostureChecking", "DriveShares", "NotepadURLs"}
)  # fmt: skip
_PREFS_COMMAND = typed_tailscale_command(r"debug\s+prefs")
_MIN_PREFS_KEYS = 4


@dataclass(frozen=True)
class DebugPrefsReport:
    prefs: dict[str, object]
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        return "tailscale debug prefs"

    def line_of(self, key: str) -> SourceLine:
        """The line showing ``key`` (the first line when it is not on one of its own)."""
        return next((line for line in self.lines if f'"{key}"' in line.text), self.lines[0])


def json5_document(text: str) -> object | None:
    """``text`` read as JSON5 as people paste it: ``//`` and ``/* … */`` comments (an elided part) and trailing
    commas allowed; None when it is not that either."""
    out: list[str] = []
    index, length = 0, len(text)
    in_string = False
    while index < length:
        char = text[index]
        if in_string:
            out.append(char)
            if char == "\\" and index + 1 < length:
                out.append(text[index + 1])
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
            out.append(char)
        elif text.startswith("/*", index):
            close = text.find("*/", index + 2)
            if close < 0:
                return None
            out.append("null" if _value_expected(out) else " ")
            index = close + 2
            continue
        elif text.startswith("//", index):
            newline = text.find("\n", index)
            index = length if newline < 0 else newline
            continue
        else:
            out.append(char)
        index += 1
    cleaned = re.sub(r",(\s*[}\]])", r"\1", "".join(out))
    cleaned = re.sub(r"\{\s*null\s*\}", "{}", cleaned)  # "{ /* … */ }": an object whose members were cut
    cleaned = re.sub(r"\[\s*null\s*\]", "[]", cleaned)
    try:
        document: object = json.loads(cleaned)
    except (ValueError, RecursionError):
        return None
    return document


def _value_expected(out: list[str]) -> bool:
    """Whether a comment at this point stands where a value goes (after ":", "[" or ",", inside an object)."""
    before = "".join(out[-40:]).rstrip()
    return before.endswith((":", "[", "{"))


def is_prefs_command(command: str | None) -> bool:
    return command is not None and _PREFS_COMMAND.search(command) is not None


def prefs_document(document: object, command: str | None) -> dict[str, object] | None:
    """``document`` when it is ipn.Prefs (enough of its members, or any under `tailscale debug prefs`)."""
    if not isinstance(document, dict):
        return None
    known = len(PREFS_KEYS & document.keys())
    if known >= _MIN_PREFS_KEYS or (known and is_prefs_command(command)):
        return document
    return None


def parse_debug_prefs(lines: Sequence[SourceLine], prefs: dict[str, object]) -> DebugPrefsReport:
    return DebugPrefsReport(prefs, tuple(lines))
