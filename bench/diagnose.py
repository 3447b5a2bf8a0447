"""Benchmark: parse and classify 10,000 netcheck blocks (target: under 1 s).

Blocks cycle through every netcheck layout in the test corpus (v1.0, v1.2-v1.67, v1.100 local time,
UDP blocked, hard NAT with NAT-PMP, custom DERP) with varied addresses. Two ways are timed:
- "one paste": all blocks in one text through the splitter, then parse + NAT profile per block;
- "one by one": 10,000 separate texts, each split, parsed and profiled (as `opskit diagnose` does with
  10,000 input files).
Both run as `opskit diagnose` runs them: with Python's cyclic GC paused while all inputs are parsed
(see opskit/app/gc_pause.py); the same paste with the GC running is printed for information.
The baseline, measured in the same run, is the cheapest possible pass over the same text (split
into lines and match one regex per line), so the ratio shows the parser's cost independent of the
machine's speed.

Run: .venv/bin/python bench/diagnose.py [--blocks N]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opskit.app.gc_pause import collector_paused  # noqa: E402
from opskit.core.diagnose.blocks import split_input  # noqa: E402
from opskit.core.diagnose.models import BlockKind  # noqa: E402
from opskit.core.diagnose.netcheck import parse_netcheck_text  # noqa: E402
from opskit.core.diagnose.profile import Mapping, build_profile  # noqa: E402

TARGET_SECONDS = 1.0
CORPUS = ROOT / "tests" / "diagnose" / "samples" / "netcheck"


def make_blocks(count: int) -> list[str]:
    templates = [p.read_text() for p in sorted(CORPUS.glob("*.txt"))]
    ipv4 = re.compile(r"(IPv4: yes, )[^\s:]+:\d+")
    blocks = []
    for index in range(count):
        text = templates[index % len(templates)]
        # Vary the address so no two blocks are the same string.
        address = f"198.51.{index % 256}.{index // 256 % 256}:{40000 + index % 20000}"
        blocks.append(ipv4.sub(lambda m, a=address: m.group(1) + a, text, count=1))
    return blocks


def classify_paste(text: str) -> list[Mapping]:
    """Split, parse and profile as `opskit diagnose` does: with the cyclic GC paused (opskit.app.gc_pause)."""
    with collector_paused(freeze_after=False):  # freezing in a loop would pile up the permanent generation
        return classify_paste_gc_running(text)


def classify_each(texts: list[str]) -> list[list[Mapping]]:
    """Many inputs in one command: one pause around all of them, as the CLI does."""
    with collector_paused(freeze_after=False):
        return [classify_paste_gc_running(text) for text in texts]


def classify_paste_gc_running(text: str) -> list[Mapping]:
    split = split_input(text)
    return [
        build_profile("n", "bench", parse_netcheck_text(block.lines, block.hints)).mapping
        for block in split.blocks
        if block.kind is BlockKind.NETCHECK
    ]


_KEY = re.compile(r"^\s*\* (\w[\w ]*):")


def baseline(text: str) -> int:
    return sum(1 for line in text.splitlines() if _KEY.match(line))


def interleaved_best(rounds: int, contenders: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Best wall-clock time of each contender over ``rounds``, running each once per round.

    Interleaving spreads the slow spells of a shared virtual machine (measured here: the same code
    swinging ±30% from one minute to the next) over every contender alike; other processes only
    ever add time, so the best run is the closest to the code's own cost.
    """
    best = dict.fromkeys(contenders, float("inf"))
    for _ in range(rounds):
        for name, fn in contenders.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def cpu_of(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds; the best of each is kept")
    args = parser.parse_args()

    blocks = make_blocks(args.blocks)
    paste = "\n".join(blocks)
    lines = paste.count("\n") + 1

    mappings = classify_paste(paste)
    if len(mappings) != args.blocks or sum(map(len, classify_each(blocks))) != args.blocks:
        print(f"error: expected {args.blocks} classified blocks, got {len(mappings)}", file=sys.stderr)
        return 1
    counts = {m.value: mappings.count(m) for m in Mapping}
    best = interleaved_best(
        args.rounds,
        {
            "baseline": lambda: baseline(paste),
            "one paste": lambda: classify_paste(paste),
            "one by one": lambda: classify_each(blocks),
            "gc running": lambda: classify_paste_gc_running(paste),
        },
    )
    base_time, paste_time, single_time = best["baseline"], best["one paste"], best["one by one"]
    gc_running_time = best["gc running"]
    paste_cpu = cpu_of(lambda: classify_paste(paste))

    print(f"netcheck blocks:            {args.blocks} ({lines} lines, {len(paste) / 1e6:.1f} MB)")
    print(f"classified as:              {counts}")
    print(f"baseline (lines + 1 regex): {base_time * 1000:8.1f} ms")
    for name, seconds in (("one paste", paste_time), ("one by one", single_time)):
        print(
            f"{name + ':':<27} {seconds * 1000:8.1f} ms   "
            f"{seconds / TARGET_SECONDS:5.2f}x of the {TARGET_SECONDS:.0f} s target   "
            f"{seconds / base_time:6.1f}x baseline   "
            f"{seconds / args.blocks * 1e6:6.1f} µs/block"
        )
    print(
        f"one paste, GC running:      {gc_running_time * 1000:8.1f} ms (for information: the command pauses the "
        "cyclic GC while parsing)"
    )
    print(f"one paste, CPU time:         {paste_cpu * 1000:8.1f} ms (one run; excludes time lost to other processes)")
    worst = max(paste_time, single_time)
    verdict = "OK" if worst < TARGET_SECONDS else "SLOWER THAN TARGET"
    print(f"verdict: {verdict} (worst {worst:.3f} s, target < {TARGET_SECONDS:.0f} s)")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
