"""A file's pylint result and trace do not depend on which files share its unit.

The files of a unit share one astroid state (see :mod:`scanners.pylint_trace`); each test
compares a file checked beside others with the same file checked alone (a unit of one
file is checked from a fresh state).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import astroid
import pytest

from scanners.astroid_state import is_library
from scanners.base import Batch, ScanResult, SourceFile
from scanners.pylint_scanner import PylintScanner
from scanners.pylint_trace import _PerCheck, recording
from tests.corpus import fetch_sdist

THING = b'"""The changed module."""\n\n\nclass Thing:\n    """A class another module adds to."""\n'
CHANGER = b'"""Adds an attribute to Thing."""\nfrom thing import Thing\n\nThing.extra = 1\n'
READER = b'"""Reads it."""\nfrom thing import Thing\n\nprint(Thing.extra)\n'


def _source(path: str, content: bytes) -> SourceFile:
    return SourceFile(path, content)


def _scan(files: dict[str, bytes], context: dict[str, bytes]) -> ScanResult:
    batch = Batch(
        tuple(_source(p, c) for p, c in files.items()), tuple(_source(p, c) for p, c in context.items())
    )
    return PylintScanner().scan(batch)


def _of(result: ScanResult, path: str) -> tuple[list[tuple[int, str]], dict[str, Any]]:
    """A file's findings, and its trace without the names of library modules.

    Which library modules a check asks for can depend on what the process built before
    (a library module is built once and kept): library contents are keyed by the
    environment digest, not by the trace, so only the other names must agree.
    """
    findings = sorted((f.line, f.rule) for f in result.findings if f.path == path)
    trace = dict(result.traces[path])
    cache = astroid.MANAGER.astroid_cache
    trace["names"] = [n for n in trace["names"] if n not in cache or not is_library(cache[n].file)]
    return findings, trace


def test_a_module_is_keyed_on_its_names_on_the_names_it_was_read_by_or_on_its_blob() -> None:
    """``from pkg.sub import f`` asks ``pkg`` only whether it binds ``sub`` and reads ``f``
    of ``pkg.sub`` (the statements binding ``f``); ``pkg.VERSION`` reads ``VERSION``;
    ``pkg.__doc__`` reads the module (the docstring answers it, not a name)."""
    package = {
        "pkg/__init__.py": b'"""Pkg."""\nVERSION = 1\n',
        "pkg/sub.py": b'"""Sub."""\n\n\ndef f():\n    """F."""\n',
    }
    users = {
        "looks.py": b'"""Looks."""\nfrom pkg.sub import f\n\nprint(f)\n',
        "reads.py": b'"""Reads."""\nimport pkg\n\nprint(pkg.VERSION)\n',
        "docs.py": b'"""Docs."""\nimport pkg\n\nprint(pkg.__doc__)\n',
    }
    result = _scan(users, package)
    looks, reads, docs = (_of(result, path)[1] for path in users)
    assert looks["parts"]["pkg/__init__.py"][:2] == [[], ["sub"]]
    assert looks["parts"]["pkg/sub.py"][:2] == [["f"], ["f"]]
    assert looks["modules"] == []
    assert reads["parts"]["pkg/__init__.py"][:2] == [["VERSION"], ["VERSION"]]
    assert reads["modules"] == []
    assert docs["modules"] == ["pkg/__init__.py"]
    assert "pkg/__init__.py" not in docs["parts"]


def test_a_change_made_by_another_file_of_the_unit_is_not_seen() -> None:
    """changer.py, built first, adds ``Thing.extra``; reader.py never imports it, so
    alone it gets no-member, and beside changer.py it must get no-member too."""
    context = {"thing.py": THING}
    alone = _scan({"reader.py": READER}, {**context, "changer.py": CHANGER})
    shared = _scan({"changer.py": CHANGER, "reader.py": READER}, context)
    assert (4, "pylint:E1101") in _of(alone, "reader.py")[0]
    assert _of(shared, "reader.py") == _of(alone, "reader.py")


def test_a_change_is_seen_once_the_check_consults_its_module() -> None:
    """reader.py imports changer.py first: a fresh state builds it, so ``extra`` exists.
    changer.py is keyed on its names: ``Thing.extra = 1`` is in every key of it (the skeleton)."""
    reader = b'"""Reads it."""\nimport changer\nfrom thing import Thing\n\nprint(Thing.extra, changer)\n'
    context = {"thing.py": THING}
    alone = _scan({"reader.py": reader}, {**context, "changer.py": CHANGER})
    shared = _scan({"changer.py": CHANGER, "reader.py": reader}, context)
    assert "pylint:E1101" not in {rule for _line, rule in _of(alone, "reader.py")[0]}
    assert _of(alone, "reader.py")[1]["parts"]["changer.py"][:2] == [["Thing"], []]  # its build read it
    assert _of(shared, "reader.py") == _of(alone, "reader.py")


def test_what_a_module_consulted_to_be_built_is_in_the_trace_of_its_readers() -> None:
    """astroid's dataclass transform infers builder.py's decorator while building it, so
    builder.py's fields come from helper.py; a file that imports builder.py depends on
    helper.py's ``dataclass``, even when builder.py was built for an earlier file of the unit."""
    helper = b'"""Helper."""\nfrom dataclasses import dataclass\n\n__all__ = ["dataclass"]\n'
    builder = (
        b'"""Builds."""\nfrom helper import dataclass\n\n\n'
        b'@dataclass\nclass K:\n    """K."""\n\n    size: int\n'
    )
    user = b'"""Uses."""\nimport builder\n\nprint(builder.K(size=1).size)\n'
    alone = _scan({"user.py": user}, {"helper.py": helper, "builder.py": builder})
    shared = _scan({"builder.py": builder, "user.py": user}, {"helper.py": helper})
    assert _of(alone, "user.py")[1]["parts"]["helper.py"][:2] == [["dataclass"], ["dataclass"]]
    assert _of(shared, "user.py") == _of(alone, "user.py")


