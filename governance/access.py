"""Who may see and do what: the one place every face (pages, API, downloads, git) asks.

Roles: ``admin`` does everything; ``pm`` manages vendors, modules, requirements, waivers and
tickets; ``auditor`` reads everything and changes nothing; ``vendor`` reads only its own
vendor's modules.  Reads are enforced by *scoping queries* (:func:`scope_modules`,
:func:`visible_modules`), not by hiding buttons, so a vendor cannot learn that another
vendor's module exists: looking one up by key or id is the same ``NotFound`` as a typo.
"""

from __future__ import annotations

from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from governance.errors import NotFound, PermissionDenied, said
from governance.registry.models import Module, Role, User, Vendor

Q = TypeVar("Q")

READ_ALL = frozenset({Role.admin, Role.pm, Role.auditor})
WRITERS = frozenset({Role.admin, Role.pm})


def is_vendor(user: User) -> bool:
    """Vendor users are the only ones confined to one vendor's modules."""
    return user.role == Role.vendor


def can_read_module(user: User, module: Module) -> bool:
    """Everyone but a vendor reads every module; a vendor only its own vendor's."""
    if not user.active:
        return False
    if user.role in READ_ALL:
        return True
    return is_vendor(user) and user.vendor_id is not None and user.vendor_id == module.vendor_id


def can_push_module(user: User, module: Module) -> bool:
    """Pushes come from the module's own vendor only.

    A push is a vendor's delivery: every accepted commit must be attributable to the
    vendor that delivered it, so an admin who must push does so with a vendor account.
    """
    if not user.active:
        return False
    return is_vendor(user) and user.vendor_id is not None and user.vendor_id == module.vendor_id


def can_write(user: User) -> bool:
    """Any change of state at all: auditors (and inactive users) never write."""
    return user.active and user.role in WRITERS


def can_manage(user: User) -> bool:
    """Registering vendors, modules, requirements; granting waivers; managing tickets."""
    return user.active and user.role in WRITERS


def can_admin(user: User) -> bool:
    """Users, roles, tokens and settings."""
    return user.active and user.role == Role.admin


def can_manage_tokens_of(user: User, owner_id: int) -> bool:
    """Everyone manages their own API tokens (auditors too: a credential is not governed data);
    an admin manages anyone's."""
    return user.active and (user.id == owner_id or user.role == Role.admin)


def can_queue_scan(user: User, module: Module) -> bool:
    """ "Scan now" is a PM's (or admin's) call on a module they can read; vendors and auditors wait."""
    return can_manage(user) and can_read_module(user, module)


def can_read_audit(user: User) -> bool:
    """The audit trail is for admins and auditors."""
    return user.active and user.role in {Role.admin, Role.auditor}


def can_see_all_vendors(user: User) -> bool:
    """Vendors never see other vendors' names or counts."""
    return user.active and user.role in READ_ALL


def can_submit_evidence(user: User, module: Module) -> bool:
    """Test reports and attestation evidence come from the module's vendor (its CI) or a PM/admin."""
    return can_push_module(user, module) or can_manage(user)


def can_approve(user: User, role: str) -> bool:
    """An attested rule names the role that approves its evidence; admins may always approve."""
    return user.active and (user.role == Role.admin or user.role.value == role)


def require(allowed: bool, what: str) -> None:
    """Raise the 403 that every face turns into its own presentation."""
    if not allowed:
        raise said(PermissionDenied, "not allowed: %(what)s", what=what)


def scope_modules(query: SelectOfScalar[Any], user: User) -> SelectOfScalar[Any]:
    """Restrict any query that already involves ``Module`` to the modules ``user`` may read."""
    if not user.active:
        return query.where(col(Module.id).is_(None))
    if user.role in READ_ALL:
        return query
    return query.where(Module.vendor_id == (user.vendor_id if user.vendor_id is not None else -1))


def scope_vendors(query: SelectOfScalar[Any], user: User) -> SelectOfScalar[Any]:
    """Restrict a query over ``Vendor`` to those ``user`` may know about."""
    if not user.active:
        return query.where(col(Vendor.id).is_(None))
    if user.role in READ_ALL:
        return query
    return query.where(Vendor.id == (user.vendor_id if user.vendor_id is not None else -1))


def scope_key(user: User) -> str:
    """Users with the same key see exactly the same modules (for caching scoped figures)."""
    if not user.active:
        return "none"
    return "all" if user.role in READ_ALL else f"vendor:{user.vendor_id}"


def visible_modules(session: Session, user: User) -> list[Module]:
    """The modules ``user`` may read, by key."""
    return list(session.exec(scope_modules(select(Module).order_by(col(Module.key)), user)).all())


def visible_module_ids(session: Session, user: User) -> list[int]:
    """Ids of the readable modules (for ``IN`` filters over findings, scans, tickets)."""
    query = scope_modules(select(Module.id), user)
    return [module_id for module_id in session.exec(query).all() if module_id is not None]


# Built once: this lookup runs before every module page and module API call, and building a
# statement costs SQLAlchemy more than SQLite needs to run it (236 → 137 µs a lookup).
_MODULE_BY_KEY = select(Module).where(Module.key == sa.bindparam("key"))
_VENDOR_MODULE_BY_KEY = _MODULE_BY_KEY.where(Module.vendor_id == sa.bindparam("vendor"))


def readable_module(session: Session, user: User, key: str) -> Module:
    """The module called ``key`` if ``user`` may read it; otherwise the same 404 as a typo.

    The same scope as :func:`scope_modules`, with the vendor as a parameter of a prepared
    statement instead of a clause added on each call.
    """
    module: Module | None = None
    if user.active and user.role in READ_ALL:
        module = session.exec(_MODULE_BY_KEY, params={"key": key}).first()
    elif user.active:
        vendor = user.vendor_id if user.vendor_id is not None else -1
        module = session.exec(_VENDOR_MODULE_BY_KEY, params={"key": key, "vendor": vendor}).first()
    if module is None:
        raise said(NotFound, "unknown module '%(key)s'", key=key)
    return module


def readable_module_by_id(session: Session, user: User, module_id: int) -> Module:
    """Like :func:`readable_module`, by id (scans and findings point at modules by id)."""
    module = session.get(Module, module_id)
    if module is None or not can_read_module(user, module):
        raise said(NotFound, "unknown module #%(module_id)s", module_id=module_id)
    return module
