"""Pydantic v2 models: the single definition of every record plan-etl emits."""

from plan_etl.schemas.records import (
    YEARS,
    Amount,
    Box,
    DocumentMeta,
    Goal,
    HoursReduced,
    Initiative,
    Issue,
    Report,
    ScheduleRow,
    Section,
    TocEntry,
)

__all__ = [
    "YEARS",
    "Amount",
    "Box",
    "DocumentMeta",
    "Goal",
    "HoursReduced",
    "Initiative",
    "Issue",
    "Report",
    "ScheduleRow",
    "Section",
    "TocEntry",
]
