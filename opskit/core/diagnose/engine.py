"""Run the whole diagnosis: split → parse → profile → predict → observe → rules.

Pure: takes the texts (and an optional live snapshot) and returns a :class:`Diagnosis`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from opskit.core.diagnose.ansible import looks_like_ansible_run, read_ansible_run
from opskit.core.diagnose.blocks import Block, SplitInput, split_input
from opskit.core.diagnose.daemonlog import (
    is_another_apps_log,
    is_embedded_log_line,
    is_log_event_line,
    is_typed_command_line,
    is_unit_start_failure_line,
    lead_in_os,
    parse_daemon_log,
    trace_os,
)
from opskit.core.diagnose.derpcheck import DerpCheckReport, parse_derp_check
from opskit.core.diagnose.dnsstatus import DnsStatusReport
from opskit.core.diagnose.exitnodes import ExitNodeListReport
from opskit.core.diagnose.live import LiveSnapshot
from opskit.core.diagnose.lockstatus import LockStatusReport
from opskit.core.diagnose.models import (
    BlockKind,
    CliError,
    CliErrorKind,
    CliErrorReport,
    DaemonLogReport,
    HealthMessage,
    HomeDerp,
    NetcheckReport,
    NetmapPeer,
    OsPingReport,
    PathKind,
    PingOutcome,
    PingReport,
    StatusPeer,
    StatusReport,
)
from opskit.core.diagnose.netcheck import (
    NO_DERP_MAP_LAYOUT,
    UDP_BLOCKED_LAYOUT,
    is_no_derp_map_line,
    is_udp_blocked_log_line,
    parse_netcheck_json,
    parse_netcheck_log,
    parse_netcheck_text,
    parse_no_derp_map,
    parse_udp_blocked_log,
    with_no_derp_map,
)
from opskit.core.diagnose.netmap import DebugNetmapReport
from opskit.core.diagnose.paths import Observation, PairPrediction, predict_all
from opskit.core.diagnose.ping import parse_os_ping, parse_ping
from opskit.core.diagnose.portmapdebug import (
    PortmapDebugReport,
    behind_second_nat,
    parse_portmap_debug,
    portmap_netcheck_report,
)
from opskit.core.diagnose.profile import NatProfile, build_profile
from opskit.core.diagnose.routelookup import RouteLookup, parse_route_lookups
from opskit.core.diagnose.rules import InputFacts, rules_for
from opskit.core.diagnose.rules.pairs import PairsSubject
from opskit.core.diagnose.rules.statusset import NodeStatus, StatusSet
from opskit.core.diagnose.servestatus import ServeStatusReport, lists_only_in_json, with_curl_answers
from opskit.core.diagnose.status import backend_state_message, gron_status_document, parse_status, parse_status_json
from opskit.core.diagnose.stunlog import is_stun_log_line, parse_stun_log
from opskit.core.diagnose.text import SourceLine, hide_keys, is_elision_line, split_lines
from opskit.core.diagnose.updateoffer import update_not_offered
from opskit.core.diagnose.usagetext import UsageTextReport
from opskit.core.diagnose.viewkinds import VIEW_BY_BLOCK, View, ViewReport
from opskit.core.diagnose.windows import (
    cli_backend_state,
    is_enable_prompt,
    parse_windows,
    socket_missing,
    unit_not_active,
    with_unit_state,
)
from opskit.core.findings import Finding
from opskit.errors import InputError, Problem

EXPECTED = (
    "expected pasted output of `tailscale netcheck` (text or --format=json, or tailscaled log lines with "
    "`report: udp=` / `NetInfo{`), `tailscale status`, `tailscale ping`, `tailscale debug derp`, or a Windows "
    "tailscale CLI error "
    "(e.g. `401 Unauthorized: Tailscale running in server mode ...`)"
)


@dataclass(frozen=True)
class InputText:
    label: str  # the node's name in the diagnosis (file stem or --label)
    source: str  # what evidence calls the input (file path, "<stdin>", "live: tailscale netcheck")
    text: str
    required: bool = True  # a required input with nothing recognisable is a user error (exit 2)
    ansible_host: str | None = None  # an Ansible run read for this one host's Tailscale commands (ansible.py)


@dataclass(frozen=True)
class BlockSummary:
    label: str
    source: str
    kind: str
    first_line: int
    last_line: int
    layout: str


@dataclass(frozen=True)
class InputReports:
    """What one input showed, parsed: the per-peer paths and errors the JSON and tables list."""

    label: str
    source: str
    statuses: tuple[StatusReport, ...] = ()
    pings: tuple[PingReport, ...] = ()
    windows: tuple[CliErrorReport, ...] = ()
    daemon_logs: tuple[DaemonLogReport, ...] = ()
    derp_checks: tuple[DerpCheckReport, ...] = ()
    portmap_debugs: tuple[PortmapDebugReport, ...] = ()
    views: tuple[ViewReport, ...] = ()  # every view of the registry (viewkinds.VIEWS), in paste order

    @property
    def lock_statuses(self) -> tuple[LockStatusReport, ...]:
        return tuple(view for view in self.views if isinstance(view, LockStatusReport))

    @property
    def dns_statuses(self) -> tuple[DnsStatusReport, ...]:
        return tuple(view for view in self.views if isinstance(view, DnsStatusReport))

    @property
    def exit_node_rows(self) -> tuple[StatusPeer, ...]:
        """The rows of the exit-node lists (peers offering an exit node)."""
        return tuple(row for view in self.views if isinstance(view, ExitNodeListReport) for row in view.rows)

    @property
    def netmap_peers(self) -> tuple[NetmapPeer, ...]:
        """The peers of the pasted netmaps."""
        return tuple(peer for view in self.views if isinstance(view, DebugNetmapReport) for peer in view.peers)


@dataclass(frozen=True)
class Diagnosis:
    findings: tuple[Finding, ...]
    profiles: tuple[NatProfile, ...]
    predictions: tuple[PairPrediction, ...]
    observations: tuple[Observation, ...]
    blocks: tuple[BlockSummary, ...]
    warnings: tuple[str, ...]
    live: LiveSnapshot | None = None
    inputs: tuple[InputReports, ...] = ()

    @property
    def has_problems(self) -> bool:
        """True when a finding is a warning or worse (the CLI then exits 1)."""
        return any(f.severity >= 2 for f in self.findings)


def _normalise_name(name: str) -> str:
    name = name.strip().strip('()"').lower()
    if re.match(r"^[0-9.]+$", name) or ":" in name:
        return name
    return name.split(".", 1)[0]


@dataclass
class _Parsed:
    label: str
    source: str
    split: SplitInput
    netchecks: list[tuple[Block, NetcheckReport]]
    statuses: list[tuple[Block, StatusReport]]
    pings: list[tuple[Block, PingReport]]
    windows: list[tuple[Block, CliErrorReport]]
    os_ping: OsPingReport | None
    daemon_logs: list[tuple[Block, DaemonLogReport]]
    derp_checks: list[tuple[Block, DerpCheckReport]]
    portmap_debugs: list[tuple[Block, PortmapDebugReport]]
    views: list[tuple[Block, View, ViewReport]]  # (its block, its registry row, its report)
    routes: list[RouteLookup] = field(default_factory=list)  # the OS's route answers (`ip route get` …)


def _direct_paths(parsed: _Parsed) -> tuple[tuple[str, str, SourceLine], ...]:
    """Peers the same input shows on a direct path (a log's "now using <endpoint>", a status row's "direct"):
    (name, endpoint, line). What a NAT measurement predicts is then already seen."""
    direct: list[tuple[str, str, SourceLine]] = []
    for _, log in parsed.daemon_logs:
        direct.extend((peer.key, peer.endpoint, peer.line) for peer in log.peers if peer.endpoint)
    for _, status in parsed.statuses:
        direct.extend(
            (peer.host, peer.direct_addr, peer.line)
            for peer in status.peers
            if peer.path is PathKind.DIRECT and peer.direct_addr
        )
    return tuple(direct)


def _parse_netcheck_block(block: Block) -> NetcheckReport | None:
    if block.json_document is not None and isinstance(block.json_document, dict):
        return parse_netcheck_json(block.json_document, block.lines[0])
    if len(block.lines) == 1 and is_no_derp_map_line(block.lines[0].text):
        return parse_no_derp_map(block.lines[0])
    if block.log_form:
        if is_stun_log_line(block.lines[0].text):
            return parse_stun_log(block.lines)
        if is_udp_blocked_log_line(block.lines[0].text):
            return parse_udp_blocked_log(block.lines[0])
        return parse_netcheck_log(block.lines[0])
    return parse_netcheck_text(block.lines, block.hints)


def _states_from_cli_errors(windows: Sequence[tuple[Block, CliErrorReport]]) -> list[tuple[Block, StatusReport]]:
    """The backend state a CLI error names (`tailscale ip`'s "no current Tailscale IPs; state: NeedsLogin"),
    as the status state it is: the same fact `tailscale status` would have shown."""
    states: list[tuple[Block, StatusReport]] = []
    for block, report in windows:
        for error in report.errors:
            if error.kind is CliErrorKind.GUI_HEALTH_WARNING:
                # the app's health warning is the item `tailscale status` lists under "# Health check:"
                text = error.detail.split("\n")[1]
                health = (HealthMessage(text, error.line),)
                states.append((block, StatusReport("messages only", (), health, None, None, from_cli_error=True)))
                continue
            message = backend_state_message(cli_backend_state(error) or "")
            if message is not None:
                states.append((block, StatusReport("messages only", (), (), message, error.line, from_cli_error=True)))
    return states


_RELAYED_OUTCOMES = (PingOutcome.RELAYED_ONLY, PingOutcome.NOT_ESTABLISHED, PingOutcome.PEER_RELAY)


def _went_direct_later(earlier: PingReport, later: PingReport) -> bool:
    """A run answered only through a relay, then the next run to the same peer answered direct."""
    return earlier.outcome in _RELAYED_OUTCOMES and bool(earlier.pongs) and later.outcome is PingOutcome.DIRECT


def _merge_repeated_pings(
    pings: Sequence[tuple[Block, PingReport]], blocks: Sequence[Block]
) -> list[tuple[Block, PingReport]]:
    """Runs of `tailscale ping` to the same target, one after the other, as one run when they tell one story.

    People repeat a short run (`tailscale ping host` stops at its first direct pong) to show it holds: the
    paste's pongs are those of every run. A relayed run followed by a run that went direct is the path
    upgrading while hole punching went on ("ping again a few seconds later: direct"): one run whose verdict is
    the later run's, keeping the DERP regions seen before. Other changes of outcome (direct, then relayed: a
    path lost) or another block between the runs keep them apart.
    """
    position = {id(block): index for index, block in enumerate(blocks)}
    merged: list[tuple[Block, PingReport]] = []
    for block, report in pings:
        if merged:
            last_block, last = merged[-1]
            if (
                report.target is not None
                and report.target == last.target
                and (report.outcome is last.outcome or _went_direct_later(last, report))
                and position.get(id(block), -1) == position.get(id(last_block), -2) + 1
            ):
                merged[-1] = (
                    replace(last_block, lines=last_block.lines + block.lines, hints=()),
                    replace(
                        last,
                        pongs=last.pongs + report.pongs,
                        timeouts=last.timeouts + report.timeouts,
                        errors=last.errors + report.errors,
                        # an earlier run's 'direct connection not established' is not the later run's verdict
                        verdict_line=report.verdict_line
                        if report.outcome is not last.outcome
                        else report.verdict_line or last.verdict_line,
                        outcome=report.outcome,
                    ),
                )
                position[id(merged[-1][0])] = position[id(block)]
                continue
        merged.append((block, report))
    return merged


def _quoting_the_paste(report: CliErrorReport, pasted: Sequence[SourceLine]) -> CliErrorReport:
    """The report with each error's line as pasted where the block read another form of it (Block.pasted): the
    reading stays, the evidence is the paste's own line."""
    if not pasted:
        return report
    by_number = {line.number: line for line in pasted}
    errors = tuple(replace(error, line=by_number.get(error.line.number, error.line)) for error in report.errors)
    return replace(report, errors=errors)


