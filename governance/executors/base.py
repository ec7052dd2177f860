"""The executor protocol: units in, results out as they complete."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from governance.scans.units import UnitResult, WorkUnit


class Executor(Protocol):
    """Runs work units somewhere (this process, a local pool, Celery workers)."""

    name: str

    def run(self, units: Iterable[WorkUnit]) -> Iterator[UnitResult]:
        """Yield one result per unit, in completion order."""
        ...

    def close(self) -> None:
        """Release workers and connections."""
        ...
