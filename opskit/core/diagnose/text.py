"""Turn a raw paste into clean, numbered lines.

Pastes arrive through chat, Markdown and terminals: tabs or spaces, trailing padding, curly quotes,
ANSI colours, CRLF, shell prompts in front of the command, Markdown fences. Everything downstream
works on :class:`SourceLine` so that evidence can quote the line *and* its number in the input.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from opskit.core.diagnose.lazyre import LazyPattern, lazy_compile

# Chat clients "smarten" quotes; Go prints plain ASCII ones.
_QUOTE_TABLE = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\ufeff": "",
        "\u200b": "",
        "\u0085": " ",
        "\u2028": " ",
        "\u2029": " ",
        # a CJK input method left on while tidying a paste: full-width colon, comma, semicolon and space
        "\uff1a": ": ",
        "\uff0c": ", ",
        "\uff1b": "; ",
        "\u3000": " ",
    }
)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FENCE = re.compile(r"^(```+|~~~+)\s*[\w+-]*\s*$")

# After a BusyBox root prompt's directory ("/app # …") a command's name, or a path to one, is typed; a path
# annotated in prose ("/var/lib/tailscale # where the state lives", "/etc/default/tailscaled # set FLAGS here") puts
# an English word there. These words open such notes and are no command (but for an option after them: `set -x`);
# so do the words of a sentence about a command's output (_PROSE_WORDS below).
_NOTE_WORDS = frozenset((
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "is", "are", "was", "were", "be", "been",
    "being", "where", "which", "who", "whom", "whose", "what", "when", "why", "how", "here", "there", "see",
    "note", "notes", "contains", "contain", "holds", "hold", "has", "have", "had", "lives", "live", "stores",
    "store", "keeps", "keep", "used", "uses", "use", "should", "must", "may", "might", "can", "could", "will",
    "would", "do", "does", "did", "not", "no", "yes", "and", "or", "but", "if", "then", "else", "so", "as", "at",
    "by", "for", "from", "in", "into", "on", "onto", "of", "off", "to", "with", "without", "my", "your", "our",
    "their", "his", "her", "we", "you", "they", "i", "me", "us", "them", "set", "same", "only", "also", "all",
    "each", "every", "some", "any", "more", "most", "default", "e.g.", "eg", "i.e.", "ie", "todo", "fixme",
    "empty", "missing", "changed", "needed", "required", "optional", "mounted", "owned", "points", "persisted",
    "created", "generated", "written", "read", "edit", "change", "put", "add", "remove", "delete", "works", "work",
    "worked", "fails", "failed", "broken", "wrong", "right", "ok", "okay", "just", "still", "now", "after",
    "before", "because", "since", "until", "while", "about", "like", "via", "per", "etc",
))  # fmt: skip
# A shell prompt followed by a command. Order matters: the most specific forms first.
_PROMPTS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?:\([\w.-]+\)\s+)?PS [A-Za-z]:\\[^>]*>\s?(?P<cmd>.*)$"),  # PowerShell, optional (venv)
    re.compile(r"^[A-Za-z]:\\[^>]*>\s?(?P<cmd>.*)$"),  # cmd.exe  C:\>  C:\Users\x>
    # user@host:~$, and macOS zsh's default "user@host dir %" (%n@%m %1~ %#)
    re.compile(r"^(?:\([\w.-]+\)\s+)?[\w.@-]+@[\w.-]+(?::[^\s$#>]*|\s[~\w.-]+(?=\s%\s))?\s?[$#%>]\s(?P<cmd>.*)$"),
    re.compile(r"^(?:[~/][^\s]*\s)?[$%]\s(?P<cmd>.*)$"),  # "$ cmd", "~ % cmd"
    # bash prompts that bracket user@host and the directory: SteamOS "(deck@steamdeck ~)$", Fedora/RHEL
    # "[root@fedora ~]#"
    re.compile(r"^[(\[][\w.-]+@[\w.-]+(?:\s[^)\]]*)?[)\]]\s?[$#%]\s(?P<cmd>.*)$"),
    # fish's prompt: the directory (~ or a path; "user@host " before it in the default prompt) then ">", or "#"
    # for root (only after user@host: "/ # cmd" is busybox's, below)
    re.compile(r"^(?:[\w.-]+@[\w.-]+\s[~/][^\s>#]*[>#]|[~/][^\s>#]*>)\s(?P<cmd>\S.*)$"),
    # BusyBox ash (Alpine, the tailscale container image): root's "\w \$ " is "/app # cmd", "~ # cmd"; after the
    # directory a command's name (prompt_command checks it: "/var/lib/tailscale # its state" is a path annotated in
    # prose).
    _BUSYBOX_PROMPT := re.compile(
        r"^[~/][^\s#]*\s#\s(?P<cmd>(?:sudo\s+)?(?P<word>(?:\.{1,2}/|/)?(?:[\w.+-]+/)*[a-z][a-z0-9._+-]*)(?:\s.*)?)$"
    ),
    # Alpine's /etc/profile "\h:\w\$ ": "host:/app# cmd", "3f2a9c0d1b4e:~$ cmd" (a container's id as its hostname)
    re.compile(r"^[\w.-]+:(?!//)[~/][^\s#$]*\s?[#$]\s(?P<cmd>\S.*)$"),
    # "# cmd" only for known commands: "# Health check:" and "# Warning:" are tailscale output.
    re.compile(r"^#\s(?P<cmd>(?:sudo\s+)?(?:tailscale|whoami|ping|ping6|ip|systemctl)\b.*)$"),
    re.compile(r"^[\u279c\u276f\u2192\u27a4\u25b6\ue0b0\u2771]\s+(?:\S+\s+)?(?P<cmd>tailscale.*)$"),  # ➜ ~ / ❯
    re.compile(r"^[\u279c\u276f\u2192\u27a4\u25b6\ue0b0\u2771]\s+(?P<cmd>.*)$"),
    _QUOTED_COMMAND := re.compile(r"^>\s(?P<cmd>(?:tailscale(?:\.exe)?|whoami|net|ping)(?:\s.*)?)$"),
    # A shell's xtrace (`set -x`: cloud-init, CI, entrypoint scripts) prints each command after "+ " ("++ "
    # nested). Only for known commands: "+ " also starts markdown list items and diff lines.
    re.compile(r"^\+{1,3}\s(?P<cmd>(?:sudo\s+)?(?:\S*/)?(?:tailscaled?|whoami|ping6?|systemctl)(?:\.exe)?(?:\s.*)?)$"),
)
# Every prompt form above holds one of these characters (">" PowerShell, cmd.exe, fish and a Markdown quote; "@"
# user@host; "$" "%" "#" the shells'; "+" xtrace; the arrows of zsh/oh-my-posh themes): a line without any is no
# prompt, known in one scan instead of a match per form (most lines of a big paste). A new form adds its mark here.
_PROMPT_MARK = re.compile(r"[>@$%#+\u279c\u276f\u2192\u27a4\u25b6\ue0b0\u2771]")
_BRACKET_PROMPT = re.compile(r"\[[\w.-]+@[\w.-]+[\s\]]")  # "[root@fedora ~]# …", not a "[v1] …" log line
# "> tailscale status" is a prompt, "> tailscale-1  | 2024/…" a quoted container log line.
_GT_PROMPT = re.compile(r">\s(?:tailscale(?:\.exe)?|whoami)(?:\s|$)")
_SUBCOMMANDS = (
    "netcheck|status|ping|up|down|login|logout|set|debug|version|ip|whois|bugreport|exit-node|serve|"
    "funnel|cert|web|switch|configure|lock|dns|metrics|syspolicy|update|file|drive|nc|ssh|licenses"
)
_BARE_COMMAND = re.compile(
    # global flags may come before the subcommand (`tailscale --socket=/x.sock status`), and `--` ends them
    r"^(?P<cmd>(?:sudo\s+)?(?:\"?[\w:\\/ .()-]*[\\/])?tailscale(?:\.exe)?\"?\s+(?:--socket[= ]\S+\s+)?(?:--\s+)?"
    r"(?:" + _SUBCOMMANDS + r")\b.*)$",
    re.IGNORECASE,
)

_PRODUCT_SSH = re.compile(r"Tailscale SSH\b")

# What follows `tailscale <subcommand>` in a sentence about its output ("tailscale status shows "…"", "tailscale
# ping reports …"): the words of a command are flags, their values, arguments and shell syntax, never these.
_PROSE_WORDS = frozenset(
    [
        "shows",
        "show",
        "showed",
        "shown",
        "showing",
        "says",
        "said",
        "say",
        "saying",
        "reports",
        "reported",
        "reporting",
        "prints",
        "printed",
        "printing",
        "gives",
        "gave",
        "giving",
        "returns",
        "returned",
        "returning",
        "outputs",
        "outputted",
        "displays",
        "displayed",
        "lists",
        "listed",
        "tells",
        "told",
        "is",
        "was",
        "are",
        "were",
        "still",
        "keeps",
        "kept",
        "just",
        "now",
        "also",
        "then",
        "does",
        "did",
        "doesn't",
        "didn't",
        "fails",
        "failed",
        "works",
        "worked",
        "hangs",
        "hung",
        "gets",
        "got",
        "reads",
        "complains",
        "complained",
        "claims",
        "claimed",
        "indicates",
        "indicated",
        "produces",
        "produced",
        "responds",
        "responded",
        "answers",
        "answered",
        "and",
        "but",
        "which",
        "that",
        "where",
        "when",
        "while",
        "because",
    ]
)
# Subcommands that take no argument (cmd/tailscale/cli: status, netcheck, version, up, down, login, logout and set
# refuse non-flag arguments): a quoted phrase there that is no flag's value is what the sentence quotes.
_FLAGS_ONLY_SUBCOMMANDS = frozenset({"status", "netcheck", "version", "up", "down", "login", "logout", "set"})
_COMMAND_WORD = re.compile(r"\"[^\"]*\"|'[^']*'|`[^`]*`?|\S+")
_SHELL_WORD = re.compile(r"^(?:\||\|\||&&?|;|[0-9]?>>?\S*|<|#.*)$")
_TYPED_SUBCOMMAND = re.compile(
    r"tailscale(?:\.exe)?\"?\s+(?:--socket[= ]\S+\s+)?(?:--\s+)?(?P<sub>" + _SUBCOMMANDS + r")\b", re.IGNORECASE
)


def is_prose_after_subcommand(command: str) -> bool:
    """Whether the words after ``command``'s subcommand are a sentence, not its flags and arguments:
    ``tailscale status shows "Some peers are advertising routes …"`` is prose, ``tailscale status --json |
    grep x`` and ``tailscale ping -c 5 nas`` are commands."""
    typed = _TYPED_SUBCOMMAND.search(command)
    if typed is None:
        return False
    flags_only = typed["sub"].lower() in _FLAGS_ONLY_SUBCOMMANDS
    previous_flag = False  # the word before was a flag without "=": this one may be its value
    for word in _COMMAND_WORD.findall(command[typed.end() :]):
        if _SHELL_WORD.match(word):
            return False  # a pipe, a redirection, a comment: the command's words ended
        if word.lower().rstrip(":,") in _PROSE_WORDS:
            return True
        if word[0] == "-":
            previous_flag = "=" not in word
            continue
        if flags_only and not previous_flag and word[0] in "\"'`" and " " in word:
            return True
        previous_flag = False
    return False


def typed_tailscale_command(subcommand: str, flags: int = re.IGNORECASE) -> LazyPattern:
    """A command line running ``tailscale <subcommand>`` (a regex fragment, e.g. ``debug\\s+prefs``): after
    sudo, a path or ``tailscale.exe`` (its path quoted as Windows shells need for "Program Files": ``&
    'C:\\…\\tailscale.exe' update``), with global flags such as ``--socket=…`` before the subcommand. Compiled on
    first use (lazyre): some seventy of them, each read only once a command is typed."""
    return lazy_compile(rf"\btailscale(?:\.exe)?[\"']?\s+(?:--\S*\s+)*{subcommand}\b", flags)


# Go's log package stamp ("2024/05/01 12:00:00", with microseconds under log.Lmicroseconds)
GO_STAMP = r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?"
# How a tailnet address starts: 100.64.0.0/10 (its first two octets and the dot after) or fd7a:115c:a1e0::/48.
TAILNET_V4_PREFIX = r"100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])\."
TAILNET_V6_PREFIX = r"fd7a:115c:a1e0:"


class SourceLine(NamedTuple):
    """One input line: 1-based number, cleaned text (no indentation or padding), raw text.

    A NamedTuple rather than a frozen dataclass: equally immutable, and several times cheaper to
    build, which matters when a tailscaled log with hundreds of thousands of lines is pasted.
    """

    number: int
    text: str
    raw: str = ""
    command: str | None = None  # set when the line is a shell prompt running ``command``

    @property
    def is_blank(self) -> bool:
        return not self.text and self.command is None


def json_string_end(text: str, start: int) -> int:
    """The index just past the quote closing the JSON string that runs from ``start`` (just inside its opening
    quote) in ``text``, its backslash escapes skipped; -1 when ``text`` ends first (a wrap cut the string). The one
    scanner of JSON strings: whatever looks for brackets or notes outside strings skips them with it. An escape
    never carries over a line end: a pasted line was stripped, so what followed a backslash there is lost."""
    while (quote := text.find('"', start)) >= 0:
        backslash = quote
        while backslash > start and text[backslash - 1] == "\\":
            backslash -= 1
        if (quote - backslash) % 2 == 0:  # an even run of backslashes escapes itself, not the quote
            return quote + 1
        start = quote + 1
    return -1


_JSON_STRUCTURE = re.compile(r'["\[\]{}]')


def json_value_end(lines: Sequence[SourceLine], start: int, max_lines: int, max_depth: int) -> int | None:
    """The index of the line closing the JSON object or array that opens at ``lines[start]`` (brackets counted,
    strings and their escapes skipped), or None: not closed within ``max_lines`` lines, or nested deeper than
    ``max_depth`` (a hostile paste must not make a reader walk or recurse without bound)."""
    depth = 0
    in_string = False  # a string a wrap carried over to the next line
    for index in range(start, min(len(lines), start + max_lines)):
        text = lines[index].text
        position = json_string_end(text, 0) if in_string else 0
        in_string = position < 0
        while not in_string and (mark := _JSON_STRUCTURE.search(text, position)) is not None:
            char, position = mark.group(), mark.end()
            if char == '"':
                position = json_string_end(text, position)
                in_string = position < 0
            elif char in "[{":
                depth += 1
                if depth > max_depth:
                    return None
            else:
                depth -= 1
                if depth == 0:
                    return index
    return None


def blank_output_line(text: str) -> bool:
    """An empty line, or one only a markdown quote marker kept (``>``, ``> >``): a blank line of quoted output."""
    return not text.strip("> ")


# Pastes copied out of an HTML page (a mail digest, a forum's or a web UI's log view) keep its escapes:
# `relay &quot;fra&quot;`, `via &#39;tailscale up&#39;`. Only these five, which Go's output can contain.
# `&nbsp;` too: a page's source keeps the non-breaking spaces an HTML table or a `<pre>` padded columns with.
_HTML_ESCAPE = re.compile(r"&(?:quot|amp|lt|gt|#0?39|#x27|nbsp|#160|#xa0);", re.IGNORECASE)
_HTML_CHARS = {"&quot;": '"', "&amp;": "&", "&lt;": "<", "&gt;": ">", "&#39;": "'", "&#039;": "'", "&#x27;": "'",
               "&nbsp;": " ", "&#160;": " ", "&#xa0;": " "}  # fmt: skip


# The characters _QUOTE_TABLE maps, found in one C-level scan: str.translate walks a non-ASCII line character by
# character through the table's dict (~16,000 instructions for a line of "…" or one naming São Paulo), and most
# such lines hold none of them (translating a text that holds none is the identity).
_QUOTE_TABLE_CHAR = re.compile("[" + "".join(re.escape(chr(code)) for code in _QUOTE_TABLE) + "]")


def _clean(raw: str) -> str:
    """Tabs to spaces, no ANSI colours or control characters, plain quotes, HTML escapes undone; stripped."""
    text = raw
    if not raw.isprintable():  # a tab, an ANSI escape or a control character: printable text holds none
        text = _CONTROL.sub("", _ANSI.sub("", raw.replace("\t", " ")))
    # (translating after the control characters went is the same: the table neither maps nor makes one)
    if _QUOTE_TABLE_CHAR.search(text) is not None:
        text = text.translate(_QUOTE_TABLE)
    text = text.strip()
    if "&" in text:
        text = _HTML_ESCAPE.sub(lambda m: _HTML_CHARS[m.group(0).lower()], text)
    return text


def _line_ends(text: str) -> str:
    """CRLF and CR become LF: lines are split on LF only, as editors number them (``str.splitlines``
    would also break at form feeds and U+2028, shifting every later line number). CR CR LF is one line end
    too: a Windows paste converted to CRLF a second time (a copy through a tool that adds CR before LF)."""
    if "\r" not in text:
        return text
    return text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")


# A count from `uniq -c` or a line number from `cat -n` / `nl` / a log viewer in front of what is unmistakably
# Tailscale output: a netcheck bullet or region line, `Report:`, a pong, a status row that starts with its
# tailnet address, or a log record's stamp (Android logcat's "MM-DD hh:mm:ss.mmm", with `-v year` its year too;
# Go's log package "YYYY/MM/DD hh:mm:ss"; `grep -n`'s "N:" before a stamp). Not in front of anything else: "401
# Unauthorized: …" and "503 Service Unavailable" start with a number too.
_COUNT_PREFIX = re.compile(
    r"^\d{1,9}\s+(?=\* [A-Z][\w ]*:|- [^\s:]{1,32}[:,] |Report:|pong from |(?:100\.|fd7a:)\S*\s+\S+\s+\S+\s+\S)"
    r"|^\d{1,9}(?:\s+|:)(?=(?:\d{4}-)?\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\s|\d{4}/\d\d/\d\d \d\d:\d\d:\d\d[\s.])"
)
_DIGITS = frozenset("0123456789")
# Lines starting with these are output (netcheck bullets, status rows, JSON), never a prompt.
_NOT_PROMPT_START = frozenset("*-0123456789{}[")
# ... except a container's prompt whose hostname is its id (12 hex digits: "3f2a9c0d1b4e:/app# cmd").
_CONTAINER_ID_PROMPT = re.compile(r"[\da-f]{12}:[~/]")


def _output_start(text: str) -> bool:
    """Whether the line's first character marks output (a bullet, a status row, JSON), not a prompt."""
    first = text[0]
    if first not in _NOT_PROMPT_START:
        return False
    if first == "[":
        return _BRACKET_PROMPT.match(text) is None
    return first not in _DIGITS or _CONTAINER_ID_PROMPT.match(text) is None


