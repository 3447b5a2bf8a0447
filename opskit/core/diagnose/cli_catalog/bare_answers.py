"""Catalogued CLI refusals whose words say nothing about Tailscale: read only as the whole answer of the command
typed above them (COMMAND_ANSWERS), found unread by the coverage sweep (tests/diagnose/cli_sweep.py, session 12).

Read from Tailscale's source at de9ec7ee2 (2026-08-22):
- ipn/localapi: every handler refuses a caller without the permission it needs with a 403 whose body ends
  ``access denied`` (``whois access denied``, ``prefs write access denied``, peerapi's ``denied; no debug access``,
  serve's ``serve config denied``). client/local prints it ``Access denied: <body>`` (read in windows.py); `tailscale
  debug localapi` prints the body alone under ``# Response status 403 Forbidden``, and people paste the body alone.
- the argument checks of the CLI's commands (cli.go's callers, serve_legacy.go, serve_v2.go, netcheck.go,
  debug.go, debug-portmap.go, file.go, wait.go, whoami.go, exitnode.go, syspolicy's LocalAPI,
  configure-pve-appliance.go, configure-flash-appliance*.go): a usage error, nothing ran.
- file.go's target checks (`file cp`) and its `file get` refusal to overwrite.
- configure-kube.go / configure-synology-cert.go: ``Tailscale is not running`` (the backend is not Running).
"""

from __future__ import annotations

import re

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry, features, relayed
from opskit.core.diagnose.lazyre import LazyPattern
from opskit.core.diagnose.models import CliErrorKind
from opskit.core.diagnose.text import typed_tailscale_command

_USAGE = CliErrorKind.CLI_USAGE
_CLI = "cmd/tailscale/cli/"
# Any subcommand, with tailscale the program run (after sudo/doas or a path), not a word of another command's
# arguments (`grep tailscale notes.txt`): these wordings say nothing of Tailscale. A bare `tailscale` prints its help.
_ANY_SUBCOMMAND = re.compile(
    r"^(?:(?:sudo|doas)\s+(?:-\S+\s+)*)?(?:\S*[/\\])?tailscale(?:\.exe)?\s+(?:--\S*\s+)*[a-z][\w-]*\b", re.IGNORECASE
)
_SERVE = r"(?:serve|funnel)"
_NO_ARGUMENTS_FIX = (
    "Run it again without the extra words (`tailscale <command> --help` lists what it takes); a flag's value "
    "goes after `=` (`--hostname=nas`), and a value with spaces needs quotes."
)


def _answer(
    typed: str | re.Pattern[str],
    kind: CliErrorKind,
    phrase: str,
    pattern: str,
    cause: str,
    fix: str,
    source: str,
    example: str,
) -> tuple[re.Pattern[str] | LazyPattern, Refusal]:
    command = typed if isinstance(typed, re.Pattern) else typed_tailscale_command(typed)
    return command, catalog_entry(kind, phrase, pattern, cause, fix, source, example)


def _usage(
    typed: str | re.Pattern[str], phrase: str, pattern: str, cause: str, fix: str, source: str, example: str
) -> tuple[re.Pattern[str] | LazyPattern, Refusal]:
    return _answer(typed, _USAGE, phrase, pattern, cause, fix, source, example)


