"""Keep Python's cyclic garbage collector out of the way while a command parses a big input.

Parsing a large config or paste allocates hundreds of thousands of small objects that live until the
process exits and form no cycles worth collecting. The collector, triggered by allocation counts,
would scan them again and again: measured at 20-30% of `lint` and `diagnose` on big inputs. Reference
counting still frees everything that is dropped; only the cycle search waits.

It lives in ``app`` because pausing the collector is a decision about how a whole command runs (a
process-wide setting, so not pure ``core``; no outside system touched, so not an ``adapter``); the
lint and diagnose use cases, and their benches, wrap their parse in it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, freeze_after: bool = True) -> Iterator[None]:
    """Pause the cyclic collector for the block; restore it as it was, even on error.

    With ``freeze_after`` the objects that survive the block are moved to the permanent generation,
    so later collections (rendering the result) do not rescan them either. Nested use is harmless.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze_after:
            gc.freeze()
        if was_enabled:
            gc.enable()
