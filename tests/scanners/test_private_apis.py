"""Govern's private use of pylint, astroid, bandit and detect-secrets still works as installed.

Govern runs these tools in-process and reaches into them where no public API does what
it needs (per-file bandit runs, pylint's similarity engine, astroid's caches between
units, detect-secrets' per-line steps). pyproject.toml bounds them to the releases
verified here; this test exercises exactly the private names Govern calls, so an upgrade
that moves or changes one fails here, naming it, instead of as odd findings or a leak in
production. On failure: adapt the module named in the message, then raise the bound in
pyproject.toml.
"""

from __future__ import annotations

import inspect
import io
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import astroid
import pytest
from astroid import modutils
from astroid.interpreter._import import spec, util
from astroid.interpreter.objectmodel import ObjectModel
from astroid.nodes._base_nodes import LookupMixIn
from astroid.nodes.scoped_nodes import ClassDef
from bandit.core.config import BanditConfig
from bandit.core.manager import BanditManager
from detect_secrets.core import scan
from detect_secrets.plugins import keyword
from detect_secrets.settings import default_settings
from packaging.requirements import Requirement
from packaging.version import Version
from pylint.checkers.clear_lru_cache import clear_lru_caches
from pylint.checkers.symilar import Symilar
from pylint.lint import Run
from pylint.lint.expand_modules import expand_modules
from pylint.message.message_definition_store import MessageDefinitionStore
from pylint.reporters import CollectingReporter

from scanners.astroid_state import forget_unit
from scanners.secrets_lines import current_sieve

ROOT = Path(__file__).resolve().parents[2]
BOUNDED = ("pylint", "astroid", "bandit", "detect-secrets")


def _bounds() -> dict[str, Requirement]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(spec) for spec in project["dependencies"]]
    return {r.name: r for r in wanted if r.name in BOUNDED}


@pytest.mark.parametrize("name", BOUNDED)
def test_installed_release_is_within_the_verified_bound(name: str) -> None:
    requirement = _bounds().get(name)
    assert requirement is not None, f"{name} is not a direct dependency in pyproject.toml"
    assert any(s.operator in ("<", "<=", "~=", "==") for s in requirement.specifier), (
        f"{name} has no upper bound: Govern uses its private API"
    )
    installed = version(name)
    assert requirement.specifier.contains(Version(installed)), f"{name} {installed} outside {requirement}"


def test_astroid_caches_govern_clears_between_units(tmp_path: Path) -> None:
    """scanners/astroid_state.py: every cache it clears exists and still clears."""
    manager = astroid.MANAGER
    assert isinstance(manager.astroid_cache, dict), "astroid.MANAGER.astroid_cache"
    assert hasattr(manager._mod_file_cache, "clear"), "astroid.MANAGER._mod_file_cache"
    for name, cached in {
        "LookupMixIn.lookup": LookupMixIn.lookup,
        "modutils._cache_normalize_path_": modutils._cache_normalize_path_,
        "modutils._has_init": modutils._has_init,
        "modutils.cached_os_path_isfile": modutils.cached_os_path_isfile,
        "util.is_namespace": util.is_namespace,
        "ObjectModel.attributes": ObjectModel.attributes,
        "ClassDef._metaclass_lookup_attribute": ClassDef._metaclass_lookup_attribute,
        "spec._find_spec": spec._find_spec,
        "spec._is_setuptools_namespace": spec._is_setuptools_namespace,
    }.items():
        assert callable(getattr(cached, "cache_clear", None)), f"astroid {name} is no longer an lru cache"
    assert spec._SPEC_FINDERS, "astroid.interpreter._import.spec._SPEC_FINDERS"
    for finder in spec._SPEC_FINDERS:
        assert callable(getattr(finder.find_module, "cache_clear", None)), f"{finder.__name__}.find_module"


def test_forget_unit_drops_the_unit_and_keeps_the_library(tmp_path: Path) -> None:
    unit = tmp_path / "govern_unit_probe.py"
    unit.write_text("import os\nVALUE = os.sep\n")
    module = astroid.MANAGER.ast_from_file(str(unit), "govern_unit_probe")
    next(module.igetattr("VALUE"))  # infer through the library, filling the caches
    assert "govern_unit_probe" in astroid.MANAGER.astroid_cache
    assert "os" in astroid.MANAGER.astroid_cache
    forget_unit()
    assert "govern_unit_probe" not in astroid.MANAGER.astroid_cache
    assert "os" in astroid.MANAGER.astroid_cache, "library ASTs are kept"


def test_pylint_calls_of_the_pylint_scanner(tmp_path: Path) -> None:
    """scanners/pylint_scanner.py: Run(exit=False) with a reporter, stats.by_module, expand_modules."""
    target = tmp_path / "probe.py"
    target.write_text('"""Probe."""\nimport os\n')
    run = Run([str(target), "--persistent=n"], reporter=CollectingReporter(), exit=False)
    described, errors = expand_modules([str(target)], [], [], [], [])
    assert not errors
    info = described[str(target)]
    stats = run.linter.stats.by_module[info["name"]]
    assert stats["statement"] >= 1 and "warning" in stats, "pylint's per-module stats keys"
    assert {m.symbol for m in run.linter.reporter.messages} >= {"unused-import"}
    clear_lru_caches()
    assert callable(getattr(MessageDefinitionStore.get_message_definitions, "cache_clear", None))


