"""Split one pasted input into blocks of one output kind each, recognised by content.

A paste may hold several outputs and noise: log lines before ``Report:``, shell prompts, Markdown
fences, ``whoami`` output, a cut-off last line. Known noise is dropped silently; lines that are
neither Tailscale output nor known noise are returned as :class:`SkippedRun` so the caller can warn.
"""

from __future__ import annotations

import heapq
import itertools
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from opskit.core.diagnose.ansible import AnsibleRun, looks_like_ansible_run, read_ansible_run
from opskit.core.diagnose.ansible import transcript as ansible_transcript
from opskit.core.diagnose.cli_catalog.installer import AROUND_CHECKSUM_WARNING, checksum_warning_on_tailscale
from opskit.core.diagnose.cli_catalog.serve_legacy_syntax import is_suggested_translation
from opskit.core.diagnose.cli_catalog.ssh_server import session_tail_end, ssh_check_prompt_end
from opskit.core.diagnose.clianswers import cli_answer_end, continues_login_prompt, heads_a_failure
from opskit.core.diagnose.daemonlog import (
    is_daemon_log_line,
    is_embedder_fatal_line,
    is_service_status_field,
    is_service_status_header,
    message_of,
)
from opskit.core.diagnose.daemonlog.events import (
    BREW_INFO_FIELDS,
    brew_service_info_json,
    brew_service_info_message,
    docker_oom_kill,
    is_brew_service_info_head,
    is_dump_line,
)
from opskit.core.diagnose.debugprefs import prefs_document
from opskit.core.diagnose.derpcheck import derp_check_extent, is_derp_check
from opskit.core.diagnose.dnsstatus import dns_status_extent, is_dns_status_start
from opskit.core.diagnose.exitnodes import exit_node_list_extent
from opskit.core.diagnose.exitnodesuggest import is_suggest_start, suggest_extent
from opskit.core.diagnose.filecp import file_cp_progress_extent
from opskit.core.diagnose.guistart import (
    gui_setup_box_extent,
    is_gui_start_fatal,
    reattach_detached_output,
    starts_gui,
)
from opskit.core.diagnose.guiwarning import WARNING_LOOKAHEAD, gui_health_warning_extent, is_code_line
from opskit.core.diagnose.installscript import install_script_extent, may_be_install_line
from opskit.core.diagnose.k3svpn import k3s_vpn_extent, may_be_k3s_vpn_line, parse_k3s_vpn
from opskit.core.diagnose.localapicurl import localapi_curl_answer, may_start_answer
from opskit.core.diagnose.lockstatus import is_lock_status_start, lock_status_document, lock_status_extent
from opskit.core.diagnose.loginserver import (
    is_login_url_line,
    login_server_mismatch,
    named_login_server,
    unroutable_login_host,
)
from opskit.core.diagnose.metricsview import is_metrics_start, metrics_extent
from opskit.core.diagnose.models import BlockKind, DerpLatency, build_frozen
from opskit.core.diagnose.netcheck import (
    KEY_SET,
    NETINFO_JSON_WORD,
    bullet_key,
    is_keyed_region_line,
    is_netcheck_line,
    is_netcheck_log_line,
    is_no_derp_map_line,
    is_portmap_line,
    is_region_line,
    is_udp_blocked_log_line,
    looks_like_netcheck_json,
    match_plain_region,
    region_hint,
    wrapped_log_line_end,
    wrapped_portmap_line_end,
)
from opskit.core.diagnose.netmap import is_netmap_command, netmap_piece
from opskit.core.diagnose.peerendpoints import endpoint_changes_extent
from opskit.core.diagnose.peerrelay import is_relay_start, peer_relay_extent
from opskit.core.diagnose.ping import is_os_ping_line, is_ping_line
from opskit.core.diagnose.portmapdebug import is_portmap_debug_start, portmap_debug_extent
from opskit.core.diagnose.relayedoutput import RelayedOutput, may_relay_output, relayed_cli_output, relayed_state
from opskit.core.diagnose.routelookup import is_route_lookup_line
from opskit.core.diagnose.servestatus import is_serve_config, is_serve_status_start, serve_status_extent
from opskit.core.diagnose.services import service_list_extent
from opskit.core.diagnose.status import (
    BARE_HEALTH,
    BARE_HEALTH_HEAD_FIRSTS,
    KNOWN_OS,
    bare_health,
    bare_health_head,
    is_gron_status_line,
    is_status_line,
    looks_like_status_json,
    peer_entry_document,
    status_json_excerpt,
    status_json_fragment,
    status_prose_health,
    truncated_status_document,
)
from opskit.core.diagnose.stunlog import may_start_stun_log_line, stun_log_run
from opskit.core.diagnose.switchlist import is_switch_list_command, switch_list_extent
from opskit.core.diagnose.syspolicy import syspolicy_list_extent, syspolicy_piece
from opskit.core.diagnose.text import (
    GO_STAMP,
    TAILNET_V4_PREFIX,
    TAILNET_V6_PREFIX,
    SourceLine,
    annotated_json_document,
    is_elision_line,
    json_string_end,
    parse_pasted_json,
    split_lines,
    typed_tailscale_command,
    url_tail_end,
)
from opskit.core.diagnose.ts2021 import (
    is_ts2021_command,
    is_ts2021_start,
    ts2021_cli_errors,
    ts2021_extent,
)
from opskit.core.diagnose.usagetext import USAGE_HEADER, is_usage_start, usage_extent
from opskit.core.diagnose.versionview import version_extent
from opskit.core.diagnose.viewkinds import json_view_kind
from opskit.core.diagnose.watchipn import CONNECTED, watch_ipn_extent
from opskit.core.diagnose.webstart import may_be_web_line, web_start_extent
from opskit.core.diagnose.whois import whois_extent
from opskit.core.diagnose.windows import (
    CONSOLE_WIDTH,
    EXIT_NODE_LIST_HEADER,
    EXIT_NODE_LIST_STATUS,
    GO_CRASH_START,
    GO_SIGNAL_CRASH,
    command_has_answers,
    console_wrapped,
    continues_up_refusal,
    error_word_head_across,
    error_word_head_in,
    host_names,
    is_command_answer,
    is_daemon_answering_cli,
    is_windows_error_line,
    ssh_failed_host,
    unflatten_state_answers,
)

# Lines tailscale prints around a report that carry no diagnosis (stderr, debug logs, banners).
_NOISE = re.compile(
    rf"^(?:{GO_STAMP} .*portmap: |portmap: |netcheck: UDP test failure|"
    r"No DERP map from tailscaled|attempting to fetch a DERPMap|# Warning: this JSON format|"
    r"Warning: this JSON format|\.\.\.+$|\u2026+$|Serving Tailscale status at )"
)
# A whole `status --json` runs ~40 lines a peer (more with CapMap): a big tailnet's is tens of thousands.
# The window bounds a scan for a closing brace that never comes (scanned once: no_json_before).
_MAX_JSON_LINES = 200_000
# Plain module constants: attribute access on an Enum class costs ~100 ns on Python 3.11 (~900 instructions: its
# metaclass's __getattr__ sends every class attribute through a Python-level hook), and these comparisons run for
# every input line (split_input's general path asks a line's kind against WINDOWS/DAEMON_LOG some twenty times).
_NETCHECK = BlockKind.NETCHECK
_new_tuple = tuple.__new__
_TEXT_FIELD = operator.itemgetter(SourceLine._fields.index("text"))
_STATUS = BlockKind.STATUS
_WINDOWS = BlockKind.WINDOWS
_DAEMON_LOG = BlockKind.DAEMON_LOG
_PING = BlockKind.PING
_OS_PING = BlockKind.OS_PING
# Reports a line marking the poster's cut ("[snip]", "[... 40 lines cut ...]") may sit in without ending them
_ELIDABLE = frozenset({BlockKind.STATUS, BlockKind.NETCHECK, BlockKind.PING})


# A bullet's key, or its (key, ":", value) partition, or a region line's finished DerpLatency.
LineHint = str | tuple[str, str, str] | DerpLatency | None


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    lines: tuple[SourceLine, ...]
    command: str | None = None  # the shell command shown before the block, if any
    json_document: object | None = field(default=None, compare=False)
    log_form: bool = False  # a single tailscaled log line (report: / NetInfo{}), or a run of 2020 STUN log lines
    # Per line, what the splitter already worked out (a bullet's key, a region line's parts), so the
    # netcheck parser does not redo it; None where nothing is known. Empty for other kinds.
    hints: tuple[LineHint, ...] = field(default=(), compare=False)
    # the version of the tailscaled that answered, where its answer named it (LocalAPI's Tailscale-Version header
    # in a curl transcript: localapicurl.py)
    daemon_version: str | None = None
    # lines as pasted where the block's own hold what a reader reads instead (a curl transcript's body as the CLI
    # would have printed it): findings quote these, by line number
    pasted: tuple[SourceLine, ...] = field(default=(), compare=False)
    # the CLI's output as another program relayed it (relayedoutput.py): its state lines are the command's refusal
    relayed: bool = False


@dataclass(frozen=True)
class SkippedRun:
    lines: tuple[SourceLine, ...]
    reason: str

    @property
    def span(self) -> str:
        first, last = self.lines[0].number, self.lines[-1].number
        return f"line {first}" if first == last else f"lines {first}-{last}"


@dataclass(frozen=True)
class SplitInput:
    blocks: tuple[Block, ...]
    skipped: tuple[SkippedRun, ...]
    whoami: SourceLine | None = None
    admin_member: bool | None = None
    line_count: int = 0
    elevated: bool | None = None
    successes: tuple[SourceLine, ...] = ()  # `tailscale up`/`login` finishing: "Success."
    # The shell prompts of the paste, in order (line.command set): what the user ran, and when
    prompts: tuple[SourceLine, ...] = ()
    # What a bare `tailscale ip` (flags only) printed: this node's own tailnet addresses
    own_addresses: frozenset[str] = frozenset()
    # Host names the paste ties to a tailnet address (a status row's name, an OS ping resolving to 100.64/10 or
    # fd7a:115c:a1e0::/48): ssh failing to reach one is a tailnet host failing, whatever its DNS domain
    tailnet_hosts: frozenset[str] = frozenset()
    # The paste's lines as split_lines numbered and cleaned them (one a line, but for the pieces of a line a chat client
    # flattened): kept once for the readers that look at lines around a block (engine._node_statuses)
    lines: tuple[SourceLine, ...] = field(default=(), compare=False, repr=False)
    # An Ansible run the paste is (ansible.py): its hosts' Tailscale command results were read as typed commands
    ansible: AnsibleRun | None = None
    ansible_host: str | None = None  # the host whose results this input read


_TAILNET_IP = rf"(?:{TAILNET_V4_PREFIX}\d{{1,3}}\.\d{{1,3}}|{TAILNET_V6_PREFIX}[0-9a-f:]*)"
# a status row's address and name; an OS ping's header naming the address a host name resolved to
_STATUS_ROW_HOST = re.compile(rf"^{_TAILNET_IP}\s+\(?\"?([A-Za-z0-9][\w.-]*)", re.IGNORECASE)
_OS_PING_HOST = re.compile(rf"^(?:PING|Pinging) ([A-Za-z0-9][\w.-]*) [(\[]{_TAILNET_IP}[)\]]", re.IGNORECASE)


# The command a prompt ran was the tailscale CLI itself (any path, `.exe`, sudo/doas in front), not the
# daemon (`tailscaled …`) and not another program that merely names Tailscale.
_CLI_COMMAND = re.compile(r"^(?:(?:sudo|doas)\s+(?:-\S+\s+)*)?(?:\S*[/\\])?tailscale(?:\.exe)?\s+[a-z]", re.IGNORECASE)
# What Go prints after "panic: …": the signal line, goroutine headers, frames and their file:line, the
# goroutine that created one, and the exit status; "..." where the poster elided frames.
_GO_TRACE = re.compile(
    r"^(?:\[signal |goroutine \d+ \[|created by |\s*\S+\.(?:go|s):\d+|\S+\(.*\)$|exit status \d+$"
    r"|\.\.\.(?:additional frames elided\.\.\.)?$|\[recovered\]|panic: |fatal error: "
    # a fatal signal outside Go code (runtime/signal_unix.go: "SIGBUS: bus error", "PC=0x… m=0 sigcode=…",
    # "signal arrived during cgo execution") and the registers it dumps ("r0      0x0", "rax    0x0")
    r"|" + GO_SIGNAL_CRASH + r"|PC=\S+|signal arrived during |[a-z]{1,3}\d{0,2}\s+0x[0-9a-f]+$)"
)
# `tailscale update`'s own progress line on Linux (clientupdate updateLinuxBinary: `Extracting %q` with the release
# tarball it downloaded to its cache, ~/.cache/tailscale-update/tailscale_<version>_<arch>.tgz): a Go crash right
# under it is the CLI's own (the updater runs in the CLI process), not tailscaled's.
UPDATE_EXTRACTING = re.compile(r'^Extracting "[^"]*tailscale_[\w.+-]+\.tgz"$')
_UPDATE_CRASH_LOOKAHEAD = 3  # blank lines allowed between the progress line and the crash's first line


# `tailscale ip` (any path, sudo/doas in front) and its arguments: the addresses printed under it are its
# answer, not unknown lines; under a bare one (flags only) they are the node's own addresses.
_IP_COMMAND = re.compile(
    r"^(?:(?:sudo|doas)\s+(?:-\S+\s+)*)?(?:\S*[/\\])?tailscale(?:\.exe)?\s+ip(?P<args>(?:\s+\S+)*)\s*$",
    re.IGNORECASE,
)
_ADDRESS_ANSWER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{0,4}){2,7})$")


# CLI commands other than ping that resolve a peer name with the same lookup (their failures read like ping's).
_PEER_LOOKUP_COMMAND = re.compile(
    r"^(?:(?:sudo|doas)\s+(?:-\S+\s+)*)?(?:\S*[/\\])?tailscale(?:\.exe)?\s+(?:ip|whois|file\s+cp|nc)\b",
    re.IGNORECASE,
)


