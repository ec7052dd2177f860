"""ruff: pyflakes, pycodestyle, pylint and bandit checks re-implemented in Rust, run as one process per batch.

Off unless a profile enables it (``scanners: {ruff: {enabled: true}}``): it is a faster engine
for rules other scanners already report, and a profile that does not choose it must keep
exactly its results.

The batch's files are written to a temp tree (repo paths kept, as ruff's rules read the path:
``__init__.py``, test files) and ruff runs once over them with ``--isolated`` (a vendor's own
ruff configuration never changes Govern's findings), ``--no-cache`` and ``--output-format
json``; :func:`parse_results` is the pure parser, tested on stored output.

Rules: ``ruff:<CODE>`` (``ruff:F401``); ``tool_rule`` is the code. Default selection: the
codes that have a pylint or bandit twin (:mod:`scanners.ruff_parity`); option ``select``.
With ``as_twins: true`` a code the measured parity table calls identical is reported under its
twin's id (``F401`` as ``pylint:W0611``), so standards bound to pylint or bandit count it
unchanged; other codes stay ``ruff:<CODE>``. Severity: the twin's for twins (pylint's by
category letter, bandit's as measured); otherwise by ruff's rule category. A file ruff cannot
parse is a Skip (pylint reports it as ``pylint:E0001`` where pylint runs).
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404  # runs the installed ruff binary, never a shell
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from scanners._common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    Draft,
    finalise,
    split_admitted,
    tool_version,
    write_tree,
)
from scanners.base import Batch, ScanResult, Severity, Skip, SourceFile
from scanners.errors import ScannerConfigError
from scanners.perfile import PerFileScanner
from scanners.ruff_parity import Parity, parity_table
from scanners.ruff_rules import RuffRule, ruff_bin, ruff_docs, ruff_rule_list, twin_severity
from scanners.rules import RuleDoc
from scanners.secretmask import mask_message

TOOL = "ruff"
SYNTAX_ERROR = "invalid-syntax"


@dataclass(frozen=True)
class RuffOptions:
    """``select``: ruff codes or prefixes (default: every code with a twin); ``as_twins``:
    report codes measured identical under their pylint/bandit id."""

    select: tuple[str, ...] | None = None
    as_twins: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        if not isinstance(self.as_twins, bool):
            raise ValueError(f"as_twins must be true or false, not {self.as_twins!r}")
        if self.select is not None:
            if isinstance(self.select, str) or not all(isinstance(c, str) for c in self.select):
                raise ValueError(f"select must be a list of ruff codes, not {self.select!r}")
            object.__setattr__(self, "select", tuple(sorted(set(self.select))))


def _location(record: Mapping[str, Any], key: str) -> int:
    return int((record.get(key) or {}).get("row") or 0)


@dataclass(frozen=True, slots=True)
class Reporting:
    """How codes become findings: the twins in force and each code's own severity."""

    twins: Mapping[str, Parity]
    severity: Mapping[str, Severity]

    def rule_of(self, code: str) -> tuple[str, Severity]:
        """Govern's rule id and severity for a finding of ``code``."""
        twin = self.twins.get(code)
        if twin is None:
            return f"ruff:{code}", self.severity.get(code, "minor")
        return twin.twin, twin.severity or twin_severity(twin.twin)


def parse_results(
    records: Iterable[Mapping[str, Any]], path_of: Mapping[str, str], reporting: Reporting
) -> tuple[list[Draft], list[Skip]]:
    """``ruff check --output-format json`` records -> drafts, and skips for unparsable files.

    ``path_of`` maps a record's (normalised) ``filename`` to its repo path; records of other
    files are dropped (they cannot occur with explicit file arguments).
    """
    drafts: list[Draft] = []
    skips: dict[str, Skip] = {}
    for record in records:
        path = path_of.get(os.path.normpath(str(record["filename"])))
        if path is None:
            continue
        line = _location(record, "location")
        code = str(record.get("code") or SYNTAX_ERROR)
        if code == SYNTAX_ERROR:
            reason = f"syntax error: line {line}: {record['message']} (reported by pylint as E0001)"
            skips.setdefault(path, Skip(path, TOOL, reason))
            continue
        rule, severity = reporting.rule_of(code)
        message = f"{record.get('name') or code}: {record['message']} (ruff {code})"
        drafts.append(
            Draft(
                rule=rule,
                tool=TOOL,
                tool_rule=code,
                severity=severity,
                path=path,
                line=line,
                end_line=max(line, _location(record, "end_location")),
                message=mask_message(rule, message),
            )
        )
    unparsed = set(skips)
    return [d for d in drafts if d.path not in unparsed], list(skips.values())


