"""Per-vendor summaries across their modules; a vendor user sees only its own vendor."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from governance import access
from governance.registry.models import Module, User, Vendor
from governance.scans.models import Scan
from portal.services import scans as scans_service


@dataclass
class VendorSummary:
    """One vendor: its modules, their lines of code, latest scores and gate failures."""

    vendor: Vendor
    modules: list[Module]
    lines_of_code: int
    average_score: float | None
    gate_failures: int
    latest: dict[int, Scan]


def summaries(session: Session, *, user: User) -> list[VendorSummary]:
    """Summaries of the vendors ``user`` may know about, by name."""
    vendors = session.exec(access.scope_vendors(select(Vendor).order_by(col(Vendor.name)), user)).all()
    modules = access.visible_modules(session, user)
    latest = scans_service.latest_scans(session, module_ids=[m.id for m in modules if m.id is not None])
    result = []
    for vendor in vendors:
        own = [m for m in modules if m.vendor_id == vendor.id]
        scans = {m.id: latest[m.id] for m in own if m.id in latest}
        scores = [scan.score for scan in scans.values() if scan.score is not None]
        result.append(
            VendorSummary(
                vendor=vendor,
                modules=own,
                lines_of_code=sum(m.lines_of_code for m in own),
                average_score=round(sum(scores) / len(scores), 1) if scores else None,
                gate_failures=sum(1 for scan in scans.values() if scan.gate_passed is False),
                latest={k: v for k, v in scans.items() if k is not None},
            )
        )
    return result
