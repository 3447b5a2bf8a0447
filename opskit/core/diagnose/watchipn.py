"""Parse ``tailscale debug watch-ipn`` (cmd/tailscale/cli/debug.go runWatchIPN, v1.16+): "Connected." on stderr,
then each notification of tailscaled's IPN bus (ipn/backend.go Notify) as ``json.MarshalIndent`` with tabs::

    Connected.
    {
        "Version": "1.80.2-t0f8e1a5b0-g5d6e1b7a3",
        "ErrMessage": null,
        "LoginFinished": null,
        "State": 2,
        "Prefs": null,
        ...
    }

Every notification opens with ``Version`` and, within two members (``SessionID`` came in v1.58, omitted when
empty), ``ErrMessage`` (no ``omitempty`` on either in any version): the two lines say what the object is, bare.
Unset pointers print ``null`` (v1.16-v1.92; HEAD omits its newer members when zero).

What is read: the states (``State``: ipn.State's number), ``ErrMessage`` (a critical error of the backend; "IPN
bus consumer fell behind; closing watch" is the watch's own end), ``LoginFinished``, whether a ``BrowseToURL``
came (its URL is a login secret: never kept), ``Engine``'s live peer and DERP counts (``--engine-updates``),
``Health``'s warnables (v1.80+). ``Prefs`` (``--initial``; old versions carried private keys there) and
``NetMap`` are never read or repeated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.text import SourceLine, hide_keys, json_value_end

CONNECTED = "Connected."
# ipn/backend.go: NoState … Running (their order has not changed since v1.0)
STATE_NAMES = ("NoState", "InUseOtherUser", "NeedsLogin", "NeedsMachineAuth", "Stopped", "Starting", "Running")
FELL_BEHIND = "IPN bus consumer fell behind; closing watch"  # ipnlocal/local.go watchIPNBusFellBehindMessage
# A notification holds the whole netmap when an old CLI (before NotifyNoNetMap) or --initial asks: bounded anyway.
_MAX_NOTIFY_LINES = 50_000
_MAX_STREAM_LINES = 200_000
_MAX_DEPTH = 64  # Notify nests a few levels (Health > Warnings > code > Args); deeper is not tailscaled's
# Login URLs carry a one-time secret (login.tailscale.com/a/<code>, a Headscale /register/<key>).
_LOGIN_URL = re.compile(r"(https?://\S+?/(?:a|register|oidc/register))/\S+")


@dataclass(frozen=True)
class HealthWarning:
    code: str
    severity: str
    title: str
    text: str
    impacts_connectivity: bool
    line: SourceLine  # its "Text" member


@dataclass(frozen=True)
class WatchIpnReport:
    rule_target: ClassVar[str] = "debug-watch-ipn"
    notifications: int
    version: str | None  # the daemon's short version (the first notification's)
    states: tuple[str, ...]  # in the order they came, each once
    errors: tuple[tuple[str, SourceLine], ...]  # ErrMessage texts (keys hidden) and their lines
    login_finished: bool
    browse_to_url: bool  # a login URL came (the URL itself is never kept)
    live_peers: int | None  # the last Engine update's NumLive
    live_derps: int | None
    health: tuple[HealthWarning, ...]  # the last Health state's warnables
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        last = self.states[-1] if self.states else "no state"
        return f"tailscale debug watch-ipn ({self.notifications} notifications, {last})"

    def facts(self) -> dict[str, Any]:
        return {
            "notifications": self.notifications,
            "version": self.version,
            "states": list(self.states),
            "errors": [text for text, _ in self.errors],
            "login_finished": self.login_finished,
            "browse_to_url": self.browse_to_url,
            "live_peers": self.live_peers,
            "live_derps": self.live_derps,
            "health": [
                {
                    "code": h.code,
                    "severity": h.severity,
                    "title": h.title,
                    "text": h.text,
                    "impacts_connectivity": h.impacts_connectivity,
                }
                for h in self.health
            ],
        }


def _opens_notification(lines: Sequence[SourceLine], start: int) -> bool:
    """Whether ``lines[start]`` is "{" opening a Notify: "Version" next, "ErrMessage" within two more members."""
    if start + 2 >= len(lines) or lines[start].text != "{" or not lines[start + 1].text.startswith('"Version": '):
        return False
    return any(line.text.startswith('"ErrMessage": ') for line in lines[start + 2 : start + 4])


def watch_ipn_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last line of a watch-ipn stream starting at ``lines[start]`` ("Connected." or a
    notification's "{"), or None. Notifications follow one another (blank lines between them allowed)."""
    index = start
    if lines[start].text == CONNECTED:
        index += 1
        while index < len(lines) and not lines[index].text and lines[index].command is None:
            index += 1
    last: int | None = None
    limit = min(len(lines), start + _MAX_STREAM_LINES)
    while index < limit and _opens_notification(lines, index):
        end = json_value_end(lines, index, _MAX_NOTIFY_LINES, _MAX_DEPTH)
        if end is None:
            break
        last = end
        index = end + 1
        while index < limit and not lines[index].text and lines[index].command is None:
            index += 1
    return last


