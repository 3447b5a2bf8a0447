"""Routine answers of the CLI: output that says a command did what it was asked, with nothing to diagnose.

Read from cmd/tailscale/cli at de9ec7ee2 (and their history): bugreport.go (the ``BUG-<log id>-<UTC
YYYYMMDDhhmmssZ>-<hex>`` marker, localapi.go; ``--record``'s prompt and closing line), cert.go (``Wrote public
cert to …``, ``Private key unchanged at …``, also under Go's log stamp), file.go (``wrote X as Y (N bytes)``,
``moved N/M files``), drive.go (the ``name path as`` table), syspolicy.go (``No policy settings``: its table is a view,
syspolicy.py), update.go (``Current: X, Latest: Y``, ``Updating Tailscale from X to Y; --yes given …``),
configure-kube.go (``kubeconfig configured for "…" at URL "…"``), web.go (``starting tailscaled web client at …``;
``web server running on: …`` is the web-start view's, webstart.py), dns-query.go (``DNS query for "name" (TYPE)
using internal resolver:``, its resolvers, response code and answer table), tailnet-lock.go (``lock log``'s update
stanzas), debug.go
(``debug local-creds``: the curl command carrying a LocalAPI token, recognised so that it is never repeated in a
warning; ``debug via``'s 4via6 prefix or site; ``debug component-logs``; ``debug stat``'s lines; ``debug metrics
--watch``'s changes; under their command, ``debug resolve``'s addresses, ``debug env``'s variables and ``debug
peer-endpoint-changes``' ``null``), debug-capture.go (``Press Ctrl-C to stop the capture.``), configure-synology.go,
configure-synology-cert.go, configure-jetkvm.go and configure-pve-appliance.go (what they did), id-token.go (the
token, never repeated), ``debug dial-types``' dialer lines, under their command ``debug statedir``, ``debug
go-buildinfo``, ``debug control-knobs``, ``debug peer-relay-servers`` and ``appc-routes``, get.go (``get --all``'s
``NAME  VALUE`` table), metrics.go (``metrics print``'s Prometheus lines, when not a metrics view: metricsview.py),
licenses.go, up.go (the login URL under ``To authenticate, visit:``; ``Success.`` under a typed `up`/`login`,
`switch`, `serve`/`funnel` as the first line it printed, its words by that command), switch.go (``Switching to
account "…"``, ``Already on account "…"``).

The splitter drops these lines silently (as it does a shell's noise): they are output it knows, not unread lines.
One table knows each one-line answer: its command, its pattern and what it says in plain words (``Answer``), read by
the splitter (one alternation per first character, its named groups made non-capturing once at import) and by the
cli-answer view (clianswerview.py, through ``answering_command`` and ``answer_says``: each pattern with its groups,
compiled on first use). A longer answer's words sit next to its first line (``dns query``'s header).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from opskit.core.diagnose.lazyre import LazyPattern, lazy_compile
from opskit.core.diagnose.text import GO_STAMP, SourceLine, json_value_end, typed_tailscale_command, url_tail_end
from opskit.core.diagnose.windows import CERT_NAME_HINT, CERT_REQUEST


class Answer(NamedTuple):
    """One routine answer of one line: the command that prints it, its pattern (named groups, if any, only for the
    view's wording) and what it says in plain words, a template over those groups (None: the command did what it does,
    "done")."""

    command: str
    pattern: str
    says: str | None = None


# one-line answers and the command that prints each (the splitter drops them as known output; the cli-answer view,
# clianswerview.py, words them by ``says``)
_ONE_LINE_ANSWERS: tuple[Answer, ...] = (
    Answer(
        "bugreport",
        r"BUG-[0-9a-f]{16,}-\d{14}Z-[0-9a-f]{8,}|BUG-NO-LOGS-NO-SUPPORT-this-node-has-had-its-logging-disabled",
        "bug report marker printed",
    ),
    Answer("bugreport", r"Recording started; please reproduce your issue and then press Enter\.\.\."),
    Answer("bugreport", r"Please provide both bugreport markers above to the support team or GitHub issue\."),
    Answer("cert", r"Wrote public cert to (?P<x>\S.*)", "certificate written to {x}"),
    Answer("cert", r"Wrote private key to (?P<x>\S.*)", "private key written to {x}"),
    Answer("cert", r"Public cert unchanged at (?P<x>\S.*)", "certificate already current, nothing written ({x})"),
    Answer("cert", r"Private key unchanged at (?P<x>\S.*)", "private key already current, nothing written ({x})"),
    # (web.go's "web server running on:" is the web-start view's, webstart.py)
    Answer(
        "file get", r"wrote (?P<x>.+) as (?P<y>.+) \((?P<n>\d+) bytes\)", "received file {x} saved as {y} ({n} bytes)"
    ),
    Answer("file get", r"moved (?P<x>\d+)/(?P<y>\d+) files", "moved {x} of {y} received files"),
    Answer(
        "update",
        r"Current: (?P<x>\d+\.\d+\.\d+\S*), Latest: (?P<y>\d+\.\d+\.\d+\S*)",
        "installed {x}, newest available {y}",
    ),
    # clientupdate.go confirm: the updater's latest version is not newer than the installed one (updateoffer.py reads
    # it beside a package manager that offers a newer one)
    Answer(
        "update",
        r"already running (?P<t>\S+) version (?P<x>\d+\.\d+\.\d+\S*); no update needed",
        "already running the latest {t} version {x}: nothing to update",
    ),
    Answer(
        "update",
        r"installed (?P<t>\S+) version (?P<x>\d+\.\d+\.\d+\S*) is newer than the latest available version "
        r"(?P<y>\d+\.\d+\.\d+\S*); no update needed",
        "installed {t} version {x} is newer than the latest available {y}: nothing to update",
    ),
    Answer(
        "update",
        r"Updating Tailscale from (?P<x>\S+) to (?P<y>\S+); --yes given, continuing without prompts\.",
        "updating from {x} to {y}",
    ),
    Answer(
        "configure kubeconfig",
        r"kubeconfig configured for \"(?P<x>[^\"]+)\" at URL \"[^\"]+\"",
        "kubeconfig entry for {x} written",
    ),
    Answer("web", r"starting tailscaled web client at \S+|stopping tailscaled web client"),
    Answer("debug via", r"site \d+ \(0x[0-9a-f]+\), \S+"),
    Answer(
        "debug local-creds",
        r"curl -u:\S+ http://localhost:\d+/localapi/v0/status"
        r"|curl --unix-socket \S+ http://local-tailscaled\.sock/localapi/v0/status",
    ),
    Answer(
        "debug component-logs",
        r"Enabled debug logs for component \"(?P<x>[^\"]+)\" for (?P<y>\S+)",
        "debug logs of {x} on for {y}",
    ),
    Answer("debug component-logs", r"Disabled debug logs for component \"(?P<x>[^\"]+)\"", "debug logs of {x} off"),
    Answer("metrics print", r"# (?:TYPE|HELP) tailscaled?_\w+ .*"),
    Answer("metrics print", r"tailscaled?_\w+(?:\{[^{}]*\})? (?:-?[\d.e+-]+|NaN)"),
    Answer("switch", r"Switching to account \"(?P<x>.*)\"", "switching to account {x}"),
    Answer("switch", r"Already on account \"(?P<x>.*)\"", "already on account {x}, nothing changed"),
    # dns query's, also after a failed response code (read on its own)
    Answer("dns query", r"No answers were returned\.", "no DNS answers"),
    # debug-capture.go (stderr), before the pcap streams
    Answer("debug capture", r"Press Ctrl-C to stop the capture\.", "packet capture running"),
    # configure-synology.go (also as configure-host, v1.22+): DSM7's setcap done, DSM6's tun device ready
    Answer("configure synology", r"Done\. To restart Tailscale to use the new permissions, run:"),
    Answer("configure synology", r"sudo synosystemctl restart pkgctl-Tailscale\.service"),
    Answer("configure synology", r"/dev/net/tun exists and has permissions 0666\. Skipping setcap on DSM6\."),
    # configure-synology-cert.go (under Go's log stamp), configure-jetkvm.go, configure-pve-appliance.go
    Answer(
        "configure synology-cert",
        r"Tailnet Certificate uploaded with ID \"(?P<x>.*)\"\.",
        "certificate uploaded to DSM ({x})",
    ),
    Answer("configure synology-cert", r"Ignoring supplied domain \".*\", TLS certificate will be created for \".*\"\."),
    Answer("configure jetkvm", r"Done\. Now restart your JetKVM\."),
    Answer("configure pve-appliance", r"About to create Proxmox VM \d+ \(\".*\"\) on storage \".*\" from \S.*"),
    Answer("configure pve-appliance", r"cores=\d+ memory=\d+MiB bridge=\S+ disk=\S+ start=(?:true|false)"),
    Answer("configure pve-appliance", r"VM \d+ started\.|VM \d+ created; not started \(pass --start to auto-start\)\."),
    Answer("configure pve-appliance", r"Including SSH authorized_keys for breakglass access\."),
    # read by the coverage sweep (tests/diagnose/cli_sweep.py) at de9ec7ee2: service.go's empty list,
    # routecheck.go's report title, debug.go's profiles, localapi's request notes (stderr) and the event bus
    # stream ("[count]["type"][from: "x"][to: "y"] event"), tailnet-lock.go's `lock init` prompt and result
    # (the disablement secrets it prints once are never repeated: the lines are dropped unread)
    Answer(
        "service list", r"No Tailscale Services are available to this node\.", "no Tailscale Services for this node"
    ),
    Answer("routecheck", r"Reachable routers at \S.*:"),
    Answer("debug", r"Capturing CPU profile for \S+ seconds \.\.\.|Capturing memory profile \.\.\."),
    Answer("debug", r"CPU profile written to (?P<x>\S.*)", "profile written to {x}"),
    Answer("debug", r"Memory profile written to (?P<x>\S.*)", "profile written to {x}"),
    Answer("debug localapi", r"# doing request [A-Z]+ /localapi/\S*|# reading request body from stdin\.\.\."),
    Answer("lock init", r"You are initializing (?:tailnet|network) lock with the following trusted signing keys:"),
    Answer("lock init", r"A disablement secret will be generated and transmitted to Tailscale support\."),
    Answer("lock init", r"If this is correct, please re-run this command with the --confirm flag:"),
    Answer("lock init", r"disablement-secret:[0-9A-Fa-f]+"),
    Answer("lock init", r"Initialization complete\.", "tailnet lock initialised"),
    # tailnet-lock.go runNetworkLockRemove (v1.36+): the user answered no to its prompt; nothing was removed, exit 0
    Answer("lock remove", r"aborting removal of signing key\(s\)", "removal aborted at the prompt, nothing removed"),
)
# answers that say what they mean only under the command that printed them: one word the CLI prints for several
# commands ("Success." is also prose's, so a bare one stays unread). up.go (runUp, also `tailscale login`) prints it
# once the login or approval it waited for went through and the node runs with the new settings (v1.0+); switch.go
# once the account switched to is running (v1.34+); serve/funnel's enablement prompt once the feature was enabled
# (serve.go v1.50+, serve_legacy.go). `set` prints nothing on success.
_ANSWERS_UNDER_COMMAND: tuple[Answer, ...] = (
    Answer("up", r"Success\.", "logged in, settings applied"),
    Answer("login", r"Success\.", "logged in, settings applied"),
    Answer("switch", r"Success\.", "switched, the account is connected"),
    Answer("serve", r"Success\.", "the feature was enabled for the tailnet"),
    Answer("funnel", r"Success\.", "the feature was enabled for the tailnet"),
)
# a named group as a non-capturing one: `re` rejects a group name twice in one pattern, and the splitter's alternation
# (one per first character, so that a prose line costs one short match at most) captures nothing
_NAMED_GROUP = re.compile(r"(?<!\\)\(\?P<\w+>")


def _ungrouped(pattern: str) -> str:
    return _NAMED_GROUP.sub("(?:", pattern)


_GROUPED: dict[str, list[str]] = {}
for _answer in _ONE_LINE_ANSWERS:
    _GROUPED.setdefault(_answer.pattern[0], []).append(_ungrouped(_answer.pattern))
_BY_FIRST = {first: re.compile(f"(?:{'|'.join(answers)})$") for first, answers in _GROUPED.items()}
_STAMP = lazy_compile(rf"{GO_STAMP} ")  # the CLI's own log.Printf (cert, web)


def _one_line(text: str) -> bool:
    if text[0].isdigit():
        stamp = _STAMP.match(text)
        if stamp is None:
            return False
        text = text[stamp.end() :]
    pattern = _BY_FIRST.get(text[:1])
    return pattern is not None and pattern.match(text) is not None


def without_stamp(text: str) -> str:
    """An answer's text without the Go log stamp the CLI's log.Printf puts before some (cert, web, profiles)."""
    stamp = _STAMP.match(text) if text[:1].isdigit() else None
    return text if stamp is None else text[stamp.end() :]


# the commands whose answer IS a secret (a bearer token, the LocalAPI's credentials, a variable's value, the tailnet
# lock's disablement secrets): recognised so that it is never repeated, shown only by its command
SECRET_ANSWER_COMMANDS = ("id-token", "debug local-creds", "debug env")
SECRET_ANSWER_PREFIXES = ("disablement-secret:", "eyJ", "curl ")


@lru_cache(maxsize=1)
def _answer_patterns() -> tuple[tuple[Answer, re.Pattern[str]], ...]:
    """Each answer's own pattern, its groups kept (compiled on first use: only the cli-answer view asks)."""
    answers = (*_ONE_LINE_ANSWERS, _DNS_QUERY_HEAD)
    return tuple((answer, re.compile(f"(?:{answer.pattern})$")) for answer in answers)


