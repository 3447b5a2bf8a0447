"""Generated tests: tailscaled's older rate-limiter wordings, and a registration control refused (blind 15: 684).

The rate limiter of types/logger/logger.go worded its warning four ways before today's
'[RATELIMIT] format("…")' (April 2021): '[RATE LIMITED] <format>' (May-Dec 2020), '[RATE LIMITED] format
string "<format>"' (Dec 2020), the same with '(example: "<message>")' (Jan-Apr 2021), and for two weeks of May
2020 'Repeated messages were suppressed by rate limiting. Original message: <message>'. A format stands for
repeats of its message (its issue holds, what its verbs named is unknown); a message is read as one.

"register request: http %d: %.200s" (controlclient/direct.go) is control's answer to the registration: a 4xx
says control is reachable and the node is not logged in; a 5xx (or 408/429) is control failing.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.daemonlog import is_daemon_log_line, is_daemon_log_line_slow
from opskit.core.diagnose.regions import PUBLIC_REGIONS, Region
from opskit.output.diagnose import to_json
from tests.diagnose.conftest import run_text
from tests.diagnose.test_daemon_log import BAD, MANGLE, PREFIXES, RATE_LIMITED, _kinds, _log, _mangle

# '[RATELIMIT] format("…")' → the bare format (none of these holds an escaped character)
FORMATS = {key.removeprefix('format("').removesuffix('")'): kind for key, kind in RATE_LIMITED.items()}
OLD_FORMAT_WORDINGS = ["[RATE LIMITED] {form}", '[RATE LIMITED] format string "{form}"']


@given(st.sampled_from(PREFIXES), st.sampled_from(sorted(FORMATS)), st.sampled_from(OLD_FORMAT_WORDINGS), MANGLE)
@settings(max_examples=60, deadline=None)
def test_an_older_rate_limited_format_stands_for_its_message(prefix: str, form: str, wording: str, how: str) -> None:
    log = _log(_mangle([prefix.format(msg=wording.format(form=form))], how))
    kind = FORMATS[form]
    assert _kinds(log) - {"hand-started"} == ({kind} if kind else set())
    assert all("%" not in issue["about"] for issue in log["issues"])  # the verbs named nothing
    assert all("%" not in peer["name"] for peer in log["peers"])


# Messages each raising one kind in a line of their own (the rest of BAD may need a second line or a context).
SINGLE = [(kind, message) for kind, messages in BAD.items() for message in messages if "[RATELIMIT]" not in message]


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(SINGLE),
    st.sampled_from(["", "magicsock: %v", "%s: %v"]),
)
@settings(max_examples=60, deadline=None)
def test_an_example_or_an_original_message_reads_as_the_message(prefix: str, case: tuple[str, str], form: str) -> None:
    _, message = case
    expected = _kinds(_log(prefix.format(msg=message) + "\n"))
    example = f'[RATE LIMITED] format string "{form or message}" (example: "{message}")'
    assert _kinds(_log(prefix.format(msg=example) + "\n")) == expected, example
    original = f"Repeated messages were suppressed by rate limiting. Original message: {message}"
    assert _kinds(_log(prefix.format(msg=original) + "\n")) == expected, original


REFUSALS = [
    "400: invalid key: API key tskey-012345 not valid",
    "401: unauthorized",
    "403: node nodekey:e581d230e77405da750468bdd136c9880de17cddc73d3ad5f72c1681[REDACTED] bad machine key "
    "mkey:9d4fbc732edd78cfa86e47b40001842ae5ce5feae790c91c33e9a3b[REDACTED]",
    "404: node not found",
    "410: auth path not found",
]
FAILURES = ["500: internal server error", "502: <html>Bad Gateway</html>", "503: ", "429: too many requests"]
LIMITED = [
    "[RATE LIMITED] Received error: %v",
    '[RATELIMIT] format("Received error: %v") (3 dropped)',
    '[RATE LIMITED] format string "Received error: %v"',
    "[RATE LIMITED] control: %s: backoff: %d msec",
]


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(REFUSALS),
    st.sampled_from(["Received error: ", "Received error: TryLogin: ", "control: TryLogin: "]),
    st.lists(st.sampled_from(LIMITED), max_size=3),
    MANGLE,
)
@settings(max_examples=80, deadline=None)
def test_a_registration_control_refuses_is_a_login_not_a_lost_control(
    prefix: str, refusal: str, lead: str, limited: list[str], how: str
) -> None:
    bodies = [
        "control: sendStatus: authRoutine-report: state:authenticating",
        f"{lead}register request: http {refusal}",
        "control: authRoutine: backoff: 847 msec",
        *limited,
        "control: direct.TryLogin(token=false, flags=0)",
        "control: doLogin(regen=false, hasUrl=false)",
    ]
    log = _log(_mangle([prefix.format(msg=m) for m in bodies], how))
    assert "login-required" in _kinds(log) and "control-unreachable" not in _kinds(log), bodies
    (issue,) = [i for i in log["issues"] if i["kind"] == "login-required"]
    assert f"register request: http {refusal[:3]}" in issue["message"]  # the answer, not the backoff after it
    # once the login goes through, nothing holds
    done = _log(_mangle([prefix.format(msg=m) for m in [*bodies, "Switching ipn state NeedsLogin -> Running"]], how))
    assert not _kinds(done) & {"login-required", "control-unreachable"}


@given(st.sampled_from(PREFIXES), st.sampled_from(FAILURES))
@settings(max_examples=30, deadline=None)
def test_a_registration_control_fails_to_answer_stays_control_trouble(prefix: str, failure: str) -> None:
    log = _log(prefix.format(msg=f"Received error: register request: http {failure}") + "\n")
    assert "control-unreachable" in _kinds(log)


# v0.9x (early 2020: relaynode, taillogin, the first tailscaled) logged controlclient's messages without
# "control: " (control/controlclient/direct.go of February 2020), and "No AuthURL" once a registration went
# through ("key rotation is complete"). taillogin, daemon and CLI in one, printed its login prompt amid them
# (blind 15: 685).
EARLY_CONTROL = [
    "direct.TryLogin(false, 0)",
    "direct.WaitLoginURL",
    "doLogin(regen=false, hasUrl=true)",
    "Generating a new nodekey.",
    "LoginInteractive -> regen=true",
    "RegisterReq: onode=[empty] node=[pub:\u2026skWv] fup=true",
    "RegisterReq: returned.",
    "No AuthURL",
    "AuthURL is https://login2.tails...",
    "PollNetMap: stream=-1 :0 []",
]
LOG_PREFIXES = ["{msg}", "2020/02/16 00:41:07 {msg}", "Feb 16 00:41:07 host tailscaled[812]: {msg}"]
PADDING = st.sampled_from(["", "   ", " " * 40])


@given(st.sampled_from(LOG_PREFIXES), st.sampled_from(EARLY_CONTROL), PADDING)
@settings(max_examples=40, deadline=None)
def test_an_early_control_message_is_a_log_line(prefix: str, message: str, padding: str) -> None:
    line = prefix.format(msg=message) + padding
    assert is_daemon_log_line(line) and is_daemon_log_line_slow(line), line


@given(
    st.sampled_from(LOG_PREFIXES),
    st.booleans(),  # the prompt printed amid the log
    st.booleans(),  # the registration completed ("No AuthURL" and the map poll after it)
    PADDING,
    st.sampled_from(["plain", "crlf", "fence", "indent"]),
)
@settings(max_examples=60, deadline=None)
def test_an_early_login_that_completes_leaves_nothing_to_do(
    prefix: str, prompt: bool, completed: bool, padding: str, how: str
) -> None:
    before = ["logtail started", "RegisterReq: onode=[empty] node=[pub:\u2026skWv] fup=false", "RegisterReq: returned.",
              "AuthURL is https://login2.tails..."]  # fmt: skip
    after = ["direct.WaitLoginURL", "doLogin(regen=false, hasUrl=true)",
             "RegisterReq: onode=[empty] node=[pub:\u2026skWv] fup=true", "RegisterReq: returned."]  # fmt: skip
    done = ["No AuthURL", "PollNetMap: stream=-1 :0 []"] if completed else []
    shown = ["To authenticate, visit:", "", "        https://login2.tailscale.io/a/8d4bd10b056", ""] if prompt else []
    lines = [
        *(prefix.format(msg=m) + padding for m in before),
        *(line + padding for line in shown),
        *(prefix.format(msg=m) + padding for m in [*after, *done]),
        *(["Success."] if prompt and completed else []),  # the CLI's own word that the login went through
    ]
    diagnosis = run_text(_mangle(lines, how))
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    (log,) = document["daemon_logs"]  # one log, on both sides of the prompt
    assert ("login-required" in _kinds(log)) is not completed, lines
    assert "control-unreachable" not in _kinds(log)
    assert diagnosis.has_problems is not completed


# magicsock connects to the home relay it chooses at once ("home is now derp-4 (fra)", then "adding connection to
# derp-4 for home-keep-alive", "connecting to derp-4 (fra)", "derp-4 connected"): a log going on for 10 s or more
# after the choice with no word of that region says the node is not connected to its home (blind 15: 687).
STAMPS = [
    "2021-02-24 {clock}.377207334 +0100 +0100: {msg}",  # logtail's local copy
    "2021/02/24 {clock} {msg}",
    "2021-02-24T{clock}.377Z {msg}",
    "Feb 24 {clock} host tailscaled[812]: {msg}",
]
CONNECTED = [
    "magicsock: adding connection to derp-{id} for home-keep-alive",
    "derphttp.Client.Connect: connecting to derp-{id} ({code})",
    "magicsock: derp-{id} connected; connGen=1",
    "magicsock: 1 active derp conns: derp-{id}=cr0s,wr0s",
]
OTHER = [
    "logtail: backoff: 7 msec",
    'logtail: dialed "log.tailscale.io:443" in 122ms',
    "control: cancelMapSafely: channel was full",
    "magicsock: derp-{id}0 connected; connGen=1",  # another region (40 is not 4)
]


def _clock(seconds: int) -> str:
    seconds += 9 * 3600 + 59 * 60 + 50  # 09:59:50: a gap crosses the minute and the hour
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


@given(
    st.sampled_from(STAMPS),
    st.sampled_from(PUBLIC_REGIONS[:12]),
    st.integers(min_value=0, max_value=900),
    st.sampled_from([None, *CONNECTED]),
    st.booleans(),  # the connection line comes before the choice (a peer's region that became home)
    st.lists(st.sampled_from(OTHER), min_size=1, max_size=3),
)
@settings(max_examples=80, deadline=None)
def test_a_home_relay_never_connected_to_is_unreachable(
    stamp: str, region: Region, gap: int, connected: str | None, before: bool, others: list[str]
) -> None:
    ids = {"id": region.region_id, "code": region.code}
    choice = [
        stamp.format(clock=_clock(0), msg=f"magicsock: home is now derp-{region.region_id} ({region.code})"),
        stamp.format(clock=_clock(0), msg=f"control: NetInfo: NetInfo{{varies=true derp=#{region.region_id}}}"),
    ]
    tail = [stamp.format(clock=_clock(gap), msg=m.format(**ids)) for m in others]
    word = [stamp.format(clock=_clock(0), msg=connected.format(**ids))] if connected else []
    lines = [*word, *choice, *tail] if before else [*choice, *word, *tail]
    log = _log("\n".join(lines) + "\n")
    silent = connected is None and gap >= 10
    assert ("derp-unreachable" in _kinds(log)) is silent, lines
    if silent:
        (issue,) = [i for i in log["issues"] if i["kind"] == "derp-unreachable"]
        assert issue["about"] == f"{region.region_id} ({region.code})"
