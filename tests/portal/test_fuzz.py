"""Schemathesis against the served OpenAPI document, once per role: no input makes the API
answer 500, every refusal has the error shape, and a refused request changes nothing.

Bounded on purpose (a few examples per operation and role): it looks for crashes and
half-written state, not for coverage. The one write operation (requirement moves) is also
driven with valid keys, so its refusals and its successes are both exercised.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, func, select

from governance import audit
from governance.db import Database
from governance.requirements.models import Requirement, RequirementTransition
from tests.portal.conftest import World, bearer

MAX_EXAMPLES = 12
ROLES = ("admin", "pm", "vendor_a", "auditor")
BOUNDED = settings(
    max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def _state(database: Database) -> tuple[int, int, tuple[tuple[str, str], ...]]:
    """What a write could change: audit length, transitions, every requirement's status."""
    with database.session() as session:
        by_key = select(Requirement.key, Requirement.status).order_by(col(Requirement.key))
        statuses = session.exec(by_key).all()
        transitions = session.exec(select(func.count()).select_from(RequirementTransition)).one()
        return audit.head(session).count, int(transitions), tuple((k, str(s)) for k, s in statuses)


@pytest.mark.parametrize("role", ROLES)
def test_no_server_errors_and_refusals_change_nothing(
    app_client: TestClient, world: World, database: Database, role: str
) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app_client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    failures: list[str] = []
    seen: set[int] = set()
    for operation in operations:

        @BOUNDED
        @given(case=operation.as_strategy())
        def run(case: schemathesis.Case) -> None:
            before = _state(database)
            response = case.call(headers=bearer(world, role))
            seen.add(response.status_code)
            where = f"{role} {case.method} {case.formatted_path} {case.query}"
            if response.status_code >= 500:
                failures.append(f"{where}: {response.status_code}")
            elif response.status_code >= 400:
                assert "error" in response.json(), where
                assert _state(database) == before, f"{where}: refused ({response.status_code}) but wrote"

        run()  # pylint: disable=no-value-for-parameter  # hypothesis supplies the arguments
    assert not failures, failures
    assert 200 in seen and 404 in seen, seen


@pytest.mark.parametrize("role", ROLES)
def test_moves_are_whole_or_not_at_all(
    app_client: TestClient, world: World, database: Database, role: str
) -> None:
    keys = st.sampled_from(["ACME-0001", "ACME-0002", "BETA-0001", "BETA-0003"])
    targets = st.sampled_from(
        ["approved", "in_progress", "implemented", "verified", "rejected", "proposed", "closed", "x"]
    )

    @BOUNDED
    @given(key=keys, to=targets, reason=st.text(max_size=40))
    def run(key: str, to: str, reason: str) -> None:
        before = _state(database)
        body = {"to": to, "reason": reason}
        url = f"/api/v1/requirements/{key}/moves"
        response = app_client.post(url, json=body, headers=bearer(world, role))
        assert response.status_code < 500, response.text
        after = _state(database)
        if response.status_code >= 400:
            assert after == before, f"{role} {key} -> {to}: refused but wrote"
        else:
            assert after[1] == before[1] + 1, "a move writes exactly one transition"
            assert after[0] > before[0], "a move is audited"
            assert response.json()["status"] == to

    run()  # pylint: disable=no-value-for-parameter  # hypothesis supplies the arguments