# Cached (a pure function of the line): the same command lines recur from input to input (`opskit diagnose` given
# many files, one netcheck each: `tailscale netcheck` typed bare costs ~10,000 instructions through the catalog and
# prose tests); a line of prose misses once, for the cost of hashing it.
@lru_cache(maxsize=256)
def prompt_command(text: str) -> str | None:
    """The command of a shell-prompt line (``PS C:\\> tailscale status`` → ``tailscale status``)."""
    if not text or text.startswith(("pong from", "Report:")):
        return None
    if _output_start(text):
        return None
    for pattern in _PROMPTS if _PROMPT_MARK.search(text) is not None else ():
        match = pattern.match(text)
        if match:
            if pattern is _QUOTED_COMMAND and (_catalogued(text[2:]) or is_prose_after_subcommand(match["cmd"])):
                # a refusal quoted in Markdown ("> tailscale ip -1, -4, and -6 are mutually …"), or a sentence
                return None
            if pattern is _BUSYBOX_PROMPT and not _names_a_command(match["word"], match["cmd"]):
                continue  # a path annotated in prose ("/var/lib/tailscale # where the state lives")
            return match.group("cmd").strip()
    bare = _BARE_COMMAND.match(text)
    # "tailscale status of a connection: active; relay …" is a sentence quoting output, not a command; nor is a
    # refusal of the CLI that starts with its name ("tailscale ip -1, -4, and -6 are mutually exclusive",
    # "Tailscale SSH server administratively disabled"); nor the product's name "Tailscale SSH" opening a message
    # ("Tailscale SSH enabled, but access controls don't allow anyone …"): nobody types the subcommand in capitals.
    # nor a sentence about a command's output ("tailscale status shows "…"": words after the subcommand that are
    # no flags or arguments of it).
    if (
        bare
        and len(text) < 120
        and ": " not in text
        and not _PRODUCT_SSH.match(text)
        and not _catalogued(text)
        and not is_prose_after_subcommand(text)
    ):
        return bare.group("cmd").strip()
    return None


