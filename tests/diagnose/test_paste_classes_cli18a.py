"""Generated tests for the CLI/GUI classes blind batch 18 missed (corpus 423, 424, 428, 918, 919).

Each class is proven on generated variants (prompts, log stamps, wrappings, versions, wordings from
Tailscale's source), not only on the paste that showed it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import cli_kinds, rule_ids, run_text

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