# `tailscale exit-node list` (any path, global flags, `--`): its table's rows are not `tailscale status` rows, and
# it ends with hints ("# To view the complete list of exit nodes…", "# To use an exit node, use…", "# To have
# Tailscale suggest an exit node…").
_EXIT_NODE_LIST_COMMAND = typed_tailscale_command(r"exit-node\s+list")
# `tailscale status` typed: a line under it may be its first row, cut inside its cell before any row was read
_STATUS_COMMAND = typed_tailscale_command(r"status")
_EXIT_NODE_LIST_HINTS = (
    "# To view the complete list of exit nodes",
    "# To use an exit node",
    "# To have Tailscale suggest",
)


def _exit_node_list_line(text: str) -> bool:
    """A line of `tailscale exit-node list`'s output: its header, a row, a closing hint."""
    return (
        EXIT_NODE_LIST_HEADER.match(text) is not None
        or EXIT_NODE_LIST_STATUS.match(text) is not None
        or text.startswith(_EXIT_NODE_LIST_HINTS)
    )


def _ip_command_is_bare(command: str) -> bool | None:
    """None when ``command`` is not `tailscale ip`; else whether it names no peer (only flags)."""
    match = _IP_COMMAND.match(command)
    if match is None:
        return None
    return all(arg.startswith("-") for arg in match.group("args").split())


# `tailscale status`'s health item ("#     - …") as a terminal printed it: a message wider than the terminal
# continues on the next lines at column 0, without the "#" (each full piece exactly the terminal's width).
_HEALTH_ITEM = re.compile(r"#\s+-\s")
_MIN_TERMINAL_WIDTH = 60
# A terminal cuts at its width, anywhere (mid-word too); a chat client or a narrow text box re-wraps at a space.
# Pieces of a health item are read as a terminal's cut (joined without a space) only at the classic 80 columns or
# wider, and only when every piece but the last is exactly as wide: a re-wrap's pieces end where words end.
_MIN_HARD_CUT_WIDTH = 80


# A health message that is a Go multierr (util/multierr Error: "multiple errors:" then "\n\t<error>" per error)
# spans lines: printHealth prints it whole after "#     - ", so each error sits on its own tab-indented line with
# no "#", and an error may hold line breaks of its own (a command's stderr: iptables' "Try `iptables -h' …").
_MULTIERR_HEAD = "multiple errors:"
_MULTIERR_LOOSE_LINES = 2  # unindented lines an error may carry (its own line breaks), at most


_QUOTE_MARKERS = re.compile(r"^(?:[ \t]*>(?: |(?=\t)))+")


def _indent(raw: str) -> int:
    """How far a printed line is indented, inside the Markdown quote markers a paste may put before it."""
    text = _QUOTE_MARKERS.sub("", raw).expandtabs(8)
    return len(text) - len(text.lstrip())


def _multierr_errors(lines: Sequence[SourceLine], start: int, head: SourceLine) -> tuple[list[str], int]:
    """The errors under a health item that ends ``multiple errors:`` (each with the lines it broke onto,
    joined), and the index of the first line after them; no errors when none is indented below the item."""
    errors: list[list[str]] = []
    head_indent = _indent(head.raw)
    index = end = start
    loose = blanks = 0
    while index < len(lines):
        line = lines[index]
        if not line.text:
            blanks += 1
            stripped = _QUOTE_MARKERS.sub("", line.raw).strip()
            if line.command is not None or stripped.startswith(("```", "~~~")) or blanks > 1:
                break
            index += 1
            continue
        if line.command is not None or line.text[0] == "#":
            break
        if _indent(line.raw) > head_indent:
            errors.append([line.text])
            loose = 0
        elif errors and loose < _MULTIERR_LOOSE_LINES and classify_line(line.text, False) is None:
            errors[-1].append(line.text)
            loose += 1
        else:
            break
        blanks = 0
        index = end = index + 1
    return [" ".join(error) for error in errors], end


def _printed_width(line: SourceLine) -> int:
    return len(line.raw.rstrip("\r\n"))


def _soft_wrapped_after(width_above: int, text: str, paste_width: Callable[[], int | None]) -> bool:
    """Whether ``text`` is the rest of a line ``width_above`` wide that a chat client re-wrapped at a space: its
    first word would not have fitted on the line above at the width the paste shows it was wrapped at."""
    if not width_above:
        return False
    reach = width_above + 1 + len(text.split(" ", 1)[0])
    if reach <= _MIN_WRAP_WIDTH:
        return False
    wrapped_at = paste_width()
    if wrapped_at is None:
        # too few long lines to show a width (a health item pasted alone): a sentence going on in lower case
        # (`server to synchronize …`), which a sentence of the poster's own rarely starts with
        return text[0].islower() or text[0] in "-'\"(["
    return reach > wrapped_at


def _may_hold_netcheck_log(text: str) -> bool:
    """The cheap test before is_netcheck_log_line: a netcheck report's or a NetInfo's words."""
    return "report: " in text or "NetInfo{" in text or "netcheck: udp=" in text or NETINFO_JSON_WORD in text


def _health_item_text(pieces: Sequence[SourceLine], soft: bool) -> str:
    """A health item's text from the lines it was printed or pasted on: cut by a terminal at its width (every
    piece but the last exactly as wide: joined as printed, a space only where the cut left one), or re-wrapped at
    spaces (``soft``: its head was already joined so; or pieces of other widths: joined with one)."""
    widths = [_printed_width(piece) for piece in pieces[:-1]]
    hard = not soft and widths[0] >= _MIN_HARD_CUT_WIDTH and widths.count(widths[0]) == len(widths)
    text = pieces[0].text
    for above, piece in zip(pieces, pieces[1:], strict=False):
        if not hard:
            text += _rewrap_gap(text, piece.text) + piece.text
        else:  # the terminal cut mid-word, unless the cut fell on a space
            cut_at_space = above.raw.rstrip("\r\n")[-1:].isspace() or piece.raw[:1].isspace()
            text += (" " if cut_at_space else "") + piece.text
    return text


# What a piece of a wrapped health message may read as alone: an error (the CLI's words, or a log's), never a line of
# another output (a netcheck bullet, a pong, a status row).
_ERROR_PIECE_KINDS = frozenset({BlockKind.WINDOWS, BlockKind.DAEMON_LOG})


def _health_item_goes_on(
    item: str, hard_cut: bool, open_width: int, piece: SourceLine, paste_width: Callable[[], int | None]
) -> bool:
    """Whether ``piece`` is the next piece of the health item whose text so far is ``item``: a terminal's cut
    (``hard_cut``: the piece above was as wide as the first), a re-wrap at a space the widths show, or a message
    that cannot end where the line did (an unclosed "[" of an iptables command line; "…login error was:")."""
    text = piece.text
    own = classify_line(text, False)
    if own is not None and (own not in _ERROR_PIECE_KINDS or text[0] == "-" or message_of(text).text != text):
        return False  # a line of its own: a status row, another output's line, a health bullet, a stamped log line
    # a piece may read as an error alone ("invalid key: API key does not exist", "…": x509: certificate signed by
    # unknown authority"): the pieces of a wrapped error message are such lines, the widths tell
    return (
        item[-1] == ":"
        or _unbalanced(item)
        or hard_cut
        or _soft_wrapped_after(open_width, text, paste_width)
        or _narrow_rewrap_goes_on(open_width, text)
    )


def _narrow_rewrap_goes_on(width_above: int, text: str) -> bool:
    """Whether ``text`` goes on with a health item a phone's chat or a narrow comment box re-wrapped at 30-50
    columns, where the pieces are as short as prose typed under the item and no width can be measured: the item
    above stopped mid-sentence (``width_above`` is set only then) and the piece carries on in lower case (or with
    a quote, a bracket or a command's flag, `-m 0 …`, never a `- ` bullet), its first word past the narrowest
    width a text box wraps at."""
    first = text[0]
    if not width_above or not (first.islower() or first in "'\"([" or (first == "-" and text[1:2].isalnum())):
        return False
    return width_above + 1 + len(text.split(" ", 1)[0]) > _MIN_NARROW_WRAP_WIDTH


def is_cli_panic_start(text: str, command: str | None) -> bool:
    """A Go panic printed right under a prompt that ran the tailscale CLI: the CLI crashed, not tailscaled."""
    return command is not None and GO_CRASH_START.match(text) is not None and _CLI_COMMAND.match(command) is not None


# A goroutine frame in the tailscale CLI's own code: its package (tailscale.com/cmd/tailscale/cli.runNetcheck,
# printReport, …) or source files (cmd/tailscale/cli/netcheck.go:183, cmd/tailscale/tailscale.go:26), under
# any module path or build directory. tailscaled never runs that code (a combined tailscaled binary runs it
# only as its `tailscale` CLI mode), so a trace naming it is the CLI's crash. "cmd/tailscaled/" never matches.
_CLI_FRAME = re.compile(r"\bcmd/tailscale/(?:cli[./]|tailscale\.go:\d)")
_PANIC_LOOKAHEAD = 200  # trace lines read after "panic: …" for a CLI frame (the panicking goroutine is first)


def panic_trace_in_cli(lines: Sequence[SourceLine], start: int) -> bool:
    """A Go panic (its first line before `start`) whose trace, from `lines[start]` on, names the CLI's code."""
    for line in lines[start : start + _PANIC_LOOKAHEAD]:
        text = line.text
        if not text:
            continue
        if line.command is not None or not _GO_TRACE.match(text):
            return False
        if _CLI_FRAME.search(text):
            return True
    return False


def _crash_follows(lines: Sequence[SourceLine], start: int) -> bool:
    """Whether the first non-blank line from `lines[start]` on (within a few) opens a Go crash."""
    for line in lines[start : start + _UPDATE_CRASH_LOOKAHEAD]:
        if line.command is not None:
            return False
        if line.text:
            return GO_CRASH_START.match(line.text) is not None
    return False


class _TypedCommand(NamedTuple):
    """What the splitter needs to know of a typed command (see split_input's variables of the same names)."""

    context: str
    ip_command: bool | None
    peer_lookup_command: bool
    exit_node_list: bool
    switch_list: bool
    command_answers: bool  # a line under it may be a CLI error only as its answer (windows.is_command_answer)
    ts2021_typed: bool  # `tailscale debug ts2021`
    login_server_named: bool  # `tailscale up/login --login-server=…`
    status_typed: bool  # `tailscale status`


@lru_cache(maxsize=256)
def _typed_command_facts(command: str) -> _TypedCommand:
    """Each typed command's facts, worked out once per distinct command: a paste repeats the same few commands
    (a loop of `tailscale netcheck`, a prompt before every ping), each fact a pattern search."""
    return _TypedCommand(
        _command_context(command),
        _ip_command_is_bare(command),
        _PEER_LOOKUP_COMMAND.match(command) is not None,
        _EXIT_NODE_LIST_COMMAND.search(command) is not None,
        is_switch_list_command(command),
        command_has_answers(command),
        is_ts2021_command(command),
        named_login_server(command) is not None,
        _STATUS_COMMAND.search(command) is not None,
    )


def _command_context(command: str) -> str:
    """Which kind of command produced the following lines (decides how to treat unknown lines)."""
    lowered = command.strip().lower()
    if lowered == "whoami":
        return "whoami"
    if lowered.startswith("whoami /groups"):
        return "whoami-groups"
    if "net session" in lowered:
        return "net-session"
    return "tailscale" if "tailscale" in lowered else "other"


def _netmap_block(lines: list[SourceLine], start: int, command: str | None) -> Block | None:
    """The `tailscale debug netmap` JSON (an object, or what a jq filter cut out of it) opening at ``start``."""
    end = _json_end(lines, start, "[]" if lines[start].text[0] == "[" else "{}")
    if end is None:
        return None
    chunk = lines[start : end + 1]
    document = parse_pasted_json("\n".join(x.text for x in chunk))
    piece = netmap_piece(command, document)
    if piece is None:
        return None
    return Block(BlockKind.DEBUG_NETMAP, tuple(chunk), command, (piece, document))


_QUOTE_OR_BRACKET = {"{}": re.compile(r'["{}]'), "[]": re.compile(r'["\[\]]')}


def _json_end(lines: list[SourceLine], start: int, brackets: str = "{}") -> int | None:
    """Index of the line closing the JSON object (array) that opens at ``start`` (bracket counting).

    Unlike text.json_value_end it counts only its own kind of bracket, so an inner array cut short in a paste does
    not hide the end of the object around it; the chunk is then parsed by parse_pasted_json, which refuses a
    document nested past the decoder's depth."""
    opening, marks = brackets[0], _QUOTE_OR_BRACKET[brackets]
    depth = 0
    in_string = False  # a string a wrap carried over to the next line
    for index in range(start, min(len(lines), start + _MAX_JSON_LINES)):
        text = lines[index].text
        position = json_string_end(text, 0) if in_string else 0
        in_string = position < 0
        while not in_string and (mark := marks.search(text, position)) is not None:
            char, position = mark.group(), mark.end()
            if char == '"':
                position = json_string_end(text, position)
                in_string = position < 0
            elif char == opening:
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return index
    return None


# LocalAPI's error as the CLI prints it: bare, under the CLI's own log.Fatal stamp, or quoted in prose.
# Also the 2021 CLI's "HTTP 500 …", and serve's / the Kubernetes operator's "http: TLS handshake error from
# <client>: 500 …" quoting LocalAPI's answer to its certificate request (not a tailscaled event).
_LOCALAPI_500 = re.compile(
    r"^(?:\d{4}/\d\d/\d\d \d\d:\d\d:\d\d )?(?:http: TLS handshake error from \S+: |HTTP )?500 Internal Server Error: "
    r"|.*`500 Internal Server Error: "
)


# The line the CLI ends a warning or error with, pointing at its KB page ("See https://tailscale.com/s/ip-forwarding",
# the older "/kb/1104/enable-ip-forwarding/"): part of the message above it, not an unread line.
_KB_LINK = re.compile(
    r"^(?:\d{4}[-/]\d\d[-/]\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?\s+)?(?:- )?"
    r"See https?://(?:www\.)?tailscale\.com/(?:s|kb)/\S+$"
)


