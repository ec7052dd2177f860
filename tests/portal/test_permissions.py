"""The permission matrix: every (method, route) the portal serves × six actors, through the real app.

The routes and what each actor may are in :mod:`tests.portal.permission_routes`, the world they
are asked about in :mod:`tests.portal.permission_world`. A vendor asking for another vendor's
module, ticket, waiver or report gets a 404 (or an answer without it), never a hint that it
exists. Writes from a browser carry the session's CSRF token; API writes need a Bearer token.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount

from governance.config import Settings
from governance.db import Database
from portal.app import create_app
from tests.portal.permission_routes import MATRIX, Check, Outcome
from tests.portal.permission_world import (
    ACTORS,
    PermissionWorld,
    Rewindable,
    build_permission_world,
    rewindable,
)

LEAKS = ("Acme", "ACME")  # any trace of vendor A: its name, its module key (in every row of it)
WRITES = [check for check in MATRIX if check.method != "GET" and not check.route.startswith("/git/")]


@pytest.fixture
def rewinding(database: Database) -> Iterator[Rewindable]:
    with rewindable(database) as db:
        yield db


@pytest.fixture
def client(settings: Settings, rewinding: Rewindable) -> Iterator[TestClient]:
    app = create_app(settings, database=rewinding, cache_ttl=0)
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def permission_world(rewinding: Rewindable, client: TestClient) -> PermissionWorld:
    return build_permission_world(rewinding, client)


def served(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path template) of everything the app answers; HEAD comes with GET.

    FastAPI 0.165 keeps included routers as such in ``app.routes``; ``iter_route_contexts``
    flattens them into the routes a request is matched against.
    """
    pairs = set()
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, Mount):
            pairs.add(("GET", str(context.path)))
        pairs |= {(method, str(context.path)) for method in context.methods or () if method != "HEAD"}
    return pairs


def test_matrix_covers_every_route(client: TestClient) -> None:
    """A new route, or a new method on one, must be added to the matrix; a gone one removed."""
    app_pairs = served(client.app)  # type: ignore[arg-type]
    listed = [(check.method, check.route) for check in MATRIX]
    assert len(app_pairs) > 100, "the app serves nothing: the matrix would check nothing"
    assert len(listed) == len(set(listed)), "a route is listed twice"
    assert sorted(app_pairs - set(listed)) == [], "routes missing from the permission matrix"
    assert sorted(set(listed) - app_pairs) == [], "routes in the matrix the app does not serve"


def ask(
    client: TestClient, world: PermissionWorld, check: Check, actor: str, *, csrf: bool = True
) -> httpx.Response:
    """``check``'s request as ``actor``: the API with a Bearer token (git: Basic), pages with a session."""
    form = dict(check.form or {})
    if check.api:
        client.cookies.clear()
        headers = world.basic(actor) if check.route.startswith("/git/") else world.bearer(actor)
    else:
        token = world.sign_in(client, actor)
        headers = {}
        if check.method != "GET" and csrf:
            form["csrf_token"] = token
    return send(client, world, check, form=form, headers=headers)


def send(
    client: TestClient,
    world: PermissionWorld,
    check: Check,
    *,
    form: dict[str, str],
    headers: dict[str, str],
    query: dict[str, str] | None = None,
) -> httpx.Response:
    response: httpx.Response = client.request(
        check.method,
        check.target(world.ids),
        params={**check.query(world.ids), **(query or {})},
        json=check.body(world.ids),
        data=form or None,
        files=check.files,
        headers={**check.headers, **headers},
        follow_redirects=False,
    )
    return response


def outcome(response: httpx.Response) -> Outcome | str:
    code = response.status_code
    if code == 401 or (code == 303 and response.headers["location"].startswith("/login?next=")):
        return Outcome.LOGIN
    if 200 <= code < 400:
        return Outcome.OK
    return {403: Outcome.FORBIDDEN, 404: Outcome.HIDDEN}.get(code, f"status {code}")


def _leak(response: httpx.Response) -> str | None:
    """What of Acme vendor B was shown; a 404 may echo what was asked (as for a typo), no more."""
    text = response.text
    if response.status_code == 404:
        for asked in unquote(response.url.path).split("/"):
            text = text.replace(asked.removesuffix(".git"), "") if asked else text
    return next((marker for marker in LEAKS if marker in text), None)


@pytest.mark.parametrize("actor", ACTORS)
def test_matrix(
    client: TestClient, rewinding: Rewindable, permission_world: PermissionWorld, actor: str
) -> None:
    """Every route as ``actor``, each on the same world (a write is undone before the next request)."""
    wrong = []
    for check in MATRIX:
        with rewinding.rewound():
            response = ask(client, permission_world, check, actor)
        got = outcome(response)
        if got != check.expected[actor]:
            said = response.text[:160]
            wrong.append(f"{check.method} {check.route}: {got}, expected {check.expected[actor]}: {said}")
        elif actor == "vendor_b" and (leak := _leak(response)):
            wrong.append(f"{check.method} {check.route}: shows vendor B {leak!r}")
    assert wrong == [], f"{len(wrong)} of {len(MATRIX)} routes wrong for {actor}:\n" + "\n".join(wrong)


def _allowed(check: Check) -> str:
    """An actor the matrix lets make this write: a refusal then comes from the missing token alone."""
    return next(actor for actor in ("admin", "pm", "vendor_a") if check.expected[actor] is Outcome.OK)


def test_page_writes_without_the_csrf_token_are_refused(
    client: TestClient, rewinding: Rewindable, permission_world: PermissionWorld
) -> None:
    """Every form post, by an actor allowed to make it, fails without the session's token."""
    wrong = []
    for check in (c for c in WRITES if not c.api):
        with rewinding.rewound():
            response = ask(client, permission_world, check, _allowed(check), csrf=False)
        if response.status_code != 403 or "did not come from Govern" not in response.text:
            wrong.append(f"{check.method} {check.route}: {response.status_code} {response.text[:120]}")
    assert wrong == []


def test_api_writes_with_a_session_cookie_are_refused(
    client: TestClient, rewinding: Rewindable, permission_world: PermissionWorld
) -> None:
    """A signed-in browser's cookie does not carry API writes (another site could make the browser
    send it), not even an admin's, and the session's CSRF token alongside changes nothing."""
    wrong = []
    for check in (c for c in WRITES if c.api):
        csrf = permission_world.sign_in(client, _allowed(check))
        with rewinding.rewound():
            response = send(
                client,
                permission_world,
                check,
                form={**check.form, "csrf_token": csrf} if check.form is not None else {},
                headers={"X-CSRF-Token": csrf},
                query={"csrf_token": csrf},
            )
        if response.status_code != 403 or response.json() != {"error": "API writes need a Bearer token"}:
            wrong.append(f"{check.method} {check.route}: {response.status_code} {response.text[:120]}")
    assert wrong == []