def test_symilar_of_the_repository_scanner() -> None:
    """scanners/repository_scanner.py: Symilar.append_stream and Symilar._compute_sims."""
    body = "".join(f"value_{i} = compute({i}) + offset * {i}\n" for i in range(8))
    symilar = Symilar(
        4, ignore_comments=True, ignore_docstrings=True, ignore_imports=True, ignore_signatures=True
    )
    for name in ("a.py", "b.py"):
        symilar.append_stream(name, io.BytesIO(body.encode()), "utf-8")
    sims = list(symilar._compute_sims())
    assert sims, "Symilar._compute_sims found no copy of an identical block"
    size, couples = sims[0]
    names = sorted(lineset.name for lineset, _start, _end in couples)
    assert size >= 4 and names == ["a.py", "b.py"]
    assert all(int(start) >= 0 and int(end) > int(start) for _l, start, end in couples)


def test_astroid_reached_by_the_blob_facts() -> None:
    """scanners/blobfacts.py: AstroidBuilder._data_build (the rebuilder alone) and symilar's
    module-level ``astroid`` name, through which it parses (swapped for the rebuilder)."""
    from astroid.builder import AstroidBuilder
    from astroid.manager import AstroidManager
    from pylint.checkers import symilar

    module, builder = AstroidBuilder(AstroidManager(), apply_transforms=False)._data_build(
        "import os\nos.x = 1\n", "probe", None
    )
    assert "os" in module.locals and [n.attrname for n in builder._delayed_assattr] == ["x"]
    assert builder._import_from_nodes == []
    assert symilar.astroid is astroid, "pylint.checkers.symilar no longer imports astroid as a module"
    assert "astroid.parse(" in inspect.getsource(symilar.stripped_lines)


def test_bandit_manager_of_the_bandit_scanner() -> None:
    """scanners/bandit_scanner.py: BanditManager._parse_file, results, skipped, Issue.as_dict."""
    manager = BanditManager(BanditConfig(), "file", quiet=True, profile={})
    probe = b"import subprocess\nsubprocess.call('ls', shell=True)\n"
    manager._parse_file("probe.py", io.BytesIO(probe), ["probe.py"])
    issues = [issue.as_dict(with_code=False) for issue in manager.results]
    assert {i["test_id"] for i in issues} >= {"B602"}
    assert {"test_id", "issue_text", "line_number", "issue_severity"} <= set(issues[0])
    before = len(manager.skipped)
    manager._parse_file("broken.py", io.BytesIO(b"def (:\n"), ["broken.py"])
    (skip,) = manager.skipped[before:]
    assert "syntax error" in str(skip[1])


def test_methods_the_pylint_trace_patches() -> None:
    """scanners/pylint_trace.py patches PyLinter._lint_file, AstroidManager.ast_from_module_name,
    AstroidBuilder._post_build and delayed_assattr, and the node properties that infer."""
    from functools import cached_property

    from astroid import nodes
    from astroid.builder import AstroidBuilder
    from astroid.manager import AstroidManager
    from pylint.lint.pylinter import PyLinter

    from scanners.pylint_trace import INFERRING_PROPERTIES

    lint = list(inspect.signature(PyLinter._lint_file).parameters)
    assert lint == ["self", "file", "module", "check_astroid_module"], f"PyLinter._lint_file{lint}"
    lookup = list(inspect.signature(AstroidManager.ast_from_module_name).parameters)
    assert lookup[:4] == ["self", "modname", "context_file", "use_cache"], f"ast_from_module_name{lookup}"
    post_build = list(inspect.signature(AstroidBuilder._post_build).parameters)
    assert post_build == ["self", "module", "builder", "encoding"], f"AstroidBuilder._post_build{post_build}"
    assattr = list(inspect.signature(AstroidBuilder.delayed_assattr).parameters)
    assert assattr == ["self", "node"], f"AstroidBuilder.delayed_assattr{assattr}"
    for class_name, name in INFERRING_PROPERTIES:
        found = getattr(nodes, class_name).__dict__.get(name)
        assert isinstance(found, cached_property), (
            f"astroid {class_name}.{name} is no longer a cached_property"
        )
    inferring = {
        (owner.__name__, name)
        for owner in vars(nodes).values()
        if isinstance(owner, type)
        for name, member in vars(owner).items()
        if isinstance(member, cached_property) and "infer" in inspect.getsource(member.func)
    }
    assert inferring <= set(INFERRING_PROPERTIES), f"new node properties that infer: {inferring}"


def test_detect_secrets_steps_of_the_secrets_sieve() -> None:
    """scanners/secrets_lines.py: core.scan's per-line helpers and the plugins' patterns it reads."""
    helpers: dict[Callable[..., Any], list[str]] = {
        scan._get_lines_from_file: ["filename"],
        scan._is_filtered_out: ["required_filter_parameters", "kwargs"],
        scan._scan_line: ["plugin", "filename", "line", "line_number", "context", "kwargs"],
    }
    for helper, wanted in helpers.items():
        assert list(inspect.signature(helper).parameters) == wanted, (
            f"detect_secrets.core.scan.{helper.__name__}"
        )
    with default_settings():
        sieve = current_sieve()
    assert sieve is not None, (
        "a built-in plugin finds secrets with code the sieve does not know: see its docstring"
    )
    (keywords,) = [
        own
        for plugin, own in zip(sieve.plugins, sieve.patterns, strict=True)
        if isinstance(plugin, keyword.KeywordDetector)
    ]
    assert len(set(keywords)) <= 3, (
        "the keyword patterns no longer begin with their word group (slow, still exact)"
    )
