"""Generated tests for Tailscale SSH's check-mode banner (control's SSHAction message, sent by the target's SSH server
as the auth banner when an ssh rule with ``"action": "check"`` finds the user's sign-in older than its check period):

    # Tailscale SSH requires an additional check.
    # To authenticate, visit: https://login.tailscale.com/a/abc123def

Both lines, the two joined on one, the first alone quoted in an error (``ssh: …``, after a handshake error), any
control server's URL, under `tailscale ssh`/`ssh` prompts or none, in fences, markdown quotes, inline code, with
CRLF line ends, the URL cut onto a line of its own: the CLI kind ``ssh-check-required`` (TS-CLI-SSH-CHECK-REQUIRED,
a warning: the session waits for the sign-in, nothing is broken), never ``TS-STATUS-NOT-RUNNING`` (the "To
authenticate, visit:" line is not `tailscale up`'s login prompt) and no skipped line. Negatives: `up`'s login prompt
alone keeps its reading; prose about check mode reads as nothing.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json

HOSTS = ["box", "root@box", "alice@web-1", "db.tail1234.ts.net", "admin@100.101.102.103"]
URLS = [
    "https://login.tailscale.com/a/abc123def",
    "https://login.tailscale.com/a/cae2d9c2019d",
    "https://headscale.example.org/a/7f3e9b2c",
    "https://controlplane.corp.internal:8443/a/xyz",
    "https://login.tailscale.com/a/<redacted>",
]
PROMPTS = ["", "$ tailscale ssh {host}\n", "user@laptop:~$ ssh {host}\n", "% tailscale ssh {host}\n", "❯ ssh {host}\n"]
# How the banner reaches a paste: its two lines as printed, joined on one line, the URL cut onto a third line.
BANNERS = [
    "# Tailscale SSH requires an additional check.\n# To authenticate, visit: {url}\n",
    "# Tailscale SSH requires an additional check. To authenticate, visit: {url}\n",
    "# Tailscale SSH requires an additional check.\n# To authenticate, visit:\n{url}\n",
    "Tailscale SSH requires an additional check.\nTo authenticate, visit: {url}\n",
    "# Tailscale SSH requires an additional check.\r\n# To authenticate, visit: {url}\r\n",
]
WRAPS = ["{b}", "```\n{b}```\n", "```console\n{b}```\n", "{b}\n", "QUOTE"]
# The first line alone, quoted in an error (a CI job, an agent's log, an SSH library's handshake failure).
QUOTED_FIRST_LINE = [
    "error: ssh: Tailscale SSH requires an additional check",
    "ssh: handshake failed: Tailscale SSH requires an additional check",
    "Error: failed to connect to {host}: Tailscale SSH requires an additional check.",
    "The job fails with `# Tailscale SSH requires an additional check.`",
    "kex_exchange_identification: Connection closed by remote host: Tailscale SSH requires an additional check",
]


def _paste(prompt: str, wrap: str, banner: str, host: str, url: str) -> str:
    body = banner.format(url=url)
    quoted = "".join(f"> {line}\n" for line in body.splitlines())  # a markdown quote of every line
    body = quoted if wrap == "QUOTE" else wrap.format(b=body)
    return prompt.format(host=host) + body


def _assert_check_required(text: str, document: dict[str, Any]) -> None:
    assert [error["kind"] for error in document["windows"]] == ["ssh-check-required"], text
    rules = [finding["rule"] for finding in document["findings"]]
    assert rules == ["TS-CLI-SSH-CHECK-REQUIRED"], (text, rules)
    (finding,) = document["findings"]
    assert finding["severity"] == "warning"
    assert "check mode" in finding["cause"] and "logged in" in finding["cause"]
    assert "sign in as the tailnet user the rule names" in finding["fix"]
    assert '`"action": "accept"`' in finding["fix"] and "tagged source node" in finding["fix"]
    assert document["summary"] == {"info": 0, "warning": 1, "error": 0, "exit_code": 1}, text
    assert not document["statuses"], text  # no `tailscale up` login prompt was read
    assert not [w for w in document["warnings"] if "skipped" in w], (text, document["warnings"])


@settings(max_examples=150, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    wrap=st.sampled_from(WRAPS),
    banner=st.sampled_from(BANNERS),
    host=st.sampled_from(HOSTS),
    url=st.sampled_from(URLS),
)
def test_check_mode_banner_is_a_warning_not_a_pending_login(
    prompt: str, wrap: str, banner: str, host: str, url: str
) -> None:
    text = _paste(prompt, wrap, banner, host, url)
    document = run_json(text)
    _assert_check_required(text, document)
    # the evidence is the banner's first line as pasted (with the URL when the banner is one line)
    (evidence,) = document["findings"][0]["evidence"]
    assert "Tailscale SSH requires an additional check" in evidence["text"]
    assert (url in evidence["text"]) == ("check. To authenticate" in banner), evidence


@settings(max_examples=120, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    banner=st.sampled_from(BANNERS[:2]),
    url=st.sampled_from(URLS),
    width=st.integers(min_value=26, max_value=90),
)
def test_banner_soft_wrapped_by_a_narrow_window(prompt: str, banner: str, url: str, width: int) -> None:
    """Each line re-wrapped at a space (a chat box, a narrow terminal copied by hand): the URL is never cut."""
    lines = banner.format(url=url).splitlines()
    wrapped = [piece for line in lines for piece in textwrap.wrap(line, width, break_long_words=False)]
    text = prompt.format(host="box") + "\n".join(wrapped) + "\n"
    _assert_check_required(text, run_json(text))


@settings(max_examples=60, deadline=None)
@given(
    prompt=st.sampled_from(PROMPTS),
    quoted=st.sampled_from(QUOTED_FIRST_LINE),
    host=st.sampled_from(HOSTS),
    fenced=st.booleans(),
)
def test_first_line_quoted_in_an_error(prompt: str, quoted: str, host: str, fenced: bool) -> None:
    line = quoted.format(host=host)
    text = prompt.format(host=host) + (f"```\n{line}\n```\n" if fenced else f"{line}\n")
    _assert_check_required(text, run_json(text))


@settings(max_examples=40, deadline=None)
@given(url=st.sampled_from(URLS[:4]), sudo=st.booleans(), login=st.booleans())
def test_up_login_prompt_alone_keeps_its_reading(url: str, sudo: bool, login: bool) -> None:
    """`tailscale up`/`login` printing "To authenticate, visit:" (no SSH banner above it): a pending login."""
    command = f"{'sudo ' if sudo else ''}tailscale {'login' if login else 'up'}"
    text = f"$ {command}\n\nTo authenticate, visit:\n\n\t{url}\n\n"
    document = run_json(text)
    rules = {finding["rule"] for finding in document["findings"]}
    assert "TS-STATUS-NOT-RUNNING" in rules, (text, rules)
    assert "TS-CLI-SSH-CHECK-REQUIRED" not in rules
    assert "ssh-check-required" not in [error["kind"] for error in document["windows"]]


def test_up_login_prompt_under_an_earlier_ssh_banner_keeps_its_reading() -> None:
    """A later `tailscale up` prompt in the same paste is still a pending login: only the banner's own line is its."""
    text = (
        "$ tailscale ssh root@box\n"
        "# Tailscale SSH requires an additional check.\n"
        "# To authenticate, visit: https://login.tailscale.com/a/abc123def\n"
        "$ sudo tailscale up\n"
        "\n"
        "To authenticate, visit:\n"
        "\n"
        "\thttps://login.tailscale.com/a/0f0f0f0f\n"
    )
    rules = sorted(finding["rule"] for finding in run_json(text)["findings"])
    assert rules == ["TS-CLI-SSH-CHECK-REQUIRED", "TS-STATUS-NOT-RUNNING"], rules


PROSE = [
    "We use Tailscale SSH check mode with a checkPeriod of 12h.",
    "Tailscale SSH requires an additional check when the check period lapses, see the KB.",
    "Why does Tailscale SSH require an additional check every day?",
    "Check mode asks me to authenticate again every morning.",
    "The ssh rule has action check, so it asks for an additional check sometimes.",
]


STATUS_ROWS = "$ tailscale status\n100.64.0.1   laptop   alice@   linux   -\n100.64.0.2   box   alice@   linux   -\n"


@settings(max_examples=30, deadline=None)
@given(sentence=st.sampled_from(PROSE), fenced=st.booleans(), beside_status=st.booleans())
def test_prose_about_check_mode_reads_as_nothing(sentence: str, fenced: bool, beside_status: bool) -> None:
    text = f"```\n{sentence}\n```\n" if fenced else f"{sentence}\n"
    if not beside_status:
        with pytest.raises(InputError):  # nothing opskit knows: exit 2, not a reading
            run_json(text)
        return
    document = run_json(text + STATUS_ROWS)
    assert not document["windows"], text
    assert "TS-CLI-SSH-CHECK-REQUIRED" not in {finding["rule"] for finding in document["findings"]}, text
