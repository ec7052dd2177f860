"""The ``bindings`` blob fact names what astroid binds, or declines where names do not suffice."""

from __future__ import annotations

from pathlib import Path

import astroid
import pytest
from astroid.builder import AstroidBuilder
from astroid.manager import AstroidManager

from scanners.bindings import bindings_fact, parts_digest
from scanners.blobfacts import extract


def namespace_names(content: bytes) -> list[str] | None:
    binds = bindings_fact(content)["binds"]
    return None if binds is None else sorted(binds)


def _astroid_names(content: bytes, name: str) -> list[str]:
    """Module-level names of a full astroid build (from-imports bound, transforms applied)."""
    module = AstroidBuilder(AstroidManager()).string_build(content.decode(), modname=name)
    return sorted(module.locals)


@pytest.mark.parametrize(
    "source",
    [
        b"import a.b, c.d as e\nfrom f import g as h, i\nVERSION = (1, 2)\n",
        b"def f():\n    global G\n    G = 1\n    from m import q\n    return q\n\n\nclass K:\n    x = 1\n",
        b"try:\n    import fast as impl\nexcept ImportError:\n    impl = None\nfor n in (1,):\n    pass\n",
        b"del_me = 1\ndel del_me\nif (walrus := 3):\n    pass\n[y for y in ()]\n",
        b"class K:\n    def __init__(self):\n        self.own = 1\n",
        b"import os\nos.extra = 1\n",  # may change another module: its statement is in the skeleton
        b"def f(obj):\n    obj.x = 1\n",
        b"class K:\n    @staticmethod\n    def f(other):\n        other.x = 1\n",
    ],
)
def test_names_are_the_ones_astroid_binds(source: bytes) -> None:
    assert namespace_names(source) == _astroid_names(source, "sample")


@pytest.mark.parametrize(
    "source",
    [
        b"from os.path import *\n",  # names come from another module
        b"def broken(:\n",
        b"\xff\xfe not utf-8",
    ],
)
def test_no_bindings_where_names_do_not_say_what_an_importer_sees(source: bytes) -> None:
    assert namespace_names(source) is None
    assert extract("bindings", source) == {"statements": None, "binds": None, "skeleton": None}


def test_a_real_sdist_agrees_with_astroid_file_by_file(click_corpus: Path) -> None:
    files = sorted(click_corpus.rglob("*.py"))
    compared = 0
    for path in files:
        content = path.read_bytes()
        names = namespace_names(content)
        if names is not None:
            assert names == _astroid_names(content, path.stem), path
            compared += 1
    assert compared >= len(files) // 2


def test_a_similar_fact_leaves_a_later_pylint_check_as_a_fresh_process_would() -> None:
    """symilar parses the blob with astroid; left as ``astroid.parse`` does it, the throwaway
    module's ``exc.culprit = self`` stayed in the builtin ``Exception`` of the worker, and a
    later check of the same code reported a second E1101 (seen on Django's template/base.py,
    by which blobs the worker had computed facts of)."""
    from scanners.base import Batch, SourceFile
    from scanners.pylint_scanner import PylintScanner

    source = (
        b'"""Culprits."""\n\n\nclass Node:\n    """A node."""\n\n    def render(self):\n'
        b'        """Render."""\n        try:\n            return 1\n'
        b"        except Exception as exc:\n            exc.govern_culprit = self\n"
        b"            return exc.govern_culprit.origin\n"
    )
    batch = Batch((SourceFile("culprit.py", source),))
    before = sorted((f.line, f.rule) for f in PylintScanner().scan(batch).findings)
    extract("similar", source)
    after = sorted((f.line, f.rule) for f in PylintScanner().scan(batch).findings)
    assert (13, "pylint:E1101") in before
    assert after == before
    builtins = astroid.MANAGER.builtins_module
    assert "govern_culprit" not in builtins["Exception"].instance_attrs


MODELS = b"class Model:\n    x = 1\n\n\ndef helper():\n    return 1\n\n\nFIRST = 1\nSECOND = FIRST\n"


def _key(content: bytes, read: tuple[str, ...], tested: tuple[str, ...] = ()) -> str | None:
    return parts_digest(bindings_fact(content), read, tested)


def test_a_key_moves_with_the_statements_of_the_names_read_only() -> None:
    """Lines added above a name's statement or another def leave its key; its own text, its
    order among the names read, a statement binding nothing or changing a node (`x.attr = …`),
    or a tested name bound move it."""
    before = _key(MODELS, ("Model",))
    assert _key(b"import os\n\n\n" + MODELS + b"def more():\n    pass\n", ("Model",)) == before
    assert _key(MODELS.replace(b"x = 1", b"x = 2"), ("Model",)) != before
    assert _key(MODELS + b"print(Model)\n", ("Model",)) != before
    assert _key(MODELS + b"Model.extra = 1\n", ("Model",)) != before
    assert _key(MODELS + b"def f(obj):\n    obj.x = 1\n", ("Model",)) != before
    assert _key(MODELS + b"later = 1\n", (), ("later",)) != _key(MODELS, (), ("later",))
    moved = MODELS.replace(b"FIRST = 1\nSECOND = FIRST\n", b"SECOND = FIRST\nFIRST = 1\n")
    assert _key(moved, ("FIRST", "SECOND")) != _key(MODELS, ("FIRST", "SECOND"))
    decorated = b"@decorate\ndef helper():\n    return 1\n"
    assert _key(decorated, ("helper",)) != _key(decorated.replace(b"@decorate", b"@other"), ("helper",))
