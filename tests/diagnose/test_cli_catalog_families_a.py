"""The CLI refusals catalog, group A (cli_catalog/families_a.py), proven under the ways people paste.

Generated from the catalog itself: every entry's example is pasted under the prompt of the command that prints
it, in a Markdown fence, relayed by the CLI (`backend error: `, a LocalAPI status), under Go's log stamp, wrapped
in quotes or inline code, quoted in prose, with CRLF line ends and with doubled spaces, and must be reported as
its kind (a problem: exit 1) with the values of the message carried into the finding. Negatives: tailscale's
normal output and prose that comes near a message are none of these kinds.
"""

from __future__ import annotations

import pytest

from opskit.core.diagnose.cli_catalog import REFUSALS as ALL_REFUSALS
from opskit.core.diagnose.cli_catalog import Refusal, find_refusal
from opskit.core.diagnose.cli_catalog.families_a import REFUSALS
from opskit.core.diagnose.windows import normalise_error_text
from opskit.errors import InputError
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_text

KINDS = frozenset(refusal.kind.value for refusal in REFUSALS)

# The command a message comes from (the first file its source names), as typed at a prompt.
COMMANDS = {
    "cli.go": "tailscale debug netmapp",
    "debug.go": "tailscale debug",
    "switch.go": "tailscale switch work",
    "ip.go": "tailscale ip -4 -6",
    "whois.go": "tailscale whois",
    "up.go": "sudo tailscale up --exit-node=gateway",
    "set.go": "sudo tailscale set --auto-update",
    "get.go": "tailscale get exitnode",
    "exitnode.go": "tailscale exit-node list",
    "update.go": "sudo tailscale update",
    "clientupdate.go": "sudo tailscale set --auto-update",
    "version.go": "tailscale version --upstream",
    "dns-query.go": "tailscale dns query example.com",
    "dns-status.go": "tailscale dns status",
    "nc.go": "tailscale nc server 22",
    "id-token.go": "tailscale id-token https://example.com",
    "configure-kube.go": "tailscale configure kubeconfig tailscale-operator",
    "configure-pve-appliance.go": "tailscale configure pve-appliance",
    "configure-flash-appliance.go": "sudo tailscale configure flash-appliance",
    "configure-flash-appliance_linux.go": "sudo tailscale configure flash-appliance --disk=/dev/sdb1",
    "configure-jetkvm.go": "tailscale configure jetkvm",
    "configure_apple.go": "tailscale configure sysext activate",
}


def _command(refusal: Refusal) -> str:
    first = refusal.source.split(" ", 1)[0].rstrip(",").rsplit("/", 1)[-1]
    return COMMANDS.get(first, "sudo tailscale set --exit-node=gateway")


def _presentations(refusal: Refusal) -> dict[str, str]:
    example, command = refusal.example, _command(refusal)
    return {
        "prompt": f"$ {command}\n{example}\n",
        "powershell": f"PS C:\\Users\\alice> {command}\n{example}\n",
        "fence": f"```\n$ {command}\n{example}\n```\n",
        "backend error": f"$ {command}\nbackend error: {example}\n",
        "500 status": f"$ {command}\n500 Internal Server Error: {example}\n",
        "log stamp": f"2024/06/14 15:32:34 {example}\n",
        "quoted": f'"{example}"\n',
        "inline code": f"`{example}`\n",
        "prose": f"When I run `{command}` it fails with `{example}` and nothing changes.\n",
        "crlf": f"$ {command}\r\n{example}\r\n",
        "doubled spaces": f"$ {command}\n{example.replace(' ', '  ')}\n",
        "markdown quote": f"> {example}\n",
    }


CASES = [
    pytest.param(refusal, name, text, id=f"{index:02d}-{name}")
    for index, refusal in enumerate(REFUSALS)
    for name, text in _presentations(refusal).items()
]


@pytest.mark.parametrize(("refusal", "name", "text"), CASES)
def test_every_entry_is_reported_as_its_kind_however_pasted(refusal: Refusal, name: str, text: str) -> None:
    diagnosis = run_text(text)
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    kinds = [error["kind"] for error in document["windows"]]
    assert refusal.kind.value in kinds, (name, text, kinds)
    assert diagnosis.has_problems, (name, text)


