"""Project checks from per-blob facts: incremental equals full, and a change reads only its blob.

The history is itsdangerous 2.1.0 → 2.1.1 → 2.1.2 → 2.2.0 (released sdists, the whole
extracted tree): after every step the project checks judged from facts carried in a
cache along the history must give exactly what a full scan gives (facts computed afresh
from every file), and only the blobs that changed are read and analysed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pytest
from sqlmodel import select

from governance.executors.base import Executor
from governance.executors.local import InlineExecutor, local_executor
from governance.registry import service as registry
from governance.scans.cache import MemoryCache
from governance.scans.factstore import FactStore
from governance.scans.files import DiskFiles, git_blob_id
from governance.scans.models import Finding as FindingRow
from governance.scans.project import run_project_checks
from governance.scans.run import run_scan
from governance.scans.service import request_scan
from governance.scans.units import FACTS_UNIT, UnitResult, WorkUnit
from scanners.base import ScanResult
from scanners.repository_scanner import RepositoryScanner
from tests.corpus import fetch_sdist

RELEASES = ("2.1.0", "2.1.1", "2.1.2", "2.2.0")
BODY = b"".join(f"    v{i} = x * {i} + {i}\n".encode() for i in range(8)) + b"    return v7\n"
KINDS = 3  # gate, imports, similar: the facts of one Python blob the repository checks read
SCAN_KINDS = KINDS + 1  # and windows, which a scan asks for the comparison with other modules


class CountingReader:
    """A blob reader that remembers which paths it was asked for."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = files
        self.asked: list[str] = []

    def __call__(self, paths: Sequence[str]) -> Mapping[str, bytes]:
        self.asked.extend(paths)
        return {p: self.files[p] for p in paths}


def _checks(
    files: Mapping[str, bytes], cache: MemoryCache | None
) -> tuple[ScanResult, FactStore | None, CountingReader]:
    reader = CountingReader(files)
    paths = sorted(files)
    tree_sha = git_blob_id("\n".join(f"{p} {git_blob_id(files[p])}" for p in paths).encode())
    store = None
    if cache is not None:
        store = FactStore(cache, {p: git_blob_id(files[p]) for p in paths}, reader)
    result = run_project_checks(
        [RepositoryScanner()],
        paths=paths,
        read=lambda p: files[p],
        tree_sha=tree_sha,
        cache=cache if cache is not None else MemoryCache(),
        facts=store.facts if store else None,
    )
    return result, store, reader


def _outcome(result: ScanResult) -> tuple[list[tuple[str, int, str, str, str]], object, object]:
    findings = sorted((f.path, f.line, f.rule, f.message, f.fingerprint) for f in result.findings)
    return findings, result.metrics, sorted((s.path, s.reason) for s in result.skipped)


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, bytes]]:
    trees = []
    for version in RELEASES:
        root = fetch_sdist(f"itsdangerous=={version}", tmp_path_factory.mktemp(f"itsdangerous-{version}"))
        disk = DiskFiles([root], base=root)
        trees.append(dict(disk.read([e.path for e in disk.entries()])))
    return trees


@pytest.mark.slow
def test_every_release_project_checks_incremental_equal_full(releases: list[dict[str, bytes]]) -> None:
    cache = MemoryCache()
    previous: dict[str, bytes] = {}
    for version, files in zip(RELEASES, releases, strict=True):
        full, _, _ = _checks(files, None)
        incremental, store, reader = _checks(files, cache)
        assert _outcome(incremental) == _outcome(full), version
        assert store is not None
        old_blobs = {git_blob_id(c) for c in previous.values()}
        changed = {p for p, c in files.items() if p.endswith(".py") and git_blob_id(c) not in old_blobs}
        assert set(reader.asked) == changed, version
        assert store.total_computed == KINDS * len({git_blob_id(files[p]) for p in changed}), version
        previous = files
    assert any("duplicate-code" in f.rule for f in full.findings) or full.metrics[""]["python_files"] > 0


def test_one_changed_file_reads_and_analyses_only_its_blob() -> None:
    files = {
        "pkg/__init__.py": b"from pkg import a\n",
        "pkg/a.py": b"from pkg import b\n\n\ndef f(x):\n" + BODY,
        "pkg/b.py": b"import pkg.a\n\n\ndef g(x):\n" + BODY,
        "pkg/c.py": b"VALUE = 1\n",
        "README.md": b"# pkg\n",
    }
    cache = MemoryCache()
    first, store, _ = _checks(files, cache)
    assert store is not None and store.total_computed == KINDS * 4
    changed = {**files, "pkg/c.py": b"VALUE = 2\n"}
    second, store, reader = _checks(changed, cache)
    assert store is not None
    assert reader.asked == ["pkg/c.py"]
    assert dict(store.computed) == {"gate": 1, "imports": 1, "similar": 1}
    assert _outcome(second) == _outcome(_checks(changed, None)[0])
    rules = {f.rule for f in second.findings}
    assert {"repository:import-cycle", "repository:duplicate-code"} <= rules
    assert _outcome(first)[0] == _outcome(second)[0]


