"""The portal's two-vendor world (Acme: ACME, Beta: BETA) plus one approved waiver in each
module, with reasons that must never show up in the other vendor's documents."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from governance.db import Database
from governance.scans.models import Finding, Waiver, WaiverKind, WaiverState
from governance.timeutil import utcnow
from tests.portal.conftest import World, build_world

BETA_MARKS = ("BETA", "Beta Systems", "beta-only waiver reason")


def _waive(database: Database, world: World, key: str, reason: str) -> None:
    scan = world.scans[key][-1]
    with database.session() as session:
        finding = session.exec(
            select(Finding).where(Finding.scan_id == scan.id, Finding.state != "fixed").order_by(Finding.id)
        ).first()
        assert finding is not None
        finding.waived = True
        session.add(finding)
        session.add(
            Waiver(
                module_id=finding.module_id,
                fingerprint=finding.fingerprint,
                kind=WaiverKind.false_positive,
                state=WaiverState.approved,
                reason=reason,
                requested_by=f"{key.lower()}-dev",
                approver="pm",
                decided_at=utcnow(),
            )
        )


def scoped_world(database: Database) -> World:
    with database.session() as session:
        world = build_world(session)
    _waive(database, world, "ACME", "acme test fixture, not a secret")
    _waive(database, world, "BETA", "beta-only waiver reason")
    return world


def readable_text(fmt: str, data: bytes) -> str:
    """A document's text as a reader sees it (PDF extracted, workbook cells joined)."""
    if fmt == "pdf":
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        return json.dumps(
            [list(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)],
            ensure_ascii=False,
            default=str,
        )
    return data.decode("utf-8-sig")
