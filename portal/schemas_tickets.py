"""API shapes of tickets and campaigns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, Field

from governance.campaigns.models import CampaignGoal
from governance.campaigns.service import CampaignView
from governance.scans.models import WaiverKind
from governance.tickets.facts import FindingRef
from governance.tickets.service import TicketDetail, TicketRow
from governance.timeutil import as_utc


class TicketOut(BaseModel):
    id: int
    module: str
    vendor: str
    state: str
    cause: str
    severity: str
    title: str
    assignee: str | None
    due: date
    overdue: bool
    escalated: bool
    planned: date | None
    findings: int = Field(description="findings of the ticket that the latest scan still shows")
    findings_total: int
    close_reason: str | None

    @classmethod
    def of(cls, row: TicketRow) -> TicketOut:
        t = row.ticket
        return cls(
            id=t.id or 0,
            module=row.module,
            vendor=row.vendor,
            state=t.state,
            cause=t.cause,
            severity=t.severity,
            title=t.title,
            assignee=t.assignee,
            due=as_utc(t.due_at).date(),
            overdue=row.overdue,
            escalated=t.escalated_at is not None,
            planned=as_utc(t.planned_at).date() if t.planned_at else None,
            findings=row.findings,
            findings_total=row.total,
            close_reason=t.close_reason,
        )


class TicketList(BaseModel):
    items: list[TicketOut]


@dataclass(frozen=True, slots=True)
class TicketFindingOut(FindingRef):
    """A ticket's finding: who last touched its line, and whether the latest scan still shows it."""

    author: str | None
    showing: bool


class CommentOut(BaseModel):
    at: datetime
    author: str
    kind: str
    body: str


class TicketDetailOut(TicketOut):
    items: list[TicketFindingOut]
    thread: list[CommentOut]

    @classmethod
    def of_detail(cls, detail: TicketDetail) -> TicketDetailOut:
        base = TicketOut.of(detail.row).model_dump()
        items = [
            TicketFindingOut(
                fingerprint=f.fingerprint,
                rule=f.rule,
                severity=f.severity,
                path=f.path,
                line=f.line,
                message=f.message,
                author=f.author,
                showing=f.present,
            )
            for f in detail.findings
        ]
        thread = [
            CommentOut(at=as_utc(c.at), author=c.author, kind=c.kind, body=c.body) for c in detail.thread
        ]
        return cls(**base, items=items, thread=thread)


class AnswerIn(BaseModel):
    """The vendor's answer: a comment, a planned fix date, or ``fixed`` (verify at the next scan)."""

    comment: str = Field(max_length=4000)
    planned: date | None = None
    fixed: bool = False


class WaiveIn(BaseModel):
    reason: str = Field(max_length=2000)
    kind: WaiverKind = WaiverKind.false_positive


class ReassignIn(BaseModel):
    assignee: str = Field(max_length=120)


class ExtendIn(BaseModel):
    until: date
    reason: str = Field(max_length=2000)


class AcceptIn(BaseModel):
    """Close as accepted risk: the waiver's reason and expiry (default 90 days)."""

    reason: str = Field(max_length=2000)
    until: date | None = None


class CampaignIn(BaseModel):
    title: str = Field(max_length=200)
    goal: CampaignGoal
    deadline: date
    modules: list[str] = Field(max_length=1000)
    level: str | None = Field(default=None, max_length=1)
    standard: str | None = Field(default=None, max_length=40)
    severity: str | None = Field(default=None, max_length=10)


class CloseIn(BaseModel):
    reason: str = Field(max_length=2000)


class EntryOut(BaseModel):
    module: str
    vendor: str
    now: str | None
    met: bool
    met_at_deadline: bool | None


class BurnPointOut(BaseModel):
    day: date
    met: int
    total: int


class CampaignOut(BaseModel):
    id: int
    title: str
    goal: str
    level: str | None
    standard: str | None
    severity: str | None
    deadline: date
    state: str


class CampaignDetailOut(CampaignOut):
    met: int
    modules: list[EntryOut]
    burn_up: list[BurnPointOut]

    @classmethod
    def of_view(cls, view: CampaignView) -> CampaignDetailOut:
        c = view.campaign
        return cls(
            **CampaignOut.model_validate(c, from_attributes=True).model_dump(),
            met=view.met,
            modules=[
                EntryOut(
                    module=e.module,
                    vendor=e.vendor,
                    now=e.now.value if e.now else None,
                    met=bool(e.now and e.now.met),
                    met_at_deadline=e.met_at_deadline,
                )
                for e in view.entries
            ],
            burn_up=[BurnPointOut(day=p.day, met=p.met, total=p.total) for p in view.burn_up],
        )


class CampaignList(BaseModel):
    items: list[CampaignOut]
