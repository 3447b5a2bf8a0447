"""A LocalAPI request made by hand with ``curl -v`` (or ``curl -i``): tailscaled's answer, read as the CLI's.

People ask tailscaled's LocalAPI directly when the CLI says too little (``curl -v --unix-socket
/var/run/tailscale/tailscaled.sock http://local-tailscaled.sock/localapi/v0/cert/<name>?type=pair``). curl's
verbose transcript shows the request (``> GET /localapi/v0/… HTTP/1.1``), the answer's status line and headers
(``< HTTP/1.1 500 Internal Server Error``, ``< Tailscale-Version: 1.22.2-t…``, then ``<`` alone) and the body
(``failed to get cert dir``), then curl's own ``* Connection #0 to host … left intact``; ``-i`` prints the same
answer without the ``< `` marks, a blank line before the body.

The CLI turns that same answer into its error (client/local: ``fmt.Errorf("%v: %s", res.Status, body)``, the
body's JSON ``{"error": …}`` alone when it is one, ``Access denied: …`` for a 403, ``Preconditions failed: …`` for
a 412; client/tailscale the same since v1.2x), so a refusal is read with the CLI catalog as the line the CLI would
have printed. ipn/localapi sets ``Tailscale-Version`` on every answer (``version.Long()``): the daemon's version.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.text import SourceLine

# curl's status line of the answer: "< HTTP/1.1 500 Internal Server Error" (-v), "HTTP/1.1 500 …" (-i)
_STATUS = lazy_compile(r"^(?P<mark>< )?HTTP/\d(?:\.\d)? (?P<code>[1-5]\d\d)(?: (?P<reason>\S.*?))?\s*$")
_HEADER = lazy_compile(r"^(?P<name>[A-Za-z][\w-]*):[ \t]*(?P<value>.*?)\s*$")
# curl -v's own notes ("*   Trying …", "* Connected to …", "* Mark bundle …", "* Closing connection 0"); not a netcheck
# report's bullets ("* UDP: true", "* IPv4: yes, …"), which a transcript may follow
_CURL_NOTE = lazy_compile(
    r"^\*\s+(?!(?:UDP|IPv4|IPv6|MappingVariesByDestIP|HairPinning|PortMapping|CaptivePortal|Nearest DERP"
    r"|DERP latency)\b)\S"
)
# the request curl -v sent ("> GET /localapi/v0/… HTTP/1.1", its "> Host: foo" headers, ">" alone; the paste's
# cleaning may have taken the "> " for a Markdown quote's)
_REQUEST_LINE = lazy_compile(r"^(?:> )?(?:GET|POST|PUT|PATCH|DELETE|HEAD) (?P<path>/\S*) HTTP/\d(?:\.\d)?$")
# curl -v glues its closing note to a body that lacks a final newline ("…dir* Connection #0 to host foo left intact")
_GLUED_CURL_NOTE = lazy_compile(r"\* (?:Connection #\d+ to host \S+ left intact|Closing connection #?\d+)\s*$")
_LOCALAPI_PATH = "/localapi/"
_VERSION_HEADER = "tailscale-version"
_MAX_HEADERS = 40
_MAX_BODY_LINES = 20
_LOOK_BACK = 30  # curl -v prints a dozen lines before the answer: the request must be this close


@dataclass(frozen=True)
class LocalApiCurlAnswer:
    """One answer of tailscaled's LocalAPI in a curl transcript that refused the request."""

    first: int  # index of the transcript's first line (the curl command, or its first "*"/request line)
    end: int  # index of the answer's last line (the body's, or curl's closing note)
    answer: SourceLine  # the body's first line, its text what the CLI prints for this answer
    pasted: SourceLine  # the body's first line as pasted: what a finding quotes
    rest: tuple[SourceLine, ...]  # the body's further lines, as they are
    daemon_version: str | None  # the Tailscale-Version header: the version of the tailscaled that answered


