"""The CLI coverage sweep (cli_sweep.py) and the subcommands it found never read, proven as users paste them.

Part one runs the sweep over the checked-in extract (tests/diagnose/samples/cli_sweep/: every message
cmd/tailscale/cli and the LocalAPI error bodies it relays print at de9ec7ee2, 2026-08-22, and the wordings
v1.20.0/v1.40.0/v1.60.0 had that HEAD lost) and demands the counts read stay at least what this round reached.

Part two is the catalog of the subcommands no paste had shown: `get`, `routecheck`, `service list`, `diag`'s
no-tailscaled wordings, the risk prompts (`--accept-risk=…`), `nc`, `dns query`, `lock init`/`log`/`sign`,
`debug daemon-bus-events`/`daemon-bus-graph`/`localapi`/`via`/`force-prefer-derp`/profiles, `id-token`,
`licenses`. Each is written as the CLI prints it (realistic values; source file:line at de9ec7ee2 and the
versions that print it in a comment) and pasted under a `$ ` prompt, in a fence, with CRLF and as a `> ` quote:
a refusal must be read as its kind, an output must raise nothing and leave no line unread.
"""

from __future__ import annotations

import pytest

from opskit.core.diagnose.blocks import split_input
from opskit.errors import InputError
from tests.diagnose.cli_sweep import EXTRACTS, measure, read_extract
from tests.diagnose.conftest import run_json

