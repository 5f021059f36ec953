"""年次別計画 rows of all tables at once.

The text tool can print one table's schedule fragments among its neighbour's: a row whose number
repeats in a table, a table with no fragments at all, nested rows whose ①②③ part count matches the
neighbour's, a stray cell printed before the first row. These are settled across neighbouring
tables before each row is rebuilt by `plan_etl.parsers.yearly_plan.schedule`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from plan_etl.extract.base import PAGE_BREAK_DOUBT, Line
from plan_etl.form.vocabulary import CELL_WORDS
from plan_etl.parsers.yearly_plan.cut_model import (
    RUNS_ON,
    CutSettings,
    TableLayout,
    default_settings,
    headings,
)
from plan_etl.parsers.yearly_plan.review import (
    CorrectionError,
    Decision,
    OpenTable,
    apply_decisions,
    open_table,
    stale_issue,
)
from plan_etl.parsers.yearly_plan.schedule import (
    GROUP_START,
    Piece,
    RowDecision,
    RowFragments,
    best_score,
    cell_starts,
    decide_row,
    heading_row,
    join_pieces,
    named_rows,
    part_count,
    pieces_of,
    row_from_cells,
    row_key,
    row_record,
    split_chunks,
    split_rows,
    split_score,
    withhold,
)
from plan_etl.schemas import YEARS, Issue, IssueCode, ScheduleRow
from plan_etl.schemas.records import record_id


@dataclass
class TableInput:
    """The schedule lines of one table and the table's own text (for matching row labels)."""

    item_id: str
    idx: list[int]
    context: str = ""
    """The table's prose (取組み内容 …), one source line per text line."""
    part: int | None = None
    doubts: Mapping[int, str] = field(default_factory=dict)
    """Rows an extractor read cell by cell but could not decide: source line number -> why."""
    cells: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    """Rows an extractor read cell by cell: source line number -> label and year cells. A table
    with such rows is read from them, not cut."""


@dataclass
class _Table:
    item_id: str
    part: int | None
    headings: str
    lead: list[Piece]
    groups: list[RowFragments]

    def layout(self) -> TableLayout:
        return TableLayout.of([g.pieces for g in self.groups] or [self.lead], self.headings)

    @property
    def empty(self) -> bool:
        return not self.lead and not self.groups

    def row_keys(self) -> list[str]:
        return [row_key(g) for g in self.groups]


@dataclass
class TableSchedule:
    """One table's rows, their warnings, and fragments that fit no row (kept, never dropped)."""

    rows: list[ScheduleRow]
    issues: list[Issue]
    unplaced: list[Piece]
    decisions: list[RowDecision] = field(default_factory=list)
    """How each row was read (empty for rows read from a table grid)."""


def parse_schedules(
    lines: Sequence[Line],
    tables: Sequence[TableInput],
    settings: CutSettings | None = None,
    reviewed: Sequence[Decision] = (),
) -> list[TableSchedule]:
    """Rows of every table's 年次別計画, with the rows a review decided (`reviewed`, see
    parsers/yearly_plan/review.py) in place of the parser's open ones. Tables are handled together because
    the text tool can print one table's rows among its neighbour's fragments."""
    s = settings or default_settings()
    exact: dict[int, TableSchedule] = {}
    for n, t in enumerate(tables):
        if t.cells:
            exact[n] = _exact_rows(lines, t)
    parsed = _row_groups(
        lines, [TableInput(t.item_id, [], part=t.part) if n in exact else t for n, t in enumerate(tables)], s
    )
    out = [exact[n] if n in exact else _rows_of(t, s) for n, t in enumerate(parsed)]
    return _with_reviews(tables, out, reviewed) if reviewed else out


def open_tables(tables: Sequence[TableInput], schedules: Sequence[TableSchedule]) -> list[OpenTable | None]:
    """Each table's open rows and fragments as a reviewer sees them (None: nothing open)."""
    return [
        open_table(
            record_id(t.item_id, t.part),
            sched.decisions,
            sched.unplaced,
            () if sched.decisions else sched.rows,
        )
        for t, sched in zip(tables, schedules, strict=True)
    ]


