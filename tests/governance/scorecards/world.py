"""A world for scorecards and monthly reports, built at controlled dates (no wall clock).

Three vendors: Acme Soft (PAY: a flawed delivery scanned in Q3 and Q4, then fixed in November),
Beta Tech (BUD: a clean module scanned once per quarter), Gamma Data (GAM: mirrored from a
remote, never synced, never scanned: not ranked). Scans run for real (inline executor) and are
dated like the demo's history; audit events (mirror syncs, push refusals) are stamped by a
controlled clock; requirement transitions and tickets are written with their dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from governance import audit
from governance.config import Settings
from governance.db import Database
from governance.executors.local import InlineExecutor
from governance.mirrors.service import sync_module
from governance.registry import service as registry
from governance.registry.models import Module
from governance.requirements.models import Requirement, RequirementStatus, RequirementTransition
from governance.scans.models import Finding, Scan
from governance.scans.run import run_scan
from governance.scans.service import request_scan
from governance.tickets.models import Ticket, TicketCause
from governance.waivers import service as waivers
from tests.gitrepo import VendorRepo

FLAWED = '''"""Payments."""

import os


def pay(connection, account):
    """Look an account up."""
    password = "hunter2-secret"
    return connection.execute("SELECT * FROM payment WHERE account = '%s'" % account)
'''
FIXED = '''"""Payments."""


def pay(connection, account):
    """Look an account up."""
    return connection.execute("SELECT id, amount FROM payment WHERE account = ?", (account,))
'''
CLEAN = '''"""Budgets."""


def total(amounts):
    """Sum of the budget lines."""
    return sum(amounts)
'''


def at(text: str) -> datetime:
    """``2026-10-05 10:00`` as an aware UTC time."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


NOW = at("2027-01-10 09:00")  # the quarter 2026Q4 is over when the tests read it


@dataclass
class Clock:
    """The audit trail's clock in this world (monkeypatched into governance.audit.service)."""

    now: datetime = field(default_factory=lambda: at("2026-06-01 09:00"))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    database: Database
    settings: Settings
    scans: dict[str, int] = field(default_factory=dict)  # S1, S2, S3 (PAY), B1, B2 (BUD)


def _scan(world: World, clock: Clock, key: str, commit: str, when: datetime, name: str) -> None:
    clock.now = when
    with world.database.session() as session:
        sync_module(session, settings=world.settings, key=key, actor="world").raise_for_error()
    with world.database.session() as session:
        scan, _ = request_scan(
            session,
            module=registry.get_module(session, key),
            trigger="schedule",
            actor="world",
            commit=commit,
        )
    run_scan(
        world.database,
        world.settings,
        scan.id or 0,
        executor=InlineExecutor(),
        actor="world",
        clock=lambda: when,
    )
    with world.database.session() as session:
        row = session.get(Scan, scan.id)
        assert row is not None and row.status == "complete", row and row.reason
        row.created_at = row.started_at = row.finished_at = when
        session.add(row)
    world.scans[name] = scan.id or 0


def _registry(world: World, repos: dict[str, VendorRepo]) -> None:
    with world.database.session() as session:
        for vendor in ("Acme Soft", "Beta Tech", "Gamma Data"):
            registry.create_vendor(session, name=vendor, actor="world")
        registry.create_module(
            session, key="PAY", vendor="Acme Soft", remote=str(repos["PAY"].path), actor="world"
        )
        registry.create_module(
            session, key="BUD", vendor="Beta Tech", remote=str(repos["BUD"].path), actor="world"
        )
        registry.create_module(
            session, key="GAM", vendor="Gamma Data", remote=str(repos["GAM"].path), actor="world"
        )
        session.flush()
        for module in session.exec(select(Module)).all():
            module.created_at = at("2026-06-01 09:00")
        registry.create_user(session, name="pat", role="pm", actor="world", password="pm-password-1")
        registry.create_user(session, name="aud", role="auditor", actor="world", password="aud-password-1")
        registry.create_user(
            session,
            name="acme-dev",
            role="vendor",
            vendor="Acme Soft",
            actor="world",
            password="acme-password-1",
        )
        registry.create_user(
            session,
            name="beta-dev",
            role="vendor",
            vendor="Beta Tech",
            actor="world",
            password="beta-password-1",
        )


