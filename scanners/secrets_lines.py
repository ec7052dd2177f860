"""detect-secrets' ``scan_file``, run only on the lines a loaded plugin can flag.

Why: detect-secrets calls every plugin (25 in 1.5) on every line through its dependency
injection (``call_function_with_arguments``: signature inspection per call), then its filters
the same way. On Django 5.1.4's ``django/`` package that took 131 CPU-seconds, most of a cold
scan; searching each line with each plugin's patterns instead still took ~10 s (the keyword
plugin's case-insensitive word list alone ~4 s). So three steps, each giving the same lines:

1. A plugin yields a secret from a line only if one of its own patterns matches the
   (right-stripped) line. For the plugin types checked here this is read off their code:
   a regex detector's ``analyze_string`` returns ``findall`` of its ``denylist`` (the JWT one
   only filters that), the entropy plugins ``findall`` of their quoted ``regex`` (the
   unquoted search serves ad-hoc strings only, never ``scan_file``), the keyword plugin
   ``search`` of one of its per-file-type tables. Filters only remove secrets. Two patterns
   are narrowed with a proof: the entropy plugins' to strings long enough to pass the limit
   (:func:`_entropy_guard`), the keyword plugin's to their common leading word group
   (:func:`scanners.regex_needles.leading_group`).
2. A pattern searches only the lines holding one of the strings every match of it contains
   (:func:`scanners.regex_needles.needles`), found with one search of the whole file.
3. A line goes through detect-secrets' own per-line steps (``_is_filtered_out``,
   ``_scan_line``) with only the plugins whose patterns matched it, in load order, and the
   code snippet cut from the whole file (the allowlist filter reads the line before for
   ``pragma: allowlist nextline``).

A plugin of any other type (a custom plugin, a new release's override) turns this off: the
file is scanned by ``scan_file`` itself. tests/scanners/test_secrets_lines.py compares the
two on a released sdist and crafted files. The helpers of ``detect_secrets.core.scan`` used
here are private; pyproject.toml bounds detect-secrets to the releases
tests/scanners/test_private_apis.py verifies.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import TYPE_CHECKING, cast

from scanners.regex_needles import LineIndex, leading_group, needles

if TYPE_CHECKING:  # detect-secrets (requests behind it) is imported only when a scan runs
    from detect_secrets.core.potential_secret import PotentialSecret
    from detect_secrets.plugins.base import BasePlugin
    from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin

Patterns = tuple[re.Pattern[str], ...]


def _own_patterns(plugin: BasePlugin) -> Patterns | None:
    """Patterns one of which must match a line for ``plugin`` to yield from it; ``None``: unknown."""
    from detect_secrets.plugins.base import BasePlugin, RegexBasedDetector
    from detect_secrets.plugins.jwt import JwtTokenDetector

    cls = type(plugin)
    regex_readers = (RegexBasedDetector.analyze_string, JwtTokenDetector.analyze_string)
    if isinstance(plugin, RegexBasedDetector) and cls.analyze_line is BasePlugin.analyze_line:
        return tuple(plugin.denylist) if cls.analyze_string in regex_readers else None
    return _entropy_patterns(plugin) or _keyword_patterns(plugin)


def _entropy_patterns(plugin: BasePlugin) -> Patterns | None:
    """An entropy plugin's narrowed pattern (``None``: not one, or one with code of its own)."""
    from detect_secrets.plugins.high_entropy_strings import HexHighEntropyString, HighEntropyStringsPlugin

    if not isinstance(plugin, HighEntropyStringsPlugin) or not _inherits(
        type(plugin), HighEntropyStringsPlugin
    ):
        return None
    # the hex plugin's entropy only subtracts from the base one (all-digit strings)
    entropies = (
        HighEntropyStringsPlugin.calculate_shannon_entropy,
        HexHighEntropyString.calculate_shannon_entropy,
    )
    return (_entropy_guard(plugin),) if type(plugin).calculate_shannon_entropy in entropies else None


def _keyword_patterns(plugin: BasePlugin) -> Patterns | None:
    """The keyword plugin's patterns, each narrowed to its word group where that is proved."""
    from detect_secrets.plugins import keyword

    if not isinstance(plugin, keyword.KeywordDetector) or not _inherits(
        type(plugin), keyword.KeywordDetector
    ):
        return None
    tables = (*keyword.REGEX_BY_FILETYPE.values(), keyword.QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP)
    words = "(" + "|".join(keyword.DENYLIST) + ")"
    return tuple(leading_group(pattern, words) for table in tables for pattern in table)


def _inherits(cls: type, base: type) -> bool:
    """Whether ``cls`` finds strings with ``base``'s own code (no override of what is read above)."""
    return all(getattr(cls, name) is getattr(base, name) for name in ("analyze_line", "analyze_string"))


