"""年次別計画 rows rebuilt from the schedule fragments of one table (one row at a time).

Output: `ScheduleRow`s (number, label, cells R6..R9, phases, resolved, confidence, raw,
source_lines) in number order, plus warnings for rows whose cells the text does not decide.

The text tool prints a row as its label (wrapped over narrow lines) followed by its four year
cells, each wrapped over one or more lines, or several cells on one line separated by spaces.
A row has exactly four cells, so the problem is where the label ends and where each cell ends.
`plan_etl.parsers.yearly_plan.cut_model` reads every gap (text box, widths, words) with fitted weights; the
most likely cut into label + four cells wins, and a row whose best cut's posterior is below the
fitted `min_confidence` is left unresolved.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

import regex

from plan_etl.extract.base import PAGE_BREAK_DOUBT, Line
from plan_etl.form.ids import circled_number
from plan_etl.form.vocabulary import CELL_CLOSER, CELL_OPENER, CELL_WORDS, DASH_CELL
from plan_etl.form.words import CIRCLED_MARK, GROUP_MARK
from plan_etl.parsers.layout import width
from plan_etl.parsers.yearly_plan.cut_model import (
    BULLET,
    CLOSING_BRACKETS,
    MID_WORD,
    OPENING_BRACKETS,
    RUNS_ON,
    CutSettings,
    Piece,
    RowContext,
    TableLayout,
    default_settings,
)
from plan_etl.parsers.yearly_plan.phases import classify_phases
from plan_etl.parsers.yearly_plan.row_cut import Found, LabelEnd, search
from plan_etl.schemas import YEARS, ReasonCode, ScheduleRow

_ROW_START = regex.compile(rf"^{CIRCLED_MARK}")
GROUP_START = regex.compile(rf"^{GROUP_MARK}")
_LATIN_END = regex.compile(r"[A-Za-z]$")
_LATIN_START = regex.compile(r"^[A-Za-z]")
_BARE_NUMBER = regex.compile(rf"^{CIRCLED_MARK}[a-zａ-ｚ]?$")
ROW_KEY = regex.compile(rf"^(?:{CIRCLED_MARK}[a-zａ-ｚ]?|[（(]?[0-9０-９]+[）)．.])")


@dataclass
class RowFragments:
    pieces: list[Piece] = field(default_factory=list)


def pieces_of(lines: Sequence[Line], idx: Sequence[int], settings: CutSettings | None = None) -> list[Piece]:
    """Fragments in text order, each with its text box; a line of several short parts gives one
    fragment per part. `lines` are the document's non-blank lines, so a box is a run of them with
    consecutive numbers (the text tool puts a blank line between boxes)."""
    cell_width = (settings or default_settings()).cell_width
    out: list[Piece] = []
    for i in idx:
        text = lines[i].text.strip()
        box = box_start(lines, i)
        parts = text.split()
        if len(parts) > 1 and _is_cells_line(parts, cell_width):
            merged: list[str] = []
            for p in parts:
                if merged and _BARE_NUMBER.match(merged[-1]):
                    # 「③ AIチェック…」, 「①b 変動型…」: the number and its label
                    merged[-1] += p if len(merged[-1]) == 1 else " " + p
                elif merged and _LATIN_END.search(merged[-1]) and _LATIN_START.match(p):
                    merged[-1] += " " + p  # 「（Setagaya Arts Place…」: words of one phrase
                else:
                    merged.append(p)
            out.extend(Piece(p, lines[i].no, multi=len(merged) > 1, box=box) for p in merged)
        else:
            out.append(Piece(text, lines[i].no, box=box))
    return out


def box_start(lines: Sequence[Line], i: int) -> int:
    """The first line number of the text box holding non-blank line `i`."""
    while i > 0 and lines[i - 1].no == lines[i].no - 1:
        i -= 1
    return lines[i].no


def _is_cells_line(parts: list[str], cell_width: int) -> bool:
    """Space-separated parts that are cells (each at most `cell_width`), not words of one phrase."""
    rest = parts[1:] if _ROW_START.match(parts[0]) else parts
    return all(width(p) <= cell_width for p in rest)


def split_rows(
    pieces: list[Piece], settings: CutSettings | None = None
) -> tuple[list[Piece], list[RowFragments]]:
    """Fragments before the first row label, and one group of fragments per numbered row.

    Rows are numbered ①②③, or, in a nested table, （１）（２） / １．２． with ①②③ numbering
    the parts inside each cell.
    """
    s = settings or default_settings()
    part_width = s.part_width
    grouped = any(GROUP_START.match(p.text) for p in pieces)
    parts = not grouped and is_parts_table(pieces, s)
    lead: list[Piece] = []
    rows: list[RowFragments] = []
    for p in pieces:
        if grouped:
            starts = bool(GROUP_START.match(p.text))
        elif parts:
            starts = bool(_ROW_START.match(p.text)) and width(p.text) > part_width
        else:
            starts = bool(_ROW_START.match(p.text))
        if starts:
            rows.append(RowFragments([p]))
        elif rows:
            rows[-1].pieces.append(p)
        else:
            lead.append(p)
    return lead, rows


def named_rows(pieces: list[Piece]) -> list[list[Piece]] | None:
    """A row number printed alone in its column (「①」) over named rows (① 普及啓発イベント …,
    ① 新たな広報活動 …): one row per name, its first fragment the number and the name (drawn also
    from the number's line); None when the row does not open with a bare number or has no name."""
    if len(pieces) < 2 or not _BARE_NUMBER.match(pieces[0].text):
        return None
    number = pieces[0]
    rows: list[list[Piece]] = []
    for k, p in enumerate(pieces[1:], 1):
        if _opens_name(pieces[k - 1], p, first=k == 1):
            rows.append([replace(p, text=number.text + p.text, also=(*p.also, number.line))])
        elif rows:
            rows[-1].append(p)
        else:
            return None
    return rows


def _opens_name(prev: Piece, p: Piece, first: bool) -> bool:
    """Fragment p opens a named row: text that is no cell (no step word leads it, no dash), after
    the number, or after a cell's end at the start of a line (not inside a wrapped phrase)."""
    if CELL_WORDS.match(p.text) or CELL_OPENER.match(p.text) or DASH_CELL.match(p.text):
        return False
    if first:
        return True
    starts_line = not p.multi or prev.line != p.line
    return starts_line and not RUNS_ON.search(prev.text) and bool(CELL_CLOSER.search(prev.text))


def is_parts_table(pieces: list[Piece], settings: CutSettings | None = None) -> bool:
    """Cells made of ①②③ parts: two numbers or more each open `parts_repeat` fragments or more (a
    part list repeats in every year's cell; named rows sharing one number do not repeat the next)."""
    repeat = (settings or default_settings()).parts_repeat
    counts: dict[int, int] = {}
    for p in pieces:
        if p.number is not None:
            counts[p.number] = counts.get(p.number, 0) + 1
    return sum(n >= repeat for n in counts.values()) >= 2


def is_nested(pieces: list[Piece], settings: CutSettings | None = None) -> bool:
    """A row of a nested table ((１) over ①②③ parts) or of a table whose cells are ①②③ parts:
    cut at each ①, not by the model."""
    return bool(GROUP_START.match(pieces[0].text)) or is_parts_table(pieces, settings)


def group_number(text: str) -> int | None:
    """（２） -> 2, ３． -> 3; None for any other text."""
    m = regex.match(r"^[（(]?([0-9０-９]+)[）)．.]", text)
    return int(unicodedata.normalize("NFKC", m[1])) if m else None


def nested_cut(pieces: list[Piece], settings: CutSettings | None = None) -> Cut | None:
    """A nested row: group label, optional ①②③ sub-labels, then four cells each made of ①②③
    parts; a cell starts at each ①."""
    k = 1 if pieces[0].number is not None or GROUP_START.match(pieces[0].text) else 0
    while k < len(pieces) and pieces[k].number is None:
        k += 1
    label = pieces[:k]
    _, chunks = split_chunks(pieces[k:])
    if len(chunks) == 5:
        label, chunks = label + chunks[0], chunks[1:]
    elif len(chunks) == 4 and _looks_like_sub_labels(
        label, chunks, (settings or default_settings()).sub_label_share
    ):
        return None  # sub-labels and only three cells
    if len(chunks) != 4 or not label:
        return None
    return Cut(0.0, label, chunks)


def _looks_like_sub_labels(label: list[Piece], chunks: list[list[Piece]], share: float) -> bool:
    """The first chunk reads as the sub-row labels: much longer than any cell chunk, and printed
    in the label column (its widest line at least `share` of the group label's), not in a year
    column."""
    first = len(join_pieces(chunks[0]))
    in_label_column = max(width(p.text) for p in chunks[0]) >= share * max(width(p.text) for p in label)
    return in_label_column and first > 2 * max(len(join_pieces(c)) for c in chunks[1:])


def split_chunks(pieces: list[Piece]) -> tuple[list[Piece], list[list[Piece]]]:
    """A nested row's group label and its ①-led chunks (sub-labels or cells)."""
    starts = [k for k, p in enumerate(pieces) if p.number == 1]
    if not starts:
        return pieces, []
    ends = [*starts[1:], len(pieces)]
    return pieces[: starts[0]], [pieces[a:b] for a, b in zip(starts, ends, strict=True)]


def part_count(chunk: list[Piece]) -> int:
    return sum(p.number is not None for p in chunk)


def row_key(g: RowFragments) -> str:
    """「①」, 「①b」, 「（２）」: what names a row within its table."""
    m = ROW_KEY.match(g.pieces[0].text)
    return unicodedata.normalize("NFKC", m.group()) if m else ""


def split_score(a: Piece, b: Piece, settings: CutSettings | None = None) -> float:
    """The score of a new cell starting between fragments a and b out of row context (negative:
    more likely the same cell)."""
    return (settings or default_settings()).gap_score(a, b, RowContext())


@dataclass
class Cut:
    score: float
    label: list[Piece]
    cells: list[list[Piece]]
    confidence: float = 1.0
    """The cut's posterior among the cuts near it (1.0 for a rule-made cut)."""


def _cut_of(pieces: list[Piece], ends: tuple[int, int, int, int], score: float, confidence: float) -> Cut:
    a, e1, e2, e3 = ends
    return Cut(score, pieces[:a], [pieces[a:e1], pieces[e1:e2], pieces[e2:e3], pieces[e3:]], confidence)


def row_context(pieces: list[Piece], table: TableLayout | None, settings: CutSettings) -> RowContext:
    """What the gap features read about the whole row: bulleted cells, the table's text."""
    bullets = sum(p.text.startswith(BULLET) for p in pieces)
    return RowContext.of(pieces, bullets >= settings.bulleted_cells, table)


def search_row(
    pieces: list[Piece],
    labelled: bool,
    table: TableLayout | None,
    settings: CutSettings,
    window: float | None = None,
) -> Found | None:
    """The most likely cut of a row's fragments into label (if `labelled`) + four cells, its
    posterior over the cuts within `window` of it (default the settings'; 0 when only the best
    cut and its score are wanted, which is much faster)."""
    row = row_context(pieces, table, settings)
    return search(
        [p.text for p in pieces],
        label_ends(pieces, labelled, row, settings),
        settings.repeat,
        settings.window if window is None else window,
        (settings.open_alike, settings.close_alike),
    )


def best_cut(
    pieces: list[Piece],
    labelled: bool,
    table: TableLayout | None = None,
    settings: CutSettings | None = None,
    window: float | None = None,
) -> Cut | None:
    """The most likely cut into label (if `labelled`) + four cells, with its posterior (over the
    cuts within `window` of it: see `search_row`)."""
    found = search_row(pieces, labelled, table, settings or default_settings(), window)
    return None if found is None else _cut_of(pieces, found.ends, found.score, found.confidence)


def label_ends(pieces: list[Piece], labelled: bool, row: RowContext, s: CutSettings) -> list[LabelEnd]:
    """Each way to end the label (none when not `labelled`) with its score, and the gaps a cell
    may start at with the score of starting one there."""
    n = len(pieces)
    z = [s.gap_score(pieces[k], pieces[k + 1], row) for k in range(n - 1)]
    opens = cell_starts(pieces, s)
    ends_at: list[LabelEnd] = []
    for a in range(1, min(n - 3, s.max_label_pieces + 1)) if labelled else [0]:
        if labelled and not (may_end_label(pieces[:a], s) and a in opens):
            continue
        start = s.label_score(pieces[:a], pieces[a], row) if labelled else 0.0
        gaps = z[a:]
        ends = {a + k + 1: gaps[k] for k in _candidate_gaps(gaps, s.max_gaps) if a + k + 1 in opens}
        ends_at.append(LabelEnd(a, start, ends))
    return ends_at


def may_end_label(label: list[Piece], s: CutSettings) -> bool:
    """A label never is its number alone, nor (unless the settings allow) ends mid-phrase."""
    if _BARE_NUMBER.match(join_pieces(label)):
        return False
    return s.label_ends_mid_phrase or not RUNS_ON.search(label[-1].text)


def cell_starts(pieces: Sequence[Piece], s: CutSettings) -> frozenset[int]:
    """The fragments (by index) a cell may open with, so the label or a cell may end before: not
    one opening with a sound no Japanese word opens with (ン, ー, a small kana: the tail of a
    word the line wrapped; a dash alone is a cell of its own), and not one inside brackets
    （…） 「…」 when the row's brackets pair up (a typo's unpaired one says nothing)."""
    depth = 0
    inside: set[int] = set()
    paired = True
    for k, p in enumerate(pieces):
        if depth:
            inside.add(k)
        for ch in p.text:
            depth += ch in OPENING_BRACKETS
            depth -= ch in CLOSING_BRACKETS
            paired = paired and depth >= 0
    paired = paired and depth == 0
    return frozenset(
        k
        for k, p in enumerate(pieces)
        if (s.opens_mid_word or not MID_WORD.match(p.text) or DASH_CELL.match(p.text))
        and (s.brackets_span_cells or not paired or k not in inside)
    )


def _candidate_gaps(gaps: list[float], most: int) -> list[int]:
    """The gaps a cut may use, in order: all of them, or for very long runs the most cut-like."""
    return sorted(sorted(range(len(gaps)), key=lambda k: -gaps[k])[:most])


def join_pieces(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces)


def row_record(
    label: list[Piece],
    cells: list[str | None],
    pieces: list[Piece],
    resolved: bool,
    confidence: float | None = None,
    reason: str | None = None,
    code: ReasonCode | None = None,
) -> ScheduleRow:
    """A row from its label's fragments, its cells and all its fragments (its source lines)."""
    text = join_pieces(label)
    cell_map = dict(zip(YEARS, cells, strict=True))
    return ScheduleRow(
        number=group_number(text) if GROUP_START.match(text) else circled_number(text[:1]),
        label=text,
        cells=cell_map,
        phases={y: classify_phases(c) for y, c in cell_map.items() if c},
        resolved=resolved,
        confidence=None if confidence is None else round(confidence, 3),
        raw=None if resolved else " / ".join(p.text for p in pieces),
        reason=None if resolved else reason,
        reason_code=None if resolved else code,
        source_lines=sorted({n for p in pieces for n in (p.line, *p.also)}),
    )


CELL_SEPARATOR = "\t"
"""Between the label and the cells of a row that an extractor read from the table grid."""


def row_from_cells(
    label: str, cells: Sequence[str], lines: list[int], doubt: str | None = None
) -> ScheduleRow:
    """A row whose cells are known (read from a ruled table); an empty cell is null, unresolved. A
    row whose geometry the extractor doubts (`doubt`: why) is withheld: its cells null, its text raw."""
    code: ReasonCode = (
        "empty_cells" if doubt is None else "page_break" if doubt == PAGE_BREAK_DOUBT else "pdf_geometry"
    )
    values = [c.strip() or None for c in cells]
    text = label.strip()
    nested = bool(GROUP_START.match(text))
    raw = CELL_SEPARATOR.join([text, *cells])
    if doubt is not None:
        values = [None] * len(values)
    stated = all(values)
    return ScheduleRow(
        number=group_number(text) if nested else circled_number(text[:1]),
        label=text,
        cells=dict(zip(YEARS, values, strict=True)),
        phases={y: classify_phases(c) for y, c in zip(YEARS, values, strict=True) if c},
        resolved=stated,
        raw=None if stated else raw,
        reason=None if stated else (doubt or "empty cells in the table"),
        reason_code=None if stated else code,
        source_lines=lines,
    )


@dataclass
class RowDecision:
    """How one row was read: its fragments, the chosen cut and the runner-up (cuts giving other
    texts), and why it was left unresolved (None when stated). What `plan-etl explain` shows."""

    pieces: list[Piece]
    row: ScheduleRow
    cut: Cut | None = None
    runner_up: Cut | None = None
    reason: str | None = None
    code: ReasonCode | None = None
    """`reason` as a code of the closed set (REASON_CODES)."""
    method: str = "cut"
    """How the cells were found: "cut" (the fitted model), "nested" (cut at each ①), "heading"
    (a named row with no cells of its own), or "none" (no cut possible)."""
    likely_label: str | None = None
    """The label with the most posterior mass: the one an unresolved row keeps."""


def build_row(
    pieces: list[Piece],
    labelled: bool = True,
    table: TableLayout | None = None,
    settings: CutSettings | None = None,
) -> ScheduleRow | None:
    """One row from its fragments; unresolved (cells null) when no cut is likely enough."""
    decision = decide_row(pieces, labelled, table, settings)
    return decision.row if decision else None


def decide_row(
    pieces: list[Piece],
    labelled: bool = True,
    table: TableLayout | None = None,
    settings: CutSettings | None = None,
) -> RowDecision | None:
    """build_row with its reasons (see RowDecision)."""
    s = settings or default_settings()
    if not pieces:
        return None
    if labelled and is_nested(pieces, s):
        nested = nested_cut(pieces, s)
        if nested is not None:
            cells: list[str | None] = [join_pieces(c) for c in nested.cells]
            return RowDecision(pieces, row_record(nested.label, cells, pieces, True), nested, method="nested")
        if split_chunks(pieces[1:])[1]:
            why = "cells made of ①②③ parts, but not four of them"
            row = row_record(pieces[:1], [None] * 4, pieces, False, reason=why, code="nested_parts")
            return RowDecision(pieces, row, reason=why, code="nested_parts", method="none")
    found = search_row(pieces, labelled, table, s)
    if found is None:
        why = "too few fragments for a label and four cells"
        label = _label_of_a_short_row(pieces, s)
        row = row_record(label, [None] * 4, pieces, False, reason=why, code="too_few_fragments")
        return RowDecision(pieces, row, reason=why, code="too_few_fragments", method="none")
    best = _cut_of(pieces, found.ends, found.score, found.confidence)
    runner_up = None
    if found.runner_up is not None and found.runner_up_score is not None:
        runner_up = _cut_of(pieces, found.runner_up, found.runner_up_score, 0.0)
    reason, code = None, None
    if _BARE_NUMBER.match(join_pieces(best.label)):
        reason, code = "the label is a bare number over named sub-rows", "bare_number"
    elif best.confidence < s.min_confidence:
        reason = f"best cut's confidence {best.confidence:.3f} is below {s.min_confidence:.3f}"
        code = "low_confidence"
    elif _detached(best, s.detached):
        reason, code = "cells printed in two places whose year order is unknown", "detached_cells"
    resolved = reason is None
    cells = [join_pieces(c) for c in best.cells] if resolved else [None] * 4
    likely = pieces[: found.label_end]
    label = best.label if resolved else likely
    row = row_record(label, cells, pieces, resolved, best.confidence, reason, code)
    return RowDecision(pieces, row, best, runner_up, reason, code, likely_label=join_pieces(likely))


def heading_row(pieces: list[Piece]) -> RowDecision:
    """A named row with no cells of its own (a heading over rows sharing its number): its label
    is all its text, its cells are null by design, so it is resolved and raises no warning."""
    row = row_record(pieces, [None] * 4, pieces, True)
    return RowDecision(pieces, row, method="heading")


def _label_of_a_short_row(pieces: list[Piece], s: CutSettings) -> list[Piece]:
    """The label of a row too short to cut: its first fragments up to where a label may end."""
    k = 1
    while k < len(pieces) and not may_end_label(pieces[:k], s):
        k += 1
    return pieces[:k]


def withhold(decision: RowDecision, reason: str, code: ReasonCode) -> None:
    """Leave a stated row unresolved for `reason` (`code`; its cells null, its fragments kept)."""
    row = decision.row
    if not row.resolved:
        return
    decision.reason, decision.code = reason, code
    decision.row = row.model_copy(
        update={
            "cells": dict.fromkeys(YEARS),
            "phases": {},
            "resolved": False,
            "raw": " / ".join(p.text for p in decision.pieces),
            "reason": reason,
            "reason_code": code,
            "resolved_by": None,
            "label": decision.likely_label or row.label,
        }
    )


def _detached(cut: Cut, detached: int) -> bool:
    """Cells printed in two separate places (fragments more than `detached` lines apart): their
    year order is known only when the far part is the single last cell."""
    flat = [(k, p) for k, cell in enumerate(cut.cells) for p in cell]
    texts = [join_pieces(c) for c in cut.cells]
    for (k1, p1), (k2, p2) in pairwise(flat):
        if p2.line - p1.line > detached:
            if k1 == k2:
                return True  # one cell split across places
            swapped = texts[k2:] + texts[:k2]
            return not (k1 == 2 and k2 == 3) and swapped != texts
    return False


def best_score(pieces: list[Piece], table: TableLayout | None, settings: CutSettings | None = None) -> float:
    best = best_cut(pieces, True, table, settings, window=0.0)  # the score alone: no posterior
    return best.score if best else float("-inf")
