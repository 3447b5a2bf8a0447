"""Small recognisers, one per tailscaled subsystem, turning a log message into events.

Each recogniser names the words its messages always contain (the cheap prefilter: most lines of a
big paste contain none of them) and a function from the message to events. An event either raises an
issue (``Raise``: kind from the vocabulary of docs/diagnose.md, a key such as the DERP region or the
peer, a detail), clears one (``Clear``: a later success for the same kind and key, or a health
warnable logging ``ok``), or states a fact (``Fact``: ipn state, home DERP, userspace networking, a
peer's direct endpoint, a restart). The fold (fold.py) decides what still holds at the end.

Message formats are tailscaled's own (wgengine/magicsock, derp/derphttp, control/controlclient,
net/dns, wgengine/router + util/linuxfw, net/tstun, ipn/store, health, ipn/ipnlocal, logtail,
wgengine/filter, cmd/tailscaled), as they appear in public pastes from v1.0 to v1.9x.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.phrases import any_word_pattern
from opskit.core.diagnose.regions import PUBLIC_REGIONS
from opskit.core.diagnose.text import TAILNET_V4_PREFIX, TAILNET_V6_PREFIX
from opskit.core.diagnose.windows import API_KEY_REFUSED, NOT_A_NODE_AUTH_KEY, TAGS_NOT_PERMITTED


@dataclass(frozen=True)
class Raise:
    """An issue seen on this line: ``kind`` (vocabulary), ``key`` (what it is about), ``detail``."""

    kind: str
    key: str
    detail: str
    origin: str = ""  # the health warnable that raised it ("" = a log message)
    weak: bool = False  # one line alone is not enough (one-off DNS failures happen): needs two
    # kinds (space-separated) that, still holding at the end, explain this one away (login attempts vs control)
    unless: str = ""
    twin: str = ""  # the warnable set together with this message (one event logged twice, counted once)
    # what it is instead when the engine was bringing its router up as it failed (fold.py: a bare engine error
    # names no subsystem; the stage line logged before it does)
    in_router: str = ""


@dataclass(frozen=True)
class Clear:
    """A later success: clears ``kind`` for ``key`` (None: every key), or everything a warnable raised."""

    kind: str | None
    key: str | None = None
    origin: str = ""


@dataclass(frozen=True)
class Fact:
    """Something the report states: ``name`` in state, home, userspace, peer, restart, hand, stopping, dump."""

    name: str
    value: str
    extra: str = ""


Event = Raise | Clear | Fact


@dataclass(frozen=True)
class Recogniser:
    """A subsystem's messages: the words they always contain, and the function that reads them."""

    subsystem: str
    words: tuple[str, ...]
    read: Callable[[str], Iterator[Event]]


# ------------------------------------------------------------------------------------------- helpers

_X509_UNKNOWN = lazy_compile(r"x509: (?:certificate signed by unknown authority|.*certificate is not trusted)")
_X509_CLOCK = lazy_compile(r"x509: certificate has expired or is not yet valid|current time \S+ is (?:before|after)")


def _tls(detail: str) -> Iterator[Event]:
    """TLS failures say why on any connection: interception (unknown CA) or a wrong clock."""
    if _X509_UNKNOWN.search(detail):
        yield Raise("tls-intercepted", "tls", detail)
    elif _X509_CLOCK.search(detail):
        yield Raise("clock-skew", "clock", detail)


# ---------------------------------------------------------------------------------------- DERP relay

# derphttp names the region "region %d (%v)" (ID and code, derphttp_client.go targetString); a paste may redact
# either or both ("region xxx: ", "region 900 (***)", "region <id>: "), or the whole target with the error after it
# ("derphttp.Client.Recv connect to derp-node", "… connect to [REDACTED]": a failed connect all the same).
_DERP_FAIL = lazy_compile(
    r"connect to region (?P<id>[^\s(:]+)(?: \((?P<code>[^)]*)\))?: (?P<error>.+?)(?:\"\))?$"
    r"|derphttp\.Client\.\w+ connect to (?P<redacted>derp-[^\s:]+|<[^<>]*>|\[[^\[\]]*\]|\*+|x+)(?:: (?P<error2>.+?))?$"
)
# magicsock opening a DERP connection to reach a peer whose home that region is ("magicsock: adding connection to
# derp-1 for [Zopo7]"): the peer is talked to over DERP; derphttp names the region ("connecting to derp-1 (nyc)").
_PEER_VIA_DERP = lazy_compile(r"adding connection to derp-(?P<id>\d+) for \[(?P<key>[^\]]+)\]")
_DERP_NAMED = lazy_compile(r"connecting to derp-(?P<id>\d+) \((?P<code>[\w-]+)\)")
_DERP_OK = lazy_compile(r"magicsock: derp-(?P<id>[^\s;]+) connected")
# The receive loop of an established connection ending ("derp.Recv(derp-4): derp.Recv: EOF"; v0.9x named the
# region by host, "derp.Recv(derp2)"). One drop is routine (a server restart); repeated drops with no
# "derp-N connected" after them say the connection never stays up. A close tailscaled asked for is not one.
# A redaction may take the region with it ("magicsock: derp.Recv: read tcp6 [REDACTED] failed"): region "?".
_DERP_RECV = lazy_compile(r"derp\.Recv(?:\((?:derp-?)?(?P<id>[^\s()]+)\))?: (?P<error>.+)$")
_DERP_RECV_HARMLESS = ("connect to region", "closed", "context canceled", "zero-private-key", "network down, closing")
# "magicsock: 2 active derp conns: derp-4=cr4ms,wr4ms derp-6=cr0s,wr0s": each listed region is connected.
_ACTIVE_CONN = lazy_compile(r"derp-(\d+)=cr")
_HOME = lazy_compile(
    r"home is now derp-(?P<id>\d+)(?: \((?P<code>[^)]*)\))?|reconnecting to home derp-(?P<id2>\d+)"
    r"|derp-(?P<id3>\d+) for home-keep-alive|NetInfo\{.*\bderp=#(?P<id4>\d+)|(?:report|netcheck): .*\bderp=(?P<id5>\d+)"
    # magicsock's setPeerLastDerpLocked names the region a peer's packets came through, "our home"/"shared home" when
    # it is this node's home ("[v1] magicsock: derp route for [lvsTt] set to derp-7 (our home)"; on a change,
    # "changed from derp-4 => derp-7 (…)"); "their home" and "alt" say nothing of ours
    r"|derp route for \S+ (?:set to|changed from derp-\d+ =>) derp-(?P<id6>\d+) \((?:our|shared) home\)"
)


def _derp(message: str) -> Iterator[Event]:
    if (fail := _DERP_FAIL.search(message)) is not None:
        if (redacted := fail.group("redacted")) is not None:
            # the key a success would name the same redacted target by ("magicsock: derp-node connected")
            error = fail.group("error2") or "connect failed"
            yield Raise("derp-unreachable", redacted.removeprefix("derp-"), f"{redacted} (redacted): {error}")
            yield from _tls(error)
            return
        error = fail.group("error")
        code = fail.group("code")
        target = f"region {fail.group('id')}" + (f" ({code})" if code else "")
        yield Raise("derp-unreachable", fail.group("id"), f"{target}: {error}")
        if code:
            yield Fact("derp-code", fail.group("id"), code)
        yield from _tls(error)
        return
    if (recv := _DERP_RECV.search(message)) is not None and not any(
        w in recv.group("error") for w in _DERP_RECV_HARMLESS
    ):
        region = recv.group("id") or "?"
        yield Raise(
            "derp-unreachable",
            region,
            f"region {region}: the connection keeps dropping ({recv.group('error')})",
            weak=True,
        )
        return
    if (via := _PEER_VIA_DERP.search(message)) is not None:
        yield Fact("peer-derp", via.group("key"), via.group("id"))
        yield Clear("peer-key-unknown", via.group("key"))  # in the netmap: a relay path to it is set up
        return
    if (named := _DERP_NAMED.search(message)) is not None:
        yield Fact("derp-code", named.group("id"), named.group("code"))
    if (ok := _DERP_OK.search(message)) is not None:
        yield Clear("derp-unreachable", ok.group("id"))
        yield Clear("derp-send-queue-full", ok.group("id"))  # a fresh connection starts with an empty queue
        # magicsock dials a region only for its home or for a peer ("adding connection to derp-N for [key]"): a
        # connected region no peer asked for is the home, when the log names it no other way (fold decides)
        yield Fact("derp-connected", ok.group("id"))
    elif "active derp conns: " in message:
        for region in _ACTIVE_CONN.findall(message):
            yield Clear("derp-unreachable", region)
    if (home := _HOME.search(message)) is not None:
        region = next(g for g in home.group("id", "id2", "id3", "id4", "id5", "id6") if g)
        if region != "0":  # derp=0 / derp=#0: no home chosen yet (no STUN answer), not a region
            yield Fact("home", region, home.group("code") or "")
        elif home.group("id5"):
            yield Fact("netcheck-no-derp", "0")  # the report: no region answered a probe


# magicsock hands a packet for a DERP region to that region's writer through a small queue; when the writer cannot
# keep up (the relay connection stalled or too slow) it drops the packet after three tries and returns
# errDropDerpPacket, "too many DERP packets queued; dropping" (wgengine/magicsock, since v0.9x). wireguard-go logs it
# per data packet ("[xI8Q9] - Failed to send data packet too many DERP packets queued; dropping", since v1.4
# "peer(xI8Q9…) - Failed to send data packets: …", silenced by wglog in later versions), disco per message
# ("magicsock: disco: failed to send ping to 127.3.3.40:1 [xI8Q9]: …": the magic IP's port is the region ID).
_DERP_QUEUE_FULL = lazy_compile(r"too many DERP packets queued; dropping")
_QUEUE_PEER = lazy_compile(
    r"(?:\[(?P<key>[^\]\s]+)\]|peer\((?P<key2>[^)\s]+)\)) - Failed to send data packet"
    r"|127\.3\.3\.40:(?P<region>\d+) \[(?P<key3>[^\]\s]+)\]:"
)


def _derp_queue(message: str) -> Iterator[Event]:
    if _DERP_QUEUE_FULL.search(message) is None:
        return
    peer = _QUEUE_PEER.search(message)
    region = (peer.group("region") if peer else None) or "?"
    # one dropped packet in a burst happens; repeated, the region's connection is backed up
    yield Raise("derp-send-queue-full", region, message, weak=True)
    if peer is not None and (key := peer.group("key") or peer.group("key2") or peer.group("key3")):
        yield Fact("peer-derp", key, region)


# ----------------------------------------------------------------------------- control / coordination

_CONTROL_FAIL = lazy_compile(
    r"(?:Received error: |PollNetMap: (?!stream=)|map response long-poll timed out|"
    r"unable to connect to the Tailscale coordination server|fetch control key: |TryLogin: |lite map update error)"
    r"(?P<error>.*)$"
)
# The map poll's long-lived response stream ending after control answered: Go's body read gives a bare io error
# ("PollNetMap: unexpected EOF", "PollNetMap: EOF"; HTTP/2: "stream error", "server sent GOAWAY") while a request
# that never got an answer is wrapped as "Post \"…/map\": …". mapRoutine (controlclient/auto.go) reports the error
# and polls again after a backoff: one reset is routine (a server restart, a load balancer's idle timeout), only
# repeats with nothing between them say control stays lost.
_MAP_STREAM_ENDED = lazy_compile(
    r"PollNetMap: (?:unexpected EOF|EOF|http2: (?:server sent GOAWAY|stream error|response body closed)|"
    r"stream error: |read tcp \S+: (?:read: )?connection reset by peer)"
)
# A map response arriving says the map poll works (whatever health error came before it): controlclient's
# "[v1] mapRoutine: netmap received: …" (v1.0 on), its "netmap: …" progress lines (not "netmap: Do: <error>" nor a
# read error), and LocalBackend's "netmap diff:" / "[v1] netmap diff: (none)" (ipn/local.go, ipnlocal/local.go,
# v1.0 on), logged for every new netmap it is handed.
_CONTROL_OK = lazy_compile(
    r"control: (?:\[v\d\] )?(?:control server key from|RegisterReq: got response"
    r"|netmap: (?!Do: |encode: |(?:size|body) read error|decode error)"
    r"|mapRoutine: (?:state:synchronized|netmap received)|PollNetMap: stream=)|Switching ipn state \w+ -> Running"
    r"|^PollNetMap: stream="  # v0.9x (early 2020) logged controlclient's messages without "control: "
    r"|^(?:\[v1\] )?(?:mapRoutine: netmap received|netmap diff:)"
)
# controlclient's map poll progress before it decodes the response (direct.go: "netmap: Do = 200 after …", "starting
# size read after …", "read size N after …", "read body after …"): the answer came, whether it can be read is next.
_MAP_READ_PROGRESS = lazy_compile(r"netmap: (?:Do = |starting size read|read size |read body )")
# The node is waiting for a person to log in: an auth URL was handed out, an interactive login or a
# re-authentication started (a new node key), or login attempts back off. Cleared by a later Running/Starting
# state or a completed login.
# containerboot of an operator-managed proxy (cmd/containerboot, 2025 on) seeing its auth key refused ("Auth key failed
# to authenticate (may be expired or single-use), disconnecting from control and requesting new key from operator"):
# not logged in until the operator's new key works (a later Running clears it).
# The control client's own state naming a login URL handed out and not yet visited (controlclient status.go
# "state:url-visit-required", logged by auto.go's "authRoutine: %s; wantLoggedIn=%v" and "mapRoutine: %s", v1.0-v1.4x):
# a person must open it; a later "state:authenticated"/"synchronized" or Starting/Running clears it.
_LOGIN_PENDING = lazy_compile(
    r"Received auth URL|AuthURL is |popBrowserAuthNow|authURL=true|(?:auth|map)Routine: state:url-visit-required\b"
    r"|Auth key failed to authenticate \(may be expired or single-use\)"
)
# A login attempt under way (a new node key, an interactive login, retries backing off): a person must log in
# once control answers, but while control is unreachable that is why no login can happen (fold.py).
_LOGIN_ATTEMPT = lazy_compile(
    r"Generating a new nodekey|tailscaleUp\(reauth=true\)|LoginInteractive|authRoutine: backoff"
)
# Control answered that it does not know this node (deleted, or its key expired long ago): log in again.
_NODE_UNKNOWN = lazy_compile(r"failed 404: node not found")
# Control (or Headscale) answered the registration by refusing the tags the node asked for (--advertise-tags,
# an auth key's tags): reachable, and the node stays logged out until it asks for tags it may own.
_TAGS_REFUSED = lazy_compile(r"requested tags (?:\[[^\]]*\] )?(?:are|is) invalid or not (?:permitted|allowed)")
# Control answered the registration POST with a client error (controlclient/direct.go: "register request: http %d:
# %.200s": 400 invalid key, 401, 403 "bad machine key", 404, 410 "auth path not found"): reachable, and the node is
# not logged in until a login (a fresh key, or fresh state) succeeds. 408 and 429 are the server's own load, and a
# 5xx is control (or the proxy before it) failing: both stay control trouble.
_REGISTER_REFUSED = lazy_compile(r"register request: http 4(?!08|29)\d\d\b")
# control refusing a credential that is not a node auth key (an OAuth client secret, an API token): it answered, and
# the login failed (the line is also the CLI's auth-key-rejected, blocks.classify_line)
_NOT_NODE_AUTH_KEY = lazy_compile(NOT_A_NODE_AUTH_KEY, re.IGNORECASE)
# v0.9x (early 2020) answered a registration with "AuthURL is …" or, once the key was registered (controlclient
# direct.go: "key rotation is complete"), "No AuthURL".
_LOGIN_DONE = lazy_compile(
    r"authRoutine: (?:state:(?:authenticated|synchronized)|loggedIn=true)|RegisterReq: got response; .*authURL=false"
    r"|^(?:control: )?No AuthURL\s*$"
)
# The auth routine idle with no login asked for while not logged in: the node was logged out (or never logged
# in) and waits for `tailscale up` / the app's Log in (controlclient/auto.go: v1.0-v1.4x
# "authRoutine: state:not-authenticated; goal=nil", later "[v1] authRoutine: loggedIn=false; goal=nil paused=…").
_LOGGED_OUT = lazy_compile(r"authRoutine: (?:state:not-authenticated|loggedIn=false); goal=nil")
_LOGIN = lazy_compile(
    r"nodeKeyExpired=true|node key (?:\[\w+\] )?(?:has )?expired|invalid key|key expired|"
    r"server reports new node key \S+ has expired"
)
# net/dnsfallback: when the OS resolver cannot resolve a name tailscaled must reach, it asks DERP servers' bootstrap
# DNS ("trying bootstrapDNS(%q, %q) for %q ...", then per candidate "bootstrapDNS(%q, %q) for %q error: %v" or
# "… = %v" with the addresses). The control client (controlclient, controlhttp) and logtail use it; the name sought
# says whose lookup it is. For the coordination server (controlplane.tailscale.com, a Headscale host): a failed try
# is control not reached (the next candidate's answer clears it; the connection's own outcome follows in the log).
# logtail's (log.tailscale.io/.com) is log upload only: a failed try is log-upload-failing (info), never control.
# controlclient/direct.go (v1.64 on, "require ts2021 Noise"; earlier clients fell back to the legacy protocol):
# control answered /key without a Noise (ts2021) key, so this client cannot register or poll the map at all:
# "control server is too old; no noise key" (a Headscale without Noise support, such as v0.12, or another server
# too old for the client). Reachable, but never usable until the server is upgraded (or the client downgraded):
# not control-unreachable.
_NO_NOISE_KEY = lazy_compile(r"control server is too old; no noise key")
# Control answered, but the client cannot open or read the answer: the legacy (pre-Noise) protocol's NaCl-boxed
# register/map reply that does not open with the server key from /key (controlclient/direct.go decodeMsg,
# "cannot decrypt response", v1.10's "… (len N + nonce M = K)"; under "register request: ", "TryLogin: ",
# "Received error: ", "PollNetMap: ", "error decoding RegisterResponse with server key …: ", "netmap: decode error: "),
# and the ts2021 (Noise) handshake's "decrypting payload|machine key|initiation tag: …" (control/controlbase/
# handshake.go). A client and a control server (an old Headscale) that do not speak the same protocol version:
# control-too-old, never control-unreachable. (A decode error of another kind, an HTML page or a cut stream, is
# not this: "invalid character '<'", "unexpected EOF" stay what they were.)
_UNREADABLE_ANSWER = lazy_compile(
    r"cannot decrypt response|decrypting (?:payload|machine key|initiation tag): "
    # A map response read whole (its size, then its body) that the client cannot decode (controlclient/direct.go:
    # "[v1] netmap: decode error: %v" after "netmap: read body after …"; decodeMsg's zstd frame, then "response:
    # %v" around json.Unmarshal's error; v1.20-v1.58 logged the format without its argument, "%!v(MISSING)"): control
    # sent a map this client cannot read (a server that sends fields or encodings of another protocol version). The
    # poll fails and is retried; a map response decoded later (a netmap received, Running) clears it. (A cut stream's
    # "unexpected EOF" stays routine: the map stream's verbose errors.)
    r"|netmap: decode error: (?:response: |json: |invalid character |unexpected end of JSON|magic number mismatch"
    r"|invalid input: |zstd|%!v\(MISSING\))"
)
_BOOTSTRAP_DNS = lazy_compile(r'bootstrapDNS\("[^"]*", "[^"]*"\) for "(?P<host>[^"]+)" (?:(?P<error>error: .+)|= \S)')
_LOG_HOST = lazy_compile(r"^log\.tailscale\.(?:io|com)$")


def _control(message: str) -> Iterator[Event]:
    if (unreadable := _UNREADABLE_ANSWER.search(message)) is not None:
        yield Clear("control-unreachable")  # control answered
        fail = _CONTROL_FAIL.search(message)
        yield Raise("control-too-old", "control", message[fail.start() if fail else unreadable.start() :])
        return
    if (bootstrap := _BOOTSTRAP_DNS.search(message)) is not None:
        # the name sought says whose lookup failed: logtail's is log upload (tried only once the OS resolver could
        # not resolve it, so the upload is failing), any other the coordination server
        issue, about = (
            ("log-upload-failing", "logtail")
            if _LOG_HOST.match(bootstrap.group("host"))
            else ("control-unreachable", "control")
        )
        if bootstrap.group("error") is not None:
            yield Raise(issue, about, message[bootstrap.start() :])
        else:
            yield Clear(issue, about)
        return
    if (fail := _CONTROL_FAIL.search(message)) is not None:
        detail = message[fail.start() :]
        # The server answered "invalid/expired key": reachable, the node must log in (below). A
        # "context canceled" is tailscaled itself stopping the request (restart, logout, new prefs).
        if _NO_NOISE_KEY.search(detail) is not None:
            yield Clear("control-unreachable")  # control answered /key
            yield Raise("control-too-old", "control", detail)
            return
        if _TAGS_REFUSED.search(detail) or _REGISTER_REFUSED.search(detail) or _NOT_NODE_AUTH_KEY.search(detail):
            # Only under tailscaled's own wording ("Received error: …"): the bare sentence is the CLI's or the
            # API's (windows.py reads it), and an event would make it a log line.
            yield Clear("control-unreachable")  # control answered
            if not _LOGIN.search(message):  # raised below (an "invalid key" answer)
                yield Raise("login-required", "login", message)
        elif _NODE_UNKNOWN.search(detail):
            yield Clear("control-unreachable")  # control answered
        elif not (
            "state=NeedsLogin" in detail
            or _LOGIN.search(detail)
            # (a poster's markdown may wrap the end of the line in ** or `, prose in quotes)
            or detail.rstrip().rstrip("*_`\"'\u201d").endswith("context canceled")
        ):
            yield Raise("control-unreachable", "control", detail, weak=_MAP_STREAM_ENDED.search(detail) is not None)
            yield from _tls(detail)
    elif (answered := _CONTROL_OK.search(message)) is not None:
        yield Clear("control-unreachable")
        # (not control's key, nor a map poll's progress before the decode, "netmap: read body after …": it may fail)
        if "control server key from" not in answered.group(0) and _MAP_READ_PROGRESS.search(message) is None:
            yield Clear("control-too-old")  # registered or mapped: the server speaks this client's protocol
    if (
        _LOGIN.search(message) is not None
        or _LOGIN_PENDING.search(message) is not None
        or _NODE_UNKNOWN.search(message)
        or _LOGGED_OUT.search(message)
    ):
        yield Raise("login-required", "login", message)
    elif _LOGIN_ATTEMPT.search(message) is not None:
        # a login attempt that cannot get through: control unreachable, or too old to speak this client's protocol
        yield Raise("login-required", "login", message, unless="control-unreachable control-too-old")
    elif _LOGIN_DONE.search(message) is not None:
        yield Clear("login-required")
    # Control authorizes a machine only once it is logged in: with an auth URL in the same response the node
    # is waiting for a login (above), not for an admin's approval.
    if "machineAuthorized=false" in message and "authURL=true" not in message:
        yield Raise("needs-machine-auth", "machine-auth", message)
    elif _login_refused(message):
        yield Clear("needs-machine-auth")


# controlclient/direct.go logs "RegisterReq: got response; … machineAuthorized=false; authURL=false" for EVERY
# register answer, before it looks at the answer's Error: an answer carrying one ("invalid key: API key does not
# exist", an expired or unknown key, tags refused) returns it, and the node is not logged in at all (ipnlocal:
# "Received error: %v", the login-state warnable's "The last login error was: %v"). Only an answer without an error
# leaves the node waiting for an admin's approval, so such an error ends the machine-auth reading (login-required
# stays, with the key's fix).
def _login_refused(message: str) -> bool:
    if (fail := _CONTROL_FAIL.search(message)) is None:
        return _REGISTER_REFUSED.search(message) is not None
    detail = fail.group("error")
    return any(words.search(detail) is not None for words in (_LOGIN, _TAGS_REFUSED, _REGISTER_REFUSED, _NODE_UNKNOWN))


# ------------------------------------------------------------------------------------------ ipn state

# An embedded tsnet node (tsnet/tsnet.go) states its backend's state in words of its own: "LocalBackend state is
# NeedsLogin; running StartLoginInteractive..." at start, "AuthLoop: state is Running; done" once it is no longer
# waiting for a login, "Authkey is set; but state is NoState. Ignoring authkey." when saved state makes the key
# unneeded; and hands out a login URL with "To start this tsnet server, restart with TS_AUTHKEY set, or go to: …".
_STATE = lazy_compile(
    r"Switching ipn state (?P<old>\w+) -> (?P<new>\w+)"
    r"|^(?:LocalBackend state is|AuthLoop: state is|Authkey is set; but state is) (?P<tsnet>[A-Z]\w+)[;.]"
)
_TSNET_LOGIN_URL = lazy_compile(r"^To start this tsnet server, restart with TS_AUTHKEY set, or go to: \S")


# `tailscale up` waiting for an interactive login prints "To authenticate, visit:" and the URL (cmd/tailscale/cli/
# up.go); a container's entrypoint (containerboot, a NAS wrapper) runs it and its output lands amid tailscaled's log.
# The node waits for a person to open the URL until the log says the login completed (Running, authenticated).
UP_LOGIN_PROMPT = "To authenticate, visit:"


def _ipn_state(message: str) -> Iterator[Event]:
    if message.strip() == UP_LOGIN_PROMPT:
        yield Raise("login-required", "login", message.strip())
        return
    if _TSNET_LOGIN_URL.search(message) is not None:
        yield Raise("login-required", "login", message)  # a person must open the URL (cleared by Running)
        return
    if (switch := _STATE.search(message)) is None:
        return
    state = switch.group("new") or switch.group("tsnet")
    yield Fact("state", state)
    if state == "NeedsLogin":
        yield Raise("login-required", "login", message)
    elif state == "NeedsMachineAuth":
        yield Raise("needs-machine-auth", "machine-auth", message)
    elif state in ("Starting", "Running"):
        yield Clear("login-required")
        yield Clear("needs-machine-auth")
        if state == "Running":
            yield Clear("control-too-old")  # registered and mapped: the server speaks this client's protocol
        yield Clear("auth-key-mint-failed")  # a key was minted after all (a later try): the node logged in
    elif switch.group("old") == "NeedsLogin":
        yield Raise("login-required", "login", message)  # it left NeedsLogin without logging in
    elif message.startswith("AuthLoop: ") and state != "NoState":
        yield Clear("login-required")  # tsnet's auth loop ends only once the node no longer waits for a login


# The status line tailscaled hands systemd on Linux (sd_notify STATUS=, util/systemd then feature/sdnotify), which
# `systemctl status tailscaled` shows as 'Status: "…"': ipnlocal sets it on entering NeedsLogin ("Needs login: %s",
# the auth URL, empty until an interactive login starts), Stopped without a login URL ("Stopped; run 'tailscale up'
# to log in") and Running ("Connected; %s; %s": the login name, then the node's addresses); the control client set
# "key expired; run 'tailscale up' to authenticate" on a login with an expired node key (v1.4-v1.86). Worded the same
# from v1.4 to today; NeedsMachineAuth and Starting set none (the line keeps the last one). Another unit's Status line
# holds none of these words; "Connected; …" is tailscaled's only with a tailnet address in it.
SYSTEMD_STATUS_WORDS = (
    'Status: "Needs login: ', 'Status: "Connected; ', "Status: \"Stopped; run 'tailscale up' ",
    "Status: \"key expired; run 'tailscale up' ",
)  # fmt: skip
_SYSTEMD_STATUS = lazy_compile(
    r'^Status: "(?:(?P<login>Needs login: [^"]*)|(?P<stopped>Stopped; run \'tailscale up\' to log in)'
    r"|(?P<expired>key expired; run 'tailscale up' to authenticate)"
    r'|(?P<running>Connected; [^";]*; [^"]*?\b(?:100\.[\dx*]|fd7a:115c:a1e0:)[^"]*))(?:"|$)'
)


def _systemd_status(message: str) -> Iterator[Event]:
    if message[:8] != "Status: " or (status := _SYSTEMD_STATUS.match(message)) is None:
        return
    if status.group("login") is not None or status.group("expired") is not None:
        yield Fact("state", "NeedsLogin")
        yield Raise("login-required", "login", message)
    elif status.group("stopped") is not None:
        yield Fact("state", "Stopped")
    else:
        yield Fact("state", "Running")
        yield Clear("login-required")
        yield Clear("needs-machine-auth")


# --------------------------------------------------------------------------------------------- health

_HEALTH = lazy_compile(r'health\((?:warnable=)?"?(?P<name>[\w-]+)"?\): (?P<state>error|warning|ok)(?:: (?P<msg>.*))?$')
_HOME_REGION = lazy_compile(r"home DERP region (?P<id>\d+)|region (?P<id2>\d+)")
# The home-relay warnables name the home region (health/warnings.go: no-derp-connection "Tailscale could not
# connect to the '%s' relay server." / "… the relay server with ID '%s'.", derp-timed-out "Tailscale hasn't heard
# from the '%s' relay server in %v." / "… the home relay server (region ID '%v') …"): by the DERP map's name
# ("Johannesburg", a custom region's own name) or, without one, by ID. Both speak of the home region only.
_HOME_RELAY_NAMED = lazy_compile(
    r"(?:could not connect to|hasn't heard from) the (?:'(?P<name>[^']+)' relay server"
    r"|relay server with ID '(?P<id>\d+)'|home relay server \(region ID '(?P<id2>\d+)'\))"
)
_HOME_WARNABLES = frozenset(("no-derp-connection", "derp-timed-out"))


# Warnable codes (health/warnings.go, tsconst) and the old names of v1.0-v1.5x ("overall", "dns-os", "router")
# → the vocabulary kind they stand for. Warnables that are not a problem on their own are info.
_WARNABLE_KINDS = {
    "no-derp-home": "derp-unreachable",
    "no-derp-connection": "derp-unreachable",
    "derp-timed-out": "derp-unreachable",
    "network-status": "network-down",  # the host has no link up (health.SetAnyInterfaceUp(false))
    "not-in-map-poll": "control-unreachable",
    "mapresponse-timeout": "control-unreachable",
    "control-health": "control-unreachable",
    "login-state": "login-required",
    "dns-forward-failing": "dns-forward-failing",
    "dns": "dns-config-failed",
    "dns-os": "dns-config-failed",
    "dns-manager": "dns-config-failed",  # health.SysDNSManager (SetDNSManagerHealth): the OS DNS manager's own error
    "dns-set-os-config-failed": "dns-config-failed",
    "dns-read-os-config-failed": "dns-config-failed",
    "resolv-conf-overwritten": "dns-config-failed",
    "router": "firewall-failed",
    "state-store-health": "state-unwritable",
    "no-udp4-bind": "port-in-use",
    # read from the source (every health.Register of the tree, v1.68+, and the legacy subsystems' warnables): Tailnet
    # Lock without a state directory or failing to sync, the SELinux relabel of resolv.conf, a network box known to
    # intercept TLS (net/tlsdial blockblame: a vendor's certificate on control's connection)
    "no-tailnet-lock-state-dir": "tailnet-lock-sync-failed",
    "tailnet-lock": "tailnet-lock-sync-failed",
    "resolv-conf-relabel-failed": "dns-config-failed",
    "blockblame-mitm-detected": "tls-intercepted",
}
# Severity low (health.SeverityLow) or a notice: not a problem on its own. derp-region-error is the relay server's
# own notice about its region (the connection to it works); ssh-unavailable-selinux-enabled and local-log-config-error
# are SeverityLow in the source.
INFO_WARNABLES = frozenset(
    ("update-available", "security-update-available", "is-using-unstable-version", "warming-up", "wantrunning-false",
     "tls-cert-pending", "test-warnable", "derp-region-error", "ssh-unavailable-selinux-enabled",
     "local-log-config-error")
)  # fmt: skip
# Every warnable code the tree registers (health/warnings.go, tsconst, and the packages' own health.Register): a known
# code is read by its name (the table above, else health:<code>), never by words of its text — an invalid packet
# filter "the coordination server sent" is control answering, not control unreachable.
_KNOWN_WARNABLES = frozenset(
    ("update-available", "security-update-available", "is-using-unstable-version", "network-status",
     "wantrunning-false", "local-log-config-error", "login-state", "not-in-map-poll", "no-derp-home",
     "no-derp-connection", "derp-timed-out", "derp-region-error", "no-udp4-bind", "mapresponse-timeout",
     "tls-connection-failed", "magicsock-receive-func-error", "test-warnable", "apply-disk-config", "warming-up",
     "ip-forwarding-off", "macos-screen-time", "macos-screen-time-controlclient", "tls-cert-pending",
     "captive-portal-detected", "posture-checking-serial-collection-failed", "invalid-packet-filter", "sync-disabled",
     "ssh-unavailable-selinux-enabled", "nosnat-with-advertised-exit-node", "no-tailnet-lock-state-dir",
     "state-store-health", "resolv-conf-relabel-failed", "resolv-conf-overwritten", "dns-read-os-config-failed",
     "dns-set-os-config-failed", "dns-forward-failing", "blockblame-mitm-detected", "set-network-category-failed",
     "docker-stateful-filtering", "router", "dns", "dns-manager", "tailnet-lock", "exit-node-misconfiguration")
)  # fmt: skip
# v1.14-v1.66 logged one "overall" warnable, health.OverallError: the failing checks' own errors, several joined as
# "multiple errors:" (one per line, or "; " when a paste folds them). Each part names its check (health/health.go):
# the newer warnable that took its place says what it is.
_OVERALL_PARTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(words), name)
    for words, name in (
        (r"^network down$", "network-status"),
        (r"^not logged in\b", "login-state"),
        (r"^not in map poll$", "not-in-map-poll"),
        (r"^no map response in ", "mapresponse-timeout"),
        (r"^no DERP home$", "no-derp-home"),
        (r"^(?:not connected to|haven't heard from) home DERP region ", "no-derp-connection"),
        (r"^no udp4 bind$", "no-udp4-bind"),
        (r"^Receive\w+ is not running$", "magicsock-receive-func-error"),
        (r"^derp\d+: ", "derp-region-error"),
        (r"^TLS connection error for ", "tls-connection-failed"),
        # ipnlocal's strict rp_filter check (v1.62-v1.96): registered as its own warnable once "overall" went
        (
            r"^(?:Exit node misconfiguration: )?The following issues on your machine will likely make usage of exit "
            r"nodes impossible\b",
            "exit-node-misconfiguration",
        ),
        (r"^(?:router|dns|dns-os|dns-manager|tailnet-lock): ", ""),  # a subsystem's error: named by its subsystem
    )
)
_OVERALL_SPLIT = lazy_compile(r"^multiple errors:\s*|\s*(?:\n\t|; (?!see ))\s*")  # "; see <url>" ends one error
# A journal or syslog gives each line of that multi-line error its own prefix: the head ends at "multiple errors:",
# and the checks follow as messages of their own (daemonlog._events joins them back).
_OVERALL_HEAD = lazy_compile(r'^health\("?overall"?\): error: multiple errors:\s*$')


