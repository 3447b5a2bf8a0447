"""Text in, tree out: nginx configs lexed with crossplane, checked with crossplane's directive table.

The parser never opens files: a :class:`ConfigSource` (an adapter) reads text and expands globs, so
the core stays pure and tests can feed in-memory files. ``include`` follows nginx: a relative
pattern is relative to the *prefix* (the main file's directory unless given), globs expand sorted,
a glob matching nothing is fine, a plain path that is missing is an error in nginx — here it is
recorded in ``missing_includes`` so a repository snippet can still be linted on another machine.

crossplane's own ``parse()`` opens files by itself, so we drive its lexer and analyser directly;
both have been stable since crossplane 0.5 (the last release line).
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Iterator
from typing import Protocol

from crossplane.analyzer import analyze, enter_block_ctx
from crossplane.errors import NgxParserBaseException
from crossplane.lexer import _balance_braces, _lex_file_object

from opskit.core.nginx.tree import Directive, NginxConfig
from opskit.errors import InputError

Token = tuple[str, int, bool]

# Directives that only exist at the top of a full nginx.conf.
_MAIN_MARKERS = frozenset({"http", "events", "stream", "mail", "worker_processes", "user", "pid"})
_HTTP_MARKERS = frozenset({"server", "upstream", "map", "geo", "split_clients", "limit_req_zone",
                           "limit_conn_zone", "log_format", "proxy_cache_path"})
_MAX_INCLUDE_DEPTH = 32


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


def parse_nginx(path: str, source: ConfigSource, prefix: str | None = None) -> NginxConfig:
    """Parse the config rooted at ``path``; raises InputError with file:line on a syntax error."""
    parser = _Parser(source, prefix if prefix is not None else posixpath.dirname(path))
    text = parser.load(path, None)
    tokens = list(_tokens(text, path))
    top = guess_top_context(_top_level_names(tokens))
    directives = parser.parse_block(iter(tokens), path, top, depth=0, top_level=True)
    return NginxConfig(
        root_file=path,
        directives=tuple(directives),
        top_context=top,
        texts=parser.texts,
        missing_includes=tuple(parser.missing),
    )


def _tokens(text: str, path: str) -> Iterator[Token]:
    try:
        yield from _balance_braces(_lex_file_object(io.StringIO(text)), path)
    except NgxParserBaseException as error:
        raise InputError.at(path, error.lineno, None, error.strerror) from None


def _top_level_names(tokens: list[Token]) -> list[str]:
    """Names of the top-level directives (depth 0, first token of each statement)."""
    names: list[str] = []
    depth, expect_name = 0, True
    for token, _line, quoted in tokens:
        if not quoted and token.startswith("#"):
            continue
        if not quoted and token in ("{", "}", ";"):
            depth += {"{": 1, "}": -1, ";": 0}[token]
            expect_name = True
            continue
        if expect_name and depth == 0:
            names.append(token)
        expect_name = False
    return names


class _Parser:
    def __init__(self, source: ConfigSource, prefix: str) -> None:
        self.source = source
        self.prefix = prefix
        self.texts: dict[str, str] = {}
        self.missing: list[tuple[str, int, str]] = []

    def load(self, path: str, included_from: tuple[str, int] | None) -> str:
        if path not in self.texts:
            self.texts[path] = self.source.read(path)
        return self.texts[path]

    def parse_block(
        self, tokens: Iterator[Token], file: str, ctx: tuple[str, ...], depth: int, top_level: bool = False
    ) -> list[Directive]:
        """Statements up to the matching ``}`` (or the end of the file at top level)."""
        parsed: list[Directive] = []
        for token, line, quoted in tokens:
            if not quoted and token == "}":
                if top_level:
                    raise InputError.at(file, line, None, 'unexpected "}"')
                return parsed
            if not quoted and token.startswith("#"):
                continue
            if not quoted and token in ("{", ";"):
                raise InputError.at(file, line, None, f'unexpected "{token}"')
            name, args, terminator = token, [], None
            for arg, _arg_line, arg_quoted in tokens:
                if not arg_quoted and arg in ("{", ";", "}"):
                    terminator = arg
                    break
                if not arg_quoted and arg.startswith("#"):
                    continue
                args.append(arg)
            if terminator is None:
                raise InputError.at(file, line, None, f'unexpected end of file, expecting ";" or "}}" after "{name}"')
            if terminator == "}":
                raise InputError.at(file, line, None, f'directive "{name}" is not terminated by ";"')
            if name == "if":
                args = _strip_if_parens(args)
            try:
                analyze(fname=file, stmt={"directive": name, "line": line, "args": args}, term=terminator,
                        ctx=ctx)
            except NgxParserBaseException as error:
                raise InputError.at(file, line, None, error.strerror) from None
            if terminator == "{":
                inner = tuple(self.parse_block(tokens, file, enter_block_ctx({"directive": name, "args": args},
                                                                             ctx), depth))
                parsed.append(Directive(name, tuple(args), file, line, inner))
            elif name == "include" and args:
                parsed.extend(self.include(args[0], file, line, ctx, depth))
            else:
                parsed.append(Directive(name, tuple(args), file, line))
        if not top_level:
            raise InputError.at(file, None, None, 'unexpected end of file, expecting "}"')
        return parsed

    def include(self, pattern: str, file: str, line: int, ctx: tuple[str, ...], depth: int) -> list[Directive]:
        if depth >= _MAX_INCLUDE_DEPTH:
            raise InputError.at(file, line, "include", f"includes nested deeper than {_MAX_INCLUDE_DEPTH} (a loop?)")
        full = pattern if posixpath.isabs(pattern) else posixpath.join(self.prefix, pattern)
        if any(ch in full for ch in "*?["):
            paths = sorted(self.source.glob(full))
        elif self.source.exists(full):
            paths = [full]
        else:
            self.missing.append((file, line, pattern))
            paths = []
        spliced: list[Directive] = []
        for path in paths:
            text = self.load(path, (file, line))
            spliced.extend(self.parse_block(iter(list(_tokens(text, path))), path, ctx, depth + 1, top_level=True))
        return spliced


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
