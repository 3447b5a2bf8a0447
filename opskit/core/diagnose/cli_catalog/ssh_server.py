"""Catalogued messages the target's Tailscale SSH server prints to the SSH client (what `tailscale ssh` or plain
`ssh` shows, then OpenSSH's "Connection to … closed."): the session was let in by the policy but refused or closed.

Read from Tailscale's source (ssh/tailssh/tailssh.go, v1.24 to de9ec7ee2, 2026-08-22):
- session recording: when the policy (a rule's ``recorder``) or the local debug knob ``TS_DEBUG_LOG_SSH=1``
  wants the session recorded and the recording cannot start, the server prints "can't start new recording" and
  ends the session before running anything (exit status 1, 254 in current builds). A recorder (tsrecorder) it
  cannot reach prints the policy's own reject message instead (or nothing: fail open), so this line is the local
  ``.cast`` file under tailscaled's state directory (``<var>/ssh-sessions``) that could not be created, or a node
  with no node key. A recording that fails after the start, with ``enforceRecorder``, closes the session and
  v1.40-v1.9x printed the upload error itself ("recording upload ended before the SSH session", the recorder's
  "recording: received error from the recorder: …", "did not receive ack frames from the recorder in 30s").
- check mode (a rule with ``"action": "check"``): the server holds the session and asks the coordination server
  whether the user re-authenticated (HoldAndDelegate). It prints control's own texts (the "# Tailscale SSH requires
  an additional check." prompt, or a refusal such as "Tailscale SSH check mode unavailable. Please contact support
  with code TSS_…"), or its own banners "tailscale: failed to fetch next SSH action" (the wait, up to 30 minutes,
  ended without an answer) and "tailscale: reached Action that had neither Accept, Reject, nor HoldAndDelegate".
  The prompt is not a failure (the session waits for the login): it is the warning ``ssh-check-required``, never
  the `up`/`login` prompt whose "To authenticate, visit:" it repeats (blocks.py keeps that line with it).
tailscaled's own log lines about the same failures ("ssh-session(…): startNewRecording: …") are the daemon log
model's (daemonlog/events.py): the recorder patterns below skip them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry
from opskit.core.diagnose.lazyre import lazy_compile
from opskit.core.diagnose.models import CliErrorKind
from opskit.core.diagnose.text import SourceLine, url_tail_end

_SSH = CliErrorKind.SSH_FAILED
_TAILSSH = "ssh/tailssh/tailssh.go"
# tailscaled's log line carrying the same text (the session's log prefix, or the wording only the log has).
_NOT_DAEMON_LOG = r"^(?!.*(?:ssh-session\(|startNewRecording|error (?:starting|uploading) recording \())"

_RECORDER_FIX = (
    "On the SSH server, make the recorder reachable (the tsrecorder node named in the rule's `recorder` up, on the "
    "tailnet, allowed by the policy to be reached from the server, its storage writable); tailscaled's log there "
    "names the error ('recording: …'). To let sessions run unrecorded while it is down, set `enforceRecorder: "
    "false` on the rule. Then connect again."
)


def _entry(phrase: str, pattern: str, cause: str, fix: str, example: str, kind: CliErrorKind = _SSH) -> Refusal:
    return catalog_entry(kind, phrase, pattern, cause, fix, _TAILSSH, example)


# Control's banner for a check-mode rule (tailcfg.SSHAction.Message, sent as the SSH auth banner: the text is not in
# Tailscale's source): "# Tailscale SSH requires an additional check." then "# To authenticate, visit: <URL>", or
# both on one line, the URL any control server's. The sentence ends there (a full stop, the line's end, a closing
# quote, the URL's line): prose telling when it "requires an additional check …" is no banner.
SSH_CHECK_PROMPT_PHRASE = "requires an additional check"
_URL = r"https?://[^\s`'\"]+"
_CHECK_PROMPT = (
    r"\bTailscale SSH requires an additional check\b\.?"
    r"(?:\s*(?:#\s*)?To authenticate, visit:\s*(?:" + _URL + r")?|(?=\s*(?:$|[\"'`)\]])))"
)
# The banner's second line, or its URL alone on a third when the line was cut ("# To authenticate, visit:" / "<URL>").
_VISIT_LINE = lazy_compile(r"#?\s*To authenticate, visit:\s*(?:" + _URL + r")?\s*")
_URL_LINE = lazy_compile(r"#?\s*" + _URL + r"\s*")


def ssh_check_prompt_end(lines: Sequence[SourceLine], start: int, first: str) -> int | None:
    """The index of the check-mode banner's last line when its first (``first``, re-joined if it was wrapped) is
    above ``lines[start]``: its "To authenticate, visit:" line, or the URL a cut put on a line of its own; or None:
    nothing of it follows. Without this the visit line would read as `tailscale up`'s login prompt."""
    end = start - 1
    if "visit:" not in first:
        end = start
        while end < len(lines) and not lines[end].text and end - start < 1:  # one blank line: CRLF doubled
            end += 1
        if end >= len(lines) or lines[end].command is not None or not _VISIT_LINE.fullmatch(lines[end].text):
            return None
        if "://" in lines[end].text:
            return url_tail_end(lines, end)  # with the rest of a URL the terminal cut at its width
    after = end + 1
    while after < len(lines) and not lines[after].text and after - end <= 2:
        after += 1
    if after < len(lines) and lines[after].command is None and _URL_LINE.fullmatch(lines[after].text):
        return url_tail_end(lines, after)
    return end if end >= start else None


