"""Generated tests for a login URL no browser elsewhere can open (blind batch 49, sample 2901): `tailscale up`/`login`
printing ``To authenticate, visit:`` and a URL on the unspecified address (``0.0.0.0``, ``[::]``) is
login-url-unroutable (the control server's configured URL is its listen address: Headscale's ``server_url``), with
or without --login-server; on loopback only when the command named a server that is not loopback. A URL on the
named server, or loopback after a loopback server, is an ordinary login prompt; the unspecified host wins over
login-server-mismatch (one reading per line)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.diagnose.log_catalog import document_of, finding_rules

_NAMED = ("http://headscale.example.net:8080", "https://hs.corp.example.org", "https://vpn.home.arpa:443")
_UNSPECIFIED = ("0.0.0.0:8080", "0.0.0.0", "[::]:8080", "0.0.0.0:443")
_LOOPBACK = ("127.0.0.1:8080", "localhost:8080", "[::1]:8080", "127.0.1.1")
_PATHS = ("/register/VuW7vroFGIPClakw5tqNfHA8", "/register/nodekey:4a5b6c7d8e9f0a1b", "/oidc/register/nodekey:4a5b6c")
_PROMPTS = ("$ ", "root@ebpf:/home/hecha# ", "PS C:\\> ")
_INDENTS = ("\t", "        ", "")


def _paste(command: str | None, url: str, indent: str) -> str:
    typed = f"{command}\n\n" if command else ""
    return f"{typed}To authenticate, visit:\n\n{indent}{url}\n"


def _windows(document: dict[str, Any]) -> list[str]:
    return [error["kind"] for error in document.get("windows") or []]


@pytest.mark.parametrize(
    ("named", "host", "path", "prompt", "indent"),
    list(itertools.product(_NAMED, _UNSPECIFIED, _PATHS, _PROMPTS[:2], _INDENTS[:2])),
)
def test_a_login_url_on_the_unspecified_address_is_unroutable(
    named: str, host: str, path: str, prompt: str, indent: str
) -> None:
    scheme = named.split(":", 1)[0]
    document = document_of(_paste(f"{prompt}tailscale up --login-server {named}", f"{scheme}://{host}{path}", indent))
    assert _windows(document) == ["login-url-unroutable"], document["windows"]
    assert "TS-CLI-LOGIN-SERVER-MISMATCH" not in finding_rules(document)
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-CLI-LOGIN-URL-UNROUTABLE"]
    assert "server_url" in finding["fix"] and "headscale nodes register" in finding["fix"]
    assert document["summary"]["exit_code"] == 1


@pytest.mark.parametrize(("host", "indent"), list(itertools.product(_UNSPECIFIED, _INDENTS)))
def test_the_unspecified_address_needs_no_typed_command(host: str, indent: str) -> None:
    document = document_of(_paste(None, f"http://{host}/register/VuW7vroFGIPClakw5tqNfHA8", indent))
    assert "login-url-unroutable" in _windows(document)


@pytest.mark.parametrize(("named", "host", "prompt"), list(itertools.product(_NAMED, _LOOPBACK, _PROMPTS)))
def test_loopback_after_a_named_remote_server_is_unroutable(named: str, host: str, prompt: str) -> None:
    command = f"{prompt}tailscale login --login-server={named}"
    document = document_of(_paste(command, f"http://{host}/register/nodekey:4a5b6c7d8e9f", "\t"))
    assert _windows(document) == ["login-url-unroutable"], document["windows"]
    (finding,) = [f for f in document["findings"] if f["rule"] == "TS-CLI-LOGIN-URL-UNROUTABLE"]
    assert "loopback" in finding["cause"]


@pytest.mark.parametrize("host", _LOOPBACK)
@pytest.mark.parametrize("named", (None, "http://127.0.0.1:8080", "http://localhost:8080"))
def test_loopback_without_a_remote_server_named_is_not_claimed(host: str, named: str | None) -> None:
    command = f"$ tailscale up --login-server {named}" if named else None
    document = document_of(_paste(command, f"http://{host}/register/VuW7vroFGIPClakw5tqNfHA8", "\t"))
    assert "login-url-unroutable" not in _windows(document)


@pytest.mark.parametrize(("named", "path"), list(itertools.product(_NAMED, _PATHS)))
def test_a_login_url_on_the_named_server_is_an_ordinary_prompt(named: str, path: str) -> None:
    document = document_of(_paste(f"$ tailscale up --login-server {named}", f"{named}{path}", "\t"))
    assert not {"login-url-unroutable", "login-server-mismatch"} & set(_windows(document))


@pytest.mark.parametrize(
    "line",
    (
        "see http://0.0.0.0:8080/register/abc in the docs",  # prose, not the URL line
        "http://0.0.0.0:8080/health",  # not a login path
        "http://10.0.0.5:8080/register/VuW7vroFGIPClakw5tqNfHA8",  # a private address is reachable on its network
        "http://0.0.0.0.example.net/register/abc",  # a name, not the address
    ),
)
def test_near_misses_are_not_claimed(line: str) -> None:
    document = document_of(f"$ tailscale up --login-server http://headscale.example.net:8080\n\n{line}\n")
    assert "login-url-unroutable" not in _windows(document)
