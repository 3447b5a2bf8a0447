"""Generated tests for session 17's leftovers in `opskit diagnose` (what a user sees in the JSON document).

1. A flattened paste (line breaks turned to spaces) whose only Tailscale message is a one-line state answer
   (`$ tailscale status Logged out.`) reads as the unflattened paste does; prose and other commands do not.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from opskit.errors import InputError
from tests.diagnose.conftest import run_json


def _reading(document: dict[str, Any]) -> tuple[object, ...]:
    """What a user sees of a state answer: exit code, findings, the status state, the CLI errors."""
    return (
        document.get("summary", {}).get("exit_code", document.get("exit_code")),
        sorted((finding["rule"], finding["severity"]) for finding in document.get("findings", [])),
        [status["state"] for status in document.get("statuses") or []],
        [error["kind"] for error in document.get("windows") or []],
    )


# ------------------------------------------------------------------ 1. a flattened one-line state answer

_PROMPTS = ("$ ", "# ", "PS C:\\> ", "user@host:~$ ", "root@pi-4:/etc# ", "C:\\Users\\me> ", "> ")
_COMMANDS = ("tailscale status", "sudo tailscale up", "tailscale ip -4", "tailscale.exe status", "tailscale up --ssh")
_STATES = ("Logged out.", "Tailscale is stopped.", "Machine is not yet approved by tailnet admin.")
_AFTER = ("", " user@host:~$ ", " $ sudo systemctl status tailscaled")


@pytest.mark.parametrize(
    ("prompt", "command", "state", "after"), list(itertools.product(_PROMPTS, _COMMANDS, _STATES, _AFTER))
)
def test_flattened_state_answer_reads_as_the_unflattened_paste(
    prompt: str, command: str, state: str, after: str
) -> None:
    flattened = run_json(f"{prompt}{command} {state}{after}\n")
    unflattened = run_json(f"{prompt}{command}\n{state}\n{after.strip()}\n")
    assert _reading(flattened) == _reading(unflattened)
    assert _reading(flattened)[0] == 1  # a node not up is a problem, never "no problems"
    assert [status["state"] for status in flattened["statuses"]] == [state]


@pytest.mark.parametrize(
    "text",
    [
        f"{lead}{state}{tail}"
        for lead, state, tail in itertools.product(
            ("I saw ", "$ echo ", "it said ", "$ grep -r ", "the app showed "), _STATES, ("", " yesterday", " again")
        )
    ],
)
def test_a_state_answer_not_after_a_typed_tailscale_command_stays_prose(text: str) -> None:
    try:
        document = run_json(text + "\n")
    except InputError:
        return  # nothing recognised: no state read
    assert document["statuses"] == []
