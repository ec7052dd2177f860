"""Who may see and do what with a module: the one rule every face (git, API, pages, reports) uses.

* **vendor** users read and push their own vendor's modules only; to them another
  vendor's module does not exist (callers answer 404, never 403, so existence does not leak);
* **pm**, **auditor** and **admin** read every module;
* **nobody else pushes**: a push is a vendor's delivery, and every accepted commit must be
  attributable to the vendor that delivered it. An admin who must push does so with a
  vendor account, so the audit trail names the vendor.

Inactive users can do nothing.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from governance.registry.models import Module, Role, User

READ_ALL = frozenset({Role.admin, Role.pm, Role.auditor})


def can_read_module(user: User, module: Module) -> bool:
    """May ``user`` see ``module`` (its code, findings, reports)?"""
    if not user.active:
        return False
    if Role(user.role) is Role.vendor:
        return user.vendor_id is not None and user.vendor_id == module.vendor_id
    return Role(user.role) in READ_ALL


def can_push_module(user: User, module: Module) -> bool:
    """May ``user`` deliver code to ``module`` by pushing? Only its own vendor's users."""
    return Role(user.role) is Role.vendor and can_read_module(user, module)


def visible_modules(session: Session, user: User) -> list[Module]:
    """The modules ``user`` may see, by key: the query scope lists and searches start from."""
    if not user.active:
        return []
    query = select(Module).order_by(col(Module.key))
    if Role(user.role) is Role.vendor:
        query = query.where(Module.vendor_id == user.vendor_id)
    elif Role(user.role) not in READ_ALL:
        return []
    return list(session.exec(query).all())
