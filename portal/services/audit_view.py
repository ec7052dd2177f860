"""The audit trail for readers who may see it (admins and auditors): filtered, labelled, linked, exported."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from governance import access
from governance.audit import READ_ACTIONS
from governance.audit.models import AuditEvent, AuditVerification
from governance.audit.verifications import latest_verification
from governance.registry.models import User

# What a reader sees next to the action's code; the portal's catalogues translate them.
READ_LABELS: dict[str, str] = {
    "source.git_fetch": "Fetched or cloned the source with git",
    "source.view": "Viewed source lines of a finding",
    "findings.report": "Opened the scan report",
    "findings.export": "Fetched findings through the API",
}
ACTION_LABELS: dict[str, str] = {
    **READ_LABELS,
    "auth.login": "Signed in",
    "auth.login_failed": "Failed sign-in",
    "auth.logout": "Signed out",
    "audit.export": "Exported the audit trail",
    "attestation.submit": "Submitted attestation evidence",
    "attestation.approve": "Approved an attestation",
    "attestation.reject": "Rejected an attestation",
    "attestation.expired": "An attestation expired",
    "evidence.upload": "Uploaded test or coverage evidence",
    "mirror.archive": "Archived rewritten refs",
    "mirror.ingest": "Ingested commits",
    "mirror.sync": "Synchronised the mirror",
    "mirror.sync_failed": "Mirror synchronisation failed",
    "module.create": "Registered a module",
    "module.schedule": "Changed a scan schedule",
    "push.accept": "Accepted a push",
    "push.reject": "Refused a push",
    "requirement.create": "Registered a requirement",
    "requirement.import": "Imported requirements",
    "requirement.links.refresh": "Refreshed traceability links",
    "requirement.move": "Moved a requirement in its workflow",
    "sarif.import": "Imported SARIF results",
    "scan.coalesced": "Scan request merged into a queued scan",
    "scan.complete": "Scan completed",
    "scan.failed": "Scan failed",
    "scan.requested": "Scan requested",
    "snapshot.create": "Created a review snapshot",
    "token.create": "Created an API token",
    "user.activate": "Activated a user",
    "user.create": "Registered a user",
    "user.deactivate": "Deactivated a user",
    # an audit action and its label, no credential (detect-secrets reads "password": "...")
    "user.password": "Changed a password",  # pragma: allowlist secret
    "vendor.create": "Registered a vendor",
    "vulndb.import": "Imported the vulnerability database",
    "waiver.requested": "Requested a waiver",
    "waiver.approved": "Approved a waiver",
    "waiver.rejected": "Rejected a waiver",
    "waiver.revoked": "Revoked a waiver",
    "webhook.delivery": "Delivered a webhook",
}
EXPORT_COLUMNS = ("seq", "at", "actor", "action", "target_type", "target_id", "data", "hash")


@dataclass(frozen=True)
class AuditFilter:
    """What a reader narrows the trail to; every field optional."""

    actor: str | None = None
    action: str | None = None
    target: str | None = None  # "module:BUD", "scan:12" or just "BUD"
    since: datetime | None = None
    until: datetime | None = None
    reads_only: bool = False

    def query_params(self) -> dict[str, str]:
        values = {
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "since": self.since.date().isoformat() if self.since else None,
            "until": self.until.date().isoformat() if self.until else None,
            "reads": "true" if self.reads_only else None,
        }
        return {k: v for k, v in values.items() if v}


def _where(query: Any, chosen: AuditFilter) -> Any:
    if chosen.actor:
        query = query.where(AuditEvent.actor == chosen.actor)
    if chosen.action:
        query = query.where(AuditEvent.action == chosen.action)
    if chosen.reads_only:
        query = query.where(col(AuditEvent.action).in_(READ_ACTIONS))
    if chosen.target:
        kind, colon, ident = chosen.target.partition(":")
        query = (
            query.where(AuditEvent.target_type == kind, AuditEvent.target_id == ident)
            if colon
            else query.where(AuditEvent.target_id == chosen.target)
        )
    if chosen.since:
        query = query.where(AuditEvent.at >= chosen.since)
    if chosen.until:
        query = query.where(AuditEvent.at < chosen.until)
    return query


def page_events(
    session: Session, *, user: User, chosen: AuditFilter = AuditFilter(), limit: int = 50, offset: int = 0
) -> tuple[list[AuditEvent], int]:
    """A page of events (newest first) and the total; 403 for anyone but admins and auditors."""
    access.require(access.can_read_audit(user), "read the audit trail")
    total = session.exec(_where(select(func.count()).select_from(AuditEvent), chosen)).one()
    query = _where(select(AuditEvent), chosen).order_by(col(AuditEvent.seq).desc())
    rows = session.exec(query.offset(max(offset, 0)).limit(max(1, min(limit, 500)))).all()
    return list(rows), int(total)


def export_rows(session: Session, *, user: User, chosen: AuditFilter) -> Iterator[AuditEvent]:
    """Every event of the filter, oldest first, in batches (for the CSV export)."""
    access.require(access.can_read_audit(user), "export the audit trail")
    last = 0
    while True:
        batch = session.exec(
            _where(select(AuditEvent), chosen)
            .where(AuditEvent.seq > last)
            .order_by(col(AuditEvent.seq))
            .limit(2000)
        ).all()
        if not batch:
            return
        yield from batch
        last = batch[-1].seq


def target_link(event: AuditEvent) -> str | None:
    """Where the event's target is shown in the portal, if it has a page."""
    kind, ident = event.target_type, event.target_id
    links = {
        "module": f"/modules/{ident}",
        "scan": f"/scans/{ident}",
        "requirement": f"/requirements/{ident}",
        "waiver": "/waivers",
        "vendor": "/vendors",
    }
    return links.get(kind)


def verification(session: Session) -> AuditVerification | None:
    return latest_verification(session)


def actors(session: Session) -> list[str]:
    return list(
        session.exec(select(AuditEvent.actor).distinct().order_by(col(AuditEvent.actor)).limit(500)).all()
    )