def is_overall_errors_head(message: str) -> bool:
    """The first line of the v1.14-v1.66 overall health error when it joins several checks (one per line after)."""
    return message.startswith("health(") and _OVERALL_HEAD.match(message) is not None


def is_overall_errors_part(message: str) -> bool:
    """One check's error as the overall health error lists it ("not in map poll", "no udp4 bind", …)."""
    part = message.strip()
    return any(words.search(part) for words, name in _OVERALL_PARTS if name)


def _health_kind(name: str, message: str) -> tuple[str, str]:
    """The vocabulary kind (and key) a failing health warnable stands for."""
    lowered = message.lower()
    if "wantrunning=false" in lowered and "needslogin" not in lowered:
        # v1.0-v1.5x "overall": "state=Stopped, wantRunning=false" is the user's own choice, as the newer
        # wantrunning-false warnable says
        return "health:wantrunning-false", "wantrunning-false"
    kind = _WARNABLE_KINDS.get(name)
    if kind is None and name in _KNOWN_WARNABLES:
        return f"health:{name}", name
    if kind == "derp-unreachable" or (
        kind is None and ("home derp" in lowered or "relay server" in lowered or "derp region" in lowered)
    ):
        region = _HOME_REGION.search(message)
        return "derp-unreachable", (region.group("id") or region.group("id2")) if region else "home"
    if kind is not None:
        return kind, {"derp-unreachable": "home"}.get(kind, _KEYS.get(kind, name))
    if "can't reach the configured dns servers" in lowered:
        return "dns-forward-failing", "forward"
    if "needsmachineauth" in lowered or "not yet approved" in lowered:
        return "needs-machine-auth", "machine-auth"
    if "needslogin" in lowered or "logged out" in lowered or "key expired" in lowered:
        return "login-required", "login"
    if any(words in lowered for words in ("not in map poll", "coordination server", "no map response", "map response")):
        return "control-unreachable", "control"
    if "router" in lowered or "netfilter" in lowered or "iptables" in lowered:
        return "firewall-failed", "router"
    if "state store" in lowered:
        return "state-unwritable", "store"
    return f"health:{name}", name


_PUBLIC_BY_NAME = {region.name.lower(): region for region in PUBLIC_REGIONS}


def _home_relay(detail: str) -> Fact | None:
    """The home region a home-relay warnable names: a public region by its ID and code, a custom one as named."""
    if (named := _HOME_RELAY_NAMED.search(detail)) is None:
        return None
    region_id = named.group("id") or named.group("id2")
    if region_id is not None:
        return Fact("home", region_id, "") if region_id != "0" else None
    name = named.group("name")
    if (public := _PUBLIC_BY_NAME.get(name.lower())) is not None:
        return Fact("home", str(public.region_id), public.code)
    return Fact("home", name, name)  # a custom region (Headscale, a self-hosted derper): its ID is not shown


# The key each kind is raised with elsewhere, so that a warnable and a log message about the same thing
# fold into one issue.
_KEYS = {
    "network-down": "network",
    "control-unreachable": "control",
    "login-required": "login",
    "dns-forward-failing": "forward",
    "dns-config-failed": "dns",
    "firewall-failed": "router",
    "state-unwritable": "store",
    "port-in-use": "port",
    "tailnet-lock-sync-failed": "tka",
    "tls-intercepted": "tls",
}


# Warnables that only say tailscaled is still starting: the first seconds of every start, cleared by itself.
_START_UP_WARNABLES = frozenset(("warming-up",))


def _health(message: str) -> Iterator[Event]:
    if (health := _HEALTH.search(message)) is None:
        return
    name = health.group("name")
    if name in _START_UP_WARNABLES:
        return
    if health.group("state") == "ok":
        yield Clear(None, origin=name)
        kind, _ = _health_kind(name, "")
        if not kind.startswith("health:"):
            yield Clear(kind)  # the warnable's own check passes: its log-message twins are stale too
        return
    detail = (health.group("msg") or "").strip()
    if name == "overall":
        # each check the overall error joins, read as the warnable that took its place (cleared together by "ok")
        for part_name, part in _overall_parts(detail):
            yield from _warnable_failing(part_name, part, origin=name)
        return
    yield from _warnable_failing(name, detail, origin=name)


def _overall_parts(detail: str) -> Iterator[tuple[str, str]]:
    """(warnable, error) for each check the v1.14-v1.66 overall health error names; "overall" for one it does not."""
    for part in filter(None, _OVERALL_SPLIT.split(detail)):
        found = next((name for words, name in _OVERALL_PARTS if words.search(part)), None)
        if found == "":  # a subsystem's own error ("router: …"): its subsystem warnable
            found = part.split(":", 1)[0]
        yield found or "overall", part


# health/warnings.go's login-state text when the last login failed (v1.6x+): "You are logged out. The last login error
# was: %v".
_LAST_LOGIN_ERROR = "The last login error was: "


def _warnable_failing(name: str, detail: str, origin: str) -> Iterator[Event]:
    kind, key = _health_kind(name, detail)
    if name in _HOME_WARNABLES and (home := _home_relay(detail)) is not None:
        yield home
    # (control not reached, or not in the map poll: the poll that failed because control's answer could not be read,
    # control-too-old, says why)
    unless = "control-too-old" if kind == "control-unreachable" else ""
    yield Raise(kind, key, detail or name, origin=origin, unless=unless)
    if kind == "login-required" and _LAST_LOGIN_ERROR in detail:
        yield Clear("needs-machine-auth")  # the register answer carried an error: not waiting for approval
    if kind in ("login-required", "control-unreachable") or name == "tls-connection-failed":
        yield from _tls(detail)  # "You are logged out. The last login error was: … x509: …"


# ------------------------------------------------------------------------------------------------ DNS

_DNS_FORWARD = lazy_compile(
    r"no upstream resolvers set|upstream nameservers not set|DNS resolution failed due to missing upstream|"
    r"dns: error: |dns (?:udp|tcp) (?:query|read): |(?:dns: resolver|tsdns): forward: .*(?:error|timeout|failed)"
    # the upstream answered SERVFAIL or REFUSED (forwarder.go: "sendUDP|sendTCP|recv: response code indicating
    # server failure: 2" / "… refusal: 5"), or could not be retried or reached at all
    r"|(?:dns: resolver|tsdns): forward: .*(?:response code indicating|could not retry|ListenPacket failed)"
)
# An exit node answers its clients' DNS over PeerAPI (ipn/ipnlocal/peerapi.go handleDNSQuery, v1.20-: "peerapi:
# handleDNS fwd error: %v", the client gets a 500). One query timing out or answered SERVFAIL is that name's (a slow
# authoritative server runs out the 5 s too), even repeated over a long log (the services catalog: "one query"); an
# exit node that has no resolver to ask (net/dns/resolver/tsdns.go HandlePeerDNSQuery: no or an empty /etc/resolv.conf,
# an OS it cannot proxy for) or no way to it fails every query the same way: no name resolves through it.
_EXIT_NODE_DNS_BROKEN = lazy_compile(
    r"handleDNS fwd error: (?:.*?\b)?(?:resolv\.conf has no nameservers|open /etc/resolv\.conf: "
    r"|unsupported exit node OS|no route to host|network is unreachable|connection refused)"
)
# A program on the node (containerboot, tsnet, any Go or C program) resolving through Tailscale's own resolver,
# 100.100.100.100 (IPv6 fd7a:115c:a1e0::53), gets no answer: Go's resolver prints "lookup <name> on
# 100.100.100.100:53: read udp …->100.100.100.100:53: i/o timeout" (or "server misbehaving": SERVFAIL, what
# tailscaled answers when its upstream fails; "connection refused": nothing listens there). That is MagicDNS
# failing to forward, whoever logged it. ("no such host" is an answer: the name does not exist.)
_QUAD100_LOOKUP = lazy_compile(
    r"lookup \S+ on (?:100\.100\.100\.100|\[fd7a:115c:a1e0::53\]):53: "
    r"(?:.*\b(?:i/o timeout|connection refused)$|server misbehaving$)"
)
# No route to the resolver is not a one-off: every query to it fails the same way until routing changes. Nor is a
# connect aborted on this host (ECONNABORTED, "connect: software caused connection abort": Android's VPN or battery
# rules cutting tailscaled's own sockets, the exit node's PeerAPI DoH included): every query meets the same abort.
_NO_ROUTE = lazy_compile(r"no route to host|network is unreachable|connect: software caused connection abort")
# v1.0-v1.30's engine logs "dns: error: <err>" (wgengine/userspace.go pollResolver) only once the forwarder gave
# up on a query: every upstream was tried in parallel (retries included) for the whole 5 s responseTimeout
# (net/dns/resolver/forwarder.go). A timeout or a refusal there is no lost packet: the upstream does not answer.
# Not the exit node's DoH request ('dns: error: Post "http://<exit>:<port>/dns-query": …'): one HTTP request to one
# peer, still a possible one-off (two needed).
_FORWARD_GAVE_UP = lazy_compile(
    r"^dns: error: (?!Post )(?:.*\b)?(?:context deadline exceeded|i/o timeout|connection refused)"
)
_DNS_CONFIG = lazy_compile(
    r"(?:setLinkDNS|SetDNS|set DNS|setting DNS|resolvconf|NRPT|OSConfigurator|dns: Set)[^:]*: .*"
    r"(?:failed|error|denied|timed out|exit status)|error setting DNS|dns: .*: exit status \d|"
    r"failed to configure (?:systemd-)?resolved|error restarting resolved|Error deleting NRPT|"
    r"resolv\.conf[^:]*: .*(?:failed|invalid argument|denied|read-only)|(?:replacing|writing) resolv\.conf failed"
    # the OS configurator that cannot be made or reached at all (net/dns, host-integration catalog): the engine
    # failing on it ("dns.NewOSConfigurator: %w", a build without that mode "tailscaled was built without DNS %q
    # support"), resolved's D-Bus connection failing ("dns: dbus connection error: %v"), Windows too old for the
    # NRPT split DNS it was given ("Split DNS unsupported on this Windows version")
    r"|dns\.NewOSConfigurator: \S|tailscaled was built without DNS \S+ support|^dns: dbus connection error: \S"
    r"|Split DNS unsupported on this Windows version"
    # openresolv's resolvconf failing to run at all (net/dns/openresolv.go, v1.62-: "error running command %s: %v")
    r"|dns: error running command \S"
)
_DNS_HARMLESS = (
    "resolvedIsActuallyResolver",
    "ResolvConfMode error",
    "falling back to copy",
    "inotify",
    "ignoring SetDNS",
)


# net/dns/manager_linux.go dnsMode (v1.2x on, unchanged at HEAD) asks systemd-resolved for its ResolvConfMode only
# once it has DECIDED on the systemd-resolved manager ("dns: ResolvConfMode error: %v", then the decision line
# "dns: [rc=… resolv-conf-mode=error ret=systemd-resolved]" and 'dns: using "systemd-resolved" mode'). When D-Bus
# answers that resolved does not exist (its unit not installed or masked, no activatable service), the manager
# chosen has nothing to talk to: MagicDNS never reaches the OS (blind 25: 1162/1163, EndeavourOS with
# NetworkManager and no systemd-resolved). Other errors of that query (an older systemd without the property) are
# harmless. A later decision without that error (a restart that finds resolved, or picks another manager) clears it.
_RESOLVED_ABSENT = lazy_compile(
    r"^dns: ResolvConfMode error: .*(?:Unit dbus-org\.freedesktop\.resolve1\.service (?:not found|is masked)"
    r"|name org\.freedesktop\.resolve1 was not provided by any \.service files"
    r"|Failed to activate service 'org\.freedesktop\.resolve1')"
)
_DNS_DECISION = lazy_compile(r"^dns: \[(?:[\w-]+=\S+ )*ret=\S+\]$")
# The same decision line when NetworkManager owns /etc/resolv.conf (rc=nm), systemd-resolved answers, but NM does not
# hand DNS to resolved (dnsMode, v1.52-: "nm-resolved=no" then "ret=direct"; the earlier "nm-resolved=yes" only says
# resolv.conf looked like resolved's): tailscaled overwrites NM's resolv.conf itself and NM writes it back, a fight
# (https://tailscale.com/s/dns-fight). Not "rc=nm resolved=not-in-use ret=direct": no resolved, direct is the only
# way; nor a decision for systemd-resolved or network-manager.
_DNS_FIGHT_KEYS = ("rc=nm", "nm-resolved=no")


def _dns_fight(message: str) -> bool:
    if not message.endswith(" ret=direct]") or _DNS_DECISION.match(message) is None:
        return False
    pairs = message[len("dns: [") : -1].split()
    return all(key in pairs for key in _DNS_FIGHT_KEYS)


# net/dns/manager_linux.go dnsMode (v1.22 on, the same words at HEAD): a resolv.conf whose header names
# systemd-resolved (or NetworkManager) is checked to list resolved's stub 127.0.0.53 only; otherwise
# "dns: resolvedIsActuallyResolver error: resolv.conf doesn't point to systemd-resolved; points to [<servers>]" and
# tailscaled goes direct ("resolved=not-in-use ret=direct"), overwriting the file. With the stub AND other servers in
# the list while resolved itself answers ("resolved-ping=yes" in that decision), something else (dhclient, a DHCP
# hook, a static file) writes resolv.conf beside resolved: it writes it back over tailscaled's, and resolved may still
# forward to 100.100.100.100 (a loop). The decision needs the line before it, so __init__.py pairs them
# (resolv_conf_fight). Not this fight: a list without the stub (a plain resolv.conf under a stale header),
# "resolv.conf has no nameservers", or the same list with resolved not running (no "resolved-ping=yes": a container's
# copy of its host's file, Azure's 127.0.0.53 + 168.63.129.16 in a Codespace, where nobody serves the stub).
RESOLV_CONF_NOT_RESOLVED = "dns: resolvedIsActuallyResolver error: resolv.conf doesn't point to systemd-resolved; "
_RESOLVED_STUB = "127.0.0.53"


def stub_beside_others(message: str) -> bool:
    """resolvedIsActuallyResolver's error listing resolved's stub and another nameserver."""
    listed = message.removeprefix(RESOLV_CONF_NOT_RESOLVED).removeprefix("points to ").strip()
    if not (message.startswith(RESOLV_CONF_NOT_RESOLVED) and listed[:1] == "[" and listed[-1:] == "]"):
        return False
    servers = listed[1:-1].split()
    return _RESOLVED_STUB in servers and any(server != _RESOLVED_STUB for server in servers)


def direct_beside_running_resolved(message: str) -> bool:
    """dnsMode's decision to go direct past a systemd-resolved that answered ("resolved-ping=yes")."""
    if not message.endswith(" ret=direct]") or _DNS_DECISION.match(message) is None:
        return False
    pairs = message[len("dns: [") : -1].split()
    return "resolved-ping=yes" in pairs and "resolved=not-in-use" in pairs


def _dns(message: str) -> Iterator[Event]:
    if message.startswith("dns: ["):
        if _dns_fight(message):
            yield Raise("dns-fight", "network-manager", message)
        elif _DNS_DECISION.match(message) is not None:
            yield Clear("dns-fight")  # a later decision (a restart) that NetworkManager and resolved agree on
    if message.startswith("dns: ResolvConfMode error: ") and _RESOLVED_ABSENT.match(message) is not None:
        yield Raise("dns-config-failed", "resolved-absent", message)
        return
    if message.startswith("dns: [") and "resolv-conf-mode=error" not in message and _DNS_DECISION.match(message):
        yield Clear("dns-config-failed", "resolved-absent")
        return
    if (exit_node := _EXIT_NODE_DNS_BROKEN.search(message)) is not None:
        yield Raise("dns-forward-failing", "forward", message[exit_node.start() :])
    elif (forward := _DNS_FORWARD.search(message)) is not None:
        # With no upstream resolver the forwarder sets the dns-forward-failing warnable as it logs this
        # (net/dns/resolver/forwarder.go): the warnable's line next to it is the same event, not a second one.
        twin = "dns-forward-failing" if "no upstream resolvers set" in message else ""
        weak = _NO_ROUTE.search(message) is None and _FORWARD_GAVE_UP.search(message) is None
        yield Raise("dns-forward-failing", "forward", message[forward.start() :], weak=weak, twin=twin)
    elif (lookup := _QUAD100_LOOKUP.search(message)) is not None:
        yield Raise("dns-forward-failing", "forward", message[lookup.start() :], weak=True)
    elif _DNS_CONFIG.search(message) is not None and not any(word in message for word in _DNS_HARMLESS):
        yield Raise("dns-config-failed", "dns", message)


# ----------------------------------------------------------------------------- TUN / Wintun device

# Wintun's own error log (api/adapter.c LOG_ERROR: "<what>: <Windows message> (Code 0x%08X)"), with or without
# tailscaled's "[Wintun] " tag in front: the adapter cannot be created, set up or opened.
_WINTUN_ERROR = (
    r"^(?:\[Wintun\] )?(?:Failed to|Timed out waiting for|Unable to) [^:]*"
    r"(?:adapter|device|driver|[Ww]intun)[^:]*: .*\(Code 0x[0-9A-Fa-f]{8}\)$"
)
# wintun-go's lazy DLL loader (golang.zx2c4.com/wintun dll_windows.go, and wireguard-go's tun/wintun before it): the
# first Wintun call loads wintun.dll, "Error loading wintun.dll DLL: Unable to load library: <Windows message>" (or
# "error loading …" in later versions), or finds a function the DLL lacks, "Error getting WintunCreateAdapter address:
# …"; Addr() panics with it, wireguard-go's CreateTUN wraps it ("Error creating interface: …"). Wintun's own adapter
# log without its code ("Failed to create adapter: …", a "wintun: " tagged error). No DLL, no adapter: no TUN.
_WINTUN_LOAD = (
    r"(?i:error loading wintun\.dll DLL: |error getting wintun\w* address: )"
    r"|^(?:panic: )?(?:\[Wintun\] )?Failed to create (?:the )?adapter\b"
    r"|^(?:panic: )?[Ww]intun: .*(?:[Ff]ail|[Ee]rror|[Uu]nable|[Cc]annot)"
)
_TUN = lazy_compile(
    r'CreateTUN\("?[^)]*"?\) failed|/dev/net/tun does not exist|is CONFIG_TUN enabled|Error creating interface|'
    r"(?<!update)TUN: |tstun\.New\(|"
    # the Linux router bringing the TUN link up with iproute2 (runner.go 'running %q failed: %w\n%s'): the device
    # itself will not come up, whichever stage ran it
    r'running "ip link set (?:dev )?\S+ up" failed: |'
    r"\[Wintun\] .*(?:[Ff]ailed|[Ee]rror)|CreateAdapter: .*failed|failed to create TUN device|"
    r"CreateTUN: .*(?:no such|not permitted|permission denied|not found)|open /dev/net/tun: "
    # Android: the app's VPN interface is its TUN; establish() throws (a multi-user device's
    # SecurityException, VPN permission revoked) or returns null (another always-on VPN, no consent)
    r"|VpnService\.Builder\.establish(?:\(\))?(?::| returned null| failed)"
    rf"|{_WINTUN_ERROR}"
    # Windows: the Wintun adapter never came up (net/tstun/ifstatus_windows.go, v1.6-: "timeout waiting %v for TUN
    # interface to come up", returned as "timeout waiting for TUN interface to come up")
    r"|timeout waiting (?:\S+ )?for TUN interface to come up"
    # net/tstun/tun_linux.go's diagnosis, printed only after CreateTUN failed (v1.0-): the device held by another
    # process, no tun module for the running kernel, OpenWrt without kmod-tun (v1.60-)
    r"|^TUN device \S+ is busy; |tun module (?:not loaded nor found on disk|loaded in kernel, but )"
    r"|tun\.ko found on disk, but not for current kernel|^Missing required package kmod-tun"
    r"|^no TUN, and failed to look up kernel version"
    # the Windows service cannot load its own wintun.dll (cmd/tailscaled/tailscaled_windows.go, v1.54-)
    r'|^Error pre-loading "[^"]*wintun\.dll": '
    rf"|{_WINTUN_LOAD}"
)
_USERSPACE = lazy_compile(
    r'NewUserspaceEngine\(tun "(?P<tun>[^"]*)"\)|using fake \(no-op\) tun device|--tun[= ]userspace-networking'
    r"|-tun[= \",]+userspace-networking|\[Wintun\]|CreateTUN"
    # Wintun's own error, untagged: tailscaled was creating its Wintun adapter, a kernel TUN (netstack creates none)
    rf"|{_WINTUN_ERROR}"
    # its DLL failing to load: tailscaled was loading Wintun for a kernel TUN (likewise)
    rf"|{_WINTUN_LOAD}"
    # wgengine before v1.6: "Starting userspace wireguard engine with tun device %q" (a kernel TUN; fake mode
    # logged "(with fake TUN device)", its newer wording "Starting userspace WireGuard engine (with fake TUN device)")
    # (v0.98-v1.0 worded fake mode "(FAKE tuntap device).")
    r'|[Ss]tarting userspace [Ww]ire[Gg]uard engine (?:with tun device "(?P<old_tun>[^"]*)"'
    r"|\((?:with fake TUN device|FAKE tuntap device)\))"
)
# net/tstun/tun_linux.go diagnoseLinuxTUNFailure: only CreateTUN of a kernel TUN device runs it (netstack mode
# opens no TUN), so any of its lines says tailscaled is in kernel-TUN mode, whether or not the device came up.
_KERNEL_TUN_DIAGNOSIS = lazy_compile(
    r"is CONFIG_TUN enabled in your kernel\?|'modprobe tun' successful|tun module loaded in kernel, but "
    r"|tun module not loaded nor found on disk|kernel/drivers/net/tun\.ko found on disk|"
    r"created TUN device \S+ after doing `modprobe tun`|^TUN device \S+ is busy"
)

# netmon's interface list (LinkChange / interfaces.State "ifs={… tailscale0:[100.114.50.9/32 fd7a:…/128 llu6]}")
# holding a tailscaleN device with a tailnet address: tailscaled runs a kernel TUN (netstack mode creates none).
_KERNEL_TUN = lazy_compile(r"(?:^|[\s{])tailscale\d+:\[(?:" + TAILNET_V4_PREFIX + "|" + TAILNET_V6_PREFIX + ")")


# cmd/tailscaled tryEngine: "wgengine.NewUserspaceEngine(tun %q) error: %v". An engine error that names neither
# the router nor DNS is the TUN device's (tstun.New, wgdev.Up) unless the engine was bringing its router up when
# it failed: before v1.2x router.Up's and router.Set(nil)'s errors came back bare ("operation not supported" from a
# kernel without policy routing), so only the stage line before it (_ENGINE_STAGE) tells them apart. Nor is
# chirp's "failed to connect to BIRD" (--bird-socket, v1.16+) or BIRD refusing its first "disable" the TUN's: no
# BIRD, no engine (a crash; _bird names it).
_ENGINE_ERROR = lazy_compile(
    r'NewUserspaceEngine\(tun "(?!userspace)[^"]*"\) error: '
    r'(?!.*(?:router|netfilter|iptables|nftables|dns|resolv|running "ip (?:-[46] )?(?:rule|route|addr)|ip rules|BIRD'
    r"|from bird failed|able tailscale: ))"
)
# wgengine.NewUserspaceEngine's stage lines (wgengine/userspace.go), in the order it logs them: the router's two
# stages, and every other one (the WireGuard device, the link/network monitor, done).
_ENGINE_STAGE = lazy_compile(
    r"^(?:(?P<router>Bringing router up|Clearing router settings)\.\.\.|Creating [Ww]ire[Gg]uard device\.\.\."
    r"|Bringing [Ww]ire[Gg]uard device up\.\.\.|Starting (?:link|network) monitor\.\.\.|Engine created\.)$"
)


def _engine_stage(message: str) -> Iterator[Event]:
    if (stage := _ENGINE_STAGE.match(message)) is not None:
        yield Fact("engine-stage", "router" if stage.group("router") else "other")


_NETCHECK_UDP_BLOCKED = lazy_compile(r"\bUDP is blocked, trying (?P<via>HTTPS|ICMP)\b")


# netcheck measuring a region's latency over HTTPS when STUN gets no answer, and failing ("[v1] netcheck: measuring
# HTTPS latency of fra (4): <error>"; Coder's fork says "HTTP(S)"): the region's relay could not be reached over TCP
# either. One slow region among many is routine; fold.py raises it only when that run's report found no region.
_HTTPS_PROBE_FAILED = lazy_compile(
    r"measuring HTTP(?:S|\(S\)) latency of (?P<code>[^\s()]+) \((?P<id>\d+)\): (?P<error>.+)$"
)


def _netcheck(message: str) -> Iterator[Event]:
    # netcheck/netcheck.go: no STUN answer over UDP, so it measures DERP latency over HTTPS (and ICMP): UDP is
    # blocked on this network, a fact (engine reads the line as a netcheck too); traffic still relays over DERP
    if (blocked := _NETCHECK_UDP_BLOCKED.search(message)) is not None:
        yield Fact("netcheck-udp", "blocked", blocked.group("via"))
    elif (probe := _HTTPS_PROBE_FAILED.search(message)) is not None:
        region, code = probe.group("id"), probe.group("code")
        yield Fact("derp-code", region, code)
        yield Fact("https-probe-failed", region, f"region {region} ({code}): {probe.group('error')}")


def _tun(message: str) -> Iterator[Event]:
    if (failure := _TUN.search(message)) is not None:
        yield Raise("tun-unavailable", "tun", message[failure.start() :])
    elif (engine_error := _ENGINE_ERROR.search(message)) is not None:
        yield Raise("tun-unavailable", "tun", message[engine_error.start() :], in_router="firewall-failed")
    if "requires root; use sudo tailscaled" in message:
        # darwin's refusal to start as non-root: printed only when --tun is NOT userspace-networking (its advice
        # names the flag, which is not the daemon's own)
        yield Fact("userspace", "false")
    elif (engine := _USERSPACE.search(message)) is not None:
        tun = engine.group("tun") or engine.group("old_tun")
        userspace = (
            "userspace-networking" in engine.group(0)
            or "fake" in engine.group(0).lower()
            or tun == "userspace-networking"
        )
        yield Fact("userspace", "true" if userspace else "false")
        if userspace and tun == "userspace-networking":
            yield Clear("crash", "engine")  # the TUN engine failed and tailscaled fell back to netstack
    elif _KERNEL_TUN_DIAGNOSIS.search(message) is not None:
        yield Fact("userspace", "false")
    elif "interfaces.State{" in message and _KERNEL_TUN.search(message) is not None:
        # a hint only: the list is the host's, and a tsnet node (sing-box, …) may run beside a system tailscaled
        yield Fact("kernel-tun", "seen")


# --------------------------------------------------------------------- Android app (tailscale-android)

# The Android app's VPN interface is its TUN (libtailscale net.go/backend.go, cmd/tailscale before v1.64): every
# failure of updateTUN is logged as "VPN update failed: <err>" (establish() throwing, the multi-user SecurityException
# "VPN cannot be created on this device due to an Android bug with multiple users", establish() returning null
# "VPN service not prepared or was revoked": no VPN consent, or another VPN app took it, detachFd), then "tunnel
# brought down on VPN service error: <err>"; StartVPNWorker finds VpnService.prepare() asking for consent again
# ("Tailscale isn't ready to start the VPN, notify the user.": the "Tailscale Connection Failed" notification).
_ANDROID_VPN_FAILED = lazy_compile(
    r"^VPN update failed: \S|^tunnel brought down on VPN service error: |^updateTUN: could not establish VPN because "
    r"|VPN service not prepared or was revoked|VPN cannot be created on this device due to an Android bug"
    r"|^Tailscale isn.t ready to start the VPN"
    # MainActivity's VPN consent answered no (tag "VpnPermission"): another VPN app holds the VPN, or the user declined
    r"|^Another VPN is likely active$|^Permission was denied by the user$"
)
# updateTUN got its interface from establish() (logged before it checks the descriptor for null, so a null one
# raises again right after)
_ANDROID_VPN_UP = ("updateTUN: established VPN", "VPN permission granted")
# The app's backend failing to start (libtailscale backend.go: LocalBackend.Start's error, then a panic)
# Android killing the app's process: the runtime's uncaught-exception report (AndroidRuntime: "FATAL EXCEPTION: main",
# then "Process: com.tailscale.ipn, PID: N": only that line names the app) or a native crash (libc: "Fatal signal 6
# (SIGABRT), … pid N (com.tailscale.ipn)"); another app's crash in the same logcat is not Tailscale's.
_ANDROID_BACKEND_FAILED = lazy_compile(
    r"^Failed to start LocalBackend, panicking: \S|^Process: com\.tailscale\.ipn(?::\w+)?, PID: \d+"
    # (the kernel's 15-character thread name may cut the package: "(com.tailscale.i)")
    r"|^Fatal signal \d+ \(SIG\w+\).*\bpid \d+ \(com\.tailscale\.i(?:pn(?::\w+)?|p)?\)$"
)
# A native crash report of the app's process, whoever shows it: debuggerd's tombstone header ("pid: N, tid: N, name:
# T  >>> com.tailscale.ipn <<<", in a tombstone file or logcat's DEBUG lines), GrapheneOS's crash report header
# ("package: com.tailscale.ipn:303", the versionCode after the colon), and a backtrace frame inside the app's own
# code ("#00 pc 00000000004b1bf8  /data/app/~~…/com.tailscale.ipn-…/base.apk (offset …)", or its lib/<abi>/*.so):
# Android writes these only for a process that died on a signal (the Go runtime aborting is SIGABRT).
_ANDROID_NATIVE_CRASH = lazy_compile(
    # (the closing "<<<" may be cut by the selection: ">>> com.tailscale.ipn <<")
    r"\bpid: \d+, tid: \d+, name: .*>>> com\.tailscale\.ipn(?::\w+)?(?: <|$)"
    r"|^package: com\.tailscale\.ipn(?::\d+)?$"
    r"|^#\d+ pc [0-9a-f]+\s+/data/app/\S*?/com\.tailscale\.ipn-[^/\s]*/(?:base\.apk|lib/[^/\s]+/[^/\s]+\.so)\b"
)


# Android refusing to start the app's VPN service from the background (Android 8+ background service limits, 12+
# foreground-service limits, a battery-restricted app): App.kt's "startVPN hit
# ForegroundServiceStartNotAllowedException: …" / "restartVPN hit IllegalStateException in startService(): … Not
# allowed to start service Intent …: app is in background", IPNService.kt's "Failed to start foreground service:
# …ForegroundServiceStartNotAllowedException…", and ActivityManager's own "Background start not allowed: service
# Intent { … com.tailscale.ipn … }".
_ANDROID_BACKGROUND_BLOCKED = lazy_compile(
    r"^startVPN hit ForegroundServiceStartNotAllowedException"
    r"|^Failed to start foreground service: \S*ForegroundServiceStartNotAllowedException"
    r"|^(?:re)?startVPN hit (?:IllegalStateException in startService\(\)|exception)?: .*"
    r"(?:Not allowed to start service|ForegroundServiceStartNotAllowed)"
    r"|^Background start not allowed: service Intent \{[^}]*com\.tailscale\.ipn"
)


def _android(message: str) -> Iterator[Event]:
    if (blocked := _ANDROID_BACKGROUND_BLOCKED.search(message)) is not None:
        yield Raise("android-background-start-blocked", "android", message[blocked.start() :])
    elif (failed := _ANDROID_VPN_FAILED.search(message)) is not None:
        yield Raise("tun-unavailable", "tun", message[failed.start() :])
    elif message.startswith(_ANDROID_VPN_UP):
        yield Clear("tun-unavailable")
        yield Clear("android-background-start-blocked")  # the VPN service did start after all
    elif _ANDROID_BACKEND_FAILED.match(message) is not None:
        yield Raise("crash", "crash", message)
    elif _ANDROID_NATIVE_CRASH.search(message) is not None:
        yield Raise("crash", "crash", f"Android's native crash report: {message}")


# ------------------------------------------------------------------- tsnet: the embedded node's start failing

# An embedded tsnet node (tsnet/tsnet.go) returning its start or listen failure to the program, which prints it and
# exits (caddy-tailscale, tsnet apps: log.Fatal): Server.Start's error wrapped "tsnet: %w" (doInit: s.start()'s
# "in-memory store is only supported for Ephemeral nodes", "%v is not a directory", "netstack.Create: …",
# "NewLocalBackend: …", "failed to start netstack: …", "starting backend: …", the log policy's "logpolicy.… for …",
# "error creating filch: …"), and Listen's address refused by net.SplitHostPort, "tsnet: %w" of resolveListenAddr
# ("tsnet: address invalid AddrPort: missing port in address": the zero AddrPort's string when the node has no
# address of that family). The node never served: the program ends (a crash of the embedding program).
_TSNET_START_FAILED = lazy_compile(
    # (the program may print it after its own context: caddy's "Error: loading initial config: …: tsnet: …")
    r"(?:^|: )tsnet: (?:address \S.*: (?:missing port in address|too many colons in address|missing '\]' in address"
    r"|unexpected '[\[\]]' in address)$"
    r"|in-memory store is only supported for Ephemeral nodes|\S+ is not a directory$|netstack\.Create: \S"
    r"|NewLocalBackend: \S|failed to start netstack: \S|starting backend: \S"
    r"|logpolicy\.(?:Config\.Save|LoadConfig|Config\.Validate) for \S|error creating filch: \S)"
)


def _tsnet_start(message: str) -> Iterator[Event]:
    if (failed := _TSNET_START_FAILED.search(message)) is not None:
        yield Raise("crash", "crash", message[failed.start() :].removeprefix(": "))


