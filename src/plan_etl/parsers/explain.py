"""Why the schedule of one table reads as it does (`plan-etl explain`): its fragments with their
line numbers and text boxes, each row's chosen cut with its score and posterior, the runner-up
cut, and the reason a row was left unresolved (as pdfplumber's `debug_tablefinder` shows why)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from plan_etl.extract.base import Line, TableLines
from plan_etl.parsers.initiative.initiatives import schedule_inputs, segment_initiatives
from plan_etl.parsers.yearly_plan.cut_model import CutSettings, default_settings
from plan_etl.parsers.yearly_plan.review import OpenTable
from plan_etl.parsers.yearly_plan.schedule import Cut, RowDecision, join_pieces
from plan_etl.parsers.yearly_plan.schedule_tables import open_tables, parse_schedules
from plan_etl.schemas import YEARS, ScheduleRow


class Fragment(BaseModel):
    """One piece of schedule text as the cut reads it."""

    text: str
    line: int = Field(description="Source line number")
    box: int = Field(description="First line number of its text box (lines with no blank line between)")
    shared_line: bool = Field(description="Printed on one line with other fragments, space-separated")


class CutView(BaseModel):
    """A cut of a row's fragments into label and four cells, with its score (log-potential)."""

    label: str
    cells: dict[str, str]
    score: float
    ends: list[int] = Field(description="Fragment index where the label, R6, R7 and R8 end")


class RowView(BaseModel):
    label: str
    resolved: bool
    method: str = Field(
        description="cut (the fitted model), nested (cut at each ①), heading, grid (read from a PDF's "
        "table grid), or none"
    )
    confidence: float | None = Field(description="Posterior of the chosen cut among all cuts")
    reason: str | None = Field(description="Why the row is unresolved")
    fragments: list[int] = Field(description="Indexes into the table's fragments")
    chosen: CutView | None
    runner_up: CutView | None = Field(description="The most likely cut that gives other texts")


class TableView(BaseModel):
    item_id: str
    part: int | None
    min_confidence: float = Field(description="A row is stated only at or above this confidence")
    fragments: list[Fragment]
    rows: list[RowView]
    unplaced: list[str] = Field(description="Schedule text that fits no row")


def explain_schedules(
    lines: Sequence[Line],
    item_id: str,
    part: int | None = None,
    settings: CutSettings | None = None,
    given: Sequence[TableLines] = (),
) -> list[TableView]:
    """The schedule of every table printed for `item_id` (and `part`, when given), explained.
    `lines` are the document's non-blank lines; `given` the tables the extractor read
    (SourceDocument.tables: a PDF's, whose rows come from the grid, method "grid")."""
    s = settings or default_settings()
    seg = segment_initiatives(lines, given)
    tables = schedule_inputs(seg)
    out: list[TableView] = []
    for t, sched in zip(tables, parse_schedules(seg.lines, tables, s), strict=True):
        if t.item_id != item_id or (part is not None and t.part != part):
            continue
        pieces = [p for d in sched.decisions for p in d.pieces]
        index = {id(p): k for k, p in enumerate(pieces)}
        out.append(
            TableView(
                item_id=t.item_id,
                part=t.part,
                min_confidence=s.min_confidence,
                fragments=[
                    Fragment(text=p.text, line=p.line, box=p.box, shared_line=p.multi) for p in pieces
                ],
                rows=[_row_view(d, index) for d in sched.decisions] or [_grid_row(r) for r in sched.rows],
                unplaced=[p.text for p in sched.unplaced],
            )
        )
    return out


def review_tables(
    lines: Sequence[Line], given: Sequence[TableLines] = (), settings: CutSettings | None = None
) -> list[OpenTable]:
    """The tables with rows the parser leaves open, as `plan-etl review` shows them: each with its
    open fragments numbered, their fingerprint, its open rows and their candidates (what decisions
    are keyed on: the parser's own reading, before any review). A table printed twice is listed
    once, as the parse keeps its first copy."""
    seg = segment_initiatives(lines, given)
    tables = schedule_inputs(seg)
    schedules = parse_schedules(seg.lines, tables, settings or default_settings())
    out: dict[str, OpenTable] = {}
    for o in open_tables(tables, schedules):
        if o is not None and o.rows:
            out.setdefault(o.record_id, o)
    return list(out.values())


def _row_view(d: RowDecision, index: dict[int, int]) -> RowView:
    return RowView(
        label=d.row.label,
        resolved=d.row.resolved,
        method=d.method,
        confidence=d.row.confidence,
        reason=d.reason,
        fragments=[index[id(p)] for p in d.pieces],
        chosen=_cut_view(d.cut, d.pieces) if d.method == "cut" else None,
        runner_up=_cut_view(d.runner_up, d.pieces),
    )


def _grid_row(row: ScheduleRow) -> RowView:
    """A row an extractor read from the table grid: nothing was cut."""
    return RowView(
        label=row.label,
        resolved=row.resolved,
        method="grid",
        confidence=None,
        reason=row.reason,
        fragments=[],
        chosen=None,
        runner_up=None,
    )


def _cut_view(cut: Cut | None, pieces: list) -> CutView | None:
    if cut is None:
        return None
    ends, at = [], len(cut.label)
    ends.append(at)
    for c in cut.cells[:3]:
        at += len(c)
        ends.append(at)
    return CutView(
        label=join_pieces(cut.label),
        cells={y: join_pieces(c) for y, c in zip(YEARS, cut.cells, strict=True)},
        score=round(cut.score, 3),
        ends=ends,
    )
