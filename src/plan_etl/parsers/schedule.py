"""年次別計画 rows rebuilt from the schedule fragments of one table (one row at a time).

Output: `ScheduleRow`s (number, label, cells R6..R9, phases, resolved, raw, source_lines) in
number order, plus warnings for rows whose cells the text does not decide.

The text tool prints a row as its label (wrapped over narrow lines) followed by its four year
cells, each wrapped over one or more lines, or several cells on one line separated by spaces.
A row has exactly four cells, so the problem is where the label ends and where each cell ends:
every gap between two fragments gets a score for "a new cell starts here" (a line ending in 、
or の runs on; a line opening with （ continues; short lines and cell words like 検討/実施 close),
the best-scoring cut into label + four cells wins, and a near tie leaves the row unresolved.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import regex

from plan_etl.extract.base import Line
from plan_etl.parsers.ids import circled_number
from plan_etl.parsers.layout import width
from plan_etl.parsers.phases import classify_phases
from plan_etl.parsers.prose import CELL_WORDS
from plan_etl.parsers.row_cut import LabelEnd, search
from plan_etl.schemas import YEARS, ScheduleRow

_ROW_START = regex.compile(r"^[①-⑳]")
GROUP_START = regex.compile(r"^(?:[（(][0-9０-９]+[）)]|[0-9０-９]+[．.])")
_RUNS_ON = regex.compile(r"(?:[、，・のにをとへやでがたくるび及（(「～〜\-－ー]|及び|等の)$")
_CELL_OPENER = regex.compile(
    r"^(?:検討|実施|検証|試行|運用|準備|見直し|改善|拡充|構築|導入|調整|継続|一部|本格|開始|評価|策定|"
    r"調査|分析|研究|設計|整備|保守|周知|公開|拡大|展開|推進|庁内|システム|新規|全|順次|制度|―|－|-)"
)
_CELL_CLOSER = regex.compile(
    r"(?:検討|実施|検証|試行|運用|準備|見直し|改善|拡充|構築|導入|調整|継続|開始|評価|策定|調査|分析|研究|"
    r"設計|整備|保守|周知|公開|拡大|展開|推進|選定|決定|完了|移行|作成|活用|確保|判断|締結|実現|[）)」]|―|－)$"
)
_BULLET = "・"
_LIST_COMMAS = ("、", "・", "，")
_LATIN_END = regex.compile(r"[A-Za-z]$")
_LATIN_START = regex.compile(r"^[A-Za-z]")
_BARE_NUMBER = regex.compile(r"^[①-⑳][a-zａ-ｚ]?$")
ROW_KEY = regex.compile(r"^(?:[①-⑳][a-zａ-ｚ]?|[（(]?[0-9０-９]+[）)．.])")
_DASH_CELL = regex.compile(r"^[―－—\-ー]+$")
MIN_SCORE = 0.0
"""A best cut scoring below this reads like no schedule row at all (stray text): left unresolved."""
MARGIN = 0.75
"""Below this score gap between the best and the next different cut, a row is left unresolved."""


@dataclass
class Piece:
    """One fragment of schedule text: a whole line, or one space-separated part of a line."""

    text: str
    line: int
    multi: bool = False  # came from a line holding several space-separated parts

    @property
    def number(self) -> int | None:
        return circled_number(self.text[:1])


@dataclass
class RowFragments:
    pieces: list[Piece] = field(default_factory=list)


def pieces_of(lines: Sequence[Line], idx: Sequence[int]) -> list[Piece]:
    """Fragments in text order; a line of several short parts gives one fragment per part."""
    out: list[Piece] = []
    for i in idx:
        text = lines[i].text.strip()
        parts = text.split()
        if len(parts) > 1 and _is_cells_line(parts):
            merged: list[str] = []
            for p in parts:
                if merged and _BARE_NUMBER.match(merged[-1]):
                    # 「③ AIチェック…」, 「①b 変動型…」: the number and its label
                    merged[-1] += p if len(merged[-1]) == 1 else " " + p
                elif merged and _LATIN_END.search(merged[-1]) and _LATIN_START.match(p):
                    merged[-1] += " " + p  # 「（Setagaya Arts Place…」: words of one phrase
                else:
                    merged.append(p)
            out.extend(Piece(p, lines[i].no, multi=len(merged) > 1) for p in merged)
        else:
            out.append(Piece(text, lines[i].no))
    return out


def _is_cells_line(parts: list[str]) -> bool:
    """Space-separated parts that are cells (short), not words of one phrase."""
    rest = parts[1:] if _ROW_START.match(parts[0]) else parts
    return all(width(p) <= 24 for p in rest)


def split_rows(pieces: list[Piece]) -> tuple[list[Piece], list[RowFragments]]:
    """Fragments before the first row label, and one group of fragments per numbered row.

    Rows are numbered ①②③, or, in a nested table, （１）（２） / １．２． with ①②③ numbering
    the parts inside each cell.
    """
    grouped = any(GROUP_START.match(p.text) for p in pieces)
    parts = not grouped and is_parts_table(pieces)
    lead: list[Piece] = []
    rows: list[RowFragments] = []
    for p in pieces:
        if grouped:
            starts = bool(GROUP_START.match(p.text))
        elif parts:
            starts = bool(_ROW_START.match(p.text)) and width(p.text) > PART_WIDTH
        else:
            starts = bool(_ROW_START.match(p.text))
        if starts:
            rows.append(RowFragments([p]))
        elif rows:
            rows[-1].pieces.append(p)
        else:
            lead.append(p)
    return lead, rows


PART_WIDTH = 20
"""In a table whose cells are made of ①②③ parts, only a wider line (the label column) opens a row."""


def is_parts_table(pieces: list[Piece]) -> bool:
    """Cells made of ①②③ parts: some number opens three fragments or more."""
    counts: dict[int, int] = {}
    for p in pieces:
        if p.number is not None:
            counts[p.number] = counts.get(p.number, 0) + 1
    return max(counts.values(), default=0) >= 3


def group_number(text: str) -> int | None:
    """（２） -> 2, ３． -> 3; None for any other text."""
    m = regex.match(r"^[（(]?([0-9０-９]+)[）)．.]", text)
    return int(unicodedata.normalize("NFKC", m[1])) if m else None


def nested_cut(pieces: list[Piece]) -> Cut | None:
    """A nested row: group label, optional ①②③ sub-labels, then four cells each made of ①②③
    parts; a cell starts at each ①."""
    k = 1 if pieces[0].number is not None or GROUP_START.match(pieces[0].text) else 0
    while k < len(pieces) and pieces[k].number is None:
        k += 1
    label = pieces[:k]
    _, chunks = split_chunks(pieces[k:])
    if len(chunks) == 5:
        label, chunks = label + chunks[0], chunks[1:]
    elif len(chunks) == 4 and _looks_like_sub_labels(chunks):
        return None  # sub-labels and only three cells
    if len(chunks) != 4 or not label:
        return None
    return Cut(0.0, label, chunks)


def _looks_like_sub_labels(chunks: list[list[Piece]]) -> bool:
    """The first chunk reads as the sub-row labels (much longer than any cell chunk)."""
    first = len(join_pieces(chunks[0]))
    return first > 2 * max(len(join_pieces(c)) for c in chunks[1:])


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


def split_score(a: Piece, b: Piece) -> float:
    """How strongly the gap between fragments a and b separates two cells (negative: same cell)."""
    if a.multi and b.multi and a.line == b.line:
        return 10.0
    s = _text_split_score(a.text, b.text)
    if a.line != b.line and (a.multi or b.multi):
        s += 1
    return s


@functools.lru_cache(maxsize=8192)
def _text_split_score(a: str, b: str) -> float:
    """split_score's part that reads only the two texts (the same pairs recur as rows are tried)."""
    s = 0.0
    if _RUNS_ON.search(a):
        s -= 3
    if b[:1] in "（(" and not a.endswith(("）", ")")):
        s -= 2
    if b[:1] in "）)":
        s -= 3
    if width(b) <= 4 and not CELL_WORDS.match(b) and not _DASH_CELL.match(b):
        s -= 2
    if a.count("（") > a.count("）"):
        s -= 3
    wa = width(a)
    if wa >= 14:
        s -= 2
    elif wa >= 12:
        s -= 1
    elif wa <= 8:
        s += 1
    if _CELL_OPENER.match(b):
        s += 1.5
    if _CELL_CLOSER.search(a):
        s += 1
    return s


