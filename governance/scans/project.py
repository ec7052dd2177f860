"""Project-level checks (required documents, import cycles, duplicate code), cached by tree.

They judge the repository as a whole, so their results are keyed by the tree sha: an
unchanged tree costs one cache lookup. A new tree is judged from per-blob facts
(:mod:`governance.scans.factstore`): only the blobs the tree changed are read and
analysed, the facts of the others come from the cache and are combined into the same
findings a full scan gives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from governance.scans.cache import CacheStore
from scanners.base import Finding, ProjectScanner, ScanResult, Skip, Tree
from scanners.blobfacts import FactReader


def _key(scanner: ProjectScanner, tree_sha: str) -> str:
    raw = "\x1f".join(("project", scanner.name, scanner.version, scanner.config_digest, tree_sha))
    return hashlib.sha256(raw.encode()).hexdigest()


def _to_entry(result: ScanResult) -> dict[str, Any]:
    return {
        "findings": [f.as_dict() for f in result.findings],
        "metrics": {path: dict(values) for path, values in result.metrics.items()},
        "skipped": [{"path": s.path, "tool": s.tool, "reason": s.reason} for s in result.skipped],
    }


def _from_entry(entry: dict[str, Any]) -> ScanResult:
    return ScanResult(
        tuple(Finding.from_dict(f) for f in entry["findings"]),
        entry["metrics"],
        tuple(Skip(**s) for s in entry["skipped"]),
    )


def cached(scanners: Sequence[ProjectScanner], *, tree_sha: str, cache: CacheStore) -> bool:
    """Whether every project scanner's result for this tree is in the cache (one lookup)."""
    keys = {_key(scanner, tree_sha) for scanner in scanners}
    return len(cache.get_many(keys)) == len(keys)


def run_project_checks(
    scanners: Sequence[ProjectScanner],
    *,
    paths: Sequence[str],
    read: Callable[[str], bytes],
    tree_sha: str,
    cache: CacheStore,
    facts: FactReader | None = None,
) -> ScanResult:
    """Every project scanner on the tree, from the cache where the tree was seen before.

    ``facts`` gives per-blob facts (cached by content); without it they are computed.
    """
    keys = {scanner.name: _key(scanner, tree_sha) for scanner in scanners}
    cached = cache.get_many(set(keys.values()))
    results: list[ScanResult] = []
    tree = Tree(tuple(paths), read, facts)
    for scanner in scanners:
        key = keys[scanner.name]
        if key in cached:
            results.append(_from_entry(cached[key]))
            continue
        result = scanner.scan_tree(tree)
        cache.put_many({key: (scanner.name, _to_entry(result))})
        results.append(result)
    return ScanResult.merge(results)
