"""How unspin's hot paths treat the Python runtime's cycle collector.

A check or a detection makes tens of thousands of short-lived objects (tokens,
edits, feature rows) that reference counting frees on its own. In a process
that also holds large, long-lived caches (the lexicon, the language model's
answers) every pass of the cycle collector walks those caches too: 13% of a
check's time on the benchmark's archive, 15% of a detection's.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """No cycle collection inside; collection resumes, as it was, on the way out."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
