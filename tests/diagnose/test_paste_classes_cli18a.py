"""Generated tests for the CLI/GUI classes blind batch 18 missed (corpus 423, 424, 428, 918, 919).

Each class is proven on generated variants (prompts, log stamps, wrappings, versions, wordings from
Tailscale's source), not only on the paste that showed it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import cli_kinds, rule_ids, run_json, run_text

# How a one-line CLI answer reaches an issue: under a prompt (cmd.exe, PowerShell, a Unix shell, none), bare,
# under log.Fatal's Go stamp, in inline code, in a fence.
PROMPTS = ["", "C:\\Users\\Me> ", "PS C:\\Users\\me> ", "$ ", "root@pi:~# ", "user@mac ~ % "]
WRAPS = ["{m}", "`{m}`", "```\n{m}\n```", "2021/03/27 10:12:44 {m}", "    {m}"]


# 428: tailscaled's engine answers `tailscale ping` with "local tailscaled stopped" when it holds no node key
# (wgengine/magicsock/magicsock.go Conn.Ping); `debug peer-endpoint-changes` gets "tailscaled stopped" relayed
# as LocalAPI's 500 (ipn/localapi/debug.go). The daemon answered: the backend is not Running.
ENGINE_STOPPED = [
    ("tailscale ping {peer}", "local tailscaled stopped"),
    ("tailscale ping --verbose {peer}", "local tailscaled stopped"),
    (
        "tailscale debug peer-endpoint-changes 100.64.0.7",
        "500 Internal Server Error: getting endpoint changes: tailscaled stopped",
    ),
]


@given(
    st.sampled_from(ENGINE_STOPPED),
    st.sampled_from(PROMPTS),
    st.sampled_from(WRAPS),
    st.sampled_from(["t-rpi2", "nas.tail1234.ts.net", "100.101.102.103"]),
)
@settings(max_examples=60, deadline=None)
def test_a_stopped_engine_answering_the_cli_is_not_running_state(
    case: tuple[str, str], prompt: str, wrap: str, peer: str
) -> None:
    command, answer = case
    text = (f"{prompt}{command.format(peer=peer)}\n" if prompt else "") + wrap.format(m=answer) + "\n"
    assert cli_kinds(text) == ["not-running-state"], text
    diagnosis = run_text(text)
    assert "TS-CLI-NOT-RUNNING-STATE" in rule_ids(diagnosis), text
    finding = next(f for f in diagnosis.findings if f.rule_id == "TS-CLI-NOT-RUNNING-STATE")
    assert "engine" in finding.cause and "tailscale ip" not in finding.cause, finding.cause
    assert "TS-CLI-SERVICE-NOT-RUNNING" not in rule_ids(diagnosis), text


def test_tailscale_ip_keeps_naming_the_backend_state() -> None:
    diagnosis = run_text("$ tailscale ip -4\nno current Tailscale IPs; state: NeedsLogin\n")
    finding = next(f for f in diagnosis.findings if f.rule_id == "TS-CLI-NOT-RUNNING-STATE")
    assert '"NeedsLogin"' in finding.cause


def test_prose_about_a_stopped_daemon_is_not_the_engine_answer() -> None:
    # "tailscaled stopped" as a person words it, or systemd's unit line, is no answer from the engine.
    for text in ("after the upgrade the local tailscaled stopped working for me", "Stopped tailscaled.service."):
        assert "not-running-state" not in _kinds_or_none(text + "\n"), text


def _kinds_or_none(text: str) -> list[str]:
    """The CLI error kinds read, or none when nothing at all is recognised (the CLI's exit 2)."""
    try:
        return cli_kinds(text)
    except InputError:
        return []


# 424: tailscaled took the connection but answered with no HTTP: net/http's "malformed HTTP status code/response/
# version" on a LocalAPI request (a 1.22-1.32 Windows service whose engine would not start answering with its IPN
# error message, ipn/ipnserver/server.go). The backend answered, broken: backend-error, not a stopped service.
NOT_HTTP_REQUESTS = [
    'Post "http://local-tailscaled.sock/localapi/v0/bugreport?note="',
    'Get "http://local-tailscaled.sock/localapi/v0/status"',
    'Get "http://local-tailscaled.sock/localapi/v0/prefs"',
    'Patch "http://local-tailscaled.sock/localapi/v0/prefs"',
]
NOT_HTTP_ERRORS = [
    'malformed HTTP status code "Error"',
    'malformed HTTP response "\\x00\\x00\\x00\\x8a{\\"ErrMessage\\":\\"wgengine.NewUserspaceEngine"',
    'malformed HTTP version "\\x00\\x00\\x01"',
]
NOT_HTTP_WRAPS = ["{m}", "`{m}`", "Bug report: {m}", "```\n{m}\n```", "> {m}", "2022/03/13 10:01:02 {m}"]


@given(
    st.sampled_from(NOT_HTTP_REQUESTS),
    st.sampled_from(NOT_HTTP_ERRORS),
    st.sampled_from(NOT_HTTP_WRAPS),
    st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_a_localapi_answer_that_is_not_http_is_a_backend_error(
    request: str, error: str, wrap: str, with_net_http: bool
) -> None:
    message = f"{request}: {'net/http: ' if with_net_http else ''}HTTP/1.x transport connection broken: {error}"
    text = wrap.format(m=message) + "\n"
    assert cli_kinds(text) == ["backend-error"], text
    diagnosis = run_text(text)
    finding = next(f for f in diagnosis.findings if f.rule_id == "TS-WIN-BACKEND-ERROR")
    assert "did not answer with LocalAPI" in finding.cause, finding.cause
    assert "TS-CLI-SERVICE-NOT-RUNNING" not in rule_ids(diagnosis), text


def test_a_malformed_http_answer_from_elsewhere_is_not_tailscaled() -> None:
    # The same net/http words from a request to another server say nothing about tailscaled.
    text = (
        'Get "http://192.168.1.1:8080/api": net/http: HTTP/1.x transport connection broken: malformed HTTP response\n'
    )
    assert "backend-error" not in _kinds_or_none(text)


# 918: a Windows package manager ran Tailscale's installer and the installer failed (its exit code is Windows
# Installer's): winget's "Installer failed with exit code: N", Chocolatey's "The install of tailscale was NOT
# successful." Installing failed outside `tailscale update`: install-failed.
WINGET_BEFORE = [
    "",
    "PS C:\\Users\\me> winget upgrade --id tailscale.tailscale\n",
    "Found Tailscale [tailscale.tailscale] Version {v}\n"
    "This application is licensed to you by its owner.\n"
    "Downloading https://pkgs.tailscale.com/stable/tailscale-setup-{v}.exe\n"
    "  ██████████████████████████████  40.7 MB / 40.7 MB\n"
    "Successfully verified installer hash\n"
    "Starting package install...\n",
]
WINGET_AFTER = ["", "Installer log is available at: C:\\Users\\me\\AppData\\Local\\Temp\\WinGet\\x.log\n"]
CHOCO = [
    'ERROR: Running ["C:\\Windows\\System32\\msiexec.exe" /i "C:\\Users\\me\\AppData\\Local\\Temp\\chocolatey\\'
    "tailscale\\{v}\\tailscale-setup-{v}-amd64.msi\" /qn /norestart ] was not successful. Exit code was '{code}'.\n"
    "The {op} of tailscale was NOT successful.\n",
    "The {op} of tailscale was NOT successful.\n",
]


@given(
    st.sampled_from(WINGET_BEFORE),
    st.sampled_from(WINGET_AFTER),
    st.sampled_from(["1.50.0", "1.62.1", "1.84.3"]),
    st.sampled_from(["1603", "1618", "1620", "1638", "-2147024891", "0x80070005"]),
    st.sampled_from(["{m}", "```\n{m}```\n", "> {m}"]),
)
@settings(max_examples=60, deadline=None)
def test_winget_running_tailscales_installer_that_fails_is_install_failed(
    before: str, after: str, version: str, code: str, wrap: str
) -> None:
    paste = before.format(v=version) + f"Installer failed with exit code: {code}\n" + after
    text = wrap.format(m=paste) if wrap != "> {m}" else "".join(f"> {line}\n" for line in paste.splitlines())
    assert cli_kinds(text) == ["install-failed"], text
    diagnosis = run_text(text)
    finding = next(f for f in diagnosis.findings if f.rule_id == "TS-CLI-INSTALL-FAILED")
    assert "package manager" in finding.cause and "sysext" not in finding.cause, finding.cause
    assert "TS-CLI-SERVICE-NOT-RUNNING" not in rule_ids(diagnosis)


@given(st.sampled_from(CHOCO), st.sampled_from(["install", "upgrade"]), st.sampled_from(["1603", "1618"]))
@settings(max_examples=12, deadline=None)
def test_chocolatey_not_installing_tailscale_is_install_failed(template: str, op: str, code: str) -> None:
    text = template.format(v="1.62.1", op=op, code=code)
    assert "install-failed" in cli_kinds(text), text


# 423: the Windows GUI's/CLI's own log (cmd.log*.txt) holds raw logtail upload records, {"logtail": {…},
# "text": "<message>\n"}: the message inside is read as what it is (the CLI/GUI error), JSON escapes undone and
# the uploader's trailing "logid: …" line dropped.
LOGTAIL_MESSAGES = [
    (
        "backend error: wgengine.NewUserspaceEngine: InterfaceFromIndexEx() - interface with specified LUID not found",
        "backend-error",
    ),
    (
        "Tailscale backend error: wgengine.NewUserspaceEngine: Error creating interface: Timeout waiting for "
        "registry value",
        "backend-error",
    ),
    ("backend error: invalid key: API key tskey-abcdef not valid", "auth-key-rejected"),
]
LOGTAIL_HEADS = [
    '"logtail": {{"client_time": "2020-08-16T11:18:27.662758-07:00"}}',
    '"logtail": {{"client_time": "2022-04-26T09:00:01.5Z", "proc_id": 1234, "proc_seq": 7}}',
    '"logtail": {{"server_time": "2022-04-26T09:00:01.5Z", "client_time": "2022-04-26T09:00:01.4Z"}}',
]
LOGTAIL_TAILS = ["\\n", "\\n\\nlogid: b947223b55c7dff13bcbaa4cf1c34e38545d642ec74b4517387805ccf0be613b\\n", ""]


@given(
    st.sampled_from(LOGTAIL_MESSAGES),
    st.sampled_from(LOGTAIL_HEADS),
    st.sampled_from(LOGTAIL_TAILS),
    st.booleans(),
    st.sampled_from(["{m}", "```\n{m}\n```", "cmd.log2.txt says:\n```\n{m}\n```"]),
)
@settings(max_examples=60, deadline=None)
def test_a_logtail_json_record_is_read_as_the_message_it_holds(
    case: tuple[str, str], head: str, tail: str, text_first: bool, wrap: str
) -> None:
    message, kind = case
    body = f'"text": "{message}{tail}"'
    record = "{" + (f"{body}, {head.format()}" if text_first else f"{head.format()}, {body}") + "}"
    text = wrap.format(m=record) + "\n"
    assert cli_kinds(text) == [kind], text
    assert "TS-CLI-SERVICE-NOT-RUNNING" not in rule_ids(run_text(text))


def test_a_logtail_record_with_escaped_quotes_keeps_the_message_values() -> None:
    # Go's %q names inside the message, then JSON's escaping over them: both undone, the owner read whole.
    record = (
        '{"logtail": {"client_time": "2022-04-26T09:00:01.5Z"}, "text": "401 Unauthorized: Tailscale running in '
        'server mode (\\"DESKTOP\\\\\\\\alice\\"); connection from \\"DESKTOP\\\\\\\\bob\\" not allowed\\n"}'
    )
    document = run_json(record + "\n")
    errors = document["windows"] or []
    assert [e["kind"] for e in errors] == ["not-owner"], record
    assert errors[0]["owner"] == "DESKTOP\\alice" and errors[0]["caller"] == "DESKTOP\\bob", errors


# 919: prose quoting what the CLI answered as inline code, inside the sentence ("4. See error, specifically
# `2024/11/19 00:40:30 error looking up IP of "node": …`"): the quoted answer is read; the command quoted the
# same way is not output. `tailscale ping`'s lookup failure is the ping's error (TS-PING-NO-TARGET).
PROSE_BEFORE = ["4. See error, specifically ", "When I run it I get ", "- it fails with: ", "Output: ", "Result is "]
QUOTED_ANSWERS = [
    ('error looking up IP of "{p}": lookup {p}: no such host', "ping"),
    ('2024/11/19 00:40:30 error looking up IP of "{p}": lookup {p} on 100.100.100.100:53: no such host', "ping"),
    ("pong from {p} (100.101.102.103) via DERP(fra) in 41ms", "ping"),
    (
        "failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)",
        "windows-error",
    ),
    ("backend error: invalid key: API key tskey-auth-xxxxx not valid", "windows-error"),
]
PROSE_AFTER = ["", ".", " (every time)", " and nothing else"]


@given(
    st.sampled_from(PROSE_BEFORE),
    st.sampled_from(QUOTED_ANSWERS),
    st.sampled_from(PROSE_AFTER),
    st.sampled_from(["node", "nas", "my-laptop"]),
    st.booleans(),
)
@settings(max_examples=80, deadline=None)
def test_a_cli_answer_quoted_inline_in_prose_is_read(
    before: str, answer: tuple[str, str], after: str, peer: str, command_line: bool
) -> None:
    quoted, kind = answer
    text = (f"3. Run `tailscale ping {peer}` (this checks the connection)\n" if command_line else "") + (
        f"{before}`{quoted.format(p=peer)}`{after}\n"
    )
    document = run_json(text)
    assert [block["kind"] for block in document["blocks"]] == [kind], text


def test_prose_quoting_only_a_command_stays_unrecognised() -> None:
    assert _kinds_or_none("3. Run `tailscale ping node` (this checks to see if your connection is working)\n") == []
    try:
        run_text("Then run `tailscale status` and `tailscale netcheck` on both nodes.\n")
    except InputError:
        return
    raise AssertionError("prose quoting commands was read as output")
