"""lizard: complexity and size of the non-Python code vendors deliver, run in-process.

Python is left to radon (one complexity figure per language keeps standards simple);
every other language lizard has a reader for (Java, JavaScript/TypeScript, C/C++, Go,
C#, Kotlin, Swift, PHP, Ruby, Scala, Lua, Rust…) is analysed from memory.

Functions are turned into the fields ``lizard --csv`` prints; :func:`parse_functions` is
the pure parser. Thresholds default to lizard's own CLI defaults (CCN 15, length 1000,
100 parameters) and a function is reported when it *exceeds* one, as lizard warns:
- ``lizard:ccn`` (major), ``lizard:length`` (minor), ``lizard:parameters`` (minor).
Metrics per file: ``nloc``, ``functions``, ``ccn_max``, ``ccn_total``, ``tokens``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import lizard
from lizard_languages import get_reader_for

from scanners._common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    Draft,
    FileResult,
)
from scanners.base import Severity, SourceFile
from scanners.builtin_rules import lizard_rules
from scanners.perfile import PerFileScanner
from scanners.rules import RuleDoc
from scanners.wording import Wording, worded

TOOL = "lizard"


@functools.lru_cache(maxsize=4096)
def _has_reader(tail: str) -> bool:
    """Whether lizard reads a file whose name ends with ``.tail``.

    lizard matches ``.*\\.(ext|...)$`` on the whole path and no extension holds a dot, so
    only the text after the last dot decides; planning asks it of every file of every scan.
    """
    return get_reader_for(f"x.{tail}") is not None


@dataclass(frozen=True)
class LizardOptions:
    """Thresholds: a function is reported when a value is strictly above them."""

    ccn: int = 15
    length: int = 1000
    parameters: int = 100
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT


_CHECKS: tuple[tuple[str, str, Severity, Wording], ...] = (
    ("ccn", "ccn", "major", worded("cyclomatic complexity")),
    ("length", "length", "minor", worded("length in lines")),
    ("parameters", "parameters", "minor", worded("parameter count")),
)


def function_record(func: Any) -> dict[str, Any]:
    """A lizard ``FunctionInfo`` as a plain dict (the columns of ``lizard --csv``)."""
    return {
        "name": func.long_name,
        "nloc": func.nloc,
        "ccn": func.cyclomatic_complexity,
        "tokens": func.token_count,
        "parameters": len(func.parameters),
        "length": func.length,
        "start_line": func.start_line,
        "end_line": func.end_line,
    }


def parse_functions(path: str, functions: Iterable[Mapping[str, Any]], options: LizardOptions) -> list[Draft]:
    """Function records of one file -> drafts for each threshold exceeded."""
    drafts = []
    for func in functions:
        for key, rule, severity, label in _CHECKS:
            value, limit = int(func[key]), int(getattr(options, key))
            if value <= limit:
                continue
            wording = worded(
                "%(function)s: %(measure)s %(value)s exceeds %(limit)s",
                function=str(func["name"]),
                measure=label,
                value=value,
                limit=limit,
            )
            drafts.append(
                Draft(
                    f"lizard:{rule}",
                    TOOL,
                    rule,
                    severity,
                    path,
                    int(func["start_line"]),
                    int(func["end_line"]),
                    str(wording),
                    wording=wording,
                )
            )
    return drafts


class LizardScanner(PerFileScanner):
    """Per-file complexity and size for languages other than Python."""

    name = "lizard"
    revision = "worded-1"
    options_type = LizardOptions
    distributions = ("lizard",)

    def rules(self) -> tuple[RuleDoc, ...]:
        """The rules this scanner reports, as documents (see :mod:`scanners.rules`)."""
        return lizard_rules()

    def applies_to(self, path: str) -> bool:
        """Any file lizard has a language reader for, except Python (radon's)."""
        return (
            not path.lower().endswith((".py", ".pyi")) and "." in path and _has_reader(path.rsplit(".", 1)[1])
        )

    def analyse(self, source: SourceFile) -> FileResult:
        """One file from memory: findings over thresholds, size metrics."""
        info = lizard.analyze_file.analyze_source_code(source.path, source.text())
        records = [function_record(f) for f in info.function_list]
        ccns = [r["ccn"] for r in records]
        metrics = {
            "nloc": float(info.nloc),
            "functions": float(len(records)),
            "ccn_max": float(max(ccns, default=0)),
            "ccn_total": float(sum(ccns)),
            "tokens": float(info.token_count),
        }
        return parse_functions(source.path, records, self.options), metrics