# ---------------------------------------------------------------- macOS / iOS app: the system's VPN session

# The iOS/macOS app's tunnel is a Network Extension the system starts from the app's VPN configuration ("Tailscale
# Tunnel"). The app logs the connection's lastDisconnectError as it changes: 'Last disconnect error for Tailscale
# Tunnel changed from "none" to "<Apple's message, in the user's language>"' ("The VPN session failed because an
# internal error occurred.", Swedish "VPN-sessionen misslyckades eftersom ett internt fel inträffade."): the system
# failed or refused to start the tunnel. A change back to "none" clears it; so does the extension's Go side starting
# again ("goSetupLogs initializing") and getting further (fold.py).
_LAST_DISCONNECT_ERROR = lazy_compile(
    r'(?:^|\s)Last disconnect error for (?P<name>[^"]*?[Tt]ailscale[^"]*?) changed from (?:"[^"]*"|\S+) to '
    r'(?:"(?P<quoted>[^"]*)"|(?P<bare>\S.*?))\.?\s*$'
)
_NO_ERROR = ("none", "(null)", "nil", "")


def _apple_vpn(message: str) -> Iterator[Event]:
    if (change := _LAST_DISCONNECT_ERROR.search(message)) is None:
        return
    error = (change.group("quoted") if change.group("quoted") is not None else change.group("bare")).strip()
    if error.lower() in _NO_ERROR:
        yield Clear("tunnel-start-failed")
    else:
        yield Raise("tunnel-start-failed", "vpn", f"the VPN session of {change.group('name')} failed: {error}")


# macOS itself refusing to run a Tailscale binary (the standalone app's system extension, the app): its code
# signing check (AMFI, through taskgated-helper) finds entitlements the signature's provisioning profile does not
# grant, "io.tailscale.ipn.macsys.network-extension: Unsatisfied entitlements: com.apple.security.application-groups",
# then "Disallowing: io.tailscale.ipn.macsys.network-extension": the extension never runs, so no tunnel (and no
# daemon). The bundle IDs are the app's (io.tailscale.ipn.macos, .macsys, their network-extension).
_TAILSCALE_BUNDLE = r"io\.tailscale\.[\w.-]*\w"
_UNSATISFIED_ENTITLEMENTS = lazy_compile(rf"(?P<id>{_TAILSCALE_BUNDLE}): Unsatisfied entitlements: (?P<what>\S.*?)\s*$")
_DISALLOWING = lazy_compile(rf"(?:^|\s)Disallowing: (?P<id>{_TAILSCALE_BUNDLE})\s*$")


def _apple_code_signing(message: str) -> Iterator[Event]:
    if (unsatisfied := _UNSATISFIED_ENTITLEMENTS.search(message)) is not None:
        bundle, what = unsatisfied.group("id"), unsatisfied.group("what")
        yield Raise("tunnel-start-failed", "signing", f"macOS refused {bundle}: unsatisfied entitlements ({what})")
    elif (disallowed := _DISALLOWING.search(message)) is not None:
        yield Raise("tunnel-start-failed", "signing", f"macOS disallowed {disallowed.group('id')} (code signing)")


# ------------------------------------------------------------------------ router / packet filter

_FIREWALL = lazy_compile(
    r"could not (?:set ?up|create new) netfilter|creating router: |iptables disabled in build|"
    r"RULE_(?:INSERT|APPEND) failed|"
    r"running \[[^\]]*(?:iptables|ip6tables|nft)[^\]]*\]: exit status|^router: .*(?:failed|error)|"
    r"netfilter: .*(?:failed|error)|router: firewall: .*(?:failed|error)|adding route[^:]*: .*(?:failed|error|denied)|"
    r"^addr (?:add|del) failed|error adding Tailscale-(?:In|Process) rule|^route (?:add|del) failed|"
    # the Windows router (wgengine/router/router_windows.go, ifconfig_windows.go) logs these only on an error:
    # "router: ConfigureInterface: <err>", v1.0-v1.4's "getipif: <err>", "setroutes: <err>"
    r"^(?:router: )?ConfigureInterface: \S|^getipif: \S|^(?:router: )?setroutes: \S"
    # the Linux router running iproute2 (wgengine/router/runner.go, v1.0-v1.2x: 'running %q failed: %w\n%s', the
    # command's own error on the next line; router_linux.go: "listing ip rules: %w"): an `ip rule`/`ip route`/
    # `ip addr`/`ip link` it needs failed (a kernel without (IPv6) policy routing, an iproute2 too old for the
    # arguments). The engine wraps it since v1.2x: "router.Up: %w", "router.Set(nil): %w". (`ip link set … up`
    # failing is the TUN device that cannot be brought up: _TUN.)
    r'|running "ip (?:-[46] )?(?:rule|route|addr(?:ess)?) [^"]*" failed: |listing ip rules: \S'
    r"|\brouter\.(?:Up|Set\(nil\)): \S"
    # Windows v1.12-: the firewall subprocess (tailscaled /firewall, cmd/tailscaled/tailscaled_windows.go) exits on
    # "failed to enable firewall: %v" and "failed to update routes (%v)"
    r"|^failed to enable firewall: \S|^failed to update routes \("
    r"|^filewall creation failed: \S"  # its v1.10-v1.12 wording (sic)
    # v1.92-: wgengine goes on to DNS after the router failed ("wgengine: Reconfig: router config failed (%v); …")
    r"|Reconfig: router config failed \(\S"
    # the Linux router's netlink path (router_linux.go addThrowRoute, v1.18-: "THROW ERROR adding %v: %#v", its
    # only log of a route it could not add): the local routes an exit node must not take (LAN access) are not
    # excluded, and router.Set fails with it
    r"|^router: THROW ERROR adding [\d.:a-fA-F]+/\d+: \S"
    # go-iptables' constructor, which the Linux router (v1.0-, util/linuxfw since v1.4x) calls for iptables and
    # ip6tables before any rule: `iptables --version` failing to run ("could not get iptables version: exit status 1",
    # v0.6+; v0.4.5 of Tailscale's v1.0-v1.14: "error checking iptables version: …") or printing no version ("failed
    # to extract iptables version from [%s]: …", v0.4.5 "no iptables version found in string: …"). The router is not
    # created, so neither is the engine: tailscaled exits ("wgengine.New: …", "creating router: …"). The mode
    # detection's own probe of it ("detect iptables rule: …") is harmless (below).
    r"|could not get iptables version: \S|error checking iptables version: \S"
    r"|failed to extract iptables version from \[|no iptables version found in string:"
)
# Not failures: clean-up of rules that were never there, and the router probing what the system supports (no
# `ip` binary to ask about fwmark masks: it assumes none and installs its rules over netlink anyway). util/linuxfw
# lists the IPv6 "filter" table to learn whether to filter IPv6 at all ("ip6tables filtering is not supported on
# this host: %v", checkSupportsV6Filter: containers such as Codespaces have ip6tables but no kernel filter table)
# and counts existing rules to pick a mode ("detect iptables rule: %v", "iptables not found: %v; falling back to
# nftables"): whatever error those carry, tailscaled carries on without that table or with the other tool.
_FIREWALL_HARMLESS = (
    "continuing anyway", "linuxfw: clear", "harmless", "disabling tunneled IPv6", "ip command fwmask support",
    "filtering is not supported on this host", "detect iptables rule:", "detect nftables rule:",
    "falling back to nftables",
    # a route already gone when deleted (router_linux.go), routes kept as they were when merging them fails
    # (consolidating_router.go)
    "ignoring error", "keeping existing routes",
)  # fmt: skip


# The Linux router's netfilter runner saying which firewall it drives (util/linuxfw: "netfilter running in nftables
# mode, v6 = %v", "netfilter running in iptables mode v6 = …"), logged under the router's "router: " prefix: only the
# kernel TUN path creates that router (cmd/tailscaled tryEngine: netstack mode creates none), so not userspace.
_NETFILTER_MODE = lazy_compile(r"^router: netfilter running in (?:nftables|iptables) mode\b")


# A rule, chain or table deleted or flushed that is not there (util/linuxfw iptables_runner.go: "deleting %v in
# %s/%s: …", "flushing %s/%s: …", "deleting %s/%s: …", "deleting loopback allow rule for …", "deleting connmark rule
# in …"; nftables_runner.go: "del table: …", "delete chain: …", "delete rule: …", "flush del rule: …", "delhook: …";
# or a bare iptables run with -D/-F/-X) answered by iptables/nft with the object's absence: what the clean-up meant
# to remove is already gone. A failure to add or insert a rule is not this and stays a router failure.
_ABSENT_DELETION = lazy_compile(
    r"(?:^|: )(?:deleting |flushing |delete |del |flush del |delhook: |flush and delete )"
    r"|running \[\S*(?:iptables|ip6tables)\b[^\]]* -(?:D|F|X|-delete|-flush|-delete-chain) "
)
_ABSENT = (
    "does not exist", "doesn't exist", "No chain/target/match by that name", "does a matching rule exist",
    "No such file or directory", "no such file or directory",
)  # fmt: skip


_V6_PROBE = "ipv6 unavailable due to"  # util/linuxfw 1.62: "ipv6 unavailable due to missing filter table: …"
# util/linuxfw deciding to run IPv4-only (iptables_runner.go / iptables.go v1.0-HEAD: "disabling tunneled IPv6 due to
# system IPv6 config: %v" / "… due to missing ip6tables: %v", nftables_runner.go the first; v1.62-v1.62.x: "ipv6
# unavailable due to missing filter table: %s"): tailscaled goes on without IPv6 inside the tailnet, nothing failed
# (an info). Only 1.62's probe failing on the rights to run ip6tables (an unprivileged tailscaled, Synology DSM 7: the
# xtables lock) is a failure: the host has the table, the probe misreads a permission error as its absence.
_V6_OFF = ("disabling tunneled IPv6 due to", _V6_PROBE)
_V6_PROBE_DENIED = ("lock file", "Permission denied", "must be root", "Operation not permitted")


def is_absent_deletion(message: str) -> bool:
    """A deletion or flush of a rule, chain or table that was not there (routine clean-up, not a failure)."""
    return any(word in message for word in _ABSENT) and _ABSENT_DELETION.search(message) is not None


def _router(message: str) -> Iterator[Event]:
    if _NETFILTER_MODE.match(message) is not None:
        yield Fact("userspace", "false")
        return
    if message.startswith(("note: ", "router: note: ")):
        return  # router_linux.go: "note: %v", a clean-up that failed and that it carries on after (harmless)
    if is_absent_deletion(message):
        return
    if (v6_off := next((message.find(words) for words in _V6_OFF if words in message), -1)) >= 0 and not (
        _V6_PROBE in message and any(word in message for word in _V6_PROBE_DENIED)
    ):
        yield Raise("ipv6-tunnel-off", "router", message[v6_off:])
        return
    if (failure := _FIREWALL.search(message)) is not None and not any(word in message for word in _FIREWALL_HARMLESS):
        # (the IPv6 filter probe's own words say what its failure does: tunneled IPv6 off; rules/daemonlog.py)
        start = message.find(_V6_PROBE) if _V6_PROBE in message else failure.start()
        yield Raise("firewall-failed", "router", message[start:] if start > 20 else message)


# ipnlocal logs what applying a netmap to the engine returned (ipn/ipnlocal authReconfig, v1.0-: "authReconfig:
# ra=%v dns=%v 0x%02x: %v", "[v1] " in front since v1.8): "<nil>" when it worked, else the router's or the DNS
# manager's error, bare (wgengine Reconfig returns router.Set's and dns.Set's errors unwrapped). Which of the two
# failed shows in the error's own words (host-integration catalog: router_linux.go's "adding IP rules: …", "adding
# address %q to tunnel interface", "%d add route failures; first was: …", iptables runs; net/dns's "setLinkDNS: …",
# "running /sbin/resolvconf …", "getting OS base config: …").
_RECONFIG_ERROR = lazy_compile(r"authReconfig: ra=\w+ dns=\w+ 0x[0-9a-f]+: (?!<nil>)(?P<error>\S.*)$")
_RECONFIG_DNS = lazy_compile(
    r"setLink\w+: |resolv|[Rr]esolved|NetworkManager|getting OS base config|OSConfigurator|NRPT|scutil|\bDNS\b"
    r"|dbus-org\.freedesktop\.resolve1"
    # net/dns/nm.go's NetworkManager D-Bus calls
    r"|getDeviceByIpIface: |getAppliedConnection: |reapply: |connecting to system bus: "
    # v1.0-v1.8's Windows DNS in the registry ("setting %s[%s]: %w" on the adapter's Tcpip key, waiting on it),
    # resolved's RevertLink
    r"|\\Parameters\\Interfaces\\\S*\[(?:NameServer|SearchList|Domain)\]: |timeout waiting for registry key"
    r"|RegNotifyChangeKeyValue|RevertLink: "
)
_RECONFIG_ROUTER = lazy_compile(
    r"iptables|ip6tables|nftables|netfilter|IP rules|policy routing|\broute\b|\baddress\b|tunnel interface"
    r"|\brule\b|ts-(?:input|forward|postrouting)|interface (?:up|down)|ConfigureInterface|setroutes|ifconfig"
    # the Windows router's configureInterface (ifconfig_windows.go), returned bare to the engine
    r"|syncAddresses: |(?:adding|deleting) IP \"|skip-as-source|\bMTU\b|interfaceFromLUID|monitorDefaultRoutes"
    # util/linuxfw's nftables runner ("create table: …", "create input chain: …", "error ensuring nat table: …")
    r"|\b(?:chain|table): |\b(?:nat|filter) table\b|netlink receive"
)


def _reconfig(message: str) -> Iterator[Event]:
    if (failed := _RECONFIG_ERROR.search(message)) is None:
        return
    error = failed.group("error")
    if _RECONFIG_DNS.search(error) is not None:
        yield Raise("dns-config-failed", "dns", message[failed.start() :])
    elif _RECONFIG_ROUTER.search(error) is not None:
        yield Raise("firewall-failed", "router", message[failed.start() :])


# The Windows router marking the Tailscale adapter's network Private (ifconfig_windows.go, v1.0-: it polls up to 20
# times, "setPrivateNetwork(try=%d): %v" on an error, "…: success" once set after a retry, "…: not found" while the
# adapter is not listed yet). Since v1.66 an error sets the set-network-category-failed warnable and a success
# clears it: the message is that warnable's event (same kind and key, so the two fold into one issue). A network
# left Public lets Windows' firewall profile for public networks block what peers send.
_NETWORK_CATEGORY = lazy_compile(r"^setPrivateNetwork\(try=\d+\): (?P<outcome>.+)$")
_CATEGORY_WARNABLE = "set-network-category-failed"


def _network_category(message: str) -> Iterator[Event]:
    if (attempt := _NETWORK_CATEGORY.match(message)) is None:
        return
    outcome = attempt.group("outcome")
    if outcome == "success":
        yield Clear(f"health:{_CATEGORY_WARNABLE}")
    elif outcome != "not found":
        yield Raise(f"health:{_CATEGORY_WARNABLE}", _CATEGORY_WARNABLE, message)


# The packet's protocol as ipproto.Proto prints it: a name ("TCP", "ICMPv6", "Frag", "Unknown") or, for one it has
# no name for, its number ("IPProto-44", IPv6's fragment header).
_DROP = lazy_compile(r"^Drop: (?P<packet>[A-Za-z][\w-]*\{[^}]*\})")
# The peer answered a connection attempt with a TSMP reject: its packet filter refused the flow ("acl": no
# policy rule allows it; "shields": shields-up; "host-ip-forwarding-unavailable", "host-fw"). Rate-limited
# repeats print only the format ("… rejected due to %v"), which says as much.
_REJECTED = lazy_compile(
    r"open-conn-track: (?:flow \S+ \S+ > \S+ rejected due to|timeout opening .+?; peer reported problem:)"
    r" (?P<reason>\S+)"
)


# wireguard-go could not hand a received packet to the TUN because Tailscale's inbound packet filter refused it
# (net/tstun/wrap.go ErrFiltered "packet dropped by filter", under wireguard-go's "Failed to write packet(s) to TUN
# device: %v", "wg: " before it since wglog): a filter drop, the TUN itself works.
_FILTERED_WRITE = lazy_compile(r"Failed to write packets? to TUN device: packet dropped by filter")


def _filter(message: str) -> Iterator[Event]:
    if _DROP.match(message) is not None:
        yield Raise("packet-dropped", "filter", message)
    elif (filtered := _FILTERED_WRITE.search(message)) is not None:
        yield Raise("packet-dropped", "filter", message[filtered.start() :])
    elif (rejected := _REJECTED.search(message)) is not None:
        yield Raise("packet-dropped", "filter", message[rejected.start() :])


# ------------------------------------------------------------------------------------- state store

_STATE_STORE = lazy_compile(
    r"(?:store\.New|StateStore|WriteState|state (?:store|file|directory)|creating state directory|tailscaled\.state|"
    r"/var/lib/tailscale|server-state\.conf)[^\n]*?(?:permission denied|operation not permitted|read-only file system|"
    r"no space left on device|Access is denied)|state store is unhealthy|[Ff]ailed to save new controlclient state|"
    r"error writing machine key to store|"
    r"kube ?store: (?:error|failed)(?! creating (?:tailscaled state (?:update )?)?Event)|"  # an Event is no state
    # cmd/tailscaled cannot create the --statedir it was given (v1.20-: "failed to create state directory: %v")
    r"failed to create state directory: \S|"
    # the profile manager writing a state key, or reading the store at all (ipn/ipnlocal/profiles.go, v1.34-):
    # any error is the store refusing (a full disk, a kube Secret it may not patch, a TPM that will not unseal)
    r"WriteState\(\"[^\"]*\"\): \S|calling ReadState on state store: \S|"
    # cmd/tailscaled: store.New failing at all is the state store that cannot be opened ("store.New: %w" when the
    # daemon exits on it, "store.New failed: %v; starting with in-memory store with a health warning" since the
    # state-store-health warnable): a directory it cannot create, a state file it cannot parse, a TPM-sealed one
    # the TPM will not unseal (feature/tpm: reset, replaced, TPM_RC_LOCKOUT in dictionary-attack lockout) — its
    # state cannot be read, whatever the wrapping. feature/tpm's own words name the sealed file outside store.New
    # too (sealing it on a write, migrating it to or from the sealed format at start).
    r"\bstore\.New(?: failed)?: \S|failed to (?:un)?seal (?:state file|encryption key (?:with|to) TPM)|"
    r"has not been TPM-sealed or is corrupt|failed to migrate existing (?:TPM-sealed )?state file|newTPMStore\(|"
    # the profile manager reading a profile's saved prefs out of the store (ipn/ipnlocal/profiles.go: "failed to
    # load profile prefs for <name> (<id>): %w" since v1.9x around "parsing saved prefs: %w" since v1.80, the index
    # "unmarshaling known profiles: %w" since v1.34): a blob it cannot read back (corrupt, or a TPM-bound attestation
    # key the TPM no longer loads: "tpm2.Load: TPM_RC_INTEGRITY"), and tailscaled stops at start
    r"failed to load profile prefs for .*?: \S|parsing saved prefs: \S|unmarshaling known profiles: \S|"
    # writes into the store failing whatever the error (ipn/ipnlocal/serve.go "writing ServeConfig to StateStore: %w",
    # a Kubernetes Secret's update losing a race with another writer: "Operation cannot be fulfilled on secrets …";
    # kube/state's "error writing pod UID|capability version to state store: %w"; kubestore's first read "error
    # loading state from kube Secret: %w")
    r"writing ServeConfig to StateStore: \S|error writing (?:pod UID|capability version) to state store: \S|"
    r"error loading state from kube Secret: \S|"
    # the prefs Start reconciled (a new node key, a policy's setting) that could not be written (ipn/ipnlocal/local.go
    # reconcilePrefsLocked, v1.86-: "failed to save updated and reconciled prefs (but still using updated prefs in
    # memory): %v"; v1.12-v1.84 "failed to save UpdatePrefs state: %v" saving the prefs control's answer changed),
    # and the profile a switch made the user's default
    # (profiles.go SwitchToProfile, v1.86-: "failed to set <name> (<id>) as the default profile: %v", the store's
    # WriteState): the next start does not find them. (Not "profile access denied": the profile is another Windows
    # user's, no store failed.)
    r"failed to save updated and reconciled prefs \(but still using updated prefs in memory\): \S|"
    r"failed to save UpdatePrefs state: \S|"
    r"failed to set .+ as the default profile: (?!profile access denied)\S"
)


# logpolicy saving the log config (the node's log ID) next to the state, in the state directory: "logpolicy.Config
# write: …" (2020: it ignored MkdirAll's error, so a directory it could not create shows as "no such file or
# directory" on the temporary file), "logpolicy.Config.Save: …" (v0.98-v1.20), "logpolicy.Config.Save for <path>: …"
# since. The directory is missing and cannot
# be created, or not writable: the state kept there cannot be written either. (logpolicy's "ConfigFromFile"/"Read"
# failing on a missing file is a first start, not a failure.)
_LOG_CONFIG_UNSAVED = lazy_compile(
    r"logpolicy\.Config(?: write:|\.Save(?: for .+?:|:)) .*?(?:no such file or directory|permission denied|"
    r"operation not permitted|read-only file system|no space left on device|Access is denied|cannot find the path)",
    re.IGNORECASE,
)
# logpolicy keeps its config in the state directory only when it finds one ("using system state directory",
# "$STATE_DIRECTORY", --statedir, Windows' ProgramData dir); otherwise in the user's cache directory ("using
# UserCacheDir": $XDG_CACHE_HOME or $HOME/.cache, "/.cache" with $HOME unset in a container; macOS Library/Caches),
# Windows' LocalAppData, the working directory or a "tailscaled-log-*" temp dir (logpolicy/logpolicy.go LogsDir).
# A config it cannot save there says nothing about the state (blind 22: 943, the store wrote its key fine).
_LOG_CONFIG_OUTSIDE_STATE = lazy_compile(
    r"(?:^|[/\\ ])\.cache(?:[/\\:]|$)|Library/Caches/|AppData\\Local\\|tailscaled-log-", re.IGNORECASE
)
_LOG_CONFIG_PATH = lazy_compile(r"logpolicy\.Config(?: write:|\.Save(?: for (?P<path>.+?):|:))(?P<error>.*)")
# The state store's own write succeeding (ipn/ipnlocal: "machine key written to store", v1.2-): the state is
# writable (ipn.WriteState went through), so no state failure logged before it still holds: a log config that failed
# to save was not the state directory's problem.
_STORE_WRITTEN = "machine key written to store"

# In Kubernetes the state is a Secret (containerboot's TS_KUBE_SECRET, kubestore): containerboot and kubestore ask
# the API server about it. kube/kubeclient logs a failed access review ("error checking %s permission on secret %s:
# %v", get/update/patch/create: the API not answering, a TLS alert, a refusal) and returns the missing rights
# containerboot stops on ("some Kubernetes permissions are missing, please check your RBAC configuration: missing
# get permission on secret …"); containerboot's own reads and writes of it fail with "getting (Tailscale state)
# Secret %s: …", "error retrieving/patching state Secret: …", "failed to read state Secret …", "… does not exist
# and we don't have permissions to create it", "storing device ID / device IPs and FQDN in Kubernetes Secret: …".
# Each says the node's state Secret cannot be read or written: the node cannot keep its identity.
_STATE_SECRET = lazy_compile(
    r"error checking (?:get|update|patch|create) permission on secret \S+: \S"
    r"|some Kubernetes permissions are missing, please check your RBAC configuration"
    r"|getting (?:Tailscale state )?Secret \S+: \S|error (?:retrieving|patching) state [Ss]ecret: \S"
    r"|failed to read state Secret \S+ to reset state: \S|state Secret \S+ does not exist and we don't have permissions"
    r"|storing device (?:ID|IPs and FQDN) in Kubernetes Secret: \S"
)


def is_state_secret_error(message: str) -> bool:
    """containerboot or kubestore failing to read, write or check its rights on the Kubernetes state Secret."""
    return _STATE_SECRET.search(message) is not None


# atomicfile.WriteFile (the state file store's every write, and its first "{}" write that checks the path is writable)
# writes "<file>.tmp<digits>" beside the file and renames it into place; Go words a failed rename "rename <old> <new>:
# <error>" (an empty --state path leaves "<new>" empty: 'rename .\\..tmp1113218995 : The system cannot find the path
# specified.'). Into the state file (tailscaled.state, Windows' server-state.conf, any *.state), or under the Windows
# subprocess's fatal "ipnserver: %v" (cmd/tailscaled/tailscaled_windows.go: startIPNServer's only file write is the
# state store): the state cannot be written.
_STATE_RENAME = lazy_compile(r"(?P<fatal>^ipnserver: )?(?P<what>rename (?P<tmp>.*?\.tmp\d+) (?P<dest>.*?): \S.*)")
_STATE_FILE = lazy_compile(r"(?:tailscaled\.state|server-state\.conf|\.state)$")


# Each alternative of _store's patterns holds one of these. ("tailscale" alone once stood for "/var/lib/tailscale" and
# the TPM wordings, and sent every line of prose naming Tailscale through five state patterns.)
_STORE_WORDS = (
    "state",
    "store",
    "StateStore",
    "/var/lib/tailscale",
    "TPM",
    "logpolicy.Config",
    "ecret",
    "WriteState",
    ".tmp",
    " prefs",  # "failed to load profile prefs", "parsing saved prefs", "updated and reconciled prefs"
    "UpdatePrefs state",
    "known profiles",
    "default profile",
)


def _store(message: str) -> Iterator[Event]:
    if taildrop_receive_failure(message) is not None or _SSH_HOST_KEYS.search(message) is not None:
        # Taildrop's directory and Tailscale SSH's key directory (taildrop-failed, ssh-failed) are not the state
        # store, even where they lie under the state directory
        return
    if (renamed := _STATE_RENAME.search(message)) is not None and (
        renamed.group("fatal") is not None or _STATE_FILE.search(renamed.group("dest")) is not None
    ):
        yield Raise("state-unwritable", "store", renamed.group("what"))
        return
    if (secret := _STATE_SECRET.search(message)) is not None:
        yield Raise("state-unwritable", "store", message[secret.start() :])
        return
    if (unsaved := _LOG_CONFIG_UNSAVED.search(message)) is not None:
        where = _LOG_CONFIG_PATH.search(message)
        path = f"{where.group('path') or ''} {where.group('error')}" if where is not None else ""
        if _LOG_CONFIG_OUTSIDE_STATE.search(path) is None:
            yield Raise("state-unwritable", "store", message[unsaved.start() :])
    elif message.endswith(_STORE_WRITTEN):
        yield Clear("state-unwritable", "store")
    elif _STATE_STORE.search(message) is not None and "logpolicy" not in message:
        yield Raise("state-unwritable", "store", message)


# ------------------------------------------------------------------------------------- UDP port

_PORT = lazy_compile(
    r"(?:listen udp\d?|bind udp\d?|unable to bind)[^\n]*"
    # Windows WSAEACCES: the port lies in a range Hyper-V/WinNAT excluded, or another socket holds it exclusively
    r"(?:address already in use|Only one usage of each socket address|forbidden by its access permissions)"
)


# magicsock v1.0-v1.6 taking a random port because the fixed one was taken ("magicsock: bind: default port %s/%v
# unavailable; picking random"). netstack binding a forwarded UDP flow's local port and taking a random one instead
# ("netstack: could not bind local port %v: %v, trying again with random port") is not the WireGuard port.
_PORT_TAKEN = lazy_compile(r"default port \S+ unavailable; picking random")
_PORT_NOT_WIREGUARD = "trying again with random port"


def _port(message: str) -> Iterator[Event]:
    if _PORT_NOT_WIREGUARD in message or message.startswith((_DERPER_STUN_FATAL, _RELAY_SERVER)):
        return  # derper's STUN port and the peer relay server's port are not the WireGuard port (_derper, _peer_relay)
    if _PORT.search(message) is not None or _PORT_TAKEN.search(message) is not None:
        yield Raise("port-in-use", "port", message)


# ------------------------------------------------------------------------------ disco / peers

_PONG_TIMEOUT = lazy_compile(r"disco: timeout waiting for pong \S+ from (?P<ep>\S+) \(\[(?P<key>[^\]]+)\]")
_NOW_USING = lazy_compile(r"disco: node \[(?P<key>[^\]]+)\] d:\w+ now using (?P<ep>\S+)")
_GOT_PONG = lazy_compile(r"\(\[(?P<key>[^\]]+)\], (?P<ep>[^)\s]+)\)\s+got pong")
_CONN_TRACK = lazy_compile(
    # (a line cut off after the node key by a terminal, a pager or a quote still names the peer)
    r"open-conn-track: timeout opening (?P<what>.+?) to node (?P<key>\S+?)(?:;|$)"
    r"|open-conn-track: timeout opening %v to node"
    # the other diagnoses of pendopen.go: a peer too old for disco, without a DERP home, or missing from WireGuard
    r"|open-conn-track: timeout opening .+?; (?:peer|target) node (?P<key2>\S+) (?:running pre-0\.100|"
    r"not connected to any DERP relay|in netmap but unknown to (?:WireGuard|wireguard))"
)

# Disco talking to a peer without saying yet whether it answers: "disco: send, starting discovery for [CnK7M]
# (d:…)", "disco: d:…->d:… ([CnK7M], 192.168.86.239:50770) sent ping tx=…" / "… sent call-me-maybe" (magicsock's
# disco send log; v1.0x "disco: [key] …"). The peer is one the node talks to: listed, with no path claimed.
_DISCO_PEER = lazy_compile(
    r"disco: send, starting discovery for \[(?P<key>[^\]]+)\]"
    r"|\(\[(?P<key2>[^\]]+)\], [^)\s]+\) sent (?:ping|call-me-maybe|pong)"
)

# A peer reaching this node (over DERP) with a key this node's netmap does not hold: magicsock drops its disco
# message, so no direct path is set up with it (wgengine/magicsock/magicsock.go, v1.20 on: "magicsock: disco:
# ignoring CallMeMaybe from d:<disco>; [<nodekey>] is unknown", 2025 on any message type, "ignoring CallMeMaybeVia
# …", "ignoring AllocateUDPRelayEndpointResponse …"; older and debug wordings: "ignoring disco-looking frame, don't
# know node|endpoint for d:…" / "don't know of key d:…", v1.0's "DERP packet from unknown key: [<nodekey>]" and
# "[unexpected] ignoring ping from unknown peer Node"). Control has not delivered the peer (a new key after a
# re-login) or the policy hides it from this node. One line during a key rotation is routine: weak, per key.
_KEY_UNKNOWN = lazy_compile(
    r"disco: ignoring \w+ from \S+; \[(?P<key>[^\]\s]+)\] is unknown"
    r"|disco: ignoring disco-looking frame, don't know (?:node|endpoint|of key) (?:for )?(?P<disco>d:\w+)"
    r"|DERP packet from unknown key: \[?(?P<key2>[^\]\s]+)\]?"
    r"|disco: (?:\[unexpected\] )?ignoring ping from unknown peer"
)
# "open-conn-track: timeout opening (TCP a => [fd7a:115c:a1e0::e236:257d]:443); no associated peer node" with a
# destination in the tailnet's own ranges (100.64.0.0/10, fd7a:115c:a1e0::/48).
_NO_PEER = lazy_compile(
    r"open-conn-track: timeout opening \(\w+ \S+ => \[?(?P<dst>(?:" + TAILNET_V4_PREFIX + r"\d+\.\d+"
    r"|" + TAILNET_V6_PREFIX + r"[0-9a-f:]*))\]?:\d+\); no associated peer node"
)


def _disco(message: str) -> Iterator[Event]:
    if "know" in message and (unknown := _KEY_UNKNOWN.search(message)) is not None:
        node_key = unknown.group("key") or unknown.group("key2")
        yield Raise("peer-key-unknown", node_key or unknown.group("disco") or "?", unknown.group(0), weak=True)
        if node_key is not None:
            yield Fact("peer", node_key)
    elif (using := _NOW_USING.search(message)) is not None:
        key, endpoint = using.group("key"), using.group("ep")
        yield Fact("peer", key, endpoint)
        yield Clear("peer-unreachable", key)
        yield Clear("peer-key-unknown", key)  # a path to it: its key is known now
        yield Clear("peer-unreachable", PROXIED_DIAL)  # a direct path came up: the dials' silence was the path
    elif (pong := _GOT_PONG.search(message)) is not None:
        key = pong.group("key")
        if not pong.group("ep").startswith("derp"):
            yield Fact("peer", key, pong.group("ep"))
        yield Clear("peer-unreachable", key)
        yield Clear("peer-key-unknown", key)
    elif (timeout := _PONG_TIMEOUT.search(message)) is not None:
        # Disco pings every candidate endpoint and the unreachable ones time out routinely: one timeout
        # says little, repeated ones with no pong from the peer say it does not answer.
        yield Raise("peer-unreachable", timeout.group("key"), message[timeout.start() :], weak=True)
        yield Fact("peer", timeout.group("key"))
    elif (track := _CONN_TRACK.search(message)) is not None:
        key = (track.group("key") or track.group("key2") or "?").strip("[]")
        yield Raise("peer-unreachable", key, message[track.start() :])
        if key != "?":
            yield Fact("peer", key)
    elif (orphan := _NO_PEER.search(message)) is not None:
        # To a public address this is NetworkManager's connectivity probe leaking into the tunnel (log spam,
        # wgengine/pendopen.go); to a tailnet address it is a node or Service this node's netmap does not have.
        yield Raise("no-peer-for-address", orphan.group("dst"), message[orphan.start() :])
    elif (talking := _DISCO_PEER.search(message)) is not None:
        yield Fact("peer", talking.group("key") or talking.group("key2"))
        yield Clear("peer-key-unknown", talking.group("key") or talking.group("key2"))  # in the netmap: pinged


# ------------------------------------------------------------------------------ proxied connections