def may_start_answer(text: str) -> bool:
    """Cheap test for the splitter: ``text`` may be a curl answer's status line."""
    return text[:7] == "< HTTP/" or text[:5] == "HTTP/"


def localapi_curl_answer(
    lines: Sequence[SourceLine], start: int, command: str | None = None
) -> LocalApiCurlAnswer | None:
    """The LocalAPI refusal whose status line is ``lines[start]``, or None (no answer, not LocalAPI's, a 2xx/3xx
    answer, or no body). ``command`` is the command typed above it, if the paste showed it at a prompt."""
    status = _STATUS.match(lines[start].text)
    if status is None:
        return None
    marked = status.group("mark") is not None
    headers: dict[str, str] = {}
    index = start + 1
    # the headers: "< Name: value" up to "<" alone (-v), or "Name: value" up to a blank line (-i)
    while index < len(lines) and index - start <= _MAX_HEADERS:
        line = lines[index]
        text = line.text
        if line.command is not None:
            return None
        if marked:
            if text == "<":
                break
            if text[:2] != "< " or (header := _HEADER.match(text[2:])) is None:
                return None
        else:
            if not text:
                break
            if (header := _HEADER.match(text)) is None:
                return None
        headers[header.group("name").lower()] = header.group("value")
        index += 1
    else:
        return None
    version = headers.get(_VERSION_HEADER) or None
    first = _transcript_start(lines, start)
    if version is None and not _asks_localapi(lines, first, start, command):
        return None
    if status.group("code")[0] in "123":
        return None  # an answer, not a refusal: whatever its body holds is read as it is
    body, end = _body(lines, index + 1)
    if not body:
        return None
    # Go's res.Status: the code and the reason the server sent (HTTP/2 sends none: Go fills in the standard one)
    code = status.group("code")
    reason = status.group("reason") or _standard_reason(code)
    http_status = f"{code} {reason}".rstrip()
    return LocalApiCurlAnswer(
        first=first,
        end=end,
        answer=body[0]._replace(text=_cli_error(code, http_status, body[0].text)),
        pasted=lines[index + 1],  # (before a glued closing note was cut off)
        rest=tuple(body[1:]),
        daemon_version=version,
    )


def _transcript_start(lines: Sequence[SourceLine], start: int) -> int:
    """The first line of curl's transcript above the status line at ``start``: curl's notes, the request it sent
    (its headers only below its request line), and the curl command typed above them."""
    first = start
    request_seen = False
    for index in range(start - 1, max(-1, start - 1 - _LOOK_BACK), -1):
        line = lines[index]
        text = line.text
        if not text:
            continue  # the blank line closing the request's headers, a paste's gaps
        if _CURL_NOTE.match(text) is not None or text == ">":
            first = index
        elif _REQUEST_LINE.match(text) is not None:
            first, request_seen = index, True
        elif not request_seen and (line.raw.lstrip()[:1] == ">" or _HEADER.match(text) is not None):
            first = index  # a header of the request ("> Host: foo")
        else:
            if "curl" in text and _LOCALAPI_PATH in text:
                first = index  # the command itself, typed at a prompt the cleaning did not recognise ("/app # curl …")
            break
    return first


def _asks_localapi(lines: Sequence[SourceLine], first: int, start: int, command: str | None) -> bool:
    """Whether the request answered at ``start`` went to LocalAPI: its request line or the curl command says so."""
    if command is not None and _LOCALAPI_PATH in command:
        return True
    for line in lines[first:start]:
        if _LOCALAPI_PATH in line.text and (
            (request := _REQUEST_LINE.match(line.text)) is None or request.group("path").startswith(_LOCALAPI_PATH)
        ):
            return True
    return False


