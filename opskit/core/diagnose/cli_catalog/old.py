"""Catalogued CLI refusals of 2020-2021: the wordings Tailscale's CLI used from v0.98 to v1.20 and no longer does.

Written from the old tags of tailscale/tailscale (cmd/tailscale/tailscale.go of v0.98, cmd/tailscale/cli/up.go,
ip.go, file.go, ping.go of v1.0-v1.20), read with `git show <tag>:<path>` and `git log -S`: each message here is one
HEAD words otherwise (and families_a/families_b read in today's words) or that is gone. The kinds are the ones
today's wording of the same refusal has. Patterns are written from the message texts; no code is taken.
"""

from __future__ import annotations

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry
from opskit.core.diagnose.models import CliErrorKind

_USAGE = CliErrorKind.CLI_USAGE
_EXIT = CliErrorKind.EXIT_NODE_REFUSED
_FLAGS = CliErrorKind.UP_FLAGS_REQUIRED
_RESET = CliErrorKind.DAEMON_CONNECTION_RESET
_DEADLINE = CliErrorKind.DEADLINE


def _entry(kind: CliErrorKind, phrase: str, pattern: str, cause: str, fix: str, source: str, example: str) -> Refusal:
    """One catalog entry; every pattern ignores case (people retype messages)."""
    return catalog_entry(kind, phrase, pattern, cause, fix, source, example)


