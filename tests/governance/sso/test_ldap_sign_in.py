"""LDAP sign-in against a real slapd: mapping, refusals, removal from the directory, re-checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from governance.audit.models import AuditEvent
from governance.auth import sessions
from governance.config import Settings
from governance.db import Database
from governance.errors import Unauthenticated
from governance.registry.models import User, Vendor
from governance.sso.accounts import DirectoryRefused
from governance.sso.ldap import LdapDirectory, Outcome
from governance.sso.models import DirectoryIdentity
from governance.sso.service import ldap_sign_in, recheck_ldap_users
from tests.ldap_directory import PEOPLE, Directory, user_dn

pytestmark = pytest.mark.ldap


@pytest.fixture
def directory(settings: Settings, ldap_directory: Directory) -> LdapDirectory:
    return LdapDirectory(settings.model_copy(update=ldap_directory.settings()))


def _sign_in(database: Database, directory: LdapDirectory, name: str, password: str) -> User:
    with database.session() as session:
        user = ldap_sign_in(
            session, directory=directory, username=name, password=password, address="10.0.0.9"
        )
        session.expunge(user)
        return user


def _refused(database: Database, directory: LdapDirectory, name: str, password: str) -> Exception:
    """The refusal; its audit events are committed as the login route does."""
    with database.session() as session:
        try:
            ldap_sign_in(session, directory=directory, username=name, password=password, address="10.0.0.9")
        except (Unauthenticated, DirectoryRefused) as exc:
            session.commit()
            return exc
    raise AssertionError(f"{name} was let in")


def _actions(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_a_vendor_group_member_signs_in_as_that_vendor(mapped: Database, directory: LdapDirectory) -> None:
    user = _sign_in(mapped, directory, "alice", "alice-pass")
    with mapped.session() as session:
        stored = session.get(User, user.id)
        assert stored is not None and stored.role.value == "vendor" and stored.password_hash is None
        assert session.get(Vendor, stored.vendor_id).name == "Acme"  # type: ignore[union-attr]
        identity = session.exec(select(DirectoryIdentity)).one()
        assert identity.subject == user_dn("alice") and identity.source == "ldap"
        [login] = _actions(session, "sso.login")
        assert login.data["role"] == "vendor" and login.data["changes"] == {"created": True}
        assert _actions(session, "user.create")[0].actor == "sso:ldap"


def test_the_first_mapping_by_priority_decides(mapped: Database, directory: LdapDirectory) -> None:
    """dave is in vendor-acme and pms; pms has priority 10, vendor-acme the default 100."""
    assert _sign_in(mapped, directory, "dave", "dave-pass").role.value == "pm"


def test_a_wrong_password_is_refused_and_audited(mapped: Database, directory: LdapDirectory) -> None:
    error = _refused(mapped, directory, "alice", "not-her-password")
    assert isinstance(error, Unauthenticated) and error.message == "wrong user name or password"
    with mapped.session() as session:
        assert session.exec(select(User)).first() is None
        assert _actions(session, "auth.login_failed")[0].data == {"source": "ldap"}


def test_an_empty_password_never_reaches_an_unauthenticated_bind(directory: LdapDirectory) -> None:
    assert directory.authenticate("alice", "").outcome is Outcome.rejected


def test_filter_characters_in_a_name_find_nobody(directory: LdapDirectory) -> None:
    assert directory.authenticate("*", "alice-pass").outcome is Outcome.missing
    assert directory.authenticate("a*)(uid=alice", "alice-pass").outcome is Outcome.missing


def test_a_user_in_no_mapped_group_is_refused_with_a_clear_message(
    mapped: Database, directory: LdapDirectory
) -> None:
    error = _refused(mapped, directory, "carol", "carol-pass")
    assert isinstance(error, DirectoryRefused) and error.http_status == 403
    assert "no group that Govern maps to a role" in error.message
    with mapped.session() as session:
        assert session.exec(select(User)).first() is None
        assert _actions(session, "sso.refused")[0].data["reason"] == "in no mapped group"


def _signed_in_with_session(database: Database, directory: LdapDirectory, name: str) -> str:
    user = _sign_in(database, directory, name, f"{name}-pass")
    with database.session() as session:
        token = sessions.open_session(session, user=session.get(User, user.id), lifetime=timedelta(hours=1))  # type: ignore[arg-type]
    with database.session() as session:
        assert sessions.user_for_session(session, token) is not None
    return token


def test_a_user_removed_from_the_directory_is_refused_and_their_sessions_end(
    mapped: Database, directory: LdapDirectory, ldap_directory: Directory
) -> None:
    token = _signed_in_with_session(mapped, directory, "alice")
    ldap_directory.delete_user("alice")
    error = _refused(mapped, directory, "alice", "alice-pass")
    assert isinstance(error, Unauthenticated)  # the same answer as a wrong password
    with mapped.session() as session:
        assert sessions.user_for_session(session, token) is None
        user = session.exec(select(User).where(User.name == "alice")).one()
        assert not user.active
        assert _actions(session, "sso.revoked")[0].data["reason"] == "not in the directory"


def test_a_user_removed_from_every_mapped_group_loses_access_then_returns(
    mapped: Database, directory: LdapDirectory, ldap_directory: Directory
) -> None:
    token = _signed_in_with_session(mapped, directory, "alice")
    ldap_directory.leave_group("alice", "vendor-acme")
    assert isinstance(_refused(mapped, directory, "alice", "alice-pass"), DirectoryRefused)
    with mapped.session() as session:
        assert sessions.user_for_session(session, token) is None
    ldap_directory.join_group("alice", "vendor-acme")  # the directory lets her back in: so does Govern
    assert _sign_in(mapped, directory, "alice", "alice-pass").active


def test_a_user_an_admin_deactivated_stays_out(mapped: Database, directory: LdapDirectory) -> None:
    from governance.registry.accounts import set_active

    _sign_in(mapped, directory, "alice", "alice-pass")
    with mapped.session() as session:
        set_active(session, name="alice", active=False, actor="admin")
    error = _refused(mapped, directory, "alice", "alice-pass")
    assert "deactivated by an administrator" in error.args[0]


def test_a_recheck_revokes_users_the_directory_dropped(
    mapped: Database, directory: LdapDirectory, ldap_directory: Directory
) -> None:
    alice = _signed_in_with_session(mapped, directory, "alice")
    bob = _signed_in_with_session(mapped, directory, "bob")
    ldap_directory.delete_user("alice")
    with mapped.session() as session:
        results = {r.user: r.result for r in recheck_ldap_users(session, directory=directory, actor="cron")}
    assert results == {"alice": "revoked: not in the directory", "bob": "kept"}
    with mapped.session() as session:
        assert sessions.user_for_session(session, alice) is None
        assert sessions.user_for_session(session, bob) is not None


def test_a_dn_template_binds_without_a_search(
    settings: Settings, mapped: Database, ldap_directory: Directory
) -> None:
    overrides = ldap_directory.settings(
        ldap_user_dn_template=f"uid={{username}},{PEOPLE}", ldap_bind_dn=None, ldap_user_base=None
    )
    templated = LdapDirectory(settings.model_copy(update=overrides))
    assert _sign_in(mapped, templated, "bob", "bob-pass").role.value == "pm"  # groups read as bob himself
    assert templated.authenticate("bob", "wrong").outcome is Outcome.rejected


def test_the_scheduler_job_revokes_within_its_period(
    settings: Settings, mapped: Database, directory: LdapDirectory, ldap_directory: Directory
) -> None:
    from datetime import UTC, datetime

    from governance.jobs import JobStatus
    from governance.sso.jobs import LdapRecheckJob, directory_jobs

    [job] = directory_jobs(mapped, settings.model_copy(update=ldap_directory.settings()))
    assert isinstance(job, LdapRecheckJob) and job.every == timedelta(minutes=60)
    token = _signed_in_with_session(mapped, directory, "alice")
    ldap_directory.delete_user("alice")
    outcome = job.execute(datetime(2027, 1, 1, tzinfo=UTC))
    assert outcome.status is JobStatus.completed
    with mapped.session() as session:
        assert sessions.user_for_session(session, token) is None
        assert _actions(session, "sso.recheck")[0].actor == "scheduler"
