"""bandit: security issues in Python, run in-process through ``bandit.core.manager``.

One :class:`BanditManager` is built per batch (loading bandit's plugins is the costly
part) and each file is fed to it from memory, so no temp files are written and each
file gets its own time limit and crash boundary. Issues are turned into the dicts that
``bandit -f json`` prints under ``results``; :func:`parse_results` is the pure parser,
tested on stored JSON output.

Rules: ``bandit:<test id>`` (e.g. ``bandit:B105``); ``tool_rule`` is the test id.
Severity: HIGH -> critical, MEDIUM -> major, LOW -> minor (confidence and CWE are kept
in the message). A file bandit cannot parse is a Skip (pylint reports it once, as
``pylint:E0001``); ``# nosec`` comments are honoured as bandit's CLI does.
"""

from __future__ import annotations

import ast
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scanners._common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    Draft,
    FileResult,
    scan_each,
)
from scanners.base import Batch, ScanResult, Severity, SourceFile
from scanners.builtin_rules import bandit_rules
from scanners.perfile import PerFileScanner
from scanners.rules import RuleDoc
from scanners.secretmask import mask_message

TOOL = "bandit"
SEVERITY: dict[str, Severity] = {"HIGH": "critical", "MEDIUM": "major", "LOW": "minor"}


class BanditCrash(RuntimeError):
    """bandit recorded a file as skipped for a reason other than a syntax error."""


@dataclass(frozen=True)
class BanditOptions:
    """``skips``: test ids not run (as ``bandit -s``)."""

    skips: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        object.__setattr__(self, "skips", tuple(sorted(self.skips)))


def _cwe(result: Mapping[str, Any]) -> str:
    cwe = result.get("issue_cwe") or {}
    return f", CWE-{cwe['id']}" if cwe.get("id") else ""


def parse_results(results: Iterable[Mapping[str, Any]], path: str | None = None) -> list[Draft]:
    """``bandit -f json`` ``results`` entries -> drafts (``path`` overrides filenames)."""
    drafts = []
    for result in results:
        line = int(result["line_number"])
        line_range = result.get("line_range") or [line]
        severity = str(result["issue_severity"])
        message = (
            f"{result['test_name']}: {result['issue_text']} [severity {severity}, "
            f"confidence {result['issue_confidence']}{_cwe(result)}]"
        )
        rule = f"bandit:{result['test_id']}"
        drafts.append(
            Draft(
                rule=rule,
                tool=TOOL,
                tool_rule=str(result["test_id"]),
                severity=SEVERITY.get(severity, "info"),
                path=path or str(result["filename"]),
                line=line,
                end_line=max(int(n) for n in line_range),
                message=mask_message(rule, message),  # B105-B107 quote the literal
            )
        )
    return drafts


class _FileRunner:
    """Feeds files one at a time to one BanditManager, slicing its results per file."""

    def __init__(self, skips: tuple[str, ...]) -> None:
        # bandit is imported by the scanning: loading the registry (every scan, even one
        # with nothing to re-scan) must not pay a quarter of a second for it.
        from bandit.core.config import BanditConfig
        from bandit.core.manager import BanditManager

        config = BanditConfig()
        profile = {"exclude": list(skips)} if skips else {}
        self.manager = BanditManager(config, "file", quiet=True, profile=profile)

    def __call__(self, source: SourceFile) -> FileResult:
        manager = self.manager
        n_results, n_skipped = len(manager.results), len(manager.skipped)
        manager._parse_file(source.path, io.BytesIO(source.content), [source.path])
        skipped = manager.skipped[n_skipped:]
        issues = manager.results[n_results:]
        if skipped:
            reason = str(skipped[0][1])
            if "syntax error" in reason:
                ast.parse(source.content)  # raise the SyntaxError with its line for the Skip
            raise BanditCrash(reason)
        return parse_results((i.as_dict(with_code=False) for i in issues), source.path), {}


class BanditScanner(PerFileScanner):
    """Per-file security checks of Python source."""

    name = "bandit"
    options_type = BanditOptions
    distributions = ("bandit",)
    suffixes = (".py",)

    def rules(self) -> tuple[RuleDoc, ...]:
        """The rules this scanner reports, as documents (see :mod:`scanners.rules`)."""
        return bandit_rules()

    def scan(self, batch: Batch) -> ScanResult:
        """One manager for the batch, one crash/time boundary per file."""
        runner = _FileRunner(self.options.skips)
        opts = self.options
        return scan_each(batch.files, TOOL, opts.max_bytes, opts.timeout, runner)
