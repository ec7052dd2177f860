"""The in-repository import graph of Python files, its closures and its cycles.

The planner keys pylint's cache on the blob shas of a file's transitive import closure
(pylint's inference reads what a file imports), so :meth:`ImportGraph.closure` must be
cheap for thousands of files: the graph is built once per commit from the AST, its
strongly connected components are computed once (iterative Tarjan), and closures are
memoised per component, so files in one cycle share one set.

Module names. A file's module name is found as Python (and pylint) would find it: walk
up while the directory holds an ``__init__.py``; the first directory without one is the
file's source root (so ``src/`` layouts and several roots in one repo work). Names from
the repository root and from any ``src/`` or ``lib/`` directory are also indexed so
namespace packages (no ``__init__.py``) resolve. Over-connecting is safe for the cache
(a bigger closure only costs hits); an import that resolves to nothing is external.

``import a.b.c`` depends on ``a``, ``a.b`` and ``a.b.c`` (importing runs each package's
``__init__``); ``from a.b import c`` depends on ``a``, ``a.b`` and ``a.b.c`` if that is a
module. Relative imports resolve against the importing file's package.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

_ROOT_MARKERS = ("src", "lib")
ImportRecord = tuple[int, str, tuple[str, ...] | None]


def _package_root(path: PurePosixPath, packages: set[PurePosixPath]) -> PurePosixPath:
    """The first ancestor directory that is not a package (has no ``__init__.py``)."""
    parent = path.parent
    while parent in packages and parent != PurePosixPath("."):
        parent = parent.parent
    return parent


def _dotted(path: PurePosixPath, root: PurePosixPath) -> str | None:
    rel = path.relative_to(root) if root != PurePosixPath(".") else path
    parts = list(rel.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)


def module_names(paths: Iterable[str]) -> dict[str, list[str]]:
    """Map each Python path to the dotted names it can be imported as (best first)."""
    pure = [PurePosixPath(p) for p in paths if p.endswith(".py")]
    packages = {p.parent for p in pure if p.name == "__init__.py"}
    names: dict[str, list[str]] = {}
    for path in pure:
        roots = [_package_root(path, packages), PurePosixPath(".")]
        roots += [
            PurePosixPath(*path.parts[: i + 1])
            for i, part in enumerate(path.parts[:-1])
            if part in _ROOT_MARKERS
        ]
        found: list[str] = []
        for root in roots:
            name = _dotted(path, root)
            if name and name not in found:
                found.append(name)
        names[str(path)] = found
    return names


def _prefixes(dotted: str) -> Iterator[str]:
    parts = dotted.split(".")
    for i in range(1, len(parts) + 1):
        yield ".".join(parts[:i])


def _base_package(own_name: str, is_init: bool, level: int) -> str | None:
    parts = own_name.split(".") if own_name else []
    if not is_init:
        parts = parts[:-1]
    if level - 1 > len(parts):
        return None
    return ".".join(parts[: len(parts) - (level - 1)])


def imported_names(tree: ast.AST, own_name: str, is_init: bool) -> tuple[set[str], set[str]]:
    """Dotted names a module's imports may load: (all, with parent packages; direct).

    *all* feeds closures (importing ``a.b`` runs ``a/__init__``); *direct* holds only
    the named modules and feeds cycle detection, as pylint's cyclic-import does, so a
    package ``__init__`` that re-exports its submodules is not a cycle with each of them.
    """
    return resolve_records(import_records(tree), own_name, is_init)


def import_records(tree: ast.AST) -> list[ImportRecord]:
    """Every import statement of a module, unresolved: ``(level, module, names)``.

    ``names`` is ``None`` for ``import module``. A record does not depend on where the file
    is, so it is a per-blob fact (:mod:`scanners.blobfacts`); resolution does.
    """
    records: list[ImportRecord] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            records.extend((0, alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            records.append((node.level, node.module or "", tuple(a.name for a in node.names)))
    return records


def _resolve_base(level: int, module: str, own_name: str, is_init: bool) -> str | None:
    if not level:
        return module
    package = _base_package(own_name, is_init, level)
    if package is None:
        return None
    return ".".join(part for part in (package, module) if part)


def resolve_records(
    records: Iterable[ImportRecord], own_name: str, is_init: bool
) -> tuple[set[str], set[str]]:
    """:func:`imported_names` from records: relative imports resolve against ``own_name``."""
    loaded: set[str] = set()
    direct: set[str] = set()
    for level, module, names in records:
        if names is None:
            loaded.update(_prefixes(module))
            direct.add(module)
            continue
        base = _resolve_base(level, module, own_name, is_init)
        if base is None:
            continue
        if base:
            loaded.update(_prefixes(base))
            direct.add(base)
        for alias in names:
            if alias != "*":
                name = f"{base}.{alias}" if base else alias
                loaded.add(name)
                direct.add(name)
    return loaded, direct


def _direct_targets(names: set[str], index: Mapping[str, str]) -> set[str]:
    """For each direct name, the longest prefix that is an in-repo module."""
    targets: set[str] = set()
    for name in names:
        for candidate in reversed(list(_prefixes(name))):
            if candidate in index:
                targets.add(index[candidate])
                break
    return targets


def strongly_connected(edges: Mapping[str, Iterable[str]]) -> list[frozenset[str]]:
    """Iterative Tarjan: components come out successors-first (reverse topological)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[frozenset[str]] = []

    def visit(node: str) -> Iterator[str]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        return iter(sorted(edges.get(node, ())))

    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, visit(start))]
        while work:
            node, successors = work[-1]
            succ = next((s for s in successors if s not in index or s in on_stack), None)
            if succ is not None and succ not in index:
                work.append((succ, visit(succ)))
                continue
            if succ is not None:
                low[node] = min(low[node], index[succ])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                components.append(_pop_component(node, stack, on_stack))
    return components


