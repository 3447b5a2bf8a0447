"""Parse ``tailscale serve status`` and ``tailscale funnel status``, the tree and its ``--json`` form.

The tree (cmd/tailscale/cli/serve_legacy.go runServeStatus, funnel.go printFunnelStatus, serve_status.go) starts,
when Funnel is on, with a header naming the Funnel URLs, then one tree per served host::

    # Funnel on:
    #     - https://node.tail1234.ts.net

    https://node.tail1234.ts.net (Funnel on)
    |-- /api proxy http://127.0.0.1:3978
    |-- /    path  /var/www

    |-- tcp://node.tail1234.ts.net:5432 (TLS-terminated TCP, tailnet only)
    |-- tcp://100.101.102.103:5432
    |--> tcp://127.0.0.1:5432

A Service's entries carry its name (``https://db.tail1234.ts.net (tailnet only) (svc:db)``, ``tun (L3
forwarding) (svc:db)``). ``Warning: funnel=on for <host:port>, but no serve config`` (stderr) follows it when a
Funnel port has nothing behind it: a CLI message, not part of the tree; windows.py reads it, like ``No serve config``
alone, as CLI kind serve-not-configured.

``--json`` prints ipn.ServeConfig (ipn/serve.go): ``TCP``, ``Web`` with ``Handlers``, ``AllowFunnel``,
``Services``, ``Foreground`` sessions; it is read into the same report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.text import SourceLine, blank_output_line

_MAX_LINES = 5000

_FUNNEL_HEADER = lazy_compile(r"^# Funnel(?: on)?:$")
# A served host as pasted: a name or address, where the poster may have replaced the tailnet's name by a note in
# brackets that holds spaces ("navidrome.(my tailnet).net", "nas.<my tailnet>.ts.net", "[fd7a:115c:a1e0::1]:443").
# One character or one whole bracketed note per step: the steps cannot overlap, so a line that fails fails fast.
_HOST = r"(?:[^\s/()<>\[\]]|\([^()/\n]{1,40}\)|<[^<>/\n]{1,40}>|\[[^\[\]/\n]{1,40}\])+"
# How a TCP forward says it carries TLS, before its Funnel state: "TLS over TCP" (passed through) and "TLS
# terminated" (v1.38-v1.9x serve_legacy.go printTCPStatusTree), "TLS-terminated TCP" since; a plain TCP forward
# names only its state (f68e4d93f)
_TCP_TLS = r"(?:TLS over TCP|TLS terminated|TLS-terminated TCP), "
_FUNNEL_ITEM = lazy_compile(r"^#\s+- (?P<item>(?:https|tcp)://\S+|Unable to get Funnel status: .+)$")
_SERVE_HOST = lazy_compile(
    rf"^(?P<url>(?:https?|tcp)://{_HOST}(?:/\S*)?) \((?:{_TCP_TLS})?(?P<state>Funnel on|tailnet only)\)"
    r"(?: \((?P<service>svc:[\w-]+)\))?$"
)
_SERVE_TUN = lazy_compile(r"^tun \(L3 forwarding\) \((?P<service>svc:[\w-]+)\)$")
_SERVE_HANDLER = lazy_compile(r"^\|-- (?P<mount>/\S*)\s+(?P<type>path|proxy|text)?\s*(?P<target>.*?)\s*$")
_SERVE_TCP = lazy_compile(rf"^\|-- (?P<url>tcp://{_HOST})(?: \((?:{_TCP_TLS})?(?P<state>Funnel on|tailnet only)\))?$")
_SERVE_FORWARD = lazy_compile(r"^\|--> (?P<target>\S+)$")
_FUNNEL_WARNING = lazy_compile(r"^Warning: funnel=on for (?P<hostport>\S+), but no serve config$")

# What `tailscale serve|funnel <target>` answers once tailscaled took the config (serve_v2.go messageForPort,
# v1.52+, the same words since): a header, the served URL(s) each with its handler ("|-- proxy http://…", no mount:
# the path ends the URL) or the TCP tree, then "Press Ctrl+C to exit." (foreground) or "<Serve|Funnel> started and
# running in the background." with the commands that undo it (services: also "To remove config for the service").
# A Service's header says control has not made this node a host of it yet (no Service IP in its ServiceHost node
# capability): the config is set, but nothing answers on the Service's name until an admin approves the host.
_CONFIRM_HEADER = lazy_compile(
    r"^(?:Available (?P<where>on the internet|within your tailnet):"
    r"|This machine is configured as a service proxy for (?P<service>svc:[\w-]+), but approval from an admin is "
    r"required\. Once approved, it will be available in your Tailnet as:)$"
)
_SERVICE_HEADER_START = "This machine is configured as a service proxy for "
_HEADER_PIECES = 4  # the Service's header (170+ columns) wrapped by a terminal or a chat: at most this many lines
_CONFIRM_URL = lazy_compile(rf"^(?P<base>(?:https?|tcp)://{_HOST})(?P<path>/\S*)?$")
_CONFIRM_HANDLER = lazy_compile(r"^\|-- (?P<type>path|proxy|text|redirect)\s+(?P<target>.*?)\s*$")
_CONFIRM_TCP = lazy_compile(rf"^\|-- (?P<url>tcp://{_HOST})(?: \((?P<notes>[^)]*)\))?$")
_CONFIRM_TAIL = lazy_compile(
    r"^(?:Press Ctrl\+C to exit\.|(?P<started>Serve|Funnel) started and running in the background\."
    r"|To disable the proxy, run: tailscale .+ off|To disable the service in TUN mode, run: tailscale .+ off"
    r"|To remove config for the service, run: tailscale serve clear \S+"
    rf"|IPv4 and IPv6 traffic to {_HOST} is being routed to your operating system\.)$"
)


# The ports Funnel's ingress listens on publicly: the control server hands them to the node as the funnel-ports node
# attribute (tailcfg/nodecap FunnelPorts, "https://tailscale.com/cap/funnel-ports?ports=443,8443,10000"; checked by
# ipn.CheckFunnelPort). Builds whose `funnel --https=<port> --bg` skipped that check accept any port and list it as
# "(Funnel on)", yet requests from the internet to it never arrive.
FUNNEL_PORTS = frozenset({443, 8443, 10000})
_DEFAULT_PORTS = {"https": 443, "http": 80}
_URL_PORT = lazy_compile(
    r"^(?:(?P<scheme>https?|tcp)://(?:\[[^\]]*\]|[^/:\s]+)(?::(?P<port>\d+))?(?:/\S*)?|tcp port (?P<bare>\d+))"
    r"(?: \(svc:[\w-]+\))?$"
)


def served_port(url: str) -> int | None:
    """The port a served entry's ``url`` listens on ("https://node.ts.net" → 443, "tcp://…:5432", "tcp port 5432")."""
    match = _URL_PORT.match(url)
    if match is None:
        return None
    port = match["port"] or match["bare"]
    if port is not None:
        return int(port)
    return _DEFAULT_PORTS.get(match["scheme"])


