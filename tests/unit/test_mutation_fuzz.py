"""A bounded mutation fuzzer over the real inputs each command reads (issue 11, "never a traceback").

Every bundled example spec, lint sample and scenario config, and Tailscale paste is mutated (cut,
lines dropped, duplicated or swapped, hostile tokens spliced in at random places) and fed to the real
command in-process. The only answers allowed are exit 0, 1 or 2 with no traceback; an exception
escaping a command fails the test (the runner does not catch it). The budget is fixed and the
examples are derandomized, so CI runs the same few hundred inputs every time in a few seconds.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "examples").glob("*.yaml"))
CONFIGS = sorted((ROOT / "tests/lint/samples").glob("*.c*")) + sorted((ROOT / "tests/lint/scenarios").glob("*.c*"))
PASTES = sorted(p for p in (ROOT / "tests/diagnose/samples").rglob("*.txt"))[:40]

# What hostile input is made of: syntax of every format opskit reads, control and separator
# characters, template and markup syntax, address tricks, and sheer size.
TOKENS = [
    ";", "{", "}", "#", "$", "'", '"', "\\", "\r", "\n", "\t", "\x00", "\x1b[2J", "\u2028", "\u0085",
    "\u202e", "{{ 7*7 }}", "{% raw %}", "[bold]", "&anchor", "*anchor", "<<: *a", "!!python/object", "%eth0",
    "fe80::1%x]", "]", "include /etc/shadow;", "include *;", "server {", "location / {", "frontend f",
    "backend b", "- fra: ", "Report:", " via DERP(", "active; relay ", "x" * 5000, "9" * 40, "-1",
]  # fmt: skip
FUZZ = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None
)


def _mutate(text: str, data: st.DataObject) -> str:
    lines = text.splitlines(keepends=True) or [""]
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        kind = data.draw(st.sampled_from(["cut", "drop", "dup", "swap", "splice", "replace"]), label="kind")
        at = data.draw(st.integers(0, max(len(lines) - 1, 0)), label="line")
        if kind == "cut":
            lines = lines[: at + 1]
            lines[-1] = lines[-1][: data.draw(st.integers(0, len(lines[-1])), label="cut at")]
        elif kind == "drop" and len(lines) > 1:
            del lines[at]
        elif kind == "dup":
            lines.insert(at, lines[at] * data.draw(st.integers(1, 3), label="times"))
        elif kind == "swap" and len(lines) > 1:
            other = data.draw(st.integers(0, len(lines) - 1), label="other")
            lines[at], lines[other] = lines[other], lines[at]
        else:
            token = data.draw(st.sampled_from(TOKENS) | st.text(max_size=6), label="token")
            line = lines[at]
            position = data.draw(st.integers(0, len(line)), label="position")
            end = position + (len(token) if kind == "replace" else 0)
            lines[at] = line[:position] + token + line[end:]
    return "".join(lines)


def _assert_clean_exit(result: object, what: str) -> None:
    exit_code = getattr(result, "exit_code")  # noqa: B009 (the cli fixture's result object)
    stderr = getattr(result, "stderr")  # noqa: B009
    assert exit_code in (0, 1, 2), f"{what}: exit {exit_code}\n{stderr}"
    assert "Traceback" not in stderr, f"{what}: {stderr}"


def _fuzz(cli: Callable[..., object], originals: list[Path], argv: Callable[[Path, Path], list[str]]) -> None:
    assert originals, "no real inputs found to mutate"

    @FUZZ
    @given(st.sampled_from(originals), st.data())
    def run(original: Path, data: st.DataObject) -> None:
        mutated = _mutate(original.read_text(encoding="utf-8"), data)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / original.name
            path.write_text(mutated, encoding="utf-8", errors="surrogatepass")
            _assert_clean_exit(cli(argv(path, Path(folder) / "out")), f"{original.name} mutated")

    run()


@pytest.mark.parametrize("mode", ["write", "check"])
def test_render_never_tracebacks_on_mutated_specs(cli, mode: str) -> None:  # type: ignore[no-untyped-def]
    extra = ["--check"] if mode == "check" else []
    _fuzz(cli, SPECS, lambda spec, out: ["render", str(spec), "-o", str(out), *extra])


@pytest.mark.parametrize("output_format", ["human", "json", "sarif"])
def test_lint_never_tracebacks_on_mutated_configs(cli, output_format: str) -> None:  # type: ignore[no-untyped-def]
    _fuzz(cli, CONFIGS, lambda config, _out: ["lint", "--no-config", str(config), "-F", output_format])


def test_check_resolver_never_tracebacks_on_mutated_configs(cli) -> None:  # type: ignore[no-untyped-def]
    nginx = [p for p in CONFIGS if p.suffix == ".conf"]
    # 127.0.0.1:9 (discard) answers nothing: every DNS question fails fast on loopback, never leaves it.
    _fuzz(
        cli,
        nginx,
        lambda config, _out: [
            "check", "resolver", "--nginx-conf", str(config), "--nameserver", "127.0.0.1:9", "--timeout", "0.1",
        ],
    )  # fmt: skip


@pytest.mark.parametrize("output_format", ["human", "json"])
def test_diagnose_never_tracebacks_on_mutated_pastes(cli, output_format: str) -> None:  # type: ignore[no-untyped-def]
    _fuzz(cli, PASTES, lambda paste, _out: ["diagnose", str(paste), "-F", output_format])
