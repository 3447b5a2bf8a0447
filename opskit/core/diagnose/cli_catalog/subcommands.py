"""Refusals of the subcommands the coverage sweep found never read (tests/diagnose/cli_sweep.py).

Read from cmd/tailscale/cli at de9ec7ee2 (2026-08-22): risks.go (the confirmation before a risky change, with
down.go, up.go, set.go), routecheck.go, get.go, nc.go, dns-query.go, tailnet-lock.go (`lock log`'s version,
`lock tskey-wrap`), debug.go (`via`, `force-prefer-derp`, `reload-config`, `statedir`, `localapi`,
`daemon-bus-graph`, the `unexpected arguments` of its argument-less subcommands). Facts only: the patterns are
written from the message texts. Messages whose words are generic (``too many arguments``, ``unknown output
format``) are read only as the answer of the command typed above them (COMMAND_ANSWERS).
"""

from __future__ import annotations

import re

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry
from opskit.core.diagnose.lazyre import LazyPattern
from opskit.core.diagnose.models import CliErrorKind
from opskit.core.diagnose.text import typed_tailscale_command

_USAGE = CliErrorKind.CLI_USAGE
_RISK = CliErrorKind.RISK_NOT_ACCEPTED
_RISKS = "cmd/tailscale/cli/risks.go"
_DEBUG = "cmd/tailscale/cli/debug.go"
_RISK_FIX = (
    "Answer `y` at `Continue? [y/N]`, or rerun the same command with `--accept-risk={risk}` once the risk is "
    "understood (have another way in first when it cuts the session you typed it over)."
)

REFUSALS: tuple[Refusal, ...] = (
    catalog_entry(
        _RISK,
        "to skip this warning, use --accept-risk=",
        r"To skip this warning, use --accept-risk=(?P<risk>[\w,-]+)",
        "the CLI stopped before a risky change ({risk}) to ask `Continue? [y/N]`: it changes nothing until told "
        "yes (no terminal to answer, as in a script, is a no).",
        _RISK_FIX,
        _RISKS,
        "To skip this warning, use --accept-risk=lose-ssh",
    ),
    catalog_entry(
        _RISK,
        "you are connected ",
        r"You are connected (?:over|using) Tailscale(?: SSH)?; this action (?P<what>.+?) (?:result|disconnecting)",
        "the change {what} the SSH session this command was typed in (it runs over Tailscale): the CLI asks to "
        "confirm (risk `lose-ssh`) and changes nothing until told yes.",
        "Answer `y` at `Continue? [y/N]` or rerun with `--accept-risk=lose-ssh` — from a console or a "
        "non-Tailscale address first if the session must survive.",
        "cmd/tailscale/cli/down.go, up.go",
        "You are connected over Tailscale; this action will disable Tailscale and result in your session "
        "disconnecting.",
    ),
    catalog_entry(
        _RISK,
        "app connector on macos",
        r"You are trying to configure an app connector on macOS|Do not use a macOS app connector for any mission",
        "`--advertise-connector` on macOS: app connectors are supported on Linux only (performance and "
        "reliability issues), so the CLI asks to confirm (risk `mac-app-connector`) and changes nothing until "
        "told yes.",
        "Run the app connector on a Linux node; to go on here anyway rerun with `--accept-risk=mac-app-connector`.",
        "cmd/tailscale/cli/risks.go, up.go, set.go",
        "You are trying to configure an app connector on macOS, which is not officially supported due to system "
        "limitations.",
    ),
    catalog_entry(
        _USAGE,
        "routecheck: report unavailable",
        r"routecheck: report unavailable",
        "`tailscale routecheck` found no reachability report in tailscaled yet (none is made until a probe "
        "runs): nothing is wrong with the routes.",
        "Run `tailscale routecheck --probe` to probe the routers now and print the report.",
        "cmd/tailscale/cli/routecheck.go",
        "routecheck: report unavailable",
    ),
    catalog_entry(
        _USAGE,
        "usage: lock tskey-wrap",
        r"usage: lock tskey-wrap <tailscale pre-auth key>",
        "`tailscale lock tskey-wrap` takes exactly one auth key (`tskey-auth-…`) to sign for tailnet lock.",
        "Run `tailscale lock tskey-wrap tskey-auth-…` on a signing node (one holding a trusted tailnet lock key).",
        "cmd/tailscale/cli/tailnet-lock.go",
        "usage: lock tskey-wrap <tailscale pre-auth key>",
    ),
    *(
        catalog_entry(
            _USAGE,
            phrase,
            pattern,
            "`tailscale debug via` computes a 4via6 route from a site ID (0-65535, decimal or 0x hex) and an IPv4 "
            "CIDR, or reads one IPv6 via route back: the arguments given are neither.",
            "Run `tailscale debug via <site-id> <v4-cidr>` (`tailscale debug via 7 10.1.1.0/24`) or `tailscale "
            "debug via fd7a:115c:a1e0:b1a:0:7:a01:100/120`.",
            _DEBUG,
            example,
        )
        for phrase, pattern, example in (
            (
                "site-id values over",
                r"site-id values over 65535 are currently reserved",
                "site-id values over 65535 are currently reserved",
            ),
            (
                "invalid site-id ",
                r'invalid site-id "[^"]*"; must be decimal or hex',
                'invalid site-id "x7"; must be decimal or hex with 0x prefix',
            ),
            (
                "<site-id> <v4-cidr>",
                r"expect either <site-id> <v4-cidr> or <v6-route>",
                "expect either <site-id> <v4-cidr> or <v6-route>",
            ),
        )
    ),
    catalog_entry(
        _USAGE,
        "failed to force preferred derp",
        r"failed to force preferred DERP: (?P<why>.+)",
        "tailscaled refused `debug force-prefer-derp`: {why}.",
        "Pass one DERP region ID from `tailscale debug derp-map` (`tailscale debug force-prefer-derp 2`); 0 "
        "clears the override.",
        _DEBUG,
        "failed to force preferred DERP: 400 Bad Request: unknown region",
    ),
    catalog_entry(
        _USAGE,
        "config mode not in use",
        r"\bconfig mode not in use\b",
        "`tailscale debug reload-config` reloads the file tailscaled was started with by `--config`, and this "
        "tailscaled was started without one: nothing to reload (its settings come from `tailscale up`/`set`).",
        "Change settings with `tailscale set`, or start tailscaled with `--config=<file>` to manage them from a file.",
        _DEBUG,
        "config mode not in use",
    ),
    catalog_entry(
        _USAGE,
        "no statedir is set",
        r"\bno statedir is set\b",
        "`tailscale debug statedir`: this tailscaled runs without a state directory (`--statedir`; e.g. "
        "`--state=mem:`), so there is none to print.",
        "Start tailscaled with `--statedir=/var/lib/tailscale` (or `--state=<file>`) if it should keep state.",
        _DEBUG,
        "no statedir is set",
    ),
)

