"""Catalogued CLI refusals: the command families of group B (see the package docstring).

serve and funnel (cli/serve_legacy.go, serve_v2.go, funnel.go, the serve parts of service.go, and what
ipn/ipnlocal/serve.go and ipn/localapi/serve.go answer them), ssh (cli/ssh.go), Taildrive (cli/drive*.go,
ipn/localapi/localapi_drive.go, drive/remote.go), certificates, Taildrop and Tailnet Lock (what windows.py's
hand-written patterns do not read already). appc-routes (cli/appcroutes.go) prints no refusal of its own.

Written from the message texts of Tailscale's source (the CLI prints a command's error bare, LocalAPI's as
``<status>: <body>``, a 403 as ``Access denied: <body>``); messages that are only format verbs or generic
words ("invalid port", "not a directory") are left out: nothing in them says Tailscale ("handler does not
exist" is read only beside a serve flag or command, or alone as the answer of a typed serve/funnel command:
COMMAND_ANSWERS at the end). Order matters: the first entry whose phrase and pattern
match wins, so specific messages first.
"""

from __future__ import annotations

import re

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry
from opskit.core.diagnose.lazyre import LazyPattern
from opskit.core.diagnose.models import CliErrorKind
from opskit.core.diagnose.text import typed_tailscale_command

_USAGE = CliErrorKind.CLI_USAGE
_SERVE = CliErrorKind.SERVE_FAILED
_DRIVE = CliErrorKind.DRIVE_FAILED
_SERVE_EXPORT = CliErrorKind.SERVE_CONFIG_INVALID

_SERVE_V2 = "cmd/tailscale/cli/serve_v2.go"
_SERVE_LEGACY = "cmd/tailscale/cli/serve_legacy.go"
_IPN_SERVE = "ipn/ipnlocal/serve.go"
_DRIVE_API = "ipn/localapi/localapi_drive.go"

# Typographic quotes and backticks survive pastes in place of Go's ASCII ones: a quote is any of them.
_Q = "[\"'`\u2018\u2019\u201c\u201d]"
_NOT_Q = "[^\"'`\u2018\u2019\u201c\u201d]"


def _entry(kind: CliErrorKind, phrase: str, pattern: str, cause: str, fix: str, source: str, example: str) -> Refusal:
    return catalog_entry(kind, phrase, pattern, cause, fix, source, example)


_SERVE_HELP = (
    "Run `tailscale serve --help` (1.52+: `tailscale serve [--bg] [--https=443|--http=80|--tcp=N] <target>`, "
    "turning one off with `tailscale serve --https=443 off`; `tailscale serve status` shows what is served)."
)

