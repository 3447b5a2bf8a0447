"""Catalogued CLI refusals: the command families of group B (see the package docstring).

serve and funnel (cli/serve_legacy.go, serve_v2.go, funnel.go, the serve parts of service.go, and what
ipn/ipnlocal/serve.go and ipn/localapi/serve.go answer them), ssh (cli/ssh.go), Taildrive (cli/drive*.go,
ipn/localapi/localapi_drive.go, drive/remote.go), certificates, Taildrop and Tailnet Lock (what windows.py's
hand-written patterns do not read already). appc-routes (cli/appcroutes.go) prints no refusal of its own.

Written from the message texts of Tailscale's source (the CLI prints a command's error bare, LocalAPI's as
``<status>: <body>``, a 403 as ``Access denied: <body>``); messages that are only format verbs or generic
words ("invalid port", "handler does not exist", "not a directory") are left out: nothing in them says
Tailscale. Order matters: the first entry whose phrase and pattern match wins, so specific messages first.
"""

from __future__ import annotations

import re

from opskit.core.diagnose.cli_catalog import Refusal
from opskit.core.diagnose.models import WindowsErrorKind

_USAGE = WindowsErrorKind.CLI_USAGE
_SERVE = WindowsErrorKind.SERVE_FAILED
_DRIVE = WindowsErrorKind.DRIVE_FAILED

_SERVE_V2 = "cmd/tailscale/cli/serve_v2.go"
_SERVE_LEGACY = "cmd/tailscale/cli/serve_legacy.go"
_IPN_SERVE = "ipn/ipnlocal/serve.go"
_DRIVE_API = "ipn/localapi/localapi_drive.go"

# Typographic quotes and backticks survive pastes in place of Go's ASCII ones: a quote is any of them.
_Q = "[\"'`\u2018\u2019\u201c\u201d]"
_NOT_Q = "[^\"'`\u2018\u2019\u201c\u201d]"


def _entry(
    kind: WindowsErrorKind, phrase: str, pattern: str, cause: str, fix: str, source: str, example: str
) -> Refusal:
    return Refusal(kind, phrase, re.compile(pattern, re.IGNORECASE), cause, fix, source, example)


_SERVE_HELP = (
    "Run `tailscale serve --help` (1.52+: `tailscale serve [--bg] [--https=443|--http=80|--tcp=N] <target>`, "
    "turning one off with `tailscale serve --https=443 off`; `tailscale serve status` shows what is served)."
)

