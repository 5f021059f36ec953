"""年次別計画 rows (placeholder while the row reconstruction is written)."""

from __future__ import annotations

from collections.abc import Sequence

from plan_etl.extract.base import Line
from plan_etl.schemas import Issue, ScheduleRow


def parse_schedule(lines: Sequence[Line], idx: list[int], item_id: str) -> tuple[list[ScheduleRow], list[Issue]]:
    return [], []
