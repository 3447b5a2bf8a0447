"""Generated tests for session 15's small leftovers in `opskit diagnose` (what a user sees in the JSON document).

1. systemd's start and stop lines for tailscaled's unit, which name it by its description ("Started Tailscale node
   agent.", v250 on "Started tailscaled.service - Tailscale node agent."): lines of tailscaled's log (started by the
   service), never skipped, and journalctl -x's catalog text under them is read with them. Another unit's start line
   is not Tailscale's.
2. A journal hard-wrapped by a terminal of any width (every longer line cut at exactly that column, mid-word or
   not, as a resized window or tmux does): each log line reads as it did unwrapped — the same issues, the same
   messages. A re-wrap at spaces (a chat client) keeps reading as before.
3. tailscaled's bootstrap DNS failing for its log server (log.tailscale.com) is log upload failing (info, exit 0),
   never the coordination server unreachable; for any other name it is still control-unreachable.
4. A `tailscale status` an author kept as comments ("# " before every line, blind 36: 1928): its health check reads
   too ("# # Health check:", "# #     - …"), as the rows do; a commented comment stays unread.
"""

from __future__ import annotations

import textwrap
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.log_catalog import document_of, issue_kinds


def _skipped(document: dict[str, Any]) -> list[str]:
    return [warning for warning in document["warnings"] if "skipped" in warning]


# ------------------------------------------------------------------ 1. systemd's start/stop lines by description

_SYSTEMD_PREFIXES = (
    "Dec 07 08:00:0{s} host systemd[1]: {msg}",
    "Dec  7 08:00:0{s} raspberrypi systemd[1]: {msg}",
    "Dec  7 08:00:0{s} centos7 systemd: {msg}",  # RHEL/CentOS 7's /var/log/messages: no PID
    "2025-11-25T03:10:4{s}.123456+00:00 nas systemd[1]: {msg}",
    "{msg}",  # the message alone, copied out of `journalctl -o cat`
)
_VERBS = (("Starting", "..."), ("Started", "."), ("Stopping", "..."), ("Stopped", "."), ("Starting", "…"))
_CATALOG_STARTED = (
    "░░ Subject: A start job for unit tailscaled.service has finished successfully",
    "░░ Defined-By: systemd",
    "░░ Support: https://www.debian.org/support",
    "░░ ",
    "░░ A start job for unit tailscaled.service has finished successfully.",
    "░░ ",
    "░░ The job identifier is {job}.",
)


def _unit_line(verb: str, end: str, named: bool) -> str:
    # systemd v250 and later put the unit's name before its description
    return f"{verb} {'tailscaled.service - ' if named else ''}Tailscale node agent{end}"


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from(_SYSTEMD_PREFIXES),
    st.lists(st.tuples(st.sampled_from(_VERBS), st.booleans()), min_size=1, max_size=4),
    st.booleans(),
    st.integers(min_value=1, max_value=999_999),
)
def test_systemds_start_and_stop_lines_of_tailscaleds_unit_are_its_log(
    prefix: str, lines: list[tuple[tuple[str, str], bool]], catalog: bool, job: int
) -> None:
    text_lines: list[str] = []
    for second, ((verb, end), named) in enumerate(lines):
        text_lines.append(prefix.format(s=second, msg=_unit_line(verb, end, named)))
        if catalog and verb == "Started":
            text_lines.extend(line.format(job=job) for line in _CATALOG_STARTED)
    text = "\n".join(text_lines) + "\n"
    document = document_of(text)
    assert not _skipped(document), (text, document["warnings"])
    assert [block["kind"] for block in document["blocks"]] == ["tailscaled-log"], text
    assert issue_kinds(document) == (set(), 0), text
    if prefix != "{msg}":
        assert not document["daemon_logs"][0]["hand_started"], text


_OTHER_UNITS = (
    "Started OpenSSH server daemon.",
    "Started tailscale-autoconnect.service - Connect to the tailnet.",
    "Stopped Tailscale node agent watchdog timer.",
    "Starting Network Manager...",
)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(_SYSTEMD_PREFIXES[:4]), st.sampled_from(_OTHER_UNITS))
def test_another_units_start_line_is_not_tailscaleds_log(prefix: str, message: str) -> None:
    document = document_of(prefix.format(s=1, msg=message) + "\n")
    assert document["daemon_logs"] == [], message
    assert document["summary"]["exit_code"] == 2, message


