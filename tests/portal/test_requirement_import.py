"""Importing a requirements spreadsheet from the portal: a refused file imports nothing and its
problem lines read in the reader's language; a good one is imported; only PMs and admins may."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlmodel import func, select

from governance.db import Database
from governance.requirements.models import Requirement
from tests.portal.conftest import World, csrf_of, login

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}
#: A good row beside three bad ones: a bad key, an empty title, an unknown status.
BAD = (
    b"key,title,status\n"
    b"ACME-0100,A good row,proposed\n"
    b"ACME-x,Bad key,proposed\n"
    b"ACME-0101,,proposed\n"
    b"ACME-0102,Bad status,sideways\n"
)


def _upload(client: TestClient, content: bytes, headers: dict[str, str], name: str = "reqs.csv") -> str:
    page = client.get("/requirements", headers=headers).text
    response = client.post(
        "/requirements/import",
        data={"module": "ACME", "csrf_token": csrf_of(page)},
        files={"file": (name, content, "text/csv")},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code in (303, 422), response.text
    return html.unescape(response.text)


def _count(database: Database) -> int:
    with database.session() as session:
        return session.exec(select(func.count()).select_from(Requirement)).one()


def test_a_refused_spreadsheet_imports_nothing_and_reads_in_chinese(
    app_client: TestClient, world: World, database: Database
) -> None:
    before = _count(database)
    login(app_client, "pm")
    zh = _upload(app_client, BAD, ZH)
    assert "reqs.csv：未导入任何内容，共 3 个问题：" in zh
    assert "第 3 行，key 列：无效编号 'ACME-x'：应为 ACME-<数字>" in zh
    assert "第 4 行，title 列：标题为空" in zh
    assert "第 5 行，status 列：未知状态 'sideways'：请使用以下之一：" in zh
    assert "nothing imported" not in zh and "the title is empty" not in zh
    en = _upload(app_client, BAD, EN)
    assert "reqs.csv: nothing imported, 3 problems:" in en
    assert "row 4, column title: the title is empty" in en
    one = _upload(app_client, b"", ZH, "empty.csv")
    assert "empty.csv：未导入任何内容：文件为空" in one
    assert _count(database) == before


def test_a_good_spreadsheet_is_imported(app_client: TestClient, world: World, database: Database) -> None:
    before = _count(database)
    login(app_client, "admin")
    _upload(app_client, b"key,title\nACME-0200,Imported on the portal\n", EN, "../../good.csv")
    assert _count(database) == before + 1
    assert "ACME-0200" in app_client.get("/requirements?module=ACME").text


def test_only_managers_see_the_form(app_client: TestClient, world: World) -> None:
    login(app_client, "vendor_a")
    assert 'action="/requirements/import"' not in app_client.get("/requirements").text
