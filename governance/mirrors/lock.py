"""A per-mirror lock that holds across processes (fcntl), so two syncs or pushes never interleave.

The lock file sits next to the mirror (``<KEY>.git.lock``), not inside it, so deleting or
re-creating a mirror never races with its lock. The kernel drops the lock when its holder
dies, so a killed sync never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from governance.errors import MirrorBusy, said


def lock_path(mirror: Path) -> Path:
    return mirror.with_name(mirror.name + ".lock")


@contextmanager
def mirror_lock(mirror: Path, *, timeout: float = 60.0, poll: float = 0.05) -> Iterator[None]:
    """Hold the mirror's exclusive lock; wait up to ``timeout`` seconds, then raise :class:`MirrorBusy`."""
    path = lock_path(mirror)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, mirror, timeout, poll)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _acquire(fd: int, mirror: Path, timeout: float, poll: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise said(
                    MirrorBusy,
                    "mirror %(mirror)s is busy: another sync or push is running; try again later",
                    mirror=str(mirror.name),
                ) from None
            time.sleep(poll)
