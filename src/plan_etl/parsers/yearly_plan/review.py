"""Rows the parser left open, as a reviewer sees them, and the reviewer's decisions applied.

A table's *fragments* are the pieces of schedule text of all its rows and its text that fits no
row, numbered from 0 in print order; its *fingerprint* is a hash of their texts. A decision
assigns fragments, by number, to a row's label and its four cells (`0-1 | 2 | 3 | = | 4-5`, where
`=` is a cell printed once for several years: the year before's text again; a cell's fragments in
the order listed, as the text tool may print a cell's end above its start). It can only move the
table's own text: each fragment once, a decided row's own fragments all used, none taken from a
row without a decision. So nothing is added, dropped or invented, and every source line is still
accounted for. A decision whose fingerprint no longer matches is stale (a warning), never applied
to other text. Rows left open are what a review is for; a stated row may be decided too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plan_etl.errors import InputError
from plan_etl.parsers.yearly_plan.schedule import (
    CELL_SEPARATOR,
    Cut,
    Piece,
    RowDecision,
    join_pieces,
    row_record,
)
from plan_etl.schemas import YEARS, Issue, IssueCode, ScheduleRow
from plan_etl.schemas.records import item_of

if TYPE_CHECKING:
    from plan_etl.schemas.review import ReviewTable

SAME = "="
"""In a cut, a cell printed once for several years: the year before's text again."""


class CorrectionError(InputError):
    """A corrections file that would add, drop or move text, or is not one (one line)."""


@dataclass(frozen=True)
class Decision:
    """One reviewed row: which table (record and fingerprint), which open row (its label as the
    parser left it), and its cut into label and cells by fragment number (`cut_text`)."""

    record_id: str
    label: str
    fingerprint: str
    cut: tuple[tuple[int, ...] | None, ...]
    """Fragment numbers for the label, then R6..R9; None for a cell printed once (SAME)."""
    where: str = ""
    """Where the decision was written (a file's entry), for messages."""

    @property
    def cut_text(self) -> str:
        return format_cut(self.cut)


@dataclass(frozen=True)
class Candidate:
    """A cut the parser considered for an open row, in the table's fragment numbers."""

    cut: tuple[tuple[int, ...] | None, ...]
    label: str
    cells: dict[str, str]
    confidence: float | None


@dataclass(frozen=True)
class OpenRow:
    """A row of a table under review: open (unresolved), or stated by the parser."""

    label: str
    reason_code: str | None
    reason: str | None
    confidence: float | None
    fragments: tuple[int, ...]
    """The row's own fragments (numbers in the table's open fragments)."""
    candidates: tuple[Candidate, ...] = ()
    resolved: bool = False
    """Stated by the parser (reviewed only when asked for)."""


@dataclass
class OpenTable:
    """A table as a reviewer sees it: its fragments, their fingerprint, its rows."""

    record_id: str
    fragments: list[Piece]
    rows: list[OpenRow] = field(default_factory=list)
    owners: list[int | None] = field(default_factory=list)
    """Per fragment, the open row it belongs to (index into rows), None for text that fits no row."""

    @property
    def fingerprint(self) -> str:
        return fingerprint([p.text for p in self.fragments])


def fingerprint(texts: Sequence[str]) -> str:
    """The fingerprint of a table's open fragments (12 hex digits of a SHA-256 of their texts)."""
    return hashlib.sha256("\x1f".join(texts).encode("utf-8")).hexdigest()[:12]