# Userspace networking's SOCKS5 server logs a client's dial that failed (net/socks5: "client connection failed: %v"
# under the "socks5: " prefix cmd/tailscaled gives it). gVisor's netstack names a reset from the far side
# "connection was refused", the kernel dialer "connect: connection refused": the tailnet path (subnet route, exit
# node, peer) carried the SYN and the destination answered it with a reset — nothing listens there. (The outbound
# HTTP proxy's "http: proxy error: …" is Go's reverse proxy, the same line serve's proxy logs: read as serve's.)
_PROXY_REFUSED = lazy_compile(
    r"socks5: client connection failed: (?:.*?: )?(?:dial|connect) tcp (?:\S+->)?"
    r"(?P<dst>\[[0-9a-fA-F:.]+\]:\d+|[\w.-]+:\d+): (?:connect: )?connection (?:was )?refused"
)
# The same dial getting no answer at all: the route or the peer behind it does not carry the traffic. The line
# names no destination, so every proxied dial shares one key, and a later refusal (an answer came back) or a
# direct path clears it.
_PROXY_TIMEOUT = lazy_compile(
    r"socks5: client connection failed: (?:.*?: )?(?:context deadline exceeded|i/o timeout|connection timed out)\s*$"
)
PROXIED_DIAL = "the destination of a proxied connection"


def _proxy(message: str) -> Iterator[Event]:
    if (refused := _PROXY_REFUSED.search(message)) is not None:
        yield Clear("peer-unreachable", PROXIED_DIAL)
        yield Raise("destination-refused", refused.group("dst"), message[refused.start() :])
    elif (timeout := _PROXY_TIMEOUT.search(message)) is not None:
        yield Raise("peer-unreachable", PROXIED_DIAL, message[timeout.start() :], weak=True)


# ------------------------------------------------------------------------- subnet router's relayed pings

# A subnet router (or app connector) in netstack mode answers a peer's ICMP echo to a LAN host itself: it runs the
# OS's ping to that host and sends the echo reply back only if that ping succeeds (wgengine/netstack userPing,
# "exec ping of %v failed in %v: %v"; before v1.20 without the error). It logs the failure only when the ping failed
# fast (under 0.5 s): the LAN host answered with an ICMP error (Windows: "unsuccessful ICMP reply received", ping.exe
# printing "Destination host unreachable"), the ping binary exited at once ("exit status 1/2") or could not be run
# ("executable file not found", "permission denied"). A host that is only silent is never logged. Debug builds log
# the success ("exec pinged %v in %v"), which clears that destination.
# On macOS/iOS the router sends an unprivileged ping itself (netstack_userping_apple.go) and logs every outcome:
# "sendOutboundUserPing: ping to %s failed: %v" (a timeout included: the host is silent), "… pong from %s in %v".
_EXEC_PING_FAILED = lazy_compile(
    r"exec ping of (?P<dst>\S+) failed in \S|sendOutboundUserPing: ping to (?P<dst2>\S+) failed"
)
_EXEC_PINGED = lazy_compile(r"exec pinged (?P<dst>\S+) in |sendOutboundUserPing: pong from (?P<dst2>\S+) in ")


def _subnet_ping(message: str) -> Iterator[Event]:
    if (failed := _EXEC_PING_FAILED.search(message)) is not None:
        yield Raise("subnet-ping-failed", failed.group("dst") or failed.group("dst2"), message[failed.start() :])
    elif (pinged := _EXEC_PINGED.search(message)) is not None:
        yield Clear("subnet-ping-failed", pinged.group("dst") or pinged.group("dst2"))


# ------------------------------------------------------------------------------------- tailnet lock

# With tailnet lock (first named network lock) enabled, the node removes from its netmap every peer whose node key
# carries no signature or one that does not verify (ipn/ipnlocal/tailnet-lock.go: "Tailnet lock is dropping peer
# %v(%v) due to missing signature" / "… due to failed signature check: %v", v1.30-v1.5x "Network lock is …", the
# delta path's "… dropping delta-upserted peer …"): that peer is unreachable from here until a signing node signs
# it. A peer dropped "due to key rotation" is an old key a newer signed one replaced: nothing to do.
_LOCK_DROPPED = lazy_compile(
    r"(?:Tailnet|Network) [Ll]ock is dropping (?:delta-upserted )?peer (?P<id>[^\s(]+)(?:\((?P<stable>[^)\s]*)\))?"
    r" due to (?:missing signature|failed signature check)"
)


# After each netmap tailscaled brings its tailnet lock (TKA) state in line with control's (ipn/ipnlocal/local.go
# "[v1] TKA sync error: %v" around tkaSyncIfNeeded's errors in tailnet-lock.go, network-lock.go before v1.9x):
# "bootstrap: network-lock is not supported in this configuration, try setting --statedir" (no state directory,
# before v1.90), "fetching bootstrap: …", "tka sync: …", "tka bootstrap: …", "tka compact: …"; loading the stored
# state at start fails as "initTKALocked: opening tailchonk: …" / "… initializing tka: …"; a sync that ends out of
# step logs "TKA desync: expected consensus after sync but …". Either way this node does not hold the tailnet's lock
# state: it cannot check peers' signatures as the lock wants (lock-signed peers may be dropped, changes not seen).
# "tkaSyncIfNeeded: no node key in prefs" is a node not logged in yet (login-required says so), not a lock failure.
_LOCK_SYNC_FAILED = lazy_compile(r"TKA sync error: (?!tkaSyncIfNeeded: no node key)\S|initTKALocked: \S|TKA desync: ")


def _tailnet_lock(message: str) -> Iterator[Event]:
    if (dropped := _LOCK_DROPPED.search(message)) is not None:
        peer = dropped.group("stable") or dropped.group("id")
        yield Raise("tailnet-lock-dropped-peer", peer, message[dropped.start() :])
    elif (unsynced := _LOCK_SYNC_FAILED.search(message)) is not None:
        yield Raise("tailnet-lock-sync-failed", "tka", message[unsynced.start() :])


# ------------------------------------------------------------------------ interfaces inside 100.64.0.0/10

# netmon's interface list, as LinkChange logs it (v1.0-v1.5x "LinkChange: major, rebinding. New state:
# interfaces.State{defaultRoute=wlan0 ifs={rmnet_data2:[100.95.1.2/29] tun0:[100.87.143.114/32 fd7a:…/128]} …}",
# later "… rebinding: old: interfaces.State{…} new: interfaces.State{…} diff: …"): each up interface as
# "name:[prefix prefix …]" (llu4/llu6/lo4 for link-local and loopback), "name:down", "name:nil"; Windows names hold
# spaces ("Ethernet 2:[…]"). Tailscale's own addresses are host routes (/32 on tailscale0, utun, tun0, the Windows
# adapter) beside an fd7a:115c:a1e0::/48 one; an address of 100.64.0.0/10 on any other interface (a subnet on a
# tun/utun one) is carrier-grade NAT (a mobile carrier's rmnet/ccmni/pdp, a CPE's WAN) or another VPN or overlay
# (ZeroTier, WireGuard, a Kubernetes CNI) colliding with Tailscale's addresses — except ChromeOS's own VM range
# 100.115.92.0/23, which Tailscale never assigns (net/tsaddr). The last state of a line is the current one.
_IFS = lazy_compile(r"ifs=\{(?P<ifs>[^}]*)")
_IFACE = lazy_compile(r"(?:^|(?<=[{\s]))(?P<name>[^\s:\[\]{}][^:\[\]{}]*?):\[(?P<addrs>[^\]]*)\]")
# an IPv4 address inside 100.64.0.0/10 (second octet 64-127), the rest possibly redacted ("100.95.x.y/29"), with
# its prefix length (v1.8 on) or bare (v1.0-v1.6 printed addresses without one)
_CGNAT_ADDRESS = lazy_compile(
    r"^100\.(?P<second>6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.(?P<third>[\w*]+)\.[\w*]+(?:/(?P<bits>\d+))?$"
)
# Names Tailscale's own interface has: tailscale0 (Linux, BSD), "Tailscale" (Windows); utunN (macOS, iOS) and tun0
# (Android) hold a host address (/32) or, before v1.8, a bare one — a subnet there is another VPN's.
_OWN_NAME = lazy_compile(r"^(?:[Tt]ailscale|u?tun\d*$)")


def is_cgnat_address(address: str) -> bool:
    """An IPv4 address inside 100.64.0.0/10 that Tailscale could assign (not ChromeOS's 100.115.92.0/23)."""
    cgnat = _CGNAT_ADDRESS.match(address)
    return cgnat is not None and not (cgnat.group("second") == "115" and cgnat.group("third") in ("92", "93"))


def _cgnat_overlaps(message: str) -> list[tuple[str, str]]:
    """(interface, address) of every interface in the message's last interface list that is not Tailscale's and
    holds an address inside 100.64.0.0/10."""
    # the last list ("ifs={" rather than "interfaces.State{", which a re-wrapped paste may have cut in two)
    if (listing := _IFS.match(message, message.rfind("ifs={"))) is None:
        return []
    found: list[tuple[str, str]] = []
    for iface in _IFACE.finditer(listing.group("ifs")):
        name, addrs = iface.group("name"), iface.group("addrs").split()
        if any(a.lower().startswith("fd7a:115c:a1e0:") for a in addrs):
            continue  # Tailscale's own interface, whatever its name (--tun=…)
        own_name = _OWN_NAME.match(name) is not None
        for addr in addrs:
            if (cgnat := _CGNAT_ADDRESS.match(addr)) is None:
                continue
            if cgnat.group("second") == "115" and cgnat.group("third") in ("92", "93"):
                continue  # ChromeOS's VM/ARC range (100.115.92.0/23), which Tailscale never assigns from
            bits = cgnat.group("bits")
            if own_name and (name.lower().startswith("tailscale") or bits is None or int(bits) >= 32):
                continue  # Tailscale's own address on its own interface
            found.append((name, addr))
    return found


# The host losing every network link (wgengine/userspace.go, v1.2 on, unchanged at HEAD): "LinkChange: all links down;
# pausing: <state>" (the interfaces.State, from 2024 netmon's "old: … new: …" description) and magicsock's
# "SetNetworkUp(false)"; the engine idles until the OS brings a link back. Any other link change ("LinkChange: major,
# rebinding…", "LinkChange: minor": both are logged only with a link up) or "SetNetworkUp(true)" ends it. The
# network-status warnable (v1.68 on; "network down" in the older overall health error) is the same condition.
_LINKS_DOWN = lazy_compile(r"^(?:\[v1\] )?LinkChange: all links down\b|^magicsock: SetNetworkUp\(false\)")
_LINK_UP = lazy_compile(r"^(?:\[v1\] )?LinkChange: (?:major|minor)\b|^magicsock: SetNetworkUp\(true\)")


def _network_link(message: str) -> Iterator[Event]:
    if _LINKS_DOWN.search(message) is not None:
        yield Raise("network-down", "network", message)
    elif _LINK_UP.search(message) is not None:
        yield Clear("network-down")


def _interfaces(message: str) -> Iterator[Event]:
    if "ifs={" not in message:
        return
    yield Clear("cgnat-overlap")  # the list is the current one: an earlier overlap is gone unless listed again
    for name, prefix in _cgnat_overlaps(message):
        yield Raise("cgnat-overlap", f"{name} {prefix}", message)


# ------------------------------------------------------------------------------ WireGuard handshakes

# wireguard-go (logged as "wg: [peer] - …"; before v1.4 "peer(key…) - …") re-sends a handshake initiation every
# 5 s that goes unanswered and gives up after 20 attempts. The first retry ("try 2") happens routinely (a lost
# packet, a roaming peer): alone it needs a second; a later try or giving up says the peer does not answer.
_HANDSHAKE = lazy_compile(
    r"(?:\[(?P<key>[^\]]+)\]|peer\((?P<key2>[^)]+)\)) - Handshake did not complete after "
    r"(?:\d+ seconds, retrying \(try (?P<try>\d+)\)|\d+ attempts, giving up)"
)
_HANDSHAKE_DONE = lazy_compile(r"(?:\[(?P<key>[^\]]+)\]|peer\((?P<key2>[^)]+)\)) - Received handshake response")
# wireguard-go starting a handshake with a peer ("[CnK7M] - Sending handshake initiation"): a peer it talks to.
_HANDSHAKE_SENT = lazy_compile(
    r"(?:^|wg: )(?:\[v2\] )?(?:\[(?P<key>[^\]\s]+)\]|peer\((?P<key2>[^)]+)\)) - Sending handshake initiation"
)
# wireguard-go asking magicsock to send to a peer that has neither a direct endpoint nor a DERP home (services
# catalog; device/send.go's Errorf "%v - Failed to send handshake initiation: %v", and before v1.6, when tailscaled
# still logged it, "… - Failed to send data packet: %v"): nothing can reach that peer.
_NO_PATH = lazy_compile(
    r"(?:\[(?P<key>[^\]\s]+)\]|peer\((?P<key2>[^)]+)\)) - Failed to send (?:handshake initiation|data packet): "
    r"no UDP or DERP addr"
)
# wireguard-go's TUN reader failing while the device is open (device/send.go "Failed to read packet from TUN device:
# %v"; it stays quiet once the device is closing): the TUN device went away under tailscaled.
_TUN_READ_FAILED = lazy_compile(r"(?:^|wg: )Failed to read packet from TUN device: (?!.*closed)\S")


def _wireguard(message: str) -> Iterator[Event]:
    if (retry := _HANDSHAKE.search(message)) is not None:
        key = retry.group("key") or retry.group("key2")
        attempt = retry.group("try")
        weak = attempt is not None and int(attempt) <= 2
        yield Raise("peer-unreachable", key, message[retry.start() :], weak=weak)
        yield Fact("peer", key)
    elif (done := _HANDSHAKE_DONE.search(message)) is not None:
        yield Clear("peer-unreachable", done.group("key") or done.group("key2"))
        yield Clear("peer-key-unknown", done.group("key") or done.group("key2"))
    elif (sent := _HANDSHAKE_SENT.search(message)) is not None:
        yield Fact("peer", sent.group("key") or sent.group("key2"))
    elif (no_path := _NO_PATH.search(message)) is not None:
        key = no_path.group("key") or no_path.group("key2")
        yield Raise("peer-unreachable", key, message[no_path.start() :], weak=True)
        yield Fact("peer", key)
    elif _TUN_READ_FAILED.search(message) is not None:
        yield Raise("tun-unavailable", "tun-read", message)


# ---------------------------------------------------------------------- inbound port nothing serves

# A connection reached this node over the tailnet for a TCP port nothing on it handles: with netstack (userspace
# networking, an embedded tsnet node) tailscaled looks the port up in its serve config and finds no handler
# (ipn/ipnlocal, before v1.52: "[unexpected] localbackend: got TCP conn without TCP config for port %v; from %v",
# "… got TCP conn w/o serveConfig; from %v to port %v"; since then "[unexpected] local-serve: no handler for %v to
# port %v", and a funnel/ingress connection "handleIngress: [unexpected] no matching ingress serve handler for %v to
# port %v" / "got ingress conn for unconfigured %q; rejecting"): the connection is dropped.
_INBOUND_UNHANDLED = lazy_compile(
    r"got TCP conn without TCP config for port (?P<port>\d+)"
    r"|got TCP conn w/o serveConfig; from \S+ to port (?P<port2>\d+)"
    r"|(?:local-serve: no handler|no matching ingress serve handler) for \S+ to port (?P<port3>\d+)"
    r"|got ingress conn for unconfigured \"[^\"]*?:(?P<port4>\d+)\"; rejecting"
)


def _inbound(message: str) -> Iterator[Event]:
    if (unhandled := _INBOUND_UNHANDLED.search(message)) is not None:
        port = next(group for group in unhandled.group("port", "port2", "port3", "port4") if group)
        yield Raise("inbound-port-unhandled", port, message[unhandled.start() :])


# ------------------------------------------------------------------------------ serve / funnel backend

_SERVE_BACKEND = lazy_compile(
    r"netstack: could not connect to local\s+(?:backend\s+)?server\s+at (?P<target>\S+?):? (?P<error>.*)$"
    r"|serve: (?:proxy|http) (?:error|proxy error).*?(?:dial tcp (?P<target2>\S+?): )(?P<error2>.*)$"
    # serve's reverse proxy (Go's httputil, logging through tailscaled's logger) cannot dial its backend; a
    # client going away ("context canceled") is not the backend's fault, so only a dial error counts
    r"|^http: proxy error: dial tcp (?P<target3>\S+?): (?P<error3>.*)$"
)


# netstack's forwardTCP logs "could not connect to local (backend )server at %s" for EVERY connection it forwards,
# not only its own services (wgengine/netstack/netstack.go): a connection to this node's tailnet address is dialled
# on loopback (127.0.0.1/::1; a tailnet address, 100.64/10 or fd7a:115c:a1e0::, is this node's too), one to a
# subnet route's host or through an exit node is dialled at its real destination. For the destination the answer
# says what failed: a refusal (the path works, nothing listens there) or no way to it at all ("network is
# unreachable", "no route to host", a timeout: this node has no route, e.g. no IPv6 upstream).
# A loopback dial is never serve's: acceptTCP returns through the serve/ingress handler (lb.TCPHandlerForDst) for
# every port serve takes, before forwardTCP; only a connection to a port NO handler takes is rewritten to loopback
# (every version since v1.6). So it is a port of this node that neither serve nor a local service handles (lead,
# session 15): an ingress whose serve config is not in effect, or clients using a port nothing serves.
# (The destination is an address or host:port as Go's net.Dial prints it.)
_LOCAL_TARGET = lazy_compile(
    r"^(?:127\.[\d.]+|\[::1\]|localhost|\[::ffff:127\.[\d.]+\]|" + TAILNET_V4_PREFIX + r"[\d.]+"
    r"|\[" + TAILNET_V6_PREFIX + r"[0-9a-fA-F:]*\])(?::\d+)?$"
)
_DIAL_REFUSED = lazy_compile(r"connection\s+(?:was\s+)?refused")
# serve's TCP forwarder (`tailscale serve --tcp`, a TCP service: ipn/ipnlocal/serve.go since v1.3x, "localbackend:
# failed to TCP proxy port %v (from %v) to %s: %v") dialling the backend its serve config names: whatever the host,
# it is the serve backend that does not answer (a unix socket backend too).
_SERVE_TCP_FORWARD = lazy_compile(r"localbackend: failed to TCP proxy port \d+ \(from \S+\) to (?P<target>\S+?): \S")
# serve's file or directory backend (`tailscale serve --set-path /docs /srv/docs`) that tailscaled cannot read
# (ipn/ipnlocal/serve.go serveFileOrDirectory, v1.56-: "error calling stat on %s: %v", "error opening %s: %v", with Go's
# own "stat|open <path>: <why>" after it; a missing path is a plain 404 and logs nothing): every request for it gets a
# 500. The backend is the path.
_SERVE_PATH_UNREADABLE = lazy_compile(
    r"error (?:calling stat on|opening) (?P<path>(?:/|[A-Za-z]:\\)[^:]*): "
    r"(?:stat|lstat|open|CreateFile|GetFileAttributesEx) (?P=path): \S"
)


def _serve(message: str) -> Iterator[Event]:
    if (forward := _SERVE_TCP_FORWARD.search(message)) is not None:
        yield Raise("serve-backend-unreachable", forward.group("target"), message[forward.start() :])
        return
    if (unreadable := _SERVE_PATH_UNREADABLE.search(message)) is not None:
        yield Raise("serve-backend-unreachable", unreadable.group("path"), message[unreadable.start() :])
        return
    if (down := _SERVE_BACKEND.search(message)) is not None:
        target = down.group("target") or down.group("target2") or down.group("target3") or "backend"
        detail = message[down.start() :]
        if target in ("%s", "%v"):
            # the rate limiter's format of that line: which destination, so which kind, is unknown; it is printed
            # only after the message itself was logged several times, and those lines say it
            return
        if down.group("target") is None:
            # serve's own reverse proxy dialling the backend its config names
            yield Raise("serve-backend-unreachable", target, detail)
        elif _LOCAL_TARGET.match(target) is not None:
            # netstack's loopback fallback for a port no serve handler takes: keyed by the port
            yield Raise("inbound-port-unhandled", target.rsplit(":", 1)[-1], detail)
        elif _DIAL_REFUSED.search(down.group("error")) is not None:
            yield Raise("destination-refused", target, detail)
        else:
            yield Raise("netstack-forward-unreachable", target, detail)


# netstack forwarding a UDP flow (a subnet router or exit node in userspace mode) cannot open the socket to its
# destination ("netstack: could not create UDP socket, preventing forwarding to %v: %v", v1.4-) or cannot send to it
# (startPacketCopy "write packet to %s failed: %v"): the flow goes nowhere. A refusal (ICMP port unreachable) is the
# destination answering; no route, an unreachable network or a socket it cannot open is this node's side.
_UDP_FORWARD = lazy_compile(
    r"netstack: could not create UDP socket, preventing forwarding to (?P<dst>\S+?): (?P<error>.+)$"
    r"|^write packet to (?P<dst2>\S+) failed: (?P<error2>.*(?:unreachable|no route to host|refused|timeout).*)$"
)


def _netstack_udp(message: str) -> Iterator[Event]:
    if (failed := _UDP_FORWARD.search(message)) is None:
        return
    target = failed.group("dst") or failed.group("dst2")
    if target in ("%s", "%v"):
        return  # the rate limiter's format: its own lines said which
    error = failed.group("error") or failed.group("error2")
    kind = "destination-refused" if _DIAL_REFUSED.search(error) else "netstack-forward-unreachable"
    yield Raise(kind, target, message[failed.start() :])


# ------------------------------------------------------------------------------------ package update

# An update or reinstall of Tailscale (a device package's auto-updater script, apt/dnf/yum, curl|sh of install.sh,
# `tailscale update` in clientupdate/) downloads from pkgs.tailscale.com, usually after stopping tailscaled. The
# downloader's own error naming that host means the update did not finish: curl "curl: (6) Could not resolve host:
# pkgs.tailscale.com", "curl: (7) Failed to connect to pkgs.tailscale.com port 443 …"; apt "Temporary failure
# resolving 'pkgs.tailscale.com'", "Failed to fetch https://pkgs.tailscale.com/…"; dnf "Curl error (6): Couldn't
# resolve host name for https://pkgs.tailscale.com/…"; wget "unable to resolve host address 'pkgs.tailscale.com'",
# busybox "wget: bad address 'pkgs.tailscale.com'". Unless a new tailscaled run follows, the node is left without
# the daemon it stopped (or on the old version).
_PKGS_HOST = "pkgs.tailscale.com"
_DOWNLOAD_FAILED = lazy_compile(
    r"could(?: not|n't) resolve|temporary failure (?:in name )?resolv|failed to (?:fetch|connect to|download)"
    r"|unable to resolve|bad address|name or service not known|no address associated|network is unreachable"
    r"|connection (?:timed out|refused)|curl: \(\d+\)|curl error|returned error: \d{3}"
    r"|\b(?:403|404|50[0-4]) (?:Forbidden|Not Found|Internal Server Error|Bad Gateway|Service Unavailable"
    r"|Gateway Time)",
    re.IGNORECASE,
)


# tailscaled's own auto-update (feature/clientupdate since v1.80, ipn/ipnlocal's c2n.go from v1.50): control's c2n
# request or the hourly offline check starts `tailscale update`; "<c2n|offline auto-update>: update command failed:
# %v, output: %s" (v1.50+) when it exits non-zero, "offline auto-update: failed: %v" (v1.68+) or "c2n: POST /update
# failed: %s" when it cannot start (no cmd/tailscale, versions differ, exec refused). The POST's refusals by design
# ("not enabled", "not supported", "not updating due to active SSH connections") are routine answers to control.
_AUTO_UPDATE_FAILED = lazy_compile(
    r"(?:^|\b)(?:(?:c2n|offline auto-update): update command failed: |offline auto-update: failed: "
    r"|c2n: POST /update failed: (?!not enabled$|not supported$|not updating due to active SSH connections$))"
)

_AUTO_UPDATE_DONE = ": update attempt complete"


def _update(message: str) -> Iterator[Event]:
    if _PKGS_HOST in message and _DOWNLOAD_FAILED.search(message) is not None:
        yield Raise("update-failed", _PKGS_HOST, message)
    elif (auto := _AUTO_UPDATE_FAILED.search(message)) is not None:
        yield Raise("update-failed", "auto-update", message[auto.start() :])
    elif message.endswith(_AUTO_UPDATE_DONE):
        yield Clear("update-failed", "auto-update")  # a later attempt finished


# Windows (v1.54+): tailscaled loads its own wintun.dll by full path before creating the adapter; failing (missing,
# blocked by an antivirus, wrong architecture) leaves no Wintun to create the TUN with.
_WINTUN_PRELOAD = lazy_compile(r'(?:^|\b)Error pre-loading "[^"]*wintun\.dll": ', re.IGNORECASE)


# Windows (v1.20+): the service's IPN server returning an error is a log.Fatalf, "ipnserver: ipnserver.Run: %v" (a
# cancelation is how it stops and is never returned); the process exits.
_WINDOWS_IPNSERVER_EXIT = lazy_compile(r"^ipnserver: ipnserver\.Run: (?!context canceled)\S")


def _windows_service_start(message: str) -> Iterator[Event]:
    if (failed := _WINTUN_PRELOAD.search(message)) is not None:
        yield Raise("tun-unavailable", "tun", message[failed.start() :])
    elif _WINDOWS_IPNSERVER_EXIT.match(message) is not None:
        yield Raise("crash", "exit", message)


# -------------------------------------------------------------------------------- crash and restart

# Homebrew's `brew services list` row for the tailscale formula (Name, Status, User, File): launchd runs its plist as a
# per-user LaunchAgent (~/Library/LaunchAgents, `brew services start` without sudo) or as root's LaunchDaemon
# (/Library/LaunchDaemons, with sudo); on Linux systemd runs its unit ("homebrew.tailscale.service"). Status "error"
# carries launchd's last exit status of the job, a wait status (256 = exit code 1): tailscaled exits on an error every
# time launchd starts it. "started" runs, "stopped"/"none" do not run (the user's choice), "scheduled" waits.
_BREW_SERVICE_ROW = lazy_compile(
    r"^tailscale\s+(?P<status>started|stopped|none|error|scheduled|unknown|other)(?:\s+(?P<code>-?\d+))?"
    r"(?:\s+(?P<user>(?!~|/)\S+))?"
    r"(?:\s+(?P<file>\S*(?:/homebrew\.mxcl\.tailscale\.plist|/homebrew\.tailscale\.service)))?\s*$"
)


# `brew services info tailscale` (Library/Homebrew/services/subcommand/info.rb): "tailscale (homebrew.mxcl.tailscale)"
# (launchd's label; "homebrew.tailscale" under systemd), then "Running: …", "Loaded: …", "Schedulable: …", "User: …"
# and "PID: …" (only while it runs), --verbose's "File: <path> …", "Command: …" and the rest; a terminal shows the
# booleans as ✔/✘. It prints no exit status: `--json` has it ("exit_code", with "running", "user", "file", "status"
# as the list row's). Both are read as one message, the name line's fields joined (brew_service_info_message).
_BREW_INFO_HEAD = lazy_compile(r"^tailscale \((?P<service>homebrew(?:\.mxcl)?\.tailscale)\)$")
BREW_INFO_FIELDS = (
    "Running:", "Loaded:", "Schedulable:", "User:", "PID:", "File:", "Registered at login:", "Command:",
    "Working directory:", "Root directory:", "Log:", "Error log:", "Interval:", "Cron:", "Exit code:",
)  # fmt: skip
_BREW_INFO = lazy_compile(
    r"^tailscale \((?P<service>homebrew(?:\.mxcl)?\.tailscale)\) Running: (?P<running>true|false|\u2714|\u2718)"
    r"(?P<fields>(?:, [A-Z][\w ]*: [^,]*)*)$"
)
_BREW_TRUE = ("true", "\u2714")


def is_brew_service_info_head(text: str) -> bool:
    """The first line of `brew services info tailscale`: the formula's name and its service's label."""
    return text[:11] == "tailscale (" and _BREW_INFO_HEAD.match(text) is not None


def brew_service_info_message(head: str, fields: Sequence[str]) -> str | None:
    """One message of `brew services info`'s name line and the field lines under it (fields joined by ", "), or None
    when no "Running:" line follows the name line."""
    kept = [field.strip() for field in fields if field.strip().startswith(BREW_INFO_FIELDS)]
    if not kept or not kept[0].startswith("Running:"):
        return None
    return f"{head} " + ", ".join(field.replace(",", ";") for field in kept)


def brew_service_info_json(document: object) -> str | None:
    """The same message for `brew services info tailscale --json` (the array, or its one object), or None."""
    for service in document if isinstance(document, list) else [document]:
        if not isinstance(service, dict) or service.get("name") != "tailscale" or "running" not in service:
            continue
        label = str(service.get("service_name") or "")
        if _BREW_INFO_HEAD.match(f"tailscale ({label})") is None:
            continue
        fields = [f"Running: {str(service['running']).lower()}", f"Loaded: {str(service.get('loaded')).lower()}"]
        fields += [f"{name}: {service[key]}" for key, name in _BREW_JSON_FIELDS if service.get(key) is not None]
        return brew_service_info_message(f"tailscale ({label})", fields)
    return None


_BREW_JSON_FIELDS = (("user", "User"), ("pid", "PID"), ("exit_code", "Exit code"), ("file", "File"))


def _brew_service_info(message: str) -> tuple[str, int | None, str, str] | None:
    if (info := _BREW_INFO.match(message)) is None:
        return None
    fields = dict(field.split(": ", 1) for field in info.group("fields").split(", ")[1:] if ": " in field)
    code = fields.get("Exit code", "")
    exit_code = int(code) if code.lstrip("-").isdigit() else None
    if info.group("running") in _BREW_TRUE:
        status = "started"
    elif exit_code:
        status = "error"  # formula_wrapper.rb error?: no pid, a non-zero exit status
    else:
        status = "stopped" if fields.get("Loaded", "").strip() in _BREW_TRUE else "none"
    path = fields.get("File", "").split(" ")[0]
    if not path and info.group("service").startswith("homebrew.mxcl."):
        path = "homebrew.mxcl.tailscale.plist"  # launchd's job; its folder (agent or daemon) is the user's to say
    return status, exit_code, fields.get("User", "").strip(), path


def brew_service_row(message: str) -> tuple[str, int | None, str, str] | None:
    """(status, launchd's exit status or None, user, plist or unit path) of a `brew services list` row for tailscale,
    or of `brew services info`'s message (brew_service_info_message), or None. A row names its file, or is an
    "error" row with its exit status (the file column may be cut off)."""
    if message[:11] == "tailscale (":
        return _brew_service_info(message)
    if message[:10] != "tailscale " or (row := _BREW_SERVICE_ROW.match(message)) is None:
        return None
    code = row.group("code")
    if row.group("file") is None and not (row.group("status") == "error" and code is not None):
        return None  # "tailscale started" alone is prose as well
    return row.group("status"), None if code is None else int(code), row.group("user") or "", row.group("file") or ""


def _brew_service(message: str) -> Iterator[Event]:
    if (row := brew_service_row(message)) is None:
        return
    status, code, user, path = row
    as_agent = "/LaunchAgents/" in path or (
        user and user != "root" and "/LaunchDaemons/" not in path and ".plist" in path
    )
    if status == "started" and as_agent and user != "root" and "userspace-networking" not in message:
        # launchd runs the formula's plain `tailscaled` as the user: darwin's tailscaled refuses to run without root
        # ("tailscaled requires root"), so launchd only restarts it over and over
        yield Raise(
            "crash",
            "exit",
            f"brew services runs tailscaled as {user or 'a user'}'s LaunchAgent, not root, which cannot create the "
            "utun: it exits each time launchd starts it (`sudo brew services start tailscale`)",
        )
        return
    if status != "error":
        return
    if code is not None and code >= 256 and code % 256 == 0:
        how = f"error {code} (launchd's wait status: exit code {code // 256})"
    else:
        how = "error" if code is None else f"error {code}"
    detail = f"brew services shows tailscale in {how}: tailscaled exits each time it is started"
    if as_agent:
        # (kept short: the finding quotes at most 240 characters of it)
        detail += (
            " as a user LaunchAgent, not root, which cannot create the utun (`sudo brew services start tailscale`)"
        )
    yield Raise("crash", "exit", detail)


# A shell's report of a background job that ran tailscaled ("tailscaled --tun=userspace-networking &"), printed at the
# next prompt once it ended: bash "[1]+  Exit 1                  tailscaled --tun=userspace-networking" (jobs.c: "Done"
# for status 0, "Exit N" otherwise, strsignal's text for a signal, "(core dumped)" after it, "(wd: …)" when the job
# ran in another directory; `jobs -l` adds the pid), zsh "[1]  + exit 1     tailscaled …" (lower case, its own signal
# names: "segmentation fault", "illegal hardware instruction"). Stopped/suspended/running jobs have not ended.
_JOB_SIGNALS = (
    "Killed|Terminated|Segmentation fault|Aborted|Hangup|Interrupt|Quit|Bus error|Illegal instruction"
    "|Floating point exception|Broken pipe|Trace/breakpoint trap|User defined signal [12]|CPU time limit exceeded"
    "|killed|terminated|segmentation fault|abort|hangup|interrupt|quit|bus error|illegal hardware instruction"
    "|floating point exception|broken pipe|trace trap|user-defined signal [12]|cpu limit exceeded"
)
_SHELL_JOB_END = lazy_compile(
    r"^\[\d+\]\s*[+-]?\s+(?:\d+\s+)?"
    rf"(?P<status>(?:Exit|exit) (?P<code>\d+)|Done(?:\((?P<done_code>\d+)\))?|done|{_JOB_SIGNALS})"
    r"(?:\s+\(core dumped\))?\s+"
    r"(?P<cmd>(?:(?:sudo|nohup|env|exec)\s+(?:-\S+\s+)*|[A-Z_][A-Z0-9_]*=\S*\s+)*"
    r"(?:\S*/)?tailscaled(?:\s.*?)?)(?:\s+\(wd: [^()]*\))?$"
)


def shell_job_end(message: str) -> tuple[str, str, int | None] | None:
    """(how it ended as the shell words it, the command the job ran, its exit code: None for a signal) of a shell's
    report that a background job running tailscaled ended, or None."""
    if message[:1] != "[" or "tailscaled" not in message:
        return None
    job = _SHELL_JOB_END.match(message)
    if job is None:
        return None
    code = job.group("code") or job.group("done_code")
    status = job.group("status")
    if code is None and status.lower().startswith("done"):
        code = "0"
    return status, job.group("cmd").rstrip(" &"), None if code is None else int(code)


