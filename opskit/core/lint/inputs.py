"""Turn texts into a :class:`Workspace`: detect kinds, parse nginx roots and the HAProxy file set.

Pure: files come through a :class:`~opskit.core.nginx.ConfigSource` (the filesystem adapter in the
CLI, :class:`MemorySource` in tests and for the examples in rule docstrings).
"""

from __future__ import annotations

import fnmatch
import posixpath
from dataclasses import dataclass, field

from opskit.core.haproxy import parse_haproxy
from opskit.core.lint.options import LintOptions, parse_version
from opskit.core.lint.workspace import Kind, Workspace, detect_kind
from opskit.core.nginx import ConfigSource, NginxConfig, parse_nginx
from opskit.core.nginx.parser import DEFAULT_MAX_EXPANDED_BYTES
from opskit.errors import InputError

FILE_MARKER = "#@ file:"
OPTION_MARKER = "#@ "


@dataclass
class MemorySource:
    """Files held in memory (path → text) with nginx-style globbing."""

    files: dict[str, str] = field(default_factory=dict)

    def read(self, path: str) -> str:
        if path not in self.files:
            raise InputError.at(path, None, None, "no such file")
        return self.files[path]

    def glob(self, pattern: str) -> list[str]:
        return sorted(p for p in self.files if fnmatch.fnmatchcase(p, pattern))

    def exists(self, path: str) -> bool:
        return path in self.files


def kind_of(path: str, text: str, forced: Kind | None) -> Kind:
    """The config kind: forced by ``--kind``, else detected from the content."""
    if forced is not None:
        return forced
    detected = detect_kind(text)
    if detected is None:
        raise InputError.at(
            path,
            None,
            None,
            "cannot tell whether this is an nginx or an HAProxy config; pass --kind nginx or --kind haproxy",
        )
    return detected


def classify_inputs(paths: list[str], source: ConfigSource, forced: Kind | None = None) -> dict[str, Kind | None]:
    """Each path's kind, or None for a file that is neither nginx nor HAProxy (pre-commit mode notes it)."""
    return {path: forced or detect_kind(source.read(path)) for path in paths}


def build_workspace(
    paths: list[str],
    source: ConfigSource,
    forced: Kind | None = None,
    max_expanded_bytes: int = DEFAULT_MAX_EXPANDED_BYTES,
) -> Workspace:
    """Parse every path: nginx files as roots (following includes), HAProxy files as one config.
    ``max_expanded_bytes`` bounds what one root's includes splice in (an include bomb)."""
    kinds = {path: kind_of(path, source.read(path), forced) for path in paths}
    nginx_roots = [p for p in paths if kinds[p] == "nginx"]
    haproxy_files = [(p, source.read(p)) for p in paths if kinds[p] == "haproxy"]
    configs: list[NginxConfig] = [
        parse_nginx(path, source, max_expanded_bytes=max_expanded_bytes) for path in nginx_roots
    ]
    # A root that another root includes is linted as part of that one, not twice.
    included = {posixpath.normpath(f) for c in configs for f in c.texts if f != c.root_file}
    configs = [c for c in configs if posixpath.normpath(c.root_file) not in included]
    haproxy = parse_haproxy(haproxy_files) if haproxy_files else None
    texts: dict[str, str] = {}
    for config in configs:
        texts.update(config.texts)
    if haproxy is not None:
        texts.update(haproxy.texts)
    return Workspace(nginx=tuple(configs), haproxy=haproxy, texts=texts)


def split_example(text: str, default_name: str) -> dict[str, str]:
    """Split a fixture/docstring example into files at ``#@ file: NAME`` lines (one file if none)."""
    files: dict[str, str] = {}
    name: str | None = None
    lines: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith(OPTION_MARKER) and not line.startswith(FILE_MARKER):
            lines.append("\n")  # keep line numbers; options are read by example_options()
            continue
        if line.startswith(FILE_MARKER):
            if name is not None or "".join(lines).strip():
                files[name or default_name] = "".join(lines)
            name = line[len(FILE_MARKER) :].strip()
            lines = []
            continue
        lines.append(line)
    files[name or default_name] = "".join(lines)
    return files


def workspace_from_example(text: str, default_name: str, forced: Kind | None) -> Workspace:
    """A workspace from an example text (paths are made absolute under ``/example``)."""
    parts = {posixpath.join("/example", n): t for n, t in split_example(text, default_name).items()}
    per_file_kind = None if len(parts) > 1 else forced
    return build_workspace(list(parts), MemorySource(parts), per_file_kind)


def example_options(text: str) -> LintOptions:
    """Options written in an example as ``#@ nginx-version: 1.22.1`` lines."""
    version = None
    for line in text.splitlines():
        if line.startswith("#@ nginx-version:"):
            version = parse_version(line.split(":", 1)[1])
    return LintOptions(nginx_version=version)
