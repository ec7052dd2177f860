"""Planning: sound keys (pylint follows the import closure), cache hits read nothing."""

from __future__ import annotations

import pytest

from governance.executors.local import InlineExecutor
from governance.scans.cache import MemoryCache
from governance.scans.engine import analyse
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


def _analyse(files: dict[str, bytes], cache: MemoryCache, reader: CountingReader | None = None):  # type: ignore[no-untyped-def]
    planner = _planner(cache, reader or CountingReader(files))
    return analyse(_entries(files), planner, InlineExecutor())


def _findings(analysis) -> list[tuple[str, int, str, str]]:  # type: ignore[no-untyped-def]
    return sorted((f.path, f.line, f.rule, f.message) for f in analysis.findings)


def _rerun(files: dict[str, bytes], cache: MemoryCache) -> set[tuple[str, str]]:
    """(scanner, path) pairs a plan of ``files`` does not take from the cache."""
    plan = _planner(cache, CountingReader(files)).plan(_entries(files))
    return {(spec.scanner, path) for spec in plan.units for path in spec.paths}


def _rescan_equals_full(files: dict[str, bytes], cache: MemoryCache, rerun: tuple[str, str]):  # type: ignore[no-untyped-def]
    """A rescan of ``files`` re-runs ``rerun`` (scanner, path) and reports what a full scan does."""
    assert rerun in _rerun(files, cache)
    incremental, full = _analyse(files, cache), _analyse(files, MemoryCache())
    assert _findings(incremental) == _findings(full)
    return full


def test_pylint_keys_do_not_depend_on_imports_radon_keys_on_the_file_only() -> None:
    cache = MemoryCache()
    before = _planner(cache, CountingReader(FILES)).plan(_entries(FILES))
    changed = {**FILES, "pkg/base.py": b"def helper():\n    return 2\n"}
    after = _planner(cache, CountingReader(changed)).plan(_entries(changed))
    differs = {k for k in before.keys if before.keys[k] != after.keys[k]}
    assert differs == {("pylint", "pkg/base.py"), ("radon", "pkg/base.py")}


@pytest.mark.slow
def test_a_changed_module_reanalyses_what_read_it_and_nothing_else() -> None:
    cache = MemoryCache()
    _analyse(FILES, cache)
    changed = {**FILES, "pkg/base.py": b"def helper():\n    return 2\n"}
    assert _rerun(changed, cache) == {
        ("pylint", "pkg/base.py"),
        ("radon", "pkg/base.py"),
        ("pylint", "pkg/user.py"),
    }
    leaf = {**FILES, "pkg/alone.py": b"X = 2\n"}
    assert _rerun(leaf, cache) == {("pylint", "pkg/alone.py"), ("radon", "pkg/alone.py")}


@pytest.mark.slow
def test_a_change_to_an_imported_module_gives_the_findings_of_a_full_scan() -> None:
    cache = MemoryCache()
    _analyse(FILES, cache)
    broken = {**FILES, "pkg/base.py": b"def other():\n    return 1\n"}  # user.py's import now fails
    incremental, full = _analyse(broken, cache), _analyse(broken, MemoryCache())
    assert ("pkg/user.py", 1, "pylint:E0611") in {(p, line, r) for p, line, r, _m in _findings(full)}
    assert _findings(incremental) == _findings(full)


@pytest.mark.slow
def test_a_new_file_that_satisfies_a_failed_import_reanalyses_the_importer() -> None:
    files = {**FILES, "pkg/late.py": b"import helpers\n\nprint(helpers.VALUE)\n"}
    cache = MemoryCache()
    first = _analyse(files, cache)
    assert ("pkg/late.py", "pylint:E0401") in {(f.path, f.rule) for f in first.findings}
    _rescan_equals_full({**files, "helpers.py": b"VALUE = 1\n"}, cache, ("pylint", "pkg/late.py"))


@pytest.mark.slow
def test_another_third_party_environment_reanalyses_every_python_file(monkeypatch) -> None:
    from governance.scans import traces

    cache = MemoryCache()
    _analyse(FILES, cache)
    assert _rerun(FILES, cache) == set()
    monkeypatch.setattr(traces, "environment_digest", lambda: "another-site-packages")
    assert _rerun(FILES, cache) == {("pylint", p) for p in FILES}


@pytest.mark.slow
def test_a_second_plan_of_the_same_files_reads_nothing() -> None:
    cache = MemoryCache()
    first = _analyse(FILES, cache)
    reader = CountingReader(FILES)
    plan = _planner(cache, reader).plan(_entries(FILES))
    assert first.analysed and plan.units == [] and len(plan.hits) == len(plan.keys) and reader.reads == 0