def _update_not_offered(split: SplitInput) -> tuple[Block, CliErrorReport] | None:
    """`tailscale update`'s "no update needed" (a cli-answer block) beside a package listing offering a newer
    tailscale (updateoffer.py): that warning, in a CLI error block of the answer's line (the answer stays the
    cli-answer view's too); None otherwise."""
    if (error := update_not_offered(split.lines)) is None:
        return None
    answer = next((b for b in split.blocks if error.line in b.lines), None)  # read as an answer, not quoted in prose
    if answer is None:
        return None
    return Block(BlockKind.WINDOWS, (error.line,), answer.command), CliErrorReport(errors=(error,))


def _parse_input(item: InputText) -> _Parsed:
    split = split_input(item.text, item.ansible_host)
    parsed = _Parsed(item.label, item.source, split, [], [], [], [], None, [], [], [], [])
    os_lines = [line for b in split.blocks if b.kind is BlockKind.OS_PING for line in b.lines]
    parsed.os_ping = parse_os_ping(os_lines) if os_lines else None
    route_command: str | None = None
    for block in split.blocks:
        if block.kind is BlockKind.ROUTE_LOOKUP:
            # a Format-List answer's objects are split by blank lines: the later ones keep the command typed
            route_command = block.command or route_command
            parsed.routes.extend(parse_route_lookups(block.lines, route_command))
    for block in split.blocks:
        if block.kind is BlockKind.NETCHECK:
            report = _parse_netcheck_block(block)
            if report is not None:
                parsed.netchecks.append((block, report))
        elif block.kind is BlockKind.STATUS and isinstance(block.json_document, dict):
            parsed.statuses.append((block, parse_status_json(block.json_document, block.lines)))
        elif block.kind is BlockKind.STATUS and block.lines[0].text.startswith("json."):
            parsed.statuses.append((block, parse_status_json(gron_status_document(block.lines), block.lines)))
        elif block.kind is BlockKind.STATUS:
            parsed.statuses.append((block, parse_status(block.lines)))
        elif block.kind is BlockKind.PING:
            parsed.pings.append((block, parse_ping(block.lines, block.command)))
        elif block.kind is BlockKind.DERP_CHECK:
            parsed.derp_checks.append((block, parse_derp_check(block.lines)))
        elif block.kind is BlockKind.PORTMAP_DEBUG:
            parsed.portmap_debugs.append((block, parse_portmap_debug(block.lines)))
        elif (view := VIEW_BY_BLOCK.get(block.kind)) is not None:
            if (view_report := view.parse(block.lines, block.json_document, block.command)) is not None:
                parsed.views.append((block, view, view_report))
        elif block.kind is BlockKind.WINDOWS:
            parsed.windows.append(
                (
                    block,
                    _quoting_the_paste(
                        parse_windows(
                            block.lines,
                            split.whoami,
                            split.admin_member,
                            split.elevated,
                            split.successes,
                            split.own_addresses,
                            split.tailnet_hosts,
                            block.command,
                            split.prompts,
                            relayed=block.relayed,
                        ),
                        block.pasted,
                    ),
                )
            )
    parsed.windows = _without_serve_listing_gap(parsed.windows, parsed.views)
    parsed.windows = _without_completed_enable_prompt(parsed.windows, parsed.views, split.prompts)
    parsed.views = _serve_views_with_curl(parsed.views, split)
    parsed.views = _usage_texts_after_errors(parsed.views, parsed.windows, split.blocks)
    # the netcheck CLI's "No DERP map from tailscaled" says tailscaled had no netmap: the caveat of the reports the
    # same paste shows; alone it is the netcheck (unless its fetch failing, derpmap-fetch-failed, says it all)
    no_map = [(b, report) for b, report in parsed.netchecks if report.layout == NO_DERP_MAP_LAYOUT]
    if no_map:
        caveat = no_map[0][0].lines[0]
        measured = [(b, with_no_derp_map(r, caveat)) for b, r in parsed.netchecks if r.layout != NO_DERP_MAP_LAYOUT]
        fetch_failed = any(e.kind is CliErrorKind.DERPMAP_FETCH_FAILED for _, w in parsed.windows for e in w.errors)
        parsed.netchecks = measured or ([] if fetch_failed else no_map[:1])
    # netcheck's "UDP is blocked, trying …" lines say only that: a fuller report of the same paste is the profile,
    # else the last of them (one line per probe kind: the same measurement)
    blocked = [(b, report) for b, report in parsed.netchecks if report.layout == UDP_BLOCKED_LAYOUT]
    if blocked:
        fuller = [(b, report) for b, report in parsed.netchecks if report.layout != UDP_BLOCKED_LAYOUT]
        parsed.netchecks = fuller or blocked[-1:]
    if any(socket_missing(report) for _, report in parsed.windows):
        # a missing socket beside `systemctl status` showing the unit not active: the service is not running
        unit_line = unit_not_active([line for block in split.blocks for line in block.lines])
        parsed.windows = [(block, with_unit_state(report, unit_line)) for block, report in parsed.windows]
    parsed.pings = _merge_repeated_pings(parsed.pings, split.blocks)
    if (not_offered := _update_not_offered(split)) is not None:
        parsed.windows.append(not_offered)
    parsed.statuses.extend(_states_from_cli_errors(parsed.windows))
    for log_block in _daemon_log_blocks(split.blocks):
        if all(is_typed_command_line(line.text) for line in log_block.lines):
            continue  # only the command that would start tailscaled: no log to read
        if is_another_apps_log(log_block.lines) and not _shows_tailscale(split):
            continue  # keystore2 refusing some app's key, and nothing in the paste says the app is Tailscale
        log = parse_daemon_log(log_block.lines, log_block.command)
        if (log.os is None or log.os_why) and (os_name := _lead_in_os(split, log_block)) is not None:
            log = replace(log, os=os_name, os_why="")  # the prose names the process: a clue, not an inference
        if (log.os is None or log.os_why) and (os_name := _crash_trace_os(split, log_block)) is not None:
            log = replace(log, os=os_name, os_why="")  # the crash's own frames: built for that OS only
        parsed.daemon_logs.append((log_block, log))
    if (home := _home_from_health(parsed.statuses)) is not None:
        # One input is one node: a container's output holds its daemon's log and the health check its entrypoint's
        # `tailscale up` printed ("not connected to home DERP region 12"), both the same tailscaled's words.
        parsed.daemon_logs = [
            (block, log if log.home_derp is not None else replace(log, home_derp=home))
            for block, log in parsed.daemon_logs
        ]
    return parsed


