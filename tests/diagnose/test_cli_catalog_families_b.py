"""CLI refusals of group B (serve/funnel, ssh, Taildrive, cert, Taildrop, Tailnet Lock), generated from the catalog.

Every entry of cli_catalog/families_b.py is pasted the ways people paste it (under a shell prompt, fenced,
quoted, in inline code inside prose, with CRLF line ends, with doubled spaces, under Go's log stamp, and,
for what tailscaled answers, after ``backend error:`` or an HTTP status) and must come out as its kind with
a problem (exit 1), its own cause and fix carrying the message's values. Negatives: the phrase alone in
prose, near-miss sentences, and tailscale's normal output of these commands are never these refusals.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opskit.core.diagnose.cli_catalog import REFUSALS, Refusal, families_b, find_refusal
from opskit.core.diagnose.models import CliErrorKind
from opskit.core.diagnose.windows import normalise_error_text
from opskit.errors import InputError
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_text

ENTRIES = families_b.REFUSALS
IDS = [f"{i:02d}-{r.kind.value}-{r.phrase[:24]}" for i, r in enumerate(ENTRIES)]
FAMILY_KINDS = frozenset(r.kind for r in ENTRIES)

# The command a user ran before the message, by the source file it comes from.
_COMMANDS = {
    "cmd/tailscale/cli/ssh.go": "tailscale ssh admin@nas",
    "cmd/tailscale/cli/drive.go": "tailscale drive share docs /srv/docs",
    "cmd/tailscale/cli/drive_macgui.go": "tailscale drive list",
    "ipn/localapi/localapi_drive.go": "tailscale drive share docs /srv/docs",
    "ipn/ipnlocal/drive.go": "tailscale drive share docs /srv/docs",
    "cmd/tailscale/cli/funnel.go": "tailscale funnel status",
    "cmd/tailscale/cli/service.go": "tailscale service list extra",
}


def _command(refusal: Refusal) -> str:
    for prefix in ("cert", "file", "network-lock", "configure-synology-cert"):
        if refusal.source.startswith(f"cmd/tailscale/cli/{prefix}"):
            return {
                "network-lock": "tailscale lock status",
                "configure-synology-cert": "tailscale configure synology-cert",
            }.get(prefix, f"tailscale {prefix} nas.tail1234.ts.net")
    return _COMMANDS.get(refusal.source, "tailscale serve --bg 3000")


def _kinds(text: str) -> list[str]:
    """The CLI/GUI error kinds opskit reads in a paste ([] when it recognises nothing in it)."""
    try:
        diagnosis = run_text(text)
    except InputError:
        return []
    return [error["kind"] for error in to_json(diagnosis, 0)["windows"]]


def _pasted(refusal: Refusal) -> dict[str, str]:
    """The ways one message arrives in a paste (each must read as the entry's kind)."""
    message, command = refusal.example, _command(refusal)
    ways = {
        "prompt": f"$ {command}\n{message}\n",
        "root-prompt": f"root@nas:~# {command}\n{message}\n",
        "fenced": f"```\n$ sudo {command}\n{message}\n```\n",
        "quoted": f'I get "{message}"\n',
        "blockquote": f"> $ {command}\n> {message}\n",
        "inline-code": f"When I run `{command}` it says `{message}` and stops.\n",
        "prose": f"Hi all, running {command} fails with: {message}\n",
        "crlf": f"$ {command}\r\n{message}\r\n",
        "doubled-spaces": f"$ {command}\n{message.replace(' ', '  ')}\n",
        "log-stamp": f"2025/03/14 09:26:53 {message}\n",
    }
    if refusal.source.startswith(("ipn/", "feature/")) and not refusal.example[:3].isdigit():
        ways["backend-error"] = f"$ {command}\nbackend error: {message}\n"
        ways["http-500"] = f"$ {command}\n500 Internal Server Error: {message}\n"
        # 1.4-1.18's LocalAPI client: "HTTP <status>: <body> (expected 200)", the body's newline before the tail
        ways["old-client-http-500"] = f"$ {command}\nHTTP 500 Internal Server Error: {message}\n (expected 200)\n"
    return ways


CASES = [(refusal, way, text) for refusal in ENTRIES for way, text in _pasted(refusal).items()]


@pytest.mark.parametrize(("refusal", "way", "text"), CASES, ids=[f"{r.phrase[:24]}-{w}" for r, w, _ in CASES])
def test_every_message_pasted_any_way_is_its_kind_and_a_problem(refusal: Refusal, way: str, text: str) -> None:
    diagnosis = run_text(text)
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    kinds = [error["kind"] for error in document["windows"]]
    assert refusal.kind.value in kinds, (way, text, kinds)
    assert diagnosis.has_problems and document["summary"]["exit_code"] == 1, (way, text)


@pytest.mark.parametrize("refusal", ENTRIES, ids=IDS)
def test_the_finding_says_this_messages_cause_and_fix_with_its_values(refusal: Refusal) -> None:
    found = find_refusal(normalise_error_text(refusal.example))
    assert found is not None and found[0] is refusal, "an earlier entry reads this example: reorder"
    cause, fix = refusal.explain(found[1])
    diagnosis = run_text(f"$ {_command(refusal)}\n{refusal.example}\n")
    texts = [f"{f.cause} {f.fix}" for f in diagnosis.findings]
    assert any(cause in t and fix in t for t in texts), (refusal.example, texts)
    for value in found[1].groupdict().values():
        if value:
            assert value in cause + fix, (refusal.example, value)


def test_no_two_entries_read_each_others_example() -> None:
    for refusal in ENTRIES:
        readers = [
            other
            for other in ENTRIES
            if other.phrase in refusal.example.lower() and other.pattern.search(refusal.example)
        ]
        assert readers[0] is refusal, (refusal.example, [r.kind for r in readers])


def test_the_command_line_reports_exit_1(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paste = tmp_path / "serve.txt"
    paste.write_text("$ tailscale serve --bg --tcp=443 5432\ncannot serve TCP; already serving web on 443\n")
    result = cli(["diagnose", "--format", "json", str(paste)])
    assert result.exit_code == 1, result.stdout
    kinds = [e["kind"] for e in json.loads(result.stdout)["windows"]]
    assert kinds == ["serve-failed"]


# ------------------------------------------------------------------------------------------- negatives


# (a phrase that is itself a whole message of some entry, of either group, is left out: "usage: tailscale
# service" is group A's "usage: tailscale <command>")
@pytest.mark.parametrize(
    "refusal",
    [r for r in ENTRIES if not any(other.pattern.search(r.phrase) for other in REFUSALS)],
    ids=lambda r: r.phrase,
)
def test_the_phrase_alone_in_prose_is_not_the_refusal(refusal: Refusal) -> None:
    text = f"Reading the docs, the words '{refusal.phrase}' come up in a thread about something else.\n"
    assert refusal.kind.value not in _kinds(text)


# What these commands print when they work, and prose near the messages: none of it is a family-B refusal.
NORMAL_OUTPUT = (
    "$ tailscale serve --bg 3000\nAvailable within your tailnet:\n\nhttps://nas.tail1234.ts.net/\n"
    "|-- proxy http://127.0.0.1:3000\n\nServe started and running in the background.\n"
    "To disable the proxy, run: tailscale serve --https=443 off\n",
    "$ tailscale funnel 3000\nAvailable on the internet:\n\nhttps://nas.tail1234.ts.net/\n"
    "|-- proxy http://127.0.0.1:3000\n\nPress Ctrl+C to exit.\n",
    "$ tailscale serve status\nNo serve config\n",
    "$ tailscale serve --service=svc:db --tun\nThis machine is configured as a service proxy for svc:db, but "
    "approval from an admin is required. Once approved, it will be available in your Tailnet as:\n"
    "To disable the service in TUN mode, run: tailscale serve --service=svc:db --tun off\n",
    "$ tailscale funnel status\n# Funnel on:\n#     - https://nas.tail1234.ts.net\n\nhttps://nas.tail1234.ts.net "
    "(Funnel on)\n|-- / proxy http://127.0.0.1:3000\n",
    "$ tailscale drive list\nname    path          as\ndocs    /srv/docs     alice\n",
    "$ tailscale drive share docs /srv/docs\n",
    "$ tailscale ssh admin@nas\nWelcome to Ubuntu 24.04 LTS\nadmin@nas:~$\n",
    "USAGE\n  tailscale ssh [user@]<host> [args...]\n\nThe 'tailscale ssh' command is an optional wrapper around the "
    "system 'ssh' command.\n",
    "USAGE\n  tailscale drive share <name> <path>\n  tailscale drive rename <oldname> <newname>\n",
    "We run a listener on port 443 and a TCP target behind nginx; the share name is docs.\n",
    "nginx: [emerg] bind() to 0.0.0.0:443 failed (98: Address already in use)\n",
    "The Samba share name already in use on this NAS is 'media'.\n",
    "Our service hosts must be patched monthly; tagged nodes get the update first.\n",
    "docker: Error response from daemon: driver failed programming external connectivity: port 443 is already "
    "allocated.\n",
    "Error: listen tcp :8080: bind: address already in use\n",
    "HAProxy: PROXY protocol header is malformed on frontend fe_https\n",
    "ssh: Could not resolve hostname nas: Name or service not known\n",
    "$ sudo tailscale cert nas.tail1234.ts.net\nWrote public cert to nas.tail1234.ts.net.crt\n"
    "Wrote private key to nas.tail1234.ts.net.key\n",
    "$ tailscale lock status\nTailnet Lock is NOT enabled.\n\nThis node's tailnet-lock key: tlpub:5e8f1a\n",
    "$ tailscale lock status\nTailnet Lock is ENABLED.\n\nThis node is accessible under Tailnet Lock.\n"
    "Trusted signing keys:\n\ttlpub:5e8f1a\t1\t(self)\n",
    "$ tailscale file cp --targets\n100.101.102.103\tmy-phone\n100.101.102.104\tlaptop\toffline; last seen 3h ago\n",
    "$ tailscale file get ~/Downloads\nwrote photo.jpg as /home/me/Downloads/photo.jpg (123456 bytes)\n"
    "moved 1/1 files\n",
    "Certbot: Domain example.com was not valid for the ACME challenge; renewal info fetched.\n",
    "certbot: unexpected account status, the ACME server said the order is pending\n",
    "git: error: failed to sign commit with the key: gpg failed to sign the data\n",
    "usage: tar [-]{acdrtux}[-befhjklmopqsvwzBCDHJLNOPqSUXZ] [options]\n",
    "404 Not Found: the page you requested was not found\n",
    "400 Bad Request: invalid request body\n",
)


@pytest.mark.parametrize("text", NORMAL_OUTPUT, ids=range(len(NORMAL_OUTPUT)))
def test_normal_output_and_near_miss_prose_are_no_family_b_refusal(text: str) -> None:
    kinds = set(_kinds(text))
    # ssh-failed and serve-not-configured are also hand-written kinds of normal answers ("No serve config")
    shared = {CliErrorKind.SSH_FAILED, CliErrorKind.SERVE_NOT_CONFIGURED}
    assert not kinds & {k.value for k in FAMILY_KINDS - shared}, (text, kinds)
    assert CliErrorKind.SERVE_FAILED.value not in kinds and CliErrorKind.DRIVE_FAILED.value not in kinds