@lru_cache(maxsize=256)
def _command_answers(command: str) -> tuple[tuple[Answer, re.Pattern[str]], ...]:
    """The answers of _ANSWERS_UNDER_COMMAND that the typed ``command`` prints: worked out once per typed command."""
    return tuple(
        (answer, re.compile(f"(?:{answer.pattern})$"))
        for answer in _ANSWERS_UNDER_COMMAND
        if typed_tailscale_command(answer.command).search(command)
    )


def answer_says(text: str, command: str | None = None) -> str | None:
    """What the answer ``text`` (without its log stamp) says in plain words, or None: the table has no words for it (the
    command did what it does). ``command``, the typed command line, words the answers that need it ("Success.")."""
    for answer, pattern in _command_answers(command) if command else ():
        if answer.says is not None and pattern.match(text):
            return answer.says
    for answer, pattern in _answer_patterns():
        if answer.says is not None and (match := pattern.match(text)) is not None:
            return answer.says.format(**match.groupdict())
    return None


# the answers of more than one line, by the command that prints them (the first line says which)
_FIRST_LINE_COMMANDS = (
    ("DNS query for ", "dns query"),
    ("update ", "lock log"),
    ("Tailscale wouldn't be possible", "licenses"),
    ("name ", "drive list"),
    ("Name ", "dns query"),
    ("eyJ", "id-token"),
    ("[SystemDial]", "debug dial-types"),
    ("[UserDial]", "debug dial-types"),
    ("[PeerDial]", "debug dial-types"),
    ("[BareDial]", "debug dial-types"),
    ("[", "debug daemon-bus-events"),
    ("NAME", "get"),
    ("Usage: tailscale cert", "cert"),
)


