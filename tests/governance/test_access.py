"""The one access rule: vendors see and push only their own modules; others read; nobody else pushes."""

from __future__ import annotations

import pytest

from governance.access import can_push_module, can_read_module, visible_modules
from governance.registry import service as registry
from governance.registry.models import User
from tests.governance.mirrors.conftest import register_module


@pytest.fixture
def setup(session):
    own = register_module(session, key="BUD", vendor="Huaxin", remote=None)
    other = register_module(session, key="ACC", vendor="Lianchuang", remote=None)
    users = {
        name: registry.create_user(session, name=name, role=role, vendor=vendor, actor="t")
        for name, role, vendor in [
            ("huaxin", "vendor", "Huaxin"),
            ("auditor", "auditor", None),
            ("pm", "pm", None),
            ("admin", "admin", None),
        ]
    }
    return own, other, users


def test_vendor_reads_and_pushes_only_its_own_modules(session, setup) -> None:
    own, other, users = setup
    vendor = users["huaxin"]
    assert can_read_module(vendor, own) and can_push_module(vendor, own)
    assert not can_read_module(vendor, other) and not can_push_module(vendor, other)
    assert [m.key for m in visible_modules(session, vendor)] == ["BUD"]


@pytest.mark.parametrize("name", ["auditor", "pm", "admin"])
def test_readers_see_everything_and_push_nothing(session, setup, name: str) -> None:
    own, other, users = setup
    user = users[name]
    assert can_read_module(user, own) and can_read_module(user, other)
    assert not can_push_module(user, own) and not can_push_module(user, other)
    assert [m.key for m in visible_modules(session, user)] == ["ACC", "BUD"]


def test_inactive_users_can_do_nothing(session, setup) -> None:
    own, _, users = setup
    vendor: User = users["huaxin"]
    vendor.active = False
    assert not can_read_module(vendor, own) and not can_push_module(vendor, own)
    assert visible_modules(session, vendor) == []
