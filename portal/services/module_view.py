"""What a module page shows above its findings: latest scan, standard results, history, vendor."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from governance.errors import NotFound, said
from governance.registry.models import Module, Vendor
from governance.scans.models import Scan, StandardResult
from governance.scans.service import scanned_branches
from portal.services import scans as scans_service
from portal.services.scans import RuleOutcome

HISTORY = 20


@dataclass(frozen=True)
class ModuleSummary:
    """Read-only once built: it may be shared by concurrent readers of the same module."""

    vendor_name: str
    scan: Scan | None
    results: dict[str, StandardResult]
    failing: dict[str, list[RuleOutcome]]
    history: list[Scan]
    branch: str
    branches: list[str]


def summary(session: Session, *, module: Module, branch: str | None = None) -> ModuleSummary:
    """The latest complete scan of ``branch`` (default: the module's default branch, the
    headline) with its six standards, and the module's recent scans of every branch.

    An unknown branch is a 404: the selector only offers branches that were scanned.
    """
    branches = scanned_branches(session, module=module)
    shown = branch or module.default_branch
    if shown not in branches:
        raise said(NotFound, "no scans of branch %(branch)s", branch=repr(shown))
    headline = shown == module.default_branch
    scan = scans_service.latest_scan(session, module=module, branch=None if headline else shown)
    results = (
        scans_service.standard_results(session, scan_ids=[scan.id]).get(scan.id, {})
        if scan and scan.id
        else {}
    )
    history, _ = scans_service.module_scans(session, module=module, limit=HISTORY)
    vendor = session.get(Vendor, module.vendor_id)
    return ModuleSummary(
        vendor_name=vendor.name if vendor else "",
        scan=scan,
        results=results,
        failing={name: scans_service.failing_rules(result) for name, result in results.items()},
        history=history,
        branch=shown,
        branches=branches,
    )
