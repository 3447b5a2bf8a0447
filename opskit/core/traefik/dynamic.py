"""Switch one HTTP router of a Traefik dynamic YAML file to another service, keeping everything else.

ruamel.yaml's round-trip loader tells us exactly where the router's ``service`` value sits; we replace
that one scalar in the text and re-parse to prove nothing else changed. Every other router, service,
comment, quote style and indentation stays byte-for-byte as the operator wrote it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from opskit.errors import InputError

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(@[A-Za-z0-9._-]+)?$")
_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9@._-]*$")


@dataclass(frozen=True)
class RouteEdit:
    """Result of a switch: the new file text and what changed."""

    text: str
    router: str
    old_service: str
    new_service: str

    @property
    def changed(self) -> bool:
        return self.old_service != self.new_service


def validate_name(value: str, field: str) -> str:
    """Router/service names go into a config file: allow only Traefik's name characters."""
    if not NAME.match(value):
        raise InputError.at(
            None,
            None,
            field,
            f"{value!r} is not a Traefik router/service name (letters, digits, . _ - and an optional @provider)",
        )
    return value


MAX_DEPTH = 64  # a dynamic file nests ~6 levels


def _check_depth(text: str, source: str) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` before ruamel sees the text: its scanner slows
    down with the square of the flow depth (1,500 '[' take 12 s) and its composer recurses per level.
    libyaml's event parser (no composing, no recursion) measures it in a fraction of that."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    depth = 0
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1
                    raise InputError.at(source, line, None, f"invalid YAML: nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):  # libyaml >= 0.2.5 stops at 1,000 levels while scanning ahead
            line = exc.problem_mark.line + 1 if exc.problem_mark else None
            raise InputError.at(source, line, None, f"invalid YAML: nested more than {MAX_DEPTH} levels deep") from None
        return  # any other syntax error: ruamel reports it below, in its own words
    except yaml.YAMLError:
        return
    finally:
        loader.dispose()


def _load(text: str, source: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    _check_depth(text, source)
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError.at(source, line, None, f"invalid YAML: {exc.problem}") from None
    except RecursionError:  # ruamel's composer recurses once per nesting level
        raise InputError.at(source, None, None, "invalid YAML: nested too deeply") from None


def _routers(data: Any, source: str) -> Any:
    routers = data.get("http", {}).get("routers") if isinstance(data, dict) else None
    if not isinstance(routers, dict):
        raise InputError.at(source, None, "http.routers", "no HTTP routers in this dynamic configuration")
    return routers


def router_service(text: str, router: str, source: str) -> str:
    """The service a router points at now."""
    routers = _routers(_load(text, source), source)
    if router not in routers:
        raise InputError.at(
            source,
            None,
            f"http.routers.{router}",
            f"router not found (routers here: {', '.join(map(str, routers)) or 'none'})",
        )
    service = routers[router].get("service") if isinstance(routers[router], dict) else None
    if not isinstance(service, str):
        raise InputError.at(source, _line(routers, router), f"http.routers.{router}.service", "missing")
    return service


def defined_services(text: str, source: str) -> list[str]:
    data = _load(text, source)
    services = data.get("http", {}).get("services") if isinstance(data, dict) else None
    return [str(s) for s in services] if isinstance(services, dict) else []


def switch_router_service(text: str, router: str, new_service: str, source: str) -> RouteEdit:
    """Point ``router`` at ``new_service``; refuse a missing router or an undefined local service."""
    validate_name(router, "router")
    validate_name(new_service, "service")
    data = _load(text, source)
    routers = _routers(data, source)
    old_service = router_service(text, router, source)
    if "@" not in new_service and new_service not in defined_services(text, source):
        raise InputError.at(
            source,
            None,
            f"http.services.{new_service}",
            "target service is not defined in this file (qualify it as name@provider if another provider defines it)",
        )
    if old_service == new_service:
        return RouteEdit(text, router, old_service, new_service)

    line, column = routers[router].lc.value("service")
    lines = text.splitlines(keepends=True)
    current = lines[line]
    end = _scalar_end(current, column)
    quote = current[column]
    if quote in ("'", '"'):  # keep the operator's quoting style
        replacement = f"{quote}{new_service}{quote}"
    else:
        replacement = new_service if _PLAIN_SAFE.match(new_service) else json.dumps(new_service)
    lines[line] = current[:column] + replacement + current[end:]
    new_text = "".join(lines)

    # Prove the edit: the new document equals the old one with exactly this value replaced.
    budget = len(text) + 10_000
    expected = _plain(data, source, budget)
    expected["http"]["routers"][router]["service"] = new_service
    if _plain(_load(new_text, source), source, budget + len(new_text)) != expected:
        raise InputError.at(
            source,
            line + 1,
            f"http.routers.{router}.service",
            "could not rewrite this value safely (unusual YAML layout); edit it by hand",
        )
    return RouteEdit(new_text, router, old_service, new_service)


def _scalar_end(line: str, start: int) -> int:
    """Index just past the scalar starting at ``start`` (quoted or plain)."""
    quote = line[start] if start < len(line) else ""
    if quote in ("'", '"'):
        i = start + 1
        while i < len(line):
            if quote == '"' and line[i] == "\\":
                i += 2
                continue
            if line[i] == quote:
                if quote == "'" and line[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                return i + 1
            i += 1
        return len(line.rstrip("\r\n"))
    match = re.compile(r"[^\s,}\]#]+").match(line, start)
    return match.end() if match else start


def _line(mapping: Any, key: str) -> int | None:
    try:
        return int(mapping.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return None


def _plain(node: Any, source: str, budget: int) -> Any:
    """Plain dicts/lists/str of a loaded document. Aliases are expanded here (ruamel shares them), so
    the copy is bounded: ``budget`` values at most (a document without aliases has fewer values than
    characters; a "billion laughs" file runs out of budget instead of memory)."""
    left = [budget]

    def copy(value: Any) -> Any:
        left[0] -= 1
        if left[0] < 0:
            raise InputError.at(source, None, None, f"YAML aliases expand to more than {budget} values")
        if isinstance(value, dict):
            return {str(k): copy(v) for k, v in value.items()}
        if isinstance(value, list):
            return [copy(v) for v in value]
        if isinstance(value, str):
            return str(value)
        return value

    try:
        return copy(node)
    except RecursionError:
        raise InputError.at(source, None, None, "invalid YAML: nested too deeply") from None
