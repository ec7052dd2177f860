"""Real Chromium at desktop (1280 px) and phone (390 px) widths, in English and Chinese.

Each page is checked for what breaks on a small screen or in Chinese: the document never
scrolls sideways (wide tables scroll inside their own box), the navigation folds behind the
menu button and opens from it, and findings-table headers and short cells stay on one line
(a two-character word is never split one character per line). Screenshots are kept under the
test's tmp dir and copied to ``test-artifacts/screenshots/`` (git-ignored) for people to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from governance.config import Settings
from governance.db import open_database
from governance.mirrors.push_log import record_acceptance, record_refusal
from governance.mirrors.push_rules import RefUpdate, check_namespace
from governance.registry.service import get_module
from tests.portal.test_browser import (  # noqa: F401
    ARTIFACTS,
    _login,
    base_url,
    browser,
    browser_settings,
)

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 390}
LOCALES = {"en": "en-US", "zh": "zh-CN"}
PAGES = (
    "/",
    "/modules/ACME",
    "/modules/ACME?sort=path&q=src",
    "/scans/{scan}",
    "/waivers",
    "/requirements",
    "/scorecards",
    "/reports/monthly",
    "/modules/ACME/pushes",
)


def _open(browser: Browser, base: str, width: int, locale: str, user: str = "pm") -> Page:  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 860}, locale=locale)
    page = context.new_page()
    _login(page, base, user, start="/login")
    return page


def _shot(page: Page, tmp_path: Path, name: str) -> None:
    """The whole page, its first screen, and the findings table if there is one."""
    kept = ARTIFACTS / "screenshots"
    kept.mkdir(parents=True, exist_ok=True)
    shots = {f"{name}.png": {"full_page": True}, f"{name}-top.png": {"full_page": False}}
    for file_name, options in shots.items():
        page.screenshot(path=str(tmp_path / file_name), **options)
    table = page.locator("table.findings")
    if table.count():
        table.first.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / f"{name}-findings.png"))
        shots[f"{name}-findings.png"] = {}
    for file_name in shots:
        shutil.copy(tmp_path / file_name, kept / file_name)


def _sideways_overflow(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def _wrapped_short_cells(page: Page) -> list[str]:
    """Header and short cells of findings tables taller than one line of text."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll(
                   'table.findings th, table.findings td.short > span, table.findings td.short > code')]
                 .filter(el => el.getBoundingClientRect().height
                               > 1.8 * (parseFloat(getComputedStyle(el).lineHeight) || 20))
                 .map(el => el.textContent.trim())"""
        )
    )


def _scan_id(page: Page, base: str) -> str:
    page.goto(f"{base}/modules/ACME")
    href = page.locator("table a[href^='/scans/']").first.get_attribute("href")
    assert href is not None
    return href.rsplit("/", 1)[1]


@pytest.fixture(scope="module")
def refused_push(base_url: str, browser_settings: Settings) -> str:  # noqa: F811
    """A refused push on the push log page: a real rule's worded violation, and an accepted one."""
    database = open_database(browser_settings)
    with database.session() as session:
        module = get_module(session, "ACME")
        sneaky = RefUpdate("0" * 40, "b" * 40, "refs/notes/commits")
        record_refusal(
            session, module=module, pusher="vendor_a", updates=[sneaky], violations=check_namespace([sneaky])
        )
        update = RefUpdate("0" * 40, "c" * 40, "refs/heads/main")
        record_acceptance(session, module=module, pusher="vendor_a", updates=[update], new_commits=3)
    database.dispose()
    return "refs/notes/commits"


@pytest.mark.parametrize("lang", list(LOCALES))
@pytest.mark.parametrize("size", list(WIDTHS))
def test_pages_fit_the_screen_in_both_languages(
    browser: Browser,  # noqa: F811
    base_url: str,  # noqa: F811
    refused_push: str,
    tmp_path: Path,
    size: str,
    lang: str,
) -> None:
    page = _open(browser, base_url, WIDTHS[size], LOCALES[lang])
    scan = _scan_id(page, base_url)
    for number, path in enumerate(PAGES):
        response = page.goto(base_url + path.format(scan=scan))
        assert response is not None and response.status == 200, path
        assert _sideways_overflow(page) <= 0, f"{path} scrolls sideways at {size} in {lang}"
        assert _wrapped_short_cells(page) == [], f"{path}: short cells wrap at {size} in {lang}"
        name = path.strip("/").split("?")[0].replace("/", "-").replace("{scan}", "report")
        _shot(page, tmp_path, f"{size}-{lang}-{number}-{name or 'dashboard'}")
    if lang == "zh":
        page.goto(f"{base_url}/modules/ACME")
        assert "首次发现" in page.content() and "导出" in page.content()
        page.goto(f"{base_url}/modules/ACME/pushes")
        assert refused_push in page.content() and "只能推送分支" in page.content()


def test_navigation_folds_at_phone_width_and_opens_from_the_menu(
    browser: Browser,  # noqa: F811
    base_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    phone = _open(browser, base_url, WIDTHS["phone"], "zh-CN")
    nav = phone.locator("header.top nav")
    assert not nav.is_visible() and phone.locator(".nav-burger").is_visible()
    phone.click(".nav-burger")
    assert nav.is_visible()
    _shot(phone, tmp_path, "phone-zh-menu-open")
    phone.click("header.top nav a[href='/requirements']")
    phone.wait_for_url(f"{base_url}/requirements")
    desktop = _open(browser, base_url, WIDTHS["desktop"], "en-US")
    assert desktop.locator("header.top nav").is_visible()
    assert not desktop.locator(".nav-burger").is_visible()


def test_vendor_requests_and_pm_approves_in_the_browser(
    browser: Browser,  # noqa: F811
    base_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    vendor = _open(browser, base_url, WIDTHS["phone"], "zh-CN", user="vendor_a")
    vendor.goto(f"{base_url}/modules/ACME")
    vendor.locator("table.findings td.location a").first.click()
    vendor.check("input[name=kind][value=accepted_risk]")
    vendor.fill("textarea[name=reason]", "旧模块，第三季度替换")
    vendor.click("form.request-waiver button")
    vendor.wait_for_load_state()
    assert "旧模块，第三季度替换" in vendor.content() and "已申请" in vendor.content()
    assert _sideways_overflow(vendor) <= 0
    _shot(vendor, tmp_path, "phone-zh-finding-requested")
    pm = _open(browser, base_url, WIDTHS["desktop"], "en-US")
    pm.goto(f"{base_url}/waivers")
    row = pm.locator("tr.waiver", has_text="旧模块，第三季度替换")
    row.locator("input[name=reason]").fill("risk owner signed off")
    row.locator("button[value=approve]").click()
    pm.wait_for_url(f"{base_url}/waivers")
    assert "旧模块，第三季度替换" not in pm.content(), "decided requests leave the queue"
    pm.goto(f"{base_url}/modules/ACME/waivers")
    assert "risk owner signed off" in pm.content()
    _shot(pm, tmp_path, "desktop-en-module-waivers")