def _requirements(world: World) -> None:
    """PAY-1 verified 10-11 (approved 09-01: 40 days), PAY-2 verified 11-09 (approved 10-10: 30 days),
    PAY-3 approved and in progress at the end of Q4, PAY-4 verified in Q3 (approved 07-01: 31 days)."""
    histories = {
        "PAY-1": [("proposed", "2026-06-01"), ("approved", "2026-09-01"), ("in_progress", "2026-09-10"),
                  ("implemented", "2026-10-01"), ("verified", "2026-10-11")],
        "PAY-2": [("proposed", "2026-06-01"), ("approved", "2026-10-10"), ("in_progress", "2026-10-12"),
                  ("implemented", "2026-11-01"), ("verified", "2026-11-09")],
        "PAY-3": [("proposed", "2026-06-01"), ("approved", "2026-11-01"), ("in_progress", "2026-11-05")],
        "PAY-4": [("proposed", "2026-06-01"), ("approved", "2026-07-01"), ("in_progress", "2026-07-02"),
                  ("implemented", "2026-07-20"), ("verified", "2026-08-01")],
    }  # fmt: skip
    with world.database.session() as session:
        module = registry.get_module(session, "PAY")
        for key, moves in histories.items():
            requirement = Requirement(
                key=key, module_id=module.id or 0, title=key, status=RequirementStatus(moves[-1][0])
            )
            session.add(requirement)
            session.flush()
            previous = None
            for status, day in moves:
                session.add(
                    RequirementTransition(
                        requirement_id=requirement.id or 0,
                        from_status=previous,
                        to_status=status,
                        actor="world",
                        at=at(f"{day} 12:00"),
                    )
                )
                previous = status


def _tickets(world: World) -> None:
    """Acme: due 10-20 closed 10-18 (kept), due 11-10 closed 11-12 (late), due 12-01 open (late),
    due 2027-01-15 (not due in Q4). Beta has none: its SLA is n/a."""
    with world.database.session() as session:
        module = registry.get_module(session, "PAY")
        for due, closed in (
            ("2026-10-20", "2026-10-18"),
            ("2026-11-10", "2026-11-12"),
            ("2026-12-01", None),
            ("2027-01-15", None),
        ):
            session.add(
                Ticket(
                    module_id=module.id or 0,
                    vendor_id=module.vendor_id,
                    cause=TicketCause.new_findings.value,
                    title=f"fix by {due}",
                    severity="major",
                    due_at=at(f"{due} 23:59"),
                    closed_at=at(f"{closed} 10:00") if closed else None,
                    state="closed" if closed else "open",
                )
            )


def _refusals(world: World, clock: Clock) -> None:
    """Pushes refused on PAY (as the pre-receive hook records them): one in Q3, two in Q4."""
    for when in ("2026-09-01 08:00", "2026-10-03 08:00", "2026-12-20 08:00"):
        clock.now = at(when)
        with world.database.session() as session:
            audit.record(
                session,
                actor="acme-dev",
                action="push.reject",
                target_type="module",
                target_id="PAY",
                data={"refs": ["refs/heads/main"], "violations": ["size: big.bin: too large"]},
            )


def _waivers(world: World) -> None:
    """A waiver approved 10-22 expiring 11-25; one a PM grants on 11-05 (90 days)."""
    with world.database.session() as session:
        pm, vendor = registry.get_user(session, "pat"), registry.get_user(session, "acme-dev")
        prints = sorted(
            set(session.exec(select(Finding.fingerprint).where(Finding.scan_id == world.scans["S2"])).all())
        )
        asked = waivers.request_waiver(
            session,
            user=vendor,
            request=waivers.WaiverRequest(
                module="PAY", reason="false positive: test data only", fingerprint=prints[0]
            ),
            now=at("2026-10-20 09:00"),
        )
        waivers.decide_waiver(
            session, user=pm, waiver_id=asked.id or 0, approve=True, reason="agreed: test data only",
            expires_at=at("2026-11-25 23:59"), now=at("2026-10-22 09:00"),
        )  # fmt: skip
        waivers.request_waiver(
            session,
            user=pm,
            request=waivers.WaiverRequest(
                module="PAY", reason="accepted until the rewrite", fingerprint=prints[1]
            ),
            now=at("2026-11-05 09:00"),
        )


def build(world: World, clock: Clock, tmp: Path) -> None:
    repos = {key: VendorRepo(tmp / key.lower()) for key in ("PAY", "BUD", "GAM")}
    pay1 = repos["PAY"].commit(
        "PAY-1: first delivery", {"src/pay/__init__.py": '"""Payments."""\n', "src/pay/core.py": FLAWED}
    )
    bud1 = repos["BUD"].commit(
        "BUD-1: budgets", {"src/bud/__init__.py": '"""Budgets."""\n', "src/bud/core.py": CLEAN}
    )
    repos["GAM"].commit("GAM-1: start", {"README.md": "# Gamma\n"})
    _registry(world, repos)
    _scan(world, clock, "PAY", pay1, at("2026-08-10 10:00"), "S1")
    _scan(world, clock, "BUD", bud1, at("2026-09-15 10:00"), "B1")
    _scan(world, clock, "PAY", pay1, at("2026-10-05 10:00"), "S2")
    _scan(world, clock, "BUD", bud1, at("2026-10-15 10:00"), "B2")
    pay2 = repos["PAY"].commit("PAY-2: fix the payment query", {"src/pay/core.py": FIXED})
    _scan(world, clock, "PAY", pay2, at("2026-11-20 10:00"), "S3")
    _requirements(world)
    _tickets(world)
    _refusals(world, clock)
    _waivers(world)
    clock.now = NOW


def patch_clock(monkeypatch: pytest.MonkeyPatch, clock: Clock) -> None:
    monkeypatch.setattr("governance.audit.service.utcnow", clock)
