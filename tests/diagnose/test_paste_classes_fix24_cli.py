"""Generated tests for blind batch 24's CLI classes (corpus 1020, 1005, 1110, 1021, 1100).

- `tailscale update` refusals of clientupdate (cmd/tailscale/cli/update.go, clientupdate/*.go): the Windows
  updater needs an elevated terminal ("update must be run as Administrator", v1.48-v1.50 without "update "), the
  Unix updaters need root ("must be root; use sudo|doas"), the Debian updater edits only the one-line
  /etc/apt/sources.list.d/tailscale.list (a deb822 tailscale.sources setup fails with "open …tailscale.list: no
  such file or directory"): update-failed, whatever the confirmation prompt and the prompt before it
  (corpus 1020, 1005).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import run_json

UPDATE_PROMPTS = [
    "C:\\Users\\me>tailscale update\n",
    "PS C:\\Windows\\system32> tailscale update --yes\n",
    "$ tailscale update\n",
    "root@host:~# tailscale update\n",
    "tailscale update\n",
    "",
]
CONFIRMS = [
    "",
    "This will update Tailscale from 1.49.288 to 1.51.194. Continue? [y/n] y\n",
    "This will update Tailscale from 1.94.1 to 1.94.2. Continue? [Y/n] y\n",
]
UPDATE_REFUSALS = [
    ("must be run as Administrator", "Administrator"),
    ("update must be run as Administrator", "Administrator"),
    ("must be root; use sudo", "root"),
    ("must be root; use doas", "root"),
    ("open /etc/apt/sources.list.d/tailscale.list: no such file or directory", "tailscale.sources"),
    ("open /etc/apt/sources.list.d/tailscale.list: permission denied", "tailscale.sources"),
    ("unexpected/unsupported /etc/apt/sources.list.d/tailscale.list contents", "tailscale.sources"),
]
WRAPS = ["{m}", "```\n{m}\n```", "{m}\nroot@Proxmox:~# cat /etc/apt/sources.list.d/tailscale.sources\nTypes: deb\n"]
NOT_UPDATE = {"service-not-running", "install-failed", "pipe-missing", "unix-access-denied"}


@given(
    st.sampled_from(UPDATE_PROMPTS),
    st.sampled_from(CONFIRMS),
    st.sampled_from(UPDATE_REFUSALS),
    st.sampled_from(WRAPS),
)
@settings(max_examples=80, deadline=None)
def test_update_refusals_are_update_failed_with_their_cause(
    prompt: str, confirm: str, refusal: tuple[str, str], wrap: str
) -> None:
    message, cause_word = refusal
    text = wrap.format(m=prompt + confirm + message) + "\n"
    document = run_json(text)
    kinds = [error["kind"] for error in document["windows"] or []]
    assert "update-failed" in kinds and not NOT_UPDATE & set(kinds), (kinds, text)
    causes = [f["cause"] + f["fix"] for f in document["findings"] if f["rule"] == "TS-CLI-UPDATE-FAILED"]
    assert causes and cause_word in causes[0], causes
    assert document["summary"]["exit_code"] == 1