def answering_command(text: str) -> str | None:
    """The command (``cert``, ``switch``, ``update``, ``file get``, …) whose routine answer starts with ``text``, as
    the answer itself says it, or None when only the typed command can say (the answers read under their command)."""
    text = without_stamp(text)
    for answer, pattern in _answer_patterns():
        if pattern.match(text):
            return answer.command
    if " => " in text and _METRIC_WATCH.match(text):
        return "debug metrics"
    if ": " in text and (_STAT.match(text) or _STAT_ERROR.match(text)):
        return "debug stat"
    return next((command for first, command in _FIRST_LINE_COMMANDS if text.startswith(first)), None)


# answers that say nothing about themselves: read only under their command (compiled on first use: most pastes type
# none of these commands)
_UNDER_COMMAND = (
    (typed_tailscale_command(r"debug\s+via"), lazy_compile(r"^fd7a:115c:a1e0:b1a:[0-9a-f:]+/\d+$")),
    (typed_tailscale_command(r"syspolicy\s+list"), lazy_compile(r"^No policy settings$")),
    # debug.go: peer-endpoint-changes with no change recorded (a nil ring as JSON)
    (typed_tailscale_command(r"debug\s+peer-endpoint-changes"), lazy_compile(r"^null$")),
    # debug.go runDebugResolve: the addresses net.DefaultResolver found, one a line
    (
        typed_tailscale_command(r"debug\s+resolve"),
        lazy_compile(r"^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]+)$"),
    ),
    # debug.go runPrintStateDir: tailscaled's state directory
    (typed_tailscale_command(r"debug\s+statedir"), lazy_compile(r"^(?:/\S*|[A-Za-z]:\\.*)$")),
    # debug.go runGoBuildInfo: debug.BuildInfo's text (tab-separated: go, path, mod, dep, =>, build)
    (typed_tailscale_command(r"debug\s+go-buildinfo"), lazy_compile(r"^(?:go|path|mod|dep|=>|build) \S.*$")),
    # appcroutes.go (2025-09+): --all's section titles, --n's count, the per-domain summary "domain  N"
    (
        typed_tailscale_command(r"appc-routes"),
        lazy_compile(r"^(?:Learned Routes|Routes from Policy|=+|\d+|not a connector|[\w.-]+\.[a-z]{2,} +\d+)$"),
    ),
    # debug.go runEnv: the CLI's environment, KEY=VALUE (never repeated: a value may be a key)
    (typed_tailscale_command(r"debug\s+env"), lazy_compile(r"^[A-Za-z_][A-Za-z0-9_]*=.*$")),
    # get.go (2026-06+): one setting's raw value (true/false, a name, a comma-separated list, empty prints nothing)
    (typed_tailscale_command(r"get\s+[a-z][\w-]*"), lazy_compile(r"^\S+$")),
    # routecheck.go: the report's header and "prefix  ip  hostname" rows (the title is a one-line answer)
    (typed_tailscale_command(r"routecheck"), lazy_compile(r"^(?:PREFIX\s+IP\s+HOSTNAME|\S+/\d+\s+\S+\s+\S+)$")),
    # service.go (2026-07+): the "IP  HOSTNAME  DISPLAY NAME  ENDPOINTS  TYPE" table, "-" for an empty cell
    (typed_tailscale_command(r"service\s+list"), lazy_compile(r"^\S+(?: {2,}\S.*?){3,}$")),
    # tailnet-lock.go runNetworkLockRemove (--re-sign=false on a terminal): the warning and the yes/no prompt
    (
        typed_tailscale_command(r"lock\s+remove"),
        lazy_compile(
            r"^(?:Warning|Removal of a signing key\(s\) without resigning nodes \(--re-sign=false\)"
            r"|will cause any nodes signed by the given key\(s\) to be locked out"
            r"|of the Tailscale network\. Proceed with caution\."
            r"|Are you sure you want to remove the signing key\(s\)\?(?: \[[Yy]/[Nn]\])?\s*\S*)$"
        ),
    ),
    # tailnet-lock.go runNetworkLockInit: each key the tailnet lock is initialised with
    (
        typed_tailscale_command(r"lock\s+init"),
        lazy_compile(
            r"^(?:- (?:tlpub|nlpub):[0-9a-f]+ \(\w+ key\)|\d+ disablement secrets will be generated\."
            r"|\d+ disablement secrets have been generated and are printed below\. Take note of them now, they WILL"
            r" NOT be shown again\.)$"
        ),
    ),
    # debug.go: the DOT form of the event bus graph (`daemon-bus-graph --format=dot`)
    (
        typed_tailscale_command(r"debug\s+daemon-bus-graph"),
        lazy_compile(
            r'^(?:(?:di)?graph\b.*\{|\}|"[^"]*"(?: -> "[^"]*")?(?: \[[^\]]*\])?;?|\w+ ?\[[^\]]*\];?|\w+=\S+;?)$'
        ),
    ),
    # debug.go: reload-config's success, revoke-keys' and test-risk's last line
    (typed_tailscale_command(r"debug\s+reload-config"), lazy_compile(r"^config reloaded$")),
    (typed_tailscale_command(r"lock\s+revoke-keys"), lazy_compile(r"^Recovery completed\.$")),
    (typed_tailscale_command(r"debug\s+test-risk"), lazy_compile(r"^did-test-risky-action$")),
)  # fmt: skip
# debug.go runDaemonBusEvents (v1.86+): one line per event, "[count]["type"][from: "x"][to: "y"] event"
_BUS_EVENT = lazy_compile(r'^\[\d+\]\["[^"]*"\]\[from: "[^"]*"\]\[to: "[^"]*"\] .*$')
# debug.go runDebugDialTypes → localapi serveDebugDialTypes: one line per dialer
_DIAL_TYPES = lazy_compile(r"^\[(?:SystemDial|UserDial|PeerDial|BareDial)\] connected=(?:true|false) err=.*$")
# JSON answers read whole under their command: debug control-knobs, peer-relay-servers (DebugResultJSON), appc-routes
# (and, from the coverage sweep: debug daemon-bus-graph, debug localapi's answer, dns query --json, lock log --json,
# service list --json, routecheck --json)
_JSON_ANSWER_COMMAND = typed_tailscale_command(
    r"(?:debug\s+(?:control-knobs|peer-relay-servers|daemon-bus-graph|localapi)|appc-routes|dns\s+query|lock\s+log"
    r"|service\s+list|routecheck)"
)
_MAX_JSON_DEPTH = 64


