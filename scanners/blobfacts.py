"""Per-blob facts: what the project checks need from one file's bytes, and nothing of its path.

A fact depends only on the content (and the extractor's version and settings), so the
domain caches it by blob sha: a rescan computes facts for the blobs that changed and
combines the cached facts of the others into the same findings as a full scan.

Kinds (each a JSON-ready mapping, see :data:`EXTRACTORS`):

- ``gate``: why the repository checks must not read the bytes (too large, binary, not
  UTF-8), as :func:`scanners._common.gate` says, or ``None``; the path part of the gate
  (an unsafe path) is judged on the path when facts are combined.
- ``imports``: the import statements as records ``[level, module, [names]]`` (``names`` is
  ``None`` for ``import module``), or ``None`` when the file does not parse; ``first`` is
  the normalised first line (import-cycle findings are on line 1). Records are
  resolved against the file's own package name only when a tree is combined
  (:meth:`scanners.imports.ImportGraph.from_records`): a relative import means different
  modules in different places.
- ``bindings``: which top-level statements bind each name, as short digests of their text
  (:mod:`scanners.bindings`): a pylint trace keys a module that a check read only through
  the names it looked up on the statements binding those names.
- ``similar``: pylint's symilar stripped lines ``[[line index, text], ...]`` (comments,
  docstrings, imports and signatures removed, as R0801 with Govern's settings; a third
  item holds the normalised real line where it differs from the text) or ``None`` when
  astroid cannot parse the file.
- ``windows``: the steps of those lines (:mod:`scanners.dupsteps`, for ``min_lines``), base64,
  or ``None`` with them: where another module's files could share code with this one, read
  without reading their lines (:mod:`governance.scans.crossdup`).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import io
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from scanners import dupsteps
from scanners._common import gate, tool_version
from scanners.base import SourceFile, normalise_code
from scanners.bindings import bindings_fact
from scanners.imports import ImportRecord, import_records

Fact = Mapping[str, Any]
FACT_FORMAT = "1"
TOOL = "repository"


def gate_fact(content: bytes, max_bytes: int) -> Fact:
    """The content part of :func:`scanners._common.gate` (the path part is judged apart)."""
    skip = gate(SourceFile("blob", content), TOOL, max_bytes)
    return {"reason": skip.reason if skip else None}


def imports_fact(content: bytes) -> Fact:
    """The import records, or ``None`` for a file that does not parse."""
    text = content.decode("utf-8", "replace").splitlines()
    first = normalise_code(text[0]) if text else ""
    try:
        tree = ast.parse(content)
    except (SyntaxError, ValueError):
        return {"records": None, "first": first}
    records = import_records(tree)
    return {
        "first": first,
        "records": [
            [level, module, list(names) if names is not None else None] for level, module, names in records
        ],
    }


def decoded_lines(content: bytes) -> list[str]:
    """The lines as symilar's ``append_stream`` reads them (UTF-8; undecodable -> none)."""
    # pylint (astroid behind it) is imported by the fact that needs it: the executors import
    # this module, and `govern` imports the executors at start.
    from pylint.utils import decoding_stream

    try:
        return decoding_stream(io.BytesIO(content), "utf-8").readlines()
    except UnicodeDecodeError:
        return []


@contextmanager
def _symilar_parsing_alone(symilar: Any) -> Iterator[None]:
    """symilar's ``astroid.parse`` without its post-build step, for the length of one LineSet.

    ``astroid.parse`` caches the throwaway module and adds its ``x.attr = …`` nodes to the
    classes they infer to, library classes included (``exc.culprit = self`` to the builtin
    ``Exception``): in a worker those stayed for the pylint units it ran next, which then
    reported what a fresh process would not. symilar reads only the top-level nodes' types
    and line numbers, which the rebuilder alone gives (no cache, no transform, no inference).
    """
    import astroid
    from astroid.builder import AstroidBuilder
    from astroid.manager import AstroidManager

    def parse(code: str, module_name: str = "", path: str | None = None, **_options: Any) -> Any:
        builder = AstroidBuilder(AstroidManager(), apply_transforms=False)
        return builder._data_build(textwrap.dedent(code), module_name, path)[0]

    original = symilar.astroid
    symilar.astroid = SimpleNamespace(parse=parse, nodes=astroid.nodes)
    try:
        yield
    finally:
        symilar.astroid = original


