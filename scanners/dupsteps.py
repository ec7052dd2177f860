"""Window steps: a content-stable digest of where a file could share duplicated code.

Symilar (and :class:`scanners.duplication.IndexedSymilar`) can report a block between two
files only if they share two consecutive window hashes, a *step*. Its window hash is the
sum of Python's ``hash`` of ``min_lines`` stripped lines, which changes from process to
process, so it cannot be cached. A step here is the same thing made stable: each line is
hashed with BLAKE2b, a window is the sum of its lines' hashes (order-insensitive, as
symilar's), and a step digests two consecutive windows. Equal windows give equal steps in
both schemes, so two files sharing a symilar step share a stable one; a stable step shared
by files that symilar would not pair only adds a candidate, which the exact comparison then
rejects. Filtering files on stable steps therefore changes no result (hash collisions
aside, as in symilar itself).

Steps are kept as a ``per-blob`` fact (:mod:`scanners.blobfacts`), so comparing a module
with another reads a few bytes per line of the other instead of its stripped lines.
"""

from __future__ import annotations

import base64
import hashlib
import sys
from array import array
from collections.abc import Sequence
from itertools import pairwise


def _digest(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def window_steps(stripped: Sequence[Sequence[object]], min_lines: int) -> list[int]:
    """The distinct steps of a ``similar`` fact's stripped lines (``[index, text, …]``), sorted."""
    if len(stripped) <= min_lines:  # two windows are needed for a step
        return []
    hashes = [_digest(str(line[1]).encode("utf-8", "surrogatepass")) for line in stripped]
    window = sum(hashes[:min_lines])
    windows = [window]
    for i in range(min_lines, len(hashes)):
        window += hashes[i] - hashes[i - min_lines]
        windows.append(window)
    width = (64 + min_lines.bit_length()) // 8 + 1  # room for a sum of min_lines 64-bit hashes
    return sorted(
        {_digest(a.to_bytes(width, "little") + b.to_bytes(width, "little")) for a, b in pairwise(windows)}
    )


def encode(steps: Sequence[int]) -> str:
    """Steps as text for a JSON fact (8 bytes a step, base64)."""
    packed = array("Q", steps)
    if sys.byteorder == "big":  # little-endian whatever machine wrote it
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


def decode(text: str) -> array[int]:
    """The steps of :func:`encode`."""
    steps = array("Q")
    steps.frombytes(base64.b64decode(text))
    if sys.byteorder == "big":
        steps.byteswap()
    return steps
