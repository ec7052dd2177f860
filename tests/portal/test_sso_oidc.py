"""OpenID Connect sign-in through the portal's routes, against a real provider on loopback.

The portal runs under uvicorn; an httpx client follows every redirect (portal → provider's
authorization endpoint → portal's callback → the page asked for), so the code exchange, PKCE
and the ID token check are the real ones.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import pytest
import uvicorn
from pydantic import SecretStr
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.config import Settings
from governance.db import Database
from governance.registry.models import User, Vendor
from portal.app import create_app
from tests.governance.sso.conftest import map_groups
from tests.oidc_provider import Account, Provider, oidc_provider
from tests.servers import free_port
from tests.waiting import wait_for

pytestmark = pytest.mark.oidc


@dataclass
class Portal:
    url: str
    provider: Provider
    database: Database

    def client(self, **headers: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, follow_redirects=True, headers=headers, timeout=30)

    def actions(self, action: str) -> list[AuditEvent]:
        with self.database.session() as session:
            return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())

    def user(self, name: str) -> User | None:
        with self.database.session() as session:
            found = session.exec(select(User).where(User.name == name)).first()
            if found is not None:
                session.expunge(found)
            return found


@pytest.fixture
def portal(settings: Settings, database: Database) -> Iterator[Portal]:
    with database.session() as session:
        map_groups(session)
    with oidc_provider() as provider:
        port = free_port()
        provider.redirect_uris.add(f"http://127.0.0.1:{port}/login/oidc/callback")
        configured = settings.model_copy(
            update={
                "oidc_issuer": provider.issuer,
                "oidc_client_id": provider.client_id,
                "oidc_client_secret": SecretStr(provider.client_secret),
                "oidc_display_name": "Corp SSO",
            }
        )
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(configured, database=database),
                host="127.0.0.1",
                port=port,
                log_level="warning",
                lifespan="on",
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        wait_for(lambda: server.started, "the portal started")
        yield Portal(f"http://127.0.0.1:{port}", provider, database)
        server.should_exit = True
        thread.join(timeout=10)


def _sign_in(client: httpx.Client, next_path: str = "/vendors") -> httpx.Response:
    return client.get("/login/oidc", params={"next": next_path})


def test_a_mapped_group_signs_in_as_pm_through_the_whole_exchange(portal: Portal) -> None:
    portal.provider.account = Account(sub="u-1001", username="li.wei", groups=["staff", "govern-pms"])
    with portal.client() as client:
        response = _sign_in(client)
        assert response.status_code == 200 and urlparse(str(response.url)).path == "/vendors"
        assert [urlparse(str(r.url)).path for r in response.history] == [
            "/login/oidc",
            "/authorize",
            "/login/oidc/callback",
        ]
        assert client.get("/admin").status_code == 200  # a pm may open the administration page
    user = portal.user("li.wei")
    assert user is not None and user.role.value == "pm" and user.password_hash is None
    [request] = portal.provider.token_requests
    assert len(request["code_verifier"]) >= 43  # PKCE: the provider checked it against the S256 challenge
    [login] = portal.actions("sso.login")
    assert login.data["source"] == "oidc" and login.data["group"] == "govern-pms"


def test_a_vendor_group_signs_in_as_that_vendor(portal: Portal) -> None:
    portal.provider.account = Account(sub="u-2002", username="beta.dev", groups=["vendor-beta"])
    with portal.client() as client:
        assert _sign_in(client, "/").status_code == 200
    user = portal.user("beta.dev")
    assert user is not None and user.role.value == "vendor"
    with portal.database.session() as session:
        assert session.get(Vendor, user.vendor_id).name == "Beta"  # type: ignore[union-attr]


def test_an_unmapped_group_is_refused_with_a_clear_message_in_both_languages(portal: Portal) -> None:
    portal.provider.account = Account(sub="u-3003", username="visitor", groups=["staff"])
    with portal.client() as client:
        response = _sign_in(client)
    assert response.status_code == 403
    assert "no group that Govern maps to a role" in response.text
    with portal.client(**{"Accept-Language": "zh-CN"}) as client:
        assert "没有任何一个被映射到 Govern 角色" in _sign_in(client).text
    assert portal.user("visitor") is None
    assert portal.actions("sso.refused")[0].data["reason"] == "in no mapped group"


@pytest.mark.parametrize("mode", ["expired", "wrong_audience", "wrong_nonce", "tampered", "foreign_key"])
def test_a_bad_id_token_is_refused(portal: Portal, mode: str) -> None:
    portal.provider.account = Account(sub="u-1001", username="li.wei", groups=["govern-pms"])
    portal.provider.mode = mode
    with portal.client() as client:
        response = _sign_in(client)
        assert response.status_code == 401
        assert "answer was refused: invalid ID token" in response.text
        assert client.get("/", follow_redirects=False).status_code == 303  # not signed in
    assert portal.user("li.wei") is None
    assert "invalid ID token" in portal.actions("sso.refused")[0].data["reason"]


def _callback_url(client: httpx.Client) -> str:
    """Walk to the provider and back, stopping before the portal's callback is called."""
    to_provider = client.get("/login/oidc", follow_redirects=False).headers["location"]
    return str(client.get(to_provider, follow_redirects=False).headers["location"])