def _with_reviews(
    tables: Sequence[TableInput], schedules: list[TableSchedule], reviewed: Sequence[Decision]
) -> list[TableSchedule]:
    """The schedules with the reviewed rows in place; a stale decision is a warning, one that would
    move text between tables a CorrectionError."""
    opened = open_tables(tables, schedules)
    owners: dict[str, set[str]] = {}  # fingerprint -> the records whose table has it
    for o in opened:
        if o is not None:
            owners.setdefault(o.fingerprint, set()).add(o.record_id)
    by_record: dict[str, list[Decision]] = {}
    for d in reviewed:
        theirs = owners.get(d.fingerprint, set())
        if theirs and d.record_id not in theirs:
            raise CorrectionError(f"{d.where}: its fragments are {min(theirs)}'s, not {d.record_id}'s")
        by_record.setdefault(d.record_id, []).append(d)
    out = list(schedules)
    seen: set[str] = set()  # a table printed twice (a repeated page) takes its decisions each time
    for n, (t, o) in enumerate(zip(tables, opened, strict=True)):
        key = record_id(t.item_id, t.part)
        mine = by_record.get(key, [])
        if o is not None and mine:
            seen.add(key)
            out[n] = _reviewed(t, schedules[n], o, mine)
    stale = [d for key, ds in by_record.items() if key not in seen for d in ds]
    if stale and out:
        out[0].issues.extend(stale_issue(d, "no table of this record has open rows") for d in stale)
    return out


def _reviewed(t: TableInput, sched: TableSchedule, o: OpenTable, mine: list[Decision]) -> TableSchedule:
    decided, used, issues = apply_decisions(o, mine)
    taken = {id(o.fragments[n]) for n in used}
    unplaced = [p for p in sched.unplaced if id(p) not in taken]
    for d in sched.decisions:
        if d.row.label in decided:
            d.row = decided[d.row.label]
        elif not unplaced and d.code == "leftover_text" and d.cut is not None:
            # the text that fit no row now has one: the row withheld for it is stated again
            cells: list[str | None] = [join_pieces(c) for c in d.cut.cells]
            d.row = row_record(d.cut.label, cells, d.pieces, True, d.cut.confidence)
            d.reason = d.code = None
    rows = [d.row for d in sched.decisions] or [decided.get(r.label, r) for r in sched.rows]
    table = _table_schedule(t.item_id, rows, unplaced, "empty cells in the table")
    table.decisions = sched.decisions
    table.issues.extend(issues)
    return table


@dataclass(frozen=True)
class RowInput:
    """The fragments of one row as the cut model receives them (what the weights are fitted on)."""

    item_id: str
    part: int | None
    pieces: list[Piece]
    table: TableLayout


def row_inputs(
    lines: Sequence[Line], tables: Sequence[TableInput], settings: CutSettings | None = None
) -> list[list[RowInput]]:
    """Per table, each row's fragments after the tables were settled, before any row is cut."""
    s = settings or default_settings()
    out: list[list[RowInput]] = []
    for t in _row_groups(lines, tables, s):
        rows, _ = _final_rows(t, s)
        out.append([RowInput(t.item_id, t.part, g.pieces, t.layout()) for g in rows])
    return out


def _row_groups(lines: Sequence[Line], tables: Sequence[TableInput], s: CutSettings) -> list[_Table]:
    """Each table's fragments grouped into rows, settled across neighbouring tables."""
    parsed: list[_Table] = []
    for t in tables:
        lead, groups = split_rows(pieces_of(lines, t.idx, s), s)
        parsed.append(_Table(t.item_id, t.part, headings(t.context), lead, groups))
    _move_repeated_numbers(parsed)
    _move_continued_numbering(parsed)
    _rebalance_nested(parsed)
    _fill_empty_tables(parsed, s)
    return parsed


