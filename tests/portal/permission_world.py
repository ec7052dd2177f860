"""The world the permission matrix asks about: two vendors' modules and one of everything a route serves.

Acme (vendor A) owns module ACME and everything the matrix asks for: a scan with findings, a
ticket, a requested and an approved waiver, an attestation, a campaign, a webhook, a spare API
token, an SSO group mapping, last month's report. Beta (vendor B) owns BETA. Each actor of
:data:`ACTORS` is signed in once, through the real login form, before any check runs.

Every check runs inside :meth:`Rewindable.rewound`: the request commits as in production, then
the database is rolled back to the world, so one check's write (a closed campaign, a revoked
token, a deactivated user) never changes what the next check finds.
"""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, col, select

from governance.config import Settings
from governance.db import Database, committing
from governance.evidence.models import ScanEvidence
from governance.mirrors.repo import ensure_central_repo
from governance.modeltypes import row_id
from governance.monthly import service as monthly
from governance.monthly.values import MonthlySummary, RenderedFile
from governance.registry import service as registry
from governance.registry.tokens import list_tokens
from governance.scans.models import Finding
from governance.scorecards.periods import parse_month
from governance.sso.mapping import add_mapping
from governance.timeutil import utcnow
from portal.security import COOKIE_NAME
from tests.gitrepo import VendorRepo
from tests.portal.conftest import World, build_world, csrf_of, login, open_tickets

ANONYMOUS = "anonymous"
ACTORS = (ANONYMOUS, "admin", "pm", "auditor", "vendor_a", "vendor_b")
UNREACHABLE_HOOK = "http://127.0.0.1:9/hook"  # the discard port: a ping is refused at once


class Rewindable(Database):
    """A database on one connection inside an outer transaction; sessions work in savepoints."""

    def __init__(self, connection: sa.Connection) -> None:
        super().__init__(connection.engine)
        self.connection = connection

    @contextmanager
    def session(self) -> Iterator[Session]:
        with (
            Session(
                bind=self.connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
            ) as session,
            committing(session),
        ):
            yield session

    @contextmanager
    def rewound(self) -> Iterator[None]:
        """Whatever is committed inside is undone on the way out."""
        savepoint = self.connection.begin_nested()
        try:
            yield
        finally:
            if savepoint.is_active:
                savepoint.rollback()

    def dispose(self) -> None:
        """The connection belongs to :func:`rewindable`, which closes it."""


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    """One shared connection usable from the portal's worker threads, with working savepoints.

    pysqlite opens transactions itself and knows nothing of SAVEPOINT; the documented remedy
    is to let SQLAlchemy emit BEGIN.
    """
    engine = sa.create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


@contextmanager
def rewindable(database: Database) -> Iterator[Rewindable]:
    """``database`` (migrated, empty) seen through one connection whose outer transaction is undone."""
    sqlite = database.engine.dialect.name == "sqlite"
    engine = _sqlite_engine(database.engine.url) if sqlite else database.engine
    connection = engine.connect()
    outer = connection.begin()
    try:
        yield Rewindable(connection)
    finally:
        outer.rollback()
        connection.close()
        if sqlite:
            engine.dispose()


@dataclass
class Signed:
    """A browser session of one actor: its cookie and the CSRF token its forms carry."""

    cookie: str
    csrf: str


@dataclass
class PermissionWorld:
    """The base world, the ids the routes ask about, and every actor's credentials."""

    base: World
    ids: dict[str, str] = field(default_factory=dict)
    browsers: dict[str, Signed] = field(default_factory=dict)

    def bearer(self, actor: str) -> dict[str, str]:
        if actor == ANONYMOUS:
            return {}
        return {"Authorization": f"Bearer {self.base.tokens[actor]}"}

    def basic(self, actor: str) -> dict[str, str]:
        """Git's credentials: any user name, the API token as password."""
        if actor == ANONYMOUS:
            return {}
        pair = base64.b64encode(f"git:{self.base.tokens[actor]}".encode()).decode()
        return {"Authorization": f"Basic {pair}"}

    def sign_in(self, client: TestClient, actor: str) -> str:
        """Put ``actor``'s browser session into ``client``; its CSRF token."""
        browser = self.browsers[actor]
        client.cookies.clear()
        client.cookies.set(COOKIE_NAME, browser.cookie)
        return browser.csrf


def _made(response: Any, what: str) -> dict[str, Any]:
    assert response.status_code in (200, 201), (what, response.status_code, response.text)
    body: dict[str, Any] = response.json()
    return body


def _acme_findings(database: Database, world: World) -> list[Finding]:
    """ACME's latest findings below critical: no ticket holds them, so a waiver on one is free."""
    with database.session() as session:
        scan = world.scans["ACME"][-1].id
        rows = session.exec(select(Finding).where(Finding.scan_id == scan).order_by(col(Finding.id))).all()
        return [row for row in rows if row.severity in ("minor", "info")]


