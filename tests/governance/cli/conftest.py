"""The scorecard world (real scans at controlled dates), shared from tests/governance/scorecards."""

from tests.governance.scorecards.conftest import scorecard_template, scorecard_world  # noqa: F401