# blocks.py's reason for the output of a command that is not Tailscale's: here, curl's
_CURL_OUTPUT = re.compile(r"^output of `(?P<command>(?:sudo )?curl\b[^`]*)`, not a Tailscale command$")


def _serve_views_with_curl(
    views: list[tuple[Block, View, ViewReport]], split: SplitInput
) -> list[tuple[Block, View, ViewReport]]:
    """The serve/funnel status views, each with what a `curl` of its served URLs pasted after it answered."""
    if not any(isinstance(report, ServeStatusReport) for _, _, report in views):
        return views
    answers = [
        (match["command"], run.lines) for run in split.skipped if (match := _CURL_OUTPUT.match(run.reason)) is not None
    ]
    if not answers:
        return views
    starts = sorted(block.lines[0].number for block, _, report in views if isinstance(report, ServeStatusReport))
    out: list[tuple[Block, View, ViewReport]] = []
    for block, view, report in views:
        if isinstance(report, ServeStatusReport):
            end = block.lines[-1].number
            # a curl belongs to the last listing above it (a later listing may show another config)
            until = next((start for start in starts if start > end), None)
            mine = [(cmd, lines) for cmd, lines in answers if until is None or lines[0].number < until]
            report = with_curl_answers(report, end, mine)
        out.append((block, view, report))
    return out