# id-token.go: the OIDC ID token (a JWT: a bearer credential, recognised so that it is never repeated)
_JWT = lazy_compile(r"^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$")
# get.go (2026-06+): `tailscale get --all`'s tabwriter table, "NAME  VALUE" then "<setting>  <value>" rows
_GET_HEADER = lazy_compile(r"^NAME\s+VALUE$")
_GET_ROW = lazy_compile(r"^[a-z][a-z0-9-]*(?:\s+\S.*)?$")
# debug.go runStat: "<path>: <Go FileMode>, <size>", a directory's first 25 entries ("- name", then "..."), or the
# lstat error for a path that is not there
_STAT = lazy_compile(r"^\S+: [dalTLDpSugct?-]*[rwxsStT-]{9}, \d+$")
_STAT_ENTRY = lazy_compile(r"^(?:- \S.*|\.\.\.)$")
_STAT_ERROR = lazy_compile(r"^(?P<path>\S+): lstat (?P=path): .+$")
# debug.go runDaemonMetrics --watch: "<name> <+delta> => <value>" per changed client metric
_METRIC_WATCH = lazy_compile(
    r"^(?:magicsock|controlclient|derp|netcheck|portmap|dns|health|netmon|tstun|peerapi|localapi|wgengine|ipnlocal"
    r"|netstack|tailscaled)_[a-z0-9_]* +[+-]\d+ => -?\d+$"
)
# tables: a header, a line of dashes, rows up to a blank line
_TABLE_HEADERS = (
    (re.compile(r"^name\s+path\s+as$"), re.compile(r"^-+\s+-+\s+-+$")),  # drive list
    (re.compile(r"^Name\s+TTL\s+Class\s+Type\s+Body$"), re.compile(r"^-+\s+-+\s+-+\s+-+\s+-+$")),  # dns query
)
# dns-query.go: the first line of `dns query`'s answer (its resolvers, response code and answer table follow)
_DNS_QUERY_HEAD = Answer(
    "dns query", r'DNS query for "(?P<x>.*)" \((?P<y>\w+)\) using internal resolver:', "DNS answer for {x} ({y})"
)
_DNS_QUERY = lazy_compile(f"^{_DNS_QUERY_HEAD.pattern}$")
_DNS_QUERY_LINE = lazy_compile(
    r"^(?:Forwarding to resolver: \S.*|Multiple resolvers available:|- \S.*"
    # SERVFAIL and REFUSED are failures, read by the CLI catalog (families_a.py), not routine
    r"|Response code: (?!RCodeServerFailure$|RCodeRefused$)\w+"
    r"|No answers were returned\.|\(no answers found\))$"
)
# `tailscale licenses` (licenses.go): four lines of text and the URL
_LICENSES = "Tailscale wouldn't be possible without the contributions of thousands of open"
_LICENSES_LINE = lazy_compile(
    r"^(?:source developers\. To see the open source packages included in Tailscale and"
    r"|their respective license information, visit:|https://tailscale\.com/licenses/\S+)$"
)
# the URL `tailscale up`/`login` prints under "To authenticate, visit:" (Tailscale's /a/<code>, Headscale's
# /register/<key>): the prompt's own line is read as the status it is; the URL below it is part of it
_AUTH_PROMPT = "To authenticate, visit:"
_AUTH_URL = lazy_compile(r"^https?://\S+/(?:a|register)/\S+$")
_AUTH_LOOKBACK = 3
# `tailscale lock log` (tailnet-lock.go nlDescribeUpdate): one stanza per update, "update <hash> (<change>)" (the hash
# in hex before 2025-06, base32 since) and the key it adds, removes or updates, or a checkpoint's whole state
_LOCK_UPDATE = lazy_compile(
    r"^update (?:[0-9a-f]{64}|[A-Z2-7]{52}) \((?:add-key|remove-key|update-key|checkpoint|no-op|invalid|AUM\?<\d+>)\)$"
)
_LOCK_LOG_LINE = lazy_compile(
    r"^(?:Disablement values:|Keys:|- [0-9a-f]{64}|Type: \S+|KeyID: (?:tlpub:|nlpub:)?[0-9a-f]+|KeyID: <Error: .*>"
    r"|Votes: \d+|Metadata: .*|State: .*)$"
)
_MAX_ROWS = 2000


