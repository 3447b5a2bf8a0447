"""tailscaled's own log, pasted from journald, syslog, a container, the Windows service log, logcat,
macOS's unified log or an embedded tsnet node: which lines are its, and what they say.

- grammar.py peels every prefix off a line (``message_of``);
- events.py holds one small recogniser per subsystem (DERP, control, ipn state, health, DNS, TUN,
  router/filter, state store, UDP port, disco, crash/restart, log upload);
- fold.py folds the events, in order, into what still holds at the end of the paste;
- this module decides which lines belong to a log (``is_daemon_log_line``, behind a cheap word test)
  and builds the report (``parse_daemon_log``): version, OS, who started it, ipn state, home DERP,
  userspace networking, issues and the peers disco shows.

A daemon run from a shell on Windows runs as that user, not LocalSystem: its named pipe, state and
LocalAPI owner differ from the service's, which explains most "works for one user only" reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from opskit.core.diagnose.daemonlog.events import (
    EVENT_WORDS,
    NEVER_A_CRASH,
    RESOLV_CONF_NOT_RESOLVED,
    SYSTEMD_STATUS_WORDS,
    UP_LOGIN_PROMPT,
    VERSION,
    Event,
    Fact,
    Raise,
    brew_service_row,
    direct_beside_running_resolved,
    events_of,
    is_addon_verdict,
    is_android_keystore_refusal,
    is_api_mint_refusal,
    is_auth_key_mint_error,
    is_call_frame,
    is_catalog_job_failure,
    is_cgnat_address,
    is_dump_line,
    is_dump_request,
    is_overall_errors_head,
    is_overall_errors_part,
    is_start_job_failure,
    is_systemd_verdict,
    is_tailscale_unit,
    selinux_denial,
    shell_job_end,
    stub_beside_others,
)
from opskit.core.diagnose.daemonlog.fold import fold
from opskit.core.diagnose.daemonlog.grammar import (
    Message,
    excerpt_order,
    is_newest_first,
    is_tailscale_console_row,
    is_tailscale_process,
    when_of,
)
from opskit.core.diagnose.daemonlog.grammar import message_of as _peel
from opskit.core.diagnose.headscale_log import is_headscale_server_line
from opskit.core.diagnose.models import DaemonLogReport, LogIssue
from opskit.core.diagnose.phrases import any_word_pattern
from opskit.core.diagnose.text import SourceLine
from opskit.core.findings import Severity

__all__ = [
    "release_at_least",
    "is_another_apps_log",
    "is_daemon_log_line",
    "is_daemon_log_line_slow",
    "is_embedded_log_line",
    "is_unit_start_failure_line",
    "is_service_status_field",
    "is_service_status_header",
    "is_log_event_line",
    "is_service_manager_only",
    "is_typed_command_line",
    "message_of",
    "parse_daemon_log",
]

# Messages only tailscaled prints (start-up, its subsystems' prefixes, its rate limiter), once every
# prefix is gone. A line matching none of them still belongs to the log when its prefix names
# tailscaled (journald ``tailscaled[PID]:``, logcat ``com.tailscale.ipn``, …) or when it raises an event.
_MARKERS = re.compile(
    r"^(?:logtail started$|LogID: \S+$|logpolicy(?:[.:] |\.[A-Z][\w.]* )|subproc mode: logid=|\(logID \"[0-9a-f]+\"\)$"
    r"|Program starting: v\d"
    r"|(?:magicsock: derp[\w.]*\([^)]*\): )?derphttp\.Client\.\w+|derphttp: |magicsock: |wgengine: |wgengine\.\w+"
    r"|\[RATELIMIT\] format\(|\[RATE LIMITED\] |(?:Accept|Drop): [A-Za-z][\w-]*\{|dns: |dns udp query: |peerapi: "
    r"|portmapper: |authReconfig: |control: |Switching ipn state |open-conn-track: |netstack: |exec ping of "
    r"|sendOutboundUserPing: |health\(|router: |linuxfw: |monitor: |netmap: |Received error: |getLocalBackend error"
    r"|CreateTUN|local disk logdir: |no TUN failure diagnostics for OS "
    r"|tstun\.|\[Wintun\] |ipnserver: |ipnlocal: |LinkChange: |link state: |Creating [Ww]ire[Gg]uard device"
    r"|Engine created\.$|Bringing (?:router|[Ww]ire[Gg]uard device) up|flushing log\.$|logger closing down$"
    r"|onPortUpdate\(|derp-\d+: |blockEngineUpdates\(|Backend: logs: |pm: |got LocalBackend|active login: |appc: "
    r"|tsdial: |SetPrefs: |EditPrefs: |panic: |goroutine \d+ \[running\]:|fatal error: |safesocket\.Listen"
    r"|tlsdial: |logtail: |bootstrapDNS\(|netmon\.New: |\[logtap connected\]$|\[unexpected\] |cleanup: |Rebind; |ReSTUN"
    r"|requestEngineStatus|tailscaled got signal |got signal \w+; shutting down"
    r"|setting link attributes|created by tailscale\.com/|tailscale\.com[@/]\S+\.go:\d+|stopEngineAndWait|wgcfg: "
    # a trace frame's file in Tailscale's code under a build or module-cache path ("/build/go/pkg/mod/
    # tailscale.com@v1.48.1/ipn/ipnlocal/local.go:3927", the Android app's "/build/tailscale-android/cmd/…/main.go:441")
    r"|/\S*(?:/tailscale\.com[@/]|/tailscale-android/)\S+\.go:\d+(?: \+0x[0-9a-f]+)?$"
    r"|shouldUseOneCGNATRoute|magicsock\.|Active: [a-z]+(?: \([\w-]+\))? \(Result: (?!success\))|Main PID: \d+ \(code="
    r"|(?:[\u25cf\u25cb\u00d7*]\s*)?(?:tailscaled\.service|Status of tailscaled:$)"  # systemctl/herd status
    r"|Process: \d+ Exec\w+=\S*tailscaled|runservice: |BabysitProc: "
    # systemd's start and stop lines name the unit by its Description= ("Tailscale node agent", the packaged unit's;
    # v250 on put the unit name before it: "Started tailscaled.service - Tailscale node agent.")
    r"|(?:Start|Stopp)(?:ed|ing) (?:tailscaled\.service - )?Tailscale node agent(?:\.|\.\.\.|\u2026)?$"
    r"|serve: creating a new proxy handler for |Hostinfo\.(?:WireIngress|IngressEnabled) changed to "  # serve.go
    r"|tsnet (?:running state path|starting with hostname) "  # an embedded node's start (tsnet/tsnet.go)
    r"|(?:LocalBackend state is|AuthLoop: state is|Authkey is set; but state is) [A-Z]\w+[;.]"  # tsnet's login
    r"|To start this tsnet server, "
    # Headplane supervising its agent, a tsnet node (tale/headplane app/server/hp-agent.ts, 0.6.x)
    r"|Headplane agent (?:started$|is ready and serving queries$|exited with code |will restart in "
    r"|experienced an error: )"
    r"|cert\(\"[^\"\s]+\"\): "  # the HTTPS certificate fetch (feature/acme: ACME account, SetDNS, got cert)
    # Tailscale SSH's session and connection lines (ssh/tailssh, v1.30+: "ssh-session(sess-<stamp>-<hex>): …",
    # "ssh-conn-<stamp>-<hex>: …"): every step of a session, its start and its end ("Wait: code=1")
    r"|ssh-session\([^)\s]+\): |ssh-conn-\d{8}T\d{6}-[0-9a-f]+: "
    r"|boot: \d{4}/\d{2}/\d{2} "  # containerboot, the container image's init, starting tailscaled
    # net/dns's resolv.conf manager (direct.go), which cmd/tailscaled hands its logger with no "dns: " prefix
    # (NewOSConfigurator(logf, …)): its backup, trample watch and resolved restarts
    r'|rename of "[^"]+" to "[^"]+" failed \(.*\), falling back to copy\+delete$|trample: (?:resolv\.conf|read error: )'
    r"|restarting systemd-resolved\.\.\.$|restart(?:ed| of) systemd-resolved(?:$| failed: )"
    r"|(?:error restarting|restarted) resolved after |ignoring SetDNS permission error on Synology "
    # feature/taildrop (ipn/ipnserver v1.8-v1.50): where a NAS keeps Taildrop files, at every start; without the
    # share it says so ("synology Taildrop support: shared folder "Taildrop" not found"): a routine start-up note of
    # tailscaled's, like "no Taildrop directory configured" (the bare 'shared folder "Taildrop" not found' the CLI
    # relays from a refused file stays its refusal, cli_catalog)
    r"|(?i:synology|truenas|qnap|unraid) Taildrop(?: support)?: "
    # controlclient's login and map messages, logged without "control: " before it came (v0.9x, early 2020)
    r"|direct\.(?:TryLogin|TryLogout|WaitLoginURL)\b|doLogin\(regen=|RegisterReq: |No AuthURL\s*$|PollNetMap: "
    r"|AuthURL is |LoginInteractive -> regen=|Generating a new (?:machine|node)key\."
    r'|\[v(?:\\u0000|\\x00)?JSON\]\d\{"(?:Hostinfo|SupportInfo|controltime)":'  # logger.Logf.JSON records
    r'|(?:\[v1\] )?HostInfo: \{"'  # controlclient/direct.go doLogin's dump of the Hostinfo it sends
    r"|user bugreport(?: note| hostinfo| health)?: "  # LocalAPI's bug-report marker and what it logs with it
    r"|linkChange: |ipnext: |netmap packet filter: |(?:\[v1\] )?netmap diff:"
    # net/tstun/tun_linux.go diagnosing a TUN that failed to open: kernel, modprobe, the device's mode
    r"|Linux kernel version: |'modprobe tun' successful$|/dev/net/tun: [\w-]{10,}$|tun module (?:loaded|not loaded)"
    r"|TUN device \S+ is busy|no TUN, and failed to look up kernel version"
    # the Android app binding tailscaled's sockets to the active network (tailscale-android App.kt)
    r"|bindSocketToActiveNetwork: "
    # the Windows service's own lines (cmd/tailscaled/tailscaled_windows.go, net/tstun/ifstatus_windows.go)
    r"|Got Windows Service event: |Cannot load wintun\.dll |TUN interface is up after "
    # the periodic peer statistics line (ipnlocal, wgengine before it: "[v1] v%v peers: %v", version.Long)
    r"|(?:\[v1\] )?v\d+\.\d+\.\d+\S* peers:(?: |$)"
    # and the short keys of those peers, logged right before it ("[v1] peer keys: [8dY/c] [SbsJn]")
    r"|(?:\[v1\] )?peer keys:(?: \[|$)"
    # derper's per-client lines (derp/derpserver: "derp client %v%s: " — the client's ip:port and its short key,
    # "[SbsJn]"; v1.50 and older "derp client %v/%x: " with the whole key in hex): a relay's own log, its
    # --verbose register/forward/teardown lines among them
    r"|derp client \S+?(?:\[[\w+/-]{5}\]|/[0-9a-f]{64}): )"
)
# A service manager's status of tailscaled's unit pasted above its log tail (`systemctl status tailscaled`, GNU
# Shepherd's `herd status tailscaled`), often with its indentation lost. Its header ("● tailscaled.service - …",
# "● Status of tailscaled:") is a marker above; the fields under it belong to the same block (blocks.py asks
# ``is_service_status_field`` only there: "Memory: 9.7M" alone says nothing) and say the service manager runs it.
_SERVICE_HEADER = re.compile(r"^(?:[\u25cf\u25cb\u00d7*]\s*)?(?:tailscaled\.service(?: - |$)|Status of tailscaled:$)")
_SERVICE_FIELD = re.compile(
    r"^(?:Loaded|Active|Docs|Main PID|Status|Tasks|Memory|CPU|CGroup|IP|IO|Drop-In|Process|TriggeredBy|Invocation"
    r"|Notify|FD Store|Mem peak|Swap peak|Command|Provides|Requires|Conflicts|Running value is):\s"
    r"|^It is (?:running|enabled|disabled|stopped|starting|stopping)\b|^Will (?:not )?be respawned\.$"
    r"|^Recent messages \(|^[\u2514\u251c\u2502\u2500]+\s*(?:\d+ \S|[\w.@-]+\.conf$)"
)
# A versioned install path naming the binary: the Nix/Guix store ("…-tailscale-1.54.0/bin/tailscaled",
# "…-tailscaled-1.96.4/bin/tailscaled"), Homebrew's Cellar ("Cellar/tailscale/1.54.0/bin/tailscaled"), a static
# tarball's folder ("tailscale_1.54.0_arm64/tailscaled"): its version when no start line says it.
_PATH_VERSION = re.compile(
    r"(?:^|[/\s-])tailscaled?[-_/]v?(?P<version>\d+\.\d+\.\d+)(?:[-_.+][\w.+-]*)?/(?:s?bin/)?tailscaled(?:\s|$)"
)
# A shell running the daemon by hand: "# tailscaled 2>&1 | grep dns", "$ sudo tailscaled -port 4434".
# Windows: a quoted path with spaces, and v1.0-v1.4's service binary run as "tailscale-ipn.exe /runservice".
# (a bracketed user@host prompt: ESXi's "[root@localhost:~] ", RHEL's "[root@host ~]# ")
_HAND_PROMPT = re.compile(
    r"^(?:\S*[#$%>]\s*|\[[^\[\]@]+@[^\[\]]+\][#$%>]?\s+)?(?P<cmd>(?:sudo\s+)?(?:\S*[/\\]|\"[^\"]*[/\\])?"
    r"(?:tailscaled(?:\.exe)?\"?|tailscale-ipn\.exe\"?(?=\s+/runservice))(?:\s.*)?)$"
)
# v1.0-v1.2's Windows binary run as a server from a console (its argv "tailscale-ipn.exe /server": it prints "Running
# server directly..." and babysits its "/subproc" child like the service does); the service manager runs "/runservice".
_GUI_SERVER_MODE = re.compile(r'\[\]string\{"[^"]*tailscale-ipn(?:\.exe)?", "/server"')
# Windows refuses a service's dispatcher started outside the service manager (ERROR_FAILED_SERVICE_CONTROLLER_
# CONNECT, 1063): the service binary was run from a prompt.
_NOT_BY_SCM = "could not connect to the service controller"
# Messages only the Windows service's processes print (cmd/tailscaled/tailscaled_windows.go): its /subproc child's
# engine retry loop (startIPNServer, v1.10-v1.32: "tailscaled: getting engine... (try N)", "tailscaled: engine fetch
# error (try N) in …", "got engine on try N"), ipnserver's loop around that failing getEngine (every other tailscaled
# hands ipnserver an engine that cannot fail, and exits on the engine's error before it), and the service parent's
# SCM events. A tailscaled.exe run from a console prints none of them, whatever stamps the log viewer adds.
_WINDOWS_SERVICE_ONLY = (
    "getting engine... (try ", "engine fetch error (try ", "got engine on try ", "initial getEngine call: ",
    "getEngine failed again: ", "GetEngine worked; exiting failure loop", "Got Windows Service event: ",
)  # fmt: skip
_CLI_ERROR = re.compile(
    r"failed to connect to local tailscaled|Unauthorized|localapi|LocalAPI|Tailscale daemon for /|namedpipe\\.|"
    r"Tailscale backend error|ProtectedPrefix|(?:^|[\s:`'\"])backend error: "
)
_START = re.compile(rf"Program starting: v(?P<version>{VERSION})\S*(?P<rest>.*)$")
_START_ANYWHERE = re.compile(rf"(?:^|\s)Program starting: v(?P<version>{VERSION})\S*(?P<rest>.*)$")
# The macOS/iOS app's network extension starts its Go side with this instead of "Program starting".
_APP_START = re.compile(r"goSetupLogs initializing; version (?P<version>\d+\.\d+\.\d+)")
# A command line the terminal wrapped: its last piece, only flags, right above the log it started
# ("-socket=/var/packages/Tailscale/etc/tailscaled.sock --verbose=1 --port=41641").
# A flag's value may follow it as the next word ("--port 41641").
_FLAGS_ONLY = re.compile(r"^-{1,2}[\w.-]+(?:=\S*|\s+[^\s-]\S*)?(?:\s+-{1,2}[\w.-]+(?:=\S*|\s+[^\s-]\S*)?)*$")
# Flags only tailscaled takes (not the CLI, not a generic "--verbose"): a flags-only line naming one is the end of
# a tailscaled command line even when the wrapped-off start held the program's name.
_DAEMON_ONLY_FLAG = re.compile(
    r"(?:^|\s)-{1,2}(?:tun|statedir|state|socks5-server|outbound-http-proxy-listen|no-logs-no-support|bird-socket|"
    r"cleanup|encrypt-state|hardware-attestation)(?:[=\s]|$)"
)
# The rest of a "Program starting: … []string{…" line the terminal wrapped: Go's quoted argv up to "}".
_ARGV_TAIL = re.compile(r'^[^"\s]*"(?:, "(?:[^"\\]|\\.)*")*\}$')
# ... or wrapped before the argv began: the rest of the Go version, then the whole argv ("Go" / "1.18.3-ts04d67b90d8:
# []string{"tailscaled"}", a user's re-wrap at a space; "Go 1.18.3:" / "[]string{…}").
_ARGV_WHOLE_TAIL = re.compile(r'^(?:[\w.+-]*:\s*)?\[\]string\{(?:"(?:[^"\\]|\\.)*"(?:, "(?:[^"\\]|\\.)*")*)?\}$')
# containerboot's own lines ("boot: 2023/10/10 22:37:43 Starting tailscaled"), whatever stamp is in front
_CONTAINERBOOT = re.compile(r"(?:^|\s)boot: \d{4}/\d{2}/\d{2} |containerboot")
_CONTAINERBOOT_PROCESS = "boot"  # its Go log prefix, "boot: " before the stamp (grammar.py keeps it as the process)
# The Synology package's start-stop-status writes the command it starts at the top of tailscaled.stdout.log
# (release/dist/synology/files/scripts/start-stop-status: "<date --iso-8601=second> Starting tailscale with: …").
_SYNOLOGY_START = re.compile(r"(?:^|\s)Starting tailscale with: \S*/(?:var/packages|@appstore)/Tailscale/")
# A frame of the engine watchdog's goroutine dump ("#  0xb525c4  tailscale.com/net/dns.(*resolvedManager).run+0x324"):
# not a status health bullet although it starts with "#".
_DUMP_FRAME = re.compile(r"#\s+0x[0-9a-f]+\s+\S+\+0x")
# a native backtrace frame of an Android crash report ("#00 pc 00000000004b1bf8  /data/app/…/base.apk"): events.py
# decides whether it is in the Tailscale app's code
_NATIVE_FRAME = re.compile(r"#\d+ pc [0-9a-f]+\s")
# cmd/tailscaled's log.Fatalf on a missing flag: "--socket is required", "--statedir (or at least --state) is
# required", v0.98-v1.2's "--state is required". Its leading "--" is not a list item or a wrapped command line.
# Its refusal of a flag this OS cannot honour ("--bird-socket is not supported on %s", v1.86's "--encrypt-state is not
# supported on %s") starts with "--" the same way, and so does relaynode's "--routes: not an IP range: %s" (2020).
_REQUIRED_FLAG = re.compile(
    r"^--(?:(?:state|statedir|socket)(?: \(or at least --state\))? is required"
    r"|(?:bird-socket|encrypt-state|hardware-attestation) is not supported on \w+"
    r"|routes: not an IP range: \S+)$"  # relaynode (v0.9x) refusing its --routes flag
)
_ARG = re.compile(r'"((?:[^"\\]|\\.)*)"')
# argv[0] of a daemon a shell started: "tailscaled", "./tailscaled", "bin/tailscaled" (not "/usr/sbin/…", not
# "C:\\Program Files\\…", not "tailscaled.exe" from a service's own folder).
_SHELL_ARGV0 = re.compile(r"^(?:\.{1,2}/|[\w.-]+/)*tailscaled$")
# The program word of a typed command line: a path (Unix or Windows) ending in tailscaled, nothing glued before it.
_PROGRAM = re.compile(r'^"?(?:[\w.@+~:-]*[/\\])*tailscaled(?:\.exe)?"?$')
_VERSION_OF = re.compile(r"\d+\.\d+\.\d+(?:-dev\d{8}(?!\d))?")  # a development build keeps its date
# The periodic peer statistics line names the running daemon's version.Long ("[v1] v1.76.3-t02acaa00e-g551df6588
# peers: …"; "v0.98.0-… peers: …" before the [v1] tag): the version when no start line is in the paste.
_STATS_VERSION = re.compile(rf"^(?:\[v1\] )?v(?P<version>{VERSION})\S* peers:(?: |$)")
_IPN_VERSION = re.compile(r'"IPNVersion":\s*"v?(?P<version>\d+\.\d+\.\d+)')
_MODULE_VERSION = re.compile(r"tailscale\.com@v(?P<version>\d+\.\d+\.\d+)/")

_PROCESS_WORDS = (
    "tailscaled", "IPNExtension", "com.tailscale.ipn", "[Tailscale]", "endpoint/tailscale",
    "Starting Tailscale", "Tailscale logs will be suppressed",  # the Home Assistant add-on's own (_WRAPPER_LINE)
    "Unable to start up Tailscale",
)  # fmt: skip
_MARKER_WORDS = (
    "logtail", "LogID", "logpolicy", "subproc mode", "(logID", "Program starting: v", "derphttp", "magicsock",
    "wgengine", "RATELIMIT", "RATE LIMITED", "Accept: ", "Drop: ", "dns", "peerapi: ", "portmapper", "authReconfig: ",
    "control: ", "Switching ipn state", "open-conn-track: ", "netstack: ", "exec ping of ", "health(", "router: ",
    "linuxfw: ", "monitor: ", "netmap: ", "Received error: ", "getLocalBackend", "CreateTUN", "tstun.",
    "[Wintun]", "local disk logdir: ", "no TUN failure diagnostics", "ipnserver: ", "ipnlocal: ", "LinkChange: ",
    "link state: ", "ire", "Engine created.",
    "Bringing ", "flushing log.", "logger closing down", "onPortUpdate(", "derp-", "blockEngineUpdates(",
    "Backend: logs: ", "pm: ", "got LocalBackend", "active login: ", "appc: ", "tsdial: ", "SetPrefs: ",
    "EditPrefs: ", "panic: ", "goroutine ", "fatal error: ", "safesocket.Listen", "tlsdial: ", "bootstrapDNS(",
    "netmon.New: ",
    "[logtap connected]", "[unexpected] ", "cleanup: ", "Rebind; ", "ReSTUN", "requestEngineStatus",
    "setting link attributes", "created by tailscale.com/", "tailscale.com", "stopEngineAndWait", "wgcfg: ",
    "/tailscale-android/",
    "shouldUseOneCGNATRoute", "(Result: ", "Main PID: ", "Process: ", "got signal ", "boot: ", '"}',
    "runservice: ", "tsnet ", "state is ", 'cert("', "serve: ", "Hostinfo.", "socks5: ", "sendOutboundUserPing: ",
    "Tailscale node agent",
    "JSON]", "HostInfo: {", "BabysitProc: ", "Headplane agent ", "user bugreport",
    "linkChange: ", "ipnext: ", "netmap packet filter: ", "Linux kernel version", "modprobe tun", "/dev/net/tun",
    "netmap diff:",
    # v0.9x's control messages (their other words are recognisers' words: AuthURL, PollNetMap, key, Login…)
    "tun module", "TUN device ", "no TUN", "bindSocketToActiveNetwork: ", "direct.", "doLogin(", "RegisterReq: ",
    " peers:", "Windows Service event", "wintun.dll", "TUN interface is up",
    # net/dns/direct.go's unprefixed lines
    "rename of ", "trample: ", "systemd-resolved", "resolved after ", "SetDNS permission",
    " Taildrop support: ", " Taildrop: ",
    "derp client ",  # derper's per-client lines
    "netcheck: ",  # magicsock's netcheck client, read only in the log viewer's layout (_belongs)
    "ssh-session(", "ssh-conn-",  # Tailscale SSH's session lines
)  # fmt: skip
# The cheap test every input line goes through first: a daemon log line holds one of these words.
# "tailscale" (process and app names: io.tailscale.ipn.macos, tailscale-ipn.exe, tailscaled) is among them although no
# recogniser reads a message for it.
_WORDS: tuple[str, ...] = tuple(dict.fromkeys((*_PROCESS_WORDS, *_MARKER_WORDS, *EVENT_WORDS, "tailscale")))
_ANY_WORD = any_word_pattern(_WORDS)


# The lines a wrapper writes into tailscaled's log around it: the Synology package's start and stop lines, its and
# the Home Assistant add-on's note that the rest was cut ("[further tailscaled logs suppressed…]", sed after 200
# lines); the add-on's bashio notes that it starts tailscaled. Routine: they say who started it (_started_by_hand).
_WRAPPER_LINE = re.compile(r"^\[further tailscaled logs suppressed\b|^Stopping tailscale service PID=\d+$")
_BASHIO_START = ("Starting Tailscale...", "Tailscale logs will be suppressed after ")


# The kernel's SELinux denial of something the Android app did ("avc: denied { read } for name="route" … app=
# com.tailscale.ipn", under whatever thread tag logcat shows): the app's own line (routine: Android 10+ denies apps
# /proc/net/route and the app gets its routes another way), not another app's.
_APP_AUDIT = re.compile(r"\bavc: +denied .*?(?:\bapp=com\.tailscale\.ipn\b|\bcomm=\"(?:com\.)?tailscale)")


# A login shell names itself with a leading dash in its errors ("-sh: ./tailscaled: cannot execute binary file").
_LOGIN_SHELL = re.compile(r"^-(?:ba|a|da|z|k|mk)?sh: ")


def _belongs(text: str, message: Message) -> bool:
    if is_tailscale_process(message.process) or message.process == _CONTAINERBOOT_PROCESS or _HAND_PROMPT.match(text):
        return True
    if is_headscale_server_line(text):
        return False  # the control server's own log: its errors quote Tailscale's words, none is a node's
    if _WRAPPER_LINE.match(message.text) or ("Starting tailscale with: " in text and _SYNOLOGY_START.search(text)):
        return True
    if message.process == "bashio" and message.text.startswith(_BASHIO_START):
        return True
    if is_addon_verdict(message.text):
        return True  # the add-on giving up on its start-up (events.py _ADDON_GAVE_UP): the end of its log
    if text[:1] == "-" and (
        (("tailscaled" in text or _DAEMON_ONLY_FLAG.search(text)) and _FLAGS_ONLY.match(text)) or _ARGV_TAIL.match(text)
    ):
        return True  # a wrapped tailscaled command line, or the wrapped end of its "Program starting" argv
    if "[]string{" in text and _ARGV_WHOLE_TAIL.match(text):
        return True  # the "Program starting" line wrapped before its argv: the rest of it
    body = message.text
    if body[:10] == "netcheck: " and text[:1].isdigit() and _GO_TIME_STRING.match(text) is not None:
        # magicsock's netcheck client ("netcheck: probePortMapServices: …") in Go's time String layout: the log
        # viewer printing a node's uploaded lines. (The CLI's `netcheck --verbose` prints the same prefix under Go's
        # log stamp, to its terminal: that stays the CLI's.)
        return True
    if body[:1] == "[" and shell_job_end(body) is not None:
        return True  # the shell reporting that its background tailscaled job ended: the end of that run's output
    if body[:10] == "tailscale " and brew_service_row(body) is not None:
        return True  # Homebrew's row for tailscale's launchd (or systemd) service: how its last run ended
    if "avc:" in body and _APP_AUDIT.search(body):
        return True
    if is_dump_request(body):
        return True  # LocalAPI's serveGoroutines frame names "localapi" but is the daemon's own dump
    if ("/api/v2/" in body or "oauth2: " in body) and is_auth_key_mint_error(body):
        return True  # the API's 401 while minting an auth key, not the CLI quoting LocalAPI's refusal
    if any(word in body for word in _MINT_ANSWER_WORDS) and is_api_mint_refusal(body):
        return False  # the API refusing the mint is the CLI's refusal; a log reads it only among its own lines
    if body[:2] == "--" and _REQUIRED_FLAG.match(body):
        return True  # tailscaled's fatal refusal to start without a flag, printed without a stamp by old versions
    if body[:1] == "-" and _LOGIN_SHELL.match(body) and any(isinstance(e, Raise) for e in events_of(body)):
        return True  # a login shell's error about a Tailscale program ("-sh: …/tailscaled: cannot execute binary …")
    if (
        not body
        or (body[0] in "#-" and not _DUMP_FRAME.match(body) and not _NATIVE_FRAME.match(body))
        or _CLI_ERROR.search(text)
    ):
        # empty; a `tailscale status` health bullet ("#     - dns-os: …") or a list item quoting one;
        # or the CLI/GUI quoting a LocalAPI or service error (windows.py reads those)
        return False
    if _MARKERS.match(body):
        return True
    if body.strip() == UP_LOGIN_PROMPT:
        return False  # the CLI's prompt: read with the log it is printed amid (engine.py), not a log by itself
    if "Program starting: v" in body and _START_ANYWHERE.search(body):
        return True  # a start-up log flattened onto one line by a chat client or a web UI
    # any event: an issue, a success clearing one, or a fact only tailscaled states ("using fake (no-op) tun
    # device", an ipn state, a peer's endpoint) — but a "--tun=userspace-networking" flag alone is a command
    # line or a compose file's TS_EXTRA_ARGS, not the daemon's log
    return any(
        not (isinstance(event, Fact) and event.name == "userspace" and "userspace-networking" in body)
        for event in events_of(body)
    )


# A program embedding tsnet (or wrapping tailscaled's output) often gives tailscale's logger a tag of its own,
# between the stamp and the message: "2026/04/02 13:19:32.756410 TsInternal pm: using backend prefs …",
# "… [tsnet] magicsock: …". A word is only a tag when what follows it starts like a message only tailscaled
# prints and the line read with the word does not: its own words ("Received error: …") stay. A word with a colon
# is no tag: that is how tailscale's own loggers nest ("portmap: monitor: …" from the CLI's netcheck).
_PROCESS_COLUMNS = ("journald", "macos", "logcat")
# The app's logger may add a level after its component tag (Headplane: "2025-05-18T16:29:32.055Z [agent] INFO: tsnet
# running state path …").
_APP_TAG = re.compile(
    r"^(?:\[[A-Za-z][\w.-]*\]|[A-Za-z][\w.-]*)"
    r"(?:\s+(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|trace|debug|info|warn|warning|error|fatal):)?\s+(?=\S)"
)


@lru_cache(maxsize=1024)
def message_of(text: str) -> Message:
    """tailscaled's message with every prefix removed (grammar.py), and an app's logger tag after the stamp."""
    message = _peel(text)
    body = message.text
    if (
        message.form in _PROCESS_COLUMNS  # a process column names the program: "systemd[1]: x.service: …" is its
        or body == text.strip()  # no prefix at all: no stamp, so no tag column after it
        or (tag := _APP_TAG.match(body)) is None
        or _MARKERS.match(body) is not None  # tailscaled's own first word ("Received error: …", "LinkChange: …")
    ):
        return message
    inner = _peel(body[tag.end() :])  # "TsInternal [v1] netmap …": the tag may stand before tailscaled's own
    if _MARKERS.match(inner.text) is None:  # a subsystem's own prefix, not just words an event also reads
        return message
    return Message(inner.text, message.process, message.form)


def is_service_status_field(text: str) -> bool:
    """A field of a service manager's status of the tailscaled unit ("Main PID: 491", "└─511 /usr/sbin/tailscaled
    …"): part of the log block only under the status header (blocks.py)."""
    return _SERVICE_FIELD.match(text) is not None