def label_split_score(a: Piece, b: Piece) -> float:
    """How strongly the gap after label fragment a ends the label: label lines wrap at about 20
    columns, so a shorter line is the label's last."""
    if a.multi and a.line == b.line:
        return 10.0
    return _text_label_split_score(a.text, b.text) + (4 if b.multi else 0)


@functools.lru_cache(maxsize=8192)
def _text_label_split_score(a: str, b: str) -> float:
    """label_split_score's part that reads only the two texts."""
    s = 0.0
    if _RUNS_ON.search(a):
        s -= 2
    if a.count("（") > a.count("）"):
        s -= 3
    s += -3 if width(a) >= 19 else 3
    if a.endswith(("）", ")")):
        s += 3
    if _CELL_OPENER.match(b):
        s += 1
    return s


@dataclass
class Cut:
    score: float
    label: list[Piece]
    cells: list[list[Piece]]


MAX_LABEL_PIECES = 5
BULLETED_CELLS = 6
MAX_GAPS = 20


def best_cut(
    pieces: list[Piece], labelled: bool, context: str = "", margin: float = 0.0
) -> tuple[Cut | None, bool]:
    """The best cut into label (if `labelled`) + four cells, and whether a cut with other texts
    scores within `margin` of it."""
    found = search([p.text for p in pieces], label_ends(pieces, labelled, context), margin)
    if found is None:
        return None, False
    a, e1, e2, e3 = found.ends
    cells = [pieces[a:e1], pieces[e1:e2], pieces[e2:e3], pieces[e3:]]
    return Cut(found.score, pieces[:a], cells), found.contested