def test_traced_units_grow_with_the_tree_within_their_bounds() -> None:
    """Large trees get large pylint units (they share parsed modules), small ones at least four."""
    from governance.scans.planner import closure_limits

    def limits(count: int, size: int = 1_000) -> tuple[int, int]:
        found = closure_limits({f"m{i}.py": size for i in range(count)})
        return found.max_files, found.max_bytes

    assert limits(10) == (25, 400_000)
    assert limits(300) == (75, 400_000)
    assert limits(879, 7_000) == (150, 1_538_250)
    assert limits(5_000, 7_000) == (150, 2_500_000)


VERSIONED = {
    **FILES,
    "pkg/__init__.py": b"VERSION = 1\n",
    "pkg/late_user.py": b"from pkg import late\n\nprint(late)\n",
}


@pytest.mark.slow
def test_a_package_init_binding_the_same_names_reanalyses_no_importer_of_its_submodules() -> None:
    """``from pkg.base import helper`` only asks ``pkg`` whether it binds ``base``: a new
    version string in ``pkg/__init__.py`` re-runs that file alone, with a full scan's findings."""
    cache = MemoryCache()
    _analyse(VERSIONED, cache)
    bumped = {**VERSIONED, "pkg/__init__.py": b"VERSION = 2\n"}
    assert _rerun(bumped, cache) == {("pylint", "pkg/__init__.py"), ("radon", "pkg/__init__.py")}
    assert _findings(_analyse(bumped, cache)) == _findings(_analyse(bumped, MemoryCache()))


@pytest.mark.slow
def test_a_package_init_binding_a_new_name_reanalyses_what_looked_the_name_up() -> None:
    """late_user.py's ``from pkg import late`` found no ``late`` (E0611); once ``__init__.py``
    binds it, the stored result must not be reused."""
    cache = MemoryCache()
    first = _analyse(VERSIONED, cache)
    assert ("pkg/late_user.py", "pylint:E0611") in {(f.path, f.rule) for f in first.findings}
    binding = {**VERSIONED, "pkg/__init__.py": b"VERSION = 1\nlate = 2\n"}
    full = _rescan_equals_full(binding, cache, ("pylint", "pkg/late_user.py"))
    assert "pylint:E0611" not in {f.rule for f in full.findings if f.path == "pkg/late_user.py"}


MODELS = {
    "pkg/__init__.py": b"",
    "pkg/models.py": (
        b"class Model:\n    def save(self):\n        return 1\n\n\n"
        b"def helper():\n    return 'text'\n\n\nFIRST = 1\nSECOND = FIRST\n"
    ),
    "pkg/uses_model.py": b"from pkg.models import Model\n\nprint(Model().save() + 1)\n",
    "pkg/uses_helper.py": b"from pkg.models import helper\n\nprint(helper().upper())\n",
    "pkg/uses_second.py": b"from pkg.models import SECOND\n\nprint(SECOND + 1)\n",
    "pkg/asks.py": b"from pkg.models import later\n\nprint(later)\n",
}


def _changed(files: dict[str, bytes], path: str, content: bytes) -> set[str]:
    """What a rescan re-runs once ``path`` holds ``content``; its findings equal a full scan's."""
    cache = MemoryCache()
    _analyse(files, cache)
    changed = {**files, path: content}
    rerun = _rerun(changed, cache)
    assert _findings(_analyse(changed, cache)) == _findings(_analyse(changed, MemoryCache()))
    return {p for scanner, p in rerun if scanner == "pylint"}


def _models_changed(models: bytes) -> set[str]:
    return _changed(MODELS, "pkg/models.py", models)


@pytest.mark.slow
def test_a_function_added_to_a_module_reanalyses_none_of_its_readers() -> None:
    """The rehearsal's nightly change: a new ``def`` binds a name no reader read or asked for."""
    added = MODELS["pkg/models.py"] + b"\n\ndef nightly(value):\n    return value * 2\n"
    assert _models_changed(added) == {"pkg/models.py"}


@pytest.mark.slow
def test_a_changed_statement_reanalyses_the_readers_of_its_names_only() -> None:
    body = MODELS["pkg/models.py"]
    assert _models_changed(body.replace(b"return 'text'", b"return 2")) == {
        "pkg/models.py",
        "pkg/uses_helper.py",
    }
    assert _models_changed(body.replace(b"return 1\n", b"return '1'\n", 1)) == {
        "pkg/models.py",
        "pkg/uses_model.py",
    }


@pytest.mark.slow
def test_a_name_bound_that_a_reader_asked_for_reanalyses_it() -> None:
    assert _models_changed(MODELS["pkg/models.py"] + b"later = 1\n") == {"pkg/models.py", "pkg/asks.py"}