def parse_cut(text: str, where: str = "") -> tuple[tuple[int, ...] | None, ...]:
    """`0-1 | 2 | 3 | = | 4,6` -> ((0, 1), (2,), (3,), None, (4, 6)); CorrectionError (naming
    `where`) for anything else."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) != 1 + len(YEARS):
        raise CorrectionError(f"{where}: a cut has a label and {len(YEARS)} cells (`0-1 | 2 | 3 | 4 | 5`)")
    out: list[tuple[int, ...] | None] = []
    for k, part in enumerate(parts):
        if part == SAME and k > 1:
            out.append(None)
            continue
        numbers: list[int] = []
        for item in (x.strip() for x in part.split(",")):
            lo, _, hi = item.partition("-")
            if not lo.isdigit() or (hi and not hi.isdigit()) or (hi and int(hi) < int(lo)):
                raise CorrectionError(f"{where}: {part!r} is not fragment numbers (e.g. 0-1, or 2,4)")
            numbers += range(int(lo), int(hi or lo) + 1)
        out.append(tuple(numbers))
    return tuple(out)


def format_cut(cut: Sequence[tuple[int, ...] | None]) -> str:
    """The inverse of parse_cut: runs of numbers as ranges."""
    return " | ".join(SAME if part is None else _ranges(part) for part in cut)


def _ranges(numbers: Sequence[int]) -> str:
    """(0, 1, 2, 4) -> "0-2,4": runs of consecutive numbers as ranges, in the order given."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ",".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def open_table(
    record_id: str,
    decisions: Sequence[RowDecision],
    unplaced: Sequence[Piece],
    rows: Sequence[ScheduleRow] = (),
) -> OpenTable | None:
    """The table's rows and fragments (None when it has none). `decisions`: the cut model's rows;
    `rows`: rows read from a PDF's grid instead (their label and cells, as read, are their fragments)."""
    groups: list[tuple[ScheduleRow, list[Piece], RowDecision | None]] = []
    for d in decisions:
        groups.append((d.row, list(d.pieces), d))
    for r in rows:
        line = r.source_lines[0] if r.source_lines else 0
        groups.append((r, [Piece(t.strip(), line) for t in _grid_texts(r) if t.strip()], None))
    if not groups and not unplaced:
        return None
    order = [(p, k) for k, (_, pieces, _) in enumerate(groups) for p in pieces]
    order += [(p, None) for p in unplaced]
    order.sort(key=lambda pk: pk[0].line)  # stable: a line's fragments keep their order
    table = OpenTable(record_id, [p for p, _ in order], owners=[k for _, k in order])
    index = {id(p): n for n, (p, _) in enumerate(order)}
    for row, pieces, d in groups:
        own = tuple(index[id(p)] for p in pieces)
        candidates = _candidates(d, index) if d is not None else _as_read(row, own)
        table.rows.append(
            OpenRow(row.label, row.reason_code, row.reason, row.confidence, own, candidates, row.resolved)
        )
    return table


def _candidates(d: RowDecision, index: dict[int, int]) -> tuple[Candidate, ...]:
    out = []
    for cut in (d.cut, d.runner_up):
        if cut is None or not cut.label or not all(cut.cells):
            continue
        out.append(_candidate(cut, index))
    if d.code == "too_few_fragments":
        out += _spanning(d.pieces, index)
    return tuple(out)


MAX_SPANNING_LABEL = 2
"""Spanning candidates try labels of at most this many fragments (a short row's label is short)."""


def _spanning(pieces: Sequence[Piece], index: dict[int, int]) -> list[Candidate]:
    """Cuts of a row with too few fragments for four cells in which a cell is printed once for
    several years (one fragment per cell, the years it spans given the same text): no cut the
    model scores, so no confidence; the reviewer picks one or types another."""
    out: list[Candidate] = []
    for a in range(1, min(MAX_SPANNING_LABEL, len(pieces) - 1) + 1):
        cells = pieces[a:]
        if len(cells) >= len(YEARS):
            continue
        for spans in _compositions(len(YEARS), len(cells)):
            numbers: list[tuple[int, ...] | None] = [tuple(index[id(p)] for p in pieces[:a])]
            texts: list[str] = []
            for piece, span in zip(cells, spans, strict=True):
                numbers += [(index[id(piece)],), *([None] * (span - 1))]
                texts += [piece.text] * span
            out.append(
                Candidate(tuple(numbers), join_pieces(pieces[:a]), dict(zip(YEARS, texts, strict=True)), None)
            )
    return out


def _compositions(total: int, parts: int) -> list[tuple[int, ...]]:
    """The ways to write `total` as `parts` positive numbers in order (years per cell)."""
    if parts == 1:
        return [(total,)]
    return [(k, *rest) for k in range(1, total - parts + 2) for rest in _compositions(total - k, parts - 1)]


def _candidate(cut: Cut, index: dict[int, int]) -> Candidate:
    numbers = (tuple(index[id(p)] for p in cut.label), *(tuple(index[id(p)] for p in c) for c in cut.cells))
    cells = {y: join_pieces(c) for y, c in zip(YEARS, cut.cells, strict=True)}
    return Candidate(numbers, join_pieces(cut.label), cells, round(cut.confidence, 3))


def _grid_texts(row: ScheduleRow) -> list[str]:
    """A grid row's label and cells as read: its raw text when it is open, else its values."""
    if row.raw is not None:
        return row.raw.split(CELL_SEPARATOR)
    return [row.label, *(row.cells[y] or "" for y in YEARS)]


def _as_read(row: ScheduleRow, own: tuple[int, ...]) -> tuple[Candidate, ...]:
    """A grid row's cells as read, when it has a label and four cells."""
    parts = _grid_texts(row)
    if len(parts) != 1 + len(YEARS) or not all(p.strip() for p in parts) or len(own) != len(parts):
        return ()
    cut = tuple((n,) for n in own)
    return (
        Candidate(cut, parts[0].strip(), dict(zip(YEARS, (p.strip() for p in parts[1:]), strict=True)), None),
    )


