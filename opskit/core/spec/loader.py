"""YAML text → validated spec model, with every problem reported as ``file:line: field: problem``.

PyYAML's composer keeps a mark for every node; we build plain data while remembering the line of
each key path, then map pydantic's error locations back to those lines. Duplicate keys (which
PyYAML silently lets win) are errors: in a spec they are nearly always a copy-paste mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from opskit.errors import InputError, Problem

Path = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


MAX_DEPTH = 64  # a spec nests ~6 levels; libyaml's composer recurses in C and crashes near 100,000
MAX_PROBLEMS = 100  # a hostile spec can hold a million duplicate keys; report the first ones


class _TooManyProblems(Exception):
    pass


class _Frame:
    """A mapping or sequence being built from events: its data, its key path, a pending key."""

    __slots__ = ("data", "path", "key", "key_line", "key_ok")

    def __init__(self, data: dict[str, Any] | list[Any], path: Path) -> None:
        self.data = data
        self.path = path
        self.key: Any = None
        self.key_line = 0
        self.key_ok = False


_NO_KEY = object()
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"


class _Marked:
    """Plain data built from YAML *events* plus the 1-based line of every key path.

    Built from the event stream rather than composed nodes, iteratively, so that a hostile spec
    cannot hurt: aliases are refused where they appear (never expanded: a 500-byte "billion laughs"
    stays 500 bytes of work), nesting deeper than :data:`MAX_DEPTH` is an error (libyaml's composer
    would recurse without limit), and no Python recursion happens at all.
    """

    def __init__(self, loader: yaml.SafeLoader, source: str) -> None:
        self.loader = loader
        self.source = source
        self.lines: dict[Path, int] = {}
        self.problems: list[Problem] = []

    def build_document(self) -> Any:
        """The single document of the stream (``_NO_KEY`` when the stream is empty)."""
        loader = self.loader
        loader.get_event()  # StreamStartEvent
        if loader.check_event(yaml.StreamEndEvent):
            return _NO_KEY
        loader.get_event()  # DocumentStartEvent
        data = self._build_node()
        loader.get_event()  # DocumentEndEvent
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            raise InputError.at(
                self.source, event.start_mark.line + 1, None, "expected a single YAML document, found a second one"
            )
        return data

    def _build_node(self) -> Any:
        loader = self.loader
        stack: list[_Frame] = []
        path: Path = ()
        while True:
            event = loader.get_event()
            line = event.start_mark.line + 1
            if stack:
                frame = stack[-1]
                if (
                    isinstance(frame.data, dict)
                    and frame.key is _NO_KEY
                    and not isinstance(event, yaml.MappingEndEvent)
                ):
                    path = frame.path  # a key: its own path is the mapping's
                elif isinstance(frame.data, dict):
                    path = (*frame.path, frame.key) if frame.key_ok else (*frame.path, "?")
                else:
                    path = (*frame.path, len(frame.data))
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent):
                self._problem(
                    line, path, f"YAML aliases (*{event.anchor}) are not supported in a spec; write the value out"
                )
                value: Any = None
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if anchor is not None:
                    self._problem(
                        line, path, f"YAML anchors (&{anchor}) are not supported in a spec; write the value out"
                    )
                if len(stack) >= MAX_DEPTH:
                    raise InputError.at(
                        self.source, line, dotted(path) or None, f"nested more than {MAX_DEPTH} levels deep"
                    )
                self.lines.setdefault(path, line)
                new = _Frame({} if isinstance(event, yaml.MappingStartEvent) else [], path)
                new.key = _NO_KEY
                stack.append(new)
                continue
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                value = stack.pop().data
            elif isinstance(event, yaml.ScalarEvent):
                if anchor is not None:
                    self._problem(
                        line, path, f"YAML anchors (&{anchor}) are not supported in a spec; write the value out"
                    )
                self.lines.setdefault(path, line)
                value = self._scalar(event)
            else:  # pragma: no cover - the parser only yields the events above inside a document
                raise InputError.at(self.source, line, None, f"unexpected YAML event {type(event).__name__}")
            if not stack:
                return value
            self._deliver(stack[-1], value, event, line)

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR_TAG:  # most scalars: the constructor would return event.value itself
            return event.value
        if tag == _MERGE_TAG:
            return _MergeKey()
        return self.loader.construct_object(yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark))

    def _deliver(self, frame: _Frame, value: Any, event: yaml.Event, line: int) -> None:
        if isinstance(frame.data, list):
            frame.data.append(value)
            return
        if frame.key is _NO_KEY:  # this value is a key
            key_line = line
            frame.key, frame.key_line, frame.key_ok = value, key_line, False
            if isinstance(value, _MergeKey):
                self._problem(
                    key_line, frame.path, "YAML merge keys (<<) are not supported in a spec; write the keys out"
                )
            elif not isinstance(value, str):
                if not isinstance(event, yaml.AliasEvent):
                    self._problem(key_line, frame.path, f"key {value!r} must be text")
            elif value in frame.data:
                first = self.lines[(*frame.path, value)]
                self._problem(key_line, (*frame.path, value), f"duplicate key (first at line {first})")
            else:
                frame.key_ok = True
                self.lines[(*frame.path, value)] = key_line
            return
        if frame.key_ok:
            frame.data[frame.key] = value
        frame.key, frame.key_ok = _NO_KEY, False

    def _problem(self, line: int, path: Path, text: str) -> None:
        self.problems.append(Problem(self.source, line, dotted(path) or None, text))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooManyProblems


class _MergeKey:
    """The ``<<`` key (refused: a merge copies another mapping in, which needs an alias)."""


def dotted(path: Iterable[str | int]) -> str:
    """('harbor', 'entries', 0, 'port') → 'harbor.entries[0].port'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _line_for(lines: dict[Path, int], loc: Path) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