_ABORTED = "aborted, no changes made"


def _answer(
    typed: str, kind: CliErrorKind, phrase: str, pattern: str, cause: str, fix: str, source: str, example: str
) -> tuple[re.Pattern[str] | LazyPattern, Refusal]:
    return typed_tailscale_command(typed), catalog_entry(kind, phrase, pattern, cause, fix, source, example)


COMMAND_ANSWERS: tuple[tuple[re.Pattern[str] | LazyPattern, Refusal], ...] = (
    _answer(
        r"(?:up|down|set|login|debug\s+test-risk)",
        _RISK,
        _ABORTED,
        r"^aborted, no changes made$",
        "the CLI asked to confirm a risky change (cutting the SSH session it was typed in, or a macOS app "
        "connector) and was not told yes (or had no terminal to ask): it aborted and changed nothing.",
        "Rerun the same command and answer `y`, or add `--accept-risk=<type>` (the type the warning above "
        "names: `lose-ssh`, `mac-app-connector`, or `all`).",
        _RISKS,
        _ABORTED,
    ),
    _answer(
        r"get",
        _USAGE,
        "too many arguments: ",
        r'^too many arguments: \[(?P<names>"[^\]]*")\]$',
        "`tailscale get` prints one setting (or all of them): it was given several ({names}).",
        "Ask one at a time (`tailscale get accept-routes`), or `tailscale get` alone for the whole table.",
        "cmd/tailscale/cli/get.go",
        'too many arguments: ["exit-node" "accept-routes"]',
    ),
    _answer(
        r"(?:routecheck|netcheck|debug\s+daemon-bus-graph)",
        _USAGE,
        "output format ",
        r'^(?:unknown|unrecognized) output format "(?P<format>[^"]*)"$',
        "the command has no output format `{format}`.",
        "Use one it knows: `tailscale routecheck --format=json` or `tailscale netcheck --format=json` (or "
        "`json-line`, or none for text); "
        "`tailscale debug daemon-bus-graph --format=dot` (or `json`).",
        "cmd/tailscale/cli/routecheck.go, netcheck.go, debug.go",
        'unknown output format "yaml"',
    ),
    _answer(
        r"nc",
        _USAGE,
        "invalid port number ",
        r'^invalid port number "(?P<port>[^"]*)"$',
        "`tailscale nc <host> <port>` takes a port number, not `{port}`.",
        "Give the number: `tailscale nc <host> 22` (as an SSH ProxyCommand: `tailscale nc %h %p`).",
        "cmd/tailscale/cli/nc.go",
        'invalid port number "ssh"',
    ),
    _answer(
        r"nc",
        CliErrorKind.SSH_FAILED,
        "dial(",
        r'^Dial\("(?P<host>[^"]*)", (?P<port>\d+)\): (?P<why>.+)$',
        "tailscaled could not open a TCP connection to {host} port {port} over the tailnet: {why} (the peer is "
        "offline or unknown, nothing listens on that port, or the tailnet policy does not allow it).",
        "Check `tailscale status` and `tailscale ping {host}`, that a service listens on {port} there, and that the "
        "tailnet policy grants this node that port.",
        "cmd/tailscale/cli/nc.go",
        'Dial("nas", 22): dial tcp 100.101.102.103:22: connect: connection refused',
    ),
    _answer(
        r"dns\s+query",
        _USAGE,
        " argument",
        r"^(?:missing required argument: name|unexpected extra arguments: .+)$",
        "`tailscale dns query` takes a name and, optionally, a record type: the arguments given are not that.",
        "Run `tailscale dns query <name> [type]` (`tailscale dns query nas.tail1234.ts.net AAAA`).",
        "cmd/tailscale/cli/dns-query.go",
        "missing required argument: name",
    ),
    _answer(
        r"dns\s+query",
        CliErrorKind.DNS_QUERY_FAILED,
        "failed to parse dns ",
        r"^failed to parse DNS (?:response|answers): (?P<why>.+)$",
        "tailscaled's resolver answered `tailscale dns query` with a DNS message the CLI could not parse ({why}): "
        "the upstream resolver sent a malformed or truncated answer.",
        "Retry; query the upstream resolver directly (`dig @<resolver> <name>`) to see its answer, and check the "
        "resolvers in the tailnet's DNS settings.",
        "cmd/tailscale/cli/dns-query.go",
        "failed to parse DNS response: unexpected EOF",
    ),
    # tailnet-lock.go (v1.32+): a key, vote count or signature the lock subcommand could not parse, or signing /
    # wrapping that failed ("<what>: <why>"; the words alone are too generic to read outside `tailscale lock`)
    _answer(
        r"lock\s+(?:remove|sign|add|init|revoke-keys|tskey-wrap|log|disablement-kdf)",
        CliErrorKind.TAILNET_LOCK_FAILED,
        ": ",
        r"^(?P<what>computing KeyID for key \S+|affected sigs for key \S+|failed decoding (?:signature|pubkey for "
        r"signature)|failed to sign \S+|parsing key \d+(?: votes)?|decoding (?:node-key|rotation-key|AUM hash)"
        r"|decoding|wrapping failed|generating keyID|parsing hex): (?P<why>.+)$",
        "the `tailscale lock` command stopped at `{what}`: {why}. A key or signature given on the command line is "
        "not in the form it takes, or tailscaled refused the signing step; the tailnet lock state is unchanged.",
        "Copy keys exactly as `tailscale lock status` prints them (`tlpub:<hex>`, node keys as `nodekey:<hex>`, "
        "votes as `tlpub:<hex>?<votes>`), and sign or wrap on a signing node (one whose key is trusted).",
        "cmd/tailscale/cli/tailnet-lock.go",
        "decoding rotation-key: invalid hex",
    ),
    _answer(
        r"lock\s+(?:log|status)",
        _USAGE,
        "unrecognised version: ",
        r"^unrecognised version: (?P<version>\d+)$",
        "`--json={version}` asks for a JSON schema version this CLI does not print (only 1).",
        "Use `--json` (or `--json=1`).",
        "cmd/tailscale/cli/tailnet-lock.go",
        "unrecognised version: 2",
    ),
    _answer(
        r"debug\s+(?:localapi|force-prefer-derp|force-netmap-update|control-knobs|peer-relay-servers|test-risk"
        r"|statedir)",
        _USAGE,
        "argument",
        r"^(?:expected at least one argument(?: after method)?|expected exactly one integer argument(?:: .+)?"
        r"|unexpected arguments)$",
        "the debug subcommand was given the wrong arguments (`debug localapi` needs a path, "
        "`force-prefer-derp` one region number, the others none).",
        "Run `tailscale debug <subcommand> --help`; e.g. `tailscale debug localapi GET status`, "
        "`tailscale debug force-prefer-derp 2`.",
        _DEBUG,
        "expected at least one argument",
    ),
)
