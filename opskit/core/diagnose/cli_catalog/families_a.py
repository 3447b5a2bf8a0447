"""Catalogued CLI refusals: the command families of group A (see the package docstring).

Written from the messages of Tailscale's CLI source (cmd/tailscale/cli at commit de9ec7ee2, v1.103.0-pre) and
the ipn/ipnlocal, ipn/localapi, ipn/prefs.go, net/netutil and clientupdate errors those commands relay: cli.go
(subcommand errors), up/login/set/down/logout, switch, exit-node, ip, whois, ping, netcheck, dns, configure
(kubeconfig, Proxmox, flash and JetKVM appliances, the macOS system extension), update/version, nc, id-token,
metrics, get, service, debug. Each pattern is anchored on text only tailscale prints (a flag, a subcommand, a
tailscale noun); messages made only of format verbs or generic words ("invalid argument", "unknown arguments",
"no reply", "aborted") are left out, and messages an existing hand-written pattern of windows.py reads keep
that kind (they never reach the catalog). Entries are tried in order: the more specific message first.
"""

from __future__ import annotations

import re

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry
from opskit.core.diagnose.lazyre import LazyPattern
from opskit.core.diagnose.models import CliErrorKind
from opskit.core.diagnose.text import typed_tailscale_command

_USAGE = CliErrorKind.CLI_USAGE
_EXIT = CliErrorKind.EXIT_NODE_REFUSED
_SSH_SERVER = CliErrorKind.SSH_SERVER_UNSUPPORTED
_SWITCH = CliErrorKind.SWITCH_FAILED
_UPDATE = CliErrorKind.UPDATE_FAILED
_DNS = CliErrorKind.DNS_QUERY_FAILED
_CONFIGURE = CliErrorKind.CONFIGURE_FAILED
_NC = CliErrorKind.SSH_FAILED

_CLI = "cmd/tailscale/cli/"
_QUOTED = r'"(?P<{name}>(?:[^"\\]|\\.)*)"'  # a Go %q value
_EDGE_QUOTED = r'"?(?P<{name}>(?:[^"\\]|\\.)*)"?'


def _q(name: str) -> str:
    return _QUOTED.format(name=name)


def _q_edge(name: str) -> str:
    """A %q value that starts or ends its message: windows.py strips the quotes that wrap a whole line (and
    people's backticks around it), taking the value's first or last quote with them."""
    return _EDGE_QUOTED.format(name=name)


def _entry(kind: CliErrorKind, phrase: str, pattern: str, cause: str, fix: str, source: str, example: str) -> Refusal:
    """One catalog entry; every pattern ignores case (people retype messages)."""
    return catalog_entry(kind, phrase, pattern, cause, fix, source, example)


_SUBCOMMANDS = r"(?P<command>tailscale(?: [a-z][\w-]*){0,3})"