def _names_a_command(word: str, typed: str) -> bool:
    """Whether the first word after a BusyBox prompt's "#" is a command's name: a path to one (`./tailscale`,
    `/usr/bin/tailscale`), or a lowercase name that is no word of prose (unless an option follows it: `set -x`)."""
    if "/" in word or (word not in _NOTE_WORDS and word not in _PROSE_WORDS):
        return True
    rest = typed.split(word, 1)[1].lstrip()
    return rest.startswith("-")


def _catalogued(text: str) -> bool:
    from opskit.core.diagnose.cli_catalog import find_refusal  # the catalog's entries import models, then this

    return find_refusal(_SPACE_RUNS.sub(" ", text).strip()) is not None


_SPACE_RUNS = re.compile(r"\s{2,}")


# `docker compose logs` puts the service's name and a bar in front of everything the container printed: its
# daemon's log, and also what a CLI in its entrypoint printed (`tailscale up`'s "# Health check:" bullets,
# `tailscale funnel`'s status), which only reads as what it is once the prefix is gone.
_COMPOSE_PREFIX = re.compile(r"^(?P<service>[\w.-]+)\s+\|(?:\s+|$)")


def _compose_services(raw_lines: list[str]) -> frozenset[str]:
    """The compose services whose prefix most of the paste carries (each on two lines or more), or none."""
    counts: dict[str, int] = {}
    filled = 0
    for raw in raw_lines:
        stripped = raw.strip().lstrip("> \t")  # (also under markdown quote markers, tab-indented)
        if not stripped:
            continue
        filled += 1
        if (prefix := _COMPOSE_PREFIX.match(stripped)) is not None:
            counts[prefix.group("service")] = counts.get(prefix.group("service"), 0) + 1
    services = {service for service, count in counts.items() if count >= 2}
    prefixed = sum(counts[service] for service in services)
    return frozenset(services) if prefixed >= 3 and prefixed * 2 >= filled else frozenset()


