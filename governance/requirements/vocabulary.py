"""The words PMs write in spreadsheets: column headers, statuses and priorities in English and Chinese.

Import accepts either language (and a few common variants) so a PM's own sheet can be used
as it is; export writes one language so the file reads naturally, and re-imports unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from governance.requirements.models import RequirementStatus

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")


@dataclass(frozen=True)
class Column:
    """A spreadsheet column: the field it fills, its headers in both languages, accepted variants."""

    field: str
    en: str
    zh: str
    variants: tuple[str, ...] = ()
    required: bool = False

    def header(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def label(self) -> str:
        """How error messages name the column, whatever language the file used."""
        return f"{self.en} ({self.zh})"


COLUMNS: tuple[Column, ...] = (
    Column("key", "Key", "需求编号", ("id", "requirement key", "requirement id", "编号"), required=True),
    Column("title", "Title", "需求名称", ("name", "requirement", "名称", "标题"), required=True),
    Column("description", "Description", "描述", ("需求描述", "说明")),
    Column("priority", "Priority", "优先级"),
    Column("status", "Status", "状态", ("需求状态",)),
    Column("acceptance_criteria", "Acceptance criteria", "验收标准", ("acceptance", "验收条件")),
    Column("owner", "Owner", "负责人", ("assignee", "责任人")),
    Column("parent_key", "Parent", "上级需求", ("parent key", "parent requirement", "父需求", "上级")),
)

STATUS_ZH: dict[RequirementStatus, str] = {
    RequirementStatus.proposed: "已提出",
    RequirementStatus.approved: "已批准",
    RequirementStatus.in_progress: "开发中",
    RequirementStatus.implemented: "已实现",
    RequirementStatus.verified: "已验证",
    RequirementStatus.closed: "已关闭",
    RequirementStatus.rejected: "已拒绝",
    RequirementStatus.changed: "已变更",
}
_STATUS_VARIANTS: dict[str, RequirementStatus] = {
    "in progress": RequirementStatus.in_progress,
    "in-progress": RequirementStatus.in_progress,
    "进行中": RequirementStatus.in_progress,
    "提出": RequirementStatus.proposed,
    "待审批": RequirementStatus.proposed,
    "批准": RequirementStatus.approved,
    "关闭": RequirementStatus.closed,
    "拒绝": RequirementStatus.rejected,
    "变更": RequirementStatus.changed,
}

PRIORITIES: tuple[str, ...] = ("critical", "high", "medium", "low")
PRIORITY_ZH: dict[str, str] = {"critical": "紧急", "high": "高", "medium": "中", "low": "低"}


def column_for_header(header: str) -> Column | None:
    """The column a header names (case and surrounding space ignored), or None."""
    wanted = " ".join(header.split()).casefold()
    for column in COLUMNS:
        names = (column.en, column.zh, column.field, *column.variants)
        if wanted in {name.casefold() for name in names}:
            return column
    return None


def parse_status(text: str) -> RequirementStatus | None:
    """A status written in English (any case) or Chinese; None when it is not one."""
    wanted = text.strip().casefold()
    for status in RequirementStatus:
        if wanted in (status.value, STATUS_ZH[status]):
            return status
    return _STATUS_VARIANTS.get(wanted)


def parse_priority(text: str) -> str | None:
    """A priority in English or Chinese, normalised to English; None when it is not one."""
    wanted = text.strip().casefold()
    for priority in PRIORITIES:
        if wanted in (priority, PRIORITY_ZH[priority]):
            return priority
    return None


def status_word(status: RequirementStatus, lang: Lang) -> str:
    return STATUS_ZH[status] if lang == "zh" else status.value


def priority_word(priority: str, lang: Lang) -> str:
    return PRIORITY_ZH.get(priority, priority) if lang == "zh" else priority


def status_names() -> str:
    """All statuses, for error messages."""
    return ", ".join(f"{status.value}/{STATUS_ZH[status]}" for status in RequirementStatus)
