"""A progress bar on a terminal, nothing when piped (scans, syncs)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from governance.cli.lang import _


@contextmanager
def progress_bar(total: int | None = None) -> Iterator[Callable[[str, int], None]]:
    """Yield ``advance(event, count)``; counts analysed / cached / skipped separately."""
    if not sys.stderr.isatty():
        yield lambda _event, _count: None
        return
    counts = {"analysed": 0, "cached": 0, "skipped": 0}
    columns = (
        TextColumn("[bold]" + _("scanning")),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("", total=total)

        def advance(event: str, count: int) -> None:
            counts[event] = counts.get(event, 0) + count
            bar.update(
                task,
                completed=sum(counts.values()),
                description=_(
                    "analysed %(analysed)s, cached %(cached)s, skipped %(skipped)s",
                    analysed=counts["analysed"],
                    cached=counts["cached"],
                    skipped=counts["skipped"],
                ),
            )

        yield advance
