"""A running scan's lease, renewed from a background thread while the coordinator works.

A coordinator that dies stops renewing; the sweep then fails its scan so another can run.
A coordinator whose lease was taken from it discards its results (:meth:`Lease.check`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

import sqlalchemy as sa

from governance.db import Database
from governance.errors import GovernError, said
from governance.scans import service

log = logging.getLogger(__name__)


@dataclass
class Lease:
    """Renews a scan's lease every third of its length until stopped."""

    database: Database
    scan_id: int
    owner: str
    seconds: int
    lost: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> Lease:
        threading.Thread(target=self._loop, name=f"lease-{self.scan_id}", daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()

    def check(self) -> None:
        """Refuse to commit results of a scan whose lease was swept as expired."""
        if self.lost.is_set():
            raise said(GovernError, "the scan's lease was lost (swept as expired); results discarded")

    def _loop(self) -> None:
        while not self._stop.wait(self.seconds / 3):
            try:
                with self.database.session() as session:
                    if not service.renew(
                        session, scan_id=self.scan_id, owner=self.owner, lease_seconds=self.seconds
                    ):
                        self.lost.set()
                        return
            except sa.exc.OperationalError as exc:  # database busy or briefly away: try next period
                log.warning("scan %s: lease not renewed this time: %s", self.scan_id, exc.orig)