# A line standing for lines the poster cut out of the output: "...", "…", "[…]", "[...]", "[snip]", "(snip)",
# "<snip>", "-- snip --", "(12 more lines)", "[3 more]", "[... 40 more rows ...]", "[... 40 lines cut ...]". A bracket
# holds a digit only as the count before "more", "lines" or "rows" (a bracketed clock "[12:00:01]", a footnote "[1]"
# are not cuts).
_ELISION_LINE = re.compile(
    r"\.{3,}|\u2026+|\[[^\]\d]{1,30}\]|\[[^\]\d]{0,12}\d+\+? (?:more|lines?|rows?|peers?)\b[^\]\d]{0,20}\]"
    r"|\([^)]{1,30}\)"
    r"|<(?i:snip|snipped|cut)>|-{2,} ?(?i:snip|snipped|cut) ?-{2,}"
)
_ELISION_START = frozenset(".\u2026[(<-")


def is_elision_line(text: str) -> bool:
    """Whether ``text`` (one line, stripped) only marks where the poster cut lines out of the output: inside a
    table or a listing it stands for rows, so it does not end what it sits in."""
    return bool(text) and text[0] in _ELISION_START and _ELISION_LINE.fullmatch(text) is not None


# A gutter the copy brought along in front of every line: an editor's or a pastebin's line numbers ("1 ", "2 ",
# … one per line, blank lines numbered too) or a terminal logger's clock ("12:00:01 ", `ts`, a tmux or screen
# log). Told from a count or a stamp that belongs to the output by the paste's first lines: all of them carry
# it, and line numbers go up by one per line. Read only from the first lines, so prose costs one test.
_GUTTER_NUMBER = re.compile(r"^[ \t]*(\d{1,6})(?:[ \t]|$)")
# (not a log's own clock: a viewer's "13:38:39 | …" column, a bracketed "[12:00:01] INFO: …", a level word after it)
_GUTTER_CLOCK = re.compile(
    r"^[ \t]*\d{1,2}:\d\d:\d\d(?:[.,]\d{1,6})?(?:[ \t]+(?![|:]|(?:INFO|WARN|WARNING|ERROR|DEBUG|FATAL|TRACE)\b)|$)"
)
_GUTTER_PROBE = 6  # the first non-blank lines that must all carry the gutter
_GUTTER_MIN = 3