def _exact_rows(lines: Sequence[Line], t: TableInput) -> TableSchedule:
    """Rows an extractor read from the table grid: label and four cells per line, nothing to guess;
    but for two rows either side of a page break that the extractor could not tell apart from one
    row split, which the cells' words may join (`_split_by_the_break`)."""
    rows: list[ScheduleRow] = []
    unplaced: list[Piece] = []
    held: tuple[list[str], int] | None = None  # the row before a page break, while undecided
    for i in t.idx:
        no = lines[i].no
        parts = list(t.cells.get(no, ()))
        if len(parts) != 1 + len(YEARS):
            unplaced.append(Piece(lines[i].text.strip(), no))
            continue
        doubt = t.doubts.get(no)
        if held is not None and doubt == PAGE_BREAK_DOUBT and _split_by_the_break(held[0][1:], parts[1:]):
            (before, at), held = held, None
            cells = [a + b for a, b in zip(before[1:], parts[1:], strict=True)]
            rows[-1] = row_from_cells(before[0] + parts[0], cells, [at, no])
            continue
        held = (parts, no) if doubt == PAGE_BREAK_DOUBT else None
        rows.append(row_from_cells(parts[0], parts[1:], [no], doubt))
    return _table_schedule(t.item_id, rows, unplaced, "empty cells in the table")


def _split_by_the_break(before: Sequence[str], after: Sequence[str]) -> bool:
    """Whether the cells of the rows either side of a page break are one row's, parted: in some
    year the two pieces are not cell words each (「実施・検」, 「証」) while joined they are (実施・検証)."""
    return any(
        a.strip() and b.strip() and CELL_WORDS.match(a.strip() + b.strip())
        and not (CELL_WORDS.match(a.strip()) and CELL_WORDS.match(b.strip()))
        for a, b in zip(before, after, strict=True)
    )  # fmt: skip


def _move_repeated_numbers(tables: list[_Table]) -> None:
    """A row number printed twice in one table is the neighbour's row when the neighbour's own
    numbering lacks it (it has a later number, or the one before, but not this one); otherwise
    both rows are this table's, named rows that share a number (① 〇〇, ① △△)."""
    for i, t in enumerate(tables):
        seen: set[str] = set()
        for g in list(t.groups):
            key = row_key(g)
            if key not in seen:
                seen.add(key)
                continue
            for j in (i + 1, i - 1):
                if 0 <= j < len(tables) and _wants(tables[j], g):
                    t.groups.remove(g)
                    tables[j].groups.append(g)
                    break


def _wants(table: _Table, g: RowFragments) -> bool:
    """The table's numbering has a gap where row g's number goes."""
    if row_key(g) in table.row_keys():
        return False
    k = _circled(g)
    if k is None:
        return not table.groups
    numbers = {n for h in table.groups if (n := _circled(h)) is not None}
    return not table.groups or any(n > k for n in numbers) or (k - 1) in numbers


def _move_continued_numbering(tables: list[_Table]) -> None:
    """Rows numbered ④… in a table with no ①, next to a table numbered ①②③ and missing ④:
    the neighbour's rows."""
    for i, t in enumerate(tables):
        numbers = {_circled(g) for g in t.groups}
        if not t.groups or 1 in numbers or None in numbers:
            continue
        for g in sorted(t.groups, key=_circled):
            k = _circled(g)
            for j in (i - 1, i + 1):
                if not 0 <= j < len(tables):
                    continue
                theirs = {_circled(h) for h in tables[j].groups}
                if k not in theirs and all(n in theirs for n in range(1, k)):
                    t.groups.remove(g)
                    tables[j].groups.append(g)
                    break


def _circled(g: RowFragments) -> int | None:
    return g.pieces[0].number


def _rebalance_nested(tables: list[_Table]) -> None:
    """Two nested tables side by side: chunks or whole rows whose ①②③ part count matches the
    neighbour's rows, not their own row's, belong to the neighbour."""
    for i, t in enumerate(tables):
        neighbours = [tables[j] for j in (i + 1, i - 1) if 0 <= j < len(tables)]
        for g in list(t.groups):
            if not GROUP_START.match(g.pieces[0].text):
                continue
            label, chunks = split_chunks(g.pieces)
            if not chunks:
                continue
            own = part_count(chunks[0])
            tail = [c for c in chunks[1:] if part_count(c) != own]
            if tail and tail == chunks[len(chunks) - len(tail) :]:
                moved = _give_chunks(neighbours, tail)
                if moved:
                    keep = chunks[: len(chunks) - len(tail)]
                    g.pieces = label + [p for c in keep for p in c]
            others = [part_count(c[0]) for h in t.groups if h is not g and (c := split_chunks(h.pieces)[1])]
            if others and own not in others:
                for n in neighbours:
                    theirs = [part_count(c[0]) for h in n.groups if (c := split_chunks(h.pieces)[1])]
                    if own in theirs and row_key(g) not in n.row_keys():
                        t.groups.remove(g)
                        n.groups.append(g)
                        break


