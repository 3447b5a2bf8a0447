"""Generated tests for the `tailscale up` refusal in its 2021 wordings (blind batch 25, corpus 1262): the
"'tailscale up' without --reset requires …" head of v1.8 (cmd/tailscale/cli/up.go:632) and of April 2021's
development builds ("… requires explicitly mentioning all non-default or changing values:"), under a prompt
or none, in a fence, with the suggested command indented by a tab or spaces and `go run`'s "exit status 1".
Each reads as `up-flags-required`, the suggested command becomes the finding's fix, and the daemon is not
called stopped.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import by_rule, run_json, run_text

HEADS = [
    "'tailscale up' without --reset requires explicitly mentioning all non-default or changing values:",
    "'tailscale up' without --reset requires all preferences with changing values to be explicitly mentioned; "
    'this command would change the value of flagless pref "RouteAll"',
    "'tailscale up' without --reset requires all preferences with changing values to be explicitly mentioned; "
    "--advertise-exit-node flag not mentioned but currently advertised routes are an exit node",
    "'tailscale up' without --reset requires all preferences with changing values to be explicitly mentioned; "
    "--exit-node is not specified but an exit node is currently configured",
]
PROMPTS = ["", "$ ", "# ", "user@host:~$ ", "PS C:\\> "]
FLAGS = ["--accept-dns --accept-routes", "--ssh", "--advertise-exit-node"]
SUGGESTED = ["--advertise-routes=10.10.0.0/16,10.11.0.0/16", "--exit-node=100.64.0.7", "--hostname=nas"]
INDENTS = ["\t", "    ", "        "]
TAILS = ["", "exit status 1", "exit status 1\n$"]
WRAPS = ["{t}", "```\n{t}\n```", "```console\n{t}\n```\n"]


@given(
    st.sampled_from(HEADS),
    st.sampled_from(PROMPTS),
    st.sampled_from(FLAGS),
    st.sampled_from(SUGGESTED),
    st.sampled_from(INDENTS),
    st.sampled_from(TAILS),
    st.sampled_from(WRAPS),
    st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_the_2021_up_refusal_heads_are_up_flags_required(
    head: str, prompt: str, flags: str, suggested: str, indent: str, tail: str, wrap: str, blank: bool
) -> None:
    lines = [f"{prompt}tailscale up {flags}", head]
    if head.endswith(":"):  # the development build printed the command to run under it
        lines += [""] if blank else []
        lines += [f"{indent}tailscale up {flags} {suggested}"]
    lines += tail.split("\n") if tail else []
    text = wrap.format(t="\n".join(lines))
    document = run_json(text)
    kinds = [w["kind"] for w in document["windows"]]
    assert kinds == ["up-flags-required"], text
    assert document["summary"]["exit_code"] == 1
    (finding,) = by_rule(run_text(text), "TS-UP-FLAGS-REQUIRED")
    if head.endswith(":"):
        assert f"tailscale up {flags} {suggested}" in finding.fix, (text, finding.fix)


def test_prose_about_reset_is_not_a_refusal() -> None:
    # the words without the CLI's command head stay prose: nothing is read from them
    from opskit.core.diagnose.cli_catalog import find_refusal

    assert find_refusal("Running up without --reset requires care when you mention flags.") is None
