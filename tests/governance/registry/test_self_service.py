"""Tokens and account changes as services: whose tokens, the account rules, sessions ending.

Each rule has a test that fails when its check is removed (see the report of issue 13).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from governance.audit.models import AuditEvent
from governance.auth import sessions
from governance.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from governance.registry import accounts, tokens
from governance.registry import service as registry
from governance.registry.models import User
from governance.timeutil import utcnow


@pytest.fixture
def people(session: Session) -> dict[str, User]:
    registry.create_vendor(session, name="Huaxin", actor="test")
    registry.create_vendor(session, name="Lianchuang", actor="test")
    found = {}
    for name, role, vendor in (
        ("admin", "admin", None),
        ("pm", "pm", None),
        ("auditor", "auditor", None),
        ("huaxin", "vendor", "Huaxin"),
        ("lianchuang", "vendor", "Lianchuang"),
    ):
        found[name] = registry.create_user(session, name=name, role=role, vendor=vendor, actor="test")
    return found


def _actions(session: Session) -> list[str]:
    return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()]


def test_a_user_issues_lists_and_revokes_their_own_tokens(session: Session, people: dict[str, User]) -> None:
    vendor = people["huaxin"]
    plain = tokens.issue(session, viewer=vendor, label="ci")
    assert registry.user_for_token(session, plain).name == "huaxin"
    [view] = tokens.list_tokens(session, viewer=vendor)
    assert (view.label, view.state, view.prefix) == ("ci", "active", plain[:10])
    assert plain not in repr(view)  # the secret is never listed
    tokens.revoke(session, viewer=vendor, token_id=view.id)
    assert registry.user_for_token(session, plain) is None
    assert tokens.list_tokens(session, viewer=vendor)[0].state == "revoked"
    assert _actions(session)[-2:] == ["token.create", "token.revoke"]
    with pytest.raises(Conflict):
        tokens.revoke_any(session, token_id=view.id, actor="huaxin")


def test_a_vendor_cannot_revoke_or_list_another_users_tokens(
    session: Session, people: dict[str, User]
) -> None:
    other = tokens.issue(session, viewer=people["lianchuang"], label="theirs")
    their_id = tokens.list_tokens(session, viewer=people["lianchuang"])[0].id
    for intruder in ("huaxin", "auditor", "pm"):
        with pytest.raises(NotFound, match=f"unknown API token #{their_id}"):
            tokens.revoke(session, viewer=people[intruder], token_id=their_id)
        with pytest.raises(NotFound):
            tokens.list_tokens(session, viewer=people[intruder], owner="lianchuang")
        with pytest.raises(NotFound):
            tokens.issue(session, viewer=people[intruder], label="x", owner="lianchuang")
    with pytest.raises(PermissionDenied):
        tokens.list_tokens(session, viewer=people["huaxin"], everyone=True)
    assert registry.user_for_token(session, other).name == "lianchuang"


def test_an_admin_lists_and_revokes_anyones_token(session: Session, people: dict[str, User]) -> None:
    plain = tokens.issue(session, viewer=people["huaxin"], label="laptop")
    everyone = tokens.list_tokens(session, viewer=people["admin"], everyone=True)
    assert [(t.owner, t.label) for t in everyone] == [("huaxin", "laptop")]
    made = tokens.issue(session, viewer=people["admin"], label="for pm", owner="pm")
    assert registry.user_for_token(session, made).name == "pm"
    tokens.revoke(session, viewer=people["admin"], token_id=everyone[0].id)
    assert registry.user_for_token(session, plain) is None


def test_an_expired_token_opens_nothing(session: Session, people: dict[str, User]) -> None:
    with pytest.raises(InvalidInput, match="future"):
        tokens.issue(session, viewer=people["pm"], label="old", expires_at=utcnow() - timedelta(days=1))
    plain = tokens.issue(session, viewer=people["pm"], label="short", expires_at=utcnow() + timedelta(days=1))
    row = tokens.list_tokens(session, viewer=people["pm"])[0]
    assert registry.user_for_token(session, plain).name == "pm"
    later = row.expires_at + timedelta(seconds=1)
    token_row = session.get(registry.ApiToken, row.id)
    assert not registry.token_usable(token_row, now=later)
    token_row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(token_row)
    assert registry.user_for_token(session, plain) is None
    assert tokens.list_tokens(session, viewer=people["pm"])[0].state == "expired"


def test_expiry_parsing() -> None:
    assert tokens.parse_expiry("2030-01-31") == datetime(2030, 1, 31, 23, 59, 59, tzinfo=UTC)
    assert tokens.parse_expiry("") is None
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        tokens.parse_expiry("31/01/2030")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "huaxin", "role": "vendor", "vendor": None}, "needs a vendor"),
        ({"name": "pm", "role": "pm", "vendor": "Huaxin"}, "take no vendor"),
        ({"name": "pm", "role": "boss", "vendor": None}, "invalid role"),
        ({"name": "pm", "role": "pm", "vendor": None, "locale": "fr"}, "invalid language"),
        ({"name": "admin", "role": "pm", "vendor": None}, "your own role"),
        ({"name": "huaxin", "role": "vendor", "vendor": "Nobody"}, "unknown vendor"),
    ],
)
def test_account_rules_refuse_and_change_nothing(
    session: Session, people: dict[str, User], change: dict[str, str | None], message: str
) -> None:
    before = _actions(session)
    values = {"locale": None, **change}
    with pytest.raises((InvalidInput, NotFound), match=message):
        accounts.update_user(session, actor="admin", **values)  # type: ignore[arg-type]
    assert _actions(session) == before


def test_an_admin_moves_a_user_and_it_is_audited(session: Session, people: dict[str, User]) -> None:
    moved = accounts.update_user(
        session, name="huaxin", role="vendor", vendor="Lianchuang", locale="zh_CN", actor="admin"
    )
    assert moved.vendor_id == people["lianchuang"].vendor_id and moved.locale == "zh_CN"
    promoted = accounts.update_user(
        session, name="auditor", role="pm", vendor=None, locale=None, actor="admin"
    )
    assert promoted.role.value == "pm"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.update")).first()
    assert event is not None and event.target_id == "huaxin"
    assert event.data["changed"]["vendor_id"]["to"] == people["lianchuang"].vendor_id


def test_nobody_deactivates_themselves_and_the_last_admin_stays(
    session: Session, people: dict[str, User]
) -> None:
    with pytest.raises(InvalidInput, match="deactivate yourself"):
        accounts.set_active(session, name="admin", active=False, actor="admin")
    with pytest.raises(Conflict, match="last active admin"):
        accounts.set_active(session, name="admin", active=False, actor="cli:root")
    with pytest.raises(Conflict, match="last active admin"):
        accounts.update_user(session, name="admin", role="pm", vendor=None, locale=None, actor="cli:root")
    assert registry.get_user(session, "admin").active
    registry.create_user(session, name="admin2", role="admin", actor="test")
    accounts.set_active(session, name="admin", active=False, actor="admin2")
    assert not registry.get_user(session, "admin").active


def test_deactivation_and_password_reset_end_every_session(session: Session, people: dict[str, User]) -> None:
    vendor = people["huaxin"]
    cookie = sessions.open_session(session, user=vendor, lifetime=timedelta(hours=1))
    plain = tokens.issue(session, viewer=vendor, label="ci")
    assert sessions.user_for_session(session, cookie) is not None
    accounts.set_active(session, name="huaxin", active=False, actor="admin")
    assert sessions.user_for_session(session, cookie) is None
    assert registry.user_for_token(session, plain) is None  # tokens stop with the account
    accounts.set_active(session, name="huaxin", active=True, actor="admin")
    assert sessions.user_for_session(session, cookie) is None  # reactivation revives no session
    again = sessions.open_session(session, user=vendor, lifetime=timedelta(hours=1))
    password = accounts.reset_password(session, name="huaxin", actor="admin")
    assert len(password) >= accounts.MIN_PASSWORD and registry.check_password(vendor, password)
    assert sessions.user_for_session(session, again) is None
