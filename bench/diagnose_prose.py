"""Benchmark: `opskit diagnose` over a big paste that is mostly prose (an issue thread pasted whole).

Most lines people paste around an output are sentences, and every one of them goes through every line test
(status row, log line, CLI error, netcheck, ping…). This times the whole parse (`diagnose()`, with the cyclic GC
paused as the command does) over N lines of generated issue-thread prose: sentences built from Tailscale's own
vocabulary mixed into common English (about one word in six: tailscale, derp, relay, router, dns, key…), inline
commands, versions, parentheses, blank lines.

Two comparisons, both measured in the same run:
- the baseline: the cheapest pass over the same text (split into lines, one regex per line), as bench/diagnose.py;
- with ``--against CHECKOUT`` (a worktree of another commit): the same prose through that checkout's code, in a
  child process of its own, interleaved with this checkout's runs. The ratio is the change's cost: a change that
  reads more deformations must not make every line of prose slower.

Run: .venv/bin/python bench/diagnose_prose.py [--lines N] [--against ../opskit-at-start] [--budget 1.05]
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Issue-thread English: mostly common words, about one word in six Tailscale's or networking's own.
_COMMON = (  # noqa: SIM905 - a word list reads better as one string
    "the a an it we I you my our this that these when after before with without from to on in of and or but not "
    "is are was were be been has have had do does did can could should would will just also only still again now "
    "then there here what which who how why because so if as at by for about into over some any all every each "
    "same other new old first last more most very really quite think know see look try tried trying want need "
    "use used using make made get got work works worked working run running start started stop stopped seems "
    "happens happened problem issue thanks please help time times day machine computer phone laptop home office"
).split()
_TECHNICAL = (  # noqa: SIM905
    "tailscale tailscaled headscale derp relay direct connection peer node client server windows linux macos "
    "android router firewall udp tcp port exit subnet route dns magicdns login key auth error timeout failed "
    "restart update version logs log bug fix network wifi docker container service systemd nat upnp ipv6 ipv4 "
    "tunnel interface config settings admin console"
).split()


def _word(rng: random.Random) -> str:
    return rng.choice(_TECHNICAL) if rng.random() < 0.17 else rng.choice(_COMMON)


def _sentence(rng: random.Random) -> str:
    words = [_word(rng) for _ in range(rng.randint(4, 18))]
    if rng.random() < 0.1:
        words.insert(rng.randint(0, len(words)), f"`tailscale {rng.choice(['up', 'status', 'netcheck', 'ping'])}`")
    if rng.random() < 0.08:
        words.insert(rng.randint(0, len(words)), f"v1.{rng.randint(20, 80)}.{rng.randint(0, 9)}")
    if rng.random() < 0.1:
        words.insert(rng.randint(0, len(words)), f"({_word(rng)},")
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", "!", ":", "..."])


def make_prose(lines: int, seed: int = 7) -> str:
    """``lines`` lines of issue-thread prose, the same for a seed on every machine and Python 3.11+."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < lines:
        out.append(" ".join(_sentence(rng) for _ in range(rng.randint(1, 3))))
        if rng.random() < 0.15:
            out.append("")
    return "\n".join(out[:lines]) + "\n"


# The child: times diagnose() in the checkout given, so two commits are measured with the same prose and Python.
_CHILD = """
import sys, time
sys.path.insert(0, sys.argv[1])
from opskit.app.gc_pause import collector_paused
from opskit.core.diagnose.engine import InputText, diagnose
text = sys.stdin.read()
diagnose([InputText("warm", "warm.txt", text[:20000], required=False)])  # lazy patterns compiled before timing
start = time.perf_counter()
with collector_paused(freeze_after=False):
    diagnose([InputText("prose", "prose.txt", text, required=False)])
print(time.perf_counter() - start)
"""

_ANY = re.compile(r"tailscale|derp")


def baseline(text: str) -> int:
    return sum(1 for line in text.splitlines() if _ANY.search(line))


def _time_in(checkout: Path, text: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(checkout)], input=text, capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds; the best of each is kept")
    parser.add_argument("--against", type=Path, help="another checkout (worktree) to compare with, same prose")
    parser.add_argument("--budget", type=float, default=1.05, help="largest ratio to --against that passes")
    args = parser.parse_args()

    text = make_prose(args.lines)
    contenders: dict[str, Path] = {"this checkout": ROOT}
    if args.against is not None:
        if not (args.against / "opskit" / "core" / "diagnose" / "engine.py").is_file():
            print(f"error: {args.against} is not an opskit checkout", file=sys.stderr)
            return 2
        contenders["against"] = args.against.resolve()
    best = dict.fromkeys([*contenders, "baseline"], float("inf"))
    for _ in range(args.rounds):
        for name, checkout in contenders.items():
            best[name] = min(best[name], _time_in(checkout, text))
        start = time.perf_counter()
        baseline(text)
        best["baseline"] = min(best["baseline"], time.perf_counter() - start)

    print(f"prose:                      {args.lines} lines ({len(text) / 1e6:.1f} MB), best of {args.rounds}")
    print(f"baseline (lines + 1 regex): {best['baseline'] * 1000:8.1f} ms")
    for name in contenders:
        seconds = best[name]
        print(
            f"{name + ':':<27} {seconds * 1000:8.1f} ms   {seconds / best['baseline']:6.1f}x baseline   "
            f"{seconds / args.lines * 1e6:6.1f} µs/line"
        )
    if args.against is None:
        return 0
    ratio = best["this checkout"] / best["against"]
    verdict = "OK" if ratio <= args.budget else "SLOWER THAN BUDGET"
    print(f"verdict: {verdict} (this checkout / against = {ratio:.3f}, budget ≤ {args.budget:.2f})")
    return 0 if ratio <= args.budget else 1


if __name__ == "__main__":
    raise SystemExit(main())
