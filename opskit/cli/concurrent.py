"""Run independent checks at the same time, report progress on the live status line, keep input order."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from opskit.output.progress import StatusLine

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_WORKERS = 16  # network-bound work; bounded so a long list does not open hundreds of sockets at once


def run_concurrently(
    items: Sequence[Item],
    work: Callable[[Item], Result],
    status: StatusLine,
    verb: str,
    label: Callable[[Item], str] = str,
) -> list[Result]:
    """``work(item)`` for every item on worker threads; the results in the order of ``items``.

    The status line says how many are done and which are still running ("checking 1/3 done:
    https://a:5088, https://b"), so a hung entry is visible while it hangs.
    """
    if not items:
        return []
    running: dict[int, str] = {}
    done = 0
    lock = threading.Lock()

    def report() -> None:
        waiting = ", ".join(running[i] for i in sorted(running))
        status.show(f"{verb} {done}/{len(items)} done" + (f": {waiting}" if waiting else ""))

    def one(index: int, item: Item) -> Result:
        nonlocal done
        with lock:
            running[index] = label(item)
            report()
        try:
            return work(item)
        finally:
            with lock:
                del running[index]
                done += 1
                report()

    with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(items)), thread_name_prefix="opskit-check") as pool:
        futures = [pool.submit(one, index, item) for index, item in enumerate(items)]
        return [future.result() for future in futures]
