"""Every table of the domain, imported in one place so the metadata is complete.

Alembic's env and the drift test use :data:`metadata`; nothing else needs this module.
"""

from __future__ import annotations

from sqlmodel import SQLModel

from governance.audit.models import AuditEvent, AuditVerification
from governance.auth.models import LoginCounter, LoginSession
from governance.campaigns.models import Campaign, CampaignModule
from governance.evidence.models import (
    Advisory,
    Attestation,
    EvidenceFile,
    SarifImport,
    ScanEvidence,
    VulnDatabase,
)
from governance.mirrors.models import Commit, PushRecord
from governance.monthly.models import MonthlyReport, MonthlyReportFile
from governance.notices.models import Notice, NoticeAttempt, NoticeDelivery, NoticePreference, Webhook
from governance.registry.models import ApiToken, Module, User, Vendor
from governance.requirements.models import Requirement, RequirementLink, RequirementTransition
from governance.scans.models import CrossDuplication, Finding, Scan, ScanCache, StandardResult, Waiver
from governance.scheduling.models import ScheduleFiring
from governance.sso.models import DirectoryIdentity, GroupMapping
from governance.tickets.models import Ticket, TicketComment, TicketFinding

metadata = SQLModel.metadata

__all__ = [
    "Advisory",
    "ApiToken",
    "Attestation",
    "AuditEvent",
    "AuditVerification",
    "Campaign",
    "CampaignModule",
    "Commit",
    "CrossDuplication",
    "DirectoryIdentity",
    "EvidenceFile",
    "Finding",
    "GroupMapping",
    "LoginCounter",
    "LoginSession",
    "Module",
    "MonthlyReport",
    "MonthlyReportFile",
    "Notice",
    "NoticeAttempt",
    "NoticeDelivery",
    "NoticePreference",
    "PushRecord",
    "Requirement",
    "RequirementLink",
    "RequirementTransition",
    "SarifImport",
    "Scan",
    "ScanCache",
    "ScanEvidence",
    "ScheduleFiring",
    "StandardResult",
    "Ticket",
    "TicketComment",
    "TicketFinding",
    "User",
    "Vendor",
    "VulnDatabase",
    "Waiver",
    "Webhook",
    "metadata",
]