def is_service_status_header(text: str) -> bool:
    """The first line of `systemctl status tailscaled` or `herd status tailscaled`."""
    return _SERVICE_HEADER.match(text) is not None


def is_typed_command_line(text: str) -> bool:
    """A command line that runs tailscaled, or the wrapped end of one: it says who started a log, but a
    paste holding nothing else holds no log."""
    hand = _HAND_PROMPT.match(text)
    if hand is not None:
        return text != hand.group("cmd") or _command_words(hand.group("cmd")) is not None
    return text[:1] == "-" and _FLAGS_ONLY.match(text) is not None


def _command_words(command: str) -> tuple[bool, str, list[str]] | None:
    """(under sudo, program, flags) of a command line running tailscaled, or None when the words after the
    program are not flags (a log line under the program's name: "tailscaled Drop: …", "tailscaled control: …")
    or the program is glued to something ("ExecStart=/usr/sbin/tailscaled": a unit file)."""
    words = command.split()
    sudo = words[0] == "sudo"
    program, flags = (words[1:2] or [""])[0] if sudo else words[0], words[2:] if sudo else words[1:]
    shell = next((i for i, word in enumerate(flags) if word[:1] in "&|>" or word[:2] in ("2>", "1>")), len(flags))
    flags = flags[:shell]  # "… &", "… 2>&1 | grep dns": the shell's, not tailscaled's
    if _PROGRAM.match(program) is None or (flags and _FLAGS_ONLY.match(" ".join(flags)) is None):
        return None
    return sudo, program, flags