# The lines a refused command may print between its error and its help text: the command's short help and the blank
# line under it (usageFuncOpt, v1.64+), and one more for a paste that doubles its blank lines.
_ERROR_TO_USAGE_GAP = 3


def _usage_texts_after_errors(
    views: list[tuple[Block, View, ViewReport]],
    windows: Sequence[tuple[Block, CliErrorReport]],
    blocks: Sequence[Block],
) -> list[tuple[Block, View, ViewReport]]:
    """The CLI's help text views, each marked with the error the same command printed just above it: Go's flag
    package (an unknown flag, a missing or bad value) and errHelpFunc (a bad argument) print the error, then the
    command's usage. Such a help text answers a command line the CLI did not accept; nobody asked for help."""
    if not any(isinstance(report, UsageTextReport) for _, _, report in views):
        return views
    errors = {id(block): report.errors[-1].line for block, report in windows if report.errors}
    block_above = {id(block): above for above, block in pairwise(blocks)}
    out: list[tuple[Block, View, ViewReport]] = []
    for block, view, report in views:
        above = block_above.get(id(block))
        if (
            isinstance(report, UsageTextReport)
            and above is not None
            and (error := errors.get(id(above))) is not None
            and above.command == block.command
            and block.lines[0].number - above.lines[-1].number - 1 <= _ERROR_TO_USAGE_GAP
        ):
            report = replace(report, after_error=error)
        out.append((block, view, report))
    return out


