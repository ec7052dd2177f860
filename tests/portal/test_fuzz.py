"""Schemathesis against the served OpenAPI document: no input makes the API answer 500.

Bounded on purpose (a few examples per operation): it looks for crashes, not for coverage.
"""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.portal.conftest import World, bearer

MAX_EXAMPLES = 25


def test_no_server_errors(app_client: TestClient, world: World) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app_client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    failures: list[str] = []
    seen: set[int] = set()
    for operation in operations:

        @settings(
            max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(case=operation.as_strategy(), role=st.sampled_from(["admin", "vendor_b"]))
        def run(case: schemathesis.Case, role: str) -> None:
            response = case.call(headers=bearer(world, role))
            seen.add(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query}: {response.status_code}")
            elif response.status_code >= 400:
                assert "error" in response.json()

        run()  # pylint: disable=no-value-for-parameter  # hypothesis supplies the arguments
    assert not failures, failures
    assert 200 in seen and 404 in seen, seen
