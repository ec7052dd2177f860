"""The one protocol every scanner satisfies, and the immutable values it exchanges.

Scanners are stateless and pure: a work unit carries the file contents (and, for tools
that infer across files, the contents of the files they import), so a worker never needs
a checkout, a database or the network.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from scanners.rules import RuleDoc
from scanners.severity import SEVERITIES, Severity
from scanners.wording import Wording

__all__ = ["SEVERITIES", "Severity"]  # re-exported: the scale's long-standing import path

_SPACES = re.compile(r"\s+")


def normalise_code(line: str) -> str:
    """Collapse whitespace so re-indenting a line keeps its findings' identity."""
    return _SPACES.sub(" ", line).strip()


def fingerprint(rule: str, path: str, code_line: str, occurrence: int = 0) -> str:
    """Identity of a finding that survives moving code up or down the file.

    The line number is left out on purpose: rule + path + the normalised code of the
    flagged line (+ which occurrence of that same triple it is) stays stable when lines
    are inserted above it, as in SonarQube's issue tracking.
    """
    raw = f"{rule}\x1f{path}\x1f{normalise_code(code_line)}\x1f{occurrence}"
    return hashlib.sha1(raw.encode("utf-8"), usedforsecurity=False).hexdigest()


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file of a work unit: its repository path and raw bytes (blob sha if known)."""

    path: str
    content: bytes
    blob: str | None = None

    def text(self) -> str:
        """Decode as UTF-8; callers that need to reject non-UTF-8 text check first."""
        return self.content.decode("utf-8", errors="replace")


@dataclass(frozen=True, slots=True)
class Batch:
    """A unit of work: files to analyse plus read-only context files.

    ``context`` holds files the analysed ones import (their in-repo import closure):
    tools such as pylint read them for inference, but never report on them.
    """

    files: tuple[SourceFile, ...]
    context: tuple[SourceFile, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by one tool in one place; an immutable value.

    ``rule`` is Govern's stable, namespaced id (``<tool>:<tool_rule>``), the id standards
    bind to; ``tool_rule`` is the tool's own id (``W0611``/``unused-import``, ``B105``).
    ``wording`` is set when Govern wrote ``message`` itself (its own checks, not a third-party
    tool's text): ``str(wording) == message``, and the portal shows it translated. It takes no
    part in the fingerprint.
    """

    rule: str
    tool: str
    tool_rule: str
    severity: Severity
    path: str
    line: int
    end_line: int
    message: str
    fingerprint: str = ""  # empty only on a draft, before the whole file is known
    wording: Wording | None = None

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready form, used by the cache and by ``--json`` output."""
        data: dict[str, object] = {
            "rule": self.rule,
            "tool": self.tool,
            "tool_rule": self.tool_rule,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "end_line": self.end_line,
            "message": self.message,
            "fingerprint": self.fingerprint,
        }
        if self.wording is not None:
            data["wording"] = self.wording.as_json()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Finding:
        """Inverse of :meth:`as_dict` (for cache hits and worker results).

        A cache entry written before findings kept their wording has no ``wording`` key and
        loads with none: its message is shown as stored, never wrongly.
        """
        fields = {key: value for key, value in data.items() if key != "wording"}
        return cls(**fields, wording=Wording.from_json(data.get("wording")))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Skip:
    """A file a scanner could not analyse, and why (binary, too large, crash, timeout)."""

    path: str
    tool: str
    reason: str


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What one scanner returns for one batch.

    ``metrics`` maps path -> metric name -> value (e.g. ``{"a.py": {"sloc": 120}}``);
    project-level scanners use the path ``""`` for repository-wide metrics.
    ``traces`` (scanners with ``cache_scope = "trace"``) maps a path to what the analysis
    of that file read besides the file: ``{"modules": [paths], "parts": {path: [read, tested,
    digest]}, "names": [...], "env": digest}`` (``parts``: modules it reached only through
    top-level names, see :mod:`scanners.bindings`).
    """

    findings: tuple[Finding, ...] = ()
    metrics: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    skipped: tuple[Skip, ...] = ()
    traces: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @staticmethod
    def merge(results: Iterable[ScanResult]) -> ScanResult:
        """Combine results of several batches or scanners into one, order preserved."""
        findings: list[Finding] = []
        metrics: dict[str, dict[str, float]] = {}
        skipped: list[Skip] = []
        traces: dict[str, Mapping[str, Any]] = {}
        for result in results:
            findings.extend(result.findings)
            skipped.extend(result.skipped)
            traces.update(result.traces)
            for path, values in result.metrics.items():
                metrics.setdefault(path, {}).update(values)
        return ScanResult(tuple(findings), metrics, tuple(skipped), traces)


