"""radon: cyclomatic complexity, maintainability index and raw size metrics of Python.

radon runs in-process (12-17x faster than a subprocess per file) and its results are
first turned into the very dicts ``radon cc -j`` / ``radon mi -j`` print, so the pure
parsers below are tested on stored CLI output and the parity test compares like with like.

Rules (one per rank, so a standard can say "CC <= C" by binding the worse ranks):
- ``radon:CC-<rank>`` for each function/method whose rank is ``min_rank`` or worse
  (default ``C``). Severity by rank: C -> minor, D -> major, E -> critical, F -> critical.
  Classes are not reported (their CC is an aggregate of their methods, which are).
- ``radon:MI-<rank>`` once per file whose maintainability rank is worse than
  ``min_mi_rank`` (default ``B``, so only rank C, MI < 10, is reported): major.
Metrics per file: ``loc``, ``sloc``, ``lloc``, ``comments``, ``multi``, ``blank``,
``mi``, ``cc_max``, ``cc_total``, ``functions``.

A file that does not parse is a Skip here: pylint reports it once as ``pylint:E0001``
(two scanners reporting the same syntax error would duplicate the finding).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from radon.cli.tools import cc_to_dict
from radon.metrics import h_visit_ast, mi_compute, mi_rank
from radon.visitors import ComplexityVisitor

from scanners._common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    Draft,
    FileResult,
)
from scanners.base import Severity, SourceFile
from scanners.builtin_rules import radon_rules
from scanners.perfile import PerFileScanner
from scanners.radon_raw import analyze
from scanners.rules import RuleDoc
from scanners.wording import Wording, worded

TOOL = "radon"
RANKS = "ABCDEF"
CC_SEVERITY: dict[str, Severity] = {"C": "minor", "D": "major", "E": "critical", "F": "critical"}


@dataclass(frozen=True)
class RadonOptions:
    """Thresholds; ranks are radon's letters."""

    min_rank: str = "C"
    min_mi_rank: str = "B"
    no_assert: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        if self.min_rank not in RANKS or self.min_mi_rank not in "ABC":
            raise ValueError(f"ranks must be letters A-F (got {self.min_rank}, {self.min_mi_rank})")


#: What radon calls a block, as Govern's messages name it (classes are never reported).
_KINDS: dict[str, Wording] = {"function": worded("function"), "method": worded("method")}


def parse_cc(path: str, blocks: Iterable[Mapping[str, Any]], min_rank: str = "C") -> list[Draft]:
    """``radon cc -j`` entries of one file -> drafts for functions/methods ranked >= min."""
    drafts = []
    for block in blocks:
        rank = str(block["rank"])
        if block["type"] == "class" or rank < min_rank:
            continue
        name = block["name"]
        if block.get("classname"):
            name = f"{block['classname']}.{name}"
        wording = worded(
            "%(kind)s %(name)s has cyclomatic complexity %(complexity)s (rank %(rank)s)",
            kind=_KINDS.get(str(block["type"]), str(block["type"])),
            name=str(name),
            complexity=int(block["complexity"]),
            rank=rank,
        )
        drafts.append(
            Draft(
                rule=f"radon:CC-{rank}",
                tool=TOOL,
                tool_rule=f"CC-{rank}",
                severity=CC_SEVERITY.get(rank, "info"),
                path=path,
                line=int(block["lineno"]),
                end_line=int(block.get("endline") or block["lineno"]),
                message=str(wording),
                wording=wording,
            )
        )
    return drafts


def parse_mi(path: str, entry: Mapping[str, Any], min_mi_rank: str = "B") -> list[Draft]:
    """``radon mi -j`` entry of one file -> a draft if its rank is worse than allowed."""
    rank = str(entry["rank"])
    if rank <= min_mi_rank:
        return []
    wording = worded("maintainability index %(mi).1f (rank %(rank)s)", mi=float(entry["mi"]), rank=rank)
    return [Draft(f"radon:MI-{rank}", TOOL, f"MI-{rank}", "major", path, 1, 1, str(wording), wording=wording)]


def _cc_metrics(blocks: list[dict[str, Any]]) -> dict[str, float]:
    functions = [b["complexity"] for b in blocks if b["type"] != "class"]
    return {
        "cc_max": float(max(functions, default=0)),
        "cc_total": float(sum(functions)),
        "functions": float(len(functions)),
    }


class RadonScanner(PerFileScanner):
    """Per-file complexity, maintainability and size of Python source."""

    name = "radon"
    revision = "worded-1"
    options_type = RadonOptions
    distributions = ("radon",)
    suffixes = (".py",)

    def rules(self) -> tuple[RuleDoc, ...]:
        """The rules this scanner reports, as documents (see :mod:`scanners.rules`)."""
        return radon_rules()

    def analyse(self, source: SourceFile) -> FileResult:
        """One file: CC blocks, MI and raw metrics from a single parse.

        ``mi_visit`` would re-parse and re-visit the file; computing MI from the shared
        AST and raw counts with radon's own ``mi_compute`` halves the time and gives
        the identical figure (the parity test compares it with ``radon mi``).
        """
        code = source.text()
        tree = ast.parse(code)  # a SyntaxError becomes a Skip in scan_each
        raw = analyze(code)
        visitor = ComplexityVisitor.from_ast(tree, no_assert=self.options.no_assert)
        blocks = [cc_to_dict(b) for b in visitor.blocks]
        if self.options.no_assert:
            visitor = ComplexityVisitor.from_ast(tree)  # MI counts asserts, as radon mi does
        comments = (raw.comments + raw.multi) / float(raw.sloc) * 100 if raw.sloc else 0
        mi = mi_compute(h_visit_ast(tree).total.volume, visitor.total_complexity, raw.lloc, comments)
        metrics = {
            "loc": float(raw.loc),
            "sloc": float(raw.sloc),
            "lloc": float(raw.lloc),
            "comments": float(raw.comments),
            "multi": float(raw.multi),
            "blank": float(raw.blank),
            "mi": float(mi),
            **_cc_metrics(blocks),
        }
        drafts = parse_cc(source.path, blocks, self.options.min_rank)
        drafts += parse_mi(source.path, {"mi": mi, "rank": mi_rank(mi)}, self.options.min_mi_rank)
        return drafts, metrics
