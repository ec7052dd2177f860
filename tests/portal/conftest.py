"""Portal fixtures: small factories for vendors, modules, users, scans with findings; a test client.

``world`` builds two vendors (Acme, Beta) with one module each, scanned twice, and one user per
role (plus a vendor user for each vendor), with API tokens; everything through the real
registry services so audit events are written as in production.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from governance.config import Settings
from governance.db import Database
from governance.registry import service as registry
from governance.registry.models import Module, User
from governance.requirements.models import RequirementStatus
from governance.requirements.service import create_requirement
from governance.scans.models import Finding, FindingState, Scan, ScanStatus, StandardResult
from governance.tickets import scanhook
from governance.tickets.facts import build_facts
from governance.timeutil import utcnow
from portal.app import create_app
from scanners.base import SEVERITIES
from standards.profile_model import TicketPolicy
from standards.results import Evaluation

PASSWORD = "correct horse battery"
STANDARDS = ("design", "requirements", "development", "testing", "operations", "data")


def _condition(passed: bool) -> dict[str, object]:
    return {
        "id": "overall.failed_rules.blocker",
        "scope": "overall",
        "metric": "failed_rules",
        "measured": 0.0 if passed else 1.0,
        "threshold": 0.0,
        "comparison": "<=",
        "passed": passed,
        "standard": None,
        "severity": "blocker",
    }


def make_scan(
    session: Session,
    module: Module,
    *,
    score: float,
    findings: int,
    gate: bool = True,
    commit: str = "a" * 40,
    age_days: int = 0,
    paths: tuple[str, ...] = ("src/app.py", "lib/util.py"),
) -> Scan:
    """A complete scan with six standard results and ``findings`` findings cycling through values."""
    when = utcnow() - timedelta(days=age_days)
    scan = Scan(
        module_id=module.id,
        commit_sha=commit,
        branch="main",
        trigger="manual",
        status=ScanStatus.complete,
        score=score,
        level="B",
        gate_passed=gate,
        new_gate_passed=gate,
        gate={"passed": gate, "new_code_passed": gate, "conditions": [_condition(gate)]},
        started_at=when,
        finished_at=when,
    )
    session.add(scan)
    session.flush()
    for i, standard in enumerate(STANDARDS):
        session.add(
            StandardResult(
                scan_id=scan.id,
                standard=standard,
                score=score - i,
                level="B",
                failed_rules=0 if gate or i != 2 else 1,
                rules=[
                    {
                        "id": f"{standard[:3].upper()}-001",
                        "title": "a rule",
                        "passed": False,
                        "detail": "too many",
                    },
                    {"id": "X-002", "passed": True},
                ],
            )
        )
    states = (FindingState.new, FindingState.persisting, FindingState.fixed)
    for i in range(findings):
        session.add(
            Finding(
                scan_id=scan.id,
                module_id=module.id,
                rule=f"pylint.C{i % 7:04d}",
                standard_rule=f"DEV-{i % 7:03d}",
                standard=STANDARDS[i % 6],
                tool="pylint",
                tool_rule=f"C{i % 7:04d}",
                severity=SEVERITIES[i % 5],
                path=paths[i % len(paths)],
                line=i + 1,
                end_line=i + 1,
                message=f"finding {i} of {module.key}",
                fingerprint=f"{module.key}-{i:06d}",
                state=states[i % 3],
            )
        )
    session.flush()
    return scan


@dataclass
class World:
    """What the ``world`` fixture built, by name."""

    modules: dict[str, Module] = field(default_factory=dict)
    scans: dict[str, list[Scan]] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


ROLES = ("admin", "pm", "auditor", "vendor_a", "vendor_b")


def build_world(session: Session) -> World:
    world = World()
    for vendor, key in (("Acme Soft", "ACME"), ("Beta Systems", "BETA")):
        registry.create_vendor(session, name=vendor, actor="test")
        module = registry.create_module(session, key=key, vendor=vendor, name=f"{key} ledger", actor="test")
        module.lines_of_code = 1000 if key == "ACME" else 2000
        world.modules[key] = module
        world.scans[key] = [
            make_scan(session, module, score=70.0, findings=30, age_days=2),
            make_scan(
                session, module, score=80.0 if key == "ACME" else 60.0, findings=60, gate=key == "ACME"
            ),
        ]
        for n in range(1, 4):
            status = RequirementStatus.approved if n % 2 else RequirementStatus.proposed
            create_requirement(
                session,
                module=module,
                key=f"{key}-{n:04d}",
                title=f"{key} requirement {n}",
                actor="test",
                status=status,
            )
    users = {
        "admin": ("admin", None),
        "pm": ("pm", None),
        "auditor": ("auditor", None),
        "vendor_a": ("vendor", "Acme Soft"),
        "vendor_b": ("vendor", "Beta Systems"),
    }
    for name, (role, vendor) in users.items():
        world.users[name] = registry.create_user(
            session, name=name, role=role, vendor=vendor, password=PASSWORD, actor="test"
        )
        world.tokens[name] = registry.create_token(session, user=name, actor="test")
    return world


def open_tickets(database: Database, world: World) -> dict[str, int]:
    """Each module's latest scan seen by the scan hook: new critical findings open one ticket each."""
    out = {}
    with database.session() as session:
        for key, module in world.modules.items():
            scan = world.scans[key][-1]
            rows = session.exec(select(Finding).where(Finding.scan_id == scan.id)).all()
            facts = build_facts(
                scan_id=scan.id,
                module_id=module.id,
                vendor_id=module.vendor_id,
                commit="a" * 40,
                default_branch=True,
                rows=[{**r.model_dump(), "state": r.state.value} for r in rows],
                evaluation=Evaluation("default", "d", date.today(), (), (), None, None, True, ()),
                policy=TicketPolicy(),
                now=utcnow(),
            )
            out[key] = scanhook.apply_scan(
                session, facts, scanhook.plan_opening(session, facts), {}, actor="t"
            )[0]
    return out


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with tiny costs: the same code path, a fraction of the time (tests only)."""
    monkeypatch.setattr(registry, "_hasher", PasswordHasher(time_cost=1, memory_cost=256, parallelism=1))


@pytest.fixture
def world(database: Database) -> World:
    with database.session() as session:
        return build_world(session)


@pytest.fixture
def app_client(settings: Settings, database: Database) -> Iterator[TestClient]:
    app = create_app(settings, database=database)
    with TestClient(app, base_url="http://testserver") as client:
        yield client


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> None:
    """Log ``client`` in through the real form (CSRF token taken from the page)."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": csrf_of(page.text), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def bearer(world: World, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role]}"}
