"""The HTML report's view model: plain dataclasses computed from a Report and its validation problems.

The drawing and the page read these numbers and texts instead of the schema; nothing here writes or
escapes markup.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from plan_etl.form.vocabulary import PHASE_WORDS
from plan_etl.schemas import YEARS, Goal, Initiative, Issue, Report

PHASED = "phases"
"""Heat-map state of a year whose cells name phases (each one shown as printed, none ranked)."""
UNRESOLVED = "unresolved"
"""Heat-map state of a year whose cell is null in every row of the record."""
NO_PHASE = "none"
"""Heat-map state of a year with text (工事監理, ―) but no phase word."""
STATES: tuple[str, ...] = (*PHASE_WORDS, NO_PHASE, UNRESOLVED)
"""What the phase-mix chart counts, in the order of the legend and of its bars: each phase (a record
counts for every phase its cells name), then no phase word, then unresolved."""


# ------------------------------------------------------------------------------- heat-map cells


@dataclass(frozen=True)
class HeatCell:
    """One heat-map cell: its class (a phase, `none` or `unresolved`), the phases and its tooltip."""

    state: str
    phases: tuple[str, ...]
    partial: bool
    tooltip: str


def record_label(rec: Initiative) -> str:
    """1-1, or 5-13① for a part."""
    if rec.part and 1 <= rec.part <= 20:
        return rec.item_id + chr(0x2460 + rec.part - 1)
    return rec.item_id + (f"({rec.part})" if rec.part else "")


def heat_cell(rec: Initiative, year: str) -> HeatCell:
    """The heat-map cell of a record in a plan year.

    * Take the phases (`ScheduleRow.phases`) named by that year's cell in every resolved row of the
      record, all of them, in PHASE_WORDS order: a cell 実施・検証 is both 実施 and 検証, and no
      phase is ranked above another (state ``phases``).
    * If no row names a phase but some row has text for the year (工事監理, ―), the state is
      ``none`` (stated, no phase word).
    * If every row's cell for the year is null (the row is unresolved), the state is
      ``unresolved``; a cell with phases while another row of the record is unresolved is
      ``partial``.

    The tooltip names the phases and lists every row's text for that year.
    """
    named: list[str] = []
    texts: list[str] = []
    stated = unresolved = 0
    for row in rec.schedule:
        cell = row.cells.get(year)
        if cell is None or not row.resolved:
            unresolved += 1
            texts.append(f"{row.label}: （未確定）")
            continue
        stated += 1
        texts.append(f"{row.label}: {cell}")
        named += [p for p in row.phases.get(year, []) if p not in named]
    phases = tuple(p for p in PHASE_WORDS if p in named)
    state = PHASED if phases else (NO_PHASE if stated else UNRESOLVED)
    head = f"{record_label(rec)} {year}"
    if phases:
        head += f" — 段階: {'・'.join(phases)}"
    elif state == NO_PHASE:
        head += " — 段階語なし"
    else:
        head += " — 未確定"
    return HeatCell(state, phases, bool(phases) and unresolved > 0, "\n".join([head, *texts]))


# ---------------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class AmountValue:
    """One amount of a goal as printed; `series` is budget, settlement, next_budget or other.

    A budget is `budget` in the report's fiscal year (or when that year is unknown), `next_budget`
    after it and `other` before it.
    """

    label: str
    series: str
    million_yen: int


@dataclass(frozen=True)
class HoursValue:
    """Hours reduced in one year, with the label as printed."""

    label: str
    hours: int


@dataclass(frozen=True)
class GoalRow:
    """A goal (到達点) with its amounts and hours in the report's order."""

    goal: int
    name: str
    amounts: tuple[AmountValue, ...]
    hours_reduced: tuple[HoursValue, ...]
    hours_target: int | None
    execution_rates: dict[str, float]
    """Settlement label -> settlement ÷ the same fiscal year's (first) budget, where both are stated
    and the budget is not 0."""

    @property
    def full_name(self) -> str:
        """`1 name`: the goal's number and name."""
        return f"{self.goal} {self.name}"


@dataclass(frozen=True)
class GoalColumns:
    """The labels over all goals, in first-seen order: the goals table's columns."""

    amounts: tuple[str, ...]
    settlements: tuple[str, ...]
    hours: tuple[str, ...]