def _table_end(lines: Sequence[SourceLine], start: int) -> int | None:
    text = lines[start].text
    for header, dashes in _TABLE_HEADERS:
        if header.match(text) is None:
            continue
        below = start + 1
        if below >= len(lines) or dashes.match(lines[below].text) is None:
            return None
        end = below
        for index in range(below + 1, min(len(lines), below + _MAX_ROWS)):
            if not lines[index].text or lines[index].command is not None:
                break
            end = index
        return end
    return None


def _dns_query_end(lines: Sequence[SourceLine], start: int) -> int:
    end = start
    for index in range(start + 1, min(len(lines), start + _MAX_ROWS)):
        line = lines[index]
        if line.command is not None:
            break
        if not line.text:
            continue
        if _DNS_QUERY_LINE.match(line.text):
            end = index
        elif (table := _table_end(lines, index)) is not None:
            return table
        else:
            break
    return end


def cli_answer_end(lines: Sequence[SourceLine], start: int, command: str | None) -> int | None:
    """The index of the last line of a routine CLI answer starting at ``lines[start]``, or None: none starts there."""
    text = lines[start].text
    if _one_line(text):
        return start
    if text[0] == "D" and _DNS_QUERY.match(text):
        return _dns_query_end(lines, start)
    if text[0] == "u" and _LOCK_UPDATE.match(text):
        end = start
        for index in range(start + 1, min(len(lines), start + _MAX_ROWS)):
            line = lines[index]
            if line.command is not None:
                break
            if line.text:
                if not (_LOCK_UPDATE.match(line.text) or _LOCK_LOG_LINE.match(line.text)):
                    break
                end = index
        return end
    if text == _LICENSES:
        end = start
        for index in range(start + 1, min(len(lines), start + 6)):
            if lines[index].text and _LICENSES_LINE.match(lines[index].text) is None:
                break
            end = index if lines[index].text else end
        return end
    if text[:4] == "http":
        above = [line.text for line in lines[max(0, start - _AUTH_LOOKBACK) : start] if line.text]
        if above and above[-1] == _AUTH_PROMPT:
            # with the rest of it on the lines below when a terminal cut it at its width
            end = url_tail_end(lines, start)
            if _AUTH_URL.match("".join(line.text for line in lines[start : end + 1])):
                return end
    if text[:4] in ("name", "Name") and (table := _table_end(lines, start)) is not None:
        return table
    if ": " in text:
        if _STAT.match(text):
            end = start
            for index in range(start + 1, min(len(lines), start + 28)):
                if lines[index].command is not None or not _STAT_ENTRY.match(lines[index].text):
                    break
                end = index
            return end
        if ": lstat " in text and _STAT_ERROR.match(text):
            return start
    if " => " in text and _METRIC_WATCH.match(text):
        return start
    if text[:3] == "eyJ" and _JWT.match(text):
        return start
    if text[0] == "[" and (_DIAL_TYPES.match(text) or _BUS_EVENT.match(text)):
        return start
    if text[0] in "[{" and command is not None and _JSON_ANSWER_COMMAND.search(command):
        return json_value_end(lines, start, _MAX_ROWS * 10, _MAX_JSON_DEPTH)
    if text[:4] == "NAME" and _GET_HEADER.match(text):
        end = start
        for index in range(start + 1, min(len(lines), start + _MAX_ROWS)):
            line = lines[index]
            if line.command is not None or not line.text or _GET_ROW.match(line.text) is None:
                break
            end = index
        return end
    if command is not None:
        for answer in _answers_under(command):
            if answer.match(text):
                return start
        if any(pattern.match(without_stamp(text)) for _, pattern in _command_answers(command)):
            return start
    if text == _CERT_USAGE:
        return _cert_name_answer_end(lines, start)
    return None


