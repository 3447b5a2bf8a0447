"""Generated tests for blind batch 32's CLI misses, read as classes (what a user sees in the JSON document).

1. The CLI's output relayed in a quoted field of another program's log record (zerolog/slog/logfmt ``error="…"``,
   a JSON record's ``"error": "…"``, Go's %q escapes ``\\n`` ``\\"``), on one line or wrapped over several: its lines,
   unescaped, are the CLI's answer. The version warning is version-mismatch; a backend state the CLI printed
   (cli/status.go isRunningOrStarting: "Logged out.", "Tailscale is stopped.", "Machine is not yet approved by
   tailnet admin.", "unexpected state: X") is the command's refusal, not-running-state. Prose with the same escapes,
   a quoted field holding no CLI text, and a bare state line under `tailscale status` keep their reading.
2. Tailscale SSH's banner "tailscale: failed to get connection info" (ssh/tailssh, 1.82+) is ssh-failed, and OpenSSH's
   own closing line after it ("Connection closed by UNKNOWN port 65535", "Connection to host closed.") is part of
   that answer, not a skipped line. The daemon's log line, prose, and a closing line with no banner are not.
3. `tailscale switch --list` (the v1.34-v1.55 name list, the v1.56+ table) with two or more profiles of one name is a
   warning (exit 1): `tailscale switch <name>` cannot tell them apart; `Already on account "X"` right under the list
   is part of that finding. Distinct names, or the answer alone, are routine.
4. Headscale's admin CLI refusing a node key it holds no pending registration for ("Cannot register machine: machine
   not found in registration cache", v0.23+'s "node" wording, `--output json|yaml`'s gRPC error, v0.29's cobra
   "Error: registering node: rpc error: …") is headscale-register-failed. The server's own log line and prose are not.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json


def _document(text: str) -> dict[str, Any]:
    try:
        return run_json(text)
    except InputError:
        return {"summary": {"exit_code": 2}, "windows": [], "findings": [], "blocks": [], "warnings": []}


def _exit(document: dict[str, Any]) -> int:
    return int(document["summary"]["exit_code"])


def _windows(document: dict[str, Any]) -> list[str]:
    return [error["kind"] for error in document.get("windows") or []]


def _rules(document: dict[str, Any]) -> list[str]:
    return [finding["rule"] for finding in document["findings"]]


def _finding(document: dict[str, Any], rule: str) -> dict[str, Any]:
    return next(finding for finding in document["findings"] if finding["rule"] == rule)


# ------------------------------------------------------------------ 1. the CLI's output relayed in a quoted field

_STATES = (
    ("Logged out.", "NeedsLogin"),
    ("Tailscale is stopped.", "Stopped"),
    ("Machine is not yet approved by tailnet admin.", "NeedsMachineAuth"),
    ("unexpected state: NoState", "NoState"),
)
_VERSIONS = (
    ("1.94.2-t2de4d317a", "1.94.2-t0a29cf18b-g3f044c9f6"),
    ("1.80.0-t1a2b3c4d5", "1.78.1-t9f8e7d6c5-g0a1b2c3d4"),
    ("1.56.1", "1.58.2"),
)


def _go_quoted(text: str) -> str:
    """Go's %q of ``text`` (what a logger writes for a field holding the CLI's output)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def _record(form: str, message: str, field: str) -> str:
    if form == "zerolog":
        return f"ERR Failed to add service error={field}"
    if form == "slog":
        return f'time=2026-02-15T10:00:00.000Z level=ERROR msg="{message}" error={field}'
    if form == "logfmt-stamp":
        return f"2026-02-15T10:00:00Z ERR {message} service=web error={field}"
    return f'{{"level":"error","time":"2026-02-15T10:00:00Z","msg":"{message}","error":{field}}}'


def _wrapped(record: str, width: int, indent: str) -> str:
    """``record`` word-wrapped at ``width`` (as an issue's editor or a narrow terminal shows it), each line indented."""
    lines: list[str] = []
    current = ""
    for word in record.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return "\n".join(indent + line for line in lines) + "\n"


