"""Registering vendors, modules, users and tokens: keyword-only services on a session.

Every change writes its audit event in the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, func, select

from governance import audit
from governance.errors import AlreadyExists, InvalidInput, NotFound, said
from governance.modeltypes import row_id
from governance.registry import validation
from governance.registry.models import ApiToken, Module, Role, User, Vendor
from governance.timeutil import as_utc, utcnow

ISSUED_PREFIX = "gvn_"  # marks Govern tokens in logs and secret scanners
_hasher = PasswordHasher()


def get_vendor(session: Session, name: str) -> Vendor:
    """The vendor called ``name``, or a NotFound a user can read."""
    vendor = session.exec(select(Vendor).where(Vendor.name == name)).first()
    if vendor is None:
        raise said(NotFound, "unknown vendor %(name)s", name=repr(name))
    return vendor


def create_vendor(session: Session, *, name: str, contact: str | None = None, actor: str) -> Vendor:
    """Register a vendor under a unique name."""
    name = validation.vendor_name(name)
    taken = session.exec(select(Vendor).where(sa.func.lower(Vendor.name) == name.lower())).first()
    if taken:  # "ACME soft" is the same company as "Acme Soft"
        raise said(
            AlreadyExists,
            "vendor %(name)s already exists (as %(taken)s)",
            name=repr(name),
            taken=repr(taken.name),
        )
    vendor = Vendor(name=name, contact=contact)
    session.add(vendor)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="vendor.create",
        target_type="vendor",
        target_id=vendor.name,
        data={"contact": contact},
    )
    return vendor


def list_vendors(session: Session) -> list[tuple[Vendor, int]]:
    """Vendors with how many modules each delivers."""
    by_vendor = select(col(Module.vendor_id), func.count()).group_by(col(Module.vendor_id))
    counts: dict[int | None, int] = dict(session.exec(by_vendor).all())
    vendors = session.exec(select(Vendor).order_by(col(Vendor.name))).all()
    return [(vendor, counts.get(vendor.id, 0)) for vendor in vendors]


def get_module(session: Session, key: str) -> Module:
    module = session.exec(select(Module).where(Module.key == key)).first()
    if module is None:
        raise said(NotFound, "unknown module %(key)s", key=repr(key))
    return module


def create_module(
    session: Session,
    *,
    key: str,
    vendor: str,
    actor: str,
    name: str = "",
    remote: str | None = None,
    branch: str = "main",
    schedule: str | None = None,
    profile: str = "default",
    requirement_prefix: str | None = None,
) -> Module:
    """Register a module; without a remote it is fed by vendor pushes."""
    key = validation.module_key(key)
    owner = get_vendor(session, vendor)
    if session.exec(select(Module).where(Module.key == key)).first():
        raise said(AlreadyExists, "module %(key)s already exists", key=repr(key))
    module = Module(
        key=key,
        name=name or key,
        vendor_id=row_id(owner),
        remote=validation.remote(remote),
        default_branch=validation.branch(branch),
        schedule=validation.cron(schedule),
        profile=profile,
        requirement_prefix=requirement_prefix or key,
    )
    session.add(module)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="module.create",
        target_type="module",
        target_id=key,
        data={
            "vendor": owner.name,
            "remote": module.remote,
            "branch": module.default_branch,
            "schedule": module.schedule,
            "profile": profile,
        },
    )
    return module


def set_schedule(session: Session, *, key: str, schedule: str | None, actor: str) -> Module:
    module = get_module(session, key)
    before = module.schedule
    module.schedule = validation.cron(schedule)
    session.add(module)
    audit.record(
        session,
        actor=actor,
        action="module.schedule",
        target_type="module",
        target_id=key,
        data={"from": before, "to": module.schedule},
    )
    return module


def list_modules(session: Session, *, vendor_id: int | None = None) -> list[tuple[Module, Vendor]]:
    query = select(Module, Vendor).join(Vendor).order_by(col(Module.key))
    if vendor_id is not None:
        query = query.where(Module.vendor_id == vendor_id)
    return [(row[0], row[1]) for row in session.exec(query)]


def get_user(session: Session, name: str) -> User:
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None:
        raise said(NotFound, "unknown user %(name)s", name=repr(name))
    return user


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise said(
            InvalidInput, "invalid role %(role)s: choose admin, pm, vendor or auditor", role=repr(role)
        ) from None


def create_user(
    session: Session,
    *,
    name: str,
    role: str,
    actor: str,
    vendor: str | None = None,
    password: str | None = None,
) -> User:
    """A user; vendor users must name their vendor, others must not."""
    name, chosen = validation.username(name), parse_role(role)
    if (chosen is Role.vendor) != (vendor is not None):
        raise said(InvalidInput, "a vendor user needs --vendor; other roles take no vendor")
    vendor_id = get_vendor(session, vendor).id if vendor else None
    taken = session.exec(select(User).where(sa.func.lower(User.name) == name.lower())).first()
    if taken:  # names differing only in case would share a login limit and confuse people
        raise said(
            AlreadyExists,
            "user %(name)s already exists (as %(taken)s)",
            name=repr(name),
            taken=repr(taken.name),
        )
    if password is not None and len(password) < 8:
        raise said(InvalidInput, "password too short: use at least 8 characters")
    user = User(
        name=name,
        role=chosen,
        vendor_id=vendor_id,
        password_hash=_hasher.hash(password) if password else None,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.create",
        target_type="user",
        target_id=name,
        data={"role": chosen.value, "vendor": vendor},
    )
    return user


def hash_password(password: str) -> str:
    """Argon2 hash of a password (the one hasher every face uses)."""
    return _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    """Argon2 verification; a user without a password can only use tokens."""
    if not user.password_hash or not user.active:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(col(User.name))).all())


def hash_token(token: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is enough (and fast to look up)."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session,
    *,
    user: str,
    actor: str,
    label: str | None = None,
    expires_at: datetime | None = None,
) -> str:
    """A new API token for ``user``; returns the plaintext, which is never stored.

    ``expires_at`` (optional, in the future) ends the token by itself; without it the token
    lasts until it is revoked or its owner is deactivated.
    """
    owner = get_user(session, user)
    if expires_at is not None and as_utc(expires_at) <= utcnow():
        raise said(InvalidInput, "the expiry date must be in the future")
    token = ISSUED_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=row_id(owner),
        token_hash=hash_token(token),
        prefix=token[:10],
        label=validation.token_label(label),
        expires_at=expires_at,
    )
    audit.record_new(
        session,
        row,
        actor=actor,
        action="token.create",
        target_type="user",
        target_id=owner.name,
        prefix=row.prefix,
        label=row.label,
        expires_at=as_utc(expires_at).isoformat() if expires_at else None,
    )
    return token


def token_usable(row: ApiToken, *, now: datetime | None = None) -> bool:
    """Not revoked and not past its expiry."""
    if row.revoked_at is not None:
        return False
    return row.expires_at is None or as_utc(row.expires_at) > (now or utcnow())


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a presented token belongs to, or None."""
    row = session.exec(
        select(ApiToken).where(ApiToken.token_hash == hash_token(token), col(ApiToken.revoked_at).is_(None))
    ).first()
    if row is None or not token_usable(row):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    row.last_used_at = utcnow()
    session.add(row)
    return user
