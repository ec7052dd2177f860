"""detect-secrets' ``scan_file``, with the lines no loaded plugin can match left out.

Why: detect-secrets calls every plugin (25 in 1.5) on every line through its dependency
injection (``call_function_with_arguments``: signature inspection per call), then its filters
the same way. On Django 5.1.4's package that is most of Govern's cold-scan time for this
scanner; the regexes themselves are a small part.

Why it gives the same findings: a plugin yields a secret from a line only if one of its own
patterns matches the (right-stripped) line. For the plugin types checked here this is read
off their code, not guessed: a regex detector's ``analyze_string`` returns ``findall`` of its
``denylist`` (the JWT one only filters that), the entropy plugins ``findall`` of their quoted
``regex`` (the unquoted search is for ad-hoc strings only, never in ``scan_file``), the
keyword plugin ``search`` of one of its per-file-type tables. Filters only remove secrets,
so a line none of those patterns ``search``-matches cannot give a finding. The other lines
go through detect-secrets' own per-line steps, with the code snippet cut from the whole
file (the allowlist filter reads the line before for ``pragma: allowlist nextline``). A
plugin of any other type (a custom plugin, a new release's override) turns the shortcut off:
the file is scanned by ``scan_file`` itself. tests/scanners/test_secrets_lines.py compares
the two on a released sdist.

The helpers of ``detect_secrets.core.scan`` used here are private; pyproject.toml bounds
detect-secrets to the releases tests/scanners/test_private_apis.py verifies.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import compress
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # detect-secrets (requests behind it) is imported only when a scan runs
    from detect_secrets.core.potential_secret import PotentialSecret
    from detect_secrets.plugins.base import BasePlugin
    from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin

Patterns = tuple[re.Pattern[str], ...]


def _own_patterns(plugin: BasePlugin) -> Patterns | None:
    """Patterns one of which must match a line for ``plugin`` to yield from it; ``None``: unknown."""
    from detect_secrets.plugins import keyword
    from detect_secrets.plugins.base import BasePlugin, RegexBasedDetector
    from detect_secrets.plugins.high_entropy_strings import HexHighEntropyString, HighEntropyStringsPlugin
    from detect_secrets.plugins.jwt import JwtTokenDetector

    cls = type(plugin)
    regex_readers = (RegexBasedDetector.analyze_string, JwtTokenDetector.analyze_string)
    if isinstance(plugin, RegexBasedDetector) and cls.analyze_line is BasePlugin.analyze_line:
        return tuple(plugin.denylist) if cls.analyze_string in regex_readers else None
    if isinstance(plugin, HighEntropyStringsPlugin):
        # the hex plugin's entropy only subtracts from the base one (all-digit strings)
        entropies = (
            HighEntropyStringsPlugin.calculate_shannon_entropy,
            HexHighEntropyString.calculate_shannon_entropy,
        )
        known = (
            _inherits(cls, HighEntropyStringsPlugin) and type(plugin).calculate_shannon_entropy in entropies
        )
        return (_entropy_guard(plugin),) if known else None
    if isinstance(plugin, keyword.KeywordDetector):
        tables = (*keyword.REGEX_BY_FILETYPE.values(), keyword.QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP)
        words = "(" + "|".join(keyword.DENYLIST) + ")"
        patterns = tuple(leading_group(pattern, words) for table in tables for pattern in table)
        return patterns if _inherits(cls, keyword.KeywordDetector) else None
    return None


def _inherits(cls: type, base: type) -> bool:
    """Whether ``cls`` finds strings with ``base``'s own code (no override of what is read above)."""
    return all(getattr(cls, name) is getattr(base, name) for name in ("analyze_line", "analyze_string"))


@cache
def leading_group(pattern: re.Pattern[str], group: str) -> re.Pattern[str]:
    """``group`` alone if every match of ``pattern`` begins with a match of it, else ``pattern``.

    Why: the keyword plugin's patterns all begin with the same group of some 50 words and
    differ after it; searching for that group once costs what searching one of them does
    (measured: ~0.2 s per pattern over Flask's 34k lines). The proof is mechanical: the
    pattern's text begins with the group's, and ``re``'s own parser puts that group first
    in the top-level sequence, so it is neither quantified nor one side of a top-level
    ``|``: a match of the pattern at a position is a match of the group there, under the
    pattern's flags.
    """
    from re import _parser  # type: ignore[attr-defined]  # stdlib's parser: reads a pattern's structure

    if not pattern.pattern.startswith(group):
        return pattern
    alone = _parser.parse(group, pattern.flags).data
    first = _parser.parse(pattern.pattern, pattern.flags).data[0]
    if len(alone) != 1 or alone[0][0] is not _parser.SUBPATTERN or first[0] is not _parser.SUBPATTERN:
        return pattern
    return re.compile(group, pattern.flags)


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

        Pattern by pattern with ``map``: the loop over lines runs in C, which halves the cost
        of the check on files where almost no line matches (most of them).
        """
        hits = {
            pattern: set(compress(range(len(lines)), map(pattern.search, lines)))
            for pattern in dict.fromkeys(p for own in self.patterns for p in own)
        }
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
