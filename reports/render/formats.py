"""A document format as a user typed it, checked against the formats a document offers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from governance.errors import InvalidInput, said

F = TypeVar("F", bound=str)


def chosen(text: str, formats: Sequence[F]) -> F:
    """The format ``text`` names (any case); a clear error listing the choices otherwise."""
    lowered = text.lower()
    for fmt in formats:
        if fmt == lowered:
            return fmt
    raise said(
        InvalidInput,
        "unknown format %(text)s: choose one of %(formats)s",
        text=repr(text),
        formats=", ".join(formats),
    )