def apply_decisions(
    table: OpenTable, decisions: Sequence[Decision], partial: bool = False
) -> tuple[dict[str, ScheduleRow], set[int], list[Issue]]:
    """The table's rows the decisions decide (by the label the parser gave them), the fragment
    numbers they took, and a warning per stale decision; CorrectionError for one that would add,
    drop or move text. `partial`: a review under way, whose rows may still give fragments to, or
    take them from, rows not decided yet."""
    labels = {r.label: k for k, r in enumerate(table.rows)}
    issues: list[Issue] = []
    live: list[Decision] = []
    for d in decisions:
        if d.fingerprint != table.fingerprint or d.label not in labels:
            issues.append(stale_issue(d, "the table's text has changed since it was decided"))
        else:
            live.append(d)
    used: dict[int, Decision] = {}
    for d in live:
        for part in d.cut:
            numbers = part or ()
            for n in numbers:
                if not 0 <= n < len(table.fragments):
                    raise CorrectionError(
                        f"{d.where}: fragment {n} is not in the table (it has {len(table.fragments)})"
                    )
                if n in used:
                    raise CorrectionError(f"{d.where}: fragment {n} is used twice (also by {used[n].where})")
                used[n] = d
        if not d.cut[0] or not d.cut[1]:
            raise CorrectionError(f"{d.where}: the label and R6 need a fragment each")
    decided = {labels[d.label] for d in live}
    if partial:
        return {d.label: decided_row(table, d) for d in live}, set(used), issues
    for d in live:
        for n in table.rows[labels[d.label]].fragments:
            if n not in used:
                text = table.fragments[n].text
                raise CorrectionError(f"{d.where}: fragment {n} ({text!r}) of its row is in no decision")
    for n, d in used.items():
        owner = table.owners[n]
        if owner is not None and owner not in decided:
            raise CorrectionError(
                f"{d.where}: fragment {n} belongs to row {table.rows[owner].label!r}, which has no decision"
            )
    rows = {d.label: decided_row(table, d) for d in live}
    return rows, set(used), issues


def decided_row(table: OpenTable, d: Decision) -> ScheduleRow:
    """The row decision d states (resolved by review)."""
    label = [table.fragments[n] for n in d.cut[0] or ()]
    cells: list[str] = []
    pieces = list(label)
    for part in d.cut[1:]:
        if part is None:
            cells.append(cells[-1])
            continue
        chosen = [table.fragments[n] for n in part]
        pieces += chosen
        cells.append(join_pieces(chosen))
    row = row_record(label, list(cells), pieces, True)
    return row.model_copy(update={"resolved_by": "review"})


def stale_issue(d: Decision, why: str) -> Issue:
    """The warning for a decision not applied."""
    return Issue.warning(
        IssueCode.stale_correction,
        f"{d.where}: not applied ({why}); review the row again",
        item_id=item_of(d.record_id),
    )


def decided_cuts(table: OpenTable, decisions: Sequence[Decision]) -> dict[str, Decision]:
    """The table's rows a decision holds for (its fingerprint matches), by label."""
    labels = {r.label for r in table.rows}
    return {
        d.label: d
        for d in decisions
        if d.record_id == table.record_id and d.fingerprint == table.fingerprint and d.label in labels
    }


def check_partial(table: OpenTable, decisions: Sequence[Decision]) -> str | None:
    """What is wrong with a table's decisions made so far (None: nothing), while a review is under
    way: a row may still give fragments to, or take them from, a row not yet decided."""
    try:
        apply_decisions(table, decisions, partial=True)
    except CorrectionError as exc:
        return str(exc)
    return None


def review_view(table: OpenTable, decisions: Sequence[Decision]) -> ReviewTable:
    """The table as `review --list --json` prints it."""
    from plan_etl.schemas.review import ReviewCandidate, ReviewFragment, ReviewRow, ReviewTable

    decided = decided_cuts(table, decisions)
    return ReviewTable(
        record_id=table.record_id,
        fingerprint=table.fingerprint,
        fragments=[
            ReviewFragment(n=n, text=p.text, line=p.line, box=p.box or p.line)
            for n, p in enumerate(table.fragments)
        ],
        unplaced=[n for n, owner in enumerate(table.owners) if owner is None],
        rows=[
            ReviewRow(
                label=r.label,
                resolved=r.resolved,
                reason_code=r.reason_code,  # type: ignore[arg-type]
                reason=r.reason,
                confidence=r.confidence,
                fragments=list(r.fragments),
                decided=decided[r.label].cut_text if r.label in decided else None,
                candidates=[
                    ReviewCandidate(
                        cut=format_cut(c.cut), label=c.label, cells=c.cells, confidence=c.confidence
                    )
                    for c in r.candidates
                ],
            )
            for r in table.rows
        ],
    )