def _body(lines: Sequence[SourceLine], index: int) -> tuple[list[SourceLine], int]:
    """The body's lines from ``lines[index]`` (up to curl's next note, a blank line, a prompt or the end), and the
    index of the transcript's last line (curl's closing note when it follows, or is glued to the body)."""
    body: list[SourceLine] = []
    end = index - 1
    for line in lines[index : index + _MAX_BODY_LINES]:
        text = line.text
        if not text or line.command is not None or may_start_answer(text):
            break
        end += 1
        if text[:2] == "* ":
            if _GLUED_CURL_NOTE.match(text) is None:
                end -= 1
            break
        if (glued := _GLUED_CURL_NOTE.search(text)) is not None:
            body.append(line._replace(text=text[: glued.start()].rstrip()))
            break
        body.append(line)
    return body, end


# net/http's StatusText for the error statuses (the core imports no network module, not even http's enum: the
# layer contract in tests/unit/test_import_contract.py)
_REASONS = {
    "400": "Bad Request",
    "401": "Unauthorized",
    "402": "Payment Required",
    "403": "Forbidden",
    "404": "Not Found",
    "405": "Method Not Allowed",
    "406": "Not Acceptable",
    "407": "Proxy Authentication Required",
    "408": "Request Timeout",
    "409": "Conflict",
    "410": "Gone",
    "411": "Length Required",
    "412": "Precondition Failed",
    "413": "Request Entity Too Large",
    "414": "Request URI Too Long",
    "415": "Unsupported Media Type",
    "416": "Requested Range Not Satisfiable",
    "417": "Expectation Failed",
    "418": "I'm a teapot",
    "421": "Misdirected Request",
    "422": "Unprocessable Entity",
    "423": "Locked",
    "424": "Failed Dependency",
    "425": "Too Early",
    "426": "Upgrade Required",
    "428": "Precondition Required",
    "429": "Too Many Requests",
    "431": "Request Header Fields Too Large",
    "451": "Unavailable For Legal Reasons",
    "500": "Internal Server Error",
    "501": "Not Implemented",
    "502": "Bad Gateway",
    "503": "Service Unavailable",
    "504": "Gateway Timeout",
    "505": "HTTP Version Not Supported",
    "506": "Variant Also Negotiates",
    "507": "Insufficient Storage",
    "508": "Loop Detected",
    "510": "Not Extended",
    "511": "Network Authentication Required",
}


_CODE_OF_REASON = {reason.lower(): code for code, reason in _REASONS.items()}
# A status line whose code lost its leading digits in a copy ("00 Internal Server Error: …", "04 Not Found: …"):
# the digits left, then net/http's reason phrase, then client/local's ": <body>" (or the line's end).
_CLIPPED_STATUS = lazy_compile(r"^(?P<digits>\d{1,2}) (?P<reason>[A-Z][A-Za-z' ]*[a-z])(?P<rest>: |$)")


def restore_clipped_status(text: str) -> str:
    """``text`` with a status code that lost its leading digits made whole again from its reason phrase (net/http's
    StatusText: ``00 Internal Server Error: x`` is ``500 Internal Server Error: x``), when the digits left are the
    end of that reason's code; any other text unchanged."""
    if not text[:1].isdigit() or (text[1:2] != " " and text[2:3] != " "):  # the cheap test first
        return text
    match = _CLIPPED_STATUS.match(text)
    if match is None:
        return text
    code = _CODE_OF_REASON.get(match.group("reason").lower())
    if code is None or not code.endswith(match.group("digits")):
        return text
    return code + text[len(match.group("digits")) :]


def _standard_reason(code: str) -> str:
    """The reason phrase of a status code (net/http StatusText), for an HTTP/2 status line that carries none."""
    return _REASONS.get(code, "")


def _cli_error(code: str, http_status: str, body: str) -> str:
    """What the CLI prints for this answer (client/local doLocalRequestNiceError, sendWithHeaders, bestError)."""
    message = body
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested past the decoder's depth (a hostile paste)
        document = None
    if isinstance(document, dict) and isinstance(document.get("error"), str) and document["error"]:
        if code not in ("403", "412"):
            return str(document["error"])
        message = str(document["error"])
    if code == "403":
        return f"Access denied: {message}"
    if code == "412":
        return f"Preconditions failed: {message}"
    return f"{http_status}: {message}"
