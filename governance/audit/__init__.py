"""The tamper-evident audit trail: every change of state, hash-chained."""

from governance.audit.service import AuditHead, Verification, head, record, verify

__all__ = ["AuditHead", "Verification", "head", "record", "verify"]