REFUSALS: tuple[Refusal, ...] = (
    _entry(
        _USAGE,
        "is not a valid cidr prefix",
        r"\"?(?P<value>[^\"\s]*)\"? is not a valid CIDR prefix: (?P<error>.+?)[\"`']?\s*$",
        "`tailscale up --advertise-routes` was given `{value}`, which is not an IP prefix ({error}). Nothing changed "
        "(this is the v0.98 CLI's wording; later versions say `is not a valid IP address or CIDR prefix`).",
        "Give every advertised route as a network prefix, comma-separated: `tailscale up "
        "--advertise-routes=192.168.1.0/24,10.0.0.0/8`.",
        "cmd/tailscale/tailscale.go (v0.98)",
        '"10.0.0.0/33" is not a valid CIDR prefix: invalid CIDR address: 10.0.0.0/33',
    ),
    _entry(
        _USAGE,
        "invalid value --netfilter-mode: ",
        r'invalid value --netfilter-mode: "?(?P<mode>[^"\s]*)"?',
        '--netfilter-mode "{mode}" is not a mode tailscaled knows. Nothing changed.',
        "Use one of on, nodivert or off (Linux only): `tailscale up --netfilter-mode=nodivert`.",
        "cmd/tailscale/cli/up.go (v1.0-v1.6)",
        'invalid value --netfilter-mode: "bogus"',
    ),
    _entry(
        _USAGE,
        "hostname too long: ",
        r"hostname too long: (?P<bytes>\d+) bytes \(max 256\)",
        "`tailscale up --hostname` was given a name of {bytes} bytes; the limit is 256. Nothing changed.",
        "Pass a shorter name (a DNS label: letters, digits and hyphens, at most 63 per label): `tailscale up "
        "--hostname=<name>`.",
        "cmd/tailscale/cli/up.go (v1.0-v1.20)",
        "hostname too long: 300 bytes (max 256)",
    ),
    _entry(
        _USAGE,
        "-4 and -6 are mutually exclusive",
        r"tailscale (?:up|ip) -4 and -6 are mutually exclusive",
        "`tailscale ip` was given both -4 and -6, which each pick one address family. Nothing ran (v1.8-v1.14 "
        "called the command `tailscale up` in this message).",
        "Use one of them: `tailscale ip -4` (the IPv4 address) or `tailscale ip -6`.",
        "cmd/tailscale/cli/ip.go (v1.8-v1.18)",
        "tailscale ip -4 and -6 are mutually exclusive",
    ),
    _entry(
        _USAGE,
        "file subcommand required",
        r"file subcommand required; run 'tailscale file -h' for details",
        "`tailscale file` was run without its subcommand (`cp` or `get`). Nothing ran.",
        "Send with `tailscale file cp <files> <target>:`, receive with `tailscale file get <directory>`.",
        "cmd/tailscale/cli/file.go (v1.8-v1.20)",
        "file subcommand required; run 'tailscale file -h' for details",
    ),
    _entry(
        _USAGE,
        "usage: file get <target-directory>",
        r"usage: file get <target-directory>",
        "`tailscale file get` was run without the directory to put the received files in (or with more than one). "
        "Nothing was received.",
        "Name one directory: `tailscale file get ~/Downloads` (add `--wait` to wait for files still on their way).",
        "cmd/tailscale/cli/file.go (v1.8-v1.20)",
        "usage: file get <target-directory>",
    ),
    _entry(
        _USAGE,
        "--socket cannot be empty",
        r"--socket cannot be empty",
        "the CLI was given an empty `--socket`, so it has no LocalAPI socket to reach tailscaled on. Nothing ran.",
        "Leave `--socket` out (the default socket) or give tailscaled's: `tailscale "
        "--socket=/var/run/tailscale/tailscaled.sock up`.",
        "cmd/tailscale/tailscale.go (v0.98), cmd/tailscale/cli/cli.go (v1.0-v1.20)",
        "--socket cannot be empty",
    ),
    _entry(
        _EXIT,
        "as the exit node as it is a local ip",
        r"cannot use (?P<ip>\S+) as the exit node as it is a local IP address to this machine",
        "`--exit-node={ip}` names this machine's own address: a node cannot use itself as its exit node. Nothing "
        "changed.",
        "To offer this machine as an exit node, run `tailscale up --advertise-exit-node`; to use another one, give "
        "that node's Tailscale address: `tailscale up --exit-node=<100.x.y.z>`.",
        "cmd/tailscale/cli/up.go (v1.6-v1.20)",
        "cannot use 192.168.1.5 as the exit node as it is a local IP address to this machine, did you mean "
        "--advertise-exit-node?",
    ),
    _entry(
        _EXIT,
        "for --exit-node: ",
        r'invalid IP address "(?P<value>[^"]*)" for --exit-node: ',
        '`--exit-node="{value}"` is not an IP address: before v1.20 `tailscale up` took the exit node only by its '
        "Tailscale IP. Nothing changed.",
        "Give the exit node's Tailscale IP (`tailscale status` lists it): `tailscale up --exit-node=100.x.y.z`, or "
        "update Tailscale (v1.20 on accepts a node name).",
        "cmd/tailscale/cli/up.go (v1.6-v1.18)",
        'invalid IP address "nas" for --exit-node: ParseIP("nas"): unable to parse IP',
    ),
    _entry(
        _FLAGS,
        "without --reset requires all preferences",
        r"'tailscale up' without --reset requires all preferences with changing values to be explicitly mentioned"
        r"(?:; this command would change the value of flagless pref \"?(?P<pref>\w+)\"?)?",
        "`tailscale up` restates every setting: this command left out one that is set now ({pref}), so it would "
        "have changed it. Nothing changed (v1.8's wording).",
        "Repeat every non-default flag you use in the same `tailscale up` command (or add `--reset` to go back to "
        "defaults for the ones left out).",
        "cmd/tailscale/cli/up.go (v1.8)",
        "'tailscale up' without --reset requires all preferences with changing values to be explicitly mentioned; "
        'this command would change the value of flagless pref "RouteAll"',
    ),
    # The same refusal as printed while April-May 2021's development builds (between v1.6 and v1.8, the up
    # checker's rewrite: "make the new 'up' errors prettier", then "rewrite the 'up' checker") worded it, with the
    # full command to run on the lines below it: "'tailscale up' without --reset requires explicitly mentioning
    # all non-default or changing values:" (any later head of the same shape reads the same).
    _entry(
        _FLAGS,
        "without --reset requires",
        r"'?tailscale up'? without --reset requires (?!all preferences)(?P<what>[^:;]*?mention[^:;]*)",
        "`tailscale up` restates every setting: this command left out settings this node has now, and the CLI "
        'refused it rather than reset them ("{what}"). Nothing changed (a 2021 development build\'s wording).',
        "Run the full command the CLI printed under it (it keeps the current settings), or add `--reset` to go back "
        "to defaults for the ones left out; with v1.32+ change one setting with `tailscale set`.",
        "cmd/tailscale/cli/up.go (2021-04 development builds, before v1.8)",
        "'tailscale up' without --reset requires explicitly mentioning all non-default or changing values:",
    ),
    _entry(
        _RESET,
        "(tailscaled stopped running?)",
        r"\S \(tailscaled stopped running\?\)",
        "the CLI's connection to tailscaled closed (EOF or reset) while it waited for the daemon's answer: tailscaled "
        "went away mid-command (crashed, was restarted or stopped). v1.8-v1.20's wording.",
        "Check whether tailscaled is running and why it stopped: `systemctl status tailscaled` and `journalctl -u "
        "tailscaled -n 200` (Windows: the Tailscale service and its log in C:\\ProgramData\\Tailscale\\Logs), then "
        "run the command again.",
        "cmd/tailscale/cli/cli.go (v1.8-v1.20)",
        "EOF (tailscaled stopped running?)",
    ),
    _entry(
        _DEADLINE,
        "timeout running stop",
        r"(?<![\w-])timeout running stop\b",
        "`tailscale down` asked tailscaled to stop and got no answer within 5 seconds: the daemon is hung or too busy "
        "to answer its LocalAPI (v1.2-v1.6's wording).",
        "Look at tailscaled's log for what it is stuck on; restart it (`sudo systemctl restart tailscaled`) and run "
        "`tailscale down` again.",
        "cmd/tailscale/cli/down.go (v1.2-v1.6)",
        "timeout running stop",
    ),
)