@dataclass(frozen=True)
class ServedEntry:
    url: str  # what is served: "https://node.ts.net", "tcp://node.ts.net:5432"
    funnel: bool  # open to the internet (Funnel on), not tailnet only
    handlers: tuple[str, ...]  # "/api → proxy http://127.0.0.1:3978", "→ tcp://127.0.0.1:5432"
    line: SourceLine


@dataclass(frozen=True)
class NotFoundAnswer:
    """A served URL that answered Go's ``404 page not found`` to a ``curl`` pasted after the listing."""

    command: str  # the curl command typed
    entry: ServedEntry  # the served entry its URL falls under
    handler: str  # that entry's handler for the URL's path ("/ → text \"Hello\"")
    line: SourceLine  # the answer


@dataclass(frozen=True)
class ServeStatusReport:
    rule_target: ClassVar[str] = "serve-status"  # its kind in JSON views[]
    entries: tuple[ServedEntry, ...]
    funnel_urls: tuple[str, ...]  # the "# Funnel on:" items
    funnel_error: str | None  # "Unable to get Funnel status: …"
    lines: tuple[SourceLine, ...]
    # serve's/funnel's answer to a change ("serve started …", "funnel in the foreground"), not a status listing
    answer: str | None = None
    # the Tailscale Services of a `--json` ServeConfig ("svc:db"): the text form before 1.100 (commit 01c59d84a)
    # does not list them and says "No serve config" for a node that serves only Services
    services: tuple[str, ...] = ()
    # `curl <served URL>` pasted after the listing and answered "404 page not found" (engine: with_curl_answers)
    not_found: tuple[NotFoundAnswer, ...] = ()
    # the Service ("svc:db") serve configured on this node while control has not made it a host of that Service:
    # nothing answers on the Service's name until an admin approves this node (the answer's header says so)
    awaiting_approval: str | None = None
    header: SourceLine | None = None  # the first line of that header

    @property
    def funnel_on(self) -> bool:
        return bool(self.funnel_urls) or any(entry.funnel for entry in self.entries)

    @property
    def funnel_off_port(self) -> tuple[tuple[ServedEntry, int], ...]:
        """The Funnel entries on a port Funnel does not listen on publicly (FUNNEL_PORTS), with that port."""
        found = []
        for entry in self.entries:
            port = served_port(entry.url)
            if entry.funnel and port is not None and port not in FUNNEL_PORTS:
                found.append((entry, port))
        return tuple(found)

    @property
    def layout(self) -> str:
        count = len(self.entries)
        what = f"tailscale {self.answer}" if self.answer else "tailscale serve status"
        return f"{what} ({count} served entr{'ies' if count != 1 else 'y'}, Funnel {'on' if self.funnel_on else 'off'})"

    def facts(self) -> dict[str, Any]:
        return {
            "served": [
                {"url": e.url, "funnel": e.funnel, "handlers": list(e.handlers), "line": e.line.number}
                for e in self.entries
            ],
            "funnel_on": self.funnel_on,
            "funnel_urls": list(self.funnel_urls),
            "funnel_error": self.funnel_error,
            "awaiting_approval": self.awaiting_approval,
        }


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
    first = text[0]
    if first in "AT":  # serve's answer to a change: its header (a Service's maybe wrapped: serve_status_extent joins)
        if text[:10] == "This machi":
            return text.startswith(_SERVICE_HEADER_START[:45])
        return text[:10] == "Available " and _CONFIRM_HEADER.match(text) is not None
    return first in "#|ht" and _serve_line(text) in ("header", "host", "tcp", "tun")