_SERVE_FAMILY: tuple[Refusal, ...] = (
    _entry(
        _USAGE,
        "for usage info",
        rf"try {_Q}?tailscale (?P<command>serve|funnel) --help{_Q}? for usage info",
        "`tailscale {command}` rejected its command line (a wrong number of arguments, a target or port it "
        "cannot read, or the pre-1.52 syntax given to a newer CLI): nothing was served or changed.",
        "Run `tailscale {command} --help` and restate the command in the form it shows, e.g. `tailscale "
        "{command} --bg 3000` (a local port), `tailscale {command} --bg http://127.0.0.1:8080`, or `tailscale "
        "{command} --https=443 off` to turn one off.",
        _SERVE_V2,
        "try `tailscale serve --help` for usage info",
    ),
    _entry(
        _USAGE,
        "invalid serve type",
        rf"invalid serve type {_Q}(?P<type>{_NOT_Q}*){_Q}?",
        "the pre-1.52 `tailscale serve <type> <port> <target>` syntax was given a type it does not know "
        '("{type}"): nothing was changed.',
        "Use one of https, http, tcp, tls-terminated-tcp (pre-1.52 CLI: `tailscale serve https / "
        "http://127.0.0.1:3000`), or update and use the 1.52+ form: `tailscale serve --bg 3000`.",
        _SERVE_LEGACY,
        'error: invalid serve type "htps"',
    ),
    _entry(
        _USAGE,
        "--service flag is not supported with funnel",
        r"--service flag is not supported with funnel",
        "`tailscale funnel --service=…` was refused: a Tailscale Service cannot be exposed through Funnel "
        "(Funnel publishes this node's own name to the internet).",
        "Drop --service to funnel this node (`tailscale funnel --bg 3000`), or serve the Service inside the "
        "tailnet only with `tailscale serve --service=svc:<name> --bg 3000`.",
        _SERVE_V2,
        "Error: --service flag is not supported with funnel",
    ),
    _entry(
        _USAGE,
        "--service flag is only compatible",
        r"--service flag is only compatible with background mode",
        "`tailscale serve --service=…` was refused in foreground mode: a Service's handlers must persist "
        "after the command exits.",
        "Add --bg: `tailscale serve --service=svc:<name> --bg <target>`.",
        _SERVE_V2,
        "Error: --service flag is only compatible with background mode",
    ),
    _entry(
        _USAGE,
        "proxy protocol is only supported for tcp",
        r"PROXY protocol is only supported for TCP forwarding, not HTTP/HTTPS",
        "`--proxy-protocol` was given with an HTTP/HTTPS handler: serve only prepends a PROXY header to "
        "forwarded TCP connections.",
        "Use it with a TCP forward (`tailscale serve --tcp=<port> --proxy-protocol=2 tcp://127.0.0.1:<port>`), "
        "or drop --proxy-protocol for web handlers (they pass the client in X-Forwarded-For / Tailscale-User-* "
        "headers).",
        _SERVE_V2,
        "PROXY protocol is only supported for TCP forwarding, not HTTP/HTTPS",
    ),
    _entry(
        _USAGE,
        "invalid proxy protocol version",
        r"invalid PROXY protocol version (?P<version>\d+); must be 1 or 2",
        "`--proxy-protocol={version}` was refused: serve speaks PROXY protocol version 1 or 2 only.",
        "Pass `--proxy-protocol=1` or `--proxy-protocol=2` (what the backend expects), or leave it out.",
        _SERVE_V2,
        "invalid PROXY protocol version 3; must be 1 or 2",
    ),
    _entry(
        _USAGE,
        "proxy protocol is not supported with unix",
        r"PROXY protocol is not supported with unix socket targets",
        "`--proxy-protocol` was given with a unix socket target: the PROXY header is only sent to TCP targets.",
        "Forward to a TCP address (`tcp://127.0.0.1:<port>`) to use --proxy-protocol, or drop the flag.",
        _SERVE_V2,
        "PROXY protocol is not supported with unix socket targets",
    ),
    _entry(
        _USAGE,
        "tun mode is only supported for services",
        r"tun mode is only supported for services",
        "`tailscale serve --tun` was given without --service: TUN (L3) mode forwards a Tailscale Service's "
        "whole address, never this node's.",
        "Add the Service: `tailscale serve --service=svc:<name> --tun` (on a tagged node), or serve ports of "
        "this node with --https/--http/--tcp instead.",
        _SERVE_V2,
        "tun mode is only supported for services",
    ),
    _entry(
        _USAGE,
        "cannot specify both --all and --service",
        r"cannot specify both --all and --service",
        "`tailscale serve get-config/set-config` was given --all and --service together: one or the other.",
        "Pass `--all` for every Service of this node, or `--service=svc:<name>` for one.",
        _SERVE_V2,
        "cannot specify both --all and --service",
    ),
    _entry(
        _USAGE,
        "must specify either --service",
        r"must specify either --service=svc:<service-name> or --all",
        "`tailscale serve get-config/set-config` needs to know which Services the file holds.",
        "Add `--service=svc:<name>` (one Service) or `--all` (every Service) to the command.",
        _SERVE_V2,
        "must specify either --service=svc:<service-name> or --all",
    ),
    _entry(
        _USAGE,
        "https+insecure://",
        r"must be a URL starting with http://, https://, or https\+insecure://",
        "serve's proxy target is not a URL it accepts: it must start with http://, https:// or "
        "https+insecure:// (a bare host:port is only read as such by the 1.52+ CLI).",
        "Write the target as a URL, e.g. `http://127.0.0.1:8080` (or `https+insecure://127.0.0.1:8443` for a "
        "backend with a self-signed certificate).",
        _SERVE_LEGACY,
        "must be a URL starting with http://, https://, or https+insecure://",
    ),
    _entry(
        _USAGE,
        "invalid tcp target",
        rf"invalid TCP target {_Q}(?P<target>{_NOT_Q}*){_Q}?",
        'serve could not read the TCP target "{target}": it must be tcp://host:port, host:port or a port.',
        "Give the target as `tcp://127.0.0.1:<port>` (or `tailscale serve --tcp=<port> <port>`).",
        _SERVE_V2,
        'invalid TCP target "tcp://localhost"',
    ),
    _entry(
        _USAGE,
        "must include a port",
        rf"TCP target {_Q}(?P<target>{_NOT_Q}*){_Q} must include a port",
        'serve\'s TCP target "{target}" has no port: the CLI cannot know where to forward.',
        "Add the port: `tcp://{target}:<port>` (e.g. `tailscale serve --tcp=5432 tcp://127.0.0.1:5432`).",
        _SERVE_V2,
        'TCP target "tcp://localhost" must include a port',
    ),
    _entry(
        _USAGE,
        "invalid tcp source",
        rf"invalid TCP source {_Q}(?P<source>{_NOT_Q}*){_Q}?",
        'the pre-1.52 `tailscale serve tcp` was given a source "{source}" it cannot read (it wants '
        "tcp://localhost:<port> or tcp://127.0.0.1:<port>).",
        "Write it as `tcp://127.0.0.1:<port>`, or update and use `tailscale serve --tcp=<port> <port>`.",
        _SERVE_LEGACY,
        'error: invalid TCP source "tcp://example.com:22"',
    ),
    _entry(
        _USAGE,
        "unable to serve; text cannot",
        r"unable to serve; text cannot be an empty string",
        "`tailscale serve text:` was given no text: a text handler needs something to answer with.",
        'Put the text after the colon: `tailscale serve --bg "text:Hello"`.',
        _SERVE_V2,
        "unable to serve; text cannot be an empty string",
    ),
    _entry(
        _USAGE,
        "cannot serve multiple types",
        r"cannot serve multiple types for a single mount point",
        "serve was given more than one of --https, --http, --tcp, --tls-terminated-tcp for one handler.",
        "Pass one type per command (`tailscale serve --https=443 3000`), and run serve again for another port.",
        _SERVE_V2,
        "cannot serve multiple types for a single mount point",
    ),
    _entry(
        _USAGE,
        "is too high for",
        r"port number (?P<port>\d+) is too high for (?P<flag>\S+) flag",
        "serve's --{flag} was given port {port}: a port is at most 65535.",
        "Give a port from 1 to 65535 (`--{flag}=443`).",
        _SERVE_V2,
        "port number 70000 is too high for https flag",
    ),
    _entry(
        _SERVE,
        "service hosts must be tagged",
        r"service hosts must be tagged nodes",
        "`tailscale serve --service=…` was refused: only a tagged node may host a Tailscale Service, and this "
        "node is owned by a user (no tags).",
        "Tag the node (`sudo tailscale up --advertise-tags=tag:<name>` with the tag allowed in the policy's "
        "tagOwners, or an auth key with that tag), approve it as a host of the Service in the admin console, "
        "then rerun serve.",
        _SERVE_V2,
        "service hosts must be tagged nodes",
    ),
    _entry(
        _SERVE,
        "cannot serve web; already serving tcp",
        r"cannot serve web; already serving TCP",
        "serve was asked for an HTTP/HTTPS handler on a port that already forwards raw TCP: one port is "
        "either web or TCP.",
        "Turn the TCP forward off first (`tailscale serve --tcp=<port> off`, or `tailscale serve reset`), or "
        "pick another port for the web handler; `tailscale serve status` shows what is served.",
        _SERVE_V2,
        "cannot serve web; already serving TCP",
    ),
    _entry(
        _SERVE,
        "cannot serve tcp; already serving web",
        r"cannot serve TCP; already serving web on (?P<port>\d+)(?: for (?P<name>\S+))?",
        "serve was asked to forward TCP on port {port} of {name}, which already has HTTP/HTTPS handlers: one "
        "port is either web or TCP.",
        "Turn the web handlers of port {port} off first (`tailscale serve --https={port} off`, or `tailscale "
        "serve reset`), or forward TCP on another port; `tailscale serve status` shows what is served.",
        _SERVE_V2,
        "cannot serve TCP; already serving web on 443 for nas.tail1234.ts.net",
    ),
    _entry(
        _SERVE,
        "cannot remove web handler; currently serving tcp",
        r"cannot remove web handler; currently serving TCP",
        "a web handler was asked off on a port that forwards TCP: there is no web handler to remove there.",
        "Turn the TCP forward off instead (`tailscale serve --tcp=<port> off`); `tailscale serve status` shows "
        "what each port serves.",
        _SERVE_V2,
        "cannot remove web handler; currently serving TCP",
    ),
    _entry(
        _SERVE,
        "not tcp forwarding on serve port",
        r"unable to remove; serving web, not TCP forwarding on serve port (?P<port>\d+)",
        "a TCP forward was asked off on port {port}, which serves HTTP/HTTPS handlers instead.",
        "Turn the web handler off instead (`tailscale serve --https={port} off`), or `tailscale serve reset`.",
        _SERVE_V2,
        "unable to remove; serving web, not TCP forwarding on serve port 443",
    ),
    _entry(
        _SERVE,
        "serve config does not exist",
        r"serve config does not exist",
        "serve was asked to turn something off, but this node serves nothing (there is no serve config): "
        "nothing to remove (on a shared machine, another user or the service's own config may hold it).",
        "Check with `tailscale serve status` (and `tailscale funnel status`); nothing needs removing when it "
        "says `No serve config`.",
        _SERVE_V2,
        "error: serve config does not exist",
    ),
    _entry(
        _SERVE,
        "service is not being served in tun mode",
        r"service is not being served in TUN mode",
        "`--tun off` was asked for a Service that is not served in TUN mode (it has port handlers, or none).",
        "Remove its port handlers instead (`tailscale serve --service=svc:<name> --https=443 off`) or clear "
        "it (`tailscale serve clear svc:<name>`); `tailscale serve status` shows what it serves.",
        _SERVE_V2,
        "service is not being served in TUN mode",
    ),
    _entry(
        _SERVE,
        "path serving is not supported",
        r"path serving is not supported (?:if sandboxed on macOS|on macOS due to sandbox restrictions)",
        "the macOS App Store / standalone GUI app runs tailscaled sandboxed: it cannot read local files or "
        "directories, so serve refuses a path target.",
        "Serve a local web server instead (`tailscale serve --bg http://127.0.0.1:8080`), or install the "
        "open-source tailscaled (`brew install tailscale`) to serve paths.",
        _SERVE_V2,
        "Path serving is not supported on macOS due to sandbox restrictions.",
    ),
    _entry(
        _SERVE,
        "127.0.0.1 proxies",
        r"only localhost or 127\.0\.0\.1 proxies are currently supported",
        "the CLI (before 1.52) proxies only to this machine: the target named another host.",
        "Proxy to a local port (`http://127.0.0.1:<port>`), update Tailscale (1.52+ serves other hosts: "
        "`tailscale serve --bg http://192.168.1.10:8080`), or run serve on the machine that runs the service.",
        _SERVE_LEGACY,
        "only localhost or 127.0.0.1 proxies are currently supported",
    ),
    _entry(
        _SERVE,
        "cannot mount a path for tcp serve",
        r"cannot mount a path for TCP serve",
        "--set-path was given with a TCP forward: paths only exist for HTTP/HTTPS handlers.",
        "Drop --set-path for --tcp / --tls-terminated-tcp, or serve over --https/--http to mount a path.",
        _SERVE_V2,
        "cannot mount a path for TCP serve",
    ),
    _entry(
        _SERVE,
        "enabling https feature",
        r"error enabling https feature: (?P<why>.+)",
        "serve --https needs HTTPS certificates enabled for the tailnet; the CLI could not ask the "
        "coordination server how to enable them ({why}).",
        "Enable HTTPS Certificates (and MagicDNS) in the admin console's DNS page, then rerun serve; with "
        "Headscale, serve HTTP (`--http=80`) or set up certificates there.",
        _SERVE_V2,
        "error enabling https feature: 500 Internal Server Error: query feature: context deadline exceeded",
    ),
    _entry(
        _SERVE,
        "serve config: ",
        r"(?:error )?getting (?:current )?serve config: (?P<why>.+)",
        "serve could not read this node's serve config from tailscaled ({why}): nothing was changed.",
        "Check that tailscaled runs and answers (`tailscale status`), and that this user may use it "
        "(`sudo`, or `sudo tailscale set --operator=$USER`); then rerun serve.",
        _SERVE_V2,
        "error getting serve config: Access denied: serve config denied",
    ),
    _entry(
        _SERVE,
        "apply web serve",
        r"failed (?:to )?apply web serve: (?P<why>.+)",
        "serve could not add the web handler ({why}).",
        "Fix what the error after 'apply web serve:' names (a port already served, a target it cannot read), "
        "check `tailscale serve status`, then rerun.",
        _SERVE_V2,
        'failed apply web serve: invalid mount point "api"',
    ),
    _entry(
        _SERVE,
        "apply tcp serve",
        r"failed to apply TCP serve: (?P<why>.+)",
        "serve could not add the TCP forward ({why}).",
        "Fix what the error after 'apply TCP serve:' names (a port already serving web, a target without a "
        "port), check `tailscale serve status`, then rerun.",
        _SERVE_V2,
        "failed to apply TCP serve: sending serve config: 500 Internal Server Error: netMap is nil",
    ),
    _entry(
        _SERVE,
        "failed to remove",
        r"failed to remove (?P<type>web|TCP|TUN) serve: (?P<why>.+)",
        "serve could not remove the {type} handler ({why}).",
        "Look at `tailscale serve status` for what is actually served and turn that off (or `tailscale serve "
        "reset` to clear everything).",
        _SERVE_V2,
        "failed to remove web serve: handler does not exist",
    ),
    _entry(
        _SERVE,
        'service "svc:',
        rf"service {_Q}(?P<service>svc:{_NOT_Q}+){_Q} not found in {_Q}(?P<file>{_NOT_Q}*){_Q}?",
        '`tailscale serve set-config --service={service}` read "{file}" and found no such Service in it.',
        'Add a "{service}" entry under "services" in {file} (see `tailscale serve get-config --service='
        "{service}` for the layout), or pass --all to apply every Service it holds.",
        _SERVE_V2,
        'service "svc:web" not found in "services.json"',
    ),
    _entry(
        _SERVE,
        'service "svc:',
        rf"service {_Q}(?P<service>svc:{_NOT_Q}+){_Q}: (?P<problem>HTTP/HTTPS is set but no handlers in config"
        r"|root handler not set|source ports must be TCP|invalid proxy handler .+|parse port .+)",
        "`tailscale serve set-config` refused the config of {service}: {problem}.",
        'Fix {service} in the file: each "endpoints" entry maps "tcp:<port>" to a target, an HTTP/HTTPS '
        'endpoint needs a "/" handler pointing at a valid URL; compare with `tailscale serve get-config '
        "--service={service}`.",
        _SERVE_V2,
        'service "svc:web": root handler not set',
    ),
    _entry(
        _SERVE,
        "to serve a path or unix socket",
        r"must be a Windows local admin to serve a path or Unix socket",
        "tailscaled refused to serve a file path or Unix socket for a Windows user who is not a local "
        "administrator (it would expose files as the service's account).",
        "Run the command from an elevated terminal (Run as administrator), or serve a local port instead "
        "(`tailscale serve --bg http://127.0.0.1:8080`).",
        "ipn/localapi/serve.go",
        "must be a Windows local admin to serve a path or Unix socket",
    ),
    _entry(
        _SERVE,
        "to serve a path or unix socket",
        r"must be root, or be an operator and able to run .sudo tailscale. to serve a path or Unix socket",
        "tailscaled refused to serve a file path or Unix socket: the caller is neither root nor the "
        "operator with sudo rights (serving files exposes them with tailscaled's privileges).",
        "Run it with sudo (`sudo tailscale serve …`), or serve a local port (`tailscale serve --bg 8080`); "
        "`sudo tailscale set --operator=$USER` alone is not enough for paths.",
        "ipn/localapi/serve.go",
        "401 Unauthorized: must be root, or be an operator and able to run 'sudo tailscale' to serve a path or "
        "Unix socket",
    ),
    _entry(
        _SERVE,
        "cannot proxy to tailscaled socket",
        r"cannot proxy to tailscaled socket",
        "serve was pointed at tailscaled's own LocalAPI socket: exposing it would hand the tailnet control of "
        "this node, so tailscaled refuses.",
        "Point serve at the application's socket or port (`unix:/run/app.sock`, `http://127.0.0.1:8080`), "
        "never at tailscaled.sock.",
        _IPN_SERVE,
        "cannot proxy to tailscaled socket",
    ),
    _entry(
        _SERVE,
        "non-tcp backend",
        r"PROXY protocol is not supported with non-TCP backend (?P<backend>\S+)",
        "tailscaled refused --proxy-protocol for backend {backend}: the PROXY header is only sent to TCP backends.",
        "Forward to a tcp:// backend to use --proxy-protocol, or drop the flag.",
        _IPN_SERVE,
        "PROXY protocol is not supported with non-TCP backend unix:/run/app.sock",
    ),
    _entry(
        _SERVE,
        "tun mode",
        r"(?:cannot configure TUN mode in combination with TCP or web handlers|cannot turn on TUN mode with "
        r"existing TCP or web handlers|cannot add TCP or web handlers as TUN mode is enabled) for "
        r"(?P<service>\S+)",
        "{service} is served either in TUN mode (its whole address) or with port handlers, never both: the "
        "change would mix them.",
        "Clear the Service first (`tailscale serve clear {service}`), then serve it one way: `tailscale serve "
        "--service={service} --tun` or with --https/--tcp handlers.",
        _IPN_SERVE,
        "cannot turn on TUN mode with existing TCP or web handlers for svc:db",
    ),
    _entry(
        _SERVE,
        "listener already exists for port",
        r"(?P<fg>foreground )?listener already exists for port (?P<port>\d+)",
        "port {port} is already served (another `tailscale serve`/`funnel` session in the foreground, or a "
        "background config): one port has one listener.",
        "Stop the other foreground session (Ctrl-C in its terminal), or turn port {port} off (`tailscale serve "
        "--https={port} off`), or use another port; `tailscale serve status` shows what holds it.",
        _IPN_SERVE,
        "foreground listener already exists for port 443",
    ),
    _entry(
        _SERVE,
        "is already serving",
        rf"want to serve {_Q}(?P<want>{_NOT_Q}*){_Q}, but port (?P<port>\d+) is already serving "
        rf"{_Q}(?P<have>{_NOT_Q}*){_Q}?",
        'port {port} already serves "{have}"; tailscaled refused to serve "{want}" on it too.',
        "Turn the {have} handler of port {port} off first (`tailscale serve --{have}={port} off`, or `tailscale "
        "serve reset`), or serve {want} on another port.",
        _IPN_SERVE,
        'want to serve "tcp", but port 443 is already serving "https"',
    ),
    _entry(
        _SERVE,
        "but no serve config",
        r"funnel=on for (?P<hostport>\S+), but no serve config",
        "Funnel is switched on for {hostport}, but nothing is served there: the internet reaches a port with "
        "no handler (requests fail).",
        "Add a handler (`tailscale funnel --bg 3000`, or `tailscale serve --https=443 3000` then funnel it), or "
        "turn Funnel off for it (`tailscale funnel --https=443 off`).",
        "cmd/tailscale/cli/funnel.go",
        "Warning: funnel=on for nas.tail1234.ts.net:443, but no serve config",
    ),
    _entry(
        WindowsErrorKind.DAEMON_CONNECTION_RESET,
        "lost connection to tailscaled",
        r"lost connection to tailscaled: (?P<why>.+)",
        "serve/funnel was waiting for the feature to be enabled and lost its connection to tailscaled "
        "({why}): the daemon restarted or stopped meanwhile.",
        "Check tailscaled runs (`tailscale status`); finish enabling the feature in the browser, then rerun "
        "the serve/funnel command.",
        _SERVE_LEGACY,
        "2024/05/02 10:11:12 lost connection to tailscaled: EOF",
    ),
    _entry(
        _USAGE,
        "usage: tailscale service",
        r"usage: tailscale service list",
        "`tailscale service list` takes no arguments: something was given after it.",
        "Run `tailscale service list` alone (add --json for machine output).",
        "cmd/tailscale/cli/service.go",
        "usage: tailscale service list",
    ),
)