def _pop_component(root: str, stack: list[str], on_stack: set[str]) -> frozenset[str]:
    members = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        members.append(member)
        if member == root:
            return frozenset(members)


@dataclass
class ImportGraph:
    """Edges ``path -> imported in-repo paths``; closures and cycles on demand."""

    edges: Mapping[str, frozenset[str]]
    direct: Mapping[str, frozenset[str]] = field(default_factory=dict)
    unparsable: frozenset[str] = frozenset()
    _component: dict[str, int] = field(default_factory=dict, repr=False)
    _members: list[frozenset[str]] = field(default_factory=list, repr=False)
    _closures: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, sources: Mapping[str, bytes]) -> ImportGraph:
        """Parse every Python file once; files that do not parse have no edges."""
        records: dict[str, list[ImportRecord] | None] = {}
        for path, content in sources.items():
            try:
                records[path] = import_records(ast.parse(content))
            except (SyntaxError, ValueError):
                records[path] = None
        return cls.from_records(records)

    @classmethod
    def from_records(cls, records: Mapping[str, Sequence[ImportRecord] | None]) -> ImportGraph:
        """The graph of files given their import records (``None``: the file does not parse)."""
        names = module_names(records)
        index: dict[str, str] = {}
        for path in sorted(names, key=lambda p: (p.count("/"), p)):
            for name in names[path]:
                index.setdefault(name, path)
        edges: dict[str, frozenset[str]] = {}
        direct: dict[str, frozenset[str]] = {}
        unparsable: set[str] = set()
        for path, own in names.items():
            file_records = records[path]
            if file_records is None:
                unparsable.add(path)
                edges[path] = direct[path] = frozenset()
                continue
            loaded, named = set(), set()
            # Relative imports against every name the file has, not only the first: a
            # folder without ``__init__.py`` inside a package (flask's ``sansio/``) makes
            # ``app`` the first name of ``src/flask/sansio/app.py``, from which
            # ``from ..logging import x`` resolves to nothing, while Python and pylint
            # import it as ``flask.sansio.app``. Over-connecting is safe (module docstring).
            for own_name in own or [""]:
                more, more_named = resolve_records(file_records, own_name, path.endswith("__init__.py"))
                loaded |= more
                named |= more_named
            edges[path] = frozenset(index[n] for n in loaded if n in index) - {path}
            direct[path] = frozenset(_direct_targets(named, index)) - {path}
        return cls(edges, direct, frozenset(unparsable))

    @classmethod
    def from_reader(cls, paths: Iterable[str], read: Callable[[str], bytes]) -> ImportGraph:
        """Build from a tree listing and a blob reader (only ``.py`` files are read)."""
        return cls.build({p: read(p) for p in paths if p.endswith(".py")})

    def imports_of(self, path: str) -> frozenset[str]:
        """Direct in-repo imports of ``path``."""
        return self.edges.get(path, frozenset())

    def _ensure_components(self) -> None:
        if not self._members and self.edges:
            self._members = strongly_connected(self.edges)
            for number, members in enumerate(self._members):
                for member in members:
                    self._component[member] = number

    def closure(self, path: str) -> frozenset[str]:
        """Every in-repo file ``path`` imports, transitively (``path`` itself excluded)."""
        self._ensure_components()
        if path not in self._component:
            return frozenset()
        return self._component_closure(self._component[path]) - {path}

    def _component_closure(self, number: int) -> frozenset[str]:
        """Members of a component plus the closures of the components it reaches."""
        if number in self._closures:
            return self._closures[number]
        # Components are numbered successors-first, so computing them in increasing
        # order (memo always holds 0..k-1) only ever needs closures already memoised.
        for current in range(len(self._closures), number + 1):
            reached = set(self._members[current])
            for member in self._members[current]:
                for succ in self.edges.get(member, ()):
                    other = self._component[succ]
                    if other != current:
                        reached |= self._closures[other]
            self._closures[current] = frozenset(reached)
        return self._closures[number]

    def enclosing_inits(self, path: str) -> frozenset[str]:
        """The ``__init__.py`` of each package enclosing ``path``, up to its source root.

        pylint names a file, and picks the directory it puts on ``sys.path`` for it, by
        walking up while the directory holds an ``__init__.py`` (as :func:`module_names`
        does). A unit's temp tree must hold the same ones as the repository, or a module
        of a test package (flask's ``tests/.../inner2/flask.py``) becomes a top-level
        module that shadows the package under test.
        """
        found: set[str] = set()
        parent = PurePosixPath(path).parent
        while parent != PurePosixPath("."):
            init = str(parent / "__init__.py")
            if init not in self.edges:
                break
            found.add(init)
            parent = parent.parent
        return frozenset(found - {path})

    def closure_digest(self, path: str, blobs: Mapping[str, str]) -> str:
        """Digest of ``path``'s closure as sorted ``path blob-sha`` pairs (pylint's key part).

        A file missing from ``blobs`` contributes its path with an empty sha, so the
        digest still changes when it appears or disappears.
        """
        lines = [f"{p} {blobs.get(p, '')}" for p in sorted(self.closure(path))]
        return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()

    def cycles(self) -> list[tuple[str, ...]]:
        """Import cycles among named modules: components of more than one file, sorted."""
        found = [tuple(sorted(m)) for m in strongly_connected(self.direct) if len(m) > 1]
        return sorted(found)