REFUSALS: tuple[Refusal, ...] = (
    # ------------------------------------------------------------------ cli.go, and every command's usage checks
    _entry(
        _USAGE,
        "unknown subcommand: ",
        _SUBCOMMANDS + r": unknown subcommand: (?P<sub>\S+)",
        "`{command}` has no subcommand `{sub}`: a typo, or a subcommand this CLI version does not have yet "
        "(newer than this build) or any more (renamed, e.g. `tailscale configure synology` was `configure-host`). "
        "Nothing ran.",
        "List the subcommands this build has with `{command} --help` and `tailscale version`; update Tailscale if "
        "the documentation you follow names a newer subcommand.",
        _CLI + "cli.go",
        "tailscale debug: unknown subcommand: netmapp",
    ),
    _entry(
        _USAGE,
        "missing subcommand: ",
        _SUBCOMMANDS + r": missing subcommand: (?P<subs>.+)",
        "`{command}` only groups subcommands and was run without one. Nothing ran.",
        "Add one of its subcommands: {subs} (e.g. `{command} <subcommand> --help`).",
        _CLI + "cli.go",
        "tailscale exit-node: missing subcommand: list, suggest",
    ),
    _entry(
        _USAGE,
        "debug: subcommand or",
        r"tailscale debug: subcommand or flag required",
        "`tailscale debug` was run bare: it needs a subcommand or a flag. Nothing ran.",
        "Run `tailscale debug --help` for its subcommands (`tailscale debug prefs`, `netmap`, `derp <region>` …).",
        _CLI + "debug.go",
        "tailscale debug: subcommand or flag required",
    ),
    _entry(
        _USAGE,
        "usage: tailscale",
        r"(?<![\w-])usage: (?P<usage>tailscale (?:switch|ping|nc|id-token|metrics|debug|service)\b.*)",
        "the command was given the wrong number of arguments; the CLI answered with its usage line "
        "(`{usage}`). Nothing ran.",
        "Run it again as the usage line says (`{usage}`); `tailscale <command> --help` explains each argument.",
        _CLI + "switch.go, ping.go, nc.go, id-token.go, metrics.go, service.go, debug.go",
        "usage: tailscale switch NAME",
    ),
    _entry(
        _USAGE,
        "-6 are mutually exclusive",
        r"tailscale ip -1, -4, and -6 are mutually exclusive",
        "`tailscale ip` was given more than one of -1, -4 and -6, which each pick one address kind. Nothing ran.",
        "Use one of them: `tailscale ip -4` (the IPv4 address), `tailscale ip -6` or `tailscale ip -1` (the first).",
        _CLI + "ip.go",
        "tailscale ip -1, -4, and -6 are mutually exclusive",
    ),
    # `tailscale ip -4` / `-6` (v1.4+): the node, or the peer named, has no tailnet address of that family
    _entry(
        CliErrorKind.ADDRESS_FAMILY_MISSING,
        "no tailscale ipv4 address",
        r"(?<![\w-])no Tailscale IPv4 address(?:$|[\"'`.,;)])",
        "`tailscale ip -4` found no IPv4 tailnet address on this node (or on the peer named after it): it is up and "
        "on the tailnet with IPv6 only. Tailscale gives no IPv4 addresses when the tailnet policy file sets "
        '`"disableIPv4": true` (chosen to avoid clashes with other 100.64.0.0/10 networks) and to IPv6-only '
        "ephemeral nodes; Headscale none when its `prefixes:` have no `v4:`. Nothing failed: what needs IPv4 (a "
        "script using `$(tailscale ip -4)`, a service bound to it, an IPv4-only program or peer) gets nothing.",
        "Use the IPv6 address (`tailscale ip -6`, or `tailscale ip -1`) or the MagicDNS name in the script or "
        "service. If it needs IPv4: remove `disableIPv4` from the tailnet policy file (admin console, Access "
        "controls), or give Headscale a `v4:` prefix (`v4: 100.64.0.0/10`) and restart it; the node gets its "
        "address with the next network map.",
        _CLI + "ip.go",
        "no Tailscale IPv4 address",
    ),
    _entry(
        CliErrorKind.ADDRESS_FAMILY_MISSING,
        "no tailscale ipv6 address",
        r"(?<![\w-])no Tailscale IPv6 address(?:$|[\"'`.,;)])",
        "`tailscale ip -6` found no IPv6 tailnet address on this node (or on the peer named after it): it is up and "
        "on the tailnet with IPv4 only, which Tailscale's own control server never does (every node gets an "
        "fd7a:115c:a1e0:: address): a Headscale whose `prefixes:` have no `v6:`, or another control server "
        "giving IPv4 only. Nothing failed: what needs IPv6 (a script using `$(tailscale ip -6)`, a service bound "
        "to it) gets nothing.",
        "Use the IPv4 address (`tailscale ip -4`) or the MagicDNS name in the script or service; if it needs IPv6, "
        "give Headscale a `v6:` prefix (`v6: fd7a:115c:a1e0::/48`) and restart it: the node gets its address with "
        "the next network map.",
        _CLI + "ip.go",
        "no Tailscale IPv6 address",
    ),
    _entry(
        _USAGE,
        "arguments, expected at most",
        r"too many arguments, expected at most one peer",
        "`tailscale ip` / `tailscale whois` take at most one peer (a name or an address), and got several.",
        "Ask about one peer per command: `tailscale ip <name>`, `tailscale whois <address>`.",
        _CLI + "ip.go, whois.go",
        "too many arguments, expected at most one peer",
    ),
    _entry(
        _USAGE,
        "argument, expected one",
        r"missing argument, expected one peer",
        "`tailscale whois` was run without the peer to look up.",
        "Name the peer's Tailscale address (or address:port): `tailscale whois 100.101.102.103`.",
        _CLI + "whois.go",
        "missing argument, expected one peer",
    ),
    _entry(
        _USAGE,
        "can only be used with --exit-node",
        r"--exit-node-allow-lan-access can only be used with --exit-node",
        "`--exit-node-allow-lan-access` was given without `--exit-node`: LAN access is an option of using an exit "
        "node, and `tailscale up` restates every setting, so the exit node must be named in the same command.",
        "Name the exit node too: `tailscale up --exit-node=<name or IP> --exit-node-allow-lan-access` (or change "
        "only this option with `tailscale set --exit-node-allow-lan-access`).",
        _CLI + "up.go",
        "--exit-node-allow-lan-access can only be used with --exit-node",
    ),
    _entry(
        _USAGE,
        "invalid value --netfilter-mode",
        r"invalid value --netfilter-mode=" + _q_edge("mode"),
        '--netfilter-mode="{mode}" is not a mode tailscaled knows. Nothing changed.',
        "Use one of on, nodivert or off (Linux only): `tailscale up --netfilter-mode=nodivert`.",
        _CLI + "up.go",
        'invalid value --netfilter-mode="none"',
    ),
    _entry(
        _EXIT,
        "not supported on synology",
        r"--exit-node is not supported on Synology",
        "`--exit-node` was refused on Synology: DSM's package runs tailscaled without the routing it needs to send "
        "this NAS's traffic through an exit node (tailscale/tailscale#1995). Nothing changed.",
        "Do not use an exit node on the Synology itself (use it on the clients), or run Tailscale in a container / "
        "VM on the NAS with its own TUN device; advertising the NAS as an exit node (--advertise-exit-node) works.",
        _CLI + "up.go",
        "--exit-node is not supported on Synology; see https://github.com/tailscale/tailscale/issues/1995",
    ),
    _entry(
        _USAGE,
        "not supported on synology",
        r"--(?P<flag>accept-routes|netfilter-mode values besides \"off\") (?:is )?not supported on Synology",
        "`tailscale up --{flag}` was refused on Synology: DSM's package cannot install the routes or firewall rules "
        "(tailscale/tailscale#1995). Nothing changed.",
        "Leave the flag out on Synology (the netfilter mode there is always off), or run Tailscale in a container "
        "or VM on the NAS when it must accept routes.",
        _CLI + "up.go",
        "--accept-routes is not supported on Synology; see https://github.com/tailscale/tailscale/issues/1995",
    ),
    _entry(
        _USAGE,
        "unknown setting ",
        r"unknown setting " + _q("name") + r"; see \"?tailscale set --help\"? for valid settings",
        '`tailscale get {name}`: there is no setting named "{name}" (get reads the settings `tailscale set` '
        "changes, by their flag name).",
        "List the valid names with `tailscale set --help` and ask for one of them (`tailscale get accept-routes`).",
        _CLI + "get.go",
        'unknown setting "exitnode"; see "tailscale set --help" for valid settings',
    ),
    _entry(
        _USAGE,
        "both --version and --track",
        r"cannot specify both --version and --track",
        "`tailscale update` was given both --version and --track: a version already implies its track. "
        "Nothing was updated.",
        "Give one: `tailscale update --version=1.80.3` or `tailscale update --track=stable`.",
        _CLI + "update.go",
        "cannot specify both --version and --track",
    ),
    _entry(
        _USAGE,
        "--json argument cannot be used",
        r"--json argument cannot be used with tailscale switch",
        "`tailscale switch --json` only lists the profiles; combined with a profile name it is refused.",
        "Use `tailscale switch --list --json` to list, `tailscale switch <name>` to switch.",
        _CLI + "switch.go",
        "--json argument cannot be used with tailscale switch NAME",
    ),
    _entry(
        _USAGE,
        "; see 'tailscale dns",
        r"unexpected flags after query name: (?P<flags>.+?); see 'tailscale dns query --help'?",
        "`tailscale dns query` takes its flags before the name; {flags} came after it and were not read.",
        "Put the flags first: `tailscale dns query --type=AAAA <name>` (see `tailscale dns query --help`).",
        _CLI + "dns-query.go",
        "unexpected flags after query name: --type=AAAA; see 'tailscale dns query --help'",
    ),
    _entry(
        _USAGE,
        "has non-address bits set",
        r"(?:route )?(?P<route>[0-9A-Fa-f.:]+/\d+) has non-address bits set; expected (?P<masked>[0-9A-Fa-f.:]+/\d+)",
        "the route {route} (--advertise-routes) has host bits set below its prefix length: Tailscale wants the "
        "network address. Nothing changed.",
        "Advertise the network itself: `--advertise-routes={masked}`.",
        _CLI + "up.go, set.go (net/netutil/routes.go, ipn/ipnlocal/local.go)",
        "192.168.1.10/24 has non-address bits set; expected 192.168.1.0/24",
    ),
    _entry(
        _USAGE,
        " counterpart, please also advertise",
        r"(?P<route>0\.0\.0\.0/0|::/0) advertised without its IPv[46] counterpart, please also advertise "
        r"(?P<other>0\.0\.0\.0/0|::/0)",
        "--advertise-routes names the default route {route} alone: Tailscale offers an exit node for both "
        "families at once. Nothing changed.",
        "Use `--advertise-exit-node` (it advertises both), or list both: `--advertise-routes={route},{other}`.",
        _CLI + "up.go, set.go (net/netutil/routes.go)",
        "0.0.0.0/0 advertised without its IPv6 counterpart, please also advertise ::/0",
    ),
    _entry(
        _USAGE,
        "is required (e.g. --storage=",
        r"--storage is required \(e\.g\. --storage=",
        "`tailscale configure pve-appliance` needs the Proxmox storage to create the VM's disk on.",
        "Name it: `tailscale configure pve-appliance --storage=local-lvm` (`pvesm status` lists the storages).",
        _CLI + "configure-pve-appliance.go",
        "--storage is required (e.g. --storage=local-lvm)",
    ),
    _entry(
        _USAGE,
        "id-token: works-in-progress require",
        r"tailscale id-token: works-in-progress require TAILSCALE_USE_WIP_CODE=1",
        "`tailscale id-token` is a work-in-progress command, switched off unless the environment enables it.",
        "Run it as `TAILSCALE_USE_WIP_CODE=1 tailscale id-token <audience>` (it is not a stable interface).",
        _CLI + "id-token.go",
        "tailscale id-token: works-in-progress require TAILSCALE_USE_WIP_CODE=1 envvar",
    ),
    _entry(
        _USAGE,
        "use --danger to proceed",
        r"this command is dangerous; use --danger to proceed",
        "a `tailscale debug` command that writes tailscaled's state store refused to run without --danger.",
        "Only if you mean to change the state store: add --danger (`tailscale debug dev-store-set --danger <key> "
        "<value>`); otherwise leave it, it is a developer command.",
        _CLI + "debug.go",
        "this command is dangerous; use --danger to proceed",
    ),
    # controlhttp.Dial's error when both the port-80 and the port-443 upgrade fail (control/controlhttp/client.go:
    # "all connection attempts failed (HTTP: %v, HTTPS: %v)"), `debug ts2021` printing it after "controlhttp.Dial =
    # 0x0, ": read only when a side is an HTTP status ("unexpected HTTP response: 308 …"): TCP and TLS worked and
    # the server (a proxy in front of it) answered the Noise upgrade with a plain HTTP status (an x509 side is
    # TLS interception, read before the catalog)
    _entry(
        CliErrorKind.CONTROL_UNREACHABLE,
        "all connection attempts failed",
        r"all connection attempts failed \((?=[^)]*unexpected HTTP response: \d{3})HTTP: (?P<http>[^)]+?), "
        r"HTTPS: (?P<https>[^)]+)\)",
        "the control server's address accepted TCP (and TLS), but the Noise (ts2021) upgrade of the control "
        "connection was answered with a plain HTTP status instead of switching protocols (HTTP: {http}; HTTPS: "
        "{https}): a reverse proxy or web server in front of the control server (Headscale behind nginx, Caddy, "
        "Traefik, Cloudflare) redirects the upgrade (301/308) or refuses it (400/404/426) because it does not "
        "pass the `Upgrade: tailscale-control-protocol` / `Connection: upgrade` headers to the server, or the "
        "host name points at another site. The node cannot open its control connection, so it cannot log in.",
        "Make the proxy pass the upgrade to the control server on /ts2021 (nginx: `proxy_http_version 1.1; "
        "proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade;`, no "
        "port-80-to-443 redirect of /ts2021; Cloudflare: DNS only, not proxied), then re-run `tailscale debug "
        "ts2021` until it prints `did noise handshake`.",
        "control/controlhttp/client.go",
        "all connection attempts failed (HTTP: unexpected HTTP response: 308 Permanent Redirect, HTTPS: "
        "unexpected HTTP response: 400 Bad Request)",
    ),
    _entry(
        _USAGE,
        "invalid --force-port value",
        r"invalid --force-port value " + _q("port") + r"; must be \"80\" or \"443\"?",
        '`tailscale debug ts2021 --force-port="{port}"`: only 80 and 443 are control ports. Nothing ran.',
        "Use `--force-port=443` (or 80).",
        _CLI + "debug.go",
        'invalid --force-port value "8443"; must be "80" or "443"',
    ),
    _entry(
        _USAGE,
        "relay server static endpoints",
        r"failed to set relay server static endpoints: " + _q("endpoint") + r" is not a valid IP:port",
        '`tailscale set --relay-server-static-endpoints`: "{endpoint}" is not an address:port. Nothing changed.',
        "Give each endpoint as IP:port, comma-separated (`--relay-server-static-endpoints=203.0.113.5:40000`; "
        "IPv6 as [2001:db8::1]:40000).",
        _CLI + "set.go",
        'failed to set relay server static endpoints: "relay.example.com:40000" is not a valid IP:port',
    ),
    _entry(
        _USAGE,
        "enable shields-up when",
        r"Cannot enable shields-up when Funnel is enabled",
        "tailscaled refused --shields-up: this node has Funnel on, and shields-up would block the connections "
        "Funnel exists to let in. Nothing changed.",
        "Turn Funnel off first (`tailscale funnel reset`, or `tailscale funnel --https=443 off`), then "
        "`tailscale set --shields-up`; or keep Funnel and leave shields-up off.",
        "ipn/ipnlocal/local.go",
        "Cannot enable shields-up when Funnel is enabled.",
    ),
    # ------------------------------------------------------------------ exit nodes (up/set --exit-node, exit-node)
    _entry(
        _EXIT,
        "ip address to this machine",
        r"cannot use (?P<node>\S+) as an exit node as it is a local IP address to this machine",
        "--exit-node={node} names this machine itself (one of its own addresses): a node cannot route through "
        "itself. Nothing changed.",
        "To offer this machine as an exit node use `tailscale set --advertise-exit-node`; to use one, name another "
        "node (`tailscale exit-node list`).",
        "ipn/prefs.go",
        "cannot use 100.64.0.5 as an exit node as it is a local IP address to this machine; did you mean "
        "--advertise-exit-node?",
    ),
    _entry(
        _EXIT,
        "cannot resolve exit node by hostname",
        r"cannot resolve exit node by hostname while Tailscale is starting up",
        "--exit-node was given a name while tailscaled had no peers yet (still starting or logging in), so the "
        "name could not be looked up. Nothing changed.",
        "Wait until `tailscale status` lists peers and retry, or give the exit node's Tailscale IP "
        "(`--exit-node=100.x.y.z`).",
        "ipn/prefs.go",
        "cannot resolve exit node by hostname while Tailscale is starting up; please use its Tailscale IP address "
        "instead",
    ),
    _entry(
        _EXIT,
        "ambiguous exit node name",
        r"ambiguous exit node name " + _q_edge("name"),
        'more than one peer answers to "{name}" (the same short name in several tailnets/users, or '
        "duplicate hostnames), so the exit node is ambiguous. Nothing changed.",
        "Give the full MagicDNS name or the Tailscale IP of the one you mean (`tailscale exit-node list` shows both): "
        "`tailscale set --exit-node=<name>.<tailnet>.ts.net`.",
        "ipn/prefs.go",
        'ambiguous exit node name "gateway"',
    ),
    _entry(
        _EXIT,
        "has no tailscale ip",
        r"node " + _q("name") + r" has no Tailscale IP\?",
        'the peer "{name}" chosen as exit node has no Tailscale address in this node\'s netmap (it is not '
        "fully registered, or its addresses are hidden from this node). Nothing changed.",
        "Check the node in `tailscale status` and the admin console (is it logged in and approved?); give its "
        "Tailscale IP once it has one.",
        "ipn/prefs.go",
        'node "gateway" has no Tailscale IP?',
    ),
    _entry(
        _EXIT,
        "cannot advertise an exit node and use",
        r"Cannot advertise an exit node and use an exit node at the same time",
        "tailscaled refused the settings: they would make this node both offer itself as an exit node "
        "(--advertise-exit-node) and send its traffic through another one (--exit-node). Nothing changed.",
        "Choose one: `tailscale set --exit-node=` (stop using one) or `tailscale set --advertise-exit-node=false` "
        "(stop offering); with `tailscale up` restate the flags without the one you drop.",
        "ipn/ipnlocal/local.go",
        "Cannot advertise an exit node and use an exit node at the same time.",
    ),
    _entry(
        CliErrorKind.BLOCKED_BY_POLICY,  # a policy's refusal, not the exit node's: sudo or another node do not help
        "cannot be changed: ",
        r"exit node cannot be changed: (?P<why>.+)",
        "the exit node setting is fixed by a system policy (MDM / Group Policy ExitNodeID or ExitNodeIP, without "
        "AllowExitNodeOverride): tailscaled refuses to change it ({why}).",
        "Ask whoever manages the device's Tailscale policy to change the exit node or allow the override "
        "(`tailscale syspolicy list` shows the policies in force); sudo or another exit node does not help.",
        "ipn/ipnlocal/local.go",
        "exit node cannot be changed: managed by policy",
    ),
    _entry(
        _EXIT,
        "no exit nodes found for",
        r"no exit nodes found for " + _q_edge("filter"),
        '`tailscale exit-node list --filter="{filter}"` found no exit node in that country or city among the '
        "peers offering one to this node (the filter is matched against the location of Mullvad and other "
        "location-tagged exit nodes).",
        "Run `tailscale exit-node list` without --filter to see the countries available, and use a name from it.",
        _CLI + "exitnode.go",
        'no exit nodes found for "Germany"',
    ),
    _entry(
        _EXIT,
        "no exit nodes found",
        r"no exit nodes found",
        "`tailscale exit-node list` found no peer offering an exit node to this node: none advertises one, its "
        "route is not approved, or the policy does not let this node use it.",
        "On the node meant as exit: `tailscale set --advertise-exit-node`; approve it in the admin console "
        "(Machines > … > Edit route settings > Use as exit node) and allow autogroup:internet in the policy.",
        _CLI + "exitnode.go",
        "no exit nodes found",
    ),
    _entry(
        _EXIT,
        "no preferred derp",
        r"no preferred DERP, try again later",
        "`tailscale exit-node suggest` needs this node's home DERP region to rank exit nodes, and it has none yet "
        "(just started, or no DERP region reachable).",
        "Wait a few seconds and retry; if it stays, `tailscale netcheck` shows whether any DERP region answers.",
        "ipn/ipnlocal/local.go",
        "suggest exit node: no preferred DERP, try again later",
    ),
    _entry(
        _EXIT,
        "suggest exit node: ",
        # (no network map yet is the node not running: relayed.py)
        r"suggest exit node: (?!(?:(?:[45]\d\d [A-Za-z ]+|backend error): )?no (?:network map|netmap)\b)(?P<why>.+)",
        "`tailscale exit-node suggest` could not suggest one: {why}.",
        "Check that peers offer exit nodes (`tailscale exit-node list`) and that the node is up (`tailscale "
        "status`); pick one yourself with `tailscale set --exit-node=<name>`.",
        _CLI + "exitnode.go",
        "suggest exit node: 500 Internal Server Error: no candidates in expected region: this is a bug",
    ),
    _entry(
        _EXIT,
        "no prior exit node to enable",
        r"no prior exit node to enable",
        "using an exit node was switched back on (the apps' exit-node toggle) but this profile never had one to "
        "go back to.",
        "Name the exit node: `tailscale set --exit-node=<name or IP>` (`tailscale exit-node list`).",
        "ipn/ipnlocal/local.go",
        "no prior exit node to enable",
    ),
    _entry(
        _EXIT,
        "enable & prior exit",
        r"no exit node IP to enable & prior exit node IP was never resolved",
        "the exit node was switched back on but the one used before was given by IP and never matched a node "
        "of the netmap.",
        "Name a current exit node: `tailscale set --exit-node=<name or IP>` (`tailscale exit-node list`).",
        "ipn/ipnlocal/local.go",
        "no exit node IP to enable & prior exit node IP was never resolved an a node",
    ),
    # ------------------------------------------------------------------ up/set --ssh: the server refused
    _entry(
        _SSH_SERVER,
        "ssh server; not enabled",
        r"Unable to enable local Tailscale SSH server; not enabled on Tailnet",
        "`--ssh` was refused: Tailscale SSH is not enabled for this tailnet (control did not give this node the "
        "SSH capability). Nothing changed.",
        'Enable Tailscale SSH for the tailnet (an "ssh" section in the tailnet policy file, '
        "https://tailscale.com/s/ssh), then retry `tailscale set --ssh`.",
        "ipn/ipnlocal/local.go",
        "Unable to enable local Tailscale SSH server; not enabled on Tailnet. See https://tailscale.com/s/ssh",
    ),
    _entry(
        _SSH_SERVER,
        "ssh server administratively disabled",
        r"Tailscale SSH server administratively disabled",
        "`--ssh` was refused: this tailscaled was started with its SSH server disabled (TS_DISABLE_SSH_SERVER in "
        "its environment, or a build without it). Nothing changed.",
        "Remove TS_DISABLE_SSH_SERVER from tailscaled's environment (systemd unit, /etc/default/tailscaled) and "
        "restart it, or use OpenSSH on this node instead.",
        "ipn/ipnlocal/local.go",
        "Tailscale SSH server administratively disabled",
    ),
    _entry(
        _SSH_SERVER,
        "ssh support not available; import",
        r"SSH support not available; import",
        "this tailscaled was built without the Tailscale SSH server (a minimal or custom build).",
        "Install an official build (or rebuild with the SSH feature), or use OpenSSH on this node.",
        "ipn/ipnlocal/local.go",
        'SSH support not available; import _ "tailscale.com/feature/ssh"',
    ),
    # ------------------------------------------------------------------ tailscale nc (ssh's ProxyCommand)
    _entry(
        _NC,
        "unexpected http response: ",
        r"Dial\(" + _q("host") + r", (?P<port>\d+)\): (?P<why>unexpected HTTP response: .+)",
        "`tailscale nc {host} {port}` (the ProxyCommand `tailscale ssh` and ssh configs use) could not open the "
        "connection through tailscaled: {why}. ssh then sees its proxy close at once.",
        "Check the name resolves to a peer (`tailscale ping {host}`) and that something listens on port {port} "
        "there (for 22: `tailscale set --ssh` on the target, or an sshd); a 'resolve failure' means the name is "
        "no MagicDNS name of the tailnet.",
        _CLI + "nc.go (ipn/localapi/localapi.go)",
        'Dial("server", 22): unexpected HTTP response: 502 Bad Gateway, dial failure: connection refused',
    ),
    # ------------------------------------------------------------------ switch (login profiles)
    _entry(
        _SWITCH,
        "no profile named",
        r"No profile named " + _q_edge("name"),
        "`tailscale switch {name}`: no login profile of this node has that name, tailnet, account or ID.",
        "List the profiles with `tailscale switch --list` and use a name or ID from it; add another account with "
        "`tailscale login`.",
        _CLI + "switch.go",
        'No profile named "work"',
    ),
    _entry(
        _SWITCH,
        "failed to switch to account: ",
        r"Failed to switch to account: (?P<why>.+)",
        "tailscaled refused to switch login profiles: {why} (a 403 is a non-admin / non-operator user, a 404 a "
        "profile that no longer exists).",
        "Run it as root or the operator (`sudo tailscale switch …`, or once `sudo tailscale set --operator=$USER`); "
        "check the profile with `tailscale switch --list`.",
        _CLI + "switch.go",
        "Failed to switch to account: 404 Not Found: Profile not found",
    ),
    _entry(
        _SWITCH,
        "failed to remove account: ",
        r"Failed to remove account: (?P<why>.+)",
        "tailscaled refused to remove the login profile: {why}.",
        "Run it as root or the operator; check the name with `tailscale switch --list`.",
        _CLI + "switch.go",
        "Failed to remove account: 403 Forbidden: profiles access denied",
    ),
    _entry(
        _SWITCH,
        "waiting for switch to complete",
        r"Timed out waiting for switch to complete",
        "the profile switch was accepted but tailscaled did not reach a settled state (Running or NeedsLogin) "
        "before the CLI gave up: the new profile is still connecting to its control server.",
        "Check `tailscale status` (and `tailscale switch --list` for the current profile); if it stays Starting, "
        "the new profile's control server is unreachable (see tailscaled's log).",
        _CLI + "switch.go",
        "Timed out waiting for switch to complete.",
    ),
    _entry(
        _SWITCH,
        '" already in use',
        r"profile name " + _q("name") + r" already in use",
        'another login profile of this node is already called "{name}" (`tailscale set --nickname`). Nothing changed.',
        "Pick another nickname, or rename the other profile first (`tailscale switch --list` shows them).",
        "ipn/ipnlocal/local.go",
        'profile name "home" already in use',
    ),
    _entry(
        _SWITCH,
        "404 not found: profile",
        r"404 Not Found: Profile not found",
        "tailscaled has no login profile with the ID the CLI asked for (removed meanwhile, or a stale ID).",
        "List the profiles with `tailscale switch --list` and retry with a current one.",
        "ipn/localapi/localapi.go",
        "404 Not Found: Profile not found",
    ),
    # ------------------------------------------------------------------ update, version --upstream, --auto-update
    _entry(
        _UPDATE,
        "auto-updates are not supported",
        r"Auto-updates are not supported on this platform",
        "`--auto-update` was refused: this install cannot update itself (a distribution/Homebrew/NAS package or "
        "a container, not an official package tailscaled knows how to update). Nothing changed.",
        "Update through the package manager that installed Tailscale (apt/dnf/apk, Homebrew, the NAS package "
        "center, the container image) and leave auto-update off.",
        "ipn/ipnlocal/local.go",
        "Auto-updates are not supported on this platform.",
    ),
    _entry(
        _UPDATE,
        "support is disabled in this build",
        r"Auto-update support is disabled in this build",
        "`--auto-update` was refused: this tailscaled was built without the updater.",
        "Update it the way it was installed; for auto-updates install an official build.",
        "ipn/ipnlocal/local.go",
        "Auto-update support is disabled in this build",
    ),
    _entry(
        _UPDATE,
        "failed to enable automatic updates",
        r"failed to enable automatic updates: (?P<why>.+)",
        "`tailscale set --auto-update` could not switch on the platform's updater: {why}.",
        "Fix what the error names (run as root / administrator), or update by hand with `tailscale update`.",
        _CLI + "set.go",
        'failed to enable automatic updates: exit status 1, "Access is denied."',
    ),
    _entry(
        _UPDATE,
        "fetching latest version",
        r"fetching latest version not supported in this build",
        "`tailscale version --upstream` needs the updater, which this build does not include.",
        "Compare with https://pkgs.tailscale.com/stable/ (or the changelog) by hand.",
        _CLI + "version.go",
        "fetching latest version not supported in this build",
    ),
    _entry(
        _UPDATE,
        "support is not linked into",
        r"gokrazy update support is not linked into this binary",
        "`tailscale update` on a gokrazy appliance needs the appliance updater, which this binary lacks.",
        "Update the appliance image (flash or deploy a newer one) instead.",
        _CLI + "update.go (clientupdate/clientupdate.go)",
        "gokrazy update support is not linked into this binary",
    ),
    _entry(
        _UPDATE,
        "unsupported track ",
        r"unsupported track " + _q_edge("track"),
        '`tailscale update --track="{track}"`: the tracks are stable and unstable. Nothing was updated.',
        "Use `tailscale update --track=stable` (or unstable).",
        _CLI + "update.go (clientupdate/clientupdate.go)",
        'unsupported track "beta"',
    ),
    _entry(
        _UPDATE,
        "installing a specific version on",
        r"installing a specific version on (?P<where>Synology|apk-based distros|FreeBSD|QNAP|Unraid) is not supported",
        "`tailscale update --version` is refused on {where}: the updater there can only install the latest "
        "version from the package repository.",
        "Drop --version (`tailscale update`), or install that version with the platform's own tools.",
        _CLI + "update.go (clientupdate/clientupdate.go)",
        "installing a specific version on Synology is not supported",
    ),
    _entry(
        _UPDATE,
        "cannot find synology package",
        r"cannot find Synology package for os=(?P<os>\S+) arch=(?P<arch>\S+)",
        "`tailscale update` found no Synology package for this NAS (os={os} arch={arch}).",
        "Update through DSM's Package Center (or download the .spk for the model from pkgs.tailscale.com); "
        "report the model to Tailscale.",
        _CLI + "update.go (clientupdate/clientupdate.go)",
        "cannot find Synology package for os=dsm7 arch=armv5, please report a bug with your device model",
    ),
    _entry(
        _UPDATE,
        "unsupported synology cpu",
        r"unsupported Synology CPU architecture " + _q("arch"),
        '`tailscale update` does not know this NAS\'s CPU ("{arch}"), so it cannot pick a package.',
        "Update through DSM's Package Center or install the matching .spk by hand.",
        _CLI + "update.go (clientupdate/clientupdate.go)",
        'unsupported Synology CPU architecture "ppc" (Go arch "ppc64")',
    ),
    _entry(
        _UPDATE,
        "synopkg ",
        r"synopkg (?P<step>install|start) failed: ",
        "`tailscale update` downloaded the package but DSM's `synopkg {step}` failed (often: Package Center only "
        "trusts Synology's own publisher).",
        "In Package Center > Settings > General allow packages from 'Any publisher', then rerun "
        "`tailscale update`, or install the .spk by hand in Package Center.",
        _CLI + "update.go (clientupdate/clientupdate.go)",
        "synopkg install failed: exit status 1",
    ),
    _entry(
        _UPDATE,
        "apt-get ",
        r"apt-get (?P<step>update|install) failed: .*; output:",
        "`tailscale update` ran `apt-get {step}` and it failed (the output follows: a repository that does not "
        "answer, a held or broken package, no root).",
        "Run `sudo apt-get update && sudo apt-get install tailscale` yourself and fix what apt reports (the "
        "pkgs.tailscale.com repository and its key in /etc/apt/sources.list.d/tailscale.list).",
        _CLI + "update.go (clientupdate/clientupdate.go)",
        "apt-get update failed: exit status 100; output:",
    ),
    _entry(
        _UPDATE,
        "dpkg --configure tailscale",
        r"dpkg --configure tailscale failed",
        "`tailscale update` installed the package but configuring it failed (its maintainer scripts).",
        "Run `sudo dpkg --configure -a` and read its error; then `sudo systemctl restart tailscaled`.",
        _CLI + "update.go (clientupdate/clientupdate.go)",
        "dpkg --configure tailscale failed: exit status 1; output:",
    ),
    _entry(
        _UPDATE,
        "tailscale repo file",
        _q_edge("file") + r" does not look like a tailscale repo file",
        '`tailscale update` refused to edit "{file}": it is not the repository file Tailscale\'s installer '
        "writes (changed by hand or by another tool), so the track cannot be switched safely.",
        "Restore the file from https://pkgs.tailscale.com (the install instructions for the distro) or update "
        "with the package manager directly.",
        _CLI + "update.go (clientupdate/clientupdate.go)",
        '"/etc/apt/sources.list.d/tailscale.list" does not look like a tailscale repo file, it contains an '
        'unexpected "deb" section',
    ),
    _entry(
        _UPDATE,
        "not installed via pkg",
        r"Tailscale was not installed via pkg, binary updates on FreeBSD are not supported",
        "`tailscale update` on FreeBSD only updates the pkg package, and this Tailscale was installed otherwise "
        "(ports, a copied binary).",
        "Reinstall with `pkg install tailscale`, or update the way it was installed.",
        _CLI + "update.go (clientupdate/clientupdate.go)",
        "Tailscale was not installed via pkg, binary updates on FreeBSD are not supported; please reinstall "
        "Tailscale using pkg or update manually",
    ),
    _entry(
        _UPDATE,
        "failed tailscale update using",
        r"failed tailscale update using (?P<tool>apk|pkg)",
        "`tailscale update` ran `{tool}` to upgrade the package and it failed.",
        "Run the upgrade yourself (`apk upgrade tailscale` / `pkg upgrade tailscale`) and fix what it reports.",
        _CLI + "update.go (clientupdate/clientupdate.go)",
        "failed tailscale update using apk: exit status 1",
    ),
    _entry(
        _UPDATE,
        "failed refresh ",
        r"failed (?:refresh|checking) (?P<tool>apk|pkg) (?:repository indexes|for latest tailscale version)",
        "`tailscale update` could not read the {tool} repository (no network, a broken repository list).",
        "Run `{tool} update` yourself and fix what it reports, then retry.",
        _CLI + "update.go (clientupdate/clientupdate.go)",
        "failed refresh apk repository indexes: exit status 1, output:",
    ),
    _entry(
        _UPDATE,
        "under systemd or init.d",
        r"tailscaled is not running under systemd or init\.d",
        "`tailscale update` installed the new version but could not restart tailscaled: it is not run by systemd "
        "or an init.d script, so the old daemon keeps running.",
        "Restart tailscaled the way it is started here (its container, supervisor or script), then check "
        "`tailscale version`.",
        _CLI + "update.go (clientupdate/clientupdate.go)",
        "failed to restart tailscaled after update: tailscaled is not running under systemd or init.d",
    ),
    _entry(
        _UPDATE,
        "restart tailscaled after update",
        r"failed to restart tailscaled after update: (?P<why>.+)",
        "the new version is installed but restarting tailscaled failed ({why}): the old daemon may still run.",
        "Restart it yourself (`sudo systemctl restart tailscaled`, `service tailscaled restart`) and check "
        "`tailscale version`.",
        _CLI + "update.go (clientupdate/clientupdate.go)",
        "failed to restart tailscaled after update: exit status 1, output:",
    ),
    # clientupdate's refusals before anything is downloaded (clientupdate.go, clientupdate_windows.go; v1.48's
    # cli/update.go said the Windows one without "update "): the updater needs an elevated/root CLI
    _entry(
        _UPDATE,
        "must be run as administrator",
        r"(?:update )?must be run as Administrator",
        "`tailscale update` on Windows installs the new MSI itself, so it refuses to run from a terminal that is "
        "not elevated (it checks before downloading anything): nothing was updated, the old version keeps running.",
        "Open the terminal as Administrator (right-click cmd.exe or PowerShell > Run as administrator, or "
        "Windows+X then A) and run `tailscale update` again; or update from the tray menu or the MSI from "
        "https://pkgs.tailscale.com/stable/.",
        _CLI + "update.go (clientupdate/clientupdate_windows.go since v1.52)",
        "update must be run as Administrator",
    ),
    _entry(
        _UPDATE,
        "must be root",
        r"\bmust be root(?:; use (?P<tool>sudo|doas)\b|\.?\s*$)",
        "`tailscale update` drives the package manager (apt, dnf/yum, apk, pacman, pkg, synopkg, qpkg_cli) and "
        "refuses to start as an ordinary user: nothing was updated.",
        "Run it as root: `sudo tailscale update` (`doas tailscale update` on Alpine/OpenBSD setups).",
        _CLI + "update.go (clientupdate/clientupdate.go requireRoot)",
        "must be root; use sudo",
    ),
    # Debian/Ubuntu: the updater reads and rewrites only the one-line-style /etc/apt/sources.list.d/tailscale.list
    # (updateDebianAptSourcesList, then `apt-get update -o Dir::Etc::SourceList=sources.list.d/tailscale.list`):
    # a repository configured as a deb822 tailscale.sources file (the newer install docs, Debian 13), or under
    # another name, fails before apt runs
    _entry(
        _UPDATE,
        "sources.list.d/tailscale.list",
        r"(?:open /etc/apt/sources\.list\.d/tailscale\.list: (?P<why>[^;`'\"]+?)(?=\s*(?:$|[`'\"]))"
        r"|(?P<why_odd>unexpected/unsupported) "
        r"/etc/apt/sources\.list\.d/tailscale\.list contents)",
        "`tailscale update` on a Debian-family system edits only the one-line repository file "
        "/etc/apt/sources.list.d/tailscale.list (to pin the track) and then runs apt-get on that file alone; it "
        "could not use it ({why}): the Tailscale repository is configured another way (a deb822 "
        "/etc/apt/sources.list.d/tailscale.sources file, another file name, or a hand-edited line). It stopped "
        "before apt ran: nothing was updated.",
        "Update with apt itself: `sudo apt-get update && sudo apt-get install tailscale` (it reads "
        "tailscale.sources as well); or, to use `tailscale update`, replace the repository file with the one-line "
        "tailscale.list from https://pkgs.tailscale.com/stable/ (the distro's install instructions) and remove the "
        ".sources duplicate.",
        _CLI + "update.go (clientupdate/clientupdate.go updateDebianAptSourcesList)",
        "open /etc/apt/sources.list.d/tailscale.list: no such file or directory",
    ),
    _entry(
        _UPDATE,
        "you can try updating using",
        r'you can try updating using "(?P<command>[^"]+)"',
        "`tailscale update` could not find out or install the newest version with this system's package tool "
        "(the error before the advice says why: the repository did not answer, the tool failed, the package is "
        "not from the tool's repository); nothing was updated.",
        "Run the suggested command yourself, as root: `{command}`, and fix what it reports.",
        _CLI + "update.go (clientupdate/clientupdate.go: dnf/yum, apk, pkg, QNAP qpkg_cli, Unraid plugin)",
        "failed to check if Tailscale is upgradable using qpkg_cli: exit status 1; you can try updating using "
        '"qpkg_cli --add Tailscale"',
    ),
    _entry(
        _UPDATE,
        "does not validate with",
        r"signature (?P<sig>\S+) for (?:file|key) (?P<what>\S+) does not validate with (?:the current release "
        r"signing key|any known root key)",
        "`tailscale update` downloaded {what} but its signature ({sig}) does not verify against the keys this "
        "build trusts: a download altered on the way (a proxy or mirror rewriting it) or an old build with "
        "outdated keys. Nothing was installed.",
        "Retry without any intercepting proxy/mirror in between; if it persists, install the new version by hand "
        "from https://pkgs.tailscale.com/stable/ (the newer build carries the current keys).",
        _CLI + "update.go (clientupdate/distsign/distsign.go)",
        'signature "https://pkgs.tailscale.com/stable/tailscale_1.62.0_amd64.tgz.sig" for file "/tmp/t.tgz" does not '
        "validate with the current release signing key",
    ),
    _entry(
        _UPDATE,
        "cannot find tailscale.exe alongside",
        r"cannot find tailscale\.exe alongside (?P<exe>\S+?):",
        "`tailscale update` on Windows copies tailscale.exe next to itself to run the install, and found none "
        "beside {exe} (a CLI copied out of C:\\Program Files\\Tailscale, or a broken install): nothing was "
        "updated.",
        'Run the CLI from its install folder (`"C:\\Program Files\\Tailscale\\tailscale.exe" update`, elevated) '
        "or install the new MSI from https://pkgs.tailscale.com/stable/.",
        _CLI + "update.go (clientupdate/clientupdate_windows.go)",
        r"cannot find tailscale.exe alongside C:\Users\me\tailscale.exe: file does not exist",
    ),
    _entry(
        _UPDATE,
        "not found in the qnap app center",
        r"Tailscale was not found in the QNAP App Center",
        "`tailscale update` on QNAP updates the App Center package, and this Tailscale is not installed from the "
        "App Center: nothing was updated.",
        "Install Tailscale from the QNAP App Center (or update it the way it was installed).",
        _CLI + "update.go (clientupdate/clientupdate.go updateQNAP)",
        "Tailscale was not found in the QNAP App Center",
    ),
    # A remote update (the admin console's "Update" on a machine: c2n /update) or an auto-update makes tailscaled
    # run `tailscale update --yes` itself; first it looks for its CLI where the platform's package puts it
    # (feature/clientupdate findCmdTailscale: beside tailscaled, /usr/bin/tailscale for /usr/sbin/tailscaled,
    # the QNAP/Unraid package paths) and checks the two versions match. The console relays the node's refusal
    # ("Failed to update <machine>: node returned error: \"…\"").
    _entry(
        _UPDATE,
        "failed to find cmd/tailscale binary",
        # not tailscaled's own log of its offline auto-update ("offline auto-update: failed: %v"): that leaves
        # the running daemon untouched and is the log model's to read
        r"(?<!auto-update: failed: )failed to find cmd/tailscale binary: (?P<why>[^\"]+)",
        "a remote update (the admin console's Update, or auto-update) reached tailscaled, but tailscaled could not "
        "find or run its `tailscale` CLI where this platform's package puts it ({why}): it updates by running "
        "`tailscale update`, so nothing was updated and the node stays on its old version. Typical of hand-placed "
        "or third-party installs (a plugin or script keeping both binaries in its own folder, a renamed binary).",
        "Update the way Tailscale was installed here (the plugin's or package's own update, or replace both "
        "binaries with the new release); or put the `tailscale` CLI where tailscaled expects it (next to "
        "tailscaled; /usr/bin/tailscale for /usr/sbin/tailscaled) and retry the update from the admin console.",
        "feature/clientupdate/clientupdate.go (ipn/ipnlocal c2n.go, local.go before 1.90)",
        "failed to find cmd/tailscale binary: tailscale executable not found in expected place",
    ),
    _entry(
        _UPDATE,
        "does not match tailscaled version",
        r"(?<!auto-update: failed: )cmd/tailscale version "
        + _q("cli")
        + r" does not match tailscaled version "
        + _q_edge("daemon"),
        "a remote update (admin console, or auto-update) was refused by tailscaled: the `tailscale` CLI it found "
        '("{cli}") is not the same build as the running tailscaled ("{daemon}"), so it would not let that CLI '
        "run the update. Nothing was updated.",
        "Install the CLI and the daemon from the same release (reinstall the package, or restart tailscaled if "
        "the package was upgraded but the old daemon still runs), check `tailscale version` against the daemon's, "
        "then retry the update.",
        "feature/clientupdate/clientupdate.go (ipn/ipnlocal c2n.go, local.go before 1.90)",
        'cmd/tailscale version "1.90.2-t1234abcd" does not match tailscaled version "1.88.1-t5678ef01"',
    ),
    # ------------------------------------------------------------------ dns query / dns status
    # dns-query.go formatDNSQueryText: the answer's response code (dnsmessage.RCode's name); SERVFAIL and REFUSED
    # are the resolver's failures (NXDOMAIN is an answer: the name does not exist)
    _entry(
        _DNS,
        "response code: rcode",
        r"Response code: (?P<rcode>RCodeServerFailure|RCodeRefused)\b",
        "`tailscale dns query` got {rcode} from tailscaled's resolver (100.100.100.100): the resolver it forwarded "
        "the name to (the one named above the code: a split-DNS or global nameserver, or the OS's) failed or "
        "refused to answer. Apps on this node get the same failure for this name.",
        "Check that resolver: query it directly (`dig @<resolver> <name>`), fix its address in the admin console's "
        "DNS page (or the split-DNS route for this domain) if it is wrong or unreachable over the tailnet, and see "
        "`tailscale dns status` for the resolvers this node uses.",
        _CLI + "dns-query.go",
        "Response code: RCodeServerFailure",
    ),
    _entry(
        _DNS,
        "to query dns: ",
        r"failed to query DNS: (?P<why>.+)",
        "`tailscale dns query` asked tailscaled's resolver (100.100.100.100) and it failed: {why}.",
        "Check the node is up with MagicDNS on (`tailscale dns status`); a 403 needs root or the operator "
        "(`sudo tailscale dns query …`); an upstream failure means the tailnet's DNS servers do not answer.",
        _CLI + "dns-query.go",
        "failed to query DNS: 500 Internal Server Error: DNS manager not available",
    ),
    _entry(
        _DNS,
        "fetch dns config: ",
        r"failed to fetch DNS config: (?P<why>.+)",
        "`tailscale dns status` could not get the DNS configuration from tailscaled: {why} (a 503 'no netmap': "
        "the node is not logged in or not connected yet).",
        "Bring the node up (`tailscale up`, then `tailscale status`) and retry.",
        _CLI + "dns-status.go",
        "failed to fetch DNS config: 503 Service Unavailable: no netmap",
    ),
    _entry(
        _DNS,
        "dns manager not available",
        r"DNS manager not available",
        "tailscaled has no DNS manager (not started fully, or a userspace/tsnet node without OS DNS "
        "integration), so it cannot answer DNS questions or show its DNS settings.",
        "Check the node is running (`tailscale status`); with --tun=userspace-networking resolve names through "
        "100.100.100.100 from apps instead.",
        "ipn/ipnlocal/local.go",
        "DNS manager not available",
    ),
    # ------------------------------------------------------------------ configure (kubeconfig, appliances, macOS)
    _entry(
        _CONFIGURE,
        "cannot write kubeconfig at",
        r"cannot write kubeconfig at " + _q("path"),
        '`tailscale configure kubeconfig` could not write "{path}" (the macOS GUI apps run in a sandbox that may '
        "only write under the home directory; elsewhere: permissions, a missing directory).",
        "Point KUBECONFIG at a file under your home directory (`KUBECONFIG=~/.kube/config tailscale configure "
        "kubeconfig <operator>`), or fix the file's permissions.",
        _CLI + "configure-kube.go",
        'cannot write kubeconfig at "/etc/kubernetes/admin.conf": open /etc/kubernetes/admin.conf: permission denied',
    ),
    # The name is a MagicDNS record (a Tailscale Service's VIP) but no peer advertises that address: the CLI found
    # no peer for the name, the same concept as its sibling "no peer found for %q" (peer-not-found).
    _entry(
        CliErrorKind.PEER_NOT_FOUND,
        "not currently reachable on any known peer",
        _q_edge("name") + r" is in MagicDNS, but is not currently reachable on any known peer",
        "`tailscale configure kubeconfig {name}`: the name is a MagicDNS record, but no peer of this node "
        "serves it (the operator's API proxy or ProxyGroup is down or not yet approved, or the policy hides it from "
        "this node): no kubeconfig entry was written.",
        "Check the Kubernetes operator's proxy is running and visible (`tailscale status`), and that the tailnet "
        "policy grants this user access to it.",
        _CLI + "configure-kube.go",
        '"tailscale-operator" is in MagicDNS, but is not currently reachable on any known peer',
    ),
    _entry(
        _CONFIGURE,
        "/etc/pve is not a directory: run",
        r"/etc/pve is not a directory: run this on a Proxmox VE host",
        "`tailscale configure pve-appliance` was run on a machine that is not a Proxmox VE host.",
        "Run it on the Proxmox VE node itself (as root).",
        _CLI + "configure-pve-appliance.go",
        "/etc/pve is not a directory: run this on a Proxmox VE host",
    ),
    _entry(
        _CONFIGURE,
        "on the proxmox ve host",
        r"`?qm`? not found in \$PATH: run this on the Proxmox VE host",
        "`tailscale configure pve-appliance` needs Proxmox's `qm` tool, which is not on PATH.",
        "Run it on the Proxmox VE host as root (a login shell: `sudo -i`), where /usr/sbin/qm exists.",
        _CLI + "configure-pve-appliance.go",
        "`qm` not found in $PATH: run this on the Proxmox VE host",
    ),
    _entry(
        _CONFIGURE,
        "raw block device requires root",
        r"writing to a raw block device requires root; re-run with sudo",
        "`tailscale configure flash-appliance` writes the disk directly, which needs root.",
        "Re-run it with sudo: `sudo tailscale configure flash-appliance --disk=/dev/…`.",
        _CLI + "configure-flash-appliance.go",
        "writing to a raw block device requires root; re-run with sudo",
    ),
    _entry(
        _CONFIGURE,
        "no candidate disks found",
        r"no candidate disks found; insert an SD card or USB drive, or pass --disk",
        "`tailscale configure flash-appliance` found no removable disk to write.",
        "Insert the SD card / USB drive, or name it with `--disk=/dev/…` (the whole disk, not a partition).",
        _CLI + "configure-flash-appliance.go",
        "no candidate disks found; insert an SD card or USB drive, or pass --disk",
    ),
    _entry(
        _CONFIGURE,
        "pass --disk=",
        r"on Linux, pass --disk=/dev/sdX|pass --disk=/dev/\.\.\. to pick one",
        "`tailscale configure flash-appliance` will not guess the disk to overwrite (on Linux it never does; "
        "elsewhere there were several candidates).",
        "Name the whole disk: `--disk=/dev/sdX` (check it with `lsblk`; everything on it is erased).",
        _CLI + "configure-flash-appliance.go",
        "on Linux, pass --disk=/dev/sdX (auto-discovery is macOS-only)",
    ),
    _entry(
        _CONFIGURE,
        "disk path ",
        r"disk path " + _q("path") + r" (?:looks like a partition|must start with /dev/|does not look like a macOS"
        r" whole-disk device)",
        '`tailscale configure flash-appliance --disk="{path}"` is not a whole disk device.',
        "Give the whole disk (`/dev/sdb`, macOS `/dev/disk4`), not a partition (`/dev/sdb1`, `/dev/disk4s1`).",
        _CLI + "configure-flash-appliance_linux.go, configure-flash-appliance_darwin.go",
        'disk path "/dev/sdb1" looks like a partition; pass the whole disk',
    ),
    _entry(
        _CONFIGURE,
        "is currently mounted; unmount it first",
        r"(?P<disk>/dev/\S+) \(or one of its partitions\) is currently mounted; unmount it first",
        "`tailscale configure flash-appliance` refuses to overwrite {disk}: it (or a partition) is mounted.",
        "Unmount it first (`sudo umount {disk}*`) and make sure it is the disk you mean to erase.",
        _CLI + "configure-flash-appliance_linux.go",
        "/dev/sdb (or one of its partitions) is currently mounted; unmount it first",
    ),
    _entry(
        _CONFIGURE,
        "appliance gafs published",
        r"no appliance GAFs published on " + _q("track") + r" track",
        'no appliance image is published on the "{track}" track.',
        "Use the stable track (the default) or another track that has images.",
        _CLI + "configure-flash-appliance.go",
        'no appliance GAFs published on "unstable" track',
    ),
    _entry(
        _CONFIGURE,
        "not published; available",
        r"variant " + _q("variant") + r" not published; available: (?P<available>.+)",
        'the appliance variant "{variant}" does not exist.',
        "Pick one of: {available} (`--variant=<one>`).",
        _CLI + "configure-flash-appliance.go",
        'variant "rpi5" not published; available: rpi4, pc',
    ),
    _entry(
        _CONFIGURE,
        "/userdata/init.d",
        r"unable to create /userdata/init\.d",
        "`tailscale configure jetkvm` could not create the JetKVM's init directory to start Tailscale at boot.",
        "Run it as root on the JetKVM and check /userdata is writable (not full).",
        _CLI + "configure-jetkvm.go",
        "unable to create /userdata/init.d",
    ),
    _entry(
        _CONFIGURE,
        "unsupported command: requires",
        r"unsupported command: requires (?:a|the Standalone \(\.pkg installer\)) GUI build of the (?:macOS )?client",
        "`tailscale configure sysext` / `mac-vpn` only work with the macOS GUI app's own CLI (the Standalone "
        ".pkg build for the system extension), not with the open-source tailscaled or the App Store build.",
        "Run the command with the CLI inside the app (`/Applications/Tailscale.app/Contents/MacOS/Tailscale "
        "configure …`) of the Standalone build, or manage the extension in System Settings.",
        _CLI + "configure_apple.go",
        "unsupported command: requires the Standalone (.pkg installer) GUI build of the client",
    ),
)