# ------------------------------------------------------------------ 2. a terminal's hard wrap at any width

_JOURNAL = "Jun 17 21:13:{s:02d} treebeard tailscaled[71934]: {msg}"
_LONG_MESSAGES = (
    'bootstrapDNS("derp7d.tailscale.com", "2403:2500:400:20::cfe") for "log.tailscale.com" error: Get '
    '"https://derp7d.tailscale.com/bootstrap-dns?q=log.tailscale.com": dial tcp [2403:2500:400:20::cfe]:443: '
    "connect: network is unreachable",
    'logtail: upload: log upload of 191 bytes not-compressed failed: Post "https://log.tailscale.io/c/'
    'tailnode.log.tailscale.io/88": context deadline exceeded',
    'Received error: fetch control key: Get "https://controlplane.tailscale.com/key?v=71": dial tcp '
    "18.196.173.61:443: i/o timeout",
    'wgengine.NewUserspaceEngine(tun "tailscale0") error: tstun.New("tailscale0"): CreateTUN("tailscale0") failed; '
    "/dev/net/tun does not exist",
    'health("overall"): error: not in map poll; not connected to home DERP region 4; router: setting up filter: '
    "running [/usr/sbin/iptables -t filter -N ts-input --wait]: exit status 4: iptables v1.8.7 (nf_tables): Could "
    "not fetch rule set generation id: Invalid argument",
)
_SHORT_MESSAGES = (
    "logtail started",
    "magicsock: derp-4 connected; connGen=1",
    "Switching ipn state Starting -> Running",
)


def _issues(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(issue["kind"], issue["message"]) for log in document["daemon_logs"] for issue in log["issues"]]


def _hard_wrapped(line: str, columns: int) -> list[str]:
    return [line[start : start + columns] for start in range(0, len(line), columns)]


@settings(max_examples=120, deadline=None)
@given(
    st.permutations(_LONG_MESSAGES),
    st.lists(st.sampled_from(_SHORT_MESSAGES), max_size=3),
    st.integers(min_value=90, max_value=150),
    st.booleans(),
)
def test_a_terminals_hard_wrap_at_any_width_reads_as_the_unwrapped_log(
    long: list[str], short: list[str], columns: int, trailing_spaces_kept: bool
) -> None:
    # (the terminal's width shows in a paste with several lines cut at it: all five long messages are)
    lines = [_JOURNAL.format(s=second, msg=message) for second, message in enumerate([*short, *long])]
    unwrapped = document_of("\n".join(lines) + "\n")
    expected = _issues(unwrapped)
    assert expected  # the long messages raise issues: a wrap that loses them shows
    pieces = [piece for line in lines for piece in _hard_wrapped(line, columns)]
    if not trailing_spaces_kept:
        pieces = [piece.rstrip() for piece in pieces]  # a copy that drops the space a cut left at a line's end
    text = "\n".join(pieces) + "\n"
    wrapped = document_of(text)
    assert _issues(wrapped) == expected, text
    assert wrapped["summary"]["exit_code"] == unwrapped["summary"]["exit_code"], text
    assert not _skipped(wrapped), (text, wrapped["warnings"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_LONG_MESSAGES), min_size=2, max_size=4, unique=True),
    st.integers(min_value=90, max_value=150),
)
def test_a_rewrap_at_spaces_never_glues_two_words(long: list[str], columns: int) -> None:
    lines = [_JOURNAL.format(s=second, msg=message) for second, message in enumerate(long)]
    pieces = [piece for line in lines for piece in textwrap.wrap(line, columns, break_on_hyphens=False)]
    text = "\n".join(pieces) + "\n"
    read = _issues(document_of(text))
    assert read, text
    for _, message in read:
        # each message is a stretch of its line as logged: a space lost at a seam would glue two words
        assert any(message in line for line in lines), (message, text)


# ------------------------------------------------------------------ 3. bootstrap DNS for the log server