# Where the API's answer to a mint shows (_API_ANSWER, _AUTH_KEY_MINT's wordings): the cheap gate before the refusal
# test (a bare "token exchange failed with status 401: …" is the CLI's refusal too, not a line of a log).
_MINT_ANSWER_WORDS = (
    ", Message: ",
    "token exchange failed",
    "exchange JWT",
    "/api/v2/",
    "oauth2: ",
    "authkey",
    "auth key",
)


def is_daemon_log_line_slow(text: str) -> bool:
    """The general test, without the word prefilter (tests prove the two agree)."""
    return _belongs(text, message_of(text))


def is_embedder_fatal_line(text: str) -> bool:
    """The fatal (or panic) line of a program embedding tailscale, in logrus' terminal layout ("FATA[0011] …"): under
    that program's tailscale log lines it is the program ending (blocks.py keeps it in the log block)."""
    return text[:1] in "FP" and message_of(text).form == "logrus-fatal"


def is_daemon_log_line(text: str) -> bool:
    """A line of tailscaled's log (cheap word test first: most lines of a paste have none)."""
    if _ANY_WORD.search(text) is None and not is_tailscale_console_row(text):
        return False  # (a Console row's process column is Tailscale's, whatever its message says)
    return is_daemon_log_line_slow(text)


