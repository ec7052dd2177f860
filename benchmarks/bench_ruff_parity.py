"""Measure which ruff codes report exactly what their pylint or bandit twin reports.

Usage: ``python -m benchmarks.bench_ruff_parity [--write]`` (from the repository root).

Corpus: released sdists (flask 3.1.0's ``src/flask`` and Django 5.1.4's ``django/db``), run
through Govern's own pylint and bandit scanners with their default settings, and through the
ruff scanner asked for every stable ruff code that has a twin (:func:`scanners.ruff_rules.twin_of`).
Findings are compared by (path, line): found by both, only by the twin, only by ruff. With
``--write`` the table is stored as ``scanners/ruff_parity.yaml`` (the data the ruff scanner
reads); without it, only the summary and timings are printed.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import yaml

from benchmarks.common import emit, sdist
from scanners._common import tool_version
from scanners.bandit_scanner import BanditScanner
from scanners.base import Batch, Finding, ScanResult, SourceFile
from scanners.builtin_rules import bandit_rules, plugins_of, pylint_symbols
from scanners.pylint_scanner import DEFAULT_ARGS, PylintScanner
from scanners.ruff_parity import PARITY_FILE, Parity
from scanners.ruff_rules import STATED_TWINS, RuffRule, ruff_rule_list, twin_of
from scanners.ruff_scanner import RuffScanner

CORPUS = (("flask==3.1.0", "src/flask"), ("django==5.1.4", "django/db"))

Places = set[tuple[str, int]]


def corpus_files() -> tuple[list[SourceFile], str]:
    """The corpus' Python files (repo paths ``<sdist>/<path>``) and a description of it."""
    files: list[SourceFile] = []
    parts = []
    for requirement, sub in CORPUS:
        root = sdist(requirement)
        found = sorted((root / sub).rglob("*.py"))
        files += [SourceFile(f"{root.name}/{p.relative_to(root).as_posix()}", p.read_bytes()) for p in found]
        lines = sum(p.read_bytes().count(b"\n") for p in found)
        parts.append(f"{root.name} {sub} ({len(found)} files, {lines} lines)")
    return files, " + ".join(parts)


def twins() -> dict[str, tuple[RuffRule, str]]:
    """Every stable ruff code with a pylint/bandit twin, by code, with the twin's rule id."""
    symbols = pylint_symbols(plugins_of(DEFAULT_ARGS))
    bandit_ids = [doc.id.partition(":")[2] for doc in bandit_rules()]
    found = {}
    for rule in ruff_rule_list(tool_version("ruff")):
        twin = twin_of(rule, symbols, bandit_ids) if rule.stable else None
        if twin:
            found[rule.code] = (rule, twin)
    return found


def _basis(rule: RuffRule) -> str:
    """Where the twin comes from: the code's number, a list in scanners.ruff_rules, the name."""
    if rule.code.startswith("PL") or rule.linter == "flake8-bandit":
        return "code"
    return "stated" if rule.code in STATED_TWINS else "name"


def timed_scan(scan: Callable[[Batch], ScanResult], files: Sequence[SourceFile]) -> tuple[ScanResult, float]:
    """One scan of the whole corpus as one batch, and its wall-clock seconds."""
    started = time.perf_counter()
    result = scan(Batch(tuple(files)))
    return result, time.perf_counter() - started


def _places(findings: Iterable[Finding], key: str) -> tuple[dict[str, Places], dict[str, set[str]]]:
    """(path, line) of the findings and the severities seen, by the findings' ``key`` attribute."""
    found: dict[str, Places] = defaultdict(set)
    severities: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        found[getattr(finding, key)].add((finding.path, finding.line))
        severities[getattr(finding, key)].add(finding.severity)
    return found, severities


def _compared(rule: RuffRule, twin: str, mine: Places, theirs: Places, seen: set[str]) -> Parity:
    both, only_twin, only_ruff = len(mine & theirs), len(theirs - mine), len(mine - theirs)
    return Parity(
        code=rule.code,
        twin=twin,
        basis=_basis(rule),
        both=both,
        only_twin=only_twin,
        only_ruff=only_ruff,
        severity=next(iter(seen)) if len(seen) == 1 else None,  # type: ignore[arg-type]
        identical=Parity.judged(both, only_twin, only_ruff, seen),
    )


def table(ruff: ScanResult, others: ScanResult, pairs: dict[str, tuple[RuffRule, str]]) -> list[Parity]:
    """The parity of every code in ``pairs`` on the scanned corpus."""
    by_code, _ = _places(ruff.findings, "tool_rule")
    by_twin, severities = _places(others.findings, "rule")
    return [
        _compared(rule, twin, by_code[code], by_twin[twin], severities[twin])
        for code, (rule, twin) in sorted(pairs.items())
    ]


HEADER = """\
# Measured by benchmarks/bench_ruff_parity.py: do not edit by hand, re-run it.
# For each ruff code with a pylint/bandit twin (per ruff's own metadata), findings on the
# corpus compared by (path, line): both = found by both, only_twin = only by pylint/bandit,
# only_ruff = only by ruff. identical: both found some, neither found one the other did not,
# and the twin gave one severity throughout (severity: that severity). Codes never seen on the
# corpus are not identical: no evidence is not parity.
"""


def write(entries: list[Parity], corpus: str, path: Path) -> None:
    """The table as data (``scanners/ruff_parity.yaml``)."""
    data = {
        "corpus": corpus,
        "tools": {name: tool_version(name) for name in ("ruff", "pylint", "astroid", "bandit")},
        "rules": [
            {
                "code": e.code,
                "twin": e.twin,
                "basis": e.basis,
                "both": e.both,
                "only_twin": e.only_twin,
                "only_ruff": e.only_ruff,
                "severity": e.severity,
                "identical": e.identical,
            }
            for e in entries
        ],
    }
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110, default_flow_style=None)
    path.write_text(HEADER + text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    """Scan the corpus with the three tools, print the summary, write the table if asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"store the table as {PARITY_FILE}")
    args = parser.parse_args(argv)
    files, corpus = corpus_files()
    pairs = twins()
    ruff, ruff_s = timed_scan(RuffScanner({"select": sorted(pairs)}).scan, files)
    pylint, pylint_s = timed_scan(PylintScanner().scan, files)
    bandit, bandit_s = timed_scan(BanditScanner().scan, files)
    entries = table(ruff, ScanResult.merge([pylint, bandit]), pairs)
    if args.write:
        write(entries, corpus, PARITY_FILE)
    emit(
        "ruff_parity",
        {
            "corpus": corpus,
            "seconds": {"ruff": round(ruff_s, 2), "pylint": round(pylint_s, 2), "bandit": round(bandit_s, 2)},
            "codes": len(entries),
            "seen": sum(1 for e in entries if e.both or e.only_twin or e.only_ruff),
            "identical": [e.code for e in entries if e.identical],
            "skipped": [len(ruff.skipped), len(pylint.skipped), len(bandit.skipped)],
        },
    )


if __name__ == "__main__":
    main()