def _without_gutter(raw_lines: list[str]) -> list[str]:
    """``raw_lines`` without a line-number or clock gutter every one of the paste's first lines carries."""
    probe: list[int] = []
    for index, raw in enumerate(raw_lines):
        stripped = raw.lstrip()
        if not stripped or is_elision_line(stripped.rstrip()):
            continue  # a blank, or the mark of lines the poster cut, typed without the gutter
        if not stripped[0].isdigit() and stripped[0] != "[":
            return raw_lines  # the common case: the first line with text has no gutter
        probe.append(index)
        if len(probe) == _GUTTER_PROBE:
            break
    # a short paste (a pong, a health item) must carry it on every line: two for numbers, one for a clock
    if not probe:
        return raw_lines
    whole = len(probe) < _GUTTER_PROBE and not any(raw.strip() for raw in raw_lines[probe[-1] + 1 :])
    if len(probe) < _GUTTER_MIN and not whole:
        return raw_lines
    numbers = [_GUTTER_NUMBER.match(raw_lines[i]) for i in probe]
    offsets = {int(m.group(1)) - i for m, i in zip(numbers, probe, strict=True) if m is not None}
    if len(probe) >= 2 and all(numbers) and len(offsets) == 1:
        (offset,) = offsets
        out = []
        for index, raw in enumerate(raw_lines):
            number = _GUTTER_NUMBER.match(raw)
            out.append(raw[number.end() :] if number and int(number.group(1)) == index + offset else raw)
        return out
    if all(_GUTTER_CLOCK.match(raw_lines[i]) for i in probe):
        return [_GUTTER_CLOCK.sub("", raw, count=1) for raw in raw_lines]
    return raw_lines


# A note the poster typed after a line of output to point at it (`# my NAS`, `<-- this one`, `// 这是家里的`,
# `← broken`, `(offline since monday)`): a comment marker or a parenthesised remark after whitespace. For the
# parsers of lines that never end so (a pong, a status cell); a pattern to append, not a whole one.
TRAILING_NOTE = r"(?:\s+(?:#|<-+|<=+|\u2190|\u2b05|//)(?:\s.*)?|\s+\([^()]{1,80}\))"
_TABLE_RULE = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+$")


def _without_quote_markers(cleaned: str) -> str:
    """``cleaned`` without the Markdown quote markers ("> ", "> > ") in front of pasted output.

    "> tailscale up" is a prompt and stays; "> tailscale status of a connection: active; …" is quoted prose."""
    while cleaned.startswith("> ") and (
        ": " in cleaned or not _GT_PROMPT.match(cleaned) or cleaned.endswith(_BREW_SERVICE_FILES)
    ):
        cleaned = cleaned[2:].lstrip()
    return cleaned


# The file column ending a `brew services list` row for tailscale ("> tailscale error  256 jo ~/Library/LaunchAgents/
# homebrew.mxcl.tailscale.plist" quoted): a row, not a command typed at a "> " prompt.
_BREW_SERVICE_FILES = ("/homebrew.mxcl.tailscale.plist", "/homebrew.tailscale.service")


def split_lines(text: str) -> list[SourceLine]:
    """Number and clean every line; fences become blank, prompts carry their command."""
    lines: list[SourceLine] = []
    append = lines.append
    raw_lines = _without_gutter(_line_ends(text).split("\n"))
    services = _compose_services(raw_lines) if "|" in text else frozenset()
    # tuple.__new__ skips NamedTuple's Python-level __new__ in this once-per-input-line loop: bench/
    # diagnose.py (10,000 netcheck blocks, best CPU time) 552 ms with it, 572 ms with SourceLine(...).
    new = tuple.__new__
    for number, raw in enumerate(raw_lines, start=1):
        cleaned = raw.strip()
        if not (cleaned.isascii() and cleaned.isprintable()) or "&" in cleaned:  # tabs, quotes, colours,
            cleaned = _clean(cleaned)  # HTML escapes: the slow path
        if not cleaned:
            append(new(SourceLine, (number, "", raw, None)))
            continue
        first = cleaned[0]
        # Bullets and region lines are most of a big paste: none of the checks below can apply to
        # them unless they end in a backtick or hold a second "* " (a flattened report).
        if first in "*-" and cleaned[-1] != "`" and cleaned.find("* ", 1) < 0:  # (first: one character)
            append(new(SourceLine, (number, cleaned, raw, None)))
            continue
        # Markdown quote markers ("> ") in front of pasted output, before its fences and inline code:
        # "> ```" and "> `100.x.y.z  host …`" are a quoted fence and a quoted inline-code row.
        # ("> tailscale up" is a prompt, "> tailscale status of a connection: active; …" quoted prose.)
        if first == ">":
            cleaned = _without_quote_markers(cleaned)
            first = cleaned[:1]
        if first == ">" and not cleaned.strip("> "):
            cleaned = first = ""  # a blank line inside a Markdown quote (">", "> >"): blank
        if first == "|" and cleaned[-1] == "|" and len(cleaned) > 1:
            # a Markdown table made of the output (status rows, netcheck fields): its rule row is blank, its
            # cells the columns, two spaces apart as the CLI pads them (an empty cell: a blanked column)
            if _TABLE_RULE.match(cleaned):
                append(new(SourceLine, (number, "", raw, None)))
                continue
            cleaned = "  ".join(cell.strip() for cell in cleaned[1:-1].split("|") if cell.strip())
            first = cleaned[:1]
        if (
            services
            and (compose := _COMPOSE_PREFIX.match(cleaned)) is not None
            and compose.group("service") in services
        ):
            cleaned = cleaned[compose.end() :]
            first = cleaned[:1]
        if not cleaned:
            append(new(SourceLine, (number, "", raw, None)))
            continue
        if (first == "`" or first == "~") and _FENCE.match(cleaned):
            append(new(SourceLine, (number, "", raw, None)))
            continue
        if first == "`" and cleaned[-1] == "`" and (pair := _INLINE_PAIR.match(cleaned)) is not None:
            # "`tailscale status` => `failed to connect …`": a command and what it printed, as inline code
            # on one line of prose: the command (a prompt, so its output is read in its context), then
            # the output, both under this line's number.
            command = pair.group("cmd").strip()
            append(new(SourceLine, (number, command, raw, command)))
            append(new(SourceLine, (number, pair.group("out").strip(), raw, None)))
            continue
        inline_code = False
        # output glued to a fence or inline code (```Report:); never a GNU-style quote opening a re-wrapped piece
        # ("`dmesg' for more information." under an iptables error cut before it)
        if (first == "`" and _GNU_QUOTED_WORD.match(cleaned) is None) or cleaned[-1] == "`":
            opened, cleaned = first, cleaned.strip("`").strip()
            # "`tailscale status` gives `…`": after the outer backticks go, inner ones remain: prose
            # quoting a command and its output, not a command typed at a prompt.
            # (Only when it opened the line: `--hostname=`hostname`` at a line's end is the shell's.)
            inline_code = opened == "`" and "`" in cleaned
            if not cleaned:
                append(new(SourceLine, (number, "", raw, None)))
                continue
            first = cleaned[0]
            if first == ">":  # a quoted line inside the backticks (```> 2022-01-25 … dns: error: …```)
                cleaned = _without_quote_markers(cleaned) or cleaned
                first = cleaned[0]
        # find() first: an ordinary bullet has its only "* " at position 0, so count() rarely runs.
        if cleaned.find("* ", 1) > 0 and cleaned.count("* ") > 2 and ("* UDP:" in cleaned or "* IPv4:" in cleaned):
            # A netcheck report flattened onto one line by a chat client: one SourceLine per field,
            # all carrying the original line number.
            for piece in _unflatten(cleaned):
                append(new(SourceLine, (number, piece, raw, None)))
            continue
        if len(cleaned) >= _GLUED_MIN and (records := _split_run_together(cleaned)) is not None:
            # log records run together on one line (a viewer or a copy lost the line ends, a program wrote its
            # log without them): one SourceLine per record, all carrying the original line number
            for record in records:
                append(new(SourceLine, (number, record, raw, None)))
            continue
        if first in _DIGITS and _COUNT_PREFIX.match(cleaned):
            # `… | sort | uniq -c` (or `cat -n`, `nl`) puts a count or line number in front of the output.
            cleaned = _COUNT_PREFIX.sub("", cleaned, count=1)
            first = cleaned[0]
        command = (
            None
            if inline_code
            or (first in _NOT_PROMPT_START and first != "[" and _CONTAINER_ID_PROMPT.match(cleaned) is None)
            else prompt_command(cleaned)
        )
        append(new(SourceLine, (number, cleaned, raw, command)))
    if "check:" in text:  # "Health check:" (its blank may be a non-breaking space in the raw text)
        _restore_health_markers(lines)
    return lines


