"""Generated tests: one reading per answer of the CLI's risk prompt (cli/risks.go presentRiskToUser). After the
exit-node rp-filter risk (v1.68-v1.96 "The following issues on your machine will likely make usage of exit nodes
impossible:" … "To skip this warning, use --accept-risk=linux-strict-rp-filter", then "Continue? [y/N]"), the
abort ("aborted, no changes made") answers that risk's own question: it reads as `exit-node-rp-filter-risk` only,
its finding saying nothing changed; after another risk (lose-ssh) the abort stays `risk-not-accepted`.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import by_rule, run_json, run_text

COMMANDS = [
    "$ sudo tailscale set --exit-node=nas",
    "# tailscale up --exit-node=100.64.0.9",
    "tailscale up --exit-node=lizard",
]
NICS = [["eth0"], ["ens4", "tailscale0"], ["enp3s0", "wlan0", "docker0"]]
PROMPTS = ["Continue? [y/N] n", "Continue? [y/N] ", "Continue? [y/N]", ""]
WRAPS = ["{t}", "```\n{t}\n```", "```console\n{t}\n```\n"]


def _risk(nics: list[str]) -> list[str]:
    return [
        "The following issues on your machine will likely make usage of exit nodes impossible:",
        *(f'- interface "{nic}" has strict reverse-path filtering enabled' for nic in nics),
        "Please set rp_filter=2 instead of rp_filter=1; see https://github.com/tailscale/tailscale/issues/3310",
        "To skip this warning, use --accept-risk=linux-strict-rp-filter",
    ]


@given(
    st.sampled_from(COMMANDS),
    st.sampled_from(NICS),
    st.sampled_from(PROMPTS),
    st.booleans(),
    st.sampled_from(WRAPS),
)
@settings(max_examples=50, deadline=None)
def test_the_abort_after_the_rp_filter_risk_is_that_risks_answer(
    command: str, nics: list[str], prompt: str, aborted: bool, wrap: str
) -> None:
    lines = [command, *_risk(nics)] + ([prompt] if prompt else []) + (["aborted, no changes made"] if aborted else [])
    text = wrap.format(t="\n".join(lines))
    assert [w["kind"] for w in run_json(text)["windows"]] == ["exit-node-rp-filter-risk"], text
    report = run_text(text)
    assert not by_rule(report, "TS-CLI-RISK-NOT-ACCEPTED"), text
    (finding,) = by_rule(report, "TS-CLI-EXIT-NODE-RP-FILTER-RISK")
    assert ("nothing changed" in finding.cause) is aborted, (text, finding.cause)
    assert all(nic in finding.cause for nic in nics)


def test_the_abort_after_another_risk_stays_risk_not_accepted() -> None:
    text = (
        "$ sudo tailscale down\n"
        "You are connected over Tailscale; this action will disable Tailscale and result in your session "
        "disconnecting.\n"
        "To skip this warning, use --accept-risk=lose-ssh\n"
        "Continue? [y/N] n\n"
        "aborted, no changes made\n"
    )
    assert set(w["kind"] for w in run_json(text)["windows"]) == {"risk-not-accepted"}
