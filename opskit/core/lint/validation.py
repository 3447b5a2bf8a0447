"""``lint --validate``: plan a copy of the linted files for the real ``nginx -t`` / ``haproxy -c``, and
turn what the binary says back into findings on the user's files and lines.

Pure: the plan holds texts and names; the adapter (:mod:`opskit.adapters.validate`) writes them into a
private temporary tree and runs the binary in the isolated namespaces ``render --validate`` uses.

Where the copy lives: every linted file keeps its path below the copy's root (``/etc/nginx/x.conf`` →
``<copy>/root/etc/nginx/x.conf``, ``site.conf`` → ``<copy>/cwd/site.conf``), so relative includes
resolve as they did for lint; absolute ``include`` arguments are rewritten to point into the copy (the
host's own /etc/nginx is never read by mistake), and includes lint could not find are commented out
(lint already notes them; a repository snippet is validated without the host's files).
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
from dataclasses import dataclass, field
from typing import Literal

from opskit.core.findings import Evidence, Finding, Severity
from opskit.core.haproxy import HaproxyConfig
from opskit.core.haproxy.query import server_lines
from opskit.core.nginx import NginxConfig
from opskit.core.nginx.lexer import tokenize
from opskit.core.nginx.query import parse_listen, parse_target, pass_sites, upstream_blocks
from opskit.errors import InputError

Tool = Literal["nginx", "haproxy"]
VALIDATOR_RULE = {"nginx": "NGX000", "haproxy": "HAP000"}
COPY_MARK = "<validation-dir>/conf/"
STDIN_NAME = "-"

# nginx directives that read a certificate or key when the config loads; missing ones get a stub.
_NGINX_TLS = frozenset({"ssl_certificate", "ssl_certificate_key", "ssl_trusted_certificate", "ssl_client_certificate"})
_HAPROXY_TLS = frozenset({"crt", "ca-file"})


@dataclass(frozen=True)
class ValidationPlan:
    """One run of one binary over a copy of the linted files."""

    tool: Tool
    entry: str  # copy-relative path of the file handed to the binary
    files: dict[str, str]  # copy-relative path → text
    display: dict[str, str]  # copy-relative path → the name lint shows for that file
    http_snippet: bool = False
    extra_entries: tuple[str, ...] = ()
    tls_files: tuple[str, ...] = ()
    hostnames: tuple[str, ...] = ()
    listen_addresses: tuple[str, ...] = ()
    # (copy-relative file, 1-based line, include argument) to point into the copy, or to comment out
    rebased_includes: tuple[tuple[str, int, str], ...] = ()
    dropped_includes: tuple[tuple[str, int, str], ...] = ()
    notes: tuple[str, ...] = field(default=())

    def files_in(self, copy_root: str) -> dict[str, str]:
        """The texts to write below ``copy_root`` (the adapter's conf dir), includes rewritten."""
        texts = dict(self.files)
        for relative, line, argument in self.rebased_includes:
            texts[relative] = _edit_line(texts[relative], line, argument, f"{copy_root}/root{argument}")
        for relative, line, argument in self.dropped_includes:
            texts[relative] = _comment_include(texts[relative], line, argument)
        return texts


def copy_path(name: str) -> str:
    """Where a linted file sits in the copy: absolute paths below ``root/``, relative below ``cwd/``."""
    if name == STDIN_NAME:
        return "stdin/stdin.conf"
    normal = posixpath.normpath(name)
    if normal.startswith("/"):
        return "root" + normal
    parts = ["up" if part == ".." else part for part in normal.split("/")]
    return "cwd/" + "/".join(parts)


def _edit_line(text: str, line: int, old: str, new: str) -> str:
    lines = text.split("\n")
    if 0 < line <= len(lines):
        quoted = f'"{new}"'  # the copy path comes from mkdtemp: no quotes or blanks in it
        lines[line - 1] = re.sub(
            r"(?<![^\s;{}])([\"']?)" + re.escape(old) + r"\1(?=[\s;])", lambda _m: quoted, lines[line - 1], count=1
        )
    return "\n".join(lines)


def _comment_include(text: str, line: int, argument: str) -> str:
    lines = text.split("\n")
    if 0 < line <= len(lines):
        lines[line - 1] = re.sub(
            r"\binclude\s+([\"']?)" + re.escape(argument) + r"\1\s*;",
            lambda _m: "# opskit --validate: include not found here, validated without it;",
            lines[line - 1],
            count=1,
        )
    return "\n".join(lines)


def _include_arguments(text: str, file: str) -> list[tuple[int, str]]:
    """(line, argument) of every ``include`` statement, found with lint's own lexer."""
    found: list[tuple[int, str]] = []
    statement_start = True
    pending: int | None = None
    try:
        for token, line, quoted in tokenize(text, file):
            if pending is not None:
                found.append((pending, token))
                pending = None
            elif statement_start and token == "include" and not quoted:
                pending = line
            statement_start = not quoted and token in (";", "{", "}")
    except InputError:
        return found
    return found


def _is_literal_host(host: str) -> bool:
    return bool(host) and "$" not in host and not host.startswith("unix:") and not _is_address(host)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def plan_nginx(config: NginxConfig) -> ValidationPlan:
    """The copy of one nginx root (with every file it includes) for ``nginx -t``."""
    display = {copy_path(name): name for name in config.texts}
    files = {copy_path(name): text for name, text in config.texts.items()}
    missing = {(file, line, pattern) for file, line, pattern in config.missing_includes}
    rebased: list[tuple[str, int, str]] = []
    dropped: list[tuple[str, int, str]] = []
    for name, text in config.texts.items():
        for line, argument in _include_arguments(text, name):
            if (name, line, argument) in missing:
                if not any(ch in argument for ch in "*?["):
                    dropped.append((copy_path(name), line, argument))
            elif argument.startswith("/"):
                rebased.append((copy_path(name), line, argument))
    tls: set[str] = set()
    hostnames: set[str] = set()
    addresses: set[str] = set()
    for node in config.walk():
        directive = node.directive
        if directive.name in _NGINX_TLS and directive.args and "$" not in directive.args[0]:
            if not directive.args[0].startswith("data:"):
                tls.add(directive.args[0])
        elif directive.name == "listen":
            listen = parse_listen(directive)
            if listen is not None and listen.address is not None:
                if _is_address(listen.address):
                    addresses.add(listen.address)
                else:
                    hostnames.add(listen.address)
    for site in pass_sites(config):
        if not site.variable and _is_literal_host(site.written.host):
            hostnames.add(site.written.host)
    for upstream, _node in upstream_blocks(config).values():
        for server in upstream.all("server"):
            target = parse_target(server.args[0]) if server.args else None
            if target is not None and _is_literal_host(target.host):
                hostnames.add(target.host)
    upstream_names = {name.lower() for name in upstream_blocks(config)}
    hostnames = {h for h in hostnames if h.lower() not in upstream_names}
    return ValidationPlan(
        tool="nginx",
        entry=copy_path(config.root_file),
        files=files,
        display=display,
        http_snippet=config.is_snippet,
        tls_files=tuple(sorted(tls)),
        hostnames=tuple(sorted(hostnames)),
        listen_addresses=tuple(sorted(addresses)),
        rebased_includes=tuple(rebased),
        dropped_includes=tuple(dropped),
    )


def plan_haproxy(config: HaproxyConfig) -> ValidationPlan:
    """The copy of the HAProxy file set for ``haproxy -c`` (files in the order lint read them)."""
    names = list(config.texts)
    display = {copy_path(name): name for name in names}
    files = {copy_path(name): config.texts[name] for name in names}
    tls: set[str] = set()
    addresses: set[str] = set()
    hostnames: set[str] = set()
    for section in config.sections:
        for statement in section.statements:
            words = statement.words
            if statement.keyword in ("bind", "server", "default-server"):
                for option, value in zip(words, words[1:], strict=False):
                    if option in _HAPROXY_TLS and not value.startswith("@"):
                        tls.add(value)
            if statement.keyword == "bind" and len(words) > 1:
                for spec in words[1].split(","):
                    host = spec.rsplit(":", 1)[0].split("@")[-1].strip("[]") if ":" in spec else ""
                    if host and host not in ("*", "::", "0.0.0.0") and _is_address(host):
                        addresses.add(host)
    for server in server_lines(config):
        if _is_literal_host(server.host):
            hostnames.add(server.host)
    return ValidationPlan(
        tool="haproxy",
        entry=copy_path(names[0]),
        files=files,
        display=display,
        extra_entries=tuple(copy_path(name) for name in names[1:]),
        tls_files=tuple(sorted(tls)),
        hostnames=tuple(sorted(hostnames)),
        listen_addresses=tuple(sorted(addresses)),
    )


_LOCATION = re.compile(re.escape(COPY_MARK) + r"(?P<path>[^\s\]:'\"]+):(?P<line>\d+)")
# ``nginx: [emerg] …`` on a terminal; ``2026/12/06 00:11:44 [emerg] 17805#17805: …`` with ``-e stderr``
_NGINX_ERROR = re.compile(r"^(?:nginx: |[\d/]+ [\d:]+ )\[(?P<level>emerg|alert|crit)\] (?:\d+#\d+: )?(?P<message>.*)$")
# the closing summaries say nothing the error lines above them did not
_SUMMARY = re.compile(r"Error\(s\) found in configuration file|Fatal errors found in configuration")
_HAPROXY_ERROR = re.compile(r"^\[(?P<level>ALERT|EMERG)\][^:]*:(?P<message>.*)$")
_HAPROXY_NOISE = re.compile(r"^\s*(config\s*:\s*)?(parsing\s*)?")
_TITLES = {"nginx": "rejected by nginx -t", "haproxy": "rejected by haproxy -c"}


def findings_from_output(plan: ValidationPlan, ok: bool, output: str, timed_out: bool = False) -> list[Finding]:
    """The binary's error lines as findings on the user's files (nothing when it accepted the config).

    The binary names the copy (``<validation-dir>/conf/root/etc/nginx/x.conf:12``); the plan maps it
    back to the name lint uses. An error without a location lands on the entry file.
    """
    if ok:
        return []
    rule_id = VALIDATOR_RULE[plan.tool]
    pattern = _NGINX_ERROR if plan.tool == "nginx" else _HAPROXY_ERROR
    found: list[Finding] = []
    for raw in output.splitlines():
        match = pattern.match(raw.strip())
        if match is None:
            continue
        message = match.group("message").strip()
        if _SUMMARY.search(message):
            continue
        where = _LOCATION.search(message)
        file, line = plan.display.get(plan.entry, plan.entry), None
        if where is not None and where.group("path") in plan.display:
            file, line = plan.display[where.group("path")], int(where.group("line"))
            message = _strip_location(message, where)
        if plan.tool == "haproxy":
            message = _HAPROXY_NOISE.sub("", message).strip(" :")
        text = _line_text(plan, file, line)
        found.append(_finding(plan, rule_id, message, Evidence(file, line, text)))
    if not found:
        reason = (
            f"timed out ({output.splitlines()[0] if output else 'no output'})"
            if timed_out
            else (output.strip().splitlines()[-1] if output.strip() else "no output")
        )
        found.append(_finding(plan, rule_id, reason, Evidence(plan.display.get(plan.entry, plan.entry), None)))
    return found


def _strip_location(message: str, where: re.Match[str]) -> str:
    before, after = message[: where.start()], message[where.end() :]
    if before.endswith("[") and after.startswith("]"):  # HAProxy writes ``parsing [file:line]``
        before, after = before[:-1], after[1:]
    cleaned = (before.rstrip() + " " + after.lstrip(" :")).strip()
    return re.sub(r"\s+in\s*$", "", cleaned).strip(" :")


def _line_text(plan: ValidationPlan, file: str, line: int | None) -> str:
    if line is None:
        return ""
    for relative, name in plan.display.items():
        if name == file:
            lines = plan.files[relative].splitlines()
            return lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return ""


def _finding(plan: ValidationPlan, rule_id: str, message: str, where: Evidence) -> Finding:
    binary = "nginx -t" if plan.tool == "nginx" else "haproxy -c"
    return Finding(
        rule_id=rule_id,
        severity=Severity.ERROR,
        cause=f"{binary} rejects the config: {message.rstrip('.')}.",
        fix=f"Fix the line {binary} names; the service will not (re)load until it accepts the config.",
        evidence=(where,),
        title=_TITLES[plan.tool],
    )
