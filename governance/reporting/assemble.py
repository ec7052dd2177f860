"""Report values for a reader: one scan, one module over time, one vendor, the portfolio.

Scope is decided here, once, with :mod:`governance.access`, before anything is read: a
vendor asking for another vendor's scan, module or vendor gets the same ``NotFound`` as a
typo, and its portfolio is built from its own modules only — every figure (counts, charts,
rules, waivers, top findings) is computed over that scoped set, so nothing of another
vendor leaks even as a total. Every document made is an audit event
(:func:`record_download`), in the caller's transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from governance import access, audit
from governance.errors import InvalidInput, NotFound, said
from governance.registry.models import Module, User, Vendor
from governance.reporting import findings as finding_reads
from governance.reporting import queries
from governance.reporting.queries import SessionFactory
from governance.reporting.values import (
    ModuleLine,
    ModuleReport,
    Overview,
    PortfolioReport,
    Report,
    ReportKind,
    ReportMeta,
    ScanReport,
    VendorReport,
)
from governance.requirements.matrix import build_matrix, module_coverage
from governance.scans.models import Scan
from governance.timeutil import utcnow

TOP_SCAN = 200  # findings listed in a scan's HTML/PDF (the CSV/XLSX/JSON/SARIF hold them all)
TOP_MANY = 100  # in vendor and portfolio documents
DOWNLOAD_ACTION = "report.download"


def _meta(session: Session, user: User, kind: ReportKind, title: str, now: datetime | None) -> ReportMeta:
    scope = access.scope_key(user)
    if access.is_vendor(user) and user.vendor_id is not None:
        vendor = session.get(Vendor, user.vendor_id)
        scope = f"vendor:{vendor.name if vendor else user.vendor_id}"
    return ReportMeta(kind, title, now or utcnow(), user.name, scope)


def _names(session: Session, modules: Sequence[Module]) -> dict[int, tuple[str, str]]:
    """``module id → (key, vendor name)`` for the given (already scoped) modules."""
    vendor_ids = {m.vendor_id for m in modules}
    vendors = {v.id: v.name for v in session.exec(select(Vendor).where(col(Vendor.id).in_(vendor_ids))).all()}
    return {m.id or 0: (m.key, vendors.get(m.vendor_id, "")) for m in modules}


def _scan_body(
    session: Session, factory: SessionFactory, *, scan: Scan, module: Module, meta: ReportMeta
) -> ScanReport:
    names = _names(session, [module])
    summary = queries.summaries(session, scans=[scan], modules=names)[0]
    keys = {module_id: key for module_id, (key, _) in names.items()}
    scans = {module.id or 0: scan}
    return ScanReport(
        meta=meta,
        scan=summary,
        rules=tuple(
            queries.rules(queries.standards(session, scan_ids=[scan.id or 0])[scan.id or 0], module.key)
        ),
        waivers=tuple(queries.waivers(session, modules=keys)),
        top=tuple(finding_reads.top_findings(session, scans=scans, keys=keys, limit=TOP_SCAN)),
        findings=finding_reads.finding_stream(session, factory, scans=scans, keys=keys),
    )


def scan_report(
    session: Session, *, factory: SessionFactory, user: User, scan_id: int, now: datetime | None = None
) -> ScanReport:
    """One scan: its verdict with conditions, standards, rules, waivers and findings."""
    scan = session.get(Scan, scan_id)
    module = session.get(Module, scan.module_id) if scan else None
    if scan is None or module is None or not access.can_read_module(user, module):
        raise said(NotFound, "unknown scan #%(id)s", id=scan_id)
    meta = _meta(session, user, "scan", f"{module.key} #{scan_id}", now)
    return _scan_body(session, factory, scan=scan, module=module, meta=meta)


def module_report(
    session: Session, *, factory: SessionFactory, user: User, key: str, now: datetime | None = None
) -> ModuleReport:
    """One module over time: the history of its default branch, its latest scan, its matrix."""
    module = access.readable_module(session, user, key)
    meta = _meta(session, user, "module", module.key, now)
    names = _names(session, [module])
    scans = queries.history(session, module=module)
    latest = _scan_body(session, factory, scan=scans[-1], module=module, meta=meta) if scans else None
    return ModuleReport(
        meta=meta,
        module=module.key,
        vendor=names[module.id or 0][1],
        lines_of_code=module.lines_of_code,
        history=tuple(queries.summaries(session, scans=scans, modules=names)),
        latest=latest,
        matrix=build_matrix(session, module=module),
    )


def _lines(session: Session, modules: Sequence[Module]) -> tuple[tuple[ModuleLine, ...], dict[int, Scan]]:
    names = _names(session, modules)
    latest = queries.latest_scans(session, module_ids=list(names))
    summaries = {
        s.header.module: s for s in queries.summaries(session, scans=list(latest.values()), modules=names)
    }
    lines = tuple(
        ModuleLine(
            m.key,
            names[m.id or 0][1],
            m.lines_of_code,
            summaries.get(m.key),
            module_coverage(session, module=m),
        )
        for m in modules
    )
    return lines, latest


def _severities(lines: Sequence[ModuleLine]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for line in lines:
        if line.latest is not None:
            total.update(line.latest.severities)
    return dict(total)


def _many(session: Session, factory: SessionFactory, modules: Sequence[Module]) -> dict[str, Any]:
    """What vendor and portfolio documents share, computed over the scoped ``modules`` only."""
    lines, latest = _lines(session, modules)
    keys = {m.id or 0: m.key for m in modules}
    results = queries.standards(session, scan_ids=[s.id or 0 for s in latest.values()])
    rules = [
        rule
        for module_id, scan in latest.items()
        for rule in queries.rules(results.get(scan.id or 0, []), keys[module_id], failing_only=True)
    ]
    overview = Overview(
        modules=lines,
        severities=_severities(lines),
        rules=tuple(rules),
        waivers=tuple(queries.waivers(session, modules=keys)),
        top=tuple(finding_reads.top_findings(session, scans=latest, keys=keys, limit=TOP_MANY)),
        findings=finding_reads.finding_stream(session, factory, scans=latest, keys=keys),
    )
    return {f.name: getattr(overview, f.name) for f in fields(Overview)}


def vendor_report(
    session: Session, *, factory: SessionFactory, user: User, name: str, now: datetime | None = None
) -> VendorReport:
    """One vendor's modules (a vendor user may ask only for its own vendor)."""
    vendor = session.exec(access.scope_vendors(select(Vendor).where(Vendor.name == name), user)).first()
    if vendor is None:
        raise said(NotFound, "unknown vendor %(name)s", name=repr(name))
    modules = session.exec(
        select(Module).where(Module.vendor_id == vendor.id).order_by(col(Module.key))
    ).all()
    meta = _meta(session, user, "vendor", vendor.name, now)
    return VendorReport(meta=meta, vendor=vendor.name, **_many(session, factory, list(modules)))


