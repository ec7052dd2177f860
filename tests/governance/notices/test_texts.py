"""Every event reads in both languages; HTML is escaped; findings are listed, not dumped."""

from __future__ import annotations

from datetime import UTC, datetime

from governance.notices.events import EVENTS, Event
from governance.notices.texts import EN, LABELS, LANGUAGES, SUBJECTS, ZH, language, render
from governance.tickets.models import Ticket, TicketCause
from governance.tickets.workflow import notice_payload
from scanners.wording import worded


def test_every_event_has_a_subject_in_both_languages() -> None:
    for lang in LANGUAGES:
        assert set(SUBJECTS[lang]) == set(Event)
    assert set(LABELS[EN]) == set(LABELS[ZH])
    assert len(EVENTS) == 14


def test_language_follows_the_user_locale() -> None:
    assert language("zh_CN") == ZH and language("zh-Hans") == ZH
    assert language("en") == EN and language(None) == EN and language("fr") == EN


def test_bodies_in_chinese_and_english_escape_html() -> None:
    payload = {"module": "PAY", "title": "<script>alert(1)</script>", "url": "/tickets/1"}
    zh = render("ticket.reopened", payload, lang=ZH, name="王工", portal_url="https://govern.example/")
    assert zh.subject == "PAY 的整改工单已重新打开"
    assert "王工，您好" in zh.text and "链接: https://govern.example/tickets/1" in zh.text
    assert "<script>" not in zh.html and "&lt;script&gt;" in zh.html
    en = render("ticket.reopened", payload, lang=EN, name="Wang")
    assert en.subject == "Ticket reopened for PAY" and "Link: /tickets/1" in en.text


def test_long_finding_lists_are_cut() -> None:
    findings = [{"rule": f"r{i}", "path": "a.py", "line": i, "message": "m"} for i in range(25)]
    text = render("ticket.opened", {"module": "PAY", "findings": findings}, lang=EN, name="x").text
    assert text.count("  - ") == 11 and "… and 15 more" in text


def test_a_worded_finding_reads_in_the_recipients_language() -> None:
    """A message Govern wrote (kept as its wording) is translated; a stored one without stays English."""
    wording = worded("only branches (refs/heads/*) and tags (refs/tags/*) may be pushed")
    payload = {
        "module": "PAY",
        "findings": [
            {
                "rule": "push:refs",
                "path": "refs/notes/x",
                "message": str(wording),
                "message_wording": wording.as_json(),
            },
            {"rule": "push:old", "path": "refs/notes/y", "message": "an old notice's English"},
        ],
    }
    zh = render("push.refused", payload, lang=ZH, name="王工")
    assert "  - push:refs refs/notes/x 只能推送分支（refs/heads/*）和标签（refs/tags/*）" in zh.text
    assert "  - push:old refs/notes/y an old notice's English" in zh.text
    en = render("push.refused", payload, lang=EN, name="Wang")
    assert f"  - push:refs refs/notes/x {wording}" in en.text


def test_a_scan_opened_tickets_title_reads_in_the_recipients_language() -> None:
    """The payload keeps the title's wording beside the English title; a written title stays as is."""
    ticket = Ticket(
        module_id=1,
        vendor_id=1,
        cause=TicketCause.new_findings.value,
        title="New findings at critical or above since aaaaaaaaaaaa",
        title_args={"floor": "critical", "commit": "aaaaaaaaaaaa"},
        severity="critical",
        due_at=datetime(2026, 12, 31, tzinfo=UTC),
    )
    payload = notice_payload(ticket, "PAY")
    zh = render("ticket.opened", payload, lang=ZH, name="王工")
    assert "标题: 自 aaaaaaaaaaaa 起出现严重及以上级别的新问题" in zh.text
    en = render("ticket.opened", payload, lang=EN, name="Wang")
    assert "Title: New findings at critical or above since aaaaaaaaaaaa" in en.text
    ticket.title, ticket.title_args = "Rotate the leaked key", None
    written = render("ticket.opened", notice_payload(ticket, "PAY"), lang=ZH, name="王工")
    assert "标题: Rotate the leaked key" in written.text