# cert.go: `tailscale cert` run without its domain prints its usage and, when the tailnet has HTTPS certificates,
# the name(s) this node may ask for ("For domain, use "nas.tail1234.ts.net"." / "Valid domain options: […]."). People
# run it bare to learn that name: when a later prompt runs `tailscale cert <name>`, the two lines were that answer
# (the certificate's outcome is what the later command printed); otherwise the hint stays a usage error (windows.py).
_CERT_USAGE = "Usage: tailscale cert [flags] <domain>"


def _cert_name_answer_end(lines: Sequence[SourceLine], start: int) -> int | None:
    hint = next((i for i in range(start + 1, min(len(lines), start + 3)) if lines[i].text), None)
    if hint is None or lines[hint].command is not None or CERT_NAME_HINT.search(lines[hint].text) is None:
        return None
    later = (line.command for line in lines[hint + 1 :] if line.command is not None)
    return hint if any(CERT_REQUEST.search(command) for command in later) else None


@lru_cache(maxsize=256)
def _answers_under(command: str) -> tuple[LazyPattern, ...]:
    """The answers of _UNDER_COMMAND that ``command`` prints: worked out once per typed command, not per line."""
    return tuple(answer for typed, answer in _UNDER_COMMAND if typed.search(command))


def continues_login_prompt(text: str) -> bool:
    """The answer starting with ``text`` is the login URL under `up`/`login`'s "To authenticate, visit:" (read with
    that prompt, a login pending), not an answer of its own."""
    return text[:4] == "http"


def heads_a_failure(lines: Sequence[SourceLine], end: int) -> bool:
    """The answer ending at ``lines[end]`` is the head of a failed one: `dns query`'s header and resolvers, then a
    failed response code (SERVFAIL, REFUSED: the CLI catalog's) — part of that failure, not a routine answer."""
    below = next((line for line in lines[end + 1 : end + 4] if line.text), None)
    return (
        below is not None
        and below.command is None
        and below.text.startswith("Response code: ")
        and _DNS_QUERY_LINE.match(below.text) is None
    )
