"""Writing output files whole or not at all."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_write(target: Path) -> Iterator[Path]:
    """A temporary path next to ``target`` to write; it replaces ``target`` when the block ends.

    Readers see the old file or the new one, never half of one: a crash, an
    error or Ctrl-C while writing leaves ``target`` as it was and removes the
    temporary file. The temporary name is hidden and unique, so writers in
    other processes never share it.
    """
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
