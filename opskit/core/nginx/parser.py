"""Text in, tree out: nginx configs tokenized with crossplane's rules, checked with crossplane's table.

The parser never opens files: a :class:`ConfigSource` (an adapter) reads text and expands globs, so
the core stays pure and tests can feed in-memory files. ``include`` follows nginx: a relative
pattern is relative to the *prefix* (the main file's directory unless given), globs expand sorted,
a glob matching nothing is fine, a plain path that is missing is an error in nginx — here it is
recorded in ``missing_includes`` so a repository snippet can still be linted on another machine.

crossplane's own ``parse()`` opens files by itself, so we tokenize with :mod:`.lexer` (crossplane's
lexing rules, ~20x faster than its per-character lexer) and check every directive with crossplane's
analyser (context and argument count, from its directive table) once the tree is assembled.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Protocol

from crossplane.analyzer import DIRECTIVES, analyze, enter_block_ctx
from crossplane.errors import NgxParserBaseException

from opskit.core.nginx.lexer import Token, tokenize
from opskit.core.nginx.tree import Block, Directive, NginxConfig
from opskit.core.syntax_errors import syntax_error
from opskit.errors import InputError

# Directives that only exist at the top of a full nginx.conf.
_MAIN_MARKERS = frozenset({"http", "events", "stream", "mail", "worker_processes", "user", "pid"})
_HTTP_MARKERS = frozenset(
    {
        "server",
        "upstream",
        "map",
        "geo",
        "split_clients",
        "limit_req_zone",
        "limit_conn_zone",
        "log_format",
        "proxy_cache_path",
    }
)
MAX_INCLUDE_DEPTH = 32
# Words an error may quote (see opskit.core.syntax_errors): crossplane's directive table plus the
# Tengine directives the rules know.
VOCABULARY = frozenset(DIRECTIVES) | {"dynamic_resolve"}
DEFAULT_MAX_EXPANDED_BYTES = 64 * 1024 * 1024
"""How much config text one root may splice in, counting a file once per ``include`` of it: ten
files that each include the next ten times are 10^8 copies (an include bomb); the CLI passes the
config input limit (``OPSKIT_MAX_INPUT_BYTES``) instead."""
_MIN_INCLUDE_COST = 1024  # each splice counts at least 1 KiB: at most 65,536 splices per 64 MiB
_SPECIAL = frozenset({"{", ";", "}"})


class ConfigSource(Protocol):
    """What the parser needs from the outside world: read a file, expand a glob."""

    def read(self, path: str) -> str: ...

    def glob(self, pattern: str) -> list[str]: ...

    def exists(self, path: str) -> bool: ...


def guess_top_context(directives: list[str]) -> tuple[str, ...]:
    """Where a root file's top-level directives live, judged from which directives it has."""
    names = set(directives)
    if names & _MAIN_MARKERS:
        return ()
    if names & _HTTP_MARKERS:
        return ("http",)
    if "location" in names:
        return ("http", "server")
    return ("http", "server", "location")


def parse_nginx(
    path: str, source: ConfigSource, prefix: str | None = None, max_expanded_bytes: int = DEFAULT_MAX_EXPANDED_BYTES
) -> NginxConfig:
    """Parse the config rooted at ``path``; raises InputError with file:line on a syntax error, or
    when includes splice in more than ``max_expanded_bytes`` of text (see DEFAULT_MAX_EXPANDED_BYTES)."""
    parser = _Parser(source, prefix if prefix is not None else posixpath.dirname(path), max_expanded_bytes)
    text = parser.load(path)
    directives = parser.parse_block(tokenize(text, path), path, depth=0, top_level=True)
    # The context of a root file is only known from its top-level directives: check afterwards.
    top = guess_top_context([d.name for d in directives])
    _check_block(directives, top)
    return NginxConfig(
        root_file=path,
        directives=Block(directives),
        top_context=top,
        texts=parser.texts,
        missing_includes=tuple(parser.missing),
    )


