"""serve's "handler does not exist" printed alone under the `tailscale serve …` / `funnel …` command that got it.

The message is generic words, so the CLI refusals catalog reads it anywhere only with a serve word on its line.
The CLI prints it bare, as its whole answer: cmd/tailscale/cli/serve.go (1.34-1.50) and serve_legacy.go (since)
``error: handler does not exist``; serve_v2.go 1.52-1.84 ``error: failed to remove web serve: error: handler does
not exist`` and 1.86+ ``error: failed to remove web serve: handler does not exist`` (then the usage text); 1.86+
``error: failed to remove web serve: service does not exist`` / ``failed to remove TUN serve: …`` for a
``--service`` it does not hold. Under a typed serve/funnel command every form is CLI kind serve-failed with the
catalog's cause and fix; the bare words under any other command, or under none, stay unread.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json

PROMPTS = ["$ ", "$ sudo ", "root@pi:~# ", "PS C:\\Users\\me> ", "> ", "", "admin@nas:/volume1$ sudo "]
SERVE_COMMANDS = [
    "tailscale serve --https=443 off",
    "tailscale serve --bg --set-path=/api off",
    "tailscale serve https / off",  # the pre-1.52 syntax
    "tailscale funnel 443 off",
    "tailscale funnel --https=8443 off",
    "tailscale.exe serve --http=80 off",
    "/usr/local/bin/tailscale --socket=/tmp/ts.sock serve --tcp=5432 off",
]
HANDLER_ANSWERS = [
    "error: handler does not exist",  # serve.go / serve_legacy.go
    "handler does not exist",  # the same, its "error: " trimmed
    "error: failed to remove web serve: error: handler does not exist",  # serve_v2.go 1.52-1.84
    "error: failed to remove web serve: handler does not exist",  # serve_v2.go 1.86+
]
# what may follow: nothing, or serve_v2's usage text after a blank line (errHelpFunc)
AFTER = [[], ["", "USAGE", "  tailscale serve <target>"]]


@given(
    st.sampled_from(PROMPTS), st.sampled_from(SERVE_COMMANDS), st.sampled_from(HANDLER_ANSWERS), st.sampled_from(AFTER)
)
@settings(max_examples=80, deadline=None)
def test_handler_does_not_exist_under_serve_is_serve_failed(
    prompt: str, command: str, answer: str, after: list[str]
) -> None:
    text = "\n".join([f"{prompt}{command}", answer, *after])
    document = run_json(text)
    kinds = [error["kind"] for error in document["windows"] or []]
    assert kinds == ["serve-failed"], (text, kinds)
    finding = next(f for f in document["findings"] if f["rule"] == "TS-CLI-SERVE-FAILED")
    assert "handler" in finding["cause"] and "serve status" in finding["fix"]


@pytest.mark.parametrize("answer", ["error: service does not exist", "service does not exist"])
def test_service_does_not_exist_under_serve_service_is_serve_failed(answer: str) -> None:
    document = run_json(f"$ sudo tailscale serve --service=svc:db --https=443 off\n{answer}\n")
    assert [error["kind"] for error in document["windows"] or []] == ["serve-failed"]
    finding = next(f for f in document["findings"] if f["rule"] == "TS-CLI-SERVE-FAILED")
    assert "Service" in finding["cause"]


OTHER_COMMANDS = [
    "curl -X DELETE http://127.0.0.1:8080/handlers/api",
    "kubectl delete handler api",
    "tailscale status",
    "tailscale up --ssh",
    "caddy reload",
]


@given(st.sampled_from(PROMPTS[:4]), st.sampled_from(OTHER_COMMANDS), st.sampled_from(HANDLER_ANSWERS[:2]))
@settings(max_examples=40, deadline=None)
def test_the_bare_words_under_another_command_are_not_serve_failed(prompt: str, command: str, answer: str) -> None:
    text = f"{prompt}{command}\n{answer}\n"
    try:
        kinds = [error["kind"] for error in run_json(text)["windows"] or []]
    except InputError:
        return  # nothing recognised: right
    assert "serve-failed" not in kinds, (text, kinds)


@pytest.mark.parametrize(
    "text",
    [
        "error: handler does not exist\n",
        "handler does not exist\n",
        "$ sudo tailscale serve --https=443 off\nthe docs say the handler does not exist yet\n",
        "$ tailscale up --ssh\nerror: service does not exist\n",
        "$ tailscale serve --https=443 off\nerror: service does not exist\n",  # no --service: not serve's words
    ],
)
def test_no_serve_command_no_serve_failed(text: str) -> None:
    try:
        kinds = [error["kind"] for error in run_json(text)["windows"] or []]
    except InputError:
        return
    assert "serve-failed" not in kinds, kinds
