"""Batching: bounded units, related files together, closures as context."""

from __future__ import annotations

from scanners.batching import BatchLimits, make_batch, plan_batches
from scanners.imports import ImportGraph


def test_batches_respect_file_and_byte_limits() -> None:
    sizes = {f"d/f{i:02}.py": 100 for i in range(10)} | {"big.py": 5000}
    batches = plan_batches(sizes, BatchLimits(max_files=4, max_bytes=1000))
    assert sorted(p for b in batches for p in b) == sorted(sizes)
    assert ("big.py",) in batches
    assert all(len(b) <= 4 for b in batches)
    assert [len(b) for b in batches] == [1, 4, 4, 2]


def test_import_connected_files_are_grouped() -> None:
    files = {"a/x.py": b"import z.w\n", "b/y.py": b"", "z/w.py": b""}
    graph = ImportGraph.build(files)
    batches = plan_batches(dict.fromkeys(files, 1), BatchLimits(max_files=2), graph)
    assert batches == [("a/x.py", "z/w.py"), ("b/y.py",)]


def test_make_batch_carries_the_closure_as_context_only() -> None:
    files = {"a.py": b"import b\n", "b.py": b"import c\n", "c.py": b"", "d.py": b""}
    graph = ImportGraph.build(files)
    batch = make_batch(["a.py", "b.py"], files.__getitem__, graph, {"a.py": "sha-a"})
    assert [f.path for f in batch.files] == ["a.py", "b.py"]
    assert [f.path for f in batch.context] == ["c.py"]
    assert batch.files[0].blob == "sha-a"