def _entropy_guard(plugin: HighEntropyStringsPlugin) -> re.Pattern[str]:
    """The plugin's quoted-string pattern, asking only for strings long enough to pass its limit.

    Why: its pattern matches any quoted word, so most lines of code would be scanned. The
    plugin keeps a quoted string only if its Shannon entropy, counted over the characters of
    its charset (all of the string's), exceeds the limit; with no character twice in the
    charset that entropy is at most log2 of the string's length. A string shorter than
    ``floor(2**limit)`` characters (22 base64, 8 hex at the default limits 4.5 and 3.0) is
    therefore never kept: log2 of its length is below the limit by more than 0.1 at
    those limits, far more than float rounding. If the plugin's pattern is not the one its
    ``__init__`` builds, or its charset repeats a character, its pattern is used as it is.
    """
    charset = re.escape(plugin.charset)
    built = rf'([\'"])([{charset}]+)(\1)'
    if plugin.regex.pattern != built or len(set(plugin.charset)) != len(plugin.charset):
        return plugin.regex
    shortest = max(1, math.floor(2**plugin.entropy_limit))
    return re.compile(rf'([\'"])([{charset}]{{{shortest},}})(\1)')


@dataclass(frozen=True)
class Sieve:
    """The loaded plugins, each with the patterns one of which must match a line it flags."""

    plugins: tuple[BasePlugin, ...]
    patterns: tuple[Patterns, ...]  # ``patterns[k]`` stands for ``plugins[k]``

    def matches(self, lines: Sequence[str]) -> dict[int, list[BasePlugin]]:
        """Line index -> the plugins (in load order) one of whose patterns ``search``-matches it.

        Each pattern searches only the lines holding one of its :func:`needles`, with ``map``
        (the loop over lines runs in C).
        """
        text = LineIndex(lines)
        hits: dict[re.Pattern[str], set[int]] = {}
        for pattern in dict.fromkeys(p for own in self.patterns for p in own):
            indexes = list(text.candidates(needles(pattern)))
            hits[pattern] = set(compress(indexes, map(pattern.search, (lines[i] for i in indexes))))
        found: dict[int, list[BasePlugin]] = {}
        for plugin, own in zip(self.plugins, self.patterns, strict=True):
            for index in set().union(*(hits[pattern] for pattern in own)):
                found.setdefault(index, []).append(plugin)
        return found


def current_sieve() -> Sieve | None:
    """:func:`sieve_of` the plugins of detect-secrets' current settings."""
    from detect_secrets.settings import get_plugins

    return sieve_of(get_plugins())


def sieve_of(plugins: Iterable[BasePlugin]) -> Sieve | None:
    """The sieve of ``plugins``; ``None`` (no shortcut) if there is none or one is of an unknown type."""
    plugins = tuple(plugins)
    patterns = tuple(_own_patterns(plugin) for plugin in plugins)
    if not plugins or any(own is None for own in patterns):
        return None
    return Sieve(plugins, cast(tuple[Patterns, ...], patterns))


def _scan_lines(lines: Sequence[str], filename: str, sieve: Sieve) -> Iterator[PotentialSecret]:
    """detect-secrets' ``_process_line_based_plugins``, run only where the sieve lets a plugin in."""
    from detect_secrets.core.scan import _is_filtered_out, _scan_line
    from detect_secrets.util.code_snippet import get_code_snippet

    content = list(lines)
    stripped = [raw.rstrip() for raw in content]
    found = sieve.matches(stripped)
    for index in sorted(found):
        number, line = index + 1, stripped[index]
        context = get_code_snippet(lines=content, line_number=number)
        if _is_filtered_out(
            required_filter_parameters=["line"], filename=filename, line=line, context=context
        ):
            continue
        for plugin in found[index]:
            for secret in _scan_line(
                plugin=plugin, filename=filename, line=line, line_number=number, context=context
            ):
                if not _is_filtered_out(
                    required_filter_parameters=["context"],
                    filename=secret.filename,
                    secret=secret.secret_value,
                    plugin=plugin,
                    line=line,
                    context=context,
                ):
                    yield secret


def scan_file(filename: str, sieve: Sieve | None) -> list[PotentialSecret]:
    """What ``detect_secrets.core.scan.scan_file(filename)`` yields, under the current settings.

    ``sieve`` is :func:`current_sieve` (computed once per batch, under the same settings);
    with ``None`` this is detect-secrets' own ``scan_file``. As there, the file-type parsers'
    lines come first and the eager parsers' only if those found nothing.
    """
    from detect_secrets.core import scan as core

    if sieve is None:
        return list(core.scan_file(filename))
    if core._is_filtered_out(required_filter_parameters=["filename"], filename=filename):
        return []
    try:
        for lines in core._get_lines_from_file(filename):
            found = list(_scan_lines(lines, filename, sieve))
            if found:
                return found
    except OSError:  # detect-secrets' scan_file logs "Unable to open file" and yields nothing
        return []
    return []