def label_ends(pieces: list[Piece], labelled: bool, context: str = "") -> list[LabelEnd]:
    """Each way to end the label (none when not `labelled`), scored, with the gaps a cell may end at."""
    n = len(pieces)
    # cells made of several ・ bullets each: a cell starts only at a bullet
    bulleted = sum(p.text.startswith(_BULLET) for p in pieces) >= BULLETED_CELLS
    all_gaps = [split_score(pieces[k], pieces[k + 1]) for k in range(n - 1)]
    ends_at: list[LabelEnd] = []
    for a in range(1, min(n - 3, MAX_LABEL_PIECES + 1)) if labelled else [0]:
        base = 0.0
        if labelled:
            base += sum(-label_split_score(pieces[k], pieces[k + 1]) for k in range(a - 1))
            base += label_split_score(pieces[a - 1], pieces[a])
            if pieces[a - 1].text.endswith(_LIST_COMMAS):
                base -= 6  # a label never ends on a list comma: that fragment opens a cell
            if bulleted and pieces[a].text.startswith(_BULLET):
                base += 3
            base += _label_bonus(pieces[:a], context)
        if n - a < 4:
            continue
        gaps = all_gaps[a:]
        if bulleted and pieces[a].text.startswith(_BULLET):
            gaps = [g if pieces[a + k + 1].text.startswith(_BULLET) else g - 8 for k, g in enumerate(gaps)]
        # cutting a gap turns its score from subtracted to added
        ends = {a + k + 1: 2 * gaps[k] for k in _candidate_gaps(gaps)}
        ends_at.append(LabelEnd(a, base - sum(gaps), ends))
    return ends_at


def _candidate_gaps(gaps: list[float]) -> list[int]:
    """The gaps a cut may use, in order: all of them, or for very long runs the most cut-like."""
    return sorted(sorted(range(len(gaps)), key=lambda k: -gaps[k])[:MAX_GAPS])


