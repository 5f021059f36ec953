"""Coverage of a parse: table-of-contents items against the initiative records actually parsed."""

from __future__ import annotations

from dataclasses import dataclass

from plan_etl.form.ids import item_order
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
        missing=tuple(sorted(toc_ids - parsed_ids, key=item_order)),
        extra=tuple(sorted(parsed_ids - toc_ids, key=item_order)),
    )


SHOWN_IDS = 5
"""How many item ids a completeness problem names before "…"."""


def incomplete(report: Report, cov: Coverage | None = None) -> tuple[str, ...]:
    """What makes the parse not a complete report, one line per check (empty when complete): no
    item list, items of the list without a record, records not in the list, source lines lost.
    `plan-etl parse` exits 1 on any of them (CI trusts its exit code)."""
    cov = cov or coverage(report)
    out: list[str] = []
    if not report.toc:
        out.append("no item list (取組み項目一覧) was found: nothing to check the records against")
    if cov.missing:
        out.append(f"{len(cov.missing)} item(s) of the item list have no record: {_ids(cov.missing)}")
    if report.toc and cov.extra:
        out.append(f"{len(cov.extra)} record(s) are not in the item list: {_ids(cov.extra)}")
    if report.unaccounted_lines:
        lost = [str(n) for n in report.unaccounted_lines]
        out.append(f"{len(lost)} source line(s) are in no field (lost text): lines {_ids(lost)}")
    return tuple(out)


def _ids(ids: tuple[str, ...] | list[str]) -> str:
    return ", ".join(ids[:SHOWN_IDS]) + (", …" if len(ids) > SHOWN_IDS else "")