COMMAND_ANSWERS: tuple[tuple[re.Pattern[str] | LazyPattern, Refusal], ...] = (
    # ---------------------------------------------------------------- LocalAPI's 403 bodies, printed alone
    *(
        _answer(
            _ANY_SUBCOMMAND,
            CliErrorKind.UNIX_ACCESS_DENIED,
            phrase,
            pattern,
            "tailscaled's LocalAPI refused this user the request ({what}): only root (Administrator), the "
            "operator set with `--operator` or a member of the allowed group may change settings or read what it "
            "guards. tailscaled runs; nothing changed.",
            "Run the command with `sudo` (an elevated prompt on Windows), or once as root make this user the "
            "operator: `sudo tailscale set --operator=$USER`.",
            "ipn/localapi/localapi.go, debug.go, serve.go, tailnetlock.go; ipn/ipnlocal/peerapi.go",
            example,
        )
        for phrase, pattern, example in (
            # "<what> access denied" (and a bare "access denied"), never "… access denied by policy"
            ("access denied", r"^(?P<what>(?:[\w-]+ ){0,4})access denied$", "prefs write access denied"),
            ("denied; no debug access", r"^denied; no (?P<what>debug) access$", "denied; no debug access"),
            ("serve config denied", r"^(?P<what>serve config) denied$", "serve config denied"),
        )
    ),
    # ---------------------------------------------------------------- tailscaled's short bodies, printed alone
    *((_ANY_SUBCOMMAND, refusal) for refusal in relayed.BARE),
    # client/local's WatchIPNBus (`up`, `login`, `status --watch`, `debug watch-ipn`) prints a refused LocalAPI
    # request as its status alone: "404 Not Found" is a tailscaled without that endpoint (features.py's reading of
    # "404 Not Found: 404 page not found")
    _answer(
        _ANY_SUBCOMMAND,
        CliErrorKind.VERSION_MISMATCH,
        "404 not found",
        r"^(?:HTTP )?404 Not Found$",
        features.UNKNOWN_ENDPOINT_CAUSE,
        features.UNKNOWN_ENDPOINT_FIX,
        "client/local/local.go (WatchIPNBus), ipn/localapi/localapi.go",
        "404 Not Found",
    ),
    # ---------------------------------------------------------------- usage errors of any command
    _usage(
        _ANY_SUBCOMMAND,
        "arguments",
        r"^(?:error: )?(?:unknown arguments|unexpected arguments(?:: (?P<args>.+))?|unexpected non-flag arguments"
        r"|too many arguments, expected none|invalid number of arguments)$",
        "the command was given words it does not take: it takes no arguments, or fewer. Nothing ran.",
        _NO_ARGUMENTS_FIX,
        _CLI + "bugreport.go, configure-*.go, debug-cachenetmap.go, wait.go, whoami.go, exitnode.go, serve_legacy.go",
        "unknown arguments",
    ),
    # ---------------------------------------------------------------- serve / funnel
    _usage(
        _SERVE,
        "service name",
        r"^(?:error: )?(?:missing service name argument|invalid service name: .+)$",
        "serve's Service subcommands take a Service name `svc:<name>` (lower-case letters, digits and dashes): "
        "it was missing or not one. Nothing changed.",
        "Name the Service as the admin console shows it: `tailscale serve clear svc:web` (`tailscale serve status` "
        "lists the ones this node serves).",
        _CLI + "serve_v2.go",
        'invalid service name: "web"',
    ),
    _usage(
        _SERVE,
        "port",
        r'^(?:error: )?(?:invalid port "[^"]*"(?::.*)?|port number must be non-zero|parse port "[^"]*": .+)$',
        "serve/funnel was given a port that is not a port number 1-65535. Nothing changed.",
        "Give a number: `tailscale serve --https=443 3000`, `tailscale funnel --https=8443 …` (Funnel: 443, 8443 "
        "or 10000).",
        _CLI + "serve_legacy.go, serve_v2.go",
        'invalid port "https"',
    ),
    *(
        _usage(
            _SERVE,
            phrase,
            rf"^(?:error: )?{pattern}$",
            "serve/funnel could not read its arguments (the serve type, mount point, path or file): a usage "
            "error. Nothing changed.",
            "Run `tailscale serve --help` for the form (1.52+: `tailscale serve [--bg] [--https=443|--http=80|"
            "--tcp=N] <target>`, a target like `3000`, `http://localhost:3000` or an absolute path; "
            "`--set-path=/docs` for a mount point).",
            _CLI + "serve_legacy.go, serve_v2.go",
            example,
        )
        for phrase, pattern, example in (
            ("must specify filename", r"must specify filename", "must specify filename"),
            (
                "mount point",
                r'(?:mount point cannot be empty|invalid mount point "[^"]*")',
                "mount point cannot be empty",
            ),
            ("path must be absolute", r"path must be absolute", "error: path must be absolute"),
            ("invalid path", r"invalid path(?:: .+)?", "error: invalid path: docs/../x"),
            ("invalid type ", r'invalid type "[^"]*"', 'invalid type "udp"'),
            (
                "must be one of: ",
                r"must be one of: (?:http:<port>, https:<port>, tcp:<port> or tls-terminated-tcp:<port>"
                r"|localhost or 127\.0\.0\.1)",
                "must be one of: localhost or 127.0.0.1",
            ),
        )
    ),
    # ---------------------------------------------------------------- netcheck, debug
    _usage(
        r"netcheck",
        "invalid bind ",
        r'^invalid bind (?:port number: -?\d+|address: "[^"]*")$',
        "`tailscale netcheck --bind-address` takes an IP address with an optional port 0-65535; it got another "
        "value. Nothing ran.",
        "Give an address of this machine, e.g. `tailscale netcheck --bind-address=0.0.0.0:0` (or leave it out).",
        _CLI + "netcheck.go",
        'invalid bind address: "eth0"',
    ),
    *(
        _usage(
            r"debug\s+via",
            phrase,
            rf"^{phrase}$",
            "`tailscale debug via <v6-route>` decodes a 4via6 route (an IPv6 prefix under fd7a:115c:a1e0:b1a::/64, "
            "/96 or longer); the argument was not one. Nothing ran.",
            "Give the 4via6 prefix (`tailscale debug via fd7a:115c:a1e0:b1a:0:7:a00:0/120`) or a site ID and an "
            "IPv4 prefix (`tailscale debug via 7 10.0.0.0/24`).",
            _CLI + "debug.go",
            phrase,
        )
        for phrase in ("with one argument, expect an ipv6 cidr", "not a via route", "short length, want /96 or more")
    ),
    _usage(
        r"debug\s+portmap",
        "-addr",
        r"^(?:if one of --gateway-addr and --self-addr is provided, the other must be as well"
        r"|invalid --(?:gateway|self)-addr: .+)$",
        "`tailscale debug portmap` takes the gateway's and this machine's LAN address together, as IP "
        "addresses. Nothing ran.",
        "Give both or neither: `tailscale debug portmap --gateway-addr=192.168.1.1 --self-addr=192.168.1.20`.",
        _CLI + "debug-portmap.go",
        "if one of --gateway-addr and --self-addr is provided, the other must be as well",
    ),
    _usage(
        r"syspolicy",
        "is not a valid scope",
        r'^"(?P<scope>[^"]*)" is not a valid scope$',
        "`tailscale syspolicy` reads policy for a scope (`device`, `user`, `profile` and their IDs), and "
        "`{scope}` is none. Nothing ran.",
        "Leave the scope out (this device's policy) or give a valid one: `tailscale syspolicy list`.",
        "ipn/localapi/syspolicy_api.go",
        '"machine" is not a valid scope',
    ),
    # ---------------------------------------------------------------- Taildrop
    _usage(
        r"file\s+cp",
        "target",
        r"^(?:an IPv6 literal must be written as \[.+\]|unexpected brackets around target)$",
        "`tailscale file cp` takes its target as `<peer>:` (name or address, IPv6 in brackets `[fd7a::1]:`); this "
        "one was written another way. Nothing was sent.",
        "Write the target like `tailscale file cp photo.jpg nas:` or `tailscale file cp photo.jpg "
        "[fd7a:115c:a1e0::1]:` (`tailscale file cp --targets` lists who can receive).",
        _CLI + "file.go",
        "unexpected brackets around target",
    ),
    _usage(
        r"file\s+cp",
        "directories not supported",
        r"^directories not supported$",
        "`tailscale file cp` sends files, not directories. Nothing was sent.",
        "Send the files (`tailscale file cp dir/* nas:`) or an archive of the directory (`tar czf dir.tgz dir`).",
        _CLI + "file.go",
        "directories not supported",
    ),
    _answer(
        r"file\s+cp",
        CliErrorKind.TAILDROP_FAILED,
        "unknown target; ",
        r"^unknown target; (?:\S+ is not a Tailscale IP address|not in your Tailnet)$",
        "`tailscale file cp` found no peer of this tailnet for the target: not a Tailscale address, or "
        "a name/address no peer of the netmap has (another tailnet, removed, or not shared with you). Nothing "
        "was sent.",
        "Pick a target from `tailscale file cp --targets` (your own devices and those shared for Taildrop) and "
        "write it as `<name>:` or `<100.x address>:`.",
        _CLI + "file.go",
        "unknown target; not in your Tailnet",
    ),
    _answer(
        r"file\s+get",
        CliErrorKind.TAILDROP_FAILED,
        "refusing to overwrite file",
        r"^refusing to overwrite file: (?P<why>.+)$",
        "`tailscale file get --conflict=skip` left a received file in the inbox because a file of that name is "
        "already in the target directory ({why}).",
        "Choose another directory, or `--conflict=rename` (keep both) / `--conflict=overwrite`.",
        _CLI + "file.go",
        "refusing to overwrite file: file exists",
    ),
    _usage(
        r"file\s+get",
        "is not a directory",
        r'^"(?P<dir>[^"]*)" is not a directory$',
        "`tailscale file get <dir>` moves the received files into an existing directory, and `{dir}` is none. "
        "Nothing was moved.",
        "Create it first (`mkdir -p {dir}`) or name an existing directory: `tailscale file get ~/Downloads/`.",
        _CLI + "file.go",
        '"/root/incoming" is not a directory',
    ),
    # ---------------------------------------------------------------- configure
    _usage(
        r"configure\s+pve-appliance",
        "size",
        r'^(?:empty size|unknown size suffix "[^"]*"|size -?\d+ must be positive|parsing --disk-size: .+)$',
        "`tailscale configure pve-appliance --disk-size` takes a positive size with a unit (`8G`, `512M`). "
        "Nothing was created.",
        "Give a size like `--disk-size=8G` (or leave the default).",
        _CLI + "configure-pve-appliance.go",
        'unknown size suffix "GB"',
    ),
    _usage(
        r"configure\s+flash-appliance",
        "pass --variant=",
        r"^pass --variant=<one of (?P<variants>.+)>$",
        "the appliance image offers several variants and none was picked. Nothing was written.",
        "Rerun with one of them: `--variant=<{variants}>`.",
        _CLI + "configure-flash-appliance.go",
        "pass --variant=<one of rpi, amd64, arm64>",
    ),
    _answer(
        r"configure\s+flash-appliance",
        CliErrorKind.CONFIGURE_FAILED,
        "is not a device file",
        r"^(?P<disk>\S+) is not a device file$",
        "`tailscale configure flash-appliance` writes a whole disk, and `{disk}` is not a disk device (a file or "
        "a directory). Nothing was written.",
        "Name the disk device (Linux `/dev/sdX` from `lsblk`, macOS `/dev/diskN` from `diskutil list`).",
        _CLI + "configure-flash-appliance_linux.go",
        "/home/pi/disk.img is not a device file",
    ),
    _answer(
        r"configure",
        CliErrorKind.NOT_RUNNING_STATE,
        "tailscale is not running",
        r"^Tailscale is not running\.?$",
        "the command needs this node on the tailnet (its name and certificate domain), and tailscaled's backend "
        "is not Running: logged out, stopped with `tailscale down`, or still waiting for a login. Nothing was "
        "configured.",
        "Run `tailscale up` (log in if asked), check `tailscale status` shows this node, then run the command again.",
        _CLI + "configure-kube.go, configure-synology-cert.go",
        "Tailscale is not running.",
    ),
    # `tailscale ping <peer>` to a peer whose node key expired: ipnlocal's pingPeerAPI and magicsock's errExpired
    # (disco, TSMP) answer it and the CLI returns it bare. Under `ping` only: the same words are tailscaled's own
    # log after a WireGuard send, and prose says them of any node.
    _answer(
        r"ping",
        CliErrorKind.PEER_KEY_EXPIRED,
        "node key has expired",
        r"^(?:error: |ping (?:error|failed): )?peer.s node key has expired\.?$",
        "the peer is in this node's netmap but its node key has expired, so tailscaled refuses to ping it and "
        "no WireGuard traffic reaches it: every connection to it fails until it logs in again. This node is fine "
        "(it answered).",
        "On the peer re-authenticate (`sudo tailscale up`, or `tailscale up --force-reauth`; a headless one needs a "
        "new auth key), and for a server consider 'Disable key expiry' on it in the admin console's Machines page.",
        "ipn/ipnlocal/local.go, wgengine/magicsock/endpoint.go",
        "peer's node key has expired",
    ),
)