def _without_serve_listing_gap(
    windows: list[tuple[Block, CliErrorReport]], views: Sequence[tuple[Block, View, ViewReport]]
) -> list[tuple[Block, CliErrorReport]]:
    """``windows`` without `serve status`'s "No serve config" when the same paste's `serve status --json` serves
    Tailscale Services: before 1.100 (commit 01c59d84a, "show services in serve status") the text form counted only
    the node's own TCP/Web/Funnel config, so a node serving only Services read "No serve config".
    The JSON is the config itself and wins; stderr's funnel warning ("…, but no serve config") stays."""
    if not any(isinstance(report, ServeStatusReport) and lists_only_in_json(report) for _, _, report in views):
        return windows
    kept: list[tuple[Block, CliErrorReport]] = []
    for block, report in windows:
        errors = tuple(
            error
            for error in report.errors
            if error.kind is not CliErrorKind.SERVE_NOT_CONFIGURED or error.line.text.startswith("Warning:")
        )
        if errors or not report.errors:
            kept.append((block, replace(report, errors=errors)))
    return kept


def _without_completed_enable_prompt(
    windows: list[tuple[Block, CliErrorReport]],
    views: Sequence[tuple[Block, View, ViewReport]],
    prompts: Sequence[SourceLine],
) -> list[tuple[Block, CliErrorReport]]:
    """``windows`` without serve/funnel's "Serve/Funnel is not enabled on your tailnet." prompt when the same run went
    past it: enableFeatureInteractive prints control's text and enable link, waits until the feature is enabled,
    prints "Success." and the command goes on to set up what it was asked to ("Available within your tailnet:" /
    "Available on the internet:", "… started and running in the background."). Nothing is left unenabled: the run
    is read by the serve-status view of what it set up. A prompt the paste does not see the run go past stays; one
    followed by "Success." alone is feature-enabled (windows._answered_later), the only reading of such a paste."""
    answers = [block.lines[0].number for block, _, report in views if isinstance(report, ServeStatusReport)]
    if not answers:
        return windows
    kept: list[tuple[Block, CliErrorReport]] = []
    for block, report in windows:
        errors = tuple(error for error in report.errors if not _went_past(error, answers, prompts))
        if errors or not report.errors:
            kept.append((block, replace(report, errors=errors)))
    return kept


def _went_past(error: CliError, answers: Sequence[int], prompts: Sequence[SourceLine]) -> bool:
    """Whether an enable prompt's run printed a serve/funnel listing after it, before the next prompt."""
    if not is_enable_prompt(error):
        return False
    at = error.line.number
    run_end = min((prompt.number for prompt in prompts if prompt.number > at), default=None)
    return any(at < answer and (run_end is None or answer < run_end) for answer in answers)


_LEAD_IN_LINES = 3  # how far above a log its introducing prose may be ("Unified log, from …:", a fence, a blank)


def _shows_tailscale(split: SplitInput) -> bool:
    """Whether any line of the paste names Tailscale: a logcat tag or package (com.tailscale.ipn), a command, the
    poster's own words."""
    runs = [*(block.lines for block in split.blocks), *(run.lines for run in split.skipped), split.prompts]
    return any(
        "tailscale" in line.text.lower() or "tailscale" in (line.command or "").lower() for run in runs for line in run
    )


def _lead_in_os(split: SplitInput, block: Block) -> str | None:
    """The OS the prose just above a log that names no OS of its own gives by naming the process that logged it."""
    first = block.lines[0].number
    for run in split.skipped:
        for line in run.lines:
            if first - _LEAD_IN_LINES <= line.number < first and (os_name := lead_in_os(line.text)) is not None:
                return os_name
    return None


_TRACE_LOOKAHEAD = 200  # lines after a log read for the frames of the crash it ends with (the first goroutine's)


def _crash_trace_os(split: SplitInput, block: Block) -> str | None:
    """The OS the Go trace frames in or just under a log name (the frames are skipped lines, not log lines)."""
    first, last = block.lines[0].number, block.lines[-1].number
    frames = [line.text for line in block.lines]
    for run in split.skipped:
        if not run.lines or run.lines[-1].number <= first or run.lines[0].number > last + _TRACE_LOOKAHEAD:
            continue  # a run away from this log: not its trace (and no line of it is worth a look)
        frames.extend(line.text for line in run.lines if first < line.number <= last + _TRACE_LOOKAHEAD)
    return trace_os(frames)


_HEALTH_HOME = re.compile(r"\bhome DERP region (?P<id>\d+)\b")


def _home_from_health(statuses: Sequence[tuple[Block, StatusReport]]) -> HomeDerp | None:
    """The home region a health message of the CLI names (tailscaled's "not connected to home DERP region N")."""
    for _, status in statuses:
        for message in status.health:
            if (home := _HEALTH_HOME.search(message.text)) is not None and home.group("id") != "0":
                return HomeDerp(home.group("id"), None, message.line)
    return None


# The login prompt `tailscale up` (or 2020's taillogin/relaynode, daemon and CLI in one) prints amid the log it
# runs beside: "To authenticate, visit:", blank lines and the URL. It stays a status block of its own.
_LOGIN_PROMPT_LINE = re.compile(
    r"\s*(?:To authenticate, visit:|To (?:authorize|approve) your machine, visit \(as admin\):|https?://\S+)?\s*"
)


def _login_prompt_only(block: Block) -> bool:
    return block.kind is BlockKind.STATUS and all(_LOGIN_PROMPT_LINE.fullmatch(line.text) for line in block.lines)


def _embedded_log_lines(block: Block) -> Block | None:
    """The lines of a CLI error block that an embedded node's program logged (daemonlog.is_embedded_log_line), or
    that are systemd's verdict on tailscaled's unit (`systemctl start`'s failed start job), as a log block of their
    own, or None: none."""
    lines = tuple(
        line for line in block.lines if is_embedded_log_line(line.text) or is_unit_start_failure_line(line.text)
    )
    return Block(BlockKind.DAEMON_LOG, lines, block.command) if lines else None