# What the session printed once the check passed (control's banner goes on, then the host's login(1) runs): the
# banner's "# Authentication checked with Tailscale SSH." / "# Time since last authentication: 0s", login's "Last
# login: …", and a login or shell that failed on the target host. Read only under the check banner: alone, these
# are any host's login lines.
_CHECK_PASSED = lazy_compile(r"#\s*(?:Authentication checked with Tailscale SSH\b.*|Time since last authentication:.*)")
_LAST_LOGIN = lazy_compile(r"Last (?:failed )?login: .*|There (?:was|were) \d+ failed login attempts? .*")
# login(1)'s own failures running the user's shell or session (util-linux "<name>: no shell: <errno>", shadow's
# "Cannot execute <shell>: <errno>", "No directory <home>!", "Session setup problem, abort."), su's or login's
# prefixed ones ("su: …", "login: …"), OpenSSH-style "Could not chdir to home directory <dir>: <errno>".
_SESSION_FAILED = lazy_compile(
    r"(?:[\w.@-]+: )?no shell: (?P<why>\S.*)"
    r"|Cannot execute (?P<shell>\S+): (?P<why2>\S.*)"
    r"|Could not chdir to home directory (?P<home>\S+): (?P<why3>\S.*)"
    r"|No directory \S+!?|Session setup problem, abort\.?"
    r"|(?:su|login): (?!\s*$).*(?:denied|failed|failure|not permitted|cannot|can't|No such file|abort).*",
    re.IGNORECASE,
)
SESSION_FAILED_CAUSE = (
    "the Tailscale SSH check passed and the server let the session in (the tailnet policy allowed it: not an "
    "ACL problem), then the target host could not start the user's login or shell: Tailscale SSH runs the "
    "host's login(1) as tailscaled ({line}). {why}"
)
_DENIED_WHY = (
    "A denial there is usually SELinux (enforcing): tailscaled runs in a service context (unconfined_service_t) "
    "that the policy does not let start a login shell; otherwise the shell or home directory is not readable "
    "for that user."
)
_MISSING_WHY = "The user's shell or home directory is missing or broken on that host (its passwd entry names it)."


def session_failed_cause(text: str) -> str:
    """The cause for a session failure line (is_session_failure): a denial, or a missing shell or home."""
    denied = "denied" in text.lower() or "not permitted" in text.lower()
    return SESSION_FAILED_CAUSE.format(line=f"'{text}'", why=_DENIED_WHY if denied else _MISSING_WHY)


