"""`govern tickets …` and `govern campaign …` on real scans: list, answer, extend, close; vendor isolation."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.registry import service as registry
from tests.governance.scans.conftest import pay_module, scan_now, vendor_repo  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture
def opened(database, pay_module, scan_now) -> int:  # noqa: F811
    scan_now(pay_module)
    with database.session() as session:
        registry.create_vendor(session, name="Other Co", actor="t")
        registry.create_user(session, name="acme-dev", role="vendor", vendor="Acme Soft", actor="t")
        registry.create_user(session, name="other-dev", role="vendor", vendor="Other Co", actor="t")
        registry.create_user(session, name="pm", role="pm", actor="t")
    return 1


def test_list_answer_extend_and_close_as_accepted_risk(govern, database, opened) -> None:
    listed = json.loads(govern("tickets", "list", "--module", "PAY", "--json", "--as", "acme-dev").out)
    assert [(t["id"], t["module"], t["state"]) for t in listed] == [(opened, "PAY", "open")]
    assert listed[0]["findings"] >= 1 and listed[0]["due"]
    later = (date.today() + timedelta(days=20)).isoformat()
    answered = govern("tickets", "answer", "1", "--comment", "on it", "--planned", later, "--as", "acme-dev")
    assert answered.code == 0 and "answered" in answered.out, answered.err
    shown = json.loads(govern("tickets", "show", "1", "--json", "--as", "pm").out)
    assert shown["planned"] == later and [c["kind"] for c in shown["thread"]] == ["answer"]
    extended = govern(
        "tickets", "extend", "1", "--until", later, "--reason", "waiting for the release", "--as", "pm"
    )
    assert extended.code == 0, extended.err
    closed = govern("tickets", "close", "1", "--waiver", "module retired next quarter", "--as", "pm")
    assert closed.code == 0 and "accepted risk" in closed.out, closed.err
    assert (
        json.loads(govern("tickets", "list", "--state", "closed", "--json", "--as", "pm").out)[0]["id"] == 1
    )


def test_show_labels_every_field_in_the_chosen_language(govern, opened) -> None:
    chinese = govern("--lang", "zh-CN", "tickets", "show", "1", "--as", "pm")
    assert chinese.code == 0, chinese.err
    for label in (
        "编号：1",
        "模块：PAY",
        "状态：待处理",
        "严重程度：严重",
        "标题：",
        "责任人：",
        "到期：",
        "计划日期：",
        "问题：",
    ):
        assert label in chinese.out, chinese.out
    assert not any(f"\n{name}:" in chinese.out for name in ("module", "state", "title", "due", "planned"))
    assert "处门禁未通过：请修复其背后的问题" in chinese.out or "及以上级别的新问题" in chinese.out
    english = govern("--lang", "en", "tickets", "show", "1", "--as", "pm").out
    assert english.startswith("id: 1\nmodule: PAY\nstate: open\n") and "planned: \n" in english
    assert "title: Gate failed at " in english or "title: New findings at " in english
    listed = govern("--lang", "zh-CN", "tickets", "list", "--as", "pm").out
    assert "处门禁未通过" in listed or "及以上级别的新问题" in listed, listed
    raw = json.loads(govern("--lang", "zh-CN", "tickets", "list", "--json", "--as", "pm").out)
    assert raw[0]["title"].startswith(("Gate failed at ", "New findings at "))  # a machine face


def test_other_vendor_sees_nothing_and_refusals_exit_2(govern, database, opened) -> None:
    assert json.loads(govern("tickets", "list", "--json", "--as", "other-dev").out) == []
    hidden = govern("tickets", "show", "1", "--as", "other-dev")
    assert hidden.code == 2 and "unknown ticket #1" in hidden.err
    with database.session() as session:
        before = len(session.exec(select(AuditEvent)).all())
    assert govern("tickets", "answer", "1", "--comment", "not mine", "--as", "other-dev").code == 2
    assert (
        govern(
            "tickets",
            "extend",
            "1",
            "--until",
            "2099-01-01",
            "--reason",
            "vendor wants more",
            "--as",
            "acme-dev",
        ).code
        == 2
    )
    assert govern("tickets", "list", "--state", "bogus", "--as", "pm").code == 2
    with database.session() as session:
        assert len(session.exec(select(AuditEvent)).all()) == before


def test_campaign_create_list_show_close(govern, opened) -> None:
    deadline = (date.today() + timedelta(days=30)).isoformat()
    made = govern(
        "campaign",
        "create",
        "--title",
        "No critical left",
        "--deadline",
        deadline,
        "--module",
        "PAY",
        "--no-findings",
        "critical",
        "--as",
        "pm",
    )
    assert made.code == 0, made.err
    shown = json.loads(govern("campaign", "show", "1", "--json", "--as", "acme-dev").out)
    assert [m["module"] for m in shown["modules"]] == ["PAY"] and shown["modules"][0]["met"] is False
    assert shown["burn_up"][-1] == {"day": date.today().isoformat(), "met": 0, "total": 1}
    assert govern("campaign", "show", "1", "--as", "other-dev").code == 2
    assert json.loads(govern("campaign", "list", "--json", "--as", "other-dev").out) == []
    assert (
        govern(
            "campaign",
            "create",
            "--title",
            "x",
            "--deadline",
            deadline,
            "--module",
            "PAY",
            "--level",
            "B",
            "--as",
            "acme-dev",
        ).code
        == 2
    )
    assert govern("campaign", "close", "1", "--reason", "superseded by the audit", "--as", "pm").code == 0
