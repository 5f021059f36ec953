"""年次別計画 rows rebuilt from the schedule fragments of one table.

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

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations, pairwise

import regex

from plan_etl.extract.base import Line
from plan_etl.parsers.ids import circled_number
from plan_etl.parsers.layout import width
from plan_etl.parsers.phases import classify_phases
from plan_etl.parsers.prose import CELL_WORDS
from plan_etl.schemas import YEARS, Issue, ScheduleRow

_ROW_START = regex.compile(r"^[①-⑳]")
_GROUP_START = regex.compile(r"^(?:[（(][0-9０-９]+[）)]|[0-9０-９]+[．.])")
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
_BARE_NUMBER = regex.compile(r"^[①-⑳][a-zａ-ｚ]?$")
_ROW_KEY = regex.compile(r"^(?:[①-⑳][a-zａ-ｚ]?|[（(]?[0-9０-９]+[）)．.])")
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
class _Row:
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


def split_rows(pieces: list[Piece]) -> tuple[list[Piece], list[_Row]]:
    """Fragments before the first row label, and one group of fragments per numbered row.

    Rows are numbered ①②③, or, in a nested table, （１）（２） / １．２． with ①②③ numbering
    the parts inside each cell.
    """
    nested = any(_GROUP_START.match(p.text) for p in pieces)
    start = _GROUP_START if nested else _ROW_START
    lead: list[Piece] = []
    rows: list[_Row] = []
    for p in pieces:
        if start.match(p.text):
            rows.append(_Row([p]))
        elif rows:
            rows[-1].pieces.append(p)
        else:
            lead.append(p)
    return lead, rows


def group_number(text: str) -> int | None:
    """（２） -> 2, ３． -> 3; None for any other text."""
    m = regex.match(r"^[（(]?([0-9０-９]+)[）)．.]", text)
    return int(unicodedata.normalize("NFKC", m[1])) if m else None


def nested_cut(pieces: list[Piece]) -> _Cut | None:
    """A nested row: group label, optional ①②③ sub-labels, then four cells each made of ①②③
    parts; a cell starts at each ①."""
    starts = [k for k, p in enumerate(pieces) if p.number == 1]
    if not starts:
        return None
    chunks = [pieces[a:b] for a, b in zip(starts, [*starts[1:], len(pieces)], strict=True)]
    label = pieces[: starts[0]]
    if len(chunks) == 5:
        label, chunks = label + chunks[0], chunks[1:]
    if len(chunks) != 4 or not label:
        return None
    return _Cut(0.0, label, chunks)


def split_score(a: Piece, b: Piece) -> float:
    """How strongly the gap between fragments a and b separates two cells (negative: same cell)."""
    if a.multi and b.multi and a.line == b.line:
        return 10.0
    s = 0.0
    if _RUNS_ON.search(a.text):
        s -= 3
    if b.text[:1] in "（(" and not a.text.endswith(("）", ")")):
        s -= 2
    if b.text[:1] in "）)":
        s -= 3
    if width(b.text) <= 4 and not CELL_WORDS.match(b.text) and not _DASH_CELL.match(b.text):
        s -= 2
    if a.text.count("（") > a.text.count("）"):
        s -= 3
    wa = width(a.text)
    if wa >= 14:
        s -= 2
    elif wa >= 12:
        s -= 1
    elif wa <= 8:
        s += 1
    if _CELL_OPENER.match(b.text):
        s += 1.5
    if _CELL_CLOSER.search(a.text):
        s += 1
    if a.line != b.line and (a.multi or b.multi):
        s += 1
    return s


def label_split_score(a: Piece, b: Piece) -> float:
    """How strongly the gap after label fragment a ends the label: label lines wrap at about 20
    columns, so a shorter line is the label's last."""
    if a.multi and a.line == b.line:
        return 10.0
    s = 0.0
    if _RUNS_ON.search(a.text):
        s -= 2
    if a.text.count("（") > a.text.count("）"):
        s -= 3
    s += -3 if width(a.text) >= 19 else 3
    if a.text.endswith(("）", ")")):
        s += 3
    if _CELL_OPENER.match(b.text):
        s += 1
    if b.multi:
        s += 4
    return s


@dataclass
class _Cut:
    score: float
    label: list[Piece]
    cells: list[list[Piece]]


MAX_LABEL_PIECES = 5
BULLETED_CELLS = 6
MAX_GAPS = 30


