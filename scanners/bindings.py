"""Which top-level statements bind each name of a module: a pylint trace's key per name.

Why: a pylint result keyed on the blob of every module its check read re-runs a file
whenever any line of such a module changes. The scale rehearsal's nightly delivery adds
one function to 1% of the files, and that re-ran 63% of a cold scan's pylint work,
because most files read some value of a changed module (``from pkg.models import Model``
reads ``Model``). A check that read a module only through the names it looked up
(:class:`scanners.pylint_trace._WatchedLocals`) depends on the statements binding those
names, on which other names exist among those it asked for, and on the module's other
statements that bind nothing (a call such as ``register(Model)`` at the top level); not
on a new ``def`` elsewhere in the file. An ``x.attr = …`` that may change another
statement's node, or another module's (astroid adds ``attr`` to whatever ``x`` infers to,
:class:`scanners.pylint_trace.Change`), counts as such a statement: a module that changes
another is keyed on the statements making its changes, and on the names their inference
read while it was built, not on its blob (networkx's ``readwrite`` modules change
``networkx`` classes, and every check consults them through ``networkx/__init__.py``).
A star import of a module asks it which names are public (:data:`PUBLIC_NAMES`): a private
function added to it re-runs none of the importer's readers.

The statements are hashed as source text without line numbers, in the module's order, so
a statement moved among them changes the key (astroid filters a module-level name's
assignments by their position) while a function added above them does not. A module
whose names come from another module (a star import) has no bindings and stays keyed on
its blob.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Collection, Mapping
from typing import Any

Bindings = Mapping[str, Any]

#: asked of a module instead of a name: which of its names are public (what a star import
#: of it binds); never a Python name
PUBLIC_NAMES = "*"


def rebuilt(content: bytes) -> tuple[Any, dict[str, list[Any]], list[Any]] | None:
    """The module as astroid's rebuilder alone makes it (no cache, no transform, no
    inference, so no import), the nodes binding each name astroid binds at its top level
    (its ``locals`` once built), and the ``x.attr = …`` nodes that may change a node of
    another statement (any but ``self.attr = …`` in a method); None where the names come
    from another module (a star import) or the source does not parse."""
    from astroid.builder import AstroidBuilder
    from astroid.exceptions import AstroidSyntaxError
    from astroid.manager import AstroidManager

    try:
        module, builder = AstroidBuilder(AstroidManager(), apply_transforms=False)._data_build(
            content.decode("utf-8"), "bindings", None
        )
    except (AstroidSyntaxError, UnicodeDecodeError, RecursionError):
        return None
    changing = [node for node in builder._delayed_assattr if not _method_self(node)]
    bound: dict[str, list[Any]] = {name: list(values) for name, values in module.locals.items()}
    for node, global_names in builder._import_from_nodes:  # bound by astroid's post-build step
        for name, asname in node.names:
            if name == "*":
                return None
            if (asname or name) in global_names or node.parent.scope() is module:
                bound.setdefault(asname or name, []).append(node)
    return module, bound, changing


def _method_self(node: Any) -> bool:
    """``self.attr = …`` in a function defined in a class body whose first parameter is ``self``:
    astroid adds ``attr`` to that class (this statement), never to another one."""
    from astroid import nodes

    scope = node.scope()
    args = scope.args.posonlyargs + scope.args.args if isinstance(scope, nodes.FunctionDef) else []
    return (
        isinstance(node.expr, nodes.Name)
        and node.expr.name == "self"
        and isinstance(scope.parent, nodes.ClassDef)
        and bool(args)
        and args[0].name == "self"
    )


def _top(node: Any, module: Any) -> Any:
    while node.parent is not None and node.parent is not module:
        node = node.parent
    return node


def _text(statement: Any, lines: list[str]) -> str:
    decorators = getattr(statement, "decorators", None)
    first = min([statement.lineno, *(d.lineno for d in decorators.nodes)]) if decorators else statement.lineno
    last = statement.end_lineno or statement.tolineno
    return "\n".join(lines[first - 1 : last])


# a worker's pylint units read the same central modules again: each is rebuilt once a process
@functools.lru_cache(maxsize=1024)
def bindings_fact(content: bytes) -> Bindings:
    """``statements``: a short digest of each top-level statement's text, in order; ``binds``:
    name -> the indexes of the statements binding it; ``skeleton``: the digest of the
    statements that bind no name, are ``__future__`` imports or hold an ``x.attr = …`` that
    may change another statement's node. All None where :func:`rebuilt` is None."""
    built = rebuilt(content)
    if built is None:
        return {"statements": None, "binds": None, "skeleton": None}
    module, bound, changing = built
    lines = content.decode("utf-8").splitlines()
    index = {id(statement): number for number, statement in enumerate(module.body)}
    binds: dict[str, list[int]] = {}
    for name in sorted(bound):
        tops = (id(_top(node, module)) for node in bound[name])
        binds[name] = sorted({index[top] for top in tops if top in index})
    digests = [hashlib.blake2b(_text(s, lines).encode(), digest_size=8).hexdigest() for s in module.body]
    binding = {number for numbers in binds.values() for number in numbers}
    changes = {index[top] for top in (id(_top(node, module)) for node in changing) if top in index}
    skeleton = hashlib.sha256()
    for number, statement in enumerate(module.body):
        future = getattr(statement, "modname", None) == "__future__"
        if number not in binding or future or number in changes:
            skeleton.update(f"{digests[number]}\n".encode())
    return {"statements": digests, "binds": binds, "skeleton": skeleton.hexdigest()}


def parts_digest(fact: Bindings, read: Collection[str], asked: Collection[str]) -> str | None:
    """The key of a check that read ``read`` and asked whether ``asked`` are bound: the
    skeleton, the statements binding a read name (in the module's order), and which of the
    names exist. None where the module has no bindings."""
    binds = fact["binds"]
    if binds is None:
        return None
    statements = fact["statements"]
    numbers = sorted({number for name in read for number in binds.get(name, ())})
    # the skeleton even for names only tested: ``this_module.name = …`` binds one
    digest = hashlib.sha256(f"{fact['skeleton']}\n".encode())
    for number in numbers:
        digest.update(f"{statements[number]}\n".encode())
    for name in sorted({*read, *asked}):
        digest.update(f"{name}={name in binds}\n".encode())
    if PUBLIC_NAMES in asked:
        digest.update(" ".join(sorted(n for n in binds if not n.startswith("_"))).encode())
    return digest.hexdigest()
