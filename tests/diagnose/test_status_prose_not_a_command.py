"""A sentence that starts with `tailscale status …` and quotes a health message is prose, not a typed command.

`tailscale status shows "Some peers are advertising routes but --accept-routes is false"` used to be taken whole
as a command typed without a prompt (text.prompt_command), so nothing of it was read. The words after a
subcommand are now checked (text.is_prose_after_subcommand): a verb of a sentence, or a quoted phrase where the
subcommand takes no argument, is prose; flags, their values, arguments, pipes and redirections are a command.
The quoted message then reads as `tailscale status`'s health item, as in its `# Health check:` block.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.text import prompt_command, split_lines
from tests.diagnose.conftest import run_json

HEALTH = [
    "Some peers are advertising routes but --accept-routes is false",
    "not connected to home DERP region 12",
    "Tailscale could not connect to any relay server. Check your internet connection.",
    "Unable to connect to the Tailscale coordination server to synchronize the state of your tailnet",
    "Tailscale can't reach the configured DNS servers. Internet connectivity may be affected.",
]
LEADS = ["tailscale status", "Tailscale status", "tailscale status --peers=false", "TAILSCALE STATUS"]
VERBS = ["shows", "says", "still shows", "reports", "keeps saying", "printed", "gives"]
QUOTINGS = ['"{m}"', "`{m}`", ": {m}", ': "{m}"', ": # Health check: #     - {m}"]


@given(
    st.sampled_from(LEADS),
    st.sampled_from(VERBS),
    st.sampled_from(QUOTINGS),
    st.sampled_from(HEALTH),
    st.sampled_from(["", " (on my laptop)"]),
)
@settings(max_examples=120, deadline=None)
def test_a_sentence_about_status_quoting_health_reads_as_health(
    lead: str, verb: str, quoting: str, message: str, tail: str
) -> None:
    quoted = quoting.format(m=message)
    text = f"{lead} {verb} {quoted}" + (tail if quoted.endswith(('"', "`")) else "")
    assert all(line.command is None for line in split_lines(text)), text
    document = run_json(text)
    assert [block["kind"] for block in document["blocks"]] == ["status"], (text, document["blocks"])
    health = [item for status in document["statuses"] for item in status["health"]]
    assert len(health) == 1 and message.rstrip(".").startswith(health[0][:40]), (text, health)
    assert "TS-STATUS-HEALTH" in {finding["rule"] for finding in document["findings"]}


PROMPTS = ["", "$ ", "$ sudo ", "PS C:\\> ", "PS C:\\Users\\me> ", "root@nas:~# ", "> "]
COMMANDS = [
    "tailscale status",
    "tailscale status --json",
    "tailscale status --peers=false",
    "tailscale status | grep offline",
    "tailscale status --json | jq .Health",
    "tailscale status 2>&1",
    "tailscale status > status.txt",
    "tailscale.exe status --active",
    "tailscale ping -c 5 nas",
    "tailscale ping --tsmp 100.101.102.103",
    "tailscale up --hostname 'my box' --accept-routes",
    "tailscale up --login-server https://hs.example.com --authkey tskey-auth-xxxx",
    "tailscale funnel 443 on",
    "tailscale serve --bg 3000",
    "tailscale lock status --json",
    "tailscale exit-node list",
    "tailscale set --exit-node= --exit-node-allow-lan-access",
    "tailscale --socket=/tmp/ts.sock status",
]


@given(st.sampled_from(PROMPTS), st.sampled_from(COMMANDS))
@settings(max_examples=120, deadline=None)
def test_real_commands_still_read_as_commands(prompt: str, command: str) -> None:
    expected = f"sudo {command}" if prompt.endswith("sudo ") else command
    assert prompt_command(f"{prompt}{command}") == expected


@pytest.mark.parametrize(
    ("text", "health"),
    [
        ("$ tailscale status\n# Health check:\n#     - not connected to home DERP region 12", "not connected"),
        (
            "tailscale status\n# Health check:\n#     - Some peers are advertising routes but --accept-routes is false",
            "Some peers",
        ),
        ("tailscale status says:\n# Health check:\n#     - not connected to home DERP region 3", "not connected"),
    ],
)
def test_status_output_under_its_command_keeps_its_health(text: str, health: str) -> None:
    document = run_json(text)
    items = [item for status in document["statuses"] for item in status["health"]]
    assert len(items) == 1 and items[0].startswith(health)


@pytest.mark.parametrize(
    "text",
    [
        'tailscale status shows "offline" for my laptop',  # quotes a status cell, not a health message
        'tailscale status shows the node as "idle" but ping fails',
    ],
)
def test_a_sentence_quoting_no_health_message_raises_no_health(text: str) -> None:
    assert prompt_command(text) is None
    try:
        document = run_json(text)
    except Exception:  # nothing recognised (InputError): right
        return
    assert not [item for status in document["statuses"] for item in status["health"]]
