"""Git smart HTTP fixtures: the portal served by uvicorn on a free loopback port, vendors, tokens."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import uvicorn

from governance.config import Settings
from governance.db import Database
from governance.registry import service as registry
from portal.app import create_app
from tests.governance.mirrors.conftest import register_module, vendor_repo  # noqa: F401 - fixture
from tests.servers import free_port
from tests.waiting import wait_for


@pytest.fixture
def server(settings: Settings, database: Database) -> Iterator[str]:
    """Base URL of a running portal bound to this test's data directory and database."""
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=free_port(), log_level="warning", lifespan="on"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    wait_for(lambda: running.started, "the portal started")
    yield f"http://127.0.0.1:{config.port}"
    running.should_exit = True
    thread.join(timeout=10)


@dataclass
class World:
    """Two vendors with one push-fed module each, and a token per kind of user."""

    tokens: dict[str, str]

    def url(self, base: str, user: str | None, key: str) -> str:
        host = base.removeprefix("http://")
        return f"http://{user}:{self.tokens[user]}@{host}/git/{key}.git" if user else f"{base}/git/{key}.git"


@pytest.fixture
def world(database: Database) -> World:
    """BUD (vendor Huaxin; requirement 1 approved, 2 proposed) and ACC (vendor Lianchuang)."""
    tokens = {}
    with database.session() as session:
        register_module(
            session, key="BUD", vendor="Huaxin", remote=None, requirements={1: "approved", 2: "proposed"}
        )
        register_module(session, key="ACC", vendor="Lianchuang", remote=None, requirements={1: "approved"})
        people = [
            ("huaxin", "vendor", "Huaxin"),
            ("lianchuang", "vendor", "Lianchuang"),
            ("auditor", "auditor", None),
            ("pm", "pm", None),
            ("admin", "admin", None),
        ]
        for name, role, vendor in people:
            registry.create_user(session, name=name, role=role, vendor=vendor, actor="test")
            tokens[name] = registry.create_token(session, user=name, actor="test")
    return World(tokens)
