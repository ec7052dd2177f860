"""Which lines of a large blob detect-secrets could flag, so only those are handed to it.

detect-secrets costs about a millisecond per line whatever the line holds (measured: a
1 MiB file of 175k short lines took 186 s), so scanning a 5 MiB generated file line by line
would hold a push for many minutes. Every detect-secrets plugin needs, on the line itself,
a match of one of its own patterns: the regex detectors' ``denylist``, a quoted string long
enough to reach the entropy limits (``2**4.5`` ≈ 23 base64 characters, 8 hex characters),
or one of the keyword detector's words. Lines with none of these cannot yield a finding;
the rest are scanned with their original line numbers kept.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cache

FULL_SCAN_BYTES = 1024 * 1024  # smaller texts are scanned whole (detect-secrets' file-type parsers see all)
_ENTROPY = (
    re.compile(r"""(['"])[A-Za-z0-9+/\\\-_=]{23,}\1"""),
    re.compile(r"""(['"])[0-9a-fA-F]{8,}\1"""),
)


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    """Call inside detect-secrets' ``default_settings()``: the loaded plugins' own patterns."""
    from detect_secrets.plugins import keyword  # with requests behind it: not at `govern` start
    from detect_secrets.plugins.base import RegexBasedDetector
    from detect_secrets.settings import get_plugins

    found: list[re.Pattern[str]] = [*_ENTROPY, re.compile(keyword.DENYLIST_REGEX, re.IGNORECASE)]
    for plugin in get_plugins():
        if isinstance(plugin, RegexBasedDetector):
            found.extend(plugin.denylist)
    return tuple(found)


def _line_numbers(text: str) -> Iterator[int]:
    starts = [0, *(match.end() for match in re.finditer("\n", text))]
    for pattern in _patterns():
        for match in pattern.finditer(text):
            yield bisect.bisect_right(starts, match.start())


def candidate_lines(data: bytes) -> tuple[bytes, list[int]]:
    """The lines that could hold a secret, joined, and each one's line number in ``data``."""
    text = data.decode("utf-8", "replace")
    lines = text.split("\n")
    numbers = sorted(set(_line_numbers(text)))
    return "\n".join(lines[n - 1] for n in numbers).encode() + b"\n", numbers
