"""What every command needs: settings, an opened database, the actor, output helpers."""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from governance.cli.lang import _, translate
from governance.config import Settings
from governance.db import Database, open_database
from governance.errors import InvalidInput, said


@dataclass
class Runtime:
    """Per-invocation state, built once by the app callback and passed via the context."""

    settings: Settings
    _db: Database | None = field(default=None, repr=False)

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = open_database(self.settings)
        return self._db

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.db.session() as session:
            yield session

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def runtime(ctx: typer.Context) -> Runtime:
    return ctx.find_root().obj  # type: ignore[no-any-return]


def actor() -> str:
    """Who is acting from the command line (recorded in the audit trail)."""
    explicit = os.environ.get("GOVERN_ACTOR")
    if explicit:
        return explicit
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


#: Fields whose values are codes Govern stores (``open``, ``critical``, ``pm``): a person reads
#: their label, as the portal shows it; ``--json`` keeps the code.
CODED = frozenset(
    {"state", "severity", "status", "cause", "kind", "outcome", "trigger", "close_reason", "role", "priority"}
    | {"from", "to"}  # a requirement's history: statuses
)


def _cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    return translate(value) if name in CODED and isinstance(value, str) and value else str(value)


def emit_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A table for people: ``title`` comes translated; ``columns`` are the records' keys (the same
    names ``--json`` prints), so they are translated here, as headers, and only here; coded values
    (:data:`CODED`) read as their labels."""
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(translate(column))
    for row in rows:
        table.add_row(*(_cell(column, value) for column, value in zip(columns, row, strict=True)))
    Console().print(table)


def emit_fields(record: Mapping[str, Any], names: Sequence[str]) -> None:
    """One record for people, a ``label: value`` line per field: ``names`` are the record's keys
    (the names ``--json`` prints), translated here as labels, as :func:`emit_table` does columns."""
    for name in names:
        typer.echo(_("%(label)s: %(value)s", label=translate(name), value=_cell(name, record[name])))


def counts_text(record: Mapping[str, Any], names: Sequence[str], *, count_first: bool = False) -> str:
    """Counters for people on one line (``delivered 2, failed 0`` or ``3 created, 0 updated``):
    ``names`` are the record's keys, translated here as labels; the list separator is a word of
    the language too, and each language orders count and label its own way."""
    if count_first:
        counts = [_("%(count)s %(label)s", label=translate(name), count=record[name]) for name in names]
    else:
        counts = [_("%(label)s %(count)s", label=translate(name), count=record[name]) for name in names]
    return _(", ").join(counts)


AsOption = Annotated[str | None, typer.Option("--as", help="Act as this registered user [env GOVERN_USER].")]


def acting_user(name: str | None) -> str:
    """The registered user a command acts as: ``--as NAME``, else ``GOVERN_USER``."""
    chosen = name or os.environ.get("GOVERN_USER")
    if not chosen:
        raise said(InvalidInput, "say who acts: --as USER (or set GOVERN_USER)")
    return chosen


JSON_OPTION = typer.Option(False, "--json", help="Print JSON for machines instead of a table.")