_BOOTSTRAP = 'bootstrapDNS("derp{n}.tailscale.com", "{ip}") for "{host}" {outcome}'
_OUTCOMES_FAILED = (
    'error: Get "https://derp{n}.tailscale.com/bootstrap-dns?q={host}": context deadline exceeded',
    'error: Get "https://derp{n}.tailscale.com/bootstrap-dns?q={host}": dial tcp [{ip}]:443: connect: network is '
    "unreachable",
    "error: dial tcp {ip}:443: i/o timeout",
)


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(("log.tailscale.com", "log.tailscale.io", "controlplane.tailscale.com", "hs.example.org")),
    st.sampled_from(_OUTCOMES_FAILED),
    st.sampled_from(("7d", "24c", "1f", "10")),
    st.sampled_from(("208.83.233.233", "2403:2500:400:20::cfe")),
    st.sampled_from(_SYSTEMD_PREFIXES[:1] + ("2024/06/17 21:13:22 {msg}", "Jun 17 21:13:22 h tailscaled[9]: {msg}")),
    st.booleans(),
)
def test_bootstrap_dns_failing_for_the_log_server_is_log_upload_not_control(
    host: str, outcome: str, n: str, ip: str, prefix: str, answered_later: bool
) -> None:
    failed = _BOOTSTRAP.format(n=n, ip=ip, host=host, outcome=outcome.format(n=n, ip=ip, host=host))
    messages = [f'trying bootstrapDNS("derp{n}.tailscale.com", "{ip}") for "{host}" ...', failed]
    if answered_later:
        messages.append(_BOOTSTRAP.format(n=n, ip=ip, host=host, outcome="= [18.196.173.61]"))
    text = "\n".join(prefix.format(s=1, msg=message) for message in messages) + "\n"
    document = document_of(text)
    kinds = {issue["kind"] for issue in document["daemon_logs"][0]["issues"]}
    if host.startswith("log."):
        assert "control-unreachable" not in kinds, text
        assert kinds == (set() if answered_later else {"log-upload-failing"}), text
        assert document["summary"]["exit_code"] == 0, text  # log upload alone is harmless (info)
    else:
        assert "log-upload-failing" not in kinds, text
        assert kinds == (set() if answered_later else {"control-unreachable"}), text


# ------------------------------------------------------------------ 4. a status kept as comments

_ROWS = (
    "100.82.37.41    surfacels            ai.lab.unibw@ linux   -",
    '100.95.117.19   holycompanion        ai.lab.unibw@ linux   active; relay "ams"; offline, tx 7252 rx 0',
    "100.123.103.88  wsl-20-unibwdoeschbj ai.lab.unibw@ linux   active; direct 192.168.1.20:41641, tx 1 rx 2",
)
_HEALTH = (
    "Linux DNS config not ideal. /etc/resolv.conf overwritten. See https://tailscale.com/s/dns-fight",
    "Tailscale can't reach the configured DNS servers. Internet connectivity may be affected.",
    "Some peers are advertising routes but --accept-routes is false",
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_ROWS), min_size=1, max_size=3, unique=True),
    st.lists(st.sampled_from(_HEALTH), min_size=1, max_size=3, unique=True),
    st.sampled_from(("# ", "#  ")),
    st.booleans(),
)
def test_a_status_kept_as_comments_reads_its_health_check(
    rows: list[str], health: list[str], marker: str, blank_before_health: bool
) -> None:
    lines = [*rows, *([""] if blank_before_health else []), "# Health check:", *(f"#     - {h}" for h in health)]
    text = "\n".join(f"{marker}{line}".rstrip() if line else "" for line in lines) + "\n"
    document = document_of(text)
    assert [status["health"] for status in document["statuses"]] == [health], text
    assert {peer["name"] for peer in document["peers"]} == {row.split()[1] for row in rows}, text


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(("# # a note to self", "# # tailscale status", "# # ------", "# # TODO: health check")))
def test_a_commented_comment_stays_unread(comment: str) -> None:
    text = f"# {_ROWS[1]}\n{comment}\n"
    document = document_of(text)
    assert any("skipped" in warning and comment in warning for warning in document["warnings"]), document["warnings"]
