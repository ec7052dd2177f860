"""Step 5 of a scan, the project checks, and what the plan and execute steps do for it.

The checks are judged from per-blob facts (:mod:`governance.scans.factstore`). At plan
time the facts they will ask for and that are missing become *fact units*; the execute
step runs them on the executor beside the scanners' units (in parallel on a pool or on
Celery workers), so a cold scan no longer analyses every file for the project checks in
the coordinator after the units. A tree whose project results are cached plans none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from governance.scans.cache import CacheStore
from governance.scans.crossdup import CrossResult, Peer, cross_module_duplicates
from governance.scans.crossdup import Settings as CrossSettings
from governance.scans.factstore import FactPlan, FactStore
from governance.scans.planner import FILE_LIMITS, FileEntry
from governance.scans.project import cached, run_project_checks
from scanners._common import safe_relpath
from scanners.base import ProjectScanner, ScanResult
from scanners.batching import plan_batches
from scanners.blobfacts import FactRequest
from scanners.registry import PROJECT_SCANNER_GROUP, build_project_scanners, find
from scanners.repository_scanner import RepositoryScanner


def project_names() -> set[str]:
    """Names of the installed project scanners (the rest of a profile's settings are per file)."""
    return {ep.name for ep in find(PROJECT_SCANNER_GROUP)}


def project_scanners(settings: Mapping[str, Mapping[str, Any]]) -> tuple[ProjectScanner, ...]:
    """The project scanners with the profile's settings."""
    names = project_names()
    return build_project_scanners(config={name: dict(v) for name, v in settings.items() if name in names})


def _repository(scanners: Sequence[ProjectScanner]) -> RepositoryScanner | None:
    return next((s for s in scanners if isinstance(s, RepositoryScanner)), None)


def fact_requests(scanners: Sequence[ProjectScanner]) -> tuple[FactRequest, ...]:
    """The facts the repository checks ask of each Python file, gate first."""
    repository = _repository(scanners)
    if repository is None:
        return ()
    requests: list[FactRequest] = [("gate", {"max_bytes": repository.options.max_bytes}), ("imports", {})]
    if repository.options.check_duplicates:
        requests += [("similar", {}), ("windows", {"min_lines": repository.options.duplicate_min_lines})]
    return tuple(requests)


def fact_plan(
    scanners: Sequence[ProjectScanner],
    *,
    entries: Sequence[FileEntry],
    tree_sha: str,
    store: FactStore,
    cache: CacheStore,
) -> FactPlan:
    """Batches of the Python files whose facts are missing (none for a tree seen before)."""
    requests = fact_requests(scanners)
    if not requests or cached(scanners, tree_sha=tree_sha, cache=cache):
        return FactPlan()
    sizes = {e.path: e.size for e in entries if e.path.endswith(".py") and safe_relpath(e.path) is not None}
    missing = store.missing(requests, list(sizes))
    batches = plan_batches({p: sizes[p] for p in missing}, FILE_LIMITS)
    return FactPlan(requests, tuple(batches))


def project_checks(
    scanners: Sequence[ProjectScanner],
    *,
    entries: Sequence[FileEntry],
    read: Callable[[str], bytes],
    tree_sha: str,
    store: FactStore,
    cache: CacheStore,
) -> ScanResult:
    """Every project scanner on the tree, from facts (cached by tree)."""
    return run_project_checks(
        scanners,
        paths=[e.path for e in entries],
        read=read,
        tree_sha=tree_sha,
        cache=cache,
        facts=store.facts,
    )


def cross_modules(
    scanners: Sequence[ProjectScanner],
    *,
    entries: Sequence[FileEntry],
    tree_sha: str,
    peers: Sequence[Peer],
    store: FactStore,
    cache: CacheStore,
    peer_cache: CacheStore,
) -> CrossResult:
    """Code of this tree also in the peers (none when duplicate code is not checked)."""
    repository = _repository(scanners)
    if repository is None or not repository.options.check_duplicates:
        return CrossResult()
    options = repository.options
    return cross_module_duplicates(
        store=store,
        paths=[e.path for e in entries],
        tree=tree_sha,
        peer_list=peers,
        settings=CrossSettings(options.duplicate_min_lines, options.max_bytes),
        version=repository.version,
        cache=cache,
        peer_cache=peer_cache,
    )