def _give_chunks(neighbours: list[_Table], chunks: list[list[Piece]]) -> bool:
    """Append cell chunks to a neighbour's nested row that is short of cells and has their part count."""
    parts = part_count(chunks[0])
    for n in neighbours:
        for h in n.groups:
            _, theirs = split_chunks(h.pieces)
            if theirs and len(theirs) + len(chunks) <= 5 and part_count(theirs[-1]) == parts:
                h.pieces.extend(p for c in chunks for p in c)
                return True
    return False


def _fill_empty_tables(tables: list[_Table], s: CutSettings) -> None:
    """A table with no schedule fragments: its row was printed after the previous table's rows (or
    before the next's); split that run where both rows read best."""
    for i, t in enumerate(tables):
        if not t.empty:
            continue
        if i > 0 and not tables[i - 1].empty:
            prev = tables[i - 1]
            source = prev.groups[-1].pieces if prev.groups else prev.lead
            k = _best_split(source, prev.layout(), t.layout(), s)
            if k is not None:
                t.lead = source[k:]
                del source[k:]
                continue
        if i + 1 < len(tables) and len(tables[i + 1].lead) >= 5 and tables[i + 1].groups:
            t.lead, tables[i + 1].lead = tables[i + 1].lead, []


def _best_split(pieces: list[Piece], ctx_a: TableLayout, ctx_b: TableLayout, s: CutSettings) -> int | None:
    """Where a run of fragments holding two rows (label + four cells each) is best cut in two."""
    best: tuple[float, int] | None = None
    for k in range(5, len(pieces) - 4):
        score = best_score(pieces[:k], ctx_a, s) + best_score(pieces[k:], ctx_b, s)
        score += split_score(pieces[k - 1], pieces[k], s)
        if best is None or score > best[0]:
            best = (score, k)
    return best[1] if best else None


def _fill_deficits(t: _Table, s: CutSettings) -> None:
    """Rows missing cells take fragments printed elsewhere: a stray cell before the first row or
    after a row that already has its four, or a whole line of four cells printed under another row."""
    strays: list[Piece] = list(t.lead) if t.groups else []
    full_lines: list[list[Piece]] = []
    for g in t.groups:
        extra = _surplus(g, s)
        if extra:
            del g.pieces[len(g.pieces) - len(extra) :]
            if len(extra) == 4 and all(p.multi and p.line == extra[0].line for p in extra):
                full_lines.append(extra)
            else:
                strays.extend(extra)
    for g in t.groups:
        if full_lines and not any(p.multi for p in g.pieces) and len(g.pieces) <= 4:
            g.pieces.extend(full_lines.pop(0))
    short = [g for g in t.groups if _three_on_last_line(g)]
    if strays and len(short) == len(strays):
        for g, o in zip(short, strays, strict=True):
            g.pieces.append(o)
        strays = []
    if strays:
        wanting = [g for g in t.groups if _wants_cells(g)]
        if len(wanting) == 1:
            wanting[0].pieces.extend(strays)
            strays = []
    for line in full_lines:
        strays.extend(line)
    if t.groups:
        t.lead = strays


def _surplus(g: RowFragments, s: CutSettings) -> list[Piece]:
    """Fragments at the end of a row that are not its own: what follows its four cells."""
    pieces = g.pieces
    starts = [k for k, p in enumerate(pieces) if p.number == 1]
    if GROUP_START.match(pieces[0].text) and starts:
        if len(starts) < 4:
            return []
        numbered = [k for k, p in enumerate(pieces) if p.number is not None]
        end = numbered[-1] + 1
        opens = cell_starts(pieces, s)
        while end < len(pieces) and (end not in opens or RUNS_ON.search(pieces[end - 1].text)):
            end += 1  # the last part wrapped: a word or brackets left open, a phrase running on
        return pieces[end:]
    seen_cells = False
    for pos, p in enumerate(pieces[1:], 1):
        tokens = [q for q in pieces[1:] if q.multi and q.line == p.line]
        if len(tokens) == 4 and p is tokens[0] and seen_cells:
            return pieces[pos:]
        if len(tokens) == 4 and p is tokens[-1] and pos + 1 < len(pieces):
            return pieces[pos + 1 :]
        if p.multi:
            seen_cells = True
    return []


