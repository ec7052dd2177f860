"""What pylint's inference actually read while checking each file: the trace of a result.

Why: keying a file's pylint result on the blobs of its *static* import closure re-runs
pylint on most of a package when one module changes (measured on a real history: 629
file-analyses over 12 deliveries of a 78-file project). astroid loads lazily: checking a
file loads only the modules its inference needs (215 analyses on the same history). So
each file of a batch is checked from a fresh in-repository state (the batch's library
ASTs stay warm, see :mod:`scanners.astroid_state`), and afterwards we record

- ``modules``: the in-repository files astroid had loaded for it (their contents are
  what the result depends on, besides the file itself);
- ``names``: every module name astroid was asked for while checking it, found or not
  (a file added later can make a failed import succeed, or shadow a library module).

Checking each file from a fresh state also makes its result independent of which files
shared its batch, so a rescan that batches differently gets the same findings.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scanners.installed import environment_digest

if TYPE_CHECKING:
    # pylint and astroid are imported by the tracing itself: the scan planner imports this
    # module and `govern` imports the planner at start.
    from pylint.typing import FileItem


@dataclass
class TraceRecorder:
    """Collects, per checked file (absolute temp path), the modules loaded and names asked for."""

    tree: Mapping[str, str]  # absolute temp path -> repo path, every file written for the unit
    names: dict[str, set[str]] = field(default_factory=dict)
    modules: dict[str, set[str]] = field(default_factory=dict)
    _current: str | None = None

    def asked(self, name: str | None) -> None:
        if self._current is not None and name:
            self.names[self._current].add(name)

    def begin(self, path: str) -> None:
        self._current = path
        self.names.setdefault(path, set())

    def end(self) -> None:
        """Record the in-repository modules astroid holds now (loaded for this file only)."""
        if self._current is None:
            return
        import astroid

        loaded = set()
        for module in list(astroid.MANAGER.astroid_cache.values()):
            repo = self.tree.get(os.path.normpath(str(getattr(module, "file", "") or "")))
            if repo is not None:
                loaded.add(repo)
        self.modules[self._current] = loaded
        self._current = None

    def traces(self, targets: Mapping[str, str], unparsed: Collection[str] = ()) -> dict[str, dict[str, Any]]:
        """repo path of each checked file -> its trace (repo paths and names, sorted).

        A file in ``unparsed`` (repo paths pylint reported a syntax error for) that was
        never checked gets an empty trace: astroid stopped at its bytes, so its result
        (the syntax error) depends on nothing else, and a rescan can reuse it while the
        blob is unchanged instead of planning a pylint unit for it every time.
        """
        out: dict[str, dict[str, Any]] = {}
        for abspath, repo in targets.items():
            key = os.path.normpath(abspath)
            if key not in self.modules:
                if repo in unparsed:
                    out[repo] = {"modules": [], "names": [], "env": environment_digest()}
                continue
            out[repo] = {
                "modules": sorted(self.modules[key] - {repo}),
                "names": sorted(self.names.get(key, ())),
                "env": environment_digest(),
            }
        return out


@contextmanager
def recording(tree: Mapping[str, str]) -> Iterator[TraceRecorder]:
    """While active, every file pylint lints is checked from a fresh state and traced.

    pylint builds all of a run's ASTs first, then lints them one by one; each is rebuilt
    here after the unit's modules are forgotten, so nothing inferred for an earlier file
    (cached on the nodes of a shared module) hides a dependency of a later one.
    """
    import astroid
    from astroid.manager import AstroidManager
    from pylint.lint.pylinter import PyLinter

    from scanners.astroid_state import forget_unit

    recorder = TraceRecorder({os.path.normpath(k): v for k, v in tree.items()})
    manager = astroid.MANAGER
    original_lint: Callable[..., None] = PyLinter._lint_file
    original_lookup = AstroidManager.ast_from_module_name

    def lookup(
        self: AstroidManager, modname: str | None, context_file: str | None = None, use_cache: bool = True
    ) -> Any:
        recorder.asked(modname)
        return original_lookup(self, modname, context_file, use_cache)

    def lint_file(linter: PyLinter, file: FileItem, module: Any, check: Callable[[Any], bool | None]) -> None:
        forget_unit()
        fresh = manager.ast_from_file(file.filepath, file.name, source=True)
        recorder.begin(os.path.normpath(file.filepath))
        try:
            original_lint(linter, file, fresh, check)
        finally:
            recorder.end()

    # astroid makes new (state-sharing) managers for imports, so the class is patched;
    # a worker process runs one pylint scan at a time (see scanners.pylint_scanner).
    patches = ((AstroidManager, "ast_from_module_name", lookup), (PyLinter, "_lint_file", lint_file))
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, replacement in patches:
        setattr(owner, name, replacement)
    try:
        yield recorder
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