class _Parser:
    def __init__(self, source: ConfigSource, prefix: str, max_expanded_bytes: int) -> None:
        self.source = source
        self.prefix = prefix
        self.expansion_left = max_expanded_bytes
        self.texts: dict[str, str] = {}
        self.missing: list[tuple[str, int, str]] = []

    def load(self, path: str) -> str:
        if path not in self.texts:
            self.texts[path] = self.source.read(path)
        return self.texts[path]

    def parse_block(self, tokens: Iterator[Token], file: str, depth: int, top_level: bool = False) -> list[Directive]:
        """Statements up to the matching ``}`` (or the end of the file at top level)."""
        parsed: list[Directive] = []
        line = 0
        for token, line, quoted in tokens:
            if not quoted and token in _SPECIAL:
                if token != "}":
                    raise InputError.at(file, line, None, f'unexpected "{token}"')
                if top_level:
                    raise InputError.at(file, line, None, 'unexpected "}"')
                return parsed
            name, args, terminator = token, [], None
            for arg, _arg_line, arg_quoted in tokens:
                if not arg_quoted and arg in _SPECIAL:
                    terminator = arg
                    break
                args.append(arg)
            if terminator is None:
                raise _statement_error(
                    file,
                    line,
                    name,
                    'unexpected end of file, expecting ";" or "}" after {word}',
                    'unexpected end of file, expecting ";" or "}"',
                )
            if terminator == "}":
                raise _statement_error(
                    file, line, name, 'directive {word} is not terminated by ";"', 'statement is not terminated by ";"'
                )
            if name == "if":
                args = _strip_if_parens(args)
            if terminator == "{":
                parsed.append(Directive(name, tuple(args), file, line, Block(self.parse_block(tokens, file, depth))))
            elif name == "include" and args:
                parsed.extend(self.include(args[0], file, line, depth))
            else:
                parsed.append(Directive(name, tuple(args), file, line))
        if not top_level:
            text = self.texts.get(file, "")
            # the file's last line (a final line without "\n" counts too)
            last_line = text.count("\n") + (0 if text.endswith("\n") else 1) if text else line or None
            raise InputError.at(file, last_line, None, 'unexpected end of file, expecting "}"')
        return parsed

    def include(self, pattern: str, file: str, line: int, depth: int) -> list[Directive]:
        if depth >= MAX_INCLUDE_DEPTH:
            raise InputError.at(file, line, "include", f"includes nested deeper than {MAX_INCLUDE_DEPTH} (a loop?)")
        full = pattern if posixpath.isabs(pattern) else posixpath.join(self.prefix, pattern)
        if any(ch in full for ch in "*?["):
            paths = sorted(self.source.glob(full))
        elif self.source.exists(full):
            paths = [full]
        else:
            paths = []
        if not paths:
            # Keep the include in the tree: rules must not claim a directive is missing when it may
            # come from a file this machine does not have (see ``has_unresolved_include``).
            self.missing.append((file, line, pattern))
            return [Directive("include", (pattern,), file, line)]
        spliced: list[Directive] = []
        for path in paths:
            text = self.load(path)
            self.expansion_left -= max(len(text), _MIN_INCLUDE_COST)
            if self.expansion_left < 0:
                raise InputError.at(
                    file,
                    line,
                    "include",
                    "the includes splice in more config text than the input limit (a file included "
                    "over and over?); set OPSKIT_MAX_INPUT_BYTES to raise it",
                )
            spliced.extend(self.parse_block(tokenize(text, path), path, depth + 1, top_level=True))
        return spliced


def _check_block(block: list[Directive] | tuple[Directive, ...], ctx: tuple[str, ...]) -> None:
    """crossplane's context and argument checks over the assembled tree (includes spliced in)."""
    for directive in block:
        if directive.block is None:
            _check_directive(directive, ";", ctx)
        else:
            _check_directive(directive, "{", ctx)
            _check_block(directive.block, enter_block_ctx({"directive": directive.name, "args": directive.args}, ctx))


_ACCEPTED: set[tuple[str, tuple[str, ...], str, int, bool]] = set()


def _check_directive(directive: Directive, terminator: str, ctx: tuple[str, ...]) -> None:
    """crossplane's verdict depends only on this key, so accepted keys are not checked again."""
    args = directive.args
    key = (directive.name, ctx, terminator, len(args), len(args) == 1 and args[0].lower() in ("on", "off"))
    if key in _ACCEPTED:
        return
    try:
        analyze(
            fname=directive.file,
            stmt={"directive": directive.name, "line": directive.line, "args": list(args)},
            term=terminator,
            ctx=ctx,
        )
    except NgxParserBaseException as error:
        # crossplane only judges directives from its table, so the name is vocabulary; its on/off
        # message also quotes the argument, which is input: say the same without it.
        problem = str(error.strerror)
        if problem.startswith("invalid value "):
            problem = 'invalid value in {word} directive, it must be "on" or "off"'
        else:
            problem = problem.replace(f'"{directive.name}"', "{word}", 1)
        unquoted = problem.replace("{word}", "this")
        raise _statement_error(directive.file, directive.line, directive.name, problem, unquoted) from None
    _ACCEPTED.add(key)


def _statement_error(file: str, line: int, name: str, quoted: str, unquoted: str) -> InputError:
    """A syntax error about the statement starting with ``name`` (quoted only if it is a directive)."""
    return syntax_error(
        file, line, word=name, quoted=quoted, unquoted=unquoted, vocabulary=VOCABULARY, what="nginx directive"
    )


def _strip_if_parens(args: list[str]) -> list[str]:
    """``if ($a = b)`` lexes as ``($a``, ``=``, ``b)``; nginx sees the parentheses as delimiters."""
    if args and args[0].startswith("("):
        args = [args[0][1:], *args[1:]]
        if args[0] == "":
            args = args[1:]
    if args and args[-1].endswith(")"):
        args = [*args[:-1], args[-1][:-1]]
        if args[-1] == "":
            args = args[:-1]
    return args