def _daemon_log_blocks(blocks: Sequence[Block]) -> list[Block]:
    """One block per tailscaled log: the splitter cuts a log at each NetInfo/netcheck-report line (those
    become netcheck blocks too), and at a login prompt printed amid it; the log keeps the NetInfo lines, in
    order, and goes on past the prompt, so that its fold sees the whole log (a login completed after it)."""
    groups: list[list[Block]] = []
    current: list[Block] | None = None
    pending: list[Block] = []  # NetInfo/report blocks since the last log block
    prompt: list[Block] = []  # a login prompt just before a log (a container's `tailscale up` printed it first)
    for block in blocks:
        if block.kind is BlockKind.WINDOWS and (embedded := _embedded_log_lines(block)) is not None:
            block = embedded  # also a line of the embedded node's log (its program quoting tsnet or LocalAPI)
        if block.kind is BlockKind.NETCHECK and block.log_form:
            pending.append(block)
        elif (
            block.kind is BlockKind.WINDOWS
            and current is not None
            and block.command is None
            and all(is_log_event_line(line.text) for line in block.lines)
        ):
            pending.append(block)  # the CLI's refusal printed amid the log (containerboot's `tailscale up`)
        elif _login_prompt_only(block):
            # the log goes on after the prompt, and its fold reads the prompt: the node waits for a login until
            # the log says it completed
            if current is not None:
                current.append(block)
            else:
                prompt = [block]
        elif block.kind is BlockKind.DAEMON_LOG:
            if current is None:
                current = [*prompt]
                groups.append(current)
            current.extend([*pending, block])
            pending, prompt = [], []
        else:
            if current is not None:
                current.extend(pending)
            current, pending, prompt = None, [], []
    if current is not None:
        current.extend(pending)
    merged: list[Block] = []
    for group in groups:
        first_log = next(b for b in group if b.kind is BlockKind.DAEMON_LOG)
        # (one input line may hold several records run together: text.py splits them under the same number, so a
        # line is known by its number and text; the stable sort keeps such records in their order)
        unique = {(line.number, line.text): line for b in group for line in b.lines}
        lines = sorted(unique.values(), key=lambda line: line.number)
        merged.append(first_log if len(group) == 1 else Block(BlockKind.DAEMON_LOG, tuple(lines), first_log.command))
    return merged


def _recognised(parsed: _Parsed) -> bool:
    return bool(
        parsed.netchecks
        or parsed.statuses
        or parsed.pings
        or parsed.windows
        or parsed.daemon_logs
        or parsed.derp_checks
        or parsed.portmap_debugs
        or parsed.views
        or any(route.tailnet_destination for route in parsed.routes)
        or (parsed.split.ansible is not None and parsed.split.ansible.about_tailscale)
    )


def _summaries(parsed: _Parsed) -> Iterable[BlockSummary]:
    def summary(block: Block, layout: str) -> BlockSummary:
        return BlockSummary(
            parsed.label,
            parsed.source,
            block.kind.value,
            block.lines[0].number,
            block.lines[-1].number,
            layout,
        )

    for block, netcheck in parsed.netchecks:
        yield summary(block, netcheck.layout)
    for block, status in parsed.statuses:
        yield summary(block, status.layout)
    for block, ping in parsed.pings:
        yield summary(block, f"ping ({ping.outcome.value})")
    for block, windows in parsed.windows:
        kinds = ", ".join(sorted({e.kind.value for e in windows.errors}))
        # a LocalAPI answer read from a curl transcript names the tailscaled that gave it (localapicurl.py)
        answered = f" (answered by tailscaled {block.daemon_version})" if block.daemon_version else ""
        yield summary(block, kinds + answered)
    for block, derp_check in parsed.derp_checks:
        yield summary(block, derp_check.layout)
    for block, portmap in parsed.portmap_debugs:
        yield summary(block, portmap.layout + (" (cut before its result)" if portmap.cut else ""))
    for block, _, report in parsed.views:
        yield summary(block, report.layout)
    for block, log in parsed.daemon_logs:
        started = {True: ", started by hand", False: ", started by the service", None: ""}[log.hand_started]
        yield summary(block, f"tailscaled {('v' + log.version) if log.version else '(version not shown)'}{started}")


def _aliases(parsed_inputs: Sequence[_Parsed]) -> dict[str, str]:
    """Names (label, self hostname, self Tailscale IP) → label, to match peers to inputs."""
    aliases: dict[str, str] = {}
    for parsed in parsed_inputs:
        aliases[_normalise_name(parsed.label)] = parsed.label
        for _, status in parsed.statuses:
            me = status.self_peer
            if me is not None:
                aliases.setdefault(_normalise_name(me.host), parsed.label)
                if me.ip and "x" not in me.ip:
                    aliases.setdefault(me.ip.lower(), parsed.label)
    return aliases


