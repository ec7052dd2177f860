"""governance.access: the rules themselves, independent of any face."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from governance import access
from governance.db import Database
from governance.errors import NotFound, PermissionDenied
from governance.registry.models import Module, Role, User, Vendor
from tests.portal.conftest import World

ACME = Module(id=1, key="ACME", vendor_id=1, requirement_prefix="ACME")


def _user(role: Role, vendor_id: int | None = None, active: bool = True) -> User:
    return User(id=9, name="u", role=role, vendor_id=vendor_id, active=active)


@pytest.mark.parametrize(
    ("user", "read", "push", "write", "admin", "audit"),
    [
        (_user(Role.admin), True, False, True, True, True),  # admins do not push: deliveries are vendors
        (_user(Role.pm), True, False, True, False, False),
        (_user(Role.auditor), True, False, False, False, True),
        (_user(Role.vendor, 1), True, True, False, False, False),
        (_user(Role.vendor, 2), False, False, False, False, False),
        (_user(Role.vendor, None), False, False, False, False, False),
        (_user(Role.admin, active=False), False, False, False, False, False),
    ],
)
def test_rules(user: User, read: bool, push: bool, write: bool, admin: bool, audit: bool) -> None:
    assert access.can_read_module(user, ACME) is read
    assert access.can_push_module(user, ACME) is push
    assert access.can_write(user) is write and access.can_manage(user) is write
    assert access.can_admin(user) is admin
    assert access.can_read_audit(user) is audit


def test_require_raises_403() -> None:
    with pytest.raises(PermissionDenied):
        access.require(False, "do it")
    access.require(True, "do it")


def test_scopes_on_the_database(database: Database, world: World) -> None:
    with database.session() as session:
        vendor_a = session.get(User, world.users["vendor_a"].id)
        auditor = session.get(User, world.users["auditor"].id)
        assert vendor_a is not None and auditor is not None
        assert [m.key for m in access.visible_modules(session, vendor_a)] == ["ACME"]
        assert [m.key for m in access.visible_modules(session, auditor)] == ["ACME", "BETA"]
        assert [v.name for v in session.exec(access.scope_vendors(select(Vendor), vendor_a))] == ["Acme Soft"]
        assert access.readable_module(session, vendor_a, "ACME").key == "ACME"
        _assert_hidden(session, vendor_a, world)
        assert access.scope_key(vendor_a) != access.scope_key(auditor) == "all"


def _assert_hidden(session: Session, user: User, world: World) -> None:
    with pytest.raises(NotFound) as by_key:
        access.readable_module(session, user, "BETA")
    with pytest.raises(NotFound) as typo:
        access.readable_module(session, user, "NOPE")
    assert str(by_key.value).replace("BETA", "X") == str(typo.value).replace("NOPE", "X")
    with pytest.raises(NotFound):
        access.readable_module_by_id(session, user, world.modules["BETA"].id or 0)