def test_same_blob_under_two_paths_is_computed_once() -> None:
    body = b"def f():\n    return 1\n"
    cache = MemoryCache()
    _, store, reader = _checks({"a/x.py": body, "b/y.py": body}, cache)
    assert store is not None and store.total_computed == KINDS
    assert len(reader.asked) == 1


def test_unparsable_file_is_skipped_not_fatal() -> None:
    result, _, _ = _checks({"ok.py": b"x = 1\n", "bad.py": b"def f(:\n    pass\n"}, MemoryCache())
    assert [(s.path, s.reason.split(":")[0]) for s in result.skipped] == [
        ("bad.py", "duplicate code not checked")
    ]
    assert result.metrics[""]["python_files"] == 2.0


def test_full_scan_recomputes_every_fact(tmp_path: Path) -> None:
    from governance.scans.cache import RefreshingCache

    files = {"a.py": b"x = 1\n", "b.py": b"y = 2\n"}
    cache = MemoryCache()
    _checks(files, cache)
    store = FactStore(
        RefreshingCache(cache), {p: git_blob_id(c) for p, c in files.items()}, CountingReader(files)
    )
    store.facts("imports", ("a.py", "b.py"), {})
    assert store.computed["imports"] == 2


@pytest.mark.slow
def test_scan_of_a_one_file_change_computes_that_blobs_facts_only(pay_module, scan_now, vendor_repo) -> None:
    first = scan_now(pay_module)
    assert first.metrics["facts_computed"] == SCAN_KINDS * 2  # src/pay/__init__.py and core.py
    vendor_repo.commit("PAY-2: notes", {"src/pay/notes.py": '"""Notes."""\n', "README.md": "# Pay\n\nv2\n"})
    second = scan_now(pay_module)
    assert second.metrics["facts_computed"] == SCAN_KINDS
    vendor_repo.commit("PAY-3: docs only", {"README.md": "# Pay\n\nv3\n"})
    assert scan_now(pay_module).metrics["facts_computed"] == 0


class RecordingExecutor:
    """The inline executor, remembering each unit's scanner and files."""

    name = "recording"

    def __init__(self, inner: Executor) -> None:
        self.inner = inner
        self.units: list[tuple[str, tuple[str, ...]]] = []

    def run(self, units: Iterable[WorkUnit]) -> Iterator[UnitResult]:
        def recorded() -> Iterator[WorkUnit]:
            for unit in units:
                self.units.append((unit.scanner, tuple(f.path for f in unit.files)))
                yield unit

        return self.inner.run(recorded())

    def close(self) -> None:
        self.inner.close()


def _project_findings(database, scan_id: int) -> list[tuple[str, str, int, str, str]]:
    with database.session() as session:
        rows = session.exec(select(FindingRow).where(FindingRow.scan_id == scan_id)).all()
        return sorted(
            (f.rule, f.path, f.line, f.message, f.fingerprint)
            for f in rows
            if f.rule.startswith("repository:")
        )


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_facts_run_as_units_beside_the_scanners_and_equal_full(
    database, settings, pay_module, vendor_repo, workers: int
) -> None:
    executor = RecordingExecutor(InlineExecutor() if workers == 1 else local_executor(workers))
    copy = '"""Copy."""\n\n\ndef g(x):\n' + BODY.decode()
    try:
        _run(database, settings, pay_module, executor)
        facts_units = [paths for scanner, paths in executor.units if scanner == FACTS_UNIT]
        assert sorted(p for paths in facts_units for p in paths) == ["src/pay/__init__.py", "src/pay/core.py"]
        vendor_repo.commit("PAY-2: copies", {"src/pay/a.py": copy, "src/pay/b.py": copy.replace("g(", "h(")})
        executor.units.clear()
        incremental = _run(database, settings, pay_module, executor)
        assert [p for s, ps in executor.units if s == FACTS_UNIT for p in ps] == [
            "src/pay/a.py",
            "src/pay/b.py",
        ]
        full = _run(database, settings, pay_module, executor, full=True)
    finally:
        executor.close()
    assert _project_findings(database, incremental.id) == _project_findings(database, full.id)
    assert any(r[0] == "repository:duplicate-code" for r in _project_findings(database, full.id))


def _run(database, settings, key: str, executor, *, full: bool = False):
    with database.session() as session:
        scan, _ = request_scan(
            session, module=registry.get_module(session, key), trigger="manual", actor="test"
        )
    return run_scan(database, settings, scan.id, executor=executor, actor="test", use_cache=not full)