# The log formats of the programs embedding Tailscale (tsnet: tsdproxy, golink, tsidp, Headplane's agent,
# caddy-tailscale; the Kubernetes operator) and containerboot's process: what tsnet or LocalAPI answers them, they log
# in their own format.
_EMBEDDER_FORMS = ("zerolog", "zap", "logfmt", "logrus", "logrus-fatal")
_EMBEDDER_PROCESSES = ("tsnet", _CONTAINERBOOT_PROCESS)
# Messages only a program serving through Tailscale logs (Go's net/http server and reverse proxy: tailscaled's Serve,
# a tsnet program), or tsnet's own errors to its program: never the CLI's words, whatever they quote.
_SERVER_WORDS = ("tsnet", "http: TLS handshake error from ", "http: proxy error: ")


def _raises_issue(message: str) -> bool:
    return any(isinstance(event, Raise) for event in events_of(message))


def is_embedded_log_line(text: str) -> bool:
    """A line the CLI's reader takes as the refusal it quotes that is also a line of an embedded node's log: the
    program embedding Tailscale logged it (in its log format, or a message only its server or tsnet prints) and the
    log model reads an issue in it (tsnet.Up's refused key, a certificate LocalAPI could not give). engine.py reads
    such a line both ways: the CLI's kind, and the node's log."""
    message = message_of(text)
    if message.process != _CONTAINERBOOT_PROCESS and is_api_mint_refusal(message.text):
        return False  # the API's refusal is the CLI's words (`tailscale up`, the operator): a log's only amid it
    if not (
        message.form in _EMBEDDER_FORMS
        or message.process in _EMBEDDER_PROCESSES
        or any(word in message.text for word in _SERVER_WORDS)
    ):
        return False
    return _raises_issue(message.text)


def is_unit_start_failure_line(text: str) -> bool:
    """A line of the CLI's paste that is also systemd's verdict on tailscaled's unit: `systemctl start/restart`'s
    "Job for tailscaled.service failed because …" (engine.py reads it both ways: the CLI's service-not-running, and
    the crash of a log that shows only systemd's words)."""
    return "Job for " in text and is_start_job_failure(message_of(text).text)


def is_log_event_line(text: str) -> bool:
    """A line whose message raises an issue of the log model: amid a log (a container's output, its runtime stamp or
    compose column taken off or not), the CLI's refusal printed there (`tailscale up` run by containerboot) is a line
    of that log too (engine.py asks only there, and not under a typed command)."""
    return _raises_issue(message_of(text).text)


# tailscaled's "-cleanup" bool flag (Go's flag package: one or two dashes, "=true"-style values).
_CLEANUP_FLAG = re.compile(r"^--?cleanup(?:=(?:1|t|T|true|TRUE|True))?$")
_APP_PROCESSES = ("IPNExtension", "io.tailscale.", "com.tailscale.ipn", "tailscale-ipn")


def _started_by_hand(
    command: str | None,
    argv: Sequence[str],
    lines: Sequence[SourceLine],
    messages: Sequence[Message],
    typed: str | None = None,
    start_line: SourceLine | None = None,
) -> tuple[bool | None, str]:
    words = (command or "").split()
    program = words[1] if words[:1] == ["sudo"] and len(words) > 1 else (words[0] if words else "")
    if program.lower().rstrip('"').endswith(("tailscaled", "tailscaled.exe")):
        return True, f"it was run from a shell prompt (`{command}`)"
    if (job := _shell_job(messages)) is not None:
        status, job_command, code = job
        ended = "Done: it exited with status 0" if code == 0 else status
        return True, f"it ran as a shell's background job (`{job_command}`), which the shell reports ended ({ended})"
    for line in lines:
        hand = _HAND_PROMPT.match(line.text)
        if hand is not None and line.text != hand.group("cmd"):
            return True, f"it was run from a shell prompt (`{hand.group('cmd')}`)"
    if typed is not None:
        return True, f"its command line was typed in a terminal and pasted with the log (`… {typed}`)"
    if (bare := _typed_without_prompt(lines, start_line, argv)) is not None:
        return True, f"its command line was typed in a terminal and pasted with the log (`{bare}`)"
    if any(_NOT_BY_SCM in m.text for m in messages):
        return True, "it was run from a prompt: Windows says the service manager did not start it (error 1063)"
    if any(_CLEANUP_FLAG.match(arg) for arg in argv[1:]):
        # Nothing typed it (the checks above): the one-shot run that clears routes and firewall rules and
        # exits, which the systemd unit (ExecStopPost), init scripts, add-ons and package post-install steps run.
        return False, "it is the one-shot --cleanup run that service scripts and package installers run"
    if (server := next((m.text for m in messages if _GUI_SERVER_MODE.search(m.text)), None)) is not None:
        # before the /subproc child it babysits: that child's start says who started its parent, not this
        return True, f"the Windows server was run from a console (`{server}`), not by the service (/runservice)"
    if "/subproc" in argv or any("subproc mode" in line.text for line in lines):
        return False, "the Windows service started it (/subproc)"
    if (service_word := next((w for m in messages for w in _WINDOWS_SERVICE_ONLY if w in m.text), None)) is not None:
        return False, f"the Windows service runs it: only its processes log `{service_word.strip()} …`"
    if command and ("tailscale-service" in command or "tailscaled.service" in command):
        return False, "it is the service's log"
    if (header := next((line.text for line in lines if _SERVICE_HEADER.match(line.text)), None)) is not None:
        return False, f"the service manager's status of its unit is pasted with it (`{header}`)"
    # the status line tailscaled hands systemd (events.py): only systemd's unit manager receives it, only on Linux
    if any(m.text.startswith(SYSTEMD_STATUS_WORDS) for m in messages):
        return False, "systemd shows the status tailscaled reported to it (sd_notify reaches only the unit's manager)"
    if (row := next((r for m in messages if (r := brew_service_row(m.text)) is not None), None)) is not None:
        return False, f"Homebrew's service runs it (`brew services`: {row[3] or 'launchd'})"
    if any("$STATE_DIRECTORY" in m.text for m in messages):
        return False, "systemd started it (it set $STATE_DIRECTORY)"
    if any(m.form == "windows-service" for m in messages):
        return False, "it is the Windows service's log file (its time-stamp format)"
    if any(m.form == "windows-event" for m in messages):
        return False, "it is Windows' event log (the service writes there)"
    if any(m.process is not None and m.process.startswith(_APP_PROCESSES) for m in messages):
        return False, "the Tailscale app runs it (its network extension or VPN service)"
    if any(m.form == "journald" and m.process in ("tailscaled", "systemd") for m in messages):
        return False, "its lines come from the system journal or syslog, where the service manager sends them"
    if any(m.process == _CONTAINERBOOT_PROCESS or _CONTAINERBOOT.search(m.text) for m in messages):
        return False, "containerboot (the container image's init) started it"
    if any(_SYNOLOGY_START.match(m.text) for m in messages) or any(_SYNOLOGY_START.search(x.text) for x in lines):
        return False, "the Synology package started it (its start-stop-status script logs the command it runs)"
    if any(m.process == "bashio" for m in messages):
        return False, "the Home Assistant add-on started it (its s6 service; the add-on's bashio lines are with it)"
    if argv and _SHELL_ARGV0.match(argv[0]):
        # Service units, the Windows service and packages start it by absolute path; a bare name is a shell
        # finding it on PATH, a relative one a shell in that folder (containerboot also execs a bare name:
        # its "boot:" lines are checked above).
        return True, f'its command line starts with "{argv[0]}", not an absolute path (a shell started it)'
    return None, ""


_EXITING = ("flushing log.", "logger closing down")  # the process ending, not going on


# The Synology package's files (DSM 6 "/volume1/@appstore/Tailscale", DSM 7 "/var/packages/Tailscale",
# its state under "@appdata/Tailscale"): tailscaled runs on Synology's Linux.
_SYNOLOGY = re.compile(r"/volume\d+/@app(?:store|data)/Tailscale\b|/var/packages/Tailscale/|/@appdata/Tailscale\b")
_TUN_FLAG = re.compile(r"^-{1,2}tun(?:=(?P<value>.*))?$")
# (a re-wrapped paste may leave "error:" at the end of the line, its cause on the next)
_ENGINE_FAILED = re.compile(r'NewUserspaceEngine\(tun "(?P<tun>[^"]*)"\) error:(?: |$)')


def _tun_names(argv: Sequence[str], joined: str, version: str | None) -> tuple[str, ...]:
    """The TUN names tailscaled tries in order (cmd/tailscaled createEngine splits --tun at commas and falls
    back to the next on an error): its --tun flag, or the default that has a fallback — on Synology since
    v1.6 "tailscale0,userspace-networking" (defaultTunName). Empty: not known."""
    for index, arg in enumerate(argv):
        if (flag := _TUN_FLAG.match(arg)) is not None:
            value = flag.group("value")
            if value is None:
                value = argv[index + 1] if index + 1 < len(argv) else ""
            return tuple(name for name in value.split(",") if name)
    if _SYNOLOGY.search(joined) and (version is None or release_at_least(version, (1, 6))):
        return ("tailscale0", "userspace-networking")
    return ()


# GOOSes whose tailscaled defaults to netstack (defaultTunName: "userspace-networking"), and ChromeOS's Crostini
# container, which defaults to it in recent releases: no --tun flag there says nothing about a TUN device.
_NETSTACK_DEFAULT_OS = ("aix", "plan9", "solaris", "illumos")
# A tailscaled start that runs no engine: a subcommand ("tailscaled debug …", "be-child") or a one-shot flag.
_NO_ENGINE_FLAG = re.compile(r"^-{1,2}(?:cleanup|version)\b")


