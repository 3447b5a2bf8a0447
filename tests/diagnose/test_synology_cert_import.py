"""Generated tests for DSM's refusal of `tailscale configure synology-cert` (blind batch 25, corpus 1145): the
CLI prints synowebapi's JSON error with Go's %v of *apiError (cmd/tailscale/cli/configure-synology-cert.go:225,
"error response from %q method of %q API: %v" → "&{5598 }", code then the usually empty text). Every method,
code and wrapping reads as `cert-failed` (one name per concept), the finding names DSM's code, and the import's
refusal names DSM 6 (reported refused there, accepted by DSM 7).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import by_rule, run_json, run_text

APIS = ["SYNO.Core.Certificate", "SYNO.Core.Certificate.CRT"]
METHODS = ["import", "list"]
CODES = ["5598", "5508", "105", "119"]
BODIES = ["&{{{code} }}", "&{{{code} certificate import failed}}", "map[code:{code}]"]
QUOTES = [('"', '"'), ("\u201c", "\u201d")]
COMMANDS = ["", "# tailscale configure synology-cert", "admin@nas:~$ sudo tailscale configure synology-cert"]
WRAPS = ["{t}", "```\n{t}\n```", "```console\n{t}\n```\n"]


@given(
    st.sampled_from(APIS),
    st.sampled_from(METHODS),
    st.sampled_from(CODES),
    st.sampled_from(BODIES),
    st.sampled_from(QUOTES),
    st.sampled_from(COMMANDS),
    st.sampled_from(WRAPS),
)
@settings(max_examples=60, deadline=None)
def test_dsm_api_refusals_are_cert_failed_naming_the_code(
    api: str, method: str, code: str, body: str, quotes: tuple[str, str], command: str, wrap: str
) -> None:
    left, right = quotes
    message = f"error response from {left}{method}{right} method of {left}{api}{right} API: " + body.format(code=code)
    text = wrap.format(t="\n".join(([command] if command else []) + [message]))
    document = run_json(text)
    assert [w["kind"] for w in document["windows"]] == ["cert-failed"], text
    assert document["summary"]["exit_code"] == 1
    (finding,) = by_rule(run_text(text), "TS-CLI-CERT-FAILED")
    assert f"DSM error code {code}" in finding.cause, (text, finding.cause)
    assert ("DSM 6" in finding.cause) is (method == "import"), (text, finding.cause)
    assert "Control Panel > Security > Certificate" in finding.fix


def test_a_failed_synowebapi_call_without_a_code_stays_cert_failed() -> None:
    text = 'calling "list" method of "SYNO.Core.Certificate.CRT" API: exit status 255, \n'
    assert [w["kind"] for w in run_json(text)["windows"]] == ["cert-failed"]
