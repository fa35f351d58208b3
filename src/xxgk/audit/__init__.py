"""The supervisor's audit of many reports: a record per report, findings by rule, who is missing."""

from __future__ import annotations

from xxgk.audit.record import (
    AuditRecord,
    RuleFinding,
    audit_record,
    by_rule,
    duplicates,
    missing_organs,
    unreadable_record,
)
from xxgk.audit.table import Column, Sheet, audit_sheets

__all__ = [
    "AuditRecord",
    "Column",
    "RuleFinding",
    "Sheet",
    "audit_record",
    "audit_sheets",
    "by_rule",
    "duplicates",
    "missing_organs",
    "unreadable_record",
]
