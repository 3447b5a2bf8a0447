"""Parse what ``tailscale web`` logs as it starts and stops (cmd/tailscale/cli/web.go, Go's log stamp in front)::

    2025/02/21 23:54:16 starting tailscaled web client at http://100.101.102.103:5252
    2025/02/21 23:54:16 web server running on: http://localhost:8088

By version: v1.12+ ``web server running on: <url>`` (``--listen``, default localhost:8088; ``https://<addr>`` when
TLS_CRT_PEM/TLS_KEY_PEM give it a certificate, spelt ``runNIng`` in v1.16-v1.3x); v1.54+ first ``starting tailscaled
web client at <ip>:5252`` (``http://<ip>:5252`` since v1.60; an ``invalid`` address when the node has none yet): the
CLI also turns on tailscaled's own management client (``RunWebClient``, port 5252 on the node's Tailscale IP, which
also serves /metrics) unless ``--readonly`` is given or the node already runs it; on Ctrl-C it turns it off again
(``stopping tailscaled web client``). Its failures (the listen error, ``starting web client in tailscaled: …``,
``tailscale.web: …``) are the CLI's errors, read by the CLI catalog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.text import GO_STAMP, SourceLine, typed_tailscale_command

_LINE = lazy_compile(
    rf"^(?:{GO_STAMP} )?(?:starting tailscaled web client at (?P<client>\S.*?)"
    r"|web server run(?:ning|NIng) on: (?P<listen>\S+)|(?P<stopping>stopping tailscaled web client))\s*$"
)
# --readonly (a bool flag: "--readonly", "-readonly", "--readonly=true"); "--readonly=false" is the default
_READONLY = lazy_compile(r"(?:^|\s)--?readonly(?:=(?:true|1|t|TRUE|True|T))?(?=\s|$)")
_WEB_COMMAND = typed_tailscale_command(r"web")


@dataclass(frozen=True)
class WebStartReport:
    """One run of ``tailscale web`` as its log lines show it. None where the paste does not show the fact."""

    rule_target: ClassVar[str] = "web-start"
    listen: str | None  # the URL its own web server serves on (None: the paste stops before it listens)
    management_client: str | None  # where it turned tailscaled's management client on, as printed (None: it did not)
    readonly: bool | None  # --readonly typed (None: the command is not shown)
    stopped: bool  # it logged turning the management client off again (the CLI was stopped)
    lines: tuple[SourceLine, ...]

    @property
    def layout(self) -> str:
        serving = f"serving {self.listen}" if self.listen else "starting"
        client = f", management client {self.management_client}" if self.management_client else ""
        return f"tailscale web{' --readonly' if self.readonly else ''} ({serving}{client})"

    def facts(self) -> dict[str, Any]:
        return {
            "listen": self.listen,
            "management_client": self.management_client,
            "readonly": self.readonly,
            "stopped": self.stopped,
        }


def may_be_web_line(text: str) -> bool:
    """Cheap test for the splitter (every line meets it): ``text`` may be one of `tailscale web`'s lines."""
    return "web client" in text or "web server run" in text


def web_start_extent(lines: Sequence[SourceLine], start: int) -> int | None:
    """The index of the last of `tailscale web`'s lines in the run starting at ``lines[start]``, or None."""
    if _LINE.match(lines[start].text) is None:
        return None
    end = start
    while end + 1 < len(lines) and lines[end + 1].command is None and _LINE.match(lines[end + 1].text) is not None:
        end += 1
    return end


def parse_web_start(lines: Sequence[SourceLine], command: str | None) -> WebStartReport:
    """The run's report; ``command`` is the command typed above it (``--readonly`` is read from it)."""
    listen = client = None
    stopped = False
    for line in lines:
        if (match := _LINE.match(line.text)) is None:
            continue
        if match["client"] is not None:
            client = match["client"]
        elif match["listen"] is not None:
            listen = match["listen"]
        else:
            stopped = True
    readonly = None
    if command is not None and _WEB_COMMAND.search(command) is not None:
        readonly = _READONLY.search(command) is not None
    return WebStartReport(listen, client, readonly, stopped, tuple(lines))
