"""Import graph: resolution (packages, relative, src/ layout), closures, cycles."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scanners.imports import ImportGraph, module_names

TREE = {
    "src/pkg/__init__.py": b"from . import a\n",
    "src/pkg/a.py": b"from .b import x\nimport os\n",
    "src/pkg/b.py": b"x = 1\n",
    "src/pkg/sub/__init__.py": b"",
    "src/pkg/sub/c.py": b"from ..b import x\nfrom . import d\n",
    "src/pkg/sub/d.py": b"import pkg.sub.c\n",
    "tests/test_a.py": b"import pkg.sub.c\n",
    "broken.py": b"def (:\n",
    "ns/mod.py": b"from ns import other\n",
    "ns/other.py": b"",
}


def test_module_names_follow_packages_and_src_layout() -> None:
    names = module_names(TREE)
    assert names["src/pkg/sub/c.py"][0] == "pkg.sub.c"
    assert names["src/pkg/__init__.py"][0] == "pkg"
    assert "ns.mod" in names["ns/mod.py"]  # namespace package from the repo root


def test_relative_absolute_and_namespace_imports_resolve() -> None:
    graph = ImportGraph.build(TREE)
    assert graph.imports_of("src/pkg/a.py") == {"src/pkg/b.py", "src/pkg/__init__.py"}
    assert graph.imports_of("src/pkg/sub/c.py") == {
        "src/pkg/b.py",
        "src/pkg/sub/d.py",
        "src/pkg/sub/__init__.py",
        "src/pkg/__init__.py",
    }
    assert graph.imports_of("ns/mod.py") == {"ns/other.py"}
    assert graph.unparsable == {"broken.py"}


def test_closure_is_transitive_and_excludes_the_file() -> None:
    graph = ImportGraph.build(TREE)
    assert graph.closure("tests/test_a.py") == {
        "src/pkg/__init__.py",
        "src/pkg/a.py",
        "src/pkg/b.py",
        "src/pkg/sub/__init__.py",
        "src/pkg/sub/c.py",
        "src/pkg/sub/d.py",
    }
    assert graph.closure("src/pkg/b.py") == frozenset()
    assert graph.closure("not/in/tree.py") == frozenset()


def test_cycles_use_named_modules_not_parent_packages() -> None:
    graph = ImportGraph.build(TREE)
    # pkg/__init__ imports a, a imports pkg.b (which runs pkg/__init__): no named cycle.
    assert graph.cycles() == [("src/pkg/sub/c.py", "src/pkg/sub/d.py")]


def test_closure_digest_changes_with_a_blob_in_the_closure() -> None:
    graph = ImportGraph.build(TREE)
    blobs = {p: "0" * 40 for p in TREE}
    before = graph.closure_digest("tests/test_a.py", blobs)
    assert graph.closure_digest("tests/test_a.py", {**blobs, "broken.py": "1" * 40}) == before
    assert graph.closure_digest("tests/test_a.py", {**blobs, "src/pkg/b.py": "1" * 40}) != before


class _CountingEdges(dict[str, frozenset[str]]):
    """The graph's edges, counting how often closures look a file's imports up."""

    lookups = 0

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        self.lookups += 1
        return super().get(key, default)


def test_closures_of_thousands_of_files_read_each_file_s_imports_once() -> None:
    """Closures are memoised per import cycle: linear work, not one walk per file.

    A count of edge look-ups instead of a stopwatch: a walk per file would read
    ~3000 x 3000 edges here, whatever the machine's speed.
    """
    files = {f"pkg/m{i}.py": f"from pkg import m{i - 1}, m{i // 2}\n".encode() for i in range(1, 3000)}
    files["pkg/__init__.py"] = b""
    files["pkg/m0.py"] = b"from pkg import m2999\n"  # one big cycle through everything
    built = ImportGraph.build(files)
    edges = _CountingEdges(built.edges)
    graph = ImportGraph(edges, built.direct, built.unparsable)
    sizes = {len(graph.closure(p)) for p in files if p != "pkg/__init__.py"}
    assert sizes == {3000}  # every module reaches the 2999 others and pkg/__init__
    assert edges.lookups <= 2 * len(files)


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.integers(0, 12), st.sets(st.integers(0, 12), max_size=4), max_size=13))
def test_closure_equals_naive_reachability(adjacency: dict[int, set[int]]) -> None:
    files = {
        f"m{i}.py": "".join(f"import m{j}\n" for j in sorted(adjacency.get(i, ()))).encode()
        for i in range(13)
    }
    graph = ImportGraph.build(files)
    for start in files:
        seen: set[str] = set()
        todo = [start]
        while todo:
            for nxt in graph.imports_of(todo.pop()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        assert graph.closure(start) == seen - {start}


def test_a_relative_import_from_a_folder_without_init_inside_a_package_is_followed() -> None:
    """flask's ``src/flask/sansio/`` has no ``__init__.py``; Python imports ``flask.sansio.app``."""
    graph = ImportGraph.build(
        {
            "src/flask/__init__.py": b"",
            "src/flask/logging.py": b"def create_logger(app):\n    return app\n",
            "src/flask/sansio/app.py": b"from ..logging import create_logger\n",
        }
    )
    assert "src/flask/logging.py" in graph.closure("src/flask/sansio/app.py")