@given(
    st.sampled_from(("zerolog", "slog", "logfmt-stamp", "json")),
    st.sampled_from(_STATES),
    st.sampled_from(_VERSIONS),
    st.booleans(),
    st.sampled_from((0, 40, 60, 72)),
    st.sampled_from(("", "  ", "    ")),
    st.sampled_from(("failed to add service", "tailscale serve failed", "sidecar: command failed")),
)
@settings(max_examples=120, deadline=None)
def test_the_cli_output_relayed_in_a_quoted_field_is_read_line_by_line(
    form: str,
    state: tuple[str, str],
    versions: tuple[str, str],
    with_warning: bool,
    width: int,
    indent: str,
    message: str,
) -> None:
    said, backend = state
    client, server = versions
    output = f'Warning: client version "{client}" != tailscaled server version "{server}"\n' if with_warning else ""
    output += f"{said}\n"
    record = _record(form, message, _go_quoted(f"{message}: exit status 1\nOutput: {output}"))
    text = _wrapped(record, width, indent) if width and form != "json" else indent + record + "\n"
    document = _document(text)
    kinds = _windows(document)
    assert "not-running-state" in kinds, (text, kinds)
    assert ("version-mismatch" in kinds) is with_warning, (text, kinds)
    assert not {"service-not-running", "unix-access-denied"} & set(kinds), kinds
    assert _exit(document) == 1
    finding = _finding(document, "TS-CLI-NOT-RUNNING-STATE")
    assert f'"{said}"' in finding["cause"] and f'"{backend}"' in finding["cause"], finding["cause"]
    assert finding["evidence"][0]["text"] == said  # the CLI's line, unescaped, on the pasted line it starts on
    assert [status["state"] for status in document["statuses"]] == (
        ["NeedsLogin"]
        if backend == "NeedsLogin"
        else ["Tailscale is stopped." if backend == "Stopped" else f"BackendState {backend}"]
    )


@given(
    st.sampled_from(("zerolog", "slog", "json")),
    st.sampled_from(
        (
            (
                "failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start "
                "tailscaled ?)",
                "service-not-running",
            ),
            ("Access denied: serve config denied", "unix-access-denied"),
        )
    ),
    st.sampled_from((0, 50, 70)),
)
@settings(max_examples=30, deadline=None)
def test_other_cli_errors_relayed_in_a_quoted_field_keep_their_kind(
    form: str, answer: tuple[str, str], width: int
) -> None:
    said, kind = answer
    record = _record(form, "add service", _go_quoted(f"exit status 1\nOutput: {said}\n"))
    text = _wrapped(record, width, "  ") if width and form != "json" else record + "\n"
    assert _windows(_document(text)) == [kind], text


@given(
    st.sampled_from(
        (
            'I saw "foo\\nLogged out of the app\\n" in the output',  # prose, not a record's field
            'level=info msg="config loaded" value="a\\nb\\nc"',  # a field holding no CLI text
            'ERR Failed to add service error="exit status 1\\nOutput: permission problem\\n"',
            'the docs say to escape newlines as \\n in error="…" fields',
        )
    )
)
@settings(max_examples=10, deadline=None)
def test_escapes_without_the_cli_s_words_read_nothing(text: str) -> None:
    document = _document(text + "\n")
    assert _exit(document) == 2, _windows(document)


@given(st.sampled_from(_STATES), st.sampled_from(("$ ", "root@nas:~# ", "PS C:\\> ")))
@settings(max_examples=20, deadline=None)
def test_a_state_line_under_tailscale_status_stays_a_status(state: tuple[str, str], prompt: str) -> None:
    document = _document(f"{prompt}tailscale status\n{state[0]}\n")
    assert _windows(document) == []
    assert _rules(document) == ["TS-STATUS-NOT-RUNNING"]


# ------------------------------------------------------------------ 2. Tailscale SSH: failed to get connection info