# ------------------------------------------------------------------ `tailscale update` on Windows: msiexec's exit code
# clientupdate_windows.go: the elevated `tailscale update` downloads and verifies the MSI, starts a copy of itself
# and exits; the copy runs `msiexec.exe /i … /quiet` and, when msiexec exits non-zero, logs "Install attempt failed:
# exit status N" and "MSI install failed: exit status N" to its tailscale-updater-*.log and returns the bare
# "exit status N", which the console shows after the prompt has come back (the parent has already exited). N is a
# Windows Installer exit code (Microsoft's "MsiExec.exe and InstMsi.exe error messages"); the meanings below are
# those codes', the fixes what they mean for Tailscale's updater.
_MSI_SOURCE = (
    _CLI + "update.go (clientupdate/clientupdate_windows.go installMSI: msiexec's Windows Installer exit codes)"
)
_MSI_LOG_FIX = (
    " The updater's own log (the tailscale-updater-*.log path it printed, in %TEMP%) has each msiexec attempt; "
    "for msiexec's own reasons run the MSI by hand with a log: `msiexec /i tailscale-setup-<version>-amd64.msi "
    "/l*v install.log` from %ProgramData%\\Tailscale\\MSICache."
)
_MSI_CODES: tuple[tuple[str, str, str, str], ...] = (  # (the codes, an example, what they mean, the fix)
    (
        "1618",
        "1618",
        "another Windows Installer session was already running (ERROR_INSTALL_ALREADY_RUNNING: the Tailscale app's "
        "own update, Windows Update or another program's installer), so msiexec refused to start",
        "Wait for the other installation to finish (or restart Windows), then run `tailscale update` again from an "
        "elevated prompt.",
    ),
    (
        "1603",
        "1603",
        "msiexec hit a fatal error during installation (ERROR_INSTALL_FAILURE): most often the Tailscale app or "
        "service still running and holding its files, a pending restart, or a failed custom action",
        "Quit the Tailscale app, restart Windows if an update is pending, and run `tailscale update` again (or "
        "install the MSI from pkgs.tailscale.com by hand).",
    ),
    (
        "1638",
        "1638",
        "another version of Tailscale is already installed in a way this MSI cannot upgrade (ERROR_PRODUCT_VERSION: "
        "a different package, e.g. the .exe installer, winget or another architecture's MSI)",
        "Uninstall Tailscale from Settings > Apps (the node keeps its state under %ProgramData%\\Tailscale), then "
        "install the new version's MSI or .exe.",
    ),
    (
        "1625|1925|1643",
        "1925",
        "Windows Installer refused the installation for lack of rights (1625 prohibited by system policy, 1925 not "
        "enough privileges to install for all users, 1643 patch prohibited by policy)",
        "Run the update from a prompt elevated as an administrator (not only `sudo` in a restricted mode), and check "
        "Group Policy's Windows Installer settings (DisableMSI) with your administrator.",
    ),
    (
        "3010|1641",
        "3010",
        "msiexec installed the new version but a restart is required (3010) or was started (1641); the updater "
        "counts any non-zero exit as a failure, so it reported an error and may also have tried to uninstall the "
        "old version",
        "Restart Windows, then check `tailscale version`; if the old version is still installed, run `tailscale "
        "update` again.",
    ),
    (
        "1602",
        "1602",
        "the installation was cancelled (ERROR_INSTALL_USEREXIT: a dialog or the user stopped msiexec)",
        "Run `tailscale update` again and let it finish.",
    ),
    (
        r"16\d\d",  # the other Windows Installer codes (the specific ones above are tried first)
        "1620",
        "a code the usual causes do not cover",
        "Look the code up in Microsoft's Windows Installer error list, fix what it names and run `tailscale update` "
        "again.",
    ),
)
_MSI_CAUSE = (
    "`tailscale update` could not install the new version: msiexec exited with Windows Installer code {code}: "
    "{meaning}. Tailscale stays on its old version."
)


