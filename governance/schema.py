"""Every table of the domain, imported in one place so the metadata is complete.

Alembic's env and the drift test use :data:`metadata`; nothing else needs this module.
"""

from __future__ import annotations

from sqlmodel import SQLModel

from governance.audit.models import AuditEvent
from governance.auth.models import LoginCounter, LoginSession
from governance.evidence.models import Advisory, Attestation, EvidenceFile, ScanEvidence, VulnDatabase
from governance.mirrors.models import Commit
from governance.registry.models import ApiToken, Module, User, Vendor
from governance.requirements.models import Requirement, RequirementLink, RequirementTransition
from governance.scans.models import CrossDuplication, Finding, Scan, ScanCache, StandardResult, Waiver
from governance.scheduling.models import ScheduleFiring
from governance.tickets.models import Ticket, TicketComment

metadata = SQLModel.metadata

__all__ = [
    "Advisory",
    "ApiToken",
    "Attestation",
    "AuditEvent",
    "Commit",
    "CrossDuplication",
    "EvidenceFile",
    "Finding",
    "LoginCounter",
    "LoginSession",
    "Module",
    "Requirement",
    "RequirementLink",
    "RequirementTransition",
    "Scan",
    "ScanCache",
    "ScanEvidence",
    "ScheduleFiring",
    "StandardResult",
    "Ticket",
    "TicketComment",
    "User",
    "Vendor",
    "VulnDatabase",
    "Waiver",
    "metadata",
]