def _shell_job(message: str) -> Iterator[Event]:
    if (job := shell_job_end(message)) is None:
        return
    status, command, code = job
    if code == 0:
        return  # it exited on its own with status 0 (a --cleanup run, a --version): nothing failed
    how = f"exited with status {code}" if code is not None else f"ended on a signal ({status})"
    yield Raise("crash", "crash", f"the shell reports the background job `{command}` {how}")


# tailscale's unit as systemd names it ("tailscaled.service", "tailscale-relay.service", "tailscaled@x.service").
_TAILSCALE_UNIT = r"[\w@.:-]*tailscale[\w@.:-]*\.service"
# `systemctl status tailscaled`: the unit's Active line shows "(Result: …)" whenever its last run did not succeed,
# in whatever state it is now ("failed (Result: exit-code)", "activating (auto-restart) (Result: exit-code)" in a
# restart loop, "deactivating (stop-post) (Result: exit-code)" while ExecStopPost's --cleanup runs, "inactive (dead)
# (Result: signal)"); its main process line tells how that run ended ("Main PID: 19144 (code=exited,
# status=1/FAILURE)", "Process: 19144 ExecStart=/usr/sbin/tailscaled … (code=exited, status=1/FAILURE)" for the
# notify unit, "(code=dumped, signal=ABRT)"). A non-zero status or a fault signal is tailscaled exiting on an
# error; TERM/INT/HUP are a stop, KILL a stop that timed out or the OOM killer (its Result says which).
# The process line is often copied without its "Process: N " head ("ExecStart=/usr/sbin/tailscaled … (code=exited,
# status=1/FAILURE)"): the "(code=…)" tail is systemctl's, never a unit file's, so the ExecStart= alone says it.
_UNIT_RESULT = r"Active: [a-z]+(?: \([\w-]+\))? \(Result: (?!success\))[\w-]+\)"
_FAULT_END = r"\(code=(?:exited, status=(?!0/)\d+|(?:killed|dumped), signal=(?:SEGV|BUS|ABRT|ILL|FPE|SYS|TRAP|QUIT)\b)"
_MAIN_EXIT = rf"Main PID: \d+ {_FAULT_END}|(?:Process: \d+ )?ExecStart=\S*tailscale.* {_FAULT_END}"
_CRASH = lazy_compile(
    r"^panic: |^fatal error: |getLocalBackend error: |safesocket\.Listen: |"
    # the Go runtime dying on a signal ("SIGSEGV: segmentation violation", "[signal SIGBUS: bus error …]")
    r"^\[?(?:signal )?SIG(?:SEGV|BUS|ILL|FPE|ABRT|TRAP|SYS): [a-z]|"
    r"^unexpected fault address |"
    # v1.0-v1.4 cmd/tailscaled exits on an engine it cannot create (log.Fatalf("wgengine.New: %v"))
    r"^wgengine\.New: |"
    # tailscaled's own fatal errors (cmd/tailscaled): a bad command line, no root, a missing flag, a proxy or the
    # engine ending under it
    # (v0.98-v1.2 refused to run without a state file: "--state is required"; later "--statedir (or at least --state)")
    r"does not take non-flag arguments|requires root; use sudo tailscaled|^--socket is required|^--state is required$|"
    r"^--statedir \(or at least --state\) is required|^--bird-socket is not supported on |^ipnserver\.Run: |"
    r"^(?:HTTP proxy|SOCKS5 server) exited: |failed to start netstack: |^LocalBackend\.Start: |"
    r"wgengine has been closed; shutting down|"
    # start-up fatals of code tailscaled shares with the GUIs (guistart.py): envknob's unparsable TS_* knob, and
    # net/tlsdial's log.Fatal of the SSLKEYLOGFILE it cannot open ("open <path>: <OS error>": only a key log's name,
    # tailscaled logs other files' open errors and lives on)
    r"^invalid (?:boolean|duration|int|integer|unsigned integer) environment variable \w+(?: value \"|: )|"
    r"^open \S.*?(?i:keylog|key[-_]log|(?:ssl|tls)[-_]?key)[^\\/:]*: \S|"
    # cmd/tailscaled's other fatal exits (host-integration catalog): its debug listener ("debug server: %v", v1.16-),
    # Windows' service check and network monitor ("svc.IsWindowsService failed: %v", "Could not create netMon: %v"),
    # a flag this OS does not support ("--encrypt-state is not supported on %s", v1.86-)
    r"^debug server: \S|^svc\.IsWindowsService failed: |^Could not create netMon: |"
    # the network monitor run() creates first (v1.40-, "netmon.New: %w"; main log.Fatal()s run()'s error): a kernel
    # without the netlink route family it reads ("netlinkrib: address family not supported by protocol", ESXi)
    r"^netmon\.New: \S|"
    r"^--(?:encrypt-state|hardware-attestation) is not supported on |"
    # and its older ones: the link monitor (v1.2-v1.38 "creating link monitor: %v"), netstack (v1.4-v1.24
    # "netstack.Create: %v"), the SOCKS5 / HTTP proxy listeners of userspace mode ("SOCKS5 listener: %v", "HTTP proxy
    # listener: %v")
    r"^creating link monitor: \S|^netstack\.Create: \S|^(?:SOCKS5|HTTP proxy) listener: \S|"
    # relaynode, the Linux client of v0.9x (2020, cmd/relaynode: log.Fatalf on its engine and its command line): the
    # engine it cannot start ("Error starting wireguard engine: %v", after "CreateTUN: …"), reconfigure or read
    r"^Error (?:starting wireguard engine|getting wg config|reconfiguring engine): \S|"
    # (not its "too many non-flag arguments: %#v": the CLI refuses its command line in the same words)
    r"^Wireguard engine status error: \S|^--routes: not an IP range: |"
    # Go's flag package refusing tailscaled's command line: after the error it prints "Usage of …tailscaled:"
    # and exits 2 (the CLI's own usage text reads "USAGE", so this is the daemon)
    r"^Usage of (?:.*[/\\])?tailscaled(?:\.exe)?:$|"
    # the macOS/iOS network extension cannot serve the app (it exits next)
    r"failed to run localhost IPC server: |"
    # the engine watchdog's verdict: it dumped every goroutine and now exits tailscaled
    r"watchdog timeout on |"
    # containerboot (the container image's init) exiting on a fatal error (cmd/containerboot: before v1.76
    # log.Fatalf("Timed out waiting for tailscaled socket"), "Waiting for tailscaled socket: %v"; v1.76 on main()'s
    # log.Fatal of run()'s error: "failed to bring up tailscale: timed out waiting for tailscaled socket", "tailscaled
    # left running state (now in state %q), exiting" (grammar.py may peel its "tailscaled" off as a process); and its
    # other Fatalf: "Waiting for tailscaled to exit: %v", "error shutting tailscaled down: %v", "no tailscaled config
    # file found in %q …", "error reading tailscaled config directory %q: %v"): the pod's container ends and restarts
    r"^Timed out waiting for tailscaled socket$|^Waiting for tailscaled (?:socket|to exit): \S|"
    r"^failed to bring up tailscale: \S|left running state \(now in state \"?\w+\"?\), exiting$|"
    r"^error shutting tailscaled down: \S|^no tailscaled config file found in |"
    r"^error reading tailscaled config directory |"
    r"[Mm]ain process exited, code=(?:exited|killed|dumped), status=(?!0/)|Failed with result '|"
    rf"{_UNIT_RESULT}|{_MAIN_EXIT}|Start request repeated too quickly|NewUserspaceEngine\([^)]*\) error:(?: |$)|"
    # the engine's own wrapping of its router's start-up errors (wgengine/userspace.go NewUserspaceEngine, v1.2x-:
    # "router.Up: %w", "router.Set(nil): %w"): it returns them only when it gives up creating the engine, so the
    # tail of a cut "wgengine.NewUserspaceEngine(tun …) error: router.Up: …" line (or "createEngine: router.Up: …")
    # still says the engine was not created and tailscaled exits (fold.py: unless the paste shows it running on)
    r"\brouter\.(?:Up|Set\(nil\)): \S|"
    # systemd before v233 (CentOS/RHEL 7, Debian 8) words its verdicts differently and names the unit inside the
    # sentence: "Unit tailscaled.service entered failed state.", "tailscaled.service failed.", "start request
    # repeated too quickly for tailscaled.service" (only tailscale's own unit: the journal speaks of every unit)
    rf"^Unit {_TAILSCALE_UNIT} entered failed state\.?$|^{_TAILSCALE_UNIT} failed\.?$|"
    rf"^start request repeated too quickly for {_TAILSCALE_UNIT}\.?$|"
    # systemd restarting the unit after it failed (Restart=on-failure): v236 on "Scheduled restart job, restart counter
    # is at N." after "Service RestartSec=100ms expired, scheduling restart.", v232-v235 "Service hold-off time over,
    # scheduling restart.", before v232 "tailscaled.service holdoff time over, scheduling restart."; and its start job
    # failing ("Failed to start Tailscale node agent.", v250 on "Failed to start tailscaled.service - Tailscale node
    # agent."): only after tailscaled ran and exited (an exec failure raises exec-failed, which explains them away)
    r"Scheduled restart job, restart counter is at \d+|Service (?:RestartSec=\S+ expired|hold-off time over), "
    rf"scheduling restart|^{_TAILSCALE_UNIT} holdoff time over, scheduling restart|"
    rf"^Failed to start (?:{_TAILSCALE_UNIT} - )?Tailscale\b[^:]*\.$|"
    # `systemctl start/restart tailscaled` waiting for the start job and printing its result (systemd's
    # bus-wait-for-jobs: "Job for X failed because the control process exited with error code.", "… a fatal signal
    # was delivered …", "… a timeout was exceeded.", "… the service did not take the steps required by its unit
    # configuration.", "… start of the service was attempted too often."): tailscaled started and failed, as
    # "Failed with result '…'" says in the journal. Not "… of unavailable resources …" (systemd failed before it ran
    # anything), not "A dependency job for X failed" (another unit), not a masked unit.
    # (tailscaled's own unit only, as the CLI reads it: a tailscale-autoconnect oneshot running `tailscale up` is not)
    r"^Job for tailscaled?(?:@[\w.-]*)?\.service failed because (?!of unavailable resources)"
)
# The service manager's verdicts on the run (old systemd's among them): the exit it saw, not the cause.
_VERDICT = lazy_compile(
    r"^(?:[Mm]ain process exited|Failed with result|Active: |Main PID: |Process: |ExecStart=|[Ss]tart request repeated"
    r"|Unit \S+ entered failed"
    r"|\S+\.service failed"
    r"|Scheduled restart job|Service (?:RestartSec|hold-off)|\S+\.service holdoff|Failed to start |Job for )"
)
# A goroutine trace: a crash's ("goroutine 49 [running]:" under panic:, possibly cut off above it), the engine
# watchdog's pprof dump just before it exits tailscaled ("1 @ 0x…", "#  0x… func+0x… file:line"), or a dump
# someone asked for — `tailscale debug goroutines`, LocalAPI's /debug/pprof/goroutine, a SIGQUIT sent to see
# where it hangs. The asked-for dump says so: its running goroutine is the one writing the dump
# (serveGoroutines, runtime/pprof, runtime.Stack), or it opens with "goroutine profile: total N" or
# "SIGQUIT: quit"; fold.py then reads its trace as no crash. A goroutine parked in any other state
# ("goroutine 17 [semacquire, 228 minutes]:") is only listed by a dump: no crash on its own.
_TRACE = lazy_compile(r"^goroutine \d+ (?:gp=0x[0-9a-f]+ m=\S+ (?:mp=0x[0-9a-f]+ )?)?\[(?P<state>[^\]]*)\]:$")
_WATCHDOG_DUMP = lazy_compile(
    r"^\d+ @ 0x[0-9a-f]+(?: 0x[0-9a-f]+)*$|^#\s+0x[0-9a-f]+\s+\S+\+0x[0-9a-f]+\s|wgengine watchdog stacks:"
)
_DUMP_REQUESTED = lazy_compile(
    r"^SIGQUIT: quit$|^goroutine profile: total \d+$|(?:localapi\.\(\*Handler\)\.serveGoroutines|"
    r"^runtime/pprof\.\w+|^runtime/debug\.Stack|^runtime\.Stack|goroutines\.ScrubbedGoroutineDump)\("
)
# What a line needs to meet _WATCHDOG_DUMP's unanchored branch, and _DUMP_REQUESTED's anchored ones (its two unanchored
# ones both hold "Goroutine"): is_dump_line's cheap tests (a "\d" is a decimal digit, str.isdecimal).
_WATCHDOG_STACKS = "wgengine watchdog stacks:"
_DUMP_REQUESTED_STARTS = (
    "SIGQUIT: quit",
    "goroutine profile: total ",
    "runtime/pprof.",
    "runtime/debug.Stack",
    "runtime.Stack",
)


# A line of a goroutine dump that is not its header: a frame ("main.main()", "\truntime/sema.go:71 +0x25"),
# "created by …", a pprof count or frame, the watchdog's in-flight list, the signal's register lines.
_DUMP_BODY = lazy_compile(
    r"^(?:[\w./*()\[\]{}~-]+\(.*\)$|\S+\.go:\d+(?: \+0x[0-9a-f]+)?(?: fp=\S+ sp=\S+ pc=\S+)?$|created by |#|"
    r"in-flight\[\d+\]: |wgengine watchdog in-flight:|PC=0x|\w+\s+0x[0-9a-f]+$|\.\.\.additional frames elided|"
    r"\d+ @ 0x)"
)


def is_dump_line(message: str) -> bool:
    """A line of a goroutine dump (header, frame, count): what a trace is made of, not the daemon going on."""
    first = message[:1]
    return (
        message == ""
        or _TRACE.match(message) is not None
        # the two searches try every branch at every character (~10-20 µs on a long line, which most lines they see
        # are): what each branch needs first, a first character or a word, is asked before them
        or (
            (first == "#" or first.isdecimal() or _WATCHDOG_STACKS in message)
            and _WATCHDOG_DUMP.search(message) is not None
        )
        or (
            (message.startswith(_DUMP_REQUESTED_STARTS) or "Goroutine" in message)
            and _DUMP_REQUESTED.search(message) is not None
        )
        or _DUMP_BODY.match(message) is not None
    )


# A call frame of a goroutine trace ("tailscale.com/ipn/ipnlocal.(*LocalBackend).StartLoginInteractive(0x40008b5180)",
# "main.main()", with a "+0x1b8" offset in some dumps): it names the code that was running, not something that
# happened. A function's name is not its message ("StartLoginInteractive" is no login prompt).
# (Go prints a frame's arguments as hex words, "{…}" for a struct's, "..." for elided ones, "?" unknown ones.)
_CALL_FRAME = lazy_compile(r"^[\w./*()\[\]{}~-]+\.[\w*()\[\]{}~.-]*\w\([\w{}, .?]*\)(?: \+0x[0-9a-f]+)?$")


def is_call_frame(message: str) -> bool:
    """A call frame of a goroutine trace: what was running, no event (unless it is the dump's own writer)."""
    return message[-1:] in ")0123456789abcdef" and _CALL_FRAME.match(message) is not None


def is_dump_request(message: str) -> bool:
    """A line that shows the goroutine dump around it was asked for (its writer's frame, SIGQUIT, …)."""
    return _DUMP_REQUESTED.search(message) is not None


# A path (or bare name) of one of Tailscale's own programs, as a shell or a runtime quotes it in an error.
_OWN_PROGRAM = r"(?:^|(?<=[\s:\"']))(?:[^\s:\"']*/)?(?:tailscaled?|containerboot)(?:\.exe)?"
# The kernel's OOM killer ending one of Tailscale's programs (mm/oom_kill.c: "Out of memory: Killed process N (comm)
# total-vm:…", "Memory cgroup out of memory: Killed process …" for a container's or unit's limit, "Out of memory
# (oom_kill_allocating_task): …"; before 4.x "…: Kill process N (comm) score S or sacrifice child" then "Killed
# process N (comm) …"; the reaper's "oom_reaper: reaped process N (comm), now anon-rss:…"; 4.19+'s one-line summary
# "oom-kill:constraint=…,task=comm,pid=N,uid=U"), and systemd seeing it in tailscaled's unit (v243+: "A process of
# this unit has been killed by the OOM killer.", v248+ "systemd-oomd killed N process(es) in this unit.", "Failed
# with result 'oom-kill'", systemctl status "(Result: oom-kill)"). The comm is the victim's: "tailscaled invoked
# oom-killer: …" only says it asked for memory, and another program killed is not Tailscale's. Android's low-memory
# killer ends the app's process the same way (lmkd, logcat tag "lowmemorykiller": "Kill 'com.tailscale.ipn' (N), uid
# U, oom_score_adj A to free …kB rss…" since Android 11, "Killing 'com.tailscale.ipn' (N), adj A, …" before, as the
# old kernel driver worded it too).
_OWN_TASK = r"(?:tailscale[\w.-]*|containerboot)"
# what docker_oom_kill says of a Tailscale container's `docker inspect` State
_DOCKER_OOM_KILLED = r"^container \S+ \([^()]*\) was killed by the OOM killer"
_OWN_APP = r"'com\.tailscale\.ipn[\w.:]*'"
_OOM_KILLED = lazy_compile(
    rf"(?:^|[\s\]])Kill(?:ed)? process \d+ \({_OWN_TASK}\)|oom_reaper: reaped process \d+ \({_OWN_TASK}\)|"
    rf"(?:^|\s)Kill(?:ing)? {_OWN_APP} \(\d+\)|{_DOCKER_OOM_KILLED}|"
    rf"oom-kill:\S*\btask={_OWN_TASK},pid=\d|"
    rf"^(?:{_TAILSCALE_UNIT}: )?(?:A process of this unit has been killed by the OOM killer|systemd-oomd killed \d+ "
    rf"process|Failed with result 'oom-kill')|\(Result: oom-kill\)"
)


# `docker inspect` of a container running Tailscale (its image, name, entrypoint or command says so) whose State says
# the kernel's OOM killer ended its process ("OOMKilled": true; "ExitCode": 137, SIGKILL): the container's log shows
# nothing of it, its run just stops. HostConfig.Memory is the limit `--memory`/compose `mem_limit` set (0: none).
_DOCKER_TAILSCALE = ("tailscale", "containerboot")


def _object_field(document: dict[str, object], key: str) -> dict[str, object]:
    """document[key] when it is a JSON object, else an empty one (a hand-trimmed inspect may drop or null it)."""
    value = document.get(key)
    return value if isinstance(value, dict) else {}


def docker_oom_kill(document: object) -> str | None:
    """What a `docker inspect` document (the array, or one container's object) says of a Tailscale container the OOM
    killer ended, as a message the crash reader reads (_DOCKER_OOM_KILLED), or None."""
    for container in document if isinstance(document, list) else [document]:
        if not isinstance(container, dict) or not isinstance(state := container.get("State"), dict):
            continue
        config = _object_field(container, "Config")
        host = _object_field(container, "HostConfig")
        image = str(config.get("Image") or container.get("Image") or "")
        named = " ".join(
            str(each) for each in (container.get("Name"), image, container.get("Path"), config.get("Entrypoint"))
        )
        if state.get("OOMKilled") is not True or not any(word in named.lower() for word in _DOCKER_TAILSCALE):
            continue
        limit = host.get("Memory")
        under = f" under its memory limit of {limit} bytes" if isinstance(limit, int) and limit > 0 else ""
        name = str(container.get("Name") or "?").lstrip("/")
        return (
            f"container {name} ({image}) was killed by the OOM killer{under} "
            f'(docker inspect: "OOMKilled": true, "ExitCode": {state.get("ExitCode")})'
        )
    return None


# The service manager (or a container runtime, or a shell) could not execute tailscaled at all: systemd's
# status 203/EXEC ("Main process exited, code=exited, status=203/EXEC", "Main PID: 6948 (code=exited,
# status=203/EXEC)"), "Failed to execute …tailscaled…" / "Failed at step EXEC spawning …" / "Unable to locate
# executable …", a binary for another CPU ("exec format error", "cannot execute binary file") or a missing one
# ("exec: "tailscaled": executable file not found"). tailscaled never ran: nothing of it crashed.
_EXEC_FAILED = lazy_compile(
    r"status=203/EXEC|Failed at step EXEC spawning |"
    # systemd failing to set the unit's process up before it ever executes it: the EnvironmentFile= it cannot read
    # ("tailscaled.service: Failed to load environment files: No such file or directory": /etc/default/tailscaled
    # missing), then "Failed to run 'start' task: …" (before v233 "tailscaled.service failed to run 'start' task:
    # …") and its verdict "Failed with result 'resources'"; a set-up step of the child failing ("Failed at step
    # NAMESPACE|USER|CHDIR|STATE_DIRECTORY … spawning …", "status=226/NAMESPACE": every 2xx exit status is one of
    # systemd's own set-up steps, tailscaled's own exits are 1/FAILURE and 2/INVALIDARGUMENT)
    rf"Failed to load environment files: \S|(?:^{_TAILSCALE_UNIT} f|F)ailed to run 'start(?:-pre)?' task: \S|"
    r"Failed with result 'resources'|Failed at step [A-Z_]+ spawning |status=2[0-4]\d/[A-Z_]+\b|"
    r"(?:Failed to execute|Unable to locate executable|Failed to locate executable) [^:]*tailscale|"
    r"tailscale\S*: (?:[Ee]xec format error|cannot execute binary file)|"
    r"exec: \"?\S*tailscaled\"?: executable file not found|"
    # a binary for another CPU run by a shell: the kernel refuses it (ENOEXEC) and the shell reads it as a script
    # (BusyBox ash "…/tailscaled: line 1: syntax error: unexpected word (expecting ")")", dash "…/tailscaled: 1:
    # Syntax error: "(" unexpected", bash "…: line 1: syntax error near unexpected token `('", the ELF magic run as a
    # command "…/tailscaled: line 1: ELF: not found"); zsh "zsh: exec format error: ./tailscaled"; a container
    # runtime starting the image's entrypoint "exec /usr/local/bin/containerboot: exec format error"
    # (a bare "tailscaled: " before it is peeled off as the process: the shell's "line N: …" is left, which tailscaled
    # itself, a Go program, never prints)
    rf"(?:{_OWN_PROGRAM}: |^)(?:line )?\d+: (?:\S*: )?(?:[Ss]yntax error\b|[^:]*ELF[^:]*: not found)|"
    r"exec format error: \S*(?:tailscale|containerboot)|containerboot: [Ee]xec format error|"
    # the Windows service starting its tailscaled subprocess (cmd/tailscaled/tailscaled_windows.go babysitProc)
    r"^starting subprocess failed: \S"
)
# Another service supervisor's verdict that the tailscale service (its process, container or extension) ended with an
# error, as systemd's "Main process exited, code=exited, status=1/FAILURE" says it; repeated, a restart loop:
# Talos' machined ("service[ext-tailscale](Waiting): Error running Containerd(ext-tailscale), going to restart
# forever: task \"ext-tailscale\" failed: exit code 1", "… going to restart until it succeeds: …", "(Failed): Failed
# to run service: …"), supervisord ("exited: tailscaled (exit status 1; not expected)", "gave up: tailscaled entered
# FATAL state, too many start retries too quickly"), OpenWrt's procd ("Instance tailscale::instance1 s in a crash
# loop 6 crashes, 0 seconds since last crash"), Kubernetes ("Back-off restarting failed container tailscale").
# Only when the supervised thing is named tailscale*: a supervisor speaks about every service.
_SUPERVISED = r"[\w@.:-]*tailscale[\w@.:-]*"
_SUPERVISOR_EXIT = lazy_compile(
    rf"service\[{_SUPERVISED}\]\((?:Waiting|Failed|Finished)\): (?:Error running .*, going to restart|Failed to run "
    rf"service: )|exited: {_SUPERVISED} \(exit status [1-9]\d*; not expected\)"
    rf"|gave up: {_SUPERVISED} entered FATAL state|Instance {_SUPERVISED} s in a crash loop"
    rf"|Back-off restarting failed container {_SUPERVISED}"
    # the Windows service's babysitter (cmd/tailscaled/tailscaled_windows.go babysitProc) seeing its tailscaled
    # /subproc end: "subprocess exited: %v" of cmd.Wait's error ("exit status 1"; "<nil>" for a clean exit)
    r"|^subprocess exited: (?!<nil>)\S"
)
# The supervisor starting the tailscale service again (Talos: "service[ext-tailscale](Running): Started task
# ext-tailscale (PID 6803) for container ext-tailscale"): a new run, as tailscaled's own "Program starting" is.
_SUPERVISOR_START = lazy_compile(rf"service\[{_SUPERVISED}\]\(Running\): Started task ")


def is_systemd_verdict(message: str) -> bool:
    """systemd's own words on tailscaled's unit failing (an exit status, a result, a restart, a failed start job, its
    journal catalog entry)."""
    if is_catalog_job_failure(message):
        return True
    found = _CRASH.search(message)
    return found is not None and _VERDICT.match(found.group(0)) is not None


# journalctl -x's catalog entry for a failed start job (its "░░ " taken off: the log model's message), under the
# journal line it explains ("Subject: A start job for unit X has failed", "The job identifier is N and the job result
# is failed."): systemd's verdict when X is tailscaled's unit (daemonlog._events knows the unit the entry is about).
_CATALOG_JOB_FAILED = lazy_compile(
    r"^(?:Subject: A start job for unit \S+ has failed$|The job identifier is \d+ and the job result is failed\b)"
)


def is_catalog_job_failure(message: str) -> bool:
    """journalctl -x's catalog text for a failed start job (of whichever unit: the caller knows which)."""
    return "failed" in message and _CATALOG_JOB_FAILED.match(message) is not None


def is_tailscale_unit(unit: str) -> bool:
    """A systemd unit name that is Tailscale's (tailscaled.service, a template instance, a hand-made one)."""
    return "tailscale" in unit and _TAILSCALE_UNIT_NAME.fullmatch(unit) is not None


_TAILSCALE_UNIT_NAME = lazy_compile(_TAILSCALE_UNIT)


def is_start_job_failure(message: str) -> bool:
    """systemctl's answer that tailscaled's unit failed to start ("Job for tailscaled.service failed because …"):
    systemd's verdict on the run it just tried, so also a line of tailscaled's (service-manager-only) log."""
    return "Job for " in message and is_systemd_verdict(message)


def is_supervisor_verdict(message: str) -> bool:
    """A service supervisor (Talos, supervisord, procd, Kubernetes) saying the tailscale service ended on an error."""
    return _SUPERVISOR_EXIT.search(message) is not None


# systemd speaking about a unit by name ("slurmrestd.service: Main process exited, code=dumped"): in a journal
# mixing units (`journalctl -b | grep fail`) only tailscaled's own unit's exit is tailscaled's crash.
_OTHER_UNIT = lazy_compile(r"^(?![\w@.-]*tailscale)[\w@.\\-]+\.(?:service|scope|socket|mount|timer): ")


# The node's HTTPS certificate (`tailscale cert`, Serve/Funnel, the operator's ingress): its fetch logs under
# `cert("<domain>"): ` (ipn/ipnlocal/cert.go, feature/acme/cert.go since 2025). A renewal in the background failing
# ("async renewal failed: getCertPem: %v", e.g. ACME 409 alreadyReplaced, a rate limit), a fetch failing
# ("getCertPEM: %v") or the ACME order failing ("acme: WaitOrder: OrderError status %q", "acme: WaitOrder error:
# %v"): the certificate is not (re)issued, and HTTPS breaks once the current one expires. "got cert" ends it.
# (A copy may wrap the line right after "async renewal failed:".)
_CERT = lazy_compile(r'^cert\("(?P<domain>[^"\s]+)"\): (?P<what>.*)$')
# A fetch for a name that is not the node's (cert.go: 'invalid domain %q; must be one of %q'): the failure is about
# the node's certificate under its own name, so a later "got cert" for that name ends it.
_CERT_OWN_NAME = lazy_compile(r'must be one of \["(?P<own>[^"]+)"')
_CERT_FAILED = lazy_compile(
    r"^(?:async renewal failed:(?:\s|$)|getCertPEM: \S|acme: WaitOrder(?:: OrderError status | error: ))"
)


# The node's PeerAPI listener (ipn/ipnlocal/peerapi.go serve(), v1.4+: "peerapi.Accept: %v") stops for good on any
# Accept error but a closed listener: peers' connections to this node's PeerAPI on that address (Taildrop files sent
# to it, peer DNS through it as exit node, Taildrive) are no longer taken (blind 22: 238, Android's "accept tcp6
# [fd7a:…]:42858: accept: invalid argument"). A new listener ("peerapi: serving on <url>", after a link change or a
# restart) clears it.
_PEERAPI_ACCEPT = lazy_compile(r"^peerapi\.Accept: \S")
# No listener at all (ipn/ipnlocal/local.go initPeerAPIListenerLocked): sandboxed macOS's "[v1] peerapi listen(%q)
# error: interface index is 0 on darwin; try restarting tailscaled" (v1.96-) skips every address and, macOS not being
# one of the OSes that retry on a link change (peerAPIListenAsync: Windows, Android), stays without one until a
# restart: the same services fail. Not "[unexpected] peerapi listen(%q) error: …" (v1.10-): one address that is not
# on an interface yet (IPv6 off, blind 20: 817), the other listener serves; nor "possibly transient … will try again
# on linkChange" (it does) or "failed to do peerAPI listen, harmless (netstack available)" (netstack listens).
_PEERAPI_LISTEN = lazy_compile(r'peerapi listen\("[^"]*"\) error: interface index is 0 on darwin\b')
_PEERAPI_SERVING = "peerapi: serving on "


# The listener works but refuses a peer's request (ipn/ipnlocal/peerapi.go ServeHTTP, v1.38-: "peerapi: invalid request
# from <peer ip:port>: <why>", answered 403 "invalid peerapi request"): the Host the peer dialled is not one of this
# node's addresses ("100.64.0.1/32 not found in self addresses" before v1.40, "<addr> not found in self addresses"
# since: a masquerade address this node has for that peer, a shared-in node's), or the request carries a browser's
# Referer/Origin ("unexpected Referer", "unexpected Origin"). Taildrop, peer DNS and Taildrive from that peer fail.
# (ServeConn's "peerapi: unknown peer <ip:port>", an address WhoIs does not know, stays routine: a connection from
# outside the netmap, as the source catalogs read it.)
_PEERAPI_REFUSED = lazy_compile(r"^peerapi: invalid request from (?P<peer>\S+?)(?::\d+)?: (?P<why>\S.*)$")
# The Funnel ingress endpoint of the PeerAPI refusing the relay that brings a public visitor (handleServeIngress,
# ipn/ipnlocal/peerapi.go v1.34-, serve.go since: "ingress: denied; no ingress cap from %v", 403: by the packet filter
# that peer holds no ingress capability toward this node; "ingress: bad request from %v: %s": a malformed ingress
# request, method or Tailscale-Ingress-* header): the visitor's connection is dropped. ("ingress: failed hijacking
# conn" is the node's own failure, not a refusal.)
_PEERAPI_INGRESS_REFUSED = lazy_compile(
    r"^peerapi: ingress: (?:denied; no ingress cap|bad request) from (?P<peer>\[[0-9a-fA-F:.]+\]|[\d.]+)(?::\d+)?\b"
)


def _peerapi(message: str) -> Iterator[Event]:
    if _PEERAPI_ACCEPT.match(message) is not None or _PEERAPI_LISTEN.search(message) is not None:
        yield Raise("peerapi-accept-failed", "peerapi", message)
    elif message.startswith(_PEERAPI_SERVING):
        yield Clear("peerapi-accept-failed")
    elif (refused := _PEERAPI_REFUSED.match(message) or _PEERAPI_INGRESS_REFUSED.match(message)) is not None:
        yield Raise("peerapi-request-rejected", refused.group("peer"), message)


# The same failure copied without its `cert("<name>"): ` prefix (a user quoting only the error, blind 25: 1166
# "getCertPEM: 429 urn:ietf:params:acme:error:rateLimited: … in the last 168 hours: <name>"): the message starts with
# the failing call. The name is the ts.net name the ACME error quotes, when it quotes one.
_CERT_BARE_FAILED = lazy_compile(r"^(?:getCertPEM: \S|async renewal failed: getCertPem: \S)")
_CERT_NAME_IN_ERROR = lazy_compile(r"(?P<name>[\w-]+(?:\.[\w-]+)*\.ts\.net)\b")


def _cert(message: str) -> Iterator[Event]:
    if (cert := _CERT.match(message)) is None:
        if _CERT_BARE_FAILED.match(message) is not None:
            named = _CERT_NAME_IN_ERROR.search(message)
            yield Raise("cert-failed", named.group("name") if named is not None else "cert", message)
        return
    what = cert.group("what")
    if _CERT_FAILED.match(what) is not None:
        own = _CERT_OWN_NAME.search(what)
        yield Raise("cert-failed", own.group("own") if own is not None else cert.group("domain"), message)
    elif what == "got cert":
        yield Clear("cert-failed", cert.group("domain"))


# tailscaled's event bus (util/eventbus/subscribe.go, since v1.90, 2025-10) logs "subscriber for %s is slow (%v
# elapsed)" every slowSubscriberTimeout (5 s) while one subscriber has not taken the event waiting for it; the
# elapsed time counts from that event's arrival. A handler that is briefly busy logs once or twice with a few
# seconds; one stuck for a minute or more (twelve reports) has stopped draining its queue: a deadlock or a bug in
# the subsystem that owns it, and everything published behind it waits (health, netmap, status updates: the
# LocalAPI, the CLI and the GUI hang). Only a restart of tailscaled ends it, so no line clears it.
_EVENTBUS_SLOW = lazy_compile(
    r"subscriber for (?P<type>\S+) is slow \((?P<elapsed>[\d.]+(?:h|m|s|ms|µs|us|ns)\S*) elapsed\)"
)
_GO_DURATION_PART = lazy_compile(r"(?P<value>[\d.]+)(?P<unit>h|ms|µs|us|ns|m|s)")
_GO_DURATION_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "µs": 1e-6, "us": 1e-6, "ns": 1e-9}
EVENTBUS_STALL_SECONDS = 60.0


