"""Generated tests for session 13's small leftovers in `opskit diagnose`:

1. BusyBox ash's prompts (Alpine, the tailscale container image): root's ``\\w \\$ `` (``/app # cmd``, ``~ # cmd``,
   ``/data $ cmd``) and Alpine's /etc/profile ``\\h:\\w\\$ `` (``host:/app# cmd``, a container's id as its hostname)
   are prompts, so the command after them is the typed command (its output reads under it, no skipped line);
   prose naming a path, a Markdown heading, a comment and a status row stay what they are.
2. A login URL a terminal cut at its width (``…/a/cae2`` then ``d9c2019d``) under `up`/`login`'s "To authenticate,
   visit:" or Tailscale SSH's check banner: the tail is part of the URL, not a skipped line.
3. A LocalAPI refusal in a curl -v/-i transcript quotes the body as pasted (its reading is still the CLI's form).
4. `web server running on:` is read by the web-start view in every form (clianswers no longer lists it).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json
from tests.diagnose.test_blind28_misc import ANSWERS, PATHS, SOCKETS, VERSIONS, _include, _verbose


def _skipped(document: dict[str, Any]) -> list[str]:
    return [warning for warning in document["warnings"] if "skipped" in warning]


def _rules(document: dict[str, Any]) -> list[str]:
    return [finding["rule"] for finding in document["findings"]]


# ------------------------------------------------------------------------------------------- 1. BusyBox prompts

DIRS = ["/", "/app", "~", "/data", "/var/lib/tailscale", "/etc/tailscale", "~/work"]
HOSTNAMES = ["host", "3f2a9c0d1b4e", "8d1e4b7a0c2f", "ts-sidecar-7d9f8", "nas", "alpine.local"]


def _busybox_prompt(form: str, directory: str, host: str) -> str:
    return {
        "root": f"{directory} # ",  # \w \$ as root
        "user": f"{directory} $ ",  # \w \$ as a user
        "profile-root": f"{host}:{directory}# ",  # /etc/profile's \h:\w\$ as root
        "profile-user": f"{host}:{directory}$ ",
        "profile-spaced": f"{host}:{directory} # ",
    }[form]


FORMS = ["root", "user", "profile-root", "profile-user", "profile-spaced"]
LOGIN_COMMANDS = [
    "tailscale up",
    "tailscale login",
    "tailscale up --ssh",
    "/usr/local/bin/tailscale up --accept-dns=false",
]


@settings(max_examples=120, deadline=None)
@given(
    form=st.sampled_from(FORMS),
    directory=st.sampled_from(DIRS),
    host=st.sampled_from(HOSTNAMES),
    command=st.sampled_from(LOGIN_COMMANDS),
    fenced=st.booleans(),
)
def test_a_busybox_prompt_is_the_typed_command(
    form: str, directory: str, host: str, command: str, fenced: bool
) -> None:
    """`tailscale up` typed at the prompt, its login prompt below: a pending login, and no skipped line."""
    body = f"{_busybox_prompt(form, directory, host)}{command}\n\nTo authenticate, visit:\n\n\thttps://login.tailscale.com/a/cae2d9c2019d\n\n"
    text = f"```\n{body}```\n" if fenced else body
    document = run_json(text)
    assert "TS-STATUS-NOT-RUNNING" in _rules(document), text
    assert not _skipped(document), (text, document["warnings"])


@settings(max_examples=80, deadline=None)
@given(
    form=st.sampled_from(FORMS),
    directory=st.sampled_from(DIRS),
    host=st.sampled_from(HOSTNAMES),
    offline=st.integers(min_value=1, max_value=3),
)
def test_status_typed_at_a_busybox_prompt_reads_its_rows(form: str, directory: str, host: str, offline: int) -> None:
    rows = [f"100.64.0.{n}   peer-{n}   user@   linux   offline" for n in range(2, 2 + offline)]
    text = f"{_busybox_prompt(form, directory, host)}tailscale status\n" + "\n".join(
        ["100.64.0.1   box   user@   linux   -", *rows]
    )
    document = run_json(text + "\n")
    assert [block["kind"] for block in document["blocks"]] == ["status"], text
    assert document["blocks"][0]["first_line"] == 2
    assert [peer["offline"] for peer in document["peers"]] == [False] + [True] * offline
    assert not _skipped(document), (text, document["warnings"])


@pytest.mark.parametrize(
    "line",
    [
        "/var/lib/tailscale # where the state lives",  # a path annotated in prose
        "/etc/default/tailscaled # set FLAGS here",
        "# Tailscale on Alpine",  # a Markdown heading
        "# the sidecar restarts it",  # a comment line
        "https://example.com/# section",  # a URL's fragment
        "100.64.0.1   box   user@   linux   -",  # a status row
    ],
)
def test_prose_paths_headings_comments_and_rows_are_no_prompt(line: str) -> None:
    from opskit.core.diagnose.text import prompt_command

    assert prompt_command(line) is None


# ------------------------------------------------------------------------------ 2. a login URL cut at the width

URLS = [
    "https://login.tailscale.com/a/cae2d9c2019d",
    "https://login.tailscale.com/a/1a2b3c4d5e6f7a",
    "https://headscale.example.org/register/nodekey:8f3e9b2c4d5a6b7c8d9e0f1a2b3c4d5e",
    "https://controlplane.corp.internal:8443/a/xyz0987654",
]


def _cut(line: str, width: int) -> list[str]:
    """What a terminal `width` columns wide shows: the line in pieces of `width` characters."""
    return [line[at : at + width] for at in range(0, len(line), width)]


@settings(max_examples=150, deadline=None)
@given(
    url=st.sampled_from(URLS),
    cut=st.integers(min_value=3, max_value=30),
    prompt=st.sampled_from(["$ tailscale ssh box\n", "user@laptop:~$ ssh root@box\n", ""]),
    crlf=st.booleans(),
)
def test_ssh_check_banner_url_cut_at_the_width(url: str, cut: int, prompt: str, crlf: bool) -> None:
    visit = f"# To authenticate, visit: {url}"
    width = len(visit) - cut  # the terminal is `cut` columns narrower than the line
    lines = ["# Tailscale SSH requires an additional check.", *_cut(visit, width)]
    text = prompt + ("\r\n" if crlf else "\n").join(lines) + "\n"
    document = run_json(text)
    assert _rules(document) == ["TS-CLI-SSH-CHECK-REQUIRED"], text
    assert not _skipped(document), (text, document["warnings"])
    # the banner's block spans the URL's last piece
    assert document["blocks"][-1]["last_line"] == text.count("\n"), (text, document["blocks"])


@settings(max_examples=150, deadline=None)
@given(
    url=st.sampled_from(URLS),
    cut=st.integers(min_value=3, max_value=30),
    command=st.sampled_from(["tailscale up", "sudo tailscale login", "tailscale up --login-server=https://hs.example"]),
    inline=st.booleans(),
    indent=st.sampled_from(["\t", "", "    "]),
)
def test_up_login_url_cut_at_the_width(url: str, cut: int, command: str, inline: bool, indent: str) -> None:
    line = f"To authenticate, visit: {url}" if inline else f"{indent}{url}"
    width = len(line) - cut
    if width < 20:  # no terminal is that narrow
        width = 20
    pieces = _cut(line, width)
    head = "" if inline else "To authenticate, visit:\n\n"
    text = f"$ {command}\n\n{head}" + "\n".join(pieces) + "\n\nSuccess.\n"
    document = run_json(text)
    rules = _rules(document)
    # (a login then "Success.": TS-CLI-LOGIN-SUCCEEDED since session 16, formerly TS-STATUS-NOT-RUNNING's info)
    assert "TS-CLI-LOGIN-SUCCEEDED" in rules or "TS-CLI-LOGIN-SERVER-MISMATCH" in rules, (text, rules)
    assert not _skipped(document), (text, document["warnings"])


@pytest.mark.parametrize(
    "after",
    [
        "Success.",  # up's closing line glued under the URL: not part of it
        "Report:",
        "100.64.0.2   peer   user@   linux   offline",
    ],
)
def test_what_follows_an_uncut_login_url_is_not_taken_into_it(after: str) -> None:
    text = f"$ tailscale up\nTo authenticate, visit:\n\thttps://login.tailscale.com/a/cae2d9c2019d\n{after}\n"
    document = run_json(text)
    # the login's own finding: pending, or done when "Success." follows (session 16: its own rule)
    assert ("TS-CLI-LOGIN-SUCCEEDED" if after == "Success." else "TS-STATUS-NOT-RUNNING") in _rules(document), text
    from opskit.core.diagnose.blocks import auth_url_tail_end
    from opskit.core.diagnose.text import split_lines

    lines = split_lines(text)
    assert auth_url_tail_end(lines, 2) == 2


def test_a_cut_url_with_no_login_prompt_above_stays_skipped() -> None:
    """Only login URLs are rejoined: a stray token under some other URL is still shown as skipped."""
    text = "$ tailscale status\n100.64.0.1   box   user@   linux   -\nsee https://example.com/docs/some/long/path\nd9c2019d\n"
    document = run_json(text)
    assert any("d9c2019d" in warning for warning in _skipped(document)), document["warnings"]


# --------------------------------------------------------------------- 3. curl transcripts quote the paste as is


@settings(max_examples=120, deadline=None)
@given(
    answer=st.sampled_from(ANSWERS),
    prompt=st.sampled_from(["/app # ", "$ ", "root@nas:~# ", ""]),
    path=st.sampled_from(PATHS),
    version=st.sampled_from([*VERSIONS, None]),
    verbose=st.booleans(),
    glued=st.booleans(),
    http2=st.booleans(),
)
def test_a_curl_refusal_quotes_the_body_as_pasted(
    answer: tuple[str, str, str], prompt: str, path: str, version: str | None, verbose: bool, glued: bool, http2: bool
) -> None:
    status, body, _ = answer
    if verbose:
        paste = _verbose(prompt, SOCKETS[0], "foo", path, status, body, version, glued, http2)
    else:
        paste = _include(prompt, SOCKETS[0], "foo", path, status, body, version)
    document = run_json(paste)
    assert document["findings"], paste
    pasted = paste.splitlines()
    for finding in document["findings"]:
        for evidence in finding["evidence"]:
            assert evidence["text"] == pasted[evidence["line"] - 1].strip(), (evidence, paste)
            assert body in evidence["text"]


# -------------------------------------------------------------------------- 4. web-start reads "web server …"

STAMPS = ["", "2025/02/21 23:54:16 ", "2021/09/01 08:00:00.123456 "]
LISTENS = ["http://localhost:8088", "http://100.101.102.103:8088", "https://[::1]:8443", "http://0.0.0.0:80"]


@settings(max_examples=120, deadline=None)
@given(
    stamp=st.sampled_from(STAMPS),
    listen=st.sampled_from(LISTENS),
    spelling=st.sampled_from(["running", "runNIng"]),
    prompt=st.sampled_from(
        ["$ tailscale web\n", "/app # tailscale web --listen 0.0.0.0:80\n", "", "PS C:\\> tailscale web\n"]
    ),
    client=st.booleans(),
    wrap=st.sampled_from(["{}", "```\n{}```\n", "QUOTE"]),
    trailing=st.sampled_from(["", "  ", "\r"]),
)
def test_web_server_running_on_is_read_by_the_web_start_view(
    stamp: str, listen: str, spelling: str, prompt: str, client: bool, wrap: str, trailing: str
) -> None:
    lines = [f"{stamp}starting tailscaled web client at http://100.101.102.103:5252"] if client else []
    lines.append(f"{stamp}web server {spelling} on: {listen}{trailing}")
    body = "".join(f"{line}\n" for line in lines)
    quoted = "".join(f"> {line}\n" for line in lines)  # a Markdown quote of every line
    text = prompt + (quoted if wrap == "QUOTE" else wrap.format(body))
    document = run_json(text)
    views = [view for view in document["views"] if view["kind"] == "web-start"]
    assert [view["listen"] for view in views] == [listen], (text, document["views"])
    assert not _skipped(document), (text, document["warnings"])
    assert document["summary"]["exit_code"] == 0