# ---- part two: the catalog (paste, the kind an expert reads or None for an output that raises nothing) ----
LOCK_LOG = (
    "update 4GCVTSJ6XXXNJ2NUMMPFSRZRZQ3H5FHKXR3BOFQSNGQYE7M2KLNA (checkpoint)\n"
    "Disablement values:\n"
    " - 8a1cbd0e3f0f2a0c47f7fe6a7b42bd5f1cf2e55e5c5d1f8a8b2ad9e3c4b0f6a1\n"
    "Keys:\n"
    "  Type: 25519\n"
    "  KeyID: tlpub:5c0e1b7a3d9a34c2c6c0f43b6fa9d1e0cbb5f16b9d2a7e6f0c4d3b2a1908f7e6\n"
    "  Metadata: map[]\n"
    "\n"
    "update 7KQZ3M4PNSD2V6W5GXYJAHB2LTE4RQ5CUFI6OZMN3KXWLS7DPV2A (add-key)\n"
    "Type: 25519\n"
    "KeyID: tlpub:9d1e0cbb5f16b9d2a7e6f0c4d3b2a1908f7e65c0e1b7a3d9a34c2c6c0f43b6fa\n"
    "Metadata: map[name:laptop]\n"
    "\n"
    "update 2XHF6J3QWERTY7ZXCVBNMASDFGHJKLPOIUYTREWQ234567ABCDEF (remove-key)\n"
    "KeyID: tlpub:9d1e0cbb5f16b9d2a7e6f0c4d3b2a1908f7e65c0e1b7a3d9a34c2c6c0f43b6fa\n"
)
LOCK_LOG_JSON = """{
  "SchemaVersion": "1",
  "Messages": [
    {
      "Hash": "4GCVTSJ6XXXNJ2NUMMPFSRZRZQ3H5FHKXR3BOFQSNGQYE7M2KLNA",
      "Change": "checkpoint",
      "PrevAUMHash": null
    }
  ]
}
"""
CATALOG: list[tuple[str, str, str, str | None]] = [
    # get.go:90 (2026-06+): more than one setting named
    (
        "get-too-many",
        "tailscale get exit-node accept-routes",
        'too many arguments: ["exit-node" "accept-routes"]',
        "cli-usage",
    ),
    # get.go:103
    (
        "get-unknown",
        "tailscale get exitnode",
        'unknown setting "exitnode"; see "tailscale set --help" for valid settings',
        "cli-usage",
    ),
    # get.go:80: one setting's raw value
    ("get-value", "tailscale get accept-routes", "true", None),
    ("get-value-list", "tailscale get advertise-routes", "192.168.1.0/24,10.0.0.0/8", None),
    # get.go:213 (`get --all` table)
    (
        "get-table",
        "tailscale get",
        "NAME             VALUE\naccept-dns       true\naccept-routes    false\nhostname         nas",
        None,
    ),
    # routecheck.go:62/83 (2026-07+, hidden): no report yet
    ("routecheck-unavailable", "tailscale routecheck", "routecheck: report unavailable", "cli-usage"),
    # routecheck.go:79
    ("routecheck-format", "tailscale routecheck --format=yaml", 'unknown output format "yaml"', "cli-usage"),
    # routecheck.go:110-120: the report
    (
        "routecheck-report",
        "tailscale routecheck",
        "\nReachable routers at 2026-08-22 11:48:56 EDT:\n\n PREFIX              IP                HOSTNAME\n"
        " 192.168.1.0/24      100.101.102.103   router-a.tail1234.ts.net\n"
        " 192.168.1.0/24      100.101.102.104   router-b.tail1234.ts.net\n",
        None,
    ),
    # service.go:96 (2026-07+)
    ("service-usage", "tailscale service list web", "usage: tailscale service list", "cli-usage"),
    # service.go:139
    ("service-none", "tailscale service list", "No Tailscale Services are available to this node.", None),
    # service.go:144-155: the table
    (
        "service-table",
        "tailscale service list",
        "\n IP              HOSTNAME                    DISPLAY NAME     ENDPOINTS       TYPE     \n"
        " 100.100.10.1    web.tail1234.ts.net         Web frontend     tcp:443         http     \n"
        " 100.100.10.2    db.tail1234.ts.net          -                tcp:5432        tcp      \n",
        None,
    ),
    # diag.go:61, :30 (v1.20+): no tailscaled process found
    (
        "diag-not-running",
        "tailscale status",
        "failed to connect to local tailscaled process; it doesn't appear to be running",
        "service-not-running",
    ),
    (
        "diag-no-enumerate",
        "tailscale status",
        "failed to connect to local Tailscaled process and failed to enumerate processes while looking for it",
        "service-not-running",
    ),
    # risks.go:62-69 (v1.66+) with down.go:43, up.go:458/495/497, set.go:224
    (
        "risk-down",
        "sudo tailscale down",
        "You are connected over Tailscale; this action will disable Tailscale and result in your session "
        "disconnecting.\nTo skip this warning, use --accept-risk=lose-ssh\nContinue? [y/N] n\naborted, no changes made",
        "risk-not-accepted",
    ),
    (
        "risk-ssh",
        "sudo tailscale set --ssh",
        "You are connected over Tailscale; this action will reroute SSH traffic to Tailscale SSH and will result in "
        "your session disconnecting.\nTo skip this warning, use --accept-risk=lose-ssh",
        "risk-not-accepted",
    ),
    (
        "risk-app-connector",
        "sudo tailscale up --advertise-connector",
        "\nYou are trying to configure an app connector on macOS, which is not officially supported due to system "
        "limitations. This may result in performance and reliability issues.\n\nDo not use a macOS app connector for "
        "any mission-critical purposes. For the best experience, Linux is the only recommended platform for app "
        "connectors.\n\nTo skip this warning, use --accept-risk=mac-app-connector",
        "risk-not-accepted",
    ),
    ("risk-aborted", "sudo tailscale down", "aborted, no changes made", "risk-not-accepted"),
    # nc.go:59/65/71 (v1.30+)
    ("nc-port", "tailscale nc nas ssh", 'invalid port number "ssh"', "cli-usage"),
    (
        "nc-dial",
        "tailscale nc nas 22",
        'Dial("nas", 22): dial tcp 100.101.102.103:22: connect: connection refused',
        "ssh-failed",
    ),
    # dns-query.go:50/63/89/98 (v1.74+)
    ("dns-query-missing", "tailscale dns query", "missing required argument: name", "cli-usage"),
    ("dns-query-extra", "tailscale dns query example.com A extra", "unexpected extra arguments: extra", "cli-usage"),
    (
        "dns-query-parse",
        "tailscale dns query example.com",
        "failed to parse DNS response: unexpected EOF",
        "dns-query-failed",
    ),
    # dns-query.go:113-160: the answer with a bootstrap-resolved resolver and an MX body
    (
        "dns-query-answer",
        "tailscale dns query example.com MX",
        'DNS query for "example.com" (MX) using internal resolver:\n\n'
        "Forwarding to resolver: https://dns.nextdns.io/abc123 (bootstrap: [45.90.28.0 45.90.30.0])\n\n"
        "Response code: RCodeSuccess\n\n"
        "Name          TTL   Class      Type    Body\n----          ---   -----      ----    ----\n"
        "example.com.  300   ClassINET  TypeMX  mail.example.com. (Priority=10)\n",
        None,
    ),
    # dns-query.go:113 --json (tsdnsjsonv0.QueryResponse)
    (
        "dns-query-json",
        "tailscale dns query --json example.com",
        '{\n  "Name": "example.com.",\n  "QueryType": "A",\n  "Resolvers": [\n    {\n      "Addr": "1.1.1.1"\n'
        "    }\n  ],\n"
        '  "ResponseCode": "RCodeSuccess",\n  "Answers": [\n    {\n      "Name": "example.com.",\n      "TTL": 300,\n'
        '      "Class": "ClassINET",\n      "Type": "TypeA",\n      "Body": "93.184.215.14"\n    }\n  ]\n}',
        None,
    ),
    # tailnet-lock.go:144-161 (v1.32+): lock init before --confirm
    (
        "lock-init-prompt",
        "tailscale lock init --gen-disablements 2 tlpub:5c0e1b7a3d9a34c2",
        "You are initializing tailnet lock with the following trusted signing keys:\n"
        " - tlpub:5c0e1b7a3d9a34c2c6c0f43b6fa9d1e0cbb5f16b9d2a7e6f0c4d3b2a1908f7e6 (25519 key)\n\n"
        "2 disablement secrets will be generated.\n\n"
        "If this is correct, please re-run this command with the --confirm flag:\n"
        "\ttailscale lock init --confirm --gen-disablements 2 tlpub:5c0e1b7a3d9a34c2",
        None,
    ),
    (
        "lock-init-done",
        "tailscale lock init --confirm --gen-disablements 1 tlpub:5c0e",
        "Initialization complete.",
        None,
    ),
    # tailnet-lock.go:628-700: lock log's stanzas (checkpoint keys indented), and --json (tslockjsonv1)
    ("lock-log", "tailscale lock log", LOCK_LOG, None),
    ("lock-log-json", "tailscale lock log --json", LOCK_LOG_JSON, None),
    ("lock-log-version", "tailscale lock log --json=2", "unrecognised version: 2", "cli-usage"),
    # tailnet-lock.go:533-535 (v1.60+): signing on a node without a trusted key
    (
        "lock-sign-untrusted",
        "tailscale lock sign nodekey:1f2e3d4c tlpub:5c0e",
        "Error: Signing is not available on this device because it does not have a trusted tailnet lock key.\n\n"
        "Try again on a signing device instead. Tailnet admins can see signing devices on the admin panel.",
        "tailnet-lock-failed",
    ),
    # tailnet-lock.go:359-388, 436-447, 525, 790, 848, 882 (v1.32+): a key/signature not parsed, signing failed
    (
        "lock-remove-sign",
        "tailscale lock remove --re-sign tlpub:5c0e1b7a3d9a34c2",
        "failed to sign nodekey:1f2e3d4c: 403 Forbidden: this node is not trusted by tailnet lock",
        "tailnet-lock-failed",
    ),
    (
        "lock-sign-rotation",
        "tailscale lock sign nodekey:1f2e tlpub:zz",
        "decoding rotation-key: invalid hex",
        "tailnet-lock-failed",
    ),
    (
        "lock-add-key",
        "tailscale lock add tlpub:5c0e?x",
        'parsing key 0 votes: strconv.Atoi: parsing "x": invalid syntax',
        "cli-usage",  # Go's number-parsing error is read first: a mistyped vote count, a usage error as well
    ),
    # tailnet-lock.go:749/790
    ("lock-wrap-usage", "tailscale lock tskey-wrap", "usage: lock tskey-wrap <tailscale pre-auth key>", "cli-usage"),
    # debug.go:873 (v1.86+): the event bus stream
    (
        "bus-events",
        "tailscale debug daemon-bus-events",
        '[1]["netmon.ChangeDelta"][from: "netmon"][to: "magicsock"] {Major:true TimeJumped:false}\n'
        '[2]["*tailcfg.DERPMap"][from: "ipnlocal"][to: "magicsock,netcheck"] &{Regions:map[1:0xc000]}',
        None,
    ),
    # debug.go:889/900: the bus graph, JSON and DOT
    (
        "bus-graph-json",
        "tailscale debug daemon-bus-graph",
        '{\n  "Topics": [\n    {\n      "Name": "netmon.ChangeDelta",\n      "Publisher": "netmon",\n'
        '      "Subscribers": ["magicsock", "ipnlocal"]\n    }\n  ]\n}',
        None,
    ),
    (
        "bus-graph-dot",
        "tailscale debug daemon-bus-graph --format=dot",
        'digraph event_bus {\n  "netmon" -> "magicsock" [label="netmon.ChangeDelta"];\n'
        '  "netmon" -> "ipnlocal" [label="netmon.ChangeDelta"];\n}',
        None,
    ),
    (
        "bus-graph-format",
        "tailscale debug daemon-bus-graph --format=svg",
        'unrecognized output format "svg"',
        "cli-usage",
    ),
    # debug.go:541-600 (v1.52+): debug localapi
    (
        "localapi-ok",
        "tailscale debug localapi GET status",
        '# doing request GET /localapi/v0/status\n{\n  "Version": "1.92.3-t0123456789",\n'
        '  "BackendState": "Running"\n}',
        None,
    ),
    ("localapi-args", "tailscale debug localapi", "expected at least one argument", "cli-usage"),
    # debug.go:458-477 (v1.10+): profiles
    (
        "debug-profile",
        "sudo tailscale debug --cpu-profile=cpu.prof --mem-profile=mem.prof",
        "Capturing CPU profile for 15 seconds ...\nCPU profile written to cpu.prof\nCapturing memory profile ...\n"
        "Memory profile written to mem.prof",
        None,
    ),
    # debug.go:992-1017 (v1.40+): debug via refusals
    (
        "via-site",
        "tailscale debug via 70000 10.0.0.0/24",
        "site-id values over 65535 are currently reserved",
        "cli-usage",
    ),
    ("via-args", "tailscale debug via", "expect either <site-id> <v4-cidr> or <v6-route>", "cli-usage"),
    # debug.go:748-759 (v1.66+)
    ("prefer-derp", "tailscale debug force-prefer-derp nyc", "expected exactly one integer argument", "cli-usage"),
    # debug.go:779/782 (v1.80+)
    ("reload-config", "sudo tailscale debug reload-config", "config reloaded", None),
    ("reload-config-off", "sudo tailscale debug reload-config", "config mode not in use", "cli-usage"),
    # debug.go:1502
    ("statedir-none", "tailscale debug statedir", "no statedir is set", "cli-usage"),
    # id-token.go:24/27 (v1.34+)
    ("id-token-usage", "tailscale id-token", "usage: tailscale id-token <aud>", "cli-usage"),
    # licenses.go:23 (v1.34+)
    (
        "licenses",
        "tailscale licenses",
        "\nTailscale wouldn't be possible without the contributions of thousands of open\n"
        "source developers. To see the open source packages included in Tailscale and\n"
        "their respective license information, visit:\n\n    https://tailscale.com/licenses/tailscale",
        None,
    ),
]


