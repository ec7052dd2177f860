"""YAML reading that remembers where every value came from.

PyYAML's plain ``safe_load`` throws away positions and silently keeps the last of two
duplicate keys. Standards are edited by hand, so we compose the node tree ourselves:
every mapping key and sequence item gets its 1-based line, duplicates are refused, and a
pydantic error location can be turned back into the line a person must fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from standards.errors import StandardError

Loc = tuple[str | int, ...]

#: libyaml's parser when PyYAML was built with it: the same nodes and marks, about ten times
#: faster than the pure-Python one (every scan reads the six built-in standards).
_FAST: Any = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> yaml.Node | None:
    """The node tree, by libyaml when present; a document it refuses is read again by the
    pure-Python parser, whose messages name the offending character or alias."""
    if _FAST is not None:
        try:
            return yaml.compose(text, Loader=_FAST)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


@dataclass
class Located:
    """Plain data read from a file plus the line of each location in it."""

    path: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Sequence[str | int]) -> int:
        """Line of the deepest part of ``loc`` we know.

        Pydantic inserts union tags and model names into error locations; those parts are
        skipped, so ``("rules", 0, "check", "findings", "threshold")`` still finds
        ``rules[0].check.threshold``.
        """
        known: Loc = ()
        line = self.lines.get((), 1)
        for part in loc:
            candidate = (*known, part)
            if candidate in self.lines:
                known = candidate
                line = self.lines[candidate]
        return line


def read_yaml(path: str | Path, text: str | None = None) -> Located:
    """Parse one YAML document, raising :class:`StandardError` with its line on any error."""
    name = str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise StandardError(name, 1, f"cannot read file: {exc}") from None
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = ", ".join(str(part) for part in (exc.context, exc.problem) if part) or str(exc)
        raise StandardError(name, line, f"invalid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise StandardError(name, 1, f"invalid YAML: {exc}") from None
    if node is None:
        raise StandardError(name, 1, "the file is empty")
    located = Located(name, None, {(): node.start_mark.line + 1})
    located.data = _Builder(located).build(node, ())
    return located


class _Builder:
    """Turns a node tree into plain data, recording lines and refusing duplicate keys."""

    def __init__(self, out: Located) -> None:
        self.out = out
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        """Plain data for ``node`` found at ``loc``."""
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.out.lines[(*loc, index)] = item.start_mark.line + 1
                items.append(self.build(item, (*loc, index)))
            return items
        return self.constructor.construct_object(node)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise StandardError(self.out.path, line, "a mapping key must be a plain value")
            key = self.constructor.construct_object(key_node)
            if key in result:
                raise StandardError(self.out.path, line, f"duplicate key {key!r}")
            self.out.lines[(*loc, key)] = line
            result[key] = self.build(value_node, (*loc, key))
        return result