def _confirmation_line(text: str) -> str | None:
    """Which line of serve's answer to a change ``text`` is ("url", "handler", "tail"), or None."""
    if text[0] == "|":
        return (
            "handler"
            if _CONFIRM_HANDLER.match(text) or _CONFIRM_TCP.match(text) or _SERVE_FORWARD.match(text)
            else None
        )
    if _CONFIRM_URL.match(text):
        return "url"
    return "tail" if _CONFIRM_TAIL.match(text) else None


def _confirm_header(lines: Sequence[SourceLine], start: int) -> tuple[re.Match[str], int] | None:
    """serve's answer header at ``lines[start]`` and the index of its last line: a Service's long header may come
    wrapped onto the next lines (at a space by a chat, anywhere by a terminal); None when none is there."""
    text = lines[start].text
    if (match := _CONFIRM_HEADER.match(text)) is not None or not text.startswith("This machine"):
        return (match, start) if match is not None else None
    joined = [text]
    for index in range(start + 1, min(len(lines), start + _HEADER_PIECES)):
        piece = lines[index].text
        if not piece or lines[index].command is not None:
            break
        # each seam a space the wrap took (a chat, a terminal at a space) or none (a terminal mid-word)
        joined = [f"{head}{gap}{piece}" for head in joined for gap in (" ", "")]
        for candidate in joined:
            if (match := _CONFIRM_HEADER.match(candidate)) is not None:
                return match, index
    return None


def _confirmation_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    header = _confirm_header(lines, start)
    if header is None:
        return None
    start = end = header[1]
    served = False
    for index in range(start + 1, min(len(lines), start + _MAX_LINES)):
        line = lines[index]
        if blank_output_line(line.text):
            continue
        kind = None if line.command is not None else _confirmation_line(line.text)
        if kind is None:
            break
        served = served or kind in ("url", "handler") or line.text.startswith("IPv4 and IPv6 traffic")
        end = index
    return end if served else None


def serve_status_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last line of a serve/funnel status starting at ``lines[start]``, or None. A "# Funnel
    on:" header alone is `tailscale status`'s (it prints the same lines): a served host or handler must follow."""
    if not is_serve_status_start(lines[start].text):
        return None
    if lines[start].text[:1] in "AT":
        return _confirmation_extent(lines, start)
    end = start
    served = False
    for index in range(start, min(len(lines), start + _MAX_LINES)):
        line = lines[index]
        if blank_output_line(line.text):
            continue
        if index > start and line.command is not None:
            break
        kind = _serve_line(line.text)
        if kind == "warning":
            # stderr's "Warning: funnel=on for …, but no serve config" (a CLI message, read by windows.py as
            # serve-not-configured) closes the tree; only funnel/serve status prints it under the header
            served = True
            break
        if kind is None or (kind == "header" and index > start):
            break
        served = served or kind in ("host", "tcp", "tun", "handler")
        end = index
    return end if served else None


def _parse_confirmation(lines: Sequence[SourceLine], header: tuple[re.Match[str], int]) -> ServeStatusReport:
    """serve's/funnel's answer to a change: the served URLs (a URL's path is its handler's mount)."""
    answer = "serve (answer)"
    urls: dict[str, tuple[SourceLine, list[str]]] = {}
    current: list[str] | None = None
    mount = ""
    funnel = header[0]["where"] == "on the internet"
    pending = header[0]["service"]
    for line in lines[header[1] + 1 :]:
        text = line.text
        if not text:
            continue
        if (match := _CONFIRM_URL.match(text)) is not None:
            base, mount = match["base"], match["path"] or ""
            current = urls.setdefault(base, (line, []))[1]
        elif current is not None and (match := _CONFIRM_HANDLER.match(text)) is not None:
            current.append(f"{mount or '/'} → {match['type']} {match['target']}".rstrip())
        elif (match := _CONFIRM_TCP.match(text)) is not None and current is None:
            current = urls.setdefault(match["url"], (line, []))[1]
        elif current is not None and (match := _SERVE_FORWARD.match(text)) is not None:
            current.append(f"→ {match['target']}")
        elif (match := _CONFIRM_TAIL.match(text)) is not None and match["started"]:
            answer = f"{match['started'].lower()} started in the background"
        elif text == "Press Ctrl+C to exit.":
            answer = "serve (in the foreground)"
    if pending:
        answer = f"serve --service={pending} (awaiting an admin's approval)"
    entries = tuple(ServedEntry(url, funnel, tuple(handlers), line) for url, (line, handlers) in urls.items())
    urls_on = tuple(entry.url for entry in entries) if funnel else ()
    return ServeStatusReport(
        entries, urls_on, None, tuple(lines), answer=answer, awaiting_approval=pending, header=lines[0]
    )