def _go_duration_seconds(text: str) -> float:
    """Seconds in a Go time.Duration as %v prints it ("9h10m44.02s", "1m5s", "5.000123s", "500ms")."""
    return sum(float(part.group("value")) * _GO_DURATION_UNITS[part.group("unit")]
               for part in _GO_DURATION_PART.finditer(text))  # fmt: skip


def _eventbus(message: str) -> Iterator[Event]:
    slow = _EVENTBUS_SLOW.search(message)
    if slow is not None and _go_duration_seconds(slow.group("elapsed")) >= EVENTBUS_STALL_SECONDS:
        yield Raise("eventbus-subscriber-stalled", slow.group("type"), message[slow.start() :])


# safesocket.Listen (safesocket/unixsocket.go) dials the LocalAPI socket first and refuses with "<path>: address
# already in use" only when something answers there: another tailscaled already runs and serves it. This one exits
# (cmd/tailscaled: "safesocket.Listen: %v"), the running one is untouched: not a crash of the daemon in service.
_SOCKET_IN_USE = lazy_compile(r"safesocket\.Listen: \S+: address already in use")


# The Home Assistant add-on giving up on its start-up: `tailscale up`/`set` with the add-on's options failed (its
# refusal is printed above, by the CLI) and post-tailscaled/run calls bashio::exit.nok "Unable to start up
# Tailscale" (hassio-addons/addon-tailscale and its forks; "[hh:mm:ss] FATAL: …", or another stamp before "FATAL:").
# The failed oneshot halts the add-on's container, tailscaled with it (a crash loop under the watchdog): a crash,
# whose cause is the refusal above it.
_ADDON_GAVE_UP = lazy_compile(r"^(?:FATAL: )?Unable to start up Tailscale$")


def is_addon_verdict(message: str) -> bool:
    """The Home Assistant add-on's fatal verdict on its own start-up (the add-on stops)."""
    return _ADDON_GAVE_UP.match(message) is not None


# A shell or a container runtime that cannot open or execute the entrypoint of Tailscale's program (tailscaled,
# tailscale, containerboot, or a run.sh under a Tailscale folder: the container image's /tailscale/run.sh up to
# 1.33.137, build_docker.sh "/bin/sh /tailscale/run.sh"; 1.33.138 on run /usr/local/bin/containerboot instead):
# BusyBox ash "ash: can't open '/tailscale/run.sh': No such file or directory" (also "/bin/sh: can't open …"), dash
# "sh: 0: cannot open /tailscale/run.sh: No such file", zsh "zsh: can't open input file: …", bash "bash:
# /tailscale/run.sh: No such file or directory" (or "…: Permission denied"), runc starting the container 'exec:
# "/tailscale/run.sh": stat /tailscale/run.sh: no such file or directory' and, in the container's own log, "exec
# /usr/local/bin/containerboot: no such file or directory". tailscaled never ran: nothing of it crashed. Another
# program's path is not ours, nor a `docker exec` into a running container ("OCI runtime exec failed": the CLI missing
# there, not the container's start).
_TS_ENTRYPOINT = (
    r"(?:[^\s:'\"]*/)?(?:tailscaled?|containerboot)(?:\.exe)?(?=[\s:'\"]|$)"
    r"|[^\s:'\"]*tailscale[^\s:'\"/]*/(?:[^\s:'\"]*/)?run\.sh(?=[\s:'\"]|$)"
)
_SHELL = r"(?:^|(?<=\s))(?:[^\s:]*/)?(?:a|ba|da|z|k|mk)?sh(?:\[\d+\])?: (?:\d+: |line \d+: )?"
_ENTRYPOINT_FAILED = lazy_compile(
    rf"(?:^|{_SHELL})(?:can't|cannot) open (?:input file: )?'?(?P<open>{_TS_ENTRYPOINT})'?(?::|$)"
    rf"|{_SHELL}(?P<shell>{_TS_ENTRYPOINT}): (?:No such file or directory|Permission denied)\b"
    rf"|\bexec: \"(?P<runc>{_TS_ENTRYPOINT})\": (?:stat \S+: )?(?:no such file or directory|permission denied)\b"
    rf"|(?:^|(?<=\s))exec (?P<runtime>{_TS_ENTRYPOINT}): (?:no such file or directory|permission denied)\b"
)
ENTRYPOINT_WORDS = (
    "an't open ", "annot open ", 'exec: "', "exec /", "exec .", ": No such file or", ": Permission denied",
)  # fmt: skip


def entrypoint_failed(message: str) -> str | None:
    """The path of Tailscale's program a shell or container runtime could not open or execute, or None."""
    if ("tailscale" not in message and "containerboot" not in message) or "runtime exec failed" in message:
        return None
    found = _ENTRYPOINT_FAILED.search(message)
    if found is None:
        return None
    return next(path for path in found.groups() if path is not None)


def _entrypoint(message: str) -> Iterator[Event]:
    if entrypoint_failed(message) is not None:
        yield Raise("exec-failed", "exec", message)


# The issues that explain a service manager's verdict on the run (an exit status, a result, a restart) away: tailscaled
# never ran, or the kernel killed it for memory.
NEVER_A_CRASH = "exec-failed oom-killed"


def _crash(message: str) -> Iterator[Event]:
    if _OTHER_UNIT.match(message) is not None:
        return
    if _ADDON_GAVE_UP.match(message) is not None:
        yield Raise("crash", "addon", message)
        return
    if (in_use := _SOCKET_IN_USE.search(message)) is not None:
        yield Raise("socket-in-use", "socket", message[in_use.start() :])
        return
    if (killed := _OOM_KILLED.search(message)) is not None:
        yield Raise("oom-killed", "oom", message[killed.start() :].lstrip(" ]:"))
        return
    if _EXEC_FAILED.search(message) is not None:
        yield Raise("exec-failed", "exec", message)
        return
    if _SUPERVISOR_START.search(message) is not None:
        yield Fact("restart", "")
        return
    if (verdict := _SUPERVISOR_EXIT.search(message)) is not None:
        # the supervisor seeing it end: a crash unless a stop was asked for first, no crash if it never ran
        yield Raise("crash", "exit", message[verdict.start() :], unless=NEVER_A_CRASH)
        return
    if (crash := _CRASH.search(message)) is not None and not (
        crash.group(0).startswith("router.") and "getEngine" in message[: crash.start()]
    ):
        # A failed engine is fatal unless tailscaled falls back to userspace networking (Synology, …), or unless it is
        # the Windows service of v1.6-v1.34 (ipn/ipnserver: "ipnserver: initial getEngine call: %v", "ipnserver%d:
        # getEngine failed again: %v"), which serves the error to its clients and tries again on the next connection.
        found = crash.group(0)
        # the service manager seeing the process end: a crash unless a stop was asked for first (fold.py)
        verdict_seen = _VERDICT.match(found) is not None
        key = (
            "exit" if verdict_seen and not found.startswith(("Active: ", "Start request", "start request")) else "crash"
        )
        # the service manager's own verdicts: explained away by an exec failure (tailscaled never started) or the
        # OOM killer (the kernel ended it: "code=killed, status=9/KILL")
        unless = NEVER_A_CRASH if verdict_seen else ""
        # the engine not created (the process exits): "…(tun …) error: …", its router's "router.Up: …" tail, or
        # run()'s "createEngine: …" under "getLocalBackend error: " (a later run that gets further clears it)
        engine = found.startswith(("NewUserspaceEngine", "router.")) or "createEngine: " in message
        yield Raise("crash", "engine" if engine else key, message, unless=unless)
    elif _DUMP_REQUESTED.search(message) is not None:
        yield Fact("dump", "requested")
        if message.startswith("SIGQUIT"):
            yield Fact("stopping", "signal")  # Go exits after the dump: asked for, not a crash
    elif (trace := _TRACE.match(message)) is not None:
        if trace.group("state").startswith("running") or " gp=0x" in message:
            yield Raise("crash", "trace", message)
        else:
            yield Fact("dump", "listed")
    elif _WATCHDOG_DUMP.search(message) is not None:
        yield Raise(
            "crash", "trace", "the engine watchdog dumped every goroutine (it does so just before it exits tailscaled)"
        )


# A stop the operator asked for; "logger closing down" without one is the daemon exiting on its own.
_SIGNAL = lazy_compile(
    r"got signal \w+; shutting down|tailscaled got signal|shutting down on signal|^ipnserver: .*shutting down"
    r"|stopTunnel"  # the macOS/iOS system stopping the network extension (the user turned it off)
)


def _stop(message: str) -> Iterator[Event]:
    if _SIGNAL.search(message) is not None:
        yield Fact("stopping", "signal")
    elif message == "logger closing down" or message == "Entering exit handler.":  # tailscaled; the macOS app's
        yield Fact("stopping", "exit")  # a crash unless a signal asked for it (fold.py)


# tailscaled's version as "Program starting: v…" prints it: 1.52.0, date.20200410 for the open-source builds of
# 2020, or the old-style major.minor of the pre-1.0 release tags with git describe's suffix ("v0.98-0", "v0.95-0";
# version/mkversion.sh: "Valid values look like: 1.2.3-1234-abcdef, 0.98-1234-abcdef, … 0.99-abcdef").
# A development build keeps its commit date ("1.100.0-dev20260616-t97792dab2", version/version.go: -devYYYYMMDD):
# it names a build between releases; the -t/-g commit hashes after it (and a bare "-dev") are dropped.
VERSION = r"\d+\.\d+\.\d+(?:-dev\d{8}(?!\d))?|date\.\d{8}|0\.\d{2,3}(?=-\w)"
_START = lazy_compile(
    rf"Program starting: v(?P<version>{VERSION})|goSetupLogs initializing; version (?P<app>\d+\.\d+\.\d+)"
)


def _restart(message: str) -> Iterator[Event]:
    # A later start clears what made the previous run fail; a --cleanup run starts nothing (and what it logs is
    # the clean-up of rules and routes that may not be there: fold.py reads none of it as a router failure).
    if (start := _START.search(message)) is not None:
        if _CLEANUP_ARG.search(message) is None:
            yield Fact("restart", start.group("version") or start.group("app"))
        else:
            yield Fact("cleanup-run", start.group("version") or start.group("app"))


# tailscaled's -cleanup bool flag in the argv Program starting quotes (Go's flag package: one or two dashes,
# "=true"-style values): "[]string{\"/usr/sbin/tailscaled\", \"--cleanup\"}"
_CLEANUP_ARG = lazy_compile(r'"--?cleanup(?:=(?:1|t|T|true|TRUE|True))?"')


# ------------------------------------------------------------------------- auth keys minted from OAuth

# `tailscale up --auth-key=tskey-client-…` (containerboot's TS_AUTHKEY, the k8s operator's proxies, tsnet's
# TS_AUTHKEY) mints a one-off auth key from OAuth client credentials before logging in (feature/oauthkey:
# CreateKey POSTs to /api/v2/tailnet/-/keys through an oauth2 client that first POSTs to /api/v2/oauth/token;
# workload identity federation exchanges a JWT at /api/v2/oauth/token-exchange). When that fails the node never
# logs in, and the error says why: Go's net/http error names the request ('Post "https://api.tailscale.com/api/
# v2/tailnet/-/keys": Post "…/oauth/token": dial tcp: lookup api.tailscale.com on 127.0.0.11:53: server
# misbehaving'), the oauth2 package the refusal ("oauth2: cannot fetch token: 401 Unauthorized", 'oauth2:
# "invalid_client" …'), the API client its answer ('Status: 403, Message: "calling actor does not have enough
# permissions …"' after the request), feature/identityfederation its own wrapping.
_AUTH_KEY_MINT = lazy_compile(
    r'(?:Post|POST) "?https?://[^"\s]+/api/v2/(?:tailnet/[^/"\s]+/keys|oauth/token(?:-exchange)?)"?: (?P<error>.+)$'
    r"|(?P<oauth>oauth2: (?:cannot fetch token: |\"invalid_|\"unauthorized_client|server response missing).*)$"
    r"|(?P<wif>failed to exchange JWT for access token: .+|token exchange failed with status .+"
    r"|unexpected error while creating authkey: .+|error resolving auth key: .+)$"
)
# The API's own answers to the mint are the CLI's kinds, read by windows.py's own patterns: tags refused or
# missing (windows.TAGS_NOT_PERMITTED) are tags-not-permitted, the credential or its scopes refused ('Status: 403,
# Message: "calling actor does not have enough permissions …"', windows.API_KEY_REFUSED) auth-key-rejected. Not
# read here, so that such a line stays the CLI's refusal; what is left is the API not reached or not answering
# (DNS, network, TLS) and the OAuth token endpoint's own refusals.
_MINT_CLI_KINDS = lazy_compile(f"{TAGS_NOT_PERMITTED}|{API_KEY_REFUSED}", re.IGNORECASE)
# Why, from the error's own words, most specific first: each has its own fix (TS-LOG-AUTH-KEY-MINT-FAILED).
_MINT_REASONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(words, re.IGNORECASE))
    for reason, words in (
        ("tls", r"x509: |tls: "),
        ("dns", r"\blookup \S+(?: on \S+)?: |no such host|server misbehaving"),
        ("scopes", r"\b403\b|Forbidden|enough permissions|insufficient scope|invalid_scope"),
        ("credentials", r"\b401\b|Unauthorized|invalid_client|unauthorized_client|invalid_grant"),
        (
            "network",
            r"dial tcp|connection refused|i/o timeout|deadline exceeded|network is unreachable|no route to host"
            r"|connection reset|\bEOF\b|proxyconnect",
        ),
    )
)


# The API client's own error ("Status: 400, Message: \"requested tags [] are invalid or not permitted\""), alone on a
# line when `tailscale up` prints it under containerboot or a CI step.
_API_ANSWER = lazy_compile(r'Status: \d{3}, Message: "')
_TAGS_REFUSED = lazy_compile(TAGS_NOT_PERMITTED, re.IGNORECASE)


def is_auth_key_mint_error(message: str) -> bool:
    """`tailscale up` failing to mint an auth key from OAuth credentials (its 401 is the API's, not LocalAPI's)."""
    return _AUTH_KEY_MINT.search(message) is not None and _MINT_CLI_KINDS.search(message) is None


def is_api_mint_refusal(message: str) -> bool:
    """The API's own answer refusing the mint (tags, the client's scopes): the CLI's refusal, which a log reads only
    among its own lines (a containerboot log), never as a log by itself."""
    return _MINT_CLI_KINDS.search(message) is not None and (
        _API_ANSWER.search(message) is not None or _AUTH_KEY_MINT.search(message) is not None
    )


def _auth_key_mint(message: str) -> Iterator[Event]:
    mint = _AUTH_KEY_MINT.search(message)
    if (start := mint or _API_ANSWER.search(message)) is None:
        return
    detail = message[start.start() :]
    if _MINT_CLI_KINDS.search(detail) is not None:
        # the API answered and refused: the CLI's kinds say which (tags-not-permitted, auth-key-rejected); the log
        # of the node that never got its key says no key was minted, and why
        refused = "tags" if _TAGS_REFUSED.search(detail) is not None else None
        why = refused or next((r for r, words in _MINT_REASONS if words.search(detail)), "api")
        yield Raise("auth-key-mint-failed", why, detail)
        return
    if mint is None:
        return  # another answer of the API, naming no refusal of the mint
    why = next((reason for reason, words in _MINT_REASONS if words.search(detail)), "api")
    yield Raise("auth-key-mint-failed", why, detail)
    yield from _tls(detail)


# -------------------------------------------------------------------------------------- log upload

_UPLOAD = lazy_compile(r"logtail: (?:upload: )?(?:log upload of .* failed|dial \S+ failed)(?P<error>.*)$")


def _logtail(message: str) -> Iterator[Event]:
    if (upload := _UPLOAD.search(message)) is not None:
        error = upload.group("error")
        if not error.rstrip().endswith("context canceled"):  # the daemon shutting down, not the network
            yield Raise("log-upload-failing", "logtail", message)
            yield from _tls(error)
    elif message.startswith(("logtail: dialed", "logtail: upload succeeded", "logtail: bootstrap dial succeeded")):
        yield Clear("log-upload-failing")


# ------------------------------------------------------------------- wrappers around tailscaled (their own words)

# What the programs that run tailscaled say about it in their own words (read from their source, see
# tests/diagnose/test_wrapper_catalog.py). The Home Assistant add-on's s6 finish script (hassio-addons/
# addon-tailscale tailscaled/finish) reports tailscaled's exit: "Service tailscaled exited with code N (by signal S)";
# s6 gives 256 for a process killed by a signal (15: the add-on stopped), 0 a clean exit, anything else a failure.
_S6_SERVICE_EXIT = lazy_compile(r"^Service tailscaled exited with code (?P<code>\d+) \(by signal (?P<signal>\d+)\)")
# The add-on keeps the host's own subnets out of Tailscale's routing table with `ip rule`s before it accepts routes
# (usr/bin/protect-subnet-routes:68 "Adding route %s to ip rules is unsuccessful", v0.26.1+; the NetworkManager
# dispatcher's "Failed to protect subnet routes. Halting add-on to prevent network loss.", v0.23.3+): it stops.
_ADDON_PROTECT_FAILED = lazy_compile(
    r"^Failed to protect subnet routes\b|^Adding route \S+ to ip rules is unsuccessful"
)
# containerboot's other fatal heads (run()'s errors under main()'s log.Fatal, cmd/containerboot/main.go v1.76+) that
# its own recogniser (_containerboot below) does not name: the container exits and its runtime restarts it.
_BOOT_FATAL_MORE = lazy_compile(
    r"^(?:error waiting for tailscaled socket|starting tailscaled failed|failed to watch tailscaled config"
    r"|error clearing previous state from Secret|(?:egress|ingress) proxy failed"
    r"|installing rules to forward traffic to node's tailnet IP"
    r"|autoadvertisement: failed to (?:get serve config|refresh advertise services)): \S"
)


def _wrapper(message: str) -> Iterator[Event]:
    if (exit_ := _S6_SERVICE_EXIT.match(message)) is not None:
        code, signal = int(exit_.group("code")), int(exit_.group("signal"))
        if code == 256 and signal in (2, 15):
            yield Fact("stopping", "signal")  # the add-on stopped (SIGTERM/SIGINT): no crash
        elif code != 0:
            yield Raise("crash", "exit", message)
    elif _ADDON_PROTECT_FAILED.match(message) is not None:
        yield Raise("firewall-failed", "ip-rule", message)
    elif _BOOT_FATAL_MORE.match(message) is not None:
        yield Raise("crash", "boot", message)


# ------------------------------------------------------------------------------- Tailscale SSH server

# This node's Tailscale SSH server refusing a connection (ssh/tailssh, services catalog; its connection lines carry
# "ssh-conn-<stamp>-<id>: "): the tailnet policy has no rule for the caller (v1.24-v1.82 "rejecting SSH public key
# <key>: ssh: access denied: tailssh: rejecting connection; no matching policy" / "…; no SSH policy", v1.24-v1.30
# "access denied for <login>"; v1.83+ "failed to evaluate SSH policy: tailssh: rejecting connection; …"; v1.9x
# "tailnet policy does not permit you to SSH to this node: …", "failed to evaluate tailnet policy: …"), or the
# local user it maps to does not exist or has no readable groups ("failed to lookup|look up <user>: …", v1.83+
# 'failed to look up local user "<user>" : …', "failed to look up local user's group IDs: …"), or a `check` rule's
# next action could not be fetched from control ("failed to fetch next SSH action: …", v1.83+). The same concept
# as the CLI kind ssh-failed; a later granted session clears it.
_SSH_REFUSED = lazy_compile(
    r"(?:^|: )(?:rejecting SSH public key \S+ \S+: |failed to evaluate (?:SSH|tailnet) policy: "
    r"|tailnet policy does not permit you to SSH\b|access denied for \S+@\S+$|failed to fetch next SSH action: \S"
    r"|failed to (?:lookup|look up) (?:local user \"[^\"]*\" ?|local user's group IDs|\S+): \S)"
)
_SSH_GRANTED = lazy_compile(r": (?:access granted to \S+ as ssh-user |accepting SSH public key )")
# v1.28 named connections "conn-<stamp>-<id>" (ssh/tailssh connID), v1.30+ "ssh-conn-<stamp>-<id>"
_SSH_CONN = lazy_compile(r"^(?:ssh-)?conn-\d{8}T\d{6}-[0-9a-f]+: ")
# A session the policy granted whose process could not be started (v1.24+ "ssh-session(<id>): start failed: <err>",
# ss.launchProcess: the `tailscaled be-child ssh` incubator cannot be exec'd as the user, e.g. "fork/exec
# /usr/sbin/tailscaled: permission denied", a home directory it cannot enter, SELinux, a noexec mount): the
# client's connection closes at once. `ssh-failed` keyed "session" (its own fix: the node, not the policy).
_SSH_START_FAILED = lazy_compile(r"^ssh-session\([^)]*\): start failed: (?P<why>\S.*)$")


def _tailssh(message: str) -> Iterator[Event]:
    if not message.startswith(("ssh-", "conn-")):
        return
    if _SSH_CONN.match(message) is not None and (refused := _SSH_REFUSED.search(message)) is not None:
        yield Raise("ssh-failed", "ssh", message[refused.start() :].removeprefix(": "))
    elif (start := _SSH_START_FAILED.match(message)) is not None:
        yield Raise("ssh-failed", "session", start.group("why"))
    elif _SSH_GRANTED.search(message) is not None:
        yield Clear("ssh-failed")


# --------------------------------------------------------------------------- containerboot's own lines

# containerboot (cmd/containerboot, the container image's entrypoint, "boot: " before its Go stamp) stops the
# container on what it cannot do (services catalog; log.Fatalf before v1.76, since then main()'s log.Fatal of run()'s
# error, the same words): no TUN device file and no right to make one ("Unable to create tuntap device file: %v"
# v1.34-v1.38 and again v1.76 on, "ensuring that /dev/net/tun exists: %v" v1.40-v1.74), its login through
# tailscaled failing ("failed to auth tailscale: %v"), losing its watch on tailscaled ("failed to watch tailscaled for
# updates: %v", "failed to read from tailscaled: %v", "rewatching tailscaled for updates after auth: %v"), no new key
# from the operator ("failed to get a reissued authkey: %v"), its proxy rules ("installing ingress|egress proxy
# rules…: %v", "error creating new netfilter runner: %v"), and a proxy or router container that may not enable IP
# forwarding ("Failed to enable IP forwarding: %v", then "You can fix this by running the container with
# privileged=true…" / "…either set the sysctls as a privileged initContainer…"). It also says when the node waits
# for an admin ("machine authorization required, please visit the admin panel").
_BOOT_TUN = lazy_compile(r"^(?:[Uu]nable to create tuntap device file|ensuring that /dev/net/tun exists): \S")
_BOOT_FATAL = lazy_compile(
    r"^(?:failed to auth tailscale|failed to watch tailscaled for updates|failed to read from tailscaled"
    r"|rewatching tailscaled for updates after auth|failed to get a reissued authkey): \S"
    r"|^[Yy]ou can (?:either set the sysctls as a privileged initContainer|fix this by running the container with "
    r"privileged=true)"
)
_BOOT_RULES = lazy_compile(
    r"^(?:error )?installing (?:ingress|egress) proxy rules\b[^:]*: \S|^error creating new netfilter runner: \S"
)
# The state Secret (v1.34-v1.74 Fatalf wordings, "kube secret"; later ones are _STATE_SECRET's): the node cannot keep
# its identity, and containerboot stops.
_BOOT_SECRET = lazy_compile(
    r"^Some Kubernetes permissions are missing, please check your RBAC configuration: \S"
    r"|^(?:Getting authkey from|deleting authkey from|storing device ID in) (?:kube secret|Kubernetes Secret): \S"
    r"|^authkey found in TS_KUBE_SECRET, but the pod doesn't have patch permissions on the secret"
)
# Its other fatal exits: its configuration, its Kubernetes client, the serve config of a Serve/ingress proxy.
_BOOT_OTHER_FATAL = lazy_compile(
    r"^(?:invalid configuration|error initializing kube client|error setting up for running on Kubernetes"
    r"|failed to unset serve config|(?:serve proxy: )?failed to (?:add fsnotify watch|read serve config|set serve "
    r"config|get serve config)|(?:serve proxy: )?error (?:updating serve config|storing HTTPS endpoint|ensuring cert "
    r"loops)|error refreshing advertised services): \S"
)
# An operator-managed proxy finding its key refused at start (v1.9x "Auth key missing or invalid (NeedsLogin state),
# disconnecting from control and requesting new key from operator"): not logged in until a new key works.
_BOOT_KEY_REFUSED = lazy_compile(r"^Auth key missing or invalid \(NeedsLogin state\)")
_BOOT_FORWARDING = lazy_compile(r"^Failed to enable IP forwarding: \S")
_BOOT_MACHINE_AUTH = lazy_compile(r"^machine authorization required, please visit the admin panel")
_BOOT_LEFT_STATE = lazy_compile(r"left running state \(now in state \"?(?P<state>\w+)\"?\), exiting$")
# TS_EXPERIMENTAL_ENABLE_FORWARDING_OPTIMIZATIONS (v1.68+) asks tailscaled for UDP GRO forwarding on the default route's
# NIC; what tailscaled answered (ipnlocal SetUDPGROForwarding, net/netkernelconf) it logs as "[unexpected] error
# enabling UDP GRO forwarding: <answer>" and goes on: the log's reading of the CLI kind udp-gro-suboptimal. Why, from
# the answer's words (the key; TS-LOG-UDP-GRO-SUBOPTIMAL has a fix per key), else the NIC refused it.
_BOOT_UDP_GRO = lazy_compile(r"^\[unexpected\] error enabling UDP GRO forwarding: (?P<why>\S.*)")
_BOOT_UDP_GRO_WHY = (
    ("userspace", lazy_compile(r"in userspace mode")),
    ("tun-segmentation", lazy_compile(r"UDP segmentation is disabled for Tailscale interface")),
    ("permission", lazy_compile(r"operation not permitted|permission denied|access denied", re.IGNORECASE)),
    ("build", lazy_compile(r"feature not included in this build|\b501\b")),
)


def _containerboot(message: str) -> Iterator[Event]:
    if _BOOT_TUN.search(message) is not None:
        yield Raise("tun-unavailable", "tun", message)
        yield Raise("crash", "boot", message)
    elif _BOOT_FATAL.search(message) is not None or _BOOT_OTHER_FATAL.search(message) is not None:
        yield Raise("crash", "boot", message)
    elif _BOOT_SECRET.search(message) is not None:
        yield Raise("state-unwritable", "kube-secret", message)
        yield Raise("crash", "boot", message)
    elif _BOOT_KEY_REFUSED.search(message) is not None:
        yield Raise("login-required", "login", message)
    elif _BOOT_RULES.search(message) is not None:
        yield Raise("firewall-failed", "boot-rules", message)
        yield Raise("crash", "boot", message)
    elif _BOOT_FORWARDING.search(message) is not None:
        yield Raise("health:ip-forwarding-off", "ip-forwarding-off", message)
    elif _BOOT_MACHINE_AUTH.search(message) is not None:
        yield Raise("needs-machine-auth", "machine-auth", message)
    elif (gro := _BOOT_UDP_GRO.search(message)) is not None:
        why = gro.group("why")
        yield Raise("udp-gro-suboptimal", next((k for k, words in _BOOT_UDP_GRO_WHY if words.search(why)), "nic"), why)
    elif (left := _BOOT_LEFT_STATE.search(message)) is not None:
        if left.group("state") == "NeedsLogin":
            yield Raise("login-required", "login", message)
        elif left.group("state") == "NeedsMachineAuth":
            yield Raise("needs-machine-auth", "machine-auth", message)


# ------------------------------------------------------------------ the Android app's encrypted state store

# The Android app keeps its state (the node key, prefs) in EncryptedSharedPreferences, whose master key lives in the
# Android Keystore. When the Keystore refuses to create that key, keystore2 (the system's keystore daemon, Android 12+,
# its own logcat tag) logs "keystore2::error: In generate_key." with its cause chain under it ("Caused by: 0: While
# generating Key without explicit attestation key. 1: Binder exception code ILLEGAL_STATE, 0"), and the app's side
# throws "java.security.ProviderException: Keystore key generation failed": the app cannot open its state and stays
# on "Loading…" (a broken Keystore/KeyMint of the device or of ChromeOS' ARC container, not networking).
_KEYSTORE_KEY_REFUSED = lazy_compile(r"keystore2::error: In generate_key\.|Keystore key generation failed")


def is_android_keystore_refusal(message: str) -> bool:
    """Whether ``message`` is the Android Keystore refusing to create a key: keystore2's line, or the Keystore's
    ProviderException. Neither names the app whose key it was: Tailscale's only beside a line that shows Tailscale."""
    return ("generate_key" in message or "Keystore key" in message) and _KEYSTORE_KEY_REFUSED.search(
        message
    ) is not None


def _android_keystore(message: str) -> Iterator[Event]:
    if (refused := _KEYSTORE_KEY_REFUSED.search(message)) is not None:
        yield Raise("state-unwritable", "android-keystore", message[refused.start() :])


# -------------------------------------------------------------------------------------- the registry

# ------------------------------------------------------------------------- 2020-2021 wordings (v0.98-v1.20)

# Messages only the old releases printed (read from the tags v0.98-v1.20 of tailscale/tailscale; HEAD words them
# otherwise or no longer has them), each mapped to the issue today's wording of the same event raises:
# - cmd/tailscaled's fatal exits of v1.18-v1.20 ("ipnserver.StateStore: %w", "ipnserver.New: %w", "monitor.New: %w",
#   returned from run() and logged by log.Fatal): tailscaled exited;
# - relaynode (the v0.9x Linux client, cmd/relaynode): log.Fatal without a --config file or on a config it cannot
#   load ("load config: %v"), and its config (the node's keys, relay.conf) it cannot save ("save config: %v");
# - the ipn backend reading or writing its state (v0.98-v1.4 ipn/local.go "store.ReadState(%q): %v", "store.WriteState:
#   %v", "loading requested state: %v"; v1.18-v1.20 ipnserver "calling ReadState on store: %v"): any error is the store
#   refusing (a corrupt state file, a read-only or full disk); a state key not written yet is no error there;
# - magicsock v0.98 refusing a DERP server's URL ("magicsock: derphttp.NewClient: node %d, host %q invalid? err: %v");
# - controlclient v0.98-v1.2 finding the node key expired ("Key expired; setting loggedIn=false.");
# - the 2020 Linux router (wgengine/router_linux.go of v0.98: "running ip link failed: %v", "iptables forward failed:
#   %v", "iptables nat failed: %v") and its resolv.conf handling ("failed to restore system resolv.conf: %v",
#   "service systemd-resolved restart: %s").
_OLD_FATAL = lazy_compile(
    r"^(?:ipnserver\.(?:StateStore|New)|monitor\.New): \S|^no --config file specified$|^load config: \S"
)
_OLD_STORE = lazy_compile(
    r"store\.(?:ReadState\(\"[^\"]*\"\)|WriteState): \S|calling ReadState on store: \S|^(?:load|save) config: \S"
)
_OLD_DERP_URL = lazy_compile(r"magicsock: derphttp\.NewClient: node (?P<id>\d+), host \"[^\"]*\" invalid\? err: ")
_OLD_KEY_EXPIRED = "Key expired; setting loggedIn=false."
# the Windows service of v1.0-v1.20 retrying its engine after "ipnserver: initial getEngine call: <error>" (Wintun not
# ready yet at boot): "%d: GetEngine worked; exiting failure loop" (ipn/ipnserver/server.go): the TUN came up after all
_OLD_ENGINE_WORKED = lazy_compile(r"^\d+: GetEngine worked; exiting failure loop")
# v1.6-v1.8 netstack (userspace networking) forwarding a connection to this node's own address to the same port on
# localhost: "netstack: could not connect to local server on port %v: %v" (TCP), "… local UDP server on port %v: %v";
# today's "could not connect to local server at 127.0.0.1:%d": nothing on this node handles that port.
_OLD_NETSTACK_LOCAL = lazy_compile(r"netstack: could not connect to local (?:UDP )?server on port (?P<port>\d+): \S")
_OLD_ROUTER = lazy_compile(r"^(?:running ip link failed|iptables (?:forward|nat) failed): \S")
_OLD_DNS = lazy_compile(r"^(?:failed to restore system resolv\.conf|service systemd-resolved restart): \S")


def _old_wordings(message: str) -> Iterator[Event]:
    if _OLD_FATAL.search(message) is not None:
        yield Raise("crash", "crash", message)
    if _OLD_STORE.search(message) is not None:
        yield Raise("state-unwritable", "store", message)
    if (derp := _OLD_DERP_URL.search(message)) is not None:
        yield Raise("derp-unreachable", derp.group("id"), message[derp.start() :])
    if message.startswith(_OLD_KEY_EXPIRED):
        yield Raise("login-required", "login", message)
    if (local := _OLD_NETSTACK_LOCAL.search(message)) is not None:
        yield Raise("inbound-port-unhandled", local.group("port"), message[local.start() :])
    if _OLD_ENGINE_WORKED.search(message) is not None:
        yield Clear("tun-unavailable")
    if _OLD_ROUTER.search(message) is not None:
        yield Raise("firewall-failed", "router", message)
    elif _OLD_DNS.search(message) is not None:
        yield Raise("dns-config-failed", "dns", message)


_OLD_WORDS = (
    "ipnserver.StateStore: ",
    "ipnserver.New: ",
    "monitor.New: ",
    "no --config file",
    "load config: ",
    "save config: ",
    "store.ReadState(",
    "store.WriteState: ",
    "ReadState on store: ",
    "derphttp.NewClient: node ",
    _OLD_KEY_EXPIRED,
    "running ip link failed: ",
    "iptables forward failed: ",
    "iptables nat failed: ",
    "restore system resolv.conf",
    "service systemd-resolved restart: ",
    "GetEngine worked",
    "server on port ",
)


# ----------------------------------------------------------------------- Tailscale SSH session recording

