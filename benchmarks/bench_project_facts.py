"""Project checks on a one-file change: per-blob facts against re-running them on the whole tree.

Corpus: an installed real package (SQLAlchemy's ``orm``, ``sql``, ``engine`` and ``dialects``
by default; ``--package`` and ``--parts`` choose others), read as one repository tree. One
run measures, on the same machine at the same time:

- ``whole_tree``: the project checks as before per-blob facts — the import graph parsed
  from every Python file and pylint's symilar over all of them (every pair compared);
- ``facts_cold``: the same checks from per-blob facts with an empty cache (a first scan);
- ``facts_one_change``: the next tree, one module changed, with the facts of the first
  tree cached — what a nightly delivery costs — with the facts computed and blobs read.

Findings of ``facts_one_change`` are checked equal to a full run on the changed tree and
the duplicate-code findings equal to symilar's. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
from pathlib import Path

from pylint.checkers.symilar import Symilar

from benchmarks.common import timed
from governance.scans.cache import MemoryCache
from governance.scans.factstore import FactStore
from governance.scans.files import git_blob_id
from governance.scans.project import run_project_checks
from scanners.base import ScanResult
from scanners.imports import ImportGraph
from scanners.repository_scanner import RepositoryScanner


def _tree(package: str, parts: list[str]) -> dict[str, bytes]:
    root = Path(importlib.import_module(package).__file__ or "").parent
    files: dict[str, bytes] = {}
    for part in parts:
        for path in sorted((root / part).rglob("*.py")):
            files[f"{package}/{path.relative_to(root)}"] = path.read_bytes()
    return files


def _whole_tree(files: dict[str, bytes]) -> tuple[int, int]:
    """The checks as they ran before facts: everything parsed, every pair compared.

    Returns (import cycles, copies of duplicated blocks): the repository checks' metrics.
    """
    graph = ImportGraph.build(files)
    symilar = Symilar(
        4, ignore_comments=True, ignore_docstrings=True, ignore_imports=True, ignore_signatures=True
    )
    for path in sorted(files):
        symilar.append_stream(path, io.BytesIO(files[path]), "utf-8")
    sims = symilar._compute_sims()  # pylint: disable=protected-access
    return len(graph.cycles()), sum(len(couples) for _size, couples in sims)


def _facts(files: dict[str, bytes], cache: MemoryCache | None) -> tuple[ScanResult, FactStore | None]:
    paths = sorted(files)
    blobs = {p: git_blob_id(files[p]) for p in paths}
    store = (
        FactStore(cache, blobs, lambda wanted: {p: files[p] for p in wanted}) if cache is not None else None
    )
    tree = git_blob_id("".join(f"{p}{blobs[p]}" for p in paths).encode())
    result = run_project_checks(
        [RepositoryScanner({"required": {}})],
        paths=paths,
        read=files.__getitem__,
        tree_sha=tree,
        cache=cache if cache is not None else MemoryCache(),
        facts=store.facts if store else None,
    )
    return result, store


def _key(result: ScanResult) -> list[tuple[str, str, int, str]]:
    return sorted((f.rule, f.path, f.line, f.fingerprint) for f in result.findings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", default="sqlalchemy")
    parser.add_argument("--parts", nargs="*", default=["orm", "sql", "engine", "dialects"])
    args = parser.parse_args()
    first = _tree(args.package, args.parts)
    changed_path = sorted(p for p in first if p.endswith("/base.py"))[0]
    second = {**first, changed_path: first[changed_path] + b"\n\ndef added_in_delivery():\n    return 42\n"}

    (cycles, copies), whole = timed(lambda: _whole_tree(second))
    cache = MemoryCache()
    (_, cold_store), cold = timed(lambda: _facts(first, cache))
    (incremental, store), one_change = timed(lambda: _facts(second, cache))
    full, _ = _facts(second, None)
    assert store is not None and cold_store is not None
    assert _key(incremental) == _key(full)
    assert (cycles, copies) == (full.metrics[""]["import_cycles"], full.metrics[""]["duplicate_blocks"])
    report = {
        "corpus": f"{args.package}: {', '.join(args.parts)}",
        "python_files": len(first),
        "lines": sum(c.count(b"\n") for c in first.values()),
        "changed": changed_path,
        "seconds": {
            "whole_tree": round(whole, 2),
            "facts_cold": round(cold, 2),
            "facts_one_change": round(one_change, 2),
        },
        "facts_computed": {"cold": cold_store.total_computed, "one_change": store.total_computed},
        "blobs_read_one_change": store.reads,
        "one_change_vs_whole_tree": round(whole / one_change, 1),
        "cold_vs_whole_tree": round(whole / cold, 2),
        "findings_equal_full": True,
        "metrics_equal_whole_tree": True,
        "duplicate_blocks": full.metrics[""]["duplicate_blocks"],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