def _argv_names_a_tun_device(argv: Sequence[str], tun_names: Sequence[str], joined: str, os_name: str | None) -> bool:
    """Whether tailscaled's whole start argv puts it on a TUN device: a --tun naming devices only, or no --tun at
    all, where defaultTunName is a device ("tailscale0", "Tailscale", "utun", "tun") except on the netstack GOOSes,
    Crostini and Synology (a fallback list, in ``tun_names``). containerboot adds --tun=userspace-networking itself
    when TS_USERSPACE is true (its default), so its tailscaled's argv decides there too."""
    if not argv or not _PROGRAM.match(argv[0]):
        return False  # another program's start line (tsnet, an app's extension): its own engine
    if any(_NO_ENGINE_FLAG.match(arg) for arg in argv[1:]) or any(not arg.startswith("-") for arg in argv[1:2]):
        return False
    if tun_names:
        return "userspace-networking" not in tun_names
    if any(_TUN_FLAG.match(arg) for arg in argv):
        return False  # "--tun=" with no name: not known
    return os_name not in _NETSTACK_DEFAULT_OS and "crostini" not in joined.lower()


def release_at_least(version: str, floor: tuple[int, int]) -> bool:
    """A release at or after ``floor``; a source build stamped by date ("date.20210312") is not compared."""
    release = re.match(r"(\d+)\.(\d+)(?:\.|$)", version)  # "0.98": a pre-1.0 tag's major.minor
    return release is None or (int(release.group(1)), int(release.group(2))) >= floor


def _fallback_of(issue: LogIssue, tun_names: Sequence[str]) -> str | None:
    """The TUN name tailscaled tries next after an engine that failed on one (a paste cut at the error still
    shows no crash: the failure is the TUN's, not the daemon's), or None: it was the last, or not known."""
    if issue.kind != "crash" or issue.key != "engine":
        return None
    failed = _ENGINE_FAILED.search(issue.message)
    if failed is None or failed.group("tun") not in tun_names[:-1]:
        return None
    return tun_names[tun_names.index(failed.group("tun")) + 1]


def _went_on_after(issue: LogIssue, lines: Sequence[SourceLine], messages: Sequence[Message]) -> bool:
    """A goroutine trace that says no cause (no panic, fatal error or exit) the daemon kept logging after: a
    dump it printed and survived (the engine watchdog recovering instead of exiting, a logged stack), no
    crash. A trace the paste ends in (or that only a restart follows) stays one: the exit is what was cut."""
    if issue.kind != "crash" or issue.key != "trace" or not issue.lines:
        return False
    last = max(line.number for line in issue.lines)
    for line, message in zip(lines, messages, strict=True):
        if line.number <= last or is_dump_line(message.text.strip()) or message.text in _EXITING:
            continue
        return _START.match(message.text) is None  # a new run: the old one died
    return False


def _shell_job(messages: Sequence[Message]) -> tuple[str, str, int | None] | None:
    """The last report of a shell that a background job running tailscaled ended (events.shell_job_end)."""
    jobs = (shell_job_end(m.text) for m in reversed(messages) if m.text[:1] == "[")
    return next((job for job in jobs if job is not None), None)


def _job_argv(messages: Sequence[Message]) -> tuple[str, ...]:
    """The argv of the tailscaled a shell's job report names (sudo/nohup/env and VAR=value before it, redirections
    after it taken off), read as a start line's would be: its --tun, --socket and --state."""
    if (job := _shell_job(messages)) is None:
        return ()
    words = job[1].split()
    at = next((i for i, word in enumerate(words) if _PROGRAM.match(word) is not None), None)
    if at is None:
        return ()
    argv = words[at:]
    shell = next((i for i, word in enumerate(argv) if word[:1] in "&|<>" or word[:2] in ("2>", "1>")), len(argv))
    return tuple(argv[:shell])


def _typed_without_prompt(
    lines: Sequence[SourceLine], start_line: SourceLine | None, argv: Sequence[str]
) -> str | None:
    """A command that runs tailscaled, pasted without its prompt above the log it started: typed, when it
    runs it under sudo, by a bare or relative name (a shell's PATH or folder), or exactly as this run's argv
    says (every flag of it is in the argv). Services exec it by absolute path and print no command line."""
    for line in lines:
        if start_line is not None and line.number >= start_line.number:
            return None
        hand = _HAND_PROMPT.match(line.text)
        if hand is None:
            if start_line is None:
                return None  # no start line: only a command right at the top of the log counts
            continue
        parts = _command_words(hand.group("cmd"))
        if parts is None:
            continue
        sudo, program, flags = parts
        if (
            sudo
            or _SHELL_ARGV0.match(program.strip('"'))
            or (argv and flags and all(any(arg.endswith(flag) for arg in argv[1:]) for flag in flags))
        ):
            return hand.group("cmd")
    return None


def _typed_command(lines: Sequence[SourceLine], start_line: SourceLine | None, argv: Sequence[str]) -> str | None:
    """The end of a command line typed above the log it started (every flag in it is in the run's argv;
    its start may be cut where the terminal wrapped): a daemon run from a shell, not by a service."""
    if start_line is None or len(argv) < 2:
        return None
    for line in lines:
        if line.number >= start_line.number:
            return None
        if _FLAGS_ONLY.match(line.text) and all(
            any(arg.endswith(flag) for arg in argv[1:]) for flag in line.text.split()
        ):
            return line.text
    return None


# wgengine/router's Windows files (router_windows.go, ifconfig_windows.go) and Wintun's "(Code 0x%08X)" errors.
_WINDOWS_ONLY = (
    "ConfigureInterface: ",
    "getipif: ",
    "setroutes: ",
    "setPrivateNetwork(",
    "Due to a Windows limitation",
    "(Code 0x",
    # Wintun is the Windows TUN driver ("Unable to set name of Wintun interface", "[Wintun] …"); log/filelogger
    # writes its local log copy on Windows only
    "Wintun",
    "local disk logdir: ",
    # the rest of tailscaled's Windows-only code (host-integration catalog): the router's firewall tweaker (netsh,
    # the Tailscale-In/-Process rules), its default-route monitor and network category (winnet), the NRPT rule
    # database and ipconfig runs of net/dns (manager_windows.go, nrpt_windows.go, wsl_windows.go), the Wintun
    # adapter coming up (net/tstun/ifstatus_windows.go), the service and its subprocess (tailscaled_windows.go)
    "Tailscale-In ", "Tailscale-Process ", "netsh", "NRPT", "nrptRuleDatabase", "ipconfig /", "winnet.",
    "monitorDefaultRoutes", "Windows Service", "wintun.dll", "WSL: ", "WSL SetDNS", "WSL(", "engine fetch error (try",
    "TUN interface is up after", "for TUN interface to come up", "svc.IsWindowsService",
    "*dns.windowsManager",  # net/dns manager.go logs its OS configurator's type: "dns: using %T"
    # ipnserver's engine retry loop (v1.0-v1.32): only the Windows service passes a getEngine that can fail (every
    # other tailscaled passes ipnserver.FixedEngine, and exits on the engine's error before it)
    "initial getEngine call: ", "getEngine failed again: ", "GetEngine worked; exiting failure loop",
    # Go's own errors on Windows, in any message quoting one (a control dial through a proxy, a DERP read): the
    # Winsock call the net package names (os.NewSyscallError("connectex"/"wsarecv"/"wsasend…"/"acceptex"))
    ": connectex: ", ": wsarecv: ", ": wsasend: ", ": wsarecvfrom: ", ": wsasendto: ", ": wsarecvmsg: ",
    ": wsasendmsg: ", ": acceptex: ",
)  # fmt: skip
# The Windows system messages of Go's errors on Windows (syscall.Errno.Error is FormatMessage's text: the Winsock
# WSAE* codes, Win32's ERROR_*), quoted by any message that carries an error (a bind, a dial, a file): no other OS
# words them so, but they are the OS's words inside an error, not a message of Windows-only code, so the OS they name
# is an inference (os_why), and a log naming its OS any other way (journald, a Linux-only message) keeps that.
_WINDOWS_ERROR_TEXTS = (
    "The requested address is not valid in its context",  # WSAEADDRNOTAVAIL
    "An attempt was made to access a socket in a way forbidden by its access permissions",  # WSAEACCES
    "Only one usage of each socket address (protocol/network address/port) is normally permitted",  # WSAEADDRINUSE
    "No connection could be made because the target machine actively refused it",  # WSAECONNREFUSED
    "An existing connection was forcibly closed by the remote host",  # WSAECONNRESET
    "An established connection was aborted by the software in your host machine",  # WSAECONNABORTED
    "A socket operation was attempted to an unreachable network",  # WSAENETUNREACH
    "A socket operation was attempted to an unreachable host",  # WSAEHOSTUNREACH
    "A socket operation encountered a dead network",  # WSAENETDOWN
    "did not properly respond after a period of time, or established connection failed because connected host",
    "An address incompatible with the requested protocol was used",  # WSAEAFNOSUPPORT
    "An operation on a socket could not be performed because the system lacked sufficient buffer space",  # WSAENOBUFS
    "A message sent on a datagram socket was larger than the internal message buffer",  # WSAEMSGSIZE
    "An operation was attempted on something that is not a socket",  # WSAENOTSOCK
    "No such host is known",  # WSAHOST_NOT_FOUND
    "This is usually a temporary error during hostname resolution",  # WSATRY_AGAIN
    "The system cannot find the file specified",  # ERROR_FILE_NOT_FOUND
    "The system cannot find the path specified",  # ERROR_PATH_NOT_FOUND
    "The process cannot access the file because it is being used by another process",  # ERROR_SHARING_VIOLATION
    "The semaphore timeout period has expired",  # ERROR_SEM_TIMEOUT
    "The network path was not found",  # ERROR_BAD_NETPATH
    "The specified network name is no longer available",  # ERROR_NETNAME_DELETED
)


def _windows_error_os(joined: str) -> tuple[str, str] | None:
    """Windows and why, when the log quotes one of Windows' own error texts."""
    quoted = next((text for text in _WINDOWS_ERROR_TEXTS if text in joined), None)
    if quoted is None:
        return None
    return "windows", f'inferred: it quotes Windows\' own error text ("{quoted}"), which Go prints only on Windows'


# wireguard-go's TUN write failing with ENOSPC on a file named "/dev/tun" (device/receive.go "Failed to write packets
# to TUN device: write /dev/tun: no space left on device"): the Apple apps hand wireguard-go their utun's fd under that
# name, and a full utun queue refuses the write with ENOSPC. No other OS prints it: Linux's tun is /dev/net/tun (the
# Android app's fd is also named "/dev/tun", but Linux's tun write has no ENOSPC), and FreeBSD's /dev/tun clone
# device refuses a write with ENOBUFS, EIO or EAFNOSUPPORT (sys/net/if_tuntap.c tunwrite), never ENOSPC. macOS or
# iOS: the Mac is where such logs are pasted from (the finding's fix covers both).
_DARWIN_TUN_FULL = "/dev/tun: no space left on device"
_DARWIN_TUN_WHY = (
    'inferred: its TUN writes fail with "write /dev/tun: no space left on device", a full utun queue of the Apple '
    "apps (macOS or iOS); Linux's tun is /dev/net/tun and FreeBSD's /dev/tun never returns that error"
)


