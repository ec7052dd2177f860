"""The portfolio figure of duplicated code between modules, scoped to who asks.

Each module's latest complete default-branch scan recorded, per other module, how many of
its lines (and blocks) are also in that module (:mod:`governance.scans.crossdup`). A user
sees the pairs of the modules they may read; the other module of a pair is named only if
they may read it too: for a vendor, a module of another vendor is "another vendor's
module" (``other`` is None) — no key, id, vendor, path or code of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from governance import access
from governance.registry.models import Module, User
from governance.scans.models import CrossDuplication
from governance.scans.service import latest_complete


@dataclass(frozen=True)
class DuplicationPair:
    """Lines and blocks of ``module`` also in ``other`` (None: a module the reader may not see)."""

    module: str
    other: str | None
    lines: int
    blocks: int
    scan_id: int

    @property
    def other_vendor(self) -> bool:
        """Whether the other module is hidden from the reader (another vendor's)."""
        return self.other is None


def duplication_pairs(session: Session, *, user: User) -> list[DuplicationPair]:
    """Pairs of modules sharing code, largest first, as ``user`` may see them."""
    pairs: list[DuplicationPair] = []
    names: dict[int, str | None] = {}
    for module in access.visible_modules(session, user):
        scan = latest_complete(session, module_id=module.id or 0)
        if scan is None or scan.id is None:
            continue
        rows = session.exec(select(CrossDuplication).where(col(CrossDuplication.scan_id) == scan.id)).all()
        for row in rows:
            if row.other_module_id not in names:
                names[row.other_module_id] = _name(session, user, row.other_module_id)
            other = names[row.other_module_id]
            pairs.append(DuplicationPair(module.key, other, row.lines, row.blocks, scan.id))
    return sorted(pairs, key=lambda p: (-p.lines, p.module, p.other or ""))


def _name(session: Session, user: User, module_id: int) -> str | None:
    other = session.get(Module, module_id)
    if other is None or not access.can_read_module(user, other):
        return None
    return other.key
