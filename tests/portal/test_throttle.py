"""Login limits per account and per address, atomic, shared by every portal process (issue 15, row 7)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import anyio.to_thread
import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from starlette.requests import Request

from governance.config import Settings
from governance.db import Database
from governance.errors import Unauthenticated, UserError
from portal.app import create_app
from portal.security import client_address
from portal.services import auth
from tests.portal.conftest import PASSWORD, World, csrf_of
from tests.servers import free_port


def _attempt(client: TestClient, user: str, password: str = "wrong", **headers: str) -> int:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": user, "password": password, "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    ).status_code


def test_the_limit_is_shared_by_every_portal_process(
    settings: Settings, database: Database, world: World
) -> None:
    one, two = create_app(settings, database=database), create_app(settings, database=database)
    with TestClient(one) as first, TestClient(two) as second:
        codes = [_attempt(first if n % 2 else second, "pm") for n in range(6)]
        assert codes == [401] * 5 + [429]
        assert _attempt(first, "pm", PASSWORD) == 429


def test_a_parallel_burst_checks_no_more_than_the_limit(
    settings: Settings, database: Database, world: World
) -> None:
    app = create_app(settings, database=database)
    outcomes: list[str] = []
    barrier = threading.Barrier(12)

    def guess() -> None:
        barrier.wait()
        try:
            with database.session() as session:
                auth.authenticate(
                    session, username="pm", password="wrong", address="10.0.0.1", throttle=app.state.throttle
                )
        except Unauthenticated:
            outcomes.append("checked")
        except UserError:
            outcomes.append("refused")

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("checked") == 5 and outcomes.count("refused") == 7


def test_per_address_limit_across_accounts(settings: Settings, database: Database, world: World) -> None:
    app = create_app(settings.model_copy(update={"login_limit_address": 3}), database=database)
    with TestClient(app) as client:
        codes = [_attempt(client, name) for name in ("pm", "auditor", "admin", "vendor_a")]
    assert codes == [401, 401, 401, 429]


def test_the_window_passes_on_an_injected_clock(settings: Settings, database: Database, world: World) -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    app = create_app(settings, database=database, clock=lambda: now[0])
    with TestClient(app) as client:
        assert [_attempt(client, "pm") for _ in range(6)][-1] == 429
        now[0] += timedelta(seconds=settings.login_window_seconds + 1)
        assert _attempt(client, "pm", PASSWORD) == 303


def _request(peer: str, forwarded: str | None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "client": (peer, 1234), "headers": headers})


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),  # not a proxy: its header is ignored
        ("10.0.0.2", "1.2.3.4", "1.2.3.4"),
        ("10.0.0.2", "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the client may prepend anything
        ("10.0.0.2", "1.2.3.4, 10.0.0.3", "1.2.3.4"),  # a chain of trusted proxies
        ("10.0.0.2", "not an address", "10.0.0.2"),
    ],
)
def test_proxy_headers_only_from_trusted_proxies(peer: str, forwarded: str | None, expected: str) -> None:
    assert (
        client_address(
            _request(peer, forwarded), trusted=Settings(trusted_proxies="10.0.0.0/8").proxy_networks
        )
        == expected
    )


@pytest.fixture
def served(settings: Settings, database: Database) -> Iterator[str]:
    """The portal under the real uvicorn configuration `govern serve` uses, on loopback."""
    from governance.cli.listening import Listen

    port = free_port()
    server = uvicorn.Server(
        Listen("127.0.0.1", port).config(create_app(settings, database=database), settings)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("server did not start")
        threading.Event().wait(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join()


def test_rotating_x_forwarded_for_does_not_bypass_the_limit(served: str, world: World) -> None:
    with httpx.Client(base_url=served) as client:
        codes = []
        for n in range(7):
            token = csrf_of(client.get("/login").text)
            codes.append(
                client.post(
                    "/login",
                    data={"username": "pm", "password": "x", "csrf_token": token},
                    headers={"X-Forwarded-For": f"198.51.100.{n}"},
                ).status_code
            )
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}


def test_a_portal_process_runs_as_many_requests_at_once_as_govern_portal_threads(settings, database) -> None:
    """The route threads are the portal's concurrency (and what the database pool must hold)."""
    tuned = settings.model_copy(update={"portal_threads": 3})
    with TestClient(create_app(tuned, database=database)) as client:
        assert client.portal is not None
        limit = client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter().total_tokens)
    assert limit == 3