# A session the tailnet policy wants recorded (ssh/tailssh startNewRecording, sessionrecording.ConnectToRecorder):
# fail closed, the session is refused or closed when no recorder takes it ("recording: error starting recording
# (rejecting session): …", "recording: error uploading recording (closing session): …", v1.40-; the refusal's own
# "startNewRecording: <error>", v1.24-): the SSH session fails, `ssh-failed` keyed "recording" (the fix names the
# recorder); fail open, it runs unrecorded ("… (failing open): …"): `ssh-recording-failed`. A later session that
# starts ("startNewRecording: <nil>") clears the refusal; only a finished upload clears the unrecorded session
# ("<nil>" is also what a fail-open start logs next).
# The development builds between v1.38 and v1.40 (the first recorder streaming, 2023-03) streamed the recording with
# no fail-open/closed choice and logged its failure as "recording: error sending recording to <recorder>: %v" (the
# error, or the recorder's HTTP status), "recording: error sending recording: %v" or "recording: server responded
# with <status>": the session ran, its recording is cut off or lost (the upload tied to the session's context was
# cancelled when it closed: "Post \"http://<recorder>/record\": context canceled").
_RECORDING = lazy_compile(
    r"^ssh-session\([^)]*\): (?:recording: error (?:starting|uploading) recording \((?P<how>rejecting session|"
    r"closing session|failing open)\): |startNewRecording: (?!<nil>)"
    r"|recording: (?P<lost>error sending recording(?: to \S+)?: |server responded with ))(?P<why>\S.*)$"
)
_RECORDING_OK = lazy_compile(r"^ssh-session\([^)]*\): (?:startNewRecording: <nil>|recording: finished uploading)")


def _ssh_recording(message: str) -> Iterator[Event]:
    if (failed := _RECORDING.match(message)) is not None:
        ran = failed.group("how") == "failing open" or failed.group("lost") is not None
        kind = "ssh-recording-failed" if ran else "ssh-failed"
        yield Raise(kind, "recording", failed.group("why"))
    elif _RECORDING_OK.match(message) is not None:
        yield Clear("ssh-failed", "recording")
        if message.endswith("finished uploading recording"):
            yield Clear("ssh-recording-failed")  # "<nil>" also follows a fail-open start: no recording proved


# --------------------------------------------------------------------------- UDP sends the host refuses

# The OS refusing tailscaled's outbound UDP with EPERM / WSAEACCES: an OUTPUT rule that drops or rejects it (iptables
# or nftables, in either of tailscaled's netfilter modes: Linux returns EPERM to the sender), or security software
# (EDR) on the socket. magicsock (v1.66-) rebinds on it, throttled to one per 5 s: 'magicsock: performing rebind due
# to "operation-not-permitted"' / 'not performing "operation-not-permitted" rebind due to throttle'; wireguard-go's
# sends fail with it ("… - Failed to send handshake initiation: write udp4 …: sendto|sendmsg|sendmmsg: operation not
# permitted", Windows' wsasendto "… forbidden by its access permissions", v1.0-v1.4's "Failed to send data packet:
# …"). Direct paths fail, traffic falls back to DERP (udp-send-blocked, weak: EDR has been seen to refuse one socket
# once). Routine: a full socket buffer (ENOBUFS), no IPv6 route, a GSO fallback, a broken pipe healed by the rebind.
_UDP_REBIND_EPERM = lazy_compile(r'magicsock: (?:performing rebind due to|not performing) "operation-not-permitted"')
_UDP_SEND_REFUSED = lazy_compile(
    r"(?:\[[^\]\s]+\]|peer\([^)]+\)) - Failed to send (?:handshake initiation|data packets?):? "
    r"write udp[46]? \S+: (?:(?:sendto|sendmsg|sendmmsg): operation not permitted|wsasendto: [^\n]*forbidden by its "
    r"access permissions)"
)


def _udp_send(message: str) -> Iterator[Event]:
    if _UDP_REBIND_EPERM.search(message) is not None or _UDP_SEND_REFUSED.search(message) is not None:
        yield Raise("udp-send-blocked", "udp", message, weak=True)


# ------------------------------------------------------------------------ TUN writes (incoming packets)

# wireguard-go cannot hand a decrypted packet to the TUN device (device/receive.go RoutineSequentialReceiver:
# "Failed to write packet to TUN device: %v" before the 2023 batched I/O, "Failed to write packets to TUN device: %v"
# since; tailscaled's wglog adds "wg: "): every packet coming in over the tailnet (peers, exit-node replies, MagicDNS
# answers) is dropped while it lasts. The error says why: ENOSPC / ENOBUFS on a utun write (macOS, iOS: the utun
# queue is full, the extension is stuck, not a full disk), EIO (Linux: the tun device's interface went down or was
# removed under it), "file already closed" (the device closed under a running engine: at shutdown one such line is
# routine, so it alone is weak). Keyed by that cause; a restart that gets further clears it.
_TUN_WRITE = lazy_compile(r"Failed to write packets? to TUN device: (?P<why>\S.*)$")
_TUN_WRITE_CAUSES = (
    ("queue-full", ("no space left on device", "no buffer space available")),
    ("io-error", ("input/output error",)),
    # tstun's own ErrClosed ("device closed") is the same closed device behind Tailscale's wrapper
    ("closed", ("file already closed", "use of closed file", "bad file descriptor", "device closed")),
)


def _tun_write(message: str) -> Iterator[Event]:
    if (failed := _TUN_WRITE.search(message)) is None:
        return
    why = failed.group("why")
    if why.startswith("packet dropped by filter"):
        return  # tstun's ErrFiltered: the inbound filter's drop (_filter: packet-dropped), the TUN works
    key = next((key for key, words in _TUN_WRITE_CAUSES if any(word in why for word in words)), "tun")
    yield Raise("tun-write-failed", key, message[failed.start() :], weak=key == "closed")


# -------------------------------------------------------------------------------- SELinux denials

# The kernel's SELinux denial (an AVC record) of something Tailscale's own process did. Android's logcat shows it
# under the denied task's name ("W Thread-4: type=1400 audit(0.0:2472): avc: denied { bind } for scontext=u:r:
# untrusted_app:… tclass=netlink_route_socket permissive=0 bug=b/155595000 app=com.tailscale.ipn"); Linux's audit log
# and journal as "type=AVC msg=audit(…): avc:  denied  { write } for  pid=N comm="tailscaled" name="…" … tclass=file
# permissive=0". permissive=0 is enforced: the call failed; permissive=1 only logs what enforcing would refuse.
# Routine, the Android app sandbox the app copes with: reading /proc's files and searching other processes' /proc
# entries (dev="proc": /proc/net/route, /proc/net/tcp, wificond's pid), and Android's `ip` helper (net/interfaces
# runs /system/bin/ip for the home router's address when /proc/net/route is refused: a fallback of a fallback).
# Any other enforced denial fails Tailscale's own call: a bind on netlink_route_socket (Android 11+ for apps targeting
# SDK 30: the app's network monitor cannot list the interfaces, the engine never comes up), a write to tailscaled's
# state or socket under a Linux policy. Keyed by the permission and the object class. Another app's or program's
# denial (app=, comm= naming it) is not Tailscale's.
_AVC_DENIED = lazy_compile(r"\bavc: +denied +\{ *(?P<perms>[^}]*?) *\} +for\b(?P<fields>.*)")
_AVC_FIELD = lazy_compile(r'\b(?P<name>tclass|permissive|app|comm|dev)=(?:"(?P<quoted>[^"]*)"|(?P<bare>[^\s`]+))')
# the logcat tag of Android's ip binary run by net/interfaces (likelyHomeRouterIPAndroid)
_ANDROID_IP_HELPER = "ip"


def selinux_denial(message: str, process: str | None = None) -> Iterator[Event]:
    """selinux-denied for an enforced AVC denial of Tailscale's own process (``process``: the logcat tag or
    journal process of the line, when it has one)."""
    if (denied := _AVC_DENIED.search(message)) is None:
        return
    fields = {
        found.group("name"): found.group("quoted") if found.group("quoted") is not None else found.group("bare")
        for found in _AVC_FIELD.finditer(denied.group("fields"))
    }
    owner = fields.get("app") or fields.get("comm")
    if owner is not None and "tailscale" not in owner:
        return  # another app's or program's denial
    if fields.get("permissive") != "0" or fields.get("dev") == "proc" or process == _ANDROID_IP_HELPER:
        return  # only logged, or the sandbox's routine refusals the app copes with
    key = f"{' '.join(denied.group('perms').split())} {fields.get('tclass', '?')}"
    yield Raise("selinux-denied", key, denied.group(0).rstrip("`"))


# ---------------------------------------------------------------- tailscaled's own packets in the tunnel

# tstun's filter finding a disco packet of tailscaled's own (magicsock's path discovery to peers' real endpoints)
# inside the tunnel (net/tstun/wrap.go, v1.14-: "[unexpected] received self disco out packet over tstun; dropping",
# "… self disco in packet …", rate-limited): the OS routes magicsock's underlay traffic into the Tailscale interface
# (a default route through an exit node, or a subnet route covering the peers' endpoints), a loop the filter breaks
# by dropping it. Peers cannot be reached while it lasts (issue 1526; Windows 7's exit-node builds, issue 3260).
_SELF_DISCO = lazy_compile(r"received self disco (?:in|out) packet over tstun")


def _self_disco(message: str) -> Iterator[Event]:
    if (loop := _SELF_DISCO.search(message)) is not None:
        yield Raise("disco-routing-loop", "disco", message[max(0, message.rfind("[unexpected]", 0, loop.start())) :])


# ---------------------------------------------------------------------- magicsock rebinding in a loop

# magicsock rebinding its sockets and dropping DERP connections as it does (wgengine/magicsock, v1.0-): "last
# netcheck reported send error. Rebinding." (v1.x-: netcheck's sends failed, the socket is judged broken; on an
# IPv6-only or link-local-IPv4 host, EKS pods and Cloud Run, IPv4 never becomes sendable and every netcheck rebinds
# again: PR #20722), and each rebind closing DERP connections ("closing connection to derp-%v (%v), age %v" with
# "rebind" before v1.20, since then "rebind-no-localaddr", "rebind-default-route-change", "rebind-ping-fail";
# the age rounded to the second). A connection dropped at age 0-1 s was made for a peer's traffic and lost at once;
# one closure after a link change is routine (the fold raises three or more: rebind_closure facts).
_REBIND_SEND_ERROR = "magicsock: last netcheck reported send error. Rebinding."
_REBIND_CLOSURE = lazy_compile(
    r"magicsock: closing connection to derp-(?P<region>\d+) \((?P<why>rebind[\w-]*)\), age (?P<age>[\dhms.]+)"
)


def _rebind(message: str) -> Iterator[Event]:
    if _REBIND_SEND_ERROR in message:
        yield Raise("rebind-churn", "send-error", message[message.index(_REBIND_SEND_ERROR) :])
    elif (closure := _REBIND_CLOSURE.search(message)) is not None:
        detail = message[closure.start() :]
        if closure.group("age") in ("0s", "1s"):
            yield Raise("rebind-churn", closure.group("region"), detail)
        else:
            yield Fact("rebind-closure", closure.group("region"), detail)


# ---------------------------------------------------------------- WireGuard's source check (allowed IPs)

# wireguard-go decrypted a packet from a peer and dropped it because its inner source address is not among that
# peer's allowed IPs (device/receive.go RoutineSequentialReceiver: "IPv4|IPv6 packet with disallowed source address
# from %v", a Verbosef of every wireguard-go since 2018, logged by tailscaled's wglog as "wg: [v2] …" with the peer
# rewritten to its short key "[c7sCF]", or wireguard-go's own "peer(c7sC…bF0w)" when the rewrite does not know it;
# 2018's logInfo.Println, the same words). The peer forwards traffic from an address
# it does not own: a LAN, jail or container address not masqueraded to its Tailscale IP (--snat-subnet-routes=false,
# FreeBSD and userspace networking cannot SNAT), or a subnet route that is not approved (or not advertised) for it.
# Every such packet is lost (not the packet filter's drop, packet-dropped). Keyed by the peer; no later line of the
# receiver clears it (the fix is on the sender or in the admin console).
_WG_SOURCE_NOT_ALLOWED = lazy_compile(
    r"^(?:wg: (?:\[v2\] )?)?IPv(?P<family>[46]) packet with disallowed source address from "
    r"(?P<peer>\[[^\]\s]+\]|peer\([^)\s]+\)|<[^>\s]+>)\s*$"
)
_WG_SOURCE_WORDS = ("packet with disallowed source address",)


def _wg_source(message: str) -> Iterator[Event]:
    if (dropped := _WG_SOURCE_NOT_ALLOWED.search(message)) is None:
        return
    peer = dropped.group("peer")
    key = peer[1:-1] if peer[:1] == "[" and peer[-1:] == "]" else peer
    yield Raise("wg-source-not-allowed", key, message[dropped.start() :].strip())


# ------------------------------------------------------------------------- derper (a self-hosted relay)

# derper's own log (cmd/derper, derp/derpserver, net/stunserver at de9ec7ee2; v1.50's older wordings): people who
# run their own DERP paste it. What breaks the relay for its clients is `derp-server-failed` (the relay, not a
# node's connection to it, `derp-unreachable`):
#  * a refused client under --verify-clients / --verify-client-url: "derp: <addr>: client <key> rejected: <why>"
#    (derpserver accept → verifyClient): the node is not in the tailnet of the tailscaled beside derper (a Headscale
#    node against a derper logged in to Tailscale's control) or that tailscaled is too old (one that does not answer
#    is service-not-running, _DERPER_NO_LOCAL_DAEMON);
#  * no TLS certificate: derper's http.Server logs a handshake that failed for want of one, "http: TLS handshake
#    error from <addr>: " + acme/autocert's "unable to authorize …" (newer "unable to satisfy …") or an ACME problem
#    "<status> urn:ietf:params:acme:error:…" (Let's Encrypt cannot reach it, rate limits), autocert's "missing
#    certificate" / "missing signer" (its answer to every handshake for a minute after an order failed: the order's
#    own error may be out of the paste), manual mode's "cert mismatch with hostname: "<name>"" (the DERP map's
#    HostName is not the certificate's); --acme-ip-certs' "derper: acme: getting cert for …";
#  * a fatal exit at start: "derper: <error>" (cert provider, config, listen), the mesh key, the rate config, the
#    STUN listener (v1.50 and older: fatal), --home.
# Routine: its start lines, "derper: acme: got/loaded … cert", a client that hung up before its key ("derp: <addr>:
# receive client key: …"), autocert refusing a scanner ("missing server name", "not configured in HostWhitelist").
_DERPER_REFUSED = lazy_compile(r"^derp: \S+: client \S+ rejected: (?P<why>\S.*)$")
_DERPER_TLS = lazy_compile(
    r"^http: TLS handshake error from \S+: "
    r"(?:acme/autocert: (?:unable to (?:authorize|satisfy) |missing (?:certificate|signer)$)"
    r"|\d{3} urn:ietf:params:acme:error:"
    r'|cert mismatch with hostname: "[^"]+")'
)
_DERPER_STUN_FATAL = "failed to open STUN listener: "
_DERPER_FATAL = lazy_compile(
    r"^(?:derper: (?!serving on |acme: |received SIGHUP|rate config re)\S|invalid mesh key: |startMesh: |"
    r"unknown --home value |key in \S+ must contain |NewFileCache: |StaticFile failed to get key: |"
    + re.escape(_DERPER_STUN_FATAL)
    + r")"
)
_DERPER_IP_CERT = lazy_compile(r"^derper: acme: getting cert for \S+: \S")


# A refusal because the tailscaled beside derper does not answer its LocalAPI is that daemon not running: the CLI
# kind service-not-running, which the same line reads as (one finding, whose fix is starting tailscaled).
_DERPER_NO_LOCAL_DAEMON = ("not running?", "Failed to connect to local Tailscale daemon", "connection refused")


def _derper(message: str) -> Iterator[Event]:
    if (refused := _DERPER_REFUSED.match(message)) is not None:
        why = refused.group("why")
        if not (why.startswith("failed to query local tailscaled") and any(w in why for w in _DERPER_NO_LOCAL_DAEMON)):
            yield Raise("derp-server-failed", "verify-clients", why)
    elif _DERPER_TLS.match(message) is not None or _DERPER_IP_CERT.match(message) is not None:
        yield Raise("derp-server-failed", "certificate", message)
    elif _DERPER_FATAL.match(message) is not None:
        yield Raise("derp-server-failed", "start", message)


# ------------------------------------------------- programs embedding Tailscale: their HTTPS server and proxy

# An HTTPS server whose certificate comes from tailscaled (tsnet's ListenTLS and any tsnet program's GetCertificate:
# tsdproxy, golink, tsidp; the Kubernetes operator's ingress proxy) asks LocalAPI for the node's certificate during
# the client's handshake; when that fails, Go's net/http server logs "http: TLS handshake error from <client>:
# <error>" (its ErrorLog, the stdlib log), the error being LocalAPI's answer ('500 Internal Server Error: SetDNS
# "_acme-challenge.<name>" => …: set-dns response: 500 …', '… your Tailscale account does not support getting TLS
# certs') or the request that never got one ('Get "http://local-tailscaled.sock/localapi/v0/cert/<name>?type=pair
# …": context deadline exceeded'). No HTTPS connection to the node succeeds until the certificate is had. A handshake
# failing for the client's own reasons (EOF, no SNI: tls-no-sni below, "client sent an HTTP request to an HTTPS
# server") is no certificate failure, and derper's autocert errors are derper's (_derper).
_HANDSHAKE_CERT = lazy_compile(
    r"http: TLS handshake error from \S+: (?:(?:HTTP )?500 Internal Server Error: \S"
    r'|(?:Get|POST|Post) "?http://[^"\s]*/localapi/v0/cert/(?P<name>[^?"\s/]+))'
)
# A client that sent no server name in its ClientHello: Tailscale picks the node's certificate by SNI (client/local's
# GetCertificate for tsnet programs, v1.20+; Serve's HTTPS listener, ipn/ipnlocal/serve.go, v1.40+) and refuses the
# handshake with "no SNI ServerName", which Go's server logs. Browsers and curl send no SNI for an IP address: the
# client opened https://100.x.y.z, not the node's <name>.<tailnet>.ts.net. Only this error: the other handshake
# errors (EOF, "unknown certificate", a plain HTTP request) are the client's own business.
_HANDSHAKE_NO_SNI = lazy_compile(r"http: TLS handshake error from (?P<client>\S+): no SNI ServerName$")
# tsnet's ListenTLS refusing before it listens (tsnet/tsnet.go, v1.38+): the control server offers the node no
# certificate domain (MagicDNS or HTTPS certificates off for the tailnet; a control server without certificate
# support, as Headscale was), so the program's HTTPS listener never exists.
_TSNET_NO_CERT_DOMAIN = lazy_compile(
    r"tsnet: you must enable (?P<what>MagicDNS|HTTPS) in the (?:DNS page of the )?admin panel to proceed"
    r"(?:\. See https?://[^\s\"'`]+)?"  # the sentence only: not the quote or key=value a logger wrapped it in
)
# A reverse proxy in front of a backend (tailscaled's own Serve, ipn/ipnlocal/serve.go, and the proxies of tsnet
# programs, both Go's httputil.ReverseProxy logging "http: proxy error: %v" through the stdlib log) that reaches the
# backend but fails to speak TLS with it: an https:// target whose port answers plain HTTP ("tls: first record does
# not look like a TLS handshake"; Go's "http: server gave HTTP response to HTTPS client" when the answer starts
# "HTTP/"), a backend certificate the proxy does not trust or that does not name the address dialled ("tls: failed
# to verify certificate: x509: …"; "x509: …" before Go 1.20), a TLS alert from the backend ("remote error: tls: …"),
# or an http:// target whose port speaks TLS (the TLS alert it answers with read as HTTP: 'malformed HTTP response
# "\x15\x03…"'). Clients get 502; the backend is up: its scheme or certificate is what is wrong.
_PROXY_TLS = lazy_compile(
    r"http: proxy error: (?P<why>(?:tls: first record does not look like a TLS handshake"
    r"|http: server gave HTTP response to HTTPS client"
    r"|(?:tls: failed to verify certificate: )?x509: \S"
    r"|remote error: tls: \S|tls: handshake failure"
    r'|malformed HTTP response "\\x15\\x03).*)$'
)
# Headplane (tale/headplane app/server/hp-agent.ts, 0.6.x) supervising its agent, a tsnet node: "Headplane agent
# exited with code %s and signal %s" (Node's child-process exit: a number or null, a signal name or null/undefined),
# then "Headplane agent will restart in %f seconds (attempt %d)". A non-zero code, or a signal that kills (not
# Headplane's own SIGTERM/SIGINT at shutdown), is the embedded node's process dying.
_HEADPLANE_EXIT = lazy_compile(r"^Headplane agent exited with code (?P<code>\S+) and signal (?P<signal>\S+)")
_CLEAN_EXIT_CODES = ("0", "null", "undefined")
_STOP_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP", "null", "undefined")


def _embedded(message: str) -> Iterator[Event]:
    if "TLS handshake error from " in message and (handshake := _HANDSHAKE_CERT.search(message)) is not None:
        named = handshake.group("name") or (
            found.group("name") if (found := _CERT_NAME_IN_ERROR.search(message)) is not None else None
        )
        # (SetDNS names the DNS-01 challenge's record, "_acme-challenge.<name>": the certificate is <name>'s)
        yield Raise("cert-failed", (named or "cert").removeprefix("_acme-challenge."), message[handshake.start() :])
    elif "no SNI ServerName" in message and (no_sni := _HANDSHAKE_NO_SNI.search(message)) is not None:
        client = no_sni.group("client").rsplit(":", 1)[0].strip("[]")  # the client's address, without its port
        yield Raise("tls-no-sni", client, message[no_sni.start() :])
    elif "tsnet: you must enable " in message and (refused := _TSNET_NO_CERT_DOMAIN.search(message)) is not None:
        off = "HTTPS certificates" if refused.group("what") == "HTTPS" else "MagicDNS"
        yield Raise("cert-failed", f"this node ({off} off)", refused.group(0))
    elif "proxy error: " in message and (proxy := _PROXY_TLS.search(message)) is not None:
        why = proxy.group("why")
        plain = "tls-backend" if why.startswith("malformed") else "plain-backend"
        yield Raise("serve-backend-tls-failed", "certificate" if "x509: " in why else plain, why)
    elif (
        message.startswith("Headplane agent ")
        and (exited := _HEADPLANE_EXIT.match(message)) is not None
        and (exited.group("code") not in _CLEAN_EXIT_CODES or exited.group("signal") not in _STOP_SIGNALS)
    ):
        yield Raise("crash", "exit", message)


# ---------------------------------------------------------------- the source sweep (tests/diagnose/log_sweep.py)

# Failures the coverage sweep of tailscaled's source found no recogniser for (tailscale/tailscale de9ec7ee2 and the
# v1.20/v1.40/v1.60 wordings; tests/diagnose/test_log_sweep_catalog.py keeps them):
# - tailscaled exiting on what it cannot start (cmd/tailscaled log.Fatalf): its SOCKS5/HTTP proxy's shared listener
#   ("proxy listener: %v", v1.20+, the port taken), and the Windows service that cannot run ("runservice: %v", v1.0+:
#   its error ends the service, "Service ended." follows).
_SWEEP_EXIT = lazy_compile(r"^(?:proxy listener|runservice): \S")
# - the Windows killswitch helper (`tailscaled /firewall <GUID>`, v1.0+) that cannot find Tailscale's adapter
#   ("invalid GUID %q: %v", "no interface with GUID %q: %v"): no firewall rules are installed.
_SWEEP_KILLSWITCH = lazy_compile(r'^(?:invalid GUID|no interface with GUID) "[^"]*": \S')
# - a TLS server certificate that neither the system's roots nor the Let's Encrypt roots tailscaled carries (nor an
#   Android's user CAs) verify (net/tlsdial: v1.36-v1.84 "tlsdial: error: server cert for %q failed to verify and is
#   not a Let's Encrypt cert", v1.86+ "… failed both system roots & Let's Encrypt root validation", v1.98+ "… failed
#   system roots, extra roots & Let's Encrypt root validation"): something between the node and the server presents
#   its own certificate (TLS inspection, a captive portal), unless the clock is wrong (every certificate then looks
#   expired or not yet valid: the x509 error beside it says so).
_SWEEP_TLS_ROOTS = lazy_compile(
    r"^tlsdial: error: server cert for \S+ failed (?:(?:both )?system roots\b|to verify and is not a Let's Encrypt)"
)
# - a Tailscale SSH session the policy granted that tailscaled, not running as root, cannot start as the mapped local
#   user (ssh/tailssh "ssh-session(<id>): can't switch to user %q from process euid %v", v1.22+; the client sees "can't
#   switch user" and exit 255): ssh-failed keyed "not-root" (its own fix: run tailscaled as root).
_SWEEP_SSH_SWITCH = lazy_compile(r"^ssh-session\([^)]*\): can't switch to user \"[^\"]*\" from process euid \d+")
# - macOS's tailscaled finding no nameserver in /etc/resolv.conf to forward to (net/dns/manager_darwin.go "no
#   nameservers found in %s, DNS resolution might fail", v1.74+): names outside the tailnet get no answer, the
#   concept of "no upstream resolvers set" (dns-forward-failing; two lines: a network change can empty it a moment).
_SWEEP_NO_NAMESERVERS = lazy_compile(r"(?:^|dns: )no nameservers found in \S+, DNS resolution might fail")
# (Not the PeerAPI failing to listen on the node's address, "[unexpected] peerapi listen(%q) error: listen tcp6 …:
# bind: cannot assign requested address": the address is not on an interface yet, tailscaled listens again on the
# next link change; experts read it as harmless in public pastes.)


def _source_sweep(message: str) -> Iterator[Event]:
    if _SWEEP_EXIT.match(message) is not None:
        yield Raise("crash", "exit", message)
    elif _SWEEP_KILLSWITCH.match(message) is not None:
        yield Raise("firewall-failed", "killswitch", message)
    elif _SWEEP_TLS_ROOTS.match(message) is not None:
        # an expired or not-yet-valid certificate fails the same checks: a wrong clock (clock-skew) explains it
        yield Raise("tls-intercepted", "tls", message, unless="clock-skew")
    elif (empty := _SWEEP_NO_NAMESERVERS.search(message)) is not None:
        yield Raise("dns-forward-failing", "forward", message[empty.start() :], weak=True)
    elif _SWEEP_SSH_SWITCH.match(message) is not None:
        yield Raise("ssh-failed", "not-root", message[message.index("can't switch") :])


# ------------------------------------------------------- optional features: BIRD, Taildrive, Taildrop, peer relay

# BIRD (--bird-socket, the HA subnet router pair of https://tailscale.com/kb/1298/subnet-bgp): tailscaled enables
# BIRD's "tailscale" protocol while this node is the primary subnet router and disables it otherwise (chirp over
# BIRD's control socket; wgengine until v1.100, feature/bird since v1.102). At start it cannot reach BIRD or BIRD
# refuses the first "disable": the engine is not created and tailscaled exits (a crash, whose cause this names):
# 'wgengine.NewUserspaceEngine(tun "tailscale0") error: failed to connect to BIRD: dial unix …' (v1.16-v1.19 and
# v1.102+), '… error: createBIRDClient: failed to connect to BIRD: …' (v1.20-v1.100; "getLocalBackend error:
# createEngine: …" when the daemon exits on it), '… error: failed to disable tailscale: 8003 No protocols match'
# (bird.conf has no protocol named "tailscale"), "reading response from bird failed (EOF): …" (v1.18+; v1.16 without
# "(EOF)"). At run time "wgengine: error configuring BIRD: <error>" (v1.16+): failover did not reach BIRD, the
# route is announced by the wrong router or by none; each attempt logs "wgengine: Reconfig: configuring BIRD" first,
# so a later attempt without an error clears it.
_BIRD_REFUSAL = (
    r"(?:createBIRDClient: )?(?:failed to connect to BIRD: |reading response from bird failed"
    r"|failed to (?:en|dis)able tailscale: )"
)
_BIRD_START = lazy_compile(
    r'(?:NewUserspaceEngine\(tun "[^"]*"\) error|getLocalBackend error|createEngine): (?:[^:]*: )?'
    rf"(?P<why>{_BIRD_REFUSAL}.*)$"
)
_BIRD_RUNTIME = lazy_compile(r"wgengine: error configuring BIRD: (?P<why>\S.*)$")
_BIRD_ATTEMPT = "wgengine: Reconfig: configuring BIRD"
_BIRD_NO_PROTOCOL = "No protocols match"  # BIRD's reply 8003: bird.conf defines no protocol of that name


def _bird(message: str) -> Iterator[Event]:
    if (failed := _BIRD_START.search(message) or _BIRD_RUNTIME.search(message)) is not None:
        why = failed.group("why")
        key = (
            "protocol"
            if _BIRD_NO_PROTOCOL in why
            else "connect"
            if "failed to connect to BIRD" in why or "from bird failed" in why
            else "configure"
        )
        yield Raise("bird-failed", key, why)
    elif message.endswith(_BIRD_ATTEMPT):
        yield Clear("bird-failed")


# Taildrive (drive/driveimpl, TailFS in v1.62): a share served "as" a local user runs `tailscaled serve-taildrive` as
# that user (sudo, then su); runLoop restarts it after any exit, logging "user server <exe> stopped with error <err>,
# will try again in <d>" (v1.62+) with a back-off of 2^n ms for the n-th exit within 30 s of the previous one: 2ms is
# a server that ran a while, 4ms or more one that keeps dying (its shares answer nothing). A tailscaled running as
# root that can neither sudo nor su refuses to serve as root ('"root" is root'). "signal: killed" is tailscaled
# stopping it (a share change, a shutdown): routine.
_DRIVE_RESTART = lazy_compile(
    r"^user server (?P<exe>\S.*?) stopped with error (?P<why>.+), will try again in "
    r"(?P<sleep>[\d.]+(?:ms|µs|us|ns|s|m))$"
)
_DRIVE_AS_ROOT = lazy_compile(r'^"[^"]*" is root$')
_DRIVE_STOPPED_BY_US = ("signal: killed",)
_DRIVE_FIRST_BACKOFF_SECONDS = 0.002
# Before each start, when `sudo -n -u <user>` fails, tailscaled looks for su (v1.78+ "can't find su command: <err>",
# exec.LookPath's 'exec: "su": executable file not found in $PATH') and tries it ("su check failed: <err>": the user
# has a nologin shell, PAM refuses root): with neither, tailscaled running as root cannot start the server as the
# share's owner and refuses to serve as root (the '"root" is root' restart follows). Keyed "su"; a later start
# ("starting taildrive file server with sudo|su as user …", "… as ourselves": tailscaled is no root, nothing to
# switch) clears it. (v1.62-v1.76 tried neither: "starting taildrive|TailFS file server as user …".)
_DRIVE_NO_SWITCH = lazy_compile(r"(?:^|: )(?:can't find su command|su check failed): (?P<why>\S.*)$")
_DRIVE_STARTING = ("starting taildrive file server ", "starting TailFS file server ")


def _taildrive(message: str) -> Iterator[Event]:
    if (no_switch := _DRIVE_NO_SWITCH.search(message)) is not None:
        yield Raise("drive-failed", "su", message[no_switch.start() :].removeprefix(": "))
        return
    if message.startswith(_DRIVE_STARTING):
        yield Clear("drive-failed", "su")
        return
    if (restart := _DRIVE_RESTART.match(message)) is None or restart.group("why") in _DRIVE_STOPPED_BY_US:
        return
    why = restart.group("why")
    as_root = _DRIVE_AS_ROOT.match(why) is not None
    looping = _go_duration_seconds(restart.group("sleep")) > _DRIVE_FIRST_BACKOFF_SECONDS
    yield Raise("drive-failed", "as-root" if as_root else "server", message, weak=not (as_root or looping))


# Taildrop receiving a file (the peerapi PUT): v1.8-v1.50 "peerapi: put Create error: …", "… put Copy error: …",
# "… put Close error: …", "… put final rename: …" (ipn/ipnlocal/peerapi.go); v1.52-v1.80 "put <stage> error: <err>"
# (taildrop/send.go, stages Create, Seek, Truncate, Copy, Close, Rename); v1.82+ the same behind "taildrop: "
# (feature/taildrop; paths shown as "redacted.<hash>"). Every stage but Copy is this node's own file system refusing
# the file (directory permissions, a read-only or full disk, a NAS share); Copy fails when the sender stops (EOF,
# reset, "copied N bytes; expected M": resumable, routine) unless the write itself failed. "taildrop: cannot create
# FileOps: <err>" (v1.82+) disables receiving altogether. A later "got put of …" is a file received.
_TAILDROP_PUT = lazy_compile(
    r"(?:^|: )put (?:(?P<stage>Create|Seek|Truncate|Copy|Close|Rename) error|final rename): (?P<why>\S.*)$"
)
# the prefilter's words: "put " alone is in every other English sentence
_TAILDROP_PUT_WORDS = tuple(
    f"put {stage}" for stage in ("Create", "Seek", "Truncate", "Copy", "Close", "Rename", "final")
)
# Its older wording (ipn/ipnlocal v1.20-v1.82, feature/taildrop/ext.go v1.84-v1.86, behind "taildrop: " there):
# "Taildrop disabled; error making directory: <err>", the directory under the state directory (or the app's) that
# MkdirAll could not make (os.MkdirAll's error is always Go's "mkdir <path>: <why>"): receiving is off, whatever the
# error says (not the state store's: state-unwritable).
_TAILDROP_NO_FILEOPS = lazy_compile(
    r"(?:^|: )(?:cannot create FileOps: |Taildrop disabled; error making directory: (?=mkdir \S))(?P<why>\S.*)$"
)
_TAILDROP_NO_DIRECTORY = "Taildrop disabled; error making directory: "
_LOCAL_WRITE_FAILED = lazy_compile(
    r"no space left on device|read-only file system|permission denied|disk quota exceeded|input/output error"
    r"|not enough space on the disk|Access is denied",
    re.IGNORECASE,
)
_TAILDROP_RECEIVED = "got put of "


def taildrop_receive_failure(message: str) -> tuple[str, str] | None:
    """(key, what failed) when ``message`` is Taildrop failing to take a file in, else None."""
    if (put := _TAILDROP_PUT.search(message)) is not None:
        if put.group("stage") == "Copy" and _LOCAL_WRITE_FAILED.search(put.group("why")) is None:
            return None  # the sender stopped: the transfer resumes
        return "receive", message[put.start() :].removeprefix(": ")
    if (no_ops := _TAILDROP_NO_FILEOPS.search(message)) is not None:
        return "disabled", message[no_ops.start() :].removeprefix(": ")
    return None


