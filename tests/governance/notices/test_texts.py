"""Every event reads in both languages; HTML is escaped; findings are listed, not dumped."""

from __future__ import annotations

from governance.notices.events import EVENTS, Event
from governance.notices.texts import EN, LABELS, LANGUAGES, SUBJECTS, ZH, language, render


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
