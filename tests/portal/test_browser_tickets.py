"""Ticket and campaign pages in real Chromium at 390 px and 1280 px, in English and Chinese."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser

from governance.campaigns.models import CampaignGoal
from governance.campaigns.service import CampaignSpec, create_campaign
from governance.config import Settings
from governance.db import open_database
from portal.app import create_app
from tests import servers
from tests.portal.conftest import build_world, open_tickets
from tests.portal.test_browser import _wanted, browser  # noqa: F401
from tests.portal.test_browser_widths import LOCALES, WIDTHS, _open, _shot, _sideways_overflow
from tests.waiting import wait_for

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal with the test world, a ticket per module and a campaign over both."""
    _wanted()
    settings = Settings(data_dir=tmp_path_factory.mktemp("browser-tickets") / "data")
    database = open_database(settings)
    with database.session() as session:
        world = build_world(session)
    open_tickets(database, world)
    with database.session() as session:
        spec = CampaignSpec(
            title="Level B or better in development",
            goal=CampaignGoal.level,
            level="B",
            standard="development",
            deadline=date.today() + timedelta(days=30),
            modules=("ACME", "BETA"),
        )
        create_campaign(session, user=world.users["pm"], spec=spec)
    port = servers.free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, database=database), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started, "uvicorn started")
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    database.dispose()


PAGES = ("/tickets", "/tickets/1", "/campaigns", "/campaigns/1")


@pytest.mark.parametrize("lang", list(LOCALES))
@pytest.mark.parametrize("size", list(WIDTHS))
@pytest.mark.parametrize("user", ["pm", "vendor_a"])
def test_ticket_and_campaign_pages_fit_the_screen(
    browser: Browser,  # noqa: F811
    base_url: str,
    tmp_path: Path,
    size: str,
    lang: str,
    user: str,
) -> None:
    page = _open(browser, base_url, WIDTHS[size], LOCALES[lang], user=user)
    for number, path in enumerate(PAGES):
        response = page.goto(base_url + path)
        assert response is not None and response.status == 200, path
        assert _sideways_overflow(page) <= 0, f"{path} scrolls sideways at {size} in {lang} for {user}"
        _shot(page, tmp_path, f"{size}-{lang}-{user}-tickets-{number}")
    if lang == "zh":
        page.goto(f"{base_url}/campaigns/1")
        assert "燃起图" in page.content() and "<svg" in page.content()