# The line systemctl ends a failed job's message with (bus-wait-for-jobs: `See "systemctl status X" and
# "journalctl -xeu X" for details.`; single quotes and `journalctl -xn`/`-xe` in older systemd).
# The tail 1.4-1.18's LocalAPI client put after an error body ("HTTP 500 Internal Server Error: <body>
# (expected 200)"): the body ends in a newline, so the console shows it on a line of its own.
_EXPECTED_STATUS = re.compile(r"^\(expected \d{3}\b[^()]{0,40}\)\.?$")
# The rest of a Windows dialog about the Tailscale service (windows.WINDOWS_SERVICE_STOPPED): the Service Control
# Manager's "Error 1067: The process terminated unexpectedly." (the Win32 error under "Windows could not start …"),
# its "Some services stop automatically …" under "… started and then stopped.", and the GUI error box's
# "Version <v> (<commit>)" and "(Ctrl-C to copy this text)" lines: part of that message, not a log or prose.
_WINDOWS_DIALOG_TAIL = re.compile(
    r"^(?:Error \d{1,5}: \S.*|Some services stop automatically if they are not in use by other services or programs\.?"
    r"|Version \d+\.\d+\.\d+(?:-\S+)? \([\w.-]+\)|\(Ctrl-C to copy this text\))$"
)
_SYSTEMD_SEE = re.compile(
    r"^See [\"']systemctl status [^\"']+[\"'](?: and [\"']journalctl -x\w*[^\"']*[\"'])? for details\.?$"
)


# OpenSSH's client closing a connection the server (or `tailscale ssh`'s ProxyCommand, whose peer is "UNKNOWN port
# 65535") ended: packet.c's "Connection closed by <host> port <n>" / "Connection reset by …", clientloop.c's
# "Connection to <host> closed[ by remote host]." Under a Tailscale SSH banner it is the end of that answer.
_SSH_CLIENT_CLOSED = re.compile(
    r"^(?:Connection (?:closed|reset) by \S+ port \d+|Connection to \S+ closed(?: by remote host)?\.)\s*$"
)


# What `tailscale up` / `login` print once the node is up; under a CI runner's or Go's log stamp too.
_SUCCESS = re.compile(
    r"^(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?\s+|\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\s+)?Success\.$"
)


# A LocalAPI answer only a running tailscaled gives: `tailscale lock status` ("Tailnet lock is NOT enabled.",
# "Tailnet Lock is ENABLED." and the later capitalisation), under Go's log stamp or bare.
DAEMON_ANSWER = re.compile(
    r"^(?:\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\s+)?Tailnet [Ll]ock is (?:NOT enabled|not enabled|ENABLED|enabled)\.?"
)


# A piece that cannot start a tailscaled message: the rest of a parenthesised flow, a bracketed key or list, a
# quoted value or a "key=value" field ("(TCP a => b) to node [p/guc];", "online=yes, lastRecv=13m42s", "t=2026-…").
_LOG_FRAGMENT = re.compile(r"^(?:[(\[{\"']|[\w.-]+=\S)")
# A message cut where it cannot end: after a subsystem's name ("router:", "magicsock: disco:"), a comma, "=", "=>".
_OPEN_END = (":", ",", "=", "=>", "(", "[", "{")
# Where a message cut by hand cannot end even when its indented rest would read alone (a health text, a status row)
_HAND_WRAP_OPEN = (":", ",", "=", "=>")
_MAX_LOG_PIECES = 24
# tailscaled's fatal start-up errors that end in the Go error they wrap ("safesocket.Listen: %v" → "listen unix
# /var/run/tailscale/tailscaled.sock: bind: no such file or directory"): printed without a stamp to a terminal, and an
# author may break one after a colon, the error's lower-case rest on the next line.
_UNSTAMPED_FATAL_HEADS = ("safesocket.Listen: ", "getLocalBackend error: ", "ipnserver.Run: ", "netmon.New: ")
_WIDTH_STRETCH = 32
_MIN_WRAP_WIDTH = 50  # narrower "wraps" are short lines, not a width
# no text box re-wraps a health item narrower (a phone's chat: 40-50 columns, 30-40 with a larger font)
_MIN_NARROW_WRAP_WIDTH = 30
# What is left of a message when only its subsystem names (or nothing but the prefix) made it onto the line:
# "router:", "magicsock: disco:", "".
_NAMES_ONLY = re.compile(r"^(?:[\w.-]+:\s*)*$")


def _unbalanced(text: str) -> bool:
    return text.count("(") > text.count(")") or text.count("[") > text.count("]") or text.count("{") > text.count("}")


def wrap_width(lines: Sequence[SourceLine]) -> int | None:
    """The width a chat client or editor re-wrapped these lines at, or None: no sign of one. A re-wrapped paste
    has several lines within a word of its longest; an unwrapped log's lengths spread out."""
    widths = heapq.nlargest(8, (len(_printed(line).rstrip()) for line in lines))
    if not widths or widths[0] < _MIN_WRAP_WIDTH:
        return None
    near = sum(1 for width in widths[:8] if width >= widths[0] - 12)
    return widths[0] if near >= 3 else None


def terminal_width(lines: Sequence[SourceLine]) -> int | None:
    """The width of a terminal that hard-wrapped these lines, or None. A terminal (any width: a resized window, tmux)
    cuts every longer line at exactly its last column, mid-word or not, and goes on with the rest on the next line:
    several lines exactly as wide as the widest, each followed by a piece with no prefix of its own. A re-wrap at
    spaces (wrap_width) leaves most of its lines a few columns short of its width instead (one in a thousand
    generated re-wraps passes this test; one in twenty hard wraps fails it and joins as a re-wrap)."""
    printed = [line for line in lines if line.text]
    if not printed:
        return None
    lead = min(_lead(line) for line in printed)  # what the paste put before every line (a quote marker)
    # (once per distinct line: log lines run together on one are split into several, each with its raw line, and a
    # log repeats a message as often as it likes)
    columns = {line.raw: _terminal_columns(line, lead) for line in printed}
    widest = max(columns.values())
    if widest < _MIN_WRAP_WIDTH:
        return None
    cut = {
        line.raw
        for line, after in itertools.pairwise(printed)
        if columns[line.raw] == widest and message_of(after.text).text == after.text
    }
    # (a cut at a space leaves the line one column short once the copy drops the trailing space)
    short = sum(1 for width in heapq.nlargest(8, columns.values()) if widest - 12 <= width < widest - 1)
    return widest if len(cut) >= 2 and len(cut) > 2 * short else None


def _terminal_columns(line: SourceLine, lead: int) -> int:
    """The columns ``line`` took on the terminal: a piece starting with the space the cut fell on counts it."""
    return len(line.raw.rstrip()) - lead


_MULTIERR_PARTS = (None, BlockKind.STATUS)


def _log_continuation(
    joined: str,
    head: SourceLine,
    last: SourceLine,
    piece: SourceLine,
    width: Callable[[], int | None],
    terminal: Callable[[], int | None],
) -> str | None:
    """The gap to join ``piece`` onto the log line ``joined`` with ("" for a console's mid-word cut, " " for a
    wrap at a space), or None: ``piece`` is a line of its own.

    A console (80 columns, or a terminal of another width that cut several lines at one column), a chat client or
    a person re-wrapping the paste breaks a long log line; the pieces after the first carry no prefix of their own.
    Only a stamped line continues (its pieces are then the unstamped lines under it), and only where the break
    shows: the console's width, a message left open (":", ",", "=", an unclosed bracket), or a piece that cannot
    start a message ("(…", "key=value").
    """
    text = piece.text
    if not text or text[0] == "\u2591":
        return None  # journalctl -x's catalog text ("░░ Subject: …") explains the message above: never a piece of it
    message = message_of(text)
    prefixed = message.text != text
    if prefixed and (
        message.process is not None
        or message.form != "plain"
        or any(char.isalnum() for char in text[: -len(message.text) or None])
    ):
        return None  # a prefix of its own: the next line of the log (most lines of a log: checked first)
    body = message_of(joined).text
    if body == joined:
        if (
            joined.endswith(":")
            and joined.startswith(_UNSTAMPED_FATAL_HEADS)
            and text[0].islower()
            and piece.command is None
            and classify_line(text, False) is None
        ):
            return " "  # a fatal error broken after a colon: the wrapped Go error's rest ("bind: no such file …")
        return None  # an unstamped log: nothing tells its lines from pieces
    if len(_printed(last).rstrip()) >= _MIN_WRAP_WIDTH - 1 and (columns := terminal()) is not None:
        # a terminal that cut several lines at one column always goes on with a line it cut, whatever the piece or
        # the head would read as alone (a piece starting "--wait]", a head cut right after "(…)" like a frame's)
        columns_taken = _terminal_columns(last, _lead(head))
        if columns_taken == columns:
            # mid-word, unless the cut fell on a space (it starts the piece: more indented than the head)
            return "" if _lead(piece) <= _lead(head) else " "
        if columns_taken == columns - 1:
            return " "  # the cut fell on a space the copy dropped at the line's end
    if prefixed:
        return None  # a prefix of its own (a level word, a separator): a line of its own
    if piece.command is not None or text[0] == "#" or text.startswith(("--", "goroutine ", "panic: ")):
        return None
    if not any(char.isalnum() for char in text):
        return None  # a quote marker, an ellipsis, a fence left over: no words to continue a message with
    if (body and is_dump_line(body)) or body.startswith(("panic: ", "fatal error: ")):
        return None  # a trace (its frames stand alone)
    end = joined.rstrip()
    if "multiple errors:" in body and _lead(piece) > _lead(head) and classify_line(text, False) in _MULTIERR_PARTS:
        # util/multierr's Error(): "multiple errors:" then "\n\t<error>" per error, each indented under the stamped
        # head; joined as a folded paste shows them ("; " between errors), so each error is read on its own (an
        # error that is a line of its own, e.g. an iptables failure, stays one, read as before; a health message
        # `tailscale status` would also print bare is one of the health errors)
        return " " if end.endswith("multiple errors:") else "; "
    cut = console_wrapped(last)
    if not (end.endswith(_OPEN_END) or _LOG_FRAGMENT.match(text) or cut or _unbalanced(end)):
        # re-wrapped at a width: the piece's first word would not have fitted on the line above
        reach = len(_printed(last).rstrip()) + 1 + len(text.split(" ", 1)[0])
        wrapped_at = width() if reach > _MIN_WRAP_WIDTH else None
        if wrapped_at is None or reach <= wrapped_at:
            return None
    own = classify_line(text, False)
    if (
        own is not None
        and not (own is BlockKind.DAEMON_LOG and _NAMES_ONLY.match(body))
        and not (end.endswith(_HAND_WRAP_OPEN) and _lead(piece) > _lead(head) and "multiple errors:" not in body)
    ):
        # a line of its own (a status row, another log line; the indented lines of a multi-line error under
        # "…: multiple errors:") unless all the line above kept was a subsystem's name ("monitor:") or an author
        # hard-wrapped a message left open, its rest indented under it ("health(warnable=no-derp-home): error:" /
        # "  Tailscale could not connect to any relay server.": the warnable's text, not a bare health message;
        # util/multierr's indented errors stay errors of their own, as above)
        return None
    if cut and len(_printed(last).rstrip()) == CONSOLE_WIDTH and _lead(piece) <= _lead(head):
        return ""  # the console cut mid-word (a space at the cut starts the next line: more indented than the head)
    return _rewrap_gap(end, text)


def _rewrap_gap(end: str, text: str) -> str:
    """The gap a re-wrap left between ``end`` and the piece ``text``: a space, except after a word's hyphen, where a
    browser or chat client also breaks a line ("not-" / "compressed", "ts-" / "forward"): joined as written."""
    if len(end) > 1 and end[-1] == "-" and end[-2].isalnum() and text[0].isalnum():
        return ""
    return " "


def _lead(line: SourceLine) -> int:
    decoration = _DECORATION.match(line.raw)
    return decoration.end() if decoration is not None else 0


def _join_log_pieces(
    lines: list[SourceLine], head: SourceLine, index: int, width: Callable[[], int | None]
) -> tuple[str, int]:
    """``head``'s text with the pieces from ``lines[index]`` on that continue it, and the index after them."""
    text = head.text
    if message_of(text).text == text and not (text[-1] == ":" and text.startswith(_UNSTAMPED_FATAL_HEADS)):
        return text, index  # an unstamped line that heads no fatal error takes no piece (_log_continuation's answer)
    # A double-spaced paste (a copy that doubled every line end: a blank line above the head too) puts a blank
    # line between the pieces as well.
    double = index < 2 or not lines[index - 2].text
    columns: list[int | None] = []  # the terminal's width around the head, measured once a piece needs it

    def terminal() -> int | None:
        if not columns:
            columns.append(terminal_width(lines[max(0, index - _WIDTH_STRETCH) : index + _WIDTH_STRETCH]))
        return columns[0]

    joined, last, end = head.text, head, index
    while end < len(lines) and end - index < _MAX_LOG_PIECES:
        at = end
        if double and not lines[at].text and at + 1 < len(lines):
            at += 1
        gap = _log_continuation(joined, head, last, lines[at], width, terminal)
        if gap is None:
            break
        joined, last = f"{joined}{gap}{lines[at].text}", lines[at]
        end = at + 1
    return joined, end


# What a paste puts before a printed line: indentation (any whitespace, non-breaking too), quote markers, an
# inline-code backtick.
_DECORATION = re.compile(r"^[\s>`]*")


def _printed(line: SourceLine) -> str:
    return _DECORATION.sub("", line.raw.rstrip("\r\n"), count=1)


# The CLI's own "#" lines: `tailscale status`'s health header and its "#     - …" items.
_CLI_HASH_LINE = re.compile(r"#\s*Health check:$|#\s{2,}- \S")


def _commented_output(text: str) -> str | None:
    """What a line reads as without the ``# `` an author put in front of every output line to show it as a comment
    in a shell block (``# Success.``, ``# Some peers are advertising routes …``), or None: the line is read as
    it is. The CLI's own ``#`` lines (``# Health check:``, ``#     - …`` items, a root prompt) already read as
    themselves and are left alone; so is a comment whose words are no output either (``# Result``). Commented
    too, the CLI's own ``#`` lines read as themselves (``# # Health check:``, ``# #     - …``)."""
    bare = text[2:].strip()
    if bare[:1] == "#":  # (the CLI never prints "# #": whatever the rest would read as, it is commented)
        return bare if _CLI_HASH_LINE.match(bare) is not None else None
    if not bare or classify_line(text, False) is not None:
        return None
    return bare if _SUCCESS.match(bare) or classify_line(bare, False) is not None else None


