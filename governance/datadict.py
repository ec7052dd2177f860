"""The data dictionary (docs/data-dictionary.md), generated from the models.

Run ``python -m governance.datadict > docs/data-dictionary.md``; a test checks the file
is up to date, so the dictionary never drifts from the schema.
"""

from __future__ import annotations

import inspect
import sys
from typing import cast

import sqlalchemy as sa
from sqlmodel import SQLModel

from governance.schema import metadata


def _column(column: sa.Column) -> str:  # type: ignore[type-arg]
    flags = [
        flag
        for flag, on in (
            ("primary key", column.primary_key),
            ("unique", column.unique),
            ("not null", not column.nullable and not column.primary_key),
        )
        if on
    ]
    refs = ", ".join(f"→ {fk.target_fullname}" for fk in column.foreign_keys)
    doc = (column.doc or "").replace("|", "\\|")
    return f"| `{column.name}` | {column.type} | {', '.join(flags)} {refs} | {doc} |"


def _purposes() -> dict[str, str]:
    """Table name -> the first paragraph of its model's docstring."""
    purposes = {}
    for mapper in SQLModel._sa_registry.mappers:  # pylint: disable=protected-access
        doc = inspect.getdoc(mapper.class_) or ""
        table = cast(sa.Table, mapper.local_table)  # a declarative table model maps one Table
        purposes[table.name] = " ".join(doc.split("\n\n")[0].split())
    return purposes


def render() -> str:
    """Markdown: one section per table, its purpose and its columns."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from Govern's models by `python -m governance.datadict`.",
        "",
    ]
    purposes = _purposes()
    for table in sorted(metadata.sorted_tables, key=lambda t: t.name):
        lines += [f"## `{table.name}`", ""]
        if purposes.get(table.name):
            lines += [purposes[table.name], ""]
        lines += ["| column | type | constraints | notes |", "|---|---|---|---|"]
        lines += [_column(column) for column in table.columns]
        indexes = sorted(index.name for index in table.indexes if index.name)
        if indexes:
            lines += ["", "Indexes: " + ", ".join(f"`{name}`" for name in indexes)]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render())
