"""Vendor self-service through the real app: tokens, scan now, user administration, delivery card.

Permission tests fail when their check is removed: a vendor revokes no one else's token and
presses no "Scan now"; an auditor changes nothing; deactivation ends the user's sessions.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.config import Settings
from governance.db import Database
from governance.mirrors.models import PushOutcome
from governance.mirrors.push_log import record_acceptance, record_refusal
from governance.mirrors.push_rules import RefUpdate, Violation
from governance.registry.service import get_module
from governance.scans.models import Scan, ScanStatus
from portal.app import create_app
from tests.portal.conftest import World, bearer, csrf_of, login


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _actions(database: Database) -> list[str]:
    with database.session() as session:
        return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()]


# --- API tokens --------------------------------------------------------------------------------


def test_token_created_over_the_api_works_until_revoked_then_401(
    app_client: TestClient, world: World
) -> None:
    made = app_client.post("/api/v1/tokens", json={"label": "ci runner"}, headers=bearer(world, "vendor_a"))
    assert made.status_code == 201, made.text
    plain = made.json()["token"]
    assert app_client.get("/api/v1/modules/ACME", headers=_auth(plain)).status_code == 200
    listed = app_client.get("/api/v1/tokens", headers=bearer(world, "vendor_a")).json()
    mine = next(t for t in listed if t["label"] == "ci runner")
    assert "token" not in mine and mine["state"] == "active" and mine["last_used_at"] is not None
    revoked = app_client.delete(f"/api/v1/tokens/{mine['id']}", headers=_auth(plain))
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    after = app_client.get("/api/v1/modules/ACME", headers=_auth(plain))
    assert after.status_code == 401 and after.json() == {"error": "invalid or revoked API token"}


def test_a_vendor_cannot_revoke_another_users_token(
    app_client: TestClient, world: World, database: Database
) -> None:
    theirs = app_client.get("/api/v1/tokens", headers=bearer(world, "vendor_b")).json()[0]["id"]
    before = _actions(database)
    for intruder in ("vendor_a", "auditor", "pm"):
        refused = app_client.delete(f"/api/v1/tokens/{theirs}", headers=bearer(world, intruder))
        assert refused.status_code == 404, (intruder, refused.text)
        assert refused.json() == {"error": f"unknown API token #{theirs}"}
    assert (
        app_client.get("/api/v1/tokens?user=vendor_b", headers=bearer(world, "vendor_a")).status_code == 404
    )
    assert app_client.get("/api/v1/tokens?all=true", headers=bearer(world, "vendor_a")).status_code == 403
    assert app_client.get("/api/v1/modules/BETA", headers=bearer(world, "vendor_b")).status_code == 200
    assert [a for a in _actions(database)[len(before) :] if a.startswith("token.")] == []


def test_an_admin_lists_and_revokes_any_token(app_client: TestClient, world: World) -> None:
    everyone = app_client.get("/api/v1/tokens?all=true", headers=bearer(world, "admin")).json()
    assert {t["user"] for t in everyone} == {"admin", "pm", "auditor", "vendor_a", "vendor_b"}
    theirs = next(t["id"] for t in everyone if t["user"] == "vendor_b")
    assert app_client.delete(f"/api/v1/tokens/{theirs}", headers=bearer(world, "admin")).status_code == 200
    assert app_client.get("/api/v1/modules", headers=bearer(world, "vendor_b")).status_code == 401


def test_api_writes_need_a_bearer_token_and_bad_input_is_a_4xx(app_client: TestClient, world: World) -> None:
    login(app_client, "vendor_a")
    assert app_client.post("/api/v1/tokens", json={"label": "x"}).status_code == 403
    bad = app_client.post("/api/v1/tokens", json={"expires": "tomorrow"}, headers=bearer(world, "vendor_a"))
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.json()["error"]
    past = app_client.post(
        "/api/v1/tokens", json={"expires": "2001-01-01"}, headers=bearer(world, "vendor_a")
    )
    assert past.status_code == 422 and "future" in past.json()["error"]
    assert (
        app_client.delete("/api/v1/tokens/99999999999", headers=bearer(world, "vendor_a")).status_code == 422
    )


def test_my_account_page_creates_shows_once_and_revokes(app_client: TestClient, world: World) -> None:
    login(app_client, "vendor_a")
    page = app_client.get("/account")
    assert page.status_code == 200 and "API tokens" in page.text
    made = app_client.post(
        "/account/tokens", data={"label": "laptop", "expires": "2099-12-31", "csrf_token": csrf_of(page.text)}
    )
    assert made.status_code == 200 and 'id="new-token">gvn_' in made.text
    plain = made.text.split('id="new-token">')[1].split("<")[0]
    assert app_client.get("/api/v1/modules", headers=_auth(plain)).status_code == 200
    again = app_client.get("/account")
    assert plain not in again.text and "laptop" in again.text and "2099-12-31" in again.text
    token_id = again.text.split('action="/account/tokens/')[1].split("/")[0]
    no_csrf = app_client.post(f"/account/tokens/{token_id}/revoke", data={}, follow_redirects=False)
    assert no_csrf.status_code == 403
    done = app_client.post(
        f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_of(again.text)}, follow_redirects=False
    )
    assert done.status_code == 303
    assert app_client.get("/api/v1/modules", headers=_auth(plain)).status_code == 401


def test_my_account_page_in_chinese(app_client: TestClient, world: World) -> None:
    login(app_client, "vendor_a")
    page = app_client.get("/account", headers={"Accept-Language": "zh-CN"})
    assert "我的账户" in page.text and "API 令牌" in page.text


# --- scan now ----------------------------------------------------------------------------------


def _queued(database: Database, key: str) -> list[Scan]:
    with database.session() as session:
        module = get_module(session, key)
        return list(
            session.exec(
                select(Scan).where(Scan.module_id == module.id, Scan.status == ScanStatus.queued)
            ).all()
        )


def test_only_pms_and_admins_press_scan_now(app_client: TestClient, world: World, database: Database) -> None:
    for role in ("vendor_a", "auditor"):
        refused = app_client.post("/api/v1/modules/ACME/scans", headers=bearer(world, role))
        assert refused.status_code == 403, (role, refused.text)
    assert app_client.post("/api/v1/modules/ACME/scans", headers=bearer(world, "vendor_b")).status_code == 404
    assert _queued(database, "ACME") == []
    first = app_client.post("/api/v1/modules/ACME/scans", headers=bearer(world, "pm"))
    assert first.status_code == 202 and first.json()["new"] is True and first.json()["branch"] == "main"
    second = app_client.post("/api/v1/modules/ACME/scans", headers=bearer(world, "admin"))
    assert second.json() == {**first.json(), "new": False}  # coalesced into the queued one
    assert len(_queued(database, "ACME")) == 1
    assert "scan.requested" in _actions(database) and "scan.coalesced" in _actions(database)


def test_scan_now_button_is_a_csrf_form_for_pms_only(
    app_client: TestClient, world: World, database: Database
) -> None:
    login(app_client, "vendor_a")
    page = app_client.get("/modules/ACME")
    assert "Scan now" not in page.text
    forged = app_client.post(
        "/modules/ACME/scan", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert forged.status_code == 403 and _queued(database, "ACME") == []
    login(app_client, "pm")
    page = app_client.get("/modules/ACME")
    assert 'action="/modules/ACME/scan"' in page.text
    assert app_client.post("/modules/ACME/scan", data={}, follow_redirects=False).status_code == 403
    pressed = app_client.post(
        "/modules/ACME/scan",
        data={"csrf_token": csrf_of(page.text), "branch": "main"},
        follow_redirects=False,
    )
    assert pressed.status_code == 303 and "scan=queued" in pressed.headers["location"]
    assert "Scan queued" in app_client.get(pressed.headers["location"]).text
    assert len(_queued(database, "ACME")) == 1


# --- user administration -----------------------------------------------------------------------


def test_admin_deactivation_ends_the_users_sessions(
    settings: Settings, database: Database, world: World
) -> None:
    app = create_app(settings, database=database)
    with TestClient(app) as vendor, TestClient(app) as admin:
        login(vendor, "vendor_a")
        assert vendor.get("/modules/ACME").status_code == 200
        login(admin, "admin")
        page = admin.get("/admin/users/vendor_a")
        assert page.status_code == 200 and "Deactivate" in page.text
        done = admin.post(
            "/admin/users/vendor_a/active",
            data={"active": "false", "csrf_token": csrf_of(page.text)},
            follow_redirects=False,
        )
        assert done.status_code == 303
        gone = vendor.get("/modules/ACME", follow_redirects=False)
        assert gone.status_code == 303 and gone.headers["location"].startswith("/login")
        assert vendor.get("/api/v1/modules", headers=bearer(world, "vendor_a")).status_code == 401
        page = admin.get("/admin/users/vendor_a")
        back = admin.post(
            "/admin/users/vendor_a/active",
            data={"active": "true", "csrf_token": csrf_of(page.text)},
            follow_redirects=False,
        )
        assert back.status_code == 303  # reactivated: the old session stays ended
        assert vendor.get("/modules/ACME", follow_redirects=False).status_code == 303
    assert "user.deactivate" in _actions(database)


def test_user_api_applies_the_shared_rules(app_client: TestClient, world: World, database: Database) -> None:
    admin = bearer(world, "admin")
    moved = app_client.patch("/api/v1/users/pm", json={"locale": "zh_CN"}, headers=admin)
    assert moved.status_code == 200 and moved.json()["locale"] == "zh_CN" and moved.json()["role"] == "pm"
    no_vendor = app_client.patch("/api/v1/users/vendor_a", json={"vendor": None}, headers=admin)
    assert no_vendor.status_code == 422 and "needs a vendor" in no_vendor.json()["error"]
    self_off = app_client.post("/api/v1/users/admin/deactivate", headers=admin)
    assert self_off.status_code == 422 and "yourself" in self_off.json()["error"]
    reset = app_client.post("/api/v1/users/vendor_b/password", headers=admin)
    assert reset.status_code == 200 and len(reset.json()["password"]) >= 8
    off = app_client.post("/api/v1/users/vendor_b/deactivate", headers=admin)
    assert off.json()["active"] is False
    assert app_client.post("/api/v1/users/vendor_b/activate", headers=admin).json()["active"] is True
    assert "user.password" in _actions(database) and "user.update" in _actions(database)


def test_an_auditor_and_a_pm_change_no_user(app_client: TestClient, world: World, database: Database) -> None:
    before = _actions(database)
    for role in ("auditor", "pm", "vendor_a"):
        headers = bearer(world, role)
        assert app_client.get("/api/v1/users", headers=headers).status_code == 403
        assert (
            app_client.patch(
                "/api/v1/users/vendor_b", json={"role": "pm", "vendor": None}, headers=headers
            ).status_code
            == 403
        )
        assert app_client.post("/api/v1/users/vendor_b/deactivate", headers=headers).status_code == 403
        assert app_client.post("/api/v1/users/vendor_b/password", headers=headers).status_code == 403
    login(app_client, "auditor")
    assert app_client.get("/admin/users/vendor_b").status_code == 403
    token = csrf_of(app_client.get("/").text)
    for path, data in (
        ("/admin/users/vendor_b", {"role": "pm"}),
        ("/admin/users/vendor_b/active", {"active": "false"}),
        ("/admin/users/vendor_b/password", {}),
        ("/admin/tokens/1/revoke", {"owner": "admin"}),
    ):
        response = app_client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 403, path
    assert [a for a in _actions(database)[len(before) :] if a != "auth.login"] == []


def test_admin_user_page_shows_a_refusal_in_the_readers_language(
    app_client: TestClient, world: World
) -> None:
    login(app_client, "admin")
    page = app_client.get("/admin/users/vendor_a")
    refused = app_client.post(
        "/admin/users/vendor_a",
        data={"role": "vendor", "vendor": "", "csrf_token": csrf_of(page.text)},
        headers={"Accept-Language": "zh-CN"},
    )
    assert refused.status_code == 422 and "供应商用户必须指定供应商" in refused.text


# --- delivery card and push log -------------------------------------------------------------------


def test_module_page_shows_how_to_push_and_the_rules_in_force(
    settings: Settings, database: Database, world: World
) -> None:
    with database.session() as session:
        module = get_module(session, "ACME")
        module.settings = {
            "push_rules": {"max_blob_bytes": 1048576, "protected_branches": ["{default}", "prod"]}
        }
        session.add(module)
    with TestClient(create_app(settings, database=database), base_url="http://portal.test:8080") as client:
        login(client, "vendor_a")
        page = client.get("/modules/ACME").text
        assert 'id="clone-url">http://portal.test:8080/git/ACME.git<' in page
        assert "git push govern main" in page and "No file larger than 1.0 MiB" in page
        assert "may not be deleted or force-pushed: main, prod" in page and "e.g. ACME-0001" in page
        zh = client.get("/modules/ACME", headers={"Accept-Language": "zh-CN"}).text
        assert "如何交付" in zh and "单个文件不得超过 1.0 MiB" in zh
    fixed = settings.model_copy(update={"base_url": "https://govern.example.org/"})
    with TestClient(create_app(fixed, database=database)) as client:
        response = client.get("/api/v1/modules/ACME/delivery", headers=bearer(world, "vendor_a"))
        assert response.json()["clone_url"] == "https://govern.example.org/git/ACME.git"
        assert response.json()["rules"]["max_blob_bytes"] == 1048576


def test_push_log_is_scoped_to_the_modules_vendor(app_client: TestClient, world: World) -> None:
    zero, new = "0" * 40, "b" * 40
    from governance.db import Database as _Db  # noqa: F401 - keeps the fixture types readable

    with app_client.app.state.db.session() as session:  # type: ignore[attr-defined]
        module = get_module(session, "ACME")
        update = RefUpdate(zero, new, "refs/heads/main")
        rule = Violation(
            "secret", "commit bbbbbbb file key.pem", "contains a secret", "remove it and rotate it"
        )
        record_refusal(session, module=module, pusher="vendor_a", updates=[update], violations=[rule])
        record_acceptance(session, module=module, pusher="vendor_a", updates=[update], new_commits=2)
    for role in ("vendor_a", "pm", "auditor", "admin"):
        page = app_client.get("/api/v1/modules/ACME/pushes", headers=bearer(world, role)).json()
        assert page["total"] == 2 and page["items"][0]["outcome"] == PushOutcome.accepted.value, role
    refused = app_client.get(
        "/api/v1/modules/ACME/pushes?outcome=refused", headers=bearer(world, "vendor_a")
    ).json()
    assert (
        refused["items"][0]["rules"] == ["secret"]
        and refused["items"][0]["violations"][0]["fix"] == "remove it and rotate it"
    )
    other = app_client.get("/api/v1/modules/ACME/pushes", headers=bearer(world, "vendor_b"))
    assert other.status_code == 404 and other.json() == {"error": "unknown module 'ACME'"}
    assert (
        app_client.get("/api/v1/modules/ACME/pushes?outcome=maybe", headers=bearer(world, "pm")).status_code
        == 422
    )
    login(app_client, "vendor_b")
    assert app_client.get("/modules/ACME/pushes").status_code == 404
    login(app_client, "vendor_a")
    page = app_client.get("/modules/ACME/pushes", headers={"Accept-Language": "zh-CN"}).text
    assert "ACME 的推送日志" in page and "[secret]" in page and "remove it and rotate it" in page
