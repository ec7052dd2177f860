"""repository: project-level checks, run once per scan on the whole tree.

These results depend on the whole tree, so the domain caches them by tree sha, never
per file (see :class:`~scanners.base.ProjectScanner`).

Rules (path ``""`` and line 0 for findings about the repository as a whole):
- ``repository:missing-<document>`` (major): no file matches a required document's
  globs. Defaults: architecture, openapi, deployment, changelog, data-dictionary; the
  ``required`` option replaces the mapping name -> globs (``**/`` matches any folder,
  matching ignores case).
- ``repository:invalid-openapi`` (major): a file matching the ``openapi`` globs is not
  YAML/JSON or has no top-level ``openapi`` key.
- ``repository:import-cycle`` (major): one per cycle of in-repo imports
  (:meth:`scanners.imports.ImportGraph.cycles`), reported on the cycle's first file.
- ``repository:duplicate-code`` (minor): pylint's own similarity checker (``symilar``,
  the engine of R0801) with pylint's defaults; one finding per copy, naming the others.
Metrics under ``""``: ``python_files``, ``import_cycles``, ``duplicate_blocks``.
"""

from __future__ import annotations

import fnmatch
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from scanners._common import (
    DEFAULT_MAX_BYTES,
    Draft,
    build_options,
    config_digest,
    finalise_with,
    safe_relpath,
    split_admitted,
    tool_version,
)
from scanners.base import ScanResult, Skip, SourceFile, Tree
from scanners.blobfacts import Fact, FactReader, direct_facts, records_of
from scanners.govern_rules import repository_rules
from scanners.imports import ImportGraph
from scanners.rules import RuleDoc
from scanners.wording import Wording, worded

TOOL = "repository"
DEFAULT_REQUIRED: dict[str, tuple[str, ...]] = {
    "architecture": ("architecture*", "**/architecture*", "docs/adr/*", "**/docs/adr/*"),
    "openapi": ("openapi.*", "**/openapi.*", "swagger.*", "**/swagger.*"),
    "deployment": (
        "dockerfile",
        "**/dockerfile",
        "docker-compose.y*ml",
        "**/docker-compose.y*ml",
        "**/k8s/*.y*ml",
        "**/kubernetes/*.y*ml",
        "**/chart.yaml",
        "**/deployment.y*ml",
    ),
    "changelog": ("changelog*", "**/changelog*", "changes*", "history*", "news*"),
    "data-dictionary": (
        "**/data-dictionary*",
        "**/data_dictionary*",
        "data-dictionary*",
        "data_dictionary*",
    ),
}


@dataclass(frozen=True)
class RepositoryOptions:
    """``required`` maps a document name to its globs (an empty mapping checks none)."""

    required: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: DEFAULT_REQUIRED)
    duplicate_min_lines: int = 4
    check_duplicates: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES

    def __post_init__(self) -> None:
        frozen = {str(k): tuple(str(g) for g in v) for k, v in dict(self.required).items()}
        object.__setattr__(self, "required", dict(sorted(frozen.items())))


def matches(path: str, globs: Iterable[str]) -> bool:
    """Case-insensitive glob match where ``**/`` also matches the repository root."""
    lower = path.lower()
    for glob in globs:
        pattern = glob.lower()
        if fnmatch.fnmatchcase(lower, pattern):
            return True
        if pattern.startswith("**/") and fnmatch.fnmatchcase(lower, pattern[3:]):
            return True
    return False


def _repo_draft(rule: str, message: Wording, path: str = "", line: int = 0) -> Draft:
    return Draft(rule, TOOL, rule.split(":", 1)[1], "major", path, line, line, str(message), wording=message)


def check_required(paths: Iterable[str], required: Mapping[str, Iterable[str]]) -> list[Draft]:
    """Pure: a draft per required document with no matching path."""
    listed = list(paths)
    return [
        _repo_draft(
            f"repository:missing-{name}",
            worded(
                "required %(name)s document not found (looked for %(globs)s)",
                name=name,
                globs=", ".join(globs),
            ),
        )
        for name, globs in required.items()
        if not any(matches(p, globs) for p in listed)
    ]


def check_openapi(source: SourceFile) -> list[Draft]:
    """Pure: the file parses as YAML/JSON and is a mapping with an ``openapi`` key."""
    try:
        data = yaml.safe_load(source.text())
    except yaml.YAMLError as exc:
        wording = worded("not YAML/JSON: %(error)s", error=str(exc)[:286])  # 300 characters in all
        return [_repo_draft("repository:invalid-openapi", wording, source.path, 1)]
    if not isinstance(data, dict) or "openapi" not in data:
        return [
            _repo_draft("repository:invalid-openapi", worded("no top-level 'openapi' key"), source.path, 1)
        ]
    return []


def check_cycles(graph: ImportGraph) -> list[Draft]:
    """Pure: a draft per import cycle, on its first file."""
    return [
        _repo_draft(
            "repository:import-cycle",
            worded("import cycle: %(cycle)s", cycle=" -> ".join(cycle)),
            cycle[0],
            1,
        )
        for cycle in graph.cycles()
    ]