def _three_on_last_line(g: RowFragments) -> bool:
    last = g.pieces[-1].line
    tokens = [p for p in g.pieces[1:] if p.multi and p.line == last]
    return len(tokens) == 3


def _wants_cells(g: RowFragments) -> bool:
    """Too few fragments after the label for four cells."""
    multi = [p for p in g.pieces[1:] if p.multi]
    return bool(multi) and len(multi) < 4 and len(g.pieces) < 6


def _split_named_rows(t: _Table) -> None:
    """A row whose number stands alone over named rows becomes one row per name."""
    groups: list[RowFragments] = []
    for g in t.groups:
        named = named_rows(g.pieces)
        groups.extend(RowFragments(r) for r in named) if named else groups.append(g)
    t.groups = groups


def _final_rows(t: _Table, s: CutSettings) -> tuple[list[RowFragments], list[Piece]]:
    """The table's rows as they are cut (named rows split, stray cells placed) and the fragments
    that fit no row. A table with no numbered row is one row of all its fragments."""
    _split_named_rows(t)
    _fill_deficits(t, s)
    if t.groups:
        return t.groups, t.lead
    return ([RowFragments(t.lead)] if t.lead else []), []


def _rows_of(t: _Table, s: CutSettings) -> TableSchedule:
    rows, unplaced = _final_rows(t, s)
    layout = t.layout()
    shared = _shared_numbers(rows)
    decisions = [
        d
        for g in rows
        if (d := heading_row(g.pieces) if _is_heading(g, shared) else decide_row(g.pieces, True, layout, s))
    ]
    if unplaced:
        # text of cell words alone (実施 / 検証、実施) is cells some row lacks: only the rows that
        # could take it may lack it (when none could, any may). Other text may be the label of a
        # row the parse lost, whose cells any row may have taken: every row is withheld.
        cells_only = all(CELL_WORDS.match(p.text.strip()) for p in unplaced)
        takers = [d for d in decisions if _could_take(d, unplaced, layout, s)] if cells_only else []
        for d in takers or decisions:
            withhold(
                d, "the table has schedule text that fits no row, which this row may lack", "leftover_text"
            )
    table = _table_schedule(
        t.item_id, [d.row for d in decisions], unplaced, "the text does not decide its cells"
    )
    table.decisions = decisions
    return table


def _could_take(d: RowDecision, text: list[Piece], layout: TableLayout, s: CutSettings) -> bool:
    """Whether the text that fits no row could be row d's: with it, in print order, the row still
    cuts into a label and four cells the model states. A row not cut by the model (a heading, a
    nested row) could take anything."""
    if d.method != "cut":
        return True
    pieces = sorted([*d.pieces, *text], key=lambda p: p.line)
    with_it = decide_row(pieces, True, layout, s)
    return with_it is not None and with_it.row.resolved


def _shared_numbers(groups: list[RowFragments]) -> set[str]:
    keys = [row_key(g) for g in groups]
    return {k for k in keys if k and keys.count(k) > 1}


def _is_heading(g: RowFragments, shared: set[str]) -> bool:
    """A named row that shares its number with others and has too few fragments for cells of
    its own: a heading over its sibling rows."""
    return row_key(g) in shared and len(g.pieces) < 5 and not any(p.multi for p in g.pieces)


def _table_schedule(item_id: str, rows: list[ScheduleRow], unplaced: list[Piece], why: str) -> TableSchedule:
    """Rows in number order, a warning per unresolved row (saying `why`) and one for unplaced text."""
    rows.sort(key=lambda r: (r.number is None, r.number or 0))
    issues = [
        Issue.warning(
            IssueCode.unresolved_schedule_row,
            f"row {r.label!r}: {r.reason or why}",
            item_id=item_id,
            lines=r.source_lines,
        )
        for r in rows
        if not r.resolved
    ]
    if unplaced:
        issues.append(
            Issue.warning(
                IssueCode.unplaced_schedule_text,
                "schedule text that fits no row: " + " / ".join(p.text for p in unplaced),
                item_id=item_id,
                lines=sorted({p.line for p in unplaced}),
            )
        )
    return TableSchedule(rows, issues, unplaced)