@pytest.mark.slow
def test_statements_moved_or_binding_nothing_reanalyse_every_reader_of_names() -> None:
    """``SECOND = FIRST`` reads ``FIRST`` bound above it: moving ``FIRST`` below changes what
    ``SECOND`` is; a top-level call may change what any name is."""
    body = MODELS["pkg/models.py"]
    moved = body.replace(b"FIRST = 1\nSECOND = FIRST\n", b"SECOND = FIRST\nFIRST = 1\n")
    assert "pkg/uses_second.py" in _models_changed(moved)
    readers = {"pkg/uses_model.py", "pkg/uses_helper.py", "pkg/uses_second.py", "pkg/asks.py"}
    assert _models_changed(body + b"print(helper())\n") == {"pkg/models.py", *readers}


CHANGING = {
    "pkg/__init__.py": b"",
    "pkg/thing.py": b"class Thing:\n    pass\n\n\nclass Other:\n    pass\n",
    "pkg/changer.py": (
        b"from pkg.thing import Thing\n\nALIAS = Thing\nALIAS.extra = 1\n\n\n"
        b"def grow():\n    Thing.size = 2\n"
    ),
    "pkg/reader.py": (
        b"import pkg.changer\nfrom pkg.thing import Thing\n\nprint(Thing.extra, Thing.size, pkg.changer)\n"
    ),
}


@pytest.mark.slow
def test_a_module_that_changes_another_is_keyed_on_the_statements_making_its_changes() -> None:
    """changer.py adds ``extra`` and ``size`` to ``Thing`` when it is built: a new function
    re-runs it alone; the statements making the changes, and the names their inference read
    while it was built (``ALIAS``), re-run its readers."""
    changer = CHANGING["pkg/changer.py"]
    added = changer + b"\n\ndef nightly(value):\n    return value * 2\n"
    assert _changed(CHANGING, "pkg/changer.py", added) == {"pkg/changer.py"}
    elsewhere = changer.replace(b"ALIAS = Thing", b"from pkg.thing import Other\nALIAS = Other")
    assert "pkg/reader.py" in _changed(CHANGING, "pkg/changer.py", elsewhere)
    renamed = changer.replace(b"Thing.size = 2", b"Thing.length = 2")
    assert "pkg/reader.py" in _changed(CHANGING, "pkg/changer.py", renamed)


STARRED = {
    "pkg/__init__.py": b"",
    "pkg/api.py": b"from pkg.impl import *\n",
    "pkg/impl.py": b"def run():\n    return 1\n\n\ndef _hidden():\n    return 2\n",
    "pkg/user.py": b"from pkg.api import run\n\nprint(run() + 1)\n",
    "pkg/misses.py": b"from pkg.api import stop\n\nprint(stop)\n",
}


@pytest.mark.slow
def test_a_star_imported_module_is_keyed_on_its_public_names() -> None:
    """``from pkg.impl import *`` binds impl.py's public names in api.py: a private function
    added to impl.py re-runs it alone; a public one re-runs what read api.py (misses.py's
    ``stop`` now exists); a changed ``run`` re-runs its readers."""
    impl = STARRED["pkg/impl.py"]
    private = impl + b"\n\ndef _nightly(value):\n    return value * 2\n"
    assert _changed(STARRED, "pkg/impl.py", private) == {"pkg/impl.py"}
    public = impl + b"\n\ndef stop():\n    return 3\n"
    assert {"pkg/misses.py", "pkg/user.py"} <= _changed(STARRED, "pkg/impl.py", public)
    body = impl.replace(b"return 1", b"return '1'")
    assert "pkg/user.py" in _changed(STARRED, "pkg/impl.py", body)


DUNDERS = {
    "pkg/__init__.py": b'"""Pkg."""\n\nVERSION = 1\n__version__ = "1.0"\n',
    "pkg/versioned.py": b"import pkg\n\nprint(pkg.__version__.upper())\n",
    "pkg/documented.py": b"import pkg\n\nprint(pkg.__doc__.missing())\n",
}


@pytest.mark.slow
def test_a_dunder_the_module_binds_is_keyed_like_a_name_one_it_does_not_on_the_blob() -> None:
    """``pkg.__version__`` is answered by ``__version__ = "1.0"``: a new ``VERSION`` re-runs no
    reader of it; ``pkg.__doc__`` by the docstring, so any change re-runs its reader (here the
    docstring goes, and ``str.missing()`` is no longer reported)."""
    init = DUNDERS["pkg/__init__.py"]
    bumped = _changed(DUNDERS, "pkg/__init__.py", init.replace(b"VERSION = 1", b"VERSION = 2"))
    assert "pkg/versioned.py" not in bumped and "pkg/documented.py" in bumped
    assert "pkg/versioned.py" in _changed(DUNDERS, "pkg/__init__.py", init.replace(b'"1.0"', b"1"))
    undocumented = _changed(DUNDERS, "pkg/__init__.py", init.replace(b'"""Pkg."""\n', b""))
    assert "pkg/documented.py" in undocumented
