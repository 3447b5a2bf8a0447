"""CLI messages the coverage sweep (cli_sweep.py) found read as nothing, read as classes (session 12).

Each class is generated under the shapes people paste (shell prompts `$`, `PS C:\\>`, `❯`, root `#`, `C:\\>`,
`user@host:~$`; with and without the `tailscale` command line where the message says Tailscale on its own; inside
the wrapper the CLI adds: `<status>: <body>`, `routecheck: error …`), with varied values, and asserted on what a
user sees in the JSON (`windows[].kind`, the finding's rule and its cause, the exit code). Negatives: the generic
wordings read only under a tailscale command, and "routecheck is not enabled" never reads as "no backend".
Messages from Tailscale's source at de9ec7ee2 (2026-08-22); file:line in each class.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json

PROMPTS = ("$ ", "PS C:\\> ", "❯ ", "# ", "C:\\> ", "user@host:~$ ", "sudo ")
_NAME = st.from_regex(r"[a-z][a-z0-9-]{1,12}", fullmatch=True)
_DIGITS = st.integers(min_value=1, max_value=65535)


def _paste(prompt: str, command: str | None, message: str) -> str:
    if command is None:
        return message + "\n"
    if prompt == "sudo ":  # a root shell's history line: `$ sudo tailscale …`
        return f"$ sudo {command}\n{message}\n"
    return f"{prompt}{command}\n{message}\n"


def _document(text: str) -> dict[str, object] | None:
    try:
        return run_json(text)
    except InputError:  # nothing to diagnose: nothing read
        return None


def _kinds(text: str) -> list[str]:
    document = _document(text)
    return [] if document is None else [error["kind"] for error in document["windows"] or []]  # type: ignore[index, union-attr]


def _assert_read(text: str, kind: str, rule: str, cause_words: str = "") -> None:
    document = _document(text)
    assert document is not None, text
    kinds = [error["kind"] for error in document["windows"] or []]  # type: ignore[union-attr]
    assert kind in kinds, (text, kinds)
    findings = [f for f in document["findings"] if f["rule"] == rule]  # type: ignore[union-attr]
    assert findings and document["summary"]["exit_code"] == 1, (text, document["findings"])  # type: ignore[index]
    assert cause_words.lower() in findings[0]["cause"].lower(), findings[0]["cause"]


# ---- the routecheck misreading: 503 "routecheck is not enabled" is a feature this tailscaled lacks ----
_ROUTECHECK_SHAPES = (
    "routecheck: error 503 Service Unavailable: routecheck is not enabled: ",  # routecheck.go:62 wrapping %w
    "503 Service Unavailable: routecheck is not enabled",  # client/local's "<status>: <body>"
    "routecheck is not enabled",  # feature/routecheck/localapi.go:35, the body alone (debug localapi)
    "Error: routecheck is not enabled",
)


@settings(max_examples=60, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    shape=st.sampled_from(_ROUTECHECK_SHAPES),
    flags=st.sampled_from(("", " --probe", " --format=json", " --probe --timeout=5s")),
    with_command=st.booleans(),
)
def test_routecheck_not_enabled_is_a_missing_feature_not_a_stopped_backend(
    prompt: str, shape: str, flags: str, with_command: bool
) -> None:
    text = _paste(prompt, f"tailscale routecheck{flags}" if with_command else None, shape)
    _assert_read(text, "daemon-subcommand-unavailable", "TS-CLI-SUBCOMMAND-UNAVAILABLE", "routecheck")
    assert "no-backend" not in _kinds(text), text


def test_a_real_no_backend_503_stays_no_backend() -> None:
    for body in ("503 Service Unavailable: no backend", "routecheck: error 503 Service Unavailable: no backend: "):
        assert _kinds(f"$ tailscale routecheck\n{body}\n") == ["no-backend"], body


# ---- a feature left out of this build (feature.ErrUnavailable and its kin) ----
_FEATURE_MESSAGES = (
    ("feature not included in this build", ("501 Not Implemented: ", "")),  # feature/feature.go:14
    ("debug not supported in this build", ("501 Not Implemented: ", "")),  # ipn/localapi/debug.go:166
    ("TCP connection breaking not available on this platform", ("500 Internal Server Error: ", "")),
)
_FEATURE_COMMANDS = (
    "tailscale funnel 443",
    "tailscale debug break-tcp-conns",
    "tailscale drive list",
    "tailscale debug derp 1",
    "tailscale.exe serve --bg 3000",
)


@settings(max_examples=60, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    message=st.sampled_from(_FEATURE_MESSAGES),
    command=st.sampled_from(_FEATURE_COMMANDS),
    with_command=st.booleans(),
    data=st.data(),
)
def test_a_feature_missing_from_the_build_is_read(
    prompt: str, message: tuple[str, tuple[str, ...]], command: str, with_command: bool, data: st.DataObject
) -> None:
    body, wrappers = message
    line = data.draw(st.sampled_from(wrappers)) + body
    text = _paste(prompt, command if with_command else None, line)
    _assert_read(text, "daemon-subcommand-unavailable", "TS-CLI-SUBCOMMAND-UNAVAILABLE")
    assert not {"no-backend", "backend-error", "service-not-running"} & set(_kinds(text)), text


# ---- LocalAPI's 403 bodies printed alone (debug localapi, or pasted without client/local's "Access denied:") ----
_DENIED_WHAT = (
    "whois",
    "prefs write",
    "prefs",
    "status",
    "debug",
    "id-token",
    "bugreport",
    "logout",
    "login",
    "dns-query",
    "set-device-attrs",
    "reset-auth modify",
    "UDP GRO forwarding set",
)


@settings(max_examples=60, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    what=st.sampled_from(_DENIED_WHAT),
    command=st.sampled_from(("tailscale whois 100.101.102.103", "tailscale set --ssh", "tailscale logout")),
)
def test_a_bare_local_api_403_body_under_a_tailscale_command_is_an_access_refusal(
    prompt: str, what: str, command: str
) -> None:
    _assert_read(_paste(prompt, command, f"{what} access denied"), "unix-access-denied", "TS-LOCALAPI-ACCESS-DENIED")


@pytest.mark.parametrize("body", ["denied; no debug access", "serve config denied", "access denied"])
def test_the_other_local_api_403_bodies(body: str) -> None:
    _assert_read(
        f"$ tailscale debug localapi GET /localapi/v0/x\n{body}\n", "unix-access-denied", "TS-LOCALAPI-ACCESS-DENIED"
    )


# ---- generic wordings: read under their tailscale command, unread without it ----
_GENERIC: tuple[tuple[str, Callable[[st.DataObject], str], str, str], ...] = (
    # (command, message generator, kind, rule)
    ("tailscale configure synology extra", lambda d: "unknown arguments", "cli-usage", "TS-CLI-USAGE"),
    (
        "tailscale wait x y",
        lambda d: f'unexpected arguments: ["{d.draw(_NAME)}" "{d.draw(_NAME)}"]',
        "cli-usage",
        "TS-CLI-USAGE",
    ),
    ("tailscale whoami me", lambda d: "too many arguments, expected none", "cli-usage", "TS-CLI-USAGE"),
    ("tailscale exit-node disconnect x", lambda d: "unexpected non-flag arguments", "cli-usage", "TS-CLI-USAGE"),
    ("tailscale serve https:443 / x y", lambda d: "error: invalid number of arguments", "cli-usage", "TS-CLI-USAGE"),
    ("tailscale serve --https=443 docs/", lambda d: "error: path must be absolute", "cli-usage", "TS-CLI-USAGE"),
    ("tailscale serve https:x / 3000", lambda d: f'error: invalid port "{d.draw(_NAME)}"', "cli-usage", "TS-CLI-USAGE"),
    ("tailscale funnel --https=0 3000", lambda d: "port number must be non-zero", "cli-usage", "TS-CLI-USAGE"),
    ("tailscale serve clear", lambda d: "error: missing service name argument", "cli-usage", "TS-CLI-USAGE"),
    (
        "tailscale serve tcp:22 tcp://x",
        lambda d: "must be one of: localhost or 127.0.0.1",
        "cli-usage",
        "TS-CLI-USAGE",
    ),
    (
        "tailscale netcheck --format=yaml",
        lambda d: f'unknown output format "{d.draw(_NAME)}"',
        "cli-usage",
        "TS-CLI-USAGE",
    ),
    (
        "tailscale netcheck --bind-address=x",
        lambda d: f'invalid bind address: "{d.draw(_NAME)}"',
        "cli-usage",
        "TS-CLI-USAGE",
    ),
    (
        "tailscale netcheck --bind-address=:99999",
        lambda d: f"invalid bind port number: {d.draw(st.integers(65536, 999999))}",
        "cli-usage",
        "TS-CLI-USAGE",
    ),
    ("tailscale debug via 10.0.0.0/24", lambda d: "not a via route", "cli-usage", "TS-CLI-USAGE"),
    ("tailscale debug via fd7a::/64", lambda d: "short length, want /96 or more", "cli-usage", "TS-CLI-USAGE"),
    (
        "tailscale debug portmap --gateway-addr=192.168.1.1",
        lambda d: "if one of --gateway-addr and --self-addr is provided, the other must be as well",
        "cli-usage",
        "TS-CLI-USAGE",
    ),
    ("tailscale syspolicy list", lambda d: f'"{d.draw(_NAME)}" is not a valid scope', "cli-usage", "TS-CLI-USAGE"),
    ("tailscale file cp a.txt [nas]:", lambda d: "unexpected brackets around target", "cli-usage", "TS-CLI-USAGE"),
    ("tailscale file cp ./photos nas:", lambda d: "directories not supported", "cli-usage", "TS-CLI-USAGE"),
    (
        "tailscale file cp a.txt 8.8.8.8:",
        lambda d: f"unknown target; {d.draw(_DIGITS) % 224}.8.8.8 is not a Tailscale IP address",
        "taildrop-failed",
        "TS-CLI-TAILDROP-FAILED",
    ),
    (
        "tailscale file cp a.txt laptop:",
        lambda d: "unknown target; not in your Tailnet",
        "taildrop-failed",
        "TS-CLI-TAILDROP-FAILED",
    ),
    (
        "tailscale file get --conflict=skip .",
        lambda d: f"refusing to overwrite file: {d.draw(_NAME)}.jpg exists",
        "taildrop-failed",
        "TS-CLI-TAILDROP-FAILED",
    ),
    (
        "tailscale file get /root/in",
        lambda d: f'"/root/{d.draw(_NAME)}" is not a directory',
        "cli-usage",
        "TS-CLI-USAGE",
    ),
    (
        "tailscale configure pve-appliance --disk-size=8GB",
        lambda d: f'unknown size suffix "{d.draw(_NAME)}"',
        "cli-usage",
        "TS-CLI-USAGE",
    ),
    (
        "tailscale configure flash-appliance --disk=/home/pi/x.img",
        lambda d: f"/home/pi/{d.draw(_NAME)}.img is not a device file",
        "configure-failed",
        "TS-CLI-CONFIGURE-FAILED",
    ),
    (
        "tailscale configure kubeconfig nas",
        lambda d: "Tailscale is not running",
        "not-running-state",
        "TS-CLI-NOT-RUNNING-STATE",
    ),
    (
        "tailscale configure synology-cert",
        lambda d: "Tailscale is not running.",
        "not-running-state",
        "TS-CLI-NOT-RUNNING-STATE",
    ),
)


@settings(max_examples=150, deadline=None)
@given(case=st.sampled_from(_GENERIC), prompt=st.sampled_from(PROMPTS), data=st.data())
def test_a_generic_wording_is_read_under_its_command(
    case: tuple[str, Callable[[st.DataObject], str], str, str], prompt: str, data: st.DataObject
) -> None:
    command, message, kind, rule = case
    _assert_read(_paste(prompt, command, message(data)), kind, rule)


@settings(max_examples=80, deadline=None)
@given(case=st.sampled_from(_GENERIC), data=st.data())
def test_a_generic_wording_without_a_tailscale_command_stays_unread(
    case: tuple[str, Callable[[st.DataObject], str], str, str], data: st.DataObject
) -> None:
    command, message, kind, _ = case
    words = message(data)
    if "tailscale" in words.lower() or "--gateway-addr" in words:
        return  # says Tailscale on its own
    for above in (None, "$ ls -la", "PS C:\\> Get-Service sshd", "$ kubectl get pods"):
        text = words + "\n" if above is None else f"{above}\n{words}\n"
        assert kind not in _kinds(text), text


# ---- whoami's no-address answer (cli/whoami.go:45, 2026-05+) is ip's "no current Tailscale IPs; state: X" ----
@settings(max_examples=40, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    state=st.sampled_from(("NeedsLogin", "NeedsMachineAuth", "Stopped", "Starting", "NoState")),
    with_command=st.booleans(),
)
def test_whoami_without_an_address_names_the_backend_state(prompt: str, state: str, with_command: bool) -> None:
    text = _paste(
        prompt, "tailscale whoami" if with_command else None, f"no current Tailscale IP address; state: {state}"
    )
    _assert_read(text, "not-running-state", "TS-CLI-NOT-RUNNING-STATE", state)


# ---- negatives ----
@pytest.mark.parametrize(
    "text",
    [
        "$ tailscale debug shutdown\nshutdown access denied by policy\n",  # a policy, not this user's permission
        "$ ls /root\nls: cannot open directory '/root': Permission denied\naccess denied\n",
        "access denied\n",
        "PS C:\\> Remove-Item x\nAccess is denied.\n",
    ],
)
def test_what_is_no_local_api_refusal_is_not_read_as_one(text: str) -> None:
    assert "unix-access-denied" not in _kinds(text), text


def test_a_tailscale_command_line_is_needed_not_any_prompt_word() -> None:
    # a command that only mentions "tailscale" in an argument is not the CLI answering
    assert "cli-usage" not in _kinds("$ grep tailscale notes.txt\nunknown arguments\n")