def _darwin_tun_error_os(joined: str) -> tuple[str, str] | None:
    """macOS and why, when wireguard-go's write to the Apple app's utun fails with ENOSPC."""
    return ("macos", _DARWIN_TUN_WHY) if _DARWIN_TUN_FULL in joined else None


# net/tstun/tun.go names runtime.GOOS when it has no TUN diagnostics for it: 'no TUN failure diagnostics for OS %q'.
_TUN_GOOS = re.compile(r'no TUN failure diagnostics for OS "(?P<goos>\w+)"')

# Messages only tailscaled's Linux code prints (net/tstun/tun_linux.go: the kernel version and the `modprobe tun`
# it runs when /dev/net/tun is missing; util/linuxfw), and the Synology package's paths (DSM is Linux). The Linux
# router is the only one that runs iproute2's `ip` (wgengine/router/runner.go 'running "ip …" failed',
# router_linux.go "listing ip rules: ") or checks the kernel for IPv6 policy routing (router_linux.go, util/linuxfw).
# Linux's static tarball (release/dist/unixpkgs: "tailscale_<version>_<arch>.tgz", unpacked to a folder of that name;
# every other OS's tarball names its OS, "tailscale_<version>_<os>_<arch>") holding the tailscaled a log names.
_LINUX_TARBALL = re.compile(
    r"\btailscale_\d+\.\d+\.\d+_(?:amd64|386|arm|arm64|mips|mipsle|mips64|mips64le|riscv64|geode)/tailscaled\b"
)
_LINUX_ONLY = (
    "Linux kernel version: ", "'modprobe tun' ", "`modprobe tun` ", "/dev/net/tun", "linuxfw: ", 'running "ip ',
    "listing ip rules: ", "support IPv6 policy routing",
    # util/linuxfw and the Linux router's netfilter, sysctl and rp_filter work; net/dns's NetworkManager and
    # systemd-resolved configurators (only manager_linux.go picks them)
    "netfilter running in ", "iptables", "nftables", "rp_filter", "src_valid_mark", "NetworkManager", "resolve1",
    # the netlink route and address messages of the Linux network monitor (net/netmon/netmon_linux.go, wgengine/
    # monitor before it: "monitor: RTM_DELROUTE: src=, dst=fe80::/64, …", "RTM_NEWADDR: …"); the BSDs' and macOS'
    # route sockets name theirs RTM_ADD / RTM_DELETE
    "RTM_NEWROUTE: ", "RTM_DELROUTE: ", "RTM_NEWADDR", "RTM_DELADDR",
    # "dns: using %T" naming a configurator built only for Linux (resolved.go, nm.go: linux && !android)
    "*dns.resolvedManager", "*dns.nmManager",
    # the status line tailscaled hands systemd (sd_notify: feature/sdnotify does nothing on other OSes), as
    # `systemctl status` shows it (events.py _SYSTEMD_STATUS)
    *SYSTEMD_STATUS_WORDS,
)  # fmt: skip
# Messages only the Android app prints (tailscale-android App.kt: the socket binding the app does for tailscaled on
# the active network, "bindSocketToActiveNetwork: binding fd=… to net=… iface=rmnet_data0"), for a logcat excerpt
# whose tag and pid columns were cut ("09-03 07:09:40.802 ... bindSocketToActiveNetwork: …").
# The Android app's own Go code in a crash's trace: its build tree ("/build/tailscale-android/cmd/tailscale/main.go")
# or its module path (github.com/tailscale/tailscale-android).
_ANDROID_ONLY = ("bindSocketToActiveNetwork: ", "/tailscale-android/")
# The Hostinfo record tailscaled logs as structured JSON when it starts (ipnlocal: logf.JSON(1, "Hostinfo", hi)
# writes "[v\x00JSON]1{"Hostinfo":{…}}"; a copy drops the NUL, a log upload escapes it): the node's own word on
# its version, OS and netstack mode, also for an embedded tsnet node that prints no "Program starting".
_HOSTINFO = re.compile(r'\[v(?:\\u0000|\\x00)?JSON\]\d\{"Hostinfo":\{')
_HOSTINFO_FIELD = re.compile(r'"(?P<field>IPNVersion|OS|Userspace)":(?:"(?P<text>[^"]*)"|(?P<bool>true|false))')
# Hostinfo's OS (runtime.GOOS, "macOS"/"iOS" for the Apple apps) → the report's OS names.
_HOSTINFO_OS = {
    "windows": "windows", "linux": "linux", "macos": "macos", "darwin": "macos", "android": "android",
    "freebsd": "freebsd", "openbsd": "openbsd", "ios": "ios",
}  # fmt: skip
# Messages only tailscaled's macOS (darwin) code prints: net/tstun/tun_macos.go's two TUN refusals, net/dns's
# scutil runs (manager_darwin.go), cmd/tailscaled install_darwin.go's launchctl; the open-source tailscaled's own
# macOS start-up: its DNS configurator's type ("dns: using *dns.darwinConfigurator", manager.go "using %T"), its
# default TUN name (cmd/tailscaled defaultTunName: "utun" on darwin, 'wgengine.NewUserspaceEngine(tun "utun")') and
# its system state directory (paths_unix.go, safesocket_darwin.go: "/Library/Tailscale").
_MACOS_ONLY = (
    "install-system-daemon", 'try using tun device "utun"', "scutil", "launchctl ", "*dns.darwinConfigurator",
    'NewUserspaceEngine(tun "utun")', '"/Library/Tailscale', "/Library/Tailscale/",
    # the Apple app's VPN connection (events.py _apple_vpn), whatever layout the Console/`log show` copy has
    "Last disconnect error for ",
    # the Mac apps' bundle IDs (macos: App Store, macsys: standalone) and macOS's code-signing helper refusing one
    "io.tailscale.ipn.macos", "io.tailscale.ipn.macsys", "taskgated-helper",
    # Homebrew's launchd plist for the formula (`brew services`: its Linux twin is a systemd unit)
    "homebrew.mxcl.tailscale",
    # cmd/tailscaled's refusal to run as a non-root user without userspace networking: a log.Fatalf under
    # runtime.GOOS == "darwin" only, worded the same at every tag since v1.6
    "tailscaled requires root; use sudo tailscaled",
)  # fmt: skip
# The BSD routers: OpenBSD's bypass routing table (router_openbsd.go), FreeBSD's interface teardown
# (router_freebsd.go "ifconfig destroy: …").
_OPENBSD_ONLY = ("bypass rtable", "*dns.resolvdManager")  # resolvd.go: openbsd only
_FREEBSD_ONLY = ("ifconfig destroy: ",)


# A Go stack frame's source file carries its GOOS build suffix ("…/link_linux.go:2822 +0x4", "router_windows.go:
# 51"), and the netlink packages (vishvananda's, its tailscale fork, mdlayher's, jsimonetti's rtnetlink) speak to the
# Linux kernel only: a crash trace through either names the OS it ran on. "_linux.go" is built for Android too
# (GOOS android implies linux), so an Android frame or the app's module wins; "_darwin.go" (macOS or iOS) names none.
_FRAME_GOOS = re.compile(r"_(?P<goos>linux|android|windows|freebsd|openbsd)(?:_\w+)?\.go:\d")
_FRAME_NETLINK = re.compile(r"github\.com/(?:vishvananda|mdlayher|tailscale|jsimonetti)/(?:rt)?netlink[@/.]")


def trace_os(frames: Iterable[str]) -> str | None:
    """The OS a Go crash trace's frames name by their source files' GOOS suffix or a Linux-only package."""
    found: set[str] = set()
    for text in frames:
        if ".go:" in text and (goos := _FRAME_GOOS.search(text)) is not None:
            found.add(goos.group("goos"))
        elif "netlink" in text and _FRAME_NETLINK.search(text) is not None:
            found.add("linux")
        elif "/tailscale-android/" in text or "/libtailscale." in text:
            found.add("android")
    if "android" in found:
        return "android"
    return found.pop() if len(found) == 1 else None  # two OSes: not one node's trace


def lead_in_os(text: str) -> str | None:
    """The OS a line of prose introducing a log names by the process that logged it: the Mac apps' bundle IDs
    ("Unified log, from `io.tailscale.ipn.macsys.network-extension`:"), IPNExtension. A process name, not a
    claim ("on my Mac"): only the words that name one app's process on one OS."""
    if "IPNExtension" in text or "io.tailscale.ipn.macos" in text or "io.tailscale.ipn.macsys" in text:
        return "macos"
    return None


# The control client's dump of the Hostinfo it sends (controlclient/direct.go doLogin: "[v1] HostInfo: %s", the
# JSON on one line): the same fields. A copy may wrap the JSON onto lines of its own (blind 25: 1247, an iOS app's
# log re-wrapped at 11 blanks): the fields on its first line are read (the wrapped rest is no log line).
# (before v1.2x the control client's logger put "control: " before it: "control: HostInfo: {…}"); LocalAPI's bug report
# logs the node's own as well ("user bugreport hostinfo: {…}", v1.32+)
_CONTROL_HOSTINFO = re.compile(r'^(?:control: )?(?:\[v1\] )?(?:HostInfo|user bugreport hostinfo): \{"')


def _hostinfo(messages: Sequence[Message]) -> dict[str, str]:
    """IPNVersion, OS and Userspace from the last Hostinfo record of the log (a record cut short still
    names the fields before the cut)."""
    fields: dict[str, str] = {}
    for message in messages:
        if "JSON]" in message.text and (record := _HOSTINFO.search(message.text)) is not None:
            fields = {
                found.group("field"): found.group("text") or found.group("bool") or ""
                for found in _HOSTINFO_FIELD.finditer(message.text, record.end())
            }
        elif ("HostInfo: {" in message.text or "hostinfo: {" in message.text) and (
            dump := _CONTROL_HOSTINFO.match(message.text)
        ) is not None:
            fields = {
                found.group("field"): found.group("text") or found.group("bool") or ""
                for found in _HOSTINFO_FIELD.finditer(message.text, dump.end() - 1)
            }
    return fields


