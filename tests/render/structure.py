"""Reduce rendered configs to their *structure* with opskit's own parsers (core/nginx, core/haproxy):
which directives exist where, with how many arguments. A test can then tell "a value changed" from
"a value added, removed or moved a directive"."""

from __future__ import annotations

from collections import Counter
from typing import Any

import yaml

from opskit.core.haproxy.parser import parse_haproxy, tokenize_line
from opskit.core.lint.inputs import MemorySource
from opskit.core.nginx import Directive, parse_nginx

Shape = Counter[tuple[Any, ...]]


def nginx_shape(name: str, text: str) -> Shape:
    """(enclosing block names, directive, argument count) for every directive, counted."""
    path = f"/rendered/{name}"
    config = parse_nginx(path, MemorySource({path: text}))
    shape: Shape = Counter()

    def walk(block: tuple[Directive, ...], context: tuple[str, ...]) -> None:
        for directive in block:
            shape[(*context, directive.name, len(directive.args))] += 1
            if directive.block is not None:
                walk(directive.block, (*context, directive.name))

    walk(config.directives, config.top_context)
    return shape


def haproxy_shape(name: str, text: str) -> Shape:
    """Sections (kind, header word count) and statements (section kind, keyword, word count), counted.

    ``.if``/``.alert`` lines are not statements in the parsed model: they are counted from the
    parser's own tokenizer, so a value cannot add one unnoticed either.
    """
    config = parse_haproxy([(name, text)])
    shape: Shape = Counter()
    for section in config.sections:
        shape[("section", section.kind, len(section.header.words))] += 1
        for statement in section.statements:
            shape[(section.kind, statement.keyword, len(statement.words), statement.in_conditional)] += 1
    for number, raw in enumerate(text.splitlines(), start=1):
        words = tokenize_line(raw, name, number)
        if words and words[0].startswith("."):
            shape[("conditional", words[0], len(words))] += 1
    return shape


def yaml_shape(text: str) -> Shape:
    """Every key path (and list length) of each document of a YAML stream."""
    shape: Shape = Counter()

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                shape[(*path, key)] += 1
                walk(value, (*path, key))
        elif isinstance(node, list):
            shape[(*path, "len", len(node))] += 1
            for item in node:
                walk(item, (*path, "[]"))
        else:
            shape[(*path, type(node).__name__)] += 1

    for index, document in enumerate(yaml.safe_load_all(text)):
        walk(document, (index,))
    return shape


def file_shape(name: str, text: str) -> Shape | None:
    """The structure of one rendered file, by its kind; None for prose (reports)."""
    if name.startswith("haproxy") and name.endswith(".cfg"):
        return haproxy_shape(name, text)
    if name.endswith(".conf"):
        return nginx_shape(name, text)
    if name.endswith((".yml", ".yaml")):
        return yaml_shape(text)
    return None