def _short_version(long: object) -> str | None:
    if not isinstance(long, str) or not long:
        return None
    return long.split("-", 1)[0]


def _hide(text: str) -> str:
    """``text`` without a key's secret or a login URL's one-time code."""
    return _LOGIN_URL.sub(r"\1/…", hide_keys(text))


def _health(document: object, text_lines: list[SourceLine]) -> tuple[HealthWarning, ...]:
    """The warnables of a Notify's ``Health`` (health.State: ``Warnings`` by code), each with its "Text" line."""
    if not isinstance(document, dict) or not isinstance(warnings := document.get("Warnings"), dict):
        return ()
    found = []
    for code, state in warnings.items():
        if not isinstance(state, dict):
            continue
        text = state.get("Text")
        line = text_lines.pop(0) if text_lines else None
        if line is None:
            continue
        found.append(
            HealthWarning(
                str(state.get("WarnableCode") or code),
                str(state.get("Severity") or ""),
                _hide(str(state.get("Title") or "")),
                _hide(text if isinstance(text, str) else ""),
                state.get("ImpactsConnectivity") is True,
                line._replace(text=_hide(line.text)),  # quoted as evidence: no secret in it either
            )
        )
    return tuple(found)


def parse_watch_ipn(lines: Sequence[SourceLine]) -> WatchIpnReport:
    notifications = 0
    version: str | None = None
    states: list[str] = []
    errors: list[tuple[str, SourceLine]] = []
    login_finished = browse = False
    live_peers = live_derps = None
    health: tuple[HealthWarning, ...] = ()
    index = 0
    while index < len(lines):
        if lines[index].text != "{":
            index += 1
            continue
        end = json_value_end(lines, index, _MAX_NOTIFY_LINES, _MAX_DEPTH)
        if end is None:
            break
        chunk = lines[index : end + 1]
        index = end + 1
        try:
            notify = json.loads("\n".join(line.text for line in chunk))
        except (ValueError, RecursionError):
            continue
        if not isinstance(notify, dict):
            continue
        notifications += 1
        if version is None:
            version = _short_version(notify.get("Version"))
        state = notify.get("State")
        if isinstance(state, int) and 0 <= state < len(STATE_NAMES) and STATE_NAMES[state] not in states:
            states.append(STATE_NAMES[state])
        message = notify.get("ErrMessage")
        if isinstance(message, str) and message:
            line = next(x for x in chunk if x.text.startswith('"ErrMessage": '))
            errors.append((_hide(message), line._replace(text=_hide(line.text))))
        login_finished = login_finished or notify.get("LoginFinished") is not None
        browse = browse or bool(notify.get("BrowseToURL"))
        engine = notify.get("Engine")
        if isinstance(engine, dict):
            peers, derps = engine.get("NumLive"), engine.get("LiveDERPs")
            live_peers = peers if isinstance(peers, int) else live_peers
            live_derps = derps if isinstance(derps, int) else live_derps
        if notify.get("Health") is not None:
            text_lines = [x for x in chunk if x.text.startswith('"Text": ')]
            health = _health(notify.get("Health"), text_lines)
    return WatchIpnReport(
        notifications,
        version,
        tuple(states),
        tuple(errors),
        login_finished,
        browse,
        live_peers,
        live_derps,
        health,
        tuple(lines),
    )
