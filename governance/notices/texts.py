"""What a notice says, in English and Simplified Chinese (the recipient's language).

The domain cannot read the portal's gettext catalogues (``governance`` never imports
``portal``), so notice texts live here, one table per language, and tests check both are
complete. A message is rendered from the notice's event and its (already cleaned) payload:
a subject, a one-line summary, and the payload's facts as a list; the HTML part is the same
content escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from governance.notices.events import Event
from scanners.wording import in_language, translations

EN = "en"
ZH = "zh-CN"
LANGUAGES = (EN, ZH)

SUBJECTS: dict[str, dict[Event, str]] = {
    EN: {
        Event.ticket_opened: "Rectification ticket opened for {module}",
        Event.ticket_answered: "Ticket answered by the vendor of {module}",
        Event.ticket_overdue: "Ticket overdue for {module}",
        Event.ticket_closed: "Ticket closed for {module}",
        Event.ticket_reopened: "Ticket reopened for {module}",
        Event.waiver_requested: "Waiver requested for {module}",
        Event.waiver_approved: "Waiver approved for {module}",
        Event.waiver_expiring: "Waiver expiring soon for {module}",
        Event.gate_failed: "Quality gate failed for {module}",
        Event.push_refused: "Push refused for {module}",
        Event.campaign_reminder: "Campaign reminder: {campaign}",
        Event.campaign_deadline: "Campaign deadline reached: {campaign}",
        Event.scan_completed: "Scan completed for {module}",
        Event.attestation_expired: "Attested check expired for {module}: evidence needed again",
    },
    ZH: {
        Event.ticket_opened: "{module} 新建整改工单",
        Event.ticket_answered: "{module} 的厂商已答复工单",
        Event.ticket_overdue: "{module} 的整改工单已逾期",
        Event.ticket_closed: "{module} 的整改工单已关闭",
        Event.ticket_reopened: "{module} 的整改工单已重新打开",
        Event.waiver_requested: "{module} 申请豁免",
        Event.waiver_approved: "{module} 的豁免已批准",
        Event.waiver_expiring: "{module} 的豁免即将到期",
        Event.gate_failed: "{module} 未通过质量门禁",
        Event.push_refused: "{module} 的推送被拒绝",
        Event.campaign_reminder: "专项提醒：{campaign}",
        Event.campaign_deadline: "专项截止：{campaign}",
        Event.scan_completed: "{module} 扫描完成",
        Event.attestation_expired: "{module} 的证明材料已过期，需重新提交",
    },
}

#: Payload keys shown as facts, in this order, with their labels.
LABELS: dict[str, dict[str, str]] = {
    EN: {
        "module": "Module",
        "ticket": "Ticket",
        "title": "Title",
        "state": "State",
        "severity": "Severity",
        "due": "Due",
        "scan": "Scan",
        "commit": "Commit",
        "score": "Score",
        "level": "Level",
        "gate_passed": "Gate passed",
        "waiver": "Waiver",
        "reason": "Reason",
        "expires": "Expires",
        "rule": "Rule",
        "ref": "Ref",
        "fix": "How to fix",
        "campaign": "Campaign",
        "deadline": "Deadline",
        "by": "By",
        "url": "Link",
        "findings": "Findings",
    },
    ZH: {
        "module": "模块",
        "ticket": "工单",
        "title": "标题",
        "state": "状态",
        "severity": "严重程度",
        "due": "到期",
        "scan": "扫描",
        "commit": "提交",
        "score": "得分",
        "level": "等级",
        "gate_passed": "门禁通过",
        "waiver": "豁免",
        "reason": "理由",
        "expires": "到期时间",
        "rule": "规则",
        "ref": "引用",
        "fix": "修复方法",
        "campaign": "专项",
        "deadline": "截止日期",
        "by": "操作人",
        "url": "链接",
        "findings": "问题",
    },
}

FRAME: dict[str, dict[str, str]] = {
    EN: {
        "greeting": "Hello {name},",
        "footer": "You receive this because of your notice settings in Govern (My notices).",
        "digest_subject": "Govern: {count} notices of the day",
        "digest_intro": "Your notices since the last digest:",
        "more": "… and {count} more",
    },
    ZH: {
        "greeting": "{name}，您好：",
        "footer": "您收到此邮件是因为您在 Govern 的通知设置（我的通知）。",
        "digest_subject": "Govern：今日 {count} 条通知",
        "digest_intro": "自上次汇总以来的通知：",
        "more": "……另有 {count} 条",
    },
}

MAX_FINDINGS = 10

#: The wordings' catalogue directory of each language (English shows the stored text).
_WORDINGS = {EN: None, ZH: "zh_CN"}


@dataclass(frozen=True)
class Rendered:
    """A notice in one language: subject, plain text and HTML."""

    subject: str
    text: str
    html: str


def language(locale: str | None) -> str:
    """``zh``, ``zh_CN``, ``zh-Hans`` → zh-CN; anything else → English."""
    return ZH if (locale or "").lower().startswith("zh") else EN


def subject(event: str, payload: Mapping[str, Any], lang: str) -> str:
    template = SUBJECTS[lang][Event(event)]
    return template.format(
        module=payload.get("module") or "-", campaign=payload.get("campaign") or payload.get("title") or "-"
    )


def facts(payload: Mapping[str, Any], lang: str, portal_url: str | None) -> list[tuple[str, str]]:
    """(label, value) pairs of the payload keys a reader needs, links made absolute."""
    rows: list[tuple[str, str]] = []
    for key, label in LABELS[lang].items():
        value = payload.get(key)
        if value is None or key == "findings":
            continue
        if key == "title":
            value = _in(lang, value, payload.get("title_wording"))
        if key == "url" and portal_url:
            value = portal_url.rstrip("/") + "/" + str(value).lstrip("/")
        rows.append((label, str(value)))
    return rows


def finding_lines(payload: Mapping[str, Any], lang: str) -> list[str]:
    found = payload.get("findings") or []
    lines = [_finding(f, lang) for f in found[:MAX_FINDINGS] if isinstance(f, Mapping)]
    if len(found) > MAX_FINDINGS:
        lines.append(FRAME[lang]["more"].format(count=len(found) - MAX_FINDINGS))
    return lines


def _finding(item: Mapping[str, Any], lang: str) -> str:
    """One finding's line; its message in ``lang`` when the payload kept the message's wording
    (``message_wording``), else as stored (a tool's own words, a notice from before wordings)."""
    where = f"{item.get('path', '')}:{item.get('line', '')}".strip(":")
    message: object = item.get("message")
    if item.get("message_wording") is not None:
        message = _in(lang, message, item["message_wording"])
    return " ".join(str(p) for p in (item.get("severity"), item.get("rule"), where, message) if p)


def _in(lang: str, text: object, wording: object) -> str:
    """Text Govern stored beside its wording, in ``lang`` (English: the text as stored)."""
    code = _WORDINGS[lang]
    if code is None:
        return "" if text is None else str(text)
    return in_language(text, wording, translations(code).gettext)


def render(
    event: str, payload: Mapping[str, Any], *, lang: str, name: str, portal_url: str | None = None
) -> Rendered:
    """One notice for one reader."""
    title = subject(event, payload, lang)
    sections = [(title, facts(payload, lang, portal_url), finding_lines(payload, lang))]
    return _document(title, sections, lang, name, intro=None)


def render_digest(
    items: Sequence[tuple[str, Mapping[str, Any]]], *, lang: str, name: str, portal_url: str | None = None
) -> Rendered:
    """Many notices in one message (the daily digest)."""
    sections = [
        (subject(event, payload, lang), facts(payload, lang, portal_url), finding_lines(payload, lang))
        for event, payload in items
    ]
    title = FRAME[lang]["digest_subject"].format(count=len(items))
    return _document(title, sections, lang, name, intro=FRAME[lang]["digest_intro"])


Section = tuple[str, list[tuple[str, str]], list[str]]


def _document(title: str, sections: Sequence[Section], lang: str, name: str, intro: str | None) -> Rendered:
    frame = FRAME[lang]
    head = [frame["greeting"].format(name=name), *([intro] if intro else [])]
    text = "\n".join([*head, "", *(_text_section(s) for s in sections), frame["footer"], ""])
    body = "".join(_html_section(s) for s in sections)
    markup = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"</head><body>{''.join(f'<p>{html.escape(line)}</p>' for line in head)}{body}"
        f"<p><small>{html.escape(frame['footer'])}</small></p></body></html>"
    )
    return Rendered(title, text, markup)


def _text_section(section: Section) -> str:
    heading, rows, findings = section
    lines = [heading, *(f"  {label}: {value}" for label, value in rows), *(f"  - {f}" for f in findings)]
    return "\n".join(lines) + "\n"


def _html_section(section: Section) -> str:
    heading, rows, findings = section
    cells = "".join(
        f"<tr><th align='left'>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"
        for label, value in rows
    )
    items = "".join(f"<li>{html.escape(f)}</li>" for f in findings)
    return f"<h2>{html.escape(heading)}</h2><table>{cells}</table>" + (f"<ul>{items}</ul>" if items else "")