@functools.lru_cache(maxsize=1)  # ``windows`` is asked right after ``similar`` of the same blob
def similar_fact(content: bytes) -> Fact:
    """Symilar's stripped lines with Govern's settings (R0801's defaults, all ignores on)."""
    from pylint.checkers import symilar

    real = decoded_lines(content)
    try:
        with _symilar_parsing_alone(symilar):
            lineset = symilar.LineSet("blob", real, True, True, True, True)
    except Exception as exc:  # pylint: disable=broad-exception-caught  # astroid's errors have no common base
        return {"lines": None, "error": f"{type(exc).__name__}: {exc}"[:300]}
    lines: list[list[object]] = []
    for spec in lineset.stripped_lines:
        raw = normalise_code(real[spec.line_number])
        lines.append(
            [spec.line_number, spec.text] if raw == spec.text else [spec.line_number, spec.text, raw]
        )
    return {"lines": lines}


def windows_fact(content: bytes, min_lines: int) -> Fact:
    """The :mod:`scanners.dupsteps` steps of the ``similar`` lines (None where those are None)."""
    lines = similar_fact(content)["lines"]
    if lines is None:
        return {"steps": None}
    return {"steps": dupsteps.encode(dupsteps.window_steps(lines, min_lines))}


Extractor = Callable[[bytes, Mapping[str, Any]], Fact]

EXTRACTORS: dict[str, Extractor] = {
    "gate": lambda content, options: gate_fact(content, int(options["max_bytes"])),
    "imports": lambda content, _options: imports_fact(content),
    "similar": lambda content, _options: similar_fact(content),
    "windows": lambda content, options: windows_fact(content, int(options["min_lines"])),
    "bindings": lambda content, _options: bindings_fact(content),
}

_TOOLS = {
    "gate": (),
    "imports": (),
    "similar": ("pylint", "astroid"),
    "windows": ("pylint", "astroid"),
    "bindings": ("astroid",),
}


def fact_version(kind: str, options: Mapping[str, Any]) -> str:
    """What a cached fact of ``kind`` was made by: format, tools, Python, settings."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    tools = tool_version(*_TOOLS[kind]) if _TOOLS[kind] else ""
    settings = ",".join(f"{k}={options[k]}" for k in sorted(options))
    return hashlib.sha256("\x1f".join((kind, FACT_FORMAT, tools, python, settings)).encode()).hexdigest()[:16]


def extract(kind: str, content: bytes, options: Mapping[str, Any] | None = None) -> Fact:
    """One fact of one blob (pure)."""
    return EXTRACTORS[kind](content, options or {})


FactRequest = tuple[str, Mapping[str, Any]]


def facts_of(content: bytes, requests: Sequence[FactRequest]) -> list[Fact | None]:
    """One blob's facts for each request, in order (a worker's job for a fact unit).

    After a ``gate`` request that refuses the blob, the later ones are not computed (None):
    the project checks never read a refused blob's other facts.
    """
    found: list[Fact | None] = []
    refused = False
    for kind, options in requests:
        fact = None if refused else extract(kind, content, options)
        found.append(fact)
        refused = refused or (kind == "gate" and fact is not None and bool(fact["reason"]))
    return found


FactReader = Callable[[str, "tuple[str, ...]", Mapping[str, Any]], Mapping[str, Fact]]
"""``(kind, paths, options) -> {path: fact}``: how a project check asks a tree for facts."""


def direct_facts(read: Callable[[str], bytes]) -> FactReader:
    """Facts computed from a reader on every call (no cache): the reference, a full scan."""

    def facts(kind: str, paths: tuple[str, ...], options: Mapping[str, Any]) -> Mapping[str, Fact]:
        return {path: extract(kind, read(path), options) for path in paths}

    return facts


def records_of(fact: Fact) -> list[ImportRecord] | None:
    """An ``imports`` fact back as records (``None``: the file does not parse)."""
    raw = fact["records"]
    if raw is None:
        return None
    return [
        (int(level), str(module), tuple(names) if names is not None else None) for level, module, names in raw
    ]
