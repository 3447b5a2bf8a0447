"""Generated tests for Tailscale SSH's policy banner as people paste it (blind batch 25, corpus 1144): tailssh's
errBanner ("tailscale: " + message, ssh/tailssh/tailssh.go: "failed to evaluate tailnet policy", before 1.86
"failed to evaluate SSH policy") retyped with the verb misspelt, with the ssh client's next words glued to it
("…policyConnection closed by 100.64.0.5 port 22"), between lone backticks, in a fence, after the ssh command.
Each reads as `ssh-failed`; prose about a policy that is not the banner stays out.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.text import SourceLine
from opskit.core.diagnose.windows import parse_windows_error
from tests.diagnose.conftest import run_json

VERBS = ["evaluate", "eveluate", "evalute", "evaulate", "evaluete"]
POLICIES = ["SSH", "tailnet"]
GLUED = ["", "Connection closed by 100.101.102.103 port 22", "\nConnection to nas closed.", "."]
COMMANDS = ["", "$ ssh root@nas", "PS C:\\> ssh admin@100.64.0.5", "~ ❯ tailscale ssh pi@raspberrypi"]
WRAPS = ["{t}", "`\n{t}\n`", "```\n{t}\n```", "> {t}"]


@given(
    st.sampled_from(VERBS),
    st.sampled_from(POLICIES),
    st.sampled_from(GLUED),
    st.sampled_from(COMMANDS),
    st.sampled_from(WRAPS),
)
@settings(max_examples=60, deadline=None)
def test_the_policy_banner_retold_is_ssh_failed(verb: str, policy: str, glued: str, command: str, wrap: str) -> None:
    banner = f"tailscale: failed to {verb} {policy} policy{glued}"
    text = wrap.format(t="\n".join(([command] if command else []) + [banner]))
    document = run_json(text)
    assert "ssh-failed" in [w["kind"] for w in document["windows"]], text
    assert "service-not-running" not in [w["kind"] for w in document["windows"]], text
    assert document["summary"]["exit_code"] == 1


def test_prose_about_a_policy_is_not_the_banner() -> None:
    for prose in ("We failed to update SSH policy docs last week.", "I failed to understand the tailnet policy"):
        assert parse_windows_error(SourceLine(1, prose)) is None, prose