def _taildrop(message: str) -> Iterator[Event]:
    if (failure := taildrop_receive_failure(message)) is not None:
        yield Raise("taildrop-failed", *failure)
    elif _TAILDROP_RECEIVED in message:
        yield Clear("taildrop-failed", "receive")


# The peer relay server (tailscale set --relay-server-port, v1.86+: feature/relayserver and net/udprelay, every line
# behind "relayserver: "): "error initializing server: <err>" (its UDP port cannot be bound: taken, or a privileged
# port), "error allocating endpoint: <err>" (a session between two peers refused: "VNI pool exhausted"; "server
# closed" is a shutdown), "error reading from socket(<addr>): <err>" (that socket's relay loop ends; a closed
# connection is a shutdown). Peers that would meet through this relay use DERP instead. "listening on udp4:N" (v1.88+)
# is a server started, "allocated endpoint …" a session set up.
_RELAY_SERVER = "relayserver: "
_RELAY_FAILED = lazy_compile(
    r"^relayserver: (?:(?P<start>error initializing server)|(?P<allocate>error allocating endpoint)"
    r"|(?P<read>error reading from socket)\([^)]*\)): (?P<why>\S.*)$"
)
_RELAY_ROUTINE = ("server closed", "use of closed network connection")
_RELAY_PORT_TAKEN = lazy_compile(r"address already in use|Only one usage of each socket address")
_RELAY_LISTENING = lazy_compile(r"^relayserver: listening on udp4[: ]\d+")
_RELAY_ALLOCATED = "relayserver: allocated endpoint "


def _peer_relay(message: str) -> Iterator[Event]:
    if not message.startswith(_RELAY_SERVER):
        return
    if (failed := _RELAY_FAILED.match(message)) is not None:
        why = failed.group("why")
        if any(routine in why for routine in _RELAY_ROUTINE):
            return
        if failed.group("start"):
            key = "port" if _RELAY_PORT_TAKEN.search(why) is not None else "start"
        else:
            key = "allocate" if failed.group("allocate") else "read"
        yield Raise("peer-relay-failed", key, message.removeprefix(_RELAY_SERVER))
    elif _RELAY_LISTENING.match(message) is not None:
        yield Clear("peer-relay-failed", "start")
        yield Clear("peer-relay-failed", "port")
    elif message.startswith(_RELAY_ALLOCATED):
        yield Clear("peer-relay-failed", "allocate")


# Tailscale SSH's host keys (ipn/ipnlocal, v1.60+): tailscaled reads or makes the keys it advertises in Hostinfo on
# every update; when it cannot ("warning: unable to get SSH host keys, SSH will appear as disabled for this node:
# <err>": no state directory ("no var root for ssh keys"), "<state dir>/ssh" not writable, a key file it cannot parse)
# the node advertises none, and peers, `tailscale ssh` and the admin console treat its Tailscale SSH as off.
# (A system key it cannot parse, "warning: error reading host key /etc/ssh/…: … (generating one instead)", is
# replaced by its own: SSH works.)
_SSH_HOST_KEYS = lazy_compile(r"unable to get SSH host keys, SSH will appear as disabled for this node: \S.*$")


def _ssh_host_keys(message: str) -> Iterator[Event]:
    if (failed := _SSH_HOST_KEYS.search(message)) is not None:
        yield Raise("ssh-failed", "host-keys", message[failed.start() :])


# ------------------------------------------------- the sweep's second round: app connector, Windows GP NRPT, lock

# An app connector (https://tailscale.com/kb/1281/app-connectors) learns the addresses of its domains from the DNS
# answers it forwards and advertises them as subnet routes by editing its own prefs; when that edit fails
# ('appc: failed to advertise routes: [140.82.112.3/32 …]: <err>', appc/appconnector.go v1.60-v1.88 through the
# connector's "appc: " logger and ipn/ipnlocal/local.go v1.90+ with the prefix in its format; v1.60-v1.88 also
# "… failed to advertise routes for <domain>: […]: <err>"; "error advertising stored app connector routes: <err>"
# re-advertising the stored ones, v1.80+) the tailnet never learns those routes and clients reach the app directly,
# not through the connector (the app's IP allow-list refuses them). Removing routes it no longer needs ("appc: failed
# to unadvertise routes[ on domain removal]: …: <err>") leaves stale routes pointing at it. The edit fails for the
# same reasons a `tailscale set --advertise-routes` would: a config file that locks prefs ("can't reconfigure
# tailscaled when using a config file; config file is locked": the Kubernetes operator's Connector, `--config`),
# a system policy ("managed by policy"), the state store (state-unwritable says so too). Each batch logs "advertising
# new app connector routes: […]" (v1.80+) before the edit, so a later batch with no failure after it clears it.
_APPC_ROUTES_FAILED = lazy_compile(
    r"(?:^|: )(?:appc: failed to (?P<un>un)?advertise routes\b[^:]*: (?:\[[^\]]*\]: )*\S"
    r"|error advertising stored app connector routes: \S)"
)
_APPC_ADVERTISING = "advertising new app connector routes: "
# an edit cut short by tailscaled stopping or switching profile (ipn/ipnlocal errShutdown, errNodeContextChanged):
# the next run or profile advertises its routes afresh
_APPC_INTERRUPTED = ("context canceled", "shutting down", "profile changed")


def _app_connector(message: str) -> Iterator[Event]:
    if (failed := _APPC_ROUTES_FAILED.search(message)) is not None:
        if message.endswith(_APPC_INTERRUPTED):
            return
        key = "unadvertise" if failed.group("un") else "advertise"
        yield Raise("app-connector-failed", key, message[failed.start() :].removeprefix(": "))
    elif _APPC_ADVERTISING in message:
        yield Clear("app-connector-failed", "advertise")


# Windows with Group Policy NRPT rules (a domain GPO's DNS Client policy): such rules override the local NRPT table,
# so tailscaled copies its own rules into the GP table (writeAsGP) and takes them out again when it no longer needs
# them (net/dns/nrpt_windows.go updateGroupPoliciesLocked, v1.66+: 'updateGroupPoliciesLocked: copyNRPTRule("{…}")
# failed with error <err>', '… DeleteKey for rule "{…}" failed with error …', '… isPolicyConfigSubkeyEmpty error …',
# '… policy config subkey should be empty, but isn't!', 'updateGroupPoliciesLocked DeleteKey error …'; v1.30-v1.64
# moved them between the two tables when the GPO's rules came or went, in the same words behind "movePolicies":
# 'movePolicies: executeMove("<from>", "<to>") failed with error <err>', 'movePolicies DeleteKey error <err>'). Every
# one stops the update: MagicDNS names do not resolve (copy), or Tailscale's rules stay in force after it stops using
# them (delete: those domains keep going to 100.100.100.100).
# (Both log through net/dns's "dns: " logger; the older one's four shapes in full, its name alone being common.)
_NRPT_GROUP_POLICY = lazy_compile(
    r"updateGroupPoliciesLocked(?:: | DeleteKey error )\S.*$"
    r'|(?:^|^dns: )movePolicies(?:: executeMove\("[^"]*", "[^"]*"\) failed with error \S|: isPolicyConfigSubkeyEmpty '
    r"error \S|: policy config subkey should be empty, but isn't!| DeleteKey error \S).*$"
)

# Control told this node tailnet lock was disabled and sent the disablement secret, which the node could not apply
# ("Disablement failed, leaving TKA enabled. Error: <err>", ipn/ipnlocal network-lock.go v1.30-v1.9x, tailnet-lock.go
# since): it keeps checking peers' signatures against a lock the tailnet no longer has (peers may be dropped).
_LOCK_DISABLEMENT_FAILED = lazy_compile(r"Disablement failed, leaving TKA enabled\. Error: \S.*$")


def _sweep_round_two(message: str) -> Iterator[Event]:
    if (nrpt := _NRPT_GROUP_POLICY.search(message)) is not None:
        yield Raise("dns-config-failed", "nrpt-group-policy", message[nrpt.start() :])
    elif (lock := _LOCK_DISABLEMENT_FAILED.search(message)) is not None:
        yield Raise("tailnet-lock-sync-failed", "disablement", message[lock.start() :])


# ------------------------------- the sweep's fourth round: the Windows service's engine at start-up, the operator

# The Windows service of v1.0-v1.32 creating its engine (Wintun, the router, DNS, wireguard-go) apart from its IPN
# server, retrying it every 5 s (cmd/tailscaled/tailscaled_windows.go v1.8-v1.32: "tailscaled: engine fetch error (try
# N) in D (total D, sysUptime D): <stage>: <err>"; ipn/ipnserver/server.go v1.0-v1.32, the error the GUI is shown:
# "ipnserver: initial getEngine call: <err>", "ipnserver<N>: getEngine failed again: <err>"). The stage says which part
# would not come up: "TUN: " (read as the TUN's by its own words), "router: " (the firewall and routes: netsh, the
# route table), "DNS: " (read as DNS's), "engine: " (wireguard-go's device on the adapter, or the router's Up/Set in
# it: "engine: router.Up: …"). Early in boot Windows' network stack is not ready yet and the first tries fail: a later
# "tailscaled: got engine on try N …" or "N: GetEngine worked; exiting failure loop" says it came up after all.
_WINDOWS_ENGINE_FAILED = lazy_compile(
    r"^(?:(?:tailscaled: )?engine fetch error \(try \d+\) in [^:]*\)|ipnserver: initial getEngine call"
    r"|ipnserver\d+: getEngine failed again): (?P<failure>(?P<stage>router|engine): (?P<why>\S.*))$"
)
_WINDOWS_ENGINE_ROUTER = lazy_compile(r"^router\.(?:Up|Set\(nil\)): ")
_WINDOWS_ENGINE_CAME_UP = lazy_compile(r"^(?:tailscaled: )?got engine (?:on try \d+ )?in \S|^\d+: GetEngine worked; ")
# The operator user the prefs name (`tailscale up|set --operator=<name>`) that tailscaled cannot look up
# (ipn/ipnlocal OperatorUserID: "error looking up operator %q uid: %v", v1.8+, on each LocalAPI connection of a user
# other than root): no local user of that name (renamed, removed, a typo; a directory user the /etc/passwd-only
# lookup of v1.68 and older could not see: getent since v1.70), so the operator's CLI commands are refused as anyone
# else's (root and sudo still work).
_OPERATOR_UNKNOWN = lazy_compile(r'^error looking up operator "(?P<name>[^"]*)" uid: \S')
_OPERATOR_WORDS = "error looking up operator "
_SWEEP_ROUND_FOUR_WORDS = (
    "engine fetch error",
    "getEngine call",
    "getEngine failed",
    "got engine ",
    "GetEngine worked",
    _OPERATOR_WORDS,
)


def _sweep_round_four(message: str) -> Iterator[Event]:
    if (failed := _WINDOWS_ENGINE_FAILED.match(message)) is not None:
        router = failed.group("stage") == "router" or _WINDOWS_ENGINE_ROUTER.match(failed.group("why")) is not None
        if router:
            yield Raise("firewall-failed", "windows-engine", failed.group("failure"))
        else:
            yield Raise("tun-unavailable", "tun", failed.group("failure"))
    elif _WINDOWS_ENGINE_CAME_UP.match(message) is not None:
        yield Clear("tun-unavailable")
        yield Clear("firewall-failed")
    elif (operator := _OPERATOR_UNKNOWN.match(message)) is not None:
        yield Raise("operator-unknown", operator.group("name"), message)


# ---------------------------------------- the sweep's third round: register signing, device identity, posture serials

# A register request signed with a machine certificate (control/controlclient signRegisterRequest, v1.8+ on Windows
# and macOS): once the MachineCertificateSubject system policy names a subject, 'RegisterReq sign error:
# signRegisterRequest: find identity: no matching certificate' (no valid RSA certificate with that subject in the
# machine's store; 'open cert store', 'create signer', 'sign': the store or the private key cannot be used) means the
# node registered unsigned. Without the policy the error is 'no certificate subject configured' (or 'no certificate
# store'): builds of April 2021 logged it on every node (tailscale/tailscale#1774), later ones stay silent — no
# problem. Hardware attestation (v1.90+, only once it is on): the TPM key cannot be made ('failed to create hardware
# attestation key: …', ipnlocal) or cannot sign the node key in the map request ('failed to sign node key with
# hardware attestation key: …', controlclient). Either way control gets no proof of the device it was told to expect:
# posture or approval rules that rely on it do not match this node. '[unexpected] policy requires hardware
# attestation, but device does not support it: …' is no such proof failing: v1.94-v1.100 print it on every device
# without a TPM (a pod, a VM) whatever the policy says (v1.102+ only when the policy asks), and attestation stays off.
_DEVICE_IDENTITY = lazy_compile(
    r"(?P<cert>RegisterReq sign error: (?!(?:signRegisterRequest: )?no certificate (?:subject configured|store)\b)"
    r"\S.*)|(?P<hw>failed to (?:create|sign node key with) hardware attestation key: \S.*)"
)
# Control's answer to a register request that cannot be decoded (controlclient, v1.2+; the returned 'register
# request: …' error follows, already control-unreachable): the same failure, logged first.
_REGISTER_UNDECODED = lazy_compile(r"error decoding RegisterResponse with server key .*? and machine key .*?: \S.*$")
# A node key rotated under tailnet lock (v1.32+): the old key's signature could not be re-signed for the new key
# ('Failed re-signing node-key signature: …'), so the new key registers unsigned and peers enforcing the lock drop
# this node until a signing node signs it.
_LOCK_RESIGN_FAILED = lazy_compile(r"Failed re-signing node-key signature: \S.*$")
# Device posture's serial numbers (ipnlocal c2n.go v1.72-v1.88, feature/posture behind its "posture: " logger since):
# 'c2n: GetSerialNumbers returned error: …' is logged as the posture-checking-serial-collection-failed warnable is set,
# so it is that warnable; every answer ends 'c2n: posture identity disabled=… reported N serials …', and one that
# reports serials (or posture checking off) is the warnable set healthy again.
_POSTURE_SERIALS_FAILED = lazy_compile(r"c2n: GetSerialNumbers returned error: \S.*$")
_POSTURE_REPORTED = lazy_compile(r"c2n: posture identity disabled=(?:true|false reported [1-9]\d* serials)\b")
_POSTURE_WARNABLE = "posture-checking-serial-collection-failed"


def _sweep_round_three(message: str) -> Iterator[Event]:
    if (identity := _DEVICE_IDENTITY.search(message)) is not None:
        key = "machine-certificate" if identity.group("cert") else "hardware-attestation"
        yield Raise("device-identity-failed", key, identity.group(0))
    elif (undecoded := _REGISTER_UNDECODED.search(message)) is not None and not _UNREADABLE_ANSWER.search(message):
        yield Raise("control-unreachable", "control", undecoded.group(0))
    elif (resign := _LOCK_RESIGN_FAILED.search(message)) is not None:
        yield Raise("tailnet-lock-sync-failed", "resign", resign.group(0))
    elif (serials := _POSTURE_SERIALS_FAILED.search(message)) is not None:
        yield Raise(f"health:{_POSTURE_WARNABLE}", _POSTURE_WARNABLE, serials.group(0))
    elif _POSTURE_REPORTED.search(message) is not None:
        yield Clear(f"health:{_POSTURE_WARNABLE}")


RECOGNISERS: tuple[Recogniser, ...] = (
    Recogniser("derp", ("region", "derp-", "derp=", "derp.Recv", "derphttp.Client."), _derp),
    Recogniser("derp-queue", ("DERP packets queued",), _derp_queue),
    Recogniser("netcheck", ("UDP is blocked, trying ", " latency of "), _netcheck),
    Recogniser(
        "control",
        (
            "PollNetMap",
            "Received error",
            "long-poll",
            "coordination server",
            "control",
            "key",
            "TryLogin",
            "auth URL",
            "AuthURL",
            "authURL",
            "popBrowserAuth",
            "reauth",
            "LoginInteractive",
            "authRoutine",
            "url-visit-required",
            "bootstrapDNS(",
            "netmap diff:",  # LocalBackend handed a new netmap: the map poll works
            "netmap received",
        ),  # fmt: skip
        _control,
    ),
    Recogniser(
        "ipn",
        (
            "Switching ipn state",
            "LocalBackend state is",
            "AuthLoop: state is",
            "but state is",
            "tsnet server",
            UP_LOGIN_PROMPT,
        ),
        _ipn_state,
    ),
    Recogniser("health", ("health(",), _health),
    Recogniser("dns", ("dns", "DNS", "upstream", "resolv", "NRPT", "100.100.100.100:53", "a1e0::53]:53"), _dns),
    Recogniser(
        "tun",
        (
            "TUN",
            "tun",
            "Wintun",
            "interface",
            "VpnService",
            "(Code 0x",
            'running "ip link',
            "create adapter",
            "create the adapter",
        ),
        _tun,
    ),
    Recogniser("apple-vpn", ("Last disconnect error for ",), _apple_vpn),
    Recogniser("apple-code-signing", ("Unsatisfied entitlements: ", "Disallowing: io.tailscale."), _apple_code_signing),
    Recogniser(
        "router",
        (
            "router",
            "netfilter",
            "iptables",
            "RULE_",
            "route",
            "ConfigureInterface",
            "getipif",
            'running "ip ',
            "ip rules",
            "firewall",
            "filewall",
            # util/linuxfw's IPv4-only decision (_V6_OFF), pasted bare or under another logger's prefix than "router: "
            *_V6_OFF,
        ),
        _router,
    ),
    Recogniser("reconfig", ("authReconfig: ra=",), _reconfig),
    Recogniser("network-category", ("setPrivateNetwork(",), _network_category),
    Recogniser(
        "engine-stage", ("Bringing ", "Clearing router", "Creating ", "monitor...", "Engine created"), _engine_stage
    ),
    Recogniser("filter", ("Drop: ", "rejected due to", "peer reported problem", "dropped by filter"), _filter),
    Recogniser("store", _STORE_WORDS, _store),
    Recogniser(
        "port", ("address already in use", "Only one usage", "forbidden by its access", "unavailable; picking"), _port
    ),
    Recogniser("netstack-udp", ("preventing forwarding to ", "write packet to "), _netstack_udp),
    Recogniser("disco", ("disco: ", "open-conn-track: timeout", "packet from unknown key"), _disco),
    Recogniser(
        "wireguard",
        (
            "Handshake did not complete",
            "Received handshake response",
            "Sending handshake initiation",
            "no UDP or DERP addr",
            "packet from TUN device",
        ),
        _wireguard,
    ),
    Recogniser(
        "serve",
        (
            "could not connect to local",
            "serve: ",
            "http: proxy error: dial",
            "TCP proxy port",
            "error calling stat on ",
            "error opening ",
        ),
        _serve,
    ),
    Recogniser("inbound", ("TCP conn w", "no handler for ", "ingress serve handler", "ingress conn for"), _inbound),
    # (the job number's bracket and the marker or padding after it: "[1]+ ", "[2]- ", "[3]   ", zsh "[1]  + ")
    Recogniser("shell-job", ("]+ ", "]- ", "]  "), _shell_job),
    Recogniser(
        "brew-services", ("homebrew.mxcl.tailscale", "homebrew.tailscale.service", "tailscale error"), _brew_service
    ),
    Recogniser("systemd-status", ("Status: ",), _systemd_status),
    Recogniser(
        "crash",
        (
            "panic: ",
            "fatal error: ",
            "goroutine ",
            "getLocalBackend error",
            "Unable to start up Tailscale",  # the Home Assistant add-on's verdict (_ADDON_GAVE_UP)
            "safesocket.Listen",
            "Main process exited",
            "Failed with result",
            "EXEC",  # status=203/EXEC, "Failed at step EXEC spawning"
            "spawning ",  # "Failed at step NAMESPACE spawning …"
            "status=2",  # systemd's own set-up steps' exit statuses (226/NAMESPACE, 217/USER, …)
            "environment files",
            "task: ",  # "Failed to run 'start' task: …"
            "execut",  # "Failed to execute", "cannot execute binary file", "Unable to locate executable"
            "xec format",
            "yntax error",  # a shell reading a binary for another CPU as a script
            "ELF",
            "Killed process",  # the kernel's OOM killer (_OOM_KILLED)
            "Kill process",
            "reaped process",
            "oom-kill",
            "OOM killer",
            "oomd killed",
            "killed by the OOM killer",  # systemd's words, and docker_oom_kill's
            "Kill 'com.tailscale.ipn",  # Android's lmkd (_OOM_KILLED)
            "Killing 'com.tailscale.ipn",
            "(Result: ",  # systemctl status: Active: … (Result: exit-code)
            "(code=",  # systemctl status: Main PID: … (code=exited, status=1/FAILURE)
            "repeated too quickly",
            "ain process exited",  # systemd < v233 writes "main process exited"
            "entered failed state",
            ".service failed",
            "restart counter is at",  # systemd restarting the unit after a failure (and older wordings)
            "scheduling restart",
            "Failed to start ",  # systemd's start job for the unit failing
            ") error:",  # (a re-wrap may end the line right after "error:")
            "router.Up: ",  # the engine's wrapping of its router's errors: the engine was not created
            "router.Set(nil): ",
            "non-flag arguments",
            "requires root; use sudo",
            " is required",
            "is not supported on",
            "ipnserver.Run",
            " exited: ",
            "failed to start netstack",
            "LocalBackend.Start",
            "wgengine has been closed",
            "IPC server",
            " @ 0x",
            "+0x",
            "watchdog",
            "going to restart",  # service supervisors (_SUPERVISOR_EXIT, _SUPERVISOR_START)
            "subprocess exited: ",
            "Started task ",
            "Failed to run service",
            "not expected)",
            "entered FATAL state",
            "in a crash loop",
            "Back-off restarting",
            "SIG",
            " gp=0x",
            "fault address",
            "wgengine.New: ",
            "Error starting wireguard engine",  # relaynode (v0.9x)
            "Error getting wg config",
            "Error reconfiguring engine",
            "Wireguard engine status error",
            "not an IP range",
            "Usage of ",
            "goroutine profile",
            "serveGoroutines",
            "pprof.",
            "Stack(",
            "GoroutineDump",
            "debug server: ",
            "IsWindowsService",
            "netMon",
            "netmon.New: ",
            "subprocess failed",
            "link monitor: ",
            "netstack.Create",
            " listener: ",
            "aiting for tailscaled",  # containerboot's fatal exits
            "failed to bring up tailscale",
            "left running state",
            "shutting tailscaled down",
            "tailscaled config",
            " environment variable ",  # envknob's fatal (guistart.py)
            "eylog",
            "EYLOG",
            "eyLog",
            "ey-log",
            "ey_log",
            "slkey",
            "SLKEY",
            "slKey",
            "lskey",
            "LSKEY",
            "sl-key",
            "sl_key",  # net/tlsdial's fatal on the SSLKEYLOGFILE (a key log's name)
        ),
        _crash,
    ),  # fmt: skip
    Recogniser("entrypoint", ENTRYPOINT_WORDS, _entrypoint),
    Recogniser("cert", ('cert("', "getCertPEM: ", "async renewal failed: getCertPem: "), _cert),
    Recogniser(
        "peerapi",
        ("peerapi.Accept: ", _PEERAPI_SERVING, "peerapi: invalid request", "peerapi listen(", "peerapi: ingress: "),
        _peerapi,
    ),
    Recogniser("eventbus", (" is slow (",), _eventbus),
    Recogniser(
        "update",
        (_PKGS_HOST, "update command failed", "auto-update: failed", "POST /update failed", "update attempt complete"),
        _update,
    ),
    Recogniser("windows-service-start", ("Error pre-loading", "ipnserver.Run: "), _windows_service_start),
    Recogniser(
        "android",
        (
            "VPN update failed",
            "VPN service error",
            "establish VPN",
            "not prepared or was revoked",
            "Android bug",
            "ready to start the VPN",
            "updateTUN: established",
            "Failed to start LocalBackend",
            "Another VPN is",
            "denied by the user",
            "VPN permission granted",
            "Process: com.tailscale.ipn",
            "(com.tailscale.i",
            "ForegroundServiceStartNotAllowed",
            "Not allowed to start service",
            "Background start not allowed",
            ">>> com.tailscale.ipn",
            "package: com.tailscale.ipn",
            "/com.tailscale.ipn-",
        ),
        _android,
    ),  # fmt: skip
    Recogniser("proxy", ("socks5: ",), _proxy),
    Recogniser("tsnet", ("tsnet: ",), _tsnet_start),
    Recogniser("subnet-ping", ("exec ping", "sendOutboundUserPing: "), _subnet_ping),
    Recogniser(
        "tailnet-lock", ("ock is dropping", "TKA sync error: ", "initTKALocked: ", "TKA desync: "), _tailnet_lock
    ),
    Recogniser("interfaces", ("ifs={",), _interfaces),
    Recogniser("network-link", ("LinkChange: ", "SetNetworkUp("), _network_link),
    Recogniser("start", ("Program starting: v", "goSetupLogs initializing"), _restart),
    Recogniser("stop", ("got signal", "shutting down", "logger closing down", "exit handler", "stopTunnel"), _stop),
    Recogniser("logtail", ("logtail: ",), _logtail),
    Recogniser(
        "wrapper",
        (
            "Service tailscaled exited",
            "protect subnet routes",
            "to ip rules is unsuccessful",
            # containerboot's fatal heads _containerboot does not read (_BOOT_FATAL_MORE)
            "tailscaled socket",
            "starting tailscaled failed",
            "failed to watch tailscaled",
            "previous state from Secret",
            "proxy failed",
            "forward traffic to node",
            "autoadvertisement: ",
        ),
        _wrapper,
    ),
    Recogniser(
        "tailssh",
        (
            "rejecting SSH public key",
            "evaluate SSH policy",
            "evaluate tailnet policy",
            "policy does not permit",
            "access denied for",
            "failed to lookup",
            "failed to look up",
            "access granted to",
            "accepting SSH public key",
            "next SSH action",
            "start failed: ",
        ),
        _tailssh,
    ),
    Recogniser(
        "containerboot",
        (
            "tuntap device file",
            "/dev/net/tun exists",
            "failed to auth tailscale",
            "tailscaled for updates",
            "failed to read from tailscaled",
            "reissued authkey",
            "privileged",
            "proxy rules",
            "netfilter runner",
            "enable IP forwarding",
            "machine authorization required",
            "left running state",
            "Kubernetes permissions are missing",
            "kube secret",
            "Kubernetes Secret",
            "TS_KUBE_SECRET",
            "invalid configuration",
            "kube client",
            "running on Kubernetes",
            "serve config",
            "fsnotify watch",
            "HTTPS endpoint",
            "cert loops",
            "advertised services",
            "Auth key missing or invalid",
            "enabling UDP GRO forwarding",
        ),
        _containerboot,
    ),
    Recogniser(
        "auth-key-mint",
        (
            "/api/v2/",
            "oauth2: ",
            "exchange JWT",
            "token exchange",
            "creating authkey",
            "resolving auth key",
            ', Message: "',
        ),
        _auth_key_mint,
    ),
    Recogniser("old-2020", _OLD_WORDS, _old_wordings),
    Recogniser("android-keystore", ("In generate_key", "Keystore key generation"), _android_keystore),
    Recogniser("ssh-recording", ("Recording: ", "recording: "), _ssh_recording),
    Recogniser("udp-send", ('"operation-not-permitted"', "Failed to send "), _udp_send),
    Recogniser("tun-write", (" to TUN device: ",), _tun_write),
    Recogniser("self-disco", ("received self disco ",), _self_disco),
    Recogniser("rebind", (_REBIND_SEND_ERROR, "closing connection to derp-"), _rebind),
    Recogniser("wg-source", _WG_SOURCE_WORDS, _wg_source),
    Recogniser(
        "derper",
        (
            "rejected: ",
            "TLS handshake error from ",
            "derper: ",
            "invalid mesh key: ",
            "startMesh: ",
            "unknown --home value ",
            "must contain ",
            "NewFileCache: ",
            "StaticFile failed",
            _DERPER_STUN_FATAL,
        ),
        _derper,
    ),
    Recogniser(
        "embedded",
        ("TLS handshake error from ", "tsnet: you must enable ", "proxy error: ", "Headplane agent "),
        _embedded,
    ),
    Recogniser("bird", ("BIRD", "from bird failed", "able tailscale: "), _bird),
    Recogniser(
        "taildrive",
        ("user server ", "su command: ", "su check failed: ", *(w.strip() for w in _DRIVE_STARTING)),
        _taildrive,
    ),
    Recogniser(
        "taildrop",
        (*_TAILDROP_PUT_WORDS, "cannot create FileOps: ", _TAILDROP_NO_DIRECTORY, _TAILDROP_RECEIVED),
        _taildrop,
    ),
    Recogniser("peer-relay", (_RELAY_SERVER,), _peer_relay),
    Recogniser("ssh-host-keys", ("SSH host keys",), _ssh_host_keys),
    Recogniser("app-connector", ("advertise routes", "app connector routes"), _app_connector),
    Recogniser(
        "sweep-round-two", ("updateGroupPoliciesLocked", "movePolicies", "Disablement failed"), _sweep_round_two
    ),
    Recogniser("sweep-round-four", _SWEEP_ROUND_FOUR_WORDS, _sweep_round_four),
    Recogniser(
        "sweep-round-three",
        (
            "RegisterReq sign error",
            "hardware attestation key: ",
            "decoding RegisterResponse",
            "Failed re-signing",
            "GetSerialNumbers returned",
            "posture identity disabled=",
        ),
        _sweep_round_three,
    ),
    Recogniser(
        "source-sweep",
        (
            "proxy listener: ",
            "runservice: ",
            " GUID ",
            "tlsdial: error: ",
            "can't switch to user ",
            "no nameservers found in ",
        ),
        _source_sweep,
    ),
)

# Every word any recogniser needs: a line holding none of them raises no event.
EVENT_WORDS: tuple[str, ...] = tuple(dict.fromkeys(word for r in RECOGNISERS for word in r.words))
_ANY_EVENT_WORD = any_word_pattern(EVENT_WORDS)
# The same words found at every position of a line in one scan (a lookahead matches without consuming, so words that
# overlap are all seen). The word pattern is a trie: at a position it matches the LONGEST event word there, and every
# shorter event word matching at that position is a prefix of it.
_EVENT_WORD_AT = lazy_compile(lambda: f"(?=({_ANY_EVENT_WORD.pattern}))")  # lazyre: built on the first log line
_RECOGNISERS_WITH_WORD: dict[str, frozenset[int]] = {
    word: frozenset(i for i, recogniser in enumerate(RECOGNISERS) if word in recogniser.words) for word in EVENT_WORDS
}


@lru_cache(maxsize=4096)
def _recognisers_at(longest: str) -> frozenset[int]:
    """The recognisers (positions in RECOGNISERS) holding a word that matches where ``longest`` was found: one of
    ``longest``'s prefixes that is an event word."""
    found: frozenset[int] = frozenset()
    for end in range(1, len(longest) + 1):
        found |= _RECOGNISERS_WITH_WORD.get(longest[:end], frozenset())
    return found


_RATELIMIT = lazy_compile(r'^\[RATELIMIT\] format\("(?P<format>(?:[^"\\]|\\.)*)"\)')
# The limiter's older wordings (types/logger/logger.go, before "[RATELIMIT] format(…)" of April 2021 on):
#   May-Dec 2020   "[RATE LIMITED] %s"                                  the format bare, to the end of the line
#   Dec 2020       "[RATE LIMITED] format string \"%s\""               the format quoted, nothing escaped
#   Jan-Apr 2021   "[RATE LIMITED] format string \"%s\" (example: \"%s\")"  and one message it stands for, formatted
# A format stands for repeats like the newer wording; an example is a real message and is read as one.
_RATE_LIMITED_V1 = lazy_compile(
    r'^\[RATE LIMITED\] (?:format string "(?P<quoted>.*?)"(?: \(example: "(?P<example>.*)"\))?|(?P<format>.+?))\s*$'
)
# Its first wording (May 2020, for two weeks) logged the repeated message itself, formatted, behind a sentence.
_SUPPRESSED_MAY_2020 = "Repeated messages were suppressed by rate limiting. Original message: "
# A rate-limited control error whose format is only a verb ("Received error: %v", "TryLogin: %v") names no
# error: a refused registration (control answered) logs the same format, so it is no evidence control is unreachable.
_VERB_ONLY_CONTROL_ERROR = lazy_compile(r"(?:Received error|TryLogin|PollNetMap|lite map update error): %[vsw]$")


def events_of(message: str) -> Iterator[Event]:
    """Every event one message raises, recognisers in registry order."""
    if message.startswith(_SUPPRESSED_MAY_2020):
        yield from _events_of(message.removeprefix(_SUPPRESSED_MAY_2020))  # the message itself, formatted
        return
    form = None
    if message.startswith("[RATELIMIT] format(") and (limited := _RATELIMIT.match(message)) is not None:
        form = limited.group("format")
    elif message.startswith("[RATE LIMITED] ") and (older := _RATE_LIMITED_V1.match(message)) is not None:
        if older.group("example") is not None:
            yield from _events_of(older.group("example"))
            return
        form = older.group("quoted") if older.group("quoted") is not None else older.group("format")
    if form is not None:
        # The rate limiter prints the format of a message logged too often ("router: %s add failed: %v"): it
        # stands for repeats of that message. Its issue holds; what the verbs would have named (a peer, a
        # region) is unknown ("?"), and it proves no success.
        verb_only = _VERB_ONLY_CONTROL_ERROR.search(form) is not None
        for event in _events_of(form):
            if verb_only and isinstance(event, Raise) and event.kind == "control-unreachable":
                continue
            if isinstance(event, Raise):
                yield replace(event, key="?" if "%" in event.key else event.key, detail=message)
        return
    yield from _events_of(message)


def _events_of(message: str) -> Iterator[Event]:
    # Which recognisers hold a word of the message, from one scan of it rather than one search per recogniser (a
    # line of prose with one common word, "router", used to run every recogniser's search); read in their order.
    wanted: frozenset[int] = frozenset()
    for found in _EVENT_WORD_AT.finditer(message):
        wanted |= _recognisers_at(found.group(1))
    for index in sorted(wanted):
        yield from RECOGNISERS[index].read(message)