_SSH_FAMILY: tuple[Refusal, ...] = (
    _entry(
        _USAGE,
        "usage: tailscale ssh",
        r"usage: tailscale ssh \[user@\]<host>",
        "`tailscale ssh` was run without a host: it needs the node to connect to.",
        "Name the node: `tailscale ssh [user@]<host>` (its MagicDNS name or 100.x address; `tailscale "
        "status` lists them).",
        "cmd/tailscale/cli/ssh.go",
        "usage: tailscale ssh [user@]<host>",
    ),
    _entry(
        WindowsErrorKind.SSH_FAILED,
        "no system",
        rf"no system {_Q}?ssh{_Q}? command found(?:: (?P<why>.+))?",
        "`tailscale ssh` wraps this machine's OpenSSH client and found none on PATH ({why}): nothing was "
        "tried on the network.",
        "Install an ssh client (`apt install openssh-client`, Windows: the OpenSSH Client optional feature) "
        "or put it on PATH, then rerun `tailscale ssh`.",
        "cmd/tailscale/cli/ssh.go",
        "no system 'ssh' command found: exec: \"ssh\": executable file not found in $PATH",
    ),
)

_DRIVE_FAMILY: tuple[Refusal, ...] = (
    _entry(
        _DRIVE,
        "taildrive sharing not enabled",
        r"taildrive sharing not enabled",
        "Taildrive refused to share: this node lacks the `drive:share` node attribute in the tailnet policy "
        "(Taildrive is opt-in per node).",
        'Add a "nodeAttrs" entry {{"target": [this node, its tag or autogroup:member], "attr": ["drive:share", '
        '"drive:access"]}} in the policy file, and a grant with "tailscale.com/cap/drive" for who may read it; '
        "then rerun `tailscale drive share`.",
        _DRIVE_API,
        'Access denied: taildrive sharing not enabled, please add the attribute "drive:share" to this node in '
        'your ACLs\' "nodeAttrs" section',
    ),
    _entry(
        _DRIVE,
        "taildrive not enabled",
        r"taildrive not enabled",
        "tailscaled here (or the peer that answered) has no Taildrive: a build or platform without it "
        "(Taildrive shares from Linux, macOS and Windows) or a daemon not started with its file server.",
        "Update Tailscale on that node to a build with Taildrive (1.64+, not a ts_omit_drive build), "
        "restart tailscaled, and check the node has the `drive:share` / `drive:access` attributes.",
        "ipn/ipnlocal/drive.go",
        "500 Internal Server Error: Taildrive not enabled",
    ),
    _entry(
        _DRIVE,
        "taildrive cli commands are not supported",
        r"Taildrive CLI commands are not supported when using the macOS GUI app",
        "the macOS GUI app configures Taildrive itself: its CLI has no `tailscale drive` commands.",
        "Use the Tailscale menu bar icon > Settings > Taildrive to share folders (or the open-source "
        "tailscaled, whose CLI has `tailscale drive share`).",
        "cmd/tailscale/cli/drive_macgui.go",
        "Taildrive CLI commands are not supported when using the macOS GUI app. Please use the Tailscale menu "
        "bar icon to configure Taildrive in Settings.",
    ),
    _entry(
        _DRIVE,
        "share names may only contain",
        r"Share names may only contain the letters a-z, underscore _, parentheses \(\), or spaces",
        "the Taildrive share name was refused: it holds characters other than a-z, _, (), and spaces "
        "(digits, dots and dashes included).",
        "Pick a name of lower-case letters, underscores, parentheses or spaces: `tailscale drive share "
        "my_docs /path/to/dir`.",
        "ipn/ipnlocal/drive.go",
        "400 Bad Request: Share names may only contain the letters a-z, underscore _, parentheses (), or spaces",
    ),
    _entry(
        _DRIVE,
        "invalid share name",
        r"Bad Request: invalid share name",
        "Taildrive refused the share name (empty, or not made of a-z, _, (), spaces).",
        "Use a lower-case name: `tailscale drive share my_docs /path/to/dir` (`tailscale drive list` shows "
        "the existing ones).",
        _DRIVE_API,
        "400 Bad Request: invalid share name",
    ),
    _entry(
        _DRIVE,
        "share name already used",
        r"share name already used",
        "`tailscale drive rename` was refused: another Taildrive share already has the new name.",
        "Pick another name, or unshare the other one first (`tailscale drive unshare <name>`); `tailscale "
        "drive list` shows them.",
        _DRIVE_API,
        "400 Bad Request: share name already used",
    ),
    _entry(
        _DRIVE,
        "not found: share not found",
        r"Not Found: share not found",
        "`tailscale drive unshare/rename` named a Taildrive share this node does not have.",
        "Check the names with `tailscale drive list` and use one of them exactly.",
        _DRIVE_API,
        "404 Not Found: share not found",
    ),
    _entry(
        _USAGE,
        "usage: tailscale drive",
        r"usage: tailscale drive (?P<sub>share|unshare|rename|list)\b",
        "`tailscale drive {sub}` was given the wrong number of arguments: nothing was shared or changed.",
        "Use its form: `tailscale drive share <name> <path>`, `tailscale drive unshare <name>`, `tailscale "
        "drive rename <oldname> <newname>`, `tailscale drive list`.",
        "cmd/tailscale/cli/drive.go",
        "usage: tailscale drive share <name> <path>",
    ),
)

REFUSALS: tuple[Refusal, ...] = (*_SERVE_FAMILY, *_SSH_FAMILY, *_DRIVE_FAMILY)