@dataclass(frozen=True)
class GoalCount:
    """The initiatives of a goal: distinct item ids and records (an item printed in parts has several)."""

    goal: int
    name: str
    items: int
    records: int

    @property
    def label(self) -> str:
        return f"{self.goal} {self.name}".strip()


@dataclass(frozen=True)
class DepartmentCount:
    """The distinct item ids naming a department (所管部)."""

    name: str
    items: int


@dataclass(frozen=True)
class HeatRow:
    """One initiative record in the heat map, with its cell per plan year (in `YEARS` order)."""

    item_id: str
    part: int | None
    goal: int
    label: str
    title: str
    departments: tuple[str, ...]
    cells: tuple[HeatCell, ...]

    @property
    def search(self) -> str:
        """The lower-cased text the row filter matches: labels, title and departments."""
        return " ".join([self.label, self.item_id, self.title, *self.departments]).lower()


@dataclass(frozen=True)
class HeatGroup:
    """The heat-map rows of one goal, in the table of contents' order."""

    goal: int
    name: str
    rows: tuple[HeatRow, ...]


@dataclass(frozen=True)
class YearMix:
    """Per plan year, the records naming each phase (one record may count for several), then those
    with no phase word and those unresolved, in `STATES` order."""

    year: str
    counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class CodeCount:
    """How many problems share a level and a code."""

    level: str
    code: str
    count: int


@dataclass(frozen=True)
class ProblemRow:
    """One validation problem; `item_id` is "" when the problem is not about one item."""

    level: str
    code: str
    item_id: str
    message: str
    lines: tuple[int, ...]


@dataclass(frozen=True)
class ProblemsView:
    """The validation problems: counts per level, per (level, code) with errors first, and each row."""

    errors: int
    warnings: int
    by_code: tuple[CodeCount, ...]
    rows: tuple[ProblemRow, ...]


@dataclass(frozen=True)
class Metadata:
    """The document's metadata and sizes."""

    title: str
    report_fiscal_year: int | None
    source_file: str
    source_sha256: str
    toc_entries: int
    records: int
    items: int
    schedule_rows: int
    unresolved_cells: int


@dataclass(frozen=True)
class ReportView:
    """Everything the page shows."""

    meta: Metadata
    goals: tuple[GoalRow, ...]
    goal_columns: GoalColumns
    goal_counts: tuple[GoalCount, ...]
    department_counts: tuple[DepartmentCount, ...]
    years: tuple[str, ...]
    heat_groups: tuple[HeatGroup, ...]
    phase_mix: tuple[YearMix, ...]
    n_records: int
    problems: ProblemsView


# -------------------------------------------------------------------------------- computing it


def _amount_series(kind: str, fiscal_year: int, report_year: int | None) -> str:
    if kind == "settlement":
        return "settlement"
    if report_year is None or fiscal_year == report_year:
        return "budget"
    return "next_budget" if fiscal_year > report_year else "other"


def _goal_row(goal: Goal, report_year: int | None) -> GoalRow:
    rates: dict[str, float] = {}
    for label, s in {a.label: a for a in goal.amounts}.items():  # a label printed twice: the last one
        if s.kind != "settlement":
            continue
        budget = next(
            (a for a in goal.amounts if a.kind == "budget" and a.fiscal_year == s.fiscal_year), None
        )
        if budget and budget.million_yen:
            rates[label] = s.million_yen / budget.million_yen
    return GoalRow(
        goal=goal.goal,
        name=goal.name,
        amounts=tuple(
            AmountValue(a.label, _amount_series(a.kind, a.fiscal_year, report_year), a.million_yen)
            for a in goal.amounts
        ),
        hours_reduced=tuple(HoursValue(h.label, h.hours) for h in goal.hours_reduced),
        hours_target=goal.hours_target,
        execution_rates=rates,
    )


def _goal_columns(goals: Sequence[Goal]) -> GoalColumns:
    return GoalColumns(
        amounts=tuple(dict.fromkeys(a.label for g in goals for a in g.amounts)),
        settlements=tuple(dict.fromkeys(a.label for g in goals for a in g.amounts if a.kind == "settlement")),
        hours=tuple(dict.fromkeys(h.label for g in goals for h in g.hours_reduced)),
    )


def _goal_counts(report: Report) -> tuple[GoalCount, ...]:
    items: dict[int, list[str]] = {}
    records: Counter[int] = Counter()
    for rec in report.initiatives:
        records[rec.goal] += 1
        ids = items.setdefault(rec.goal, [])
        if rec.item_id not in ids:
            ids.append(rec.item_id)
    names = {g.goal: g.name for g in report.goals}
    return tuple(
        GoalCount(goal, names.get(goal, ""), len(items[goal]), records[goal]) for goal in sorted(items)
    )


