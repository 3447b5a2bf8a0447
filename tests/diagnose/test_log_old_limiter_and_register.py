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
    # once the login goes through, nothing holds
    done = _log(_mangle([prefix.format(msg=m) for m in [*bodies, "Switching ipn state NeedsLogin -> Running"]], how))
    assert not _kinds(done) & {"login-required", "control-unreachable"}


@given(st.sampled_from(PREFIXES), st.sampled_from(FAILURES))
@settings(max_examples=30, deadline=None)
def test_a_registration_control_fails_to_answer_stays_control_trouble(prefix: str, failure: str) -> None:
    log = _log(prefix.format(msg=f"Received error: register request: http {failure}") + "\n")
    assert "control-unreachable" in _kinds(log)
