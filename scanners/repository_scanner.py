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
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from pylint.checkers.symilar import Symilar

from scanners._common import (
    DEFAULT_MAX_BYTES,
    Draft,
    build_options,
    config_digest,
    finalise,
    split_admitted,
    tool_version,
)
from scanners.base import ScanResult, Skip, SourceFile, Tree
from scanners.govern_rules import repository_rules
from scanners.imports import ImportGraph
from scanners.rules import RuleDoc

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


def _repo_draft(rule: str, message: str, path: str = "", line: int = 0) -> Draft:
    return Draft(rule, TOOL, rule.split(":", 1)[1], "major", path, line, line, message)


def check_required(paths: Iterable[str], required: Mapping[str, Iterable[str]]) -> list[Draft]:
    """Pure: a draft per required document with no matching path."""
    listed = list(paths)
    return [
        _repo_draft(
            f"repository:missing-{name}",
            f"required {name} document not found (looked for {', '.join(globs)})",
        )
        for name, globs in required.items()
        if not any(matches(p, globs) for p in listed)
    ]


def check_openapi(source: SourceFile) -> list[Draft]:
    """Pure: the file parses as YAML/JSON and is a mapping with an ``openapi`` key."""
    try:
        data = yaml.safe_load(source.text())
    except yaml.YAMLError as exc:
        return [_repo_draft("repository:invalid-openapi", f"not YAML/JSON: {exc}"[:300], source.path, 1)]
    if not isinstance(data, dict) or "openapi" not in data:
        return [_repo_draft("repository:invalid-openapi", "no top-level 'openapi' key", source.path, 1)]
    return []


def check_cycles(graph: ImportGraph) -> list[Draft]:
    """Pure: a draft per import cycle, on its first file."""
    return [
        _repo_draft("repository:import-cycle", "import cycle: " + " -> ".join(cycle), cycle[0], 1)
        for cycle in graph.cycles()
    ]


def check_duplicates(sources: Iterable[SourceFile], min_lines: int) -> list[Draft]:
    """pylint's symilar over the files: one minor draft per copy of a duplicated block."""
    symilar = Symilar(
        min_lines,
        ignore_comments=True,
        ignore_docstrings=True,
        ignore_imports=True,
        ignore_signatures=True,
    )
    for source in sources:
        symilar.append_stream(source.path, io.BytesIO(source.content), "utf-8")
    drafts = []
    for size, couples in symilar._compute_sims():  # pylint's R0801 uses the same call
        copies = sorted((lineset.name, start + 1, end) for lineset, start, end in couples)
        for path, start, end in copies:
            others = ", ".join(f"{p}:{s}" for p, s, _ in copies if (p, s) != (path, start))
            message = f"{size} similar lines also in {others}"
            drafts.append(
                Draft(
                    "repository:duplicate-code",
                    TOOL,
                    "duplicate-code",
                    "minor",
                    path,
                    start,
                    end,
                    message,
                )
            )
    return drafts


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
        return "rules-1;" + tool_version("pylint", "astroid", "PyYAML")

    @property
    def config_digest(self) -> str:
        """Digest of required globs and duplicate-code settings."""
        return config_digest(self.name, self.options)

    def _read(self, tree: Tree, paths: Iterable[str]) -> tuple[list[SourceFile], list[Skip]]:
        files = [SourceFile(p, tree.read(p)) for p in paths]
        return split_admitted(files, TOOL, self.options.max_bytes)

    def scan_tree(self, tree: Tree) -> ScanResult:
        """Run every project check; an unreadable file is skipped, not fatal."""
        opts = self.options
        drafts = check_required(tree.paths, opts.required)
        api_globs = opts.required.get("openapi", ())
        api_files, skipped = self._read(tree, [p for p in tree.paths if matches(p, api_globs)])
        for source in api_files:
            drafts += check_openapi(source)
        python, py_skipped = self._read(tree, [p for p in tree.paths if p.endswith(".py")])
        skipped += py_skipped
        graph = ImportGraph.build({f.path: f.content for f in python})
        drafts += check_cycles(graph)
        if opts.check_duplicates:
            drafts += check_duplicates(python, opts.duplicate_min_lines)
        by_path = {f.path: f for f in [*python, *api_files]}
        metrics = {
            "": {
                "python_files": float(len(python)),
                "import_cycles": float(len(graph.cycles())),
                "duplicate_blocks": float(sum(d.rule.endswith("duplicate-code") for d in drafts)),
            }
        }
        return ScanResult(finalise(drafts, by_path), metrics, tuple(skipped))