def _presentations(command: str, output: str) -> dict[str, str]:
    return {
        "prompt": f"$ {command}\n{output}\n",
        "fence": f"```\n$ {command}\n{output}\n```\n",
        "crlf": f"$ {command}\r\n{output}\r\n".replace("\n", "\r\n").replace("\r\r\n", "\r\n"),
        "quote": "".join(f"> {line}\n" if line else ">\n" for line in f"$ {command}\n{output}".split("\n")),
    }


CASES = [
    pytest.param(text, expected, id=f"{name}-{how}")
    for name, command, output, expected in CATALOG
    for how, text in _presentations(command, output).items()
]


def read_as(text: str) -> str | None:
    """The kinds read (comma-joined), `None` for an output that raises nothing and leaves no line unread."""
    try:
        document = run_json(text)
    except InputError:
        return None if not split_input(text).skipped else "unread"
    kinds = sorted({error["kind"] for error in document["windows"] or []})
    if kinds:
        return ",".join(kinds)
    problems = [f["rule"] for f in document["findings"] if f["severity"] != "info"]
    unread = [w for w in document["warnings"] if "not recognised" in w]
    return ",".join(problems + unread) or None


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_each_subcommand_message_is_read_as_an_expert_reads_it(text: str, expected: str | None) -> None:
    assert read_as(text) == expected, text


