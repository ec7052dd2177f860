"""The login form with LDAP on (a real slapd), and the admin's group-mapping page."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.config import Settings
from governance.db import Database
from governance.registry.accounts import set_password
from governance.sso.models import GroupMapping
from portal.app import create_app
from tests.governance.sso.conftest import map_groups
from tests.ldap_directory import Directory, group_dn
from tests.portal.conftest import World, csrf_of, login


def _client(settings: Settings, database: Database, **overrides: object) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=overrides), database=database))


@pytest.fixture
def ldap_client(settings: Settings, database: Database, ldap_directory: Directory) -> Iterator[TestClient]:
    with database.session() as session:
        map_groups(session)
    with _client(settings, database, **ldap_directory.settings()) as client:
        yield client


def _post_login(client: TestClient, name: str, password: str) -> httpx.Response:
    page = client.get("/login")
    return client.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": csrf_of(page.text), "next": "/vendors"},
        follow_redirects=False,
    )


@pytest.mark.ldap
def test_a_directory_user_signs_in_with_the_login_form(ldap_client: TestClient) -> None:
    assert "directory (LDAP) accounts both sign in" in ldap_client.get("/login").text
    response = _post_login(ldap_client, "alice", "alice-pass")
    assert response.status_code == 303 and response.headers["location"] == "/vendors"
    assert ldap_client.get("/vendors").status_code == 200


@pytest.mark.ldap
def test_wrong_directory_password_and_unmapped_user_are_refused(ldap_client: TestClient) -> None:
    assert _post_login(ldap_client, "alice", "nope").status_code == 401
    refused = _post_login(ldap_client, "carol", "carol-pass")
    assert refused.status_code == 403
    assert "no group that Govern maps to a role" in refused.text


@pytest.mark.ldap
def test_a_directory_user_removed_loses_the_open_session(
    ldap_client: TestClient, settings: Settings, database: Database, ldap_directory: Directory
) -> None:
    assert _post_login(ldap_client, "alice", "alice-pass").status_code == 303
    ldap_directory.delete_user("alice")
    with _client(settings, database, **ldap_directory.settings()) as other:
        assert _post_login(other, "alice", "alice-pass").status_code == 401
    assert ldap_client.get("/vendors", follow_redirects=False).status_code == 303  # back to /login


@pytest.mark.ldap
def test_a_local_user_keeps_the_local_password_with_ldap_on(ldap_client: TestClient, world: World) -> None:
    assert _post_login(ldap_client, "pm", "correct horse battery").status_code == 303


@pytest.mark.ldap
def test_a_directory_user_cannot_use_a_local_password(
    ldap_client: TestClient, settings: Settings, database: Database
) -> None:
    assert _post_login(ldap_client, "alice", "alice-pass").status_code == 303
    with database.session() as session:
        set_password(
            session, name="alice", password="a-local-password", actor="admin"
        )  # pragma: allowlist secret
    with _client(settings, database) as local_only:  # LDAP switched off: only local passwords
        assert _post_login(local_only, "alice", "a-local-password").status_code == 401


def test_the_login_page_says_which_methods_exist(app_client: TestClient) -> None:
    page = app_client.get("/login").text
    assert "Sign in with your Govern account." in page and "/login/oidc" not in page
    assert "使用您的 Govern 账号登录" in app_client.get("/login", headers={"Accept-Language": "zh-CN"}).text
    assert app_client.get("/login/oidc").status_code == 404


def _actions(database: Database, action: str) -> list[AuditEvent]:
    with database.session() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_an_admin_maps_and_unmaps_groups_on_the_page(
    app_client: TestClient, world: World, database: Database
) -> None:
    login(app_client, "admin")
    assert 'href="/admin/sso"' in app_client.get("/admin").text
    page = app_client.get("/admin/sso")
    added = app_client.post(
        "/admin/sso/mappings",
        data={
            "source": "ldap",
            "group": group_dn("vendor-acme"),
            "role": "vendor",
            "vendor": "Acme Soft",
            "priority": "5",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    listing = app_client.get("/admin/sso").text
    assert group_dn("vendor-acme") in listing and "Acme Soft" in listing
    with database.session() as session:
        mapping = session.exec(select(GroupMapping)).one()
    removed = app_client.post(
        f"/admin/sso/mappings/{mapping.id}/delete",
        data={"csrf_token": csrf_of(listing)},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    assert [e.data["group"] for e in _actions(database, "sso.mapping_add")] == [group_dn("vendor-acme")]
    assert len(_actions(database, "sso.mapping_remove")) == 1


def test_bad_mappings_are_refused_and_change_nothing(
    app_client: TestClient, world: World, database: Database
) -> None:
    login(app_client, "admin")
    csrf = csrf_of(app_client.get("/admin/sso").text)
    response = app_client.post(
        "/admin/sso/mappings", data={"source": "ldap", "group": "cn=x", "role": "vendor", "csrf_token": csrf}
    )
    assert response.status_code == 422 and "needs a vendor" in response.text
    assert app_client.post("/admin/sso/mappings/999/delete", data={"csrf_token": csrf}).status_code == 404
    assert _actions(database, "sso.mapping_add") == []


def test_only_admins_change_mappings_and_vendors_see_nothing(app_client: TestClient, world: World) -> None:
    login(app_client, "pm")
    csrf = csrf_of(app_client.get("/admin/sso").text)  # a pm (like an auditor) may read them
    response = app_client.post(
        "/admin/sso/mappings", data={"source": "oidc", "group": "g", "role": "pm", "csrf_token": csrf}
    )
    assert response.status_code == 403
    with TestClient(app_client.app) as vendor:
        login(vendor, "vendor_a")
        assert vendor.get("/admin/sso").status_code == 403