def _observations(parsed: _Parsed, aliases: dict[str, str]) -> Iterable[Observation]:
    def resolve(*names: str | None) -> str | None:
        for name in names:
            if name and _normalise_name(name) in aliases:
                return aliases[_normalise_name(name)]
        return None

    for _, status in parsed.statuses:
        me = status.self_peer
        for peer in status.peers:
            if peer is me:
                continue
            if not peer.active or peer.path not in (PathKind.DIRECT, PathKind.DERP, PathKind.PEER_RELAY):
                continue
            other = resolve(peer.host, peer.ip if "x" not in peer.ip else None)
            if other and other != parsed.label:
                yield Observation(
                    parsed.label,
                    other,
                    peer.path,
                    f"`{peer.cell}` in tailscale status",
                    parsed.source,
                    peer.line,
                )
    for _, ping in parsed.pings:
        if not ping.pongs:
            continue
        first = ping.pongs[0]
        other = resolve(ping.target, first.node, first.ip)
        if not other or other == parsed.label:
            continue
        if ping.outcome is PingOutcome.DIRECT:
            pong = next(p for p in ping.pongs if p.path is PathKind.DIRECT)
            yield Observation(
                parsed.label,
                other,
                PathKind.DIRECT,
                f"tailscale ping via {pong.via}",
                parsed.source,
                pong.line,
            )
        elif ping.outcome is PingOutcome.PEER_RELAY:
            last = ping.pongs[-1]
            yield Observation(
                parsed.label,
                other,
                PathKind.PEER_RELAY,
                f"tailscale ping ended via {last.via}",
                parsed.source,
                last.line,
            )
        elif ping.outcome in (PingOutcome.NOT_ESTABLISHED, PingOutcome.RELAYED_ONLY):
            line = ping.verdict_line or ping.pongs[-1].line
            yield Observation(
                parsed.label, other, PathKind.DERP, f"tailscale ping only via {first.via}", parsed.source, line
            )


def _without_repeats(findings: list[Finding]) -> list[Finding]:
    """One finding per (rule, cause): a status pasted twice, or the same error on three lines of one
    paste, is one problem; the repeats' evidence is kept on the first."""
    first: dict[tuple[str, str, str], int] = {}
    kept: list[Finding] = []
    for finding in findings:
        key = (finding.rule_id, finding.title, finding.cause)
        if key in first:
            index = first[key]
            seen = {(e.file, e.line) for e in kept[index].evidence}
            extra = tuple(e for e in finding.evidence if (e.file, e.line) not in seen)
            if extra:
                kept[index] = replace(kept[index], related=kept[index].related + extra)
            continue
        first[key] = len(kept)
        kept.append(finding)
    return kept


# The netcheck rules that read only what a portmap debug measures (the others would read its unmeasured UDP,
# mapping and DERP fields as missing).
_PORTMAP_MEASURED_RULES = frozenset({"TS-NETCHECK-UPNP-NOT-GATEWAY"})


def _with_portmap_debug(profile: NatProfile, debugs: Sequence[tuple[Block, PortmapDebugReport]]) -> NatProfile:
    """A port mapper that reports a private or CGNAT external address sits behind a second NAT: its mappings
    give no public endpoint, so port mapping is not usable for this node whatever answered."""
    if not any(behind_second_nat(report) for _, report in debugs):
        return profile
    return replace(profile, portmap_usable=False, artefacts=(*profile.artefacts, "double-nat"))


def _node_statuses(parsed_inputs: Sequence[_Parsed]) -> Iterable[NodeStatus]:
    """Every pasted status with the prompt that ran it and whether the paste cut its listing."""
    for parsed in parsed_inputs:
        if not parsed.statuses:
            continue
        lines = parsed.split.lines
        for block, status in parsed.statuses:
            if not block.lines:
                continue
            first, last = block.lines[0].number, block.lines[-1].number
            prompt = None
            if block.command is not None:
                prompt = next((p for p in reversed(parsed.split.prompts) if p.number < first), None)
            inside = any(is_elision_line(line.text) for line in lines[first - 1 : last])
            below = next((line for line in lines[last:] if line.text and line.text != "```"), None)
            cut = inside or (below is not None and is_elision_line(below.text))
            yield NodeStatus(parsed.source, status, block.command, prompt, cut)


def _run(subject_kind: str, subject: object, facts: InputFacts) -> list[Finding]:
    findings: list[Finding] = []
    for rule_obj in rules_for(subject_kind):
        findings.extend(rule_obj.run(subject, facts))
    return findings


def _unique_labels(inputs: Sequence[InputText]) -> None:
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    for item in inputs:
        key = item.label.lower()
        if key in seen:
            problems.append(
                Problem(
                    item.source,
                    None,
                    "label",
                    f"label {item.label!r} is already used by {seen[key]}; pass --label",
                )
            )
        seen[key] = item.source
    if problems:
        raise InputError("two inputs have the same node label", problems)


def _per_ansible_host(item: InputText) -> Iterable[InputText]:
    """An Ansible run with Tailscale commands on several hosts is one input per host (one input is one node),
    each labelled ``<label>/<host>``."""
    if item.ansible_host is None and looks_like_ansible_run(item.text):
        run = read_ansible_run(split_lines(item.text))
        hosts = run.hosts if run is not None else ()
        if len(hosts) >= 2:
            for host in hosts:
                yield replace(item, label=f"{item.label}/{host}", ansible_host=host)
            return
    yield item


