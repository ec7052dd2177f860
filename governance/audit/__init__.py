"""The tamper-evident audit trail: every change of state, hash-chained."""

from governance.audit.reads import READ_ACTIONS, ReadAction, record_read
from governance.audit.service import AuditHead, Verification, head, record, record_new, verify

__all__ = [
    "READ_ACTIONS",
    "AuditHead",
    "ReadAction",
    "Verification",
    "head",
    "record",
    "record_new",
    "record_read",
    "verify",
]
