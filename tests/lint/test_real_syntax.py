"""The rule examples are real configs: nginx -t / haproxy -c accept them (Bad ones too — a syntax check
does not catch these pitfalls, which is why the linter exists).

Examples that cannot load on this machine's nginx 1.22 / HAProxy 2.6 for reasons outside the rule are
left out by kind: literal names that do not resolve here (nginx and HAProxy resolve them at start-up),
TLS listeners without certificates, Tengine-only directives, nginx >= 1.27.3 features, and deliberate
fatal errors (HAP104, HAP304). At least a fixed share of the examples must be checked.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from opskit.core.lint.catalog import all_rules
from opskit.core.lint.inputs import MemorySource, split_example
from opskit.core.nginx import parse_nginx
from opskit.core.nginx.query import HostKind, classify_host, parse_target, pass_sites
from tests.lint.conftest import RULE_FIXTURES
from tests.support.tools import require_binary

pytestmark = pytest.mark.integration

FATAL_BY_DESIGN = {"HAP104", "HAP106", "HAP304", "NGX110"}


def _examples(target: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for rule in all_rules():
        if rule.info.target != target or rule.id in FATAL_BY_DESIGN or rule.info.validator:
            continue  # NGX000/HAP000 examples are rejected on purpose; conftest validates them
        for heading in ("bad", "good"):
            for number, text in enumerate(rule.examples(heading)):
                found.append((f"{rule.id}-doc-{heading}{number}", text))
        for path in sorted((RULE_FIXTURES / rule.id).glob("*.conf")):
            found.append((f"{rule.id}-{path.stem}", path.read_text()))
    return found


def _nginx_skip_reason(text: str) -> str | None:
    if "ssl" in text or "http2" in text:
        return "TLS listener needs a certificate"
    if "dynamic_resolve" in text:
        return "Tengine directive"
    if " resolve;" in text or "resolver" in text.split("upstream", 1)[-1].split("}", 1)[0] and "upstream" in text:
        return "needs nginx >= 1.27.3"
    if "include " in text:
        return "includes files that do not exist here"
    config = parse_nginx("/x.conf", MemorySource({"/x.conf": text}))
    upstream_names = {n.directive.args[0].lower() for n in config.walk() if n.directive.name == "upstream"}
    for site in pass_sites(config):
        literal_name = not site.variable and classify_host(site.written.host) not in (
            HostKind.IP,
            HostKind.LOCALHOST,
        )
        if literal_name and site.written.host.lower() not in upstream_names:
            return "literal name resolved at start-up"
    for node in config.walk():
        if node.directive.name == "resolver" and any(
            classify_host(a.split(":")[0]) not in (HostKind.IP,)
            for a in node.directive.args
            if "=" not in a and not a.startswith("[")
        ):
            return "resolver given by name"
        if node.directive.name == "server" and node.parents and node.parents[-1].name == "upstream":
            target = parse_target(node.directive.args[0])
            if target and classify_host(target.host) not in (HostKind.IP, HostKind.LOCALHOST):
                return "upstream name resolved at start-up"
    return None


def _wrap_nginx(text: str) -> str:
    top = parse_nginx("/x.conf", MemorySource({"/x.conf": text})).top_context
    if top == ():
        return text
    if top == ("http",):
        return f"events {{}}\nhttp {{\n{text}\n}}\n"
    if top == ("http", "server"):
        return f"events {{}}\nhttp {{\nserver {{\nlisten 127.0.0.1:1;\n{text}\n}}\n}}\n"
    return f"events {{}}\nhttp {{\nserver {{\nlocation / {{\n{text}\n}}\n}}\n}}\n"


NGINX_CASES = [(n, t) for n, t in _examples("nginx") if _nginx_skip_reason(split_example(t, "x")["x"]) is None]


def test_enough_nginx_examples_are_checked() -> None:
    checked = [name for name, text in NGINX_CASES if _nginx_skip_reason(split_example(text, "x")["x"]) is None]
    assert len(checked) >= 20, checked


@pytest.mark.parametrize(("name", "text"), NGINX_CASES, ids=[n for n, _ in NGINX_CASES])
def test_nginx_accepts_the_example(name: str, text: str) -> None:
    body = split_example(text, "x")["x"]
    nginx = require_binary("nginx", "apt-get install nginx")
    with tempfile.TemporaryDirectory(prefix="opskit-lint-nginx-") as prefix:
        os.makedirs(os.path.join(prefix, "logs"))
        config = Path(prefix) / "nginx.conf"
        config.write_text(_wrap_nginx(body))
        completed = subprocess.run(
            [
                nginx,
                "-t",
                "-q",
                "-p",
                prefix + "/",
                "-c",
                str(config),
                "-e",
                os.path.join(prefix, "error.log"),
                "-g",
                f"pid {prefix}/nginx.pid;",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert completed.returncode == 0, completed.stderr


def _haproxy_skip_reason(text: str) -> str | None:
    if " ssl " in text or text.rstrip().endswith(" ssl"):
        return "TLS bind needs a certificate"
    from opskit.core.haproxy import parse_haproxy
    from opskit.core.haproxy.query import server_lines

    config = parse_haproxy([("x.cfg", text)])
    for server in server_lines(config):
        if classify_host(server.host) not in (HostKind.IP, HostKind.LOCALHOST):
            return "server name resolved at start-up"
    return None


HAPROXY_CASES = [(n, t) for n, t in _examples("haproxy") if _haproxy_skip_reason(t) is None]


def test_enough_haproxy_examples_are_checked() -> None:
    assert len(HAPROXY_CASES) >= 20, [name for name, _ in HAPROXY_CASES]


@pytest.mark.parametrize(("name", "text"), HAPROXY_CASES, ids=[n for n, _ in HAPROXY_CASES])
def test_haproxy_accepts_the_example(name: str, text: str) -> None:
    haproxy = require_binary("haproxy", "apt-get install haproxy")
    with tempfile.TemporaryDirectory(prefix="opskit-lint-haproxy-") as workdir:
        config = Path(workdir) / "haproxy.cfg"
        config.write_text(text)
        completed = subprocess.run(
            [haproxy, "-c", "-f", str(config)],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "STATS_PASSWORD": "x"},
        )
    output = completed.stdout + completed.stderr
    # A backend-only example has no listener: valid, "will not start" (exit 2) is not a syntax error.
    valid = completed.returncode == 0 or "has no error but will not start (no listener)" in output
    assert valid, output
