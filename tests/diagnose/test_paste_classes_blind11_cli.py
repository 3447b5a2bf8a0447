"""Generated tests for the two CLI classes blind batch 11 missed (corpus 745, 763), proven on variants:

- `tailscale status` rows whose owner column holds spaces (a Headscale OIDC login name: issuer URL and
  subject split by a space, a display name such as "Jane Doe"), self row first, any OS and status cell;
- `tailscale ip` refusing with "no current Tailscale IPs; state: <State>" (cmd/tailscale/cli/ip.go), for
  every backend state, under a shell prompt, an xtrace `+ ` (read as a prompt) or a fence: kind
  `not-running-state`, the state read as the status state.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.status import is_status_line
from opskit.core.diagnose.text import prompt_command
from tests.diagnose.conftest import by_rule, run_json, run_text

# --------------------------------------------------------------------------- owner column with spaces

OWNERS = [
    "https://auth.example.cn/application/o/headscale dcaba24e364c6ea7c3dd676f3d445f85843028f1f12880dcba46acabf82509ad",
    "Jane Doe",
    "Jane Q. Doe",
    "https://accounts.google.com 1234567890",
]
OS_NAMES = ["linux", "windows", "macOS", "android", "iOS", "freebsd"]
CELLS = [
    ("-", "idle", None),
    ("idle, tx 1052 rx 860", "idle", 1052),
    ("offline", "offline", None),
    ('active; relay "fra", tx 4321 rx 1234', "derp", 4321),
    ("active; direct 203.0.113.7:41641, tx 99 rx 77", "direct", 99),
]
PROMPTS = ["", "$ tailscale status\n", "*** System restart required ***\n➜  ~ tailscale status\n"]


@settings(max_examples=60, deadline=None)
@given(
    owner=st.sampled_from(OWNERS),
    self_os=st.sampled_from(OS_NAMES),
    peer_os=st.sampled_from(OS_NAMES),
    cell=st.sampled_from(CELLS),
    prompt=st.sampled_from(PROMPTS),
    gap=st.sampled_from([" ", "  ", "   "]),
)
def test_rows_whose_owner_holds_spaces_are_read_whole(
    owner: str, self_os: str, peer_os: str, cell: tuple[str, str, int | None], prompt: str, gap: str
) -> None:
    text, path, tx = cell
    paste = (
        f"{prompt}100.64.0.3{gap}haru{gap}{owner}{gap}{self_os}{gap}-\n"
        f"100.64.0.9{gap}peer-one{gap}{owner.replace(' ', '/')}{gap}{peer_os}{gap}{text}\n"
        f"100.64.0.4{gap}peer-two{gap}{owner}{gap}{peer_os}{gap}{text}\n"
    )
    peers = {p["name"]: p for p in run_json(paste)["peers"]}
    assert set(peers) == {"haru", "peer-one", "peer-two"}, paste
    assert peers["haru"]["self"] is True and peers["haru"]["ip"] == "100.64.0.3"
    assert peers["haru"]["os"].lower() == self_os.lower()
    for name in ("peer-one", "peer-two"):
        assert peers[name]["self"] is False
        assert peers[name]["os"].lower() == peer_os.lower()
        assert peers[name]["path"] == path
        assert peers[name]["tx"] == tx


def test_prose_with_many_words_is_not_a_row() -> None:
    """More than three words before an OS word is prose, not an owner column."""
    for prose in (
        "100.64.0.3 is the address I gave this box because it runs linux -",
        "100.64.0.3 is what the box that runs linux - says",
    ):
        assert not is_status_line(prose), prose


# --------------------------------------------------------------------------- tailscale ip: not Running

STATES = [
    ("NeedsLogin", "NeedsLogin", "auth-key"),
    ("NeedsMachineAuth", "BackendState NeedsMachineAuth", "Approve"),
    ("Stopped", "Tailscale is stopped.", "tailscale up"),
    ("Starting", "BackendState Starting", "Retry"),
    ("NoState", "BackendState NoState", "Retry"),
]
WRAPPERS = [
    "{error}\n",
    "$ tailscale ip -4\n{error}\n",
    "+ tailscale up --ssh --advertise-tags=tag:server --authkey=tskey-auth-...\n+ tailscale ip -4\n{error}\n",
    "```\n+ tailscale ip\n{error}\n```\n",
    "+ sudo tailscale up --authkey=tskey-auth-...\n++ /usr/bin/tailscale ip -4\n{error}\n",
    "root@droplet:~# tailscale ip -6\n{error}\n",
    "# tailscale ip -4\n{error}\n",
]


@settings(max_examples=40, deadline=None)
@given(state=st.sampled_from(STATES), wrapper=st.sampled_from(WRAPPERS))
def test_no_current_ips_names_the_backend_state(state: tuple[str, str, str], wrapper: str) -> None:
    name, status_state, fix_word = state
    paste = wrapper.format(error=f"no current Tailscale IPs; state: {name}")
    document = run_json(paste)
    assert [w["kind"] for w in document["windows"]] == ["not-running-state"], paste
    assert [s["state"] for s in document["statuses"]] == [status_state]
    assert document["warnings"] == [], paste  # the xtrace "+ " commands are read as commands, not skipped
    assert document["summary"]["exit_code"] == 1
    (finding,) = by_rule(run_text(paste), "TS-CLI-NOT-RUNNING-STATE")
    assert name in finding.title and fix_word in finding.fix
    # the state is explained once, by the CLI rule, not again as a `tailscale status` message
    assert not by_rule(run_text(paste), "TS-STATUS-NOT-RUNNING")


def test_a_tailscale_ip_that_answered_is_no_problem() -> None:
    paste = "$ tailscale status\n100.101.102.103  box  jane@  linux  -\n$ tailscale ip -4\n100.101.102.103\n"
    document = run_json(paste)
    assert not [w for w in document["windows"] if w["kind"] == "not-running-state"]
    assert document["summary"]["exit_code"] == 0


def test_xtrace_prefix_is_a_prompt_only_for_known_commands() -> None:
    assert prompt_command("+ tailscale ip -4") == "tailscale ip -4"
    assert prompt_command("++ sudo /usr/sbin/tailscaled --state=mem:") == "sudo /usr/sbin/tailscaled --state=mem:"
    for text in ("+ install the package first", "+ added a line", "+tailscale status"):
        assert prompt_command(text) is None, text
