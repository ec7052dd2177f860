"""Builds the demo world in a data directory, once; ``reset`` rebuilds it from nothing."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from git import Repo
from sqlmodel import Session, select

from governance.config import Settings
from governance.db import Database, open_database
from governance.demo.catalogue import MODULES, USERS, VENDORS, DemoModule
from governance.demo.history import push_history, scan_history
from governance.demo.repos import build_repository
from governance.demo.tickets import ticket_story
from governance.errors import InvalidInput, said
from governance.executors.factory import make_executor
from governance.mirrors.service import sync_module
from governance.registry import service as registry
from governance.registry.models import Vendor
from governance.requirements.models import RequirementStatus
from governance.requirements.service import create_requirement
from governance.timeutil import utcnow

ACTOR = "demo"


@dataclass
class DemoSummary:
    """What the demo made (or found), for the CLI to print."""

    created: bool
    vendors: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    requirements: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # user, role, password
    repositories: Path | None = None
    scans: list[tuple[str, float | None, str | None, bool | None]] = field(default_factory=list)
    story: list[str] = field(default_factory=list)  # tickets and campaign, one line each
    pushing: list[PushAccess] = field(default_factory=list)


@dataclass(frozen=True)
class PushAccess:
    """How one vendor pushes its push-fed demo module: the user and a token made for the demo."""

    vendor: str
    module: str
    branch: str
    user: str
    token: str


def demo_password(user: str) -> str:
    """Well-known demo passwords: the demo world is for trying Govern, never for real data."""
    return f"{user}-demo-pass"


def _exists(session: Session) -> bool:
    return session.exec(select(Vendor).where(Vendor.name == VENDORS[0][0])).first() is not None


def reset_data_dir(settings: Settings) -> None:
    """Remove the embedded database and demo repositories; refuse for a server database."""
    if not settings.is_sqlite:
        raise said(
            InvalidInput,
            "--reset only works with the embedded SQLite database; drop the server database yourself",
        )
    if settings.data_dir.exists():
        shutil.rmtree(settings.data_dir)


def build_world(settings: Settings, *, reset: bool = False) -> DemoSummary:
    """Create vendors, modules (with real git repositories), requirements and users."""
    if reset:
        reset_data_dir(settings)
    database = open_database(settings)
    try:
        with database.session() as session:
            if _exists(session):
                return DemoSummary(created=False, repositories=settings.data_dir / "demo-vendors")
        summary = _populate(database, settings.data_dir / "demo-vendors")
        _mirror(database, settings, summary.modules)
        summary.scans = _scan(database, settings, summary.modules)
        with database.session() as session:
            summary.story = ticket_story(session, answering=("BUD", "huaxin"), accepting="AST")
        return summary
    finally:
        database.dispose()


def _populate(database: Database, vendors_dir: Path) -> DemoSummary:
    summary = DemoSummary(created=True, repositories=vendors_dir)
    with database.session() as session:
        for name, contact in VENDORS:
            registry.create_vendor(session, name=name, contact=contact, actor=ACTOR)
            summary.vendors.append(name)
        for demo in MODULES:
            summary.requirements += _add_module(session, demo, vendors_dir / demo.key.lower())
            summary.modules.append(demo.key)
        for user, role, vendor in USERS:
            password = demo_password(user)
            registry.create_user(session, name=user, role=role, vendor=vendor, password=password, actor=ACTOR)
            summary.logins.append((user, role, password))
        summary.pushing = _push_tokens(session)
    return summary


def _push_tokens(session: Session) -> list[PushAccess]:
    """One API token per vendor user who pushes a demo module (printed once by `govern demo`)."""
    found = []
    for demo in MODULES:
        if not demo.pushed:
            continue
        user = next(name for name, _role, vendor in USERS if vendor == demo.vendor)
        token = registry.create_token(session, user=user, label=f"demo: git push to {demo.key}", actor=ACTOR)
        found.append(PushAccess(demo.vendor, demo.key, "main", user, token))
    return found


def _mirror(database: Database, settings: Settings, keys: list[str]) -> None:
    """Mirror each pull-fed demo module, so lines of code and commits are there from the start."""
    pushed = {demo.key for demo in MODULES if demo.pushed}
    for key in keys:
        if key in pushed:
            continue
        with database.session() as session:
            sync_module(session, settings=settings, key=key, actor=ACTOR).raise_for_error()


def _scan(
    database: Database, settings: Settings, keys: list[str]
) -> list[tuple[str, float | None, str | None, bool | None]]:
    """Scan every demo module at a few points of its history (see :mod:`governance.demo.history`)."""
    executor = make_executor(settings)
    by_key = {demo.key: demo for demo in MODULES}
    outcomes = []
    try:
        for key in keys:
            demo = by_key[key]
            repo = Repo(settings.data_dir / "demo-vendors" / key.lower())
            if demo.pushed:
                pusher = next(user for user, _role, vendor in USERS if vendor == demo.vendor)
                scans = list(push_history(database, settings, executor, key=key, repo=repo, pusher=pusher))
            else:
                scans = list(scan_history(database, settings, executor, key=key, repo=repo))
            done = scans[-1]
            outcomes.append((key, done.score, done.level, done.gate_passed))
    finally:
        executor.close()
    return outcomes


def _add_module(session: Session, demo: DemoModule, repo_dir: Path) -> int:
    if repo_dir.exists():
        shutil.rmtree(repo_dir)
    # the history ends yesterday, so trends read as "the last few weeks"
    build_repository(repo_dir, demo, start=utcnow() - timedelta(days=3 * len(demo.steps) + 1))
    module = registry.create_module(
        session,
        key=demo.key,
        name=demo.name,
        vendor=demo.vendor,
        remote=None if demo.pushed else str(repo_dir),
        schedule=demo.schedule,
        actor=ACTOR,
    )
    for number, (title, status) in enumerate(demo.requirements, start=1):
        create_requirement(
            session,
            module=module,
            key=f"{demo.key}-{number:04d}",
            title=title,
            status=RequirementStatus(status),
            actor=ACTOR,
            acceptance_criteria=f"A PM confirms: {title.lower()}.",
        )
    return len(demo.requirements)
