"""Benchmark: the cost of the two output guards, as ratios against what the same output costs anyway.

- A 5,000-row rich table of outside text rendered with every cell through ``safe_cell`` (Text, control
  characters shown), against the same table with the raw strings (parsed as markup, as before).
- The run's stdout filter (``remove_secrets`` with every spelling of two registered secrets) over a JSON
  document of 150,000 rows in 64 KiB writes, against ``json.dumps`` producing that document.

Target: both ratios near 1 (table) and well under 1 (filter): the guards must not be what a user waits for.

Run: .venv/bin/python bench/output_safety.py
"""

from __future__ import annotations

import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from opskit.core.redact import remove_secrets, secret_forms  # noqa: E402
from opskit.output.safe import safe_cell  # noqa: E402


def best_of(runs: int, work: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def render(rows: list[tuple[str, str]], wrap: Callable[[str], object]) -> None:
    table = Table()
    table.add_column("tenant")
    table.add_column("provider")
    for name, provider in rows:
        table.add_row(wrap(name), wrap(provider))  # type: ignore[arg-type]
    Console(file=io.StringIO(), width=120, color_system=None).print(table)


def main() -> None:
    rows = [(f"tenant-{i}" + ("-é\u202e" if i % 10 == 0 else ""), f"oidc|user-{i}") for i in range(5000)]
    raw = best_of(3, lambda: render(rows, str))
    guarded = best_of(3, lambda: render(rows, safe_cell))
    print(
        f"table of 5,000 rows: raw strings {raw * 1e3:.0f} ms, safe_cell {guarded * 1e3:.0f} ms, "
        f"ratio {guarded / raw:.2f}"
    )

    data = {"rows": [{"id": i, "line": f"{i}\tnode-{i}\t100.64.0.{i % 250}"} for i in range(150_000)]}
    document = json.dumps(data)
    chunks = [document[i : i + 65536] for i in range(0, len(document), 65536)]
    forms = secret_forms(frozenset({"Tr0ub4dor&3-never-shown", "k3y with space"}))
    produce = best_of(3, lambda: json.dumps(data))
    filtered = best_of(3, lambda: [remove_secrets(chunk, forms) for chunk in chunks])
    print(
        f"stdout filter over {len(document) / 1e6:.1f} MB ({len(forms)} spellings): {filtered * 1e3:.0f} ms; "
        f"json.dumps of it: {produce * 1e3:.0f} ms; ratio {filtered / produce:.2f}"
    )


if __name__ == "__main__":
    main()