def test_no_entry_of_any_group_takes_another_entrys_message() -> None:
    """Two entries overlap when one's example is read by another that comes first: the later one is dead."""
    for refusal in ALL_REFUSALS:
        found = find_refusal(normalise_error_text(refusal.example))
        assert found is not None and found[0] is refusal, (refusal.example, found and found[0].source)


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda refusal: refusal.example[:40])
def test_the_finding_carries_the_values_of_the_message(refusal: Refusal) -> None:
    found = find_refusal(normalise_error_text(refusal.example))  # as windows.py reads it
    assert found is not None and found[0] is refusal, refusal.example  # no earlier entry takes the message
    diagnosis = run_text(f"$ {_command(refusal)}\n{refusal.example}\n")
    said = " ".join(f"{finding.cause} {finding.fix}" for finding in diagnosis.findings)
    cause, fix = refusal.explain(found[1])
    assert cause in said and fix in said, (refusal.example, said)
    for value in found[1].groupdict().values():
        if value:
            assert value in said, (value, said)


# tailscale's normal output around these commands, and prose that comes near a message without being it.
NOT_REFUSALS = [
    "$ tailscale switch --list\nID    Tailnet        Account\n1a2b  example.com    alice@example.com*\n"
    "3c4d  work.example   alice@work.example",
    '$ tailscale switch work\nSwitching to account "work"\nSuccess.',
    '$ tailscale switch work\nAlready on account "work"',
    "$ tailscale exit-node list\n\n IP              HOSTNAME                 COUNTRY     CITY       STATUS\n"
    " 100.64.0.7      gateway.tail1234.ts.net  -           -          -",
    "$ tailscale exit-node suggest\nSuggested exit node: de-fra.mullvad.ts.net.\n"
    "To accept this suggestion, use `tailscale set --exit-node=de-fra.mullvad.ts.net.`.",
    "$ tailscale up --help\nUSAGE\n  tailscale up [flags]\n\nFLAGS\n"
    "  --exit-node-allow-lan-access, --exit-node-allow-lan-access=false\n"
    "    \tAllow direct access to the local network when routing traffic via an exit node (default false)\n"
    "  --netfilter-mode string\n    \tnetfilter mode (one of on, nodivert, off) (default on)",
    "$ tailscale --help\nUSAGE\n  tailscale [flags] <subcommand> [command flags]\n\nSUBCOMMANDS\n"
    "  up  Connect to Tailscale",
    "$ tailscale version\n1.80.3\n  tailscale commit: 1a2b3c4d\n  go version: go1.23.4",
    '$ tailscale dns query example.com\nDNS query for "example.com" (A) using internal resolver:',
    "$ tailscale dns status\n=== 'Use Tailscale DNS' status ===\nTailscale DNS: enabled.",
    "$ sudo tailscale update\nThis will update Tailscale from v1.78.1 to v1.80.3. Continue? [y/n] y\nSuccess.",
    "$ tailscale ip -4\n100.101.102.103",
    "Is there a way to use an exit node on Synology? exit node is not supported on Synology as far as I know.",
    "How do I fix failed to query DNS on Ubuntu after the upgrade?",
    "apt-get update failed: network unreachable, so I retried later.",
    "Disk usage: tailscale uses about 50 MB here.",
    "The profile name shows in the menu bar; the profile was not found in the old app.",
    "I want to advertise an exit node and also use another one, is that possible?",
    "We had no preferred vendor for the DERP servers.",
    "The kubeconfig was written fine and the operator is reachable on a known peer.",
    "Our Proxmox VE host runs qm fine.",
]


@pytest.mark.parametrize("text", NOT_REFUSALS, ids=lambda text: text.split("\n", 1)[0][:40])
def test_normal_output_and_near_miss_prose_are_none_of_these_kinds(text: str) -> None:
    for line in text.splitlines():
        found = find_refusal(line)
        assert found is None or found[0] not in REFUSALS, line
    try:
        diagnosis = run_text(text + "\n")
    except InputError:
        return  # nothing recognised at all: certainly no refusal
    kinds = {error["kind"] for error in to_json(diagnosis, 1)["windows"]}
    assert not kinds & KINDS, (text, kinds)
