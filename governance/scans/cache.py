"""The content-addressed result cache: one entry per (scanner, settings, file, content).

Entries are written as soon as a unit finishes, outside the scan's own transaction: a
key names exactly the analysis that produced it, so an entry is valid whether or not
the scan that made it completes, and a killed scan loses no analysis already done.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from governance.scans.models import ScanCache
from governance.scans.units import FileResult

_CHUNK = 500  # stays under SQLite's bound-parameter limit


class CacheStore(Protocol):
    """Where per-file results live between scans."""

    def get_many(self, keys: Collection[str]) -> dict[str, FileResult]:
        """The cached results of those ``keys`` that are present."""
        raise NotImplementedError

    def put_many(self, entries: Mapping[str, tuple[str, FileResult]]) -> None:
        """Store ``key -> (scanner, result)``; existing keys are left as they are."""
        raise NotImplementedError

    def replace_many(self, entries: Mapping[str, tuple[str, FileResult]]) -> None:
        """Store ``key -> (scanner, result)``, replacing what a key held (traced results)."""
        raise NotImplementedError


class MemoryCache:
    """A dict-backed cache (tests, one-off runs)."""

    def __init__(self) -> None:
        self.entries: dict[str, FileResult] = {}

    def get_many(self, keys: Collection[str]) -> dict[str, FileResult]:
        return {k: self.entries[k] for k in keys if k in self.entries}

    def put_many(self, entries: Mapping[str, tuple[str, FileResult]]) -> None:
        for key, (_scanner, result) in entries.items():
            self.entries.setdefault(key, result)

    def replace_many(self, entries: Mapping[str, tuple[str, FileResult]]) -> None:
        for key, (_scanner, result) in entries.items():
            self.entries[key] = result


class DatabaseCache:
    """The ScanCache table, read and written in bulk."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    def get_many(self, keys: Collection[str]) -> dict[str, FileResult]:
        found: dict[str, FileResult] = {}
        ordered = list(keys)
        table = ScanCache.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as connection:
            for start in range(0, len(ordered), _CHUNK):
                chunk = ordered[start : start + _CHUNK]
                rows = connection.execute(
                    sa.select(table.c.key, table.c.result).where(table.c.key.in_(chunk))
                )
                found.update({key: result for key, result in rows})
        return found

    def put_many(self, entries: Mapping[str, tuple[str, FileResult]]) -> None:
        self._write(entries, replace=False)

    def replace_many(self, entries: Mapping[str, tuple[str, FileResult]]) -> None:
        self._write(entries, replace=True)

    def _write(self, entries: Mapping[str, tuple[str, FileResult]], *, replace: bool) -> None:
        if not entries:
            return
        table = ScanCache.__table__  # type: ignore[attr-defined]
        rows = [
            {"key": key, "scanner": scanner, "result": result} for key, (scanner, result) in entries.items()
        ]
        with self.engine.begin() as connection:
            for start in range(0, len(rows), _CHUNK):
                statement = self._insert(table).values(rows[start : start + _CHUNK])
                if replace:
                    statement = statement.on_conflict_do_update(
                        index_elements=["key"], set_={"result": statement.excluded.result}
                    )
                else:
                    statement = statement.on_conflict_do_nothing(index_elements=["key"])
                connection.execute(statement)


class RefreshingCache:
    """Reads nothing, writes everything: a ``--full`` scan redoes and refreshes all entries."""

    def __init__(self, inner: CacheStore) -> None:
        self.inner = inner

    def get_many(self, keys: Collection[str]) -> dict[str, FileResult]:
        return {}

    def put_many(self, entries: Mapping[str, tuple[str, FileResult]]) -> None:
        self.inner.put_many(entries)

    def replace_many(self, entries: Mapping[str, tuple[str, FileResult]]) -> None:
        self.inner.replace_many(entries)