_SERVE_FAMILY: tuple[Refusal, ...] = (
    _entry(
        _USAGE,
        "usage info",
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
        "--all and --service",
        r"cannot specify both --all and --service",
        "`tailscale serve get-config/set-config` was given --all and --service together: one or the other.",
        "Pass `--all` for every Service of this node, or `--service=svc:<name>` for one.",
        _SERVE_V2,
        "cannot specify both --all and --service",
    ),
    _entry(
        _USAGE,
        "--service=svc:<",
        r"must specify either --service=svc:<service-name> or --all",
        "`tailscale serve get-config/set-config` needs to know which Services the file holds.",
        "Add `--service=svc:<name>` (one Service) or `--all` (every Service) to the command.",
        _SERVE_V2,
        "must specify either --service=svc:<service-name> or --all",
    ),
    _entry(
        _USAGE,
        "+insecure://",
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
        "serve; text cannot",
        r"unable to serve; text cannot be an empty string",
        "`tailscale serve text:` was given no text: a text handler needs something to answer with.",
        'Put the text after the colon: `tailscale serve --bg "text:Hello"`.',
        _SERVE_V2,
        "unable to serve; text cannot be an empty string",
    ),
    _entry(
        _USAGE,
        "serve multiple types",
        r"cannot serve multiple types for a single mount point",
        "serve was given more than one of --https, --http, --tcp, --tls-terminated-tcp for one handler.",
        "Pass one type per command (`tailscale serve --https=443 3000`), and run serve again for another port.",
        _SERVE_V2,
        "cannot serve multiple types for a single mount point",
    ),
    _entry(
        _USAGE,
        "too high for",
        r"port number (?P<port>\d+) is too high for (?P<flag>\S+) flag",
        "serve's --{flag} was given port {port}: a port is at most 65535.",
        "Give a port from 1 to 65535 (`--{flag}=443`).",
        _SERVE_V2,
        "port number 70000 is too high for https flag",
    ),
    _entry(
        _SERVE,
        "hosts must be tagged",
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
        "connecting to remote destinations",
        r"(?P<who>the [\w ./-]{1,50}?) doesn't support connecting to remote destinations from non-default route",
        "serve refused a target on another host (a remote destination, v1.92+): {who} cannot dial it off the "
        "default route (the macOS network extension, or a Linux tailscaled whose SO_MARK does not work: run "
        "without root/CAP_NET_ADMIN or with TS_FORCE_LINUX_BIND_TO_DEVICE), so nothing new is served.",
        "Serve a target on this node instead (a local port, or a local reverse proxy that forwards to the remote "
        "host), or run serve on a Linux node whose tailscaled runs as root (or the standalone macOS tailscaled); "
        "see tailscale.com/kb/1552/tailscale-services.",
        _SERVE_V2,
        "Warning: the Linux tailscaled without SO_MARK doesn't support connecting to remote destinations from "
        "non-default route, see tailscale.com/kb/1552/tailscale-services for detail.",
    ),
    _entry(
        _SERVE,
        "web; already serving tcp",
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
        "tcp; already serving web",
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
        "web handler; currently serving",
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
        "not being served in tun mode",
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
        "serve/funnel up to 1.90 proxy only to this machine (the pre-1.52 CLI, then ipn.ExpandProxyTargetValue, "
        "also for `--tcp` forwards: 'unable to expand target: …'): the target named another host, so nothing was "
        "served or funnelled.",
        "Proxy to a local port (`http://127.0.0.1:<port>`, `tcp://127.0.0.1:<port>`), update Tailscale (1.92+ "
        "accepts other hosts: `tailscale serve --bg http://192.168.1.10:8080`), or run serve on the machine that "
        "runs the service.",
        _SERVE_LEGACY,
        "only localhost or 127.0.0.1 proxies are currently supported",
    ),
    # 1.54-1.90 (cli/serve_v2.go backgroundExistsMsg, removed by ac74d2819): a foreground serve/funnel on a port
    # that a background (--bg) config already serves; the CLI names the command that removes it.
    _entry(
        _SERVE,
        "background configuration already exists",
        rf"background configuration already exists(?:, use {_Q}?tailscale (?P<command>serve|funnel) "
        rf"--(?P<type>[\w-]+)=(?P<port>\d+) off{_Q}?)?",
        "serve/funnel refused: a background (--bg) configuration already serves that port, and a foreground "
        "serve/funnel would shadow it (one port has one config); nothing was changed.",
        "Look at `tailscale serve status` (and `tailscale funnel status`); turn the background config off with "
        "the command the CLI named (`tailscale serve --https=443 off`), or `tailscale serve reset` if that says "
        "'handler does not exist' (a stale config kept for the node), then rerun.",
        _SERVE_V2,
        "background configuration already exists, use `tailscale serve --https=443 off` to remove the existing "
        "configuration",
    ),
    _entry(
        _SERVE,
        "mount a path for tcp",
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
        # (not "…: sending serve config: …: netMap is nil": no network map yet, relayed.EARLY_REFUSALS' reading)
        "failed to apply TCP serve: unable to expand target: invalid port",
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
    # serve's "handler does not exist" (cli/serve_v2.go, serve_legacy.go) is generic words: only with a serve
    # flag or command on the line (a retyped "`--https=443 off` gives handler does not exist").
    _entry(
        _SERVE,
        "handler does not exist",
        r"(?:\b(?:serve|funnel)\b|--(?:https?|tcp|tls-terminated-tcp|set-path)[= ]\S+).*handler does not exist"
        r"|handler does not exist.*(?:\b(?:serve|funnel)\b|--(?:https?|tcp|tls-terminated-tcp)[= ]\d+)",
        "serve/funnel was asked to remove a handler this node's serve config does not hold (another port, type "
        "or path; on a shared machine another user's config): nothing was removed.",
        "Look at `tailscale serve status` (and `tailscale funnel status`) for what is really served and turn "
        "that off, or clear everything with `tailscale serve reset`.",
        _SERVE_V2,
        "tailscale serve --https=443 off: handler does not exist",
    ),
    # runServeSetConfig (v1.90+) could not load the Services config file (ipn/conffile LoadServicesConfig: the file
    # missing or unreadable, not JSON, an unknown "version", a Service without "endpoints", TUN mixed with ports…)
    _entry(
        _SERVE,
        "could not read config from file",
        rf"could not read config from file {_Q}(?P<file>{_NOT_Q}*){_Q}: (?P<why>.+)",
        '`tailscale serve set-config` could not use "{file}" ({why}): nothing was applied, the Services served '
        "before are unchanged.",
        'Give the path of a readable Services config file ({{"version": "0.0.1", "services": {{"svc:<name>": '
        '{{"endpoints": {{"tcp:443": "http://localhost:3000"}}}}}}}}) and fix what the error names; `tailscale '
        "serve get-config --all` writes the current config in that layout (https://tailscale.com/kb/1589).",
        _SERVE_V2 + ", ipn/conffile/serveconf.go",
        'could not read config from file "services.json": open services.json: no such file or directory',
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
    # set-config's refusals of an endpoint ('service "svc:…": source ports must be TCP', '… failed apply web serve:
    # …') are serve_set_config's (serve-config-invalid).
    # `serve get-config` (runServeGetConfig) translating the running serve config of each Service into the
    # Services config file: a handler it cannot express stops it. Not a refusal of a change: what is served
    # stays as it is, only the export failed (before 1.102 a unix-socket proxy, "unix:/path", had no
    # "scheme://" and was "invalid proxy handler").
    _entry(
        _SERVE_EXPORT,
        'service "svc:',
        rf"service {_Q}(?P<service>svc:{_NOT_Q}+){_Q}: (?P<problem>HTTP/HTTPS is set but no handlers in config"
        r"|root handler not set|invalid proxy handler .+|parse port .+)",
        "`tailscale serve get-config` could not write out the running serve config of {service} ({problem}): "
        "it holds a handler the CLI cannot express in the Services config file (before 1.102 a unix-socket "
        'target, "unix:/path"; a proxy without scheme://host:port; an HTTP(S) port without a "/" handler). '
        "Nothing was refused and what is served is unchanged; only the export failed.",
        "Update the tailscale CLI to 1.102 or later (it exports unix-socket targets); meanwhile read the live "
        "config with `tailscale serve status --json`, or serve {service} from a target the file can hold "
        "(e.g. `tailscale serve --service={service} --https=443 http://127.0.0.1:8080`) and rerun get-config.",
        _SERVE_V2,
        'service "svc:web": invalid proxy handler "unix:/run/web.sock"',
    ),
    _entry(
        _SERVE_EXPORT,
        "parse tcpforward=",
        rf"parse TCPForward={_Q}(?P<target>{_NOT_Q}*){_Q}: (?P<why>.+)",
        "`tailscale serve get-config` could not write out a TCP forward of the running serve config: its "
        "target {target} is no host:port ({why}). Nothing was refused and what is served is unchanged; only "
        "the export failed.",
        "Update the tailscale CLI (1.102 and later export unix-socket targets); meanwhile read the live config "
        "with `tailscale serve status --json`, or forward the port to a host:port target and rerun get-config.",
        _SERVE_V2,
        'parse TCPForward="unix:/run/db.sock": address unix:/run/db.sock: too many colons in address',
    ),
    _entry(
        _SERVE,
        "serve a path or unix socket",
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
        "serve a path or unix socket",
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
        "tun mode ",
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
        "listener already exists",
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
        "already serving ",
        rf"want to serve {_Q}(?P<want>{_NOT_Q}*){_Q}, but port (?P<port>\d+) is already serving "
        rf"{_Q}(?P<have>{_NOT_Q}*){_Q}?",
        'port {port} already serves "{have}"; tailscaled refused to serve "{want}" on it too.',
        "Turn the {have} handler of port {port} off first (`tailscale serve --{have}={port} off`, or `tailscale "
        "serve reset`), or serve {want} on another port.",
        _IPN_SERVE,
        'want to serve "tcp", but port 443 is already serving "https"',
    ),
    # SetServeConfig carries the config's etag (If-Match); when another client wrote the serve config between
    # this command's read and write, tailscaled answers 412 and the CLI prints its hint and then the error
    _entry(
        _SERVE,
        "another client is changing the serve config",
        r"Another client is changing the serve config; please try again",
        "two serve/funnel commands (or a script and a command, or the GUI) changed the serve config at the same "
        "time: tailscaled refused this command's write because the config changed after it was read (its etag "
        "no longer matched), so this command added or removed nothing.",
        "Run the serve/funnel commands one at a time (in a script, wait for each to return before the next), "
        "then retry this one alone; `tailscale serve status` shows what is served now.",
        _SERVE_V2,
        "Another client is changing the serve config; please try again.",
    ),
    _entry(
        _SERVE,
        "preconditions failed",
        r"(?:sending serve config: )?Preconditions failed: etag mismatch",
        "tailscaled refused the serve config write with 412 Precondition Failed (etag mismatch): another "
        "serve/funnel command or client changed the serve config between this command's read and its write, "
        "so this command's change was not applied.",
        "Run the serve/funnel commands one at a time (in a script, wait for each to return before the next), "
        "then retry this one alone; `tailscale serve status` shows what is served now.",
        "client/local/serve.go",
        "sending serve config: Preconditions failed: etag mismatch",
    ),
    # printFunnelWarning (stderr, after `funnel status`, `serve status` and `funnel <port> on`): nothing was refused;
    # the serve config has no handler behind a Funnel port, the concept of serve-not-configured
    _entry(
        CliErrorKind.SERVE_NOT_CONFIGURED,
        "but no serve config",
        r"funnel=on for (?P<hostport>\S+), but no serve config",
        "Funnel is switched on for {hostport}, but nothing is served there: the internet reaches a port with "
        "no handler (requests fail).",
        "Add a handler (`tailscale funnel --bg 3000`, or `tailscale serve --https=443 3000` then funnel it), or "
        "turn Funnel off for it (`tailscale funnel --https=443 off`).",
        "cmd/tailscale/cli/funnel.go",
        "Warning: funnel=on for nas.tail1234.ts.net:443, but no serve config",
    ),
    # runServeClear (log.Printf, under Go's log stamp; v1.90+): the Service named has no config on this node
    _entry(
        CliErrorKind.SERVE_NOT_CONFIGURED,
        "not found in serve config, nothing to clear",
        r"service (?P<service>svc:\S+) not found in serve config, nothing to clear",
        "`tailscale serve clear {service}` found no serve config for {service} on this node: nothing was cleared "
        "(the name is not the one configured here, or another host serves it), and if it is advertised from this "
        "node it still is.",
        "`tailscale serve status` (or `tailscale serve get-config --all`) lists the Services configured here: clear "
        "one of those names; to stop offering {service} without a config, `tailscale serve drain {service}`.",
        _SERVE_V2,
        "2026/08/22 11:48:56 service svc:web not found in serve config, nothing to clear",
    ),
    # enableFeatureInteractive (serve_legacy.go; `serve`, `funnel`) prints the control server's QueryFeature text and
    # URL, then exits: on a plan without the feature, control says "<Feature> is not available on the <plan> plan."
    # and "Upgrade to a different plan to get access to <Feature>:" above the billing page. The CLI asks only for
    # "funnel" and "serve"; Serve's refusal is serve-not-enabled's, as its "Serve is not enabled" text is. Other
    # feature names are not the CLI's and stay unread.
    _entry(
        CliErrorKind.FUNNEL_UNAVAILABLE,
        "not available on the",
        r"\bFunnel is not available on (?:the |your )?(?P<plan>[\w -]{1,40}?) plan\b"
        r"|\bUpgrade to a different plan to get access to Funnel\b",
        "The control server refused Funnel for this tailnet: its plan ({plan}) does not include Funnel, so "
        "nothing on this node can be made reachable from the internet whatever its HTTPS and policy settings; "
        "the command changed nothing.",
        "Change the tailnet's plan in the admin console (Settings > Billing, the URL printed below the message) "
        "to one that includes Funnel, or expose the service another way (a tunnel or reverse proxy outside "
        "Tailscale; `tailscale serve` still shares it inside the tailnet).",
        _SERVE_LEGACY,
        "Funnel is not available on the Starter plan.",
    ),
    _entry(
        CliErrorKind.SERVE_NOT_ENABLED,
        "not available on the",
        r"\b(?:Serve|HTTPS(?: certificates)?) (?:is|are) not available on (?:the |your )?(?P<plan>[\w -]{1,40}?) "
        r"plan\b|\bUpgrade to a different plan to get access to (?:Serve|HTTPS)\b",
        "The control server refused Serve for this tailnet: its plan ({plan}) does not include it, so the node "
        "has no HTTPS serving; the command changed nothing.",
        "Change the tailnet's plan in the admin console (Settings > Billing, the URL printed below the message) "
        "to one that includes Serve, then rerun the command.",
        _SERVE_LEGACY,
        "Serve is not available on the Starter plan.",
    ),
    _entry(
        CliErrorKind.DAEMON_CONNECTION_RESET,
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
        CliErrorKind.SSH_FAILED,
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
        "sharing not enabled, please add the attribute",
        rf"(?P<feature>taildrive|tailfs) sharing not enabled, please add the attribute {_Q}?(?P<attr>\w+:share)",
        "{feature} refused to share: this node lacks the `{attr}` node attribute in the tailnet policy "
        "(Taildrive is opt-in per node; 1.62-1.64 called it TailFS and the attribute tailfs:share).",
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
        "tailfs not enabled",
        r"\btailfs not enabled",
        "tailscaled here (or the peer that answered) runs TailFS, Taildrive's 1.62-1.64 preview, without it "
        "switched on: no share is offered or reachable.",
        "Update Tailscale on both nodes (1.64+ calls it Taildrive and needs only the `drive:share` / "
        "`drive:access` node attributes), then share again with `tailscale drive share`.",
        "ipn/ipnlocal/drive.go",
        "404 Not Found: tailfs not enabled",
    ),
    _entry(
        _DRIVE,
        "tailfs not permitted",
        r"\btailfs not permitted",
        "the peer refused access to its TailFS shares: no grant lets this node use them (TailFS, Taildrive's "
        "1.62-1.64 preview).",
        "Update both nodes to Taildrive (1.64+) and grant access in the policy (a grant with app "
        '"tailscale.com/cap/drive" for the shares, plus the `drive:access` node attribute here).',
        "ipn/ipnlocal/drive.go",
        "403 Forbidden: tailfs not permitted",
    ),
    # 1.98+'s stub for the GUI app's `drive` (before it: "tailscale: unknown subcommand: drive", missing_subcommands)
    _entry(
        CliErrorKind.DAEMON_SUBCOMMAND_UNAVAILABLE,
        "taildrive cli commands are not supported",
        r"Taildrive CLI commands are not supported when using the macOS GUI app",
        "the macOS GUI app configures Taildrive itself: its CLI (built with `ts_mac_gui`) has no `tailscale drive` "
        "commands; nothing was shared or changed.",
        "Use the Tailscale menu bar icon > Settings > Taildrive to share folders (or the open-source "
        "tailscaled, whose CLI has `tailscale drive share`).",
        "cmd/tailscale/cli/drive_macgui.go",
        "Taildrive CLI commands are not supported when using the macOS GUI app. Please use the Tailscale menu "
        "bar icon to configure Taildrive in Settings.",
    ),
    _entry(
        _DRIVE,
        "names may only contain",
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
        "name already used",
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

_CERT = CliErrorKind.CERT_FAILED
_ACME = "feature/acme/cert.go"
_CERT_RETRY = (
    "Retry `tailscale cert <name>.<tailnet>.ts.net` in a few minutes (status.tailscale.com); if it persists, "
    "update Tailscale and check tailscaled's log around the request."
)

# `tailscale cert` and `configure synology-cert` (what windows.py's cert-failed patterns do not read already).
_CERT_FAMILY: tuple[Refusal, ...] = (
    _entry(
        _USAGE,
        "allowed with --serve-demo",
        r"too many arguments; max 1 allowed with --serve-demo",
        "`tailscale cert --serve-demo` takes at most one argument, the listen address.",
        "Run `tailscale cert --serve-demo [:443]` alone; get certificate files with `tailscale cert <domain>`.",
        "cmd/tailscale/cli/cert.go",
        "too many arguments; max 1 allowed with --serve-demo (the listen address)",
    ),
    _entry(
        _CERT,
        "was not one of the valid domain options",
        rf"Domain {_Q}(?P<domain>{_NOT_Q}*){_Q} was not one of the valid domain options: (?P<domains>\[.*\])",
        "`tailscale configure synology-cert --domain {domain}` was refused: this node may only get "
        "certificates for {domains}.",
        "Pass one of {domains} to --domain (or leave --domain out to use the first).",
        "cmd/tailscale/cli/configure-synology-cert.go",
        'Domain "nas.example.com" was not one of the valid domain options: ["nas.tail1234.ts.net"].',
    ),
    # DSM's own refusal (the JSON "error" of synowebapi's answer, printed with Go's %v of *apiError: "&{5598 }",
    # code and the usually empty "errors" text): its error code says which; the import is the last step.
    _entry(
        _CERT,
        "error response from ",
        rf"error response from {_Q}import{_Q} method of {_Q}(?P<api>SYNO\.{_NOT_Q}+){_Q} API: "
        r"(?:&\{|map\[code:)(?P<code>\d+)",
        "`tailscale configure synology-cert` got the certificate, but DSM's web API ({api}, method import) "
        "refused to import it with DSM error code {code}: DSM keeps its old certificate for its web UI. The CLI "
        "lets DSM 6 run the command, but DSM 6's certificate API is reported to refuse this import (the "
        "certificate and key handed over as temporary files, cert_tmp/key_tmp); DSM 7 accepts it.",
        "On DSM 6: get the files with `sudo tailscale cert <name>.ts.net` and import them by hand (Control "
        "Panel > Security > Certificate > Add > Import certificate), or update to DSM 7 and rerun `sudo tailscale "
        "configure synology-cert`. On DSM 7: rerun it as root and check DSM's log (Log Center) for code {code}.",
        "cmd/tailscale/cli/configure-synology-cert.go",
        'error response from "import" method of "SYNO.Core.Certificate" API: &{5598 }',
    ),
    _entry(
        _CERT,
        "error response from ",
        rf"error response from {_Q}(?P<method>{_NOT_Q}+){_Q} method of {_Q}(?P<api>SYNO\.{_NOT_Q}+){_Q} API: "
        r"(?:&\{|map\[code:)(?P<code>\d+)",
        "`tailscale configure synology-cert` was refused by DSM's web API ({api}, method {method}) with DSM error "
        "code {code}: DSM's certificate store was not updated.",
        "Run it as root on the NAS (`sudo tailscale configure synology-cert`, DSM 7+; DSM's log in Log Center "
        "tells what code {code} means there), or import the files from `tailscale cert` by hand in Control "
        "Panel > Security > Certificate.",
        "cmd/tailscale/cli/configure-synology-cert.go",
        'error response from "list" method of "SYNO.Core.Certificate.CRT" API: &{105 }',
    ),
    _entry(
        _CERT,
        'method of "syno.',
        rf"(?:calling|decoding response json from|error response from) {_Q}(?P<method>{_NOT_Q}+){_Q} method of "
        rf"{_Q}(?P<api>SYNO\.{_NOT_Q}+){_Q} API",
        "`tailscale configure synology-cert` got the certificate but DSM's web API ({api}, method {method}) "
        "failed to list or import it: DSM's certificate store was not updated.",
        "Run it as root on the NAS (`sudo tailscale configure synology-cert`, DSM 7+), check that `synowebapi` "
        "works, and import the files from `tailscale cert` by hand in Control Panel > Security > Certificate "
        "if it keeps failing.",
        "cmd/tailscale/cli/configure-synology-cert.go",
        'calling "import" method of "SYNO.Core.Certificate" API: exit status 1, ',
    ),
    _entry(
        _CERT,
        "decoding certificate ",
        r"decoding certificate (?P<what>list|upload) response payload",
        "DSM's certificate API answered `tailscale configure synology-cert` with something it could not read "
        "(the certificate {what} step): DSM's certificate store was not updated.",
        "Update DSM and the Tailscale package, retry as root, or import the files from `tailscale cert` by hand "
        "(Control Panel > Security > Certificate).",
        "cmd/tailscale/cli/configure-synology-cert.go",
        "decoding certificate list response payload: unexpected end of JSON input",
    ),
    _entry(
        _CERT,
        "acme extension not registered",
        r"acme extension not registered",
        "this tailscaled was built without certificate (ACME) support, so `tailscale cert` and serve's HTTPS "
        "cannot get a certificate (a trimmed build, e.g. a router or NAS package).",
        "Install the full Tailscale build for this platform (pkgs.tailscale.com), or serve plain HTTP "
        "(`tailscale serve --http=80 …`).",
        _ACME,
        "500 Internal Server Error: acme extension not registered on this LocalBackend",
    ),
    _entry(
        _CERT,
        "challenge not offered",
        r"(?P<challenge>tls-alpn-01|dns-01) challenge not offered",
        "the ACME server offered no {challenge} challenge for the order, the only way tailscaled proves the "
        "name: no certificate was issued.",
        _CERT_RETRY,
        _ACME,
        "dns-01 challenge not offered",
    ),
    _entry(
        _CERT,
        "acme challenge type",
        rf"unknown ACME challenge type {_Q}(?P<challenge>{_NOT_Q}*)",
        'tailscaled was asked for ACME challenge type "{challenge}", which it does not implement (dns-01, or '
        "tls-alpn-01 for the Kubernetes operator's proxies).",
        "Update Tailscale (the request and the daemon disagree), then retry the certificate.",
        _ACME,
        'unknown ACME challenge type "http-01"',
    ),
    _entry(
        _CERT,
        "acme account status",
        rf"unexpected ACME account status {_Q}(?P<status>{_NOT_Q}*)",
        "Let's Encrypt reports this node's ACME account as \"{status}\" (deactivated or revoked): it cannot "
        "order certificates with it.",
        "Remove the node's cached ACME account (the `acme-account.key.pem` under tailscaled's certs directory, "
        "e.g. /var/lib/tailscale/certs), restart tailscaled and retry `tailscale cert` (a new account is made).",
        _ACME,
        'unexpected ACME account status "deactivated"',
    ),
    _entry(
        _CERT,
        "renewal info from acme server",
        r"failed to fetch renewal info from ACME server: (?P<why>.+)",
        "tailscaled could not ask Let's Encrypt when to renew the cached certificate ({why}): the ACME server "
        "is unreachable from this machine.",
        "Check that this machine reaches https://acme-v02.api.letsencrypt.org (firewall, proxy, DNS); retry "
        "`tailscale cert`.",
        _ACME,
        "failed to fetch renewal info from ACME server: context deadline exceeded",
    ),
    _entry(
        _CERT,
        "chain from certstore",
        r"could not parse certificate chain from certStore, got (?P<blocks>\d+) PEM block",
        "the certificate tailscaled cached is damaged ({blocks} PEM blocks where a chain was expected): it "
        "cannot be used or renewed.",
        "Delete the node's files from tailscaled's certs directory (e.g. /var/lib/tailscale/certs/<name>.crt "
        "and .key, or the kube Secret), then rerun `tailscale cert`.",
        _ACME,
        "could not parse certificate chain from certStore, got 0 PEM block(s)",
    ),
    _entry(
        _CERT,
        "negative certificate lifetime",
        r"negative certificate lifetime (?P<lifetime>\S+)",
        "the cached certificate's validity ends before it starts ({lifetime}): a damaged certificate, or a "
        "clock that was far off when it was checked.",
        "Check the system clock (NTP), delete the cached certificate from tailscaled's certs directory and "
        "rerun `tailscale cert`.",
        _ACME,
        "negative certificate lifetime -2h0m0s",
    ),
    _entry(
        _CERT,
        "no tailscalevarroot",
        r"\bno TailscaleVarRoot\b",
        "tailscaled has no state directory to keep certificates in (started without --statedir / a --state "
        "file path, or with in-memory state).",
        "Start tailscaled with `--statedir=/var/lib/tailscale` (or a --state file under a writable directory), "
        "then rerun `tailscale cert`.",
        "feature/acme/certstore.go",
        "500 Internal Server Error: no TailscaleVarRoot",
    ),
    _entry(
        _CERT,
        "acme/autocert:",
        r"acme/autocert: (?P<why>invalid account key found in cache|failed to parse private key"
        r"|unknown private key type in PKCS#8 wrapping)",
        "a key tailscaled cached for certificates is unreadable ({why}): the ACME account or certificate key "
        "in its certs directory is damaged.",
        "Delete the damaged key from tailscaled's certs directory (acme-account.key.pem, or <name>.key), "
        "restart tailscaled and rerun `tailscale cert`.",
        "feature/acme/certstore.go",
        "acme/autocert: invalid account key found in cache",
    ),
    _entry(
        _CERT,
        "acmekey: ",
        r"\bacmeKey: (?P<why>(?:open|read|write|mkdir|stat|create|remove|rename) .+)",
        "tailscaled could not read or create its ACME account key ({why}).",
        "Check that tailscaled's certs directory is writable by the daemon (e.g. /var/lib/tailscale/certs), "
        "then rerun `tailscale cert`.",
        "feature/acme/certstore.go",
        "500 Internal Server Error: acmeKey: read /var/lib/tailscale/certs/acme-account.key.pem: is a directory",
    ),
    _entry(
        _CERT,
        "invalid type; want",
        rf"invalid type; want {_Q}cert{_Q} \(default\), {_Q}key{_Q}, or {_Q}pair{_Q}?",
        "LocalAPI's cert endpoint was asked for a type it does not serve: the caller (a script or an older or "
        "newer client) and tailscaled disagree.",
        "Use `tailscale cert <domain>` from the same version as tailscaled, or request type cert, key or pair.",
        "ipn/localapi/cert.go",
        '400 Bad Request: invalid type; want "cert" (default), "key", or "pair"',
    ),
    # The client library's reading of the pair answer (client/local/cert.go CertPairWithValidity; before 1.70
    # client/tailscale, and tscert's copy that Caddy and Traefik use): the body is not "key PEM, then cert PEM".
    # Clients of 2022 (1.22) and tscert did not check the HTTP status, so an error body (500 "failed to get cert
    # dir", 403 "invalid localapi request" for a caller without cert access) ends up read as a broken pair.
    _entry(
        _CERT,
        "unexpected output: ",
        r"\bunexpected output: (?P<what>no delimiter|key in cert)\b",
        "tailscaled's answer to the certificate request was not a private key followed by a certificate "
        "({what}), so no certificate was obtained or written: an error answer the client did not show (older "
        "clients and tscert, used by Caddy and Traefik, read any answer as the pair: a caller without "
        "certificate access, a daemon without a state/certs directory, a name that is not this node's).",
        "Ask tailscaled yourself to see its real answer: `sudo curl --unix-socket /var/run/tailscale/tailscaled.sock "
        "'http://local-tailscaled.sock/localapi/v0/cert/<name>.ts.net?type=pair'` (the package's socket on a NAS, "
        "e.g. /var/packages/Tailscale/var/tailscaled.sock); run the request as root (or set TS_PERMIT_CERT_UID "
        "for a web server's user), give tailscaled a --statedir, use the node's own name, and update Tailscale.",
        "client/local/cert.go",
        "unexpected output: no delimiter",
    ),
)

_TAILDROP = CliErrorKind.TAILDROP_FAILED
_FILE = "cmd/tailscale/cli/file.go"

# `tailscale file cp/get` (what windows.py's taildrop-failed patterns do not read already).
_FILE_FAMILY: tuple[Refusal, ...] = (
    # file.go's warning on stderr before the send: v1.8-v1.96 "# warning: <target> is offline" (the netmap says so),
    # v1.98+ after 3 s without a byte "… is reportedly offline; trying anyway" / "… is not replying; trying anyway"
    # (behind the "\r\x1b[K" that clears the progress line). The send goes on and waits: not a refusal.
    _entry(
        CliErrorKind.TAILDROP_TARGET_OFFLINE,
        "# warning: ",
        r"(?:^|[\s\"'`(:])(?:\x1b\[K|\^\[\[K|\[K)?# warning: (?P<target>\S+) is "
        r"(?P<state>(?:reportedly )?offline|not replying)(?:; trying anyway)?(?![\w-])",
        "`tailscale file cp` warned that {target} is {state}: Taildrop sends straight to the device over the tailnet "
        "(no server keeps the file), so the send waits and the file arrives only if {target} comes online and "
        "answers; an offline target makes it hang and fail.",
        "Check {target} in `tailscale status` (offline, or when it was last seen) and `tailscale ping {target}`: "
        "start Tailscale on it or wake it (a phone asleep, a laptop lid shut), then send again; `tailscale file cp "
        "--targets` lists the devices that can receive now.",
        _FILE,
        "# warning: phone is reportedly offline; trying anyway",
    ),
    _entry(
        _USAGE,
        "usage: tailscale file",
        r"usage: tailscale file (?P<sub>cp|get)\b",
        "`tailscale file {sub}` was given the wrong arguments: nothing was sent or received.",
        "Use its form: `tailscale file cp <files...> <target>:` (the target ends in a colon) or `tailscale "
        "file get <target-directory>`.",
        _FILE,
        "usage: tailscale file cp <files...> <target>:",
    ),
    _entry(
        _USAGE,
        "must end in colon",
        r"final argument to .tailscale file cp. must end in colon",
        "`tailscale file cp`'s last argument is the target, and it must end in a colon: it was read as a file.",
        "Add the colon: `tailscale file cp photo.jpg my-phone:` (`tailscale file cp --targets` lists targets).",
        _FILE,
        "final argument to 'tailscale file cp' must end in colon",
    ),
    _entry(
        _USAGE,
        "an ipv6 literal must be written as",
        r"an IPv6 literal must be written as \[(?P<ip>[0-9A-Fa-f:.]+)\]",
        "`tailscale file cp` was given a bare IPv6 target; the colon that ends the target makes it ambiguous.",
        "Bracket it: `tailscale file cp <files> [{ip}]:` (or use the peer's name).",
        _FILE,
        "an IPv6 literal must be written as [fd7a:115c:a1e0::1]",
    ),
    _entry(
        _USAGE,
        "--name= with multiple files",
        r"can.t use --name= with multiple files",
        "`tailscale file cp --name=` renames one file; several were given.",
        "Send one file per `--name=`, or drop --name to keep the files' names.",
        _FILE,
        "can't use --name= with multiple files",
    ),
    _entry(
        _USAGE,
        "as stdin file when providing",
        r"can.t use .-. as STDIN file when providing filename arguments",
        "`tailscale file cp -` reads one file from stdin and cannot be mixed with file names.",
        "Send stdin alone: `cat x | tailscale file cp --name=x - <target>:`.",
        _FILE,
        "can't use '-' as STDIN file when providing filename arguments",
    ),
    _entry(
        _USAGE,
        "invalid arguments with --targets",
        r"invalid arguments with --targets",
        "`tailscale file cp --targets` lists where files can go and takes no other arguments.",
        "Run `tailscale file cp --targets` alone, then `tailscale file cp <files> <target>:`.",
        _FILE,
        "invalid arguments with --targets",
    ),
    _entry(
        _USAGE,
        "|overwrite|",
        rf"{_Q}?(?P<value>[^\s\"'`]*){_Q}? is not one of \(skip\|overwrite\|rename\)",
        '`tailscale file get --conflict="{value}"` was refused: it takes skip, overwrite or rename.',
        "Pass `--conflict=skip`, `--conflict=overwrite` or `--conflict=rename`.",
        _FILE,
        '"keep" is not one of (skip|overwrite|rename)',
    ),
    _entry(
        _USAGE,
        "--wait with /dev/null",
        r"can.t use --wait with /dev/null target",
        "`tailscale file get --wait /dev/null` would wait forever to discard files: refused.",
        "Drop --wait to discard what is waiting now, or receive into a directory.",
        _FILE,
        "can't use --wait with /dev/null target",
    ),
    _entry(
        _TAILDROP,
        "runs in a macos sandbox",
        r"the GUI version of Tailscale on macOS runs in a macOS sandbox that can.t read files",
        "the macOS GUI app's CLI is sandboxed: it cannot read the files named on the command line to send them.",
        "Send from Finder (Share > Tailscale) or the menu bar, pipe the file in (`cat f | tailscale file cp "
        "--name=f - <target>:`), or use the open-source tailscaled's CLI.",
        _FILE,
        "the GUI version of Tailscale on macOS runs in a macOS sandbox that can't read files",
    ),
    # Before 1.20 tailscaled ran PeerAPI (the per-node HTTP server Taildrop receives through) only when it
    # had a Taildrop directory, and LocalAPI's file calls answered 500 "peerapi disabled" (ipn/ipnlocal:
    # WaitingFiles/OpenFile/DeleteFile; "…; no storage configured" from the PeerAPI server); 1.20-1.56 said
    # "peerapi unavailable; not listening". Its own log said "peerapi disabled; no state directory" (a log
    # line, read by the daemon-log model, not here).
    _entry(
        _TAILDROP,
        "peerapi ",
        r"\bpeerapi (?:disabled(?:; no storage configured)?(?!; (?:no state directory|error making))"
        r"|unavailable; not listening)",
        "tailscaled answered, but its PeerAPI (the per-node server Taildrop receives files through) is not "
        "running: before 1.20 it started only with a Taildrop directory (a state directory it could create "
        "files/ in). This node cannot receive files (other devices cannot send to it) and `tailscale "
        "file get` has no inbox to list.",
        "Run tailscaled with a writable state directory (--statedir, /var/lib/tailscale; on a NAS, the "
        "package's data volume) and restart it, or update Tailscale (1.20+ runs PeerAPI without one); then "
        "check `tailscale file get` again.",
        "ipn/ipnlocal/peerapi.go",
        "500 Internal Server Error: peerapi disabled",
    ),
    _entry(
        _TAILDROP,
        "getting waitingfiles: ",
        # (LocalAPI's 403 "file access denied" is the caller's permission: unix-access-denied, windows.py)
        r"getting WaitingFiles: (?!.*file access denied)"
        r"(?P<why>(?:(?:HTTP )?\d{3} |Access denied|Failed to connect|Get |EOF|context |dial ).*)",
        "`tailscale file get` could not list the files waiting in tailscaled's Taildrop inbox ({why}).",
        "Check tailscaled runs and that Taildrop has a storage directory (tailscaled --statedir; NAS packages: "
        "the Taildrop shared folder), run as root/operator, then retry `tailscale file get <dir>`.",
        _FILE,
        "getting WaitingFiles: 500 Internal Server Error: Taildrop disabled; no storage directory",
    ),
    _entry(
        _TAILDROP,
        "opening inbox file",
        rf"opening inbox file {_Q}(?P<name>{_NOT_Q}*){_Q}: (?P<why>.+)",
        '`tailscale file get` could not open the received file "{name}" from the Taildrop inbox ({why}).',
        "Retry `tailscale file get`; if it keeps failing, check the Taildrop directory's permissions "
        "(/var/lib/tailscale/files) and free space.",
        _FILE,
        'opening inbox file "photo.jpg": 404 Not Found: file not found',
    ),
    _entry(
        _TAILDROP,
        "from inbox: ",
        rf"deleting {_Q}(?P<name>{_NOT_Q}*){_Q} from inbox: (?P<why>.+)",
        '`tailscale file get` saved "{name}" but could not remove it from the Taildrop inbox ({why}): it will '
        "be received again next time.",
        "Delete it by hand from the Taildrop directory, or retry `tailscale file get`.",
        _FILE,
        'deleting "photo.jpg" from inbox: 500 Internal Server Error: permission denied',
    ),
    _entry(
        _TAILDROP,
        "in runfilegetonebatch(",
        r"too many errors in runFileGetOneBatch\(\)\. (?P<left>\d+) files unexamined",
        "`tailscale file get` gave up after repeated errors; {left} received files are still in the inbox.",
        "Read the errors above it (permissions or space in the target directory), fix them and rerun "
        "`tailscale file get <dir>`.",
        _FILE,
        "too many errors in runFileGetOneBatch(). 3 files unexamined",
    ),
    _entry(
        _TAILDROP,
        "quarantine attribute to file",
        r"failed to apply quarantine attribute to file (?P<file>\S+)",
        "`tailscale file get` on macOS could not mark the received file {file} as downloaded (quarantine attribute).",
        "Check the target directory is on a local macOS volume you may write to, and retry.",
        _FILE,
        "failed to apply quarantine attribute to file /Users/me/Downloads/a.zip: operation not permitted",
    ),
    _entry(
        _TAILDROP,
        "conflict? no one knows",
        r"file issue\. how to resolve this conflict\? no one knows",
        "`tailscale file get` met an unexpected conflict writing a received file (a --conflict mode it does "
        "not handle).",
        "Rerun with an explicit `--conflict=rename` (or skip/overwrite).",
        _FILE,
        "file issue. how to resolve this conflict? no one knows.",
    ),
    _entry(
        _TAILDROP,
        "misconfigured taildrop extension",
        r"misconfigured taildrop extension",
        "tailscaled's Taildrop is not set up (a build or platform where it does not run, or a daemon started "
        "without a place to keep files).",
        "Run a full tailscaled build with a state directory (--statedir), or update the package; then retry.",
        "feature/taildrop/localapi.go",
        "500 Internal Server Error: misconfigured taildrop extension",
    ),
    _entry(
        _TAILDROP,
        "failed to get taildrop manager",
        r"failed to get taildrop manager",
        "the receiving node's Taildrop is not set up, so it refused the file.",
        "On the receiver: give tailscaled a state directory (or the NAS package's Taildrop folder) and "
        "restart it; then send again.",
        "feature/taildrop/peerapi.go",
        "500 Internal Server Error: failed to get taildrop manager",
    ),
    _entry(
        _TAILDROP,
        "unsupported distro for taildrop",
        r"(?P<distro>\S+) is an unsupported distro for Taildrop dir",
        "tailscaled looks for a NAS shared folder to keep Taildrop files in, and {distro} is not a NAS it "
        "knows: received files have nowhere to go.",
        "Run tailscaled with a state directory (--statedir) so Taildrop uses <statedir>/files.",
        "feature/taildrop/paths.go",
        "qnap is an unsupported distro for Taildrop dir",
    ),
    _entry(
        _TAILDROP,
        "shared folder",
        rf"(?:symlink to )?shared folder {_Q}(?P<name>Taildrop){_Q} not found|symlink {_Q}(?P<link>Taildrop){_Q}"
        r"(?: to shared folder not valid| not found)",
        "the NAS package keeps received Taildrop files in a shared folder named Taildrop, and it does not "
        "exist (or its link is broken): files sent here are refused.",
        "Create a shared folder named `Taildrop` on the NAS (Synology: Control Panel > Shared Folder; Unraid/"
        "QNAP: a share named Taildrop), give the Tailscale package access to it, and restart Tailscale.",
        "feature/taildrop/paths.go",
        'shared folder "Taildrop" not found',
    ),
)

_LOCK = CliErrorKind.TAILNET_LOCK_FAILED
_LOCK_CLI = "cmd/tailscale/cli/tailnet-lock.go"
_LOCK_IPN = "ipn/ipnlocal/tailnet-lock.go"

# `tailscale lock` (what windows.py's tailnet-lock-failed patterns do not read already).
_LOCK_FAMILY: tuple[Refusal, ...] = (
    _entry(
        _USAGE,
        "tailscale lock: unknown subcommand",
        r"tailscale lock: unknown subcommand: (?P<sub>\S+)",
        "`tailscale lock {sub}` is no subcommand of this CLI's `lock` (a typo, or a newer command).",
        "See `tailscale lock --help` (status, init, add, remove, sign, disable, log, …); update the CLI for "
        "newer subcommands.",
        _LOCK_CLI,
        "tailscale lock: unknown subcommand: revoke",
    ),
    _entry(
        _USAGE,
        "tailscale lock status: unexpected",
        r"tailscale lock status: unexpected argument",
        "`tailscale lock status` takes no arguments.",
        "Run `tailscale lock status` (add --json for machine output).",
        _LOCK_CLI,
        "tailscale lock status: unexpected argument",
    ),
    _entry(
        _USAGE,
        "expected one or more tailnet lock keys",
        r"missing argument, expected one or more tailnet lock keys",
        "the `tailscale lock` command (init, add, remove or revoke-keys) was given no Tailnet Lock key.",
        "Pass the keys (tlpub:…, shown by `tailscale lock status` on each signing node): `tailscale lock add "
        "tlpub:<key>`.",
        _LOCK_CLI,
        "missing argument, expected one or more tailnet lock keys",
    ),
    _entry(
        _USAGE,
        "usage: tailscale lock",
        r"usage: (?:tailscale )?lock (?P<sub>sign|disable|disablement-kdf|tskey-wrap)\b",
        "`tailscale lock {sub}` was given the wrong arguments.",
        "Use its form: `tailscale lock sign <node-key> [<rotation-key>]`, `tailscale lock disable "
        "<disablement-secret>`, `tailscale lock tskey-wrap <auth-key>`.",
        _LOCK_CLI,
        "usage: tailscale lock sign <node-key> [<rotation-key>]",
    ),
    _entry(
        _USAGE,
        "disablement-secret:",
        r"expected value with .disablement:. or .disablement-secret:. prefix, got",
        "`tailscale lock init` reads keys (tlpub:…) and disablement values; one argument was neither.",
        "Pass each disablement value as `disablement:<hex>` or `disablement-secret:<hex>` (and the keys as tlpub:…).",
        _LOCK_CLI,
        'parsing argument 2: expected value with "disablement:" or "disablement-secret:" prefix, got "abc"',
    ),
    _entry(
        _USAGE,
        "parsing disablement ",
        r"parsing disablement \d+: (?P<why>.+)",
        "a disablement value given to `tailscale lock init` could not be read ({why}).",
        "Give it as `disablement:<hex>` (or `disablement-secret:<hex>`, 32 random bytes in hex).",
        _LOCK_CLI,
        "parsing disablement 1: encoding/hex: invalid byte: U+0067 'g'",
    ),
    # parseNLArgs: a key argument of `lock init/add/remove` that is no tlpub: key (types/key/util.go wordings),
    # or whose "?votes" suffix is no number.
    _entry(
        _USAGE,
        "parsing key ",
        r"parsing key \d+(?: votes)?: (?P<why>key hex string doesn't have expected type prefix \S+"
        r"|key hex has the wrong size, got \d+ want \d+|strconv\.Atoi: .+|encoding/hex: .+)",
        "a Tailnet Lock key given to `tailscale lock` (init, add or remove) could not be read ({why}). Nothing "
        "was changed.",
        "Copy each key exactly as `tailscale lock status` prints it on the signing node: `tlpub:` and 64 hex "
        "digits (optionally `?<votes>`, a number).",
        _LOCK_CLI,
        "parsing key 1: key hex string doesn't have expected type prefix tlpub:",
    ),
    _entry(
        _USAGE,
        "decoding node-key",
        r"decoding (?P<which>node-key|rotation-key): (?P<why>.+)",
        "`tailscale lock sign` could not read its {which} argument ({why}).",
        "Copy the node key exactly as `tailscale lock status` lists it under locked-out nodes (nodekey:…), and "
        "a rotation key as tlpub:….",
        _LOCK_CLI,
        "decoding node-key: key hex has the wrong size, got 10 want 64",
    ),
    _entry(
        _USAGE,
        "decoding aum hash",
        r"decoding AUM hash: (?P<why>.+)",
        "the Tailnet Lock update hash given on the command line could not be read ({why}).",
        "Copy the hash exactly from `tailscale lock log`.",
        _LOCK_CLI,
        "decoding AUM hash: illegal base32 data at input byte 4",
    ),
    _entry(
        _USAGE,
        "invalid fork-from hash",
        r"invalid fork-from hash: (?P<why>.+)",
        "`tailscale lock revoke-keys --fork-from` was given a hash it cannot read ({why}).",
        "Copy the AUM hash to fork from exactly from `tailscale lock log`.",
        _LOCK_CLI,
        "invalid fork-from hash: illegal base32 data at input byte 0",
    ),
    _entry(
        _LOCK,
        "already wrapped",
        r"provided key was already wrapped",
        "`tailscale lock tskey-wrap` was given an auth key it had already wrapped (signed) for Tailnet Lock.",
        "Use the wrapped key as is (`tailscale up --auth-key=<wrapped key>`); wrap only the original tskey-….",
        _LOCK_CLI,
        "Error: provided key was already wrapped",
    ),
    _entry(
        _LOCK,
        "recovery aum",
        r"(?P<step>generation of|co-signing|submitting) recovery AUM failed: (?P<why>.+)"
        r"|decoding recovery AUM: (?P<why2>.+)|this node has already signed this recovery AUM",
        "`tailscale lock revoke-keys` (revoking compromised keys) failed at a step of the recovery update: "
        "{step} ({why}).",
        "Each trusted signing node signs the recovery update in turn (`tailscale lock revoke-keys --cosign "
        "<hex>`) until enough have, then `--finish`; pass the hex from the previous node unchanged and "
        "do not sign twice on one node.",
        _LOCK_CLI,
        "submitting recovery AUM failed: 500 Internal Server Error: central tka head differs",
    ),
    _entry(
        _LOCK,
        "affected sigs for key",
        r"affected sigs for key (?P<key>[0-9A-Fa-f]+): (?P<why>.+)",
        "`tailscale lock remove` could not find the node signatures made by key {key} to re-sign them ({why}).",
        "Retry; or remove with `--re-sign=false` and re-sign affected nodes by hand (`tailscale lock sign "
        "nodekey:…` on another signing node).",
        _LOCK_CLI,
        "affected sigs for key 4F2A9C: 500 Internal Server Error: tailnet-lock is not active",
    ),
    _entry(
        _LOCK,
        "sign nodekey:",
        r"failed to sign (?P<node>nodekey:[0-9a-f]+): (?P<why>.+)",
        "re-signing {node} with another trusted key failed ({why}): the node may lose access when the key is removed.",
        "Sign it by hand on a signing node (`tailscale lock sign {node}`), then retry the removal.",
        _LOCK_CLI,
        "failed to sign nodekey:8e5d2c7a1b: 500 Internal Server Error: signing failed: no such key",
    ),
    _entry(
        _LOCK,
        "signing deeplink verification",
        r"signing deeplink verification access denied",
        "tailscaled refused to verify a Tailnet Lock signing link for this caller (not root, not the operator).",
        "Rerun with sudo (or after `sudo tailscale set --operator=$USER`).",
        "ipn/localapi/tailnetlock.go",
        "Access denied: signing deeplink verification access denied",
    ),
    _entry(
        _LOCK,
        "reading log failed: ",
        r"(?:Internal Server Error|backend error): reading log failed: (?P<why>.+)",
        "`tailscale lock log` could not read Tailnet Lock's update log from tailscaled ({why}).",
        "Check `tailscale lock status` (no log without Tailnet Lock enabled); restart tailscaled and retry.",
        "ipn/localapi/tailnetlock.go",
        "500 Internal Server Error: reading log failed: tailnet-lock is not active",
    ),
    _entry(
        _LOCK,
        "netmap: verify",
        r"missing netmap: verify that you are logged in",
        "the `tailscale lock` command needs this node's network map, and it has none: it is not logged in "
        "(or not connected yet).",
        "Log in first (`tailscale up`, check `tailscale status`), then rerun the lock command.",
        _LOCK_IPN,
        "500 Internal Server Error: initialization failed: missing netmap: verify that you are logged in",
    ),
    _entry(
        _LOCK,
        "no node-key: is tailscale logged in",
        r"no node-key: is tailscale logged in\?",
        "Tailnet Lock needs this node's node key, and it has none: it is not logged in.",
        "Log in (`tailscale up`), then rerun the lock command.",
        _LOCK_IPN,
        "tailnet-lock modify failed: no node-key: is tailscale logged in?",
    ),
    _entry(
        _LOCK,
        "is disallowed on this node",
        rf"TKA with stateID of {_Q}(?P<state>{_NOT_Q}*){_Q}? is disallowed on this node",
        "this node refuses the tailnet's Tailnet Lock state ({state}): Tailnet Lock was disabled here with a "
        "disablement secret, and the same lock may not be re-enabled on it.",
        "If the lock was re-initialised on purpose, reset this node's lock state (`tailscale lock local-disable` "
        "is the other way round; re-login with `tailscale up --force-reauth`), or ask a tailnet admin.",
        _LOCK_IPN,
        'TKA with stateID of "12345:67890" is disallowed on this node',
    ),
    _entry(
        _LOCK,
        "tka init-begin rpc",
        r"tka init-begin RPC: (?P<why>.+)",
        "`tailscale lock init` could not start initialising Tailnet Lock with the coordination server ({why}).",
        "Check the node is online and logged in (`tailscale status`), that the tailnet's plan allows Tailnet "
        "Lock, then retry; Headscale does not implement Tailnet Lock.",
        _LOCK_IPN,
        "500 Internal Server Error: initialization failed: tka init-begin RPC: 404 Not Found",
    ),
)

# The device web client (client/web, manage mode: port 5252 on the Tailscale IP, or `tailscale web`) answers each
# API request whose source is not a tailnet peer with 401 "must access over tailscale" (authorizeRequest, since
# v1.52), and its /api/ router then adds "not authorized": a browser on the LAN sees both as the response body.
# Only the body as a whole (ending the line or quoted: prose "you must access it over Tailscale", "… over tailscale or
# the VPN" is not the server's answer); "not authorized" alone is any server's word and is not claimed.
_WEB_CLIENT_FAMILY: tuple[Refusal, ...] = (
    _entry(
        CliErrorKind.WEB_CLIENT_NOT_OVER_TAILSCALE,
        "must access over tailscale",
        r"(?:^|[\s`\"'>:])must access over tailscale\.?\s*(?:[`\"']|$)",
        "the device's web client (port 5252 on its Tailscale IP, or `tailscale web` in manage mode) refused the "
        "browser with 401: the request did not come from a tailnet peer (a LAN browser, or the device's Tailscale "
        "IP reached through the router from a device not on the tailnet), so every API call is refused and the "
        "page keeps loading. By design; tailscaled and the tunnel are not at fault.",
        "Open http://<Tailscale IP>:5252 from a device logged in to the same tailnet (check with `tailscale "
        "status` on that device); for access from the LAN, run the web client in login mode on a LAN address: "
        "`tailscale web --listen <lan-ip>:<port>`.",
        "client/web/web.go (authorizeRequest, errNotUsingTailscale)",
        "must access over tailscale",
    ),
)

REFUSALS: tuple[Refusal, ...] = (
    *_WEB_CLIENT_FAMILY,
    *_SERVE_FAMILY,
    *_SSH_FAMILY,
    *_DRIVE_FAMILY,
    *_CERT_FAMILY,
    *_FILE_FAMILY,
    *_LOCK_FAMILY,
)


# Messages whose words alone say nothing Tailscale, read only as the answer of the command typed above them
# (blocks.py keeps the prompt's command with the block): serve's bare "handler does not exist" (cli/serve.go
# 1.34-1.50 and serve_legacy.go since, as "error: handler does not exist"; cli/serve_v2.go 1.86+ wraps it,
# "failed to remove web serve: handler does not exist", read above) and 1.86+'s "service does not exist"
# (removeWebServe/removeTunServe for a --service the serve config does not hold).
#
# The CLI's own local web page: `tailscale status --web` (cli/status.go: net.Listen("tcp", --listen), default
# 127.0.0.1:8384, the port Syncthing's GUI also uses) and `tailscale web` (cli/web.go: http.ListenAndServe on
# --listen, default localhost:8088) return Go's listen error bare: "listen tcp <addr>: bind: <why>", words any
# program prints, so read only under those commands.
_TYPED_WEB_PAGE = typed_tailscale_command(r"(?:status\b.*\s--?web\b|web\b)")
_WEB_PAGE = (
    "the CLI's own local web page (`tailscale status --web`, default 127.0.0.1:8384; `tailscale web`, default "
    "localhost:8088) could not listen on {addr}"
)
_WEB_LISTEN = CliErrorKind.WEB_LISTEN_FAILED
_LISTEN = r"^(?:error: )?listen tcp (?P<addr>\S*:(?P<port>\d+)): bind: "
_WEB_LISTEN_ANSWERS: tuple[Refusal, ...] = (
    _entry(
        _WEB_LISTEN,
        "listen tcp ",
        _LISTEN + r"(?:address already in use|Only one usage of each socket address)",
        _WEB_PAGE + ": another program already holds that port (8384 is Syncthing's GUI port). tailscaled, the "
        "tailnet and connectivity are not involved; only this page did not start.",
        "Give the page another address with `--listen` (`tailscale status --web --listen=127.0.0.1:8385`, "
        "`tailscale web --listen=localhost:8089`; port 0 picks a free one), or stop the program holding the port "
        "(`ss -ltnp 'sport = :{port}'`, `lsof -iTCP:{port} -sTCP:LISTEN`, Windows `netstat -ano | findstr :{port}`).",
        "cmd/tailscale/cli/status.go, web.go",
        "listen tcp 127.0.0.1:8384: bind: address already in use",
    ),
    _entry(
        _WEB_LISTEN,
        "listen tcp ",
        _LISTEN + r"(?:permission denied|An attempt was made to access a socket in a way forbidden)",
        _WEB_PAGE + ": the OS refused the port (below 1024 without privileges, or on Windows a port range "
        "reserved by Hyper-V/WinNAT). tailscaled is not involved; only this page did not start.",
        "Use an unprivileged free port with `--listen` (`--listen=127.0.0.1:8385`; port 0 picks a free one); on "
        "Windows see the reserved ranges with `netsh interface ipv4 show excludedportrange protocol=tcp`.",
        "cmd/tailscale/cli/status.go, web.go",
        "listen tcp 127.0.0.1:80: bind: permission denied",
    ),
    _entry(
        _WEB_LISTEN,
        "listen tcp ",
        _LISTEN + r"(?:cannot assign requested address|The requested address is not valid in its context)",
        _WEB_PAGE + ": that address is not one of this host's (a mistyped --listen, or a tailnet address while "
        "the node is down). tailscaled's service is not involved; only this page did not start.",
        "Listen on an address this host has (`--listen=127.0.0.1:8384`, or the node's address from `tailscale ip "
        "-4` once it is up).",
        "cmd/tailscale/cli/status.go, web.go",
        "listen tcp 100.64.0.9:8384: bind: cannot assign requested address",
    ),
)

COMMAND_ANSWERS: tuple[tuple[re.Pattern[str] | LazyPattern, Refusal], ...] = (
    *((_TYPED_WEB_PAGE, answer) for answer in _WEB_LISTEN_ANSWERS),
    (
        typed_tailscale_command(r"(?:serve|funnel)"),
        _entry(
            _SERVE,
            "handler does not exist",
            r"^(?:error: )?handler does not exist\.?$",
            "serve/funnel was asked to remove a handler this node's serve config does not hold (another port, "
            "type or path; on a shared machine another user's config): nothing was removed.",
            "Look at `tailscale serve status` (and `tailscale funnel status`) for what is really served and turn "
            "that off, or clear everything with `tailscale serve reset`.",
            _SERVE_LEGACY,
            "error: handler does not exist",
        ),
    ),
    (
        typed_tailscale_command(r"(?:serve|funnel)\b.*\s--service"),
        _entry(
            _SERVE,
            "service does not exist",
            r"^(?:error: )?service does not exist\.?$",
            "serve was asked to remove a Service's handler, but this node's serve config holds no such Service "
            "(another name, or never served here): nothing was removed.",
            "Check `tailscale serve status` for the Services this node serves (`svc:<name>` entries) and give that "
            "name to --service, or clear everything with `tailscale serve reset`.",
            _SERVE_V2,
            "error: service does not exist",
        ),
    ),
    # debug-capture.go: without -o the CLI runs Wireshark on the stream (exec.CommandContext "wireshark")
    (
        typed_tailscale_command(r"debug\s+capture"),
        _entry(
            _USAGE,
            'exec: "wireshark": ',
            r'^exec: "wireshark": executable file not found in (?:\$PATH|%PATH%)$',
            "`tailscale debug capture` without -o starts Wireshark to show the packets live, and Wireshark is not "
            "installed (or not on the PATH): nothing was captured.",
            "Write the capture to a file instead: `sudo tailscale debug capture -o /tmp/tailscale.pcap` (stop it "
            "with Ctrl-C) and open the file in Wireshark, or install Wireshark on this machine.",
            "cmd/tailscale/cli/debug-capture.go",
            'exec: "wireshark": executable file not found in $PATH',
        ),
    ),
    # debug.go runDebugComponentLogs → ipnlocal SetComponentDebugLogging: a name outside ipn.DebuggableComponents
    (
        typed_tailscale_command(r"debug\s+component-logs"),
        _entry(
            _USAGE,
            "unknown component ",
            r'^unknown component "(?P<component>[^"]*)"$',
            "`tailscale debug component-logs` has no component `{component}`: tailscaled turns on debug logs only "
            "for the components it lists (magicsock, sockstats, syspolicy; dns in some versions). Nothing changed.",
            "Name one of them: `tailscale debug component-logs magicsock` (`--for=0` turns it off again); "
            "`tailscale debug component-logs` alone prints the list this version knows.",
            "ipn/ipnlocal/local.go",
            'unknown component "derp"',
        ),
    ),
    # debug.go runDebugResolve: net.DefaultResolver.LookupIP's error (the OS resolver, not 100.100.100.100)
    (
        typed_tailscale_command(r"debug\s+resolve"),
        _entry(
            CliErrorKind.DNS_QUERY_FAILED,
            "lookup ",
            r"^lookup (?P<host>\S+?)(?: on (?P<server>\S+))?: (?P<why>.+)$",
            "The system resolver tailscale asked (its OS's, through {server} when named) could not resolve "
            "`{host}`: {why}.",
            "Check the name (a MagicDNS name is <machine>.<tailnet>.ts.net); `tailscale dns query {host}` asks "
            "tailscaled's resolver (100.100.100.100) directly, and `tailscale dns status` shows whether this OS "
            "uses it.",
            "cmd/tailscale/cli/debug.go",
            "lookup nas.tail1234.ts.net on 127.0.0.53:53: no such host",
        ),
    ),
)