# a list item, maybe in inline code; not a task-list box ("- [ ] …"), which no health message starts with
_LIST_ITEM = re.compile(r"^[-*]\s+`?(?P<msg>[^`\[][^`]*?)`?$")


# The block's header with its "#" kept, doubled or preceded by a stray character a copy picked up (".# Health
# check:", "## Health check:"): its items may still have lost their own "#" (an indented "    - <message>").
_HEALTH_HEADER = re.compile(r"^[^\w\s]{0,2}#+\s*Health check:$")


# Every "#" of the block typed as another character (`x Health check:` / `x     - router: …`: a post outside a fence
# where "#" would make a heading): the header's stand-in must start each item too.
_STAND_IN_HEADER = re.compile(r"^(?P<mark>[^\w\s#]|[xX])\s+Health check:$")


def _restore_health_markers(lines: list[SourceLine]) -> None:
    """Put back the ``#`` markers of ``tailscale status``'s health block (cli/status.go printHealth:
    ``# Health check:`` then ``#     - <message>``) where Markdown or a copy took them: outside a fence GitHub
    renders ``# Health check:`` as a heading and the items as a list, so a copy (or a post typed from it) holds
    ``Health check:`` and ``- <message>`` items, each maybe in inline code; a copy may also keep the header's
    ``#`` (with a stray character before it) and lose the items' own, or show every ``#`` as one other character."""
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.text.endswith("Health check:"):  # every header form ends so: most lines are out at once
            continue
        item_pattern = _LIST_ITEM
        if line.text != "Health check:" and _HEALTH_HEADER.match(line.text) is None:
            stand_in = _STAND_IN_HEADER.match(line.text)
            if stand_in is None:
                continue
            item_pattern = re.compile(rf"^{re.escape(stand_in['mark'])}\s+-\s+(?P<msg>\S.*)$")
        items: list[int] = []
        probe = index
        while probe < len(lines):
            text = lines[probe].text
            if not text:
                if items:
                    break
                probe += 1
                continue
            if item_pattern.match(text) is None:
                break
            items.append(probe)
            probe += 1
        if not items:
            continue  # a "Health check:" heading of prose, not the status block
        lines[index - 1] = line._replace(text="# Health check:")
        for at in items:
            item = item_pattern.match(lines[at].text)
            assert item is not None
            lines[at] = lines[at]._replace(text="#     - " + item["msg"].strip(), command=None)
        index = items[-1] + 1


# `word' as GNU tools quote a command or a file (iptables' "Try `iptables -h'", "Run `dmesg' …")
_GNU_QUOTED_WORD = re.compile(r"`[^`'\s]+(?: [^`'\s]+)*'")
# "`cmd` => `output`" (also ->, →, ⇒ or a colon between them): a command and its output quoted inline.
_INLINE_PAIR = re.compile(r"^`(?P<cmd>[^`]+)`\s*(?:=+>|-+>|\u2192|\u21d2|\u27f6|:)\s*`(?P<out>[^`]+)`$")
_FLAT_SPLIT = re.compile(r"\s+(?=\* [A-Z][\w ]*:|- [^\s:]{1,32}: |Report:)")


def _unflatten(text: str) -> list[str]:
    """``Report: * UDP: true * IPv4: yes, … - fra: 5ms (Frankfurt) - ams: …`` → one field per item."""
    head, sep, rest = text.partition("Report:")
    pieces = [head.strip()] if head.strip() else []
    if sep:
        pieces.append("Report:")
    pieces.extend(p.strip() for p in _FLAT_SPLIT.split(rest if sep else text) if p.strip())
    return pieces


# Log records run together on one line. Two shapes:
# - Go-stamped records with only a space between them ("2025/04/15 05:50:10 router: nftables is available
#   2025/04/15 05:50:10 router: netfilter running …"): split before every later Go log stamp of the line (not one
#   right after a logger's own prefix word: "boot: 2023/10/10 …" is containerboot's one record);
# - unstamped records with nothing between them, as an embedded tsnet node's log file can be written
#   ("…(WantRunning=true, nm=true)[v1] shouldUseOneCGNATRoute: …magicsock: SetPrivateKey called"): split where a
#   message only tailscaled starts with is glued to the end of the one before (no space between them), when a long
#   line holds several such seams (one could be a word inside a message).
_GLUED_MIN = 120
_STAMPED_START = re.compile(rf"^{GO_STAMP} \S")
_STAMPED_SEAM = re.compile(rf"(?<=\S) +(?={GO_STAMP} \S)")
_LOGGER_WORD = re.compile(rf"^{GO_STAMP} [A-Za-z][\w.-]*:?$")
_RECORD_START = (
    r"\[v\d\] |\[vJSON\]\d\{|\[unexpected\] |\[RATELIMIT\] |magicsock: |wgengine: |wg: \[v\d\] |netcheck: "
    r"|derphttp\.Client\.|health\(\"|control: |Switching ipn state |monitor: |LinkChange: |portmapper: |netmap: "
    r"|dns: |Accept: |Drop: |ipnlocal: |tsnet (?:running|starting) |Creating WireGuard device|Bringing \w+ \w* ?up"
    r"|Engine created\.|Starting network monitor|Clearing router settings|onPortUpdate\(|link state: |derp-\d+: "
    r"|logtail: |logpolicy: |pm: |peerapi: |netstack: |open-conn-track: |Received error: |authReconfig: "
    r"|Program starting: v\d|LogID: |Backend: logs: |active login: |Start$"
)
_GLUED_SEAM = re.compile(rf"(?<=[^\s(\[=/])(?={_RECORD_START})")
_GLUED_SEAMS_MIN = 3