def best_cuts(pieces: list[Piece], labelled: bool, context: str = "") -> list[_Cut]:
    """All cuts into label (if `labelled`) + four cells, best first."""
    cuts: list[_Cut] = []
    n = len(pieces)
    label_ends = range(1, min(n - 3, MAX_LABEL_PIECES + 1)) if labelled else [0]
    # cells made of several ・ bullets each: a cell starts only at a bullet
    bulleted = sum(p.text.startswith(_BULLET) for p in pieces) >= BULLETED_CELLS
    for a in label_ends:
        base = 0.0
        if labelled:
            base += sum(-label_split_score(pieces[k], pieces[k + 1]) for k in range(a - 1))
            base += label_split_score(pieces[a - 1], pieces[a])
            if bulleted and pieces[a].text.startswith(_BULLET):
                base += 3
            base += _label_bonus(pieces[:a], context)
        body = pieces[a:]
        if len(body) < 4:
            continue
        gaps = [split_score(body[k], body[k + 1]) for k in range(len(body) - 1)]
        if bulleted and body[0].text.startswith(_BULLET):
            # bulleted cells: a cell starts only at a bullet
            gaps = [g if body[k + 1].text.startswith(_BULLET) else g - 8 for k, g in enumerate(gaps)]
        total = sum(gaps)
        for chosen in _candidate_gaps(gaps):
            bounds = [0, *[c + 1 for c in chosen], len(body)]
            cells = [body[bounds[k] : bounds[k + 1]] for k in range(4)]
            score = base + 2 * sum(gaps[c] for c in chosen) - total + _repetition_bonus(cells)
            cuts.append(_Cut(score, pieces[:a], cells))
    cuts.sort(key=lambda c: -c.score)
    return cuts


def _candidate_gaps(gaps: list[float]) -> list[tuple[int, ...]]:
    """Triples of gaps to cut at: all of them, or for very long runs the most cut-like ones."""
    order = sorted(range(len(gaps)), key=lambda k: -gaps[k])[:MAX_GAPS]
    return [tuple(sorted(c)) for c in combinations(order, 3)]


def _repetition_bonus(cells: list[list[Piece]]) -> float:
    """Year cells often repeat their neighbour (実施 実施 実施): a cut that yields repeats is likelier."""
    texts = [_join(c) for c in cells]
    return sum(2.5 * len(c) for c, x, y in zip(cells, texts, texts[1:], strict=False) if x == y)


def _label_bonus(label: list[Piece], context: str) -> float:
    """A label that the table's own text repeats word for word (取組み内容 ①… headings) is likelier."""
    text = _squash(_join(label))
    text = text[1:] if circled_number(text[:1]) else text
    return 3.0 if len(text) >= 4 and text in context else 0.0


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _join(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces)


def _row_record(
    label: list[Piece], cells: list[str | None], pieces: list[Piece], resolved: bool, nested: bool = False
) -> ScheduleRow:
    text = _join(label)
    cell_map = dict(zip(YEARS, cells, strict=True))
    return ScheduleRow(
        number=group_number(text) if nested or _GROUP_START.match(text) else circled_number(text[:1]),
        label=text,
        cells=cell_map,
        phases={y: classify_phases(c) for y, c in cell_map.items() if c},
        resolved=resolved,
        raw=None if resolved else " / ".join(p.text for p in pieces),
        source_lines=sorted({p.line for p in pieces}),
    )


def build_row(pieces: list[Piece], labelled: bool = True, context: str = "") -> ScheduleRow | None:
    """One row from its fragments; unresolved (cells null) when no cut clearly wins."""
    if not pieces:
        return None
    if labelled and _GROUP_START.match(pieces[0].text):
        nested = nested_cut(pieces)
        if nested is not None:
            return _row_record(nested.label, [_join(c) for c in nested.cells], pieces, True, nested=True)
    cuts = best_cuts(pieces, labelled, context)
    if not cuts:
        return _row_record(pieces[:1], [None] * 4, pieces, resolved=False)
    best = cuts[0]
    rival = next((c for c in cuts[1:] if _texts(c) != _texts(best)), None)
    resolved = (
        best.score >= MIN_SCORE
        and (rival is None or best.score - rival.score >= MARGIN)
        and not _detached(best)
    )
    cells: list[str | None] = [_join(c) for c in best.cells] if resolved else [None] * 4
    return _row_record(best.label, cells, pieces, resolved)