def _central_commit(settings: Settings) -> str:
    """A commit in ACME's central repository (SARIF is accepted only for a known commit)."""
    central = ensure_central_repo(settings, "ACME", default_branch="main")
    work = VendorRepo(settings.data_dir.parent / "acme-work")
    sha = work.commit("first delivery", {"src/app.py": "print('ledger')\n"})
    subprocess.run(["git", "-C", str(central), "fetch", "-q", str(work.path), "main:main"], check=True)
    return sha


def _html_only(summary: MonthlySummary, generated_at: datetime) -> list[RenderedFile]:
    return [RenderedFile("html", "en", f"{summary.month}.html", "text/html", b"<h1>month</h1>")]


def _stored(database: Database, world: World) -> dict[str, str]:
    """Made through services: last month's report, an SSO mapping, an SBOM, a spare token of vendor A."""
    month = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    with database.session() as session:
        monthly.generate(session, period=parse_month(month), renderer=_html_only, actor="test", now=utcnow())
        mapping = add_mapping(session, source="ldap", group="cn=auditors", role="auditor", actor="test")
        session.add(ScanEvidence(scan_id=row_id(world.scans["ACME"][-1]), sbom='{"bomFormat": "CycloneDX"}'))
        registry.create_token(session, user="vendor_a", actor="test", label="spare")
        viewer = registry.get_user(session, "vendor_a")
        spare = next(t for t in list_tokens(session, viewer=viewer) if t.label == "spare")
        return {"month": month, "mapping": str(mapping.id), "token": str(spare.id)}


def _through_api(client: TestClient, world: PermissionWorld, findings: list[Finding]) -> dict[str, str]:
    """What is made the way users make it: waivers, an attestation, a campaign, a webhook."""
    post = client.post
    requested = post(
        "/api/v1/modules/ACME/waivers",
        json={"fingerprint": findings[0].fingerprint, "reason": "the scanner misreads this"},
        headers=world.bearer("vendor_a"),
    )
    approved = post(
        "/api/v1/modules/ACME/waivers",
        json={"fingerprint": findings[1].fingerprint, "reason": "accepted for this release"},
        headers=world.bearer("pm"),
    )
    attestation = post(
        "/api/v1/modules/ACME/attestations",
        data={"rule": "DAT-011", "statement": "Classification inventory, signed by the data owner."},
        files={"file": ("inventory.xlsx", b"PK\x03\x04 sheet", "application/octet-stream")},
        headers=world.bearer("vendor_a"),
    )
    campaign = post(
        "/api/v1/campaigns",
        json={
            "title": "ACME to B",
            "goal": "level",
            "level": "B",
            "deadline": (date.today() + timedelta(days=30)).isoformat(),
            "modules": ["ACME"],
        },
        headers=world.bearer("pm"),
    )
    webhook = post(
        "/api/v1/webhooks", json={"url": UNREACHABLE_HOOK, "module": "ACME"}, headers=world.bearer("admin")
    )
    assert _made(approved, "approved waiver")["state"] == "approved"
    return {
        "waiver": str(_made(requested, "waiver")["id"]),
        "approved_waiver": str(_made(approved, "approved waiver")["id"]),
        "attestation": str(_made(attestation, "attestation")["id"]),
        "campaign": str(_made(campaign, "campaign")["id"]),
        "webhook": str(_made(webhook, "webhook")["id"]),
    }


def _signed(client: TestClient, actor: str) -> Signed:
    """An anonymous session holds a CSRF token too (the login form's): its forms are checked for
    who sends them, not refused for a missing token."""
    client.cookies.clear()
    if actor == ANONYMOUS:
        csrf = csrf_of(client.get("/login").text)
    else:
        login(client, actor)
        csrf = csrf_of(client.get("/account").text)
    cookie = client.cookies.get(COOKIE_NAME)
    assert cookie, actor
    return Signed(cookie=cookie, csrf=csrf)


def build_permission_world(database: Database, client: TestClient) -> PermissionWorld:
    """Build everything, sign every actor in; ``client`` is left without a session."""
    with database.session() as session:
        world = PermissionWorld(build_world(session))
    tickets = open_tickets(database, world.base)
    findings = _acme_findings(database, world.base)
    world.ids = {
        "scan": str(world.base.scans["ACME"][-1].id),
        "finding": str(findings[3].id),
        "ticket": str(tickets["ACME"]),
        "commit": _central_commit(client.app.state.settings),  # type: ignore[attr-defined]
        "spare_finding": findings[2].fingerprint,
        **_stored(database, world.base),
        **_through_api(client, world, findings),
    }
    world.browsers = {actor: _signed(client, actor) for actor in ACTORS}
    client.cookies.clear()
    return world
