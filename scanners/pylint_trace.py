"""What pylint's inference actually read while checking each file: the trace of a result.

Why: keying a file's pylint result on the blobs of its *static* import closure re-runs
pylint on most of a package when one module changes (measured on a real history: 629
file-analyses over 12 deliveries of a 78-file project). astroid loads lazily: checking a
file consults only the modules its inference needs (215 analyses on the same history).
So for each file of a unit we record

- ``modules``: the in-repository files its check consulted (their contents are what the
  result depends on, besides the file itself);
- ``names``: every module name astroid was asked for while checking it, found or not
  (a file added later can make a failed import succeed, or shadow a library module);
- ``parts``: the in-repository modules the check reached only through their top-level
  names, with the names whose value it read, the names it asked whether they are bound,
  and the key of those (:mod:`scanners.bindings`). pylint's ``from django.utils.tree
  import Node`` asks ``django`` whether it binds ``utils``; keyed on
  ``django/__init__.py``'s blob, every release's new ``VERSION`` re-ran 593 of Django's
  879 files. A unit module's ``locals`` and ``body`` are watched (:class:`_WatchedLocals`):
  a plain name's value read or tested is recorded as such, and so is every name its own
  build read (astroid's lookup cache may answer the check from the build), and a star
  import of it asks which of its names are public; any other read, a dunder it does not
  bind (``__doc__``, ``__file__``), or a build of another module that needed more keeps it
  in ``modules``, keyed on its blob. A module that changes another (point 4 below) is keyed
  on its names too: the statements making its changes are in every key of it.

The files of a unit share one astroid state, as a raw pylint run does: the modules parsed
for one file serve the next (checking each file from a fresh state instead cost 3x the
CPU: 44.4 against 16.1 CPU-s on 40 files of Django's ``db/models``). Four things make a
shared state give each file the result and the trace a fresh state would, whichever
files shared its unit and ran before it in the same process:

1. Every inference cache is dropped between files (:func:`forget_inference`), and the
   node properties that infer (``FunctionDef.type`` and the like) are cached per file
   only, so a file's inference asks for each module it reads again and the hook sees it.
2. A module parsed for an earlier file consulted other modules while it was built (its
   transforms and ``self.x = …`` assignments infer). Those *build dependencies* are kept
   per module and added to the trace of every later file that consults it.
3. What a module's build infers must not depend on what earlier files made of the state,
   or its outcome (the attributes its ``x.attr = …`` adds, below) would depend on which
   file happened to build it first. So every module is built with no change of point 4
   made: its outcome depends only on what its build consults (its build dependencies).
4. Building a module can change *another* module's AST: ``other.Class.attr = value``
   adds ``attr`` to ``Class`` (and ``obj.attr = value`` to ``obj``'s class). A fresh
   state holds such a change only once the changing module is built, which happens the
   first time the check asks for it. So each change is kept as a :class:`Change`, all are
   undone before each check, and a module's changes (and those of its build
   dependencies) are made again when the check first asks for it. At the end of the unit
   they are undone, so no later unit sees them in the library ASTs it keeps.

A file's result then depends only on what it read, whichever files shared its unit: a
rescan that batches differently gets the same findings (the differential tests hold
incremental scans to full ones).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scanners.bindings import PUBLIC_NAMES
from scanners.installed import environment_digest

if TYPE_CHECKING:
    # pylint and astroid are imported by the tracing itself: the scan planner imports this
    # module and `govern` imports the planner at start.
    from pylint.typing import FileItem

#: astroid's node properties that infer (so read other modules) and cache their value on
#: the node; the others (line numbers, argument lists) depend on the node's own file.
INFERRING_PROPERTIES = (
    ("FunctionDef", "type"),
    ("FunctionDef", "extra_decorators"),
    ("ClassDef", "_all_slots"),
)


@dataclass(frozen=True, eq=False)
class Change:
    """``node`` (an ``x.attr = …`` of module ``by``) was added to ``holder[attr]``, a dict of
    another module's node (a class's ``instance_attrs`` or ``locals``) while ``by`` was built."""

    by: str
    holder: dict[str, list[Any]]
    attr: str
    node: Any

    # dict's own methods: a module's watched locals must not count this bookkeeping as a read
    def undo(self) -> None:
        values = dict.get(self.holder, self.attr)
        if values is not None and self.node in values:
            values.remove(self.node)
            if not values:
                dict.__delitem__(self.holder, self.attr)

    def redo(self) -> None:
        values = dict.setdefault(self.holder, self.attr, [])
        if self.node not in values:
            values.append(self.node)


@dataclass
class _Reads:
    """What was read of one module: the values of ``names``, whether ``tested`` are bound,
    or (``whole``) more than its names."""

    names: set[str] = field(default_factory=set)
    tested: set[str] = field(default_factory=set)
    whole: bool = False

    def add(self, name: str | None, *, test: bool = False) -> None:
        if name is None:
            self.whole = True
        else:
            (self.tested if test else self.names).add(name)

    def merge(self, other: _Reads) -> None:
        self.names |= other.names
        self.tested |= other.tested
        self.whole = self.whole or other.whole


@dataclass
class TraceRecorder:
    """Collects, per checked file (absolute temp path), the modules consulted and names asked for."""

    tree: Mapping[str, str]  # absolute temp path -> repo path, every file written for the unit
    names: dict[str, set[str]] = field(default_factory=dict)
    modules: dict[str, set[str]] = field(default_factory=dict)
    parts: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # file -> {repo path: key}
    # insertion-ordered (dicts, not sets): changes are made again in the order found, so the
    # order of a holder's values does not depend on the process's string hash seed
    build_deps: dict[str, dict[str, None]] = field(default_factory=dict)
    changes: dict[str, list[Change]] = field(default_factory=dict)  # by the changing module's name
    # what each module's build read of the unit's modules (by building module), kept like build_deps
    build_reads: dict[str, dict[str, _Reads]] = field(default_factory=dict)
    checks: int = 0
    check: object = field(default_factory=object)  # this check's own token: library nodes outlive units
    _active: dict[str, None] = field(default_factory=dict)
    _current: str | None = None
    _building: list[str | None] = field(default_factory=list)
    _reads: dict[str, _Reads] = field(default_factory=dict)  # what this check read of each unit module
    _bindings_of: dict[str, Any] = field(default_factory=dict)  # bindings_fact by module name

    def read(self, name: str) -> None:
        """Module ``name``'s content was read (more than whether or what it binds)."""
        self._saw(name, None)

    def read_name(self, module: str, name: str) -> None:
        """The value of ``module``'s top-level ``name`` was read."""
        self._saw(module, name)

    def tested(self, module: str, name: str) -> None:
        """Whether ``module`` binds ``name`` was asked."""
        self._saw(module, name, test=True)

    def _saw(self, module: str, name: str | None, *, test: bool = False) -> None:
        """A read by the building module's build (kept for the unit: every check that
        consults the built module depends on it), else by the current check."""
        top = self._building[-1] if self._building else None
        if top is not None:
            self.build_reads.setdefault(top, {}).setdefault(module, _Reads()).add(name, test=test)
        elif self._current is not None:
            self._reads.setdefault(module, _Reads()).add(name, test=test)

    def read_while_built(self, module: str, name: str | None, *, test: bool = False) -> None:
        """``module``'s ``name`` (None: more than a name) was read before its build ended:
        its own build's read. A check may use what a build inferred without reading the
        name again (astroid's lookup cache keeps what the build looked up)."""
        self.build_reads.setdefault(module, {}).setdefault(module, _Reads()).add(name, test=test)

    def asked(self, name: str | None) -> None:
        """A module name astroid was asked for: the current file's and the building module's.

        The first time a check asks for a module, its changes to other modules are made
        again (a fresh state would build it now, making them)."""
        top = self._building[-1] if self._building else ""
        if not name or top is None:
            return  # None: a library module's own imports, which the environment digest keys
        if self._current is not None:
            self.names[self._current].add(name)
            self._activate(name)
        if top:
            self.build_deps.setdefault(top, {})[name] = None

    def _activate(self, name: str) -> None:
        reached = self._reach([name], self._active)
        if not self._building:  # a build sees no change; the outermost one's end makes them
            for module in reached:
                for change in self.changes.get(module, ()):
                    change.redo()

    def _reach(self, start: Iterable[str], known: dict[str, None]) -> list[str]:
        """The modules ``start`` and their build dependencies reach, not yet in ``known``
        (added to it), in the order found."""
        found = []
        todo = list(start)
        while todo:
            name = todo.pop()
            if name not in known:
                known[name] = None
                found.append(name)
                todo.extend(self.build_deps.get(name, ()))
        return found

    def building(self, name: str, file: str | None) -> None:
        """Module ``name`` is being built; None stands for a library module on the stack."""
        from scanners.astroid_state import is_library

        if not self._building:
            self._undo_all()
        if is_library(file):
            self._building.append(None)
        else:
            self._building.append(name)
            self.build_deps.setdefault(name, {})

    def built(self) -> None:
        """After the outermost build: only the changes of the modules this check asked for."""
        self._building.pop()
        if not self._building:
            self._undo_all()
            for module in self._active:
                for change in self.changes.get(module, ()):
                    change.redo()

    def changed(self, change: Change) -> None:
        self.changes.setdefault(change.by, []).append(change)

    def undo_changes(self) -> None:
        """Back to the ASTs as each module's own build left them, with no module active."""
        self._undo_all()
        self._active.clear()

    def _undo_all(self) -> None:
        for changes in self.changes.values():
            for change in changes:
                change.undo()

    def begin(self, path: str, own: str) -> None:
        """Start the check of ``path`` (module ``own``), built first as a fresh state would."""
        self.undo_changes()
        self.checks += 1
        self.check = object()
        self._current = path
        self._reads = {own: _Reads(whole=True)}
        self.names[path] = set()
        self._activate(own)

    def consulted(self, own: str) -> set[str]:
        """Names of the modules the current file's result depends on: those asked for while
        checking it, its own, and (transitively) what each of them consulted to be built."""
        assert self._current is not None
        seen: dict[str, None] = {}
        self._reach([own, *self.names[self._current]], seen)
        return set(seen)

    def end(self, consulted: Collection[str]) -> None:
        """Record the in-repository files of the consulted modules for the current file."""
        import astroid

        assert self._current is not None
        cache = astroid.MANAGER.astroid_cache
        loaded = set()
        parts: dict[str, list[Any]] = {}
        reads = self._reads_of(consulted)
        for name in consulted:
            module = cache.get(name)
            repo = self.tree.get(os.path.normpath(str(getattr(module, "file", "") or "")))
            if repo is None:
                continue
            read = reads.get(name, _Reads())
            if read.whole or (key := self._part(module, read)) is None:
                loaded.add(repo)
            else:
                parts[repo] = key
        self.names[self._current] = set(consulted) | self.names[self._current]
        self.modules[self._current] = loaded
        self.parts[self._current] = parts
        self._current = None

    def _reads_of(self, consulted: Collection[str]) -> dict[str, _Reads]:
        """What the check and the builds of the modules it consulted read of each module."""
        found: dict[str, _Reads] = {}
        for source in [self._reads, *(self.build_reads.get(name, {}) for name in consulted)]:
            for module, read in source.items():
                found.setdefault(module, _Reads()).merge(read)
        return found

    def _part(self, module: Any, read: _Reads) -> list[Any] | None:
        """``[names read, names tested, digest]`` of ``module`` (:mod:`scanners.bindings`)
        when the statements the blob fact finds bind exactly the names astroid holds now
        (no transform added one)."""
        from scanners.bindings import bindings_fact, parts_digest

        if module.name not in self._bindings_of:
            with open(module.file, "rb") as handle:
                self._bindings_of[module.name] = bindings_fact(handle.read())
        fact = self._bindings_of[module.name]
        if fact["binds"] is None or sorted(fact["binds"]) != sorted(dict.keys(module.locals)):
            return None
        digest = parts_digest(fact, read.names, read.tested)
        return None if digest is None else [sorted(read.names), sorted(read.tested), digest]

    def in_unit(self, name: str) -> bool:
        """Whether module ``name`` (in astroid's cache) is one of the unit's files."""
        import astroid

        module = astroid.MANAGER.astroid_cache.get(name)
        return os.path.normpath(str(getattr(module, "file", "") or "")) in self.tree

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
                "parts": dict(sorted(self.parts.get(key, {}).items())),
                "names": sorted(self.names.get(key, ())),
                "env": environment_digest(),
            }
        return out