SESSION_FAILED_FIX = (
    "On the target host, read the denial (`ausearch -m avc -ts recent` or `journalctl -t setroubleshoot`) and "
    "allow it (a local policy module built with `audit2allow`, `restorecon -Rv` on the shell and home "
    "directory), or test with `setenforce 0`; check the user's shell exists and is executable (`getent passwd "
    "<user>`) and its home directory is readable; or use the host's own sshd instead of Tailscale SSH there."
)


def session_tail_end(lines: Sequence[SourceLine], start: int) -> int:
    """The index after the lines, from ``lines[start]``, that the session printed under a check banner once the
    check passed (see _CHECK_PASSED, _LAST_LOGIN, _SESSION_FAILED); ``start`` when none does."""
    end = start
    while end < len(lines) and lines[end].command is None:
        text = lines[end].text
        if not (_CHECK_PASSED.fullmatch(text) or _LAST_LOGIN.fullmatch(text) or _SESSION_FAILED.fullmatch(text)):
            break
        end += 1
    return end


def is_session_failure(text: str) -> bool:
    """A login or shell failure of the host's own (login(1), su), as printed under a passed check banner."""
    return _SESSION_FAILED.fullmatch(text) is not None


REFUSALS: tuple[Refusal, ...] = (
    _entry(
        SSH_CHECK_PROMPT_PHRASE,
        _CHECK_PROMPT,
        'the target\'s Tailscale SSH server let the session in under an ssh rule in check mode (`"action": '
        "\"check\"`): the user's last sign-in is older than the rule's check period (12 hours unless "
        "`checkPeriod` says otherwise), so the server holds the session until the user signs in again in a browser "
        "at the URL it printed, then lets it through. Nothing is broken: both nodes are logged in and reach each "
        "other, and no login of this node is pending (`tailscale up` is not waiting).",
        "Open the URL the banner printed ('To authenticate, visit: …') in a browser and sign in as the tailnet "
        "user the rule names (the account this device uses); the waiting session then proceeds. Unattended "
        "connections (CI, scripts, agents) cannot complete the check: run them from a tagged source node and give "
        'that tag an ssh rule with `"action": "accept"` (or a longer `checkPeriod` for people).',
        "# Tailscale SSH requires an additional check.",
        CliErrorKind.SSH_CHECK_REQUIRED,
    ),
    _entry(
        "t start new recording",
        r"\bcan(?:['\u2019]|no)?t start new recording\b",
        "the SSH server let the session in (its policy allowed it) but must record it and could not start the "
        "recording, so it refused the session before running anything; plain SSH access is not otherwise "
        "refused. This line is the local recording: `TS_DEBUG_LOG_SSH=1` in tailscaled's environment writes each "
        "session to a .cast file under its state directory (`/var/lib/tailscale/ssh-sessions`), and the server's "
        "disk is full or read-only (or tailscaled has no state directory). With a recorder rule it means the "
        "server has no node key (logged out); a recorder it cannot reach prints the policy's message instead.",
        "On the SSH server, free disk space where tailscaled keeps its state (`df -h /var/lib/tailscale`) or make "
        "it writable again, or turn the local recording off (remove TS_DEBUG_LOG_SSH from /etc/default/tailscaled "
        "and restart tailscaled); its log says why ('startNewRecording: …'). Then connect again.",
        "can't start new recording",
    ),
    _entry(
        "recording upload ended",
        _NOT_DAEMON_LOG + r".*?\brecording upload ended before the SSH session",
        "the SSH server records this session for the policy's recorder (tsrecorder) and the upload ended while "
        "the session ran: the rule enforces recording (`enforceRecorder`), so the server closed the session.",
        _RECORDER_FIX,
        "recording upload ended before the SSH session",
    ),
    _entry(
        "from the recorder",
        _NOT_DAEMON_LOG + r".*?\b(?:recording: received error from the recorder: \S.*"
        r"|did not receive ack frames from the recorder\b(?: in \w+)?)",
        "the SSH server records this session for the policy's recorder (tsrecorder), and the recorder failed "
        "(it answered an error, or stopped acknowledging the upload): the rule enforces recording "
        "(`enforceRecorder`), so the server closed or refused the session.",
        _RECORDER_FIX,
        'recording: received error from the recorder: "storage unavailable"',
    ),
    _entry(
        "check mode unavailable",
        r"Tailscale SSH check mode unavailable\b",
        "the target's SSH rule is in check mode: the session needs a recent re-authentication of the connecting "
        "user, and the coordination server could not perform that check for this device (the login it holds "
        "for it is stale or not one the check accepts), so the SSH server refused and closed the session. The "
        "policy does allow this user (check, not deny); the daemon runs.",
        "Log in again on the device you connect from (`tailscale login`, or log out and back in in the app) and "
        "connect again; if it keeps coming back, contact Tailscale support with the code the message gives. "
        "An `accept` rule (or a longer `checkPeriod`) asks less often.",
        "Tailscale SSH check mode unavailable. Please contact support with code TSS_SSH_FIX. Connection closed",
    ),
    _entry(
        "fetch next ssh action",
        r"(?:^|\s|\btailscale: )failed to fetch next SSH action\b(?!: )",
        "the target's SSH rule is in check mode: the SSH server held the session waiting for the coordination "
        "server to say the user re-authenticated, and it got no answer (the sign-in at the 'To authenticate, "
        "visit:' URL was not finished within the wait, up to 30 minutes, or the server lost its connection to "
        "control), so it closed the session.",
        "Connect again and open the URL it prints right away, signing in as the tailnet user the rule names (the "
        "same account this device uses); if it fails without a URL, check the SSH server reaches the "
        "coordination server (`tailscale status` there).",
        "tailscale: failed to fetch next SSH action",
    ),
    # 1.82+ (tailssh clientAuth → errBanner, with the x/crypto SSH server): setInfo could not identify the caller —
    # the connection's source is not a Tailscale address, or LocalBackend.WhoIs knows no node, or no user profile
    # for its owner ("unknown Tailscale identity from src …" in the server's log); before 1.82 the same case was a
    # silent errDenied ("Permission denied (tailscale)"). Only after the banner's "tailscale: " prefix, or alone.
    _entry(
        "failed to get connection info",
        r"(?:^|\btailscale: )failed to get connection info\.?$",
        "the target's Tailscale SSH server could not identify the connecting node (its connection-info check "
        "failed before any SSH policy was evaluated): the source address is not a Tailscale address it knows, or "
        "its netmap has the peer but no user profile for the peer's owner (the server's log says 'unknown "
        "Tailscale identity from src …'). A control server that gives tagged nodes an owner id without that "
        "user's profile (Headscale 0.28 betas) makes every SSH between tagged nodes fail this way. Not the SSH "
        "policy, not the network.",
        "Check on the SSH server that `tailscale whois <source IP>` names the connecting node and its user; with "
        "Headscale, upgrade it (and report tagged nodes whose owner shows as 'userid:…' in `tailscale status`); "
        "otherwise restart tailscaled on the server so its netmap is fresh, and connect from a node it lists.",
        "tailscale: failed to get connection info",
    ),
    _entry(
        "neither accept, reject, nor holdanddelegate",
        r"reached Action that had neither Accept, Reject, nor HoldAndDelegate",
        "the target's SSH server asked the coordination server for the session's verdict (check mode) and got an "
        "answer it cannot use (neither accept, reject nor another check), so it closed the session.",
        "Connect again; if it repeats, update Tailscale on the SSH server and report it to Tailscale support (or "
        "your control server's maintainers) with the time of the attempt.",
        "tailscale: reached Action that had neither Accept, Reject, nor HoldAndDelegate",
    ),
)