# ---- part one: the sweep over the extract ----
# (read with a kind, read as an output) this round reached (before it: head 268 and 107 of 1169, old 65 and 17 of
# 321); a change that reads fewer fails here. `python -m tests.diagnose.cli_sweep measure FILE --list nothing`
# lists what is left.
# fix25b: messages starting with "#" counted (head 1182, old 330 messages), debug localapi's status line, routecheck's
# wrapped LocalAPI error, lock remove's declined prompt: head 307 and 132, old 65 and 24.
# s12-clisweep: a feature missing from the build, LocalAPI's bare 403 bodies, generic usage errors under their command,
# file cp targets, whoami's no-address state: head 401 and 132 (nothing 741 -> 647), old 67 and 24.
# s12-clisweep2: system policy refusals (blocked-by-policy), no network map yet, Taildrive's PeerAPI refusals, UDP GRO
# forwarding not enabled: head 413 and 134 (nothing 645 -> 633), old 67 and 26. The second figure reads the LocalAPI
# and ipnlocal errors as the CLI prints them (cli_sweep.relayed: `Access denied: …`, `<status>: …`): read with a kind
# head 119 -> 125 of 393 (a policy refusal no longer misread as unix-access-denied), old 36 of 140.
# s12-cli3: `tailscale ip -4`/`-6` without an address of that family (address-family-missing): head 415 and 134
# (nothing 633 -> 631); old unchanged, wrapped unchanged.
# s13-cli (test_cli_sweep_s13.py): LocalAPI's answers read whatever their body (a status with no kind of its own is
# backend-error saying what the status means, 501 daemon-subcommand-unavailable, LocalAPI without the endpoint
# version-mismatch, a 500/412 under lock/serve/cert/file/drive/switch/update/dns query that command's kind), Services
# (service list / serve get-config a view; serve clear's nothing to clear, set-config's unreadable file): head 417 and
# 138 (nothing 627 -> 625), old 68 and 26; wrapped head 125 -> 193 of 393 (nothing 84 -> 0), old 36 -> 69 of 140.
# fix39-cli: ping's "peer's node key has expired" (ipnlocal/local.go) was an "output" only as a misread tailscaled log
# line (login-required of this node); it is now read with its kind, peer-key-expired: head 419 and 137.
FLOORS = {"head.tsv": (419, 137), "old.tsv": (68, 26)}
WRAPPED_FLOORS = {"head.tsv": 193, "old.tsv": 69}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_the_sweep_reads_at_least_what_it_read(name: str) -> None:
    messages = read_extract(EXTRACTS / name)
    assert messages and all(m.where.count(":") == 1 and m.role in ("error", "output") for m in messages)
    measured = measure(messages)
    counts, wrapped = measured["*"], measured["wrapped"]
    kind, output = FLOORS[name]
    assert counts["kind"] >= kind and counts["output"] >= output, counts
    assert wrapped["kind"] >= WRAPPED_FLOORS[name], wrapped