class _PerCheck:
    """A node property cached for one file's check only (replaces a ``cached_property``).

    A data descriptor, so a value an earlier ``cached_property`` left in the node's
    ``__dict__`` is never read; the value is kept under its own key with the check's number.
    """

    def __init__(self, compute: Callable[[Any], Any], name: str, recorder: TraceRecorder) -> None:
        self.compute, self.key, self.recorder = compute, f"_govern_per_check_{name}", recorder

    def __get__(self, node: Any, owner: type | None = None) -> Any:
        if node is None:
            return self
        stamp, value = node.__dict__.get(self.key, (None, None))
        if stamp is not self.recorder.check:
            value = self.compute(node)
            node.__dict__[self.key] = (self.recorder.check, value)
        return value

    def __set__(self, node: Any, value: Any) -> None:
        node.__dict__[self.key] = (self.recorder.check, value)


def _plain(key: object, names: dict[str, list[Any]]) -> bool:
    """A name whose answer is in the statements binding it: any but a dunder the module does
    not bind, which astroid answers otherwise (``__doc__`` from the docstring, ``__file__``
    from the path). A bound one (``__version__ = get_version(VERSION)``) is answered by its
    statements like any name, and the key records that it is bound."""
    if not isinstance(key, str):
        return False
    return not (key.startswith("__") and key.endswith("__")) or dict.__contains__(names, key)