DETACHED = 6
"""Fragments more than this many source lines apart were printed in different places of the page."""


def _detached(cut: _Cut) -> bool:
    """Cells printed in two separate places: their year order is known only when the far part is
    the single last cell."""
    flat = [(k, p) for k, cell in enumerate(cut.cells) for p in cell]
    texts = [_join(c) for c in cut.cells]
    for (k1, p1), (k2, p2) in pairwise(flat):
        if p2.line - p1.line > DETACHED:
            if k1 == k2:
                return True  # one cell split across places
            swapped = texts[k2:] + texts[:k2]
            return not (k1 == 2 and k2 == 3) and swapped != texts
    return False


def _texts(cut: _Cut) -> tuple[str, ...]:
    return (_join(cut.label), *(_join(c) for c in cut.cells))


def _best_score(pieces: list[Piece], context: str) -> float:
    cuts = best_cuts(pieces, True, context)
    return cuts[0].score if cuts else float("-inf")


@dataclass
class TableInput:
    """The schedule lines of one table and the table's own text (for matching row labels)."""

    item_id: str
    idx: list[int]
    context: str = ""


@dataclass
class _Table:
    item_id: str
    context: str
    lead: list[Piece]
    groups: list[_Row]

    @property
    def empty(self) -> bool:
        return not self.lead and not self.groups

    def row_keys(self) -> list[str]:
        return [_row_key(g) for g in self.groups]


def parse_schedules(
    lines: Sequence[Line], tables: Sequence[TableInput]
) -> list[tuple[list[ScheduleRow], list[Issue]]]:
    """Rows of every table's 年次別計画. Tables are handled together because the text tool can
    print one table's rows among its neighbour's fragments."""
    parsed: list[_Table] = []
    for t in tables:
        lead, groups = split_rows(pieces_of(lines, t.idx))
        parsed.append(_Table(t.item_id, _squash(t.context), lead, groups))
    _move_repeated_numbers(parsed)
    _rebalance_nested(parsed)
    _fill_empty_tables(parsed)
    return [_rows_of(t) for t in parsed]


def _move_repeated_numbers(tables: list[_Table]) -> None:
    """A row number printed twice in one table: the copy nearer a neighbour lacking it is the
    neighbour's row."""
    for i, t in enumerate(tables):
        seen: set[str] = set()
        for g in list(t.groups):
            key = _row_key(g)
            if key not in seen:
                seen.add(key)
                continue
            for j in (i + 1, i - 1):
                if 0 <= j < len(tables) and key not in tables[j].row_keys():
                    t.groups.remove(g)
                    tables[j].groups.append(g)
                    break


def _split_chunks(pieces: list[Piece]) -> tuple[list[Piece], list[list[Piece]]]:
    """A nested row's group label and its ①-led chunks (sub-labels or cells)."""
    starts = [k for k, p in enumerate(pieces) if p.number == 1]
    if not starts:
        return pieces, []
    ends = [*starts[1:], len(pieces)]
    return pieces[: starts[0]], [pieces[a:b] for a, b in zip(starts, ends, strict=True)]


def _parts(chunk: list[Piece]) -> int:
    return sum(p.number is not None for p in chunk)


def _rebalance_nested(tables: list[_Table]) -> None:
    """Two nested tables side by side: chunks or whole rows whose ①②③ part count matches the
    neighbour's rows, not their own row's, belong to the neighbour."""
    for i, t in enumerate(tables):
        neighbours = [tables[j] for j in (i + 1, i - 1) if 0 <= j < len(tables)]
        for g in list(t.groups):
            if not _GROUP_START.match(g.pieces[0].text):
                continue
            label, chunks = _split_chunks(g.pieces)
            if not chunks:
                continue
            own = _parts(chunks[0])
            tail = [c for c in chunks[1:] if _parts(c) != own]
            if tail and tail == chunks[len(chunks) - len(tail) :]:
                moved = _give_chunks(neighbours, tail)
                if moved:
                    keep = chunks[: len(chunks) - len(tail)]
                    g.pieces = label + [p for c in keep for p in c]
            others = [
                _parts(c[0]) for h in t.groups if h is not g and (c := _split_chunks(h.pieces)[1])
            ]
            if others and own not in others:
                for n in neighbours:
                    theirs = [_parts(c[0]) for h in n.groups if (c := _split_chunks(h.pieces)[1])]
                    if own in theirs and _row_key(g) not in n.row_keys():
                        t.groups.remove(g)
                        n.groups.append(g)
                        break