def _split_run_together(text: str) -> list[str] | None:
    """The records of a line holding several tailscaled log records run together, or None: one record."""
    if text[:1] in _DIGITS and _STAMPED_START.match(text) is not None and _STAMPED_SEAM.search(text, 20):
        pieces: list[str] = []
        for piece in _STAMPED_SEAM.split(text):
            if pieces and _LOGGER_WORD.match(pieces[-1]) is not None:
                pieces[-1] = f"{pieces[-1]} {piece}"  # "<stamp> boot: <stamp> …": a logger's prefix, one record
            else:
                pieces.append(piece)
        return pieces if len(pieces) > 1 else None
    seams = [match.start() for match in _GLUED_SEAM.finditer(text)]
    if len(seams) < _GLUED_SEAMS_MIN:
        return None
    bounds = [0, *seams, len(text)]
    return [text[start:end].strip() for start, end in itertools.pairwise(bounds) if text[start:end].strip()]


def undo_go_quoting(text: str) -> str:
    """Undo Go's %q escaping of a Windows account name: ``DOMAIN\\\\user`` → ``DOMAIN\\user``."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in '\\"':
            out.append(text[i + 1])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


# Tailscale auth keys, API keys and OAuth secrets: tskey-auth-<id>-<secret>, tskey-api-…, tskey-client-….
# (a key already hidden, "tskey-auth-…", is left as it is: the output hides every string again)
_TAILSCALE_KEY = re.compile(r"\b(tskey-(?:[a-z]+-)?)(?![a-z]+-…)[A-Za-z0-9][A-Za-z0-9-]*")
# `tailscale lock init` prints the secrets that can turn Tailnet Lock off: "disablement-secret:<hex>".
_DISABLEMENT_SECRET = re.compile(r"\b(disablement-secret:)[0-9A-Fa-f]+")
# The value after `--auth-key=`/`--authkey=` (or a space) whatever it is: an OAuth client secret, a key the
# poster partly edited, a playbook variable's value; a `file:` path, a `$VAR` and a hidden key stay as they are.
# After a space only a value with a digit in it (prose goes on with a word: "--authkey or a login URL").
_AUTH_KEY_FLAG = re.compile(
    r"(--auth-?key(?:=| (?=[^\s\"',;)\]]*\d)))(?!tskey-|file:|\$|…|<|\{\{)[^\s\"',;)\]`]+", re.IGNORECASE
)
# k3s/rke2's --vpn-auth "name=tailscale,joinKey=<auth key>": the key may be a Headscale one (no tskey- to find)
_JOIN_KEY = re.compile(r"\b(joinKey=)(?!…)[^\s,\"'`]+")

# An HTTP Authorization header's credential, as a browser's "Copy as cURL" or a script pastes it (`-H 'authorization:
# Bearer <Headscale API key>'`, `Authorization: Basic …`): the scheme stays, the credential goes (no scheme,
# no hiding: "authorization: denied" is prose).
_AUTHORIZATION_CREDENTIAL = re.compile(
    r"(\bauthorization\s*:\s*(?:bearer|basic|token)\s+)(?!…)[^\s'\x22\\]+", re.IGNORECASE
)


def hide_keys(text: str) -> str:
    """``text`` with every Tailscale key's secret part replaced by ``…`` (``tskey-auth-…``), every k3s
    --vpn-auth join key (``joinKey=…``), every Tailnet Lock disablement secret (``disablement-secret:…``) and every
    HTTP Authorization header's credential (``Bearer …``).

    Pasted commands and errors carry them (``tailscale up --authkey=tskey-auth-…``, ``invalid key: API
    key tskey-… not valid``); a quoted line must never print one again, even a rejected one.
    """
    if "tskey-" in text:
        text = _TAILSCALE_KEY.sub(r"\1…", text)
    if "-auth" in text.lower():
        text = _AUTH_KEY_FLAG.sub(r"\1…", text)
    if "joinKey=" in text:
        text = _JOIN_KEY.sub(r"\1…", text)
    if "uthorization" in text or "UTHORIZATION" in text:
        text = _AUTHORIZATION_CREDENTIAL.sub(r"\1…", text)
    return _DISABLEMENT_SECRET.sub(r"\1…", text) if "disablement-secret:" in text else text


# A value the user replaced by a bare (unquoted) placeholder in pasted JSON: `"Hostname": <redacted>`, `[REDACTED]`,
# `REDACTED`, `***`, `xxx`, `...`, `…`; only where a value stands (after ":" or in a list) and up to where it ends.
_BARE_PLACEHOLDER = re.compile(
    r"(?<=[:\[,])(?P<space>[ \t]*)(?P<value><[^<>\"\n]{1,60}>"
    r"|\[[^\[\]\"\n]{0,30}(?i:redact|hidden|removed)[^\[\]\"\n]{0,30}\]"
    r"|(?i:redacted)|\*{3,}|[xX]{3,}|\.\.\.|…)(?=[ \t]*(?:[,}\]]|$))",
    re.MULTILINE,
)
_JSON_STRING = re.compile(r'("(?:[^"\\\n]|\\.)*")')


def quote_bare_placeholders(text: str) -> str:
    """Pasted JSON with each bare redaction placeholder made a string of itself (``<redacted>`` →
    ``"<redacted>"``), so the document parses and shows what was hidden; the text unchanged when it has none.
    Strings are left as they are (a "[REDACTED]" string is a value already)."""
    if not any(mark in text for mark in ("<", "[", "edacted", "EDACTED", "**", "xxx", "XXX", "...", "…")):
        return text
    pieces = _JSON_STRING.split(text)  # the strings at the odd indexes
    return "".join(
        piece if index % 2 else _BARE_PLACEHOLDER.sub(_quoted_placeholder, piece) for index, piece in enumerate(pieces)
    )


def _quoted_placeholder(match: re.Match[str]) -> str:
    return match["space"] + json.dumps(match["value"], ensure_ascii=False)


def json5_document(text: str) -> object | None:
    """``text`` read as JSON5 as people paste it: ``//`` and ``/* … */`` comments (an elided part) and trailing
    commas allowed; None when it is not that either."""
    out: list[str] = []
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char == '"':
            end = json_string_end(text, index + 1)
            end = length if end < 0 else end
            out.append(text[index:end])
            index = end
            continue
        if text.startswith("/*", index):
            close = text.find("*/", index + 2)
            if close < 0:
                return None
            out.append("null" if _value_expected(out) else " ")
            index = close + 2
            continue
        if text.startswith("//", index):
            newline = text.find("\n", index)
            index = length if newline < 0 else newline
            continue
        out.append(char)
        index += 1
    cleaned = re.sub(r",(\s*[}\]])", r"\1", "".join(out))
    cleaned = re.sub(r"\{\s*null\s*\}", "{}", cleaned)  # "{ /* … */ }": an object whose members were cut
    cleaned = re.sub(r"\[\s*null\s*\]", "[]", cleaned)
    return parse_pasted_json(cleaned)


def parse_pasted_json(text: str) -> object | None:
    """``json.loads`` that returns None instead of raising (pastes are often cut short), and reads a document
    whose values the user replaced by bare placeholders (quote_bare_placeholders) when it fails as it is."""
    document: object
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        quoted = quote_bare_placeholders(text)
        if quoted == text:
            return None
        try:
            document = json.loads(quoted)
        except (ValueError, RecursionError):
            return None
    return document


# Outside a string no JSON token holds one of these: after a value they start a note the poster typed (`# my
# NAS`, `<-- this one`, `// 这是家里的`, `← here`, `(offline since monday)`).
_JSON_NOTE_CHAR = re.compile("[#<(/\u2190\u2b05]")
_JSON_NOTE_OR_QUOTE = re.compile('["#<(/\u2190\u2b05]')  # and where a string to skip starts
_TRAILING_COMMA = re.compile(r",\s*[}\]]")
# A line standing for lines the poster cut (`...`, `…`, `[snip]`): never JSON (`[true]`, `["a"]` are).
_JSON_ELISION = re.compile(r"\.{3,}|\u2026+|\[(?!(?:true|false|null)\])[^\]\d\"{},]{1,30}\]")


def _json_line_without_note(line: str, in_string: bool) -> tuple[str, bool]:
    """``line`` without a note typed after its JSON, and whether a string is still open at its end (a JSON
    string never spans lines: a wrap cut it)."""
    if not in_string and "\\" not in line and line.count('"') % 2 == 0 and _JSON_NOTE_CHAR.search(line) is None:
        return line, False  # the common line, told at C speed: nothing to walk through
    index = json_string_end(line, 0) if in_string else 0
    while index >= 0 and (mark := _JSON_NOTE_OR_QUOTE.search(line, index)) is not None:
        index = mark.start()
        if line[index] == '"':
            index = json_string_end(line, index + 1)
        elif line.startswith("/*", index) and (close := line.find("*/", index + 2)) >= 0:
            index = close + 2  # `/* … */` where the poster cut something: json5_document's to read
        else:
            return line[:index].rstrip(), False
    return line, index < 0


def without_json_note(line: str) -> str:
    """One line of pasted JSON without the note typed after its value (``"Active": false,  <-- this one``)."""
    return _json_line_without_note(line, False)[0]


def is_json_elision(text: str) -> bool:
    """Whether ``text`` (stripped) is a line standing for lines the poster cut from a JSON paste."""
    return bool(_JSON_ELISION.fullmatch(text))


def annotated_json_document(texts: Sequence[str]) -> object | None:
    """The JSON document ``texts`` (its lines) show as people annotate a paste of it: a note after a value or on
    a line of its own, a line marking an elision, a long string soft-wrapped onto the next line (joined at a
    space), and what json5_document reads; None when it is not JSON even so. For a paste plain JSON refused."""
    kept: list[str] = []
    open_string = False
    for raw in texts:
        line, wrapped = _json_line_without_note(raw.strip(), open_string)
        if open_string:
            kept[-1] = f"{kept[-1]} {line}"
        elif line and not is_json_elision(line):
            kept.append(line)
        open_string = wrapped
    text = "\n".join(kept)
    try:
        document: object = json.loads(text)
    except (ValueError, RecursionError):
        # what JSON5 adds (a `/* … */`, a trailing comma: an elision's), only when the text shows it (prose in
        # braces comes here too)
        document = None
        if not open_string and kept and ("/*" in text or _TRAILING_COMMA.search(text) is not None):
            document = json5_document(text)
        if document is None and any("/*" in raw for raw in texts):
            document = json5_document("\n".join(texts))  # a `/* … */` over several lines: what was cut was no note
    return document


def _value_expected(out: list[str]) -> bool:
    """Whether a comment at this point stands where a value goes (after ":", "[" or ",", inside an object)."""
    before = "".join(out[-40:]).rstrip()
    return before.endswith((":", "[", "{"))


# A URL a terminal cut at its width goes on at the start of the next line: that line is only URL characters, no
# sentence's end (",", ".", ":"), no other URL, and no longer than the line the terminal filled above it.
_URL_AT_END = lazy_compile(r"https?://[^\s`'\"<>]+$")
_URL_TAIL = lazy_compile(r"[\w\-.~/?#\[\]@!$&'()*+;=%:,]*[\w\-~/?#\[\]@!$&'()*+;=%]")
_CUT_WIDTH_MIN = 20  # no terminal is narrower


def url_tail_end(lines: Sequence[SourceLine], index: int) -> int:
    """The index of the last line of the URL that ends ``lines[index]`` when a terminal cut it at its width and
    put the rest on the lines below (``…/a/cae2`` then ``d9c2019d``); ``index`` itself when nothing goes on."""
    line = lines[index]
    if "://" not in line.text or len(line.raw.rstrip()) < _CUT_WIDTH_MIN or _URL_AT_END.search(line.text) is None:
        return index
    width = len(line.raw.rstrip())
    end = index
    while end + 1 < len(lines):
        tail = lines[end + 1]
        if (
            not tail.text
            or tail.command is not None
            or len(tail.raw.rstrip()) > width
            or "://" in tail.text
            or _URL_TAIL.fullmatch(tail.text) is None
        ):
            break
        end += 1
        if len(tail.raw.rstrip()) < width:  # a piece shorter than the width is the URL's last
            break
    return end
