"""The parsed nginx tree: directives with file:line, included files spliced in where nginx reads them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar, cast

T = TypeVar("T")


@dataclass(frozen=True, eq=False, slots=True)
class Directive:
    """One nginx directive; ``block`` is None for simple directives and a tuple for blocks.

    Directives from an included file sit in the includer's block (as nginx sees them) but keep the
    included file's name and line, so findings point at the file the user has to edit.
    """

    name: str
    args: tuple[str, ...]
    file: str
    line: int
    block: tuple[Directive, ...] | None = None

    @property
    def children(self) -> tuple[Directive, ...]:
        return self.block or ()

    def first(self, name: str) -> Directive | None:
        """The first direct child called ``name``."""
        return next((d for d in self.children if d.name == name), None)

    def all(self, name: str) -> list[Directive]:
        """Every direct child called ``name``."""
        return [d for d in self.children if d.name == name]

    def text(self) -> str:
        """The directive as one line of config (for messages)."""
        return " ".join((self.name, *self.args)) + (" { … }" if self.block is not None else ";")


@dataclass(frozen=True, slots=True)
class Node:
    """A directive with the chain of blocks that contain it (outermost first)."""

    directive: Directive
    parents: tuple[Directive, ...]
    root: tuple[Directive, ...] = ()  # the file's top-level directives: the outermost scope

    @property
    def context(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parents)

    def enclosing(self, name: str) -> Directive | None:
        """The nearest enclosing block called ``name`` (e.g. the ``server`` of a location)."""
        return next((p for p in reversed(self.parents) if p.name == name), None)

    def scopes(self) -> list[tuple[Directive, ...]]:
        """Blocks whose directives are inherited here, nearest first (own block, then parents).

        ``if`` blocks are skipped as inheritance scopes on purpose: a directive inside ``if`` only
        applies when the condition holds, so it cannot be relied on for the surrounding location.
        """
        blocks: list[tuple[Directive, ...]] = []
        if self.directive.block is not None:
            blocks.append(self.directive.block)
        for parent in reversed(self.parents):
            if parent.name == "if":
                continue
            blocks.append(parent.children)
        blocks.append(self.root)
        return blocks


@dataclass(frozen=True)
class NginxConfig:
    """A parsed configuration rooted at ``root_file``.

    ``top_context`` says where the root file's directives live: ``()`` for a full nginx.conf,
    ``("http",)`` for a conf.d snippet with ``server``/``upstream`` blocks, ``("http", "server")`` for
    a file of locations. ``texts`` holds every file read (for evidence lines and suppressions).
    """

    root_file: str
    directives: tuple[Directive, ...]
    top_context: tuple[str, ...]
    texts: dict[str, str] = field(default_factory=dict)
    missing_includes: tuple[tuple[str, int, str], ...] = ()  # (file, line, pattern) that matched nothing
    # Memo for derived views (node list, per-block indexes, resolver usage): rules ask the same
    # questions of the same tree, and a 5,000-server config must stay linear.
    memo: dict[object, object] = field(default_factory=dict, compare=False, repr=False)

    def memoized(self, key: str, build: Callable[[], T]) -> T:
        """``build()`` once per config and question: the derived view every rule asks for again."""
        if key not in self.memo:
            self.memo[key] = build()
        return cast(T, self.memo[key])

    def walk(self) -> Iterator[Node]:
        """Every directive, depth first, in file order, with its parents."""
        return iter(self.memoized("nodes", lambda: list(_walk(self.directives, (), self.directives))))

    def http_blocks(self) -> list[tuple[Directive, ...]]:
        """The directive lists that form one ``http{}`` each (a snippet is one implicit http)."""
        if self.top_context:
            return [self.directives] if self.top_context[0] == "http" else []
        return [d.children for d in self.directives if d.name == "http"]

    def in_http(self, node: Node) -> bool:
        """True when the node is part of HTTP configuration (not ``stream``/``mail``/``events``)."""
        if self.top_context:
            return self.top_context[0] == "http"
        return bool(node.parents) and node.parents[0].name == "http"

    @property
    def is_snippet(self) -> bool:
        """True for a file linted without its nginx.conf: the http{} around it is not known."""
        return bool(self.top_context)

    def snippet_note(self) -> str:
        """Appended to causes that depend on settings an including nginx.conf might make."""
        if not self.is_snippet:
            return ""
        return f" (if the nginx.conf that includes {self.root_file} sets it, lint them together)"

    def line_text(self, file: str, line: int) -> str:
        lines = self.texts.get(file, "").splitlines()
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""


class Block(tuple["Directive", ...]):
    """The directives of one block (or of a file's top level), in order, as the parser builds them.

    Rules ask "the ``resolver`` of this block?" for every pass site of a 5,000-server config; the
    by-name index is built once, on first use, and lives as long as the block itself (a tuple subclass
    gets an instance ``__dict__``, which is where ``cached_property`` keeps it).
    """

    @cached_property
    def by_name(self) -> dict[str, list[Directive]]:
        return _index_by_name(self)


def _index_by_name(block: tuple[Directive, ...]) -> dict[str, list[Directive]]:
    index: dict[str, list[Directive]] = {}
    for directive in block:
        index.setdefault(directive.name, []).append(directive)
    return index


def block_index(block: tuple[Directive, ...]) -> dict[str, list[Directive]]:
    """Directives of a block by name: cached on a parsed ``Block``, built afresh for a plain tuple."""
    if type(block) is Block:
        return block.by_name
    return _index_by_name(block)


def _walk(block: tuple[Directive, ...], parents: tuple[Directive, ...], root: tuple[Directive, ...]) -> Iterator[Node]:
    for directive in block:
        yield Node(directive, parents, root)
        if directive.block:
            yield from _walk(directive.block, (*parents, directive), root)
