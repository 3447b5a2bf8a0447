"""Reduce rendered configs to their *structure* (which directives exist where, with how many arguments),
so a test can tell "a value changed" from "a value added or removed a directive"."""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

Shape = Counter[tuple[Any, ...]]


def nginx_shape(text: str) -> Shape:
    import crossplane

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "snippet.conf"
        path.write_text(text)
        parsed = crossplane.parse(str(path), single=True, check_ctx=False, check_args=False, comments=False)
    if parsed["errors"]:
        return Counter({("parse-error", str(parsed["errors"][0]["error"])): 1})
    shape: Shape = Counter()

    def walk(block: list[dict[str, Any]], context: tuple[str, ...]) -> None:
        for directive in block:
            shape[(*context, directive["directive"], len(directive["args"]))] += 1
            if "block" in directive:
                walk(directive["block"], (*context, directive["directive"]))

    walk(parsed["config"][0]["parsed"], ())
    return shape


_HAPROXY_SECTIONS = {"global", "defaults", "frontend", "backend", "listen", "userlist", "peers", "resolvers",
                     "cache", "program", "http-errors", "ring", "mailers"}


def haproxy_tokens(line: str) -> list[str]:
    """HAProxy's word splitting: whitespace separates, quotes group, backslash escapes, # starts a comment."""
    tokens: list[str] = []
    current = ""
    quote = ""
    has_token = False
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if char == quote:
                quote = ""
            elif char == "\\" and quote == '"' and index + 1 < len(line):
                index += 1
                current += line[index]
            else:
                current += char
        elif char in "\"'":
            quote = char
            has_token = True
        elif char == "\\" and index + 1 < len(line):
            index += 1
            current += line[index]
            has_token = True
        elif char == "#":
            break
        elif char.isspace():
            if has_token or current:
                tokens.append(current)
            current, has_token = "", False
        else:
            current += char
            has_token = True
        index += 1
    if has_token or current:
        tokens.append(current)
    return tokens


def haproxy_shape(text: str) -> Shape:
    shape: Shape = Counter()
    section = ""
    for line in text.splitlines():
        tokens = haproxy_tokens(line)
        if not tokens:
            continue
        if tokens[0] in _HAPROXY_SECTIONS:
            section = tokens[0]
            shape[("section", section, len(tokens))] += 1
        else:
            shape[(section, tokens[0], len(tokens))] += 1
    return shape


def yaml_shape(text: str) -> Shape:
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

    walk(yaml.safe_load(text), ())
    return shape


def file_shape(name: str, text: str) -> Shape | None:
    """The structure of one rendered file, by its kind; None for prose (reports)."""
    if re.search(r"haproxy[^/]*\.cfg$", name):
        return haproxy_shape(text)
    if name.endswith(".conf"):
        return nginx_shape(text)
    if name.endswith((".yml", ".yaml")):
        return yaml_shape(text)
    return None