def _give_chunks(neighbours: list[_Table], chunks: list[list[Piece]]) -> bool:
    """Append cell chunks to a neighbour's nested row that is short of cells and has their part count."""
    parts = _parts(chunks[0])
    for n in neighbours:
        for h in n.groups:
            _, theirs = _split_chunks(h.pieces)
            if theirs and len(theirs) + len(chunks) <= 5 and _parts(theirs[-1]) == parts:
                h.pieces.extend(p for c in chunks for p in c)
                return True
    return False


def _row_key(g: _Row) -> str:
    """「①」, 「①b」, 「（２）」: what names a row within its table."""
    m = _ROW_KEY.match(g.pieces[0].text)
    return unicodedata.normalize("NFKC", m.group()) if m else ""


def _fill_empty_tables(tables: list[_Table]) -> None:
    """A table with no schedule fragments: its row was printed after the previous table's rows (or
    before the next's); split that run where both rows read best."""
    for i, t in enumerate(tables):
        if not t.empty:
            continue
        if i > 0 and not tables[i - 1].empty:
            prev = tables[i - 1]
            source = prev.groups[-1].pieces if prev.groups else prev.lead
            k = _best_split(source, prev.context, t.context)
            if k is not None:
                t.lead = source[k:]
                del source[k:]
                continue
        if i + 1 < len(tables) and len(tables[i + 1].lead) >= 5 and tables[i + 1].groups:
            t.lead, tables[i + 1].lead = tables[i + 1].lead, []


def _best_split(pieces: list[Piece], ctx_a: str, ctx_b: str) -> int | None:
    """Where a run of fragments holding two rows (label + four cells each) is best cut in two."""
    best: tuple[float, int] | None = None
    for k in range(5, len(pieces) - 4):
        score = _best_score(pieces[:k], ctx_a) + _best_score(pieces[k:], ctx_b)
        score += split_score(pieces[k - 1], pieces[k])
        if best is None or score > best[0]:
            best = (score, k)
    return best[1] if best else None


def _fill_deficits(t: _Table) -> None:
    """Rows missing cells take fragments printed elsewhere: a stray cell before the first row or
    after a row that already has its four, or a whole line of four cells printed under another row."""
    strays: list[Piece] = list(t.lead) if t.groups else []
    full_lines: list[list[Piece]] = []
    for g in t.groups:
        extra = _surplus(g)
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


def _surplus(g: _Row) -> list[Piece]:
    """Fragments at the end of a row that are not its own: what follows its four cells."""
    pieces = g.pieces
    starts = [k for k, p in enumerate(pieces) if p.number == 1]
    if _GROUP_START.match(pieces[0].text) and starts:
        if len(starts) < 4:
            return []
        numbered = [k for k, p in enumerate(pieces) if p.number is not None]
        end = numbered[-1] + 1
        while end < len(pieces) and split_score(pieces[end - 1], pieces[end]) < 0:
            end += 1
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


def _three_on_last_line(g: _Row) -> bool:
    last = g.pieces[-1].line
    tokens = [p for p in g.pieces[1:] if p.multi and p.line == last]
    return len(tokens) == 3


def _wants_cells(g: _Row) -> bool:
    """Too few fragments after the label for four cells."""
    multi = [p for p in g.pieces[1:] if p.multi]
    return bool(multi) and len(multi) < 4 and len(g.pieces) < 6


def _rows_of(t: _Table) -> tuple[list[ScheduleRow], list[Issue]]:
    _fill_deficits(t)
    rows: list[ScheduleRow] = []
    if t.groups:
        rows = [r for g in t.groups if (r := build_row(g.pieces, True, t.context))]
    elif t.lead:
        row = build_row(t.lead, True, t.context)
        rows = [row] if row else []
    rows.sort(key=lambda r: (r.number is None, r.number or 0))
    issues = [
        Issue(
            level="warning",
            code="unresolved_schedule_row",
            message=f"{t.item_id}: row {r.label!r}: the text does not decide its cells",
            item_id=t.item_id,
            lines=r.source_lines,
        )
        for r in rows
        if not r.resolved
    ]
    return rows, issues