# Inline code spans of a line of prose ("4. See error, specifically `… error looking up IP of "node": …`"); the last
# may have lost its closing backtick to split_lines, which strips one that ends the line.
_INLINE_SPAN = re.compile(r"`([^`]+)(?:`|$)")


# A health message `tailscale status` printed (BARE_HEALTH: distinctive sentences, never prose of their own),
# quoted in a line of prose: 'status got a report of "not connected to home DERP region 900"'.
_QUOTED_HEALTH = re.compile(r'(?:^|[\s(:])"(?P<msg>(?:' + "|".join(re.escape(h) for h in BARE_HEALTH) + r')[^"]*)"')


def _may_quote_health(text: str) -> bool:
    """Cheap test for the caller's loop: could a double-quoted span of ``text`` be a health message?"""
    return (
        '"' in text and ('"not ' in text or '"You ' in text or '"Unable ' in text or '"Tailscale ' in text)
    ) or text[:17].lower() == "tailscale status "


def _quoted_cli_answer(text: str) -> str | None:
    """The CLI's answer (a ping result or a CLI/GUI error) a line of prose quotes as inline code, or a health
    message of ``tailscale status`` it quotes (inline code or double quotes), or None: the line is read as it is
    (it is output itself, or no span of it is an answer opskit knows). A sentence about `tailscale status` quoting a
    health message reads as that message under the status health header (``#     - …``)."""
    if text[:17].lower() == "tailscale status " and (status_health := status_prose_health(text)) is not None:
        return f"#     - {status_health}"
    if classify_line(text, False) is not None:
        return None
    for span in _INLINE_SPAN.finditer(text):
        answer = span.group(1).strip()
        if answer and classify_line(answer, False) in (BlockKind.PING, BlockKind.WINDOWS):
            return answer
        if answer.startswith(BARE_HEALTH):
            return answer
    if _may_quote_health(text) and (health := _QUOTED_HEALTH.search(text)) is not None:
        return health.group("msg").strip().rstrip(".,;")
    return None


# split_input's shortcut for a netcheck "Report:" line (off only in tests/diagnose/test_fast_paths.py, which compares
# the split with it and without it)
_FAST_REPORT_HEADER = True
_FAST_BULLET_RUN = True  # the same for split_input's run of netcheck bullets
_FAST_KEYED_REGIONS = True  # and for the region lines of the v1.0/v0.98 layout, taken with the others

# split_input's line tests that can take only a line starting with certain characters, each named by a bit: a line
# meets only the tests its first character allows (most lines, prose and the lines no shortcut takes, start with a
# character few or none of them can take). The characters come from each test's own cheap gate.
_T_DNS_STATUS = 1  # is_dns_status_start: "=== ", "Tail", "Magi"
_T_LOCK_STATUS = 2  # is_lock_status_start: "Netw", "netw", "Tail", "tail", "This", "Our ", "Erro", "The "
_T_CURL_ANSWER = 4  # may_start_answer: "< HTTP/", "HTTP/"
_T_TEXT_VIEW = 8  # _text_view's views that open at a character (the others it asks of every line)
_T_BREW_INFO = 16  # is_brew_service_info_head: "tailscale ("
_T_PORTMAP_DEBUG = 32  # is_portmap_debug_start: "gw=", "mon", "por", "Pro", "no ", "20…"
_T_LOGIN_URL = 64  # is_login_url_line: "http"
_T_SSH_FAILED = 128  # ssh_failed_host: "ssh:"
_T_ROW_HEAD = 256  # _may_start_row: "pong from ", a status row's address ("1…", "fd7a…", "FD7A…")
_T_HEALTH_HEAD = 512  # bare_health_head
_TEST_STARTS: tuple[tuple[int, Callable[[str], bool]], ...] = (
    (_T_DNS_STATUS, "=TM".__contains__),
    (_T_LOCK_STATUS, "NnTtOE".__contains__),
    (_T_CURL_ANSWER, "<H".__contains__),
    # version (a digit, "C"), whois ("M", "U", "T", "C"), "ID ", suggest ("S", "N"), "Name ", watch-ipn ("{",
    # "Connected."), "[", metrics ("#", "tmcdnphlwi"), "IP ", the install script ("I")
    (_T_TEXT_VIEW, lambda first: first.isdigit() or first in "CMUTSNI{[#tmcdnphlwi"),
    (_T_BREW_INFO, "t".__eq__),
    (_T_PORTMAP_DEBUG, "gmpPn2".__contains__),
    (_T_LOGIN_URL, "h".__eq__),
    (_T_SSH_FAILED, "s".__eq__),
    (_T_ROW_HEAD, "pf1F".__contains__),
    (_T_HEALTH_HEAD, BARE_HEALTH_HEAD_FIRSTS.__contains__),
)
_EVERY_TEST = -1  # every bit: the full chain (_DISPATCH_BY_FIRST off)
_DISPATCH_BY_FIRST = True  # off only in tests/diagnose/test_fast_paths.py, which compares the split both ways
# the tests each first character met so far may take (filled as lines come: a digit is any Unicode digit)
_TESTS_BY_FIRST: dict[str, int] = {}


def _tests_for_first(first: str) -> int:
    """The bits of the tests a line starting with ``first`` may meet, remembered for the next such line."""
    tests = _TESTS_BY_FIRST[first] = sum(bit for bit, may_start in _TEST_STARTS if may_start(first))
    return tests


@lru_cache(maxsize=64)
def _report_is_command_answer(command: str | None) -> bool:
    """is_command_answer of "Report:": asked once per typed command, not under every report of a big paste (its
    "port" is a phrase of serve's answers, so the catalog look-up ran for each)."""
    return is_command_answer("Report:", command)


def _report_header_is_plain(
    lines: list[SourceLine],
    after: int,
    typed_view: bool,
    command_answers: bool,
    command: str | None,
    output_lines: int,
) -> bool:
    """Whether the general path of split_input can only read the "Report:" line before ``lines[after]`` as the
    next netcheck report's header. Its other tests on the exact text "Report:" are all false whatever came before
    (tests/diagnose/test_fast_paths.py checks each); these are the ones that depend on the command typed above
    (``typed_view``: `switch --list`, `debug ts2021`, the GUI) or on the lines below."""
    if typed_view or (command_answers and _report_is_command_answer(command)):
        return False
    if output_lines == 1 and command is not None and "json" in command:
        return False  # the first line under a `… --json` command: maybe a status JSON excerpt (status_json_excerpt)
    if after + 1 < len(lines) and lines[after + 1].text == USAGE_HEADER:
        return False  # a help text's short line two lines above its "USAGE" (_text_view)
    # "Report:" and the line below, as a tailscaled log line wrapped after its colon (is_netcheck_log_line)
    return after >= len(lines) or not _may_hold_netcheck_log(f"Report: {lines[after].text}")


# split_input's shortcut for an elision line inside a netcheck report (off only in tests/diagnose/test_fast_paths.py)
_FAST_REPORT_ELISION = True


def _report_elision_is_inert(lines: list[SourceLine], line: SourceLine, after: int, command: str | None) -> bool:
    """Whether the general path of split_input can only drop ``line``, an elision inside a netcheck report (all "…",
    or three dots or more: a _NOISE line) before ``lines[after]``, and change nothing. Its other tests refuse such a
    line by its text alone, whatever the command typed above (tests/diagnose/test_fast_paths.py checks each; a
    `… --json` command's first line cannot be one: the report above it is that command's output too); these are
    the ones that depend on the lines below or on the command, asked as the general path asks them."""
    if after + 1 < len(lines) and lines[after + 1].text == USAGE_HEADER:
        return False  # a help text's short line two lines above its "USAGE" (_text_view)
    # a CLI error soft-wrapped onto the lines below that starts at it, a routine answer of the command typed above
    # (`tailscale get <setting>` prints any word)
    return (
        _soft_wrapped_cli_error(lines, line, line.text, after) is None
        and cli_answer_end(lines, after - 1, command) is None
    )


def _text_view(
    lines: list[SourceLine], start: int, command: str | None, switch_list: bool, at_start: bool = True
) -> tuple[BlockKind, int] | None:
    """The text view (kind, index of its last line) that starts at ``lines[start]``: `tailscale version`,
    `whois`/`whoami`, `switch --list`, `exit-node suggest`, `syspolicy list`; or None. Not ``at_start``: the line's
    first character opens none of the views that open at one (split_input's dispatch, _T_TEXT_VIEW)."""
    text = lines[start].text
    first = text[0]
    end: int | None
    if (
        at_start
        and (first.isdigit() or first == "C")
        and len(text) < 80
        and (end := version_extent(lines, start, command)) is not None
    ):
        return BlockKind.VERSION, end
    if at_start and text[-1] == ":" and first in "MUTC" and (end := whois_extent(lines, start, command)) is not None:
        return BlockKind.WHOIS, end
    if (switch_list or (at_start and text[:3] == "ID ")) and (
        end := switch_list_extent(lines, start, command)
    ) is not None:
        return BlockKind.SWITCH_LIST, end
    if at_start and first in "SN" and is_suggest_start(text) and (end := suggest_extent(lines, start)) is not None:
        return BlockKind.EXIT_NODE_SUGGEST, end
    if at_start and text[:5] == "Name " and (end := syspolicy_list_extent(lines, start)) is not None:
        return BlockKind.SYSPOLICY_LIST, end
    # `file cp`'s progress line ends in its rate ("…B/s") or holds "ETA …" (filecp.PROGRESS; a cheap gate before it:
    # not every line ending in "s", such as netcheck's "= 12.3ms")
    if (text[-3:] == "B/s" or "ETA " in text) and (end := file_cp_progress_extent(lines, start, command)) is not None:
        return BlockKind.FILE_CP_PROGRESS, end
    # the CLI's help text: "USAGE", or the command's short help line two lines above it (usagetext.py)
    if (
        (text == USAGE_HEADER or (start + 2 < len(lines) and lines[start + 2].text == USAGE_HEADER))
        and is_usage_start(lines, start, command)
        and (end := usage_extent(lines, start)) is not None
    ):
        return BlockKind.CLI_USAGE, end
    if at_start and (text == "{" or text == CONNECTED) and (end := watch_ipn_extent(lines, start)) is not None:
        return BlockKind.DEBUG_WATCH_IPN, end
    if at_start and text == "[" and (end := endpoint_changes_extent(lines, start)) is not None:
        return BlockKind.PEER_ENDPOINT_CHANGES, end
    if at_start and is_metrics_start(text) and (end := metrics_extent(lines, start)) is not None:
        return BlockKind.METRICS, end
    if may_be_web_line(text) and (end := web_start_extent(lines, start)) is not None:
        return BlockKind.WEB_START, end
    if at_start and text[:3] == "IP " and (end := service_list_extent(lines, start)) is not None:
        return BlockKind.SERVICES, end
    if at_start and may_be_install_line(text) and (end := install_script_extent(lines, start)) is not None:
        return BlockKind.INSTALL_SCRIPT, end
    if may_be_k3s_vpn_line(text) and (end := k3s_vpn_extent(lines, start)) is not None:
        return BlockKind.K3S_VPN, end
    return None


_MAX_LIST_LOOKAHEAD = 8


def _service_record_block(lines: list[SourceLine], start: int, command: str | None) -> tuple[Block, int] | None:
    """A service manager's record of tailscaled opening at ``lines[start]``, as a log block of one line read as what it
    says (events.py), and the index of its last line: `brew services info tailscale` (the name line and its field
    lines; --json's array), `docker inspect`'s array when the OOM killer ended a Tailscale container."""
    head = lines[start]
    if head.text != "[":
        end = start
        while (
            end + 1 < len(lines) and end - start < _MAX_INFO_FIELDS and lines[end + 1].text.startswith(BREW_INFO_FIELDS)
        ):
            end += 1
        message = brew_service_info_message(head.text, [line.text for line in lines[start + 1 : end + 1]])
        return None if message is None else (Block(BlockKind.DAEMON_LOG, (head._replace(text=message),), command), end)
    close = _json_end(lines, start, "[]")
    if close is None:
        return None
    chunk = lines[start : close + 1]
    oom_line = next((line for line in chunk if line.text.startswith('"OOMKilled": true')), None)
    info_line = next((line for line in chunk if line.text.startswith('"service_name": "homebrew')), None)
    if oom_line is None and info_line is None:
        return None
    document = parse_pasted_json("\n".join(x.text for x in chunk))
    if oom_line is not None and (message := docker_oom_kill(document)) is not None:
        return Block(BlockKind.DAEMON_LOG, (oom_line._replace(text=message),), command), close
    if info_line is not None and (message := brew_service_info_json(document)) is not None:
        return Block(BlockKind.DAEMON_LOG, (info_line._replace(text=message),), command), close
    return None


_MAX_INFO_FIELDS = len(BREW_INFO_FIELDS)


def _k3s_up_error(lines: list[SourceLine], at: int, command: str | None) -> Block:
    """k3s's "tailscale up failed: <output>" at ``lines[at]`` read as the CLI's error: the output the record relays
    (its lines escaped in the quoted message, relayedoutput.py) as the CLI printed it, or the line itself."""
    if may_relay_output(lines[at].text) and (relayed := _relayed_cli_answer(lines, at)) is not None:
        return Block(_WINDOWS, relayed.lines, command, relayed=True)
    return Block(_WINDOWS, (lines[at],), command)


def _json_list_view(lines: list[SourceLine], start: int, command: str | None) -> Block | None:
    """`switch --list --json`'s or `service list --json`'s array opening at ``lines[start]``: under its command, or
    (a bare "[") when one of its next lines names an account or a Service."""
    if lines[start].text == "[" and not any(
        '"account"' in line.text or '"Name": "svc:' in line.text
        for line in lines[start + 1 : start + _MAX_LIST_LOOKAHEAD]
    ):
        return None
    end = _json_end(lines, start, "[]")
    if end is None:
        return None
    chunk = lines[start : end + 1]
    document = parse_pasted_json("\n".join(x.text for x in chunk))
    kind = json_view_kind(document)
    if kind is not BlockKind.SWITCH_LIST and kind is not BlockKind.SERVICES:
        return None
    return Block(kind, tuple(chunk), command, document)


