"""`tailscale status`'s health block as Markdown left it (fix18-status, blind 426).

cli/status.go printHealth prints ``# Health check:`` and one ``#     - <message>`` line per warning. Outside a
fence GitHub renders the first as a heading and the items as a list, so what people copy or type holds
``Health check:`` and ``- <message>`` (or ``* ``), often each in inline code and indented. The user must see
the status block and its health messages, not an error of some other command.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json

MESSAGES = [
    'not logged in, last login error=register request: Post "https://controlplane.tailscale.com/machine/register":'
    " all connection attempts failed (HTTP: unexpected HTTP response: 200 OK, HTTPS: x509: certificate signed by"
    " unknown authority)",
    "not connected to home DERP region 12",
    "Tailscale can't reach the configured DNS servers. Internet connectivity may be affected.",
    "Unable to connect to the Tailscale coordination server to synchronize the state of your tailnet. Peer "
    "reachability might degrade over time.",
]


@given(
    messages=st.lists(st.sampled_from(MESSAGES), min_size=1, max_size=3, unique=True),
    code=st.booleans(),
    bullet=st.sampled_from(["-", "*"]),
    indent=st.sampled_from(["", "  ", "     "]),
    gap=st.booleans(),
    fence=st.sampled_from([("", ""), ("```\n", "\n```")]),
    prose=st.sampled_from(["", "Running tailscale status on the server prints:\n\n"]),
)
@settings(max_examples=60, deadline=None)
def test_a_health_block_without_its_hash_marks_is_read_as_status(
    messages: list[str], code: bool, bullet: str, indent: str, gap: bool, fence: tuple[str, str], prose: str
) -> None:
    tick = "`" if code else ""
    body = [f"{tick}Health check:{tick}"] + ([""] if gap else [])
    body += [f"{indent}{bullet} {tick}{message}{tick}" for message in messages]
    text = prose + fence[0] + "\n".join(body) + fence[1] + "\n"
    document = run_json(text)
    assert [b["kind"] for b in document["blocks"]] == ["status"], text
    (status,) = document["statuses"]
    assert status["health"] == messages, text
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "Health check:\n\nEverything looked fine after the upgrade.\n",  # a heading of prose, no list below it
        "Health check:\n- [x] the box reboots\n- [ ] docs updated\n",  # a checklist, not health messages
    ],
)
def test_a_health_check_heading_over_other_text_is_not_a_status(text: str) -> None:
    from opskit.core.diagnose.blocks import split_input

    assert all(block.kind != "status" for block in split_input(text).blocks), text