def _os_of(joined: str, messages: Sequence[Message], hostinfo_os: str | None = None) -> str | None:
    if hostinfo_os is not None and hostinfo_os.lower() in _HOSTINFO_OS:
        return _HOSTINFO_OS[hostinfo_os.lower()]
    if (goos := _TUN_GOOS.search(joined)) is not None and goos.group("goos") in _HOSTINFO_OS:
        return _HOSTINFO_OS[goos.group("goos")]
    if (
        any(m.form in ("windows-service", "windows-event") for m in messages)
        or ".exe" in joined.lower()
        or "[Wintun]" in joined
        or "subproc mode: " in joined
        or "C:\\" in joined
        or "LocalApp" in joined
        or "ProgramData" in joined
        # messages only tailscaled's Windows code prints: the Windows router, network category, Wintun's errors
        or any(word in joined for word in _WINDOWS_ONLY)
    ):
        return "windows"
    if any(m.form == "macos" for m in messages) or "IPNExtension" in joined or any(w in joined for w in _MACOS_ONLY):
        return "macos"
    if (
        any(m.form == "logcat" for m in messages)
        or "com.tailscale.ipn" in joined
        or any(word in joined for word in _ANDROID_ONLY)
    ):
        return "android"
    if (
        "/var/lib/" in joined
        or "/etc/" in joined
        or "systemd" in joined
        or any(m.form == "journald" for m in messages)
        or any(word in joined for word in _LINUX_ONLY)
        or _SYNOLOGY.search(joined)
        or ("tailscale_" in joined and _LINUX_TARBALL.search(joined))
    ):
        return "linux"
    if any(word in joined for word in _OPENBSD_ONLY):
        return "openbsd"
    if any(word in joined for word in _FREEBSD_ONLY):
        return "freebsd"
    return None


# A line stamped with Go's time.Time String layout ("2006-01-02 15:04:05.999999999 -0700 MST"), as Tailscale's log
# viewer prints a node's uploaded lines ("2021-06-16 13:20:33.7344627 -0700 -0700: 2021/06/16 13:20:33 …"): the
# fraction keeps the clock's resolution of the node that logged it, trailing zeros trimmed (a whole second has no
# fraction at all). Go reads Windows' wall clock in 100 ns units (runtime time_windows: KUSER_SHARED_DATA SystemTime
# × 100), so a Windows node's stamps have at most 7 digits. On darwin Go's runtime walltime asks libc's
# clock_gettime(CLOCK_REALTIME) (gettimeofday before Go 1.16), which Apple gives in microseconds: at most 6 digits,
# and macOS shares that clock with iOS and tvOS (Hostinfo's OS, read first, tells iOS apart; golang/go#25633,
# #22037). Linux's (and FreeBSD's, OpenBSD's, Android's) clock_gettime gives nanoseconds: 9 digits, 8 on one stamp in
# ten, 6 or fewer on one in a thousand (trailing zeros).
_GO_TIME_STRING = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.(?P<fraction>\d{1,9}))? [+-]\d{4} \S")
_WINDOWS_CLOCK_WHY = (
    "inferred: its Go time stamps carry at most 7 fractional digits (100 ns), the resolution of Windows' clock"
)
_APPLE_CLOCK_WHY = (
    "inferred: its Go time stamps carry at most 6 fractional digits (microseconds), the resolution of Apple's clock "
    "(macOS, or iOS/tvOS, which share it)"
)
_LINUX_CLOCK_WHY = (
    "inferred: its Go time stamps carry 8-9 fractional digits (nanoseconds), the clock Tailscale's Linux nodes log "
    "with (FreeBSD, OpenBSD and Android share it; nothing in the log names them)"
)
# The other nanosecond-clock systems, when the log's words name them: then the clock does not choose among them.
_NANOSECOND_OTHERS = ("freebsd", "openbsd", "android", "pfsense", "opnsense")


def _clock_os(lines: Sequence[SourceLine], joined: str) -> tuple[str, str] | None:
    """The OS (and why) the resolution of the log's Go time String stamps shows, when it shows one clock:
    - Windows: two distinct stamps at least, some with exactly 7 fractional digits, none with 8 or 9 (a nanosecond
      clock shows 9 on nine stamps in ten);
    - macOS (Apple's microsecond clock): three distinct stamps at least, all with 6 digits or fewer and some with
      exactly 6 (a 100 ns clock gives three such stamps in a row once in a thousand);
    - Linux (a nanosecond clock): two distinct stamps at least, some with 8 or 9 digits, at most one with 6 or
      fewer and 7-digit ones a small minority (more is two clocks: two nodes' lines pasted together)."""
    digits_of: dict[str, int] = {}
    for line in lines:
        text = line.text
        if text[19:20] not in (".", " ") or not text[:1].isdigit() or (stamp := _GO_TIME_STRING.match(text)) is None:
            continue
        digits_of[stamp.group(0)] = len(stamp.group("fraction") or "")
    digits = list(digits_of.values())
    nano = sum(1 for d in digits if d > 7)
    seven = digits.count(7)
    micro = len(digits) - nano - seven
    if nano == 0 and seven > 0 and len(digits) >= 2:
        return "windows", _WINDOWS_CLOCK_WHY
    if nano == 0 and seven == 0 and len(digits) >= 3 and 6 in digits:
        return "macos", _APPLE_CLOCK_WHY
    if nano > 0 and len(digits) >= 2 and micro <= 1 and seven * 4 <= len(digits):
        lowered = joined.lower()
        if not any(word in lowered for word in _NANOSECOND_OTHERS):
            return "linux", _LINUX_CLOCK_WHY
    return None


# journalctl -x's explanation of a catalogued message, under it ("░░ Subject: …", "░░ Defined-By: systemd"): read
# with the journal, saying nothing of its own but systemd's catalog entry for a failed start job ("Subject: A start job
# for unit X has failed", "The job identifier is N and the job result is failed.")
_JOURNAL_CATALOG = "\u2591\u2591"
_CATALOG_UNIT = re.compile(r"\bunit (\S+\.service)\b")


def _events(lines: Sequence[SourceLine], messages: Sequence[Message]) -> Iterator[tuple[SourceLine, Event]]:
    pairs = list(zip(lines, messages, strict=True))
    stamps = [when_of(line.text) for line in lines]
    if is_newest_first(stamps):
        pairs.reverse()  # a newest-first log page: what still holds is what its top lines say
    elif (order := excerpt_order(stamps, [line.number for line in lines])) is not None:
        pairs = [pairs[at] for at in order]  # excerpts pasted out of order: the latest one says what still holds
    at = 0
    catalog_unit = ""  # the unit journalctl -x's catalog text under the last journal line names
    while at < len(pairs):
        line, message = pairs[at]
        text = message.text
        if text[:2] == _JOURNAL_CATALOG:
            # the catalog text explains the systemd message above it and raises nothing of its own, but for the failed
            # start job of tailscaled's unit (its Subject, and the job result under it: the failure the message says)
            catalog_unit = unit.group(1) if (unit := _CATALOG_UNIT.search(text)) is not None else catalog_unit
            explained = text.lstrip("\u2591 ")
            if is_catalog_job_failure(explained) and is_tailscale_unit(catalog_unit):
                yield line, Raise("crash", "exit", explained, unless=NEVER_A_CRASH)
            at += 1
            continue
        catalog_unit = ""
        if is_overall_errors_head(text):
            # the checks of a multi-line overall health error, each on a line (and prefix) of its own
            parts = []
            while at + 1 < len(pairs) and is_overall_errors_part(pairs[at + 1][1].text):
                at += 1
                parts.append(pairs[at][1].text.strip())
            text = f"{text.rstrip()} {'; '.join(parts)}" if parts else text
        if message.form == "logrus-fatal":
            # the embedding program's logrus Fatal (os.Exit(1)) or Panic: it ends, its tailscale node with it
            yield line, Raise("crash", "exit", text)
        if is_call_frame(text) and not is_dump_request(text):
            at += 1
            continue  # a trace's frame names running code ("…StartLoginInteractive(0x4000…)"), not an event
        if "avc:" in text:
            for event in selinux_denial(text, message.process):  # the denied task's name says whose call it was
                yield line, event
        for event in events_of(text):
            yield line, event
        at += 1


# magicsock choosing its home relay ("magicsock: home is now derp-4 (fra)") opens a connection to it at once:
# "adding connection to derp-4 for home-keep-alive", derphttp "connecting to derp-4 (fra)", then "derp-4
# connected" (or a "connect to region 4" error) within milliseconds. A log that goes on for seconds after the
# choice with no word of that region is a node telling control a home it is not connected to (blind 15: 687):
# peers relaying to it through that region cannot reach it. Any other line naming the region, before or after,
# counts as word of it (even an attempt; its errors raise their own issue); NetInfo's "derp=#4" is the choice
# again, not a connection.
_HOME_CHOSEN = re.compile(r"^magicsock: home is now derp-(?P<id>\d+)(?: \((?P<code>[^)]*)\))?")
_HOME_SILENCE_SECONDS = 10.0
_CLOCK = re.compile(r"(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)$")


def _seconds_between(earlier: str, later: str) -> float | None:
    """Seconds from one stamp key (when_of) to another, or None: the stamps do not compare."""
    (day_a, _, clock_a), (day_b, _, clock_b) = earlier.rpartition(" "), later.rpartition(" ")
    a, b = _CLOCK.match(clock_a), _CLOCK.match(clock_b)
    if a is None or b is None or len(day_a) != len(day_b):
        return None
    if day_a != day_b:
        return float("inf") if day_b > day_a else None
    seconds_a = int(a.group(1)) * 3600 + int(a.group(2)) * 60 + float(a.group(3))
    return int(b.group(1)) * 3600 + int(b.group(2)) * 60 + float(b.group(3)) - seconds_a


def _home_never_connected(
    lines: Sequence[SourceLine], messages: Sequence[Message], issues: Sequence[LogIssue]
) -> LogIssue | None:
    """The home region magicsock chose, when the log goes on for a while after it with no word of that region."""
    pairs = list(zip(lines, messages, strict=True))
    if is_newest_first([when_of(line.text) for line in lines]):
        pairs.reverse()
    chosen = None
    for index, (_, message) in enumerate(pairs):
        if (home := _HOME_CHOSEN.match(message.text)) is not None:
            chosen = index, home
    if chosen is None or any(issue.kind == "derp-unreachable" for issue in issues):
        return None
    index, home = chosen
    region = home.group("id")
    named = re.compile(rf"\bderp-{region}\b|\bregion {region}\b")  # connecting, connected, its errors, its conns
    if any(named.search(m.text) for n, (_, m) in enumerate(pairs) if n != index and not _HOME_CHOSEN.match(m.text)):
        return None
    start = when_of(pairs[index][0].text)
    last = next((stamp for line, _ in reversed(pairs[index + 1 :]) if (stamp := when_of(line.text))), None)
    if start is None or last is None or (elapsed := _seconds_between(start, last)) is None:
        return None
    if elapsed < _HOME_SILENCE_SECONDS:
        return None
    code = home.group("code")
    shown = f"derp-{region}" + (f" ({code})" if code else "")
    return LogIssue(
        "derp-unreachable",
        Severity.ERROR,
        f"home is now {shown}, and in the {elapsed:.0f} s of log after it no connection to it follows",
        f"{region} ({code})" if code else region,
        (pairs[index][0],),
    )