@runtime_checkable
class Scanner(Protocol):
    """What every scanner (built-in or third-party) provides.

    ``cache_scope`` tells the planner how results may be reused:
    ``"file"`` - results depend only on the file's bytes (key: blob sha);
    ``"closure"`` - results also depend on the file's in-repo import closure;
    ``"trace"`` - like closure (the closure is shipped as context), but the scanner reports
    per file what it really read (``ScanResult.traces``) and the result is reused while
    exactly that is unchanged (pylint).
    """

    name: str
    cache_scope: Literal["file", "closure", "trace"]

    @property
    def version(self) -> str:
        """The wrapped tool's version (and anything else that changes its output)."""
        ...

    @property
    def config_digest(self) -> str:
        """Digest of the settings that change this scanner's output."""
        ...

    def applies_to(self, path: str) -> bool:
        """Whether this scanner analyses a file at ``path`` (by extension or name)."""
        ...

    def rules(self) -> tuple[RuleDoc, ...]:
        """Every rule this scanner may report, as documents (id, title, severity, rationale,
        fix): standards are validated against them and the portal's catalogue shows them."""
        ...

    def scan(self, batch: Batch) -> ScanResult:
        """Analyse ``batch.files``; never raise for a bad file, return a Skip instead."""
        ...


@dataclass(frozen=True, slots=True)
class Tree:
    """A repository snapshot as a project-level scanner sees it, without a checkout.

    ``paths`` lists every file of the tree (repo-relative, ``/``-separated). ``read``
    returns the bytes of one path: the domain backs it with ``git cat-file --batch``,
    tests with a dict. A project scanner reads only the files it needs (documents it
    checks, Python files for the import graph), so the domain stays in charge of I/O.
    """

    paths: tuple[str, ...]
    read: Callable[[str], bytes]
    # ``(kind, paths, options) -> {path: fact}`` (see :mod:`scanners.blobfacts`): the domain
    # passes facts cached by blob; None computes them from ``read`` (a full scan).
    facts: Callable[[str, tuple[str, ...], Mapping[str, Any]], Mapping[str, Mapping[str, Any]]] | None = None

    @classmethod
    def from_mapping(cls, files: Mapping[str, bytes]) -> Tree:
        """Build a tree from an in-memory mapping ``path -> bytes`` (tests, small repos)."""
        snapshot = dict(files)
        return cls(tuple(sorted(snapshot)), snapshot.__getitem__)


@runtime_checkable
class ProjectScanner(Protocol):
    """A check about the repository as a whole, run once per scan (cache key: tree sha).

    Unlike :class:`Scanner`, results are not per file: required documents, import
    cycles and duplicate code depend on the whole tree.
    """

    name: str

    @property
    def version(self) -> str:
        """The version of the tools and rules behind this check."""
        ...

    @property
    def config_digest(self) -> str:
        """Digest of the settings that change this scanner's output."""
        ...

    def rules(self) -> tuple[RuleDoc, ...]:
        """Every rule this check may report, as documents (see :class:`Scanner`)."""
        ...

    def scan_tree(self, tree: Tree) -> ScanResult:
        """Analyse ``tree``; never raise for a bad file, return a Skip instead."""
        ...