def _label_bonus(label: list[Piece], context: str) -> float:
    """A label that the table's own text repeats word for word (取組み内容 ①… headings) is likelier."""
    text = squash(join_pieces(label))
    text = text[1:] if circled_number(text[:1]) else text
    return 3.0 if len(text) >= 4 and text in context else 0.0


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def join_pieces(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces)


def _row_record(
    label: list[Piece], cells: list[str | None], pieces: list[Piece], resolved: bool, nested: bool = False
) -> ScheduleRow:
    text = join_pieces(label)
    cell_map = dict(zip(YEARS, cells, strict=True))
    return ScheduleRow(
        number=group_number(text) if GROUP_START.match(text) else circled_number(text[:1]),
        label=text,
        cells=cell_map,
        phases={y: classify_phases(c) for y, c in cell_map.items() if c},
        resolved=resolved,
        raw=None if resolved else " / ".join(p.text for p in pieces),
        source_lines=sorted({p.line for p in pieces}),
    )


CELL_SEPARATOR = "\t"
"""Between the label and the cells of a row that an extractor read from the table grid."""


def row_from_cells(label: str, cells: Sequence[str], lines: list[int]) -> ScheduleRow:
    """A row whose cells are known (read from a ruled table); an empty cell is null, unresolved."""
    values = [c.strip() or None for c in cells]
    text = label.strip()
    nested = bool(GROUP_START.match(text))
    return ScheduleRow(
        number=group_number(text) if nested else circled_number(text[:1]),
        label=text,
        cells=dict(zip(YEARS, values, strict=True)),
        phases={y: classify_phases(c) for y, c in zip(YEARS, values, strict=True) if c},
        resolved=all(values),
        raw=None if all(values) else CELL_SEPARATOR.join([text, *cells]),
        source_lines=lines,
    )


def build_row(pieces: list[Piece], labelled: bool = True, context: str = "") -> ScheduleRow | None:
    """One row from its fragments; unresolved (cells null) when no cut clearly wins."""
    if not pieces:
        return None
    if labelled and (GROUP_START.match(pieces[0].text) or is_parts_table(pieces)):
        nested = nested_cut(pieces)
        if nested is not None:
            cells: list[str | None] = [join_pieces(c) for c in nested.cells]
            return _row_record(nested.label, cells, pieces, True, nested=True)
        if split_chunks(pieces[1:])[1]:
            # cells made of ①②③ parts, but not four of them here
            return _row_record(pieces[:1], [None] * 4, pieces, resolved=False, nested=True)
    best, contested = best_cut(pieces, labelled, context, MARGIN)
    if best is None:
        return _row_record(pieces[:1], [None] * 4, pieces, resolved=False)
    resolved = (
        not _BARE_NUMBER.match(join_pieces(best.label))  # 「①」 over named sub-rows: a nested group
        and best.score >= MIN_SCORE
        and not contested
        and not _detached(best)
    )
    cells = [join_pieces(c) for c in best.cells] if resolved else [None] * 4
    return _row_record(best.label, cells, pieces, resolved)


DETACHED = 6
"""Fragments more than this many source lines apart were printed in different places of the page."""


def _detached(cut: Cut) -> bool:
    """Cells printed in two separate places: their year order is known only when the far part is
    the single last cell."""
    flat = [(k, p) for k, cell in enumerate(cut.cells) for p in cell]
    texts = [join_pieces(c) for c in cut.cells]
    for (k1, p1), (k2, p2) in pairwise(flat):
        if p2.line - p1.line > DETACHED:
            if k1 == k2:
                return True  # one cell split across places
            swapped = texts[k2:] + texts[:k2]
            return not (k1 == 2 and k2 == 3) and swapped != texts
    return False


def best_score(pieces: list[Piece], context: str) -> float:
    best, _ = best_cut(pieces, True, context)
    return best.score if best else float("-inf")