def check_duplicates(similar: Mapping[str, Fact], min_lines: int) -> list[Draft]:
    """pylint's symilar over the files' stripped lines: one minor draft per copy of a block.

    ``similar`` maps each path (in tree order) to its ``similar`` fact.
    """
    # scanners.duplication subclasses pylint's symilar: imported by the check that uses it,
    # so that loading the scanner registry (at every `govern` start) does not load pylint.
    from scanners.duplication import duplicate_blocks

    files = [(path, fact["lines"]) for path, fact in similar.items() if fact["lines"] is not None]
    drafts = []
    for size, copies in duplicate_blocks(files, min_lines):
        for copy in copies:
            others = ", ".join(
                f"{c.path}:{c.start}" for c in copies if (c.path, c.start) != (copy.path, copy.start)
            )
            message = worded("%(lines)s similar lines also in %(places)s", lines=size, places=others)
            drafts.append(
                Draft(
                    "repository:duplicate-code",
                    TOOL,
                    "duplicate-code",
                    "minor",
                    copy.path,
                    copy.start,
                    copy.end,
                    str(message),
                    wording=message,
                )
            )
    return drafts


def fact_code_lines(imports: Mapping[str, Fact], similar: Mapping[str, Fact]) -> dict[tuple[str, int], str]:
    """The normalised code of the lines findings can be on (line 1, starts of stripped lines)."""
    code: dict[tuple[str, int], str] = {
        (path, 1): str(fact.get("first", "")) for path, fact in imports.items()
    }
    for path, fact in similar.items():
        for item in fact["lines"] or ():
            code[(path, int(item[0]) + 1)] = str(item[2] if len(item) > 2 else item[1])
    return code


class RepositoryScanner:
    """Required documents, OpenAPI validity, import cycles and duplicate code."""

    name = "repository"

    def rules(self) -> tuple[RuleDoc, ...]:
        """The rules this scanner reports, as documents (see :mod:`scanners.rules`)."""
        return repository_rules(self.options.required)

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.options = build_options(RepositoryOptions, config)

    @property
    def version(self) -> str:
        """pylint (symilar) and PyYAML versions plus this module's rule set."""
        return "rules-3;" + tool_version("pylint", "astroid", "PyYAML")

    @functools.cached_property
    def config_digest(self) -> str:
        """Digest of required globs and duplicate-code settings; computed once (the options are frozen),
        since the planner asks for it for every file."""
        return config_digest(self.name, self.options)

    def _read(self, tree: Tree, paths: Iterable[str]) -> tuple[list[SourceFile], list[Skip]]:
        files = [SourceFile(p, tree.read(p)) for p in paths]
        return split_admitted(files, TOOL, self.options.max_bytes)

    def _admit(self, facts: FactReader, paths: tuple[str, ...]) -> tuple[tuple[str, ...], list[Skip]]:
        """:func:`split_admitted` from per-blob ``gate`` facts (the path is judged here)."""
        safe = tuple(p for p in paths if safe_relpath(p) is not None)
        gates = facts("gate", safe, {"max_bytes": self.options.max_bytes})
        reasons = {p: "unsafe path" if p not in gates else gates[p]["reason"] for p in paths}
        skipped = [Skip(p, TOOL, str(reasons[p])) for p in paths if reasons[p]]
        return tuple(p for p in paths if not reasons[p]), skipped

    def scan_tree(self, tree: Tree) -> ScanResult:
        """Run every project check; an unreadable file is skipped, not fatal.

        Python files are judged from per-blob facts (``tree.facts``, computed from the
        blobs when the tree brings none), so a domain that caches facts by blob reads only
        the blobs that changed.
        """
        facts: FactReader = tree.facts or direct_facts(tree.read)
        drafts = check_required(tree.paths, self.options.required)
        api_globs = self.options.required.get("openapi", ())
        api_files, skipped = self._read(tree, [p for p in tree.paths if matches(p, api_globs)])
        for source in api_files:
            drafts += check_openapi(source)
        python, py_skipped = self._admit(facts, tuple(p for p in tree.paths if p.endswith(".py")))
        skipped += py_skipped
        imports = facts("imports", python, {})
        graph = ImportGraph.from_records({p: records_of(imports[p]) for p in python})
        drafts += check_cycles(graph)
        similar, duplicates, unparsed = self._duplicates(facts, python)
        drafts += duplicates
        code = fact_code_lines(imports, similar)
        metrics = {
            "": {
                "python_files": float(len(python)),
                "import_cycles": float(len(graph.cycles())),
                "duplicate_blocks": float(len(duplicates)),
            }
        }
        by_path = {f.path: f for f in api_files}
        return ScanResult(finalise_with(drafts, _code_at(code, by_path)), metrics, (*skipped, *unparsed))

    def _duplicates(
        self, facts: FactReader, python: tuple[str, ...]
    ) -> tuple[Mapping[str, Fact], list[Draft], list[Skip]]:
        """Duplicate-code drafts from the ``similar`` facts, and the files astroid cannot parse."""
        if not self.options.check_duplicates:
            return {}, [], []
        similar = facts("similar", python, {})
        unparsed = [
            Skip(p, TOOL, f"duplicate code not checked: {similar[p].get('error', '')}")
            for p in python
            if similar[p]["lines"] is None
        ]
        return similar, check_duplicates(similar, self.options.duplicate_min_lines), unparsed


def _code_at(
    code: Mapping[tuple[str, int], str], sources: Mapping[str, SourceFile]
) -> Callable[[str, int], str]:
    def at(path: str, line: int) -> str:
        source = sources.get(path)
        if source is not None:
            lines = source.text().splitlines()
            return lines[line - 1] if 0 < line <= len(lines) else ""
        return code.get((path, line), "")

    return at
