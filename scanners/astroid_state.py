"""Forget what astroid learnt about one unit's files, keep what it parsed of libraries.

``astroid.MANAGER.clear_cache()`` between units makes results independent of order, but
it also throws away the parsed standard library and site-packages, which every unit then
parses again (measured: ~5 s of a 6 s unit of three small files). Library modules do not
change between units; the analysed tree does. So between units this drops the modules
of the tree and every inference and lookup cache (which may point into the tree), and
keeps the library ASTs. The parity test (units vs one raw pylint run) guards the result.
"""

from __future__ import annotations

import sysconfig
from collections.abc import Iterable
from pathlib import Path

_LIBRARY_ROOTS = tuple(
    str(Path(path).resolve())
    for key in ("stdlib", "platstdlib", "purelib", "platlib")
    if (path := sysconfig.get_paths().get(key))
)


def is_library(file: str | None) -> bool:
    """Built-in (no file) or under the interpreter's stdlib/site-packages."""
    return file is None or str(Path(file).resolve()).startswith(_LIBRARY_ROOTS)


def forget_unit(shadowed: Iterable[str] = ()) -> None:
    """Drop the unit's modules, every library module under a top-level name in ``shadowed``
    and all inference caches; keep the other library ASTs.

    ``shadowed``: the top-level names the next unit's own files define. A vendor tree may
    hold a package named like an installed one (click's own sources, say); kept, the
    installed ``click.core`` would answer the unit's ``from .core import …`` (seen: 18
    findings differed between two workers, by what each had analysed before).
    """
    # astroid is imported by the pylint run that needs it, not when the registry loads the
    # pylint scanner (every `govern scan`, even one with nothing to re-scan).
    import astroid

    manager = astroid.MANAGER
    tops = set(shadowed)
    for name, module in list(manager.astroid_cache.items()):
        if name.partition(".")[0] in tops or not is_library(getattr(module, "file", None)):
            del manager.astroid_cache[name]
    manager._mod_file_cache.clear()
    forget_inference()


def forget_inference() -> None:
    """Drop every inference and lookup cache (they may point into the unit); keep all ASTs.

    Between two files of one unit: what the next file's inference consults is then asked
    for again, so the trace sees it (a cached result would hide the module it came from).
    """
    from astroid import modutils
    from astroid.context import _invalidate_cache
    from astroid.inference_tip import clear_inference_tip_cache
    from astroid.interpreter._import import spec, util
    from astroid.interpreter.objectmodel import ObjectModel
    from astroid.nodes._base_nodes import LookupMixIn
    from astroid.nodes.scoped_nodes import ClassDef
    from pylint.checkers.clear_lru_cache import clear_lru_caches

    clear_lru_caches()
    clear_inference_tip_cache()
    _invalidate_cache()
    for cached in (
        LookupMixIn.lookup,
        modutils._cache_normalize_path_,
        modutils._has_init,
        modutils.cached_os_path_isfile,
        util.is_namespace,
        ObjectModel.attributes,
        ClassDef._metaclass_lookup_attribute,
        spec._find_spec,
        spec._is_setuptools_namespace,
    ):
        cached.cache_clear()
    for finder in spec._SPEC_FINDERS:
        finder.find_module.cache_clear()
