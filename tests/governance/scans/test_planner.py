"""Planning: sound keys (pylint follows the import closure), cache hits read nothing."""

from __future__ import annotations

from governance.scans.cache import MemoryCache
from governance.scans.files import git_blob_id
from governance.scans.planner import FileEntry, Planner
from scanners.registry import build_registry

FILES = {
    "pkg/__init__.py": b"",
    "pkg/base.py": b"def helper():\n    return 1\n",
    "pkg/user.py": b"from pkg.base import helper\n\nprint(helper())\n",
    "pkg/alone.py": b"X = 1\n",
}


class CountingReader:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files, self.reads = files, 0

    def __call__(self, paths):  # type: ignore[no-untyped-def]
        self.reads += len(paths)
        return {p: self.files[p] for p in paths}


def _entries(files: dict[str, bytes]) -> list[FileEntry]:
    return [FileEntry(p, git_blob_id(c), len(c)) for p, c in sorted(files.items())]


def _planner(cache: MemoryCache, reader: CountingReader) -> Planner:
    return Planner(registry=build_registry(enabled=["pylint", "radon"]), cache=cache, read=reader)


def test_changing_an_import_changes_the_importers_pylint_key_only() -> None:
    cache = MemoryCache()
    before = _planner(cache, CountingReader(FILES)).plan(_entries(FILES))
    changed = {**FILES, "pkg/base.py": b"def helper():\n    return 2\n"}
    after = _planner(cache, CountingReader(changed)).plan(_entries(changed))
    differs = {k for k in before.keys if before.keys[k] != after.keys[k]}
    assert differs == {("pylint", "pkg/base.py"), ("radon", "pkg/base.py"), ("pylint", "pkg/user.py")}


def test_a_second_plan_of_the_same_files_reads_nothing() -> None:
    cache = MemoryCache()
    first = _planner(cache, CountingReader(FILES))
    plan = first.plan(_entries(FILES))
    for spec in plan.units:  # pretend the units ran: store empty results under their keys
        cache.put_many(
            {
                key: (spec.scanner, {"findings": [], "metrics": {}, "skipped": []})
                for key in spec.keys.values()
            }
        )
    reader = CountingReader(FILES)
    again = _planner(cache, reader).plan(_entries(FILES))
    assert again.units == [] and len(again.hits) == len(plan.keys) and reader.reads == 0
