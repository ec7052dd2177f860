"""Batching: bounded units, related files together, closures as context."""

from __future__ import annotations

from scanners.batching import BatchLimits, make_batch, plan_batches, unit_context
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


def test_a_unit_holds_the_packages_enclosing_its_files_up_to_their_source_root() -> None:
    """pylint picks a file's root by its ``__init__.py`` files: the unit must hold the same."""
    files = {
        "tests/apps/__init__.py": b"import tests.apps.setup\n",
        "tests/apps/setup.py": b"",
        "tests/apps/inner/__init__.py": b"",
        "tests/apps/inner/flask.py": b"X = 1\n",
        "tests/loose/x.py": b"",  # no package: nothing above it
        "src/flask/__init__.py": b"",
    }
    graph = ImportGraph.build(files)
    assert graph.enclosing_inits("tests/apps/inner/flask.py") == {
        "tests/apps/inner/__init__.py",
        "tests/apps/__init__.py",
    }
    assert graph.enclosing_inits("tests/apps/inner/__init__.py") == {"tests/apps/__init__.py"}
    assert graph.enclosing_inits("tests/loose/x.py") == frozenset()
    assert unit_context(graph, ["tests/apps/inner/flask.py", "tests/loose/x.py"]) == {
        "tests/apps/inner/__init__.py",
        "tests/apps/__init__.py",
        "tests/apps/setup.py",  # what an added __init__.py imports comes with it
    }