def run_ruff(root: Path, paths: Sequence[str], select: Sequence[str], timeout: float) -> list[dict[str, Any]]:
    """ruff's JSON records for ``paths`` (relative to ``root``); raises on a failed run."""
    command = [
        ruff_bin(),
        "check",
        "--isolated",
        "--no-cache",
        "--exit-zero",
        "--output-format",
        "json",
        "--select",
        ",".join(select),
        "--",
        *paths,
    ]
    completed = subprocess.run(  # nosec B603  # fixed arguments, no shell
        command, cwd=root, capture_output=True, text=True, check=True, timeout=timeout
    )
    records: list[dict[str, Any]] = json.loads(completed.stdout or "[]")
    return records


class RuffScanner(PerFileScanner):
    """Batch check of Python files by the ruff binary; not run unless a profile enables it."""

    name = "ruff"
    enabled_by_default: ClassVar[bool] = False
    options_type = RuffOptions
    distributions = ("ruff",)
    suffixes = (".py",)

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        super().__init__(config)
        unknown = sorted(code for code in self.selection if not self._known(code))
        if unknown:
            raise ScannerConfigError(f"ruff: unknown rule code(s) in select: {unknown}")

    def _catalogue(self) -> tuple[RuffRule, ...]:
        return ruff_rule_list(tool_version(*self.distributions))

    def _known(self, selector: str) -> bool:
        return selector == "ALL" or any(rule.code.startswith(selector) for rule in self._catalogue())

    @property
    def selection(self) -> tuple[str, ...]:
        """The codes ruff is asked for: the option, or every code with a twin."""
        return self.options.select if self.options.select is not None else parity_table().codes

    @property
    def version(self) -> str:
        """ruff's version and, when findings take their twins' ids, the parity table's digest."""
        base = super().version
        return f"{base};parity={parity_table().digest}" if self.options.as_twins else base

    def rules(self) -> tuple[RuleDoc, ...]:
        """Every ruff rule, as ruff documents it (see :mod:`scanners.ruff_rules`)."""
        return ruff_docs(self._catalogue())

    def reporting(self) -> Reporting:
        """The twins in force (none unless ``as_twins``) and every code's own severity."""
        twins = parity_table().identical() if self.options.as_twins else {}
        return Reporting(twins, {rule.code: rule.severity for rule in self._catalogue()})

    def scan(self, batch: Batch) -> ScanResult:
        """One ruff run over the batch; a failed run skips the batch's files with its reason."""
        admitted, skipped = split_admitted(batch.files, TOOL, self.options.max_bytes)
        if not admitted:
            return ScanResult(skipped=tuple(skipped))
        with tempfile.TemporaryDirectory(prefix="govern-ruff-") as tmp:
            root = Path(os.path.realpath(tmp))
            written = write_tree(root, admitted)
            try:
                records = run_ruff(root, sorted(written.values()), self.selection, self.options.timeout)
            except (subprocess.SubprocessError, OSError, ValueError) as exc:
                reason = f"crash: {type(exc).__name__}: {str(exc)[:300]}"
                return ScanResult(skipped=(*skipped, *(Skip(f.path, TOOL, reason) for f in admitted)))
        drafts, unparsed = parse_results(records, written, self.reporting())
        by_path: dict[str, SourceFile] = {f.path: f for f in admitted}
        return ScanResult(finalise(drafts, by_path), {}, (*skipped, *unparsed))


def reported_as(settings: Mapping[str, Any]) -> frozenset[str]:
    """What ruff's findings are reported under with these settings: the scanner name ``ruff``
    and, with ``as_twins``, the twin rule ids (``pylint:R0913``) of the codes measured identical."""
    if settings.get("as_twins") is not True:
        return frozenset({TOOL})
    return frozenset({TOOL, *(p.twin for p in parity_table().identical().values())})
