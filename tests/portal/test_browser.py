"""Browser tests: Debian's chromium, headless, driven by Playwright against a real uvicorn server.

Run when ``GOVERN_TEST_BROWSER=1`` or in CI (where a missing chromium is a failure, not a
skip). Screenshots go to ``test-artifacts/`` for people to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from governance.config import Settings
from governance.db import open_database
from portal.app import create_app
from tests import servers
from tests.portal.conftest import PASSWORD, build_world
from tests.waiting import wait_for

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("GOVERN_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _wanted() -> None:
    if not servers.wanted("GOVERN_TEST_BROWSER"):
        pytest.skip("browser tests run with GOVERN_TEST_BROWSER=1 (always in CI)")
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        message = "chromium is missing: apt-get install chromium (scripts/system-deps.sh)"
        if servers.in_ci():
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def browser_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Where the browser tests' portal keeps its data (a test may add rows through it)."""
    return Settings(data_dir=tmp_path_factory.mktemp("browser") / "data")


@pytest.fixture(scope="module")
def base_url(browser_settings: Settings) -> Iterator[str]:
    """The portal on a free loopback port, with the test world in an SQLite file."""
    _wanted()
    settings = browser_settings
    database = open_database(settings)
    with database.session() as session:
        build_world(session)
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


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"), args=FLAGS
        )
        yield instance
        instance.close()


def _page(browser: Browser, locale: str = "en-US") -> Page:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale=locale)
    return context.new_page()


def _login(page: Page, base_url: str, user: str, start: str = "/") -> None:
    """Sign in through the form; a refused sign-in fails with the server's answer, not a timeout."""
    page.goto(f"{base_url}{start}")
    assert "/login" in page.url
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    log: list[str] = []
    page.on("request", lambda r: log.append(f"> {r.method} {r.url}"))
    page.on("requestfinished", lambda r: log.append(f"< {r.url}"))
    page.on("requestfailed", lambda r: log.append(f"! {r.url} {r.failure}"))
    page.on("framenavigated", lambda f: log.append(f"nav {f.url}"))
    page.on("load", lambda _p: log.append("load"))
    with page.expect_response(lambda r: r.request.method == "POST" and "/login" in r.url) as posted:
        page.click("button[type=submit]")
    answer = posted.value
    assert answer.status == 303, f"sign-in of {user} answered {answer.status}: {answer.text()[:2000]}"
    try:
        page.wait_for_url(f"{base_url}/")
    except PlaywrightTimeout:
        state = page.evaluate("document.readyState")
        raise AssertionError(f"after sign-in: url={page.url} readyState={state} log={log}") from None


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("role", ["admin", "pm", "auditor", "vendor_a", "vendor_b"])
def test_each_role_walks_the_main_pages(browser: Browser, base_url: str, role: str) -> None:
    page = _page(browser)
    _login(page, base_url, role)
    _shot(page, f"{role}-dashboard")
    assert page.locator("table.heatmap tbody tr").count() == (2 if role in {"admin", "pm", "auditor"} else 1)
    own = "BETA" if role == "vendor_b" else "ACME"
    page.click(f"table.heatmap a:text('{own}')")
    page.wait_for_url(f"{base_url}/modules/{own}")
    assert page.locator("table.standards tbody tr").count() == 6
    _shot(page, f"{role}-module")
    page.goto(f"{base_url}/requirements")
    assert page.locator("h1").inner_text().startswith("Requirements")
    page.goto(f"{base_url}/vendors")
    _shot(page, f"{role}-vendors")
    if role == "vendor_b":
        response = page.goto(f"{base_url}/modules/ACME")
        assert response is not None and response.status == 404
    page.click("button:text('Log out')")
    page.wait_for_url(f"{base_url}/login")


def test_filter_findings(browser: Browser, base_url: str) -> None:
    page = _page(browser)
    _login(page, base_url, "pm")
    page.goto(f"{base_url}/modules/ACME")
    page.select_option("select[name=severity]", "critical")
    page.fill("input[name=path]", "src/")
    page.click("#finding-filters button[type=submit]")
    page.wait_for_url("**severity=critical**")
    assert page.locator("table.findings tbody tr").count() == 6
    assert all(
        cell.startswith("src/") for cell in page.locator("table.findings td:nth-child(4)").all_inner_texts()
    )
    # The standard's rule and the scanner's rule are two codes, never one run-together word.
    rules = page.locator("table.findings td:nth-child(3)").first.inner_text().split()
    assert len(rules) == 2 and re.fullmatch(r"[A-Z]+-\d+", rules[0]), rules
    _shot(page, "pm-findings-filtered")


def test_admin_page_and_chinese_dashboard(browser: Browser, base_url: str) -> None:
    page = _page(browser, locale="zh-CN")
    _login(page, base_url, "admin")
    assert "仪表盘" in page.content()
    _shot(page, "admin-dashboard-zh")
    page.goto(f"{base_url}/admin")
    page.fill("form[action='/admin/vendors'] input[name=name]", "Gamma Works")
    page.click("form[action='/admin/vendors'] button")
    page.wait_for_url("**/admin?done=vendor")
    assert "Gamma Works" in page.content()
    _shot(page, "admin-admin-zh")


def test_pm_moves_a_requirement(browser: Browser, base_url: str) -> None:
    page = _page(browser)
    _login(page, base_url, "pm")
    page.goto(f"{base_url}/requirements?module=BETA&status=approved")
    page.click("a:text('BETA-0001')")
    page.wait_for_url(f"{base_url}/requirements/BETA-0001")
    page.select_option("#move-form select[name=to]", "in_progress")
    page.fill("#move-form input[name=reason]", "started in sprint 4")
    page.click("#move-form button")
    page.wait_for_url(f"{base_url}/requirements/BETA-0001")
    assert "started in sprint 4" in page.content()
    assert page.locator("h1 .badge").inner_text() == "in_progress"
    _shot(page, "pm-requirement-moved")
