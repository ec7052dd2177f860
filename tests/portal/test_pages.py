"""Server-rendered pages: content, filters, pagination, languages, source lines from the mirror."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import select

from governance.config import Settings
from governance.db import Database
from governance.mirrors.service import sync_module
from governance.registry.service import get_module
from governance.scans.models import Finding
from portal.app import create_app
from tests.gitrepo import VendorRepo
from tests.portal.conftest import World, bearer, csrf_of, login, make_scan


def _figure(html: str, label: str) -> str:
    match = re.search(r"<b>([\d,]+)</b><span>" + re.escape(label) + "</span>", html)
    assert match, label
    return match.group(1)


def test_dashboard_figures_for_staff(app_client: TestClient, world: World) -> None:
    login(app_client, "pm")
    html = app_client.get("/").text
    assert _figure(html, "modules") == "2" and _figure(html, "vendors") == "2"
    assert _figure(html, "requirements") == "6" and _figure(html, "lines of code") == "3,000"
    assert _figure(html, "gate failures") == "1"
    assert html.count('class="trend"') == 2 and "<polyline" in html
    assert "Worst-moving modules" in html  # BETA went from 70 to 60


def test_dashboard_is_scoped_for_a_vendor(app_client: TestClient, world: World) -> None:
    login(app_client, "vendor_a")
    html = app_client.get("/").text
    assert _figure(html, "modules") == "1" and _figure(html, "vendors") == "1"
    assert _figure(html, "lines of code") == "1,000"
    assert "BETA" not in html and "Beta" not in html


def test_module_page_filters_and_paginates(app_client: TestClient, world: World) -> None:
    login(app_client, "auditor")
    html = app_client.get("/modules/ACME").text
    assert "(60)" in html and "Page 1 of 2" in html and "gate passed" in html
    assert "DES-001" in html, "failing rules are listed under their standard"
    page2 = app_client.get("/modules/ACME?page=2").text
    assert "Page 2 of 2" in page2
    filtered = app_client.get("/modules/ACME?severity=critical&standard=&state=&path=src/").text
    assert "(6)" in filtered and "lib/util.py" not in filtered


def test_scan_report_is_printable(app_client: TestClient, world: World) -> None:
    login(app_client, "auditor")
    html = app_client.get(f"/scans/{world.scans['BETA'][-1].id}").text
    assert "Scan report" in html and "gate failed" in html and "(60)" in html
    assert "@media print" in app_client.get("/static/govern.css").text


def test_failed_gate_shows_the_failing_condition_on_both_pages(app_client: TestClient, world: World) -> None:
    login(app_client, "auditor")
    for url in ("/modules/BETA", f"/scans/{world.scans['BETA'][-1].id}"):
        html = app_client.get(url).text
        assert "Gate failed: 1 of 1 conditions do not hold" in html, url
        row = re.search(r'<tr class="bad">(.*?)</tr>', html, re.S)
        assert row and "overall.failed_rules.blocker" in row.group(1) and "fails" in row.group(1), url
    passed = app_client.get("/modules/ACME").text
    assert "Gate passed: every condition holds" in passed and '<tr class="bad">' not in passed
    app_client.cookies.set("govern_lang", "zh_CN")
    chinese = app_client.get("/modules/BETA", headers={"Accept-Language": "zh-CN"}).text
    assert "门禁未通过" in chinese and "未满足" in chinese


def test_requirements_list_search_and_detail(app_client: TestClient, world: World) -> None:
    login(app_client, "pm")
    assert "(6)" in app_client.get("/requirements").text
    assert "(1)" in app_client.get("/requirements?q=BETA-0002").text
    assert "(2)" in app_client.get("/requirements?module=ACME&status=approved").text
    detail = app_client.get("/requirements/ACME-0002").text
    assert "ACME requirement 2" in detail and "registered" in detail


def test_vendors_page_summarises(app_client: TestClient, world: World) -> None:
    login(app_client, "pm")
    html = app_client.get("/vendors").text
    assert "Acme Soft" in html and "Beta Systems" in html


def test_chinese_by_browser_and_by_user(app_client: TestClient, world: World, database: Database) -> None:
    login(app_client, "pm")
    zh = app_client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}).text
    assert 'lang="zh-CN"' in zh and "仪表盘" in zh and "应用设计" in zh
    en = app_client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert 'lang="en"' in en and "Dashboard" in en
    with database.session() as session:
        user = session.get(type(world.users["pm"]), world.users["pm"].id)
        assert user is not None
        user.locale = "zh_CN"
        session.add(user)
    assert "仪表盘" in app_client.get("/", headers={"Accept-Language": "en"}).text


def test_login_page_in_chinese(app_client: TestClient) -> None:
    html = app_client.get("/login", headers={"Accept-Language": "zh"}).text
    assert "登录 Govern" in html


def _mirror(settings: Settings, key: str, path: str, text: str) -> str:
    """A bare mirror with one commit holding ``path``; returns the commit sha."""
    work = settings.data_dir / "work"
    work.mkdir(parents=True)
    (work / Path(path).parent).mkdir(parents=True, exist_ok=True)
    (work / path).write_text(text)
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
    }
    run = lambda *args, cwd=work: subprocess.run(  # noqa: E731
        ["git", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env={**env, "PATH": "/usr/bin:/bin"},
    )
    run("init", "-q", "-b", "main")
    run("add", ".")
    run("commit", "-q", "-m", "x")
    sha = run("rev-parse", "HEAD").stdout.strip()
    mirrors = settings.data_dir / "mirrors"
    mirrors.mkdir(exist_ok=True)
    run("clone", "-q", "--bare", str(work), str(mirrors / f"{key}.git"), cwd=settings.data_dir)
    return sha


def test_finding_shows_source_lines_from_the_mirror(
    app_client: TestClient, world: World, settings: Settings, database: Database
) -> None:
    sha = _mirror(settings, "ACME", "src/app.py", "".join(f"line_{n} = {n}\n" for n in range(1, 40)))
    with database.session() as session:
        scan = session.get(type(world.scans["ACME"][-1]), world.scans["ACME"][-1].id)
        assert scan is not None
        scan.commit_sha = sha
        session.add(scan)
        finding = session.exec(
            select(Finding).where(
                Finding.scan_id == scan.id, Finding.path == "src/app.py", Finding.line == 11
            )
        ).one()
    login(app_client, "vendor_a")
    html = app_client.get(f"/modules/ACME/findings/{finding.id}").text
    assert '<span class="hit"><i>11</i>line_11 = 11</span>' in html
    assert "line_6 = 6" in html and "line_17 = 17" not in html


def test_finding_without_mirror_degrades(app_client: TestClient, world: World, database: Database) -> None:
    with database.session() as session:
        finding = session.exec(select(Finding).where(Finding.scan_id == world.scans["ACME"][-1].id)).first()
    assert finding is not None
    login(app_client, "pm")
    response = app_client.get(f"/modules/ACME/findings/{finding.id}")
    assert response.status_code == 200 and "Source is not available" in response.text


def test_admin_creates_a_token_shown_once(app_client: TestClient, world: World, database: Database) -> None:
    login(app_client, "admin")
    token_field = csrf_of(app_client.get("/admin").text)
    html = app_client.post(
        "/admin/tokens", data={"owner": "vendor_a", "label": "ci", "csrf_token": token_field}
    ).text
    token = re.search(r'id="new-token">([^<]+)<', html)
    assert token
    api = app_client.get("/api/v1/modules", headers={"Authorization": f"Bearer {token.group(1)}"}).json()
    assert [m["key"] for m in api] == ["ACME"]


def test_admin_form_errors_are_shown_and_change_nothing(app_client: TestClient, world: World) -> None:
    login(app_client, "pm")
    token = csrf_of(app_client.get("/admin").text)
    response = app_client.post("/admin/vendors", data={"name": "Acme Soft", "csrf_token": token})
    assert response.status_code == 409 and "already exists" in response.text
    bad = app_client.post(
        "/admin/modules", data={"key": "bad key", "vendor": "Acme Soft", "csrf_token": token}
    )
    assert bad.status_code == 422 and "invalid module key" in bad.text


def test_unknown_page_is_a_404_page(app_client: TestClient, world: World) -> None:
    login(app_client, "pm")
    response = app_client.get("/no/such/page")
    assert response.status_code == 404 and "<html" in response.text


def test_page_ids_beyond_32_bits_are_invalid_input(app_client: TestClient, world: World) -> None:
    login(app_client, "pm")
    assert app_client.get("/scans/99999999999").status_code == 422
    assert app_client.get("/modules/ACME/findings/99999999999").status_code == 422


def test_cached_module_page_still_checks_access_and_language(app_client: TestClient, world: World) -> None:
    login(app_client, "pm")
    english = app_client.get("/modules/ACME").text
    chinese = app_client.get("/modules/ACME", headers={"Accept-Language": "zh-CN"}).text
    assert "all severities" in english and "全部严重程度" in chinese and "全部严重程度" not in english
    app_client.post("/logout", data={"csrf_token": csrf_of(english)})
    login(app_client, "vendor_b")
    assert app_client.get("/modules/ACME").status_code == 404


def test_module_page_never_shows_a_summary_older_than_its_scans(
    settings: Settings, database: Database, world: World
) -> None:
    """The summary is cached for readers, but a new scan shows at once (CI ran faster than the TTL)."""
    app = create_app(settings, database=database, cache_ttl=3600.0)
    with TestClient(app, base_url="http://testserver") as client:
        login(client, "auditor")
        before = client.get("/modules/ACME").text
        with database.session() as session:
            newer = make_scan(session, world.modules["ACME"], score=50.0, findings=1, gate=False)
            session.commit()
            newest = newer.id
        assert f'href="/scans/{newest}"' not in before
        after = client.get("/modules/ACME").text
        card = after.split("Scan history")[0]
        assert f'<a href="/scans/{newest}">#{newest}</a>' in card


def test_the_sync_outcome_reads_in_each_readers_language(
    app_client: TestClient, world: World, database: Database, settings: Settings, tmp_path: Path
) -> None:
    """A real sync's stored outcome, ok and then failed: Chinese on the zh-CN page, English on the
    English page and in the API (the failed one's reason is translated within it)."""
    repo = VendorRepo(tmp_path / "acme")
    repo.commit("ACME-1: first", {"app.py": "X = 1\n"})
    outcomes = [
        (str(repo.path), "ACME：成功：1 个新提交，", "ACME: ok: 1 new commits, "),
        (str(tmp_path / "gone"), "不是 git 仓库：请检查 URL", "not a git repository: check the URL"),
    ]
    login(app_client, "vendor_a")
    for remote, chinese, english in outcomes:
        with database.session() as session:
            module = get_module(session, "ACME")
            module.remote = remote
            session.add(module)
            session.commit()
            sync_module(session, settings=settings, key="ACME", actor="test")
        zh = app_client.get("/modules/ACME", headers={"Accept-Language": "zh-CN"}).text
        en = app_client.get("/modules/ACME", headers={"Accept-Language": "en"}).text
        api = app_client.get("/api/v1/modules/ACME", headers=bearer(world, "vendor_a")).json()
        assert chinese in zh and english not in zh
        assert english in en and english in api["last_sync_message"]
    assert "无法从" in zh and "cannot fetch from" in en
