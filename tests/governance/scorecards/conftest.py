"""The scorecard world is built once per test module (five real scans) and copied for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from governance.config import Settings
from governance.db import open_database
from tests.governance.scorecards.world import NOW, Clock, World, build, patch_clock


@pytest.fixture(scope="module")
def scorecard_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """The world's data directory (SQLite) and its scan ids, built once."""
    root = tmp_path_factory.mktemp("scorecard-world")
    settings = Settings(data_dir=root / "data")
    database = open_database(settings)
    with pytest.MonkeyPatch.context() as monkeypatch:
        clock = Clock()
        patch_clock(monkeypatch, clock)
        built = World(database, settings)
        build(built, clock, root)
    database.dispose()
    return root / "data", built.scans


@pytest.fixture
def scorecard_world(
    scorecard_template: tuple[Path, dict[str, int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    """A private copy of the world for one test; the audit clock stands at the world's NOW."""
    data = tmp_path / "data"
    shutil.copytree(scorecard_template[0], data)
    settings = Settings(data_dir=data)
    database = open_database(settings)
    patch_clock(monkeypatch, Clock(now=NOW))
    yield World(database, settings, dict(scorecard_template[1]))
    database.dispose()
