"""Generated tests for blind batch 46's misses (corpus 2720, 2721), read as a class (what a user sees in the JSON).

Headscale's RegisterNode refuses a key of the wrong form before any look-up, one wording per generation (v0.15-v0.22
a `nodekey:` key, v0.23-v0.24 an `mkey:` key: Tailscale's key parser's "key hex string doesn't have expected type
prefix …" / "key hex has the wrong size, got N want 64"; v0.25-v0.28 "registration ID must be 24 characters long";
v0.29+ "auth ID has invalid prefix|length: …"), and a user that does not exist ("looking up user: user not found",
older "failed to find user in register node|machine from auth callback, user not found"). Each is
headscale-register-failed whether the CLI ("Cannot register node: …", "Error: registering node: rpc error: …",
`--output json`), the REST gateway ({"code":2,"message":"…","details":[]}, after a curl with its headers) or a web UI
("Failed to create node: …") shows it; the finding names the key/ID that version wants and the register command.
An Authorization header's credential in a pasted curl never reaches the output. Tailscale's own uses of the key
wordings (`tailscale lock sign`), a `nodekey:` in status JSON and a web UI's unrelated "Failed to create …" are not
read as it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.errors import InputError
from tests.diagnose.conftest import run_json

_HEX = "d0931bbf4a39f3538b641ae5d10a71245a4ca73367656b29e947b3edb3500a59"


def _json(text: str) -> dict[str, Any] | None:
    """The JSON document, or None when nothing was recognised (exit 2)."""
    try:
        return run_json(text)
    except InputError:
        return None


def _windows(document: dict[str, Any] | None) -> list[str]:
    return [] if document is None else [error["kind"] for error in document["windows"] or []]


def _finding(document: dict[str, Any]) -> dict[str, Any]:
    found = [f for f in document["findings"] if f["rule"] == "TS-CLI-HEADSCALE-REGISTER-FAILED"]
    assert len(found) == 1, document["findings"]
    return found[0]


# (message, what the fix must name: the key/ID or the command that version wants)
_MESSAGES = (
    ("registration ID must be 24 characters long", ("--key <id>", "/register/")),
    ('auth ID has invalid prefix: expected prefix "hskey-authreq-"', ("hskey-authreq-", "--auth-id <id>")),
    ("auth ID has invalid length: expected 38, got 24", ("hskey-authreq-", "--auth-id <id>")),
    ("key hex string doesn't have expected type prefix mkey:", ("--key mkey:<hex>", "/register/")),
    ("key hex string doesn't have expected type prefix nodekey:", ("--key nodekey:<hex>", "/register/")),
    ("key hex has the wrong size, got 24 want 64", ("headscale nodes register --user", "/register/")),
    ("looking up user: user not found", ("headscale users list", "headscale nodes register --user")),
    (
        "failed to find user in register node from auth callback, user not found",
        ("headscale users list", "headscale nodes register --user"),
    ),
    (
        "failed to find user in register machine from auth callback, User not found",
        ("headscale users list", "headscale nodes register --user"),
    ),
)


def _wrapped(form: str, message: str) -> str:
    grpc = f"rpc error: code = Unknown desc = {message}"
    as_json = json.dumps(message)[1:-1]  # the gateway's and --output json's string escaping
    return {
        "cli": f"Cannot register node: {message}",
        "cli-old": f"Cannot register machine: {message}",
        "cli-grpc": f"Cannot register node: {grpc}",
        "v0.29": f"Error: registering node: {grpc}",
        "output-json": '{\n\t"error": "rpc error: code = Unknown desc = ' + as_json + '"\n}',
        "gateway": '{"code":2,"message":"' + as_json + '","details":[]}',
        "gateway-zsh": 'Response: {"code":2,"message":"' + as_json + '","details":[]}%',
        "gateway-spaced": '{\n  "code": 2,\n  "message": "' + as_json + '",\n  "details": []\n}',
        "web-ui": f"Failed to create node: {message}.",
        "web-ui-machine": f"Error: failed to register machine: {message}",
    }[form]


_FORMS = (
    "cli",
    "cli-old",
    "cli-grpc",
    "v0.29",
    "output-json",
    "gateway",
    "gateway-zsh",
    "gateway-spaced",
    "web-ui",
    "web-ui-machine",
)


def _curl(user: str, key: str, token: str, header_case: str) -> str:
    header = "authorization" if header_case == "lower" else "Authorization"
    return (
        f"curl 'https://hs.example.com/api/v1/node/register?user={user}&key={key}' \\\n"
        "  -H 'accept: application/json' \\\n"
        f"  -H '{header}: Bearer {token}' \\\n"
        "  -H 'content-type: text/plain;charset=UTF-8' \\\n"
        "  --data-raw '{}'\n\n"
    )


_LEADS = (
    "",
    f"headscale nodes register --user alice --key nodekey:{_HEX}\n",
    "$ docker exec headscale headscale nodes register --user alice --key mkey:abc\n",
    "root@hs:~# headscale -n default nodes register --key 7uTmQzYv3kWcR2pLx9nB0aEe\n",
)


@pytest.mark.parametrize("message,names", _MESSAGES, ids=[m[:40] for m, _ in _MESSAGES])
@given(form=st.sampled_from(_FORMS), lead=st.sampled_from(_LEADS), fenced=st.booleans())
@settings(max_examples=25, deadline=None)
def test_every_register_refusal_is_headscale_register_failed(
    message: str, names: tuple[str, ...], form: str, lead: str, fenced: bool
) -> None:
    body = lead + _wrapped(form, message) + "\n"
    text = f"```\n{body}```\n" if fenced else body
    document = _json(text)
    assert document is not None, text
    assert _windows(document) == ["headscale-register-failed"], (text, document["blocks"])
    assert document["summary"]["exit_code"] == 1
    finding = _finding(document)
    assert "client is fine" in finding["cause"], finding
    for name in names:
        assert name in finding["fix"], (name, finding["fix"])


@given(
    message=st.sampled_from([m for m, _ in _MESSAGES]),
    user=st.sampled_from(("amol", "alice", "ops-team")),
    key=st.sampled_from((f"nodekey:{_HEX}", f"mkey:{_HEX}", "7uTmQzYv3kWcR2pLx9nB0aEe", _HEX[:20])),
    token=st.from_regex(r"(?:hskey-api-)?[A-Za-z0-9_.\-]{12,40}", fullmatch=True),
    header_case=st.sampled_from(("lower", "title")),
)
@settings(max_examples=60, deadline=None)
def test_a_pasted_curl_s_bearer_token_never_reaches_the_output(
    message: str, user: str, key: str, token: str, header_case: str
) -> None:
    text = _curl(user, key, token, header_case) + _wrapped("gateway-zsh", message) + "\n"
    document = _json(text)
    assert document is not None, text
    assert _windows(document) == ["headscale-register-failed"]
    assert token not in json.dumps(document, ensure_ascii=False), token


@given(
    token=st.from_regex(r"[A-Za-z0-9_.\-]{12,40}", fullmatch=True),
    scheme=st.sampled_from(("Bearer", "bearer", "Basic", "Token")),
    quote=st.sampled_from(("'", '"')),
)
@settings(max_examples=40, deadline=None)
def test_an_authorization_header_on_the_first_skipped_line_is_hidden_in_the_warning(
    token: str, scheme: str, quote: str
) -> None:
    # the warning quotes the first skipped line: a one-line curl puts the header there
    text = (
        f"curl -H {quote}Authorization: {scheme} {token}{quote} -X POST "
        f"'https://hs.example.com/api/v1/node/register?user=bob&key=mkey:{_HEX}'\n"
        'Response: {"code":2,"message":"registration ID must be 24 characters long","details":[]}\n'
    )
    document = _json(text)
    assert document is not None
    dumped = json.dumps(document, ensure_ascii=False)
    assert token not in dumped
    assert f"Authorization: {scheme} …" in dumped


# ------------------------------------------------------------------------------------------ near misses

_STATUS_JSON = (
    '{\n  "Version": "1.76.1",\n  "BackendState": "Running",\n  "Self": {\n    "ID": "n1",\n'
    f'    "PublicKey": "nodekey:{_HEX}",\n    "HostName": "laptop",\n    "DNSName": "laptop.example.",\n'
    '    "OS": "linux",\n    "TailscaleIPs": ["100.64.0.1"],\n    "Online": true\n  }\n}\n'
)


@pytest.mark.parametrize(
    "text",
    (
        # Tailscale's own CLI says the same key words about its own arguments: cli-usage, not Headscale
        f"$ tailscale lock sign {_HEX}\ndecoding node-key: key hex string doesn't have expected type prefix nodekey:",
        "parsing key 1: key hex string doesn't have expected type prefix tlpub:",
        # the key words bare, without any Headscale wrapper
        "key hex string doesn't have expected type prefix mkey:",
        # prose about the messages, and a web UI's unrelated failures
        "the registration ID must be 24 characters long, so I copied it from the URL",
        "Failed to create node pool: quota exceeded for region us-east1.",
        "Failed to create node: connection refused",
        "Cannot register machine: user not found",
        "the auth ID has invalid characters I think",
        "Error: looking up the user failed",
    ),
)
def test_near_misses_are_not_headscale_register_failed(text: str) -> None:
    assert "headscale-register-failed" not in _windows(_json(text + "\n")), text


def test_a_status_json_s_node_key_is_not_an_error() -> None:
    document = _json(_STATUS_JSON)
    assert document is not None
    assert "headscale-register-failed" not in _windows(document)
    assert all(f["rule"] != "TS-CLI-HEADSCALE-REGISTER-FAILED" for f in document["findings"])


@pytest.mark.parametrize(
    "text",
    (
        "Authorization: denied by policy",
        "no authorization header was sent",
        "authorization: required",
    ),
)
def test_authorization_prose_is_left_as_it_is(text: str) -> None:
    from opskit.core.diagnose.text import hide_keys

    assert hide_keys(text) == text