def diagnose(inputs: Sequence[InputText], live: LiveSnapshot | None = None) -> Diagnosis:
    """Diagnose every input; raise InputError (exit 2) if a required input holds nothing recognisable."""
    inputs = [host_input for item in inputs for host_input in _per_ansible_host(item)]
    _unique_labels(inputs)
    parsed_inputs = [_parse_input(item) for item in inputs]
    problems = [
        Problem(
            p.source,
            None,
            None,
            f"no Tailscale output recognised in {p.split.line_count} line(s); {EXPECTED}",
        )
        for p, item in zip(parsed_inputs, inputs, strict=True)
        if item.required and not _recognised(p)
    ]
    if problems:
        raise InputError(
            "nothing to diagnose" if len(problems) == len(inputs) else "some inputs hold no Tailscale output",
            problems,
        )
    findings: list[Finding] = []
    warnings: list[str] = []
    profiles: list[NatProfile] = []
    blocks: list[BlockSummary] = []
    for parsed, item in zip(parsed_inputs, inputs, strict=True):
        if not _recognised(parsed):
            warnings.append(f"{parsed.source}: nothing recognisable in this output; ignored")
            continue
        blocks.extend(_summaries(parsed))
        for run in parsed.split.skipped:
            sample = hide_keys(run.lines[0].text)
            sample = sample if len(sample) <= 70 else sample[:67] + "..."
            warnings.append(f"{parsed.source}: skipped {run.span} ({run.reason}): {sample!r}")
        # "Success." lines (`tailscale up`/`login` done) let a status rule see a login that completed later.
        # A login URL of another control server than `up --login-server` named: the status rule must not say "open it".
        mismatch = any(e.kind is CliErrorKind.LOGIN_SERVER_MISMATCH for _, w in parsed.windows for e in w.errors)
        ctx = InputFacts(
            item.label,
            item.source,
            os_ping=parsed.os_ping,
            extra={
                "successes": parsed.split.successes,
                "routes": tuple(parsed.routes),
                "login_server_mismatch": mismatch,
            },
        )
        findings.extend(_run("input", parsed.split, ctx))
        if parsed.netchecks:
            if len(parsed.netchecks) > 1:
                last_block = parsed.netchecks[-1][0]
                warnings.append(
                    f"{parsed.source}: {len(parsed.netchecks)} netcheck reports; using the last one "
                    f"(line {last_block.lines[0].number}) as {item.label}'s NAT profile"
                )
            block, report = parsed.netchecks[-1]
            profile = build_profile(item.label, item.source, report, block.command)
            profiles.append(_with_portmap_debug(profile, parsed.portmap_debugs))
            facts = InputFacts(item.label, item.source, command=block.command, extra={"direct": _direct_paths(parsed)})
            findings.extend(_run("netcheck", profile, facts))
        elif parsed.portmap_debugs:
            # no netcheck: the port mappers' answers are this node's NAT profile (the rest stays unknown)
            block, debug = parsed.portmap_debugs[-1]
            profile = _with_portmap_debug(
                build_profile(item.label, item.source, portmap_netcheck_report(debug)), parsed.portmap_debugs
            )
            profiles.append(profile)
            facts = InputFacts(item.label, item.source, command=block.command)
            for netcheck_rule in rules_for("netcheck"):
                if netcheck_rule.info.id in _PORTMAP_MEASURED_RULES:
                    findings.extend(netcheck_rule.run(profile, facts))
        for block, portmap in parsed.portmap_debugs:
            findings.extend(_run("portmap-debug", portmap, InputFacts(item.label, item.source, command=block.command)))
        for _, status in parsed.statuses:
            findings.extend(_run("status", status, ctx))
        for _, ping in parsed.pings:
            findings.extend(_run("ping", ping, ctx))
        for _, windows in parsed.windows:
            findings.extend(_run("windows", windows, InputFacts(item.label, item.source, windows=windows)))
        for _, log in parsed.daemon_logs:
            findings.extend(_run("daemon-log", log, ctx))
        for block, derp_check in parsed.derp_checks:
            findings.extend(_run("derp-check", derp_check, InputFacts(item.label, item.source, command=block.command)))
        for block, view, view_report in parsed.views:
            facts = InputFacts(item.label, item.source, command=block.command)
            findings.extend(_run(view.rules, view_report, facts))
    if sum(len(p.statuses) for p in parsed_inputs) >= 2:
        subject_set = StatusSet(tuple(_node_statuses(parsed_inputs)))
        findings.extend(_run("status-set", subject_set, InputFacts("all nodes", "all inputs")))
    predictions = predict_all(profiles)
    aliases = _aliases(parsed_inputs)
    observations = [o for parsed in parsed_inputs for o in _observations(parsed, aliases)]
    if predictions or observations:
        subject = PairsSubject(tuple(profiles), tuple(predictions), tuple(observations))
        findings.extend(_run("pairs", subject, InputFacts("all nodes", "all inputs")))
    if live is not None:
        findings.extend(_run("live", live, InputFacts("local machine", "live")))
    findings = _without_repeats(findings)
    ordered = sorted(enumerate(findings), key=lambda pair: (-int(pair[1].severity), pair[0]))
    return Diagnosis(
        findings=tuple(f for _, f in ordered),
        profiles=tuple(profiles),
        predictions=tuple(predictions),
        observations=tuple(observations),
        blocks=tuple(blocks),
        warnings=tuple(warnings),
        live=live,
        inputs=tuple(
            InputReports(
                p.label,
                p.source,
                statuses=tuple(r for _, r in p.statuses),
                pings=tuple(r for _, r in p.pings),
                windows=tuple(r for _, r in p.windows),
                daemon_logs=tuple(r for _, r in p.daemon_logs),
                derp_checks=tuple(r for _, r in p.derp_checks),
                portmap_debugs=tuple(r for _, r in p.portmap_debugs),
                views=tuple(r for _, _, r in p.views),
            )
            for p in parsed_inputs
            if _recognised(p)
        ),
    )