def parse_serve_status(lines: Sequence[SourceLine]) -> ServeStatusReport:
    if lines and lines[0].text[:1] in "AT" and (header := _confirm_header(lines, 0)) is not None:
        return _parse_confirmation(lines, header)
    entries: list[ServedEntry] = []
    funnel_urls: list[str] = []
    funnel_error: str | None = None
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
    close()
    return ServeStatusReport(tuple(entries), tuple(funnel_urls), funnel_error, tuple(lines))


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
    services = config.get("Services")
    for name, service in services.items() if isinstance(services, dict) else ():
        if isinstance(service, dict):
            served, _ = _config_entries(service, line)
            entries += [replace(entry, url=f"{entry.url} ({name})") for entry in served]
            if service.get("Tun") is True:
                entries.append(ServedEntry(f"tun ({name})", False, (), line))
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
    services = document.get("Services")
    names = tuple(str(name) for name in services) if isinstance(services, dict) else ()
    return ServeStatusReport(tuple(entries), tuple(urls), None, tuple(lines), services=names)


def lists_only_in_json(report: ServeStatusReport) -> bool:
    """Whether ``report`` (a `--json` ServeConfig) serves Tailscale Services, which the text form of some versions
    leaves out: its "No serve config" beside this JSON is a display gap, not a node without serve config."""
    return bool(report.services)


# What curl printed when the server answered 404: Go's http.NotFound body (serve's own answer when no handler matches
# the request, ipnlocal serveWebHandler; a missing file of a path handler) or, with -i/-v, the status line.
_NOT_FOUND = lazy_compile(r"^(?:404 page not found|(?:< )?HTTP/[\d.]+ 404\b.*)$")
_CURL_URL = lazy_compile(r"(?:^|\s)['\"]?(?P<url>https?://[^\s'\"]+)")


def _endpoint(url: str) -> tuple[str, str, int, str] | None:
    """(scheme, host, port, path) of an http(s) URL, the port defaulted; None for anything else."""
    match = re.match(r"^(?P<scheme>https?)://(?P<host>\[[^\]]*\]|[^/:\s]+)(?::(?P<port>\d+))?(?P<path>/\S*)?", url)
    if match is None:
        return None
    port = int(match["port"]) if match["port"] else _DEFAULT_PORTS[match["scheme"]]
    return match["scheme"], match["host"].lower(), port, match["path"] or "/"


def _handler_for(entry: ServedEntry, path: str) -> str | None:
    """The handler of ``entry`` whose mount holds ``path`` (the longest), or None."""
    mounts = [(h.split(" → ", 1)[0], h) for h in entry.handlers if h.startswith("/")]
    held = [(mount, h) for mount, h in mounts if path == mount or path.startswith(mount.rstrip("/") + "/")]
    return max(held, key=lambda item: len(item[0]))[1] if held else None


def with_curl_answers(
    report: ServeStatusReport, after: int, answers: Sequence[tuple[str, Sequence[SourceLine]]]
) -> ServeStatusReport:
    """``report`` with the served URLs that a later ``curl`` (``answers``: each command typed and the lines it
    printed, below line ``after``) saw answer ``404 page not found``: the listing says a handler is there, the
    request says serve (or the backend it proxies to) found nothing."""
    found: list[NotFoundAnswer] = []
    for command, lines in answers:
        if not lines or lines[0].number <= after or (url := _CURL_URL.search(command)) is None:
            continue
        asked = _endpoint(url["url"])
        answer = next((line for line in lines if _NOT_FOUND.match(line.text)), None)
        if asked is None or answer is None:
            continue
        for entry in report.entries:
            served = _endpoint(entry.url.split(" (", 1)[0])
            if served is None or served[:3] != asked[:3]:
                continue
            if (handler := _handler_for(entry, asked[3])) is not None:
                found.append(NotFoundAnswer(command, entry, handler, answer))
                break
    return replace(report, not_found=tuple(found)) if found else report