def test_a_module_is_built_the_same_whichever_file_built_it_first() -> None:
    """builder.py's ``Thing.helper.size = 3`` finds ``Thing.helper`` only while changer.py's
    change is made. a.py, checked first, asks for both, so builder.py is built then; reader.py
    asks for builder.py only. Alone, reader.py's check builds builder.py with no ``helper``,
    so ``Thing.size`` is no-member; beside a.py it must be too."""
    changer = b'"""Adds helper."""\nfrom thing import Thing\n\nThing.helper = Thing\n'
    builder = b'"""Uses helper while built."""\nfrom thing import Thing\n\nThing.helper.size = 3\n'
    first = b'"""Asks for both."""\nimport changer\nimport builder\n\nprint(changer, builder)\n'
    reader = b'"""Reads size."""\nimport builder\nfrom thing import Thing\n\nprint(Thing.size, builder)\n'
    context = {"thing.py": THING, "changer.py": changer, "builder.py": builder}
    alone = _scan({"reader.py": reader}, {**context, "a.py": first})
    shared = _scan({"a.py": first, "reader.py": reader}, context)
    assert (5, "pylint:E1101") in _of(alone, "reader.py")[0]
    assert _of(shared, "reader.py") == _of(alone, "reader.py")


@pytest.mark.slow
def test_real_files_get_the_same_result_and_trace_alone_and_in_one_unit(tmp_path: Path) -> None:
    """flask 3.0.0's sdist: its package and tests, one unit against each file alone."""
    root = fetch_sdist("flask==3.0.0", tmp_path)
    every = {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.py"))}
    chosen = [p for p in every if p.startswith(("src/flask/", "tests/test_"))][::4]
    context = {p: c for p, c in every.items() if p not in chosen}
    shared = _scan({p: every[p] for p in chosen}, context)
    assert len(chosen) >= 12
    for path in chosen:
        alone = _scan({path: every[path]}, {**context, **{p: every[p] for p in chosen if p != path}})
        assert _of(shared, path) == _of(alone, path), path
        assert shared.metrics[path] == alone.metrics[path], path


def test_node_properties_that_infer_are_computed_again_for_each_check() -> None:
    """A cached ``FunctionDef.type`` would hide, from a later file, the decorator's module
    its inference read for an earlier one; while recording it is cached per check only."""
    from functools import cached_property

    from astroid import nodes

    with recording({}) as recorder:
        assert isinstance(nodes.FunctionDef.__dict__["type"], _PerCheck)
        module = astroid.parse(
            "import functools\n\n\nclass K:\n    @functools.cache\n    def f(self):\n        pass\n"
        )
        method = module.body[1].body[0]
        computed: list[Any] = []
        per_check = nodes.FunctionDef.__dict__["type"]
        original = per_check.compute

        def counted(node: Any) -> Any:
            computed.append(node)
            return original(node)

        per_check.compute = counted
        method.__dict__["type"] = "a value cached before recording"
        assert (method.type, method.type) == ("method", "method") and computed.count(method) == 1
        recorder.begin("next.py", "next")
        assert method.type == "method" and computed.count(method) == 2
    with recording({}) as recorder:  # a later unit: library nodes keep their values from before
        nodes.FunctionDef.__dict__["type"].compute = counted
        recorder.begin("other.py", "other")
        assert method.type == "method" and computed.count(method) == 3
    assert isinstance(nodes.FunctionDef.__dict__["type"], cached_property)
