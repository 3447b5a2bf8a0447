"""The CLI sweep's round 4 (session 13): LocalAPI's answers as the CLI prints them, read as classes.

client/local prints a LocalAPI error answer as ``Access denied: <body>`` (403), ``Preconditions failed: <body>``
(412, v1.60+) or ``<status>: <body>`` (1.4-1.18: ``HTTP <status>: <body>``); WatchIPNBus prints the status alone.
Before this round the sweep's `wrapped` figure read 84 of 393 such answers as nothing (every 400/404/405/409/412/204
answer) and 184 only as the generic `backend-error`. Now:
- a status with no kind of its own (400, 404, 405, 409, 412, 204, 429, 502) is `backend-error` whatever its body,
  with what that status means (405: the method, a CLI of another release; 400: a value; 404: a thing named);
- 501 is always a build or platform without the feature (`daemon-subcommand-unavailable`);
- `404 Not Found: 404 page not found` (LocalAPI has no such endpoint) and WatchIPNBus's bare `404 Not Found` under a
  tailscale command are a CLI newer than its tailscaled (`version-mismatch`, issue 9654);
- a 500 or 412 under a typed `tailscale lock|serve|funnel|cert|file|drive|switch|update|dns query` is that command's
  failure kind.
Each class is generated over prompts, with and without the command line, the wrappers and prefixes the CLI and the
programs around it print, and values; asserted on the JSON a user sees. Source: Tailscale at de9ec7ee2 (2026-08-22).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.cli_sweep import EXTRACTS, measure, read_extract, relayed
from tests.diagnose.test_cli_sweep_s12 import PROMPTS, _assert_read, _document, _kinds, _paste

# what a command or a program puts in front of a relayed answer (`tailscale: ` is main's, `Error: ` a wrapper's)
_PREFIXES = ("", "Error: ", "tailscale: ", "error fetching status: ", "HTTP ")
_PARAM = st.sampled_from(("addr", "ip", "size", "type", "id", "expiry", "enabled", "limit", "aud"))
_METHOD = st.sampled_from(("GET", "POST", "PUT", "PATCH", "DELETE"))


def _printed(prefix: str, status: str, body: str) -> str:
    if prefix == "HTTP ":  # 1.4-1.18's client: "HTTP <status>: <body>"
        return f"HTTP {status}: {body}"
    return f"{prefix}{status}: {body}"


# ---- statuses with no kind of their own: backend-error, the status's meaning said ----
# ipn/localapi/localapi.go (405 "use POST", "only GET allowed", …; 400 "missing 'ip' parameter", "invalid JSON
# body"; 404 "no peer with that NodeID", "Profile not found"), debug.go:353 (204), serve.go:68 (412), feature/acme
# (429), localapi.go:1335/1355 (502)
@st.composite
def _refusal(draw: st.DrawFn) -> tuple[str, str, str]:
    status = draw(st.sampled_from(("400", "404", "405", "409", "412", "204", "429", "502")))
    param, method = draw(_PARAM), draw(_METHOD)
    if status == "405":
        body = draw(st.sampled_from((f"use {method}", f"only {method} allowed", f"{method} required", "bad method")))
        return "405 Method Not Allowed", body, "http method"
    if status == "400":
        body = draw(
            st.sampled_from(
                (f"missing '{param}' parameter", f"invalid '{param}' parameter", "invalid JSON body", f"want {method}")
            )
        )
        return "400 Bad Request", body, "a value of the request"
    if status == "404":
        body = draw(st.sampled_from(("no peer with that NodeID", "no user with that UserID", "Unknown profile")))
        return "404 Not Found", body, "does not have what the request named"
    if status == "409":
        return "409 Conflict", draw(st.sampled_from(("file exists", "already exists"))), "current state"
    if status == "412":
        status = draw(st.sampled_from(("Preconditions failed", "412 Precondition Failed")))
        return status, "event bus not running", "412"
    if status == "204":
        return "204 No Content", "event bus not running", "current state"
    if status == "429":
        return "429 Too Many Requests", "rate limited", "rate limit"
    return "502 Bad Gateway", draw(st.sampled_from(("dial failure: ", "resolve failure: "))) + "i/o timeout", "502"


@settings(max_examples=200, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    command=st.sampled_from(
        (
            "tailscale whois 100.101.102.103",
            "tailscale ping nas",
            "tailscale debug localapi",
            None,
        )
    ),
    refusal=_refusal(),
    prefix=st.sampled_from(_PREFIXES),
)
def test_a_localapi_refusal_with_no_kind_of_its_own_is_tailscaled_answering(
    prompt: str, command: str | None, refusal: tuple[str, str, str], prefix: str
) -> None:
    status, body, meaning = refusal
    if prefix == "HTTP " and not status[0].isdigit():
        prefix = ""  # "Preconditions failed" is client/local's own words, never after "HTTP "
    text = _paste(prompt, command, _printed(prefix, status, body))
    _assert_read(text, "backend-error", "TS-WIN-BACKEND-ERROR", meaning)
    assert set(_kinds(text)) == {"backend-error"}, (text, _kinds(text))  # never "not running", never "no backend"


def test_a_405_says_the_cli_and_tailscaled_releases_differ() -> None:
    document = _document("$ tailscale set --accept-routes\n405 Method Not Allowed: use PATCH\n")
    assert document is not None
    finding = next(f for f in document["findings"] if f["rule"] == "TS-WIN-BACKEND-ERROR")  # type: ignore[union-attr]
    assert "tailscale version --daemon" in finding["fix"] and "release" in finding["cause"], finding


# other programs' HTTP lines with the same status words: not a LocalAPI answer
@pytest.mark.parametrize(
    "text",
    [
        "$ curl -sI https://nas.tail1234.ts.net/api\nHTTP/1.1 404 Not Found\ncontent-length: 19\n",
        "$ curl https://nas.tail1234.ts.net/x\n404 Not Found\n",
        "$ wget http://nas:8080/\nwget: server returned error: HTTP/1.0 400 Bad Request\n",
        "$ kubectl logs web-0\nGET /api 405 Method Not Allowed in 3ms\n",
    ],
)
def test_another_programs_http_status_is_no_localapi_answer(text: str) -> None:
    kinds = _kinds(text)
    assert "backend-error" not in kinds and "version-mismatch" not in kinds, (text, kinds)


# ---- 501: a build or platform without it ----
# feature/feature.go ErrUnavailable, ipn/ipnlocal/c2n.go:301/313/335, peerapi.go:760, localapi/debug.go:166
@settings(max_examples=80, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    command=st.sampled_from(("tailscale debug netfilter-kind nftables", "tailscale dns query example.com", None)),
    body=st.sampled_from(("netfilter kind only settable on linux", "DNS not wired up", "not implemented")),
    prefix=st.sampled_from(_PREFIXES),
)
def test_a_501_is_a_build_or_platform_without_it(prompt: str, command: str | None, body: str, prefix: str) -> None:
    text = _paste(prompt, command, _printed(prefix, "501 Not Implemented", body))
    _assert_read(text, "daemon-subcommand-unavailable", "TS-CLI-SUBCOMMAND-UNAVAILABLE", body)


# ---- an endpoint this tailscaled does not have: the CLI is newer (version-mismatch) ----
# ipn/localapi/localapi.go ServeHTTP (http.NotFound), client/local WatchIPNBus (errors.New(res.Status)); issue 9654
@settings(max_examples=80, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    command=st.sampled_from(("tailscale serve status", "tailscale up --ssh", "tailscale drive list", None)),
    prefix=st.sampled_from(_PREFIXES),
)
def test_localapi_without_the_endpoint_is_a_cli_newer_than_tailscaled(
    prompt: str, command: str | None, prefix: str
) -> None:
    text = _paste(prompt, command, _printed(prefix, "404 Not Found", "404 page not found"))
    _assert_read(text, "version-mismatch", "TS-WIN-VERSION-MISMATCH", "newer than the tailscaled")
    assert "backend-error" not in _kinds(text)


@pytest.mark.parametrize("prompt", PROMPTS)
@pytest.mark.parametrize("command", ["tailscale up", "tailscale login --login-server=https://hs.example.com"])
def test_watch_ipn_bus_bare_404_under_a_tailscale_command_is_the_same(prompt: str, command: str) -> None:
    _assert_read(_paste(prompt, command, "404 Not Found"), "version-mismatch", "TS-WIN-VERSION-MISMATCH", "newer")


def test_issue_9654_the_mismatch_warning_and_the_bare_404() -> None:
    text = (
        "root@ubuntu:~# tailscale up\n"
        'Warning: client version "1.50.1-tf45c02bfc-g36a20760a" != tailscaled server version "1.28.0-taabca3a4c"\n'
        "404 Not Found\n"
    )
    assert _kinds(text) == ["version-mismatch"], _kinds(text)


# ---- a 500 or 412 under a command with its own failure kind ----
# the ipnlocal errors those commands' handlers relay (http.Error(w, err.Error(), 500)): tailnet-lock.go, serve.go,
# profiles.go, …
_COMMAND_KINDS = (
    ("tailscale lock sign nodekey:{hex} tlpub:{hex}", "tailnet-lock-failed", "TS-CLI-TAILNET-LOCK-FAILED"),
    ("tailscale lock init --confirm tlpub:{hex}", "tailnet-lock-failed", "TS-CLI-TAILNET-LOCK-FAILED"),
    ("tailscale serve --bg {port}", "serve-failed", "TS-CLI-SERVE-FAILED"),
    ("tailscale funnel --https={port} on", "serve-failed", "TS-CLI-SERVE-FAILED"),
    ("tailscale cert nas.tail{hex}.ts.net", "cert-failed", "TS-CLI-CERT-FAILED"),
    ("tailscale file cp notes.txt nas:", "taildrop-failed", "TS-CLI-TAILDROP-FAILED"),
    ("tailscale switch work", "switch-failed", "TS-CLI-SWITCH-FAILED"),
    ("tailscale dns query example.com", "dns-query-failed", "TS-CLI-DNS-QUERY-FAILED"),
)
_DAEMON_BODIES = (
    "tka sync: context deadline exceeded",
    'fetching bootstrap: Post "https://controlplane.tailscale.com/machine/tka/bootstrap": EOF',
    "netMap is nil",
    "writing ServeConfig to StateStore: open /var/lib/tailscale/tailscaled.state: read-only file system",
    "calling ReadState on state store: unexpected end of JSON input",
    "profile not found",
)


@settings(max_examples=200, deadline=None)
@given(
    prompt=st.sampled_from(tuple(p for p in PROMPTS)),
    case=st.sampled_from(_COMMAND_KINDS),
    body=st.sampled_from(_DAEMON_BODIES),
    status=st.sampled_from(("500 Internal Server Error", "HTTP 500 Internal Server Error", "Preconditions failed")),
    hex_value=st.from_regex(r"[0-9a-f]{4,16}", fullmatch=True),
    port=st.integers(min_value=1, max_value=65535),
)
def test_a_500_under_a_command_is_that_command_failing(
    prompt: str, case: tuple[str, str, str], body: str, status: str, hex_value: str, port: int
) -> None:
    command, kind, rule = case
    text = _paste(prompt, command.format(hex=hex_value, port=port), f"{status}: {body}")
    kinds = _kinds(text)
    if "control" in body or "EOF" in body or "state store" in body:  # a cause of its own may be read beside it
        assert kind in kinds, (text, kinds)
        return
    _assert_read(text, kind, rule, body.split(":")[0])
    assert "backend-error" not in kinds, (text, kinds)


@pytest.mark.parametrize("prompt", PROMPTS)
@pytest.mark.parametrize("body", ["netMap is nil", "profile not found"])
def test_the_same_500_under_another_command_stays_tailscaled_failing_it(prompt: str, body: str) -> None:
    text = _paste(prompt, "tailscale up --accept-routes", f"500 Internal Server Error: {body}")
    _assert_read(text, "backend-error", "TS-WIN-BACKEND-ERROR", "failed the request itself")


# ---- the sweep: every LocalAPI answer as the CLI prints it is read ----
@pytest.mark.parametrize("name", ["head.tsv", "old.tsv"])
def test_no_wrapped_localapi_answer_is_read_as_nothing(name: str) -> None:
    messages = [m for m in read_extract(EXTRACTS / name) if relayed(m) is not None]
    assert messages
    wrapped = measure(messages)["wrapped"]
    assert wrapped["nothing"] == 0 and wrapped["output"] == 0, wrapped
