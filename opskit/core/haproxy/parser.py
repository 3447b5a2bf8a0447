"""HAProxy's config syntax: line-based words, quoting, escapes, comments, sections, ``.if`` blocks.

Follows HAProxy's own tokenizer (``parse_line`` in src/tools.c): words split on blanks; a backslash
escapes the next character; ``'...'`` quotes strongly, ``"..."`` weakly (environment variables are
expanded by HAProxy at start-up — kept verbatim here); an unquoted ``#`` starts a comment.

Conditional blocks (``.if``/``.elif``/``.else``/``.endif``) depend on build features and the
environment, which a linter cannot know: the first branch is taken as the active one (the usual
"feature present" reading) and the others are skipped; statements inside carry ``in_conditional``.
Unbalanced blocks are a parse error with file:line, as in HAProxy.
"""

from __future__ import annotations

from opskit.core.haproxy.model import PROXY_KINDS, HaproxyConfig, Section, Statement
from opskit.core.syntax_errors import syntax_error
from opskit.errors import InputError

SECTION_KINDS = frozenset(
    {
        "global",
        "defaults",
        "frontend",
        "backend",
        "listen",
        "peers",
        "resolvers",
        "userlist",
        "mailers",
        "program",
        "http-errors",
        "ring",
        "cache",
        "log-forward",
        "traces",
        "crt-store",
        "acme",
    }
)
_DIAGNOSTIC_DIRECTIVES = frozenset({".diag", ".notice", ".warning", ".alert"})
_CONDITIONAL_DIRECTIVES = frozenset({".if", ".elif", ".else", ".endif"}) | _DIAGNOSTIC_DIRECTIVES


def tokenize_line(text: str, file: str, line: int) -> list[str]:
    """Split one config line into words; raises InputError on an unterminated quote."""
    words: list[str] = []
    current: list[str] = []
    in_word = False
    quote: str | None = None
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == quote:
                quote = None
            elif char == "\\" and quote == '"' and index + 1 < len(text):
                index += 1
                current.append(text[index])
            else:
                current.append(char)
        elif char == "\\" and index + 1 < len(text):
            index += 1
            current.append(text[index])
            in_word = True
        elif char in ("'", '"'):
            quote = char
            in_word = True
        elif char == "#":
            break
        elif char in " \t\r\n":
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
        else:
            current.append(char)
            in_word = True
        index += 1
    if quote:
        raise InputError.at(file, line, None, f"unmatched quote ({quote}) in HAProxy config line")
    if in_word:
        words.append("".join(current))
    return words


def parse_haproxy(files: list[tuple[str, str]]) -> HaproxyConfig:
    """Parse ``(name, text)`` pairs in order, as ``haproxy -f a -f b`` reads them."""
    sections: list[Section] = []
    for name, text in files:
        sections.extend(_parse_file(name, text))
    _resolve_defaults(sections)
    return HaproxyConfig(files=tuple(n for n, _ in files), sections=tuple(sections), texts=dict(files))


def _parse_file(file: str, text: str) -> list[Section]:
    sections: list[Section] = []
    current: Section | None = None
    # each open .if: (line, branch_taken, currently_active)
    conditions: list[tuple[int, bool, bool]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        words = tokenize_line(raw, file, number)
        if not words:
            continue
        keyword = words[0]
        if keyword.startswith("."):
            _conditional(keyword, conditions, file, number)
            continue
        if not all(active for _, _, active in conditions):
            continue
        statement = Statement(tuple(words), file, number, raw.strip(), in_conditional=bool(conditions))
        if keyword in SECTION_KINDS:
            current = _new_section(statement)
            sections.append(current)
            continue
        if current is None:
            # Quoted only if it is a section keyword (never: those open a section); the text of a
            # file that is not HAProxy config stays out of the message (see opskit.core.syntax_errors).
            raise syntax_error(
                file,
                number,
                word=keyword,
                quoted="{word} outside of any section",
                unquoted="keyword outside of any section "
                "(expected global, defaults, frontend, backend or listen first)",
                vocabulary=SECTION_KINDS,
                what="HAProxy section keyword",
            )
        current.statements.append(statement)
    if conditions:
        raise InputError.at(file, conditions[-1][0], ".if", "missing .endif for this .if block")
    return sections


def _conditional(keyword: str, conditions: list[tuple[int, bool, bool]], file: str, number: int) -> None:
    if keyword == ".if":
        conditions.append((number, True, True))
    elif keyword in (".elif", ".else"):
        if not conditions:
            raise InputError.at(file, number, keyword, f"{keyword} without a matching .if")
        start, _taken, _active = conditions[-1]
        conditions[-1] = (start, True, False)  # first branch was taken: later branches are skipped
    elif keyword == ".endif":
        if not conditions:
            raise InputError.at(file, number, keyword, ".endif without a matching .if")
        conditions.pop()
    elif keyword not in _DIAGNOSTIC_DIRECTIVES:
        raise syntax_error(
            file,
            number,
            word=keyword,
            quoted="{word} is not a conditional block directive",
            unquoted="unknown conditional block directive",
            vocabulary=_CONDITIONAL_DIRECTIVES,
            what="HAProxy conditional directive",
        )


def _new_section(header: Statement) -> Section:
    words = header.words
    name = words[1] if len(words) > 1 and words[1] != "from" else ""
    from_name = None
    if "from" in words[1:]:
        position = words.index("from", 1)
        from_name = words[position + 1] if position + 1 < len(words) else None
    return Section(kind=words[0], name=name, file=header.file, line=header.line, header=header, from_name=from_name)


def _resolve_defaults(sections: list[Section]) -> None:
    """Link each proxy (and named defaults with ``from``) to the defaults section it inherits."""
    last_defaults: Section | None = None
    named: dict[str, Section] = {}
    for section in sections:
        if section.kind == "defaults":
            if section.from_name:
                section.defaults = named.get(section.from_name)
                if section.defaults is None:
                    raise InputError.at(
                        section.file,
                        section.line,
                        "from",
                        f"defaults section '{section.from_name}' is not defined before this line",
                    )
            if section.name:
                named[section.name] = section
            last_defaults = section
        elif section.kind in PROXY_KINDS:
            if section.from_name:
                section.defaults = named.get(section.from_name)
                if section.defaults is None:
                    raise InputError.at(
                        section.file,
                        section.line,
                        "from",
                        f"defaults section '{section.from_name}' is not defined before this line",
                    )
            else:
                section.defaults = last_defaults