def _msi_entries(phrase: str, prefix: str, example_prefix: str, *, bare: bool) -> tuple[Refusal, ...]:
    """One entry per exit-code meaning, for one way the code reaches the paste."""
    return tuple(
        _entry(
            _UPDATE,
            phrase,
            ("^" if bare else "") + prefix + rf"exit status (?P<code>{codes})" + (r"\.?$" if bare else r"\b"),
            _MSI_CAUSE.replace("{meaning}", meaning),
            fix + _MSI_LOG_FIX,
            _MSI_SOURCE,
            f"{example_prefix}exit status {example}",
        )
        for codes, example, meaning, fix in _MSI_CODES
    )


REFUSALS = (
    *REFUSALS,
    # the copy's log lines (the log file pasted, or an older updater that still printed to the console)
    *_msi_entries("msi install failed: exit status", r"MSI install failed: ", "MSI install failed: ", bare=False),
    *_msi_entries(
        "install attempt failed: exit status", r"Install attempt failed: ", "Install attempt failed: ", bare=False
    ),
)

# The bare "exit status N" is read only as the answer of a typed `tailscale update` (a prompt may precede it: the
# parent exited before the copy's error was printed).
COMMAND_ANSWERS: tuple[tuple[re.Pattern[str] | LazyPattern, Refusal], ...] = tuple(
    (typed_tailscale_command(r"update\b"), refusal) for refusal in _msi_entries("exit status", "", "", bare=True)
)
