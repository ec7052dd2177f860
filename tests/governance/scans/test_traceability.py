"""A tree's requirement references from per-blob cache entries: equal to reading every file,
and a rescan reads only the blobs that changed."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from governance.registry import service as registry
from governance.requirements.extract import compile_marker, extract_references
from governance.requirements.links import links_of
from governance.requirements.service import create_requirement
from governance.scans.cache import MemoryCache
from governance.scans.files import git_blob_id
from governance.scans.planner import FileEntry
from governance.scans.traceability import tree_references
from tests.governance.requirements.sources import FILES
from tests.governance.scans.test_factstore import CountingReader

MARKER = compile_marker(None)


def _tree(files: Mapping[str, str]) -> tuple[list[FileEntry], CountingReader]:
    raw = {path: text.encode() for path, text in files.items()}
    entries = [FileEntry(p, git_blob_id(data), len(data)) for p, data in sorted(raw.items())]
    return entries, CountingReader(raw)


def _full(files: Mapping[str, str]) -> list[object]:
    return extract_references(sorted(files.items()))


def test_references_equal_reading_every_file_and_a_rescan_reads_only_the_changed_blob() -> None:
    files = dict(FILES)
    assert _full(files), "the sample must hold references"
    cache = MemoryCache()
    entries, reader = _tree(files)
    first = tree_references(entries, reader, MARKER, cache)
    assert list(first.references) == _full(files)
    assert first.read == len(files)

    changed = next(path for path in sorted(files) if "REQ" in files[path])
    files[changed] = files[changed].replace("REQ", "NOTE", 1)
    entries, reader = _tree(files)
    second = tree_references(entries, reader, MARKER, cache)
    assert list(second.references) == _full(files) != list(first.references)
    assert reader.asked == [changed]
    entries, reader = _tree(files)
    assert tree_references(entries, reader, MARKER, cache).read == 0


def test_one_blob_under_a_test_path_and_a_code_path_gives_both_kinds() -> None:
    text = '# REQ: BUD-0001\ndef test_pay():\n    """Requirement: BUD-0002"""\n'
    files = {"src/pay.py": text, "tests/test_pay.py": text}
    cache = MemoryCache()
    entries, reader = _tree(files)
    found = tree_references(entries, reader, MARKER, cache)
    assert list(found.references) == _full(files)
    assert {(r.path, r.kind) for r in found.references} == {
        ("src/pay.py", "code"),
        ("tests/test_pay.py", "test"),
    }


def test_another_marker_pattern_reads_again() -> None:
    files = {"a.py": "# REQ: BUD-0001\n# @trace BUD-0002\n"}
    cache = MemoryCache()
    entries, reader = _tree(files)
    tree_references(entries, reader, MARKER, cache)
    custom = compile_marker(r"@trace\s+[A-Z]+-\d+")
    entries, reader = _tree(files)
    found = tree_references(entries, reader, custom, cache)
    assert [r.key for r in found.references] == ["BUD-0002"]
    assert reader.asked == ["a.py"]


def test_binary_and_oversized_files_hold_no_references() -> None:
    files = {"a.bin": "\x00# REQ: BUD-0001\n", "big.py": "# REQ: BUD-0002\n" + "x = 1\n" * 200_000}
    entries, reader = _tree(files)
    found = tree_references(entries, reader, MARKER, MemoryCache())
    assert found.references == ()
    assert reader.asked == ["a.bin"]


@pytest.mark.slow
def test_scans_keep_the_links_of_the_tree_they_scanned(database, pay_module, scan_now, vendor_repo) -> None:
    with database.session() as session:
        pay = registry.get_module(session, pay_module)
        for number in (1, 2):
            create_requirement(session, module=pay, key=f"PAY-{number}", title=f"r{number}", actor="pm")
    vendor_repo.commit("PAY-1: book", {"src/pay/book.py": "# REQ: PAY-1\nx = 1\n"})
    scan_now(pay_module)
    vendor_repo.commit("PAY-2: rebook", {"src/pay/book.py": "# REQ: PAY-2\nx = 2\n"})
    scan_now(pay_module)
    with database.session() as session:
        links = links_of(session, module=registry.get_module(session, pay_module))
        assert [(x.requirement_key, x.kind, x.target) for x in links if x.kind == "code"] == [
            ("PAY-2", "code", "src/pay/book.py")
        ]
