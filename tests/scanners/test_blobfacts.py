"""The ``namespace`` blob fact names what astroid binds, or declines where names do not suffice."""

from __future__ import annotations

from pathlib import Path

import astroid
import pytest
from astroid.builder import AstroidBuilder
from astroid.manager import AstroidManager

from scanners.blobfacts import extract, namespace_names


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
    ],
)
def test_names_are_the_ones_astroid_binds(source: bytes) -> None:
    assert namespace_names(source) == _astroid_names(source, "sample")


@pytest.mark.parametrize(
    "source",
    [
        b"from os.path import *\n",  # names come from another module
        b"import os\nos.extra = 1\n",  # changes another module
        b"def f(obj):\n    obj.x = 1\n",  # may change another module's class
        b"class K:\n    @staticmethod\n    def f(other):\n        other.x = 1\n",
        b"def broken(:\n",
        b"\xff\xfe not utf-8",
    ],
)
def test_no_digest_where_names_do_not_say_what_an_importer_sees(source: bytes) -> None:
    assert namespace_names(source) is None
    assert extract("namespace", source)["digest"] is None


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