def test_a_wrong_state_is_refused(portal: Portal) -> None:
    portal.provider.account = Account(sub="u-1001", username="li.wei", groups=["govern-pms"])
    with portal.client() as client:
        callback = urlparse(_callback_url(client))
        query = {key: values[0] for key, values in parse_qs(callback.query).items()}
        response = client.get(f"{callback.path}?{urlencode({**query, 'state': 'forged-state'})}")
    assert response.status_code == 401 and "did not start here" in response.text
    assert portal.user("li.wei") is None
    assert portal.provider.token_requests == []  # refused before the code was spent


def test_a_callback_is_good_once_and_only_in_the_browser_that_started_it(portal: Portal) -> None:
    portal.provider.account = Account(sub="u-1001", username="li.wei", groups=["govern-pms"])
    with portal.client() as client:
        callback = _callback_url(client)
        with portal.client() as stranger:  # a link sent to someone else: no attempt of theirs
            refused = stranger.get(callback)
            assert refused.status_code == 401 and "did not start here" in refused.text
        assert client.get(callback).status_code == 200  # the browser that started it
        replayed = client.get(callback)  # the attempt is forgotten before the code is tried again
        assert replayed.status_code == 401 and "did not start here" in replayed.text
    assert len(portal.provider.token_requests) == 1


def test_a_user_the_provider_drops_from_every_mapped_group_loses_access_and_sessions(portal: Portal) -> None:
    portal.provider.account = Account(sub="u-1001", username="li.wei", groups=["govern-pms"])
    with portal.client() as first:
        assert _sign_in(first).status_code == 200
        portal.provider.account = Account(sub="u-1001", username="li.wei", groups=["staff"])
        with portal.client() as second:
            assert _sign_in(second).status_code == 403
        assert first.get("/", follow_redirects=False).status_code == 303  # the old session ended
    user = portal.user("li.wei")
    assert user is not None and not user.active
    assert portal.actions("sso.revoked")[0].data["reason"] == "in no mapped group"


def test_the_provider_refusing_is_shown(portal: Portal) -> None:
    portal.provider.account = None
    with portal.client() as client:
        response = _sign_in(client)
    assert response.status_code == 401 and "refused the sign-in: access_denied" in response.text


def test_another_subject_cannot_take_over_a_name(portal: Portal) -> None:
    portal.provider.account = Account(sub="u-1001", username="li.wei", groups=["govern-pms"])
    with portal.client() as client:
        assert _sign_in(client).status_code == 200
    portal.provider.account = Account(sub="u-9999", username="li.wei", groups=["govern-pms"])
    with portal.client() as client:
        response = _sign_in(client)
    assert response.status_code == 403 and "belongs to another account" in response.text


def test_the_login_page_offers_the_provider(portal: Portal) -> None:
    with portal.client() as client:
        page = client.get("/login").text
        assert "Sign in with Corp SSO" in page and 'href="/login/oidc?next=' in page
        assert "使用 Corp SSO 登录" in client.get("/login", headers={"Accept-Language": "zh-CN"}).text