def _relayed_cli_answer(lines: list[SourceLine], start: int) -> RelayedOutput | None:
    """The CLI's output relayed in a quoted field of a record starting at ``lines[start]`` that nothing else reads
    (or reads as a CLI error: then only its first relayed line was), when one of its lines is the CLI's."""
    relayed = relayed_cli_output(lines, start)
    if relayed is None or classify_line(lines[start].text, False) not in (None, BlockKind.WINDOWS):
        return None  # (a tailscaled log line, a status row…: its own reader knows its escapes)
    if not any(relayed_state(each.text) is not None or is_windows_error_line(each.text) for each in relayed.lines):
        return None
    return relayed


# The first words of curl's, wget's and PowerShell's download errors (cli_catalog/installer.py reads them).
_BARE_DOWNLOAD_ERRORS = ("curl: (", "wget: ", "Resolving ", "Connecting to ", "Invoke-WebRequest")


def _service_line_on_tailscale(text: str) -> bool:
    """A journald/syslog line naming Tailscale (the service stopped for an update, tailscaled's own)."""
    return "ailscale" in text and message_of(text).form == "journald"


# An install script's own log prefix ("[2025-06-13 13:25:31] [ERROR] "): its time is a timestamp tailscaled's
# grammar strips, the level tag in brackets is the script's (tailscaled's log has none).
_SCRIPT_LEVEL_TAG = re.compile(r"^\[(?:TRACE|DEBUG|INFO|NOTICE|WARN(?:ING)?|ERROR|FATAL)\] ")


def _bare_download_error(text: str) -> bool:
    """A download tool's error naming a Tailscale host, under no log prefix (or an install script's own)."""
    if "tailscale.com" not in text or not any(word in text for word in _BARE_DOWNLOAD_ERRORS):
        return False
    message = message_of(text)
    return message.text == text or (message.process is None and _SCRIPT_LEVEL_TAG.match(message.text) is not None)


# The tail of a soft-wrapped status row: what a status cell holds after a space (`rx 5683896`, `tx 9 rx 2`, an
# endpoint, `node-ip:41641;` as redacted, `"fra", tx …`, `exit node; direct …`, `last seen 5d ago`), or the
# rest of a pong (`in 23ms`, `10ms`, `via …`, `DERP(tok) in 741ms`).
_ROW_TAIL = re.compile(
    r'^(?:(?:(?:tx|rx)\s+)?\d+(?:\s+rx\s+\d+)?\s*$|"[^"\s]*"[;,]|(?:relay|direct|peer-relay|exit node|offers exit node'
    r"|offline|last seen|seen|ago|node|\d+[smhd]\s+ago)(?=[;,\s]|$)|[^\s:]\S*:\d+[;,]?(?:\s|$)"
    r"|(?:in\s+)?[\d.]+[mµu]?s$|via\s|DERP\(|peer-relay\()"
)
_MAX_ROW_PIECES = 3
_CELL_HEAD = re.compile(r"^(?:active|idle|offline|online|-)(?:[;,]|\s*$)")
# the OS column and the whole cell, wrapped together when the row was cut right after its owner
_OS_CELL_HEAD = re.compile(
    r"^(?i:" + "|".join(sorted((re.escape(o) for o in KNOWN_OS if o not in ("", "-")), key=len, reverse=True)) + r")"
    r"\s+(?:active|idle|offline|online|-)(?:[;,]|\s*$)"
)


def _may_start_row(text: str) -> bool:
    """A line that may be the head of a soft-wrapped status row or pong (cheap: most prose fails at once)."""
    first = text[0]
    return (first == "p" and text.startswith("pong from ")) or (
        (first == "1" or first == "f" or first == "F") and _STATUS_ROW_HOST.match(text) is not None
    )


def _row_head_in_table(text: str) -> bool:
    """Inside a status table, a row whose first column is blank (a Headscale or logged-out peer without an
    address: `alivpn  kovacs  linux`) or a whole address of a custom prefix, cut right after its OS column or
    inside its status cell (`… windows active; relay "headscale"; offline, tx`: the counts went to the next line);
    any row cut right after its OS column."""
    words = text.split()
    if len(words) >= 3 and words[-1] != "-" and words[-1].lower() in KNOWN_OS:
        # cut right after its OS column, whatever its address (redacted: `100.a;b;c`, `100.x.y.z`) and whatever the
        # poster typed before it (`(subnet router to …) 100.a;b;c  host  owner@ linux`): the join must read as a row
        return True
    # the OS is the third column when the address column is blank, the fourth after an address
    for os_at in (2, 3):
        if len(words) <= os_at or words[os_at] == "-" or words[os_at].lower() not in KNOWN_OS:
            continue
        if os_at == 3 and not (words[0].replace(".", "").isdigit() or ":" in words[0]):
            continue
        cell = " ".join(words[os_at + 1 :])
        if not cell or _CELL_HEAD.match(cell) is not None:
            return True
    return False


def _soft_wrapped_row(
    lines: Sequence[SourceLine], index: int, text: str, kind: BlockKind | None
) -> tuple[BlockKind, str, int] | None:
    """(kind, joined text, next index) of a row or pong whose tail the paste wrapped onto the next lines."""
    joined, end = text, index
    while end < len(lines) and end - index < _MAX_ROW_PIECES - 1:
        piece = lines[end]
        if not piece.text or piece.command is not None:
            break
        # a row's head cut right after its name (`100.69.57.42  host`) takes any one piece that makes it a row
        open_head = kind is None and end == index and not text.startswith("pong from ")
        if not open_head and _ROW_TAIL.match(piece.text) is None:
            break
        # the whole status cell, wrapped (with the OS column before it when the cut came after the owner)
        cell = open_head and (_CELL_HEAD.match(piece.text) is not None or _OS_CELL_HEAD.match(piece.text) is not None)
        # status never prints an address and a name alone: after such a head, the piece is its rest even when it
        # reads as a row of its own (a long owner column, `https://… linux idle, tx 1052 rx 860`, looks addressless)
        rest = cell or (open_head and len(text.split()) == 2)
        if _may_start_row(piece.text) or (open_head and not rest and classify_line(piece.text, False) is not None):
            break  # the next row or pong, or a line of its own: no tail
        joined, end = f"{joined} {piece.text}", end + 1
    if end == index:
        return None
    joined_kind = classify_line(joined, False)
    if joined_kind is None or (kind is not None and joined_kind is not kind):
        return None
    return joined_kind, joined, end


# Cached: split_input asks about a line of prose quoting inline code twice (_quoted_cli_answer, then its own turn),
# and the soft-wrap joins ask about the lines around a seam again; a small cache is all those repeats need.
@lru_cache(maxsize=64)
def classify_line(text: str, in_netcheck: bool) -> BlockKind | None:
    """The output kind a single line belongs to, or None (a pure function of its arguments)."""
    first = text[0]
    # Dispatch on the first character: netcheck bullets and region lines are the bulk of big pastes.
    if first == "*" and is_netcheck_line(text):
        return _NETCHECK
    if first == "-" and in_netcheck and is_region_line(text):
        return _NETCHECK
    if first != "*" and is_netcheck_line(text):
        return _NETCHECK
    if is_ping_line(text):
        return BlockKind.PING
    # What `tailscale status` and the CLI print, bare, before tailscaled's log claims the message inside:
    # a health message (bulleted, or pasted without its bullet) and the CLI's own "backend error: …" and
    # "500 Internal Server Error: …" (a LocalAPI answer, bare or in inline code; tailscaled's own log lines
    # carry a prefix and no backtick).
    if first in "#nYUTE-" and (first == "#" or bare_health(text) is not None) and is_status_line(text):
        return _STATUS
    if (
        (first == "b" and text.startswith("backend error: "))
        or (first == "5" and text.startswith("500 Internal"))
        or ("500 Internal Server Error: " in text and _LOCALAPI_500.match(text) is not None)
        or text.endswith(": unrecognized service")  # sysvinit's "tailscaled: …", not tailscaled's log
        # `tailscale ssh`'s ProxyCommand (`… nc <host> <port>`) run by a binary answering as tailscaled,
        # under the CLI's Go log stamp: the CLI's failure, though the words name the daemon
        or ('non-flag arguments: ["nc" ' in text)
        # Synology's configure-host naming the package's daemon binary it did not find
        or (first == "t" and text.startswith("tailscaled binary not found at "))
        # the GitHub Action's verdict that tailscaled's LocalAPI never answered (src/main.ts waitForDaemonReady)
        or (first == "t" and text.startswith("tailscaled daemon did not become ready"))
        # tsnet's Up returning the backend's error to the embedding program (tsnet/tsnet.go "tsnet.Up: backend: %s",
        # printed by the program's own log.Fatal): the app's refusal (an auth key control rejected), whatever
        # words of tailscaled's log ("invalid key") it holds
        or "tsnet.Up: backend: " in text
        # control refusing a credential that is not a node auth key (an OAuth client secret, an API token: "key
        # cannot be used for node auth: {KeyCapabilityBits(…) [tags]}"), however logged ("Received error: …" in
        # tailscaled's or tsnet's log, inside a zap/logrus/slog JSON "msg", the brace cut or not): the node's login
        # was refused (auth-key-rejected), not control unreachable, which tailscaled's "Received error:" reads
        or "cannot be used for node auth" in text
        # tsnet's ListenTLS refusing for want of a certificate domain, the same way (tsnet/tsnet.go)
        or "tsnet: you must enable " in text
        # a download tool's own error on Tailscale's package server, bare (the install script, the GitHub Action's
        # curl step, a Dockerfile): the install failing before tailscaled exists, though tailscaled's log reads
        # the same words when its own updater runs the download (a line under a log prefix: not this test)
        or _bare_download_error(text)
        # systemctl's answer that tailscaled's start job failed ("Job for tailscaled.service failed because …"): the
        # CLI's service-not-running, that engine.py also reads as systemd's verdict in a log of its own
        or (first == "J" and text.startswith("Job for "))
    ) and is_windows_error_line(text):
        return BlockKind.WINDOWS
    if is_daemon_log_line(text):
        return BlockKind.DAEMON_LOG
    if first == "j" and is_gron_status_line(text):
        return _STATUS
    if is_windows_error_line(text):
        return BlockKind.WINDOWS
    if is_status_line(text):
        return _STATUS
    if is_os_ping_line(text):
        return BlockKind.OS_PING
    if is_route_lookup_line(text):
        return BlockKind.ROUTE_LOOKUP
    return None


def _tail_kind(kind: BlockKind | None, current_kind: BlockKind, text: str, service_status: bool) -> BlockKind | None:
    """``kind`` for a line under an open tailscaled log or CLI-error block (``current_kind``): the lines that go on
    one only when it is open above them, taken into it."""
    if current_kind is _DAEMON_LOG:
        if kind is None and text[:2] == "\u2591\u2591":
            return _DAEMON_LOG  # journalctl -x's catalog text explaining the journal line above: the journal's
        if kind is None and service_status and is_service_status_field(text):
            return _DAEMON_LOG  # a field of the unit's status under its header (systemctl/herd status)
        if kind is None and is_embedder_fatal_line(text):
            return _DAEMON_LOG  # the embedding program's logrus "FATA[…]" exit closing its tailscale log
        return kind
    if current_kind is not _WINDOWS:
        return kind
    if (
        kind is None
        and (
            continues_up_refusal(text)  # the rest of a multi-line `tailscale up` refusal
            # the command serve's legacy-syntax refusal suggests (serve_legacy_syntax)
            or is_suggested_translation(text)
            # ssh's own closing line under the SSH server's refusal: one answer
            or (text[:11] == "Connection " and _SSH_CLIENT_CLOSED.match(text) is not None)
            or ("See http" in text and _KB_LINK.match(text) is not None)  # the KB link closing the message above
            # the second line of systemctl's "Job for tailscaled.service failed …"
            or (text[:4] == "See " and _SYSTEMD_SEE.match(text) is not None)
            # the "(expected 200)" tail of the LocalAPI error above
            or (text[:10] == "(expected " and _EXPECTED_STATUS.match(text) is not None)
        )
    ):
        return _WINDOWS
    if (kind is None or kind is _DAEMON_LOG) and text[:1] in ("E", "S", "V", "(") and _WINDOWS_DIALOG_TAIL.match(text):
        return _WINDOWS  # the rest of a Windows dialog about the Tailscale service (its error code, its version)
    if text[:7] in ("LogID: ", "logid: ", "LogId: "):
        # The Windows GUI's error box ends with the node's log ID ("Tailscale Error / … / LogID: <hex>"):
        # part of the message box, not a tailscaled log (whose own LogID line carries its log stamp).
        return _WINDOWS
    return kind


def _soft_wrapped_cli_error(
    lines: list[SourceLine], line: SourceLine, text: str, index: int
) -> tuple[SourceLine, int] | None:
    """``line`` (its text ``text``) joined with the next one or two lines into a CLI error, and the index after them;
    or None: no error starts there."""
    # A CLI error soft-wrapped by a chat or issue editor (at spaces, so the pieces join with one):
    # only two or three lines together say what it is, and the last piece is not an error by itself.
    # A console's hard wrap (a line exactly 80 columns wide) cuts anywhere, mid-word or at a space
    # that the cleaning then strips: try both.
    gaps = ("", " ") if console_wrapped(line) else (" ",)
    for gap in gaps:
        joined = text
        # whether the joined text may hold an error word: known from each line and seam, without
        # scanning the joined text (windows.error_word_head_in): most lines of prose hold none
        may_hold_error = error_word_head_in(text)
        for extra in range(index, min(index + 2, len(lines))):
            piece = lines[extra].text
            # a real prompt starts something new; a piece that merely starts with "tailscale up"
            # (read as a command typed without a prompt) may be the rest of the message
            prompt = lines[extra].command is not None and piece != lines[extra].command
            if not piece or prompt or is_windows_error_line(piece):
                break
            may_hold_error = may_hold_error or error_word_head_in(piece) or error_word_head_across(joined, gap, piece)
            joined = f"{joined}{gap}{piece}"
            if may_hold_error and is_windows_error_line(joined):
                return line._replace(text=joined), extra + 1
    return None