_FRIENDLY = {
    "extra_forbidden": "unknown key",
    "missing": "required key is missing",
}


def _message(error: dict[str, Any]) -> str:
    if error["type"] in _FRIENDLY:
        return _FRIENDLY[error["type"]]
    text = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text


def _model_path(loc: tuple[Any, ...]) -> Path:
    # pydantic inserts union member / tagged-union names into locations; keep only real keys.
    return tuple(p for p in loc if isinstance(p, int) or not (isinstance(p, str) and p.startswith("function-")))


def load_yaml_marked(text: str, source: str) -> tuple[Any, dict[Path, int]]:
    """Parse YAML; return (data, line of every key path). Raises InputError on syntax problems."""
    # libyaml's parser (same nodes, same marks) is ~10x faster than the pure-Python one: a 1,000-route
    # spec parses in ~0.1 s instead of ~1.2 s. Fall back when PyYAML was built without libyaml.
    loader = _SAFE_LOADER(text)
    marked = _Marked(loader, source)
    try:
        data = marked.build_document()
        if data is _NO_KEY:
            raise InputError.at(source, 1, None, "the spec is empty")
    except _TooManyProblems:
        pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError.at(source, line, None, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise InputError.at(source, None, None, f"not valid YAML: {exc}") from None
    except RecursionError:  # the node builder recurses per nesting level
        raise InputError.at(source, None, None, "not a spec: YAML nested too deeply") from None
    except ValueError as exc:  # e.g. an integer longer than Python converts (4,300 digits)
        raise InputError.at(source, None, None, f"not a spec: {exc}") from None
    finally:
        loader.dispose()
    if marked.problems:
        shown = f"the first {MAX_PROBLEMS} " if len(marked.problems) >= MAX_PROBLEMS else ""
        raise InputError(f"{source}: {shown}{len(marked.problems)} problem(s) in the spec", marked.problems)
    return data, marked.lines


def validate_marked(model: type[M], data: Any, lines: dict[Path, int], source: str) -> M:
    """Validate data against a model; every pydantic error becomes a Problem with its line."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = _model_path(tuple(error["loc"]))
            problems.append(Problem(source, _line_for(lines, loc), dotted(loc) or None, _message(dict(error))))
        problems.sort(key=lambda p: (p.line or 0, p.field or ""))
        noun = "problem" if len(problems) == 1 else "problems"
        raise InputError(f"{source}: {len(problems)} {noun} in the spec", problems) from None


def load_spec_text(model: type[M], text: str, source: str) -> M:
    data, lines = load_yaml_marked(text, source)
    if not isinstance(data, dict):
        raise InputError.at(source, 1, None, "the spec must be a YAML mapping (key: value) at the top level")
    return validate_marked(model, data, lines, source)