# A Tailscale SSH session whose process ends with an error at once (ssh/tailssh, v1.24 to HEAD): the incubator
# ("starting pty command: [… be-child ssh …]" / "starting non-pty command: …") is launched, then the session's
# "Wait: code=N" (the child's exit status; N > 0, a negative code is a signal: the session was ended) or "Wait: <err>"
# within about a second. A login shell does not end by itself that fast: the incubator or `login` could not switch to
# the user (tailscaled not root, a container without the capabilities to change user). The same end after minutes is
# the user's shell exiting with its last command's status: no finding. Only the log's last session that ended counts
# (a later one that ran says it works now).
_SSH_SESSION = re.compile(r"^ssh-session\((?P<id>[^)]+)\): ")
_SSH_STARTED = ("starting pty command: ", "starting non-pty command: ")
_SSH_WAIT = re.compile(r"Wait: (?:code=(?P<code>-?\d+)|(?P<error>\S.*))$")
_SSH_AT_ONCE_SECONDS = 1.0


def _ssh_session_ended_at_once(lines: Sequence[SourceLine], messages: Sequence[Message]) -> LogIssue | None:
    """The log's last Tailscale SSH session that ended, when its process failed within a second of its start."""
    if not any(m.text.startswith("ssh-session(") for m in messages):
        return None
    started: dict[str, SourceLine] = {}
    last_end: tuple[str, SourceLine, str, bool] | None = None  # session, line, message, failed
    for line, message in zip(lines, messages, strict=True):
        if (session := _SSH_SESSION.match(message.text)) is None:
            continue
        rest = message.text[session.end() :]
        if rest.startswith(_SSH_STARTED):
            started[session.group("id")] = line
        elif rest == "Session complete":
            last_end = session.group("id"), line, message.text, False
        elif (wait := _SSH_WAIT.match(rest)) is not None:
            code = wait.group("code")
            last_end = session.group("id"), line, message.text, code is None or int(code) > 0
    if last_end is None or not last_end[3] or (start := started.get(last_end[0])) is None:
        return None
    begun, ended = when_of(start.text), when_of(last_end[1].text)
    if begun is None or ended is None or (elapsed := _seconds_between(begun, ended)) is None:
        return None
    if not 0 <= elapsed <= _SSH_AT_ONCE_SECONDS:
        return None
    return LogIssue("ssh-failed", Severity.ERROR, last_end[2], "exited-at-once", (start, last_end[1]))


def _resolv_conf_fight(lines: Sequence[SourceLine], messages: Sequence[Message]) -> LogIssue | None:
    """The log's last DNS manager decision, when it went direct past a running systemd-resolved because resolv.conf
    lists resolved's stub beside other nameservers (events.py: the error line, then the decision)."""
    if not any(m.text.startswith(RESOLV_CONF_NOT_RESOLVED) for m in messages):
        return None
    error: tuple[SourceLine, str] | None = None
    fight: tuple[tuple[SourceLine, str], SourceLine] | None = None
    for line, message in zip(lines, messages, strict=True):
        text = message.text
        if text.startswith(RESOLV_CONF_NOT_RESOLVED):
            error = (line, text) if stub_beside_others(text) else None
        elif text.startswith("dns: [") and text.endswith("]"):
            # each decision replaces the one before (a restart); only the one right after the error is its own
            fight = (error, line) if error is not None and direct_beside_running_resolved(text) else None
            error = None
    if fight is None:
        return None
    (error_line, error_text), decision = fight
    return LogIssue("dns-fight", Severity.WARNING, error_text, "resolv-conf", (error_line, decision))


# The local end of a Go network error ("read udp 100.64.1.129:53491->100.65.0.10:53: i/o timeout", "dial tcp
# 10.0.0.5:40112->…", "write tcp …->…"): the address this host sent from.
_LOCAL_END = re.compile(r"\b(?:read|write|dial) (?:udp|tcp)[46]? (?P<local>\d{1,3}(?:\.\d{1,3}){3}):\d+->")


def _pod_in_cgnat(
    lines: Sequence[SourceLine], messages: Sequence[Message], issues: Sequence[LogIssue]
) -> LogIssue | None:
    """containerboot (and its kubeclient) sending from an address inside 100.64.0.0/10: it runs before and beside
    tailscaled and never binds a tailnet address, so that address is the pod's own (a CNI or cluster network in
    Tailscale's CGNAT range, blind 18: 482): cgnat-overlap, as an interface list naming it would be."""
    if any(issue.kind == "cgnat-overlap" for issue in issues):
        return None
    found: list[SourceLine] = []
    address = ""
    for line, message in zip(lines, messages, strict=True):
        if message.process != _CONTAINERBOOT_PROCESS or "->" not in message.text:
            continue
        for local in _LOCAL_END.finditer(message.text):
            if is_cgnat_address(local.group("local")):
                address = address or local.group("local")
                found.append(line)
                break
    if not found:
        return None
    evidence = (found[0], *found[1:][-2:])
    return LogIssue(
        "cgnat-overlap",
        Severity.ERROR,
        f"containerboot sends from {address}, inside 100.64.0.0/10: the pod's own network overlaps Tailscale's range",
        f"pod {address}",
        evidence,
        len(found),
    )


def is_another_apps_log(lines: Sequence[SourceLine]) -> bool:
    """Whether every line of a log is one that names no app and could be any app's: Android's keystore2 refusing a
    key (its own tag, "keystore2::error: In generate_key."), the Keystore's ProviderException. Such a log is
    Tailscale's only when the paste shows Tailscale elsewhere (engine.py)."""
    return all(is_android_keystore_refusal(line.text) for line in lines)


def parse_daemon_log(lines: Sequence[SourceLine], command: str | None) -> DaemonLogReport:
    """Everything the log says, folded in order (see fold.py for what clears what)."""
    messages = [message_of(line.text) for line in lines]
    version: str | None = None
    argv: tuple[str, ...] = ()
    argv_whole = False  # the start line shows its whole argv, up to the closing brace
    start_line: SourceLine | None = None
    for index, (line, message) in enumerate(zip(lines, messages, strict=True)):
        match = _START.match(message.text) or _START_ANYWHERE.search(message.text)
        if match and (version is None or "cleanup" not in match.group("rest")):
            version, start_line = match.group("version"), line
            rest = match.group("rest")
            if "}" not in rest and index + 1 < len(lines):
                if _ARGV_TAIL.match(lines[index + 1].text):
                    rest += lines[index + 1].text  # the terminal wrapped the argv
                elif "[]string{" not in rest and _ARGV_WHOLE_TAIL.match(lines[index + 1].text):
                    rest += " " + lines[index + 1].text  # wrapped in the Go version, before the argv
            argv = tuple(a.replace("\\\\", "\\") for a in _ARG.findall(rest))
            argv_whole = "[]string{" in rest and rest.rstrip().endswith("}")
        elif version is None and (app := _APP_START.search(message.text)) is not None:
            version, start_line = app.group("version"), line
    joined = " ".join(argv) + " " + " ".join(line.text for line in lines)
    hostinfo = _hostinfo(messages)
    if version is None and (ipn := _VERSION_OF.match(hostinfo.get("IPNVersion", ""))) is not None:
        version = ipn.group(0)
    if version is None:
        stats = (_STATS_VERSION.match(m.text) for m in messages if " peers:" in m.text)
        version = next((found.group("version") for found in stats if found is not None), None)
    if version is None:
        # any other Hostinfo JSON of the node's in its log (a record cut before its head, a wrapper's dump)
        own = (_IPN_VERSION.search(m.text) for m in messages if '"IPNVersion"' in m.text)
        version = next((found.group("version") for found in own if found is not None), None)
    if version is None and (module := _MODULE_VERSION.search(joined)) is not None:
        version = module.group("version")  # a panic's goroutine trace names the module version
    if version is None and (path := _PATH_VERSION.search(joined)) is not None:
        version = path.group("version")  # the binary's versioned install path (a service status, a command line)
    if not argv:
        argv = _job_argv(messages)  # no start line: the shell's job report names the command line it ran
    typed = _typed_command(lines, start_line, argv)
    hand_started, why = _started_by_hand(command, argv, lines, messages, typed, start_line)
    folded = fold(_events(lines, messages))
    tun_names = _tun_names(argv, joined, version)
    fallbacks = {issue: name for issue in folded.issues if (name := _fallback_of(issue, tun_names)) is not None}
    issues = [issue for issue in folded.issues if not _went_on_after(issue, lines, messages) and issue not in fallbacks]
    if (silent_home := _home_never_connected(lines, messages, issues)) is not None:
        issues.append(silent_home)
    if (pod_overlap := _pod_in_cgnat(lines, messages, issues)) is not None:
        issues.append(pod_overlap)
    if (ssh_at_once := _ssh_session_ended_at_once(lines, messages)) is not None:
        issues.append(ssh_at_once)
    if (resolv_conf_fight := _resolv_conf_fight(lines, messages)) is not None:
        issues.append(resolv_conf_fight)
    os_name = _os_of(joined, messages, hostinfo.get("OS"))
    os_why = ""
    if os_name is None and (quoted := _windows_error_os(joined)) is not None:
        os_name, os_why = quoted  # no message names the OS: an error text of Windows' own does
    if os_name is None and (darwin := _darwin_tun_error_os(joined)) is not None:
        os_name, os_why = darwin  # no message names the OS: the utun's error does
    if os_name is None and (clock := _clock_os(lines, joined)) is not None:
        os_name, os_why = clock  # no message names the OS: the clock's resolution is the only clue
    if hand_started:
        anchor = start_line or lines[0]
        severity = Severity.WARNING if os_name == "windows" else Severity.INFO
        issues.append(LogIssue("hand-started", severity, why, "hand", (anchor,)))
    userspace = folded.userspace
    if "userspace-networking" in fallbacks.values():
        userspace = True  # the next name tailscaled tries after the failed TUN is netstack
    if userspace is None and hostinfo.get("Userspace") in ("true", "false"):
        userspace = hostinfo["Userspace"] == "true"
    if userspace is None and any("userspace-networking" in a for a in argv):
        userspace = True
    if userspace is None and any(m.process == "tsnet" for m in messages):
        userspace = True  # an embedded tsnet node always runs on netstack (userspace networking)
    if userspace is None and folded.kernel_tun:
        userspace = False  # a tailscaleN device with a tailnet address, and nothing says netstack
    if userspace is None and argv_whole and _argv_names_a_tun_device(argv, tun_names, joined, os_name):
        userspace = False  # the whole start argv: no --tun flag (the OS's TUN device) or a TUN device's name
    return DaemonLogReport(
        version=version,
        os=os_name,
        hand_started=hand_started,
        argv=argv,
        lines=tuple(lines),
        start_line=start_line,
        why=why,
        state=folded.state,
        state_line=folded.state_line,
        home_derp=folded.home,
        userspace=userspace,
        issues=tuple(issues),
        peers=tuple(folded.peers),
        os_why=os_why,
        health=tuple(folded.health),
    )


def is_service_manager_only(lines: Sequence[SourceLine]) -> bool:
    """A log that shows only systemd's lines about tailscaled's unit (its verdicts, journalctl -x's catalog text):
    tailscaled's own lines, which say why it exited, are not in the paste."""
    for line in lines:
        message = message_of(line.text)
        if message.process in ("systemd", "init") or message.text.startswith(_JOURNAL_CATALOG):
            continue
        if not is_systemd_verdict(message.text):
            return False
    return True
