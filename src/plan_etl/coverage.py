"""Coverage of a parse: table-of-contents items against the initiative records actually parsed."""

from __future__ import annotations

from dataclasses import dataclass

from plan_etl.schemas import Report


@dataclass(frozen=True, slots=True)
class GoalCoverage:
    """Counts for one goal: items listed in the toc, distinct items parsed, and records (parts count)."""

    goal: int
    toc_items: int
    parsed_items: int
    records: int


@dataclass(frozen=True, slots=True)
class Coverage:
    """Per-goal counts plus the toc items with no initiative record and the records not in the toc."""

    goals: tuple[GoalCoverage, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]


def _id_key(item_id: str) -> tuple[int, ...]:
    """Sort 1-2 before 1-10."""
    return tuple(int(p) if p.isdigit() else 0 for p in item_id.split("-"))


def coverage(report: Report) -> Coverage:
    """Compare the toc with the initiatives by item_id (an item printed in parts counts once)."""
    toc_ids = {t.item_id for t in report.toc}
    parsed_ids = {i.item_id for i in report.initiatives}
    goals = sorted({t.goal for t in report.toc} | {i.goal for i in report.initiatives})
    rows = tuple(
        GoalCoverage(
            goal=g,
            toc_items=len({t.item_id for t in report.toc if t.goal == g}),
            parsed_items=len({i.item_id for i in report.initiatives if i.goal == g}),
            records=sum(i.goal == g for i in report.initiatives),
        )
        for g in goals
    )
    return Coverage(
        goals=rows,
        missing=tuple(sorted(toc_ids - parsed_ids, key=_id_key)),
        extra=tuple(sorted(parsed_ids - toc_ids, key=_id_key)),
    )
