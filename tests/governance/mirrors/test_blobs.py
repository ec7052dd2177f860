"""Reading a commit's files from a bare mirror without a checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.errors import NotFound
from governance.mirrors.blobs import BlobReader, TreeEntry, list_tree
from tests.governance.mirrors.conftest import git


@pytest.fixture
def bare(vendor_repo, tmp_path: Path) -> tuple[Path, str, str]:
    repo = vendor_repo("blobs")
    first = repo.commit("one", {"src/app.py": "print('hi')\n", "README.md": "# hello\n"})
    second = repo.commit("two", {"src/app.py": "print('bye')\n", "data.bin": b"\x00\x01\x02"})
    mirror = tmp_path / "m.git"
    git(tmp_path, "clone", "-q", "--mirror", str(repo.path), str(mirror))
    return mirror, first, second


def test_list_tree_gives_paths_blobs_and_sizes(bare) -> None:
    mirror, first, second = bare
    entries = list_tree(mirror, second)
    assert [e.path for e in entries] == ["README.md", "data.bin", "src/app.py"]
    app = next(e for e in entries if e.path == "src/app.py")
    assert app.size == len("print('bye')\n")
    assert app.blob == git(mirror, "rev-parse", f"{second}:src/app.py").stdout.strip()
    assert [e.path for e in list_tree(mirror, first)] == ["README.md", "src/app.py"]
    assert all(isinstance(e, TreeEntry) for e in entries)


def test_list_tree_of_unknown_commit_is_not_found(bare) -> None:
    with pytest.raises(NotFound):
        list_tree(bare[0], "0123456789abcdef0123456789abcdef01234567")


def test_reader_reads_one_and_many_through_one_process(bare) -> None:
    mirror, _, second = bare
    entries = {e.path: e for e in list_tree(mirror, second)}
    with BlobReader(mirror) as reader:
        assert reader.read(entries["src/app.py"].blob) == b"print('bye')\n"
        many = reader.read_many(e.blob for e in entries.values())
        pid = reader._process.pid if reader._process else None
        assert reader.read(entries["data.bin"].blob) == b"\x00\x01\x02"
        assert reader._process is not None and reader._process.pid == pid
    assert many[entries["README.md"].blob] == b"# hello\n"
    assert len(many) == 3


def test_missing_blob_raises_and_reader_stays_usable(bare) -> None:
    mirror, _, second = bare
    blob = list_tree(mirror, second)[0].blob
    with BlobReader(mirror) as reader:
        with pytest.raises(NotFound):
            reader.read("f" * 40)
        with pytest.raises(NotFound, match="not a blob"):
            reader.read(second)
        assert reader.read(blob) == b"# hello\n"


def test_read_many_with_a_missing_blob_raises_and_keeps_the_reader_in_step(bare) -> None:
    mirror, _, second = bare
    entries = list_tree(mirror, second)
    with BlobReader(mirror) as reader:
        with pytest.raises(NotFound):
            reader.read_many(["e" * 40, entries[0].blob, entries[1].blob])
        assert reader.read(entries[2].blob) == b"print('bye')\n"