class _WatchedLocals(dict[str, list[Any]]):
    """A unit module's ``locals``: the value of a plain name read, or a plain name tested, is
    told to the recorder as such (:func:`_plain`); any other read is a read of the whole module."""

    __slots__ = ("name", "ready", "recorder")

    def __init__(self, recorder: TraceRecorder, name: str) -> None:
        super().__init__()
        self.recorder, self.name, self.ready = recorder, name, False

    def _saw(self) -> None:
        if self.ready:
            self.recorder.read(self.name)

    def _saw_name(self, key: object) -> None:
        plain = _plain(key, self)
        if not self.ready:
            self.recorder.read_while_built(self.name, str(key) if plain else None)
        elif plain:
            self.recorder.read_name(self.name, str(key))
        else:
            self.recorder.read(self.name)

    def saw_public(self) -> None:
        """Which public names the module binds was asked (a star import of it)."""
        if self.ready:
            self.recorder.tested(self.name, PUBLIC_NAMES)
        else:
            self.recorder.read_while_built(self.name, PUBLIC_NAMES, test=True)

    def __contains__(self, key: object) -> bool:
        if not self.ready:
            self.recorder.read_while_built(self.name, str(key) if _plain(key, self) else None, test=True)
        elif _plain(key, self):
            self.recorder.tested(self.name, str(key))
        else:
            self.recorder.read(self.name)
        return super().__contains__(key)

    def __getitem__(self, key: str) -> list[Any]:
        self._saw_name(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._saw_name(key)
        return super().get(key, default)


class _WatchedBody(list[Any]):
    """A unit module's ``body``: any read of it is a read of the module."""

    __slots__ = ("name", "recorder")

    def __init__(self, items: Iterable[Any], recorder: TraceRecorder, name: str) -> None:
        super().__init__(items)
        self.recorder, self.name = recorder, name


def _watching(cls: type, methods: Iterable[str], reads: bool = True) -> None:
    """Make each of ``methods`` of ``cls`` tell the recorder before doing what its base does:
    a read of the module once built, and (``reads``) one by its build before."""

    def wrap(name: str) -> None:
        base = getattr(cls.__mro__[1], name)

        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            if getattr(self, "ready", True):
                self.recorder.read(self.name)
            elif reads:
                self.recorder.read_while_built(self.name, None)
            return base(self, *args, **kwargs)

        method.__name__ = name
        setattr(cls, name, method)

    for name in methods:
        wrap(name)


_watching(
    _WatchedLocals,
    (
        "keys",
        "values",
        "items",
        "__iter__",
        "__len__",
        "__eq__",
        "__ne__",
        "__reversed__",
        "__or__",
        "__ror__",
        "copy",
    ),
)
# a build binds the module's names through these: writes, not reads, until it is built
_watching(
    _WatchedLocals,
    ("__ior__", "setdefault", "pop", "popitem", "update", "clear", "__setitem__", "__delitem__"),
    reads=False,
)
_watching(
    _WatchedBody,
    (
        "__getitem__",
        "__iter__",
        "__len__",
        "__reversed__",
        "__contains__",
        "__eq__",
        "__ne__",
        "index",
        "count",
        "copy",
        "__add__",
        "__mul__",
    ),
)


def _watched(module: Any, recorder: TraceRecorder) -> Any:
    """A unit module once built: from now on the check's reads of it are recorded."""
    if isinstance(module.locals, _WatchedLocals):
        module.locals.ready = True
        module.body = _WatchedBody(module.body, recorder, module.name)
    return module


def _changes(node: Any) -> Iterator[tuple[Any, dict[str, list[Any]]]]:
    """Where ``delayed_assattr`` added an ``x.attr = …`` node: (the changed module, the dict)."""
    from astroid import bases
    from astroid.exceptions import InferenceError

    try:
        inferred_all = list(node.expr.infer())  # answered from the inference cache just filled
    except InferenceError:
        return
    for inferred in inferred_all:
        target = inferred._proxied if isinstance(inferred, bases.Instance) else inferred
        for holder in (getattr(target, "instance_attrs", None), getattr(target, "locals", None)):
            if isinstance(holder, dict) and node in holder.get(node.attrname, ()):
                try:
                    yield target.root(), holder
                except AttributeError:
                    continue


def _build_patches(recorder: TraceRecorder) -> list[tuple[Any, str, Any]]:
    """How module builds are recorded: their dependencies and changes, and their reads watched."""
    from astroid import nodes
    from astroid.builder import AstroidBuilder

    original_post_build = AstroidBuilder._post_build
    original_assattr = AstroidBuilder.delayed_assattr
    original_module_init = nodes.Module.__init__
    original_public_names = nodes.Module.public_names

    def module_init(module: nodes.Module, name: str, file: str | None = None, *args: Any, **kw: Any) -> None:
        original_module_init(module, name, file, *args, **kw)
        if os.path.normpath(str(file or "")) in recorder.tree:
            # from the start: a change held by another module's build holds this very dict
            module.locals = module.globals = _WatchedLocals(recorder, name)

    def public_names(module: nodes.Module) -> list[str]:
        # the names a star import binds: asked of the module as such, not read as a whole
        names = module.locals
        if not isinstance(names, _WatchedLocals):
            return list(original_public_names(module))
        names.saw_public()
        return [name for name in dict.keys(names) if not name.startswith("_")]

    def post_build(self: AstroidBuilder, module: Any, builder: Any, encoding: str) -> Any:
        recorder.building(module.name, module.file)
        try:
            return _watched(original_post_build(self, module, builder, encoding), recorder)
        finally:
            recorder.built()

    def delayed_assattr(self: AstroidBuilder, node: Any) -> None:
        original_assattr(self, node)
        own = node.root()
        if recorder.in_unit(own.name):
            for root, holder in _changes(node):
                if root is not own:
                    recorder.changed(Change(own.name, holder, node.attrname, node))

    return [
        (AstroidBuilder, "_post_build", post_build),
        (AstroidBuilder, "delayed_assattr", delayed_assattr),
        (nodes.Module, "__init__", module_init),
        (nodes.Module, "public_names", public_names),
    ]


@contextmanager
def recording(tree: Mapping[str, str]) -> Iterator[TraceRecorder]:
    """While active, pylint's files share one astroid state and each check is traced."""
    from astroid import nodes
    from astroid.manager import AstroidManager
    from pylint.lint.pylinter import PyLinter

    from scanners.astroid_state import forget_inference

    recorder = TraceRecorder({os.path.normpath(k): v for k, v in tree.items()})
    original_lint: Callable[..., None] = PyLinter._lint_file
    original_lookup = AstroidManager.ast_from_module_name

    def lookup(
        self: AstroidManager, modname: str | None, context_file: str | None = None, use_cache: bool = True
    ) -> Any:
        recorder.asked(modname)
        return original_lookup(self, modname, context_file, use_cache)

    def lint_file(
        linter: PyLinter, file: FileItem, module: Any, check_module: Callable[[Any], bool | None]
    ) -> None:
        forget_inference()
        recorder.begin(os.path.normpath(file.filepath), module.name)
        original_lint(linter, file, module, check_module)
        recorder.end(recorder.consulted(module.name))

    # astroid makes new (state-sharing) managers for imports, so the classes are patched;
    # a worker process runs one pylint scan at a time (see scanners.pylint_scanner).
    patches: list[tuple[Any, str, Any]] = [
        (AstroidManager, "ast_from_module_name", lookup),
        (PyLinter, "_lint_file", lint_file),
        *_build_patches(recorder),
    ]
    for class_name, name in INFERRING_PROPERTIES:
        owner = getattr(nodes, class_name)
        patches.append((owner, name, _PerCheck(owner.__dict__[name].func, name, recorder)))
    with ExitStack() as undo:
        for owner, name, replacement in patches:
            undo.callback(setattr, owner, name, owner.__dict__[name])
            setattr(owner, name, replacement)
        undo.callback(recorder.undo_changes)
        yield recorder