def _department_counts(report: Report) -> tuple[DepartmentCount, ...]:
    """Departments by distinct items, most first; ties in first-seen order."""
    items: dict[str, list[str]] = {}
    for rec in report.initiatives:
        for dept in rec.departments:
            ids = items.setdefault(dept, [])
            if rec.item_id not in ids:
                ids.append(rec.item_id)
    order = list(items)
    ranked = sorted(items, key=lambda d: (-len(items[d]), order.index(d)))
    return tuple(DepartmentCount(d, len(items[d])) for d in ranked)


def _contents_order(report: Report) -> list[tuple[int, Initiative]]:
    """(index, record) in the table of contents' order, parts in order; unlisted ones after, as printed."""
    position: dict[str, int] = {}
    for i, entry in enumerate(report.toc):
        position.setdefault(entry.item_id, i)
    return sorted(
        enumerate(report.initiatives),
        key=lambda ir: (position.get(ir[1].item_id, len(position)), ir[1].part or 0, ir[0]),
    )


def _heat_groups(report: Report, cells: Sequence[tuple[HeatCell, ...]]) -> tuple[HeatGroup, ...]:
    names = {g.goal: g.name for g in report.goals}
    groups: dict[int, list[HeatRow]] = {}
    for idx, rec in _contents_order(report):
        row = HeatRow(
            item_id=rec.item_id,
            part=rec.part,
            goal=rec.goal,
            label=record_label(rec),
            title=rec.title,
            departments=tuple(rec.departments),
            cells=cells[idx],
        )
        groups.setdefault(rec.goal, []).append(row)
    return tuple(HeatGroup(goal, names.get(goal, ""), tuple(groups[goal])) for goal in sorted(groups))


def _phase_mix(cells: Sequence[tuple[HeatCell, ...]]) -> tuple[YearMix, ...]:
    mix: list[YearMix] = []
    for i, year in enumerate(YEARS):
        # a record counts once for every phase its cells name that year (実施・検証: both)
        counts = Counter(p for row in cells for p in row[i].phases)
        counts.update(row[i].state for row in cells if row[i].state != PHASED)
        mix.append(YearMix(year, tuple((state, counts.get(state, 0)) for state in STATES)))
    return tuple(mix)


def _problems(problems: Sequence[Issue]) -> ProblemsView:
    levels = Counter(p.level for p in problems)
    codes = Counter((p.level, p.code) for p in problems)
    ranked = sorted(codes.items(), key=lambda kv: (kv[0][0] != "error", -kv[1], kv[0][1]))
    return ProblemsView(
        errors=levels["error"],
        warnings=levels["warning"],
        by_code=tuple(CodeCount(level, code, n) for (level, code), n in ranked),
        rows=tuple(ProblemRow(p.level, p.code, p.item_id or "", p.message, tuple(p.lines)) for p in problems),
    )


def _metadata(report: Report) -> Metadata:
    doc = report.document
    return Metadata(
        title=doc.title,
        report_fiscal_year=doc.report_fiscal_year,
        source_file=doc.source_file,
        source_sha256=doc.source_sha256,
        toc_entries=len(report.toc),
        records=len(report.initiatives),
        items=len(dict.fromkeys(r.item_id for r in report.initiatives)),
        schedule_rows=sum(len(r.schedule) for r in report.initiatives),
        unresolved_cells=sum(
            1 for r in report.initiatives for row in r.schedule for y in YEARS if row.cells.get(y) is None
        ),
    )


def build_view(report: Report, problems: Sequence[Issue]) -> ReportView:
    """The view model of `report` and its validation `problems` (deterministic: no set or hash order)."""
    cells = [tuple(heat_cell(rec, year) for year in YEARS) for rec in report.initiatives]
    report_year = report.document.report_fiscal_year
    return ReportView(
        meta=_metadata(report),
        goals=tuple(_goal_row(g, report_year) for g in report.goals),
        goal_columns=_goal_columns(report.goals),
        goal_counts=_goal_counts(report),
        department_counts=_department_counts(report),
        years=YEARS,
        heat_groups=_heat_groups(report, cells),
        phase_mix=_phase_mix(cells),
        n_records=len(report.initiatives),
        problems=_problems(problems),
    )