def portfolio_report(
    session: Session, *, factory: SessionFactory, user: User, now: datetime | None = None
) -> PortfolioReport:
    """Every module the reader may read; a vendor's portfolio is its own modules only."""
    modules = access.visible_modules(session, user)
    vendors = session.exec(access.scope_vendors(select(Vendor.name).order_by(col(Vendor.name)), user)).all()
    meta = _meta(session, user, "portfolio", "portfolio", now)
    return PortfolioReport(meta=meta, vendors=tuple(vendors), **_many(session, factory, modules))


def build_report(
    session: Session, *, factory: SessionFactory, user: User, kind: ReportKind, subject: str | None = None
) -> Report:
    """The report of ``kind`` about ``subject`` (scan id, module key, vendor name; none for portfolio)."""
    if kind == "portfolio":
        return portfolio_report(session, factory=factory, user=user)
    if not subject:
        raise said(InvalidInput, "say which %(what)s the report is about", what=kind)
    if kind == "scan":
        if not subject.isdigit():
            raise said(NotFound, "unknown scan #%(id)s", id=subject)
        return scan_report(session, factory=factory, user=user, scan_id=int(subject))
    if kind == "module":
        return module_report(session, factory=factory, user=user, key=subject)
    return vendor_report(session, factory=factory, user=user, name=subject)


def covered_modules(report: Report) -> list[str]:
    """The module keys whose data the document holds (for the audit trail)."""
    if isinstance(report, ScanReport):
        return [report.scan.header.module]
    if isinstance(report, ModuleReport):
        return [report.module]
    return [line.module for line in report.modules]


def record_download(session: Session, *, user: User, report: Report, fmt: str, lang: str) -> None:
    """One audit event per document made: who, which report, format, language, modules covered."""
    audit.record(
        session,
        actor=user.name,
        action=DOWNLOAD_ACTION,
        target_type="report",
        target_id=f"{report.meta.kind}:{report.meta.title}",
        data={"kind": report.meta.kind, "format": fmt, "lang": lang, "modules": covered_modules(report)},
    )