def split_input(text: str, ansible_host: str | None = None) -> SplitInput:
    """Split a paste into typed blocks, skipped-line runs and context (``whoami``); in an Ansible run, the
    Tailscale commands of ``ansible_host`` (else its first host running one)."""
    split = split_lines(text)
    ansible = read_ansible_run(split) if looks_like_ansible_run(text) else None
    if ansible is not None:
        ansible_host = ansible_host or next(iter(ansible.hosts), None)
        split = ansible_transcript(split, ansible, ansible_host)
    as_split = tuple(split)  # before the passes below change it: SplitInput.lines
    lines = unflatten_state_answers(text, split)
    reattach_detached_output(lines)  # a detached program's output after the next prompt is its, not a command
    blocks: list[Block] = []
    skipped: list[SkippedRun] = []
    current: list[SourceLine] = []
    current_hints: list[LineHint] = []
    current_kind: BlockKind | None = None
    current_command: str | None = None
    block_command: str | None = None
    seen_keys: set[str] = set()
    pending_skip: list[SourceLine] = []
    skip_reason = ""
    whoami: SourceLine | None = None
    admin_member: bool | None = None
    elevated: bool | None = None
    successes: list[SourceLine] = []
    prompts: list[SourceLine] = []
    own_addresses: set[str] = set()
    tailnet_hosts: set[str] = set()
    ip_command: bool | None = None  # the last prompt ran `tailscale ip`: bare (True) or naming a peer (False)
    peer_lookup_command = False  # the last prompt ran `tailscale ip/whois/file cp/nc`: not a ping
    exit_node_list = False  # the last prompt ran `tailscale exit-node list`, or its header was seen
    switch_list = False  # the last prompt ran `tailscale switch --list`
    command_answers = False  # a line under the last prompt may be a CLI error only as its answer (is_command_answer)
    ts2021_typed = False  # the last prompt ran `tailscale debug ts2021`
    login_server_named = False  # the last prompt ran `tailscale up/login --login-server=…`
    status_typed = False  # the last prompt ran `tailscale status`
    gui_started = False  # the last prompt started the Tailscale GUI (its start-up fatal is its answer)
    command_output_lines = 0
    in_cli_panic = False  # inside the goroutine trace under a CLI panic
    cli_crash_line = 0  # the number of a line that opens the CLI's own crash (right after its ts2021 trace)
    health_wrap = 0  # the terminal width a status health item was cut at (0: the last item was not cut)
    last_piece_width = 0
    # the physical lines of the last health item (its head, which a re-wrap may have joined already, then its
    # pieces): joined again as each piece comes, since a later piece's width tells a terminal's cut from a re-wrap
    health_pieces: list[SourceLine] = []
    health_head_soft = False
    # the printed width of a health item (or its last piece) left mid-sentence at any width: a chat client or a
    # narrow text box may have wrapped it at a space, shown by the next line's first word not fitting (0: none)
    health_open = 0
    # blank lines allowed between the pieces: 1 where the paste has a blank after every line (CRLF line ends
    # converted twice), seen as a blank between "# Health check:" and its first item, which never has one
    health_gaps_allowed = health_gaps = 0
    service_status = False  # the log block began with a service manager's status of the unit

    def close_block() -> None:
        nonlocal current, current_kind, seen_keys
        if current and current_kind is not None:
            hints = tuple(current_hints) if current_kind is _NETCHECK else ()
            blocks.append(  # build_frozen: one Block per report (gain: models.build_frozen)
                build_frozen(
                    Block,
                    {
                        "kind": current_kind,
                        "lines": tuple(current),
                        "command": block_command,
                        "json_document": None,
                        "log_form": False,
                        "hints": hints,
                        "daemon_version": None,
                        "pasted": (),
                        "relayed": False,
                    },
                )
            )
        current, current_kind, seen_keys = [], None, set()
        current_hints.clear()

    def flush_skip() -> None:
        nonlocal pending_skip
        if pending_skip:
            skipped.append(SkippedRun(tuple(pending_skip), skip_reason))
        pending_skip = []

    def add_cli_error_line(line: SourceLine) -> None:
        """Put ``line`` in a CLI-error block under the current command (windows.py reads it), opening one."""
        nonlocal current_kind, block_command
        flush_skip()
        if current_kind is not _WINDOWS:
            close_block()
            current_kind, block_command = _WINDOWS, current_command
        current.append(line)
        current_hints.append(None)

    def skip(line: SourceLine, reason: str) -> None:
        nonlocal skip_reason
        if pending_skip and reason != skip_reason:
            flush_skip()
        skip_reason = reason
        pending_skip.append(line)

    last_text_index = len(lines) - 1
    while last_text_index >= 0 and not lines[last_text_index].text:
        last_text_index -= 1
    context: str | None = None  # what the last prompt's command was, computed once per prompt
    # the width the paste was re-wrapped at around a line (a paste may mix wrapped and unwrapped parts), per
    # stretch of _WIDTH_STRETCH lines, measured over it and its neighbours once a log line needs it
    widths: dict[int, int | None] = {}

    def paste_width() -> int | None:
        stretch = index // _WIDTH_STRETCH
        if stretch not in widths:
            around = lines[max(0, (stretch - 1) * _WIDTH_STRETCH) : (stretch + 2) * _WIDTH_STRETCH]
            widths[stretch] = wrap_width(around)
        return widths[stretch]

    no_json_before = 0
    no_portmap_before = 0
    # the "Code: <warnable>" lines closing a health warning copied from the desktop app, in order
    # (is_code_line's own cheap test inlined: this runs once per line of the paste)
    warning_code_lines = (
        [i for i, each in enumerate(lines) if "Code:" in each.text[:9] and is_code_line(each.text)]
        if "Code:" in "\n".join(map(_TEXT_FIELD, lines))  # one C-level scan first: most pastes hold none
        else []
    )
    line_count = len(lines)
    index = 0
    while index < line_count:
        line = lines[index]
        index += 1
        text = line.text
        quoted_in_prose = False  # the line is what a sentence quoted: the quote marks ended it, nothing wraps on
        if not text and line.command is None:
            health_gaps += 1  # a cut health item continues on the very next line (see health_gaps_allowed)
            if health_gaps > health_gaps_allowed:
                health_wrap = health_open = 0
            continue
        if line.command is not None:
            bare = text in (line.command, f"> {line.command}")  # no shell prompt (or a markdown quote's)
            if current_kind is _WINDOWS and bare and continues_up_refusal(line.command):
                current.append(line)  # the command a `tailscale up` refusal suggests, printed without a prompt
                current_hints.append(None)
                continue
            close_block()
            flush_skip()
            in_cli_panic = False
            current_command = line.command
            prompts.append(line)
            (
                context,
                ip_command,
                peer_lookup_command,
                exit_node_list,
                switch_list,
                command_answers,
                ts2021_typed,
                login_server_named,
                status_typed,
            ) = _typed_command_facts(current_command)
            command_output_lines = 0
            gui_started = starts_gui(current_command)
            if bare or not is_windows_error_line(text):
                continue
            # the command's output glued onto its prompt's line (a page that lost the line break: "$ sudo
            # systemctl start tailscaled Job for tailscaled.service failed …"): the line is its output too
        command_output_lines += 1
        if in_cli_panic and _GO_TRACE.match(text):
            current.append(line)  # the CLI's goroutine trace: part of its panic, not a tailscaled log
            current_hints.append(None)
            continue
        in_cli_panic = False
        if (
            (health_wrap or health_open)
            and current_kind is _STATUS
            and text[0] != "#"
            and _health_item_goes_on(
                current[-1].text, bool(health_wrap) and last_piece_width == health_wrap, health_open, line, paste_width
            )
        ):
            # the rest of a health item the terminal cut (anywhere: mid-word, or at a space the line lost), or
            # that a chat client re-wrapped at a space
            health_pieces.append(line)
            item = _health_item_text(health_pieces, health_head_soft)
            current[-1] = current[-1]._replace(text=item)
            last_piece_width = _printed_width(line)
            health_open = last_piece_width if text[-1] not in ".!?)" or _unbalanced(item) else 0
            health_gaps = 0
            continue
        health_wrap = health_open = 0
        first = text[0]
        # Fast path for the bulk of big pastes: bullet and region lines inside a netcheck block (first: no check
        # below it takes a line that starts with "-" or "*" before the general path, so it skips them all).
        if current_kind is _NETCHECK and (context is None or context == "tailscale"):
            region = region_hint(text, line) if first == "-" else None
            # the v1.0/v0.98 layout ("- 1, nyc = 299.6ms") as the general path takes it: no hint, the parser reads it
            if region is not None or (first == "-" and _FAST_KEYED_REGIONS and is_keyed_region_line(text)):
                if pending_skip:
                    flush_skip()
                current.append(line)
                current_hints.append(region)
                # Region lines come in runs of 10-30: take the run in a tight loop.
                while index < line_count:
                    following = lines[index]
                    following_text = following.text
                    # region_hint's common case, inlined: this line runs for every region line (a match starts
                    # with "-": the test below is for the other lines only).
                    plain = match_plain_region(following_text)
                    if plain is not None:
                        code, latency, name = plain.groups()
                        # tuple.__new__ skips the NamedTuple's Python-level __new__ (as text.split_lines does)
                        region = _new_tuple(DerpLatency, (code, name.strip(), float(latency), None, following, False))
                    else:
                        if following_text[:1] != "-":
                            break
                        region = region_hint(following_text, following)
                        if region is None and not (_FAST_KEYED_REGIONS and is_keyed_region_line(following_text)):
                            break
                    current.append(following)
                    current_hints.append(region)
                    index += 1
                continue
            if first == "*":
                # "* Key: value" split once here; the partition is the parser's hint (key, ":", value).
                bullet = text[2:].partition(":") if text[1:2] == " " else None
                key: str | None
                hint: LineHint
                if bullet is not None and bullet[1] and bullet[0] in KEY_SET:
                    key, hint = bullet[0], bullet
                else:  # "*  UDP : true" and other spacing: the general helper strips the key
                    key = hint = bullet_key(text)
                if key is not None:
                    if pending_skip:
                        flush_skip()
                    if key in seen_keys:  # a repeated field starts the next report
                        close_block()
                        current_kind, block_command = _NETCHECK, current_command
                    seen_keys.add(key)
                    current.append(line)
                    current_hints.append(hint)
                    # Bullets come in runs of 8-12: take the plain ones that follow in a tight loop, as the loop
                    # above would (a repeated field, other spacing or anything else goes back to it).
                    run_start = index
                    while index < line_count and _FAST_BULLET_RUN:
                        following = lines[index]
                        if following.text[:2] != "* " or following.command is not None:
                            break
                        bullet = following.text[2:].partition(":")
                        key = bullet[0]
                        if not bullet[1] or key not in KEY_SET or key in seen_keys:
                            break
                        seen_keys.add(key)
                        current.append(following)
                        current_hints.append(bullet)
                        index += 1
                    command_output_lines += index - run_start
                    continue
            if (
                (first == "\u2026" or (first == "." and len(text) >= 3))
                and not text.strip(first)
                and not warning_code_lines
                and _FAST_REPORT_ELISION
                and _report_elision_is_inert(lines, line, index, current_command)
            ):
                # The poster's elision inside a report ("……", "..."): the general path drops it (_NOISE) after some
                # forty tests, of which only the ones _report_elision_is_inert repeats can take it.
                continue
        if (
            text == "Report:"
            and (current_kind is _NETCHECK or current_kind is None)
            and (context is None or context == "tailscale")
            and _FAST_REPORT_HEADER
            and _report_header_is_plain(
                lines,
                index,
                switch_list or ts2021_typed or gui_started,
                command_answers,
                current_command,
                command_output_lines,
            )
        ):
            # A netcheck report's header (one per report: 10,000 in a 10,000-report paste). The general path below
            # reads it as netcheck too after some thirty tests, of which only the ones _report_header_is_plain
            # repeats can take "Report:" (tests/diagnose/test_fast_paths.py); what it then does is this.
            if pending_skip:
                flush_skip()
            if current_kind is _NETCHECK and not all(is_portmap_line(c.text) for c in current):
                close_block()  # the port mapper logs before "Report:": the same run, not another report
            if current_kind is not _NETCHECK:
                close_block()
                current_kind, block_command, service_status = _NETCHECK, current_command, False
            current.append(line)
            current_hints.append(None)
            continue
        # the tests below that can take only a line starting with certain characters (_TESTS_BY_FIRST)
        if _DISPATCH_BY_FIRST:
            may_take = _TESTS_BY_FIRST.get(first)
            if may_take is None:
                may_take = _tests_for_first(first)
        else:
            may_take = _EVERY_TEST
        if first == "E" and UPDATE_EXTRACTING.match(text) and _crash_follows(lines, index):
            close_block()
            flush_skip()
            current_kind, block_command, in_cli_panic = _WINDOWS, current_command, True
            current.append(line)  # the update's progress line: what the CLI was doing when it crashed
            current_hints.append(None)
            continue
        if (first == "p" or first == "f" or first == "S") and (
            is_cli_panic_start(text, current_command)
            or (
                GO_CRASH_START.match(text) is not None
                and (line.number == cli_crash_line or panic_trace_in_cli(lines, index))
            )
        ):
            close_block()
            flush_skip()
            current_kind, block_command, in_cli_panic = _WINDOWS, current_command, True
            current.append(line)
            current_hints.append(None)
            continue
        if (
            warning_code_lines
            and index - 1 >= warning_code_lines[0] - WARNING_LOOKAHEAD
            and (warning_end := gui_health_warning_extent(lines, index - 1)) is not None
        ):
            close_block()  # the desktop app's health warning: title, text, "Code: <warnable>", read whole
            flush_skip()
            blocks.append(Block(_WINDOWS, tuple(lines[index - 1 : warning_end + 1]), current_command))
            index = warning_end + 1
            while warning_code_lines and warning_code_lines[0] < index:
                warning_code_lines.pop(0)
            continue
        while warning_code_lines and warning_code_lines[0] < index:
            warning_code_lines.pop(0)
        if first == "U" and (box_end := gui_setup_box_extent(lines, index - 1)) is not None:
            close_block()  # the Windows GUI's setup error box: its error and the walk stack under it, read whole
            flush_skip()
            blocks.append(Block(_WINDOWS, tuple(lines[index - 1 : box_end + 1]), current_command))
            index = box_end + 1
            continue
        if (
            may_take & _T_DNS_STATUS
            and is_dns_status_start(text)
            and (dns_end := dns_status_extent(lines, index - 1)) is not None
        ):
            close_block()  # `tailscale dns status`: read whole (its lines would otherwise be skipped as prose)
            flush_skip()
            successes.append(line)  # tailscaled answered it
            blocks.append(Block(BlockKind.DNS_STATUS, tuple(lines[index - 1 : dns_end + 1]), current_command))
            index = dns_end + 1
            continue
        if (
            may_take & _T_LOCK_STATUS
            and is_lock_status_start(text)
            and (lock_end := lock_status_extent(lines, index - 1)) is not None
        ):
            close_block()  # `tailscale lock status`: read whole (its lines would otherwise be skipped as prose)
            flush_skip()
            successes.append(line)  # tailscaled answered it: a "not running" error before it was outlived
            blocks.append(Block(BlockKind.TAILNET_LOCK, tuple(lines[index - 1 : lock_end + 1]), current_command))
            index = lock_end + 1
            continue
        if text[:3] == "IP " and (exit_end := exit_node_list_extent(lines, index - 1)) is not None:
            close_block()  # `tailscale exit-node list`: its table and hints, read whole
            flush_skip()
            successes.append(line)  # tailscaled answered it
            blocks.append(Block(BlockKind.EXIT_NODE_LIST, tuple(lines[index - 1 : exit_end + 1]), current_command))
            index = exit_end + 1
            continue
        if may_relay_output(text) and (relayed := _relayed_cli_answer(lines, index - 1)) is not None:
            # another program's log record relaying the CLI's output in a quoted field (relayedoutput.py): the CLI's
            # lines, unescaped, are its answer (findings quote them so, by the pasted line each starts on: the
            # record's own lines hold them escaped and cut)
            close_block()
            flush_skip()
            blocks.append(Block(_WINDOWS, relayed.lines, current_command, relayed=True))
            index = relayed.end + 1
            continue
        if (
            may_take & _T_CURL_ANSWER
            and may_start_answer(text)
            and (curl_answer := localapi_curl_answer(lines, index - 1, current_command)) is not None
        ):
            # tailscaled's LocalAPI refusing a request made by hand with curl -v / -i: read as the CLI's error. The
            # transcript's earlier lines (curl's notes, the request, a command line no prompt marked) are its own,
            # wherever the lines before them put them
            transcript = lines[curl_answer.first].number
            while current and current[-1].number >= transcript:
                current.pop()
                current_hints.pop()
            close_block()
            pending_skip = [skipped_line for skipped_line in pending_skip if skipped_line.number < transcript]
            flush_skip()
            answer_lines = (curl_answer.answer, *curl_answer.rest)
            blocks.append(
                Block(
                    _WINDOWS,
                    answer_lines,
                    current_command,
                    daemon_version=curl_answer.daemon_version,
                    pasted=(curl_answer.pasted,),
                )
            )
            index = curl_answer.end + 1
            continue
        if (
            view := _text_view(lines, index - 1, current_command, switch_list, bool(may_take & _T_TEXT_VIEW))
        ) is not None:
            close_block()  # version, whois/whoami, switch --list, exit-node suggest: read whole
            flush_skip()
            view_kind, view_end = view
            if view_kind not in (BlockKind.VERSION, BlockKind.CLI_USAGE, BlockKind.K3S_VPN):
                successes.append(line)  # tailscaled answered it (the version and help text need no daemon)
            view_lines = tuple(lines[index - 1 : view_end + 1])
            blocks.append(Block(view_kind, view_lines, current_command))
            if view_kind is BlockKind.K3S_VPN and (k3s_errors := parse_k3s_vpn(view_lines).cli_errors):
                blocks.append(_k3s_up_error(lines, index - 1 + view_lines.index(k3s_errors[0]), current_command))
            index = view_end + 1
            continue
        if (
            text[0] == "["
            and (switch_list or text == "[")
            and (listed := _json_list_view(lines, index - 1, current_command))
        ):
            close_block()  # `switch --list --json`: the profiles as a JSON array
            flush_skip()
            successes.append(line)
            blocks.append(listed)
            index = index - 1 + len(listed.lines)
            continue
        if (text == "[" or (may_take & _T_BREW_INFO and is_brew_service_info_head(text))) and (
            read := _service_record_block(lines, index - 1, current_command)
        ) is not None:
            # `docker inspect` of a Tailscale container the OOM killer ended, `brew services info tailscale` (text or
            # --json): what the service manager says of tailscaled's run, as one log line
            close_block()
            flush_skip()
            blocks.append(read[0])
            index = read[1] + 1
            continue
        if text[0] in "#|htAT" and is_serve_status_start(text) and (serve_end := serve_status_extent(lines, index - 1)):
            close_block()  # `tailscale serve status` / `funnel status`: its tree, read whole
            flush_skip()
            successes.append(line)  # tailscaled answered it
            blocks.append(Block(BlockKind.SERVE_STATUS, tuple(lines[index - 1 : serve_end + 1]), current_command))
            index = serve_end + 1
            continue
        if (
            # the cheap test first (every line meets it): words of the lines a trace can start at untyped
            (
                ts2021_typed
                or "Fetching keys from " in text
                or "controlhttp.Dial = " in text
                or "noise handshake" in text
            )
            and is_ts2021_start(text, current_command)
            and (ts_end := ts2021_extent(lines, index - 1, current_command)) is not None
        ):
            close_block()  # `tailscale debug ts2021`: the CLI's own trace of the control handshake, read whole
            flush_skip()
            trace = tuple(lines[index - 1 : ts_end + 1])
            blocks.append(Block(BlockKind.DEBUG_TS2021, trace, current_command))
            if cli_errors := ts2021_cli_errors(trace):
                blocks.append(Block(_WINDOWS, cli_errors, current_command))
            if _crash_follows(lines, ts_end + 1):
                # the trace is the CLI's output, so the panic cutting it is the CLI's crash, not tailscaled's
                cli_crash_line = next(later.number for later in lines[ts_end + 1 :] if later.text)
            index = ts_end + 1
            continue
        if text[:7] == "Server " and is_relay_start(text) and (relay_end := peer_relay_extent(lines, index - 1)):
            close_block()  # `tailscale debug peer-relay-sessions`, read whole
            flush_skip()
            successes.append(line)
            blocks.append(
                Block(BlockKind.PEER_RELAY_SESSIONS, tuple(lines[index - 1 : relay_end + 1]), current_command)
            )
            index = relay_end + 1
            continue
        if (
            text[0] in "{["
            and is_netmap_command(current_command)
            and (netmap := _netmap_block(lines, index - 1, current_command))
        ):
            close_block()  # `tailscale debug netmap [| jq .Field]`: its JSON, read whole
            flush_skip()
            successes.append(line)
            blocks.append(netmap)
            index = index - 1 + len(netmap.lines)
            continue
        if may_take & _T_PORTMAP_DEBUG and index > no_portmap_before and is_portmap_debug_start(text):
            portmap_end, is_portmap = portmap_debug_extent(lines, index - 1, current_command)
            if is_portmap:  # `tailscale debug portmap`: read whole (its port mapper lines are no tailscaled log)
                close_block()
                flush_skip()
                blocks.append(
                    Block(BlockKind.PORTMAP_DEBUG, tuple(lines[index - 1 : portmap_end + 1]), current_command)
                )
                index = portmap_end + 1
                continue
            no_portmap_before = portmap_end + 1  # a log's own portmapper lines: not rescanned from each one
        # Context from non-Tailscale commands that the diagnosis can use.
        if context == "whoami" and command_output_lines == 1:
            whoami = line
            continue
        if context == "net-session" and "elevated" in text.lower():
            # The common "am I elevated?" one-liner: `net session >nul 2>&1 && echo ... || echo ...`.
            elevated = "not" not in text.lower()
            continue
        if context == "whoami-groups":
            if "BUILTIN\\Administrators" in text or "S-1-5-32-544" in text:
                admin_member = True
            skip(line, f"output of `{current_command}`")
            continue
        if (
            (command_answers and is_command_answer(text, current_command))
            or (gui_started and is_gui_start_fatal(text, current_command))
            # tailscaled answering words meant for the CLI (under `tailscale …`, or alone): before the daemon log
            # reading, which takes its Go-stamped line as the daemon failing to start
            or is_daemon_answering_cli(text, current_command, current_kind is _DAEMON_LOG)
        ):
            # a line that is a CLI error only as its command's answer: `serve status --json` printing an empty
            # serve config (read by windows.py as serve-not-configured; the JSON readers below would skip it as
            # some other JSON), serve's bare "handler does not exist" (serve-failed)
            add_cli_error_line(line)
            continue
        if (text[0] == "{" or text[:2] in ('"I', '"W', '"E')) and current_kind is not _NETCHECK:
            # `tailscale debug derp <region>`: whole, cut, one member, or compact (before the JSON readers:
            # its objects are none of theirs, and its messages would otherwise read as log lines)
            derp_end = derp_check_extent(lines, index - 1)
            derp_lines = tuple(lines[index - 1 : derp_end + 1]) if derp_end is not None else ()
            if derp_end is not None and is_derp_check(derp_lines, current_command):
                close_block()
                flush_skip()
                blocks.append(Block(BlockKind.DERP_CHECK, derp_lines, current_command))
                index = derp_end + 1
                continue
        excerpt = None
        if command_output_lines == 1 and current_command is not None and "json" in current_command:
            excerpt = status_json_excerpt(current_command, lines, index - 1)
        if excerpt is None and text[0] == '"' and current_kind is not _STATUS:
            excerpt = status_json_fragment(lines, index - 1)
        if excerpt is not None:  # `status --json | jq .Health`, or a hand-cut `"Health": [ … ]`
            close_block()
            flush_skip()
            blocks.append(Block(_STATUS, tuple(lines[index - 1 : excerpt[1] + 1]), current_command, excerpt[0]))
            index = excerpt[1] + 1
            continue
        if text[0] == "{" and current_kind is not _NETCHECK and index > no_json_before:
            end = _json_end(lines, index - 1)
            if end is None:
                # No object closes within the window: do not rescan it from every following "{" line
                # (that would be quadratic on garbage full of braces).
                no_json_before = index + _MAX_JSON_LINES
                # A `status --json` paste cut off before its end still says BackendState and who
                # the node is: keep what it shows rather than skip it.
                stop = index - 1
                while stop < min(line_count, index - 1 + _MAX_JSON_LINES) and lines[stop].text:
                    stop += 1
                chunk = lines[index - 1 : stop]
                partial = truncated_status_document(chunk) if len(chunk) > 1 else None
                if partial is not None:
                    close_block()
                    flush_skip()
                    blocks.append(Block(_STATUS, tuple(chunk), current_command, partial))
                    index = stop
                    continue
            else:
                chunk = lines[index - 1 : end + 1]
                document = parse_pasted_json("\n".join(x.text for x in chunk))
                if document is None:  # notes typed into it, elisions, a wrapped string, JSON5 (debug prefs)
                    document = annotated_json_document([x.text for x in chunk])
                json_kind = (
                    _NETCHECK
                    if looks_like_netcheck_json(document)
                    else _STATUS
                    if looks_like_status_json(document)
                    else None
                )
                if json_kind is None and (peer := peer_entry_document(document)) is not None:
                    json_kind, document = _STATUS, peer  # one peer cut out of `status --json` (jq)
                if json_kind is None and (prefs := prefs_document(document, current_command)):
                    json_kind, document = BlockKind.DEBUG_PREFS, prefs  # `tailscale debug prefs` (JSON or JSON5)
                if json_kind is None and is_serve_config(document):
                    json_kind = BlockKind.SERVE_STATUS  # `serve status --json` / `funnel status --json`
                if json_kind is None and (lock := lock_status_document(document, current_command)) is not None:
                    json_kind, document = BlockKind.TAILNET_LOCK, lock  # `tailscale lock status --json`
                if json_kind is None and (policy := syspolicy_piece(document, current_command)) is not None:
                    json_kind, document = BlockKind.SYSPOLICY_LIST, policy  # `syspolicy list --json | jq .Settings…`
                if json_kind is None and netmap_piece(None, document) == "whole":
                    json_kind, document = BlockKind.DEBUG_NETMAP, ("whole", document)  # `debug netmap`, unnamed
                if json_kind is None:
                    json_kind = json_view_kind(document)  # version --json, debug hostinfo, whois --json, derp-map
                if json_kind is not None:
                    close_block()
                    flush_skip()
                    blocks.append(Block(json_kind, tuple(chunk), current_command, document))
                    index = end + 1
                    continue
                no_json_before = end + 1  # some other JSON: its inner objects are not ours either
        if may_start_stun_log_line(text) and (stun_run := stun_log_run(lines, index - 1)) is not None:
            close_block()  # netcheck's 2020 log: one line per STUN answer ("derp1…:3478 says we are ip:port")
            flush_skip()
            blocks.append(Block(_NETCHECK, stun_run[0], current_command, log_form=True))
            index = stun_run[1] + 1
            continue
        head, head_end = text, index - 1
        if text[-1] == ":" and index < line_count:
            head, head_end = f"{text} {lines[index].text}", index  # wrapped right after a stamp or a logger's name
        elif (
            text[-1].isdigit()
            and index < line_count
            and _may_hold_netcheck_log(message_line := lines[index].text)
            and not message_of(text).text
        ):
            # wrapped right after its stamps (the Windows service's two: `…-07:00: 2021/04/20 22:12:16`): the next
            # line is the message, read here before the tailscaled log takes both as one line of its own
            head, head_end = f"{text} {message_line}", index
        if _may_hold_netcheck_log(head) and is_netcheck_log_line(head):
            close_block()
            flush_skip()
            if (wrapped_end := wrapped_log_line_end(lines, head_end, head)) >= index:
                # read whole; its pieces stay lines of the paste (the tailscaled log joins them itself)
                line = line._replace(text=" ".join(x.text for x in lines[index - 1 : wrapped_end + 1]))
            blocks.append(Block(_NETCHECK, (line,), current_command, log_form=True))
            continue
        if "No DERP map from" in text and is_no_derp_map_line(text):
            # the netcheck CLI's own line: tailscaled gave it no DERP map (no netmap from control); a netcheck of
            # its own (engine.py keeps it as the caveat of a report that follows), not a line of tailscaled's log
            close_block()
            flush_skip()
            blocks.append(Block(_NETCHECK, (line,), current_command))
            continue
        if "UDP is blocked, trying " in text and is_udp_blocked_log_line(text):
            # netcheck's line when no STUN answer came back: a netcheck showing UDP blocked, and a line of the
            # tailscaled log, read below into the log block too (engine._daemon_log_blocks merges the two)
            close_block()
            flush_skip()
            blocks.append(Block(_NETCHECK, (line,), current_command, log_form=True))
        if text[:2] == "# " and (uncommented := _commented_output(text)) is not None:
            line, text = line._replace(text=uncommented), uncommented
        elif ("`" in text or _may_quote_health(text)) and (quoted := _quoted_cli_answer(text)) is not None:
            line, text = line._replace(text=quoted), quoted  # prose quoting what the CLI answered, inline
            quoted_in_prose = True
        elif (
            text.count('"') % 2
            and index < line_count
            and lines[index].text
            and lines[index].command is None
            and _may_quote_health(wrapped := f"{text} {lines[index].text}")
            and (quoted := _quoted_cli_answer(wrapped)) is not None
        ):
            # the same sentence soft-wrapped inside its quote (`… a report of "not` / `connected to home …".`)
            line, text, index = line._replace(text=quoted), quoted, index + 1
            quoted_in_prose = True
        if text[:1] != first and may_take != _EVERY_TEST:
            may_take = _tests_for_first(text[:1])  # a comment's "# " or prose's quote taken off: ask of what is left
        if text[-8:] == "Success." and _SUCCESS.match(text):
            successes.append(line)  # read by parse_windows: a CLI error before it was outlived
            if command_output_lines != 1 or cli_answer_end(lines, index - 1, current_command) is None:
                continue
            # the only thing the typed `up`/`login`/`switch`/… printed: its routine answer (clianswers.py), read below
        if ip_command is not None and _ADDRESS_ANSWER.match(text):
            if ip_command:
                own_addresses.add(text.lower())  # read by parse_windows: "no peer found with IP <own>"
            continue  # `tailscale ip` answered with an address
        if "ailnet" in text and DAEMON_ANSWER.match(text):
            successes.append(line)  # tailscaled answered a later command: it was running
            continue
        if text[:2] == "IP" and EXIT_NODE_LIST_HEADER.match(text):
            exit_node_list = True
        if "portmap: " in text and (portmap_end := wrapped_portmap_line_end(lines, index - 1, text)) >= index:
            # netcheck's port mapper line wrapped at a space: read whole (its pieces say nothing alone)
            text = " ".join([text, *(piece.text for piece in lines[index : portmap_end + 1])])
            line, index = line._replace(text=text), portmap_end + 1
        kind: BlockKind | None
        if exit_node_list and _exit_node_list_line(text):
            kind = _WINDOWS  # `exit-node list` output: a "selected but offline" row is its finding
        else:
            kind = classify_line(text, current_kind is _NETCHECK)
        if (
            kind is None
            and "computed checksum" in text
            and checksum_warning_on_tailscale(
                text,
                [
                    current_command or "",
                    *(near.text for near in lines[max(0, index - 1 - AROUND_CHECKSUM_WARNING) : index + 2]),
                ],
            )
        ):
            kind = _WINDOWS  # sha256sum's bare summary next to a Tailscale download: its install failing
        joined_head = False
        if (
            (kind is None or kind is _WINDOWS)
            and index < line_count
            and may_take & _T_HEALTH_HEAD
            and bare_health_head(text)
        ):
            # a health message pasted bare (or as a "- " bullet) re-wrapped before its distinctive words end
            # ("- The following issues on your machine will likely make" / "usage of exit nodes impossible: […");
            # cut right after "…impossible:" it reads as the head of the CLI's risk message, whose next line is
            # a "- interface …" bullet, never the folded "[interface …]" list
            for extra in range(index, min(index + 2, line_count)):
                if not lines[extra].text or lines[extra].command is not None:
                    break
                text = f"{text} {lines[extra].text}"
                if bare_health(text) is not None:
                    kind, line, index, joined_head = _STATUS, line._replace(text=text), extra + 1, True
                    break
            if not joined_head:
                text = line.text
        # a status row or a pong soft-wrapped by a mail client or a narrow text box, at a space: its tail (the
        # counts, the endpoint, the latency) is the next line, which says nothing alone
        if (
            index < line_count
            and (
                kind is _STATUS
                or (
                    kind is None
                    and (
                        (may_take & _T_ROW_HEAD and _may_start_row(text))
                        # an addressless row needs the table around it (or the command typed above its first row)
                        or ((current_kind is _STATUS or status_typed) and _row_head_in_table(text))
                    )
                )
            )
            and (joined_row := _soft_wrapped_row(lines, index, text, kind)) is not None
        ):
            kind, text, index = joined_row
            line = line._replace(text=text)
        if (
            kind is _WINDOWS
            and (current_kind is _DAEMON_LOG or any(_service_line_on_tailscale(p.text) for p in pending_skip))
            and _bare_download_error(text)
            and is_daemon_log_line(text)
        ):
            # under tailscaled's log (or a service manager's line about it, "systemd[1]: Stopped Tailscale node
            # agent."), an updater's download failing: the log's update-failed, not an install that never ran
            kind = _DAEMON_LOG
        if kind is _STATUS or kind is _OS_PING:
            named = (_STATUS_ROW_HOST if kind is _STATUS else _OS_PING_HOST).match(text)
            if named is not None:
                tailnet_hosts.update(host_names(named[1]))
        elif (
            kind is None
            and may_take & _T_SSH_FAILED
            and (ssh_host := ssh_failed_host(text)) is not None
            and tailnet_hosts.intersection(host_names(ssh_host))
        ):
            kind = _WINDOWS  # ssh to a host the paste showed on the tailnet (read by parse_windows)
        if (
            kind is None
            and text[:4] == "ssh:"
            and index < line_count
            and lines[index].text
            and lines[index].command is None
            and (ssh_host := ssh_failed_host(wrapped := f"{text} {lines[index].text}")) is not None
            and tailnet_hosts.intersection(host_names(ssh_host))
        ):
            # the same, soft-wrapped at a space ("…port 22: No route" / "to host")
            kind, line, index = _WINDOWS, line._replace(text=wrapped), index + 1
        if kind is _PING and peer_lookup_command and is_windows_error_line(text):
            kind = _WINDOWS  # `tailscale ip <name>` failing its lookup in ping's words: no ping ran
        if (kind is _DAEMON_LOG or kind is None) and index < line_count:
            # a log line broken by a console, a chat or a person: its unstamped pieces join it (and a stamped
            # line that says too little alone, "…-04:00 open-conn-track:", may be one once joined)
            joined, end = _join_log_pieces(lines, line, index, paste_width)
            if end > index and (kind is not None or is_daemon_log_line(joined)):
                kind, line, index = _DAEMON_LOG, line._replace(text=joined), end
        if kind is None and index < line_count and (wrapped_error := _soft_wrapped_cli_error(lines, line, text, index)):
            kind, (line, index) = _WINDOWS, wrapped_error
        if (
            kind is _WINDOWS
            and "additional check" in line.text  # (a soft-wrapped line was joined into line.text, not text)
            and "://" not in line.text
            and (banner := ssh_check_prompt_end(lines, index, line.text)) is not None
        ):
            # Tailscale SSH's check-mode banner: its "To authenticate, visit: <URL>" line is the SSH server's, not
            # `tailscale up`'s login prompt (this node is logged in); its lines stay in the banner's block
            # then what the session printed once the check passed (login's lines, a login or shell that failed)
            banner = session_tail_end(lines, banner + 1) - 1
            for banner_line in (line, *(each for each in lines[index : banner + 1] if each.text)):
                add_cli_error_line(banner_line)
            index = banner + 1
            continue
        if current_kind is _DAEMON_LOG or current_kind is _WINDOWS:
            # lines that go on a log or a CLI message only under one (most lines meet only these two tests)
            kind = _tail_kind(kind, current_kind, text, service_status)
        if (
            kind is None
            and may_take & _T_LOGIN_URL
            and is_login_url_line(text)
            and (
                (login_server_named and login_server_mismatch(text, current_command) is not None)
                or unroutable_login_host(text, current_command) is not None
            )
        ):
            # the login URL `up --login-server=<A>` printed is another server's, or on a host no browser elsewhere
            # opens: read by windows.py as login-server-mismatch / login-url-unroutable (loginserver.py)
            add_cli_error_line(line)
            continue
        if kind is None:
            if (answer_end := cli_answer_end(lines, index - 1, current_command)) is not None:
                # a routine answer of the CLI (clianswers.py): Tailscale's output saying the command worked, read
                # by its view (clianswerview.py); the login URL under `up`'s prompt is that prompt's, and an answer's
                # lines around the same command's failure are that failure's
                if not (
                    continues_login_prompt(text)
                    or (current_kind is BlockKind.WINDOWS and block_command == current_command)
                    or heads_a_failure(lines, answer_end)
                ):
                    flush_skip()
                    if current_kind is not BlockKind.CLI_ANSWER or block_command != current_command:
                        close_block()
                        current_kind, block_command = BlockKind.CLI_ANSWER, current_command
                    for answer_line in lines[index - 1 : answer_end + 1]:
                        if answer_line.text:
                            current.append(answer_line)
                            current_hints.append(None)
                index = answer_end + 1
                continue
            if _NOISE.match(text):
                continue
            if index >= 2 and (tail_end := auth_url_tail_end(lines, index - 2)) >= index - 1:
                index = tail_end + 1  # the rest of a login URL the terminal cut at its width: part of the URL
                continue
            if current_kind in _ELIDABLE and is_elision_line(text):
                continue  # the poster's "[snip]" amid a report: it stands for lines cut, the report goes on
            if context not in (None, "tailscale"):
                skip(line, f"output of `{current_command}`, not a Tailscale command")
            elif index - 1 >= last_text_index:
                skip(line, "not recognised (the last line, probably cut off)")
            else:
                skip(line, "not recognised")
            continue
        if pending_skip:
            flush_skip()
        if kind is _NETCHECK:
            first = text[0]
            if first == "*":
                key = bullet_key(text) or ""
            elif (first == "-" and is_region_line(text)) or is_portmap_line(text):
                key = ""  # region lines, and the port mapper's log lines, repeat within one report
            else:
                key = text.split(":", 1)[0].lstrip("*\u2022- ").strip()
            new_report = text == "Report:" or (key and key in seen_keys)
            # the port mapper logs while netcheck probes, before its "Report:": the same run, not a new one
            if current_kind is _NETCHECK and new_report and not all(is_portmap_line(c.text) for c in current):
                close_block()
            if key and text != "Report:":
                seen_keys.add(key)
        if kind is not current_kind:
            close_block()
            current_kind = kind
            block_command = current_command
            service_status = False
        if kind is _DAEMON_LOG and not service_status:
            service_status = is_service_status_header(text)
        current.append(line)
        current_hints.append(None)
        if kind is _STATUS and text.endswith(_MULTIERR_HEAD) and _HEALTH_ITEM.match(text):
            errors, after = _multierr_errors(lines, index, line)
            if errors:
                current[-1] = line._replace(text=f"{text} {'; '.join(errors)}")
                index = after
                continue
        if (
            kind is _STATUS
            and not quoted_in_prose
            and text[-1] not in ".!?)"
            and ((text[0] == "#" and _HEALTH_ITEM.match(text)) or bare_health(text) is not None)
        ):
            # an item (or a health message pasted bare) that ends mid-sentence may go on below (a finished one may
            # not); measured on its last physical line (a re-wrapped head was joined from several)
            width = _printed_width(lines[index - 1])
            health_wrap = last_piece_width = width if width >= _MIN_TERMINAL_WIDTH and not joined_head else 0
            health_open = width
            health_pieces, health_head_soft = [line], joined_head
            health_gaps = 0
            health_gaps_allowed = int(index >= 3 and not lines[index - 2].text and lines[index - 3].text[:1] == "#")
    close_block()
    flush_skip()
    return build_frozen(  # build_frozen: one per input (gain: models.build_frozen)
        SplitInput,
        {
            "blocks": tuple(blocks),
            "skipped": tuple(skipped),
            "whoami": whoami,
            "admin_member": admin_member,
            "line_count": len(as_split),
            "lines": as_split,
            "elevated": elevated,
            "successes": tuple(successes),
            "prompts": tuple(prompts),
            "own_addresses": frozenset(own_addresses),
            "tailnet_hosts": frozenset(tailnet_hosts),
            "ansible": ansible,
            "ansible_host": ansible_host if ansible is not None else None,
        },
    )


_VISIT = ("To authenticate, visit:", "visit (as admin):")  # `up`/`login`'s prompts and Tailscale SSH's check banner


def auth_url_tail_end(lines: Sequence[SourceLine], url_index: int) -> int:
    """The index of the last line of the login URL ``lines[url_index]`` ends with, when a terminal cut it at its
    width (text.url_tail_end); ``url_index`` when it is no login URL ("To authenticate, visit:" on its line or on
    one of the few above it) or nothing goes on."""
    text = lines[url_index].text
    if "://" not in text:
        return url_index
    if not any(visit in text for visit in _VISIT):
        above = [line.text for line in lines[max(0, url_index - 3) : url_index] if line.text]
        if not above or not above[-1].endswith(_VISIT):
            return url_index
    return url_tail_end(lines, url_index)