_SSH_PROMPTS = ("$ ", "user@laptop:~$ ", "❯ ", "PS C:\\Users\\me> ")
_SSH_COMMANDS = ("tailscale ssh nagios@pc-tests-2026", "tailscale ssh root@nas", "ssh admin@100.117.106.176")
_CLOSINGS = (
    "Connection closed by UNKNOWN port 65535",
    "Connection closed by 100.117.106.176 port 22",
    "Connection reset by 100.64.0.9 port 22",
    "Connection to nas closed.",
    "Connection to pc-tests-2026 closed by remote host.",
)


@given(
    st.sampled_from(_SSH_PROMPTS),
    st.sampled_from(_SSH_COMMANDS),
    st.sampled_from(("tailscale: failed to get connection info", "failed to get connection info")),
    st.one_of(st.none(), st.sampled_from(_CLOSINGS)),
    st.sampled_from(("", "```bash\n")),
)
@settings(max_examples=80, deadline=None)
def test_the_connection_info_banner_is_ssh_failed_with_ssh_s_closing_line(
    prompt: str, command: str, banner: str, closing: str | None, fence: str
) -> None:
    text = f"{fence}{prompt}{command}\n{banner}\n" + (f"{closing}\n" if closing else "") + ("```\n" if fence else "")
    document = _document(text)
    assert _windows(document) == ["ssh-failed"], text
    assert _exit(document) == 1
    assert document["warnings"] == [], document["warnings"]  # ssh's closing line is read with the banner
    block = next(b for b in document["blocks"] if b["kind"] == "windows-error")
    assert block["last_line"] - block["first_line"] == (1 if closing else 0)
    assert "identify" in _finding(document, "TS-CLI-SSH-FAILED")["cause"]


@given(
    st.sampled_from(
        (
            "2026/01/16 10:00:00 ssh-conn(20260116T100000-abc): failed to get connection info: unknown Tailscale "
            "identity from src 100.96.211.131:51234",
            "I get failed to get connection info sometimes when I ssh",
            "$ tailscale ssh root@nas\nConnection closed by UNKNOWN port 65535",
            "$ ssh root@example.com\nConnection to example.com closed.",
        )
    )
)
@settings(max_examples=10, deadline=None)
def test_the_banner_s_near_misses_are_not_ssh_failed(text: str) -> None:
    assert "ssh-failed" not in _windows(_document(text + "\n")), text


# ------------------------------------------------------------------ 3. switch --list: profiles sharing one name

_NAMES = ("X@gmail.com", "alice@example.com", "bob", "ops@corp.example")
_TAILNETS = ("example.com", "alice.github", "corp.example", "tail1234.ts.net")


def _old_list(names: list[str], current: int) -> str:
    return "".join(f"{name} *\n" if i == current else f"{name}\n" for i, name in enumerate(names))


def _table(names: list[str], current: int) -> str:
    rows = ["ID    Tailnet          Account"]
    for i, name in enumerate(names):
        rows.append(
            f"{(0x2FF9 + 0x111 * i):x}  {_TAILNETS[i % len(_TAILNETS)]:<15}  {name}{'*' if i == current else ''}"
        )
    return "\n".join(rows) + "\n"


