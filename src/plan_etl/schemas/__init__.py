"""Pydantic v2 models: the single definition of every record plan-etl emits."""

from plan_etl.schemas.records import (
    REASON_CODES,
    REASON_LABELS_JA,
    YEARS,
    Amount,
    Box,
    DocumentMeta,
    Goal,
    HoursReduced,
    Initiative,
    Issue,
    ReasonCode,
    Report,
    ScheduleRow,
    Section,
    TocEntry,
)

__all__ = [
    "REASON_CODES",
    "REASON_LABELS_JA",
    "YEARS",
    "Amount",
    "Box",
    "DocumentMeta",
    "Goal",
    "HoursReduced",
    "Initiative",
    "Issue",
    "ReasonCode",
    "Report",
    "ScheduleRow",
    "Section",
    "TocEntry",
]