@given(
    st.sampled_from(_NAMES),
    st.lists(st.sampled_from(_NAMES), max_size=2),
    st.integers(min_value=2, max_value=3),
    st.booleans(),
    st.booleans(),
    st.sampled_from(("$ ", "PS C:\\> ", "user@mac ~ % ")),
    st.data(),
)
@settings(max_examples=100, deadline=None)
def test_profiles_sharing_a_name_are_a_warning(
    shared: str,
    others: list[str],
    copies: int,
    table: bool,
    answered: bool,
    prompt: str,
    data: st.DataObject,
) -> None:
    names = [shared] * copies + [name for name in dict.fromkeys(others) if name != shared]
    names = data.draw(st.permutations(names))
    current = data.draw(st.integers(min_value=0, max_value=len(names) - 1))
    listing = _table(names, current) if table else _old_list(names, current)
    text = f"{prompt}tailscale switch --list\n{listing}"
    if answered:
        text += f'{prompt}tailscale switch {shared}\nAlready on account "{shared}"\n'
    document = _document(text)
    assert _exit(document) == 1, text
    assert _rules(document) == ["TS-SWITCH-LIST-SHARED-NAME"]
    finding = _finding(document, "TS-SWITCH-LIST-SHARED-NAME")
    assert f'"{shared}"' in finding["cause"]
    # 1.56+: switch by the ID the table lists; the old list has no IDs: upgrade
    assert finding["fix"].startswith("Switch by the profile's ID") is table
    assert finding["fix"].startswith("Upgrade Tailscale to 1.56") is not table
    quoted = [e["text"] for e in finding["evidence"]]
    assert (f'Already on account "{shared}"' in quoted) is answered
    assert document["warnings"] == []


@given(
    st.permutations(_NAMES[:3]),
    st.booleans(),
    st.booleans(),
)
@settings(max_examples=30, deadline=None)
def test_distinct_names_and_the_answer_alone_stay_routine(names: list[str], table: bool, answered: bool) -> None:
    listing = _table(list(names), 0) if table else _old_list(list(names), 0)
    text = f"$ tailscale switch --list\n{listing}"
    if answered:
        text += f'$ tailscale switch {names[0]}\nAlready on account "{names[0]}"\n'
    document = _document(text)
    assert _rules(document) == ["TS-SWITCH-LIST"] and _exit(document) == 0
    alone = _document(f'$ tailscale switch {names[0]}\nAlready on account "{names[0]}"\n')
    assert _exit(alone) in (0, 2) and _rules(alone) == []


# ------------------------------------------------------------------ 4. Headscale: not found in registration cache

_KEY = "ea29d5c827d9bc14936d9bc1ee6c1650fd41e2aeaea4cc06470d81712f6a2400"


def _headscale_answer(form: str, what: str) -> str:
    message = f"{what} not found in registration cache"
    grpc = f"rpc error: code = Unknown desc = {message}"
    return {
        "human": f"Cannot register {what}: {message}",
        "json": f'{{\n\t"error": "{grpc}"\n}}',
        "json-line": f'{{"error":"{grpc}"}}',
        "yaml": f"error: '{grpc}'",
        "v0.29": f"Error: registering node: rpc error: code = NotFound desc = {message}",
    }[form]


@given(
    st.sampled_from(("human", "json", "json-line", "yaml", "v0.29")),
    st.sampled_from(("machine", "node")),
    st.sampled_from(
        (
            "",
            f"headscale -n default nodes register --key {_KEY}\n",
            f"$ headscale nodes register --user alice --key {_KEY[:12]}\n",
            "root@hs:~# docker exec headscale headscale nodes register --user alice --key mkey:abc123\n",
        )
    ),
)
@settings(max_examples=60, deadline=None)
def test_the_registration_cache_refusal_is_headscale_register_failed(form: str, what: str, command: str) -> None:
    document = _document(command + _headscale_answer(form, what) + "\n")
    assert _windows(document) == ["headscale-register-failed"], document
    assert _exit(document) == 1
    finding = _finding(document, "TS-CLI-HEADSCALE-REGISTER-FAILED")
    assert "server_url" in finding["fix"] and "--login-server" in finding["fix"]


@given(
    st.sampled_from(
        (
            '2022-03-23T10:00:00Z ERR hscontrol/grpcv1.go:200 > failed to register node error="node not found in '
            'registration cache"',
            "I keep getting machine not found in registration cache when I register",
            "Cannot register machine: user not found",
        )
    )
)
@settings(max_examples=10, deadline=None)
def test_the_refusal_s_near_misses_are_not_headscale_register_failed(text: str) -> None:
    assert "headscale-register-failed" not in _windows(_document(text + "\n")), text
